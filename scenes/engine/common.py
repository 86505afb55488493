"""What every scene shares: the lesson it renders, its theme and language, narration, and a
record of the numbers it puts on screen (so tests can check them against netsim without
reading pixels)."""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from manim import DOWN, LEFT, UP, Animation, FadeIn, Group, MathTex, Mobject, Scene, Text, VGroup, config
from manim_voiceover import VoiceoverScene

from netsim.errors import NetsimError
from netsim.format import fmt_percent, fmt_whole
from scenes.engine.captions import CUE_GAP, count_chars, reading_time, split_cues
from scenes.engine.chapters import CHAPTERS
from scenes.engine.i18n import Words, missing, t, translate
from scenes.engine.lesson import Lesson, lesson_from_env
from scenes.engine.style import FONTS, SIZE, THEMES, Theme, fmt_value, label, value_label

#: The one number formatter writes negative numbers with a true minus sign (U+2212); this
#: line of LaTeX preamble sets it in a formula as LaTeX's own minus.
TRUE_MINUS = r"\DeclareUnicodeCharacter{2212}{-}"


def declare_true_minus() -> None:
    """Add :data:`TRUE_MINUS` to the current tex template, once (a ``tempconfig`` that ends
    restores an earlier template, so every scene checks again before it builds)."""
    if TRUE_MINUS not in config.tex_template.preamble:
        config.tex_template.add_to_preamble(TRUE_MINUS)


declare_true_minus()

#: The words the one formatter writes for float64's extremes, marked for translation.
FLOAT_WORDS = {"overflow": t("overflow"), "underflow": t("underflow")}

#: Where the unit renderer asks a render to write its progress (scenes.engine.unit), for the episode's progress bars.
PROGRESS_FILE = os.environ.get("VG_PROGRESS")


@lru_cache(maxsize=1)
def current_lesson() -> Lesson:
    """The lesson from ``VG_LESSON`` (or the default), validated once per process."""
    return lesson_from_env()


# Validated when any chapter is imported, so a bad lesson stops ``manim`` with one line before
# it creates a single file.
current_lesson()


