"""Courses and Dask: several lessons on the embedded LocalCluster (the session's ``episode``
fixture is a course of two lessons), and a course's units spread over a real ``dask scheduler``'s
two ``dask worker`` processes started here (each lesson x language is a unit of its own)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import srt

from scenes.engine.chapters import by_slug
from scenes.engine.lesson import LESSONS_DIR
from scenes.episode import media
from scenes.episode.cluster import REPORT_ENV
from scenes.episode.course import CourseError, load_course
from tests.conftest import interrupt_render, manims_left, own_lesson

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.render
def test_a_course_renders_every_lesson_and_links_them(episode):
    course: Path = episode["course"]
    for lesson in ("default", "relu-he"):
        folder = course / lesson / "en"
        info = media.clip_info(folder / "episode.mp4")
        assert info.duration > 30 and (folder / "index.html").exists() and (folder / "episode.srt").exists()
    page = (course / "index.html").read_text(encoding="utf-8")
    assert page.count("<li>") == 2
    assert 'href="default/en/index.html"' in page and 'href="relu-he/en/index.html"' in page
    # one engine for the whole course: all four units in one Dask run
    assert episode["stderr"].count("Rendering 4 chapter(s)") == 1


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "course.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, message", [
    ('name = "c"\nlessons = ["default.toml"]\n', "languages is missing"),
    ('name = "c"\nlessons = []\nlanguages = ["en"]\n', "must be a list of lesson file paths"),
    ('name = "c"\nlessons = ["default.toml"]\nlanguages = ["fr"]\n', "must be distinct values of: en, zh"),
    ('name = "c d"\nlessons = ["default.toml"]\nlanguages = ["en"]\n', "must be letters, digits"),
    ('name = "c"\nlessons = ["nope.toml"]\nlanguages = ["en"]\n', "lesson nope.toml: lesson file"),
    ('name = "c"\nlessons = ["default.toml"]\nlanguages = ["en"]\ncolour = 1\n', "unknown field 'colour'"),
    ('name = "c"\nlessons = ["default.toml", "default.toml"]\nlanguages = ["en"]\n', "two lessons are named"),
])
def test_bad_course_is_one_line(tmp_path, text, message):
    shutil.copy(LESSONS_DIR / "default.toml", tmp_path / "default.toml")
    path = write(tmp_path, text)
    with pytest.raises(CourseError, match=re.escape(message)):
        load_course(path)
    p = subprocess.run([sys.executable, "-m", "scenes.render", "--preview", "--course", str(path),
                        "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and message in p.stderr
    assert not (tmp_path / "out").exists()


def test_a_course_sets_each_lesson_to_each_language(tmp_path):
    shutil.copy(LESSONS_DIR / "relu-he.toml", tmp_path / "relu-he.toml")
    course = load_course(write(tmp_path, 'name = "c"\nlessons = ["relu-he.toml"]\nlanguages = ["en", "zh"]\n'))
    assert [(lesson.name, lesson.language, lesson.activation) for lesson in course.lessons] == [
        ("relu-he", "en", "relu"), ("relu-he", "zh", "relu")]


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, cwd=log.parent, start_new_session=True)


@pytest.fixture(scope="module")
def remote_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``dask scheduler`` and two ``dask worker`` processes (one thread each) on this
    machine, each in its own folder; yields the scheduler's address."""
    root = tmp_path_factory.mktemp("cluster")
    info = root / "scheduler.json"
    procs = [_start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(info)], root / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert info.exists(), (root / "scheduler.log").read_text()
        for i in range(2):
            folder = root / f"worker{i}"
            folder.mkdir()
            procs.append(_start(["worker", "--scheduler-file", str(info), "--nthreads", "1", "--no-dashboard",
                                 "--local-directory", str(folder)], folder.with_suffix(".log")))
        yield json.loads(info.read_text())["address"]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


