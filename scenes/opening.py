"""Chapter 1, the cold open: the puzzle, a ten-second preview of chapter 8, the title.

Deep fully-connected nets can learn a lot, so why were they so hard to train until 2006?
(Convolutional nets were already trained by back prop in 1998: the puzzle is about deep
fully-connected nets.) Then a preview: one real digit through the lesson's deep net, and
back prop sweeping right to left, each drawn edge coloured by its own |dC/dW_l[j, k]| =
|delta_l[j] a_{l-1}[k]| (same diagram, same place, same colours as chapter 8; the legend
says only "tiny (dark)" to "large (bright)": the log scale and e-notation are defined in chapter 8). With
sigmoid layers the colour drains out toward the input; the headline compares the first
hidden layer with the last hidden layer. It ends on the episode's title, and says that the
last chapters answer the puzzle. Every number comes from
:func:`netsim.experiments.opening.cold_open` (which runs chapter 8's experiment).

Render: ``.venv/bin/manim -ql scenes/opening.py ColdOpen``.
"""

from __future__ import annotations

from functools import lru_cache

from manim import (
    DOWN,
    UP,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    Line,
    Succession,
    VGroup,
    Write,
)

from netsim.experiments.opening import ColdOpenResult, cold_open
from scenes.chapters import number_of
from scenes.common import LessonScene
from scenes.lesson import Lesson
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
from scenes.style import SIZE, GradientScale

QUESTION_Y = -3.05     # where the question waits while the preview plays
ARROW_Y = -0.95
COMPARE_Y = -2.0


@lru_cache(maxsize=4)
def experiment(lesson: Lesson) -> ColdOpenResult:
    """The preview's numbers for a lesson: chapter 8's experiment, on chapter 8's digit."""
    return cold_open(lesson.sizes, activation=lesson.activation, init=lesson.init,
                     bias_init=lesson.bias_init, seed=lesson.seed, sample=DEEP_NET_SAMPLE)


