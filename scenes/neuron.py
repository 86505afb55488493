"""Chapter 3, "One neuron": z = w a + b, an activation function g, the sigmoid σ and its slope σ'.

One neuron with one input a (the output of a neuron in the layer before), its weight w and
its bias b, with real numbers: z = w a + b, written exactly (netsim rounds w, a and b to the
decimals shown BEFORE it computes z). An activation function g turns z into the output; here
g is the sigmoid σ(z) = 1/(1 + e^(−z)) (σ is the sigmoid only, everywhere in the episode),
drawn from netsim's samples, and under it its slope σ'(z) = σ(z)(1 − σ(z)). Why σ' ≤ ¼ in one
line (with p = σ(z), p(1 − p) = ¼ − (p − ½)² is largest at p = ½, i.e. z = 0), and
saturation: far from 0 the curve is flat and σ' is near 0 (computed at z = 5).

The neuron is always a sigmoid, whatever the lesson's activation (one beat says so when the
lesson's net uses another g). Every number comes from :func:`netsim.experiments.neuron.one_neuron`.

Render: ``.venv/bin/manim -ql scenes/neuron.py OneNeuron``.
"""

from __future__ import annotations

from fractions import Fraction

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
    Line,
    MathTex,
    Transform,
    VGroup,
    Write,
)

from netsim.experiments.neuron import Z_DIGITS, NeuronResult, one_neuron
from scenes.engine.chapters import number_of
from scenes.engine.common import LessonScene
from scenes.engine.i18n import t
from scenes.engine.lesson import Lesson, per_net
from scenes.engine.style import SIZE, fmt_value

#: How the lesson's other activation functions are named in the beat that mentions them.
OTHER_ACTIVATIONS = {"relu": "ReLU", "tanh": "tanh"}
#: Exact fractions as the captions write them.
VULGAR = {Fraction(1, 4): "¼", Fraction(1, 2): "½"}

# Layout (scene units; the frame is 14.2 x 8). The chapter heading sits top left.
NEURON_Y = 1.35
INPUT_X = -6.2
NEURON_X = -3.5
OUTPUT_X = -0.7
RADIUS = 0.42
FORMULA_X = -6.7          # left edge of the formula column
FORMULA_Y = -0.05         # its first line (the last, σ'(5), stays above the subtitles' band)
FORMULA_GAP = 0.74
PLOT_X = 4.15             # centre of both plots
SIGMA_Y = 1.3             # centre of the sigmoid's plot
SLOPE_Y = -1.8            # centre of the slope's plot, under it
PLOT_WIDTH = 5.0
#: Both plots run from 0 to 1 on the same vertical scale, so σ' (at most ¼) is drawn ¼ as tall as σ's 1.
PLOT_HEIGHT = 1.9


@per_net
def experiment(lesson: Lesson) -> NeuronResult:
    """The numbers this scene shows for ``lesson`` (its net's seed draws the neuron's w and b)."""
    return one_neuron(lesson.net)


def fmt(value: float, digits: int = 3) -> str:
    """A number as the scene writes it, on screen and in captions."""
    return fmt_value(float(value), digits)


def paren(text: str) -> str:
    """A written number inside a product: negative ones (true minus sign) in brackets."""
    return f"({text})" if text.startswith("−") else text


