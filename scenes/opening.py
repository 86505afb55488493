"""Chapter 1, "A puzzle": why were deep fully-connected nets so hard to train until 2006?

The episode's title and the lesson's deep net with one real digit as input. (Convolutional
nets such as LeNet-5 trained well in 1998: the puzzle is about fully-connected nets.) Then a
preview of chapter 7: the colour of each drawn weight shows how strongly training pushes it
(its own |∂C/∂W_l[j, k]| = |δ_l[j] a_(l-1)[k]| on chapter 7's log colour scale, read here only
as "bright if strongly, dark if barely": gradients, log scales and e-notation come later),
swept from the output back to the input. With sigmoid layers the colour drains toward the
input; the headline says how hard layer 1 is pushed next to layer L − 1, the last hidden
layer: ‖∂C/∂b_1‖ / ‖∂C/∂b_(L-1)‖, written with ``fmt_ratio`` ("1/120") as chapter 7 writes it.
The last beat says that the last chapter answers the puzzle. Every number comes from
:func:`netsim.experiments.opening.cold_open` (which runs chapter 7's experiment).

Render: ``.venv/bin/manim -ql scenes/opening.py ColdOpen``.
"""

from __future__ import annotations

from functools import lru_cache

from manim import (
    DOWN,
    LEFT,
    RIGHT,
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
from scenes.style import SIZE, GradientScale, fmt_ratio, label

TITLE_Y = 0.3          # the episode's title, before it moves up to make room for the net
MASTHEAD = (6.8, 3.6)  # where it then stays: its right edge and its centre's height
ROW_Y = -0.55          # the layers' names under the net
ARROW_Y = -1.35
NOTE_Y = -2.45         # the LeNet-5 note, then the headline
QUESTION_Y = -3.4      # the question, all chapter long
LEGEND = (4.35, 1.0)    # the centre of the colour bar


@lru_cache(maxsize=4)
def experiment(lesson: Lesson) -> ColdOpenResult:
    """The preview's numbers for a lesson: chapter 7's experiment, on chapter 7's digit."""
    return cold_open(lesson.sizes, activation=lesson.activation, init=lesson.init,
                     bias_init=lesson.bias_init, seed=lesson.seed, sample=DEEP_NET_SAMPLE)


class ColdOpen(LessonScene):
    """The puzzle, and a preview of how hard training pushes each layer of a deep net."""

    #: Stop before the final fade (the golden test of the key picture sets this).
    skip_end = False

    def construct(self) -> None:
        self.prepare()
        self.ask_the_question()
        self.convolutional_nets()
        self.colour_key_beat()
        self.sweep_right_to_left()
        self.compare_first_and_last()
        if not self.skip_end:
            self.end_chapter("Why, what it costs, what fixed it: the last chapter answers the puzzle.")

    # ---------- helpers ----------
    def prepare(self) -> None:
        """The numbers (from netsim) and the colour scale, before any beat."""
        self.res = experiment(self.lesson)
        self.scale = GradientScale(*self.res.fading.decades)

    # ---------- beats ----------
    def ask_the_question(self) -> None:
        """Beat 1: the heading, the episode's title, the deep net with its digit, the question."""
        r, th = self.res.fading, self.theme
        self.heading = self.chapter_heading("A puzzle")
        title = self.text(self.lesson.title, SIZE.title).move_to([0, TITLE_Y, 0])
        rule = Line([-title.width / 2, 0, 0], [title.width / 2, 0, 0], stroke_color=th.backward, stroke_width=3)
        rule.next_to(title, DOWN, buff=0.2)
        self.title = title
        self.masthead = VGroup(title, rule)

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
        self.layer_names = self.name_layers()

        year = self.number("year", self.res.year, SIZE.body).text
        self.question = self.text(f"Until {year}, deep fully-connected nets were very hard to train. Why?",
                                  SIZE.body, t2c={year: th.warn})
        self.question.move_to([0, QUESTION_Y, 0])
        caption = (f"A deep fully-connected net can learn almost anything, in principle. Yet until {year} such nets "
                   "were very hard to train. Why?")
        with self.beat(caption):
            self.play(FadeIn(self.heading), Write(title), Create(rule), run_time=1.5)
            self.wait(0.5)
            small = self.masthead.copy().scale(0.62)
            small.move_to([MASTHEAD[0] - small.width / 2, MASTHEAD[1], 0])
            self.add_foreground_mobject(digit)
            self.play(self.masthead.animate.become(small), Create(self.diagram), FadeIn(digit, wires),
                      FadeIn(self.layer_names), FadeIn(self.question, shift=UP * 0.2), run_time=2.0)

    def convolutional_nets(self) -> None:
        """Beat 2: LeNet-5, a convolutional net, trained well in 1998."""
        conv = self.number("convnet_year", self.res.convnet_year, SIZE.small).text
        self.note = self.text(f"(Convolutional nets such as LeNet-5 already trained well in {conv}.)", SIZE.label,
                              color=self.theme.muted).move_to([0, NOTE_Y, 0])
        self.say(f"(Convolutional nets such as LeNet-5 already trained well in {conv}.)", FadeIn(self.note),
                 run_time=1.0)

    def colour_key_beat(self) -> None:
        """Beat 3: the colour key: bright if training pushes a weight strongly, dark if barely."""
        self.legend = self.colour_key()
        self.shown["decades"] = [float(self.scale.lo), float(self.scale.hi)]
        self.say("Colour shows how hard training pushes each weight: bright if strongly, dark if barely.",
                 FadeIn(self.legend), run_time=1.2)

    def sweep_right_to_left(self) -> None:
        """Beat 4: from the output back to the input, each layer's weights take their colour."""
        r, th = self.res.fading, self.theme
        arrow = Arrow([self.diagram.layer_x(r.depth), ARROW_Y, 0], [self.diagram.layer_x(0), ARROW_Y, 0],
                      buff=0, color=th.backward, stroke_width=4, max_tip_length_to_length_ratio=0.03)
        arrow_label = self.text("training works back from the output", SIZE.small, color=th.backward)
        arrow_label.next_to(arrow, DOWN, buff=0.1)
        self.arrow = VGroup(arrow, arrow_label)
        steps = []
        for l in self.res.sweep:
            styles = gradient_edge_styles(r.edge_grads, r.drawn, l, self.scale, th)
            self.shown[f"edges_W{l}"] = [float(v) for v in r.edge_grads[l - 1].ravel()]
            steps.append(self.diagram.edge_style_animation(l, styles))
        ending = {
            "vanishing": "; toward the input the colour drains away.",
            "stuck": "; toward the input the colour drains away.",
            "exploding": "; toward the input the colour grows brighter.",
            "level": ", and the colour holds up all the way to the input.",
            "dead": ", but no push reaches the hidden layers at all.",
        }[self.res.regime]
        self.say(f"Training works back from the output{ending}", Create(arrow), FadeIn(arrow_label),
                 Succession(*steps, lag_ratio=1.0), run_time=0.8 * len(steps))

    def compare_first_and_last(self) -> None:
        """Beat 5: how hard layer 1 is pushed next to the last hidden layer, ‖∂C/∂b_1‖ / ‖∂C/∂b_(L-1)‖."""
        res, th = self.res, self.theme
        h = res.last_hidden
        self.shown["pushed"] = res.pushed
        ratio = fmt_ratio(res.pushed)
        times = "" if res.pushed < 1 else " times"
        color = th.good if res.regime == "level" else th.warn
        if res.regime == "dead":
            line = self.text(f"Layers 1 and {h}: not pushed at all", SIZE.body)
            caption = (f"On this digit, before training, neither layer 1 nor layer {h}, the last hidden layer, "
                       "is pushed at all.")
        elif res.regime == "stuck":
            line = self.text(f"Layer 1 is not pushed at all; layer {h} is", SIZE.body)
            caption = (f"On this digit, before training, layer 1 is not pushed at all, while layer {h}, the last "
                       "hidden layer, is.")
        elif ratio in ("1", "1/1"):  # equal to two significant figures
            line = self.text(f"Layer 1 is pushed about as hard as layer {h}", SIZE.body)
            caption = (f"On this digit, before training, layer 1 is pushed about as hard as layer {h}, the last "
                       "hidden layer.")
        else:
            line = self.text(f"Layer 1 is pushed {ratio}{times} as hard as layer {h}", SIZE.body,
                             t2c={ratio: color})
            caption = (f"On this digit, before training, layer 1 is pushed {ratio}{times} as hard as layer {h}, "
                       "the last hidden layer.")
        note = self.text(f"(layer {h}: the last hidden layer, just before the output; one digit, before training)",
                         SIZE.small, color=th.muted)
        self.compare = VGroup(line, note).arrange(DOWN, buff=0.15).move_to([0, NOTE_Y, 0])
        self.say(caption, FadeOut(self.note), FadeIn(self.compare), run_time=1.2)

    # ---------- pieces ----------
    def name_layers(self) -> VGroup:
        """Under the columns: the hidden layers' numbers, and under them "input", "hidden layers", "output"."""
        th, d = self.theme, self.diagram
        names = VGroup(self.text("input", SIZE.small, color=th.muted).move_to([d.layer_x(0), ROW_Y - 0.3, 0]),
                       self.text("output", SIZE.small, color=th.muted).move_to([d.layer_x(d.depth), ROW_Y - 0.3, 0]))
        numbers = VGroup(*[label(str(l), th, SIZE.small, color=th.muted).move_to([d.layer_x(l), ROW_Y, 0])
                           for l in range(1, d.depth)])
        hidden = self.text("hidden layers", SIZE.small, color=th.muted)
        hidden.move_to([(d.layer_x(1) + d.layer_x(d.depth - 1)) / 2, ROW_Y - 0.3, 0])
        return VGroup(names, numbers, hidden)

    def colour_key(self) -> VGroup:
        """The colour bar of chapter 7's legend, read in words: dark (barely) to bright (strongly)."""
        th = self.theme
        bar = self.scale.legend(th, height=2.0)[0]  # the bar only: its words are said here
        bar.move_to([*LEGEND, 0])
        top = self.text("strongly", SIZE.small).next_to(bar.get_corner(UP + RIGHT), RIGHT, buff=0.15)
        bottom = self.text("barely", SIZE.small).next_to(bar.get_corner(DOWN + RIGHT), RIGHT, buff=0.15)
        heading = self.text("how hard training\npushes a weight", SIZE.small, color=th.muted)
        heading.next_to(bar, UP, buff=0.3).align_to(bar, LEFT)
        return VGroup(bar, top, bottom, heading)


__all__ = ["ColdOpen", "experiment"]
