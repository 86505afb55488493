"""Chapter 6, "Forward prop, back prop": numbers flow left to right, gradients right to left.

The picture is a chain of one sigmoid neuron per layer, x = a_0 -> a_1 -> a_2 -> a_3 -> a_4
(always sigmoid, whatever the lesson's activation: the chapter explains sigma'). Every layer
has a weight w_l and a bias b_l, drawn from the lesson's seed; input x = 1, target y = 0,
quadratic cost (see :mod:`netsim.experiments.backprop`). Chapter 3 ("One neuron") defines
sigma, z, w, b and sigma'; this chapter reminds z_l = w_l a_{l-1} + b_l, a_l = sigma(z_l).

Beats:

1. Title.
2. The chain: input x, four neurons, weights w_1 .. w_4 on the edges; then a bias b_l under
   every neuron.
3. Forward prop, LEFT TO RIGHT: a_l = sigma(w_l a_{l-1} + b_l) lights up neuron by neuron.
4. The cost at the output: target y, C = (a_4 - y)^2 / 2.
5. Back prop goes the other way: it STARTS AT THE OUTPUT and moves right to left.
6. 2L gradients in all (a weight and a bias per layer); the chapter follows dC/db_1, the one
   farthest from the output (it collects the most factors), and the weights' dC/dw_l on the
   way (empty slots on the chain).
7. The chain rule's product for dC/db_1 (MathTex).
8. Back prop, factor by factor from the output: the current factor is boxed, its value
   appears under it, a brace spans the factors multiplied so far with the running product
   under it. Right after sigma'(z_l) the running product is delta_l = dC/dz_l (named when it
   first appears); then the "times a_{l-1}" step fills dC/dw_l = delta_l a_{l-1}. Layer 1
   last: delta_1 = dC/db_1, and dC/dw_1 = delta_1 a_0 = dC/db_1 because x = a_0 = 1. The first
   number written in e-notation gets a beat of its own explaining it.
9. The product equals the backward pass's dC/db_1.
10. sigma' <= 1/4, so a layer's factor |w_l sigma'(z_{l-1})| is below 1 while |w_l| < 4: here
    all are, and the product shrinks (chapter "rectangle"); large weights give factors above
    1: exploding gradients (chapter "exploding"). Key picture; fade.

Every number comes from :func:`netsim.experiments.backprop.backprop_chain` and is recorded
in ``self.shown``. Render: ``.venv/bin/manim -ql scenes/backprop.py ForwardBackProp``.
"""

from __future__ import annotations

import logging
import re
from fractions import Fraction
from functools import lru_cache

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Arrow,
    Brace,
    Create,
    FadeIn,
    FadeOut,
    GrowArrow,
    Indicate,
    MathTex,
    ReplacementTransform,
    SurroundingRectangle,
    Text,
    Transform,
    VGroup,
    Write,
)

from netsim.experiments.backprop import BackpropChain, backprop_chain
from netsim.format import fmt_value
from scenes.chapters import number_of
from scenes.common import LessonScene
from scenes.lesson import Lesson
from scenes.netdiagram import NetDiagram
from scenes.style import SIZE

log = logging.getLogger(__name__)

# Layout (scene units; the frame is 14.2 x 8).
CHAIN_X = -0.6
CHAIN_Y = 1.85
CHAIN_WIDTH = 10.0
NEURON_RADIUS = 0.34
VALUE_GAP = 0.5        # activation value above a neuron's centre
BIAS_GAP = 0.2         # the bias label under a neuron
GRAD_SYMBOL_Y = 1.0    # the gradient slots under the chain
GRAD_LINE_GAP = 0.1
BIAS_SLOT_Y = -0.2     # the dC/db_1 slot: one line under the weight slots (they are close together)
ARROW_Y = -0.3
FORMULA_Y = -1.05
FORMULA_SIZE = 40
ROW_GAP = 0.22         # formula -> factor values
BRACE_GAP = 0.08
CHECK_Y = -2.95
NOTE_Y = -3.47
STEP = 0.9             # seconds of one back-prop factor


