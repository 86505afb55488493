"""The one unit renderer (scenes/engine/unit.py): the lesson reaches the scene one way, whatever the
caller's environment says, and a unit told to stop stops its manim at once.

Each test runs a real ``manim render`` on a tiny scene written here, which renders nothing:
what is checked is the hand-over and the process, not the pictures.
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from scenes.engine.lesson import load_lesson
from scenes.engine.unit import PREVIEW, Unit, render_unit

PROBE = '''
import json, os
from pathlib import Path

from scenes.engine.common import LessonScene, current_lesson

lesson = {k: str(v) for k, v in vars(current_lesson()).items() if k != "source"}
Path(os.environ["VG_LESSON"]).with_name("seen.json").write_text(json.dumps(lesson))


class Probe(LessonScene):
    def construct(self):
        pass
'''

SLOW = '''
import time

from scenes.engine.common import LessonScene


class Slow(LessonScene):
    def construct(self):
        time.sleep(120)
'''


def _scene(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "scene.py"
    path.write_text(source, encoding="utf-8")
    return path


@pytest.mark.render
def test_the_scene_reads_the_lesson_it_was_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lesson = replace(load_lesson(None), title="A title «with» quotes \"and\" 中文", depth=5, seed=7,
                     learning_rate=0.25)
    monkeypatch.setenv("VG_NARRATE", "1")  # the caller's environment does not change the lesson
    unit = Unit(_scene(tmp_path, PROBE), "Probe", "probe", lesson, PREVIEW)
    done = render_unit(unit, tmp_path / "work")
    seen = json.loads((tmp_path / "work" / "seen.json").read_text())
    assert seen == {k: str(v) for k, v in asdict(lesson).items() if k != "source"}
    assert done.exit_code == 0 and done.output is None  # nothing played: manim wrote no clip
    assert done.failure == "manim exit 0 but wrote no clip" and not done.ok
    log = done.log.read_text()
    assert log.startswith("$ ") and "\n# worker local\n" in log and log.rstrip().endswith(done.failure)


@pytest.mark.render
def test_a_unit_told_to_stop_stops_its_manim(tmp_path: Path) -> None:
    unit = Unit(_scene(tmp_path, SLOW), "Slow", "slow", load_lesson(None), PREVIEW)
    t0 = time.monotonic()
    done = render_unit(unit, tmp_path / "work", cancelled=lambda: time.monotonic() - t0 > 3)
    assert done.cancelled and done.failure == "stopped" and time.monotonic() - t0 < 10
    ps = subprocess.run(["ps", "-ww", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(tmp_path / "work") not in ps, "manim still runs"
