"""Chapter 7: gradients fading across a deep net.

One real digit goes forward through the lesson's deep net (left to right, neurons lit by
their activation a_l), then back prop sweeps right to left from the output: each drawn
edge takes the colour and width of its own |dC/dW_l[j, k]| = |delta_l[j] a_{l-1}[k]| on a
log scale, and a bar per layer shows ||dC/db_l|| = ||delta_l||. With sigmoid layers the
early layers go dark; with the relu-he lesson the bars stay roughly level. Every number
comes from :func:`netsim.experiments.fading.fading`.
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
    ManimColor,
    Rectangle,
    Square,
    Succession,
    VGroup,
    Wait,
)

from netsim.experiments.fading import FadingResult, fading
from scenes.common import LessonScene, current_lesson
from scenes.netdiagram import NetDiagram
from scenes.style import SIZE, GradientScale, Theme, fmt_value

LESSON = current_lesson()

#: The digit of the data set the scene sends through the net.
SAMPLE = 0

NET_CENTER = np.array([-0.3, 1.25, 0.0])
NET_WIDTH = 7.0
NET_HEIGHT = 2.9
BAR_BASE_Y = -2.5
BAR_MAX_HEIGHT = 1.2
BAR_WIDTH = 0.42
PIXEL = 0.17
#: Each caption ends this much before its beat does, so frame rounding never overlaps two cues.
CUE_MARGIN = 0.1

#: How lesson values are written in captions.
DISPLAY_NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "he": "He",
                 "xavier-normal": "Xavier", "xavier-uniform": "Xavier", "nielsen": "Nielsen's"}

TITLES = {
    "vanishing": "Gradients fading across a deep net",
    "level": "Gradients holding up across a deep net",
    "exploding": "Gradients exploding across a deep net",
}



def layer_edge_styles(r: FadingResult, l: int, scale: GradientScale, th: Theme) -> dict[tuple[int, int], tuple]:
    """(colour, width) of every drawn edge into layer l, from its own |dC/dW_l[j, k]|.

    An entry that is exactly zero (a neuron that is off) is drawn in the plain edge colour,
    not as the darkest gradient: it has not faded, it is switched off.
    """
    styles = {}
    grads = r.edge_grads[l - 1]
    for a, j in enumerate(r.drawn[l]):
        for b, k in enumerate(r.drawn[l - 1]):
            g = float(grads[a, b])
            if g == 0.0:
                styles[(j, k)] = (ManimColor(th.edge), scale.min_width)
            else:
                styles[(j, k)] = (scale.color(g, th), scale.width(g))
    return styles

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
        self.show_cost()
        self.start_at_output()
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
        self.diagram = NetDiagram(r.sizes, th, shown=r.drawn, width=NET_WIDTH, height=NET_HEIGHT)
        self.diagram.move_to(NET_CENTER)
        self.shown["sizes"] = [float(n) for n in r.sizes]
        sizes = VGroup(*[
            self.text(str(n), SIZE.small, color=th.muted).next_to(self.diagram.column(l), DOWN, buff=0.15)
            for l, n in enumerate(r.sizes)
        ])
        self.digit = self.digit_grid()
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
        self.play(
            FadeIn(self.heading),
            FadeIn(self.diagram),
            FadeIn(sizes, self.digit, heading, label_row, wires, outputs),
            run_time=3,
            subcaption=(f"A deep net: {r.sizes[0]} pixel inputs, {hidden} hidden layers of "
                        f"{r.sizes[1]} neurons, {r.sizes[-1]} outputs. Only a few neurons per "
                        "layer are drawn; the dots stand for the rest."),
            subcaption_duration=5 - CUE_MARGIN,
        )
        self.wait(2)

    def forward_pass(self) -> None:
        """Left to right: every layer lights up by its activation a_l."""
        r, th = self.result, self.theme
        steps = [self.diagram.activation_animation(l, a, th.forward) for l, a in enumerate(r.activations)]
        self.play(
            Succession(*steps, lag_ratio=1.0),
            run_time=0.6 * len(steps),
            subcaption=(f"Forward pass, left to right: a real handwritten {r.label} goes in, and each "
                        "layer's neurons light up by their activation a."),
            subcaption_duration=0.6 * len(steps) + 0.5 - CUE_MARGIN,
        )
        self.wait(0.5)

    def show_cost(self) -> None:
        """The untrained net's guess and its cost C against the one-hot label."""
        r, th = self.result, self.theme
        guess = VGroup(self.text("guess", SIZE.small, color=th.muted),
                       self.number("prediction", r.prediction, SIZE.small))
        guess.arrange(RIGHT, buff=0.12)
        cost = VGroup(self.text("cost C =", SIZE.small, color=th.muted),
                      self.number("cost", r.cost, SIZE.small)).arrange(RIGHT, buff=0.12)
        box = VGroup(guess, cost).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        box.next_to(self.diagram.column(self.diagram.depth), RIGHT, buff=0.55).shift(UP * 0.2)
        target = self.diagram.neuron(self.diagram.depth, r.label) if r.label in r.drawn[-1] else None
        marks = []
        if target is not None:
            i = list(r.drawn[-1]).index(r.label)
            marks.append(self.output_digits[i].animate.set_color(th.good))
        self.cost_box = box
        self.play(
            FadeIn(box), *marks,
            run_time=1.5,
            subcaption=(f"The net is untrained: it guesses {r.prediction}, not {r.label}. "
                        f"Its cross-entropy cost is C = {self.fmt(r.cost)}."),
            subcaption_duration=4 - CUE_MARGIN,
        )
        self.wait(2.5)

    def start_at_output(self) -> None:
        """Back prop begins at the output layer; the legend of the colour scale appears."""
        th = self.theme
        self.legend = self.scale.legend(th, "|dC/dw|", height=2.5)
        self.legend.move_to([6.05, NET_CENTER[1] - 0.1, 0])
        self.shown["decades"] = [float(self.scale.lo), float(self.scale.hi)]
        self.bar_axes = self.bar_frame()
        self.play(
            FadeOut(self.cost_box),
            self.diagram.layer_flash(self.diagram.depth, th.backward),
            FadeIn(self.legend, self.bar_axes),
            run_time=1.5,
            subcaption=("Back prop starts at the OUTPUT, with the error a - y of the ten outputs, "
                        "and works right to left."),
            subcaption_duration=4 - CUE_MARGIN,
        )
        self.wait(2.5)

    def backward_sweep(self) -> None:
        """Right to left: each layer's edges take their |dC/dW_l| colour, its bar grows."""
        r, th = self.result, self.theme
        self.bars = VGroup()
        self.bar_values = VGroup()
        steps = []
        for l in range(r.depth, 0, -1):
            styles = layer_edge_styles(r, l, self.scale, th)
            self.shown[f"edges_W{l}"] = [float(v) for v in r.edge_grads[l - 1].ravel()]
            bar, value = self.bar(l)
            self.bars.add(bar)
            self.bar_values.add(value)
            anims = [self.diagram.edge_style_animation(l, styles), GrowFromEdge(bar, DOWN), FadeIn(value)]
            if l > 1:
                anims.append(self.diagram.layer_flash(l - 1, th.backward))
            steps.append(AnimationGroup(*anims))
        per_layer = 1.6
        self.play(
            Succession(*steps, lag_ratio=1.0),
            run_time=per_layer * len(steps),
            subcaption=("Layer by layer, right to left: each line's colour and thickness show its "
                        "weight's gradient |dC/dw|, and each bar the layer's bias gradient ||dC/db||."),
            subcaption_duration=per_layer * len(steps) - CUE_MARGIN,
        )
        self.captioned_wait(4.5, self.sweep_summary())

    def compare_first_and_last(self) -> None:
        """Layer 1 against layer L: the ratio of their gradient norms, as a number."""
        r, th = self.result, self.theme
        L = r.depth
        word = "smaller" if r.ratio >= 1 else "larger"
        color = th.warn if r.regime != "level" else th.good
        parts = [self.text("layer 1's gradient is", SIZE.label),
                 self.number("factor", r.factor, SIZE.label),
                 self.text(f"times {word} than layer {L}'s" + (":" if r.regime != "level" else ""),
                           SIZE.label)]
        parts[1].set_color(color)
        if r.regime != "level":
            parts += [self.number("orders", abs(r.orders_rounded), SIZE.label),
                      self.text("powers of ten", SIZE.label)]
        line = VGroup(*parts).arrange(RIGHT, buff=0.14)
        for part in parts[1:]:
            part.align_to(parts[0], UP)
        line.move_to([0, -3.2, 0])
        self.shown["ratio"] = float(r.ratio_rounded)
        self.ratio_line = line
        first = self.bars[-1]
        last = self.bars[0]
        highlight = [first.animate.set_stroke(color, width=3), last.animate.set_stroke(color, width=3)]
        self.play(FadeIn(line), *highlight, run_time=1.5, subcaption=self.ratio_caption(),
                  subcaption_duration=5 - CUE_MARGIN)
        self.wait(3.5)

    def book_reference(self) -> None:
        """Nielsen's published hidden-layer norms, clearly attributed, as a reference line."""
        r, th = self.result, self.theme
        n = len(r.book_norms)
        parts = [self.text(f"Nielsen's book, ch. 5 (sigmoid net, MNIST), hidden layers 1 to {n}:",
                           SIZE.small, color=th.muted)]
        for i, v in enumerate(r.book_norms, start=1):
            parts.append(self.number(f"book_{i}", v, SIZE.small).set_color(th.muted))
        line = VGroup(*parts).arrange(RIGHT, buff=0.2).move_to([0, -3.65, 0])
        if line.width > 13.6:
            line.scale_to_fit_width(13.6)
        if r.regime == "vanishing":
            caption = ("Nielsen's book measured the same pattern on MNIST: in its sigmoid net each "
                       "hidden layer's gradient is several times smaller than the next one's.")
        else:
            caption = ("For contrast, Nielsen's book measured a sigmoid net on MNIST: its hidden layers' "
                       "gradients shrink several times per layer toward the input.")
        self.play(FadeIn(line), run_time=1.2, subcaption=caption, subcaption_duration=5 - CUE_MARGIN)
        self.wait(3.8)

    def closing(self) -> None:
        """The key picture, held: what the bars mean for learning."""
        r = self.result
        if r.regime == "vanishing":
            caption = ("Small gradient, slow learning: the first layers, the ones that find simple "
                       "strokes, barely learn at all.")
        elif r.regime == "exploding":
            caption = ("Here the gradients grow toward the input: the first layers take huge, "
                       "unstable steps.")
        else:
            act = DISPLAY_NAMES.get(self.lesson.activation, self.lesson.activation)
            init = DISPLAY_NAMES.get(self.lesson.init, self.lesson.init)
            caption = (f"With {act} neurons and {init} initialisation "
                       "every layer gets a gradient of similar size, so every layer can learn.")
        self.captioned_wait(4, caption)

    def fade_out(self) -> None:
        """Back to the empty background; the digit, drawn in front of its wires, fades too."""
        self.remove_foreground_mobjects(self.digit)
        self.add(self.digit)
        self.end_chapter()

    # -- pieces --------------------------------------------------------------------------

    def captioned_wait(self, seconds: float, caption: str) -> None:
        """Hold the frame for ``seconds`` with a caption (Scene.wait takes no subcaption)."""
        self.play(Wait(run_time=seconds), subcaption=caption, subcaption_duration=seconds - CUE_MARGIN)

    def digit_grid(self) -> VGroup:
        """The 8x8 input image as squares, brightness = pixel value; drawn pixels outlined."""
        r, th = self.result, self.theme
        squares = VGroup()
        for row in range(8):
            for col in range(8):
                v = float(r.pixels[row, col])
                sq = Square(PIXEL, stroke_color=th.muted, stroke_width=0.5,
                            fill_color=th.text, fill_opacity=0.04 + 0.96 * v)
                sq.move_to([col * PIXEL, -row * PIXEL, 0])
                squares.add(sq)
        self.pixel_squares = squares
        outlines = VGroup(*[
            Square(PIXEL, stroke_color=th.forward, stroke_width=2.5).move_to(squares[k])
            for k in r.drawn[0]
        ])
        grid = VGroup(squares, outlines)
        grid.move_to([-5.95, NET_CENTER[1], 0])
        return grid

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
        """The ratio of layer 1 to layer L in words, true for the lesson."""
        r = self.result
        L = r.depth
        if r.regime == "vanishing":
            return (f"Layer 1's gradient is about {self.fmt(r.factor)} times smaller than layer {L}'s: "
                    f"{self.fmt(abs(r.orders_rounded))} powers of ten.")
        if r.regime == "exploding":
            return (f"Layer 1's gradient is about {self.fmt(r.factor)} times larger than layer {L}'s: "
                    "the gradient explodes.")
        word = "smaller" if r.ratio >= 1 else "larger"
        return (f"The bars stay roughly level: layer 1's gradient is only {self.fmt(r.factor)} times "
                f"{word} than layer {L}'s.")

    @staticmethod
    def fmt(value: float) -> str:
        """The same text a number on screen shows."""
        return fmt_value(float(value))


