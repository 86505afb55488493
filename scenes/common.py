"""What every scene shares: the lesson it renders, its theme and language, narration, and a
record of the numbers it puts on screen (so tests can check them against netsim without
reading pixels)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from manim import DOWN, LEFT, UP, Animation, FadeOut, MathTex, Text, VGroup, Wait, config
from manim_voiceover import VoiceoverScene

from scenes.i18n import translate
from scenes.lesson import Lesson, lesson_from_env
from scenes.style import FONTS, SIZE, THEMES, Theme, fmt_value, label, value_label

#: Caption characters a viewer reads per second, comfortably.
READING_SPEED = 17.0


@lru_cache(maxsize=1)
def current_lesson() -> Lesson:
    """The lesson from ``VG_LESSON`` (or the default), validated once per process.

    Scene modules call this at import time, so a bad lesson stops ``manim`` with one line
    before it creates a single file.
    """
    return lesson_from_env()


class LessonScene(VoiceoverScene):
    """A Scene that knows its lesson, theme and language, and records every number it shows.

    ``shown`` maps a name to the value displayed under it (a float, or a list of floats).

    Captions (``subcaption=`` of ``play`` and ``add_subcaption``) are translated into the
    lesson's language. With narration on, each caption is also spoken (espeak-ng through
    manim-voiceover): the sentence starts with its beat, and the next captioned beat waits
    until it has been said, so every beat lasts at least as long as its sentence. With
    narration off, timings are exactly those written in the scene.
    """

    def __init__(self, lesson: Lesson | None = None, **kwargs: Any) -> None:
        self.lesson = lesson or current_lesson()
        self.theme: Theme = THEMES[self.lesson.theme]
        self.font = FONTS[self.lesson.language]
        self.shown: dict[str, Any] = {}
        self.captions: list[str] = []
        self._voicing = False
        super().__init__(**kwargs)

    def setup(self) -> None:
        self.camera.background_color = self.theme.background
        if self.lesson.narration:
            from scenes.voice import EspeakService

            self.set_speech_service(EspeakService(self.lesson.language), create_subcaption=True)

    @property
    def narrating(self) -> bool:
        return self.lesson.narration and hasattr(self, "speech_service")

    def t(self, s: str) -> str:
        """``s`` in the lesson's language."""
        return translate(s, self.lesson.language)

    def text(self, s: str, size: int = SIZE.label, color: str | None = None, **kw: Any) -> Text:
        """Text in the shared vocabulary, translated into the lesson's language."""
        kw.setdefault("font", self.font)
        return label(self.t(s), self.theme, size, color=color, **kw)

    def number(self, key: str, value: float, size: int = SIZE.label, underflow: bool = False) -> Text:
        """An on-screen number, recorded in ``shown[key]``; overflow is written out."""
        if isinstance(value, float) and math.isnan(value):
            raise ValueError(f"{key} is NaN: netsim should never hand a scene a NaN")
        self.shown[key] = float(value)
        shown = value_label(float(value), self.theme, size, underflow=underflow, font=self.font)
        if self.lesson.language != "en" and shown.text.strip("-") in ("overflow", "underflow"):
            words = self.t(fmt_value(float(value), underflow=underflow))
            shown = label(words, self.theme, size, color=shown.color, font=self.font)
        return shown

    def tex(self, tex: str, size: int = SIZE.body, color: str | None = None) -> MathTex:
        """MathTex at a project text size (MathTex's font_size runs smaller than Text's)."""
        return MathTex(tex, font_size=size * 1.4, color=color or self.theme.text)

    def inline(self, key: str, value: float) -> str:
        """A number written inside a sentence: recorded in ``shown``, formatted like on-screen numbers."""
        self.shown[key] = float(value)
        return fmt_value(float(value))

    def beat(self, caption: str, steps: Sequence[tuple[Callable[[], Sequence[Animation]], float]],
             hold: float) -> None:
        """One story beat: each (make animations, run time) step in turn, captioned once over the
        whole beat, then a hold; the caption is also kept in ``captions``."""
        duration = sum(rt for _, rt in steps) + hold
        for i, (make, run_time) in enumerate(steps):
            kw: dict[str, Any] = {}
            if i == 0:
                kw = {"subcaption": caption, "subcaption_duration": duration - 0.05}
            self.play(*make(), run_time=run_time, **kw)
        if hold and steps:
            self.play(Wait(run_time=hold))
        elif hold:
            self.play(Wait(run_time=hold), subcaption=caption, subcaption_duration=hold - 0.05)
        self.captions.append(caption)

    # -- captions and narration -------------------------------------------------------

    def _speak(self, sentence: str) -> None:
        """Say a (translated) sentence from now on, after the previous one has ended."""
        self.wait_for_voiceover()
        self._voicing = True
        try:
            self.add_voiceover_text(sentence)
        finally:
            self._voicing = False

    def play(self, *args: Any, subcaption: str | None = None, **kwargs: Any) -> None:
        if subcaption and self.narrating:
            kwargs.pop("subcaption_duration", None)
            kwargs.pop("subcaption_offset", None)
            self._speak(self.t(subcaption))
            super().play(*args, **kwargs)
        else:
            super().play(*args, subcaption=subcaption, **kwargs)

    def add_subcaption(self, content: str, duration: float = 1, offset: float = 0) -> None:
        if self._voicing:  # manim-voiceover's own caption of the sentence being spoken
            super().add_subcaption(content, duration, offset)
        elif self.narrating:
            self._speak(self.t(content))
        else:
            super().add_subcaption(self.t(content), duration, offset)

    def tear_down(self) -> None:
        if self.narrating:
            self.wait_for_voiceover()
        super().tear_down()

    # -- chapter conventions ----------------------------------------------------------

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
        """Fade everything out to the bare background: every chapter starts and ends on it.

        manim draws frames at t = 0, 1/fps, ... but not at the animation's end, so a plain
        fade would leave its last frame faintly lit: this one completes a frame early, and
        the last frame of the chapter is the empty background. With ``manim -s`` (a poster
        of the last frame) there is no fade, so the poster shows the chapter's key picture.
        """
        if config.save_last_frame:
            return
        if caption:
            # A closing line stays up long enough to read: the key picture holds first.
            shown_for = max(len(self.t(caption)) / READING_SPEED, run_time)
            self.add_subcaption(caption, duration=shown_for - 0.05)
            if shown_for > run_time:
                self.wait(shown_for - run_time)
        if self.mobjects:
            frames = max(round(run_time * config.frame_rate), 2)

            def early(t: float) -> float:
                return min(1.0, t * frames / (frames - 1))

            self.play(*[FadeOut(m) for m in self.mobjects], run_time=run_time, rate_func=early)