class OneNeuron(LessonScene):
    """One neuron's z = w a + b and g(z) = σ(z); the sigmoid, its slope, the peak ¼, saturation."""

    def construct(self) -> None:
        self.res = experiment(self.lesson)
        self.show_input()
        self.show_z()
        self.show_sigmoid()
        self.show_slope()
        self.why_a_quarter()
        self.saturation()
        self.lesson_activation()
        self.end_chapter()

    # ---------- helpers ----------
    def rec(self, key: str, value: float, digits: int = 3) -> str:
        """``value`` as written on screen, recorded in ``shown[key]``."""
        self.shown[key] = float(value)
        return fmt(value, digits)

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
        """z = −5, 0, 5 under the axis (a true minus sign, as the formatter writes it)."""
        ticks = VGroup()
        for v in (-5, 0, 5):
            tick = self.text(fmt(v), SIZE.small, color=self.theme.muted)
            ticks.add(tick.next_to(ax.c2p(v, 0), DOWN, buff=0.12))
        return ticks

    # ---------- beats ----------
    def show_input(self) -> None:
        """Beat 1: the heading; the neuron and its input a, the output of a neuron before it."""
        th, r = self.theme, self.res
        self.heading = self.chapter_heading(t("One neuron"), t("the building block of every layer"))
        self.source = Circle(RADIUS * 0.8, stroke_color=th.muted, stroke_width=2, fill_color=th.neuron_fill,
                             fill_opacity=1).move_to([INPUT_X, NEURON_Y, 0])
        self.cell = Circle(RADIUS, stroke_color=th.neuron_stroke, stroke_width=3, fill_color=th.neuron_fill,
                           fill_opacity=1).move_to([NEURON_X, NEURON_Y, 0])
        self.wire = Line(self.source.get_right(), self.cell.get_left(), stroke_color=th.forward, stroke_width=4)
        a_sym = self.tex("a", SIZE.body, color=th.forward).move_to(self.source)
        self.a_text = self.rec("a", r.a)
        a_val = self.tex(f"a = {self.a_text}", SIZE.label, color=th.forward)
        a_val.next_to(self.source, DOWN, buff=0.2)
        before = self.text(t("from the layer before"), SIZE.small, color=th.muted)
        before.next_to(self.source, UP, buff=0.2).align_to([FORMULA_X, 0, 0], LEFT)
        self.input_group = VGroup(self.source, a_sym, a_val, before)
        self.say(t("One neuron of a layer, with a single input a from the layer before."), FadeIn(self.heading),
                 FadeIn(self.input_group), Create(self.cell), Create(self.wire), run_time=1.8)

    def show_z(self) -> None:
        """Beat 2: its weight w and bias b, and z = w a + b with the neuron's numbers, exactly."""
        th, r = self.theme, self.res
        w, b = self.rec("w", r.w), self.rec("b", r.b)
        self.w_label = self.tex(f"w = {w}", SIZE.label, color=th.backward).next_to(self.wire, UP, buff=0.15)
        self.b_label = self.tex(f"b = {b}", SIZE.label, color=th.backward).next_to(self.cell, DOWN, buff=0.2)
        self.z_text = self.rec("z", r.z, Z_DIGITS)
        self.z_line = self.formula_line(
            rf"z = w\,a + b = {paren(w)} \times {self.a_text} + {paren(b)} = {self.z_text}", 0)
        self.z_sym = self.tex("z", SIZE.body).move_to(self.cell)
        with self.beat(t("It multiplies a by its weight w and adds its bias b: z = w a + b = {z}.", z=self.z_text)):
            self.play(FadeIn(self.w_label), FadeIn(self.b_label), run_time=1.0)
            self.play(Write(self.z_line), FadeIn(self.z_sym), run_time=1.5)

    def show_sigmoid(self) -> None:
        """Beat 3: an activation function g turns z into the output; here g = σ, the sigmoid."""
        th, r = self.theme, self.res
        z_max = max(r.zs)
        self.out_arrow = Arrow(self.cell.get_right(), [OUTPUT_X, NEURON_Y, 0], buff=0.05, color=th.forward,
                               stroke_width=4, max_tip_length_to_length_ratio=0.15)
        g_label = self.tex("g(z)", SIZE.label, color=th.forward).next_to(self.out_arrow, UP, buff=0.15)
        nxt = self.text(t("to the next layer"), SIZE.small, color=th.muted).next_to(self.out_arrow, DOWN, buff=0.15)
        self.sig_line = self.formula_line(r"g(z) = \sigma(z) = \frac{1}{1 + e^{-z}}", 1, color=th.forward)
        self.sig_ax = self.axes(1.0, 0.5, PLOT_HEIGHT, SIGMA_Y)
        self.sig_curve = self.sig_ax.plot_line_graph(list(r.zs), list(r.sigma), add_vertex_dots=False,
                                                     line_color=th.forward, stroke_width=5)
        self.shown["sigma_curve"] = list(r.sigma)
        name = self.tex(r"\sigma(z)", SIZE.label, color=th.forward)
        name.next_to(self.sig_ax.c2p(-z_max, 1.0), RIGHT, buff=0.15).shift(UP * 0.28)
        ones = VGroup(*[self.text(s, SIZE.small, color=th.muted).next_to(self.sig_ax.c2p(-z_max, v), LEFT, buff=0.12)
                        for s, v in (("0", 0.0), ("1", 1.0))])
        top = DashedLine(self.sig_ax.c2p(-z_max, 1.0), self.sig_ax.c2p(z_max, 1.0), color=th.muted,
                         stroke_width=1.5)
        self.sig_plot = VGroup(self.sig_ax, self.sig_curve, name, ones, top, self.z_ticks(self.sig_ax))

        out_text = self.rec("a_out", r.a_out)
        full = self.formula_line(rf"g(z) = \sigma(z) = \frac{{1}}{{1 + e^{{-z}}}} = \sigma({self.z_text}) = {out_text}",
                                 1, color=th.forward)
        p = self.sig_ax.c2p(r.z, r.a_out)
        self.z_dot = Dot(p, radius=0.08, color=th.warn)
        self.guide = VGroup(DashedLine(self.sig_ax.c2p(r.z, 0), p, color=th.warn, stroke_width=2),
                            DashedLine(p, self.sig_ax.c2p(-z_max, r.a_out), color=th.warn, stroke_width=2))
        out_label = self.tex(rf"\sigma(z) = {out_text}", SIZE.label, color=th.forward).move_to(g_label)
        self.output_group = VGroup(self.out_arrow, g_label, nxt)
        if self.lesson.activation == "sigmoid":
            caption = t("An activation function g turns z into the output. Ours is the sigmoid, σ(z) = 1/(1 + e^−z), "
                        "which squashes z between 0 and 1: σ({z}) = {a}.", z=self.z_text, a=out_text)
        else:
            caption = t("An activation function g turns z into the output. Here g is the sigmoid, σ(z) = "
                        "1/(1 + e^−z), which squashes z between 0 and 1: σ({z}) = {a}.", z=self.z_text, a=out_text)
        with self.beat(caption):
            self.play(GrowArrow(self.out_arrow), FadeIn(g_label), FadeIn(nxt), run_time=1.0)
            self.play(Write(self.sig_line), Create(self.sig_ax), FadeIn(name, ones, top, self.sig_plot[-1]),
                      Create(self.sig_curve), run_time=2.0)
            self.play(Transform(self.sig_line, full), FadeIn(self.z_dot, scale=2), Create(self.guide),
                      Transform(g_label, out_label), run_time=1.5)

    def show_slope(self) -> None:
        """Beat 4: under the curve, its slope σ'(z) = σ(z)(1 − σ(z)), and this neuron's; on σ's
        vertical scale (0 to 1, the same height), with ticks every ¼ and 0, ¼ and 1 written."""
        th, r = self.theme, self.res
        z_max, top, q = max(r.zs), 1.0, r.peak_fraction
        self.slope_ax = self.axes(top, float(q), PLOT_HEIGHT, SLOPE_Y)
        self.slope_curve = self.slope_ax.plot_line_graph(list(r.zs), list(r.sigma_prime), add_vertex_dots=False,
                                                         line_color=th.backward, stroke_width=5)
        self.shown["sigma_prime_curve"] = list(r.sigma_prime)
        name = self.tex(r"\sigma'(z)", SIZE.label, color=th.backward)
        name.next_to(self.slope_ax.c2p(-z_max, top), RIGHT, buff=0.15).shift(UP * 0.28)
        zero, one = (self.text(s, SIZE.small, color=th.muted).next_to(self.slope_ax.c2p(-z_max, v), LEFT, buff=0.12)
                     for s, v in (("0", 0.0), ("1", 1.0)))
        quarter = self.tex(f"{q.numerator}/{q.denominator}", SIZE.small, color=th.muted)
        quarter.next_to(self.slope_ax.c2p(-z_max, float(q)), LEFT, buff=0.12)
        self.slope_ticks = VGroup(zero, quarter, one)
        ceiling = DashedLine(self.slope_ax.c2p(-z_max, 1.0), self.slope_ax.c2p(z_max, 1.0), color=th.muted,
                             stroke_width=1.5)
        z_name = self.tex("z", SIZE.label, color=th.text).next_to(self.slope_ax.c2p(z_max, 0), RIGHT, buff=0.15)
        self.slope_plot = VGroup(self.slope_ax, self.slope_curve, name, zero, quarter, one, ceiling, z_name,
                                 self.z_ticks(self.slope_ax))
        slope_text = self.rec("slope", r.slope)
        self.slope_line = self.formula_line(
            rf"\sigma'(z) = \sigma(z)\,(1 - \sigma(z)) = {slope_text}", 2, color=th.backward)
        p = self.slope_ax.c2p(r.z, r.slope)
        self.slope_dot = Dot(p, radius=0.08, color=th.warn)
        self.drop = DashedLine(self.sig_ax.c2p(r.z, 0), p, color=th.warn, stroke_width=2)
        with self.beat(t("Below it, its slope σ'(z) = σ(z)(1 − σ(z)): how fast the output changes with z.")):
            self.play(Create(self.slope_ax), FadeIn(name, zero, quarter, one, ceiling, z_name, self.slope_plot[-1]),
                      Create(self.slope_curve), run_time=2.0)
            self.play(Write(self.slope_line), Create(self.drop), FadeIn(self.slope_dot, scale=2), run_time=1.5)

    def why_a_quarter(self) -> None:
        """Beat 5: with p = σ(z), p(1 − p) = ¼ − (p − ½)² ≤ ¼, the peak at z = 0."""
        th, r = self.theme, self.res
        z_max = max(r.zs)
        q, half = r.peak_fraction, Fraction(r.peak_p)
        self.shown["peak_p"] = r.peak_p
        self.shown["bound"] = q
        self.shown["peak"] = q
        self.shown["peak_z"] = r.peak_z
        frac = rf"\tfrac{{{q.numerator}}}{{{q.denominator}}}"
        hf = rf"\tfrac{{{half.numerator}}}{{{half.denominator}}}"
        self.why_line = self.formula_line(rf"p = \sigma(z):\quad p\,(1-p) = {frac} - (p - {hf})^2 \le {frac}", 3)
        peak = self.slope_ax.c2p(r.peak_z, r.peak)
        level = DashedLine(self.slope_ax.c2p(-z_max, r.peak), self.slope_ax.c2p(z_max, r.peak), color=th.warn,
                           stroke_width=2)
        dot = Dot(peak, radius=0.09, color=th.warn)
        tag = self.tex(rf"\sigma'({fmt(r.peak_z)}) = {frac}", SIZE.label, color=th.warn)
        tag.next_to(peak, UP, buff=0.12).shift(RIGHT * 1.45)
        half_dot = Dot(self.sig_ax.c2p(r.peak_z, r.peak_p), radius=0.07, color=th.warn)
        half_tag = self.tex(rf"p = {hf}", SIZE.small, color=th.warn)
        half_tag.next_to(half_dot, RIGHT, buff=0.12).shift(DOWN * 0.12)
        self.peak_marks = VGroup(level, dot, tag, half_dot, half_tag)
        self.say(t("With p = σ(z), p(1 − p) is largest at p = {p}, at z = {z}: σ' is at most {bound}.",
                   p=VULGAR[half], z=fmt(r.peak_z), bound=VULGAR[q]),
                 Write(self.why_line), Create(level), FadeIn(dot, scale=2), Write(tag), FadeIn(half_dot, half_tag),
                 run_time=2.0)

    def saturation(self) -> None:
        """Beat 6: far from 0 the curve is flat and the slope is nearly 0 (computed at z = 5)."""
        th, r = self.theme, self.res
        zs = r.saturated_z
        self.shown["saturated_z"] = zs
        sig_text = self.rec("saturated_sigma", r.saturated_sigma)
        slope_text = self.rec("saturated_slope", r.saturated_slope)
        top = Dot(self.sig_ax.c2p(zs, r.saturated_sigma), radius=0.08, color=th.overflow)
        bottom = Dot(self.slope_ax.c2p(zs, r.saturated_slope), radius=0.08, color=th.overflow)
        flat = VGroup(self.text(t("flat: saturated"), SIZE.small, color=th.overflow),
                      self.tex(rf"\sigma({fmt(zs)}) = {sig_text}", SIZE.small, color=th.overflow))
        flat.arrange(DOWN, buff=0.1).next_to(top, UP, buff=0.15)
        flat.align_to(self.sig_ax.c2p(max(r.zs), 0), RIGHT)
        value = self.formula_line(rf"\sigma'({fmt(zs)}) = {slope_text}", 4, color=th.overflow)
        self.sat_marks = VGroup(top, bottom, flat, value)
        self.say(t("Far from 0 the curve is flat, saturated: at z = {z}, σ' is only {slope}.", z=fmt(zs),
                   slope=slope_text),
                 FadeIn(top, scale=2), FadeIn(bottom, scale=2), FadeIn(flat), Write(value),
                 Flash(bottom, color=th.overflow), run_time=1.8)

    def lesson_activation(self) -> None:
        """Beat 7 (only when the lesson's net is not a sigmoid net): say which g it uses."""
        activation = self.lesson.activation
        if activation == "linear":
            self.say(t("This lesson's deep net uses g(z) = z instead; chapter {chapter} shows such a net.",
                       chapter=number_of("exploding")), hold=0.5)
        elif activation != "sigmoid":
            name = OTHER_ACTIVATIONS.get(activation, activation)
            self.say(t("This lesson's deep net uses {g} as g instead; chapter {chapter} says why.", g=name,
                       chapter=number_of("wayout")), hold=0.5)


__all__ = ["OneNeuron", "experiment"]
