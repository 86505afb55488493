"""Chapter 2, "The cost": how wrong the net is, and how one weight changes that.

A small net [64, n_1, 10] (the lesson's width, activation, initialisation and seed) reads
one real handwritten digit x = a_0. Its ten outputs a = a_L are drawn as bars beside the
output neurons, the right answer y (one-hot) as an outlined bar, and the cost

    C = ||a - y||^2 / 2 = sum_i (a_i - y_i)^2 / 2      (quadratic)

is built from the column of squared differences. Then one weight w = W_L[j, k] is nudged
by hand (Delta w), the real new C is computed, and the gradient dC/dw from the backward
pass predicts the change: Delta C ~ dC/dw * Delta w. Last, training: every weight and bias
is nudged by -eta dC/dw over and over; the bars walk to the right answer and C drops.
Every number comes from :func:`netsim.experiments.cost.cost_example`.

Render: ``.venv/bin/manim -ql scenes/cost.py TheCost``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Create,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Rectangle,
    Square,
    SurroundingRectangle,
    Text,
    Transform,
    VGroup,
)

from netsim.experiments.cost import CostResult, cost_example
from netsim.format import fmt_value
from scenes.common import LessonScene
from scenes.lesson import Lesson
from scenes.netdiagram import NetDiagram
from scenes.style import SIZE, label

#: The digit of the data set (the same one chapter 7 sends through its deep net).
SAMPLE = 0

# Layout (scene units; the frame is 14.2 x 8).
PIXEL = 0.2
DIGIT_CENTER = np.array([-6.0, 0.5, 0.0])
NET_CENTER = np.array([-2.55, 0.5, 0.0])
NET_WIDTH = 3.3
NET_HEIGHT = 3.6
DIGIT_X = -0.33        # the digit names 0..9 right of the output neurons
BAR_LEFT = -0.1        # bars start here; a = 1 is BAR_LEN long
BAR_LEN = 1.8
BAR_HEIGHT = 0.24
A_COL = 1.85           # left edge of the a column
SQ_COL = 2.95          # left edge of the (a - y)^2 column
PANEL_X = 5.45         # centre of the cost panel
PANEL_Y = 1.2
BOTTOM_Y = -2.18       # first line of the bottom panel
LINE_GAP = 0.46


@lru_cache(maxsize=4)
def experiment(lesson: Lesson) -> CostResult:
    """The experiment this scene shows for a lesson (computed once per lesson and process)."""
    return cost_example([64, lesson.width, 10], activation=lesson.activation, init=lesson.init,
                        bias_init=lesson.bias_init, seed=lesson.seed, sample=SAMPLE,
                        eta=lesson.learning_rate)


def fmt(value: float, digits: int = 3) -> str:
    """A number as the scene writes it (the same text on screen and in captions)."""
    return fmt_value(float(value), digits)


class TheCost(LessonScene):
    """Predicted output vs the right answer, the cost C, a nudge, and the gradient dC/dw."""

    #: Stop before the final fade (the golden test of the key picture sets this).
    skip_end = False

    def construct(self) -> None:
        self.res = experiment(self.lesson)
        self.title_beat()
        self.show_digit_and_net()
        self.show_outputs()
        self.show_target()
        self.show_cost()
        self.nudge_one_weight()
        self.show_gradient()
        self.train_over_and_over()
        self.hold_key_picture()
        if not self.skip_end:
            self.end_chapter("The cost says how wrong; the gradient says which way to nudge.")

    # ---------- helpers ----------
    def sentence(self, *parts: str | tuple, size: int = SIZE.label) -> Text:
        """One line of text with numbers in it: ``(key, value)`` or ``(key, value, digits)``
        parts are recorded in ``shown`` and written like :func:`fmt` (one Text: one baseline)."""
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            else:
                key, value, *digits = part
                self.shown[key] = float(value)
                out.append(fmt(value, *digits))
        return self.text("".join(out), size)

    def num(self, key: str, value: float, size: int = SIZE.label, digits: int = 3,
            color: str | None = None) -> Text:
        """A recorded number written with ``digits`` significant figures."""
        self.shown[key] = float(value)
        return label(fmt(value, digits), self.theme, size, color=color)

    def row_y(self, i: int) -> float:
        """The y of output neuron i (its bar row)."""
        return float(self.diagram.neuron(self.res.depth, i).get_center()[1])

    def bar(self, i: int, value: float) -> Rectangle:
        """Output i's bar of length a_i * BAR_LEN (a sliver when a_i is about 0)."""
        length = max(0.02, BAR_LEN * float(value))
        rect = Rectangle(width=length, height=BAR_HEIGHT, stroke_width=0,
                         fill_color=self.theme.forward, fill_opacity=0.9)
        return rect.move_to([BAR_LEFT + length / 2, self.row_y(i), 0])

    def column(self, prefix: str, values: np.ndarray, left: float) -> VGroup:
        """A column of ten recorded numbers, one per output row, left-aligned at ``left``."""
        col = VGroup()
        for i, v in enumerate(values):
            t = self.num(f"{prefix}_{i}", float(v), SIZE.small)
            col.add(t.move_to([left + t.width / 2, self.row_y(i), 0]))
        return col

    # ---------- beats ----------
    def title_beat(self) -> None:
        """Beat 1: the chapter title."""
        self.heading = self.chapter_heading("The cost", "How wrong is the net?")
        self.say("First, how do we tell a net it is wrong?", FadeIn(self.heading), run_time=1.2)

    def show_digit_and_net(self) -> None:
        """Beat 2: a real handwritten digit and a small net of the lesson's kind."""
        r, th = self.res, self.theme
        self.digit = self.digit_grid()
        self.label_row = VGroup(self.text("label", SIZE.small, color=th.muted),
                                self.num("label", r.label, SIZE.label, color=th.good)).arrange(RIGHT, buff=0.15)
        self.label_row.next_to(self.digit, DOWN, buff=0.3)
        self.diagram = NetDiagram(r.sizes, th, shown=r.drawn, width=NET_WIDTH, height=NET_HEIGHT)
        self.diagram.move_to(NET_CENTER)
        self.shown["sizes"] = [float(n) for n in r.sizes]
        sizes = VGroup(*[
            self.text(str(n), SIZE.small, color=th.muted).next_to(self.diagram.column(l), DOWN, buff=0.15)
            for l, n in enumerate(r.sizes[:-1])
        ])
        sizes.add(self.text(str(r.sizes[-1]), SIZE.small, color=th.muted)
                  .next_to(self.diagram.column(r.depth), DOWN, buff=0.15))
        wires = VGroup(*[
            Line(self.pixel_squares[k].get_center(), self.diagram.neuron(0, k).get_left(),
                 stroke_color=th.muted, stroke_width=1, stroke_opacity=0.6)
            for k in r.drawn[0]
        ])
        self.add_foreground_mobject(self.digit)
        self.net_group = VGroup(self.diagram, sizes, wires)
        self.say(f"A small net gets one real handwritten digit: 64 pixels in, one output for each "
                 f"digit 0 to 9. This one is a {r.label}.",
                 FadeIn(self.digit), FadeIn(self.label_row), Create(self.diagram), FadeIn(sizes, wires),
                 run_time=2.5)

    def show_outputs(self) -> None:
        """Beat 3: the forward pass and the ten output activations a as bars."""
        r, th = self.res, self.theme
        d = self.diagram
        self.names = VGroup(*[
            self.text(str(i), SIZE.small, color=th.muted).move_to([DIGIT_X, self.row_y(i), 0])
            for i in range(10)
        ])
        self.bars = VGroup(*[self.bar(i, v) for i, v in enumerate(r.output)])
        self.a_col = self.column("a", r.output, A_COL)
        a_head = self.text("a: the net's answer", SIZE.small, color=th.forward)
        a_head.move_to([BAR_LEFT + a_head.width / 2, self.row_y(0) + 0.5, 0])
        self.a_head = a_head
        light = [d.activation_animation(l, a, th.forward) for l, a in enumerate(r.activations)]
        self.say("Untrained, with random weights, it answers with ten numbers between 0 and 1, "
                 "one per digit: its outputs a.",
                 *light, FadeIn(self.names), FadeIn(self.bars, shift=RIGHT * 0.2), FadeIn(self.a_col),
                 FadeIn(a_head), run_time=2.0)
        guess = list(r.output).index(max(r.output))
        self.guess_box = SurroundingRectangle(VGroup(self.names[guess], self.bars[guess], self.a_col[guess]),
                                              color=th.warn, buff=0.06, stroke_width=2)
        self.shown["prediction"] = float(r.prediction)
        self.say(f"Its biggest output is for {r.prediction}: the untrained net guesses {r.prediction}.",
                 Create(self.guess_box))

    def show_target(self) -> None:
        """Beat 4: the right answer y, one-hot: 1 for the label, 0 for the rest."""
        r, th = self.res, self.theme
        self.targets = VGroup()
        for i, y in enumerate(r.target):
            if y > 0:
                length = BAR_LEN * float(y)
                rect = Rectangle(width=length, height=BAR_HEIGHT + 0.08, stroke_color=th.good,
                                 stroke_width=3, fill_opacity=0)
                self.targets.add(rect.move_to([BAR_LEFT + length / 2, self.row_y(i), 0]))
        self.shown["target"] = [float(v) for v in r.target]
        y_head = self.text("y: the right answer", SIZE.small, color=th.good)
        y_head.next_to(self.a_head, UP, buff=0.12, aligned_edge=LEFT)
        self.y_head = y_head
        self.say(f"The right answer y is 1 for a {r.label} and 0 for every other digit "
                 "(the green outline).", FadeOut(self.guess_box), Create(self.targets), FadeIn(y_head),
                 run_time=1.5)

    def show_cost(self) -> None:
        """Beat 5: the squared differences (a - y)^2 and their half-sum, the cost C."""
        r, th = self.res, self.theme
        self.sq_col = self.column("sq", r.sq_diffs, SQ_COL)
        sq_head = MathTex(r"(a-y)^2", font_size=30, color=th.backward)
        sq_head.move_to([SQ_COL + sq_head.width / 2, self.row_y(0) + 0.5, 0])
        self.sq_col.set_color(th.backward)
        formula = MathTex(r"C = \tfrac{1}{2}\sum_i (a_i - y_i)^2", font_size=26, color=th.text)
        name = self.text("the cost", SIZE.small, color=th.muted)
        self.cost_value = self.num("cost", r.cost, SIZE.heading, digits=4, color=th.warn)
        eq = VGroup(MathTex("C =", font_size=40, color=th.text), self.cost_value).arrange(RIGHT, buff=0.18)
        self.cost_value.align_to(eq[0], DOWN)
        self.panel = VGroup(name, formula, eq).arrange(DOWN, buff=0.25)
        self.panel.move_to([PANEL_X, PANEL_Y, 0])
        self.sq_head = sq_head
        self.say("Square each gap between answer and truth: tiny when they agree, big when they don't.",
                 FadeIn(sq_head), FadeIn(self.sq_col, shift=RIGHT * 0.2), run_time=1.5)
        self.say(f"Add the squares and halve the sum: that is the cost C = {fmt(r.cost, 4)}. "
                 "Zero would mean a perfect answer.", FadeIn(self.panel), run_time=1.5)

    def nudge_one_weight(self) -> None:
        """Beat 6: change one weight w by a small step; the output and C really change."""
        r, th = self.res, self.theme
        edge = self.diagram.edge(r.layer, r.j, r.k)
        w_tag = MathTex("w", font_size=34, color=th.backward)
        w_tag.next_to(edge.point_from_proportion(0.55), UP, buff=0.08)
        self.w_tag = w_tag
        line1 = self.sentence("Nudge one weight w:  ", ("w", r.w), "  \u2192  ", ("w_new", r.w_new),
                              "     (a step \u0394w = ", ("delta_w", r.delta_w), ")")
        line2 = self.sentence("The cost C:  ", ("cost_before", r.cost, 4), "  \u2192  ",
                              ("cost_new", r.cost_new, 4), "     (a change \u0394C = ",
                              ("delta_cost", r.delta_cost), ")")
        line1.move_to([0, BOTTOM_Y, 0]).to_edge(LEFT, buff=0.6)
        line2.next_to(line1, DOWN, buff=LINE_GAP - line1.height, aligned_edge=LEFT)
        self.nudge_lines = VGroup(line1, line2)

        new_bars = VGroup(*[self.bar(i, v) for i, v in enumerate(r.output_new)])
        self.say(f"Training means nudging weights. Take one weight w, into output {r.j}, "
                 "and change it a little.",
                 edge.animate.set_stroke(color=th.backward, width=5), FadeIn(w_tag), FadeIn(line1),
                 run_time=1.5)
        new_a = self.num(f"a_new_{r.j}", float(r.output_new[r.j]), SIZE.small)
        new_a.move_to(self.a_col[r.j], aligned_edge=LEFT)
        new_sq = self.num(f"sq_new_{r.j}", float((r.output_new[r.j] - r.target[r.j]) ** 2), SIZE.small,
                          color=th.backward).move_to(self.sq_col[r.j], aligned_edge=LEFT)
        new_cost = self.num("panel_cost_new", r.cost_new, SIZE.heading, digits=4, color=th.warn)
        new_cost.move_to(self.cost_value, aligned_edge=LEFT)
        anims: list[Animation] = [Transform(self.bars, new_bars), FadeIn(line2)]
        if r.layer == r.depth:
            anims += [Transform(self.a_col[r.j], new_a), Transform(self.sq_col[r.j], new_sq)]
        anims.append(Transform(self.cost_value, new_cost))
        down = "drops" if r.delta_cost < 0 else "rises"
        self.say(f"Output {r.j} moves, and the cost {down} a little: "
                 f"from {fmt(r.cost, 4)} to {fmt(r.cost_new, 4)}.", *anims, run_time=1.5)

    def show_gradient(self) -> None:
        """Beat 7: dC/dw from the backward pass predicts Delta C ~ dC/dw * Delta w."""
        r = self.res
        line3 = self.sentence("Its gradient, from back prop:  dC/dw = ", ("grad", r.grad))
        line4 = self.sentence("Predicted: \u0394C \u2248 dC/dw \u00d7 \u0394w = ", ("check_grad", r.grad),
                              " \u00d7 (", ("check_delta_w", r.delta_w), ") = ",
                              ("predicted_delta", r.predicted_delta), "      measured: ",
                              ("measured_delta", r.delta_cost))
        for line, above in ((line3, self.nudge_lines[1]), (line4, line3)):
            line.next_to(above, DOWN, buff=LINE_GAP - line.height, aligned_edge=LEFT)
        self.grad_lines = VGroup(line3, line4)
        self.say("The gradient dC/dw says how fast C changes as w changes. "
                 f"Back prop finds it for every weight at once; this one's is {fmt(r.grad)}.",
                 FadeIn(line3), run_time=1.2)
        self.say(f"The gradient times the nudge predicts the change, {fmt(r.predicted_delta)}, "
                 f"and the real change was {fmt(r.delta_cost)}.",
                 FadeIn(line4), run_time=1.5)
        sign = "positive" if r.grad > 0 else "negative"
        way = "down" if r.grad > 0 else "up"
        self.say(f"Its sign gives the way: dC/dw is {sign}, so moving w {way} lowers the cost.")

    def train_over_and_over(self) -> None:
        """Beat 8: nudge every weight and bias by -eta dC/dw, over and over: C drops."""
        r, th = self.res, self.theme
        rule = self.sentence("Training: every weight and bias, over and over:   "
                             "w \u2190 w \u2212 \u03b7 \u00d7 dC/dw,   \u03b7 = ", ("eta", r.eta))
        rule.move_to([0, BOTTOM_Y, 0]).to_edge(LEFT, buff=0.6)
        table = VGroup()
        step_row = VGroup(self.text("steps", SIZE.small, color=th.muted))
        cost_row = VGroup(self.text("C", SIZE.label))
        for n, c in zip(r.checkpoints, r.descent_costs):
            step_row.add(self.num(f"step_{n}", n, SIZE.small, color=th.muted))
            cost_row.add(self.num(f"descent_cost_{n}", c, SIZE.label, color=th.warn))
        left = rule.get_left()[0]
        xs = [left + 1.6 + 1.36 * i for i in range(len(cost_row) - 1)]
        for row, y in ((step_row, BOTTOM_Y - 0.62), (cost_row, BOTTOM_Y - 1.12)):
            row[0].move_to([left + row[0].width / 2, y, 0])
            for x, t in zip(xs, row[1:]):
                t.move_to([x, y, 0])
            table.add(row)
        self.descent_table = table

        self.say("Back prop finds every gradient at once. Gradient descent then nudges every weight "
                 "and bias against its gradient, over and over.",
                 FadeOut(self.nudge_lines), FadeOut(self.grad_lines), FadeIn(rule),
                 FadeOut(self.a_col), FadeOut(self.sq_col), FadeIn(step_row[0]), FadeIn(cost_row[0]),
                 run_time=1.2)
        self.say(f"Each nudge is eta times the gradient. Eta, the learning rate, sets the step size: "
                 f"here eta = {self.inline('eta', r.eta)}.")
        self.rule = rule
        caption = (f"The bars walk toward the right answer and C falls: {fmt(r.descent_costs[0])} "
                   f"at the start, {fmt(r.descent_costs[-1])} after {r.checkpoints[-1]} steps.")
        per_step = 0.7
        with self.beat(caption, hold=1.0):
            for i, out in enumerate(r.descent_outputs):
                bars = VGroup(*[self.bar(b, v) for b, v in enumerate(out)])
                value = self.cost_row_value(r.descent_costs[i])
                anims: list[Animation] = [FadeIn(step_row[i + 1]), FadeIn(cost_row[i + 1]),
                                          Transform(self.bars, bars), Transform(self.cost_value, value),
                                          self.diagram.activation_animation(r.depth, out, th.forward)]
                self.play(*anims, run_time=per_step)
        self.a_col = self.column("final_a", r.descent_outputs[-1], A_COL)
        self.sq_col = self.column("final_sq", (r.descent_outputs[-1] - r.target) ** 2, SQ_COL)
        self.sq_col.set_color(th.backward)
        self.shown["final_prediction"] = float(r.final_prediction)
        verdict = (f"Now the net answers {r.final_prediction}"
                   + (", the right digit. " if r.final_prediction == r.label else ". ")
                   + "Real training does this over thousands of digits.")
        self.say(verdict, FadeIn(self.a_col), FadeIn(self.sq_col), run_time=1.2)

    def cost_row_value(self, cost: float) -> Text:
        """The cost panel's value during training: the same text as in the table row."""
        value = label(fmt(cost), self.theme, SIZE.heading, color=self.theme.warn)
        return value.move_to(self.cost_value, aligned_edge=LEFT)

    def hold_key_picture(self) -> None:
        """Beat 9: hold the chapter's picture."""
        self.say("Cost: how wrong the net is. Gradient: which way, and how hard, to nudge each weight.",
                 run_time=2.0)

    # ---------- pieces ----------
    def digit_grid(self) -> VGroup:
        """The 8x8 input image as squares, brightness = pixel value, as in chapter 7."""
        th = self.theme
        squares = VGroup()
        for row in range(8):
            for col in range(8):
                v = float(self.res.pixels[row, col])
                sq = Square(PIXEL, stroke_color=th.muted, stroke_width=0.5,
                            fill_color=th.text, fill_opacity=0.04 + 0.96 * v)
                squares.add(sq.move_to([col * PIXEL, -row * PIXEL, 0]))
        self.pixel_squares = squares
        outlines = VGroup(*[
            Square(PIXEL, stroke_color=th.forward, stroke_width=2.5).move_to(squares[k])
            for k in self.res.drawn[0]
        ])
        return VGroup(squares, outlines).move_to(DIGIT_CENTER)
