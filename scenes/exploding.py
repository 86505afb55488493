"""Chapter 9: exploding gradients.

A linear deep net, g(z) = z with every b = 0, in Nielsen's notation: a_0 = x,
a_l = W_l a_(l-1), so a_L = W_L W_(L-1) ... W_1 x. Eight beats:

1. The linear net (two neurons per layer): each layer just multiplies.
2. Every W_l = s I (s on the diagonal, 0 elsewhere), x = (1, 1): each layer multiplies
   both numbers by s = 1.5, 0.9 or 0.5 (a table of a_1 .. a_3).
3. 150 layers on a log scale: three straight lines; the values after 150 layers.
4. A general W: what counts is how much it stretches, which depends on the direction.
   W = 0.9 in every entry maps (1, 1) to 1.8 x (1, 1) and (1, -1) to 0, so after 10 layers
   the first number of a_10 is 1.8^10.
5. Back prop multiplies by W^T (rows and columns swapped; here W^T = W): delta_(l-1) =
   W_l^T delta_l, dashed lines drawn from the output leftwards.
6. With C = the sum of the outputs, dC/da_L = (1, 1), and layer 1's weight gradient has
   size ||dC/dW_1|| = 2 s^149: far too big or far too small.
7. Here a_l explodes with the gradient; with the sigmoid it cannot, yet delta can: a chain
   with every w = 100, b = -50, a_0 = 0.5 keeps a_l = 0.5 while delta grows 25-fold a layer
   (both drawn on the 150-layer axis: a flat line, and a dashed one that leaves the top).
8. Numbers run out: float32 (32-bit numbers, at most about 3.4e+38; past that the computer
   writes inf), W = 1.5 I overflows to inf at layer 219; at 220 the zeros of W give
   0 * inf = NaN (1.5 * inf is inf); float64 overflows at layer 1751; the sigmoid chain's
   delta, where only the gradient grows, passes float32's largest 29 layers back from the
   output. One beat, on an axis of 300 layers (the key picture).

On-screen words with a symbol in them (a_l, delta_l, layer l) are built by :meth:`mixed`:
the words in the sans font, the symbols in MathTex, on one baseline.

This chapter uses only the lesson's theme and language: its net is the linear net above,
not the lesson's digits net, so every lesson shows the same numbers. Every number comes from
:func:`netsim.experiments.exploding.exploding` and is recorded in ``self.shown``; e-notation
and log scales were explained in chapter 6 and are not explained again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

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
    Text,
    Transform,
    VGroup,
    VMobject,
    Write,
)

from netsim.experiments.exploding import ExplodingCase, ExplodingResult, exploding
from scenes.engine.chapters import number_of
from scenes.engine.common import LessonScene
from scenes.engine.i18n import Message, t
from scenes.engine.lesson import Lesson, per_net
from scenes.engine.style import SIZE, fmt_value, label, log_tick, log_ticks

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
AXES_BOTTOM = -2.8        # its x tick labels above the subtitles' band
AXES_HEIGHT = 4.6
PANEL_LEFT = 3.3
#: The float panel's lowest, above the x axis (the axis's name sits at its right end, under the panel).
PANEL_FLOOR = 0.3
PANEL_TOP = 1.9
#: Points drawn per plotted line (a straight line on a log axis needs few).
LINE_POINTS = 76


@per_net
def experiment(lesson: Lesson) -> ExplodingResult:
    """The numbers this scene shows; the same for every lesson (only the theme is the lesson's)."""
    return exploding()


def y_range(lo: float, hi: float) -> tuple[int, int, list[int]]:
    """(y_min, y_max, labelled exponents) of a log10 axis covering [lo, hi]: the labels are
    :func:`scenes.engine.style.log_ticks`' step, and the axis ends on labelled decades."""
    lo, hi = round(lo, 9), round(hi, 9)  # log10(1) computed as -1e-17 is the decade 10^0
    first = log_ticks(math.floor(lo), math.ceil(hi))
    step = first[1] - first[0] if len(first) > 1 else 1
    y_min, y_max = step * math.floor(lo / step), step * math.ceil(hi / step)
    if y_max == y_min:
        y_max += step
    return y_min, y_max, list(range(y_min, y_max + 1, step))


#: Glyphs that reach below the baseline (left out when finding a Text's baseline).
_DESCENDERS = set("gjpqy,;()[]{}")


def baseline(m: Text | MathTex) -> float:
    """The y of the line ``m``'s letters sit on: the median bottom of a Text's glyphs without
    descenders, or a MathTex's first glyph's bottom (a, W, delta, x: none descends)."""
    if isinstance(m, MathTex):
        return float(m[0][0].get_bottom()[1])
    chars = [c for c in m.text if not c.isspace()]
    glyphs = list(m.submobjects)
    if len(chars) == len(glyphs):
        glyphs = [g for g, c in zip(glyphs, chars) if c not in _DESCENDERS] or glyphs
    return float(np.median([g.get_bottom()[1] for g in glyphs]))


def mixed_words(scene: LessonScene, words: Message, size: int, color: str) -> VGroup:
    """``words``, a template whose fields are symbols (LaTeX), translated as one text and set
    on one line: words in the sans font, each field in MathTex (so a_l never reads "a_l" and
    the l of "layer l" never reads as a capital I), where the translation puts it."""
    tex = dict(words.fields)
    translated = scene.tr(Message(words.template, tuple((name, f"§{name}§") for name in tex)))
    pieces, spaced = VGroup(), []  # spaced[k]: a space in the words before piece k
    space = False
    for k, part in enumerate(re.split(r"§(\w+)§", translated)):
        if k % 2:
            pieces.add(MathTex(tex[part], font_size=size * 1.4, color=color))
            spaced.append(space)
            space = False
            continue
        if part.strip():
            pieces.add(label(part.strip(), scene.theme, size, color=color, font=scene.font))
            spaced.append(space or part[:1].isspace())
        space = part[-1:].isspace() if part.strip() else bool(part)
    for k in range(1, len(pieces)):
        pieces[k].next_to(pieces[k - 1], RIGHT, buff=0.13 if spaced[k] else 0.05)
        pieces[k].shift(UP * (baseline(pieces[0]) - baseline(pieces[k])))
    return pieces


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

    def construct(self) -> None:
        self.result = experiment(self.lesson)
        self.colors = [self.theme.warn, self.theme.good, self.theme.forward]
        self.show_the_linear_net()
        self.three_choices_of_w()
        self.plot_150_layers()
        self.how_much_w_stretches()
        self.back_prop_does_the_same()
        self.gradients_at_layer_1()
        self.bounded_net()
        self.numbers_run_out()
        self.end_chapter()

    # -- helpers ---------------------------------------------------------------------------

    def _scale_tex(self, i: int) -> str:
        r"""``1.5 \cdot I`` for case i (LaTeX)."""
        return rf"{fmt_value(self.result.cases[i].scale)} \cdot I"

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

    def words(self, words: Message, size: int = SIZE.small, color: str | None = None) -> VGroup:
        """On-screen words with symbols in them (see :func:`mixed_words`), muted by default."""
        return mixed_words(self, words, size, color or self.theme.muted)

    def _axes(self, depth: int, lo: float, hi: float, key: str, x_step: int,
              title: Message) -> tuple[VGroup, LogPlot]:
        """Axes for layer 0..depth (x) and log10 of a value (y), tick labels 10^k (style.log_tick)."""
        th = self.theme
        y_min, y_max, labelled = y_range(lo, hi)
        step = labelled[1] - labelled[0]
        axes = Axes(
            x_range=[0, depth, x_step], y_range=[0, y_max - y_min, step],
            x_length=AXES_WIDTH, y_length=AXES_HEIGHT, tips=False,
            axis_config={"color": th.muted, "stroke_width": 2, "include_ticks": True},
        )
        axes.move_to([AXES_LEFT + AXES_WIDTH / 2, AXES_BOTTOM + AXES_HEIGHT / 2, 0])
        plot = LogPlot(axes, depth, y_min, y_max)
        y_labels, x_labels = VGroup(), VGroup()
        for k in labelled:
            y_labels.add(log_tick(k, th).next_to(plot.p(0, k), LEFT, buff=0.15))
        xs = [float(x) for x in range(0, depth + 1, x_step)]
        for x in xs:
            tick = self.text(str(int(x)), SIZE.small, color=th.muted)
            x_labels.add(tick.next_to(plot.p(x, y_min), DOWN, buff=0.15))
        self.shown[f"{key}_y_ticks"] = [float(k) for k in labelled]
        self.shown[f"{key}_x_ticks"] = xs
        x_title = self.words(t("layer {l}", l="l"))
        x_title.next_to(plot.p(depth, y_min), RIGHT, buff=0.3)
        y_title = self.y_title(title, y_labels, plot)
        return VGroup(axes, y_labels, x_labels, x_title, y_title), plot

    def y_title(self, title: Message, y_labels: VGroup, plot: LogPlot) -> VGroup:
        """The y axis's name (words and their symbols), above the axis, aligned with its tick labels."""
        words = self.words(title)
        return words.next_to(plot.p(0, plot.y_max), UP, buff=0.22).align_to(y_labels, LEFT)

    def _panel(self, header: VGroup | Text, values: Sequence[Text | VGroup], dashed: bool = False) -> VGroup:
        """The numbers column at the right: a header, then one row per case (swatch, s·I, value)."""
        rows = VGroup()
        for i, value in enumerate(values):
            sw: VMobject = Line(LEFT * 0.22, RIGHT * 0.22, color=self.colors[i], stroke_width=5)
            if dashed:
                sw = DashedLine(LEFT * 0.22, RIGHT * 0.22, color=self.colors[i], stroke_width=5,
                                dash_length=0.09)
            name = self.tex(self._scale_tex(i), SIZE.label, color=self.colors[i])
            row = VGroup(sw, name).arrange(RIGHT, buff=0.15)
            value.next_to(row, DOWN, buff=0.12, aligned_edge=LEFT).shift(RIGHT * 0.59)
            rows.add(VGroup(row, value))
        rows.arrange(DOWN, buff=0.32, aligned_edge=LEFT)
        panel = VGroup(header, rows).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        panel.move_to([PANEL_LEFT, PANEL_TOP, 0], aligned_edge=UL)
        return panel

    # -- beat 1: the linear net ------------------------------------------------------------

    def _unit(self, col: int, k: int) -> Circle:
        th = self.theme
        c = Circle(radius=UNIT_RADIUS, stroke_color=th.neuron_stroke, stroke_width=2.5,
                   fill_color=th.neuron_fill, fill_opacity=1)
        return c.move_to([COLUMN_X[col], DIAGRAM_Y + UNIT_GAP / 2 - k * UNIT_GAP, 0])

    def show_the_linear_net(self) -> None:
        """a_L = W_L ... W_1 x over a small net with 2 units per layer, g(z) = z and b = 0."""
        th = self.theme
        self.heading = self.chapter_heading(t("Exploding gradients"),
                                            t("the same product, with factors above 1 (or below)"))
        self.formula = self.tex(r"a_L = W_L\, W_{L-1} \cdots W_2\, W_1\, x", SIZE.body)
        g = self.tex(r"g(z) = z,\quad b = 0", SIZE.label, color=th.muted)
        step = self.tex(r"\Rightarrow\ a_l = W_l\, a_{l-1}", SIZE.label, color=th.muted)
        VGroup(self.formula, g, step).arrange(RIGHT, buff=0.45).move_to([0.3, FORMULA_Y, 0])
        cols = [0, 1, 2, 3, 5]
        units = {c: VGroup(self._unit(c, 0), self._unit(c, 1)) for c in cols}
        straight, cross = VGroup(), VGroup()
        w_labels = VGroup()
        for a, b, name in zip(cols[:-1], cols[1:], ["1", "2", "3", "L"]):
            if b == 5:  # the elided layers: W_4 .. W_(L-1)
                a = 4
            for j in range(2):
                for k in range(2):
                    start = (units[a][k].get_right() if a != 4
                             else np.array([COLUMN_X[4] + 0.35, units[5][k].get_y(), 0]))
                    line = Line(start, units[b][j].get_left(), color=th.edge, stroke_width=2.5)
                    (straight if j == k else cross).add(line)
            w_labels.add(self.tex(rf"W_{{{name}}}", SIZE.small, color=th.muted).move_to(
                [(COLUMN_X[a] + COLUMN_X[b]) / 2, DIAGRAM_Y + UNIT_GAP / 2 + 0.42, 0]))
        dots = self.tex(r"\cdots", SIZE.body, color=th.muted).move_to([COLUMN_X[4], DIAGRAM_Y, 0])
        col_names = VGroup(*[
            self.tex(tex, SIZE.small, color=th.muted).move_to([COLUMN_X[c], DIAGRAM_Y - UNIT_GAP / 2 - 0.45, 0])
            for c, tex in zip(cols, ["x = a_0", "a_1", "a_2", "a_3", "a_L"])
        ])
        self.straight, self.cross = straight, cross
        self.diagram = VGroup(straight, cross, *units.values(), dots, w_labels, col_names, g, step)
        with self.beat(t("What if the factors are above 1? A linear deep net of L layers, g(z) = z (slope 1: a "
                         "factor is just w), b = 0: a_l = W_l a_(l−1).")):
            self.play(FadeIn(self.heading), run_time=0.8)
            # the formula drawn with the net, so no half-written glyph is on screen when the first cue ends
            self.play(FadeIn(VGroup(straight, cross, *units.values(), dots, w_labels, col_names, g)),
                      Write(self.formula), FadeIn(step), run_time=1.2)

    # -- beat 2: W = s I ---------------------------------------------------------------------

    def three_choices_of_w(self) -> None:
        """W = s I for s = 1.5, 0.9, 0.5 with x = (1, 1): the first layers' values, and s^L at layer L."""
        r = self.result
        self.shown["scales"] = [c.scale for c in r.cases]
        self.shown["x"] = list(r.x)
        rows = VGroup()
        for i, c in enumerate(r.cases):
            y = TABLE_TOP_Y - i * ROW_GAP
            row = VGroup(self.tex(rf"W = {self._scale_tex(i)}", SIZE.label, color=self.colors[i])
                         .move_to([ROW_LABEL_X, y, 0]))
            row.add(self.number(f"x0_{i}", r.x[0], SIZE.label).move_to([COLUMN_X[0], y, 0]))
            for layer, value in enumerate(c.first_values, start=1):
                row.add(self.number(f"first_{i}_{layer}", value, SIZE.label).set_color(self.colors[i])
                        .move_to([COLUMN_X[layer], y, 0]))
            row.add(self.tex(r"\cdots", SIZE.label, color=self.colors[i]).move_to([COLUMN_X[4], y, 0]))
            row.add(self.tex(rf"{fmt_value(c.scale)}^{{L}}", SIZE.label, color=self.colors[i])
                    .move_to([COLUMN_X[5], y, 0]))
            rows.add(row)
        self.table = rows
        head = self.words(t("first number of {a}:", a="a_l"))
        head.move_to([ROW_LABEL_X, TABLE_TOP_Y + ROW_GAP * 0.75, 0], aligned_edge=LEFT).shift(LEFT * 0.9)
        self.table_head = head
        x_vec = self.tex(rf"x = ({fmt_value(r.x[0])},\ {fmt_value(r.x[1])})", SIZE.label)
        x_vec.next_to(self.diagram[2], LEFT, buff=0.35)
        self.x_vec = x_vec
        x = [self.inline(f"caption_x_{k}", v) for k, v in enumerate(r.x[:2])]
        s = [self.inline(f"caption_scale_{i}", c.scale) for i, c in enumerate(r.cases)]
        with self.beat(t("Every W_l = s·I (s on the diagonal, 0 elsewhere), x = ({x1}, {x2}): each layer "
                         "multiplies both numbers by s = {s1}, {s2} or {s3}.", x1=x[0], x2=x[1], s1=s[0], s2=s[1],
                         s3=s[2])):
            # s·I has zeros off the diagonal: the crossing wires go (round 40 lecturer: they were still drawn)
            self.play(FadeIn(x_vec), self.cross.animate.set_stroke(opacity=0.0), run_time=1.0)
            self.play(FadeIn(head), *[FadeIn(row, shift=RIGHT * 0.2) for row in rows], run_time=1.5)

    # -- beat 3: 150 layers on a log scale --------------------------------------------------

    def _mark(self, layer: int, key: str) -> tuple[DashedLine, VGroup]:
        """A vertical marker at ``layer`` and a dot where each line crosses it."""
        plot, r = self.plot, self.result
        self.shown[key] = float(layer)
        line = DashedLine(plot.p(layer, plot.y_min), plot.p(layer, plot.y_max), color=self.theme.text,
                          stroke_width=2, dash_length=0.1)
        dots = VGroup(*[Dot(plot.p(layer, c.log10_unit[layer]), radius=0.07, color=self.colors[i])
                        for i, c in enumerate(r.cases)])
        return line, dots

    def _values_panel(self, k: int) -> VGroup:
        """'after m layers' and the three float64 first numbers of a_m (m = marks[k])."""
        r = self.result
        m = r.marks[k]
        values = [self.number(f"value_{m}_{i}", c.mark_values[k], SIZE.body).set_color(self.colors[i])
                  for i, c in enumerate(r.cases)]
        # float64's numbers (float32 would hold 0 for 0.5^150, below its smallest subnormal): said on screen
        head = self.text(t("after {m} layers (float64)", m=m), SIZE.small, color=self.theme.muted)
        return self._panel(head, values)

    def plot_150_layers(self) -> None:
        """Three straight lines on a log axis (first number of a_l, l = 0..150), values at the last mark."""
        r = self.result
        lo = min(min(c.log10_unit) for c in r.cases)
        hi = max(max(c.log10_unit) for c in r.cases)
        self.plot_group, self.plot = self._axes(r.depth, lo, hi, "plot", 25,
                                                t("first number of {a}, log scale", a="a_l"))
        self.lines = VGroup()
        for i, c in enumerate(r.cases):
            layers, values = self._sampled(c.log10_unit)
            self.shown[f"line_{i}"] = list(values)
            self.shown[f"line_layers_{i}"] = [float(v) for v in layers]
            self.lines.add(self._line(self.plot, layers, values, self.colors[i]))
        target = self.formula.copy().scale(0.75).to_corner(UR, buff=0.35)
        old = VGroup(self.diagram, self.table, self.table_head, self.x_vec)
        k = len(r.marks) - 1  # the last mark: the plot's right edge (the depth the later beats use)
        m = r.marks[k]
        last = [self.inline(f"caption_value_{m}_{i}", c.mark_values[k]) for i, c in enumerate(r.cases)]
        self.marker, self.dots = self._mark(m, f"mark_{k}")
        self.panel = self._values_panel(k)
        with self.beat(t("After {m} layers: {b1}, {b2}, {b3}.", m=m, b1=last[0], b2=last[1], b3=last[2])):
            self.play(FadeOut(old), self.formula.animate.move_to(target).scale(0.75), run_time=0.8)
            self.play(Create(self.plot_group), run_time=0.8)
            self.play(*[Create(line) for line in self.lines], run_time=1.4)
            self.play(Create(self.marker), FadeIn(self.dots), FadeIn(self.panel), run_time=0.8)

    # -- beat 4: a general W ----------------------------------------------------------------

    def how_much_w_stretches(self) -> None:
        """W = 0.9 in every entry maps (1, 1) to 1.8 (1, 1) and (1, -1) to 0: after 10 layers, 1.8^10."""
        r, th = self.result, self.theme
        ex = r.example
        if ex.across_stretch is None:
            raise ValueError("the stretch example needs two numbers per layer")
        e = fmt_value(ex.entry)
        matrix = self.tex(rf"W = \begin{{pmatrix}} {e} & {e} \\ {e} & {e} \end{{pmatrix}}", SIZE.label)
        self.shown["example_entry"] = ex.entry
        self.shown["example_stretch"] = ex.stretch
        self.shown["example_across_stretch"] = ex.across_stretch
        column = r"\begin{{pmatrix}} {} \\ {} \end{{pmatrix}}"
        ones, across = column.format(1, 1), column.format(1, "-1")
        maps = self.tex(rf"W {ones} = {fmt_value(ex.stretch)}\, {ones}", SIZE.label, color=th.text)
        squash = self.tex(rf"W {across} = {fmt_value(ex.across_stretch)}\, {across}", SIZE.label, color=th.muted)
        a_layer = f"a_{{{ex.layer}}}"
        first = VGroup(self.words(t("first number of {a}:", a=a_layer)),
                       self.number("example_value", ex.value, SIZE.body).set_color(th.text))
        first.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        box = VGroup(matrix, maps, squash, first).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        box.move_to([PANEL_LEFT, PANEL_TOP, 0], aligned_edge=UL)
        self.example_box = box
        entry = self.inline("caption_entry", ex.entry)
        stretch = self.inline("caption_stretch", ex.stretch)
        squashed = self.inline("caption_across_stretch", ex.across_stretch)
        self.shown["example_layer"] = float(ex.layer)
        # this W's own line, a_l = stretch^l (1, 1), white over the dimmed s·I lines: the picture is of it
        self.shown["example_line"] = [float(v) for v in ex.log10_unit]
        line = self._line(self.plot, list(range(len(ex.log10_unit))), ex.log10_unit, th.text)
        end = Dot(self.plot.p(ex.layer, ex.log10_unit[-1]), radius=0.07, color=th.text)
        self.example_line = VGroup(line, end)
        with self.beat(t("In a wide layer, what counts is how much W stretches, by direction: this W, all entries "
                         "{entry}, still stretches (1, 1) by {stretch}, squashes (1, −1) to {squashed}.", entry=entry,
                         stretch=stretch, squashed=squashed)):
            self.play(FadeOut(self.marker), FadeOut(self.dots), FadeOut(self.panel),
                      self.lines.animate.set_stroke(opacity=0.25), run_time=0.6)
            self.play(Write(matrix), run_time=1.0)
            self.wait(1.5)
            self.play(FadeIn(maps), run_time=1.0)
            self.wait(1.0)
            self.play(FadeIn(squash), run_time=1.0)
            self.wait(1.0)
            self.play(Create(line), FadeIn(first), run_time=0.8)
            self.play(FadeIn(end, scale=2), run_time=0.4)

    # -- beat 5: back prop ------------------------------------------------------------------

    def back_prop_does_the_same(self) -> None:
        """Dashed lines drawn right to left: log10 of the first number of delta_l, l = L..1."""
        r, plot, th = self.result, self.plot, self.theme
        self.back_lines = VGroup()
        for i, c in enumerate(r.cases):
            layers, values = self._sampled(c.log10_delta_unit, first_layer=1)  # delta_1 .. delta_L
            self.shown[f"back_line_{i}"] = list(values)
            self.shown[f"back_line_layers_{i}"] = [float(v) for v in layers]
            # drawn from the output (l = L) leftwards
            self.back_lines.add(self._line(plot, layers[::-1], values[::-1], self.colors[i], dashed=True))
        rule = self.tex(r"\delta_{l-1} = W_l^{T}\, \delta_l", SIZE.body, color=th.backward)
        swap = VGroup(self.tex(r"W^{T}:", SIZE.small, color=th.muted),
                      self.text(t("W with rows and\ncolumns swapped"), SIZE.small, color=th.muted, line_spacing=0.8))
        swap.arrange(RIGHT, buff=0.12, aligned_edge=UP)
        note = VGroup(self.words(t("dashed: first number of {delta},", delta=r"\delta_l"), color=th.backward),
                      self.text(t("from the output leftwards"), SIZE.small, color=th.backward))
        note.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        self.back_label = VGroup(rule, swap, note).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        self.back_label.move_to([PANEL_LEFT, PANEL_TOP, 0], aligned_edge=UL)
        old_title = self.plot_group[4]
        new_title = self.y_title(t("first number of {a} (solid) and of {delta} (dashed), log scale", a="a_l",
                                   delta=r"\delta_l"), self.plot_group[1], plot)
        with self.beat(t("Back prop multiplies by W^T, here W itself: gradients grow or shrink alike.")):
            self.play(FadeOut(self.example_box), FadeOut(self.example_line),
                      self.lines.animate.set_stroke(opacity=0.35), FadeIn(self.back_label),
                      Transform(old_title, new_title), run_time=1.0)
            self.play(*[Create(line) for line in self.back_lines], run_time=2.5)

    # -- beat 6: layer 1's weight gradient ---------------------------------------------------

    def gradients_at_layer_1(self) -> None:
        """||dC/dW_1|| with C = the sum of the outputs, so dC/da_L = (1, 1). With W = s I every
        layer's ||dC/dW_l|| is the same (δ_l shrinks as a_(l-1) grows): said so when the written
        numbers agree for every layer, since then the picture is of the whole gradient's scale,
        not of layer 1 against the others."""
        r, th = self.result, self.theme
        values = [self.number(f"grad_w_1_{i}", c.grad_w_1, SIZE.body).set_color(self.colors[i])
                  for i, c in enumerate(r.cases)]
        every = all(fmt_value(10.0 ** v) == fmt_value(c.grad_w_1) for c in r.cases for v in c.log10_grad_w_norms)
        self.shown["every_layer_same_gradient"] = float(every)
        size = VGroup(self.text(t("every layer:") if every else t("layer 1:"), SIZE.small, color=th.muted),
                      self.tex(r"\|\partial C/\partial W_l\|" if every else r"\|\partial C/\partial W_1\|", SIZE.small,
                               color=th.muted)).arrange(RIGHT, buff=0.12)
        head = VGroup(self.tex(r"C = a_{L,1} + a_{L,2}", SIZE.small, color=th.muted),
                      self.tex(r"\partial C/\partial a_L = (1,\ 1)", SIZE.small, color=th.muted),
                      size)
        head.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        self.panel = self._panel(head, values, dashed=True)
        if every:  # the sizes are in the panel; the caption says why they agree
            caption = t("With C the sum of the outputs, ∂C/∂a_L = (1, 1). Toward the input, δ_l changes by s per "
                        "layer, exploding or vanishing as in chapter {chain}, and a_(l−1) by 1/s: each weight gradient "
                        "δ_l a_(l−1) has one size, far too big or too small.", chain=number_of("backprop"))
        else:
            g = [self.inline(f"caption_grad_w_1_{i}", c.grad_w_1) for i, c in enumerate(r.cases)]
            caption = t("With C here the sum of the outputs, ∂C/∂a_L = (1, 1): layer 1's weight gradient has size "
                        "{g1}, {g2} or {g3}, far too big to learn from, or too small.", g1=g[0], g2=g[1], g3=g[2])
        with self.beat(caption):
            self.play(FadeOut(self.back_label), FadeIn(self.panel), run_time=1.2)
            self.play(Indicate(self.back_lines, color=th.text, scale_factor=1.0), run_time=1.2)

    # -- beat 7: a bounded activation --------------------------------------------------------

    def bounded_net(self) -> None:
        """Here a_l explodes along with the gradient. With the sigmoid, a is bounded, yet δ can
        still grow: chapter 6's chain with every w = 100, b = −50 and a_0 = 0.5 keeps every
        z_l = 0 and a_l = 0.5, while δ grows 25-fold per layer toward the input."""
        b, th = self.result.bounded, self.theme
        for key in ("weight", "bias", "input", "target", "activation", "factor"):
            self.shown[f"bounded_{key}"] = getattr(b, key)
        w, bias, a0, y, a, f = (fmt_value(v) for v in (b.weight, b.bias, b.input, b.target, b.activation, b.factor))
        rows = VGroup(VGroup(self.tex(rf"g = \sigma,\ a_0 = {a0}", SIZE.label),
                             self.tex(rf"C = \tfrac{{1}}{{2}}(a_L - y)^2,\ y = {y}", SIZE.small, color=th.muted))
                      .arrange(DOWN, aligned_edge=LEFT, buff=0.12),
                      self.text(t("every layer:"), SIZE.small, color=th.muted),
                      self.tex(rf"w = {w},\ b = {bias}", SIZE.label),
                      self.tex(rf"a_l = {a}", SIZE.label, color=th.good),
                      self.tex(rf"\delta_{{l-1}} = {f}\, \delta_l", SIZE.label, color=th.overflow),
                      # a knife-edge (chapter 6's narrow band): nudge a_0 and the next layers saturate
                      VGroup(self.words(t("a knife-edge: nudge {a}", a="a_0")),
                             self.text(t("and later layers saturate"), SIZE.small, color=th.muted))
                      .arrange(DOWN, aligned_edge=LEFT, buff=0.08))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        if rows.width > 6.95 - PANEL_LEFT:  # a long translation stays inside the frame
            rows.scale_to_fit_width(6.95 - PANEL_LEFT)
        rows.move_to([PANEL_LEFT, PANEL_TOP, 0], aligned_edge=UL)
        w_c, b_c, a0_c, a_c, f_c = (self.inline(f"caption_bounded_{k}", v) for k, v in (
            ("weight", b.weight), ("bias", b.bias), ("input", b.input), ("activation", b.activation),
            ("factor", b.factor)))
        self.bounded_lines = self._bounded_lines()
        # a_l grows with δ_l only where s > 1 (round 41 lecturer: "in this linear net" read as every s)
        s = self.inline("caption_growing_scale", max(c.scale for c in self.result.cases))
        with self.beat(t("For s = {s}, a_l grows too. With σ and every w = {w}, b = {b}, a_0 = {a0}, a_l would "
                         "stay {a}, δ_l grow {f}-fold a layer: a knife-edge.", s=s, a0=a0_c, w=w_c, b=b_c, a=a_c,
                         f=f_c)):
            # the linear net's lines dimmed: the panel is another net (round 35 newcomer)
            self.play(FadeOut(self.panel), self.lines.animate.set_stroke(opacity=0.12),
                      self.back_lines.animate.set_stroke(opacity=0.12), run_time=0.6)
            self.play(FadeIn(rows[:3]), run_time=0.8)
            self.play(FadeIn(rows[3]), run_time=0.6)
            self.play(Create(self.bounded_lines[0]), run_time=0.6)
            self.play(FadeIn(rows[4:]), Create(self.bounded_lines[1]), run_time=1.0)
        self.panel = VGroup(rows, self.bounded_lines)

    def _bounded_lines(self) -> VGroup:
        """The sigmoid chain on the 150-layer axis: a_l (solid, flat at 0.5) and δ_l (dashed, drawn from
        the output leftwards until it leaves the top of the plot, 25-fold a layer)."""
        b, plot, th = self.result.bounded, self.plot, self.theme
        if b.layers != plot.depth:
            raise ValueError(f"the bounded chain has {b.layers} layers, the plot {plot.depth}")
        a_line = Line(plot.p(0, math.log10(b.activation)), plot.p(plot.depth, math.log10(b.activation)),
                      color=th.good, stroke_width=4)
        self.shown["bounded_a_line"] = [math.log10(b.activation)] * 2
        pts = list(enumerate(b.log10_delta, start=1))[::-1]  # (l, log10 |δ_l|), from l = L leftwards
        inside = [(x, y) for x, y in pts if y <= plot.y_max]
        if len(inside) < len(pts):  # where the line leaves the plot, between two layers
            (x0, y0), (x1, y1) = inside[-1], pts[len(inside)]
            inside.append((x0 + (x1 - x0) * (plot.y_max - y0) / (y1 - y0), plot.y_max))
        self.shown["bounded_delta_line"] = [y for _, y in inside]
        self.shown["bounded_delta_line_layers"] = [float(x) for x, _ in inside]
        solid = self._line(plot, *zip(*inside), th.overflow)
        delta_line = DashedVMobject(solid, num_dashes=max(8, round(solid.get_arc_length() / 0.16)), dashed_ratio=0.6)
        return VGroup(a_line, delta_line)

    # -- beat 8: float32 and float64 ---------------------------------------------------------

    def _float_line(self, c: ExplodingCase) -> VGroup:
        """log10 of the first unit of a_l, l = 0..f32_depth (exact): solid while float32 holds it,
        dashed beyond the layer where float32 overflowed."""
        layers, values = self._sampled(c.f32_log10_unit)
        self.shown["float_line"] = list(values)
        self.shown["float_line_layers"] = [float(v) for v in layers]
        color = self.colors[self.result.cases.index(c)]
        limit = c.f32_overflow_layer
        if limit is None:
            return VGroup(self._line(self.float_plot, layers, values, color))
        at = (limit, c.f32_log10_unit[limit])
        inside = [(x, y) for x, y in zip(layers, values) if x < limit] + [at]
        outside = [at] + [(x, y) for x, y in zip(layers, values) if x > limit]
        return VGroup(self._line(self.float_plot, *zip(*inside), color),
                      self._line(self.float_plot, *zip(*outside), color, dashed=True))

    def numbers_run_out(self) -> None:
        """One beat: W = 1.5 I in float32 gives inf at layer 219 and NaN at 220 (on screen); float64 inf
        at 1751; the bounded sigmoid chain's delta, in float32, inf 29 layers back from the output."""
        r, th = self.result, self.theme
        i = next(k for k, c in enumerate(r.cases) if c.f32_overflow_layer is not None)
        c = r.cases[i]
        over, nan, over64 = c.f32_overflow_layer, c.f32_nan_layer, c.overflow_layer
        if nan is None or over64 is None:
            raise ValueError(f"W = {c.scale} I: float32 never formed NaN or float64 never overflowed")
        top = r.log10_float32_max
        lo = min(c.f32_log10_unit)
        hi = max(max(c.f32_log10_unit), top)
        group, self.float_plot = self._axes(r.f32_depth, lo, hi, "float", 50,
                                            t("first number of {a}, log scale", a="a_l"))
        plot = self.float_plot
        self.shown["float_depth"] = float(r.f32_depth)
        line = self._float_line(c)
        limit = DashedLine(plot.p(0, top), plot.p(plot.depth, top), color=th.overflow, stroke_width=2,
                           dash_length=0.1)
        limit_label = VGroup(self.text(t("largest float32 ≈"), SIZE.small, color=th.overflow),
                             self.number("float32_max", r.float32_max, SIZE.small).set_color(th.overflow))
        limit_label.arrange(RIGHT, buff=0.12)
        limit_label.next_to(plot.p(0, top), UP, buff=0.12, aligned_edge=LEFT).shift(RIGHT * 0.15)
        beyond = self.text(t("larger: inf"), SIZE.small, color=th.overflow)
        beyond.next_to(plot.p(plot.depth, top), DOWN, buff=0.12, aligned_edge=RIGHT)
        limit_label.add(beyond)
        dot = Dot(plot.p(over, c.f32_log10_unit[over]), radius=0.09, color=th.overflow)
        exact = self.text(t("exact size"), SIZE.small, color=self.colors[i])
        at = round(0.83 * plot.depth)  # above and left of the dashed part, which rises to the right: clear of it
        exact.move_to(plot.p(at, c.f32_log10_unit[at]) + UP * 0.12, aligned_edge=DOWN + RIGHT)
        self.shown["float32_overflow_layer"] = float(over)
        self.shown["float32_nan_layer"] = float(nan)
        self.shown["float64_overflow_layer"] = float(over64)
        head = self.tex(rf"W = {self._scale_tex(i)}", SIZE.label, color=self.colors[i])
        scale = fmt_value(c.scale)
        # layer nan: the first number of W a is scale * inf + 0 * inf (I's zeros), and 0 * inf is NaN
        why = self.tex(rf"{scale} \cdot \mathrm{{inf}} + 0 \cdot \mathrm{{inf}} = \mathrm{{NaN}}", SIZE.small,
                       color=th.overflow)  # SIZE.small: at SIZE.label it runs past the frame's right edge
        back = r.bounded.f32_overflow_back
        self.shown["bounded_f32_overflow_back"] = float(back)
        rows = VGroup(self.text(t("float32 (32-bit numbers):"), SIZE.small, color=th.muted),
                      self.text(t("inf at layer {l}", l=over), SIZE.label, color=th.overflow),
                      self.text(t("NaN at layer {l}:", l=nan), SIZE.label, color=th.overflow),
                      why,
                      self.text(t("NaN: not a number"), SIZE.small, color=th.muted),
                      self.text(t("float64:"), SIZE.small, color=th.muted),
                      self.text(t("inf at layer {l}", l=over64), SIZE.label, color=th.overflow),
                      self.words(t("sigmoid chain, float32: {delta}", delta=r"\delta_l"), color=th.muted),
                      self.text(t("inf {k} layers back", k=back), SIZE.label, color=th.overflow))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.14)
        why.shift(RIGHT * 0.25)
        rows[5:].shift(DOWN * 0.15)
        rows[7:].shift(DOWN * 0.15)
        panel = VGroup(head, rows).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        room = PANEL_TOP - (AXES_BOTTOM + PANEL_FLOOR)
        if panel.height > room:  # taller glyphs (a translation): the panel shrinks to stay clear of "layer l"
            panel.scale_to_fit_height(room)
        panel.move_to([PANEL_LEFT, PANEL_TOP, 0], aligned_edge=UL)
        self.float_panel = panel
        biggest = self.inline("caption_float32_max", r.float32_max)
        old = VGroup(self.plot_group, self.lines, self.back_lines, self.panel)
        back_said = self.inline("caption_bounded_f32_overflow_back", back)
        with self.beat(t("float32 tops out near {biggest}: the linear net's a_l passes it at layer {over} "
                         "(inf), the sigmoid chain's δ_l {back} layers back.", biggest=biggest,
                         over=over, back=back_said)):
            self.play(FadeOut(old), run_time=0.8)
            self.play(Create(group), Create(limit), FadeIn(limit_label), run_time=1.2)
            self.play(Create(line), run_time=2.0)
            self.play(FadeIn(dot, scale=2), FadeIn(exact), FadeIn(head), FadeIn(rows[:2]), run_time=1.0)
            self.play(Flash(dot, color=th.overflow), run_time=0.8)
            self.wait(1.5)
            self.play(FadeIn(rows[2:5]), run_time=0.8)
            self.wait(1.0)
            self.play(FadeIn(rows[5:7]), run_time=0.8)
            self.play(FadeIn(rows[7:]), run_time=0.8)
        self.key_picture = VGroup(group, line, limit, limit_label, dot, exact, panel)


__all__ = ["ExplodingGradients", "experiment", "y_range"]
