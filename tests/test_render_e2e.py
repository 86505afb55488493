"""End to end: the first chapter's clip rendered by the real ``manim`` command (through
the episode command, in the ``episode`` fixture of conftest.py) matches its dry run.

The mp4 exists, its length (read with PyAV) is the dry run's within one frame, and the .srt
beside it holds exactly the dry run's cues at the dry run's times, never overlapping.
"""

from __future__ import annotations

from pathlib import Path

import av
import pytest
import srt

from scenes.engine.chapters import by_slug
from scenes.engine.lesson import LESSONS_DIR
from tests.conftest import E2E_CHAPTERS, dry_scene

FPS = 15  # manim's -ql frame rate


@pytest.fixture(scope="module")
def rendered(episode: dict[str, object]) -> Path:
    """The first chapter's clip that the episode command rendered with ``manim -ql`` (see conftest)."""
    return Path(episode["out"]) / "chapters" / f"{by_slug(E2E_CHAPTERS[0]).name}.mp4"


def dry_run():
    return dry_scene(E2E_CHAPTERS[0], LESSONS_DIR / "default.toml", exact_frames=True)


@pytest.mark.render
def test_mp4_exists_and_lasts_the_expected_time(rendered: Path) -> None:
    assert rendered.is_file() and rendered.stat().st_size > 0
    with av.open(str(rendered)) as container:
        stream = container.streams.video[0]
        assert stream.duration is not None
        seconds = float(stream.duration * stream.time_base)
        assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
    assert seconds == pytest.approx(dry_run().renderer.time, abs=1 / FPS)


@pytest.mark.render
def test_srt_is_the_dry_runs_cues(rendered: Path) -> None:
    path = rendered.with_suffix(".srt")
    cues = list(srt.parse(path.read_text(encoding="utf-8")))
    expected = dry_run().renderer.file_writer.subcaptions
    assert [c.content for c in cues] == [c.content for c in expected]
    for cue, dry in zip(cues, expected):
        assert abs((cue.start - dry.start).total_seconds()) <= 0.001
        assert abs((cue.end - dry.end).total_seconds()) <= 0.001
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:]))
