"""Players draw subtitles over the frame's bottom tenth (below SUBTITLE_BAND_TOP): the lines the
narration reads out, moved above it in the third cut, stay above it. Each case is grouped with its
chapter's tests (its parameter is the chapter), so it reads the default lesson's dry run those
tests already made on the same worker."""

from __future__ import annotations

import pytest

from scenes.engine.chapters import Chapter, by_slug
from scenes.engine.lesson import LESSONS_DIR
from scenes.engine.style import SUBTITLE_BAND_TOP
from tests.conftest import dry_scene

#: (chapter, the scene's attribute holding the line): chapter 2's step table, chapter 3's σ'(5),
#: chapter 6's e-notation line, chapter 7's 1/120 and 1/140 line, chapter 8's η × 37 key, and
#: chapter 1's map of the answers.
LINES = ((by_slug("cost"), "cost_row"), (by_slug("neuron"), "sat_marks"), (by_slug("backprop"), "e_note"),
         (by_slug("fading"), "ratio_line"), (by_slug("training"), "boost_key"), (by_slug("opening"), "answers"))


@pytest.mark.parametrize(("chapter", "attribute"), LINES, ids=[c.slug for c, _ in LINES])
def test_read_out_lines_stay_above_the_subtitles(chapter: Chapter, attribute: str) -> None:
    scene = dry_scene(chapter.slug, LESSONS_DIR / "default.toml")
    line = getattr(scene, attribute)
    if attribute == "sat_marks":  # the plot's marks, then the formula line σ'(5) = 0.00665: the words only
        line = line[-1]
    assert line.get_bottom()[1] > SUBTITLE_BAND_TOP, f"{chapter.name}: {attribute} reaches into the bottom tenth"
