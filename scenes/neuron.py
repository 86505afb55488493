"""Chapter 3, "One neuron": z = w a + b, the sigmoid sigma, and its slope sigma'.

One sigmoid neuron with one input a (the output of the neuron before it), its weight w and
its bias b, with real numbers: z = w a + b and its output sigma(z). Then the activation
function, the sigmoid sigma(z) = 1 / (1 + e^{-z}), drawn from netsim's samples, and under it
its slope sigma'(z) = sigma(z) (1 - sigma(z)). Why sigma' <= 1/4 in one line (with
p = sigma(z), p (1 - p) = 1/4 - (p - 1/2)^2 is largest at p = 1/2, i.e. z = 0), and
saturation: where |z| is large the curve is flat and sigma' is near 0.

This chapter defines w, b, z, sigma and sigma' for the rest of the episode. The neuron is
always a sigmoid, whatever the lesson's activation (one beat says so when the lesson's net
uses another). Every number comes from :func:`netsim.experiments.neuron.one_neuron`.

Render: ``.venv/bin/manim -ql scenes/neuron.py OneNeuron``.
"""

from __future__ import annotations

from functools import lru_cache

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    Circle,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    Flash,
    GrowArrow,
    Indicate,
    Line,
    MathTex,
    VGroup,
    Write,
)

from netsim.experiments.neuron import NeuronResult, one_neuron
from netsim.format import fmt_value
from scenes.chapters import number_of
from scenes.common import LessonScene
from scenes.lesson import Lesson
from scenes.style import SIZE

#: How the lesson's other activation functions are named in the beat that mentions them.
OTHER_ACTIVATIONS = {"relu": "ReLU", "tanh": "tanh"}

# Layout (scene units; the frame is 14.2 x 8). The chapter heading sits top left.
NEURON_Y = 1.35
INPUT_X = -6.2
NEURON_X = -3.5
OUTPUT_X = -0.7
RADIUS = 0.42
FORMULA_X = -6.7          # left edge of the formula column
FORMULA_Y = -0.2          # its first line
FORMULA_GAP = 0.82
PLOT_X = 4.0             # centre of both plots
SIGMA_Y = 1.2             # centre of the sigmoid's plot
SLOPE_Y = -2.15           # centre of the slope's plot, under it
PLOT_WIDTH = 5.2


@lru_cache(maxsize=4)
def experiment(lesson: Lesson) -> NeuronResult:
    """The numbers this scene shows for ``lesson`` (its seed draws the neuron's w and b)."""
    return one_neuron(seed=lesson.seed)


def fmt(value: float) -> str:
    """A number as the scene writes it, on screen and in captions."""
    return fmt_value(float(value))


def paren(value: float) -> str:
    """A number for a product written out: negative ones in brackets."""
    text = fmt(value)
    return f"({text})" if value < 0 else text


