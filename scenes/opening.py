"""Chapter 1, the cold open: the puzzle, a ten-second preview of chapter 7, the title.

Deep nets can learn a lot, so why could nobody train them well until 2006? Then a preview:
one real digit through the lesson's deep net, and back prop sweeping right to left, each
drawn edge coloured by its own |dC/dW_l[j, k]| = |delta_l[j] a_{l-1}[k]| on the log scale
chapter 7 uses (same diagram, same place, same colours). With sigmoid layers the colour
drains out toward the input. It ends on the episode's title. Every number comes from
:func:`netsim.experiments.cost.cold_open` (which runs chapter 7's experiment).

Render: ``.venv/bin/manim -ql scenes/opening.py ColdOpen``.
"""

from __future__ import annotations

from functools import lru_cache

from manim import (
    DOWN,
    LEFT,
    UP,
    AnimationGroup,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    Line,
    Square,
    Succession,
    VGroup,
    Wait,
    Write,
)

from netsim.experiments.cost import ColdOpenResult, cold_open
from scenes.common import LessonScene, current_lesson
from scenes.fading import NET_CENTER, NET_HEIGHT, NET_WIDTH, PIXEL, SAMPLE, layer_edge_styles
from scenes.lesson import Lesson
from scenes.netdiagram import NetDiagram
from scenes.style import SIZE, GradientScale

LESSON = current_lesson()

READING_SPEED = 16.0  # caption characters per second
QUESTION_Y = -3.05     # where the question waits while the preview plays
ARROW_Y = -0.95
COMPARE_Y = -2.0