@lru_cache(maxsize=4)
def _experiment(seed: int) -> BackpropChain:
    return backprop_chain(seed=seed)


def experiment(lesson: Lesson) -> BackpropChain:
    """The numbers this scene shows for ``lesson``: its seed draws the chain's weights and biases."""
    return _experiment(lesson.seed)


def tex_symbol(symbol: str) -> str:
    r"""netsim's factor symbol as LaTeX: "sigma'(z3)" -> \sigma'(z_3), "w2" -> w_2, "dC/da4" -> dC/da_4."""
    if m := re.fullmatch(r"sigma'\(z(\d+)\)", symbol):
        return rf"\sigma'(z_{{{m[1]}}})"
    if m := re.fullmatch(r"w(\d+)", symbol):
        return rf"w_{{{m[1]}}}"
    if m := re.fullmatch(r"dC/d([abw])(\d+)", symbol):
        return rf"\frac{{\partial C}}{{\partial {m[1]}_{{{m[2]}}}}}"
    raise ValueError(f"unknown factor symbol {symbol!r}")


def inline_gradient(name: str) -> str:
    r""""dC/dw4" -> \partial C / \partial w_4 (one line, for the slots on the chain)."""
    m = re.fullmatch(r"dC/d([abw])(\d+)", name)
    if not m:
        raise ValueError(f"unknown gradient {name!r}")
    return rf"\partial C / \partial {m[1]}_{{{m[2]}}}"


def e_notation(shown: str) -> tuple[str, int, str] | None:
    """"3.11e-04" -> ("3.11", -4, "0.000311"): mantissa, power of ten, the plain decimal.
    None for a number written without e-notation."""
    m = re.fullmatch(r"(-?\d(?:\.\d+)?)e([+-]\d+)", shown)
    if not m:
        return None
    power = int(m[2])
    value = float(shown)
    digits = len(m[1].split(".")[1]) if "." in m[1] else 0
    plain = f"{value:.{max(digits - power, 0)}f}" if power < 0 else f"{value:.0f}"
    return m[1], power, plain


