"""Shared test set-up: the chapters' shared dry runs, the pictures drawn from them and the
end-to-end render, and how the tests are spread over pytest-xdist's workers.

Golden frames are compared with manim's own frame tester and tolerance (``check_picture``);
they are recorded with the same cairo they are checked with. The ``--set_test`` and
``--show_diff`` options are the ones manim's own test suite defines:
``pytest tests/test_pictures.py --set_test`` records the frames again.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

#: The group of test files named other than their chapter's slug, and of test files kept on one worker
#: because their tests share one costly module fixture (the slides deck, rendered once).
_FILE_GROUP = {"cost_of_fading": "training", "slides": "slides"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Group each chapter's tests (its own file, and its parameters of the caption and
    translation checks) on one pytest-xdist worker, so its dry runs are made once there; the
    slides tests on one worker, so the deck is rendered once (two renders at once would also
    share the lesson's media folder); and every test of the end-to-end ``episode`` render on
    one worker, so it renders once; and the tests of the real Dask cluster on one worker, so it
    is started once."""
    from scenes.engine.chapters import CHAPTERS, Chapter

    slugs = {c.slug for c in CHAPTERS}
    for item in items:
        stem = item.path.stem.removeprefix("test_")
        slug = _FILE_GROUP.get(stem, stem if stem in slugs else None)
        params = getattr(getattr(item, "callspec", None), "params", {})
        slug = next((v.slug for v in params.values() if isinstance(v, Chapter)), slug)
        if "episode" in getattr(item, "fixturenames", ()):
            slug = "episode"  # the session's one course render, made once on one worker
        if "remote_cluster" in getattr(item, "fixturenames", ()):
            slug = "cluster"  # one dask scheduler and its two workers, started once on one worker
        if slug:
            item.add_marker(pytest.mark.xdist_group(slug))


def pytest_configure(config: pytest.Config) -> None:
    """Refuse a pytest whose groups pytest-xdist would drop; and let each pytest-xdist worker
    cache manim's Text and LaTeX files in a folder of its own: two processes writing the same
    cache file at once read it half-written."""
    import os

    from manim import config as manim_config

    if config.getoption("dist", "no") == "loadgroup" and _xdist_drops_groups():
        raise pytest.UsageError(f"pytest {pytest.__version__} is newer than pytest-xdist's loadgroup supports "
                                "(pytest-xdist #1386): each chapter's dry runs would be made on every worker. "
                                "Run bash .ci/setup.sh to install the pinned pytest.")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    manim_config.media_dir = str(ROOT / "media" / ".tests" / worker)


def _xdist_drops_groups() -> bool:
    """pytest 9.2 gives node ids a structure; pytest-xdist up to 3.8 still writes a test's
    group into the old field, so --dist loadgroup silently stops grouping."""
    from importlib.metadata import version

    def release(name: str) -> tuple[int, ...]:
        return tuple(int(p) for p in version(name).split(".")[:2] if p.isdigit())

    return release("pytest") >= (9, 2) and release("pytest-xdist") <= (3, 8)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--set_test", action="store_true", default=False,
                     help="record the golden frames instead of comparing against them")
    parser.addoption("--show_diff", action="store_true", default=False,
                     help="show a picture of the difference when a golden frame differs")


ROOT = Path(__file__).resolve().parents[1]
# The chapters the end-to-end render uses: the two shortest keep CI time modest, and together
# they exercise joining, caption offsets and chapter markers.
E2E_CHAPTERS = ("opening", "neuron")


