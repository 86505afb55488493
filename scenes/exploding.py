"""Chapter 10: exploding gradients.

The purely linear deep net (no non-linear activation: sigma(z) = z) with b = 0, in Nielsen's
notation: a_0 = x, a_l = W_l a_{l-1}, so a_L = W_L W_{L-1} ... W_1 x. With every W_l = s I and
x = (1, 1), the first unit of a_l is s^l: for s = 1.5 it explodes (57.67 after 10 layers,
2.59e+26 after 150), for s = 0.9 and 0.5 it vanishes. On a log scale each case is a straight
line. For a general W its singular values (how much it stretches a vector), not its entries,
decide: W = 0.9 in every entry stretches (1, 1) by 1.8. Back prop multiplies by W transposed,
delta_{l-1} = W_l^T delta_l, which stretches alike, so the first unit of delta_l = dC/da_l
explodes or vanishes too, and one SGD step on layer 1 is absurdly large or small: training
fails long before any number overflows. In float32, what practice uses, 1.5^l overflows to
inf at layer 219 (then W a gives NaN: 1.5 * inf + 0 * inf) and 0.5^l underflows to 0 at layer
150 (the layers come from :func:`netsim.linear.linear_net`'s flags); those places are marked
"overflow" and "underflow", never NaN. float64's limits (1751, 1075) are a footnote.

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
    Transform,
    VGroup,
    VMobject,
    Write,
)

from netsim.experiments.exploding import ExplodingCase, ExplodingResult, exploding
from scenes.common import LessonScene
from scenes.lesson import Lesson
from scenes.style import SIZE, fmt_log10, fmt_value

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
    """Chapter 10: a deep linear net's values and gradients explode or vanish with depth."""

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
        self.singular_values()
        self.back_prop_does_the_same()
        self.gradients_at_layer_1()
        self.one_step()
        self.go_to_float32()
        self.mark_overflow()
        self.mark_underflow()
        self.float64_footnote()
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
        """Axes for layer 0..depth (x) and log10 of the first unit of a_l (y), 10^k tick labels."""
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
        y_title = self.y_title("first unit of a_l (log scale)", y_labels, plot)
        return VGroup(axes, zero, y_labels, x_labels, x_title, y_title), plot

    def y_title(self, words: str, y_labels: VGroup, plot: LogPlot) -> Text:
        """The y axis's name, above the axis, aligned with its tick labels."""
        title = self.text(words, SIZE.small, color=self.theme.muted)
        return title.next_to(plot.p(0, plot.y_max), UP, buff=0.22).align_to(y_labels, LEFT)

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
        self.say("Exploding gradients: what happens when the factors are bigger than 1.",
                 FadeIn(self.heading), run_time=1.2, hold=0.8)

    def _unit(self, col: int, k: int) -> Circle:
        th = self.theme
        c = Circle(radius=UNIT_RADIUS, stroke_color=th.neuron_stroke, stroke_width=2.5,
                   fill_color=th.neuron_fill, fill_opacity=1)
        return c.move_to([COLUMN_X[col], DIAGRAM_Y + UNIT_GAP / 2 - k * UNIT_GAP, 0])

    def show_the_linear_net(self) -> None:
        """a_L = W_L ... W_1 x over a small net with 2 units per layer, sigma(z) = z and b = 0."""
        th = self.theme
        self.formula = self.tex(r"a_L = W_L\, W_{L-1} \cdots W_2\, W_1\, x", SIZE.body)
        g = self.tex(r"\sigma(z) = z,\quad b = 0", SIZE.label, color=th.muted)
        step = self.tex(r"\Rightarrow\ a_l = W_l\, a_{l-1}", SIZE.label, color=th.muted)
        VGroup(self.formula, g, step).arrange(RIGHT, buff=0.45).move_to([0.3, FORMULA_Y, 0])
        cols = [0, 1, 2, 3, 5]
        units = {c: VGroup(self._unit(c, 0), self._unit(c, 1)) for c in cols}
        straight, cross = VGroup(), VGroup()
        w_labels = VGroup()
        names = ["1", "2", "3", "L"]
        for a, b, name in zip(cols[:-1], cols[1:], names):
            if b == 5:  # the elided layers: W_4 .. W_{L-1}
                a = 4
            for j in range(2):
                for k in range(2):
                    src = units[a][k] if a != 4 else None
                    start = src.get_right() if src is not None else np.array(
                        [COLUMN_X[4] + 0.35, units[5][k].get_y(), 0])
                    line = Line(start, units[b][j].get_left(), color=th.edge, stroke_width=2.5)
                    (straight if j == k else cross).add(line)
            w_labels.add(self.tex(rf"W_{{{name}}}", SIZE.small, color=th.muted).move_to(
                [(COLUMN_X[a] + COLUMN_X[b]) / 2, DIAGRAM_Y + UNIT_GAP / 2 + 0.42, 0]))
        dots = self.tex(r"\cdots", SIZE.body, color=th.muted).move_to([COLUMN_X[4], DIAGRAM_Y, 0])
        col_names = VGroup(*[
            self.tex(t, SIZE.small, color=th.muted).move_to([COLUMN_X[c], DIAGRAM_Y - UNIT_GAP / 2 - 0.45, 0])
            for c, t in zip(cols, ["x = a_0", "a_1", "a_2", "a_3", "a_L"])
        ])
        self.straight, self.cross = straight, cross
        self.diagram = VGroup(straight, cross, *units.values(), dots, w_labels, col_names, g, step)
        self.say("Take a purely linear deep net: no non-linear activation, σ(z) = z, and every bias b = 0.",
                 FadeIn(VGroup(straight, cross, *units.values(), dots, w_labels, col_names, g)), run_time=1.5)
        self.say("Each layer only multiplies by its weights, a_l = W_l a_(l-1), starting from a_0 = x. "
                 "The output is one long product of matrices.", Write(self.formula), FadeIn(step), run_time=1.5)

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
        head = self.text("first unit of a_l:", SIZE.small, color=th.muted)
        head.move_to([ROW_LABEL_X, TABLE_TOP_Y + ROW_GAP * 0.75, 0], aligned_edge=LEFT).shift(LEFT * 0.9)
        self.table_head = head
        x_vec = self.tex(rf"x = ({fmt_value(r.x[0])},\ {fmt_value(r.x[1])})", SIZE.label)
        x_vec.next_to(self.diagram[2], LEFT, buff=0.35)
        self.x_vec = x_vec
        s = [caption_value(c.scale) for c in r.cases]
        with self.beat("Give every layer the same W = s I, where I is the identity matrix: 1 on the diagonal, "
                       f"0 elsewhere. With x = (1, 1), each layer multiplies both units by s = {s[0]}, {s[1]} "
                       f"or {s[2]}."):
            self.play(FadeIn(x_vec), self.cross.animate.set_stroke(opacity=0.15), run_time=1.0)
            self.play(FadeIn(head), *[FadeIn(row, shift=RIGHT * 0.2) for row in rows], run_time=1.5)

    def halving_each_layer(self) -> None:
        """The 0.5 row: 1/2, 1/4, 1/8, ... halving at every layer."""
        c = self.result.cases[-1]
        halves = ", ".join(str(Fraction(v)) for v in c.first_values)
        self.say(f"With W = {caption_value(c.scale)} I the values go {halves}, and so on: "
                 "after L layers only a tiny fraction is left.",
                 Indicate(self.table[-1], color=self.colors[-1], scale_factor=1.08), run_time=1.2)

    # -- beats: 150 layers on a log scale --------------------------------------------------

    def plot_150_layers(self) -> None:
        """Three straight lines on a log axis: log10 of the first unit of a_l, l = 0..150."""
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
        with self.beat(f"Now run all three through {r.depth} layers and plot the first unit of a_l on a log "
                       "scale, where multiplying by the same factor again and again draws a straight line."):
            self.play(FadeOut(old), self.formula.animate.move_to(target).scale(0.75), run_time=1.0)
            self.play(Create(self.plot_group), run_time=1.2)
            self.play(*[Create(line) for line in self.lines], run_time=2.5)

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
        """The float64 first units of a_10: 57.67, 0.349, 0.000977."""
        r = self.result
        m = r.marks[0]
        self.marker, self.dots = self._mark(m, "mark_0")
        values = [self.number(f"value_{m}_{i}", c.mark_values[0], SIZE.body).set_color(self.colors[i])
                  for i, c in enumerate(r.cases)]
        self.panel = self._panel(f"after {m} layers", values)
        v = [caption_value(c.mark_values[0]) for c in r.cases]
        self.say(f"After only {m} layers the first unit is {v[0]}, {v[1]} or {v[2]}.",
                 Create(self.marker), FadeIn(self.dots), FadeIn(self.panel), run_time=1.2)

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
        self.say(f"After {m} layers: {v[0]}, {v[1]} and {v[2]}. "
                 f"And real networks with more than {m} layers exist.",
                 ReplacementTransform(self.marker, marker), ReplacementTransform(self.dots, dots),
                 ReplacementTransform(self.panel, panel), run_time=1.5)
        self.marker, self.dots, self.panel = marker, dots, panel

    def above_explodes_below_vanishes(self) -> None:
        """Words on the plot: a bit above 1 explodes, below 1 vanishes."""
        plot = self.plot
        up = self.text("factor above 1: explodes", SIZE.label, color=self.colors[0])
        up.next_to(plot.p(0, plot.y_max), DOWN, buff=0.3, aligned_edge=LEFT).shift(RIGHT * 0.3)
        down = self.text("factor below 1: vanishes", SIZE.label, color=self.colors[2])
        down.next_to(plot.p(0, plot.y_min), UP, buff=0.3, aligned_edge=LEFT).shift(RIGHT * 0.3)
        self.moral = VGroup(up, down)
        self.say("Weights just above the identity make the values explode; just below, they vanish.",
                 FadeIn(self.moral), Indicate(self.lines[1], color=self.colors[1], scale_factor=1.0), run_time=1.2)

    def singular_values(self) -> None:
        """For a general W the singular values decide, not the entries: W = 0.9 everywhere stretches by 1.8."""
        r, th = self.result, self.theme
        ex = r.example
        self.shown["example_entry"] = ex.entry
        self.shown["example_singular_values"] = list(ex.singular_values)
        e = tex_number(ex.entry)
        matrix = self.tex(rf"W = \begin{{pmatrix}} {e} & {e} \\ {e} & {e} \end{{pmatrix}}", SIZE.label)
        sv = VGroup(self.text("singular values:", SIZE.small, color=th.muted),
                    self.text(", ".join(fmt_value(v) for v in ex.singular_values), SIZE.small))
        sv.arrange(RIGHT, buff=0.12)
        first = VGroup(self.text(f"first unit of a_{ex.layer}:", SIZE.small, color=th.muted),
                       self.number("example_value", ex.value, SIZE.body).set_color(self.colors[0]))
        first.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        box = VGroup(matrix, sv, first).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        box.move_to([PANEL_LEFT, PANEL_TOP, 0], aligned_edge=UL)
        self.example_box = box
        s0 = caption_value(r.cases[0].scale)
        with self.beat(f"W = {s0} I stretches every direction by {s0}. For a general W, what decides is how much it "
                       "stretches a vector: its singular values, not its entries."):
            self.play(FadeOut(self.marker), FadeOut(self.dots), FadeOut(self.panel), run_time=0.6)
            self.play(Write(matrix), run_time=1.0)
        self.say(f"Every entry of this W is {e}, below 1, yet it stretches (1, 1) by "
                 f"{fmt_value(ex.singular_values[0])}: after {ex.layer} layers the first unit is "
                 f"{fmt_value(ex.value)}.", FadeIn(sv), FadeIn(first), run_time=1.2)

    def back_prop_does_the_same(self) -> None:
        """Dashed lines drawn right to left: log10 of the first unit of delta_l, l = L..1."""
        r, plot = self.result, self.plot
        self.back_lines = VGroup()
        for i, c in enumerate(r.cases):
            layers, values = self._sampled(c.log10_delta_unit, first_layer=1)  # delta_1 .. delta_L
            self.shown[f"back_line_{i}"] = list(values)
            self.shown[f"back_line_layers_{i}"] = [float(v) for v in layers]
            # drawn from the output (l = L) leftwards
            self.back_lines.add(self._line(plot, layers[::-1], values[::-1], self.colors[i], dashed=True))
        rule = self.tex(r"\delta_{l-1} = W_l^{T}\, \delta_l", SIZE.body, color=self.theme.backward)
        note = self.text("dashed: first unit of\nδ_l = dC/dz_l = dC/da_l\n(σ(z) = z), from the\noutput leftwards",
                         SIZE.small, color=self.theme.backward, line_spacing=0.8)
        self.back_label = VGroup(rule, note).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        self.back_label.move_to([PANEL_LEFT, PANEL_TOP, 0], aligned_edge=UL)
        old_title = self.plot_group[5]
        new_title = self.y_title("first unit of a_l (solid) and of δ_l (dashed), log scale",
                                 self.plot_group[2], plot)
        with self.beat("Back prop multiplies by W transposed: δ_(l-1) = W_l^T δ_l. W^T stretches as much as W, "
                       "so the gradients explode or vanish alike."):
            self.play(FadeOut(self.moral), FadeOut(self.example_box), self.lines.animate.set_stroke(opacity=0.35),
                      FadeIn(self.back_label), Transform(old_title, new_title), run_time=1.0)
            self.play(*[Create(line) for line in self.back_lines], run_time=2.5)

    def gradients_at_layer_1(self) -> None:
        """The first unit of delta_1, the gradient that reaches layer 1 of the 150-layer net."""
        r, plot = self.result, self.plot
        self.grad_dots = VGroup(*[Dot(plot.p(1, c.log10_delta_unit[0]), radius=0.07, color=self.colors[i])
                                  for i, c in enumerate(r.cases)])
        values = [self.number(f"delta_1_{i}", c.delta_1, SIZE.body).set_color(self.colors[i])
                  for i, c in enumerate(r.cases)]
        self.panel = self._panel("first unit of δ_1", values, dashed=True)
        v = [caption_value(c.delta_1) for c in r.cases]
        self.say(f"The gradient that reaches layer 1 is {v[0]}, {v[1]} or {v[2]}: "
                 "far too big to learn from, or far too small.",
                 FadeOut(self.back_label), FadeIn(self.grad_dots), FadeIn(self.panel), run_time=1.2)

    def one_step(self) -> None:
        """One SGD step on layer 1's first weight: eta * |dC/dW_1| is absurd long before overflow."""
        r = self.result
        eta = self.inline("eta", r.eta)
        values = [self.number(f"step_{i}", c.first_step, SIZE.body).set_color(self.colors[i])
                  for i, c in enumerate(r.cases)]
        panel = self._panel(f"one step, η = {eta}:\nchange of w in layer 1", values, dashed=True)
        v = caption_value(r.cases[0].first_step)
        self.say(f"One step w ← w − η dC/dw with η = {eta} moves a weight of layer 1 by {v} with the first W. "
                 "Training fails long before any number overflows.",
                 ReplacementTransform(self.panel, panel), run_time=1.2)
        self.panel = panel

    # -- beats: where float32 gives up -----------------------------------------------------

    def go_to_float32(self) -> None:
        """Layers 0..f32_depth on a log axis, with the band of magnitudes float32 can hold."""
        r, th = self.result, self.theme
        lo = min(min(c.f32_log10_unit) for c in r.cases)
        hi = max(max(c.f32_log10_unit) for c in r.cases)
        lo, hi = min(lo, r.log10_float32_min), max(hi, r.log10_float32_max)
        self.deep_group, self.deep = self._axes(r.f32_depth, lo, hi, "deep", 50)
        deep = self.deep
        top, bottom = r.log10_float32_max, r.log10_float32_min
        corner_lo, corner_hi = deep.p(0, bottom), deep.p(deep.depth, top)
        band = Rectangle(width=corner_hi[0] - corner_lo[0], height=corner_hi[1] - corner_lo[1],
                         stroke_width=0, fill_color=th.muted, fill_opacity=0.16)
        band.move_to((corner_lo + corner_hi) / 2)
        edges = VGroup(*[DashedLine(deep.p(0, y), deep.p(deep.depth, y), color=th.muted, stroke_width=2,
                                    dash_length=0.1) for y in (top, bottom)])
        top_label = VGroup(self.text("float32 max ≈", SIZE.small, color=th.muted),
                           self.number("float32_max", r.float32_max, SIZE.small).set_color(th.muted))
        top_label.arrange(RIGHT, buff=0.12)
        top_label.next_to(deep.p(0, top), DOWN, buff=0.12, aligned_edge=LEFT).shift(RIGHT * 0.15)
        bottom_label = VGroup(self.text("float32 min ≈", SIZE.small, color=th.muted),
                              self.number("float32_min", r.float32_min, SIZE.small).set_color(th.muted))
        bottom_label.arrange(RIGHT, buff=0.12)
        bottom_label.next_to(deep.p(0, bottom), UP, buff=0.12, aligned_edge=LEFT).shift(RIGHT * 0.15)
        self.band = VGroup(band, edges, top_label, bottom_label)
        self.deep_lines = VGroup(*[self._deep_line(i, c) for i, c in enumerate(r.cases)])
        old = VGroup(self.plot_group, self.lines, self.back_lines, self.grad_dots, self.panel)
        with self.beat(f"In practice computers use float32, which holds only the sizes in the grey band. "
                       f"Follow the values to layer {r.f32_depth}."):
            self.play(FadeOut(old), run_time=0.8)
            self.play(Create(self.deep_group), FadeIn(self.band), run_time=1.4)
            self.play(*[Create(line) for line in self.deep_lines], run_time=2.5)

    def _deep_line(self, i: int, c: ExplodingCase) -> VGroup:
        """log10 of the first unit of a_l, l = 0..f32_depth: solid inside float32's band, dashed beyond."""
        layers, values = self._sampled(c.f32_log10_unit)
        self.shown[f"deep_line_{i}"] = list(values)
        self.shown[f"deep_line_layers_{i}"] = [float(v) for v in layers]
        limit = c.f32_limit_layer
        if limit is None:
            return VGroup(self._line(self.deep, layers, values, self.colors[i]))
        at = (limit, c.f32_log10_unit[limit])
        inside = [(x, y) for x, y in zip(layers, values) if x < limit] + [at]
        outside = [at] + [(x, y) for x, y in zip(layers, values) if x > limit]
        solid = self._line(self.deep, *zip(*inside), self.colors[i])
        beyond = self._line(self.deep, *zip(*outside), self.colors[i], dashed=True)
        return VGroup(solid, beyond)

    def _limit_mark(self, i: int, word: str, above: bool) -> VGroup:
        """An overflow/underflow dot at the first layer where float32 gave up, its word and layer."""
        th = self.theme
        c = self.result.cases[i]
        layer = c.f32_limit_layer
        if layer is None:
            raise ValueError(f"case {c.scale} never left float32's range")
        dot = Dot(self.deep.p(layer, c.f32_log10_unit[layer]), radius=0.09, color=th.overflow)
        label = VGroup(self.text(f"{word} at layer", SIZE.label, color=th.overflow),
                       self.number(f"{word}_layer", layer, SIZE.label).set_color(th.overflow))
        label.arrange(RIGHT, buff=0.12)
        label.next_to(dot, UP if above else DOWN, buff=0.12).align_to(dot, RIGHT).shift(LEFT * 0.2)
        return VGroup(dot, label)

    def _deep_row(self, i: int) -> VGroup:
        """Panel row: float32's first unit of a_L at the last layer and, where it gave up, the true size."""
        c, th = self.result.cases[i], self.theme
        true_log10 = c.f32_log10_unit[-1]
        value = self.number(f"deep_value_{i}", c.f32_value, SIZE.body, underflow=math.isfinite(true_log10))
        value.set_color(th.overflow if c.f32_limit_layer is not None else self.colors[i])
        if c.f32_limit_layer is None:
            return VGroup(value)
        self.shown[f"deep_true_log10_{i}"] = true_log10
        true = self.text(f"true ≈ {fmt_log10(true_log10)}", SIZE.small, color=th.muted)
        return VGroup(value, true).arrange(DOWN, buff=0.08, aligned_edge=LEFT)

    def mark_overflow(self) -> None:
        """1.5^l: inf at layer 219 in float32, NaN one layer later (never shown as a number)."""
        r = self.result
        i = next(k for k, c in enumerate(r.cases) if c.f32_overflow_layer is not None)
        self.overflow_mark = mark = self._limit_mark(i, "overflow", above=True)
        self.deep_panel = self._panel(f"float32 at layer {r.f32_depth}", [self._deep_row(k) for k in range(3)])
        self.shown["deep_panel_layer"] = float(r.f32_depth)
        head, rows = self.deep_panel
        first = [head] + [rows[k] for k, c in enumerate(r.cases) if c.f32_underflow_layer is None]
        c = r.cases[i]
        self.shown["nan_layer"] = float(c.f32_nan_layer) if c.f32_nan_layer is not None else -1.0
        after = (f" One layer later, {caption_value(c.scale)} × inf + 0 × inf gives NaN."
                 if c.f32_nan_layer == c.f32_overflow_layer + 1 else "")
        with self.beat(f"With W = {caption_value(c.scale)} I, float32 overflows at layer {c.f32_overflow_layer}: "
                       f"the value becomes inf.{after} Nothing stops the computation."):
            self.play(FadeIn(mark[0], scale=2), FadeIn(mark[1]), *[FadeIn(m) for m in first], run_time=1.5)
            self.play(Flash(mark[0], color=self.theme.overflow), run_time=0.8)

    def mark_underflow(self) -> None:
        """0.5^l: exactly 0 in float32 from layer 150 on, although the true value is not 0."""
        r = self.result
        i = next(k for k, c in enumerate(r.cases) if c.f32_underflow_layer is not None)
        self.underflow_mark = mark = self._limit_mark(i, "underflow", above=False)
        c = r.cases[i]
        with self.beat(f"With W = {caption_value(c.scale)} I, from layer {c.f32_underflow_layer} on float32 rounds "
                       "the value to exactly 0: underflow. The true value is tiny, but it is not zero."):
            self.play(FadeIn(mark[0], scale=2), FadeIn(mark[1]), FadeIn(self.deep_panel[1][i]), run_time=1.5)
            self.play(Flash(mark[0], color=self.theme.overflow), run_time=0.8)

    def float64_footnote(self) -> None:
        """float64's own limits, as a footnote: layers 1751 and 1075."""
        r, th = self.result, self.theme
        over = next(c.overflow_layer for c in r.cases if c.overflow_layer is not None)
        under = next(c.underflow_layer for c in r.cases if c.underflow_layer is not None)
        self.shown["float64_overflow_layer"] = float(over)
        self.shown["float64_underflow_layer"] = float(under)
        note = self.text(f"footnote, float64:\noverflow at layer {over},\nunderflow at layer {under}",
                         SIZE.small, color=th.muted, line_spacing=0.8)
        note.move_to([PANEL_LEFT, -2.12, 0], aligned_edge=UL)
        self.footnote = note
        self.say(f"Double precision, float64, only postpones this, to layer {over} and layer {under}.",
                 FadeIn(note), run_time=1.0)

    def hold_key_picture(self) -> None:
        """The chapter's key picture: values leaving the band float32 can hold."""
        self.say("The same factor, layer after layer, makes values and gradients explode or vanish.",
                 Indicate(self.deep_lines, color=self.theme.text, scale_factor=1.0), run_time=1.0, hold=1.0)


__all__ = ["ExplodingGradients", "experiment", "y_ticks"]
