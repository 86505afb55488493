"""Captions burned into the picture, for players and platforms that ignore caption files.

Shorts autoplay muted and some embedding places drop sidecar ``.srt`` files, so the cues a
clip was rendered with can also be drawn into its frames: bottom centre, the lesson theme's
caption text on its caption box (:class:`scenes.engine.style.Theme`; white on black in both themes),
each cue's own line breaks kept, in the project's font for the language
(:data:`scenes.engine.style.FONTS`: DejaVu Sans, Noto Sans CJK SC for Chinese). The copy is
re-encoded with PyAV (libx264, same size, same frames and timestamps); a narration track is
copied as it is. Frames outside every cue go to the encoder untouched.

    burn_captions(Path("clip.mp4"), Path("clip.srt"), Path("clip-captioned.mp4"), "en")

Shared by the vertical short (:mod:`scenes.short`, whose captions are always burned in) and
the episode pipeline (``burn_captions = true`` in a lesson), so it lives outside the pipeline;
``python -m scenes.episode.burn`` burns one clip from the command line.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import av
import numpy as np
import srt as srtlib
from PIL import Image, ImageColor, ImageDraw, ImageFont

from scenes.engine.atomic import atomic_path
from scenes.engine.style import FONTS, THEMES

#: Text height (font size in pixels) as a share of the frame's shorter side.
TEXT_SHARE = 0.045
#: The widest a caption box may be, as a share of the frame's width (text shrinks to fit).
MAX_WIDTH_SHARE = 0.92
#: Default distance of the box's bottom from the frame's bottom, as a share of the height.
BOTTOM_SHARE = 0.06
#: The opacity (0-255) of the box (the theme's ``caption_box``) behind the text.
BOX_ALPHA = 190
#: x264 quality: 18 is visually lossless for flat explainer frames.
CRF = "18"


@cache
def font_file(lang: str) -> tuple[str, int]:
    """The file (and face index, for .ttc collections) of the language's font, via fontconfig."""
    family = FONTS.get(lang, FONTS["en"])
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", family], capture_output=True, text=True,
                             check=True, timeout=20).stdout
        path, _, index = out.partition("|")
        if path and Path(path).exists():
            return path, int(index or 0)
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    raise FileNotFoundError(f"font {family!r} for {lang} captions is not installed (Debian: fonts-dejavu-core, "
                            "fonts-noto-cjk)")


