"""Players draw subtitles over the frame's bottom tenth (below SUBTITLE_BAND_TOP), so no text of
any chapter reaches into it, in either language: not a read-out line, an axis's tick labels nor
a note; nor does any come nearer the frame's other edges than EDGE_MARGIN. Each case is grouped
with its chapter's tests (its parameter is the chapter), so it reads the dry runs those tests
already made on the same worker, which note every text on screen after each animation or wait
(``tests.conftest._note_low_text``)."""

from __future__ import annotations

import pytest

from scenes.engine.chapters import CHAPTERS, Chapter
from scenes.engine.lesson import LESSONS_DIR
from scenes.engine.style import SUBTITLE_BAND_TOP
from tests.conftest import EDGE_MARGIN, dry_scene

CASES = [(c, lang) for c in CHAPTERS for lang in ("default", "zh")]


@pytest.mark.parametrize(("chapter", "lesson"), CASES, ids=[f"{c.slug}-{lang}" for c, lang in CASES])
def test_no_text_in_the_subtitles_band(chapter: Chapter, lesson: str) -> None:
    scene = dry_scene(chapter.slug, LESSONS_DIR / f"{lesson}.toml")
    low = {text: y for text, y in scene.low_text.items() if text.strip()}
    assert not low, f"{chapter.name} ({lesson}): text below y = {SUBTITLE_BAND_TOP}: {low}"


@pytest.mark.parametrize(("chapter", "lesson"), CASES, ids=[f"{c.slug}-{lang}" for c, lang in CASES])
def test_text_keeps_a_margin_from_the_frame_edges(chapter: Chapter, lesson: str) -> None:
    scene = dry_scene(chapter.slug, LESSONS_DIR / f"{lesson}.toml")
    near = {text: m for text, m in scene.edge_text.items() if text.strip()}
    assert not near, f"{chapter.name} ({lesson}): text within {EDGE_MARGIN} of the frame's edge: {near}"


def test_the_note_sees_a_low_line_and_only_it() -> None:
    """A line moved into the band is noted; one just above it, or faded out, is not."""
    from manim import Text

    from tests.conftest import _note_low_text

    class Probe:
        mobjects = [Text("1e-8").move_to([0, SUBTITLE_BAND_TOP - 0.3, 0]),
                    Text("above").next_to([0, SUBTITLE_BAND_TOP, 0], [0, 1, 0], buff=0.01),
                    Text("gone").move_to([0, SUBTITLE_BAND_TOP - 0.3, 0]).set_opacity(0)]

    probe = Probe()
    _note_low_text(probe)
    assert list(probe.low_text) == ["1e-8"]