class OneNeuron(LessonScene):
    """One neuron's z = w a + b and sigma(z); the sigmoid, its slope, the peak 1/4, saturation."""

    #: Stop before the final fade (the golden test of the key picture sets this).
    skip_end = False

    def construct(self) -> None:
        self.res = experiment(self.lesson)
        self.title_beat()
        self.show_input()
        self.show_weight_and_bias()
        self.show_z()
        self.show_sigmoid()
        self.show_output()
        self.show_slope()
        self.slope_formula()
        self.why_a_quarter()
        self.mark_the_peak()
        self.saturation()
        self.lesson_activation()
        self.hold_key_picture()
        if not self.skip_end:
            self.end_chapter()

    # ---------- helpers ----------
    def rec(self, key: str, value: float) -> str:
        """``value`` as written on screen, recorded in ``shown[key]``."""
        self.shown[key] = float(value)
        return fmt(value)

    def formula_line(self, tex: str, k: int, color: str | None = None) -> MathTex:
        """Line k of the formula column, left-aligned."""
        m = self.tex(tex, SIZE.label, color=color)
        m.move_to([FORMULA_X + m.width / 2, FORMULA_Y - k * FORMULA_GAP, 0])
        return m

    def axes(self, y_top: float, y_step: float, y_length: float, center_y: float) -> Axes:
        """Axes over the samples' z range, with ticks on both axes."""
        th, r = self.theme, self.res
        z_max = max(r.zs)
        ax = Axes(x_range=[-z_max, z_max, 1], y_range=[0, y_top, y_step], x_length=PLOT_WIDTH,
                  y_length=y_length, tips=False,
                  axis_config={"color": th.muted, "stroke_width": 2, "include_ticks": True})
        return ax.move_to([PLOT_X, center_y, 0])

    def z_ticks(self, ax: Axes) -> VGroup:
        """z = -5, 0, 5 under the axis."""
        ticks = VGroup()
        for v in (-5, 0, 5):
            t = self.text(str(v), SIZE.small, color=self.theme.muted)
            ticks.add(t.next_to(ax.c2p(v, 0), DOWN, buff=0.12))
        return ticks

    # ---------- beats ----------
    def title_beat(self) -> None:
        """Beat 1: the chapter title."""
        self.heading = self.chapter_heading("One neuron", "the building block of every layer")
        self.say("Every layer is made of neurons. Here is one, up close.",
                 FadeIn(self.heading), run_time=1.2)

    def show_input(self) -> None:
        """Beat 2: the neuron and its input a, the output of the neuron before it."""
        th, r = self.theme, self.res
        self.source = Circle(RADIUS * 0.8, stroke_color=th.muted, stroke_width=2, fill_color=th.neuron_fill,
                             fill_opacity=1).move_to([INPUT_X, NEURON_Y, 0])
        self.cell = Circle(RADIUS, stroke_color=th.neuron_stroke, stroke_width=3, fill_color=th.neuron_fill,
                           fill_opacity=1).move_to([NEURON_X, NEURON_Y, 0])
        self.wire = Line(self.source.get_right(), self.cell.get_left(), stroke_color=th.forward, stroke_width=4)
        a_sym = self.tex("a", SIZE.body, color=th.forward).move_to(self.source)
        a_val = self.tex(f"a = {self.rec('a', r.a)}", SIZE.label, color=th.forward)
        a_val.next_to(self.source, DOWN, buff=0.2)
        before = self.text("from the layer before", SIZE.small, color=th.muted)
        before.next_to(self.source, UP, buff=0.2).align_to([FORMULA_X, 0, 0], LEFT)
        self.input_group = VGroup(self.source, a_sym, a_val, before)
        self.say("Its input a is the output of a neuron in the layer before.",
                 FadeIn(self.input_group), Create(self.cell), Create(self.wire), run_time=1.5)

    def show_weight_and_bias(self) -> None:
        """Beat 3: its weight w on the wire, its bias b on the neuron."""
        th, r = self.theme, self.res
        self.w_label = self.tex(f"w = {self.rec('w', r.w)}", SIZE.label, color=th.backward)
        self.w_label.next_to(self.wire, UP, buff=0.15)
        self.b_label = self.tex(f"b = {self.rec('b', r.b)}", SIZE.label, color=th.backward)
        self.b_label.next_to(self.cell, DOWN, buff=0.2)
        self.say("It multiplies a by its weight w and adds its bias b, both random before training.",
                 FadeIn(self.w_label), FadeIn(self.b_label), run_time=1.5)

    def show_z(self) -> None:
        """Beat 4: the weighted input z = w a + b, with the neuron's numbers."""
        r = self.res
        z_text = self.rec("z", r.z)
        self.z_line = self.formula_line(
            rf"z = w\,a + b = {paren(r.w)} \times {fmt(r.a)} + {paren(r.b)} = {z_text}", 0)
        z_sym = self.tex("z", SIZE.body).move_to(self.cell)
        self.z_sym = z_sym
        self.say(f"The result is z = w a + b. Here z = {z_text}.",
                 Write(self.z_line), FadeIn(z_sym), run_time=1.5)

    def show_sigmoid(self) -> None:
        """Beat 5: the activation function, the sigmoid, and its curve."""
        th, r = self.theme, self.res
        self.sig_line = self.formula_line(r"\sigma(z) = \frac{1}{1 + e^{-z}}", 1, color=th.forward)
        self.sig_ax = self.axes(1.0, 0.5, 2.1, SIGMA_Y)
        self.sig_curve = self.sig_ax.plot_line_graph(list(r.zs), list(r.sigma), add_vertex_dots=False,
                                                     line_color=th.forward, stroke_width=5)
        self.shown["sigma_curve"] = list(r.sigma)
        name = self.tex(r"\sigma(z)", SIZE.label, color=th.forward)
        name.next_to(self.sig_ax.c2p(-max(r.zs), 1.0), RIGHT, buff=0.15).shift(UP * 0.28)
        ones = VGroup(*[self.text(s, SIZE.small, color=th.muted).next_to(self.sig_ax.c2p(-max(r.zs), v), LEFT,
                                                                         buff=0.12)
                        for s, v in (("0", 0.0), ("1", 1.0))])
        top = DashedLine(self.sig_ax.c2p(-max(r.zs), 1.0), self.sig_ax.c2p(max(r.zs), 1.0),
                         color=th.muted, stroke_width=1.5)
        self.sig_plot = VGroup(self.sig_ax, self.sig_curve, name, ones, top, self.z_ticks(self.sig_ax))
        self.say("Then comes its activation function, the sigmoid: sigma(z) = 1 / (1 + e^-z).",
                 Write(self.sig_line), Create(self.sig_ax), FadeIn(name, ones, top, self.sig_plot[-1]),
                 Create(self.sig_curve), run_time=2.0)
        self.say("It squashes any z into a number between 0 and 1.",
                 Indicate(top, color=th.text), Indicate(ones, color=th.text), run_time=1.2)

    def show_output(self) -> None:
        """Beat 6: this neuron's output sigma(z), passed on to the next layer."""
        th, r = self.theme, self.res
        out_text = self.rec("a_out", r.a_out)
        self.sig_line_full = self.formula_line(
            rf"\sigma(z) = \frac{{1}}{{1 + e^{{-z}}}} = \sigma({fmt(r.z)}) = {out_text}", 1, color=th.forward)
        p = self.sig_ax.c2p(r.z, r.a_out)
        self.z_dot = Dot(p, radius=0.08, color=th.warn)
        guide = VGroup(DashedLine(self.sig_ax.c2p(r.z, 0), p, color=th.warn, stroke_width=2),
                       DashedLine(p, self.sig_ax.c2p(-max(r.zs), r.a_out), color=th.warn, stroke_width=2))
        self.out_arrow = Arrow(self.cell.get_right(), [OUTPUT_X, NEURON_Y, 0], buff=0.05, color=th.forward,
                               stroke_width=4, max_tip_length_to_length_ratio=0.15)
        out_label = self.tex(rf"\sigma(z) = {out_text}", SIZE.label, color=th.forward)
        out_label.next_to(self.out_arrow, UP, buff=0.15)
        nxt = self.text("to the next layer", SIZE.small, color=th.muted).next_to(self.out_arrow, DOWN, buff=0.15)
        self.output_group = VGroup(self.out_arrow, out_label, nxt)
        self.guide = guide
        self.say(f"Here sigma({fmt(r.z)}) = {out_text}: the neuron's output, passed to the next layer.",
                 self.sig_line.animate.become(self.sig_line_full), FadeIn(self.z_dot, scale=2), Create(guide),
                 GrowArrow(self.out_arrow), FadeIn(out_label), FadeIn(nxt), run_time=1.8)

    def show_slope(self) -> None:
        """Beat 7: under the curve, its slope sigma'(z)."""
        th, r = self.theme, self.res
        top = 0.3
        self.slope_ax = self.axes(top, 0.05, 2.0, SLOPE_Y)
        self.slope_curve = self.slope_ax.plot_line_graph(list(r.zs), list(r.sigma_prime), add_vertex_dots=False,
                                                         line_color=th.backward, stroke_width=5)
        self.shown["sigma_prime_curve"] = list(r.sigma_prime)
        name = self.tex(r"\sigma'(z)", SIZE.label, color=th.backward)
        name.next_to(self.slope_ax.c2p(-max(r.zs), top), RIGHT, buff=0.15)
        zero = self.text("0", SIZE.small, color=th.muted).next_to(self.slope_ax.c2p(-max(r.zs), 0), LEFT, buff=0.12)
        z_name = self.tex("z", SIZE.label, color=th.text).next_to(self.slope_ax.c2p(max(r.zs), 0), RIGHT, buff=0.15)
        self.slope_plot = VGroup(self.slope_ax, self.slope_curve, name, zero, z_name, self.z_ticks(self.slope_ax))
        self.say("Under it, the sigmoid's slope sigma'(z): how fast the output changes with z.",
                 Create(self.slope_ax), FadeIn(name, zero, z_name, self.slope_plot[-1]), Create(self.slope_curve),
                 run_time=2.0)

    def slope_formula(self) -> None:
        """Beat 8: sigma'(z) = sigma(z)(1 - sigma(z)), and this neuron's slope."""
        th, r = self.theme, self.res
        slope_text = self.rec("slope", r.slope)
        self.slope_line = self.formula_line(
            rf"\sigma'(z) = \sigma(z)\,(1 - \sigma(z)) = {slope_text}", 2, color=th.backward)
        p = self.slope_ax.c2p(r.z, r.slope)
        self.slope_dot = Dot(p, radius=0.08, color=th.warn)
        drop = DashedLine(self.sig_ax.c2p(r.z, 0), p, color=th.warn, stroke_width=2)
        self.drop = drop
        self.say(f"The slope is sigma'(z) = sigma(z)(1 - sigma(z)); here {slope_text}.",
                 Write(self.slope_line), Create(drop), FadeIn(self.slope_dot, scale=2), run_time=1.8)

    def why_a_quarter(self) -> None:
        """Beat 9: with p = sigma(z), p(1 - p) = 1/4 - (p - 1/2)^2 <= 1/4."""
        th, r = self.theme, self.res
        self.shown["peak_p"] = r.peak_p
        self.shown["bound"] = r.peak_fraction
        q = r.peak_fraction
        self.why_line = self.formula_line(
            rf"p = \sigma(z):\quad p\,(1-p) = \tfrac{{{q.numerator}}}{{{q.denominator}}} - (p - \tfrac{{1}}{{2}})^2"
            rf" \le \tfrac{{{q.numerator}}}{{{q.denominator}}}", 3, color=th.text)
        self.say(f"With p = sigma(z), p(1 - p) is largest at p = 1/2: the slope is at most {q}.",
                 Write(self.why_line), run_time=1.5)

    def mark_the_peak(self) -> None:
        """Beat 10: the peak sigma'(0) = 1/4, at sigma(0) = 1/2."""
        th, r = self.theme, self.res
        q = r.peak_fraction
        self.shown["peak"] = q
        self.shown["peak_z"] = r.peak_z
        peak = self.slope_ax.c2p(r.peak_z, r.peak)
        level = DashedLine(self.slope_ax.c2p(-max(r.zs), r.peak), self.slope_ax.c2p(max(r.zs), r.peak),
                           color=th.warn, stroke_width=2)
        dot = Dot(peak, radius=0.09, color=th.warn)
        tag = self.tex(rf"\sigma'({fmt(r.peak_z)}) = \tfrac{{{q.numerator}}}{{{q.denominator}}}", SIZE.label,
                       color=th.warn)
        tag.next_to(peak, UP, buff=0.12).shift(RIGHT * 1.45)
        half = Dot(self.sig_ax.c2p(r.peak_z, r.peak_p), radius=0.07, color=th.warn)
        half_tag = self.tex(r"p = \tfrac{1}{2}", SIZE.small, color=th.warn)
        half_tag.next_to(half, RIGHT, buff=0.12).shift(DOWN * 0.12)
        self.peak_marks = VGroup(level, dot, tag, half, half_tag)
        self.say("That peak is at z = 0, where sigma(z) = 1/2.",
                 Create(level), FadeIn(dot, scale=2), Write(tag), FadeIn(half, half_tag), run_time=1.5)

    def saturation(self) -> None:
        """Beat 11: far from 0 the curve is flat and the slope is nearly 0 (computed at z = 5)."""
        th, r = self.theme, self.res
        zs = r.saturated_z
        self.shown["saturated_z"] = zs
        sig_text = self.rec("saturated_sigma", r.saturated_sigma)
        slope_text = self.rec("saturated_slope", r.saturated_slope)
        top = Dot(self.sig_ax.c2p(zs, r.saturated_sigma), radius=0.08, color=th.overflow)
        bottom = Dot(self.slope_ax.c2p(zs, r.saturated_slope), radius=0.08, color=th.overflow)
        flat = VGroup(self.text("flat: saturated", SIZE.small, color=th.overflow),
                      self.tex(rf"\sigma({fmt(zs)}) = {sig_text}", SIZE.small, color=th.overflow))
        flat.arrange(DOWN, buff=0.1).next_to(top, UP, buff=0.15)
        flat.align_to(self.sig_ax.c2p(max(r.zs), 0), RIGHT)
        value = self.formula_line(rf"\sigma'({fmt(zs)}) = {slope_text}", 4, color=th.overflow)
        self.sat_marks = VGroup(top, bottom, flat, value)
        self.say(f"Far from 0 the curve is flat, saturated: at z = {fmt(zs)} the slope is only {slope_text}.",
                 FadeIn(top, scale=2), FadeIn(bottom, scale=2), FadeIn(flat), Write(value),
                 Flash(bottom, color=th.overflow), run_time=1.8)

    def lesson_activation(self) -> None:
        """Beat 12 (only when the lesson's net is not a sigmoid net): say what it uses."""
        name = OTHER_ACTIVATIONS.get(self.lesson.activation)
        if name is None:
            return
        self.say(f"This lesson's deep net uses {name} instead (chapter {number_of('wayout')} says why); "
                 "the sigmoid is the classic case.", hold=0.5)

    def hold_key_picture(self) -> None:
        """Beat 13: the pieces back prop multiplies later."""
        th = self.theme
        pieces = VGroup(self.w_label, self.b_label, self.z_sym, self.slope_line)
        self.say(f"w, b, z, sigma and sigma': back prop multiplies these pieces in chapter {number_of('backprop')}.",
                 *[Indicate(p, color=th.warn) for p in pieces], run_time=2.0)


__all__ = ["OneNeuron", "experiment"]
