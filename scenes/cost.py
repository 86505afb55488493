"""Chapter 2, "The cost": how wrong the net is, and how gradient descent makes it less wrong.

A small net [64, n_1, 10] (the lesson's width, activation, initialisation and seed) reads
one real handwritten digit x = a_0. Its ten outputs a = a_L are drawn as bars beside the
output neurons, the right answer y (one-hot) as an outlined bar, and the quadratic cost

    C = ½ Σ_i (a_i − y_i)²

is built from the column of squared misses. One weight w = W_L[j, k] is nudged by hand (Δw),
the real new C is computed, and its gradient ∂C/∂w says how fast C changes (ΔC ≈ ∂C/∂w · Δw,
shown) and, by its sign, which way. The nudge is then undone: gradient descent starts from
the same net whose cost was shown first, moving every weight and bias by −η ∂C/∂w over and
over; the bars walk to the right answer and C falls. Every number comes from
:func:`netsim.experiments.cost.cost_example`.

Render: ``.venv/bin/manim -ql scenes/cost.py TheCost``.
"""

from __future__ import annotations

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
from scenes.engine.common import LessonScene
from scenes.engine.drawn import nudge_drawn
from scenes.engine.i18n import t
from scenes.engine.lesson import Lesson, per_net
from scenes.engine.netdiagram import NetDiagram
from scenes.engine.style import SIZE, fmt_value, label

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
LEFT_X = -6.6          # left edge of the lines at the bottom
BOTTOM_Y = -2.06       # the first of them (the third stays above the subtitles' band)
LINE_GAP = 0.47
STEP_GAP = 1.36        # between the columns of the descent's table


@per_net
def experiment(lesson: Lesson) -> CostResult:
    """The experiment this scene shows for a lesson: its net's shallow net [64, n_1, 10]
    (computed once per net, learning rate and process)."""
    return cost_example(lesson.net.shallow(), sample=SAMPLE, eta=lesson.learning_rate)


def fmt(value: float) -> str:
    """A number as the scene writes it (the same text on screen and in captions)."""
    return fmt_value(float(value))


def tex_num(text: str) -> str:
    """A written number inside MathTex, where a word (overflow) stays upright. (The formatter's
    true minus sign is LaTeX's own minus: scenes.engine.common declares it.)"""
    sign = "−" if text.startswith("−") else ""
    body = text.removeprefix("−")
    return sign + (rf"\text{{{body}}}" if body.isalpha() else body)


