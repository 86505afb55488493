"""The one visual vocabulary every scene shares: palette, fonts, sizes, the gradient
colour scale with its legend, and number formatting (including overflow).

Colours of gradient magnitudes follow viridis, which is perceptually uniform and readable
by colour-blind viewers; small gradients are dark, large ones bright, so layers whose
gradients vanish visibly go dark. Overflow has its own colour and is always also written
out as a word.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from manim import (
    LEFT,
    UP,
    Axes,
    DashedLine,
    ManimColor,
    MathTex,
    Rectangle,
    Text,
    VGroup,
    interpolate_color,
)

from netsim.format import fmt_log10, fmt_ratio, fmt_value, sci_parts

__all__ = [
    "FONT",
    "FONTS",
    "SIZE",
    "SUBTITLE_BAND_TOP",
    "Theme",
    "THEMES",
    "GradientScale",
    "fmt_value",
    "fmt_ratio",
    "fmt_log10",
    "sci_parts",
    "label",
    "baseline_of",
    "power_of_ten_tex",
    "log_tick",
    "log_ticks",
    "spread",
    "cut_piece",
]

FONT = "DejaVu Sans"
#: The font of each caption language (Noto Sans CJK comes from Debian's fonts-noto-cjk).
FONTS = {"en": FONT, "zh": "Noto Sans CJK SC"}


@dataclass(frozen=True)
class Sizes:
    """Font sizes that stay legible at 480p (the frame is 854 px wide there)."""

    title: int = 44
    heading: int = 34
    body: int = 28
    label: int = 24
    small: int = 20


SIZE = Sizes()

#: The top of the frame's bottom tenth (scene units; the frame is 8 tall, centred on 0): video
#: players draw subtitles there, so text the narration relies on stays above it.
SUBTITLE_BAND_TOP = -3.2


@dataclass(frozen=True)
class Theme:
    """Colours of one theme. ``forward`` is the forward pass, ``backward`` back prop.

    The pages and files made around the episode take theirs from here too: the gallery
    (background, text, muted, edge for rules, forward for links, ``panel`` behind code,
    buttons and videos) and the captions burned into clips and the thumbnail's title
    (``caption_text`` on ``caption_box``, drawn partly transparent over the picture).
    """

    name: str
    background: str
    text: str
    muted: str
    neuron_fill: str
    neuron_stroke: str
    edge: str
    forward: str
    backward: str
    good: str
    warn: str
    overflow: str
    #: Behind code, buttons and videos on the pages made around the episode (the gallery).
    panel: str
    #: Burned-in captions and the thumbnail's title: this text on a partly transparent box of
    #: ``caption_box``. White on black in both themes: it reads over any picture, light or dark.
    caption_text: str
    caption_box: str
    #: One colour per net, the same in every chapter that draws it (see :meth:`net`).
    nets: tuple[tuple[str, str], ...] = ()

    def net(self, key: str) -> str:
        """The colour of one of the episode's nets: "deep" (the deep sigmoid net with
        Nielsen's start, the problem), "shallow" (one hidden layer), "tanh" (the deep net
        with tanh and Xavier's start), "relu" (ReLU and He's start), "skips" (residual)."""
        colours = dict(self.nets)
        if key not in colours:
            raise KeyError(f"net colour {key!r} is unknown; allowed: {', '.join(colours)}")
        return colours[key]


THEMES: dict[str, Theme] = {
    "dark": Theme(
        name="dark",
        background="#101318",
        text="#ECEFF4",
        muted="#BAC2CE",     # grey labels: legible at 480p on the background (lighter since round 39)
        neuron_fill="#1E2430",
        neuron_stroke="#C8CED8",
        edge="#3A4150",
        forward="#56B4E9",   # Okabe-Ito sky blue
        backward="#E69F00",  # Okabe-Ito orange
        good="#009E73",      # Okabe-Ito bluish green
        warn="#F0E442",      # Okabe-Ito yellow
        overflow="#D55E00",  # Okabe-Ito vermillion
        panel="#1E2430",
        caption_text="#FFFFFF",
        caption_box="#000000",
        # Okabe-Ito too: distinct for colour-blind viewers, and none of them is grey
        nets=(("deep", "#E69F00"), ("shallow", "#56B4E9"), ("tanh", "#CC79A7"), ("relu", "#009E73"),
              ("skips", "#F0E442")),
    ),
    "light": Theme(
        name="light",
        background="#FAFAF7",
        text="#1B1F27",
        muted="#4F5563",
        neuron_fill="#FFFFFF",
        neuron_stroke="#2B303B",
        edge="#C5CAD3",
        forward="#0072B2",
        backward="#D55E00",
        good="#009E73",
        warn="#B8860B",
        overflow="#CC3311",
        panel="#ECEEF2",
        caption_text="#FFFFFF",
        caption_box="#000000",
        nets=(("deep", "#D55E00"), ("shallow", "#0072B2"), ("tanh", "#AA4499"), ("relu", "#009E73"),
              ("skips", "#B8860B")),
    ),
}

# viridis from 0.2 to 1 (matplotlib's table, interpolated), 9 evenly spaced points;
# interpolated linearly. Its darkest fifth (near-black purple) is left out: on the dark
# background the faint gradients the episode is about would vanish into it.
VIRIDIS = [
    "#3F4284", "#345D8C", "#29778D", "#21908D", "#25A783",
    "#46BD6F", "#7BD04F", "#BADE2F", "#FDE725",
]


def viridis(t: float) -> ManimColor:
    """The viridis colour at t in [0, 1] (clipped)."""
    t = min(max(float(t), 0.0), 1.0) * (len(VIRIDIS) - 1)
    i = min(int(t), len(VIRIDIS) - 2)
    return interpolate_color(ManimColor(VIRIDIS[i]), ManimColor(VIRIDIS[i + 1]), t - i)


#: Glyphs whose bottom is the baseline: a text sits on a line by the first of them (a
#: Chinese character's bottom is close enough to it): :func:`baseline_of`.
ON_LINE = set("0123456789abcdefhiklmnorstuvwxzABCDEFGHIJKLMNOPRSTUVWXYZ")
CJK_GLYPH = re.compile("[\u4e00-\u9fff]")


def baseline_of(cell: Text) -> float:
    """The y of ``cell``'s first line's baseline: the bottom of its first glyph without a descender
    (its own bottom if it has none); for a line that starts in Chinese, the lowest bottom of that
    line's Chinese characters, as some (一, 二, 上) stop above the line (a Text keeps no line
    breaks: the line's characters are those less than 0.6 of a character's height below the
    first). A Text's glyphs are its characters other than spaces."""
    glyphs = [c for c in cell.text if not c.isspace()]
    for glyph, part in zip(glyphs, cell):
        if CJK_GLYPH.match(glyph):
            chinese = [p for g, p in zip(glyphs, cell) if CJK_GLYPH.match(g)]
            em = max(p.height for p in chinese)
            first = float(part.get_bottom()[1])
            return min(b for b in (float(p.get_bottom()[1]) for p in chinese) if b > first - 0.6 * em)
        if glyph in ON_LINE:
            return float(part.get_bottom()[1])
    return float(cell.get_bottom()[1])


