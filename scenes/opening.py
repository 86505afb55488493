"""Chapter 1, "A puzzle": why did deep fully-connected nets train so slowly, for years?

The episode's title and the lesson's deep net with one real digit as input. In principle a
fully-connected net (each neuron feeds every neuron of the next layer) with one hidden layer of enough
neurons can approximate any continuous function, and for some functions depth needs far fewer neurons; yet for
years deep ones trained painfully slowly or stalled. Then a preview of chapter 7: the colour of
each drawn weight shows how strongly training pushes it (its own |∂C/∂W_l[j, k]| = |δ_l[j]
a_(l-1)[k]| on chapter 7's log colour scale, read here only as "how hard", bright if strongly,
dark if barely: gradients, log scales and e-notation come later). Back prop works these pushes
out from the output backwards (all layers are then updated together), and the colours sweep from
right to left. The headline is about the same weights the picture colours: how hard layer 1's
weights are pushed, all together, next to those of layer L − 1, the last hidden layer, ‖∂C/∂W_1‖
/ ‖∂C/∂W_(L-1)‖, written with ``fmt_ratio`` ("1/110") as chapter 7 writes its own (bias) ratio.
The last beat says where the answers are: the mechanism in chapters 6 to 9, the fixes in 10 to 12,
why it took so long in the last (the numbers from ``number_of``). Every other number comes from
:func:`netsim.experiments.opening.cold_open` (which runs chapter 7's experiment).

Render: ``.venv/bin/manim -ql scenes/opening.py ColdOpen``.
"""

from __future__ import annotations

import math

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
    Transform,
    VGroup,
    Write,
)

from netsim.experiments.opening import ColdOpenResult, cold_open
from scenes.engine.chapters import number_of
from scenes.engine.common import LessonScene
from scenes.engine.drawn import gradient_picture
from scenes.engine.i18n import t
from scenes.engine.lesson import Lesson, per_net
from scenes.engine.netdiagram import (
    DEEP_NET_CENTER,
    DEEP_NET_HEIGHT,
    DEEP_NET_SAMPLE,
    DEEP_NET_WIDTH,
    DIGIT_X,
    NetDiagram,
    digit_picture,
    gradient_edge_styles,
)
from scenes.engine.style import SIZE, SUBTITLE_BAND_TOP, GradientScale, fmt_ratio, label

TITLE_Y = 0.3          # the episode's title, before it moves up to make room for the net
MASTHEAD = (6.8, 3.6)  # where it then stays: its right edge and its centre's height
ROW_Y = -0.55          # the layers' names under the net
ARROW_Y = -1.08
NOTE_Y = -2.2          # the headline
QUESTION_Y = -3.0      # the question, all chapter long
#: The widest the headline's caveat may be (the frame is 14.2 wide).
NOTE_WIDTH = 13.4
LEGEND = (4.35, 1.0)   # the centre of the colour bar
#: The last beat: the arrow makes way, the headline and the question move up, the map of the
#: answers takes the question's place.
END_GAP = 0.16         # between the layers' names, the headline, the question and the map
END_FLOOR = SUBTITLE_BAND_TOP + 0.05  # the map's lowest
#: Where the episode answers the puzzle: (the words, the chapters' slugs).
ANSWERS = (("the mechanism", ("backprop", "exploding")), ("the fixes", ("wayout", "after")),
           ("the history", ("after",)))
#: The titles of the lessons in scenes/lessons that have a translation: the episode's title
#: is the lesson's, looked up whole when a course renders the lesson in another language.
LESSON_TITLES = (t("The vanishing gradient"),)


@per_net
def experiment(lesson: Lesson) -> ColdOpenResult:
    """The preview's numbers for a lesson: chapter 7's experiment, on chapter 7's digit."""
    return cold_open(lesson.net, sample=DEEP_NET_SAMPLE)


