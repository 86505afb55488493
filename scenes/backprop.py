"""Chapter 6, "Back prop: a product of factors".

A chain of L sigmoid neurons, one per layer of the lesson's deep net, layer L the output as
there (L = 5 in the default lessons, whose numbers the beats below use; at most 6, what one
line of the frame holds); a weight w_l and a bias b_l in every layer. The chain is always
sigmoid, whatever the lesson's activation; the lesson's seed draws its weights and biases.

Beats:

1. The chain x -> a_1 -> ... -> a_5, weights on the edges, a bias under every neuron.
2. Forward, left to right, from a_0 = x: z_l = w_l a_(l-1) + b_l, a_l = σ(z_l); chapter 2's cost
   C = ½(a_5 - y)² at the output.
3. Back prop starts at the output, right to left (said here, and in chapter 1 only).
4. ∂C/∂a_5 = a_5 - y; times σ'(z_5) it is δ_5 = ∂C/∂z_5.
5. Each step left: δ_4 = δ_5 w_5 σ'(z_4), ...; ∂C/∂b_l = δ_l, ∂C/∂w_l = δ_l a_(l-1).
6. ∂C/∂b_1 = w_2σ'(z_1) · w_3σ'(z_2) · w_4σ'(z_3) · w_5σ'(z_4) · δ_5, each factor with its value.
7. e-notation, explained with the first number of the chapter written in it (the one place).
8-9. The rectangle: a square of area 1 times ¼, ⅓, ¼ (exact fractions), and on screen the moral:
   more factors below 1 in size, a smaller product.
10-11. σ' <= ¼ (chapter 3), so |w σ'(z)| <= |w|/4: below 1 while |w| < 4.
12. This chain's |δ_l| as bars on a log scale (each step up is ×10: the one place), signed
    values above them; what is left of δ_5 at layer 1.
13. |w| > 4 can give a factor above 1 (exploding, chapter 9), but only for z near 0: for
    w = 100, |w σ'(z)| > 1 only while |z| < z*, inputs a in a narrow band. Key picture; fade.

Every number comes from :func:`netsim.experiments.backprop.backprop_chain` and is recorded
in ``self.shown``. Render: ``.venv/bin/manim -ql scenes/backprop.py ForwardBackProp``.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    GrowArrow,
    GrowFromEdge,
    Line,
    MathTex,
    Rectangle,
    Square,
    Text,
    Transform,
    VGroup,
    Write,
)

from netsim.experiments.backprop import BackpropChain, backprop_chain
from scenes.engine.chapters import number_of
from scenes.engine.common import LessonScene
from scenes.engine.i18n import CONDITION_FIRST, Message, t
from scenes.engine.lesson import Lesson, per_net
from scenes.engine.netdiagram import NetDiagram
from scenes.engine.plots import LogScale
from scenes.engine.style import SIZE, cut_piece, fmt_ratio, fmt_value, log_tick, log_ticks

# Layout (scene units; the frame is 14.2 x 8). The chapter heading sits top left, the forward
# rules top right; every text is SIZE.small or larger (legible at 480p).
CHAIN_X = -0.6
CHAIN_Y = 1.8
CHAIN_WIDTH = 10.0
NEURON_RADIUS = 0.3
VALUE_DY = 0.62           # a_l above each neuron
DELTA_Y = 0.75            # δ_l under each neuron (after b_l)
ARROW_Y = 0.3             # the forward / backward arrows
RULE_Y = -0.3             # the back-prop rules (beats 4-5)
PRODUCT_Y = -1.85         # ∂C/∂b_1 as a product (beat 6)
E_NOTE_Y = -3.0           # e-notation (beat 7), above the band where players draw subtitles
SQUARE_SIDE = 2.9
SQUARE_CENTER = np.array([-3.6, -1.7, 0.0])   # its bottom above the subtitles' band
EQ_X = -0.9               # left edge of the rectangle's equations
BOUND_FIRST_Y = -1.2      # the bound |w σ'(z)| <= |w|/4, where the square was (beats 10-11)
BOUND_Y = 0.7             # the bound, once the bars are up
CAVEAT_Y = 0.15           # the large-weight caveat
LEGEND_Y = -0.38          # the log axis's legend, above the tallest bar's label
BAR_BASE_Y = -2.75        # the log axis: its bottom (δ_l under it, above the subtitles' band) and height
AXIS_HEIGHT = 1.9
LABEL_PITCH = 0.42        # the least height between two labels 10^k of the log axis
BAR_WIDTH = 0.62
STEP = 0.55               # seconds of one back-prop step (beat 5)
VALUE_GAP = 0.25          # the least gap between two factor values side by side (beat 6)


@per_net
def experiment(lesson: Lesson) -> BackpropChain:
    """The numbers this scene shows for ``lesson``: the chain has one neuron per layer of its net
    (at most six), and its seed draws the chain's weights and biases."""
    return backprop_chain(lesson.net)