def label(text: str, theme: Theme, size: int = SIZE.label, color: str | None = None, **kw: object) -> Text:
    """A Text in the project's font (or the ``font`` given) and the theme's text colour.

    The same words are drawn many times in a chapter (labels, ticks, captions of panels):
    manim's SVG cache keeps each one's parsed glyphs and hands out copies, instead of
    reading the SVG again (Text turns that cache off by default, as copies used to be slow;
    see ``scenes.engine.common._share_parsed_glyph_paths``).
    """
    kw.setdefault("font", FONT)
    kw.setdefault("use_svg_cache", True)
    if kw["font"] != FONT and "‖" in text:  # a CJK font's ‖ is a wide pair of strokes, not a norm's bars
        kw["t2f"] = {"‖": FONT, **kw.get("t2f", {})}
    return Text(text, font_size=size, color=color or theme.text, **kw)


def power_of_ten_tex(exponent: int) -> str:
    """LaTeX for 10^exponent."""
    return rf"10^{{{exponent}}}"


def log_tick(exponent: int, theme: Theme, size: int = SIZE.small) -> MathTex:
    """The label of a log axis's tick at 10^exponent: every log axis of the episode labels its
    ticks this way (chapter 6 says once what a step of the axis means)."""
    return MathTex(power_of_ten_tex(exponent), font_size=size * 1.4, color=theme.muted)


def epoch_band(axes: Axes, first: float, last: float, theme: Theme) -> Rectangle:
    """A faint band over epochs ``first`` .. ``last`` of a training plot's ``axes``, the full plot
    height: the epochs a ratio averages (chapter 8's plateau, and the same epochs in chapter 11)."""
    lo, hi = axes.c2p(first, axes.y_range[0]), axes.c2p(last, axes.y_range[1])
    band = Rectangle(width=hi[0] - lo[0], height=hi[1] - lo[1], stroke_width=0, fill_color=theme.muted,
                     fill_opacity=0.16)
    return band.move_to((lo + hi) / 2)


