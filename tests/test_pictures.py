"""Golden frames: every chapter's key picture, the frames after a few named beats, and the
empty background every chapter ends on.

The frames are drawn from the suite's shared dry run of each chapter on the default lesson
(``conftest.dry_scene``), at 854x480 as ``manim -ql`` draws them, and compared with
``tests/control_data/`` with manim's own tolerance. ``pytest --set_test`` records them
again; look at a recorded frame before committing it.
"""

from __future__ import annotations

import pytest

from scenes.engine.chapters import CHAPTERS, Chapter
from scenes.engine.lesson import DEFAULT_LESSON
from tests.conftest import PICTURES_AFTER, check_picture, dry_scene


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.slug for c in CHAPTERS])
def test_key_picture(chapter: Chapter, request: pytest.FixtureRequest) -> None:
    """The picture the chapter holds before its closing fade: the poster ``manim -s`` saves."""
    scene = dry_scene(chapter.slug, DEFAULT_LESSON)
    check_picture(scene.pictures["key"], f"{chapter.slug}/key_picture", request)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.slug for c in CHAPTERS])
def test_last_frame_is_the_empty_background(chapter: Chapter, request: pytest.FixtureRequest) -> None:
    """Every chapter ends on the same empty background, so the clips join without a jump."""
    scene = dry_scene(chapter.slug, DEFAULT_LESSON)
    assert not scene.mobjects and not scene.foreground_mobjects
    check_picture(scene.pictures["last"], "empty_background", request)


MID_PICTURES = [(c, b) for c in CHAPTERS for b in PICTURES_AFTER.get(c.slug, ())]


@pytest.mark.parametrize(("chapter", "beat"), MID_PICTURES, ids=[f"{c.slug}-{b}" for c, b in MID_PICTURES])
def test_picture_after_a_beat(chapter: Chapter, beat: str, request: pytest.FixtureRequest) -> None:
    """A picture from the middle of a chapter, where its key picture does not show everything."""
    scene = dry_scene(chapter.slug, DEFAULT_LESSON)
    check_picture(scene.pictures[beat], f"{chapter.slug}/after_{beat}", request)