class LessonScene(VoiceoverScene):
    """A Scene that knows its lesson, theme and language, and records every number it shows.

    ``shown`` maps a name to the value displayed under it (a float, or a list of floats).

    The story is told in beats (:meth:`beat`, and :meth:`say` for a beat of one ``play``):
    the one way a chapter captions anything. A beat's caption (a template marked with
    :func:`scenes.engine.i18n.t`, as every on-screen word given to :meth:`text`) is translated into
    the lesson's language, split into readable cues and held until read; with narration on it is
    also spoken (:func:`scenes.engine.voice.narration_service`: Piper for English, espeak-ng
    otherwise, through manim-voiceover) and the beat lasts at least as long as
    the sentence. Chapters never pass ``subcaption=`` or call ``add_subcaption`` themselves.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A chapter whose experiment cannot be computed for the lesson (netsim says why with a
        :class:`~netsim.errors.NetsimError`) shows that as its one beat instead of a traceback."""
        super().__init_subclass__(**kwargs)
        inner = cls.__dict__.get("construct")
        if inner is None or getattr(inner, "_guarded", False):
            return

        @functools.wraps(inner)
        def construct(self: LessonScene) -> None:
            try:
                inner(self)
            except NetsimError as exc:
                self.cannot_show(str(exc))

        construct._guarded = True  # type: ignore[attr-defined]
        cls.construct = construct  # type: ignore[method-assign]

    def cannot_show(self, reason: str) -> None:
        """This chapter cannot make its point for the lesson's net: say so, and why, in one beat."""
        self.clear()
        self.cannot_show_reason = reason
        title = next((c.title for c in CHAPTERS if c.scene == type(self).__name__), type(self).__name__)
        heading = self.chapter_heading(title)
        why = label(reason, self.theme, SIZE.small, color=self.theme.muted, font=self.font)
        why.scale_to_fit_width(min(why.width, 12.5))
        note = VGroup(self.text(t("This lesson's net cannot show this chapter."), SIZE.body), why)
        note.arrange(DOWN, buff=0.4)
        self.say(t("This lesson's net cannot show this chapter. netsim says why on screen."),
                 FadeIn(heading), FadeIn(note), run_time=1.0, hold=2.0)
        self.end_chapter()

    def __init__(self, lesson: Lesson | None = None, **kwargs: Any) -> None:
        self.lesson = lesson or current_lesson()
        self.theme: Theme = THEMES[self.lesson.theme]
        self.font = FONTS[self.lesson.language]
        self.shown: dict[str, Any] = {}
        #: every beat's caption as written (English), and as shown (in the lesson's language)
        self.captions: list[str] = []
        self.translated_captions: list[str] = []
        self.untranslated: set[str] = set()
        #: why the chapter could not be shown for this lesson (None when it was)
        self.cannot_show_reason: str | None = None
        super().__init__(**kwargs)

    def setup(self) -> None:
        declare_true_minus()
        self.camera.background_color = self.theme.background
        if self.lesson.narration:
            from scenes.engine.voice import narration_service

            self.set_speech_service(narration_service(self.lesson.language), create_subcaption=False)

    @property
    def narrating(self) -> bool:
        return self.lesson.narration and hasattr(self, "speech_service")

    def tr(self, words: Words) -> str:
        """``words`` (a template marked with :func:`scenes.engine.i18n.t`, or a plain string) in the
        lesson's language; a template with no translation is kept in ``untranslated``."""
        self.untranslated.update(missing(words, self.lesson.language))
        return translate(words, self.lesson.language)

    def text(self, words: Words, size: int = SIZE.label, color: str | None = None, **kw: Any) -> Text:
        """Text in the shared vocabulary, translated into the lesson's language."""
        kw.setdefault("font", self.font)
        return label(self.tr(words), self.theme, size, color=color, **kw)

    def number(self, key: str, value: float, size: int = SIZE.label, underflow: bool = False) -> Text:
        """An on-screen number, recorded in ``shown[key]``; overflow is written out."""
        if isinstance(value, float) and math.isnan(value):
            raise ValueError(f"{key} is NaN: netsim should never hand a scene a NaN")
        self.shown[key] = float(value)
        shown = value_label(float(value), self.theme, size, underflow=underflow, font=self.font)
        if self.lesson.language != "en" and shown.text in FLOAT_WORDS:
            shown = label(self.tr(FLOAT_WORDS[shown.text]), self.theme, size, color=shown.color, font=self.font)
        return shown

    def tex(self, tex: str, size: int = SIZE.body, color: str | None = None) -> MathTex:
        """MathTex at a project text size (MathTex's font_size runs smaller than Text's)."""
        return MathTex(tex, font_size=size * 1.4, color=color or self.theme.text)

    def inline(self, key: str, value: float) -> str:
        """A number written inside a sentence: recorded in ``shown``, formatted like on-screen numbers."""
        self.shown[key] = float(value)
        return fmt_value(float(value))

    def pct(self, key: str, fraction: float) -> str:
        """A fraction written as a percentage inside a caption or label (an accuracy, a share),
        recorded in ``shown[key]``."""
        self.shown[key] = float(fraction)
        return fmt_percent(fraction)

    def count(self, key: str, value: int) -> str:
        """A whole number inside a caption or label, recorded in ``shown[key]``."""
        self.shown[key] = float(value)
        return fmt_whole(value)

    # -- the story: beats, captions and narration ---------------------------------------

    @contextmanager
    def beat(self, caption: Words | None, hold: float = 0.0, least: float = 0.0) -> Iterator[None]:
        """One story beat: whatever the ``with`` body plays, told by ``caption``.

        The caption is translated, split into readable cues (:func:`scenes.engine.captions.split_cues`)
        and spread over the beat in proportion to their reading time. The beat lasts as long
        as its animations plus ``hold``, at least ``least`` seconds (a pace of the story's own,
        the same in every language, whose captions read in different times), and at least as
        long as its cues take to read (or, with narration, as the spoken sentence): the picture
        waits for the reader, never the other way round. A beat with no caption (``None``)
        only plays and holds.
        """
        start = self.renderer.time
        text = self.tr(caption) if caption else ""
        if text and self.narrating:
            self.add_voiceover_text(text)
        yield
        if hold > 0:
            self.wait(hold)
        rest = least - (self.renderer.time - start)
        if rest > 1e-6:
            self.wait(rest)
        if not text:
            return
        if self.narrating:
            self.wait_for_voiceover()
        cues = split_cues(text, self.lesson.language)
        need = [reading_time(c, self.lesson.language) + CUE_GAP for c in cues]
        deficit = sum(need) - (self.renderer.time - start)
        if deficit > 1e-9:  # manim plays whole frames: round the hold up to the next frame
            self.wait((math.ceil(deficit * config.frame_rate - 1e-6) + 0.5) / config.frame_rate)
        now = self.renderer.time
        scale = (now - start) / sum(need)
        t = start
        for cue, n in zip(cues, need):
            Scene.add_subcaption(self, cue, duration=n * scale - CUE_GAP, offset=t - now)
            t += n * scale
        self.captions.append(str(caption or ""))
        self.translated_captions.append(text)
        self.beat_boundary()

    def beat_boundary(self) -> None:
        """Called after every captioned beat. Nothing happens here; the class-slides build
        (manim-slides) overrides it with ``next_slide()``, so each beat is one slide."""

    def when_said(self, caption: Words, marker: str) -> float:
        """Seconds into the beat of ``caption`` at which its translation reaches the last
        ``marker`` in it: the cues' reading times, shared out by characters. A marker the
        translation does not contain (English words) is placed where it stands in the English
        sentence, as a share of the whole; one in neither, at the start."""
        text, lang = self.tr(caption), self.lesson.language
        cues = split_cues(text, lang)
        total = sum(reading_time(c, lang) + CUE_GAP for c in cues)
        at = text.rfind(marker) if marker else 0
        if at >= 0:
            return total * count_chars(text[:at], lang) / max(1, count_chars(text, lang))
        english = str(caption)
        at = english.rfind(marker)
        return total * count_chars(english[:at], "en") / max(1, count_chars(english, "en")) if at > 0 else 0.0

    def cue_start(self, caption: Words, marker: str) -> float:
        """Seconds into the beat of ``caption`` at which the cue holding ``marker`` starts, if
        the beat lasts no longer than its cues take to read (a longer beat stretches them);
        0 if no cue holds it."""
        lang = self.lesson.language
        at = 0.0
        for cue in split_cues(self.tr(caption), lang):
            if marker in cue:
                return at
            at += reading_time(cue, lang) + CUE_GAP
        return 0.0

    def reveal(self, start: float, caption: Words, steps: Sequence[tuple[str, Sequence[Animation], float]]) -> None:
        """Play each step's animations when ``caption`` reaches its marker (or at once if later)."""
        for marker, anims, run_time in steps:
            wait = start + self.when_said(caption, marker) - self.renderer.time
            if wait > 0.05:
                self.wait(wait)
            self.play(*anims, run_time=run_time)

    def say(self, caption: Words | None, *anims: Animation, run_time: float = 1.0, hold: float = 0.0,
            least: float = 0.0, **play_kw: Any) -> None:
        """A beat of one ``play``: ``anims`` under ``caption``, then ``hold`` seconds; at least
        ``least`` seconds in all (see :meth:`beat`)."""
        with self.beat(caption, hold=hold, least=least):
            if anims:
                self.play(*anims, run_time=run_time, **play_kw)

    def play(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("subcaption"):
            raise TypeError("captions are told through LessonScene.beat/say, not play(subcaption=...)")
        super().play(*args, **kwargs)
        if PROGRESS_FILE:  # the episode command's progress bars read the seconds rendered so far
            Path(PROGRESS_FILE).write_text(f"{self.renderer.time:.2f}")

    def add_subcaption(self, content: str, duration: float = 1, offset: float = 0) -> None:
        raise TypeError("captions are told through LessonScene.beat/say, not add_subcaption")

    def tear_down(self) -> None:
        if self.narrating:
            self.wait_for_voiceover()
            self._pad_audio_to_the_end()
        super().tear_down()

    def _pad_audio_to_the_end(self) -> None:
        """Silence under the frames after the last sentence (the closing fade), so the audio
        track lasts exactly as long as the video."""
        import wave

        tracker = getattr(self, "current_tracker", None)
        spoken_until = tracker.end_t if tracker is not None else 0.0
        gap = self.renderer.time - spoken_until
        if gap <= 0:
            return
        path = Path(self.speech_service.cache_dir) / f"silence-{round(gap * 1000)}ms.wav"
        if not path.exists():
            rate = 22050
            with wave.open(str(path), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(rate)
                w.writeframes(b"\x00\x00" * round(gap * rate))
        self.add_sound(str(path), time_offset=-gap)

    # -- chapter conventions ----------------------------------------------------------

    def chapter_heading(self, title: Words, subtitle: Words | None = None) -> VGroup:
        """The chapter's number and title at the top left (the same place in every chapter, so
        clips join cleanly), with an optional one-line subtitle under it. Returned, not yet added."""
        number = next((c.number for c in CHAPTERS if c.scene == type(self).__name__), None)
        words = self.tr(title)
        if number is not None:  # captions refer to chapters by number: the heading shows it
            words = f"{number}. {words}"
        heading = label(words, self.theme, SIZE.heading, font=self.font).to_corner(UP + LEFT, buff=0.3)
        group = VGroup(heading)
        if subtitle:
            sub = self.text(subtitle, SIZE.small, color=self.theme.muted)
            sub.next_to(heading, DOWN, aligned_edge=LEFT, buff=0.18)
            group.add(sub)
        return group

    def end_chapter(self, caption: Words | None = None, run_time: float = 0.8) -> None:
        """Fade everything out to the bare background: every chapter starts and ends on it.

        manim draws frames at t = 0, 1/fps, ... but not at the animation's end, so a plain
        fade would leave its last frame faintly lit: this one completes a frame early, and
        the last frame of the chapter is the empty background. With ``manim -s`` (a poster
        of the last frame) there is no fade, so the poster shows the chapter's key picture.
        """
        if config.save_last_frame:
            return
        if caption:
            with self.beat(caption):  # the key picture holds until the closing line is read
                pass
        if self.mobjects:
            frames = max(round(run_time * config.frame_rate), 2)

            def early(t: float) -> float:
                return min(1.0, t * frames / (frames - 1))

            self.play(FadeAway(*self.mobjects), run_time=run_time, rate_func=early)


def _share_parsed_glyph_paths() -> None:
    """Copies of Text and MathTex share each glyph's parsed SVG path instead of deep-copying it.

    manim keeps, on every glyph (``VMobjectFromSVGPath.path_obj``), the svgelements path
    it read the glyph's points from, and reads it only then, when the glyph is made. Every
    Transform copies its mobjects, and deep-copying those paths took nine tenths of the time
    of a copy of text (60 ms for a caption-long Text and a formula; 5 ms shared). The points,
    colours and everything else a copy can change are still copied.
    """
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    def deepcopy_sharing_path(self: VMobjectFromSVGPath, memo: dict[int, object]) -> VMobjectFromSVGPath:
        memo[id(self.path_obj)] = self.path_obj
        return Mobject.__deepcopy__(self, memo)

    VMobjectFromSVGPath.__deepcopy__ = deepcopy_sharing_path  # type: ignore[method-assign]


_share_parsed_glyph_paths()


def _encode_held_frames_once() -> None:
    """A held picture is converted for the encoder once, not once per frame.

    manim writes a held picture (``wait``, a frozen frame) as one RGBA frame with
    ``repeat = n``; its encoder (``VideoSegmentEncoder.write_frame``) made a new PyAV frame from
    the array and had it converted to the stream's pixel format (yuv420p) for each of the n
    copies. Here the conversion is done once and the one converted frame is encoded n times
    with consecutive timestamps: the same pixels reach the encoder, and a held second at
    1080p60 costs about its encoding alone.
    """
    from fractions import Fraction

    import av
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    def write_frame(self: VideoSegmentEncoder, pixels: np.ndarray, *, repeat: int = 1) -> None:
        self._validate_frame(pixels, repeat)
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            frame = av.VideoFrame.from_ndarray(pixels, format="rgba")
            if repeat > 1:
                frame = frame.reformat(format=self._stream.pix_fmt)
            for _ in range(repeat):
                frame.pts = self._next_pts
                frame.time_base = time_base
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error

    VideoSegmentEncoder.write_frame = write_frame  # type: ignore[method-assign]


_encode_held_frames_once()


class FadeAway(Animation):
    """Fade mobjects out to nothing and remove them: FadeOut's picture, frame for frame.

    FadeOut is a Transform, which deep-copies the whole mobject twice before it starts, and
    a chapter's last picture holds hundreds of glyphs and curves. This fade copies only
    their colours' alpha values and scales them down in place.
    """

    _ALPHAS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas", "rgbas")

    def __init__(self, *mobjects: Mobject, **kwargs: Any) -> None:
        super().__init__(Group(*mobjects), remover=True, introducer=False, **kwargs)

    def create_starting_mobject(self) -> Mobject:
        return self.mobject  # nothing is interpolated from a copy: the alphas are kept instead

    def begin(self) -> None:
        self._alphas = []
        for m in self.mobject.get_family():
            for name in self._ALPHAS:
                rgbas = getattr(m, name, None)
                if isinstance(rgbas, np.ndarray) and rgbas.ndim == 2 and rgbas.shape[1] == 4:
                    self._alphas.append((rgbas, rgbas[:, 3].copy()))
            pixels = getattr(m, "pixel_array", None)
            if isinstance(pixels, np.ndarray) and pixels.ndim == 3 and pixels.shape[2] == 4:
                self._alphas.append((pixels, pixels[:, :, 3].copy()))
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        keep = 1.0 - self.rate_func(alpha)
        for array, start in self._alphas:
            array[..., 3] = start * keep

    def clean_up_from_scene(self, scene: Scene) -> None:
        super().clean_up_from_scene(scene)
        scene.remove(*self.mobject.submobjects)  # foreground ones too, which the scene re-adds on top

# after the patches above, so it times them
if os.environ.get("VG_PROFILE"):  # the render benchmark asks where the time goes (scenes.engine.profiling)
    from scenes.engine.profiling import ENV, install

    install(os.environ[ENV])
