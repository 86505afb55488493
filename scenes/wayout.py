"""Chapter 10: the way out.

The bridge first: chapter 6's chain multiplied the gradient by one factor w σ'(z) per layer;
the way out keeps each layer's factor near 1. Two other activation functions g, each drawn
with its slope g'(z) under it as chapter 3 draws σ and σ': tanh (centred on 0 where σ is
centred on ½; slope 1 at z = 0, four times σ's peak) and ReLU (slope 1 for z > 0, 0 for
z < 0). Then the fan-in argument, one picture per idea: neuron j of layer l sums one term per
input going forward, z_j = Σ_k w_jk a_k + b_j (n_in terms, the fan-in), and one per neuron it
feeds going back, δ_j = g'(z_j) Σ_k w_kj δ_k (n_out terms, the fan-out), with weights of mean 0
and variance Var(w); a simulation of random sums shows that such a sum grows like √n, not n (n
doubling at each step). Forward, with zero biases, rms(z) ≈ √(n_in Var(w)) rms(a), worked for the
lesson's width (Var(w) = 1 grows z √30 = 5.48-fold, Var(w) = 1/30 keeps its size); back, by the
same count, each layer's factor is about √(n_out Var(w) E[g'²]). Then the starting-weight rules
that keep the factor near 1, in a table of their own: LeCun 1998 Var(w) = 1/n_in, Xavier Glorot and
Bengio 2010 2/(n_in + n_out) ("Xavier's start"), Kaiming He 2015 2/n_in.

Then the lesson's deep net at its start, one change at a time: sigmoid with Nielsen's start
(biases of Var(b) = 1), sigmoid with Xavier's (zero biases; with σ' at most ¼ its factor stays
far below 1), tanh with Xavier's, ReLU with He's. Per hidden layer
a bar: the root mean square over the digits of one digit's ‖δ_l‖, median over the starts
(log axis). Under each panel, in rows: n Var(w), E[g'²], the predicted factor
√(n Var(w) E[g'²]) and the measured one (read off the bars: the geometric mean of the ratios
of successive bars, (bar 1 / bar L-1)^(1/(L-2)), as the screen defines it), each to three
significant figures so that the prediction can be checked from the numbers shown, and the
last hidden layer's bar over layer 1's. Each setting gets a beat for its bars and one for
its numbers. Every number comes from :mod:`netsim.experiments.wayout` and is recorded in ``self.shown``.
"""

from __future__ import annotations

import math
from fractions import Fraction

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Animation,
    AnimationGroup,
    Arrow,
    Axes,
    Circle,
    Create,
    CurvedArrow,
    DashedLine,
    DashedVMobject,
    Dot,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Line,
    Mobject,
    Rectangle,
    Succession,
    VGroup,
    VMobject,
)

from netsim.experiments.backprop import chain_layers
from netsim.experiments.shared import REGIME_THRESHOLD, round_significant
from netsim.experiments.wayout import FACTOR_DIGITS, SettingBars, WayOutChapter, the_way_out
from netsim.format import fmt_whole
from scenes.engine.chapters import number_of
from scenes.engine.common import LessonScene
from scenes.engine.i18n import Message, Words, t
from scenes.engine.lesson import Lesson, per_net
from scenes.engine.plots import LogScale
from scenes.engine.style import SIZE, fmt_ratio, fmt_value, label, log_tick, log_ticks

#: Significant figures of a bar ratio as the chapter writes it (fmt_ratio): three, so that
#: measured^-(L-2) can be checked against it from the numbers shown (0.200 and 1/124, not 1/120).
RATIO_DIGITS = 3

# -- layout (scene units; the frame is 14.2 x 8) --------------------------------------------
# chapter 6's chain, recalled under the heading
CHAIN_STEP = 2.0
CHAIN_Y = -0.2
# the activation curves, as chapter 3 draws sigma and sigma': two columns, slope under curve
CURVE_X = (-3.55, 3.55)
CURVE_Y = 0.95
SLOPE_Y = -2.05         # its tick labels above the subtitles' band
CURVE_WIDTH = 5.0
# neuron j of layer l, its inputs (left) and the neurons it feeds (right); the formulas right of it
BOW_Y = 0.6
BOW_SPACING = 0.9
BOW_X = (-5.95, -3.95, -1.95)
FORMULA_X = -0.9
FORMULA_Y = 2.7           # the top of the formulas
# the random sums: one column of dots per n
SUMS_LEFT = -5.5
SUMS_STEP = 0.88
SUMS_Y = -0.35
SUMS_HALF = 2.35
SUMS_NOTES_X = 2.95
#: The "why sqrt(n)" lines: their top, and their widest (right-aligned at the frame's margin).
WHY_TOP = 3.65
WHY_WIDTH = 6.6
JITTER = 0.55             # the dots' spread across their column, as a share of the step
# the factor formula, kept at the top right while n and the rules come in
FACTOR_AT = (2.0, 3.2)
# the rules' table, a picture of its own
TABLE_Y = (1.5, 0.5, -0.4, -1.3)
TABLE_X = (-6.6, -2.3, 0.4, 4.0)   # left edges: who, Var(w), hidden layers, layer 1
#: Under the table: the other name some courses give 1/n_in.
ALSO_Y = -2.2
#: The least gap between a rule's name and its Var(w) column (a CJK line's glyphs reach past its box).
NAME_GAP = 0.5
# the bars: four panels, the rows of numbers under them, their names in the left margin
PANEL_LEFT = -4.7
PANEL_WIDTH = 2.6
PANEL_GAP = 0.4
BAR_BASE_Y = -0.55
BAR_AXIS_HEIGHT = 2.3
LAYER_ROW_DROP = 0.3
MAX_BAR_WIDTH = 0.4
PANEL_TITLE_Y = (2.3, 1.95)
ROWS_Y = (-1.3, -1.66, -2.02, -2.38, -2.74)   # n Var(w), E[g'^2], predicted, measured, bar ratio
ROW_LABEL_RIGHT = -4.9
TICK_X = -5.15
#: The key to the rows "predicted" and "measured": one line under the notes at the top right, clear of
#: the frame's bottom tenth, where players draw subtitles.
ROWS_NOTE_Y = 2.85
ROWS_NOTE_WIDTH = 8.6

#: How the settings are named above their panels (two lines: activation, start).
PANEL_TITLES = {
    "sigmoid": (t("sigmoid net"), t("chapter {chapter}'s start", chapter=number_of("fading"))),
    "sigmoid-xavier": (t("sigmoid net"), t("Xavier's start")),
    "tanh": (t("tanh net"), t("Xavier's start")),
    "relu": (t("ReLU net"), t("He's start")),
}
RULE_TEX = {"n_in": r"n_{in}", "n_in + n_out": r"(n_{in} + n_{out})"}


#: Seconds the key picture is held after the last caption, for the numbers under the bars.
KEY_HOLD = 2.5


@per_net
def experiment(lesson: Lesson) -> WayOutChapter:
    """The chapter's numbers for the lesson's net (computed once per process): tanh and ReLU
    sampled by netsim, the random sums drawn from its seed, and the deep net's bars for its
    sizes, from ``DEFAULT_SEED_COUNT`` starts from its seed on."""
    return the_way_out(lesson.net)


def tex_fraction(numerator: int, denominator: int) -> str:
    """``a/b`` written as given (not reduced, so 2/60 shows the widths plugged in)."""
    return f"{numerator}/{denominator}"


def figures(x: float, digits: int = FACTOR_DIGITS) -> str:
    """x as the one formatter writes it, with the trailing zeros of ``digits`` significant
    figures kept (0.200, not 0.2; 1.00, not 1), so that the factors and E[g'^2] under the
    bars read to one precision and sqrt(n Var(w) E[g'^2]) can be checked against them.
    e-notation, 0 and overflow are left as fmt_value writes them."""
    text = fmt_value(x, digits)
    if x == 0 or not math.isfinite(x) or "e" in text:
        return text
    shown = len(text.lstrip("-").replace(".", "").lstrip("0"))
    if shown >= digits:
        return text
    return text + ("" if "." in text else ".") + "0" * (digits - shown)


