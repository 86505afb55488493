"""What a video platform needs beside the episode: ``description.txt`` and ``thumbnail.png``.

- ``description.txt``: the title, a two-paragraph summary, and the chapter list as the
  timestamps video platforms turn into chapters (``0:00 1. A puzzle``: the first at 0:00,
  each chapter at least 10 seconds long), read from the episode's own chapter markers; in
  the lesson's language.
- ``thumbnail.png``: 1280x720, under 2 MB, the gradient-fading chapter's key picture with
  the title large enough to read at 320 px wide.

The caption files (``episode.srt``/``.vtt``) are already beside them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont

from scenes.engine.atomic import atomic_path, write_atomically
from scenes.engine.i18n import t, translate
from scenes.engine.lesson import Lesson
from scenes.engine.style import FONTS, THEMES
from scenes.episode.media import read_chapters
from scenes.episode.progress import fmt_seconds

THUMB_SIZE = (1280, 720)
THUMB_MAX_BYTES = 2_000_000
#: Video platforms make chapters from timestamps only when each is at least this long.
MIN_CHAPTER = 10.0

SUMMARY = (
    t("Why were deep fully-connected neural networks so hard to train with back propagation? "
      "This episode follows the gradient from the output back to the first layer, one factor per "
      "layer, and shows it fading (or exploding) in real nets: every number on screen is computed "
      "at render time by a small NumPy simulator, and checked by tests."),
    t("It starts from one neuron and the cost of one handwritten digit, measures how little the "
      "first layers of a deep sigmoid net learn, and ends with the fixes: starting weights scaled "
      "to each layer's fan-in, ReLU, and what came after (residual connections, batch "
      "normalisation, gradient clipping, LSTMs)."),
)


def chapter_lines(episode: Path) -> list[str]:
    """``0:00 1. A puzzle`` for every chapter marker of the episode, in order."""
    marks = read_chapters(episode)
    short = [title for start, end, title in marks if end - start < MIN_CHAPTER]
    if short:
        raise ValueError(f"chapters shorter than {MIN_CHAPTER:.0f} s cannot be platform chapters: {short}")
    return [f"{fmt_seconds(start)} {title}" for start, _, title in marks]


def write_description(path: Path, lesson: Lesson, episode: Path) -> None:
    """Title, summary and chapter timestamps, in the lesson's language, written atomically."""
    lang = lesson.language
    lines = [lesson.title, "", *[translate(p, lang) for p in SUMMARY[:1]], "", translate(SUMMARY[1], lang), "",
             translate(t("Chapters:"), lang), *chapter_lines(episode)]
    write_atomically(path, "\n".join(lines) + "\n")


def _font_file(lang: str) -> str:
    family = FONTS.get(lang, FONTS["en"])
    return subprocess.run(["fc-match", "-f", "%{file}", f"{family}:bold"], capture_output=True, text=True,
                          timeout=30).stdout.strip()


def write_thumbnail(path: Path, picture: Path, title: str, lang: str, *, theme: str) -> None:
    """A 1280x720 PNG: ``picture`` shaded at the top under ``title`` in large letters, in the
    caption colours of the lesson's ``theme`` (:class:`scenes.engine.style.Theme`)."""
    colours = THEMES[theme]
    base = Image.open(picture).convert("RGB").resize(THUMB_SIZE, Image.Resampling.LANCZOS)
    shade = Image.new("RGB", THUMB_SIZE, ImageColor.getrgb(colours.caption_box))
    mask = Image.new("L", THUMB_SIZE, 0)
    ImageDraw.Draw(mask).rectangle([0, 0, THUMB_SIZE[0], 250], fill=230)
    base.paste(shade, (0, 0), mask)
    draw = ImageDraw.Draw(base)
    size = 104
    font = ImageFont.truetype(_font_file(lang), size)
    while draw.textlength(title, font=font) > THUMB_SIZE[0] - 80 and size > 48:
        size -= 4
        font = ImageFont.truetype(_font_file(lang), size)
    draw.text((40, 125), title, font=font, fill=ImageColor.getrgb(colours.caption_text), anchor="lm")
    with atomic_path(path) as tmp:
        base.save(tmp, format="PNG", optimize=True)
        if tmp.stat().st_size > THUMB_MAX_BYTES:  # a busy picture: fewer colours keep it small
            base.quantize(colors=256).save(tmp, format="PNG", optimize=True)