@pytest.mark.render
def test_both_workers_render_units_of_a_course(remote_cluster: str, tmp_path: Path) -> None:
    """One lesson in two languages, one chapter: two units for the two single-thread workers.
    The client names the cluster it sends to; each worker renders one unit (the log of each
    names its worker, and so does Dask's task stream), both at the same time; the client
    writes what they send back, and the two languages' clips are different renders."""
    from distributed import Client

    with Client(remote_cluster) as client:
        client.wait_for_workers(2, timeout=60)
        workers = set(client.scheduler_info()["workers"])
    course = tmp_path / "course.toml"
    course.write_text(f'name = "two"\nlessons = [{json.dumps(str(ROOT / "scenes/lessons/default.toml"))}]\n'
                      'languages = ["en", "zh"]\nchapters = ["opening"]\n', encoding="utf-8")
    out = tmp_path / "out"
    p = subprocess.run([sys.executable, "-m", "scenes.render", "--preview", "--course", str(course), "--out",
                        str(out), "--scheduler", remote_cluster], cwd=ROOT, capture_output=True, text=True,
                       timeout=600, env={**os.environ, REPORT_ENV: str(tmp_path / "report")})
    assert p.returncode == 0, p.stderr[-3000:]
    assert f"the Dask cluster at {remote_cluster}" in p.stderr
    name = by_slug("opening").name
    logs = {lang: (out / "default" / lang / "logs" / f"{name}.log").read_text() for lang in ("en", "zh")}
    used = {lang: re.search(r"^# worker (tcp://127\.0\.0\.1:\d+)$", log, re.M).group(1) for lang, log in logs.items()}
    assert set(used.values()) == workers, (used, workers)
    record = json.loads((tmp_path / "report" / "run.json").read_text())
    units = record["units"]
    assert {u["worker"] for u in units} == workers and record["workers"] == 2
    assert max(u["start"] for u in units) < min(u["stop"] for u in units), units  # side by side
    assert all(u["cpu"] > 0 and u["bytes_out"] > 10_000 for u in units), units
    clips = [(out / "default" / lang / "chapters" / f"{name}.mp4").read_bytes() for lang in ("en", "zh")]
    assert clips[0] != clips[1], "the Chinese lesson got the English clip"
    cues = list(srt.parse((out / "default" / "zh" / "episode.srt").read_text(encoding="utf-8")))
    assert len(cues) >= 5 and all(CJK.search(c.content) and c.start < c.end for c in cues), cues
    assert "no zh translation" not in logs["zh"]
    assert media.clip_info(out / "default" / "en" / "episode.mp4").duration > 30


@pytest.mark.render
def test_ctrl_c_stops_the_workers_manim(remote_cluster, tmp_path):
    """Ctrl-C on the client while both workers run manim: every manim stops within seconds,
    and nothing new is written."""
    out = tmp_path / "out"
    out.mkdir()
    lesson = own_lesson(tmp_path, "ctrlc-remote")
    code, err, seconds = interrupt_render(["--preview", "--lesson", str(lesson), "--chapters", "rock,neuron",
                                           "--scheduler", remote_cluster, "--out", str(out)], "vg-ctrlc-remote-",
                                          manims=2)
    assert code == 130 and seconds < 10, (code, seconds, err[-2000:])
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("render: interrupted")
    assert list(out.rglob("*")) == []
    assert manims_left("vg-ctrlc-remote-") == 0  # "every manim stops within seconds"


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    """Dask's connect timeout bounds the wait (set short here through Dask's own variable)."""
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "scenes.render", "--preview", "--chapters", "cost", "--scheduler",
                        "tcp://127.0.0.1:9", "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True,
                       text=True, timeout=120, env=env)
    assert time.monotonic() - t0 < 25
    assert p.returncode == 2, p.stderr
    assert p.stderr.strip().splitlines()[-1].startswith("render: error: cannot reach the Dask scheduler")
    assert "Traceback" not in p.stderr