class ColdOpen(LessonScene):
    """The puzzle, and a preview of how hard training pushes each layer of a deep net."""

    def construct(self) -> None:
        self.prepare()
        self.ask_the_question()
        self.colour_key_beat()
        self.sweep_right_to_left()
        self.compare_first_and_last()
        self.where_the_answers_are()
        self.end_chapter()

    # ---------- helpers ----------
    def prepare(self) -> None:
        """The numbers (from netsim) and the colour scale, before any beat."""
        self.res = experiment(self.lesson)
        self.picture = gradient_picture(self.res.fading)  # the neurons drawn, their edges, the colour scale
        self.scale = GradientScale(*self.picture.decades)

    # ---------- beats ----------
    def ask_the_question(self) -> None:
        """Beat 1: the heading, the episode's title, the deep net with its digit, the question."""
        r, th = self.res.fading, self.theme
        self.heading = self.chapter_heading(t("A puzzle"))
        title = self.text(self.lesson.title, SIZE.title).move_to([0, TITLE_Y, 0])
        rule = Line([-title.width / 2, 0, 0], [title.width / 2, 0, 0], stroke_color=th.backward, stroke_width=3)
        rule.next_to(title, DOWN, buff=0.2)
        self.title = title
        self.masthead = VGroup(title, rule)

        drawn = self.picture.drawn
        self.diagram = NetDiagram(r.sizes, th, shown=drawn, width=DEEP_NET_WIDTH, height=DEEP_NET_HEIGHT)
        self.diagram.move_to(DEEP_NET_CENTER)
        self.shown["sizes"] = [float(n) for n in r.sizes]
        self.pixel_squares, digit = digit_picture(r.pixels, drawn[0], th)
        digit.move_to([DIGIT_X, DEEP_NET_CENTER[1], 0])
        self.digit = digit
        wires = VGroup(*[
            Line(self.pixel_squares[k].get_center(), self.diagram.neuron(0, k).get_left(),
                 stroke_color=th.muted, stroke_width=1, stroke_opacity=0.7)
            for k in drawn[0]
        ])
        self.layer_names = self.name_layers()

        self.question = self.text(t("Why did deep fully-connected nets train slowly and poorly, for years?"), SIZE.body)
        self.question.move_to([0, QUESTION_Y, 0])
        caption = t("For some functions, a deep net needs far fewer neurons than a shallow one. So why, for years, "
                    "did deep fully-connected nets train slowly and poorly?")
        with self.beat(caption):
            self.play(FadeIn(self.heading), Write(title), Create(rule), run_time=1.5)
            self.wait(0.5)
            small = self.masthead.copy().scale(0.62)
            small.move_to([MASTHEAD[0] - small.width / 2, MASTHEAD[1], 0])
            self.add_foreground_mobject(digit)
            self.play(self.masthead.animate.become(small), Create(self.diagram), FadeIn(digit, wires),
                      FadeIn(self.layer_names), FadeIn(self.question, shift=UP * 0.2), run_time=2.0)

    def colour_key_beat(self) -> None:
        """Beat 2: the colour key: bright if training pushes a weight strongly, dark if barely."""
        self.legend = self.colour_key()
        self.shown["decades"] = [float(self.scale.lo), float(self.scale.hi)]
        self.say(t("Colour: how hard training pushes each weight."),
                 FadeIn(self.legend), run_time=1.2)

    def sweep_right_to_left(self) -> None:
        """Beat 3: back prop works the pushes out from the output back; each layer's weights take
        their colour, right to left."""
        r, th, pic = self.res.fading, self.theme, self.picture
        arrow = Arrow([self.diagram.layer_x(r.depth), ARROW_Y, 0], [self.diagram.layer_x(0), ARROW_Y, 0],
                      buff=0, color=th.backward, stroke_width=4, max_tip_length_to_length_ratio=0.03)
        arrow_label = self.text(t("back prop: from the output backwards"), SIZE.small, color=th.backward)
        arrow_label.next_to(arrow, DOWN, buff=0.1)
        self.arrow = VGroup(arrow, arrow_label)
        steps = []
        for l in self.res.sweep:
            styles = gradient_edge_styles(pic.edge_grads, pic.drawn, l, self.scale, th)
            self.shown[f"edges_W{l}"] = [float(v) for v in pic.edge_grads[l - 1].ravel()]
            steps.append(self.diagram.edge_style_animation(l, styles))
        fade = t("Back prop computes the pushes from the output back. Toward the "
                 "input they fade.")
        caption = {
            "vanishing": fade,
            "stuck": fade,
            "exploding": t("Back prop computes the pushes from the output back. "
                           "Toward the input they grow."),
            "level": t("Back prop computes the pushes from the output back. They "
                       "hold up all the way to the input."),
            "dead": t("Back prop computes the pushes from the output back. But none "
                      "reaches the hidden layers."),
        }[self.res.regime]
        self.say(caption,
                 Create(arrow), FadeIn(arrow_label), Succession(*steps, lag_ratio=1.0), run_time=0.8 * len(steps))

    def compare_first_and_last(self) -> None:
        """Beat 4: how hard layer 1's weights are pushed, all together, next to the last hidden
        layer's: ‖∂C/∂W_1‖ / ‖∂C/∂W_(L-1)‖."""
        res, th = self.res, self.theme
        h = res.last_hidden
        self.shown["pushed"] = res.pushed
        ratio = fmt_ratio(res.pushed)
        color = th.good if res.regime == "level" else th.warn
        if res.regime == "dead":
            line = self.text(t("Layer 1's weights and layer {h}'s: not pushed at all", h=h), SIZE.body)
            caption = t("On this digit, at the start, neither layer 1's weights nor layer {h}'s are pushed at all.",
                        h=h)
        elif res.regime == "stuck":
            line = self.text(t("Layer 1's weights: not pushed at all; layer {h}'s are", h=h), SIZE.body)
            caption = t("On this digit, at the start, layer 1's weights are not pushed at all, while layer {h}'s "
                        "are.", h=h)
        elif math.isinf(res.pushed):
            line = self.text(t("Layer 1's weights are pushed; layer {h}'s not at all", h=h), SIZE.body)
            caption = t("On this digit, at the start, layer 1's weights are pushed, while layer {h}'s are not "
                        "pushed at all.", h=h)
        elif ratio in ("1", "1/1"):  # equal to two significant figures
            line = self.text(t("Layer 1's weights are pushed about as hard as layer {h}'s", h=h), SIZE.body)
            caption = t("On this digit, at the start, layer 1's weights together are pushed about as hard as layer "
                        "{h}'s.", h=h)
        elif res.pushed < 1:  # a fraction: "1/110 as hard"
            line = self.text(t("Layer 1's weights are pushed {ratio} as hard as layer {h}'s", ratio=ratio, h=h),
                             SIZE.body, t2c={ratio: color})
            caption = t("On this digit, at the start, layer 1's weights together are pushed {ratio} as hard as "
                        "layer {h}'s.", ratio=ratio, h=h)
        else:
            line = self.text(t("Layer 1's weights are pushed {ratio} times as hard as layer {h}'s", ratio=ratio, h=h),
                             SIZE.body, t2c={ratio: color})
            caption = t("On this digit, at the start, layer 1's weights together are pushed {ratio} times as hard "
                        "as layer {h}'s.", ratio=ratio, h=h)
        # a caveat: bright, not grey (round 32)
        # two lines: one ran past both edges of the frame once it named the cost (round 40)
        note = self.text(t("(a layer's weights together; layer {h}: last hidden layer;\none digit, untrained; "
                           "cost: the cross-entropy, chapter {chapter})", h=h, chapter=number_of("fading")), SIZE.small,
                         color=th.text, line_spacing=0.7)
        if note.width > NOTE_WIDTH:  # a long translation stays inside the frame too
            note.scale_to_fit_width(NOTE_WIDTH)
        self.compare = VGroup(line, note).arrange(DOWN, buff=0.06).move_to([0, NOTE_Y, 0])
        self.say(caption, FadeIn(self.compare), run_time=1.2)

    def where_the_answers_are(self) -> None:
        """Beat 5: where the episode answers the puzzle: the cause, the fixes, the history."""
        th = self.theme
        chapters = {words: [number_of(s) for s in slugs] for words, slugs in ANSWERS}
        for words, numbers in chapters.items():
            self.shown[f"chapters: {words}"] = [float(n) for n in numbers]
        (c1, c2), (f1, f2), (h1,) = chapters["the mechanism"], chapters["the fixes"], chapters["the history"]
        items = VGroup(*[self.text(words, SIZE.small, color=th.muted) for words in (
            t("the mechanism: chapters {first} to {last}", first=c1, last=c2),
            t("the fixes: chapters {first} to {last}", first=f1, last=f2),
            t("the history: chapter {number}", number=h1))])
        items.arrange(RIGHT, buff=0.6)
        # the headline, the question and the map, stacked under the layers' names (the two-line caveat
        # ran into them in Chinese, round 40) and above END_FLOOR; smaller together if a language needs it
        top = self.layer_names.get_bottom()[1] - END_GAP
        compare, question = self.compare.copy(), self.question.copy()
        stack = VGroup(compare, question, items).arrange(DOWN, buff=END_GAP)
        if stack.height > top - END_FLOOR:
            stack.scale_to_fit_height(top - END_FLOOR)
        stack.move_to([0, top - stack.height / 2, 0])
        self.answers = items
        caption = t("Chapters {cause1}–{cause2}: the mechanism; {fix1}–{fix2}: fixes and history.",
                    cause1=c1, cause2=c2, fix1=f1, fix2=f2)
        self.say(caption, FadeOut(self.arrow), Transform(self.compare, compare), Transform(self.question, question),
                 FadeIn(items, shift=UP * 0.2), run_time=1.2)

    # ---------- pieces ----------
    def name_layers(self) -> VGroup:
        """Under the columns: the hidden layers' numbers, and under them "input", "hidden layers", "output"."""
        th, d = self.theme, self.diagram
        names = VGroup(self.text(t("input"), SIZE.small, color=th.muted).move_to([d.layer_x(0), ROW_Y - 0.3, 0]),
                       self.text(t("output"), SIZE.small, color=th.muted).move_to([d.layer_x(d.depth), ROW_Y - 0.3,
                                                                                   0]))
        numbers = VGroup(*[label(str(l), th, SIZE.small, color=th.muted).move_to([d.layer_x(l), ROW_Y, 0])
                           for l in range(1, d.depth)])
        hidden = self.text(t("hidden layers"), SIZE.small, color=th.muted)
        hidden.move_to([(d.layer_x(1) + d.layer_x(d.depth - 1)) / 2, ROW_Y - 0.3, 0])
        return VGroup(names, numbers, hidden)

    def colour_key(self) -> VGroup:
        """The colour bar of chapter 7's legend, read in words: dark (barely) to bright (strongly)."""
        th = self.theme
        bar = self.scale.legend(th, height=2.0)[0]  # the bar only: its words are said here
        bar.move_to([*LEGEND, 0])
        top = self.text(t("strongly"), SIZE.small).next_to(bar.get_corner(UP + RIGHT), RIGHT, buff=0.15)
        bottom = self.text(t("barely"), SIZE.small).next_to(bar.get_corner(DOWN + RIGHT), RIGHT, buff=0.15)
        heading = self.text(t("how hard training\npushes a weight\n(log scale)"), SIZE.small, color=th.muted)
        heading.next_to(bar, UP, buff=0.3).align_to(bar, LEFT)
        return VGroup(bar, top, bottom, heading)


__all__ = ["ColdOpen", "experiment"]
