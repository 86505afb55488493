"""Chapter 7: the shrinking rectangle, and when back prop's factors lie between 0 and 1.

A unit square is multiplied by 1/4, 1/3, 1/4 and shrinks to 1/48 (exact fractions). Then the
viewer's question "why are the gradients between 0 and 1?" is answered: it is not the
gradients but each layer's factor w sigma'(z), by which back prop multiplies the gradient,
whose size lies between 0 and 1, and only while the weights are small. sigma'(z) <= 1/4
(chapter 3), so |w sigma'(z)| <= |w| / 4: below 1 when |w| < 4, below 1/4 when |w| < 1; any
size between 0 and 1 can occur (w = 4/3 at z = 0 gives the rectangle's 1/3). A real chain
with weights of ordinary size shows the product's size shrinking from the output leftwards
(some factors negative: the sign flips, the size shrinks); with Nielsen's large weights
(w = 100, every z = 0) every factor is 25 and the product grows (exploding gradients). The
bars stand on a log scale, so 6.9e-06 and 3.9e+05 both show.

Every number comes from :func:`netsim.experiments.rectangle.shrinking_factors`.

Render: ``.venv/bin/manim -ql scenes/rectangle.py ShrinkingRectangle``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Arrow,
    Axes,
    Brace,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    GrowFromEdge,
    Indicate,
    Line,
    MathTex,
    Rectangle,
    ReplacementTransform,
    Square,
    SurroundingRectangle,
    Transform,
    Triangle,
    VGroup,
    Write,
)

from netsim.experiments.rectangle import RectangleResult, shrinking_factors
from scenes.chapters import number_of
from scenes.common import LessonScene
from scenes.lesson import Lesson
from scenes.style import SIZE, fmt_value, power_of_ten_tex

#: Neurons a row of bars holds legibly at 480p.
MAX_CHAIN = 6
#: Seconds of one back-prop step (one factor) in the chain beats.
STEP = 1.0

# Layout (scene units; the frame is 14.2 x 8). The chapter heading sits top left.
LEGEND_Y = 2.4           # the chain's legend (right-aligned, under the question)
SQUARE_SIDE = 3.6
SQUARE_CENTER = np.array([-3.2, -0.4, 0.0])
EQ_X = 0.5
RIGHT_X = 0.9             # left edge of part 2's right-hand column
AXIS_X = -6.0             # the log axis of part 3
BAR_BASE_Y = -2.0         # the bottom of the log axis
AXIS_HEIGHT = 3.5
BAR_WIDTH = 0.7
ROW_LEFT = -4.6           # x of layer 1's column
ROW_RIGHT = 5.0           # x of the output's column
NAME_Y = -2.35            # the row of column names; back prop's arrows run between them


def chain_layers(lesson: Lesson) -> int:
    """Neurons L of the chain: the lesson's hidden layers plus the output, at most MAX_CHAIN."""
    return min(lesson.depth + 1, MAX_CHAIN)


@lru_cache(maxsize=4)
def experiment(lesson: Lesson) -> RectangleResult:
    """The numbers this scene shows for ``lesson`` (its seed draws the chain's weights)."""
    return shrinking_factors(seed=lesson.seed, layers=chain_layers(lesson))


def frac_tex(f: Fraction) -> str:
    r"""A fraction as LaTeX: \tfrac{1}{4}, or an integer."""
    if f.denominator == 1:
        return str(f.numerator)
    return rf"\tfrac{{{f.numerator}}}{{{f.denominator}}}"


def decades(r: RectangleResult) -> tuple[int, int]:
    """The powers of ten the log axis spans: every bar of both chains, and 1 (the output's)."""
    sizes = [abs(v) for v in (*r.running, *r.large_running)] + [1.0]
    return math.floor(math.log10(min(sizes))), math.ceil(math.log10(max(sizes)))


def sci(value: float) -> str:
    """How e-notation reads: 6.93e-06 -> 6.93 × 10^-6 (as LaTeX)."""
    mantissa, exponent = fmt_value(value).split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