class ForwardBackProp(LessonScene):
    """Forward prop left to right; back prop right to left from the output, factor by factor."""

    #: Stop before the final fade (the golden test of the key picture sets this).
    skip_end = False

    def construct(self) -> None:
        self.res = experiment(self.lesson)
        log.debug("factors %s, running %s", self.res.factors, self.res.partial_products)
        self.gradient_order: list[str] = []
        self.e_explained: str | None = None
        self.e_note: VGroup | None = None
        self.title_beat()
        self.show_the_chain()
        self.show_the_biases()
        self.forward_prop()
        self.cost_at_the_output()
        self.back_prop_direction()
        self.gradients_to_follow()
        self.chain_rule_product()
        self.back_prop_steps()
        self.check_against_backward()
        self.factors_shrink()
        if not self.skip_end:
            self.end_chapter("Forward goes left to right; back prop, right to left.")

    # ---------- helpers ----------
    def tex(self, *parts: str, size: int = SIZE.label, color: str | None = None) -> MathTex:
        """MathTex at one of the shared sizes (MathTex needs about 1.5x a Text's font size)."""
        return MathTex(*parts, font_size=size * 1.5, color=color or self.theme.text)

    def value(self, key: str, v: float, color: str | None = None, size: int = SIZE.small) -> Text:
        """A recorded number, optionally coloured."""
        t = self.number(key, v, size)
        if color:
            t.set_color(color)
        return t

    def neuron_x(self, layer: int) -> float:
        """x of the neuron of ``layer`` (0 = input x, L = output)."""
        return self.net.layer_x(layer)

    def edge_mid_x(self, layer: int) -> float:
        """x of the middle of the edge carrying w_layer."""
        return (self.neuron_x(layer - 1) + self.neuron_x(layer)) / 2

    # ---------- beats ----------
    def title_beat(self) -> None:
        """Beat 1: the chapter title."""
        self.heading = self.chapter_heading("Forward prop, back prop",
                                            "Outputs are computed left to right, gradients right to left")
        self.say("How does a net find its output, and then its gradients?", FadeIn(self.heading), run_time=1.2)

    def show_the_chain(self) -> None:
        """Beat 2: the chain x -> a_1 -> ... -> a_L, one neuron per layer, with its weights."""
        t, r = self.theme, self.res
        L = r.layers
        self.net = NetDiagram([1] * (L + 1), t, width=CHAIN_WIDTH, height=1.0, radius=NEURON_RADIUS,
                              edge_width=3.0).move_to([CHAIN_X, CHAIN_Y, 0])
        self.names = VGroup()
        for layer in range(L + 1):
            name = self.tex("x" if layer == 0 else f"a_{{{layer}}}", size=SIZE.label)
            self.names.add(name.move_to(self.net.neuron(layer, 0)))
        self.w_labels = VGroup()
        for layer in range(1, L + 1):
            w = self.tex(f"w_{{{layer}}}", size=SIZE.small, color=t.muted)
            self.w_labels.add(w.move_to([self.edge_mid_x(layer), CHAIN_Y + 0.27, 0]))
        self.a_values: dict[int, Text] = {0: self.value("a_0", r.activations[0])}
        self.a_values[0].move_to([self.neuron_x(0), CHAIN_Y + VALUE_GAP + 0.12, 0])
        x_is = self.text("input", SIZE.small, color=t.muted).next_to(self.net.neuron(0, 0), DOWN, buff=0.12)
        self.say(f"The simplest deep net: a chain of {L} sigmoid neurons, one per layer.",
                 Create(self.net), FadeIn(self.names), FadeIn(self.w_labels), FadeIn(self.a_values[0]),
                 FadeIn(x_is), run_time=1.6)
        self.ends = VGroup(x_is)

    def show_the_biases(self) -> None:
        """Beat 2b: a bias b_l in every layer, under its neuron."""
        t, L = self.theme, self.res.layers
        self.b_labels = VGroup()
        for layer in range(1, L + 1):
            b = self.tex(f"b_{{{layer}}}", size=SIZE.small, color=t.muted)
            b.next_to(self.net.neuron(layer, 0), DOWN, buff=BIAS_GAP - 0.1)
            self.b_labels.add(b)
        out_is = self.text("output", SIZE.small, color=t.muted).next_to(self.b_labels[-1], DOWN, buff=0.08)
        self.ends.add(out_is)
        self.say("Each layer has a weight w and a bias b.", FadeIn(self.b_labels), FadeIn(out_is), run_time=1.0)

    def forward_prop(self) -> None:
        """Beat 3: forward prop, left to right: each a_l = sigma(w_l a_{l-1} + b_l) in turn."""
        t, r = self.theme, self.res
        L = r.layers
        self.forward_arrow = Arrow([self.neuron_x(0), ARROW_Y, 0], [self.neuron_x(L), ARROW_Y, 0], buff=0,
                                   color=t.forward, stroke_width=5, max_tip_length_to_length_ratio=0.03)
        self.forward_words = self.text("forward prop: left to right, input to output", SIZE.small,
                                       color=t.forward).next_to(self.forward_arrow, DOWN, buff=0.12)
        self.reminder = self.tex(r"z_l = w_l\, a_{l-1} + b_l, \quad a_l = \sigma(z_l)", size=SIZE.small,
                                 color=t.forward)
        self.reminder.to_corner(UP + RIGHT, buff=0.35)
        per = 0.75
        with self.beat(f"Forward prop runs left to right. Each neuron computes z = w a + b, "
                       f"then a = sigma(z), as in chapter {number_of('neuron')}."):
            self.play(GrowArrow(self.forward_arrow), FadeIn(self.forward_words), FadeIn(self.reminder),
                      run_time=per)
            for layer in range(1, L + 1):
                a = r.activations[layer]
                self.a_values[layer] = self.value(f"a_{layer}", a)
                self.a_values[layer].move_to([self.neuron_x(layer), CHAIN_Y + VALUE_GAP + 0.12, 0])
                edge = self.net.edge(layer, 0, 0)
                neuron = self.net.neuron(layer, 0)
                self.play(edge.animate.set_stroke(color=t.forward),
                          neuron.animate.set_fill(t.forward, opacity=0.15 + 0.5 * a),
                          FadeIn(self.a_values[layer], shift=RIGHT * 0.2), run_time=per)

    def cost_at_the_output(self) -> None:
        """Beat 4: the target y and the cost C = (a_L - y)^2 / 2 beside the output."""
        t, r = self.theme, self.res
        L = r.layers
        y_val = self.value("y", r.y)
        row_y = self.text(f"y = {y_val.text}", SIZE.small)  # one Text: "y" would sit off the baseline
        c = self.text("C =", SIZE.small)
        c_val = self.value("cost", r.cost, color=t.warn)
        row_c = VGroup(c, c_val).arrange(RIGHT, buff=0.1)
        self.cost_block = VGroup(row_y, row_c).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        self.cost_block.next_to(self.net.neuron(L, 0), RIGHT, buff=0.2)
        self.say(f"At the output, a{L} is compared with the target y. "
                 f"The cost C = (a{L} - y)²/2 measures the miss.",
                 FadeIn(self.cost_block, shift=LEFT * 0.2), run_time=1.0)

    def back_prop_direction(self) -> None:
        """Beat 5: back prop goes the other way: it starts at the OUTPUT, right to left."""
        t = self.theme
        L = self.res.layers
        self.back_arrow = Arrow([self.neuron_x(L), ARROW_Y, 0], [self.neuron_x(0), ARROW_Y, 0], buff=0,
                                color=t.backward, stroke_width=5, max_tip_length_to_length_ratio=0.03)
        self.back_words = self.text("back prop: starts at the OUTPUT, goes right to left", SIZE.small,
                                    color=t.backward).next_to(self.back_arrow, DOWN, buff=0.12)
        start = self.text("start", SIZE.small, color=t.backward)
        start.next_to(self.back_arrow.get_start(), UP, buff=0.1)
        self.back_start = start
        self.say("Back prop runs the other way: it starts at the OUTPUT and works right to left.",
                 FadeOut(self.forward_arrow), FadeOut(self.forward_words), GrowArrow(self.back_arrow),
                 FadeIn(self.back_words), FadeIn(start),
                 self.net.neuron(L, 0).animate.set_stroke(color=t.backward, width=5), run_time=1.4)

    def gradients_to_follow(self) -> None:
        """Beat 6: a weight and a bias per layer; we follow dC/db_1 and the weights' gradients."""
        t, r = self.theme, self.res
        L = r.layers
        self.slots: dict[str, VGroup] = {}
        anims: list[Animation] = []
        for name in r.gradient_names:
            sym = self.tex(inline_gradient(name), size=SIZE.small, color=t.muted)
            kind, layer = name[4], int(name[5:])
            if kind == "w":
                sym.move_to([self.edge_mid_x(layer), GRAD_SYMBOL_Y, 0])
            else:
                sym.move_to([self.neuron_x(layer), BIAS_SLOT_Y, 0])
            mark = self.text("?", SIZE.small, color=t.muted)
            if kind == "w":
                mark.next_to(sym, DOWN, buff=GRAD_LINE_GAP)
            else:
                mark.next_to(sym, RIGHT, buff=0.15)
            self.slots[name] = VGroup(sym, mark)
            anims.append(FadeIn(self.slots[name], shift=DOWN * 0.1))
        self.record_count("weights", L)
        self.say(f"{L} weights and {L} biases: {2 * L} gradients in all.",
                 FadeOut(self.back_words), FadeOut(self.back_arrow), FadeOut(self.back_start),
                 Indicate(self.w_labels, color=t.text), Indicate(self.b_labels, color=t.text), run_time=1.2)
        self.say("We follow dC/db1, and the weights' gradients dC/dw on the way.", *anims, run_time=1.2)
        self.say("dC/db1 is the one farthest from the output, so it collects the most factors.",
                 Indicate(self.slots["dC/db1"], color=t.backward), run_time=1.0)

    def record_count(self, key: str, n: int) -> None:
        """A count said in a caption (layers, weights), recorded like an on-screen number."""
        self.shown[key] = float(n)

    def chain_rule_product(self) -> None:
        """Beat 7: the chain rule writes dC/db_1 as one product of factors."""
        r = self.res
        parts = [tex_symbol("dC/db1"), "="]
        for i, sym in enumerate(r.symbols):
            if i:
                parts.append(r"\cdot")
            parts.append(tex_symbol(sym))
        self.formula = self.tex(*parts, size=SIZE.label).scale(FORMULA_SIZE / (SIZE.label * 1.5))
        self.formula.move_to([0, FORMULA_Y, 0])
        self.factor_tex = [self.formula[2 + 2 * i] for i in range(len(r.symbols))]
        self.say("The chain rule writes dC/db1 as a product: a slope sigma'(z) per layer, weights between.",
                 Write(self.formula), run_time=1.8)

    def _diagram_part(self, symbol: str) -> Animation:
        """Light the part of the chain that a factor belongs to, in the backward colour."""
        t = self.theme
        if m := re.fullmatch(r"w(\d+)", symbol):
            return self.net.edge(int(m[1]), 0, 0).animate.set_stroke(color=t.backward)
        layer = int(re.findall(r"\d+", symbol)[0])
        return self.net.neuron(layer, 0).animate.set_stroke(color=t.backward, width=5)

    def _visit(self, k: int) -> list[Animation]:
        """Back-prop step k: box the factor, show its value, stretch the brace, update the product."""
        t, r = self.theme, self.res
        i = r.backprop_order[k]
        sym = r.symbols[i]
        part = self.factor_tex[i]
        value = self.value(f"factor_{i}", r.factors[i], color=t.backward)
        value.next_to(part, DOWN, buff=ROW_GAP)
        value.set_y(self.formula.get_bottom()[1] - ROW_GAP - value.height / 2)
        self.factor_values.add(value)
        box = SurroundingRectangle(part, color=t.warn, buff=0.06)
        visited = VGroup(*self.factor_tex[i:], *self.factor_values)
        brace = Brace(visited, DOWN, buff=BRACE_GAP, color=t.backward)
        running = self.value(f"running_{k}", r.partial_products[k], color=t.text, size=SIZE.label)
        if m := re.fullmatch(r"sigma'\(z(\d+)\)", sym):  # the running product is delta_l = dC/dz_l
            eq = self.tex(rf"= \delta_{{{m[1]}}} =", size=SIZE.small, color=t.backward)
        else:
            eq = self.tex("=", size=SIZE.small, color=t.muted)
        label = VGroup(self.text("running product", SIZE.small, color=t.muted), eq, running)
        label.arrange(RIGHT, buff=0.15).next_to(brace, DOWN, buff=0.06)
        label.set_x(min(label.get_x(), 7.0 - 0.3 - label.width / 2))
        anims: list[Animation] = [part.animate.set_color(t.backward), FadeIn(value, shift=DOWN * 0.1),
                                  self._diagram_part(sym)]
        if self.box is None:
            self.box, self.brace, self.running = box, brace, label
            anims += [Create(box), FadeIn(brace), FadeIn(label)]
        else:
            anims += [Transform(self.box, box), Transform(self.brace, brace),
                      ReplacementTransform(self.running, label)]
            self.running = label
        return anims

    def _fill(self, name: str) -> list[Animation]:
        """Fill one gradient slot: "= delta_l a_{l-1}" and its value (or just "= delta_1" for dC/db_1,
        whose value the running product shows beside it)."""
        t, r = self.theme, self.res
        i = r.gradient_names.index(name)
        kind, layer = name[4], int(name[5:])
        sym, mark = self.slots[name]
        if kind == "w":  # under the symbol: "= delta_l a_{l-1}", then the value
            how = self.tex(rf"= \delta_{{{layer}}}\, a_{{{layer - 1}}}", size=SIZE.small, color=t.backward)
            how.next_to(sym, DOWN, buff=GRAD_LINE_GAP)
            v = self.value(f"grad_{name}", r.gradients[i], color=t.backward).next_to(how, DOWN, buff=GRAD_LINE_GAP)
            new = VGroup(how, v)
        else:  # "= delta_1": its value is the running product shown at that moment
            how = self.tex(rf"= \delta_{{{layer}}}", size=SIZE.small, color=t.backward)
            new = how.next_to(sym, RIGHT, buff=0.12)
        self.gradient_order.append(name)
        anims: list[Animation] = [sym.animate.set_color(t.text), ReplacementTransform(mark, new)]
        if kind == "w":
            anims.append(Indicate(self.a_values[layer - 1], color=t.backward))
        self.slots[name] = VGroup(sym, new)
        return anims

    def _steps_of(self, layer: int) -> list[int]:
        """The back-prop steps k that reach delta_layer: w_{layer+1} (if any), then sigma'(z_layer)."""
        r = self.res
        k = r.gradient_steps[r.gradient_names.index(f"dC/dw{layer}")]
        return [k - 1, k] if layer < r.layers else [0, 1]

    def back_prop_steps(self) -> None:
        """Beat 8: multiply the factors from the output; delta_l, then dC/dw_l = delta_l a_{l-1}."""
        L = self.res.layers
        self.factor_values = VGroup()
        self.box: SurroundingRectangle | None = None
        with self.beat(f"Start at the output: dC/da{L} = a{L} - y, how fast C changes with a{L}."):
            self.play(*self._visit(0), run_time=STEP)
        with self.beat(f"Times the slope sigma'(z{L}). This running product has a name: "
                       f"delta{L} = dC/dz{L}, in Nielsen's notation."):
            self.play(*self._visit(1), run_time=STEP)
        with self.beat(f"Times a{L - 1}, the input that w{L} multiplies, gives the first gradient: "
                       f"dC/dw{L} = delta{L} · a{L - 1}."):
            self.play(*self._fill(f"dC/dw{L}"), run_time=STEP)
        self._explain_e_notation()
        for layer in range(L - 1, 1, -1):
            with self.beat(f"One layer left: times w{layer + 1} and sigma'(z{layer}) gives delta{layer}; "
                           f"times a{layer - 1}, dC/dw{layer}."):
                for k in self._steps_of(layer):
                    self.play(*self._visit(k), run_time=STEP)
                self.play(*self._fill(f"dC/dw{layer}"), run_time=STEP)
            self._explain_e_notation()
        with self.beat("The first layer, layer 1: times w2 and sigma'(z1) gives delta1, and that is dC/db1."):
            for k in self._steps_of(1):
                self.play(*self._visit(k), run_time=STEP)
            self.play(*self._fill("dC/db1"), run_time=STEP)
        self._explain_e_notation()
        x = self.res.x
        words = "1" if x == 1 else fmt_value(x)
        if x == 1:
            caption = f"Times a0 = x = {words} gives dC/dw1. Since the input is 1, dC/dw1 equals dC/db1 here."
        else:
            caption = f"Times a0 = x = {words} gives dC/dw1."
        with self.beat(caption):
            self.play(*self._fill("dC/dw1"), run_time=STEP)

    def _explain_e_notation(self) -> None:
        """The first number on screen written in e-notation gets one beat: what 3.11e-04 means."""
        if self.e_explained is not None:
            return
        key = next((k for k, v in self.shown.items() if isinstance(v, float) and e_notation(fmt_value(v))), None)
        if key is None:
            return
        shown = fmt_value(self.shown[key])
        parts = e_notation(shown)
        assert parts is not None
        mantissa, power, plain = parts
        self.e_explained = key
        self.e_note = VGroup(self.text(shown, SIZE.small),
                             self.tex(rf"= {mantissa} \times 10^{{{power}}} = {plain}", size=SIZE.small))
        self.e_note.arrange(RIGHT, buff=0.15).move_to([0, NOTE_Y, 0])
        self.say(f"{shown} is written in e-notation: {mantissa} times 10 to the power {power}, or {plain}.",
                 FadeIn(self.e_note), run_time=0.8)

    def check_against_backward(self) -> None:
        """Beat 9: the product equals the backward pass's dC/db_1."""
        t, r = self.theme, self.res
        words = self.text("the backward pass gives", SIZE.small, color=t.muted)
        sym = self.tex(inline_gradient("dC/db1") + " =", size=SIZE.small)
        val = self.value("backward_dC_db1", r.backward_dC_db1, color=t.good, size=SIZE.label)
        same = self.text("(the same)", SIZE.small, color=t.good)
        self.check = VGroup(words, sym, val, same).arrange(RIGHT, buff=0.15).move_to([0, CHECK_Y, 0])
        self.say("The full product is exactly the dC/db1 the backward pass computes.",
                 FadeOut(self.box), FadeIn(self.check, shift=UP * 0.1),
                 Indicate(self.running, color=t.good), self.formula[0].animate.set_color(t.good), run_time=1.2)

    def factors_shrink(self) -> None:
        """Beat 10 (key picture): sigma' <= 1/4, so |w sigma'| < 1 while |w| < 4; large weights explode."""
        t, r = self.theme, self.res
        bound = Fraction(r.sigma_prime_max)
        self.shown["sigma_prime_max"] = bound
        limit = 1 / bound
        self.shown["weight_limit"] = float(limit)
        rule = VGroup(
            self.tex(rf"\sigma'(z) \le \tfrac{{{bound.numerator}}}{{{bound.denominator}}}", size=SIZE.small,
                     color=t.warn),
            self.text("so", SIZE.small, color=t.warn),
            self.tex(r"|w\,\sigma'(z)| < 1", size=SIZE.small, color=t.warn),
            self.text("while", SIZE.small, color=t.warn),
            self.tex(rf"|w| < {limit}", size=SIZE.small, color=t.warn),
        ).arrange(RIGHT, buff=0.15)
        self.note = rule.move_to([0, CHECK_Y, 0])
        pairs = VGroup(*[SurroundingRectangle(VGroup(*self.formula[2 + 2 * i: 2 + 2 * i + 3]), color=t.warn,
                                              buff=0.05)
                         for i, s in enumerate(r.symbols) if s.startswith("sigma'") and i + 1 < len(r.symbols) - 1])
        gone = [FadeOut(self.check)] + ([FadeOut(self.e_note)] if self.e_note is not None else [])
        self.say(f"Each slope sigma'(z) is at most {bound}, so a layer's factor |w sigma'(z)| "
                 f"is below 1 while |w| < {limit}.", *gone, FadeIn(self.note, shift=UP * 0.1), run_time=1.2)
        self.pair_boxes = pairs
        rectangle = number_of("rectangle")
        if all(abs(w) < 1 for w in r.weights):
            caption = (f"Here every |w| is below 1, so each factor is below {bound}, "
                       f"and the product shrinks layer by layer (chapter {rectangle}).")
        elif all(p < 1 for p in r.pair_factors):
            caption = f"Here every factor is below 1, so the product shrinks layer by layer (chapter {rectangle})."
        else:
            caption = "Here not every factor is below 1: a large weight can make the product grow."
        self.say(caption, Create(pairs), run_time=1.2)
        exploding = number_of("exploding")
        self.explode_note = self.text(f"|w| > {limit}: a factor can exceed 1, and the gradient grows "
                                      f"(exploding gradients, chapter {exploding})", SIZE.small, color=t.overflow)
        self.explode_note.move_to([0, NOTE_Y, 0])
        self.say(f"Large weights, |w| > {limit}, can make a factor exceed 1, and then the gradient grows: "
                 f"exploding gradients, chapter {exploding}.", FadeIn(self.explode_note, shift=UP * 0.1),
                 run_time=1.0)


__all__ = ["ForwardBackProp", "experiment", "tex_symbol", "inline_gradient", "e_notation"]