class ColdOpen(LessonScene):
    """The question, a preview of the gradient fading across a deep net, the title."""

    #: Stop before the final fade (the golden test of the key picture sets this).
    skip_end = False

    def construct(self) -> None:
        self.prepare()
        self.title_beat()
        self.ask_the_question()
        self.show_deep_net()
        self.sweep_right_to_left()
        self.compare_first_and_last()
        self.episode_title()
        if not self.skip_end:
            self.end_chapter(f"The last chapters, from chapter {number_of('wayout')} on, answer the puzzle.")

    # ---------- helpers ----------
    def prepare(self) -> None:
        """The numbers (from netsim) and the colour scale, before any beat."""
        self.res = experiment(self.lesson)
        self.scale = GradientScale(*self.res.fading.decades)

    # ---------- beats ----------
    def title_beat(self) -> None:
        """Beat 1: the chapter heading."""
        self.heading = self.chapter_heading("A puzzle")
        self.say("Before we start, a puzzle.", FadeIn(self.heading), run_time=1.0)

    def ask_the_question(self) -> None:
        """Beat 2: deep fully-connected nets are powerful; why were they so hard to train?"""
        th = self.theme
        year = self.number("year", self.res.year, SIZE.body).text
        line1 = self.text("A deep net of fully-connected layers can learn almost anything.", SIZE.body)
        line2 = self.text(f"So why were such nets so hard to train until {year}?", SIZE.body, t2c={year: th.warn})
        self.question = VGroup(line1, line2).arrange(DOWN, buff=0.3).move_to([0, 0.5, 0])
        self.say(f"In principle, a deep net of fully-connected layers can learn almost anything. Yet until {year} "
                 "such nets were very hard to train. Why?", FadeIn(line1), FadeIn(line2, shift=UP * 0.2),
                 run_time=2.0)
        conv = self.number("convnet_year", self.res.convnet_year, SIZE.small).text
        note = self.text(f"(Convolutional nets, such as LeNet-5 in {conv}, were already trained by back prop.)",
                         SIZE.small, color=th.muted)
        note.next_to(self.question, DOWN, buff=0.45)
        self.note = note
        self.say(f"Convolutional nets such as LeNet-5 were already trained by back prop in {conv}: the puzzle is "
                 "about deep fully-connected nets.", FadeIn(note), run_time=1.0)

    def show_deep_net(self) -> None:
        """Beat 3: the lesson's deep net (chapter 8's drawing) and one real digit as input."""
        r, th = self.res.fading, self.theme
        self.diagram = NetDiagram(r.sizes, th, shown=r.drawn, width=DEEP_NET_WIDTH, height=DEEP_NET_HEIGHT)
        self.diagram.move_to(DEEP_NET_CENTER)
        self.shown["sizes"] = [float(n) for n in r.sizes]
        self.pixel_squares, digit = digit_picture(r.pixels, r.drawn[0], th)
        digit.move_to([DIGIT_X, DEEP_NET_CENTER[1], 0])
        self.digit = digit
        wires = VGroup(*[
            Line(self.pixel_squares[k].get_center(), self.diagram.neuron(0, k).get_left(),
                 stroke_color=th.muted, stroke_width=1, stroke_opacity=0.7)
            for k in r.drawn[0]
        ])
        ends = VGroup(
            self.text("input", SIZE.small, color=th.muted).next_to(self.diagram.column(0), DOWN, buff=0.15),
            self.text("output", SIZE.small, color=th.muted)
            .next_to(self.diagram.column(self.diagram.depth), DOWN, buff=0.15),
        )
        self.add_foreground_mobject(digit)
        small = self.question.copy().scale(0.75).move_to([0, QUESTION_Y, 0])
        self.legend = self.colour_key()
        self.legend.move_to([5.6, DEEP_NET_CENTER[1] - 0.1, 0])
        self.shown["decades"] = [float(self.scale.lo), float(self.scale.hi)]
        self.say("A preview: colour will show each weight's gradient, bright if large, dark if tiny.",
                 FadeOut(self.note), self.question.animate.become(small), Create(self.diagram),
                 FadeIn(digit, wires, ends), FadeIn(self.legend), run_time=2.0)

    def sweep_right_to_left(self) -> None:
        """Beat 4: back prop from the output: each layer's edges take their |dC/dW_l| colour."""
        r, th = self.res.fading, self.theme
        arrow = Arrow([self.diagram.layer_x(r.depth), ARROW_Y, 0], [self.diagram.layer_x(0), ARROW_Y, 0],
                      buff=0, color=th.backward, stroke_width=4, max_tip_length_to_length_ratio=0.03)
        arrow_label = self.text("back prop: from the output toward the input", SIZE.small, color=th.backward)
        arrow_label.next_to(arrow, DOWN, buff=0.1)
        self.arrow = VGroup(arrow, arrow_label)
        steps = []
        for l in self.res.sweep:
            styles = gradient_edge_styles(r.edge_grads, r.drawn, l, self.scale, th)
            self.shown[f"edges_W{l}"] = [float(v) for v in r.edge_grads[l - 1].ravel()]
            steps.append(self.diagram.edge_style_animation(l, styles))
        if r.regime == "vanishing":
            caption = "Back prop starts at the output and runs right to left. The colour drains away."
        elif r.regime == "exploding":
            caption = "Back prop starts at the output and runs right to left. The colour blows up."
        else:
            caption = "Back prop starts at the output and runs right to left. Here the colour holds up."
        self.say(caption, Create(arrow), FadeIn(arrow_label), Succession(*steps, lag_ratio=1.0),
                 run_time=1.0 * len(steps))

    def compare_first_and_last(self) -> None:
        """Beat 5: layer 1's bias gradient against the last hidden layer's, as a factor."""
        r, th = self.res.fading, self.theme
        h = r.last_hidden
        word = "smaller" if r.ratio >= 1 else "larger"
        factor = self.number("factor", r.factor, SIZE.body).text
        color = th.warn if r.regime != "level" else th.good
        self.compare = VGroup(
            self.text(f"Layer 1's bias gradient: {factor} times {word} than layer {h}'s", SIZE.body,
                      t2c={factor: color}),
            self.text(f"(layer {h}: the last hidden layer; sizes of the gradients, on this one digit)", SIZE.small,
                      color=th.muted),
        ).arrange(DOWN, buff=0.15).move_to([0, COMPARE_Y, 0])
        if r.regime == "vanishing":
            caption = (f"On this digit, before any training, layer 1's bias gradient is {factor} times smaller "
                       f"than that of layer {h}, the last hidden layer.")
        elif r.regime == "exploding":
            caption = (f"On this digit, before any training, layer 1's bias gradient is {factor} times larger "
                       f"than that of layer {h}, the last hidden layer.")
        else:
            caption = (f"On this digit, layer 1's bias gradient is only {factor} times {word} than that of "
                       f"layer {h}, the last hidden layer: no layer is left behind.")
        self.say(caption, FadeIn(self.compare), run_time=1.2)

    def episode_title(self) -> None:
        """Beat 6: the preview gives way to the episode's title."""
        th = self.theme
        title = self.text(self.lesson.title, SIZE.title).move_to([0, 0.3, 0])
        self.title = title
        rule = Line([-title.width / 2, 0, 0], [title.width / 2, 0, 0], stroke_color=th.backward, stroke_width=3)
        rule.next_to(title, DOWN, buff=0.25)
        caption = f"This episode: {self.t(self.lesson.title).lower()}. What it is, and why it held deep nets back."
        with self.beat(caption, hold=1.0):
            self.play(*[FadeOut(m) for m in self.mobjects], run_time=0.8)
            self.play(Write(title), Create(rule), run_time=1.5)

    # ---------- pieces ----------
    def colour_key(self) -> VGroup:
        """The colour bar of chapter 8's legend, read in words: tiny (dark) to large (bright)."""
        th = self.theme
        bar = self.scale.legend(th, "|dC/dw|", height=2.5)[0]
        top = self.text("large (bright)", SIZE.small).next_to(bar, UP, buff=0.12)
        bottom = self.text("tiny (dark)", SIZE.small).next_to(bar, DOWN, buff=0.12)
        heading = self.text("each weight's\ngradient", SIZE.small, color=th.muted).next_to(top, UP, buff=0.12)
        return VGroup(bar, top, bottom, heading)
