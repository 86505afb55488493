"""Chapter 10: the way out (a preview).

Back prop multiplies the gradient, from the output leftwards, by one factor w * sigma'(z)
per layer. The sigmoid's slope is at most sigma'(0) = 1/4; tanh's reaches 1 and ReLU's is
exactly 1 wherever the neuron is on. With slopes near 1, the weights' spread decides, hence
the initialisation rules Var(w) = 1/n_in (tanh, Xavier), 2/n_in (ReLU, He) and
2/(n_in + n_out) (Glorot and Bengio), worked out for the lesson's layer widths.

Then the lesson's deep net (the one of chapter 7) three ways, with per-layer bars of the
median ||dC/db_l|| over many seeds on a log axis like chapter 7's: sigmoid with Nielsen's
start (the bars fall toward layer 1), tanh with Xavier and ReLU with He (the bars stay
roughly level), and the last/first ratio of each. Last, history: three breakthrough papers
of 2006 and 2007 (Hinton, LeCun, Bengio), and the next episode, the Restricted Boltzmann
Machine. Every number comes from :func:`netsim.experiments.wayout.way_out` and is recorded
in ``self.shown``.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Line,
    Rectangle,
    Succession,
    VGroup,
    VMobject,
)

from netsim.experiments.fading import REGIME_THRESHOLD
from netsim.experiments.wayout import (
    BREAKTHROUGH_AUTHORS,
    BREAKTHROUGH_YEARS,
    NEXT_EPISODE,
    SettingNorms,
    WayOutResult,
    way_out,
)
from scenes.common import LessonScene, current_lesson
from scenes.lesson import Lesson
from scenes.style import SIZE, GradientScale, fmt_value

LESSON = current_lesson()

#: Nets (seeds) per setting, starting at the lesson's seed.
SEED_COUNT = 20

# -- layout (scene units; the frame is 14.2 x 8) --------------------------------------------
SLOPE_AXES_CENTER = np.array([-3.0, -0.35, 0.0])
SLOPE_AXES_SIZE = (6.2, 3.6)
LEGEND_LEFT = 1.0

RULE_ROWS_Y = (1.3, 0.0, -1.3)
RULE_NAME_RIGHT = -1.9
RULE_FORMULA_LEFT = -1.5
RULE_VALUE_LEFT = 2.6

PANEL_LEFT = -6.1          # left edge of the first panel's bars region
PANEL_WIDTH = 4.05
PANEL_GAP = 0.45
BAR_BASE_Y = -1.8
LAYER_ROW_DROP = 0.34     # the layer numbers' row, below the bars and clear of the lowest tick label
BAR_AXIS_HEIGHT = 2.4      # height of the whole log axis
MAX_BAR_WIDTH = 0.42
PANEL_TITLE_Y = 2.15
PANEL_SUB_Y = 1.55
RATIO_Y = -2.72
HISTORY_Y = (-3.3, -3.72)
TICK_X = -6.62
#: Bars are coloured on viridis over the axis widened by this many decades at the bottom, so
#: that the lowest bars keep some colour against the dark background (as in chapter 7, whose
#: colour scale also spans the much smaller edge gradients).
COLOR_PAD_DECADES = 2

#: How the settings are named on screen (title, formula under it).
PANEL_TITLES = {"sigmoid": "sigmoid, Nielsen's start", "tanh": "tanh, Xavier", "relu": "ReLU, He"}
PANEL_FORMULAS = {
    "sigmoid": r"w \sim N\!\left(0, \tfrac{1}{n_{in}}\right),\ b \sim N(0, 1)",
    "tanh": r"\mathrm{Var}(w) = \tfrac{2}{n_{in} + n_{out}},\ b = 0",
    "relu": r"\mathrm{Var}(w) = \tfrac{2}{n_{in}},\ b = 0",
}
# 1/n_in is LeCun's rule; Glorot and Bengio's 2/(n_in + n_out) is the one called "Xavier".
RULE_NAMES = {"xavier": "tanh (LeCun)", "he": "ReLU (He)", "glorot": "Glorot, Bengio (Xavier)"}
#: Small counts written as words.
COUNT_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}
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
    """Chapter 10: slopes near 1 and careful initialisation keep the gradient bars level."""

    #: Tests set this to stop before the final fade, on the chapter's key picture.
    skip_end = False

    def construct(self) -> None:
        self.result = experiment(self.lesson)
        self.colors = {"sigmoid": self.theme.warn, "tanh": self.theme.forward, "relu": self.theme.good}
        self.show_heading()
        self.sigmoid_slope_is_small()
        self.tanh_and_relu_slopes_reach_one()
        self.spread_rules()
        self.glorot_rule()
        self.rules_for_this_net()
        self.problem_bars()
        self.problem_ratio()
        self.fixed_bars()
        self.fixed_ratios()
        self.history()
        self.next_episode()
        self.hold_key_picture()
        if not self.skip_end:
            self.end_chapter("That was a preview of the way out.")

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _say(value: float) -> str:
        """A number in a caption, written like on screen."""
        return fmt_value(float(value))

    # -- beats: slopes ---------------------------------------------------------------------

    def show_heading(self) -> None:
        """The chapter's title at the top left."""
        self.heading = self.chapter_heading("The way out", "a preview: keep every layer's factor near 1")
        self.beat("The way out: how deep nets keep their gradients. A short preview.",
                   [(lambda: [FadeIn(self.heading)], 1.2)], 0.8)

    def _curve(self, axes: Axes, values: np.ndarray, color: str) -> VGroup:
        """The polyline through (z, sigma'(z)) in pieces, split where the slope jumps (ReLU at 0)."""
        z = self.result.z
        pts = [axes.c2p(float(a), float(b)) for a, b in zip(z, values)]
        breaks = [0] + [i + 1 for i in range(len(values) - 1) if abs(values[i + 1] - values[i]) > 0.5]
        breaks.append(len(pts))
        pieces = VGroup()
        for a, b in zip(breaks[:-1], breaks[1:]):
            if b - a >= 2:
                pieces.add(VMobject(stroke_color=color, stroke_width=4).set_points_as_corners(pts[a:b]))
        return pieces

    def _legend_row(self, key: str, words: str) -> VGroup:
        swatch = Line(LEFT * 0.25, RIGHT * 0.25, color=self.colors[key], stroke_width=5)
        text = self.text(words, SIZE.label)
        return VGroup(swatch, text).arrange(RIGHT, buff=0.2)

    def sigmoid_slope_is_small(self) -> None:
        """sigma'(z) plotted, its peak sigma'(0) = 1/4 marked."""
        r, th = self.result, self.theme
        z_max = float(r.z[-1])
        top = 1.25 * max(r.peaks.values())
        axes = Axes(x_range=[-z_max, z_max, 1], y_range=[0, top, 0.25],
                    x_length=SLOPE_AXES_SIZE[0], y_length=SLOPE_AXES_SIZE[1], tips=False,
                    axis_config={"color": th.muted, "stroke_width": 2, "include_ticks": False})
        axes.move_to(SLOPE_AXES_CENTER)
        # the vertical axis at z = 0, labelled with the two slopes that matter
        axes.y_axis.move_to(axes.c2p(0, top / 2))
        z_label = self.tex("z", SIZE.label, color=th.muted).next_to(axes.x_axis.get_right(), RIGHT, buff=0.15)
        y_label = self.text("slope", SIZE.small, color=th.muted).next_to(axes.y_axis.get_top(), UP, buff=0.12)
        self.slope_axes = axes
        peak = r.peaks["sigmoid"]
        self.shown["peak.sigmoid"] = peak
        quarter = Fraction(peak).limit_denominator(1000)
        guide = DashedLine(axes.c2p(-z_max, peak), axes.c2p(z_max, peak), color=self.colors["sigmoid"],
                           stroke_width=1.5, dash_length=0.08)
        quarter_tex = self.tex(tex_fraction(quarter.numerator, quarter.denominator), SIZE.label,
                                color=self.colors["sigmoid"]).next_to(guide, LEFT, buff=0.15)
        dot = Dot(axes.c2p(0, peak), radius=0.07, color=self.colors["sigmoid"])
        curve = self._curve(axes, r.slopes["sigmoid"], self.colors["sigmoid"])
        row = self._legend_row("sigmoid", "sigmoid: slope at most")
        row.add(self.tex(tex_fraction(quarter.numerator, quarter.denominator), SIZE.label).next_to(row, RIGHT, 0.15))
        row.move_to([LEGEND_LEFT, 1.1, 0], aligned_edge=LEFT)
        self.legend = VGroup(row)
        self.slope_group = VGroup(axes, z_label, y_label, guide, quarter_tex, curve, dot)
        self.beat(f"Back prop multiplies the gradient by one slope per layer, and the sigmoid's slope "
                   f"is never more than {quarter}: every layer shrinks it.",
                   [(lambda: [Create(axes), FadeIn(z_label, y_label)], 1.0),
                    (lambda: [Create(curve), FadeIn(row)], 1.5),
                    (lambda: [Create(guide), FadeIn(dot, quarter_tex)], 0.8)], 2.2)

    def tanh_and_relu_slopes_reach_one(self) -> None:
        """tanh'(z) reaches 1 at z = 0; ReLU's slope is 1 wherever z > 0."""
        r, th = self.result, self.theme
        axes = self.slope_axes
        self.shown["peak.tanh"] = r.peaks["tanh"]
        self.shown["peak.relu"] = r.peaks["relu"]
        one = r.peaks["relu"]
        z_max = float(r.z[-1])
        guide = DashedLine(axes.c2p(-z_max, one), axes.c2p(z_max, one), color=th.muted,
                           stroke_width=1.5, dash_length=0.08)
        one_label = self.text(fmt_value(one), SIZE.label, color=th.text).next_to(guide, LEFT, buff=0.15)
        tanh = self._curve(axes, r.slopes["tanh"], self.colors["tanh"])
        relu = self._curve(axes, r.slopes["relu"], self.colors["relu"])
        rows = [
            self._legend_row("tanh", f"tanh: slope up to {fmt_value(r.peaks['tanh'])}"),
            self._legend_row("relu", f"ReLU: slope {fmt_value(one)} wherever"),
        ]
        rows.append(self.text("it is on (z > 0)", SIZE.label))
        rows[0].next_to(self.legend[0], DOWN, buff=0.45, aligned_edge=LEFT)
        rows[1].next_to(rows[0], DOWN, buff=0.45, aligned_edge=LEFT)
        rows[2].next_to(rows[1], DOWN, buff=0.12, aligned_edge=LEFT).shift(RIGHT * 0.7)
        self.legend.add(*rows)
        self.slope_group.add(guide, one_label, tanh, relu)
        self.beat(f"tanh's slope reaches {self._say(r.peaks['tanh'])}, and ReLU's slope is exactly "
                   f"{self._say(one)} wherever the neuron is on. "
                   "The slope shrinks the gradient far less, or not at all.",
                   [(lambda: [Create(tanh), FadeIn(rows[0])], 1.2),
                    (lambda: [Create(relu), Create(guide), FadeIn(one_label, rows[1], rows[2])], 1.2)], 3.0)

    # -- beats: the initialisation rules -------------------------------------------------------

    def _rule_row(self, i: int) -> VGroup:
        """Row i of the rules: its name, Var(w) = 1 / n_in (the formula), and its value here."""
        rule = self.result.rules[i]
        y = RULE_ROWS_Y[i]
        color = {"xavier": self.colors["tanh"], "he": self.colors["relu"]}.get(rule.key, self.theme.text)
        name = self.text(RULE_NAMES[rule.key], SIZE.body, color=color)
        name.move_to([RULE_NAME_RIGHT, y, 0], aligned_edge=RIGHT)
        formula = self.tex(rf"\mathrm{{Var}}(w) = \frac{{{rule.numerator}}}{{{RULE_TEX[rule.formula]}}}",
                            SIZE.body)
        formula.move_to([RULE_FORMULA_LEFT, y, 0], aligned_edge=LEFT)
        return VGroup(name, formula)

    def spread_rules(self) -> None:
        """Var(w) = 1/n_in for tanh (LeCun), 2/n_in for ReLU (He)."""
        self.rule_rows = VGroup(self._rule_row(0), self._rule_row(1))
        self.beat("With slopes near 1, the weights decide. Start them at random, with a spread that fits "
                   "the layer: variance 1 over n_in for tanh, 2 over n_in for ReLU.",
                   [(lambda: [FadeOut(self.slope_group), FadeOut(self.legend)], 0.8),
                    (lambda: [FadeIn(self.rule_rows[0], shift=RIGHT * 0.2)], 1.0),
                    (lambda: [FadeIn(self.rule_rows[1], shift=RIGHT * 0.2)], 1.0)], 3.5)

    def glorot_rule(self) -> None:
        """Glorot and Bengio's compromise: Var(w) = 2/(n_in + n_out)."""
        row = self._rule_row(2)
        self.rule_rows.add(row)
        self.beat("Glorot and Bengio's rule looks both ways, at the inputs and at the outputs: "
                   "2 over (n_in + n_out).",
                   [(lambda: [FadeIn(row, shift=RIGHT * 0.2)], 1.0)], 2.5)

    def rules_for_this_net(self) -> None:
        """The three variances for the lesson's hidden layers (n_in in, n_out out)."""
        r = self.result
        self.shown["n_in"] = float(r.n_in)
        self.shown["n_out"] = float(r.n_out)
        values = VGroup()
        for i, rule in enumerate(r.rules):
            self.shown[f"rule.{rule.key}"] = [float(rule.numerator), float(rule.denominator)]
            t = self.tex("= " + tex_fraction(rule.numerator, rule.denominator), SIZE.body)
            t.move_to([RULE_VALUE_LEFT, RULE_ROWS_Y[i], 0], aligned_edge=LEFT)
            values.add(t)
        note = self.text(f"for a hidden layer of this net: n_in = {self.inline('n_in', r.n_in)}, "
                         f"n_out = {self.inline('n_out', r.n_out)}", SIZE.label, color=self.theme.muted)
        note.move_to([0, RULE_ROWS_Y[-1] - 1.05, 0])
        self.rule_values = VGroup(values, note)
        fr = [f"{rule.numerator}/{rule.denominator}" for rule in r.rules]
        same = r.rules[2].fraction == r.rules[0].fraction
        tail = f" Here Glorot and Bengio's {fr[2]} equals tanh's {fr[0]}." if same else ""
        self.beat(f"For this net's hidden layers, {r.n_in} in and {r.n_out} out: "
                   f"{fr[0]}, {fr[1]} and {fr[2]}.{tail}",
                   [(lambda: [FadeIn(note)], 0.8),
                    (lambda: [FadeIn(v, shift=LEFT * 0.2) for v in values], 1.2)], 3.0)

    # -- beats: the bars -----------------------------------------------------------------------

    def _panel_left(self, i: int) -> float:
        return PANEL_LEFT + i * (PANEL_WIDTH + PANEL_GAP)

    def _bar_x(self, i: int, l: int) -> float:
        """The centre x of layer l's bar (l = 1 .. L) in panel i."""
        step = PANEL_WIDTH / self.result.depth
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
            for l in range(1, r.depth + 1):
                if r.depth <= 8 or l in (1, r.depth):
                    layers.add(self.text(str(l), SIZE.small, color=th.muted)
                               .move_to([self._bar_x(i, l), BAR_BASE_Y - LAYER_ROW_DROP, 0]))
        for k in range(lo, hi + 1):
            if (k - lo) % stride == 0:
                y = BAR_BASE_Y + BAR_AXIS_HEIGHT * (k - lo) / (hi - lo)
                ticks.add(self.text(f"1e{k}", SIZE.small, color=th.muted).move_to([TICK_X, y, 0]))
        layer_word = self.text("layer", SIZE.small, color=th.muted).move_to([TICK_X, BAR_BASE_Y - LAYER_ROW_DROP, 0])
        sizes = "-".join(str(n) for n in r.sizes)
        self.shown["sizes"] = [float(n) for n in r.sizes]
        note = VGroup(
            self.text(f"net {sizes}, {self.inline('samples', r.n_samples)} digits", SIZE.small, color=th.muted),
            self.text("||dC/db|| per layer, log scale", SIZE.small, color=th.muted),
            self.text(f"bar: median of {self.inline('seeds', len(r.seeds))} nets; line: middle half",
                      SIZE.small, color=th.muted),
        ).arrange(DOWN, aligned_edge=RIGHT, buff=0.1)
        note.to_corner(UP + RIGHT, buff=0.3)
        return VGroup(grid, base, ticks, layers, layer_word, note)

    def panel_title(self, i: int) -> VGroup:
        """The setting's name and its initialisation formula above panel i."""
        key = self.result.settings[i].setting.key
        centre = self._panel_left(i) + PANEL_WIDTH / 2
        title = self.text(PANEL_TITLES[key], SIZE.label, color=self.colors[key]).move_to([centre, PANEL_TITLE_Y, 0])
        formula = self.tex(PANEL_FORMULAS[key], SIZE.small).move_to([centre, PANEL_SUB_Y, 0])
        return VGroup(title, formula)

    def bars(self, i: int) -> tuple[list[VGroup], VGroup]:
        """Panel i's bars (median, log height), whiskers (q25 .. q75), first and last values.

        Returns the bars of layers L .. 1 (back prop's order) and the two value labels.
        """
        r, th = self.result, self.theme
        s: SettingNorms = r.settings[i]
        key = s.setting.key
        lo, hi = r.bar_decades
        colors = GradientScale(lo - COLOR_PAD_DECADES, hi)
        self.shown[f"{key}.median"] = [float(v) for v in s.median]
        self.shown[f"{key}.q25"] = [float(v) for v in s.q25]
        self.shown[f"{key}.q75"] = [float(v) for v in s.q75]
        width = min(MAX_BAR_WIDTH, 0.55 * PANEL_WIDTH / r.depth)
        out: list[VGroup] = []
        for l in range(r.depth, 0, -1):
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
        values = VGroup()
        for l in (1, r.depth):
            m = float(s.median[l - 1])
            v = self.number(f"{key}.layer{l}", m, SIZE.small, underflow=m == 0.0)
            top = max(self._bar_y(float(s.q75[l - 1])), self._bar_y(m))
            values.add(v.move_to([self._bar_x(i, l), top + 0.08 + v.height / 2, 0]))
        return out, values

    def _grow(self, i: int) -> list[Animation]:
        """Panel i's bars grow right to left, from the output layer back to layer 1."""
        L = self.result.depth
        labels = {L: self.panel_values[i][1], 1: self.panel_values[i][0]}
        steps = []
        for l, b in zip(range(L, 0, -1), self.panel_bars[i]):
            anims: list[Animation] = [GrowFromEdge(b, DOWN)]
            if l in labels:  # a bar's value appears with it
                anims.append(FadeIn(labels[l]))
            steps.append(AnimationGroup(*anims))
        return [Succession(*steps, lag_ratio=0.6)]

    def problem_bars(self) -> None:
        """The lesson's deep net with the sigmoid and Nielsen's start: bars fall toward layer 1."""
        r = self.result
        self.frame = self.chart_frame()
        self.titles = VGroup(*[self.panel_title(i) for i in range(len(r.settings))])
        built = [self.bars(i) for i in range(len(r.settings))]
        self.panel_bars = [b for b, _ in built]
        self.panel_values = [v for _, v in built]
        hidden = r.depth - 1
        self.beat(f"Now the deep net of the fading chapter: {hidden} hidden layers of {r.sizes[1]}, "
                   f"measured on {len(r.seeds)} random nets. Back prop starts at the output; with the "
                   "sigmoid the bars fall toward layer 1.",
                   [(lambda: [FadeOut(self.rule_rows), FadeOut(self.rule_values)], 0.8),
                    (lambda: [FadeIn(self.frame), FadeIn(self.titles[0])], 1.0),
                    (lambda: self._grow(0), 2.5)], 3.2)

    def _ratio_line(self, i: int) -> VGroup:
        """"layer L / layer 1 = ratio" under panel i, warn-coloured when it is far from 1."""
        r, th = self.result, self.theme
        s = r.settings[i]
        key = s.setting.key
        far = s.ratio >= REGIME_THRESHOLD or s.ratio <= 1 / REGIME_THRESHOLD
        value = self.inline(f"{key}.ratio", s.ratio_rounded)
        # one Text, so the number sits on the words' baseline; only the number is coloured
        line = self.text(f"layer {r.depth} / layer 1 = {value}", SIZE.label,
                         t2c={f"[{-len(value)}:]": th.warn if far else th.good})
        return line.move_to([self._panel_left(i) + PANEL_WIDTH / 2, RATIO_Y, 0])

    def problem_ratio(self) -> None:
        """The problem's last/first ratio, as a number."""
        s = self.result.settings[0]
        self.ratio_lines = VGroup(*[self._ratio_line(i) for i in range(len(self.result.settings))])
        L = self.result.depth
        if s.ratio >= REGIME_THRESHOLD:
            caption = (f"Over {len(self.result.seeds)} random starts, layer {L}'s gradient is typically "
                       f"{self._say(s.ratio_rounded)} times as big as layer 1's: the first layer hardly learns.")
        else:
            caption = f"Layer {L}'s gradient is {self._say(s.ratio_rounded)} times as big as layer 1's."
        self.beat(caption,
                   [(lambda: [FadeIn(self.ratio_lines[0], shift=UP * 0.1)], 1.0)], 2.5)

    def fixed_bars(self) -> None:
        """tanh with Xavier, ReLU with He, zero biases: the bars stay roughly level."""
        n = len(self.result.settings)
        self.beat("The same net with tanh and Xavier's start, then with ReLU and He's start, "
                   "biases at zero: the bars stay roughly level.",
                   [(lambda: [FadeIn(self.titles[1:])], 0.8),
                    *[(lambda i=i: self._grow(i), 2.0) for i in range(1, n)]], 2.0)

    def fixed_ratios(self) -> None:
        """The fixes' last/first ratios: close to 1."""
        r = self.result
        said = " and ".join(self._say(s.ratio_rounded) for s in r.settings[1:])
        level = all(1 / REGIME_THRESHOLD < s.ratio < REGIME_THRESHOLD for s in r.settings[1:])
        if level:
            caption = f"Last over first is only {said}: the gradient reaches layer 1, and every layer can learn."
        else:
            caption = f"Last over first: {said}."
        self.beat(caption,
                   [(lambda: [FadeIn(self.ratio_lines[1:], shift=UP * 0.1)], 1.0)], 3.0)

    # -- beats: history --------------------------------------------------------------------

    def history(self) -> None:
        """2006 and 2007: three breakthrough papers, by Hinton, LeCun and Bengio."""
        years = list(BREAKTHROUGH_YEARS)
        self.shown["years"] = [float(y) for y in years]
        self.shown["papers"] = float(len(BREAKTHROUGH_AUTHORS))
        names = ", ".join(BREAKTHROUGH_AUTHORS[:-1]) + " and " + BREAKTHROUGH_AUTHORS[-1]
        span = f"{years[0]} and {years[-1]}"
        count = COUNT_WORDS.get(len(BREAKTHROUGH_AUTHORS), str(len(BREAKTHROUGH_AUTHORS)))
        line = self.text(f"{span}: {count} breakthrough papers, by {names}, changed deep learning.",
                         SIZE.small)
        line.move_to([0, HISTORY_Y[0], 0])
        self.history_line = line
        self.beat(f"History: the first way through came in {span}, when {count} breakthrough papers, by "
                  f"{names}, trained deep nets one layer at a time. The starting weights and ReLU shown "
                  "here came later.",
                   [(lambda: [FadeIn(line, shift=UP * 0.1)], 1.2)], 3.0)

    def next_episode(self) -> None:
        """The next episode: the Restricted Boltzmann Machine."""
        line = self.text(f"Next episode: {NEXT_EPISODE}", SIZE.label, color=self.theme.backward)
        line.move_to([0, HISTORY_Y[1], 0])
        self.next_line = line
        self.beat(f"In the next episode: {NEXT_EPISODE}.",
                   [(lambda: [FadeIn(line, shift=UP * 0.1)], 1.0)], 2.5)

    def hold_key_picture(self) -> None:
        """The chapter's picture: fading bars beside level ones, with the ratios, held."""
        self.beat("Keep every layer's factor near 1, and the gradient reaches the first layer.",
                   [], 2.2)