def frac_tex(f: Fraction) -> str:
    r"""A fraction as LaTeX: \tfrac{1}{4}, or an integer."""
    return str(f.numerator) if f.denominator == 1 else rf"\tfrac{{{f.numerator}}}{{{f.denominator}}}"


#: Fractions with a glyph of their own, as captions write them (¼, not 1/4): only those of
#: Latin-1, which every caption font has (⅓ shows as an empty box in many players).
_GLYPHS = {Fraction(1, 2): "½", Fraction(1, 4): "¼"}


def frac_words(f: Fraction) -> str:
    """A fraction as a caption writes it: ¼ and ½ as glyphs, others as 1/3 or 1/12, integers plain."""
    return _GLYPHS.get(f, str(f))


def e_notation(shown: str) -> tuple[str, int, str] | None:
    """"3.11e-04" -> ("3.11", -4, "0.000311"): mantissa, power of ten, the plain decimal
    (exact: the shown mantissa shifted, no float rounding). None without e-notation."""
    m = re.fullmatch(r"(-?\d(?:\.\d+)?)e([+-]\d+)", shown)
    if not m:
        return None
    power = int(m[2])
    plain = format(Decimal(m[1]).scaleb(power), "f")
    return m[1], power, plain


def superscript(power: int) -> str:
    """A power of ten as a caption writes it: -7 -> "^-7" (10^-7, the screen's 10^{-7}); plain
    ASCII, since superscript digits show as empty boxes in many caption fonts."""
    return f"^{power}"


def decades(values: list[float]) -> tuple[int, int]:
    """The powers of ten a log axis must span to hold every non-zero |value| (at least one step),
    with the smallest at least half a step above the bottom, so that its bar shows."""
    sizes = [abs(v) for v in values if v != 0 and math.isfinite(v)]
    lo = math.floor(math.log10(min(sizes)) - 0.5)
    hi = math.ceil(math.log10(max(sizes)))
    return lo, max(hi, lo + 1)


