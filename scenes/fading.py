"""Chapter 8: gradients fading across a deep net.

One real digit goes forward through the lesson's deep net (left to right: z_l = W_l a_{l-1}
+ b_l, a_l = sigma(z_l), neurons lit by their activation a_l). The cost switches, said and
shown, from chapter 2's quadratic cost to the cross-entropy (whose output error is simply
delta_L = a_L - y). Then back prop sweeps right to left from the output, delta_l = dC/dz_l:
each drawn edge takes the colour and width of its own |dC/dW_l[j, k]| = |delta_l[j]
a_{l-1}[k]| on a log scale, and a bar per layer shows ||dC/db_l|| = ||delta_l||. The log
scale, e-notation and ||.|| are defined on screen here, for the whole episode. The
headline compares hidden layers with hidden layers (layer 1 with layer L-1), and Nielsen's
published norms are set beside ours, with why they differ. Every number comes from
:func:`netsim.experiments.fading.fading`.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    AnimationGroup,
    DashedLine,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Line,
    Rectangle,
    Succession,
    VGroup,
)

from netsim.experiments.fading import FadingResult, fading
from scenes.chapters import number_of
from scenes.common import LessonScene
from scenes.netdiagram import (
    DEEP_NET_CENTER,
    DEEP_NET_HEIGHT,
    DEEP_NET_SAMPLE,
    DEEP_NET_WIDTH,
    DIGIT_X,
    NetDiagram,
    digit_picture,
    gradient_edge_styles,
)
from scenes.style import SIZE, GradientScale, fmt_value

#: The digit of the data set the scene sends through the net (the opening's too).
SAMPLE = DEEP_NET_SAMPLE

NET_CENTER = DEEP_NET_CENTER
BAR_BASE_Y = -2.5
BAR_MAX_HEIGHT = 1.2
BAR_WIDTH = 0.42
#: Where formulas stand, one under the other, before the bar chart takes that place.
SLOT_Y = (-1.35, -2.1, -2.85)
#: The left edge and top of the reading notes (log scale, e-notation, ||v||) right of the bars.
NOTE_LEFT = 4.5
NOTE_TOP = 0.2
NOTE_WIDTH = 2.4
#: Where the colour legend stands, and how tall its bar is.
LEGEND_CENTER = (6.05, 1.55)
LEGEND_HEIGHT = 2.0
#: The rows under the bars: Nielsen's published norms, then the headline ratio.
BOOK_Y = -3.1
RATIO_Y = -3.62

#: How lesson values are written in captions.
DISPLAY_NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "he": "He",
                 "xavier-normal": "Xavier", "xavier-uniform": "Xavier", "nielsen": "Nielsen's"}

#: a_l in terms of z_l for each hidden activation (the output layer is always a sigmoid).
ACTIVATION_TEX = {"sigmoid": r"\sigma(z_l)", "tanh": r"\tanh(z_l)", "relu": r"\max(0, z_l)", "linear": "z_l"}

TITLES = {
    "vanishing": "Gradients fading across a deep net",
    "level": "Gradients holding up across a deep net",
    "exploding": "Gradients exploding across a deep net",
}


class GradientsFading(LessonScene):
    """A deep net's gradients, layer by layer, for one real digit."""

    #: Tests set this to stop before the final fade, on the chapter's key picture.
    skip_end = False

    def construct(self) -> None:
        lesson = self.lesson
        self.result: FadingResult = fading(lesson.sizes, activation=lesson.activation, init=lesson.init,
                                           bias_init=lesson.bias_init, seed=lesson.seed, sample=SAMPLE)
        self.scale = GradientScale(*self.result.decades)
        self.show_net()
        self.forward_pass()
        self.switch_cost()
        self.start_at_output()
        self.how_to_read()
        self.define_size()
        self.backward_sweep()
        self.compare_first_and_last()
        self.book_reference()
        self.closing()
        if not self.skip_end:
            self.fade_out()

    # -- beats ---------------------------------------------------------------------------

    def show_net(self) -> None:
        """The net, its sizes, and the digit it gets as input."""
        r, th = self.result, self.theme
        self.heading = self.chapter_heading(TITLES[r.regime])
        self.title = self.heading[0]
        self.diagram = NetDiagram(r.sizes, th, shown=r.drawn, width=DEEP_NET_WIDTH, height=DEEP_NET_HEIGHT)
        self.diagram.move_to(NET_CENTER)
        self.shown["sizes"] = [float(n) for n in r.sizes]
        sizes = VGroup(*[
            self.text(str(n), SIZE.small, color=th.muted).next_to(self.diagram.column(l), DOWN, buff=0.15)
            for l, n in enumerate(r.sizes)
        ])
        self.pixel_squares, self.digit = digit_picture(r.pixels, r.drawn[0], th)
        self.digit.move_to([DIGIT_X, NET_CENTER[1], 0])
        label_row = VGroup(self.text("label", SIZE.label, color=th.muted),
                           self.number("label", r.label)).arrange(RIGHT, buff=0.15)
        label_row.next_to(self.digit, DOWN, buff=0.25)
        heading = self.text("input", SIZE.small, color=th.muted).next_to(self.digit, UP, buff=0.2)
        wires = VGroup(*[
            Line(self.pixel_squares[k].get_center(), self.diagram.neuron(0, k).get_left(),
                 stroke_color=th.muted, stroke_width=1, stroke_opacity=0.7)
            for k in r.drawn[0]
        ])
        self.add_foreground_mobject(self.digit)
        outputs = VGroup(*[
            self.text(str(n.index), SIZE.small, color=th.muted).next_to(n, RIGHT, buff=0.12)
            for n in self.diagram.layers[-1]
        ])
        self.output_digits = outputs
        hidden = len(r.sizes) - 2
        self.say(f"A deep net: {r.sizes[0]} pixel inputs, {hidden} hidden layers of {r.sizes[1]} neurons, "
                 f"{r.sizes[-1]} outputs. Only a few neurons per layer are drawn; the dots stand for the rest.",
                 FadeIn(self.heading), FadeIn(self.diagram),
                 FadeIn(sizes, self.digit, heading, label_row, wires, outputs), run_time=3)

    def forward_pass(self) -> None:
        """Left to right: every layer computes z_l and lights up by its activation a_l."""
        r, th = self.result, self.theme
        steps = [self.diagram.activation_animation(l, a, th.forward) for l, a in enumerate(r.activations)]
        act = ACTIVATION_TEX.get(r.activation, r"\sigma(z_l)")
        formula = self.tex(rf"z_l = W_l\, a_{{l-1}} + b_l, \qquad a_l = {act}", SIZE.label)
        formula.move_to([0, SLOT_Y[0], 0])
        where = VGroup(self.tex("W_l", SIZE.small, color=th.muted),
                       self.text("the weights into layer l,", SIZE.small, color=th.muted),
                       self.tex("b_l", SIZE.small, color=th.muted),
                       self.text("its biases,", SIZE.small, color=th.muted),
                       self.tex("a_0 = x", SIZE.small, color=th.muted),
                       self.text("the pixels", SIZE.small, color=th.muted)).arrange(RIGHT, buff=0.15)
        where.move_to([0, SLOT_Y[1], 0])
        self.forward_formula = VGroup(formula, where)
        self.say(f"Forward pass, left to right: a real handwritten {r.label} goes in. Each layer l computes "
                 "z_l from the layer before, and its neurons light up by their activation a_l.",
                 FadeIn(self.forward_formula), Succession(*steps, lag_ratio=1.0), run_time=0.6 * len(steps))

    def switch_cost(self) -> None:
        """The untrained guess, and the switch from the quadratic cost to the cross-entropy."""
        r, th = self.result, self.theme
        guess = VGroup(self.text("guess", SIZE.small, color=th.muted),
                       self.number("prediction", r.prediction, SIZE.small)).arrange(RIGHT, buff=0.12)
        cost = VGroup(self.text("cost C =", SIZE.small, color=th.muted),
                      self.number("cost", r.cost, SIZE.small)).arrange(RIGHT, buff=0.12)
        box = VGroup(guess, cost).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        box.next_to(self.diagram.column(self.diagram.depth), RIGHT, buff=0.55).shift(UP * 0.2)
        marks = []
        if r.label in r.drawn[-1]:
            i = list(r.drawn[-1]).index(r.label)
            marks.append(self.output_digits[i].animate.set_color(th.good))
        self.cost_box = box
        self.say(f"The net is untrained: it guesses {r.prediction}, not {r.label}.",
                 FadeOut(self.forward_formula), FadeIn(guess), *marks, run_time=1.2)

        ch2 = number_of("cost")
        old = VGroup(self.text(f"chapter {ch2}, quadratic:", SIZE.small, color=th.muted),
                     self.tex(r"C = \tfrac12 \sum (a - y)^2", SIZE.small, color=th.muted)).arrange(RIGHT, buff=0.2)
        new = VGroup(self.text("from here on, cross-entropy:", SIZE.small),
                     self.tex(r"C = -\sum \big[\, y \ln a + (1 - y) \ln (1 - a) \,\big]", SIZE.small))
        new.arrange(RIGHT, buff=0.2)
        why = VGroup(self.text("its output error:", SIZE.small),
                     self.tex(r"\delta_L = a - y", SIZE.small, color=th.backward),
                     self.text("(no", SIZE.small, color=th.muted),
                     self.tex(r"\sigma'(z_L)", SIZE.small, color=th.muted),
                     self.text("factor)", SIZE.small, color=th.muted)).arrange(RIGHT, buff=0.15)
        rows = VGroup(old, new, why)
        for row, y in zip(rows, SLOT_Y):
            row.move_to([-0.3, y, 0])
        self.cost_rows = rows
        c = self.inline("cost", r.cost)
        caption = (f"From here on the cost is the cross-entropy, not chapter {ch2}'s quadratic cost. It too is 0 "
                   f"for a perfect answer and grows as the outputs a miss the label y: here C = {c}. We switch "
                   "because, with sigmoid outputs, its output error is simply δ_L = a - y, with no σ'(z_L) factor: "
                   "the output layer never stalls, and any fading happens in the hidden layers. Nielsen's "
                   "chapter 5 measures with it too.")
        with self.beat(caption):
            self.play(FadeIn(old), FadeIn(new), FadeIn(cost), run_time=1.2)
            self.wait(10)  # the "why" row comes in with the caption's second half
            self.play(FadeIn(why), run_time=1.0)

    def start_at_output(self) -> None:
        """Back prop begins at the output layer: delta_l = dC/dz_l, and dC/db_l = delta_l."""
        th = self.theme
        d1 = self.tex(r"\delta_l = \frac{\partial C}{\partial z_l}", SIZE.label, color=th.backward)
        d1_words = self.text("layer l's error", SIZE.small, color=th.muted)
        d2 = self.tex(r"\frac{\partial C}{\partial b_l} = \delta_l", SIZE.label)
        d2_words = self.text("the gradient of layer l's biases", SIZE.small, color=th.muted)
        row = VGroup(VGroup(d1, d1_words).arrange(RIGHT, buff=0.2),
                     VGroup(d2, d2_words).arrange(RIGHT, buff=0.2)).arrange(RIGHT, buff=0.8)
        row.move_to([-0.3, SLOT_Y[0] - 0.35, 0])
        self.delta_row = row
        self.say("Back prop starts at the OUTPUT with δ_L = a - y and works right to left. Layer l's error "
                 "δ_l = dC/dz_l is passed back one layer at a time, and the gradient of its biases is "
                 "dC/db_l = δ_l.",
                 FadeOut(self.cost_box), FadeOut(self.cost_rows[:2]), FadeOut(self.cost_rows[2]),
                 self.diagram.layer_flash(self.diagram.depth, th.backward), FadeIn(row), run_time=1.5)

    def how_to_read(self) -> None:
        """The colour legend and the bar axis, both logarithmic; e-notation, defined."""
        th = self.theme
        self.legend = self.scale.legend(th, "|dC/dw|", height=LEGEND_HEIGHT)
        self.legend.move_to([*LEGEND_CENTER, 0])
        self.shown["decades"] = [float(self.scale.lo), float(self.scale.hi)]
        self.bar_axes = self.bar_frame()
        log_note = VGroup(self.text("log scale:", SIZE.small, color=th.warn),
                          self.text("each step up", SIZE.small),
                          self.text("is 10 times more", SIZE.small)).arrange(DOWN, buff=0.08, aligned_edge=LEFT)
        e_note = VGroup(self.text("e-notation:", SIZE.small, color=th.warn),
                        self.text("1e-3 = 0.001", SIZE.small),
                        self.text("2.5e-03 = 0.0025", SIZE.small)).arrange(DOWN, buff=0.08, aligned_edge=LEFT)
        self.notes = VGroup(log_note, e_note).arrange(DOWN, buff=0.25, aligned_edge=LEFT)
        self.notes.next_to([NOTE_LEFT, NOTE_TOP, 0], DOWN + RIGHT, buff=0)
        self.say("Both scales here are logarithmic: each step up is 10 times more. Small numbers are written "
                 "in e-notation: 1e-3 means 0.001, and 2.5e-03 means 0.0025.",
                 FadeOut(self.delta_row), FadeIn(self.legend, self.bar_axes), FadeIn(self.notes), run_time=1.5)

    def define_size(self) -> None:
        """||v||, the size of a vector: what each bar will show."""
        th = self.theme
        tex = self.tex(r"\|v\| = \sqrt{v_1^2 + v_2^2 + \cdots}", SIZE.small)
        if tex.width > NOTE_WIDTH:
            tex.scale_to_fit_width(NOTE_WIDTH)
        words = self.text("size of a vector v", SIZE.small, color=th.warn)
        self.size_note = VGroup(words, tex).arrange(DOWN, buff=0.1, aligned_edge=LEFT)
        self.size_note.next_to(self.notes, DOWN, buff=0.3, aligned_edge=LEFT)
        self.say("Each bar will show the size of a layer's bias gradient, ||dC/db_l||. The size ||v|| of a vector "
                 "is the square root of the sum of its squares.", FadeIn(self.size_note), run_time=1.0)

    def backward_sweep(self) -> None:
        """Right to left: each layer's edges take their |dC/dW_l| colour, its bar grows."""
        r, th = self.result, self.theme
        self.bars = VGroup()
        self.bar_values = VGroup()
        steps = []
        for l in range(r.depth, 0, -1):
            styles = gradient_edge_styles(r.edge_grads, r.drawn, l, self.scale, th)
            self.shown[f"edges_W{l}"] = [float(v) for v in r.edge_grads[l - 1].ravel()]
            bar, value = self.bar(l)
            self.bars.add(bar)
            self.bar_values.add(value)
            anims = [self.diagram.edge_style_animation(l, styles), GrowFromEdge(bar, DOWN), FadeIn(value)]
            if l > 1:
                anims.append(self.diagram.layer_flash(l - 1, th.backward))
            steps.append(AnimationGroup(*anims))
        self.say("Layer by layer, right to left: each line's colour and thickness show its weight's gradient "
                 "|dC/dw|, and each bar its layer's ||dC/db_l||.",
                 Succession(*steps, lag_ratio=1.0), run_time=1.6 * len(steps))
        self.say(self.sweep_summary(), hold=1.0)

    def compare_first_and_last(self) -> None:
        """Layer 1 against the last hidden layer L-1: the ratio of their ||dC/db_l||."""
        r, th = self.result, self.theme
        h = r.last_hidden
        color = th.warn if r.regime != "level" else th.good
        big, small = (h, 1) if r.ratio >= 1 else (1, h)
        parts = [self.tex(rf"\|\partial C/\partial b_{{{big}}}\| \;/\; \|\partial C/\partial b_{{{small}}}\| \approx",
                          SIZE.label),
                 self.number("factor", r.factor, SIZE.label).set_color(color),
                 self.text(f"(layer {h} is the last hidden layer)", SIZE.small, color=th.muted)]
        line = VGroup(*parts).arrange(RIGHT, buff=0.14)
        line.move_to([0, RATIO_Y, 0]).align_to([-6.9, 0, 0], LEFT)
        self.shown["ratio"] = float(r.ratio_rounded)
        self.ratio_line = line
        first, last = self.bars[-1], self.bars[-h]
        highlight = [first.animate.set_stroke(color, width=3), last.animate.set_stroke(color, width=3)]
        self.say(self.ratio_caption(), FadeIn(line), *highlight, run_time=1.5)

    def book_reference(self) -> None:
        """Nielsen's published hidden-layer norms beside ours, and why they differ."""
        r, th = self.result, self.theme
        n = len(r.book_norms)
        d = self.diagram
        values = VGroup()
        for i, v in enumerate(r.book_norms, start=1):
            value = self.number(f"book_{i}", v, SIZE.small).set_color(th.muted)
            values.add(value.move_to([d.layer_x(i), BOOK_Y, 0]))
        name = self.text("Nielsen's book, MNIST:", SIZE.small, color=th.muted)
        name.next_to([d.layer_x(1) - 0.5, BOOK_Y, 0], LEFT, buff=0.1)
        line = VGroup(name, values)
        first, last = fmt_value(r.book_norms[0]), fmt_value(r.book_norms[-1])
        book = self.inline("book_factor", r.book_factor)
        ours = self.fmt(r.factor)
        if r.regime == "vanishing" and r.activation == "sigmoid":
            caption = (f"Nielsen's book measured the same shape of net on MNIST: from {first} up to {last}, "
                       f"a ratio of about {book}, against our {ours}. The numbers need not match: our images are "
                       "8x8 (64 inputs, not 784), and ours are one digit and one random start, his an average "
                       "over 1000 images.")
        else:
            caption = (f"For contrast, Nielsen's book measured a sigmoid net on MNIST: from {first} up to {last}, "
                       f"layer 1's bias gradient about {book} times smaller than layer {n}'s.")
        self.say(caption, FadeIn(line), run_time=1.2)

    def closing(self) -> None:
        """The key picture, held: what the bars mean for the steps of gradient descent."""
        r = self.result
        training = number_of("training")
        if r.regime == "vanishing":
            caption = ("A weight moves by η times its gradient, so the first layers, the ones that find simple "
                       f"strokes, take the smallest steps. Chapter {training} measures what that does to learning.")
        elif r.regime == "exploding":
            caption = ("Here the gradients grow toward the input: the first layers take huge, "
                       "unstable steps.")
        else:
            act = DISPLAY_NAMES.get(self.lesson.activation, self.lesson.activation)
            init = DISPLAY_NAMES.get(self.lesson.init, self.lesson.init)
            caption = (f"With {act} neurons and {init} initialisation every hidden layer gets a gradient of "
                       "similar size, so no layer is left with tiny steps.")
        self.say(caption, hold=1.0)

    def fade_out(self) -> None:
        """Back to the empty background; the digit, drawn in front of its wires, fades too."""
        self.remove_foreground_mobjects(self.digit)
        self.add(self.digit)
        self.end_chapter()

    # -- pieces --------------------------------------------------------------------------

    def bar_frame(self) -> VGroup:
        """The baseline, layer names under each bar, and the heading of the bar chart."""
        th = self.theme
        d = self.diagram
        left, right = d.layer_x(1) - 0.5, d.layer_x(d.depth) + 0.5
        base = Line([left, BAR_BASE_Y, 0], [right, BAR_BASE_Y, 0], stroke_color=th.muted, stroke_width=1.5)
        names = VGroup(*[
            self.text(f"layer {l}", SIZE.small, color=th.muted).move_to([d.layer_x(l), BAR_BASE_Y - 0.25, 0])
            for l in range(1, d.depth + 1)
        ])
        heading = VGroup(self.text("||dC/db||", SIZE.small),
                         self.text("per layer", SIZE.small, color=th.muted),
                         self.text("(log scale)", SIZE.small, color=th.muted)).arrange(DOWN, buff=0.08)
        heading.move_to([d.layer_x(0) - 0.2, BAR_BASE_Y + BAR_MAX_HEIGHT / 2, 0])
        lo, hi = self.result.bar_decades
        self.shown["bar_decades"] = [float(lo), float(hi)]
        grid = VGroup()
        ticks = VGroup()
        for k in range(lo + 1, hi + 1):
            y = BAR_BASE_Y + BAR_MAX_HEIGHT * (k - lo) / (hi - lo)
            grid.add(DashedLine([left, y, 0], [right, y, 0], stroke_color=th.edge, stroke_width=1,
                                dash_length=0.06))
            if (k - lo) % 2 == 0:
                ticks.add(self.text(f"1e{k}", SIZE.small, color=th.muted).move_to([right + 0.35, y, 0]))
        ticks.add(self.text(f"1e{lo}", SIZE.small, color=th.muted).move_to([right + 0.35, BAR_BASE_Y, 0]))
        return VGroup(grid, base, names, heading, ticks)

    def bar(self, l: int) -> tuple[Rectangle, VGroup]:
        """Layer l's bar (height and colour: ||dC/db_l|| on the log scale) and its value."""
        r = self.result
        norm = float(r.bias_norms[l - 1])
        lo, hi = r.bar_decades
        pos = GradientScale(lo, hi).position(norm)
        height = max(0.04, BAR_MAX_HEIGHT * pos)
        color = self.scale.color(norm, self.theme)
        bar = Rectangle(width=BAR_WIDTH, height=height, stroke_width=0, fill_color=color, fill_opacity=1)
        bar.move_to([self.diagram.layer_x(l), BAR_BASE_Y + height / 2, 0])
        value = self.number(f"norm_{l}", norm, SIZE.small, underflow=norm == 0 and math.isfinite(norm))
        value.next_to(bar, UP, buff=0.1)
        return bar, VGroup(value)

    def sweep_summary(self) -> str:
        """A caption true for the lesson: where the colour went."""
        regime = self.result.regime
        if any(bool(np.any(e == 0)) for e in self.result.edge_grads):
            return ("Grey lines carry exactly zero: their neuron was off (dark) in the forward pass, "
                    "so no gradient flows through it. The bars show whole layers.")
        if regime == "vanishing":
            return "The colour drains toward the left: the early layers go dark, their bars shrink."
        if regime == "exploding":
            return "The colour grows toward the left: the early layers get the largest gradients."
        return "The colour stays: the bars are of similar height from the last layer to the first."

    def ratio_caption(self) -> str:
        """Layer 1 against the last hidden layer in words, true for the lesson."""
        r = self.result
        h = r.last_hidden
        factor = self.inline("factor", r.factor)
        left_out = ("The output layer is left out: its error a - y has none of the slope factors "
                    "the hidden layers carry.")
        if r.regime == "vanishing":
            orders = self.inline("orders", abs(r.orders_rounded))
            return (f"On this digit, from this random start, layer 1's bias gradient is about {factor} times "
                    f"smaller than layer {h}'s, the last hidden layer: {orders} powers of ten. {left_out}")
        if r.regime == "exploding":
            orders = self.inline("orders", abs(r.orders_rounded))
            return (f"On this digit, layer 1's bias gradient is about {factor} times larger than layer {h}'s, "
                    f"the last hidden layer: {orders} powers of ten. {left_out}")
        word = "smaller" if r.ratio >= 1 else "larger"
        return (f"The bars stay roughly level: on this digit, layer 1's bias gradient is only {factor} times "
                f"{word} than layer {h}'s, the last hidden layer. {left_out}")

    @staticmethod
    def fmt(value: float) -> str:
        """The same text a number on screen shows."""
        return fmt_value(float(value))