def bar_ratio(ratio: float) -> str:
    """Layer 1's bar over layer L-1's as the chapter writes it (every ratio of the episode is layer
    1's over layer L-1's), from ``ratio`` = bar L-1 / bar 1 rounded once to ``RATIO_DIGITS``
    significant figures: "1/124" when layer 1's is the smaller."""
    return fmt_ratio(1 / round_significant(ratio, RATIO_DIGITS), RATIO_DIGITS)


class TheWayOut(LessonScene):
    """Chapter 10: chapter 6's factor recalled, tanh and ReLU, the fan-in argument, the
    starting-weight rules, and the deep net with one change at a time."""

    def construct(self) -> None:
        numbers = experiment(self.lesson)
        self.result, self.curves, self.sums = numbers.bars, numbers.curves, numbers.sums
        th = self.theme
        # one colour per net, the same in every chapter; sigmoid + Xavier is not one of those nets
        self.colors = {"sigmoid": th.net("deep"), "sigmoid-xavier": th.muted, "tanh": th.net("tanh"),
                       "relu": th.net("relu")}
        self.show_heading()
        self.show_tanh()
        self.show_relu()
        self.sums_in_a_layer()
        self.spread_of_weights()
        self.random_sums()
        self.why_sqrt_n()
        self.size_forward()
        self.factor_per_layer()
        self.rules_lecun_glorot()
        self.rule_he()
        self.panel_problem()
        self.panel_sigmoid_xavier()
        self.panel_tanh()
        self.panel_relu()
        self.hold_key_picture()
        self.end_chapter(None)

    # -- helpers ----------------------------------------------------------------------------

    def rec(self, key: str, value: float) -> str:
        """``value`` as written on screen or in a caption, recorded in ``shown[key]``."""
        return self.inline(key, value)

    def rec_figures(self, key: str, value: float) -> str:
        """``value`` to three significant figures with its trailing zeros (:func:`figures`), recorded."""
        self.shown[key] = float(value)
        return figures(float(value))

    def muted(self, words: Words, size: int = SIZE.small) -> VGroup:
        return self.text(words, size, color=self.theme.muted)

    def tex_note(self, tex: str, words: Words, size: int = SIZE.small) -> VGroup:
        """A symbol and what it means, in the muted colour: ``n_in``: a neuron's inputs."""
        th = self.theme
        return VGroup(self.tex(tex, size, color=th.muted), self.text(words, size, color=th.muted)
                      ).arrange(RIGHT, buff=0.1)

    def layer_l(self, size: int = SIZE.label, color: str | None = None, index: str = "l") -> VGroup:
        """"layer l" (or l-1, l+1: ``index``) with the index set in MathTex (the sans l reads as an I),
        in the lesson's word order."""
        parts = self.tr(t("layer {l}", l="\x00")).split("\x00")
        pieces: list[Mobject] = []
        for i, words in enumerate(parts):
            if words.strip():
                pieces.append(label(words.strip(), self.theme, size, color=color, font=self.font))
            if i < len(parts) - 1:
                pieces.append(self.tex(index, size, color=color))
        return VGroup(*pieces).arrange(RIGHT, buff=0.1)

    # -- beats 1-3: chapter 6's factor, and two activation functions ------------------------

    def show_heading(self) -> None:
        """The title, and chapter 6's chain: one factor w sigma'(z) per layer, to be kept near 1."""
        th = self.theme
        self.heading = self.chapter_heading(t("The way out"), t("keep every layer's factor near 1"))
        count = chain_layers(self.lesson.net)  # chapter 6's chain: one neuron per layer of the lesson's net
        nodes = [Circle(0.28, stroke_color=th.neuron_stroke, fill_color=th.neuron_fill, fill_opacity=1,
                        stroke_width=2).move_to([CHAIN_STEP * (i - (count - 1) / 2), CHAIN_Y, 0]).set_z_index(1)
                 for i in range(count)]
        links = VGroup(*[Line(a.get_center(), b.get_center(), stroke_color=th.edge, stroke_width=2)
                         for a, b in zip(nodes, nodes[1:])])
        back = VGroup(*[CurvedArrow(b.get_top() + UP * 0.1, a.get_top() + UP * 0.1, angle=0.9, color=th.backward,
                                    stroke_width=3, tip_length=0.15) for a, b in zip(nodes, nodes[1:])])
        tags = VGroup(*[self.tex(r"\times\, w\,\sigma'(z)", SIZE.label, color=th.backward)
                        .next_to(arrow, UP, buff=0.1) for arrow in back])
        note = VGroup(self.muted(t("chapter {chapter}: one neuron per layer", chapter=number_of("backprop")),
                                 SIZE.label),
                      VGroup(self.text(t("each layer's factor"), SIZE.label),
                             self.tex(r"|w\,\sigma'(z)|", SIZE.body)).arrange(RIGHT, buff=0.15)
                      ).arrange(DOWN, buff=0.25).move_to([0, CHAIN_Y - 1.7, 0])
        self.chain = VGroup(links, *nodes, back, tags, note)
        with self.beat(t("The way out: keep each layer's factor, chapter {chapter}'s |w σ'(z)|, near 1.",
                         chapter=number_of("backprop"))):
            self.play(FadeIn(self.heading), FadeIn(links, *nodes), run_time=1.0)
            self.play(Create(back), FadeIn(tags), FadeIn(note), run_time=1.2)

    def _plot(self, x: float, y: float, y_range: tuple[float, float, float], height: float,
              values: tuple[float, ...], color: str, name: str, y_labels: tuple[float, ...],
              z_axis: bool = False) -> tuple[Axes, VMobject, VGroup]:
        """Axes over netsim's z samples with one sampled curve, chapter 3's look: muted axes
        with ticks, the curve's name at the top left, value labels left; the slope's plot (under
        the curve, on the same z) also has z = -4, 0, 4 and the name z."""
        th, c = self.theme, self.curves
        z_max = max(c.zs)
        ax = Axes(x_range=[-z_max, z_max, 1], y_range=list(y_range), x_length=CURVE_WIDTH, y_length=height,
                  tips=False, axis_config={"color": th.muted, "stroke_width": 2, "include_ticks": True})
        ax.move_to([x, y, 0])
        curve = ax.plot_line_graph(list(c.zs), list(values), add_vertex_dots=False, line_color=color,
                                   stroke_width=5)
        name_tex = self.tex(name, SIZE.label, color=color)
        name_tex.next_to(ax.c2p(-z_max, y_range[1]), RIGHT, buff=0.15).shift(UP * 0.2)
        marks = VGroup(*[self.text(fmt_value(v), SIZE.small, color=th.muted).next_to(ax.c2p(-z_max, v), LEFT,
                                                                                     buff=0.12)
                         for v in y_labels])
        if z_axis:
            for v in (-z_max, 0.0, z_max):
                marks.add(self.text(fmt_value(v), SIZE.small, color=th.muted).next_to(ax.c2p(v, y_range[0]), DOWN,
                                                                                      buff=0.12))
            marks.add(self.tex("z", SIZE.label).next_to(ax.c2p(z_max, 0), RIGHT, buff=0.15))
        return ax, curve, VGroup(name_tex, marks)

    def show_tanh(self) -> None:
        """tanh squashes z between -1 and 1, centred on 0 (sigma on 1/2, drawn muted beside it);
        its slope 1 - tanh^2 is 1 at z = 0, 4 times sigma'(0). Its name says it is a sigmoid
        stretched and shifted, tanh(z) = 2 sigma(2z) - 1: what differs is the centre."""
        th, c = self.theme, self.curves
        x = CURVE_X[0]
        z_max = max(c.zs)
        self.shown["curve.z"] = list(c.zs)
        self.shown["curve.tanh"] = list(c.tanh)
        self.shown["curve.sigmoid"] = list(c.sigmoid)
        self.shown["curve.tanh_slope"] = list(c.tanh_slope)
        self.shown["curve.sigmoid_slope"] = list(c.sigmoid_slope)
        centre = self.rec("tanh_centre", c.tanh_centre)
        s_centre = self.rec("sigmoid_centre", c.sigmoid_centre)
        ax, curve, marks = self._plot(x, CURVE_Y, (-1.0, 1.0, 0.5), 2.2, c.tanh, th.forward,
                                      r"g(z) = \tanh(z) = 2\sigma(2z) - 1",
                                      (-1.0, 0.0, c.sigmoid_centre, 1.0))
        top = VGroup(*[DashedLine(ax.c2p(-z_max, v), ax.c2p(z_max, v), color=th.muted, stroke_width=1.5)
                       for v in (-1.0, 1.0)])
        sig_curve = ax.plot_line_graph(list(c.zs), list(c.sigmoid), add_vertex_dots=False, line_color=th.muted,
                                       stroke_width=3)
        sig_name = self.tex(r"\sigma(z)", SIZE.small, color=th.muted).next_to(ax.c2p(-z_max, 0.0), UP, buff=0.12)
        sig_name.align_to(ax.c2p(-z_max * 0.9, 0), LEFT)
        mids = VGroup(Dot(ax.c2p(0, c.tanh_centre), radius=0.07, color=th.forward),
                      Dot(ax.c2p(0, c.sigmoid_centre), radius=0.07, color=th.muted))
        s_ax, s_curve, s_marks = self._plot(x, SLOPE_Y, (0.0, 1.1, 0.25), 1.6, c.tanh_slope, th.backward,
                                            r"g'(z) = 1 - \tanh^2(z)", (0.0, 1.0), z_axis=True)
        sig = s_ax.plot_line_graph(list(c.zs), list(c.sigmoid_slope), add_vertex_dots=False,
                                   line_color=th.muted, stroke_width=3)
        sig.set_stroke(opacity=0.9)
        peak = self.rec("tanh_peak", c.tanh_peak)
        ratio = self.rec("peak_ratio", c.peak_ratio)
        self.shown["sigmoid_peak"] = c.sigmoid_peak
        q = Fraction(c.sigmoid_peak).limit_denominator(1000)
        dot = Dot(s_ax.c2p(0, c.tanh_peak), radius=0.08, color=th.warn)
        tag = self.tex(rf"g'(0) = {peak}", SIZE.small, color=th.warn).next_to(dot, RIGHT, buff=0.5)
        sig_tag = self.tex(rf"\sigma'(z),\ \sigma'(0) = \tfrac{{{q.numerator}}}{{{q.denominator}}}", SIZE.small,
                           color=th.muted)
        sig_tag.move_to(s_ax.c2p(1.2, 0.5), aligned_edge=LEFT)
        self.tanh_group = VGroup(ax, curve, marks, top, sig_curve, sig_name, mids, s_ax, s_curve, s_marks, sig,
                                 dot, tag, sig_tag)
        with self.beat(t("tanh(z) squashes z between −1 and 1, centred on {centre} (σ on {sigma_centre}). Its slope "
                         "g'(z) = 1 − tanh²(z) is {peak} at z = 0, {ratio} times σ's peak.", centre=centre,
                         sigma_centre=s_centre, peak=peak, ratio=ratio)):
            self.play(FadeOut(self.chain), run_time=0.6)
            self.play(Create(ax), FadeIn(marks, top), Create(sig_curve), FadeIn(sig_name), Create(curve),
                      run_time=1.6)
            self.play(FadeIn(mids, scale=2), run_time=0.6)
            self.play(Create(s_ax), FadeIn(s_marks), Create(s_curve), FadeIn(sig, sig_tag), run_time=1.6)
            self.play(FadeIn(dot, scale=2), FadeIn(tag), run_time=0.8)

    def show_relu(self) -> None:
        """ReLU(z) = max(0, z), the rectified linear unit: slope 1 for z > 0, 0 for z < 0; off
        for z < 0, about half the z of the lesson's net at a random start (when netsim measures so)."""
        th, c = self.theme, self.curves
        x = CURVE_X[1]
        self.shown["curve.relu"] = list(c.relu)
        self.shown["curve.relu_slope"] = list(c.relu_slope)
        z_max = max(c.zs)
        ax, curve, marks = self._plot(x, CURVE_Y, (0.0, z_max, 1.0), 2.2, c.relu, th.forward,
                                      r"g(z) = \mathrm{ReLU}(z) = \max(0, z)", (0.0, z_max))
        s_ax, s_curve, s_marks = self._plot(x, SLOPE_Y, (0.0, 1.1, 0.25), 1.6, c.relu_slope, th.backward,
                                            r"g'(z)", (0.0, 1.0), z_axis=True)
        right = self.rec("relu_slope_right", c.relu_slope_right)
        left = self.rec("relu_slope_left", c.relu_slope_left)
        relu = self.result.by_key("relu") if "relu" in {s.setting.key for s in self.result.settings} else None
        half = relu is not None and 0.4 <= relu.on_fraction <= 0.6
        if relu is not None:
            self.shown["relu.on_fraction"] = relu.on_fraction
        off = self.muted(t("off")).next_to(s_ax.c2p(-z_max / 2, 0), UP, buff=0.25)
        on = self.muted(t("slope {slope}", slope=right)).next_to(s_ax.c2p(z_max / 2, 1.0), DOWN, buff=0.2)
        self.relu_group = VGroup(ax, curve, marks, s_ax, s_curve, s_marks, off, on)
        if half:
            caption = t("ReLU(z) = max(0, z), the rectified linear unit: slope {right} where z > 0; off, slope "
                        "{left}, where z < 0.", right=right, left=left)
        else:
            caption = t("ReLU(z) = max(0, z), the rectified linear unit: slope {right} where z > 0, {left} where "
                        "z < 0. It never flattens for z > 0, but is off wherever z < 0.", right=right, left=left)
        with self.beat(caption):
            self.play(Create(ax), FadeIn(marks), Create(curve), run_time=1.6)
            self.play(Create(s_ax), FadeIn(s_marks), Create(s_curve), run_time=1.6)
            self.play(FadeIn(off, on), run_time=0.8)

    # -- beats 4-6: a sum of n terms, and how random sums grow --------------------------------

    def sums_in_a_layer(self) -> None:
        """Neuron j of layer l between its n_in inputs and the n_out neurons it feeds: forward,
        z_j = sum_k w_jk a_k + b_j, one term per input (fan-in); back,
        delta_j = g'(z_j) sum_k w_kj delta_k, one term per neuron of layer l + 1 (fan-out)."""
        th, r = self.theme, self.result
        ys = (BOW_Y + BOW_SPACING, BOW_Y, BOW_Y - BOW_SPACING)

        def neuron(x: float, y: float, color: str | None = None) -> Circle:
            c = Circle(0.2, stroke_color=color or th.neuron_stroke, fill_color=th.neuron_fill, fill_opacity=1,
                       stroke_width=4 if color else 2)
            return c.move_to([x, y, 0]).set_z_index(1)

        j = neuron(BOW_X[1], BOW_Y, th.text)
        ins = [neuron(BOW_X[0], y) for y in ys]
        outs = [neuron(BOW_X[2], y) for y in ys]
        fwd = VGroup(*[Arrow(a.get_center(), j.get_center(), buff=0.22, color=th.forward, stroke_width=3,
                             max_tip_length_to_length_ratio=0.07) for a in ins])
        back = VGroup(*[Arrow(b.get_center(), j.get_center(), buff=0.22, color=th.backward, stroke_width=3,
                              max_tip_length_to_length_ratio=0.07) for b in outs])
        cols = VGroup(*[self.layer_l(SIZE.label, color=th.muted, index=index).next_to(column, UP, buff=0.3)
                        for index, column in (("l-1", ins[0]), ("l", j), ("l+1", outs[0]))])
        cols[1].align_to(cols[0], DOWN)
        j_label = self.tex("j", SIZE.label).next_to(j, DOWN, buff=0.15)
        forward = VGroup(
            self.tex(r"z_j = \sum_k w_{jk}\, a_k + b_j", SIZE.body, color=th.forward),
            VGroup(self.tex("n_{in}", SIZE.label, color=th.forward),
                   self.text(t("terms, one per input (fan-in)"), SIZE.label, color=th.forward)
                   ).arrange(RIGHT, buff=0.1),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        backward = VGroup(
            self.tex(r"\delta_j = g'(z_j) \sum_k w_{kj}\, \delta_k", SIZE.body, color=th.backward),
            VGroup(self.tex("n_{out}", SIZE.label, color=th.backward),
                   self.text(t("terms, one per neuron fed (fan-out)"), SIZE.label, color=th.backward)
                   ).arrange(RIGHT, buff=0.1),
            self.tex_note(r"\delta_k", t(": neuron k's error, from the next layer"), SIZE.label),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        n = self.rec("n_hidden", r.width)
        here = VGroup(self.text(t("between hidden layers here:"), SIZE.label),
                      self.tex(rf"n_{{in}} = n_{{out}} = {n}", SIZE.body)).arrange(RIGHT, buff=0.2)
        VGroup(forward, backward, here).arrange(DOWN, aligned_edge=LEFT, buff=0.45).move_to(
            [FORMULA_X, FORMULA_Y, 0], aligned_edge=UP + LEFT)
        self.diagram = VGroup(fwd, back, j, *ins, *outs, cols, j_label)
        self.sum_group = VGroup(forward, backward, here)
        with self.beat(t("With many neurons per layer, z_j adds one term per input: n_in terms, the fan-in.")):
            self.play(FadeOut(self.tanh_group), FadeOut(self.relu_group), run_time=0.8)
            self.play(FadeIn(j, *ins, cols[:2], j_label), FadeIn(fwd), run_time=1.0)
            self.play(FadeIn(forward), run_time=0.8)
        with self.beat(t("Back prop's δ_j adds one per neuron j feeds: n_out terms, the fan-out.")):
            self.play(FadeIn(*outs, cols[2]), FadeIn(back), run_time=1.0)
            self.play(FadeIn(backward), run_time=0.8)
            self.play(FadeIn(here), run_time=0.6)

    def spread_of_weights(self) -> None:
        """Var(w): the variance of the starting weights, their mean square (their mean is 0)."""
        var = VGroup(self.tex(r"\mathrm{Var}(w) =", SIZE.label), self.text(t("the mean of w²"), SIZE.label),
                     self.muted(t("(random starting weights, mean 0)"), SIZE.label)).arrange(RIGHT, buff=0.15)
        var.scale_to_fit_width(min(var.width, 6.9 - FORMULA_X))
        var.next_to(self.sum_group, DOWN, buff=0.45, aligned_edge=LEFT)
        self.var_group = var
        self.say(t("Starting weights are random, mean 0, variance Var(w): the mean of w²."),
                 FadeIn(var), run_time=1.0)

    def _sum_x(self, i: int) -> float:
        return SUMS_LEFT + SUMS_STEP * i

    def random_sums(self) -> None:
        """For each n (doubling at each step), many sums of n random products: their rms follows
        sqrt(n), not n. The line n is drawn until it leaves the chart, and clipped there."""
        th, s = self.theme, self.sums
        self.shown["sums.n"] = [float(n) for n in s.ns]
        self.shown["sums.trials"] = float(s.trials)
        self.shown["sums.rms"] = [float(v) for v in s.rms]
        self.shown["sums.sqrt_n"] = [float(v) for v in s.sqrt_n]
        self.shown["sums.kept"] = [float(v) for v in s.kept.ravel()]
        # the vertical scale: the drawn sums, to the next multiple of 10
        top = max(10.0, 10.0 * -(-float(abs(s.kept).max()) // 10.0))
        scale = SUMS_HALF / top

        def y(v: float) -> float:
            return SUMS_Y + scale * v

        last = self._sum_x(len(s.ns) - 1)
        left_x = SUMS_LEFT - 0.6
        axis = VGroup(Line([left_x, y(-top), 0], [left_x, y(top), 0], stroke_color=th.muted, stroke_width=2),
                      Line([left_x, y(0), 0], [last + 0.5, y(0), 0], stroke_color=th.muted, stroke_width=1.5))
        step = 10.0 if top <= 60 else 10.0 * round(top / 60.0)
        ticks = VGroup()
        k = -top
        while k <= top + 1e-9:
            ticks.add(Line([left_x - 0.08, y(k), 0], [left_x, y(k), 0], stroke_color=th.muted, stroke_width=2))
            ticks.add(self.text(fmt_value(k), SIZE.small, color=th.muted).next_to([left_x - 0.08, y(k), 0], LEFT,
                                                                                   buff=0.08))
            k += step
        names = VGroup(*[self.text(fmt_value(n), SIZE.small, color=th.muted)
                         .move_to([self._sum_x(i), y(-top) - 0.3, 0]) for i, n in enumerate(s.ns)])
        n_word = VGroup(self.tex("n", SIZE.label, color=th.muted), self.muted(t("doubles at each step"))
                        ).arrange(RIGHT, buff=0.12).next_to(names, RIGHT, buff=0.3)
        dots = VGroup()
        kept = s.kept.shape[1]
        for i in range(len(s.ns)):
            for trial in range(kept):
                dx = ((trial * 0.6180339887) % 1.0 - 0.5) * JITTER * SUMS_STEP
                dots.add(Dot([self._sum_x(i) + dx, y(float(s.kept[i, trial])), 0], radius=0.022,
                             color=th.forward, fill_opacity=0.55))
        rms = VGroup()
        for i in range(len(s.ns)):
            for sign in (1, -1):
                h = y(sign * float(s.rms[i]))
                rms.add(Line([self._sum_x(i) - 0.3, h, 0], [self._sum_x(i) + 0.3, h, 0], stroke_color=th.backward,
                             stroke_width=5))
        root = VGroup(*[VMobject(stroke_color=th.text, stroke_width=2.5).set_points_as_corners(
            [[self._sum_x(i), y(sign * float(v)), 0] for i, v in enumerate(s.sqrt_n)]) for sign in (1, -1)])
        # "not n": the line n, drawn until it reaches the chart's edge, and clipped there
        lin, lin_names = VGroup(), VGroup()
        for sign in (1, -1):
            pts = []
            for i, n in enumerate(s.ns):
                if n <= top:
                    pts.append([self._sum_x(i), y(sign * n), 0])
                    continue
                prev = s.ns[i - 1]
                frac = (top - prev) / (n - prev)
                pts.append([self._sum_x(i - 1) + frac * SUMS_STEP, y(sign * top), 0])
                break
            lin.add(DashedVMobject(VMobject(stroke_color=th.muted, stroke_width=2.5).set_points_as_corners(pts),
                                   num_dashes=8 * len(pts)))
            lin_names.add(self.tex("n", SIZE.small, color=th.muted).next_to(pts[-1], RIGHT, buff=0.1))
        self.shown["sums.kept_per_n"] = float(kept)
        self.rec("sums.trials", s.trials)
        trials = fmt_whole(s.trials)  # a count, written as every count is (5,000)
        kept_txt = fmt_value(kept)
        legend = VGroup(
            self.tex(r"S = \sum_{k=1}^{n} w_k\, \delta_k", SIZE.label),
            self.tex_note(r"w_k,\ \delta_k", t(": random (normal),")),
            self.muted(t("mean 0, mean square 1")),
            self.muted(t("dots: {kept} of {trials} per n", kept=kept_txt, trials=trials)),
            VGroup(Line(LEFT * 0.25, RIGHT * 0.25, stroke_color=th.backward, stroke_width=5),
                   self.text(t("root mean square"), SIZE.small, color=th.backward)).arrange(RIGHT, buff=0.15),
            VGroup(Line(LEFT * 0.25, RIGHT * 0.25, stroke_color=th.text, stroke_width=2.5),
                   self.tex(r"\sqrt{n}", SIZE.small)).arrange(RIGHT, buff=0.15),
            VGroup(DashedLine(LEFT * 0.25, RIGHT * 0.25, color=th.muted, stroke_width=2.5, dash_length=0.08),
                   self.tex("n", SIZE.small, color=th.muted)).arrange(RIGHT, buff=0.15),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.16)
        legend.scale_to_fit_width(min(legend.width, 7.0 - SUMS_NOTES_X - 0.1))  # any language stays in frame
        legend.move_to([SUMS_NOTES_X, SUMS_Y + 0.4, 0], aligned_edge=LEFT)
        self.sums_group = VGroup(axis, ticks, names, n_word, dots, rms, root, lin, lin_names, legend)
        if s.follows_sqrt_n:
            caption = t("For each n, {trials} sums S of n random zero-mean terms of mean square 1: "
                        "their typical size (root mean square) follows √n, not n.", trials=trials)
        else:
            caption = t("For each n, {trials} sums S of n random zero-mean terms of mean square 1: "
                        "their typical size (root mean square), against √n and n.", trials=trials)
        with self.beat(caption):
            self.play(FadeOut(self.diagram), FadeOut(self.sum_group), FadeOut(self.var_group), run_time=0.8)
            self.play(FadeIn(axis, ticks, names, n_word), FadeIn(legend[:4]), run_time=0.8)
            self.play(FadeIn(dots, lag_ratio=0.002), run_time=2.4)
            self.play(FadeIn(rms), FadeIn(legend[4]), run_time=1.0)
            self.play(Create(root), FadeIn(legend[5]), run_time=1.0)
            self.play(Create(lin), FadeIn(lin_names, legend[6]), run_time=0.8)

    def why_sqrt_n(self) -> None:
        """Why sqrt(n): S^2 is n squares of mean 1 plus cross terms of mean 0, with the two parts'
        means at the largest n, from the same sums."""
        s = self.sums
        n = s.ns[-1]
        squares, cross = float(s.squares[-1]), float(s.cross[-1])
        self.shown["sums.squares"] = [float(v) for v in s.squares]
        self.shown["sums.cross"] = [float(v) for v in s.cross]
        parts = [self.inline("sums.squares_last", squares), self.inline("sums.cross_last", cross),
                 self.inline("sums.mean_square_last", squares + cross)]
        formula = self.tex(r"S^2 = \sum_k (w_k\delta_k)^2 + \sum_{j \neq k} w_j\delta_j\, w_k\delta_k", SIZE.label)
        means = VGroup(self.muted(t("means at n = {n}:", n=self.count("sums.n_last", n))),
                       self.text(f"{parts[0]} + ({parts[1]}) = {parts[2]}", SIZE.small)).arrange(RIGHT, buff=0.15)
        why = VGroup(formula, means).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        # at the top right, right of the heading and above the chart: legible, clear of the legend
        why.scale_to_fit_width(min(why.width, WHY_WIDTH))
        why.move_to([6.9, WHY_TOP, 0], aligned_edge=UR)
        self.sums_group.add(why)
        self.say(t("Why: S² is n squares of mean 1 plus cross terms of mean 0: mean n, root √n."),
                 FadeIn(formula), FadeIn(means), run_time=1.2)

    # -- beats 9-14: the size forward, the factor back, and the rules ------------------------

    def size_forward(self) -> None:
        """Forward with zero biases: each term w_jk a_k has mean square Var(w) E[a^2], so
        E[z^2] = n_in Var(w) E[a^2] and rms(z) = sqrt(n_in Var(w)) rms(a); worked for the
        lesson's hidden width with Var(w) = 1 (z grows sqrt(n)-fold) and Var(w) = 1/n (kept)."""
        th, r = self.theme, self.result
        n = self.count("n_hidden", r.width)
        grow = self.rec("sqrt_n_hidden", math.sqrt(r.width))
        lines = VGroup(
            VGroup(self.text(t("each term"), SIZE.label), self.tex(r"w_{jk}\,a_k", SIZE.label),
                   self.text(t(": mean square"), SIZE.label),
                   self.tex(r"\mathrm{Var}(w)\,\mathrm{E}[a^2]", SIZE.label)).arrange(RIGHT, buff=0.12),
            VGroup(self.tex("n_{in}", SIZE.label), self.text(t("terms, zero biases:"), SIZE.label),
                   self.tex(r"\mathrm{E}[z^2] \approx n_{in}\,\mathrm{Var}(w)\,\mathrm{E}[a^2]", SIZE.label)
                   ).arrange(RIGHT, buff=0.12),
            self.tex(r"\mathrm{rms}(z) \approx \sqrt{n_{in}\,\mathrm{Var}(w)}\ \mathrm{rms}(a)", SIZE.body,
                     color=th.forward),
            VGroup(self.tex_note(r"\mathrm{E}[\,\cdot\,]", t(": the mean over neurons and digits"), SIZE.label),
                   self.tex_note(r"\mathrm{rms}", t(": root mean square, √E[·²]"), SIZE.label)
                   ).arrange(DOWN, aligned_edge=LEFT, buff=0.15),
            VGroup(self.tex(rf"n_{{in}} = {n},\ \mathrm{{Var}}(w) = 1:", SIZE.label),
                   self.tex(rf"\mathrm{{rms}}(z) \approx \sqrt{{{n}}}\ \mathrm{{rms}}(a) = {grow}\ \mathrm{{rms}}(a)",
                            SIZE.label, color=th.warn)).arrange(RIGHT, buff=0.25),
            VGroup(self.tex(rf"n_{{in}} = {n},\ \mathrm{{Var}}(w) = 1/{n} = 1/n_{{in}}:", SIZE.label),
                   self.tex(r"\mathrm{rms}(z) \approx \mathrm{rms}(a)", SIZE.label, color=th.forward)
                   ).arrange(RIGHT, buff=0.25),
        ).arrange(DOWN, buff=0.3)
        lines[4:].arrange(DOWN, aligned_edge=LEFT, buff=0.25).next_to(lines[3], DOWN, buff=0.4)
        lines.move_to([0, -0.1, 0])
        self.forward_lines = lines
        with self.beat(t("With E the mean over neurons and digits, each term w_jk a_k, w independent of a, has mean "
                         "square Var(w) E[a²]; with zero biases, E[z²] ≈ n_in Var(w) E[a²].")):
            self.play(FadeOut(self.sums_group), run_time=0.8)
            self.play(FadeIn(lines[3][0]), FadeIn(lines[0]), run_time=1.0)  # E[·] before its first use
            self.play(FadeIn(lines[1]), run_time=1.0)
        with self.beat(t("{n} inputs, Var(w) = 1: z is about √{n} = {grow} times a's typical size; Var(w) = 1/{n}, "
                         "1/n_in, keeps it.", n=n, grow=grow)):
            self.play(FadeIn(lines[2]), FadeIn(lines[3][1]), run_time=1.0)
            self.play(FadeIn(lines[4]), run_time=0.8)
            self.play(FadeIn(lines[5]), run_time=0.8)

    def factor_per_layer(self) -> None:
        """Back prop: delta_j sums n_out terms w_kj delta_k, times g'(z_j), so (taking w, delta and
        g' independent) rms(delta_l) ~ sqrt(n_out Var(w) E[g'^2]) rms(delta_(l+1)); with
        n Var(w) = 1 the factor is about sqrt(E[g'^2]), at most 1/4 for sigma."""
        th = self.theme
        top = self.forward_lines[2]
        lines = VGroup(
            VGroup(self.text(t("back prop:"), SIZE.label),
                   self.tex(r"\delta_j = g'(z_j) \sum_{k=1}^{n_{out}} w_{kj}\,\delta_k", SIZE.label)
                   ).arrange(RIGHT, buff=0.2),
            self.tex(r"\mathrm{rms}(\delta_l) \approx \sqrt{n_{out}\,\mathrm{Var}(w)\,\mathrm{E}[g'^2]}\ "
                     r"\mathrm{rms}(\delta_{l+1})", SIZE.body, color=th.backward),
            self.tex(r"g' \approx 1,\ \mathrm{Var}(w) = 1/n_{out}:\quad \mathrm{rms}(\delta_l) \approx "
                     r"\mathrm{rms}(\delta_{l+1})", SIZE.label),
            VGroup(self.tex(r"n\,\mathrm{Var}(w) = 1", SIZE.label, color=th.backward),
                   self.text(t(": a factor of about"), SIZE.label),
                   self.tex(r"\sqrt{\mathrm{E}[g'^2]}", SIZE.label),
                   self.text(t(", at most ¼ for σ"), SIZE.label)).arrange(RIGHT, buff=0.12),
            self.muted(t("a larger Var(w) pushes z into σ's flat tails (chapter {chapter})",
                         chapter=number_of("neuron")), SIZE.label),
        ).arrange(DOWN, buff=0.4).next_to(top.copy().move_to([0, 2.3, 0]), DOWN, buff=0.6)
        lines[4].next_to(lines[3], DOWN, buff=0.2)
        self.factor = lines
        with self.beat(t("Back, by the same count (w, δ, g' taken independent), rms(δ) changes by about √(n_out Var(w) "
                         "E[g'²]) a layer; if g' ≈ 1, Var(w) = 1/n_out keeps it.")):
            self.play(FadeOut(VGroup(*self.forward_lines[:2], *self.forward_lines[3:])),
                      top.animate.move_to([0, 2.3, 0]), run_time=0.8)
            self.play(FadeIn(lines[0]), run_time=1.0)
            self.play(FadeIn(lines[1]), run_time=1.0)
            self.play(FadeIn(lines[2]), run_time=0.8)
        self.say(t("With n Var(w) = 1 (chapter {chapter}'s hidden layers), the factor is about √E[g'²]: at most ¼ for "
                   "the sigmoid.",
                   chapter=number_of("fading")),
                 FadeIn(lines[3:]), run_time=1.0)

    def table_header(self) -> VGroup:
        """The rules' table: its header, with the widths of a hidden layer and of layer 1."""
        th, r = self.theme, self.result
        y = TABLE_Y[0]
        self.shown["n_first"] = float(r.n_first)
        self.header = VGroup(
            self.tex(r"\mathrm{Var}(w)", SIZE.label, color=th.muted).move_to([TABLE_X[1], y, 0], aligned_edge=LEFT),
            VGroup(self.muted(t("between hidden layers"), SIZE.label),
                   self.tex(rf"n_{{in}} = n_{{out}} = {fmt_value(r.width)}", SIZE.small, color=th.muted)
                   ).arrange(DOWN, buff=0.08).move_to([TABLE_X[2], y, 0], aligned_edge=LEFT),
            VGroup(self.muted(t("layer {l}", l=1), SIZE.label),
                   self.tex(rf"n_{{in}} = {fmt_value(r.n_first)},\ n_{{out}} = {fmt_value(r.width)}", SIZE.small,
                            color=th.muted)).arrange(DOWN, buff=0.08).move_to([TABLE_X[3], y, 0], aligned_edge=LEFT),
        )
        return self.header

    def _rule_row(self, i: int) -> VGroup:
        """Row i of the rules: who and when, Var(w), and its value between hidden layers and at layer 1."""
        r = self.result
        hidden, first = r.hidden_rules[i], r.first_rules[i]
        y = TABLE_Y[i + 1]
        self.shown[f"year.{hidden.key}"] = float(hidden.year)
        self.shown[f"rule.hidden.{hidden.key}"] = [float(hidden.numerator), float(hidden.denominator)]
        self.shown[f"rule.first.{first.key}"] = [float(first.numerator), float(first.denominator)]
        names = [self.text({"lecun": t("LeCun {year}", year=rule.year),
                            "glorot": t("Xavier Glorot, Bengio {year}", year=rule.year),
                            "he": t("Kaiming He {year}", year=rule.year)}[rule.key], SIZE.label)
                 for rule in r.hidden_rules]
        # one size for every row's name: the widest fits its column
        room = TABLE_X[1] - TABLE_X[0] - NAME_GAP
        name = names[i].scale(min(1.0, room / max(n.width for n in names)))
        name.move_to([TABLE_X[0], y, 0], aligned_edge=LEFT)
        formula = self.tex(rf"{hidden.numerator}/{RULE_TEX[hidden.formula]}", SIZE.body)
        formula.move_to([TABLE_X[1], y, 0], aligned_edge=LEFT)
        h_val = self.tex(tex_fraction(hidden.numerator, hidden.denominator), SIZE.body)
        h_val.move_to([self.header[1].get_x(), y, 0])  # under its column's heading
        f_val = self.tex(tex_fraction(first.numerator, first.denominator), SIZE.body)
        f_val.move_to([self.header[2].get_x(), y, 0])
        return VGroup(name, formula, h_val, f_val)

    def rules_lecun_glorot(self) -> None:
        """LeCun 1998 took the forward rule Var(w) = 1/n_in (E[z^2] = E[a^2]), for his scaled tanh and
        normalised inputs; Xavier Glorot and Bengio 2010 took 2/(n_in + n_out), between it and the
        backward rule 1/n_out (their harmonic mean)."""
        header = self.table_header()
        rows = VGroup(self._rule_row(0), self._rule_row(1))
        self.rule_rows = rows
        lecun, glorot = self.result.hidden_rules[0], self.result.hidden_rules[1]
        # the name as Ng's course uses it, for students who learnt it there (round 37 lecturer)
        also = VGroup(self.text(t("Some courses call"), SIZE.small), self.tex(r"1/n_{in}", SIZE.small),
                      self.text(t("“Xavier” too."), SIZE.small)).arrange(RIGHT, buff=0.12)
        also.move_to([TABLE_X[0], ALSO_Y, 0], aligned_edge=LEFT)
        rows.add(also)
        formula = self.factor[1]
        target = formula.copy().scale(0.8).move_to([*FACTOR_AT, 0])
        with self.beat(t("LeCun et al. ({lecun}) took the forward rule, 1/n_in, for their scaled tanh and normalised "
                         "inputs.", lecun=lecun.year)):
            self.play(FadeOut(self.forward_lines[2]), FadeOut(self.factor[0]), FadeOut(self.factor[2:]),
                      formula.animate.become(target), run_time=1.0)
            self.play(FadeIn(header), FadeIn(rows[0], shift=RIGHT * 0.2), run_time=1.0)
        self.say(t("Xavier Glorot and Bengio ({glorot}): 2/(n_in + n_out), between 1/n_in and 1/n_out: Xavier "
                   "initialisation.",
                   glorot=glorot.year),
                 FadeIn(rows[1], shift=RIGHT * 0.2), FadeIn(also), run_time=1.0)

    def rule_he(self) -> None:
        """Kaiming He 2015: ReLU zeroes about half the z, halving the mean square forward (E[a^2] =
        E[z^2]/2) and E[g'^2] back; doubling Var(w), 2/n_in, makes up for it."""
        row = self._rule_row(2)
        self.rule_rows.add(row)
        he = self.result.hidden_rules[2]
        self.say(t("He et al. ({year}): ReLU is 0 for about half the z: E[a²] ≈ ½ E[z²], E[g'²] ≈ ½; twice the "
                   "variance, 2/n_in, makes up for it: He initialisation.", year=he.year),
                 FadeIn(row, shift=RIGHT * 0.2), run_time=1.0)

    # -- beats 11-16: the bars -----------------------------------------------------------------

    def _panel_left(self, i: int) -> float:
        return PANEL_LEFT + i * (PANEL_WIDTH + PANEL_GAP)

    def _panel_centre(self, i: int) -> float:
        return self._panel_left(i) + PANEL_WIDTH / 2

    def _bar_x(self, i: int, l: int) -> float:
        """The centre x of hidden layer l's bar (l = 1 .. L-1) in panel i."""
        step = PANEL_WIDTH / self.result.hidden
        return self._panel_left(i) + step * (l - 0.5)

    def _bar_y(self, value: float) -> float:
        """The height of a value on the shared log axis (clipped to the axis; 0 at the base)."""
        lo, hi = self.result.bar_decades
        if value <= 0:
            return BAR_BASE_Y
        pos = (math.log10(value) - lo) / (hi - lo) if math.isfinite(value) else 1.0
        return BAR_BASE_Y + BAR_AXIS_HEIGHT * min(max(pos, 0.0), 1.0)

    def chart_frame(self) -> VGroup:
        """The shared log axis: decade lines across every panel, 10^k tick labels, layer numbers,
        the rows' names in the left margin, and the notes at the top right."""
        r, th = self.result, self.theme
        lo, hi = r.bar_decades
        self.shown["bar_decades"] = [float(lo), float(hi)]
        scale = LogScale(lo, hi, BAR_BASE_Y, BAR_AXIS_HEIGHT)
        grid, base, ticks, layers = VGroup(), VGroup(), VGroup(), VGroup()
        for i in range(len(r.settings)):
            left, right = self._panel_left(i) - 0.1, self._panel_left(i) + PANEL_WIDTH + 0.1
            base.add(scale.baseline(left, right, th))
            grid.add(*scale.decade_lines(left, right, th))
            for l in range(1, r.hidden + 1):
                if r.hidden <= 8 or l in (1, r.hidden):
                    layers.add(self.text(str(l), SIZE.small, color=th.muted)
                               .move_to([self._bar_x(i, l), BAR_BASE_Y - LAYER_ROW_DROP, 0]))
        for k in log_ticks(lo, hi):
            ticks.add(log_tick(k, th).move_to([TICK_X, scale.y(k), 0]))
        names = VGroup(
            self.muted(t("layer")),
            self.tex(r"n\,\mathrm{Var}(w)", SIZE.small, color=th.muted),
            self.tex(r"\mathrm{E}[g'^2]", SIZE.small, color=th.muted),
            self.muted(t("predicted")),
            self.muted(t("measured")),
            self.muted(t("bar 1 / bar {h}", h=r.hidden)),
        )
        for name, y in zip(names, (BAR_BASE_Y - LAYER_ROW_DROP, *ROWS_Y)):
            name.move_to([ROW_LABEL_RIGHT, y, 0], aligned_edge=RIGHT)
        self.shown["seeds"] = float(len(r.seeds))
        self.shown["samples"] = float(r.n_samples)
        note = VGroup(
            VGroup(self.tex(r"\|\delta_l\|", SIZE.small, color=th.muted),
                   self.muted(t("of one digit: root mean square over {samples} digits",
                                samples=fmt_whole(r.n_samples)))
                   ).arrange(RIGHT, buff=0.1),
            self.muted(t("bar: median of {starts} starts; line: middle half", starts=fmt_value(len(r.seeds)))),
        ).arrange(DOWN, aligned_edge=RIGHT, buff=0.08)
        note.to_corner(UP + RIGHT, buff=0.25)
        # what the rows "predicted" and "measured" are, in one line under the notes at the top right
        rows_note = VGroup(
            VGroup(self.muted(t("predicted:")), self.tex(r"\sqrt{n\,\mathrm{Var}(w)\,\mathrm{E}[g'^2]}", SIZE.small,
                                                       color=th.muted)).arrange(RIGHT, buff=0.1),
            self.measured_definition(),
        ).arrange(RIGHT, buff=0.5)
        rows_note.scale_to_fit_width(min(rows_note.width, ROWS_NOTE_WIDTH))
        rows_note.move_to([note.get_right()[0], ROWS_NOTE_Y, 0], aligned_edge=RIGHT)
        self.row_names = names
        return VGroup(grid, base, ticks, layers, names[0], note, rows_note)

    def measured_definition(self) -> VGroup:
        """"measured: (bar 1 / bar L-1)^(1/(L-2))", the geometric mean of the factors between
        successive bars, as netsim computes it; the words are Text (translated), the power MathTex."""
        h, th = self.result.hidden, self.theme
        words = VGroup(self.muted(t("measured:")), self.muted(t("(bar 1 / bar {h})", h=h))).arrange(RIGHT, buff=0.1)
        power = self.tex(rf"1/{h - 1}", SIZE.small * 0.75, color=th.muted)
        power.next_to(words, RIGHT, buff=0.04).align_to(words, UP).shift(UP * 0.08)
        return VGroup(words, power)

    def panel_title(self, i: int) -> VGroup:
        """The setting's activation and starting weights above panel i, in two lines."""
        key = self.result.settings[i].setting.key
        centre = self._panel_centre(i)
        act, start = PANEL_TITLES[key]
        return VGroup(self.text(act, SIZE.label, color=self.colors[key]).move_to([centre, PANEL_TITLE_Y[0], 0]),
                      self.text(start, SIZE.small, color=self.colors[key]).move_to([centre, PANEL_TITLE_Y[1], 0]))

    def bars(self, i: int) -> list[VGroup]:
        """Panel i's bars (median over the starts, log height) with the middle half of the starts
        as a line, hidden layers L-1 .. 1 (back prop's order), in the setting's colour."""
        r, th = self.result, self.theme
        s: SettingBars = r.settings[i]
        key = s.setting.key
        self.shown[f"{key}.bars"] = [float(v) for v in s.bars]
        self.shown[f"{key}.q25"] = [float(v) for v in s.q25]
        self.shown[f"{key}.q75"] = [float(v) for v in s.q75]
        width = min(MAX_BAR_WIDTH, 0.55 * PANEL_WIDTH / r.hidden)
        out: list[VGroup] = []
        for l in range(r.hidden, 0, -1):
            m = float(s.bars[l - 1])
            x = self._bar_x(i, l)
            height = max(0.04, self._bar_y(m) - BAR_BASE_Y)
            bar = Rectangle(width=width, height=height, stroke_width=0, fill_color=self.colors[key],
                            fill_opacity=1).move_to([x, BAR_BASE_Y + height / 2, 0])
            y25, y75 = self._bar_y(float(s.q25[l - 1])), self._bar_y(float(s.q75[l - 1]))
            whisker = VGroup(
                Line([x, y25, 0], [x, y75, 0], stroke_color=th.text, stroke_width=2),
                Line([x - width / 4, y25, 0], [x + width / 4, y25, 0], stroke_color=th.text, stroke_width=2),
                Line([x - width / 4, y75, 0], [x + width / 4, y75, 0], stroke_color=th.text, stroke_width=2),
            )
            out.append(VGroup(bar, whisker))
        return out

    def panel_rows(self, i: int) -> VGroup:
        """Under panel i, one number per row: n Var(w), E[g'^2], the predicted and the measured
        factor (three significant figures), and the last hidden layer's bar over layer 1's."""
        r, th = self.result, self.theme
        s = r.settings[i]
        key = s.setting.key
        nv = self.rec(f"{key}.n_var", float(s.n_var))
        sq = self.rec_figures(f"{key}.slope_sq", s.slope_sq_rounded)
        pred = self.rec_figures(f"{key}.predicted", s.predicted_rounded)
        meas = self.rec_figures(f"{key}.measured", s.measured_rounded)
        if s.dead:  # no gradient reaches layer 1: there is no ratio to show
            self.shown[f"{key}.dead_starts"] = float(s.dead_starts)
            last = self.text(t("no gradient"), SIZE.label, color=th.overflow)
        else:
            self.shown[f"{key}.ratio"] = round_significant(s.ratio, RATIO_DIGITS)
            last = self.text(bar_ratio(s.ratio), SIZE.label, color=th.good if s.level else th.text)
        rows = VGroup(*[self.text(v, SIZE.label) for v in (nv, sq, pred, meas)], last)
        for row, y in zip(rows, ROWS_Y):
            row.move_to([self._panel_centre(i), y, 0])
        return rows

    def _grow(self, i: int) -> Animation:
        """Panel i's bars grow right to left, from the last hidden layer back to layer 1."""
        return Succession(*[AnimationGroup(GrowFromEdge(b, DOWN)) for b in self.panel_bars[i]], lag_ratio=0.6)

    def _factor(self, s: SettingBars) -> tuple[str, dict[str, str]]:
        """How a panel's captions set its predicted factor beside the measured one: "agree"
        ("predicted √(n Var(w) E[g'^2]) = p, measured m"), "disagree" ("..., but measured m":
        not within netsim's AGREE_TOLERANCE) or "dead" ("predicted p, but no gradient reaches
        layer 1 in k of the n starts": none does in most); and the fields those sentences fill
        in, with the numbers the panel shows (three significant figures): E[g'^2] (``sq``),
        ``root``, ``pred``, ``meas``, and the ``dead`` and all the ``starts``."""
        sq = figures(s.slope_sq_rounded)
        fields = {"sq": sq, "root": f"√{sq}" if s.n_var == 1 else f"√({fmt_value(float(s.n_var))} × {sq})",
                  "pred": figures(s.predicted_rounded), "meas": figures(s.measured_rounded),
                  "dead": fmt_value(s.dead_starts), "starts": fmt_value(len(self.result.seeds))}
        return ("dead" if s.dead else "agree" if s.agrees else "disagree"), fields

    def _ratio(self, s: SettingBars, only: bool = False) -> tuple[str, dict[str, str | int]]:
        """How the last hidden layer's bar compares with layer 1's, as the panel's last row shows
        it: "off" (a ReLU net's layers switched off), "dead" (no gradient at all), "only",
        "times" or "of"; and the fields of the sentences that say so (``h``, ``ratio``, ``width``)."""
        h = self.result.hidden
        # the measured factor is (bar 1 / bar h)^(1/(h-1)): bar 1 / bar h is h - 1 factors of it
        fields: dict[str, str | int] = {"h": h, "width": fmt_value(self.result.width), "ratio": "", "steps": h - 1}
        if s.dead:
            return ("off" if s.setting.activation == "relu" else "dead"), fields
        r = round_significant(s.ratio, RATIO_DIGITS)
        fields["ratio"] = bar_ratio(r)
        return ("only" if only else "times" if r >= 1 else "of"), fields

    def _ratio_sentence(self, s: SettingBars, only: bool = False) -> Message:
        """The last hidden layer's bar next to layer 1's, as the panel's last row shows it."""
        kind, f = self._ratio(s, only)
        return {
            "off": t("Layers of width {width} can have all their ReLUs switched off at once.", **f),
            "dead": t("Layer 1's bar is 0: no gradient at all."),
            "only": t("Layer 1's bar is {ratio} of layer {h}'s: a factor below 1 still compounds.", **f),
            "times": t("Layer 1's bar is {ratio} of layer {h}'s.", **f),
            "of": t("Layer 1's bar is {ratio} times layer {h}'s.", **f),
        }[kind]

    def _numbers_caption(self, s: SettingBars) -> Message:
        """The caption of a panel's numbers: E[g'^2], predicted beside measured (:meth:`_factor`);
        the first panel's also with its bars' ratio (:meth:`_ratio_sentence`). One whole sentence
        for each case, as a translation needs it."""
        kind, factor = self._factor(s)
        f: dict[str, str | int] = dict(factor)
        key = s.setting.key
        if key == "sigmoid":
            ratio, more = self._ratio(s)
            f |= more
            return {
                ("agree", "times"): t("E[σ'²] = {sq}: predicted {root} = {pred}, measured {meas}. Layer 1's bar is "
                                      "{ratio} of layer {h}'s: {steps} factors of about {meas}.", **f),
                ("disagree", "times"): t("E[σ'²] = {sq}: predicted {root} = {pred}, but measured {meas}. Layer 1's "
                                         "bar is {ratio} of layer {h}'s: {steps} factors of about {meas}.", **f),
                ("agree", "of"): t("E[σ'²] = {sq}: predicted {root} = {pred}, measured {meas}. Layer 1's bar is "
                                   "{ratio} times layer {h}'s: {steps} factors of about {meas}.", **f),
                ("disagree", "of"): t("E[σ'²] = {sq}: predicted {root} = {pred}, but measured {meas}. Layer 1's "
                                      "bar is {ratio} times layer {h}'s: {steps} factors of about {meas}.", **f),
                ("dead", "dead"): t("E[σ'²] = {sq}: predicted {root} = {pred}, but no gradient reaches layer 1 in "
                                    "{dead} of the {starts} starts. Layer 1's bar is 0: no gradient at all.", **f),
            }[kind, ratio]
        if key == "sigmoid-xavier":
            return {
                "agree": t("E[σ'²] = {sq}: predicted {root} = {pred}, measured {meas}.", **f),
                "disagree": t("E[σ'²] = {sq}: predicted {root} = {pred}, but measured {meas}.", **f),
                "dead": t("E[σ'²] = {sq}: predicted {root} = {pred}, but no gradient reaches layer 1 in {dead} of "
                          "the {starts} starts.", **f),
            }[kind]
        if key == "tanh":
            return {
                "agree": t("tanh, Xavier's start: E[g'²] = {sq}, predicted {root} = {pred}, measured {meas}.", **f),
                "disagree": t("tanh, Xavier's start: E[g'²] = {sq}, predicted {root} = {pred}, but measured {meas}.",
                              **f),
                "dead": t("tanh, Xavier's start: E[g'²] = {sq}, predicted {root} = {pred}, but no gradient reaches "
                          "layer 1 in {dead} of the {starts} starts.", **f),
            }[kind]
        return {
            "agree": t("ReLU, He's start: E[g'²] = {sq}, predicted {root} = {pred}, measured {meas}.", **f),
            "disagree": t("ReLU, He's start: E[g'²] = {sq}, predicted {root} = {pred}, but measured {meas}.", **f),
            "dead": t("ReLU, He's start: E[g'²] = {sq}, predicted {root} = {pred}, but no gradient reaches layer 1 "
                      "in {dead} of the {starts} starts.", **f),
        }[kind]

    def _bars_beat(self, i: int, caption: Message, *more: Animation) -> None:
        """Panel i's first beat: its name, its bars growing, its n Var(w)."""
        with self.beat(caption):
            self.play(FadeIn(self.titles[i]), self._grow(i), *more, run_time=2.0)
            self.play(FadeIn(self.rows[i][0], shift=UP * 0.1), run_time=0.6)

    def _numbers_beat(self, i: int, caption: Message) -> None:
        """Panel i's numbers: E[g'^2], predicted, measured, and the bars' ratio, held while read."""
        self.say(caption, FadeIn(self.rows[i][1:], shift=UP * 0.1, lag_ratio=0.3), run_time=1.2)

    def panel_problem(self) -> None:
        """The deep net at its start; the problem: sigmoid with Nielsen's start, bars fall toward layer 1."""
        r = self.result
        self.frame = self.chart_frame()
        self.titles = VGroup(*[self.panel_title(i) for i in range(len(r.settings))])
        self.panel_bars = [self.bars(i) for i in range(len(r.settings))]
        self.rows = [self.panel_rows(i) for i in range(len(r.settings))]
        with self.beat(t("Chapter {chapter}'s deep net, untrained, {starts} random starts; a bar: ‖δ_l‖, root mean "
                         "square over {samples} digits.", chapter=number_of("fading"),
                         starts=fmt_value(len(r.seeds)), samples=fmt_whole(r.n_samples))):
            self.play(FadeOut(self.rule_rows), FadeOut(self.header), FadeOut(self.factor[1]), run_time=0.8)
            self.play(FadeIn(self.frame), run_time=1.0)
        s = r.settings[0]
        nv = fmt_value(float(s.n_var))
        bias = self.rec(f"{s.setting.key}.bias_var", float(s.bias_var))
        self._bars_beat(0, t("Sigmoid, chapter {chapter}'s start: n Var(w) = {nv}, Var(b) = {bias}.", nv=nv,
                             bias=bias, chapter=number_of("fading")), FadeIn(self.row_names[1:]))
        self._numbers_beat(0, self._numbers_caption(s))

    def panel_sigmoid_xavier(self) -> None:
        """Xavier's start: the same 1/n between hidden layers, zero biases."""
        r = self.result
        s = r.settings[1]
        glorot = r.hidden_rules[1]
        bias = self.rec(f"{s.setting.key}.bias_var", float(s.bias_var))
        fields = {"numerator": glorot.numerator, "denominator": glorot.denominator, "fraction": glorot.fraction,
                  "bias": bias}
        if s.bias_var == 0:
            caption = t("Xavier's start: between hidden layers {numerator}/{denominator} = {fraction} as before, "
                        "but zero biases.", **fields)
        else:
            caption = t("Xavier's start: between hidden layers {numerator}/{denominator} = {fraction} as before, "
                        "biases with Var(b) = {bias}.", **fields)
        self._bars_beat(1, caption)
        self._numbers_beat(1, self._numbers_caption(s))

    def panel_tanh(self) -> None:
        """Then the activation: tanh, whose slope reaches 1."""
        r = self.result
        s, first = r.settings[2], r.settings[0]
        ratio = round_significant(s.ratio, RATIO_DIGITS)
        only = 1 <= ratio < REGIME_THRESHOLD and first.ratio >= REGIME_THRESHOLD
        with self.beat(self._numbers_caption(s)):
            self.play(FadeIn(self.titles[2]), self._grow(2), run_time=2.0)
            self.play(FadeIn(self.rows[2][:4], shift=UP * 0.1, lag_ratio=0.3), run_time=1.2)
        self.say(self._ratio_sentence(s, only=only), FadeIn(self.rows[2][4], shift=UP * 0.1), run_time=0.8)

    def panel_relu(self) -> None:
        """ReLU with He's start: n Var(w) = 2, E[g'^2] about 1/2, factor about 1: level bars."""
        s = self.result.settings[3]
        with self.beat(self._numbers_caption(s)):
            self.play(FadeIn(self.titles[3]), self._grow(3), run_time=2.0)
            self.play(FadeIn(self.rows[3][:4], shift=UP * 0.1, lag_ratio=0.3), run_time=1.2)
        self.say(t("The bars stay level.") if s.level else self._ratio_sentence(s),
                 FadeIn(self.rows[3][4], shift=UP * 0.1), run_time=0.8)

    def hold_key_picture(self) -> None:
        """The chapter's picture: fading bars beside level ones, with the factors, held (the
        chapter's first sentence already says the way out: keep each factor near 1)."""
        self.wait(KEY_HOLD)
