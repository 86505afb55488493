"""Where a render's time goes (scenes.engine.profiling) and how the render benchmark prints it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from scenes.episode.bench import PARTS, EpisodeRun, print_split

ROOT = Path(__file__).resolve().parent.parent

TINY = '''
from manim import Create, Square
from scenes.engine.common import LessonScene


class Tiny(LessonScene):
    def construct(self):
        self.say("A square.", Create(Square()), run_time=0.5)
'''


def test_a_profiled_render_writes_its_split(tmp_path: Path) -> None:
    (tmp_path / "tiny.py").write_text(TINY, encoding="utf-8")
    profile = tmp_path / "profile"
    env = {**os.environ, "VG_PROFILE": str(profile), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "manim", "-ql", "-r", "160,90", "--disable_caching", "--progress_bar", "none",
           "--media_dir", str(tmp_path / "media"), "-o", "tiny", str(tmp_path / "tiny.py"), "Tiny"]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    split = json.loads((profile / "tiny.json").read_text())
    assert set(PARTS) <= set(split)
    # 0.5 s of animation at 15 fps, then the caption held until it can be read
    assert split["frames_moving"] >= 7 and split["frames_held"] >= 10
    assert split["segment_count"] >= 2  # the animation and the hold
    assert split["total"] >= split["draw"] + split["join"] > 0
    assert split["startup"] > 0


def test_the_split_table_has_a_row_per_chapter_and_the_sums() -> None:
    split = {p: 1.0 for p in PARTS} | {"total": 5.0}
    run = EpisodeRun(seconds=12.0, video_seconds=20.0, episode=Path("episode.mp4"),
                     splits={"01-a": split, "02-b": split}, chapter_seconds={"01-a": 10.0, "02-b": 10.0})
    lines: list[str] = []
    print_split(run, lines.append)
    table = "".join(lines).splitlines()
    a = next(line for line in table if line.startswith("01-a"))
    assert a.split()[1:3] == ["10.0", "0.60"]  # 10 s of video; (5 + 1 s start-up) / 10
    total = next(line for line in table if line.startswith("all chapters"))
    assert total.split()[2:4] == ["20.0", "2.0"]  # 20 s of video; start-up 1 + 1 s
    assert run.ratio == 0.6
