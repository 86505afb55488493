"""Chapter 11: the way out.

From one neuron per layer to real layers (the fan-in argument): back prop gives neuron j of
hidden layer l the delta delta_{l,j} = sigma'(z_{l,j}) sum_k w_kj delta_{l+1,k}, a sum of n terms,
one per neuron of the next layer (its fan-out). With random starting weights of spread Var(w)
(their mean square around 0), the size of delta changes per layer by about
sqrt(n Var(w) E[sigma'(z)^2]). The starting-weight rules keep that factor near 1: LeCun 1998
Var(w) = 1/n_in, Glorot and Bengio 2010 2/(n_in + n_out) ("Xavier"), He 2015 2/n_in for ReLU.

Then the lesson's deep net, one change at a time: sigmoid with Nielsen's start, sigmoid with
Xavier's start, tanh with Xavier's start, ReLU with He's start. Per-layer bars of the median
||dC/db_l|| over many seeds (hidden layers, log axis), and under each panel the predicted and
the measured per-layer factor and the last-hidden / first ratio. Every number comes from
:func:`netsim.experiments.wayout.way_out` and is recorded in ``self.shown``.
"""

from __future__ import annotations

from functools import lru_cache

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    Circle,
    DashedLine,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Line,
    Rectangle,
    Succession,
    VGroup,
)

from netsim.experiments.shared import REGIME_THRESHOLD
from netsim.experiments.wayout import SettingNorms, WayOutResult, way_out
from scenes.chapters import number_of
from scenes.common import LessonScene
from scenes.lesson import Lesson
from scenes.style import SIZE, GradientScale, fmt_value

#: Nets (seeds) per setting, starting at the lesson's seed.
SEED_COUNT = 20

# -- layout (scene units; the frame is 14.2 x 8) --------------------------------------------
DIAGRAM_X = (-5.2, -2.9)   # the two columns of the fan-out picture (layer l, layer l + 1)
DIAGRAM_ROWS = 5
DIAGRAM_SPACING = 0.85
DIAGRAM_Y = -0.2
FORMULA_X = 2.0            # centre of the formulas beside the picture
RULE_ROWS_Y = (0.9, -0.4, -1.7)
RULE_NAME_RIGHT = -1.6
RULE_FORMULA_LEFT = -1.2
RULE_VALUE_LEFT = 3.4
FACTOR_TOP_Y = 2.3         # the factor formula, kept at the top while the rules come in

PANEL_LEFT = -5.8          # left edge of the first panel's bars region
PANEL_WIDTH = 2.75
PANEL_GAP = 0.45
BAR_BASE_Y = -0.75
BAR_AXIS_HEIGHT = 2.4      # height of the whole log axis
LAYER_ROW_DROP = 0.3       # the layer numbers' row, below the bars
MAX_BAR_WIDTH = 0.42
PANEL_TITLE_Y = (2.4, 2.02)
PANEL_LINES_Y = (-1.5, -1.85, -2.2, -2.55)
TICK_X = -6.45
#: Bars are coloured on viridis over the axis widened by this many decades at the bottom, so
#: that the lowest bars keep some colour against the dark background (as in chapter 8).
COLOR_PAD_DECADES = 2

#: How the settings are named above their panels (two lines: activation, start).
PANEL_TITLES = {
    "sigmoid": ("sigmoid net", "Nielsen's start"),
    "sigmoid-xavier": ("sigmoid net", "Xavier's start"),
    "tanh": ("tanh net", "Xavier's start"),
    "relu": ("ReLU net", "He's start"),
}
RULE_NAMES = {"lecun": "LeCun {}", "glorot": "Glorot, Bengio {}", "he": "He {}"}
RULE_TEX = {"n_in": r"n_{in}", "n_in + n_out": r"n_{in} + n_{out}"}


@lru_cache(maxsize=4)
def _cached(sizes: tuple[int, ...], seed: int) -> WayOutResult:
    return way_out(sizes, seeds=list(range(seed, seed + SEED_COUNT)))


def experiment(lesson: Lesson) -> WayOutResult:
    """The way-out experiment for the lesson's net sizes and seed (computed once per process)."""
    return _cached(tuple(lesson.sizes), int(lesson.seed))


def tex_fraction(numerator: int, denominator: int) -> str:
    r"""``\frac{a}{b}`` written as given (not reduced, so 2/60 shows the widths plugged in)."""
    return rf"\frac{{{numerator}}}{{{denominator}}}"


