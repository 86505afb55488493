"""Chapter 5, "Forward prop, back prop": numbers flow left to right, gradients right to left.

The picture is a chain of one sigmoid neuron per layer, x -> a_1 -> a_2 -> a_3 -> a_4
(always sigmoid, whatever the lesson's activation: the chapter explains sigma'). Its weights
and biases are drawn from the lesson's seed; input x = 1, target y = 0, quadratic cost (see
:mod:`netsim.experiments.backprop`).

Beats:

1. Title.
2. The chain: input x, four neurons, weights w_1 .. w_4 on the edges.
3. Forward prop, LEFT TO RIGHT: a_l = sigma(w_l a_{l-1} + b_l) lights up neuron by neuron.
4. The cost at the output: target y, C = (a_4 - y)^2 / 2.
5. Back prop goes the other way: it STARTS AT THE OUTPUT and moves right to left.
6. Five gradients to find: dC/dw_1 .. dC/dw_4 and dC/db_1 (empty slots on the chain).
7. The chain rule's product for dC/db_1 (MathTex).
8. Back prop, factor by factor from the right: the current factor is boxed, its value appears
   under it, a brace spans the factors multiplied so far with the running product under it
   (updated in place), and each gradient fills its slot as soon as the running product
   reaches delta_l: dC/dw_4, dC/dw_3, dC/dw_2, then dC/dw_1 and dC/db_1.
9. The product equals the backward pass's dC/db_1.
10. Every sigma'(z) is at most 1/4, so the product shrinks (chapter 6). Key picture; fade.

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
from scenes.common import LessonScene, current_lesson
from scenes.lesson import Lesson
from scenes.netdiagram import NetDiagram
from scenes.style import SIZE

LESSON = current_lesson()

log = logging.getLogger(__name__)

READING_SPEED = 15.0  # caption characters per second
# Layout (scene units; the frame is 14.2 x 8).
CHAIN_X = -0.6
CHAIN_Y = 1.85
CHAIN_WIDTH = 10.0
NEURON_RADIUS = 0.34
VALUE_GAP = 0.5        # activation value above a neuron's centre
GRAD_SYMBOL_Y = 1.05   # the gradient slots under the chain
GRAD_VALUE_GAP = 0.12
BIAS_DROP = 0.62       # the bias slot sits lower than the weight slots (they are close)
ARROW_Y = -0.3
FORMULA_Y = -1.05
FORMULA_SIZE = 40
ROW_GAP = 0.22         # formula -> factor values
BRACE_GAP = 0.08
CHECK_Y = -2.95
NOTE_Y = -3.47
STEP = 0.9             # seconds of one back-prop factor


@lru_cache(maxsize=4)
def experiment(lesson: Lesson) -> BackpropChain:
    """The numbers this scene shows for ``lesson``: its seed draws the chain's weights and biases."""
    return backprop_chain(seed=lesson.seed)


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