def tick_step(epochs: int) -> int:
    """A round step between the epoch ticks of a training plot's axis giving at most five intervals."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if epochs / step <= 5:
            return step
    return epochs


def log_ticks(lo: int, hi: int, most: int = 8) -> list[int]:
    """The exponents to label between 10^lo and 10^hi: every one when at most ``most`` fit,
    else the multiples of the smallest step of 2, 5, 10, 20, 50, ... that keeps ``most``."""
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        ticks = [k for k in range(lo, hi + 1) if k % step == 0]
        if len(ticks) <= most:
            return ticks
    return [lo, hi]


@dataclass(frozen=True)
class GradientScale:
    """Maps a gradient magnitude |g| to a colour and a stroke width on a log10 scale.

    Magnitudes at or below 10^lo take the darkest colour, at or above 10^hi the brightest;
    inf takes the theme's overflow colour and the widest stroke. Zero (underflow) is
    darkest and thinnest.
    """

    lo: int
    hi: int
    min_width: float = 0.6
    max_width: float = 5.0

    def position(self, magnitude: float) -> float:
        """Where |g| sits on the scale, 0 (10^lo) to 1 (10^hi)."""
        m = abs(float(magnitude))
        if m == 0:
            return 0.0
        if math.isinf(m):
            return 1.0
        return min(max((math.log10(m) - self.lo) / (self.hi - self.lo), 0.0), 1.0)

    def color(self, magnitude: float, theme: Theme) -> ManimColor:
        """The colour of |g|; overflow gets the theme's overflow colour."""
        if math.isinf(magnitude):
            return ManimColor(theme.overflow)
        return viridis(self.position(magnitude))

    def width(self, magnitude: float) -> float:
        """The stroke width of |g|."""
        return self.min_width + (self.max_width - self.min_width) * self.position(magnitude)

    def legend(self, theme: Theme, title: str = r"|\partial C/\partial w|", height: float = 3.0,
               most: int = 5) -> VGroup:
        """The colour bar (viridis, small = dark), its ticks labelled like every log axis of
        the episode (:func:`log_tick`: 10^k, at most ``most`` of them, :func:`log_ticks`), and
        ``title`` (TeX) above it. Returned as VGroup(bar, ticks, title)."""
        # One rectangle filled with viridis as a smooth linear gradient (cairo draws it),
        # bottom (small gradients, dark) to top: no visible steps at any resolution.
        bar = Rectangle(width=0.28, height=height, stroke_width=0)
        bar.set_fill(color=[ManimColor(c) for c in VIRIDIS], opacity=1)
        bar.set_sheen_direction(UP)
        ticks = VGroup()
        for k in log_ticks(self.lo, self.hi, most=most):
            t = log_tick(k, theme)
            y = bar.get_bottom()[1] + height * (k - self.lo) / (self.hi - self.lo)
            t.move_to([bar.get_right()[0] + 0.15 + t.width / 2, y, 0])
            ticks.add(t)
        heading = MathTex(title, font_size=SIZE.small * 1.4, color=theme.text)
        heading.next_to(VGroup(bar, ticks), UP, buff=0.2).align_to(bar, LEFT)
        return VGroup(bar, ticks, heading)


def value_label(value: float, theme: Theme, size: int = SIZE.label, underflow: bool = False,
                font: str = FONT) -> Text:
    """A number as on-screen text; overflow is written out and coloured as overflow."""
    text = fmt_value(value, underflow=underflow)
    color = theme.overflow if math.isinf(value) else theme.text
    return label(text, theme, size, color=color, font=font)


def spread(ys: list[float], gap: float) -> list[float]:
    """Label heights near ``ys`` (same order) pushed apart to at least ``gap``."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    out = list(ys)
    for a, b in zip(order, order[1:]):
        if out[b] - out[a] < gap:
            out[b] = out[a] + gap
    # centre the pushed block on the original mean so it drifts neither up nor down
    shift = (sum(ys) - sum(out)) / len(ys)
    return [y + shift for y in out]


def cut_piece(piece: tuple[float, float, float, float], multiplier: Fraction, k: int,
              color: ManimColor | str) -> tuple[VGroup, tuple[float, float, float, float]]:
    """The shrinking rectangle's k-th cut: dashed lines that split ``piece`` (left x, top y,
    width, height) into ``multiplier.denominator`` strips, vertical for odd k and horizontal
    for even k, and the part kept (``multiplier`` of it, at its left or top)."""
    x0, y1, w, h = piece
    vertical = k % 2 == 1
    cuts = VGroup()
    for i in range(1, multiplier.denominator):
        if vertical:
            x = x0 + w * i / multiplier.denominator
            cuts.add(DashedLine([x, y1, 0], [x, y1 - h, 0], color=color, stroke_width=3))
        else:
            y = y1 - h * i / multiplier.denominator
            cuts.add(DashedLine([x0, y, 0], [x0 + w, y, 0], color=color, stroke_width=3))
    kept = (x0, y1, w * float(multiplier), h) if vertical else (x0, y1, w, h * float(multiplier))
    return cuts, kept