class TheWayOut(LessonScene):
    """Chapter 11: the fan-in argument, the starting-weight rules, and one change at a time."""

    #: Tests set this to stop before the final fade, on the chapter's key picture.
    skip_end = False

    def construct(self) -> None:
        self.result = experiment(self.lesson)
        th = self.theme
        self.colors = {"sigmoid": th.warn, "sigmoid-xavier": th.backward, "tanh": th.forward, "relu": th.good}
        self.show_heading()
        self.sum_over_next_layer()
        self.spread_of_weights()
        self.factor_per_layer()
        self.rule_lecun()
        self.rule_glorot()
        self.rule_he()
        self.rules_for_this_net()
        self.panel_problem()
        self.panel_sigmoid_xavier()
        self.panel_tanh()
        self.panel_relu()
        self.hold_key_picture()
        if not self.skip_end:
            self.end_chapter(None)

    # -- beats: the fan-in argument ------------------------------------------------------

    def show_heading(self) -> None:
        """The title, and the picture of neuron j feeding every neuron of the next layer."""
        th = self.theme
        self.heading = self.chapter_heading("The way out", "keep every layer's factor near 1")
        ys = [DIAGRAM_Y + DIAGRAM_SPACING * (DIAGRAM_ROWS // 2 - i) for i in range(DIAGRAM_ROWS)]
        left = [Circle(0.2, stroke_color=th.neuron_stroke, fill_color=th.neuron_fill, fill_opacity=1,
                       stroke_width=2).move_to([DIAGRAM_X[0], y, 0]) for y in ys]
        right = [Circle(0.2, stroke_color=th.neuron_stroke, fill_color=th.neuron_fill, fill_opacity=1,
                        stroke_width=2).move_to([DIAGRAM_X[1], y, 0]) for y in ys]
        j = DIAGRAM_ROWS // 2
        edges = VGroup(*[Line(a.get_center(), b.get_center(), stroke_color=th.edge, stroke_width=1.5)
                         for a in left for b in right])
        fan = VGroup(*[Line(left[j].get_center(), b.get_center(), stroke_color=th.backward, stroke_width=4)
                       for b in right])
        left[j].set_stroke(th.backward, width=4)
        for c in (*left, *right):
            c.set_z_index(1)
        col_l = VGroup(self.text("layer", SIZE.label, color=th.muted), self.tex("l", SIZE.label, color=th.muted)
                       ).arrange(RIGHT, buff=0.12).next_to(left[0], UP, buff=0.3)
        col_r = VGroup(self.text("layer", SIZE.label, color=th.muted),
                       self.tex("l+1", SIZE.label, color=th.muted)).arrange(RIGHT, buff=0.12)
        col_r.next_to(right[0], UP, buff=0.3)
        j_label = self.tex("j", SIZE.label, color=th.backward).next_to(left[j], LEFT, buff=0.15)
        k_label = self.tex("k = 1 \\dots n", SIZE.label, color=th.backward).next_to(right[-1], DOWN, buff=0.25)
        self.diagram = VGroup(edges, fan, *left, *right, col_l, col_r, j_label)
        self.k_label = k_label
        chain = f"{number_of('backprop')} and {number_of('rectangle')}"
        with self.beat(f"Chapters {chain} used one neuron per layer. In a real layer, each neuron feeds every "
                       "neuron of the next."):
            self.play(FadeIn(self.heading), run_time=1.0)
            self.play(FadeIn(VGroup(edges, *left, *right, col_l, col_r)), run_time=1.0)
            self.play(FadeIn(fan, j_label), run_time=0.8)

    def sum_over_next_layer(self) -> None:
        """delta_{l,j} = sigma'(z_{l,j}) sum_k w_kj delta_{l+1,k}: a sum of n terms."""
        th = self.theme
        formula = self.tex(r"\delta_{l,j} = \sigma'(z_{l,j}) \sum_{k=1}^{n} w_{kj}\, \delta_{l+1,k}", SIZE.body)
        formula.move_to([FORMULA_X, 1.5, 0])
        notes = VGroup(
            VGroup(self.tex("n", SIZE.label, color=th.muted),
                   self.text(": neurons in the next layer", SIZE.label, color=th.muted)).arrange(RIGHT, buff=0.08),
            VGroup(self.tex("w_{kj}", SIZE.label, color=th.muted),
                   self.text(": weight from neuron j to neuron k", SIZE.label, color=th.muted)
                   ).arrange(RIGHT, buff=0.08),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2).next_to(formula, DOWN, buff=0.35)
        self.sum_group = VGroup(formula, notes)
        with self.beat("So back prop sums: neuron j's delta is its slope times n terms, one per neuron of the next "
                       "layer."):
            self.play(FadeIn(formula), FadeIn(self.k_label), run_time=1.2)
            self.play(FadeIn(notes), run_time=0.8)

    def spread_of_weights(self) -> None:
        """Var(w): the spread of the starting weights, their mean square around 0."""
        th = self.theme
        var = VGroup(
            self.tex(r"\mathrm{Var}(w) = \text{mean of } w^2", SIZE.body),
            self.text("the spread of the random starting weights around 0", SIZE.label, color=th.muted),
        ).arrange(DOWN, buff=0.2).move_to([FORMULA_X, -1.3, 0])
        self.var_group = var
        self.say("The starting weights are random around 0; their spread Var(w) is the mean of w squared.",
                 FadeIn(var), run_time=1.0)

    def factor_per_layer(self) -> None:
        """size(delta_l) ~ sqrt(n Var(w) E[sigma'^2]) size(delta_{l+1}); which n."""
        th = self.theme
        factor = self.tex(r"\text{size}(\delta_l) \approx \sqrt{n\,\mathrm{Var}(w)\,\overline{\sigma'(z)^2}}"
                          r"\ \cdot\ \text{size}(\delta_{l+1})", SIZE.body)
        factor.move_to([FORMULA_X - 1.0, -0.9, 0]).set_x(0.9)
        bar_note = self.text("bar: the mean over the layer's neurons and the digits", SIZE.label, color=th.muted)
        bar_note.next_to(factor, DOWN, buff=0.3)
        self.factor = VGroup(factor, bar_note)
        n = self.result.n_out
        self.say("Such a sum of n terms is about √(n Var(w)) times one delta, and σ' multiplies too: that is each "
                 "layer's factor.",
                 FadeOut(self.diagram), FadeOut(self.k_label), FadeOut(self.sum_group),
                 self.var_group.animate.move_to([FORMULA_X - 1.0, 1.6, 0]).set_x(0.9),
                 FadeIn(self.factor), run_time=1.4)
        value = self.inline("n", n)
        which = VGroup(self.tex(r"n = n_{out} = n_{in} = " + value, SIZE.body, color=th.backward)
                       ).next_to(bar_note, DOWN, buff=0.45)
        self.factor.add(which)
        self.say(f"n counts the next layer's neurons, the fan-out; here every hidden layer has {value}, "
                 "so n_in = n_out = n.", FadeIn(which), run_time=0.8)

    # -- beats: the starting-weight rules --------------------------------------------------

    def _rule_row(self, i: int) -> VGroup:
        """Row i of the rules: who and when, and Var(w) = numerator / denominator."""
        rule = self.result.rules[i]
        y = RULE_ROWS_Y[i]
        color = {"lecun": self.colors["sigmoid"], "glorot": self.colors["tanh"],
                 "he": self.colors["relu"]}[rule.key]
        self.shown[f"year.{rule.key}"] = float(rule.year)
        name = self.text(RULE_NAMES[rule.key].format(rule.year), SIZE.body, color=color)
        name.move_to([RULE_NAME_RIGHT, y, 0], aligned_edge=RIGHT)
        formula = self.tex(rf"\mathrm{{Var}}(w) = \frac{{{rule.numerator}}}{{{RULE_TEX[rule.formula]}}}",
                           SIZE.body)
        formula.move_to([RULE_FORMULA_LEFT, y, 0], aligned_edge=LEFT)
        return VGroup(name, formula)

    def rule_lecun(self) -> None:
        """Keep the factor near 1: with slopes near 1, Var(w) = 1/n_in (LeCun 1998)."""
        th = self.theme
        self.rule_rows = VGroup(self._rule_row(0))
        self.n_note = VGroup(
            VGroup(self.tex("n_{in}", SIZE.label, color=th.muted),
                   self.text(": a neuron's inputs", SIZE.label, color=th.muted)).arrange(RIGHT, buff=0.08),
            VGroup(self.tex("n_{out}", SIZE.label, color=th.muted),
                   self.text(": the neurons it feeds", SIZE.label, color=th.muted)).arrange(RIGHT, buff=0.08),
        ).arrange(RIGHT, buff=0.8).move_to([0.3, RULE_ROWS_Y[-1] - 1.0, 0])
        target = self.factor[0].copy().scale(0.85).move_to([0.9, FACTOR_TOP_Y, 0])
        with self.beat("Below 1 the gradient fades, above 1 it explodes. With slopes near 1, as tanh's near 0, "
                       "Var(w) = 1/n_in keeps it near 1: LeCun, 1998."):
            self.play(FadeOut(self.var_group), FadeOut(self.factor[1:]),
                      self.factor[0].animate.become(target), run_time=1.0)
            self.play(FadeIn(self.rule_rows[0], shift=RIGHT * 0.2), FadeIn(self.n_note), run_time=1.0)

    def rule_glorot(self) -> None:
        """Glorot and Bengio's compromise between the two passes: 2/(n_in + n_out)."""
        row = self._rule_row(1)
        self.rule_rows.add(row)
        self.say("The forward pass wants 1/n_in, back prop 1/n_out: Glorot and Bengio's compromise, 2010, "
                 "is Xavier's start.",
                 FadeIn(row, shift=RIGHT * 0.2), run_time=1.0)

    def rule_he(self) -> None:
        """He 2015: ReLU's slope is 0 for about half the inputs, hence 2/n_in."""
        row = self._rule_row(2)
        self.rule_rows.add(row)
        self.say("ReLU's slope is 0 for about half the inputs, so the mean of σ'² is about 1/2: hence He's "
                 "2/n_in, 2015.",
                 FadeIn(row, shift=RIGHT * 0.2), run_time=1.0)

    def rules_for_this_net(self) -> None:
        """The three variances for the lesson's hidden layers (n_in in, n_out out)."""
        r = self.result
        values = VGroup()
        for i, rule in enumerate(r.rules):
            self.shown[f"rule.{rule.key}"] = [float(rule.numerator), float(rule.denominator)]
            t = self.tex("= " + tex_fraction(rule.numerator, rule.denominator), SIZE.body)
            t.move_to([RULE_VALUE_LEFT, RULE_ROWS_Y[i], 0], aligned_edge=LEFT)
            values.add(t)
        self.rule_values = values
        fr = [f"{rule.numerator}/{rule.denominator}" for rule in r.rules]
        self.say(f"For this net: {fr[0]}, {fr[1]} and {fr[2]}. Nielsen's start already has LeCun's 1/n_in.",
                 *[FadeIn(v, shift=LEFT * 0.2) for v in values], run_time=1.2)

    # -- beats: the bars -----------------------------------------------------------------------

    def _panel_left(self, i: int) -> float:
        return PANEL_LEFT + i * (PANEL_WIDTH + PANEL_GAP)

    def _bar_x(self, i: int, l: int) -> float:
        """The centre x of hidden layer l's bar (l = 1 .. L-1) in panel i."""
        step = PANEL_WIDTH / self.result.hidden
        return self._panel_left(i) + step * (l - 0.5)

    def _bar_y(self, value: float) -> float:
        """The height on the shared log axis of a norm (clipped to the axis)."""
        lo, hi = self.result.bar_decades
        return BAR_BASE_Y + BAR_AXIS_HEIGHT * GradientScale(lo, hi).position(value)

    def chart_frame(self) -> VGroup:
        """The shared log axis: decade lines across every panel, tick labels, layer numbers, note."""
        r, th = self.result, self.theme
        lo, hi = r.bar_decades
        self.shown["bar_decades"] = [float(lo), float(hi)]
        grid, base, ticks, layers = VGroup(), VGroup(), VGroup(), VGroup()
        stride = 1 if hi - lo <= 5 else 2
        for i in range(len(r.settings)):
            left, right = self._panel_left(i) - 0.1, self._panel_left(i) + PANEL_WIDTH + 0.1
            base.add(Line([left, BAR_BASE_Y, 0], [right, BAR_BASE_Y, 0], stroke_color=th.muted, stroke_width=1.5))
            for k in range(lo + 1, hi + 1):
                y = BAR_BASE_Y + BAR_AXIS_HEIGHT * (k - lo) / (hi - lo)
                grid.add(DashedLine([left, y, 0], [right, y, 0], stroke_color=th.edge, stroke_width=1,
                                    dash_length=0.06))
            for l in range(1, r.hidden + 1):
                if r.hidden <= 8 or l in (1, r.hidden):
                    layers.add(self.text(str(l), SIZE.small, color=th.muted)
                               .move_to([self._bar_x(i, l), BAR_BASE_Y - LAYER_ROW_DROP, 0]))
        for k in range(lo, hi + 1):
            if (k - lo) % stride == 0:
                y = BAR_BASE_Y + BAR_AXIS_HEIGHT * (k - lo) / (hi - lo)
                ticks.add(self.text(f"1e{k}", SIZE.small, color=th.muted).move_to([TICK_X, y, 0]))
        layer_word = self.text("layer", SIZE.small, color=th.muted).move_to([TICK_X, BAR_BASE_Y - LAYER_ROW_DROP, 0])
        self.shown["seeds"] = float(len(r.seeds))
        self.shown["samples"] = float(r.n_samples)
        note = VGroup(
            self.text("||dC/db_l|| of each hidden layer, log scale", SIZE.small, color=th.muted),
            self.text(f"bar: median of {fmt_value(len(r.seeds))} nets; line: middle half", SIZE.small,
                      color=th.muted),
            self.text("predicted, measured: the factor per layer", SIZE.small, color=th.muted),
        ).arrange(DOWN, aligned_edge=RIGHT, buff=0.1)
        note.to_corner(UP + RIGHT, buff=0.3)
        return VGroup(grid, base, ticks, layers, layer_word, note)

    def panel_title(self, i: int) -> VGroup:
        """The setting's activation and starting weights above panel i, in two lines."""
        key = self.result.settings[i].setting.key
        centre = self._panel_left(i) + PANEL_WIDTH / 2
        act, start = PANEL_TITLES[key]
        return VGroup(self.text(act, SIZE.label, color=self.colors[key]).move_to([centre, PANEL_TITLE_Y[0], 0]),
                      self.text(start, SIZE.small, color=self.colors[key]).move_to([centre, PANEL_TITLE_Y[1], 0]))

    def bars(self, i: int) -> list[VGroup]:
        """Panel i's bars (median, log height) with whiskers (q25 .. q75), hidden layers L-1 .. 1
        (back prop's order)."""
        r, th = self.result, self.theme
        s: SettingNorms = r.settings[i]
        key = s.setting.key
        lo, hi = r.bar_decades
        colors = GradientScale(lo - COLOR_PAD_DECADES, hi)
        H = r.hidden
        self.shown[f"{key}.median"] = [float(v) for v in s.median[:H]]
        self.shown[f"{key}.q25"] = [float(v) for v in s.q25[:H]]
        self.shown[f"{key}.q75"] = [float(v) for v in s.q75[:H]]
        width = min(MAX_BAR_WIDTH, 0.55 * PANEL_WIDTH / H)
        out: list[VGroup] = []
        for l in range(H, 0, -1):
            m = float(s.median[l - 1])
            x = self._bar_x(i, l)
            height = max(0.04, self._bar_y(m) - BAR_BASE_Y)
            bar = Rectangle(width=width, height=height, stroke_width=0, fill_color=colors.color(m, th),
                            fill_opacity=1).move_to([x, BAR_BASE_Y + height / 2, 0])
            y25, y75 = self._bar_y(float(s.q25[l - 1])), self._bar_y(float(s.q75[l - 1]))
            whisker = VGroup(
                Line([x, y25, 0], [x, y75, 0], stroke_color=th.text, stroke_width=2),
                Line([x - width / 4, y25, 0], [x + width / 4, y25, 0], stroke_color=th.text, stroke_width=2),
                Line([x - width / 4, y75, 0], [x + width / 4, y75, 0], stroke_color=th.text, stroke_width=2),
            )
            out.append(VGroup(bar, whisker))
        return out

    def panel_lines(self, i: int) -> VGroup:
        """Under panel i: the predicted and measured factor per layer, and last hidden / first."""
        r, th = self.result, self.theme
        s = r.settings[i]
        key = s.setting.key
        centre = self._panel_left(i) + PANEL_WIDTH / 2
        far = s.ratio >= REGIME_THRESHOLD or s.ratio <= 1 / REGIME_THRESHOLD
        pred = self.number(f"{key}.predicted", s.predicted_rounded, SIZE.label)
        meas = self.number(f"{key}.measured", s.measured_rounded, SIZE.label)
        self.shown[f"{key}.ratio"] = s.ratio_rounded
        ratio = self.text(fmt_value(s.ratio_rounded), SIZE.label, color=th.warn if far else th.good)
        lines = VGroup(
            VGroup(self.text("predicted", SIZE.small, color=th.muted), pred).arrange(RIGHT, buff=0.15),
            VGroup(self.text("measured", SIZE.small, color=th.muted), meas).arrange(RIGHT, buff=0.15),
            self.text(f"layer {r.hidden} / layer 1", SIZE.small, color=th.muted),
            ratio,
        )
        for line, y in zip(lines, PANEL_LINES_Y):
            line.move_to([centre, y, 0])
        return lines

    def _grow(self, i: int) -> Animation:
        """Panel i's bars grow right to left, from the last hidden layer back to layer 1."""
        return Succession(*[AnimationGroup(GrowFromEdge(b, DOWN)) for b in self.panel_bars[i]], lag_ratio=0.6)

    def _show_panel(self, i: int) -> list[Animation]:
        return [FadeIn(self.titles[i]), self._grow(i)]

    def _factor_words(self, s: SettingNorms) -> tuple[str, str, str, str]:
        """n Var(w), mean sigma'^2, predicted and measured, as a caption writes them (recorded)."""
        key = s.setting.key
        n_var = float(s.n_var[0])
        return (self.inline(f"{key}.n_var", n_var), self.inline(f"{key}.sigma_prime_sq", s.mean_sq_rounded),
                fmt_value(s.predicted_rounded), fmt_value(s.measured_rounded))

    def panel_problem(self) -> None:
        """The problem: sigmoid with Nielsen's start, its bars fall toward layer 1."""
        r = self.result
        self.frame = self.chart_frame()
        self.titles = VGroup(*[self.panel_title(i) for i in range(len(r.settings))])
        self.panel_bars = [self.bars(i) for i in range(len(r.settings))]
        self.lines = [self.panel_lines(i) for i in range(len(r.settings))]
        s = r.settings[0]
        nv, sq, pred, meas = self._factor_words(s)
        with self.beat(f"The deep net of chapter {number_of('fading')} at its start, {len(r.seeds)} random nets. "
                       f"Sigmoid, Nielsen's start: n Var(w) = {nv}, mean σ'² = {sq}."):
            self.play(FadeOut(self.rule_rows), FadeOut(self.rule_values), FadeOut(self.factor[0]),
                      FadeOut(self.n_note), run_time=0.8)
            self.play(FadeIn(self.frame), run_time=0.8)
            self.play(*self._show_panel(0), run_time=2.0)
        far = s.ratio >= REGIME_THRESHOLD
        tail = (f" Layer {r.hidden}'s gradient is {fmt_value(s.ratio_rounded)} times layer 1's."
                if far else "")
        self.say(f"Predicted factor per layer: {pred}. Measured: {meas}.{tail}",
                 FadeIn(self.lines[0], shift=UP * 0.1), run_time=1.0)

    def panel_sigmoid_xavier(self) -> None:
        """Only the start changes: Xavier's start on the sigmoid still fades."""
        s = self.result.settings[1]
        nv, sq, pred, meas = self._factor_words(s)
        with self.beat(f"Only the start changes: Xavier's, biases 0. Predicted {pred}, measured {meas}: with "
                       f"n Var(w) = {nv} and σ' ≤ 1/4 the factor stays below 1/4. The start alone cannot fix "
                       "the sigmoid."):
            self.play(*self._show_panel(1), run_time=2.0)
            self.play(FadeIn(self.lines[1], shift=UP * 0.1), run_time=0.8)

    def panel_tanh(self) -> None:
        """Then the activation: tanh, whose slope reaches 1."""
        r = self.result
        s = r.settings[2]
        nv, sq, pred, meas = self._factor_words(s)
        with self.beat(f"Now the activation: tanh. Mean σ'² = {sq}: predicted {pred}, measured {meas}. "
                       f"Layer {r.hidden} over layer 1: only {fmt_value(s.ratio_rounded)}."):
            self.play(*self._show_panel(2), run_time=2.0)
            self.play(FadeIn(self.lines[2], shift=UP * 0.1), run_time=0.8)

    def panel_relu(self) -> None:
        """ReLU with He's start: n Var(w) = 2, mean slope squared about 1/2, factor about 1."""
        s = self.result.settings[3]
        nv, sq, pred, meas = self._factor_words(s)
        with self.beat(f"ReLU with He's start: n Var(w) = {nv}, mean σ'² = {sq}. Predicted {pred}, measured "
                       f"{meas}: level."):
            self.play(*self._show_panel(3), run_time=2.0)
            self.play(FadeIn(self.lines[3], shift=UP * 0.1), run_time=0.8)

    def hold_key_picture(self) -> None:
        """The chapter's picture: fading bars beside level ones, with the factors, held."""
        self.say("Keep every layer's factor near 1, and the gradient reaches the first layer.", hold=1.5)