@lru_cache(maxsize=4)
def experiment(lesson: Lesson) -> ColdOpenResult:
    """The preview's numbers for a lesson: chapter 7's experiment, on chapter 7's digit."""
    return cold_open(lesson.sizes, activation=lesson.activation, init=lesson.init,
                     bias_init=lesson.bias_init, seed=lesson.seed, sample=SAMPLE)


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
            self.end_chapter("Let us find out why.")

    # ---------- helpers ----------
    def prepare(self) -> None:
        """The numbers (from netsim) and the colour scale, before any beat."""
        self.res = experiment(self.lesson)
        self.scale = GradientScale(*self.res.fading.decades)
        self.captions: list[str] = []

    def say(self, caption: str, *anims: AnimationGroup, run_time: float = 1.0) -> None:
        """Play ``anims`` under ``caption``, then hold until the caption can be read."""
        total = max(run_time, len(caption) / READING_SPEED)
        self.captions.append(caption)
        if not anims:
            anims = (Wait(run_time=total),)
            run_time = total
        self.play(*anims, run_time=run_time, subcaption=caption, subcaption_duration=total)
        if total > run_time:
            self.wait(total - run_time)

    # ---------- beats ----------
    def title_beat(self) -> None:
        """Beat 1: the chapter heading."""
        self.heading = self.chapter_heading("A puzzle")
        self.say("Before we start, a puzzle.", FadeIn(self.heading), run_time=1.0)

    def ask_the_question(self) -> None:
        """Beat 2: deep nets are powerful; why could nobody train them until the year?"""
        th = self.theme
        year = self.number("year", self.res.year, SIZE.body).text
        line1 = self.text("A net with many layers can learn almost anything.", SIZE.body)
        line2 = self.text(f"So why could nobody train one well until {year}?", SIZE.body, t2c={year: th.warn})
        self.question = VGroup(line1, line2).arrange(DOWN, buff=0.3).move_to([0, 0.3, 0])
        self.say(f"In principle, a net with many layers can learn almost anything. Yet until {year}, "
                 "nobody could train such deep nets well. Why?", FadeIn(line1), FadeIn(line2, shift=UP * 0.2),
                 run_time=2.0)

    def show_deep_net(self) -> None:
        """Beat 3: the lesson's deep net (chapter 7's drawing) and one real digit as input."""
        r, th = self.res.fading, self.theme
        self.diagram = NetDiagram(r.sizes, th, shown=r.drawn, width=NET_WIDTH, height=NET_HEIGHT)
        self.diagram.move_to(NET_CENTER)
        self.shown["sizes"] = [float(n) for n in r.sizes]
        digit = self.digit_grid()
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
        small = self.question.copy().scale(0.8).move_to([0, QUESTION_Y, 0])
        self.legend = self.scale.legend(th, "|dC/dw|", height=2.5)
        bar, ticks, heading = self.legend
        heading.next_to(VGroup(bar, ticks), UP, buff=0.15).align_to(bar, LEFT)
        self.legend.move_to([6.05, NET_CENTER[1] - 0.1, 0])
        self.shown["decades"] = [float(self.scale.lo), float(self.scale.hi)]
        self.say("A hint. In this deep net, colour will show how fast each weight can learn.",
                 self.question.animate.become(small), Create(self.diagram), FadeIn(digit, wires, ends),
                 FadeIn(self.legend), run_time=2.0)

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
            styles = layer_edge_styles(r, l, self.scale, th)
            self.shown[f"edges_W{l}"] = [float(v) for v in r.edge_grads[l - 1].ravel()]
            steps.append(self.diagram.edge_style_animation(l, styles))
        per_layer = 1.0
        if r.regime == "vanishing":
            caption = "Back prop starts at the output and runs right to left. The colour drains away."
        elif r.regime == "exploding":
            caption = "Back prop starts at the output and runs right to left. The colour blows up."
        else:
            caption = "Back prop starts at the output and runs right to left. Here the colour holds up."
        self.captions.append(caption)
        self.play(Create(arrow), FadeIn(arrow_label), Succession(*steps, lag_ratio=1.0),
                  run_time=per_layer * len(steps), subcaption=caption,
                  subcaption_duration=max(per_layer * len(steps), len(caption) / READING_SPEED))
        extra = len(caption) / READING_SPEED - per_layer * len(steps)
        if extra > 0:
            self.wait(extra)

    def compare_first_and_last(self) -> None:
        """Beat 5: layer 1's gradient against layer L's, as a factor (chapter 7's number)."""
        r, th = self.res.fading, self.theme
        L = r.depth
        word = "smaller" if r.ratio >= 1 else "larger"
        factor = self.number("factor", r.factor, SIZE.body).text
        color = th.warn if r.regime != "level" else th.good
        self.compare = self.text(f"Layer 1's gradient: {factor} times {word} than layer {L}'s", SIZE.body,
                                 t2c={factor: color}).move_to([0, COMPARE_Y, 0])
        if r.regime == "vanishing":
            caption = (f"For this one digit, before any training, the first layer's gradient is {factor} times "
                       "smaller than the last one's: it learns that much more slowly.")
        elif r.regime == "exploding":
            caption = f"The first layer's gradient is {factor} times larger than the last one's."
        else:
            caption = (f"The first layer's gradient is only {factor} times {word} than the last one's: "
                       "every layer learns.")
        self.say(caption, FadeIn(self.compare), run_time=1.2)

    def episode_title(self) -> None:
        """Beat 6: the preview gives way to the episode's title."""
        th = self.theme
        title = self.text(self.lesson.title, SIZE.title).move_to([0, 0.3, 0])
        self.title = title
        rule = Line([-title.width / 2, 0, 0], [title.width / 2, 0, 0], stroke_color=th.backward, stroke_width=3)
        rule.next_to(title, DOWN, buff=0.25)
        caption = f"This episode: {self.t(self.lesson.title).lower()}. What it is, and why it held deep nets back."
        self.captions.append(caption)
        total = max(2.3, len(caption) / READING_SPEED)
        self.play(*[FadeOut(m) for m in self.mobjects], run_time=0.8, subcaption=caption,
                  subcaption_duration=total + 1.0)
        self.play(Write(title), Create(rule), run_time=1.5)
        self.wait(total - 2.3 + 1.0)

    # ---------- pieces ----------
    def digit_grid(self) -> VGroup:
        """The 8x8 input image as in chapter 7: brightness = pixel, drawn pixels outlined."""
        r, th = self.res.fading, self.theme
        squares = VGroup()
        for row in range(8):
            for col in range(8):
                v = float(r.pixels[row, col])
                sq = Square(PIXEL, stroke_color=th.muted, stroke_width=0.5,
                            fill_color=th.text, fill_opacity=0.04 + 0.96 * v)
                squares.add(sq.move_to([col * PIXEL, -row * PIXEL, 0]))
        self.pixel_squares = squares
        outlines = VGroup(*[
            Square(PIXEL, stroke_color=th.forward, stroke_width=2.5).move_to(squares[k])
            for k in r.drawn[0]
        ])
        return VGroup(squares, outlines).move_to([-5.95, NET_CENTER[1], 0])