@pytest.fixture(scope="session")
def episode(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The episode command run once at preview quality on E2E_CHAPTERS, as a user runs it: as
    a course of two lessons (default and relu-he, in English) on the embedded Dask cluster.
    ``out`` is the default lesson's folder, ``course`` the course's."""
    root = tmp_path_factory.mktemp("course")
    course = root / "course.toml"
    course.write_text(f'''name = "e2e"
title = "Two lessons"
lessons = ["{ROOT / 'scenes/lessons/default.toml'}", "{ROOT / 'scenes/lessons/relu-he.toml'}"]
languages = ["en"]
chapters = {list(E2E_CHAPTERS)!r}
'''.replace("'", '"'), encoding="utf-8")
    out = root / "out"
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "scenes.render", "--preview", "--course", str(course), "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert p.returncode == 0, p.stderr[-3000:]
    return {"out": out / "default" / "en", "course": out, "first": time.monotonic() - t0, "stderr": p.stderr,
            "chapters": E2E_CHAPTERS}


# ---------- dry runs shared by the suite ----------

_DRY_RUNS: dict[tuple[str, str, bool], object] = {}

#: Pictures the golden-frame tests compare, besides every chapter's key picture and last
#: frame: the frame after these beats (methods of the chapter's scene) have played.
PICTURES_AFTER = {"opening": ("compare_first_and_last",), "training": ("compare_with_nielsen",),
                  "after": ("lstm_beats",)}


def dry_scene(slug: str, lesson_path: Path | str, exact_frames: bool = False) -> object:
    """Chapter ``slug`` dry-run (nothing written) on a lesson file, once per test session.

    Several test files read the same dry run (its captions, its cues, its numbers, its
    pictures), so it is made once here rather than once per file. By default animations are
    skipped to their end and only the pictures the golden tests compare are drawn: the
    numbers, captions and cue times are the same, to the exact run times rather than whole
    frames, and the run is several times faster. ``exact_frames`` steps through every frame
    as a real render does (for comparing times with one), still drawing only those pictures.

    The scene keeps its pictures in ``scene.pictures``: ``"key"``, the chapter's key
    picture (the frame just before the closing fade, which ``manim -s`` saves as the
    poster), ``"last"``, its last frame, and one per name in :data:`PICTURES_AFTER`; and
    ``scene.end_start``, the time its closing (``end_chapter``) begins; and in
    ``scene.low_text`` every text that reached into the subtitles' band after some animation or
    wait, in ``scene.edge_text`` every one that came too near the frame's other edges
    (:func:`_note_low_text`).
    """
    import importlib
    from unittest import mock

    from manim import Scene, tempconfig
    from manim.camera.camera import Camera

    from scenes.engine.chapters import by_slug
    from scenes.engine.common import LessonScene
    from scenes.engine.lesson import load_lesson

    key = (slug, str(lesson_path), exact_frames)
    if key not in _DRY_RUNS:
        chapter = by_slug(slug)
        module = importlib.import_module(f"scenes.{chapter.path.stem}")
        cls = getattr(module, chapter.scene)
        settings = {"dry_run": True, "quality": "low_quality", "disable_caching": True, "progress_bar": "none",
                    "skip_animations": not exact_frames}
        real_capture, real_end = Camera.capture_mobjects, LessonScene.end_chapter
        drawing = [False]

        def capture(camera: Camera, *args: object, **kwargs: object) -> None:
            if drawing[0]:
                real_capture(camera, *args, **kwargs)

        def picture(scene: LessonScene, name: str) -> None:
            drawing[0] = True
            try:
                scene.renderer.update_frame(scene, ignore_skipping=True)
            finally:
                drawing[0] = False
            scene.pictures[name] = scene.renderer.get_frame().copy()

        def end_chapter(scene: LessonScene, *args: object, **kwargs: object) -> None:
            scene.end_start = scene.renderer.time
            picture(scene, "key")
            real_end(scene, *args, **kwargs)

        def after(name: str):  # noqa: ANN202 - a method wrapper
            method = getattr(cls, name)

            def run(scene: LessonScene, *args: object, **kwargs: object) -> object:
                out = method(scene, *args, **kwargs)
                picture(scene, name)
                return out
            return run

        real_play, real_wait = Scene.play, Scene.wait

        def play(scene: Scene, *args: object, **kwargs: object) -> None:
            real_play(scene, *args, **kwargs)
            _note_low_text(scene)

        def wait(scene: Scene, *args: object, **kwargs: object) -> None:
            real_wait(scene, *args, **kwargs)
            _note_low_text(scene)

        patches = [mock.patch.object(cls, name, after(name)) for name in PICTURES_AFTER.get(slug, ())]
        patches += [mock.patch.object(Scene, "play", play), mock.patch.object(Scene, "wait", wait)]
        with tempconfig(settings), mock.patch.object(Camera, "capture_mobjects", capture), \
                mock.patch.object(LessonScene, "end_chapter", end_chapter):
            for p in patches:
                p.start()
            try:
                scene = cls(lesson=load_lesson(lesson_path))
                scene.pictures = {}
                scene.render()
                picture(scene, "last")
            finally:
                for p in patches:
                    p.stop()
        _DRY_RUNS[key] = scene
    return _DRY_RUNS[key]


#: The frame's half height and half width (scene units), and the least margin text keeps from its
#: top and sides (0.15 units: 20 px at 1080p).
FRAME_TOP, FRAME_SIDE, EDGE_MARGIN = 4.0, 64 / 9, 0.15


def _note_low_text(scene: Any) -> None:
    """Record in ``scene.low_text`` (text: its lowest bottom) each text on screen now whose
    bottom is below the top of the band where players draw subtitles (``SUBTITLE_BAND_TOP``),
    and in ``scene.edge_text`` (text: its margin) each one nearer the frame's top or sides than
    ``EDGE_MARGIN``."""
    import numpy as np
    from manim import MathTex, SingleStringMathTex, Tex, Text

    from scenes.engine.style import SUBTITLE_BAND_TOP

    low = scene.__dict__.setdefault("low_text", {})
    edge = scene.__dict__.setdefault("edge_text", {})
    for mob in scene.mobjects:
        for part in mob.get_family():
            if not isinstance(part, (Text, MathTex, Tex, SingleStringMathTex)):
                continue
            shapes = [s for s in part.get_family() if s.has_points() and s.get_fill_opacity() > 0.05]
            if not shapes:
                continue
            name = getattr(part, "original_text", None) or getattr(part, "tex_string", None) or type(part).__name__
            points = np.concatenate([s.points for s in shapes])  # one box for the visible glyphs
            (left, bottom), (right, top) = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
            if bottom < SUBTITLE_BAND_TOP - 0.005:
                low[name] = min(low.get(name, 0.0), round(float(bottom), 2))
            # how near the frame's top, left and right edges it comes (the smallest margin seen)
            margin = float(min(FRAME_TOP - top, FRAME_SIDE + left, FRAME_SIDE - right))
            if margin < EDGE_MARGIN - 0.005:
                edge[name] = min(edge.get(name, EDGE_MARGIN), round(margin, 2))


CONTROL_DATA = ROOT / "tests" / "control_data"


def check_picture(frame: object, name: str, request: pytest.FixtureRequest) -> None:
    """Compare a frame with the golden one in ``tests/control_data/<name>.npz``, with
    manim's own tolerance; ``pytest --set_test`` records it instead."""
    from manim.utils.testing._frames_testers import _ControlDataWriter, _FramesTester

    path = CONTROL_DATA / f"{name}.npz"
    if request.config.getoption("--set_test"):
        path.parent.mkdir(parents=True, exist_ok=True)
        tester = _ControlDataWriter(path, size_frame=frame.shape[:2])
    else:
        assert path.exists(), f"no golden frame {path.relative_to(ROOT)}: record it with pytest --set_test"
        tester = _FramesTester(path, show_diff=request.config.getoption("--show_diff"))
    with tester.testing():
        tester.check_frame(0, frame)



# ---------- Ctrl-C ----------


def manims_running(marker: str) -> int:
    """How many manim processes render a unit whose temporary folder contains ``marker``."""
    ps = subprocess.run(["ps", "-ww", "-eo", "args"], capture_output=True, text=True).stdout
    return sum(1 for line in ps.splitlines() if "manim" in line and marker in line)


def manims_left(marker: str, within: float = 5.0) -> int:
    """:func:`manims_running` once they have had ``within`` seconds to exit (polled: a process
    killed on another worker can take a moment to leave the process table)."""
    deadline = time.monotonic() + within
    while (n := manims_running(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return n


def own_lesson(folder: Path, name: str) -> Path:
    """The default lesson under another name, so that its units' manim processes (whose
    temporary folders are named vg-<lesson>-<chapter>-...) are told apart from other tests'."""
    text = (ROOT / "scenes" / "lessons" / "default.toml").read_text(encoding="utf-8")
    path = folder / f"{name}.toml"
    path.write_text(text.replace('name = "default"', f'name = "{name}"', 1), encoding="utf-8")
    return path


def interrupt_render(args: list[str], marker: str, manims: int = 1) -> tuple[int, str, float]:
    """Run the episode command as a terminal would (in its own process group, SIGINT ignored
    by its parent as a shell does for a background job), with both cores kept busy; once
    ``manims`` of its manim processes (named by ``marker``) have run for 2 s, send SIGINT to
    the whole group. Returns (exit status, stderr, seconds from the signal to the exit)."""
    import os
    import signal

    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
    try:
        proc = subprocess.Popen([sys.executable, "-m", "scenes.render", *args], cwd=ROOT, stderr=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, text=True, start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and manims_running(marker) < manims and proc.poll() is None:
            time.sleep(0.2)
        assert manims_running(marker) >= manims, "the render's manim never started"
        time.sleep(2.0)
        t0 = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        return proc.returncode, err, time.monotonic() - t0
    finally:
        for b in busy:
            b.kill()


#: The keyword arguments of a bad-input test that name the net rather than the experiment's own knobs.
NET_FIELDS = ("sizes", "activation", "init", "bias_init", "seed")


def with_net(experiment: Any, kwargs: dict[str, Any], **net: Any) -> Any:
    """``experiment(NetSpec(...), **rest)``: the net's fields among ``kwargs`` (over the
    defaults ``net``, and the default lesson's sizes) make the one NetSpec the experiment takes
    (made here, so that a bad field raises inside the test); the other ``kwargs`` are its own."""
    from netsim.spec import DEFAULT_NET, NetSpec

    fields = {**net, **{k: v for k, v in kwargs.items() if k in NET_FIELDS}}
    sizes = fields.pop("sizes", DEFAULT_NET.sizes)
    return experiment(NetSpec(sizes, **fields), **{k: v for k, v in kwargs.items() if k not in NET_FIELDS})