class ForwardBackProp(LessonScene):
    """Forward left to right; back prop from the output, one factor per layer; the product shrinks."""

    def construct(self) -> None:
        self.res = experiment(self.lesson)
        self.e_explained: str | None = None
        self.show_the_chain()
        self.forward()
        self.back_prop_direction()
        self.output_error()
        self.step_left()
        self.product_of_factors()
        self.explain_e_notation()
        self.rectangle()
        self.bound_each_factor()
        self.log_bars()
        self.explain_e_notation()
        self.large_weights()
        self.end_chapter()

    # ---------- helpers ----------
    def value(self, key: str, v: float, color: str | None = None, size: int = SIZE.label) -> Text:
        """A recorded number, optionally coloured."""
        num = self.number(key, v, size)
        if color:
            num.set_color(color)
        return num

    def x_of(self, layer: int) -> float:
        """x of the neuron of ``layer`` (0 = input x, L = output)."""
        return self.net.layer_x(layer)

    def edge_mid(self, layer: int) -> float:
        """x of the middle of the edge carrying w_layer."""
        return (self.x_of(layer - 1) + self.x_of(layer)) / 2

    # ---------- beats 1-3: the chain, forward, the direction of back prop ----------
    def show_the_chain(self) -> None:
        """Beat 1: x -> a_1 -> ... -> a_L, a weight on every edge, a bias under every neuron."""
        th, r = self.theme, self.res
        L = r.layers
        self.heading = self.chapter_heading(t("Back prop: a product of factors"))
        self.net = NetDiagram([1] * (L + 1), th, width=CHAIN_WIDTH, height=1.0, radius=NEURON_RADIUS,
                              edge_width=3.0).move_to([CHAIN_X, CHAIN_Y, 0])
        names = VGroup(*[self.tex("x" if l == 0 else f"a_{{{l}}}", SIZE.label).move_to(self.net.neuron(l, 0))
                         for l in range(L + 1)])
        self.w_labels = VGroup(*[self.tex(f"w_{{{l}}}", SIZE.label, th.muted)
                                 .next_to([self.edge_mid(l), CHAIN_Y, 0], UP, buff=0.1) for l in range(1, L + 1)])
        self.b_labels = VGroup(*[self.tex(f"b_{{{l}}}", SIZE.label, th.muted)
                                 .next_to(self.net.neuron(l, 0), DOWN, buff=0.1) for l in range(1, L + 1)])
        self.shown["layers"] = float(L)
        # the chapter's title asks the question; the first sentence starts on the chain (paid the third cut's
        # last seconds)
        self.say(t("A chain of {L} sigmoid neurons, one per layer, each with a weight w_l and a bias b_l.", L=L),
                 FadeIn(self.heading), Create(self.net), FadeIn(names), FadeIn(self.w_labels), FadeIn(self.b_labels),
                 run_time=2.0)
        self.chain = VGroup(self.net, names, self.w_labels, self.b_labels)

    def forward(self) -> None:
        """Beat 2: z_l = w_l a_(l-1) + b_l, a_l = σ(z_l), left to right; the cost at the output."""
        th, r = self.theme, self.res
        L = r.layers
        cost = number_of("cost")
        rule = self.tex(r"z_l = w_l\, a_{l-1} + b_l,\quad a_l = \sigma(z_l)", SIZE.label, th.text)
        cost_rule = self.tex(rf"C = \tfrac12 (a_{{{L}}} - y)^2", SIZE.label, th.text)
        rules = VGroup(rule, cost_rule).arrange(DOWN, aligned_edge=RIGHT, buff=0.12).to_corner(UP + RIGHT, buff=0.3)
        arrow = Arrow([self.x_of(0), ARROW_Y, 0], [self.x_of(L), ARROW_Y, 0], buff=0, color=th.forward,
                      stroke_width=5, max_tip_length_to_length_ratio=0.03)
        words = self.text(t("forward"), SIZE.label, color=th.forward).next_to(arrow, RIGHT, buff=0.15)
        self.a_values = VGroup(self.value("a_0", r.activations[0])
                               .move_to([self.x_of(0), CHAIN_Y + VALUE_DY, 0]))
        # one Text: a lone "y" sits off the baseline
        target = self.text(t("y = {y}", y=self.inline("y", r.y)), SIZE.label)
        cost_row = VGroup(self.text(t("C ="), SIZE.label), self.value("cost", r.cost, color=th.warn))
        cost_row.arrange(RIGHT, buff=0.12)
        self.cost_block = VGroup(target, cost_row).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        self.cost_block.next_to(self.net.neuron(L, 0), RIGHT, buff=0.3)
        with self.beat(t("Forward, left to right, from a_0 = x: z_l = w_l a_(l−1) + b_l, a_l = σ(z_l), then chapter "
                         "{chapter}'s cost C = ½(a_{L} − y)².", chapter=cost, L=L)):
            self.play(FadeIn(rules), GrowArrow(arrow), FadeIn(words), FadeIn(self.a_values), run_time=0.8)
            for l in range(1, L + 1):
                a = self.value(f"a_{l}", r.activations[l]).move_to([self.x_of(l), CHAIN_Y + VALUE_DY, 0])
                self.a_values.add(a)
                self.play(self.net.edge(l, 0, 0).animate.set_stroke(color=th.forward),
                          self.net.neuron(l, 0).animate.set_fill(th.forward, opacity=0.15 + 0.5 * r.activations[l]),
                          FadeIn(a, shift=RIGHT * 0.2), run_time=0.6)
            self.play(FadeIn(self.cost_block, shift=LEFT * 0.2), run_time=0.6)
        self.forward_rules = rules
        self.arrow = VGroup(arrow, words)

    def back_prop_direction(self) -> None:
        """Beat 3's first half: the arrow from the output, right to left (played with beat 4's
        caption, which says where back prop starts)."""
        th, L = self.theme, self.res.layers
        arrow = Arrow([self.x_of(L), ARROW_Y, 0], [self.x_of(0), ARROW_Y, 0], buff=0, color=th.backward,
                      stroke_width=5, max_tip_length_to_length_ratio=0.03)
        words = self.text(t("back prop"), SIZE.label, color=th.backward).next_to(arrow, RIGHT, buff=0.15)
        self.direction = [FadeOut(self.arrow), GrowArrow(arrow), FadeIn(words),
                          self.net.neuron(L, 0).animate.set_stroke(color=th.backward, width=5)]
        self.arrow = VGroup(arrow, words)

    # ---------- beats 4-6: δ, the gradients, the product ----------
    def _delta_label(self, l: int) -> MathTex:
        return self.tex(rf"\delta_{{{l}}}", SIZE.label, self.theme.backward).move_to([self.x_of(l), DELTA_Y, 0])

    def output_error(self) -> None:
        """Beat 4: ∂C/∂a_L = a_L - y; times σ'(z_L), δ_L = ∂C/∂z_L."""
        th, L = self.theme, self.res.layers
        first = self.tex(rf"\partial C/\partial a_{{{L}}} = a_{{{L}}} - y,\qquad "
                         rf"\delta_{{{L}}} = \partial C/\partial z_{{{L}}} = \sigma'(z_{{{L}}})\,(a_{{{L}}} - y)",
                         SIZE.label, th.text)
        first.move_to([0, RULE_Y, 0])
        self.deltas = {L: self._delta_label(L)}
        with self.beat(t("Back prop starts at the output: ∂C/∂a_{L} = a_{L} − y; times the slope σ'(z_{L}), it "
                         "gives layer {L}'s error δ_{L} = ∂C/∂z_{L}, how much C changes with z_{L}.", L=L)):
            self.play(*self.direction, run_time=1.2)
            self.play(Write(first), FadeIn(self.deltas[L], shift=DOWN * 0.1), run_time=1.6)
        self.rules = VGroup(first)

    def step_left(self) -> None:
        """Beat 5: each step left multiplies by a weight and a slope; each layer's gradients follow."""
        th, L = self.theme, self.res.layers
        second = self.tex(rf"\delta_{{{L - 1}}} = \delta_{{{L}}}\, w_{{{L}}}\, \sigma'(z_{{{L - 1}}}),\qquad "
                          r"\partial C/\partial b_l = \delta_l,\qquad "
                          r"\partial C/\partial w_l = \delta_l\, a_{l-1}", SIZE.label, th.text)
        second.next_to(self.rules, DOWN, buff=0.3)
        with self.beat(t("By the chain rule, one derivative per link of the chain, each step left multiplies by a "
                         "weight and a slope, δ_{before} = δ_{L} w_{L} σ'(z_{before}), and at every layer "
                         "∂C/∂b_l = δ_l, ∂C/∂w_l = δ_l a_(l−1).", L=L, before=L - 1)):
            self.play(Write(second), run_time=1.2)
            for l in range(L - 1, 0, -1):
                self.deltas[l] = self._delta_label(l)
                found = [l + 1] + ([1] if l == 1 else [])  # at layer 1, ∂C/∂w_1 is found too
                edges = [self.net.edge(k, 0, 0).animate.set_stroke(color=th.backward) for k in found]
                self.play(*edges, self.net.neuron(l, 0).animate.set_stroke(color=th.backward, width=5),
                          FadeIn(self.deltas[l], shift=LEFT * 0.2), run_time=STEP)
        self.rules.add(second)

    def product_of_factors(self) -> None:
        """Beat 6: ∂C/∂b_1 = w_2σ'(z_1) · ... · w_Lσ'(z_(L-1)) · δ_L, every factor with its value."""
        th, r = self.theme, self.res
        L = r.layers
        parts = [r"\partial C/\partial b_1", "="]
        for l in range(1, L):
            parts += [rf"w_{{{l + 1}}}\sigma'(z_{{{l}}})", r"\;\cdot\;"]
        parts += [rf"\delta_{{{L}}}", "="]
        formula = MathTex(*parts, font_size=SIZE.label * 1.4, color=th.text)
        product = self.value("product", r.product, th.warn, SIZE.label)
        VGroup(formula, product).arrange(RIGHT, buff=0.2).move_to([0, PRODUCT_Y, 0])
        product.set_y(formula[-1].get_y())
        factors = [formula[2 + 2 * i] for i in range(L)]  # the L - 1 step factors, then δ_L
        row: list[Text] = []
        for i in range(L):
            if i == L - 1:
                v = self.value(f"delta_{L}", r.deltas[-1], th.backward, SIZE.label)
            else:
                v = self.value(f"factor_{i + 1}", r.step_factors[i], th.backward, SIZE.label)
            v.next_to(factors[i], DOWN, buff=0.2).set_y(formula.get_bottom()[1] - 0.2 - v.height / 2)
            row.append(v)
        for left, right in zip(row, row[1:]):  # long values (e-notation) must not touch their neighbours
            overlap = left.get_right()[0] + VALUE_GAP - right.get_left()[0]
            if overlap > 0:
                right.shift(RIGHT * overlap)
        values = VGroup(*reversed(row))  # right to left, as back prop meets them
        with self.beat(t("So ∂C/∂b_1 = δ_1 is a product: δ_{L} times one factor w σ'(z) per layer on the way.", L=L)):
            self.play(FadeOut(self.arrow), Write(formula), run_time=1.2)
            for v in values:
                self.play(FadeIn(v, shift=DOWN * 0.1), run_time=0.45)
            self.play(FadeIn(product, shift=LEFT * 0.2), run_time=0.6)
        self.product = VGroup(formula, values, product)

    def explain_e_notation(self) -> None:
        """Beat 7: the first number shown in e-notation, read out: 2.02e-07 = 2.02 × 10⁻⁷ = 0.000000202.
        Said once (the first time a number on screen is written so); nothing if none is."""
        if self.e_explained is not None:
            return
        key = next((k for k, v in self.shown.items() if isinstance(v, float) and e_notation(fmt_value(v))), None)
        if key is None:
            return
        self.e_explained = key
        shown = fmt_value(self.shown[key])
        parts = e_notation(shown)
        assert parts is not None
        mantissa, power, plain = parts
        self.e_note = VGroup(self.text(shown, SIZE.label, color=self.theme.warn),
                             self.tex(rf"= {mantissa} \times 10^{{{power}}} = {plain}", SIZE.label, self.theme.warn))
        self.e_note.arrange(RIGHT, buff=0.15).move_to([0, E_NOTE_Y, 0])
        fields = {"shown": shown, "mantissa": mantissa, "power": superscript(power), "plain": plain}
        caption = t("In e-notation, {shown} means {mantissa} × 10{power} = {plain}.", **fields)
        self.say(caption,
                 FadeIn(self.e_note, shift=UP * 0.1), run_time=1.0)

    # ---------- beats 8-9: the rectangle ----------
    def _piece(self, x0: float, y1: float, w: float, h: float) -> Rectangle:
        """The part of the square left: its top-left corner at (x0, y1), width w, height h."""
        rect = Rectangle(width=w, height=h, stroke_width=0, fill_color=self.theme.backward, fill_opacity=0.9)
        return rect.move_to([x0 + w / 2, y1 - h / 2, 0])

    def rectangle(self) -> None:
        """Beat 8: a square of area 1 times ¼, ⅓, ¼, cut and kept, with the exact areas."""
        th, rect = self.theme, self.res.rectangle
        gone = [FadeOut(self.rules), FadeOut(self.product)]
        if self.e_explained is not None:
            gone.append(FadeOut(self.e_note))
        outline = Square(side_length=SQUARE_SIDE, stroke_color=th.text, stroke_width=3, fill_color=th.muted,
                         fill_opacity=0.15).move_to(SQUARE_CENTER)
        corner = outline.get_corner(UP + LEFT)
        piece = (float(corner[0]), float(corner[1]), SQUARE_SIDE, SQUARE_SIDE)
        kept = self._piece(*piece)
        self.shown["area_0"] = rect.areas[0]
        area = self.tex(frac_tex(rect.areas[0]), SIZE.heading, th.background).move_to(SQUARE_CENTER)
        equations = VGroup()
        first, second, third = (frac_words(m) for m in rect.multipliers)  # the rectangle's three factors
        with self.beat(t("Multiply a square of area {area} by {first}, then {second}, "
                         "then {third}: {left} is left.", area=rect.areas[0], first=first, second=second, third=third,
                         left=frac_words(rect.areas[-1]))):
            self.play(*gone, Create(outline), FadeIn(kept), Write(area), run_time=1.0)
            for k, m in enumerate(rect.multipliers, start=1):
                cuts, piece = cut_piece(piece, m, k, th.text)
                self.shown[f"multiplier_{k}"] = m
                self.shown[f"area_{k}"] = rect.areas[k]
                eq = self.tex(rf"{frac_tex(rect.areas[k - 1])} \times {frac_tex(m)} = {frac_tex(rect.areas[k])}",
                              SIZE.body)
                eq.move_to([0, 0, 0]).align_to([EQ_X, 0, 0], LEFT)
                if equations:
                    eq.next_to(equations[-1], DOWN, buff=0.35).align_to(equations[-1], LEFT)
                else:
                    eq.align_to(outline, UP)
                equations.add(eq)
                self.play(Create(cuts), *([FadeOut(area)] if k == 1 else []), run_time=0.5)
                self.play(Transform(kept, self._piece(*piece)), FadeOut(cuts), Write(eq), run_time=0.8)
            # the moral, on screen as the last cut settles
            moral = self.text(t("more factors below 1 = a smaller product"), SIZE.label, color=th.warn)
            moral.next_to(equations, DOWN, buff=0.25).align_to(equations, LEFT)
            self.play(FadeIn(moral, shift=UP * 0.2), run_time=0.8)
        self.square = VGroup(outline, kept, equations, moral)

    # ---------- beats 10-11: the viewer's question ----------
    def bound_each_factor(self) -> None:
        """Beat 10-11: σ' <= ¼, so |w σ'(z)| <= |w|/4, below 1 while |w| < 4 (the square makes way)."""
        th, r = self.theme, self.res
        bound, limit = r.sigma_prime_max, r.weight_limit
        self.shown["sigma_prime_max"] = bound
        self.shown["weight_limit"] = limit
        factor = self.tex(rf"|w\,\sigma'(z)| \le |w|/{limit} < 1", SIZE.label, th.warn)
        sigma = self.tex(rf"\sigma'(z) \le {frac_tex(bound)}", SIZE.label, th.warn)
        condition = self.tex(rf"|w| < {limit}", SIZE.label, th.warn)
        if self.lesson.language in CONDITION_FIRST:  # 因为 σ' ≤ ¼，所以只要 |w| < 4，就有 |w σ'| ≤ |w|/4 < 1
            pieces = [self.text(t("since"), SIZE.label, color=th.warn), sigma,
                      self.text("，" + self.tr(t("so")) + self.tr(t("while")), SIZE.label, color=th.warn), condition,
                      self.text("，" + self.tr(t("then")), SIZE.label, color=th.warn), factor]
        else:
            pieces = [sigma, self.text(t("so"), SIZE.label, color=th.warn), factor,
                      self.text(t("while"), SIZE.label, color=th.warn), condition]
        self.bound = VGroup(*pieces).arrange(RIGHT, buff=0.15)
        self.bound.move_to([0, BOUND_FIRST_Y, 0])
        self.say(t("σ' is at most {bound} (chapter {chapter}), so in this chain a factor is at most |w|/{limit}: "
                   "below 1 while |w| < {limit}.", bound=frac_words(bound), chapter=number_of("neuron"), limit=limit),
                 FadeOut(self.square), FadeIn(self.bound, shift=UP * 0.2), run_time=1.0)

    # ---------- beat 12: the chain's |δ_l| on a log scale ----------
    def _y(self, size: float) -> float:
        """The height on the log axis of a positive size (0, an underflow, sits at the bottom)."""
        if size <= 0:
            return BAR_BASE_Y
        return LogScale(*self.decades, BAR_BASE_Y, AXIS_HEIGHT).y(math.log10(size))

    def _log_axis(self) -> VGroup:
        """A vertical log axis left of layer 1: a tick at every power of ten, labels by log_tick."""
        th = self.theme
        lo, hi = self.decades
        x = self.x_of(0) + 0.35
        axis = Line([x, BAR_BASE_Y, 0], [x, BAR_BASE_Y + AXIS_HEIGHT, 0], color=th.muted, stroke_width=2)
        ticks, labels = VGroup(), VGroup()
        labelled = set(log_ticks(lo, hi, most=int(AXIS_HEIGHT / LABEL_PITCH) + 1))  # labels that never touch
        for k in range(lo, hi + 1):
            y = self._y(10.0**k)
            ticks.add(Line([x - 0.08, y, 0], [x + 0.08, y, 0], color=th.muted, stroke_width=2))
            if k in labelled:
                labels.add(log_tick(k, th).next_to([x - 0.1, y, 0], LEFT, buff=0.08))
        self.shown["log_decades"] = [float(lo), float(hi)]
        return VGroup(axis, ticks, labels)

    def _verdict(self) -> tuple[Message, Message]:
        """The words for this chain's weights, and for how |δ_l| changes (checked by the tests)."""
        r = self.res
        L = r.layers
        sizes = [abs(w) for w in r.weights]
        limit = r.weight_limit
        if max(sizes) < 1:
            weights = t("Here every |w| < 1.")
        elif max(sizes) < limit:
            weights = t("Here every |w| < {limit}.", limit=limit)
        else:
            k = sizes.index(max(sizes)) + 1
            big = self.inline("big_weight", r.weights[k - 1])
            if all(f < 1 for f in r.factor_sizes):
                weights = t("Here w_{k} = {w}, yet every factor is below 1.", k=k, w=big)
            else:
                weights = t("Here w_{k} = {w}, and a factor is above 1.", k=k, w=big)
        ratio = self.res.first_over_output
        self.shown["ratio"] = ratio
        said = fmt_ratio(ratio)
        if r.shrinks_every_layer:
            trend = t("On a log scale (each step up is ×10), |δ_l| shrinks at every layer, the vanishing "
                      "gradient: |δ_1| is {ratio} of |δ_{L}|.", ratio=said, L=L)
        elif ratio < 1:
            trend = t("On a log scale (each step up is ×10), |δ_l| does not shrink at every layer, but |δ_1| is "
                      "{ratio} of |δ_{L}|.", ratio=said, L=L)
        else:
            trend = t("On a log scale (each step up is ×10), |δ_l| grows: |δ_1| is {ratio} times |δ_{L}|.",
                      ratio=said, L=L)
        return weights, trend

    def log_bars(self) -> None:
        """Beat 12 (with the key picture): a bar of |δ_l| per layer, its signed value above it."""
        th, r = self.theme, self.res
        L = r.layers
        self.decades = decades(list(r.deltas))
        axis = self._log_axis()
        legend = VGroup(self.text(t("log scale: each step up is ×10"), SIZE.small, color=th.warn),
                        VGroup(self.text(t("bar height:"), SIZE.small, color=th.muted),
                               self.tex(r"|\delta_l|", SIZE.small, th.muted),
                               self.text(t("(its sign is written above)"), SIZE.small, color=th.muted))
                        .arrange(RIGHT, buff=0.12))
        legend.arrange(RIGHT, buff=0.5).move_to([CHAIN_X + 0.6, LEGEND_Y, 0])
        bars, values, names = VGroup(), VGroup(), VGroup()
        for l in range(L, 0, -1):
            d = r.deltas[l - 1]
            h = max(self._y(abs(d)) - BAR_BASE_Y, 0.02)
            bar = Rectangle(width=BAR_WIDTH, height=h, stroke_width=0, fill_color=th.backward, fill_opacity=0.9)
            bar.move_to([self.x_of(l), BAR_BASE_Y + h / 2, 0])
            bars.add(bar)
            values.add(self.value(f"bar_{l}", d).next_to(bar, UP, buff=0.08))
            names.add(self.tex(rf"\delta_{{{l}}}", SIZE.label, th.backward).next_to([self.x_of(l), BAR_BASE_Y, 0],
                                                                                    DOWN, buff=0.1))
        baseline = Line([self.x_of(0) + 0.35, BAR_BASE_Y, 0], [self.x_of(L) + 0.6, BAR_BASE_Y, 0],
                        color=th.muted, stroke_width=2)
        moved = [Transform(self.deltas[l], names[L - l]) for l in range(1, L + 1)]
        bound = self.bound.copy().scale(0.9).move_to([CHAIN_X + 0.6, BOUND_Y, 0])
        weights, trend = self._verdict()
        self.say(weights, Transform(self.bound, bound), *moved, Create(axis),
                 Create(baseline), FadeIn(legend), run_time=1.2)
        with self.beat(trend):
            for bar, v in zip(bars, values):
                self.play(GrowFromEdge(bar, DOWN), FadeIn(v), run_time=0.5)
        self.bars = VGroup(axis, baseline, legend, bars, values)

    # ---------- beat 13: large weights ----------
    def _caveat(self) -> VGroup:
        """w = 100: |w σ'(z)| > 1 only while |z| < z*, for inputs a in a band 2 z*/|w| wide (one line)."""
        th, r = self.theme, self.res
        w = self.inline("large_weight", r.large_weight)
        z = self.inline("band_z", r.band_z)
        width = self.inline("band_width", r.band_width)
        pieces = [self.tex(rf"w = {w}{{:}}\quad |w\,\sigma'(z)| > 1", SIZE.label, th.text),
                  self.text(t("only while"), SIZE.label),
                  self.tex(rf"|z| < {z}", SIZE.label, th.text),
                  self.text(t(", for inputs"), SIZE.label),
                  self.tex("a", SIZE.label, th.text),
                  self.text(t("in a band {width} wide", width=width), SIZE.label)]
        for before, piece in zip(pieces, pieces[1:]):  # a comma hugs the formula before it
            tight = isinstance(piece, Text) and piece.text[:1] in ",，"
            piece.next_to(before, RIGHT, buff=0.05 if tight else 0.15)
        note = VGroup(*pieces)
        if note.width > 12.6:  # a longer translation: shrink to the frame, never below legibility's need
            note.scale_to_fit_width(12.6)
        return note.move_to([CHAIN_X + 0.6, CAVEAT_Y, 0])

    def large_weights(self) -> None:
        """Beat 13: |w| > 4 can give a factor above 1 (exploding), but only for z near 0."""
        self.caveat = note = self._caveat()
        limit = self.res.weight_limit
        caption = t("With |w| > {limit} factors can exceed 1 and the product grow: the exploding gradient "
                    "(chapter {chapter}). But a large w makes z = w a + b large and σ' tiny, except "
                    "in a narrow band of a.", limit=limit, chapter=number_of("exploding"))
        with self.beat(caption):  # the band appears when the caption comes to it
            self.reveal(self.renderer.time, caption, [("z = w a + b", [FadeIn(note, shift=UP * 0.1)], 1.0)])


__all__ = ["ForwardBackProp", "experiment", "e_notation", "frac_words", "decades", "superscript"]