class ForwardBackProp(LessonScene):
    """Forward prop left to right; back prop right to left from the output, factor by factor."""

    #: Stop before the final fade (the golden test of the key picture sets this).
    skip_end = False

    def construct(self) -> None:
        self.res = experiment(self.lesson)
        log.debug("factors %s, running %s", self.res.factors, self.res.partial_products)
        self.captions: list[str] = []
        self.gradient_order: list[str] = []
        self.title_beat()
        self.show_the_chain()
        self.forward_prop()
        self.cost_at_the_output()
        self.back_prop_direction()
        self.five_gradients()
        self.chain_rule_product()
        self.back_prop_steps()
        self.check_against_backward()
        self.factors_shrink()
        if not self.skip_end:
            self.end_chapter("Forward goes left to right; back prop, right to left.")

    # ---------- helpers ----------
    def say(self, caption: str, *anims: Animation, run_time: float = 1.0, hold: float = 0.5) -> None:
        """Play ``anims`` under ``caption``, then hold until the caption can be read."""
        total = max(run_time + hold, len(caption) / READING_SPEED)
        self.captions.append(caption)
        if anims:
            self.play(*anims, run_time=run_time, subcaption=caption, subcaption_duration=total)
            self.wait(total - run_time)
        else:
            self.add_subcaption(caption, duration=total)
            self.wait(total)

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
        out_is = self.text("output", SIZE.small, color=t.muted).next_to(self.net.neuron(L, 0), DOWN, buff=0.12)
        self.ends = VGroup(x_is, out_is)
        self.say(f"The simplest deep net: a chain of {L} sigmoid neurons, one per layer.",
                 Create(self.net), FadeIn(self.names), FadeIn(self.w_labels), FadeIn(self.a_values[0]),
                 FadeIn(self.ends), run_time=1.6)

    def forward_prop(self) -> None:
        """Beat 3: forward prop, left to right: each a_l = sigma(w_l a_{l-1} + b_l) in turn."""
        t, r = self.theme, self.res
        L = r.layers
        self.forward_arrow = Arrow([self.neuron_x(0), ARROW_Y, 0], [self.neuron_x(L), ARROW_Y, 0], buff=0,
                                   color=t.forward, stroke_width=5, max_tip_length_to_length_ratio=0.03)
        self.forward_words = self.text("forward prop: left to right, input to output", SIZE.small,
                                       color=t.forward).next_to(self.forward_arrow, DOWN, buff=0.12)
        caption = ("Forward prop runs left to right: x feeds a1, a1 feeds a2, "
                   f"and so on up to the output a{L}.")
        self.captions.append(caption)
        per = 0.75
        total = max(per * (L + 1) + 0.6, len(caption) / READING_SPEED)
        self.play(GrowArrow(self.forward_arrow), FadeIn(self.forward_words), run_time=per,
                  subcaption=caption, subcaption_duration=total)
        for layer in range(1, L + 1):
            a = r.activations[layer]
            self.a_values[layer] = self.value(f"a_{layer}", a)
            self.a_values[layer].move_to([self.neuron_x(layer), CHAIN_Y + VALUE_GAP + 0.12, 0])
            edge = self.net.edge(layer, 0, 0)
            neuron = self.net.neuron(layer, 0)
            self.play(edge.animate.set_stroke(color=t.forward),
                      neuron.animate.set_fill(t.forward, opacity=0.15 + 0.5 * a),
                      FadeIn(self.a_values[layer], shift=RIGHT * 0.2), run_time=per)
        self.wait(total - per * (L + 1))

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

    def five_gradients(self) -> None:
        """Beat 6: the gradients to find: one per weight and the first bias (empty slots)."""
        t, r = self.theme, self.res
        self.slots: dict[str, VGroup] = {}
        anims: list[Animation] = []
        for name in r.gradient_names:
            sym = self.tex(inline_gradient(name), size=SIZE.small, color=t.muted)
            kind, layer = name[4], int(name[5:])
            if kind == "w":
                sym.move_to([self.edge_mid_x(layer), GRAD_SYMBOL_Y, 0])
            else:
                sym.move_to([self.neuron_x(layer), GRAD_SYMBOL_Y - BIAS_DROP, 0])
            mark = self.text("?", SIZE.small, color=t.muted).next_to(sym, DOWN, buff=GRAD_VALUE_GAP)
            self.slots[name] = VGroup(sym, mark)
            anims.append(FadeIn(self.slots[name], shift=DOWN * 0.1))
        n_w = sum(1 for n in r.gradient_names if "dw" in n)
        n_b = len(r.gradient_names) - n_w
        self.say(f"There are {len(r.gradient_names)} gradients to find here: "
                 f"{n_w} for the weights and {n_b} for a bias, b1.", *anims, run_time=1.2)

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
                 FadeOut(self.back_words), Write(self.formula), run_time=1.8)

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
        part = self.factor_tex[i]
        value = self.value(f"factor_{i}", r.factors[i], color=t.backward)
        value.next_to(part, DOWN, buff=ROW_GAP)
        value.set_y(self.formula.get_bottom()[1] - ROW_GAP - value.height / 2)
        self.factor_values.add(value)
        box = SurroundingRectangle(part, color=t.warn, buff=0.06)
        visited = VGroup(*self.factor_tex[i:], *self.factor_values)
        brace = Brace(visited, DOWN, buff=BRACE_GAP, color=t.backward)
        running = self.value(f"running_{k}", r.partial_products[k], color=t.text, size=SIZE.label)
        label = VGroup(self.text("running product:", SIZE.small, color=t.muted), running)
        label.arrange(RIGHT, buff=0.15).next_to(brace, DOWN, buff=0.06)
        label.set_x(min(label.get_x(), 7.0 - 0.3 - label.width / 2))
        anims: list[Animation] = [part.animate.set_color(t.backward), FadeIn(value, shift=DOWN * 0.1),
                                  self._diagram_part(r.symbols[i])]
        if self.box is None:
            self.box, self.brace, self.running = box, brace, label
            anims += [Create(box), FadeIn(brace), FadeIn(label)]
        else:
            anims += [Transform(self.box, box), Transform(self.brace, brace),
                      ReplacementTransform(self.running, label)]
            self.running = label
        return anims

    def _fill_gradients(self, k: int) -> list[Animation]:
        """Fill every gradient slot that reuses running product k (dC/dw_l = a_{l-1} delta_l)."""
        t, r = self.theme, self.res
        anims: list[Animation] = []
        for name, g, step in zip(r.gradient_names, r.gradients, r.gradient_steps):
            if step != k:
                continue
            sym, mark = self.slots[name]
            v = self.value(f"grad_{name}", g, color=t.backward).next_to(sym, DOWN, buff=GRAD_VALUE_GAP)
            self.gradient_order.append(name)
            anims += [sym.animate.set_color(t.text), ReplacementTransform(mark, v)]
            self.slots[name] = VGroup(sym, v)
        return anims

    def back_prop_steps(self) -> None:
        """Beat 8: multiply the factors from the right; each gradient reuses the product so far."""
        r = self.res
        L = r.layers
        self.factor_values = VGroup()
        self.box: SurroundingRectangle | None = None
        groups: list[tuple[str, list[int]]] = []
        first_grad = r.gradient_steps[0]
        groups.append((f"Start at the output: dC/da{L} = a{L} - y, how fast C changes with a{L}.",
                       [0]))
        groups.append((f"Times the slope sigma'(z{L}); times a{L - 1}, that is the first gradient, dC/dw{L}.",
                       list(range(1, first_grad + 1))))
        steps = list(r.gradient_steps)
        distinct = sorted(set(steps))
        for prev, cur in zip(distinct, distinct[1:]):
            names = [n for n, s in zip(r.gradient_names, steps) if s == cur]
            ks = list(range(prev + 1, cur + 1))
            syms = " and ".join(r.symbols[r.backprop_order[k]] for k in ks)
            if len(names) == 1:
                caption = f"Reuse it, one layer left: times {syms} gives {names[0]}."
            else:
                caption = (f"Last layer: times {syms}. That gives {names[0]}, "
                           f"and the product itself is {' '.join(names[1:])}.")
            groups.append((caption, ks))
        for caption, ks in groups:
            self.captions.append(caption)
            n_plays = len(ks) + sum(1 for k in ks if k in steps)
            total = max(n_plays * STEP + 0.6, len(caption) / READING_SPEED)
            first = True
            for k in ks:
                extra = {"subcaption": caption, "subcaption_duration": total} if first else {}
                first = False
                self.play(*self._visit(k), run_time=STEP, **extra)
                if k in steps:
                    self.play(*self._fill_gradients(k), run_time=STEP)
            self.wait(total - n_plays * STEP)

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
        """Beat 10 (key picture): every sigma'(z) is at most 1/4, so the product shrinks."""
        t, r = self.theme, self.res
        bound = Fraction(r.sigma_prime_max)
        self.shown["sigma_prime_max"] = bound
        rule = self.tex(rf"\sigma'(z) \le \frac{{{bound.numerator}}}{{{bound.denominator}}}", size=SIZE.small,
                        color=t.warn)
        words = self.text("in every layer, so the product keeps shrinking (chapter 6)", SIZE.small, color=t.warn)
        self.note = VGroup(rule, words).arrange(RIGHT, buff=0.2).move_to([0, NOTE_Y, 0])
        slopes = [self.factor_tex[i] for i, s in enumerate(r.symbols) if s.startswith("sigma'")]
        boxes = VGroup(*[SurroundingRectangle(p, color=t.warn, buff=0.05) for p in slopes])
        self.say(f"Each slope sigma'(z) is at most {bound}, so unless the weights are large, every layer "
                 "shrinks the product. "
                 "More in chapter 6.",
                 FadeIn(self.note, shift=UP * 0.1), Create(boxes), run_time=1.4)
        self.slope_boxes = boxes
        self.say("Start at the output, multiply leftwards.", hold=2.0, run_time=0.0)


__all__ = ["ForwardBackProp", "experiment", "tex_symbol", "inline_gradient", "LESSON"]