class TheCost(LessonScene):
    """The outputs against the right answer, the quadratic cost C, ∂C/∂w, gradient descent."""

    def construct(self) -> None:
        self.res = experiment(self.lesson)
        # the neurons the diagram draws: the brightest pixels, all ten outputs, the nudged weight's ends
        self.drawn = nudge_drawn(self.res.pixels, self.res.sizes, (self.res.layer, self.res.j, self.res.k))
        self.show_digit_and_net()
        self.show_outputs_and_target()
        self.show_cost()
        self.nudge_one_weight()
        self.gradient_descent_rule()
        self.descend()
        self.end_chapter()

    # ---------- helpers ----------
    def rec(self, key: str, value: float) -> str:
        """``value`` as the scene writes it, recorded in ``shown[key]``."""
        self.shown[key] = float(value)
        return fmt(value)

    def num(self, key: str, value: float, size: int = SIZE.label, color: str | None = None) -> Text:
        """A recorded number as a Text."""
        return label(self.rec(key, value), self.theme, size, color=color)

    def line(self, tex: str, k: int, color: str | None = None) -> MathTex:
        """Line k of the bottom panel, left-aligned."""
        m = self.tex(tex, SIZE.label, color=color)
        return m.move_to([LEFT_X + m.width / 2, BOTTOM_Y - k * LINE_GAP, 0])

    def row_y(self, i: int) -> float:
        """The y of output neuron i (its bar row)."""
        return float(self.diagram.neuron(self.res.depth, i).get_center()[1])

    def bar(self, i: int, value: float) -> Rectangle:
        """Output i's bar of length a_i * BAR_LEN (a sliver when a_i is about 0)."""
        length = max(0.02, BAR_LEN * float(value))
        rect = Rectangle(width=length, height=BAR_HEIGHT, stroke_width=0,
                         fill_color=self.theme.forward, fill_opacity=0.9)
        return rect.move_to([BAR_LEFT + length / 2, self.row_y(i), 0])

    def bars(self, values: np.ndarray) -> VGroup:
        return VGroup(*[self.bar(i, v) for i, v in enumerate(values)])

    def column(self, prefix: str, values: np.ndarray, left: float, color: str | None = None) -> VGroup:
        """A column of ten recorded numbers, one per output row, left-aligned at ``left``."""
        col = VGroup()
        for i, v in enumerate(values):
            num = self.num(f"{prefix}_{i}", float(v), SIZE.small, color=color)
            col.add(num.move_to([left + num.width / 2, self.row_y(i), 0]))
        return col

    def cost_text(self, key: str, value: float) -> Text:
        """The cost panel's value, in place."""
        num = self.num(key, value, SIZE.heading, color=self.theme.warn)
        return num.move_to(self.cost_value, aligned_edge=LEFT)

    # ---------- beats ----------
    def show_digit_and_net(self) -> None:
        """Beat 1: the heading, a real handwritten digit and a small net of the lesson's kind."""
        r, th = self.res, self.theme
        self.heading = self.chapter_heading(t("The cost"), t("How wrong is the net?"))
        self.digit = self.digit_grid()
        self.shown["label"] = float(r.label)
        self.label_row = VGroup(self.text(t("label"), SIZE.small, color=th.muted),
                                label(str(r.label), th, SIZE.label, color=th.good)).arrange(RIGHT, buff=0.15)
        self.label_row.next_to(self.digit, DOWN, buff=0.3)
        self.diagram = NetDiagram(r.sizes, th, shown=self.drawn, width=NET_WIDTH, height=NET_HEIGHT)
        self.diagram.move_to(NET_CENTER)
        self.shown["sizes"] = [float(n) for n in r.sizes]
        sizes = VGroup(*[
            label(str(n), th, SIZE.small, color=th.muted).next_to(self.diagram.column(l), DOWN, buff=0.15)
            for l, n in enumerate(r.sizes)
        ])
        wires = VGroup(*[
            Line(self.pixel_squares[k].get_center(), self.diagram.neuron(0, k).get_left(),
                 stroke_color=th.muted, stroke_width=1, stroke_opacity=0.6)
            for k in self.drawn[0]
        ])
        self.add_foreground_mobject(self.digit)
        self.say(t("A small net reads one real handwritten {digit}: {pixels} pixels in, one output per digit.",
                   digit=r.label, pixels=r.sizes[0]),
                 FadeIn(self.heading), FadeIn(self.digit), FadeIn(self.label_row),
                 Create(self.diagram), FadeIn(sizes, wires), run_time=2.5)

    def show_outputs_and_target(self) -> None:
        """Beat 2: the forward pass, the ten outputs a as bars, the right answer y as an outline."""
        r, th = self.res, self.theme
        d = self.diagram
        self.names = VGroup(*[
            label(str(i), th, SIZE.small, color=th.muted).move_to([DIGIT_X, self.row_y(i), 0]) for i in range(10)
        ])
        self.bar_group = self.bars(r.output)
        self.a_col = self.column("a", r.output, A_COL)
        self.a_head = self.text(t("a: the net's answer"), SIZE.small, color=th.forward)
        self.a_head.move_to([BAR_LEFT + self.a_head.width / 2, self.row_y(0) + 0.5, 0])
        targets = VGroup()
        for i, y in enumerate(r.target):
            if y > 0:
                length = BAR_LEN * float(y)
                rect = Rectangle(width=length, height=BAR_HEIGHT + 0.08, stroke_color=th.good,
                                 stroke_width=3, fill_opacity=0)
                targets.add(rect.move_to([BAR_LEFT + length / 2, self.row_y(i), 0]))
        self.shown["target"] = [float(v) for v in r.target]
        y_head = self.text(t("y: the right answer"), SIZE.small, color=th.good)
        y_head.next_to(self.a_head, UP, buff=0.12, aligned_edge=LEFT)
        light = [d.activation_animation(l, a, th.forward) for l, a in enumerate(r.activations)]
        with self.beat(t("Its ten outputs, a, lie between 0 and 1; the right answer y is 1 for the "
                         "{digit}, else 0.", digit=r.label)):
            self.play(*light, FadeIn(self.names), FadeIn(self.bar_group, shift=RIGHT * 0.2), FadeIn(self.a_col),
                      FadeIn(self.a_head), run_time=1.5)
            self.play(Create(targets), FadeIn(y_head), run_time=1.0)

    def show_cost(self) -> None:
        """Beat 3: the squared misses (a − y)² and the quadratic cost C = ½ Σ (a − y)²."""
        r, th = self.res, self.theme
        self.sq_col = self.column("sq", r.sq_diffs, SQ_COL, color=th.backward)
        sq_head = self.tex(r"(a-y)^2", SIZE.small, color=th.backward)
        sq_head.move_to([SQ_COL + sq_head.width / 2, self.row_y(0) + 0.5, 0])
        name = self.text(t("the quadratic cost"), SIZE.small, color=th.muted)
        formula = self.tex(r"C = \frac{1}{2}\sum_i (a_i - y_i)^2", SIZE.small)
        cost = self.rec("cost", r.cost)
        self.cost_value = label(cost, th, SIZE.heading, color=th.warn)
        eq = VGroup(self.tex("C =", SIZE.heading), self.cost_value).arrange(RIGHT, buff=0.18)
        self.cost_value.align_to(eq[0], DOWN)
        self.panel = VGroup(name, formula, eq).arrange(DOWN, buff=0.25).move_to([PANEL_X, PANEL_Y, 0])
        self.say(t("One cost, the quadratic C = ½ Σ (a − y)², is half the sum of the squared misses, "
                   "0 if perfect: here C = {cost}.", cost=cost),
                 FadeIn(sq_head), FadeIn(self.sq_col, shift=RIGHT * 0.2), FadeIn(self.panel), run_time=1.5)

    def nudge_one_weight(self) -> None:
        """Beat 4: nudge one weight w; C really changes, and ∂C/∂w says how fast and which way."""
        r, th = self.res, self.theme
        self.edge = self.diagram.edge(r.layer, r.j, r.k)
        self.edge_style = (self.edge.get_stroke_color(), self.edge.get_stroke_width())
        self.w_tag = self.tex("w", SIZE.label, color=th.backward)
        self.w_tag.next_to(self.edge.point_from_proportion(0.55), UP, buff=0.08)
        w, w_new, dw = (tex_num(self.rec(k, v)) for k, v in (("w", r.w), ("w_new", r.w_new), ("delta_w", r.delta_w)))
        c0, c1, dc = (tex_num(self.rec(k, v)) for k, v in (("cost_before", r.cost), ("cost_new", r.cost_new),
                                                           ("delta_cost", r.delta_cost)))
        grad = self.rec("grad", r.grad)
        predicted = tex_num(self.rec("predicted_delta", r.predicted_delta))
        line1 = self.line(rf"w:\ {w} \;\rightarrow\; {w_new} \qquad \Delta w = {dw}", 0, color=th.backward)
        line2 = self.line(rf"C:\ {c0} \;\rightarrow\; {c1} \qquad \Delta C = {dc}", 1, color=th.warn)
        line3 = self.line(rf"\partial C/\partial w = {tex_num(grad)} \qquad "
                          rf"\partial C/\partial w \cdot \Delta w = {predicted} \;\approx\; \Delta C", 2)
        self.nudge_lines = VGroup(line1, line2, line3)

        out = r.output_new
        anims: list[Animation] = [Transform(self.bar_group, self.bars(out)),
                                  Transform(self.cost_value, self.cost_text("panel_cost_new", r.cost_new))]
        if r.layer == r.depth:  # only output j moves: its numbers change in place
            new_a = self.num(f"a_new_{r.j}", float(out[r.j]), SIZE.small).move_to(self.a_col[r.j], aligned_edge=LEFT)
            new_sq = self.num(f"sq_new_{r.j}", float((out[r.j] - r.target[r.j]) ** 2), SIZE.small,
                              color=th.backward).move_to(self.sq_col[r.j], aligned_edge=LEFT)
            anims += [Transform(self.a_col[r.j], new_a), Transform(self.sq_col[r.j], new_sq)]
        caption = t("Nudge one weight w and C changes. The partial derivative ∂C/∂w says how fast, its sign which way: "
                    "here {grad}.", grad=grad)
        with self.beat(caption):
            self.play(self.edge.animate.set_stroke(color=th.backward, width=5), FadeIn(self.w_tag), FadeIn(line1),
                      run_time=1.0)
            self.play(*anims, FadeIn(line2), run_time=1.2)
            self.play(FadeIn(line3), run_time=0.8)

    def gradient_descent_rule(self) -> None:
        """Beat 5: the nudge is undone; the rule w ← w − η ∂C/∂w, and the learning rate η."""
        r, th = self.res, self.theme
        eta = self.rec("eta", r.eta)
        self.rule = self.line(rf"w \leftarrow w - \eta\,\partial C/\partial w, \quad "
                              rf"b \leftarrow b - \eta\,\partial C/\partial b \qquad \eta = {tex_num(eta)}", 0)
        step_row = VGroup(self.text(t("steps"), SIZE.small, color=th.muted))
        cost_row = VGroup(self.tex("C", SIZE.label))
        for n, c in zip(r.checkpoints, r.descent_costs):
            step_row.add(self.num(f"step_{n}", n, SIZE.small, color=th.muted))
            cost_row.add(self.num(f"descent_cost_{n}", c, SIZE.label, color=th.warn))
        xs = [LEFT_X + 1.7 + STEP_GAP * i for i in range(len(cost_row) - 1)]
        for row, y in ((step_row, BOTTOM_Y - 0.55), (cost_row, BOTTOM_Y - 1.0)):
            row[0].move_to([LEFT_X + row[0].width / 2, y, 0])
            for x, num in zip(xs, row[1:]):
                num.move_to([x, y, 0])
        self.step_row, self.cost_row = step_row, cost_row
        undo = [Transform(self.bar_group, self.bars(r.descent_outputs[0])),
                Transform(self.cost_value, self.cost_text("panel_cost", r.descent_costs[0])),
                self.edge.animate.set_stroke(color=self.edge_style[0], width=self.edge_style[1]),
                FadeOut(self.w_tag), FadeOut(self.nudge_lines), FadeOut(self.a_col), FadeOut(self.sq_col)]
        self.say(t("Gradient descent moves every weight and bias against its gradient: w ← w − η ∂C/∂w, "
                   "learning rate η = {eta}.", eta=eta),
                 *undo, FadeIn(self.rule), FadeIn(step_row[:2]), FadeIn(cost_row[:2]), run_time=1.5)

    def descend(self) -> None:
        """Beat 6: back prop finds every gradient; the steps of descent, C falls, the net's answer."""
        r, th = self.res, self.theme
        start, end = self.rec("cost_start", r.cost), self.rec("cost_end", r.cost_end)
        self.shown["steps"] = float(r.steps)
        self.shown["final_prediction"] = float(r.final_prediction)
        # the steps fit one example, not training; the net's answer is right, or not
        fields = {"steps": r.steps, "start": start, "end": end, "answer": r.final_prediction, "label": r.label}
        right = r.final_prediction == r.label
        if end == start:
            caption = (t("{steps} steps on this one digit leave C at {start}; "
                         "the net answers {answer}.", **fields) if right else
                       t("{steps} steps on this one digit leave C at {start}; "
                         "the net answers {answer}, not {label}.", **fields))
        elif r.cost_end < r.cost:
            caption = (t("{steps} steps on this one digit take C from "
                         "{start} to {end}; the net answers {answer}.", **fields) if right else
                       t("{steps} steps on this one digit take C from "
                         "{start} to {end}; the net answers {answer}, not {label}.", **fields))
        else:
            caption = (t("{steps} steps on this one digit raise C from "
                         "{start} to {end}; the net answers {answer}.", **fields) if right else
                       t("{steps} steps on this one digit raise C from "
                         "{start} to {end}; the net answers {answer}, not {label}.", **fields))
        with self.beat(caption, hold=0.5):
            # the steps start with the cue that tells them
            wait = self.cue_start(caption, f"{r.steps} ")
            if wait > 0:
                self.wait(wait)
            for i in range(1, len(r.checkpoints)):
                out = r.descent_outputs[i]
                self.play(FadeIn(self.step_row[i + 1]), FadeIn(self.cost_row[i + 1]),
                          Transform(self.bar_group, self.bars(out)),
                          Transform(self.cost_value, self.cost_text(f"panel_cost_{i}", r.descent_costs[i])),
                          self.diagram.activation_animation(r.depth, out, th.forward), run_time=0.45)
            final = r.descent_outputs[-1]
            self.a_col = self.column("final_a", final, A_COL)
            self.sq_col = self.column("final_sq", (final - r.target) ** 2, SQ_COL, color=th.backward)
            k = r.final_prediction
            box = SurroundingRectangle(VGroup(self.names[k], self.a_col[k]), color=th.warn, buff=0.06,
                                       stroke_width=2)
            self.play(FadeIn(self.a_col), FadeIn(self.sq_col), Create(box), run_time=1.0)

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
            for k in self.drawn[0]
        ])
        return VGroup(squares, outlines).move_to(DIGIT_CENTER)