class ShrinkingRectangle(LessonScene):
    """Chapter 7: the shrinking rectangle, the factors |w sigma'(z)|, and a real chain's factors."""

    #: Tests set this to stop before the final fade, on the chapter's key picture.
    skip_end = False

    def construct(self) -> None:
        self.result = experiment(self.lesson)
        self.show_unit_square()
        for k in range(1, len(self.result.multipliers) + 1):
            self.multiply_square(k)
        self.more_factors_smaller_product()
        self.ask_the_viewers_question()
        self.factors_not_gradients()
        self.plot_sigma_prime()
        self.bound_each_factor()
        self.reconcile_the_third()
        self.set_up_the_chain()
        self.back_prop_shrinks_the_bar()
        self.signs_can_be_negative()
        self.show_what_is_left()
        self.large_weights_grow_the_bar()
        self.point_to_exploding_gradients()
        self.hold_key_picture()
        if not self.skip_end:
            self.end_chapter()

    # -- helpers ---------------------------------------------------------------------------

    def _tex(self, key: str | None, *tex: str, value: Any = None, size: int = SIZE.body,
             color: str | None = None) -> MathTex:
        """A MathTex of the parts ``tex``; with a ``key``, ``value`` is recorded in ``shown[key]``."""
        if key is not None:
            self.shown[key] = value
        return MathTex(*tex, font_size=size * 1.4, color=color or self.theme.text)

    def _rect(self, x0: float, y1: float, w: float, h: float) -> Rectangle:
        """The kept piece: its top-left corner at (x0, y1), width w, height h."""
        r = Rectangle(width=w, height=h, stroke_width=0, fill_color=self.theme.backward, fill_opacity=0.9)
        return r.move_to([x0 + w / 2, y1 - h / 2, 0])

    # -- part 1: the rectangle -------------------------------------------------------------

    def show_unit_square(self) -> None:
        """A square of area 1, drawn in outline; the part that remains is filled."""
        t = self.theme
        self.heading = self.chapter_heading("The shrinking rectangle", "numbers between 0 and 1, multiplied")
        self.outline = Square(side_length=SQUARE_SIDE, stroke_color=t.text, stroke_width=3,
                              fill_color=t.muted, fill_opacity=0.15).move_to(SQUARE_CENTER)
        corner = self.outline.get_corner(UP + LEFT)
        self.piece = (float(corner[0]), float(corner[1]), SQUARE_SIDE, SQUARE_SIDE)
        self.kept = self._rect(*self.piece)
        area = self.result.areas[0]
        self.area_label = self._tex("area_0", frac_tex(area), value=area, size=SIZE.heading,
                                    color=self.theme.background).move_to(SQUARE_CENTER)
        self.equations = VGroup()
        self.say(f"Start with a square. Its area is {area}.", FadeIn(self.heading), Create(self.outline),
                 FadeIn(self.kept), Write(self.area_label), run_time=1.6)

    def multiply_square(self, k: int) -> None:
        """Multiply by the k-th factor: cut the remaining piece and keep that fraction of it."""
        m, before, after = self.result.multipliers[k - 1], self.result.areas[k - 1], self.result.areas[k]
        x0, y1, w, h = self.piece
        cuts = VGroup()
        vertical = k % 2 == 1
        for i in range(1, m.denominator):
            if vertical:
                x = x0 + w * i / m.denominator
                cuts.add(DashedLine([x, y1, 0], [x, y1 - h, 0], color=self.theme.text, stroke_width=3))
            else:
                y = y1 - h * i / m.denominator
                cuts.add(DashedLine([x0, y, 0], [x0 + w, y, 0], color=self.theme.text, stroke_width=3))
        self.piece = (x0, y1, w * float(m), h) if vertical else (x0, y1, w, h * float(m))
        new_kept = self._rect(*self.piece)
        self.shown[f"multiplier_{k}"] = m
        eq = self._tex(f"area_{k}", frac_tex(before), r"\times", frac_tex(m), "=", frac_tex(after), value=after)
        eq[-1].set_color(self.theme.backward)
        eq.move_to([0, 0, 0]).align_to([EQ_X, 0, 0], LEFT)
        if self.equations:
            eq.next_to(self.equations[-1], DOWN, buff=0.45).align_to(self.equations[-1], LEFT)
        else:
            eq.align_to(self.outline, UP)
        self.equations.add(eq)
        extra: list[Animation] = [FadeOut(self.area_label)] if k == 1 else []
        with self.beat(f"Multiply by {m}: only {after} of the square is left."):
            self.play(Create(cuts), *extra, run_time=1.0)
            self.play(Transform(self.kept, new_kept), FadeOut(cuts), Write(eq), run_time=1.2)

    def more_factors_smaller_product(self) -> None:
        """The moral: every factor between 0 and 1 makes the product smaller."""
        self.moral = self.text("more factors between 0 and 1\n= a smaller product", SIZE.body,
                               color=self.theme.warn, line_spacing=0.8)
        self.moral.next_to(self.equations, DOWN, buff=0.6).align_to(self.equations, LEFT)
        self.say("Each factor between 0 and 1 shrinks the product. More factors, smaller product.",
                 FadeIn(self.moral, shift=UP * 0.2))

    # -- part 2: which numbers lie between 0 and 1 -------------------------------------------

    def ask_the_viewers_question(self) -> None:
        """Swap the rectangle for the viewer's question, which stays under the heading."""
        subtitle = self.heading[1]
        self.question = self.text("“Why are the gradients between 0 and 1?”", SIZE.body)
        self.question.next_to(self.heading[0], DOWN, aligned_edge=LEFT, buff=0.18)
        part1 = VGroup(self.outline, self.kept, self.equations, self.moral)
        self.say("A viewer asked: why are the gradients between 0 and 1?",
                 FadeOut(part1), ReplacementTransform(subtitle, self.question), run_time=1.4)

    def factors_not_gradients(self) -> None:
        """Not the gradients: back prop's per-layer factors w sigma'(z) are what can lie between 0 and 1."""
        t = self.theme
        step = self._tex(None, r"\frac{\partial C}{\partial b_l} \;=\;", r"w_{l+1}\,\sigma'(z_l)",
                         r"\cdot \frac{\partial C}{\partial b_{l+1}}", size=SIZE.label)
        step[1].set_color(t.backward)
        step.move_to([0, 1.55, 0])
        brace = Brace(step[1], DOWN, color=t.backward, buff=0.08)
        name = self.text("one factor per layer", SIZE.small, color=t.backward).next_to(brace, DOWN, buff=0.1)
        self.step_group = VGroup(step, brace, name)
        self.say(f"Back prop multiplies the gradient by one factor w sigma'(z) per layer "
                 f"(chapter {number_of('backprop')}).",
                 Write(step), FadeIn(brace, name), run_time=1.6)
        self.say("These factors, not the gradients, are what lie between 0 and 1 in size, and only for small weights.",
                 Indicate(step[1], color=t.warn), run_time=1.2)

    def plot_sigma_prime(self) -> None:
        """sigma'(z) from netsim's samples, its peak 1/4 at z = 0 (chapter 3)."""
        t, r = self.theme, self.result
        z_max = max(abs(v) for v in r.z)
        top = 1.2 * r.peak
        self.axes = Axes(x_range=[-z_max, z_max, z_max / 3], y_range=[0, top, top / 6],
                         x_length=5.8, y_length=3.0, tips=False,
                         axis_config={"color": t.muted, "stroke_width": 2})
        self.axes.move_to([-3.6, -1.2, 0])
        self.curve = self.axes.plot_line_graph(list(r.z), list(r.sigma_prime), add_vertex_dots=False,
                                               line_color=t.backward, stroke_width=5)
        self.shown["sigma_prime_curve"] = list(r.sigma_prime)
        z_label = MathTex("z", font_size=SIZE.body * 1.4, color=t.text)
        z_label.next_to(self.axes.x_axis.get_right(), RIGHT, buff=0.2)
        y_label = MathTex(r"\sigma'(z)", font_size=SIZE.body * 1.4, color=t.backward)
        y_label.next_to(self.axes.c2p(-z_max, top), RIGHT, buff=0.2)
        p = self.axes.c2p(r.peak_z, r.peak)
        dot = Dot(p, radius=0.09, color=t.warn)
        level = DashedLine(self.axes.c2p(-z_max, r.peak), self.axes.c2p(z_max, r.peak), color=t.warn,
                           stroke_width=2)
        self.shown["peak"] = r.peak_fraction
        self.shown["peak_z"] = r.peak_z
        tag = self._tex(None, rf"\sigma'({fmt_value(r.peak_z)}) = {frac_tex(r.peak_fraction)}", size=SIZE.label,
                        color=t.warn)
        tag.next_to(dot, UP, buff=0.12).shift(RIGHT * 1.3)
        self.plot = VGroup(self.axes, self.curve, z_label, y_label, level, dot, tag)
        self.say(f"From chapter {number_of('neuron')}: the slope sigma'(z) is at most {r.peak_fraction}, "
                 "reached at z = 0.",
                 FadeOut(self.step_group[1:]), self.step_group[0].animate.scale(0.85).move_to([3.9, 2.3, 0]),
                 Create(self.axes), Create(self.curve), FadeIn(z_label, y_label), Create(level),
                 FadeIn(dot, scale=2), Write(tag), run_time=2.2)

    def bound_each_factor(self) -> None:
        """|w sigma'(z)| <= |w|/4: below 1 when |w| < 4, below 1/4 when |w| < 1."""
        t, r = self.theme, self.result
        q, four = r.peak_fraction, r.unit_weight
        self.shown["bound_peak"] = q
        self.shown["unit_weight"] = four
        lines = VGroup(
            self._tex(None, rf"|w\,\sigma'(z)| \le \frac{{|w|}}{{{four}}}", size=SIZE.label),
            self._tex(None, rf"|w| < 1:\quad |w\,\sigma'(z)| < {frac_tex(q)}", size=SIZE.label, color=t.good),
            self._tex(None, rf"|w| < {four}:\quad |w\,\sigma'(z)| < 1", size=SIZE.label, color=t.good),
            self._tex(None, rf"|w| > {four},\ z \approx 0:\quad |w\,\sigma'(z)| > 1", size=SIZE.label,
                      color=t.overflow),
        ).arrange(DOWN, buff=0.32, aligned_edge=LEFT)
        lines.move_to([0, 0.05, 0]).align_to([RIGHT_X, 0, 0], LEFT)
        self.bounds = lines
        self.say(f"So a factor's size is at most |w| / {four}: below 1 when |w| < {four}, "
                 f"below {q} when |w| < 1.", FadeIn(lines[:3], shift=UP * 0.2), run_time=1.4)
        self.say(f"With |w| > {four} and z near 0, a factor is above 1.", FadeIn(lines[3], shift=UP * 0.2),
                 run_time=1.0)

    def reconcile_the_third(self) -> None:
        """The square's 1/3 is a possible factor: w = 4/3 at z = 0 gives 4/3 x 1/4 = 1/3."""
        t, r = self.theme, self.result
        k = next((i for i, m in enumerate(r.multipliers) if m > r.peak_fraction), None)
        if k is None:  # every factor of the square is within the 1/4 bound: nothing to reconcile
            return
        m, w = r.multipliers[k], r.zero_z_weights[k]
        self.shown["third_weight"] = w
        self.shown["third_factor"] = w * r.peak_fraction
        line = self._tex(None, rf"w = {frac_tex(w)},\ z = 0:\quad |w\,\sigma'(0)| = {frac_tex(w)} \cdot "
                               rf"{frac_tex(r.peak_fraction)} = {frac_tex(w * r.peak_fraction)}",
                         size=SIZE.label, color=t.backward)
        line.next_to(self.bounds, DOWN, buff=0.5).align_to(self.bounds, LEFT)
        self.third = line
        self.say(f"The square's factors can be any size between 0 and 1: w = {w} at z = 0 gives {m}.",
                 Write(line), run_time=1.4)

    # -- part 3: a real chain, on a log scale --------------------------------------------------

    def _column_x(self, layer: int) -> float:
        """x of layer l's column (layer 1 at the left, the output layer L at the right)."""
        L = self.result.layers
        return ROW_LEFT + (ROW_RIGHT - ROW_LEFT) * (layer - 1) / (L - 1)

    def _y(self, size: float) -> float:
        """The height on the log axis of a (positive) size."""
        lo, hi = self.decades
        return BAR_BASE_Y + AXIS_HEIGHT * (math.log10(size) - lo) / (hi - lo)

    def _bar(self, layer: int, value: float, color: str) -> Rectangle:
        """Layer l's bar, from the bottom of the log axis up to |value|."""
        h = max(self._y(abs(value)) - BAR_BASE_Y, 0.02)
        bar = Rectangle(width=BAR_WIDTH, height=h, stroke_width=0, fill_color=color, fill_opacity=0.95)
        return bar.move_to([self._column_x(layer), BAR_BASE_Y + h / 2, 0])

    def _value(self, key: str, bar: Rectangle, value: float, color: str | None = None) -> Any:
        """The running product just above its bar."""
        v = self.number(key, value, SIZE.small)
        if color:
            v.set_color(color)
        return v.next_to(bar, UP, buff=0.1)

    def _log_axis(self) -> VGroup:
        """A vertical log axis: a tick per power of ten, labelled every other one; the line at 1."""
        t = self.theme
        lo, hi = self.decades
        self.shown["log_decades"] = [float(lo), float(hi)]
        axis = Line([AXIS_X, BAR_BASE_Y, 0], [AXIS_X, BAR_BASE_Y + AXIS_HEIGHT, 0], color=t.muted, stroke_width=2)
        ticks, labels = VGroup(), VGroup()
        stride = 1 if hi - lo <= 6 else 2
        for k in range(lo, hi + 1):
            y = self._y(10.0**k)
            ticks.add(Line([AXIS_X - 0.08, y, 0], [AXIS_X + 0.08, y, 0], color=t.muted, stroke_width=2))
            if (k - lo) % stride == 0 or k == 0:
                tex = "1" if k == 0 else power_of_ten_tex(k)
                lab = MathTex(tex, font_size=SIZE.small * 1.4, color=t.muted)
                labels.add(lab.next_to([AXIS_X - 0.1, y, 0], LEFT, buff=0.08))
        one = DashedLine([AXIS_X, self._y(1.0), 0], [ROW_RIGHT + BAR_WIDTH, self._y(1.0), 0], color=t.muted,
                         stroke_width=1.5)
        return VGroup(axis, ticks, labels, one)

    def set_up_the_chain(self) -> None:
        """Empty columns for layers 1..L on a log axis; the output's bar is 1: its gradient is the unit."""
        t, r = self.theme, self.result
        L = r.layers
        self.decades = decades(r)
        part2 = VGroup(self.step_group[0], self.plot, self.bounds, *([self.third] if hasattr(self, "third") else []))
        self.columns = VGroup()
        for layer in range(1, L + 1):
            name = self.text(f"layer {layer}" if layer < L else "output", SIZE.small, color=t.muted)
            name.move_to([self._column_x(layer), NAME_Y, 0])
            self.columns.add(name)
        self.axis = self._log_axis()
        legend = VGroup(self.text("bars: the gradient's size at each layer (the output's = 1)", SIZE.small,
                                  color=t.muted),
                        self.text("log scale: each step up is ×10", SIZE.small, color=t.warn))
        example = next((v for v in (*r.running, *r.large_running) if "e" in fmt_value(abs(v))), None)
        if example is not None:  # e-notation, explained where it first appears
            self.shown["e_example"] = abs(example)
            legend.add(self._tex(None, rf"\text{{{fmt_value(abs(example))}}} = {sci(abs(example))}", size=SIZE.small,
                                 color=t.warn))
        legend.arrange(DOWN, buff=0.12, aligned_edge=RIGHT)
        legend.move_to([0, LEGEND_Y - legend.height / 2, 0]).align_to([ROW_RIGHT + BAR_WIDTH, 0, 0], RIGHT)
        self.legend = legend
        self.bars = {L: self._bar(L, 1.0, t.backward)}
        self.values = {L: self._value("chain_output", self.bars[L], 1.0)}
        self.arrows = VGroup()
        self.caps = VGroup()
        weights = r.weights
        small = max(abs(w) for w in weights) < 1
        words = "its random weights are all below 1 in size." if small else "its weights are random."
        self.say(f"A real chain of {L} neurons, one per layer; {words}", FadeOut(part2), FadeIn(self.columns),
                 Create(self.axis), FadeIn(legend[0]), GrowFromEdge(self.bars[L], DOWN), FadeIn(self.values[L]),
                 run_time=2.0)
        caption = "The bars use a log scale: each step up is ×10."
        if example is not None:
            size = fmt_value(abs(example))
            mantissa, exponent = size.split("e")
            caption = (f"The bars use a log scale: each step up is ×10. A size like {size} "
                       f"means {mantissa} × 10^{int(exponent)}.")
        self.say(caption, FadeIn(legend[1:]), Indicate(self.axis[2], color=t.warn), run_time=1.4)

    def _step(self, k: int, factors: Sequence[float], running: Sequence[float], prefix: str,
              color: str) -> list[Animation]:
        """Back-prop step k: from layer l+1 to layer l, multiply by factor k; grow layer l's bar."""
        layer = self.result.factor_layers[k]
        x_from, x_to = self._column_x(layer + 1), self._column_x(layer)
        gap = 0.6  # half the width of a column name
        arrow = Arrow([x_from - gap, NAME_Y, 0], [x_to + gap, NAME_Y, 0], buff=0.08,
                      color=self.theme.backward, stroke_width=4, max_tip_length_to_length_ratio=0.18)
        self.shown[f"{prefix}factor_{k}"] = float(factors[k])
        text = fmt_value(factors[k])
        label = self.text("×" + (f"({text})" if factors[k] < 0 else text), SIZE.small, color=color)
        label.next_to(arrow, DOWN, buff=0.1)
        self.arrows.add(VGroup(arrow, label))
        self.bars[layer] = self._bar(layer, running[k], color)
        self.values[layer] = self._value(f"{prefix}running_{k}", self.bars[layer], running[k],
                                         color if color != self.theme.backward else None)
        anims: list[Animation] = [GrowArrow(arrow), FadeIn(label), GrowFromEdge(self.bars[layer], DOWN),
                                  FadeIn(self.values[layer])]
        if abs(running[k]) > 1:
            cap = Triangle(color=color, fill_opacity=1, stroke_width=0).scale(0.1)
            cap.next_to(self.values[layer], UP, buff=0.06)
            self.caps.add(cap)
            anims.append(FadeIn(cap, shift=UP * 0.1))
        return anims

    def back_prop_shrinks_the_bar(self) -> None:
        """Walk right to left: each factor w sigma'(z) shrinks the running product's size."""
        r = self.result
        with self.beat("Back prop starts at the output and moves left, multiplying by each layer's factor."):
            for k in range(len(r.factors)):
                self.play(*self._step(k, r.factors, r.running, "", self.theme.backward), run_time=STEP)

    def signs_can_be_negative(self) -> None:
        """Negative factors (negative weights) flip the sign; the size still shrinks."""
        t, r = self.theme, self.result
        if r.negative == 0:
            return
        self.shown["negative_factors"] = float(r.negative)
        neg = [self.arrows[k][1] for k, f in enumerate(r.factors) if f < 0]
        if r.negative == 1:
            caption = "One factor is negative, like its weight: the sign flips, the size still shrinks."
        else:
            caption = f"{r.negative} factors are negative, like their weights: the sign flips, the size still shrinks."
        self.say(caption,
                 *[Indicate(n, color=t.warn) for n in neg], run_time=1.2)

    def show_what_is_left(self) -> None:
        """Point at layer 1: almost nothing of the gradient's size reaches it."""
        t, r = self.theme, self.result
        first = r.factor_layers[-1]
        box = SurroundingRectangle(self.values[first], color=t.warn, buff=0.08)
        left = r.running[-1]
        words = self.text(f"size at layer {first}:", SIZE.body)
        value = self.number("vanished", abs(left), SIZE.body).set_color(t.warn)
        tail = self.text("× the output's", SIZE.body)
        parts = [words, value, tail]
        if "e" in fmt_value(abs(left)):
            parts.append(self._tex(None, rf"({sci(abs(left))})", size=SIZE.body, color=t.warn))
        self.summary = VGroup(*parts).arrange(RIGHT, buff=0.2).move_to([0.3, -3.45, 0])
        self.box = box
        self.say(f"By layer {first}, the gradient's size is only {fmt_value(abs(left))} of the output's.",
                 Create(box), FadeIn(self.summary), run_time=1.4)

    def large_weights_grow_the_bar(self) -> None:
        """Nielsen's large weights: every w = 100 and z = 0, so every factor is 25 > 1."""
        t, r = self.theme, self.result
        L = r.layers
        old = VGroup(self.box, self.summary, self.arrows, self.caps,
                     *[self.bars[layer] for layer in range(1, L)],
                     *[self.values[layer] for layer in range(1, L)])
        self.shown["large_weight"] = r.large_weight
        self.shown["large_peak"] = r.peak_fraction
        self.shown["large_factor"] = r.large_factors[0]
        w_big, factor = fmt_value(r.large_weight), fmt_value(r.large_factors[0])
        note = self._tex(None, rf"w = {w_big},\ z = {fmt_value(r.large_zs[0])}:\quad "
                               rf"|w\,\sigma'(z)| = {w_big} \cdot {frac_tex(r.peak_fraction)} = {factor}",
                         size=SIZE.body, color=t.overflow)
        note.move_to([0.3, -3.45, 0])
        self.note = note
        self.arrows = VGroup()
        self.caps = VGroup()
        with self.beat(f"Now large weights: w = {w_big}, with biases that make every z = 0. "
                       f"Each factor is {w_big} × {r.peak_fraction} = {factor}."):
            self.play(FadeOut(old), run_time=0.8)
            self.play(Write(note), run_time=1.2)
            for k in range(len(r.large_factors)):
                self.play(*self._step(k, r.large_factors, r.large_running, "large_", t.overflow), run_time=STEP)

    def point_to_exploding_gradients(self) -> None:
        """Factors above 1: the product grows. A pointer to the exploding chapter."""
        t, r = self.theme, self.result
        first = r.factor_layers[-1]
        words = self.text(f"factors above 1: the gradient explodes (chapter {number_of('exploding')})", SIZE.body,
                          color=t.overflow)
        words.move_to(self.note)
        self.say(f"Factors above 1 make the product grow: {fmt_value(r.large_running[-1])} by layer {first}. "
                 f"The gradient explodes (chapter {number_of('exploding')}).",
                 FadeOut(self.note), FadeIn(words), *[Indicate(cap, color=t.warn) for cap in self.caps],
                 run_time=1.2)

    def hold_key_picture(self) -> None:
        """Hold the chapter's key picture: a chain of factors, its product grown past 1."""
        self.say("One factor per layer, multiplied: below 1 in size the product shrinks, above 1 it grows.",
                 run_time=0.5)


__all__ = ["ShrinkingRectangle", "experiment", "chain_layers"]
