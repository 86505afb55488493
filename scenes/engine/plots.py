"""Pieces of the episode's charts that several chapters draw: a vertical log scale with its
decade lines (the per-layer bar charts of chapters 6, 7, 10 and 12), and the epoch plot of a
training run (chapters 8 and 11). Each returns mobjects a chapter places and animates as it
likes; the look (colours, line widths, dashes) is decided here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from manim import DOWN, LEFT, Axes, DashedLine, Line, ManimColor, VGroup, VMobject

from scenes.engine.i18n import Words
from scenes.engine.style import SIZE, Theme, log_tick, tick_step

if TYPE_CHECKING:
    from scenes.engine.common import LessonScene


@dataclass(frozen=True)
class LogScale:
    """A vertical log axis: 10^lo sits at height ``base`` and 10^hi at ``base + height``."""

    lo: int
    hi: int
    base: float
    height: float

    def y(self, exponent: float) -> float:
        """The height of 10^exponent (``exponent`` may be a log10 of any positive value)."""
        return self.base + self.height * (exponent - self.lo) / (self.hi - self.lo)

    def baseline(self, left: float, right: float, theme: Theme) -> Line:
        """The line the bars stand on, from x = ``left`` to ``right``."""
        return Line([left, self.base, 0], [right, self.base, 0], stroke_color=theme.muted, stroke_width=1.5)

    def decade_lines(self, left: float, right: float, theme: Theme) -> list[DashedLine]:
        """A faint dashed line at every power of ten above the base, from x = ``left`` to ``right``."""
        return [DashedLine([left, self.y(k), 0], [right, self.y(k), 0], stroke_color=theme.edge, stroke_width=1,
                           dash_length=0.06)
                for k in range(self.lo + 1, self.hi + 1)]


def epoch_axes(epochs: int, y_range: tuple[float, float, float], theme: Theme, *, x_length: float,
               y_length: float, center: tuple[float, float]) -> Axes:
    """Axes with epochs 0 .. ``epochs`` along x (at most five intervals), their plot area
    centred at ``center``; y as ``y_range`` (a log axis gives log10 of its values)."""
    axes = Axes(
        x_range=(0, epochs, tick_step(epochs)),
        y_range=y_range,
        x_length=x_length,
        y_length=y_length,
        tips=False,
        axis_config={"stroke_color": theme.muted, "stroke_width": 2, "include_ticks": True, "tick_size": 0.05},
    )
    axes.move_to([center[0], center[1], 0])
    return axes


def epoch_labels(scene: LessonScene, axes: Axes, epochs: int, name: Words, *, buff: float,
                 name_buff: float) -> VGroup:
    """The epoch numbers under the ticks of ``axes`` (``buff`` below the axis) and the axis's
    ``name`` under them (``name_buff`` below), in the scene's muted small text."""
    muted = scene.theme.muted
    ticks = VGroup(*[scene.text(str(e), SIZE.small, color=muted).next_to(axes.c2p(e, axes.y_range[0]), DOWN, buff=buff)
                     for e in range(0, epochs + 1, tick_step(epochs))])
    return VGroup(ticks, scene.text(name, SIZE.small, color=muted).next_to(ticks, DOWN, buff=name_buff))


def log_tick_labels(axes: Axes, lo: int, labelled: Sequence[int], theme: Theme, *, buff: float) -> VGroup:
    """10^k labels left of the y axis of ``axes``, whose y is log10 of the value minus ``lo``."""
    return VGroup(*[log_tick(k, theme).next_to(axes.c2p(0, k - lo), LEFT, buff=buff) for k in labelled])


def polyline(points: Sequence[np.ndarray], color: ManimColor | str, width: float) -> VMobject:
    """A line through ``points`` (scene coordinates) with straight segments."""
    return VMobject(stroke_color=color, stroke_width=width).set_points_as_corners(points)
