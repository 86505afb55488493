"""A course through a real ``dask scheduler`` and two ``dask worker`` processes: the units
are spread over both workers, and each lesson x language is a unit of its own."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scenes.engine.chapters import by_slug
from scenes.episode.cluster import REPORT_ENV

ROOT = Path(__file__).resolve().parents[1]


def _dask(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, cwd=log.parent, start_new_session=True)


@pytest.mark.render
def test_both_workers_render_units_of_a_course(tmp_path: Path) -> None:
    """One lesson in two languages, one chapter: two units for two single-thread workers.
    Each worker renders one (the log of each unit names its worker, and so does Dask's task
    stream), at the same time, and the two languages' clips are different renders."""
    from distributed import Client

    info = tmp_path / "scheduler.json"
    procs = [_dask(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file",
                    str(info)], tmp_path / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert info.exists(), (tmp_path / "scheduler.log").read_text()
        address = json.loads(info.read_text())["address"]
        for i in range(2):
            folder = tmp_path / f"worker{i}"
            folder.mkdir()
            procs.append(_dask(["worker", address, "--nthreads", "1", "--no-dashboard", "--local-directory",
                                str(folder)], folder.with_suffix(".log")))
        with Client(address) as client:
            client.wait_for_workers(2, timeout=60)
            workers = set(client.scheduler_info()["workers"])
        course = tmp_path / "course.toml"
        course.write_text(f'name = "two"\nlessons = [{json.dumps(str(ROOT / "scenes/lessons/default.toml"))}]\n'
                          'languages = ["en", "zh"]\nchapters = ["opening"]\n', encoding="utf-8")
        out = tmp_path / "out"
        p = subprocess.run([sys.executable, "-m", "scenes.render", "--preview", "--course", str(course), "--out",
                            str(out), "--scheduler", address], cwd=ROOT, capture_output=True, text=True, timeout=300,
                           env={**os.environ, REPORT_ENV: str(tmp_path / "report")})
        assert p.returncode == 0, p.stderr[-3000:]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
    name = by_slug("opening").name
    logs = {lang: (out / "default" / lang / "logs" / f"{name}.log").read_text() for lang in ("en", "zh")}
    used = {lang: re.search(r"^# worker (\S+)$", log, re.M).group(1) for lang, log in logs.items()}
    assert set(used.values()) == workers, (used, workers)
    record = json.loads((tmp_path / "report" / "run.json").read_text())
    units = record["units"]
    assert {u["worker"] for u in units} == workers and record["workers"] == 2
    assert max(u["start"] for u in units) < min(u["stop"] for u in units), units  # side by side
    assert all(u["cpu"] > 0 and u["bytes_out"] > 10_000 for u in units), units
    clips = [(out / "default" / lang / "chapters" / f"{name}.mp4").read_bytes() for lang in ("en", "zh")]
    assert clips[0] != clips[1], "the Chinese lesson got the English clip"
