"""Chapter 9: exploding gradients.

The deep linear net: g(z) = z and b = 0, so y_hat = W^[L] W^[L-1] ... W^[1] x. With every
W = s I and x = (1, 1), one unit's activation is a_l[0] = s^l: for s = 1.5 it explodes
(57.67 after 10 layers, 2.59e+26 after 150), for s = 0.9 and 0.5 it vanishes. On a log
scale (the plot shows log10 |a_l[0]|, one unit) each case is a straight line. Back prop,
from the output leftwards, multiplies delta_l = W^T delta_{l+1} in the same way, so the
gradient delta_1[0] explodes or vanishes too. Deeper still, float64 itself gives up: 1.5^l
overflows to inf from layer 1751 and 0.5^l underflows to 0 from layer 1075 (the layers come
from :func:`netsim.linear.linear_net`'s flags); those places are marked "overflow" and
"underflow", with the true magnitude from the exact log track beside them.

This chapter uses only the lesson's theme: its net is the linear net above, not the
lesson's digits net, so every lesson shows the same numbers. Every number comes from
:func:`netsim.experiments.exploding.exploding` and is recorded in ``self.shown``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    UR,
    Axes,
    Circle,
    Create,
    DashedLine,
    DashedVMobject,
    Dot,
    FadeIn,
    FadeOut,
    Flash,
    Indicate,
    Line,
    MathTex,
    Rectangle,
    ReplacementTransform,
    Text,
    VGroup,
    VMobject,
    Write,
)

from netsim.experiments.exploding import ExplodingCase, ExplodingResult, exploding
from scenes.common import LessonScene, current_lesson
from scenes.lesson import Lesson
from scenes.style import SIZE, fmt_log10, fmt_value

LESSON = current_lesson()

log = logging.getLogger(__name__)

# Layout (scene units; the frame is 14.2 x 8).
FORMULA_Y = 2.3
DIAGRAM_Y = 0.6           # centre of the two units of each layer
UNIT_GAP = 0.85           # vertical distance between the two units
UNIT_RADIUS = 0.22
COLUMN_X = (-3.2, -1.4, 0.2, 1.8, 3.1, 4.4)   # x, a1, a2, a3, dots, aL
ROW_LABEL_X = -5.0
TABLE_TOP_Y = -1.45
ROW_GAP = 0.78
AXES_LEFT = -5.5
AXES_WIDTH = 8.4
AXES_BOTTOM = -3.35
AXES_HEIGHT = 5.1
PANEL_LEFT = 3.45
PANEL_TOP = 1.9
#: A tick label needs at least this much room (scene units) above the previous one.
MIN_TICK_GAP = 0.55
#: Points drawn per plotted line (a straight line on a log axis needs few).
LINE_POINTS = 76


def experiment(lesson: Lesson | None = None) -> ExplodingResult:
    """The numbers this scene shows; the same for every lesson (only the theme is the lesson's)."""
    return exploding()


def tex_number(x: float) -> str:
    """A scale as the scene writes it in LaTeX: 1.5, 0.9, 0.5."""
    return fmt_value(x)


def caption_value(x: float) -> str:
    """A value as it reads in a caption (same text as on screen)."""
    return fmt_value(x)


def y_ticks(lo: float, hi: float, height: float = AXES_HEIGHT) -> tuple[float, float, float, int]:
    """(y_min, y_max, step, label stride) of a log10 axis covering [lo, hi] in whole decades."""
    for step in (5, 10, 20, 50, 100, 200, 500, 1000):
        y_min, y_max = step * math.floor(lo / step), step * math.ceil(hi / step)
        if (y_max - y_min) / step <= 12:
            break
    per_tick = height / ((y_max - y_min) / step)
    stride = max(1, math.ceil(MIN_TICK_GAP / per_tick))
    return float(y_min), float(y_max), float(step), stride


@dataclass(frozen=True)
class LogPlot:
    """Axes for layer l (x) against log10 of a value (y); the x axis runs along the bottom."""

    axes: Axes
    depth: int
    y_min: float
    y_max: float

    def p(self, layer: float, log10_value: float) -> np.ndarray:
        """The scene point of (layer, log10 value)."""
        return self.axes.c2p(layer, log10_value - self.y_min)


class ExplodingGradients(LessonScene):
    """Chapter 9: a deep linear net's values and gradients explode or vanish with depth."""

    #: Tests set this to stop before the final fade, on the chapter's key picture.
    skip_end = False

    def construct(self) -> None:
        self.result = experiment(self.lesson)
        self.colors = [self.theme.warn, self.theme.good, self.theme.forward]
        self.show_heading()
        self.show_the_linear_net()
        self.three_choices_of_w()
        self.halving_each_layer()
        self.plot_150_layers()
        self.values_after_10_layers()
        self.values_after_150_layers()
        self.above_explodes_below_vanishes()
        self.back_prop_does_the_same()
        self.gradients_at_layer_1()
        self.go_deeper_than_float64()
        self.mark_overflow()
        self.mark_underflow()
        self.hold_key_picture()
        if not self.skip_end:
            self.end_chapter("Next: how to keep the factors close to 1.")

    # -- helpers ---------------------------------------------------------------------------

    def _case_tex(self, i: int, size: int = SIZE.body) -> MathTex:
        r"""``W = 1.5\,I`` in the case's colour; the scale is recorded in shown."""
        s = self.result.cases[i].scale
        self.shown.setdefault("scales", [c.scale for c in self.result.cases])
        return self.tex(rf"W = {tex_number(s)}\,I", size, color=self.colors[i])

    def _line(self, plot: LogPlot, layers: Sequence[float], values: Sequence[float], color: str,
              dashed: bool = False, width: float = 4.0) -> VMobject:
        """A polyline through (layer, log10 value) points of ``plot``."""
        pts = [plot.p(x, y) for x, y in zip(layers, values)]
        line = VMobject(stroke_color=color, stroke_width=width).set_points_as_corners(pts)
        if dashed:
            return DashedVMobject(line, num_dashes=40, dashed_ratio=0.6)
        return line

    def _sampled(self, values: Sequence[float], first_layer: int = 0) -> tuple[list[int], list[float]]:
        """About LINE_POINTS evenly spaced (layer, value) pairs, both ends included."""
        n = len(values)
        idx = sorted(set(np.linspace(0, n - 1, min(n, LINE_POINTS)).round().astype(int).tolist()))
        return [i + first_layer for i in idx], [values[i] for i in idx]

    def _axes(self, depth: int, lo: float, hi: float, key: str, x_step: int) -> tuple[VGroup, LogPlot]:
        """Axes for layer 0..depth (x) and log10 of one unit's value (y), with 10^k tick labels."""
        th = self.theme
        y_min, y_max, step, stride = y_ticks(lo, hi)
        axes = Axes(
            x_range=[0, depth, x_step], y_range=[0, y_max - y_min, step],
            x_length=AXES_WIDTH, y_length=AXES_HEIGHT, tips=False,
            axis_config={"color": th.muted, "stroke_width": 2, "include_ticks": True},
        )
        axes.move_to([AXES_LEFT + AXES_WIDTH / 2, AXES_BOTTOM + AXES_HEIGHT / 2, 0])
        plot = LogPlot(axes, depth, y_min, y_max)
        y_labels, x_labels = VGroup(), VGroup()
        ys = np.arange(y_min, y_max + step / 2, step)
        shown_y = [float(y) for y in ys if round(y) % round(step * stride) == 0]
        for y in shown_y:
            t = self.tex(rf"10^{{{int(y)}}}", SIZE.small, color=th.muted)
            y_labels.add(t.next_to(plot.p(0, y), LEFT, buff=0.15))
        xs = [float(x) for x in range(0, depth + 1, x_step)]
        for x in xs:
            t = self.text(str(int(x)), SIZE.small, color=th.muted)
            x_labels.add(t.next_to(plot.p(x, y_min), DOWN, buff=0.15))
        zero = DashedLine(plot.p(0, 0), plot.p(depth, 0), color=th.muted, stroke_width=1.5, dash_length=0.08)
        self.shown[f"{key}_y_ticks"] = shown_y
        self.shown[f"{key}_x_ticks"] = xs
        x_title = self.text("layer l", SIZE.small, color=th.muted)
        x_title.next_to(plot.p(depth, y_min), RIGHT, buff=0.3)
        y_title = self.text("one unit's value a_l[0]  (log scale)", SIZE.small, color=th.muted)
        y_title.next_to(plot.p(0, y_max), UP, buff=0.22).align_to(y_labels, LEFT)
        return VGroup(axes, zero, y_labels, x_labels, x_title, y_title), plot

    def _panel(self, header: str, values: Sequence[Text | VGroup], dashed: bool = False) -> VGroup:
        """The numbers column at the right: a header, then one row per case (swatch, W, value)."""
        head = self.text(header, SIZE.small, color=self.theme.muted)
        rows = VGroup()
        for i, value in enumerate(values):
            sw: VMobject = Line(LEFT * 0.22, RIGHT * 0.22, color=self.colors[i], stroke_width=5)
            if dashed:
                sw = DashedLine(LEFT * 0.22, RIGHT * 0.22, color=self.colors[i], stroke_width=5,
                                dash_length=0.09)
            name = self.tex(rf"{tex_number(self.result.cases[i].scale)}\,I", SIZE.label, color=self.colors[i])
            row = VGroup(sw, name).arrange(RIGHT, buff=0.15)
            value.next_to(row, DOWN, buff=0.12, aligned_edge=LEFT).shift(RIGHT * 0.59)
            rows.add(VGroup(row, value))
        rows.arrange(DOWN, buff=0.32, aligned_edge=LEFT)
        panel = VGroup(head, rows).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        panel.move_to([PANEL_LEFT, PANEL_TOP, 0], aligned_edge=UL)
        return panel

    # -- beats: the linear net -------------------------------------------------------------

    def show_heading(self) -> None:
        """The chapter's title at the top left."""
        self.heading = self.chapter_heading("Exploding gradients", "the same product, with factors above 1")
        self.beat("Exploding gradients: what happens when the factors are bigger than 1.",
                   [(lambda: [FadeIn(self.heading)], 1.2)], 0.8)

    def _unit(self, col: int, k: int) -> Circle:
        th = self.theme
        c = Circle(radius=UNIT_RADIUS, stroke_color=th.neuron_stroke, stroke_width=2.5,
                   fill_color=th.neuron_fill, fill_opacity=1)
        return c.move_to([COLUMN_X[col], DIAGRAM_Y + UNIT_GAP / 2 - k * UNIT_GAP, 0])

    def show_the_linear_net(self) -> None:
        """y_hat = W^[L] ... W^[1] x, over a small net with 2 units per layer and no bends."""
        th = self.theme
        self.formula = self.tex(r"\hat{y} = W^{[L]}\, W^{[L-1]} \cdots W^{[2]}\, W^{[1]}\, x", SIZE.body)
        g = self.tex(r"g(z) = z,\quad b = 0", SIZE.label, color=th.muted)
        VGroup(self.formula, g).arrange(RIGHT, buff=0.8).move_to([0.3, FORMULA_Y, 0])
        cols = [0, 1, 2, 3, 5]
        units = {c: VGroup(self._unit(c, 0), self._unit(c, 1)) for c in cols}
        straight, cross = VGroup(), VGroup()
        w_labels = VGroup()
        names = ["1", "2", "3", "L"]
        for a, b, name in zip(cols[:-1], cols[1:], names):
            if b == 5:  # the elided layers: W[4] .. W[L-1]
                a = 4
            for j in range(2):
                for k in range(2):
                    src = units[a][k] if a != 4 else None
                    start = src.get_right() if src is not None else np.array(
                        [COLUMN_X[4] + 0.35, units[5][k].get_y(), 0])
                    line = Line(start, units[b][j].get_left(), color=th.edge, stroke_width=2.5)
                    (straight if j == k else cross).add(line)
            w_labels.add(self.tex(rf"W^{{[{name}]}}", SIZE.small, color=th.muted).move_to(
                [(COLUMN_X[a] + COLUMN_X[b]) / 2, DIAGRAM_Y + UNIT_GAP / 2 + 0.42, 0]))
        dots = self.tex(r"\cdots", SIZE.body, color=th.muted).move_to([COLUMN_X[4], DIAGRAM_Y, 0])
        col_names = VGroup(*[
            self.tex(t, SIZE.small, color=th.muted).move_to([COLUMN_X[c], DIAGRAM_Y - UNIT_GAP / 2 - 0.45, 0])
            for c, t in zip(cols, ["x", "a^{[1]}", "a^{[2]}", "a^{[3]}", r"a^{[L]} = \hat{y}"])
        ])
        self.straight, self.cross = straight, cross
        self.diagram = VGroup(straight, cross, *units.values(), dots, w_labels, col_names, g)
        self.beat("Take a deep net with no bends: each layer only multiplies by its weights W, "
                   "with no biases. The output is one long product of matrices.",
                   [(lambda: [Write(self.formula), FadeIn(self.diagram)], 2.0)], 2.5)

    def three_choices_of_w(self) -> None:
        """W = 1.5 I, 0.9 I, 0.5 I with x = (1, 1): the first layers' values, and s^L at layer L."""
        r, th = self.result, self.theme
        self.shown["x"] = list(r.x)
        rows = VGroup()
        for i, c in enumerate(r.cases):
            y = TABLE_TOP_Y - i * ROW_GAP
            row = VGroup(self._case_tex(i, SIZE.label).move_to([ROW_LABEL_X, y, 0]))
            row.add(self.number(f"x0_{i}", r.x[0], SIZE.label).move_to([COLUMN_X[0], y, 0]))
            for layer, v in enumerate(c.first_values, start=1):
                row.add(self.number(f"first_{i}_{layer}", v, SIZE.label).set_color(self.colors[i])
                        .move_to([COLUMN_X[layer], y, 0]))
            row.add(self.tex(r"\cdots", SIZE.label, color=self.colors[i]).move_to([COLUMN_X[4], y, 0]))
            row.add(self.tex(rf"{tex_number(c.scale)}^{{L}}", SIZE.label, color=self.colors[i])
                    .move_to([COLUMN_X[5], y, 0]))
            rows.add(row)
        self.table = rows
        head = self.text("first unit of each layer:", SIZE.small, color=th.muted)
        head.move_to([ROW_LABEL_X, TABLE_TOP_Y + ROW_GAP * 0.75, 0], aligned_edge=LEFT).shift(LEFT * 0.9)
        self.table_head = head
        x_vec = self.tex(rf"x = ({fmt_value(r.x[0])},\ {fmt_value(r.x[1])})", SIZE.label)
        x_vec.next_to(self.diagram[2], LEFT, buff=0.35)
        self.x_vec = x_vec
        s = [caption_value(c.scale) for c in r.cases]
        self.beat(f"Give every layer the same W and the input x = (1, 1). Each layer multiplies "
                   f"both units by {s[0]}, by {s[1]} or by {s[2]}.",
                   [(lambda: [FadeIn(x_vec), self.cross.animate.set_stroke(opacity=0.15)], 1.0),
                    (lambda: [FadeIn(head), *[FadeIn(row, shift=RIGHT * 0.2) for row in rows]], 1.5)], 2.5)

    def halving_each_layer(self) -> None:
        """The 0.5 row: 1/2, 1/4, 1/8, ... halving at every layer."""
        c = self.result.cases[-1]
        halves = ", ".join(str(Fraction(v)) for v in c.first_values)
        self.beat(f"With W = {caption_value(c.scale)} I the values go {halves}, and so on: "
                   "after L layers only a tiny fraction is left.",
                   [(lambda: [Indicate(self.table[-1], color=self.colors[-1], scale_factor=1.08)], 1.2)], 2.3)

    # -- beats: 150 layers on a log scale --------------------------------------------------

    def plot_150_layers(self) -> None:
        """Three straight lines on a log axis: log10 |a_l[0]| for l = 0..150."""
        r = self.result
        lo = min(min(c.log10_unit) for c in r.cases)
        hi = max(max(c.log10_unit) for c in r.cases)
        self.plot_group, self.plot = self._axes(r.depth, lo, hi, "plot", 25)
        self.lines = VGroup()
        for i, c in enumerate(r.cases):
            layers, values = self._sampled(c.log10_unit)
            self.shown[f"line_{i}"] = list(values)
            self.shown[f"line_layers_{i}"] = [float(v) for v in layers]
            self.lines.add(self._line(self.plot, layers, values, self.colors[i]))
        target = self.formula.copy().scale(0.75).to_corner(UR, buff=0.35)
        old = VGroup(self.diagram, self.table, self.table_head, self.x_vec)
        self.beat(f"Now run all three through {r.depth} layers and plot one unit's value on a log scale, "
                   "where multiplying by the same factor again and again draws a straight line.",
                   [(lambda: [FadeOut(old), self.formula.animate.move_to(target).scale(0.75)], 1.0),
                    (lambda: [Create(self.plot_group)], 1.2),
                    (lambda: [Create(line) for line in self.lines], 2.5)], 1.0)

    def _mark(self, layer: int, key: str) -> tuple[DashedLine, VGroup]:
        """A vertical marker at ``layer`` and a dot where each line crosses it."""
        plot, r = self.plot, self.result
        self.shown[key] = float(layer)
        line = DashedLine(plot.p(layer, plot.y_min), plot.p(layer, plot.y_max), color=self.theme.text,
                          stroke_width=2, dash_length=0.1)
        dots = VGroup(*[Dot(plot.p(layer, c.log10_unit[layer]), radius=0.07, color=self.colors[i])
                        for i, c in enumerate(r.cases)])
        return line, dots

    def values_after_10_layers(self) -> None:
        """The float64 values a_10[0]: 57.67, 0.349, 0.000977."""
        r = self.result
        m = r.marks[0]
        self.marker, self.dots = self._mark(m, "mark_0")
        values = [self.number(f"value_{m}_{i}", c.mark_values[0], SIZE.body).set_color(self.colors[i])
                  for i, c in enumerate(r.cases)]
        self.panel = self._panel(f"after {m} layers", values)
        v = [caption_value(c.mark_values[0]) for c in r.cases]
        self.beat(f"After only {m} layers one unit already holds {v[0]} with the first W, "
                   f"{v[1]} with the second and {v[2]} with the third.",
                   [(lambda: [Create(self.marker), FadeIn(self.dots), FadeIn(self.panel)], 1.2)], 3.3)

    def values_after_150_layers(self) -> None:
        """The float64 values at the last plotted layer: 2.59e+26, 1.37e-07, 7.01e-46."""
        r = self.result
        k = len(r.marks) - 1
        m = r.marks[k]
        marker, dots = self._mark(m, f"mark_{k}")
        values = [self.number(f"value_{m}_{i}", c.mark_values[k], SIZE.body).set_color(self.colors[i])
                  for i, c in enumerate(r.cases)]
        panel = self._panel(f"after {m} layers", values)
        v = [caption_value(c.mark_values[k]) for c in r.cases]
        self.beat(f"After {m} layers: {v[0]}, {v[1]} and {v[2]}. "
                   "And real networks with more than 150 layers exist.",
                   [(lambda: [ReplacementTransform(self.marker, marker), ReplacementTransform(self.dots, dots),
                              ReplacementTransform(self.panel, panel)], 1.5)], 3.5)
        self.marker, self.dots, self.panel = marker, dots, panel

    def above_explodes_below_vanishes(self) -> None:
        """Words on the plot: a bit above 1 explodes, below 1 vanishes."""
        plot = self.plot
        up = self.text("factor above 1: explodes", SIZE.label, color=self.colors[0])
        up.next_to(plot.p(0, plot.y_max), DOWN, buff=0.3, aligned_edge=LEFT).shift(RIGHT * 0.3)
        down = self.text("factor below 1: vanishes", SIZE.label, color=self.colors[2])
        down.next_to(plot.p(0, plot.y_min), UP, buff=0.3, aligned_edge=LEFT).shift(RIGHT * 0.3)
        self.moral = VGroup(up, down)
        self.beat("Weights just above the identity make the values explode; just below, they vanish. "
                   "Depth turns a small difference into an enormous one.",
                   [(lambda: [FadeIn(self.moral), Indicate(self.lines[1], color=self.colors[1], scale_factor=1.0)],
                     1.2)], 3.0)

    def back_prop_does_the_same(self) -> None:
        """Dashed lines drawn right to left: log10 |delta_l[0]| for l = L..1, the mirror image."""
        r, plot = self.result, self.plot
        self.back_lines = VGroup()
        for i, c in enumerate(r.cases):
            layers, values = self._sampled(c.log10_delta_unit, first_layer=1)  # delta_1 .. delta_L
            self.shown[f"back_line_{i}"] = list(values)
            self.shown[f"back_line_layers_{i}"] = [float(v) for v in layers]
            # drawn from the output (l = L) leftwards
            self.back_lines.add(self._line(plot, layers[::-1], values[::-1], self.colors[i], dashed=True))
        self.back_label = self.text("dashed: the gradient\nδ_l[0], back prop from\nthe output, leftwards", SIZE.small,
                                    color=self.theme.backward, line_spacing=0.8)
        self.back_label.move_to([PANEL_LEFT, -1.6, 0], aligned_edge=UL)
        self.beat("Back prop starts at the output and multiplies by the same W at every layer on its way "
                   "left, so the gradients explode or vanish in just the same way.",
                   [(lambda: [FadeOut(self.moral), FadeOut(self.marker), FadeOut(self.dots), FadeOut(self.panel),
                              self.lines.animate.set_stroke(opacity=0.35), FadeIn(self.back_label)], 0.8),
                    (lambda: [Create(line) for line in self.back_lines], 2.5)], 1.0)

    def gradients_at_layer_1(self) -> None:
        """delta_1[0], the gradient that reaches layer 1 of the 150-layer net."""
        r, plot = self.result, self.plot
        self.grad_dots = VGroup(*[Dot(plot.p(1, c.log10_delta_unit[0]), radius=0.07, color=self.colors[i])
                                  for i, c in enumerate(r.cases)])
        values = [self.number(f"delta_1_{i}", c.delta_1, SIZE.body).set_color(self.colors[i])
                  for i, c in enumerate(r.cases)]
        self.panel = self._panel("gradient at layer 1", values, dashed=True)
        v = [caption_value(c.delta_1) for c in r.cases]
        self.beat(f"The gradient that reaches layer 1 is {v[0]}, {v[1]} or {v[2]}: "
                   "far too big to learn from, or far too small.",
                   [(lambda: [FadeIn(self.grad_dots), FadeIn(self.panel)], 1.2)], 3.3)

    # -- beats: where float64 gives up -----------------------------------------------------

    def go_deeper_than_float64(self) -> None:
        """Layers 0..2000 on a log axis, with the band of magnitudes float64 can hold."""
        r, th = self.result, self.theme
        lo = min(min(c.deep_log10_unit) for c in r.cases)
        hi = max(max(c.deep_log10_unit) for c in r.cases)
        self.deep_group, self.deep = self._axes(r.deep_depth, lo, hi, "deep", 500)
        deep = self.deep
        top, bottom = r.log10_float64_max, r.log10_float64_min
        corner_lo, corner_hi = deep.p(0, bottom), deep.p(deep.depth, top)
        band = Rectangle(width=corner_hi[0] - corner_lo[0], height=corner_hi[1] - corner_lo[1],
                         stroke_width=0, fill_color=th.muted, fill_opacity=0.16)
        band.move_to((corner_lo + corner_hi) / 2)
        edges = VGroup(*[DashedLine(deep.p(0, y), deep.p(deep.depth, y), color=th.muted, stroke_width=2,
                                    dash_length=0.1) for y in (top, bottom)])
        top_label = VGroup(self.text("float64 max ≈", SIZE.small, color=th.muted),
                           self.number("float64_max", r.float64_max, SIZE.small).set_color(th.muted))
        top_label.arrange(RIGHT, buff=0.12)
        top_label.next_to(deep.p(0, top), DOWN, buff=0.12, aligned_edge=LEFT).shift(RIGHT * 0.15)
        bottom_label = VGroup(self.text("float64 min ≈", SIZE.small, color=th.muted),
                              self.number("float64_min", r.float64_min, SIZE.small).set_color(th.muted))
        bottom_label.arrange(RIGHT, buff=0.12)
        bottom_label.next_to(deep.p(0, bottom), UP, buff=0.12, aligned_edge=LEFT).shift(RIGHT * 0.15)
        self.band = VGroup(band, edges, top_label, bottom_label)
        self.deep_lines = VGroup(*[self._deep_line(i, c) for i, c in enumerate(r.cases)])
        old = VGroup(self.plot_group, self.lines, self.back_lines, self.back_label, self.grad_dots, self.panel)
        self.beat(f"Go deeper, to {r.deep_depth} layers, and the computer runs out of numbers: "
                   "a float64 can only hold sizes inside the grey band.",
                   [(lambda: [FadeOut(old)], 0.8),
                    (lambda: [Create(self.deep_group), FadeIn(self.band)], 1.4),
                    (lambda: [Create(line) for line in self.deep_lines], 2.5)], 1.3)

    def _deep_line(self, i: int, c: ExplodingCase) -> VGroup:
        """log10 |a_l[0]| for l = 0..deep_depth: solid inside the float64 band, dashed beyond it."""
        layers, values = self._sampled(c.deep_log10_unit)
        self.shown[f"deep_line_{i}"] = list(values)
        self.shown[f"deep_line_layers_{i}"] = [float(v) for v in layers]
        limit = c.limit_layer
        if limit is None:
            return VGroup(self._line(self.deep, layers, values, self.colors[i]))
        at = (limit, c.deep_log10_unit[limit])
        inside = [(x, y) for x, y in zip(layers, values) if x < limit] + [at]
        outside = [at] + [(x, y) for x, y in zip(layers, values) if x > limit]
        solid = self._line(self.deep, *zip(*inside), self.colors[i])
        beyond = self._line(self.deep, *zip(*outside), self.colors[i], dashed=True)
        return VGroup(solid, beyond)

    def _limit_mark(self, i: int, word: str, above: bool) -> VGroup:
        """An overflow/underflow dot at the first layer where float64 gave up, its word and layer."""
        th = self.theme
        c = self.result.cases[i]
        layer = c.limit_layer
        if layer is None:
            raise ValueError(f"case {c.scale} never left float64's range")
        dot = Dot(self.deep.p(layer, c.deep_log10_unit[layer]), radius=0.09, color=th.overflow)
        label = VGroup(self.text(f"{word} at layer", SIZE.label, color=th.overflow),
                       self.number(f"{word}_layer", layer, SIZE.label).set_color(th.overflow))
        label.arrange(RIGHT, buff=0.12)
        label.next_to(dot, UP if above else DOWN, buff=0.12).align_to(dot, RIGHT).shift(LEFT * 0.2)
        return VGroup(dot, label)

    def _deep_row(self, i: int) -> VGroup:
        """Panel row: float64's a_L[0] at the last layer and, where it gave up, the true size."""
        c, th = self.result.cases[i], self.theme
        value = self.number(f"deep_value_{i}", c.deep_value, SIZE.body, underflow=math.isfinite(c.deep_true_log10))
        value.set_color(th.overflow if c.limit_layer is not None else self.colors[i])
        if c.limit_layer is None:
            return VGroup(value)
        self.shown[f"deep_true_log10_{i}"] = c.deep_true_log10
        true = self.text(f"true ≈ {fmt_log10(c.deep_true_log10)}", SIZE.small, color=th.muted)
        return VGroup(value, true).arrange(DOWN, buff=0.08, aligned_edge=LEFT)

    def mark_overflow(self) -> None:
        """1.5^l: inf from layer 1751 on; the exact log track knows the true size."""
        r = self.result
        i = next(k for k, c in enumerate(r.cases) if c.overflow_layer is not None)
        self.overflow_mark = mark = self._limit_mark(i, "overflow", above=True)
        self.deep_panel = self._panel(f"float64 at layer {r.deep_depth}", [self._deep_row(k) for k in range(3)])
        self.shown["deep_panel_layer"] = float(r.deep_depth)
        head, rows = self.deep_panel
        first = [head] + [rows[k] for k, c in enumerate(r.cases) if c.underflow_layer is None]
        c = r.cases[i]
        self.beat(f"With W = {caption_value(c.scale)} I, layer {c.overflow_layer} is too big to store: "
                   f"the computer gives up and says overflow. The true value keeps growing, to about "
                   f"10^{math.floor(c.deep_true_log10)} at layer {r.deep_depth}.",
                   [(lambda: [FadeIn(mark[0], scale=2), FadeIn(mark[1]), *[FadeIn(m) for m in first]], 1.5),
                    (lambda: [Flash(mark[0], color=self.theme.overflow)], 0.8)], 2.7)

    def mark_underflow(self) -> None:
        """0.5^l: exactly 0 from layer 1075 on, although the true value is not 0."""
        r = self.result
        i = next(k for k, c in enumerate(r.cases) if c.underflow_layer is not None)
        self.underflow_mark = mark = self._limit_mark(i, "underflow", above=False)
        c = r.cases[i]
        self.beat(f"With W = {caption_value(c.scale)} I, from layer {c.underflow_layer} on the value is "
                   "rounded to exactly 0: underflow. The true value is tiny, but it is not zero.",
                   [(lambda: [FadeIn(mark[0], scale=2), FadeIn(mark[1]), FadeIn(self.deep_panel[1][i])], 1.5),
                    (lambda: [Flash(mark[0], color=self.theme.overflow)], 0.8)], 2.7)

    def hold_key_picture(self) -> None:
        """The chapter's key picture: values leaving the band float64 can hold."""
        self.beat("The same factor, layer after layer, makes the result explode or vanish. "
                   "The way out is to keep each layer's factor close to 1.",
                   [(lambda: [Indicate(self.deep_lines, color=self.theme.text, scale_factor=1.0)], 1.0)], 2.5)


__all__ = ["ExplodingGradients", "experiment", "y_ticks", "LESSON"]
