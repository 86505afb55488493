"""End to end: render the shrinking-rectangle clip with the real ``manim`` command and check
the video file and its subtitles.

The clip is rendered at low quality (480p15) by the episode command (the ``episode``
fixture in conftest.py), which runs ``manim -ql`` in a separate process as a user would.
Then: the mp4 exists, its length (read with PyAV) is the scene's own sum of run times and
waits within one frame, and the .srt beside it has one cue per captioned beat (every beat
but the final fade to the empty background), in order, each within its beat, never overlapping.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import av
import pytest
import srt

from scenes.lesson import load_lesson
from scenes.rectangle import ShrinkingRectangle, experiment, timeline

ROOT = Path(__file__).resolve().parents[1]
FPS = 15  # manim's -ql frame rate


@pytest.fixture(scope="module")
def rendered(episode: dict[str, object]) -> Path:
    """The rectangle clip that the episode command rendered with ``manim -ql`` (see conftest)."""
    return Path(episode["out"]) / "chapters" / "06-rectangle.mp4"


@pytest.mark.render
def test_mp4_exists_and_lasts_the_expected_time(rendered: Path) -> None:
    assert rendered.is_file() and rendered.stat().st_size > 0
    with av.open(str(rendered)) as container:
        stream = container.streams.video[0]
        assert stream.duration is not None
        seconds = float(stream.duration * stream.time_base)
        assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
    expected = ShrinkingRectangle.expected_duration(load_lesson())
    assert 30 <= expected <= 90
    assert seconds == pytest.approx(expected, abs=1 / FPS)


@pytest.mark.render
def test_srt_has_one_cue_per_beat(rendered: Path) -> None:
    path = rendered.with_suffix(".srt")
    assert path.is_file()
    cues = list(srt.parse(path.read_text(encoding="utf-8")))
    beats = timeline(experiment(load_lesson()))
    captioned = [b for b in beats if b.caption]
    assert [c.content for c in cues] == [b.caption for b in captioned]
    assert [b.name for b in beats if not b.caption] == ["end"]
    starts, start = {}, 0.0
    for beat in beats:
        starts[beat.name] = start
        start += beat.duration
    for cue, beat in zip(cues, captioned):
        assert cue.start < cue.end
        assert cue.start.total_seconds() == pytest.approx(starts[beat.name], abs=1 / FPS)
        assert cue.end.total_seconds() <= starts[beat.name] + beat.duration + 1 / FPS
    for earlier, later in zip(cues, cues[1:]):
        assert earlier.end <= later.start
    assert cues[-1].end <= timedelta(seconds=start - beats[-1].duration + 1 / FPS)
