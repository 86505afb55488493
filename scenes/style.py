"""The one visual vocabulary every scene shares: palette, fonts, sizes, the gradient
colour scale with its legend, and number formatting (including overflow).

Colours of gradient magnitudes follow viridis, which is perceptually uniform and readable
by colour-blind viewers; small gradients are dark, large ones bright, so layers whose
gradients vanish visibly go dark. Overflow has its own colour and is always also written
out as a word.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from manim import (
    LEFT,
    UP,
    ManimColor,
    Rectangle,
    Text,
    VGroup,
    interpolate_color,
)

from netsim.format import fmt_log10, fmt_value, sci_parts

__all__ = [
    "FONT",
    "FONTS",
    "SIZE",
    "Theme",
    "THEMES",
    "GradientScale",
    "fmt_value",
    "fmt_log10",
    "sci_parts",
    "label",
    "power_of_ten_tex",
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


@dataclass(frozen=True)
class Theme:
    """Colours of one theme. ``forward`` is the forward pass, ``backward`` back prop."""

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


THEMES: dict[str, Theme] = {
    "dark": Theme(
        name="dark",
        background="#101318",
        text="#ECEFF4",
        muted="#8A93A3",
        neuron_fill="#1E2430",
        neuron_stroke="#C8CED8",
        edge="#3A4150",
        forward="#56B4E9",   # Okabe-Ito sky blue
        backward="#E69F00",  # Okabe-Ito orange
        good="#009E73",      # Okabe-Ito bluish green
        warn="#F0E442",      # Okabe-Ito yellow
        overflow="#D55E00",  # Okabe-Ito vermillion
    ),
    "light": Theme(
        name="light",
        background="#FAFAF7",
        text="#1B1F27",
        muted="#5F6675",
        neuron_fill="#FFFFFF",
        neuron_stroke="#2B303B",
        edge="#C5CAD3",
        forward="#0072B2",
        backward="#D55E00",
        good="#009E73",
        warn="#B8860B",
        overflow="#CC3311",
    ),
}

# viridis sampled at 9 evenly spaced points (matplotlib's table); interpolated linearly.
VIRIDIS = [
    "#440154", "#472C7A", "#3B518B", "#2C718E", "#21908D",
    "#27AD81", "#5CC863", "#AADC32", "#FDE725",
]


def viridis(t: float) -> ManimColor:
    """The viridis colour at t in [0, 1] (clipped)."""
    t = min(max(float(t), 0.0), 1.0) * (len(VIRIDIS) - 1)
    i = min(int(t), len(VIRIDIS) - 2)
    return interpolate_color(ManimColor(VIRIDIS[i]), ManimColor(VIRIDIS[i + 1]), t - i)


def label(text: str, theme: Theme, size: int = SIZE.label, color: str | None = None, **kw: object) -> Text:
    """A Text in the project's font (or the ``font`` given) and the theme's text colour.

    The same words are drawn many times in a chapter (labels, ticks, captions of panels):
    manim's SVG cache keeps each one's parsed glyphs and hands out copies, instead of
    reading the SVG again (Text turns that cache off by default, as copies used to be slow;
    see ``scenes.common._share_parsed_glyph_paths``).
    """
    kw.setdefault("font", FONT)
    kw.setdefault("use_svg_cache", True)
    return Text(text, font_size=size, color=color or theme.text, **kw)


def power_of_ten_tex(exponent: int) -> str:
    """LaTeX for 10^exponent."""
    return rf"10^{{{exponent}}}"


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

    def legend(self, theme: Theme, title: str = "|dC/dw|", height: float = 3.0) -> VGroup:
        """A vertical colour bar with a tick label at every power of ten (at most 7 labels)."""
        # One rectangle filled with viridis as a smooth linear gradient (cairo draws it),
        # bottom (small gradients, dark) to top: no visible steps at any resolution.
        bar = Rectangle(width=0.28, height=height, stroke_width=0)
        bar.set_fill(color=[ManimColor(c) for c in VIRIDIS], opacity=1)
        bar.set_sheen_direction(UP)
        decades = list(range(self.lo, self.hi + 1))
        stride = max(1, math.ceil(len(decades) / 7))
        ticks = VGroup()
        for k in decades[::stride]:
            t = label(f"1e{k}", theme, SIZE.small)
            y = bar.get_bottom()[1] + height * (k - self.lo) / (self.hi - self.lo)
            t.move_to([bar.get_right()[0] + 0.15 + t.width / 2, y, 0])
            ticks.add(t)
        # Above the bar and above the top tick label, whose upper half rises past the bar.
        heading = label(title, theme, SIZE.small).next_to(VGroup(bar, ticks), UP, buff=0.2)
        heading.align_to(bar, LEFT)
        group = VGroup(bar, ticks, heading)
        return group


def value_label(value: float, theme: Theme, size: int = SIZE.label, underflow: bool = False,
                font: str = FONT) -> Text:
    """A number as on-screen text; overflow is written out and coloured as overflow."""
    text = fmt_value(value, underflow=underflow)
    color = theme.overflow if math.isinf(value) else theme.text
    return label(text, theme, size, color=color, font=font)