@dataclass(frozen=True)
class CuePatch:
    """One cue drawn once: an RGBA image and where its top-left corner goes in the frame."""

    image: np.ndarray  # (h, w, 4) uint8
    x: int
    y: int

    @property
    def box(self) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in frame pixels: the only pixels the cue changes."""
        h, w = self.image.shape[:2]
        return self.x, self.y, self.x + w, self.y + h


def cue_patch(text: str, width: int, height: int, lang: str, *, bottom: float = BOTTOM_SHARE,
              theme: str = "dark") -> CuePatch:
    """``text`` (lines split at its ``\\n``) as a captioned box for a ``width`` x ``height`` frame,
    in the caption colours of ``theme`` (a name in :data:`scenes.engine.style.THEMES`)."""
    colours = THEMES[theme]
    box_rgb, text_rgb = ImageColor.getrgb(colours.caption_box), ImageColor.getrgb(colours.caption_text)
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()] or [""]
    path, index = font_file(lang)
    size = max(10, round(min(width, height) * TEXT_SHARE))
    while True:
        font = ImageFont.truetype(path, size, index=index)
        widths = [font.getlength(line) for line in lines]
        if max(widths) <= width * MAX_WIDTH_SHARE - size or size <= 10:
            break
        size = max(10, int(size * (width * MAX_WIDTH_SHARE - size) / max(widths)))
    ascent, descent = font.getmetrics()
    line_h = round((ascent + descent) * 1.08)
    pad_x, pad_y = round(size * 0.5), round(size * 0.3)
    box_w = min(width, round(max(widths)) + 2 * pad_x)
    box_h = min(height, line_h * len(lines) + 2 * pad_y)
    img = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((0, 0, box_w - 1, box_h - 1), radius=round(size * 0.3), fill=(*box_rgb, BOX_ALPHA))
    for i, (line, w) in enumerate(zip(lines, widths)):
        draw.text(((box_w - w) / 2, pad_y + i * line_h), line, font=font, fill=(*text_rgb, 255))
    x = (width - box_w) // 2
    y = max(0, height - round(height * bottom) - box_h)
    return CuePatch(np.asarray(img), x, y)


def _composite(rgb: np.ndarray, patch: CuePatch) -> np.ndarray:
    """``rgb`` with ``patch`` alpha-blended over its box (a new array)."""
    out = rgb.copy()
    x0, y0, x1, y1 = patch.box
    region = out[y0:y1, x0:x1].astype(np.float32)
    alpha = patch.image[..., 3:4].astype(np.float32) / 255.0
    region = region * (1 - alpha) + patch.image[..., :3].astype(np.float32) * alpha
    out[y0:y1, x0:x1] = np.clip(region + 0.5, 0, 255).astype(np.uint8)
    return out


def read_cues(srt: Path) -> list[tuple[float, float, str]]:
    """(start, end, text) of every cue of an .srt file, in order (none when the file does not exist)."""
    if not srt.exists():
        return []
    return sorted((c.start.total_seconds(), c.end.total_seconds(), c.content)
                  for c in srtlib.parse(srt.read_text(encoding="utf-8")))


def burn_captions(video: Path, srt: Path, out: Path, lang: str, *, bottom: float = BOTTOM_SHARE,
                  theme: str = "dark") -> Path:
    """Write ``out``: ``video`` with every cue of ``srt`` drawn into its frames while it is up.

    ``lang`` picks the font and ``theme`` (the lesson's) the colours; ``bottom`` is the gap
    under the caption box as a share of the frame's height (shorts keep it clear of the
    platform's buttons with a larger one).
    Same size, frame count and frame timestamps as ``video``; audio copied. Written to a
    temporary name beside ``out`` and renamed, so ``out`` is never half-written.
    """
    video, srt, out = Path(video), Path(srt), Path(out)
    cues = read_cues(srt)
    patches: dict[int, CuePatch] = {}
    with atomic_path(out) as tmp:
        with av.open(str(video)) as src, av.open(str(tmp), "w", format="mp4") as dst:
            v = src.streams.video[0]
            width, height = v.codec_context.width, v.codec_context.height
            rate = v.average_rate or v.guessed_rate or 15
            o = dst.add_stream("libx264", rate=rate)
            o.width, o.height, o.pix_fmt = width, height, "yuv420p"
            o.time_base = v.time_base
            o.options = {"crf": CRF, "preset": "veryfast"}
            a = src.streams.audio[0] if src.streams.audio else None
            astream = dst.add_stream_from_template(a) if a is not None else None

            def encode(frame: av.VideoFrame | None) -> None:
                for pkt in o.encode(frame):
                    dst.mux(pkt)

            index = 0
            for pkt in src.demux(*([v, a] if a is not None else [v])):
                if pkt.stream.type == "audio":
                    if pkt.dts is None:
                        continue
                    pkt.stream = astream
                    dst.mux(pkt)
                    continue
                for frame in pkt.decode():
                    t = frame.time if frame.time is not None else index / float(rate)
                    index += 1
                    active = next((i for i, (s, e, _) in enumerate(cues) if s - 1e-6 <= t < e - 1e-6), None)
                    if active is None:
                        new = frame.reformat(format="yuv420p")
                    else:
                        if active not in patches:
                            patches[active] = cue_patch(cues[active][2], width, height, lang, bottom=bottom,
                            theme=theme)
                        rgb = _composite(frame.to_ndarray(format="rgb24"), patches[active])
                        new = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
                    new.pts, new.time_base = frame.pts, frame.time_base
                    encode(new)
            encode(None)
    return out
