"""What every scene shares: the lesson it renders, its theme, and a record of the numbers
it puts on screen (so tests can check them against netsim without reading pixels)."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from manim import DOWN, LEFT, UP, FadeOut, Scene, Text, VGroup

from scenes.lesson import Lesson, lesson_from_env
from scenes.style import SIZE, THEMES, Theme, label, value_label


@lru_cache(maxsize=1)
def current_lesson() -> Lesson:
    """The lesson from ``VG_LESSON`` (or the default), validated once per process.

    Scene modules call this at import time, so a bad lesson stops ``manim`` with one line
    before it creates a single file.
    """
    return lesson_from_env()


class LessonScene(Scene):
    """A Scene that knows its lesson and theme and records every number it shows.

    ``shown`` maps a name to the value displayed under it (a float, or a list of floats).
    """

    def __init__(self, lesson: Lesson | None = None, **kwargs: Any) -> None:
        self.lesson = lesson or current_lesson()
        self.theme: Theme = THEMES[self.lesson.theme]
        self.shown: dict[str, Any] = {}
        super().__init__(**kwargs)

    def setup(self) -> None:
        self.camera.background_color = self.theme.background

    def text(self, s: str, size: int = SIZE.label, color: str | None = None, **kw: Any) -> Text:
        """Text in the shared font, sized and coloured by the shared vocabulary."""
        return label(s, self.theme, size, color=color, **kw)

    def number(self, key: str, value: float, size: int = SIZE.label, underflow: bool = False) -> Text:
        """An on-screen number, recorded in ``shown[key]``; overflow is written out."""
        if isinstance(value, float) and math.isnan(value):
            raise ValueError(f"{key} is NaN: netsim should never hand a scene a NaN")
        self.shown[key] = float(value)
        return value_label(float(value), self.theme, size, underflow=underflow)

    def chapter_heading(self, title: str, subtitle: str | None = None) -> VGroup:
        """The chapter's title at the top left (the same place in every chapter, so clips join
        cleanly), with an optional one-line subtitle under it. Returned, not yet added."""
        heading = self.text(title, SIZE.heading).to_corner(UP + LEFT, buff=0.3)
        group = VGroup(heading)
        if subtitle:
            sub = self.text(subtitle, SIZE.small, color=self.theme.muted)
            sub.next_to(heading, DOWN, aligned_edge=LEFT, buff=0.18)
            group.add(sub)
        return group

    def end_chapter(self, caption: str | None = None, run_time: float = 0.8) -> None:
        """Fade everything out to the bare background: every chapter starts and ends on it."""
        if self.mobjects:
            self.play(*[FadeOut(m) for m in self.mobjects], run_time=run_time,
                      **({"subcaption": caption} if caption else {}))
