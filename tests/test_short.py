"""The vertical short (scenes/short.py): its numbers, length, language and portrait layout.

The scene is dry-run (nothing rendered) on the default lesson, its Chinese version and the
relu-he fix; every number it records in ``shown`` must equal netsim's, the short must last
45 to 60 s, every caption must be readable in time and, in Chinese, translated. At every
beat boundary nothing may stand below the band the burned-in captions use, nor outside
the portrait frame. The end-to-end test renders, burns and checks the file (marked render).
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from manim import config, tempconfig

from scenes.engine.captions import problems
from scenes.engine.chapters import CHAPTERS
from scenes.engine.drawn import gradient_picture
from scenes.engine.i18n import Words
from scenes.engine.lesson import LESSONS_DIR, load_lesson
from scenes.short import CONTENT_FLOOR, FRAME_WIDTH, VerticalShort, fading_experiment, rectangle_experiment

LESSONS = {"en": LESSONS_DIR / "default.toml", "zh": LESSONS_DIR / "zh.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
#: Latin words a Chinese short may show: symbols and names the chapters' catalogue keeps too.
ALLOWED_LATIN = {"dC", "db"}


class Checked(VerticalShort):
    """The short, recording its on-screen words, the shortest each beat may last and, at every
    beat boundary, what is out of place."""

    def __init__(self, **kw: Any) -> None:
        self.words: list[str] = []
        self.misplaced: list[str] = []
        self.floors: list[float] = []
        super().__init__(**kw)

    def beat(self, caption: Words | None, hold: float = 0.0, least: float = 0.0) -> Any:
        self.floors.append(least)
        return super().beat(caption, hold=hold, least=least)

    def text(self, words: Words, *args: Any, **kw: Any) -> Any:
        shown = super().text(words, *args, **kw)
        self.words.append(shown.text)
        return shown

    def beat_boundary(self) -> None:
        half_w, half_h = config.frame_width / 2, config.frame_height / 2
        for m in self.mobjects:
            if not m.has_points() and not m.submobjects:
                continue
            left, right = m.get_left()[0], m.get_right()[0]
            bottom, top = m.get_bottom()[1], m.get_top()[1]
            if bottom < CONTENT_FLOOR - 1e-6 or top > half_h or left < -half_w or right > half_w:
                self.misplaced.append(f"{self.captions[-1]!r}: {type(m).__name__} spans x {left:.2f}..{right:.2f}, "
                                      f"y {bottom:.2f}..{top:.2f}")


@cache
def dry(name: str) -> Checked:
    with tempconfig({"dry_run": True, "quality": "low_quality", "disable_caching": True, "progress_bar": "none"}):
        scene = Checked(lesson=load_lesson(LESSONS[name]))
        scene.render()
        scene.frame = (config.pixel_width, config.pixel_height, config.frame_width, config.frame_height)
    return scene


def cues(scene: Checked) -> list[tuple[str, float, float]]:
    return [(c.content, c.start.total_seconds(), c.end.total_seconds()) for c in scene.renderer.file_writer.subcaptions]


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_equals_netsim(name: str) -> None:
    scene = dry(name)
    rect, fade = rectangle_experiment(), fading_experiment(scene.lesson)
    shown = scene.shown
    assert [shown[f"area_{k}"] for k in range(4)] == list(rect.areas)
    assert [shown[f"area_{k}"] for k in range(4)] == [1, Fraction(1, 4), Fraction(1, 12), Fraction(1, 48)]
    assert all(isinstance(shown[f"area_{k}"], Fraction) for k in range(4))  # exact, not floats
    assert [shown[f"multiplier_{k}"] for k in (1, 2, 3)] == list(rect.multipliers)
    assert shown["sizes"] == [float(n) for n in scene.lesson.sizes]
    hidden = fade.last_hidden
    # bars for the hidden layers only: the output layer is not compared
    assert sorted(k for k in shown if k.startswith("norm_")) == sorted(f"norm_{l}" for l in range(1, hidden + 1))
    for l in range(1, hidden + 1):
        assert shown[f"norm_{l}"] == float(fade.bias_norms[l - 1])
    assert shown["factor"] == fade.factor
    assert shown["ratio"] == fade.ratio_rounded
    ratio = fade.bias_norms[hidden - 1] / fade.bias_norms[0]  # last hidden over first hidden
    assert shown["ratio"] == pytest.approx(float(ratio), rel=0.05)
    edges = gradient_picture(fade).edge_grads  # the engine's picture of netsim's numbers
    for l in range(1, fade.depth + 1):
        assert shown[f"edges_W{l}"] == [float(v) for v in edges[l - 1].ravel()]
    assert shown["chapters"] == len(CHAPTERS)


def test_the_default_lesson_vanishes_by_about_120() -> None:
    """The numbers the short is about, for the default lesson (netsim's, pinned)."""
    shown = dry("en").shown
    assert shown["factor"] == 120.0
    assert shown["norm_1"] == pytest.approx(0.0027644305734099454)
    assert shown["norm_4"] == pytest.approx(0.33793608331747876)


@pytest.mark.parametrize("name", list(LESSONS))
def test_length_and_readable_captions(name: str) -> None:
    scene = dry(name)
    assert 45.0 <= scene.renderer.time <= 60.0, f"{name}: {scene.renderer.time:.1f} s"
    found = cues(scene)
    assert found
    lang = scene.lesson.language
    assert not problems([(t, e - s) for t, s, e in found], lang)
    for (_, _, end), (text, start, _) in zip(found, found[1:]):
        assert start >= end, f"{text!r} overlaps the cue before it"
    assert found[-1][0].startswith("Full episode" if lang == "en" else "完整视频")


def test_pace_is_the_same_in_both_languages() -> None:
    """Every beat is given the shortest it lasts (so the shorter Chinese captions don't rush the
    picture), the same in both languages: that floor alone keeps any language's short within
    45 to 60 s."""
    en, zh = dry("en"), dry("zh")
    assert abs(en.renderer.time - zh.renderer.time) < 3.0
    assert en.floors == zh.floors and all(f > 0 for f in en.floors)
    floor = sum(en.floors)
    assert 45.0 <= floor and min(en.renderer.time, zh.renderer.time) >= 45.0


@pytest.mark.parametrize("name", ["zh"])
def test_chinese_is_all_translated(name: str) -> None:
    scene = dry(name)
    assert scene.untranslated == set()
    for text in [c for c, _, _ in cues(scene)] + scene.words:
        stray = set(LATIN_WORD.findall(text)) - ALLOWED_LATIN
        assert not stray, f"English left in {text!r}: {sorted(stray)}"


@pytest.mark.parametrize("name", list(LESSONS))
def test_portrait_frame_and_clear_caption_band(name: str) -> None:
    scene = dry(name)
    pw, ph, fw, fh = scene.frame
    assert (pw, ph) == (480, 854)  # -ql's 854x480, turned upright
    assert fw == FRAME_WIDTH and fh == pytest.approx(FRAME_WIDTH * 854 / 480)
    assert scene.misplaced == []
    assert config.pixel_width > config.pixel_height  # the global config is left as it was


@pytest.mark.render
def test_make_short_end_to_end(tmp_path: Path) -> None:
    """Render at preview quality, burn, and check the files a user gets."""
    import srt as srtlib

    from scenes.engine.burn import cue_patch
    from scenes.episode.media import clip_info, frame_at
    from scenes.short import CAPTION_BOTTOM, make_short

    out = make_short(LESSONS["en"], tmp_path, preview=True)
    assert out == tmp_path / "short.mp4" and (tmp_path / "short.srt").exists()
    info = clip_info(out)
    assert (info.width, info.height) == (480, 854)
    assert 45.0 <= info.duration <= 60.0
    cue = list(srtlib.parse((tmp_path / "short.srt").read_text(encoding="utf-8")))[0]
    mid = (cue.start.total_seconds() + cue.end.total_seconds()) / 2
    frame = np.asarray(frame_at(out, mid).convert("L"), dtype=float)
    x0, y0, x1, y1 = cue_patch(cue.content, 480, 854, "en", bottom=CAPTION_BOTTOM).box
    box = frame[y0:y1, x0:x1]
    assert (box > 200).mean() > 0.03, "no caption text burned in"
    assert not list(tmp_path.glob(".*")), "temporary files left behind"
