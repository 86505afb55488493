"""Chapter 4, "Why depth matters": early layers build the pieces later layers combine.

Every picture and number comes from :func:`netsim.experiments.depth.why_depth_matters`,
trained at render time (about 1 to 3 s):

1. Pieces to digit: a real test digit, the three first-layer neurons of a trained shallow
   net that push the right answer up most (each drawn as its 8x8 picture of weights), and
   the net's answer.
2. What a first layer learns: six first-layer neurons of the shallow net [64, 30, 10],
   before and after training. Each neuron's 64 incoming weights W_1[j] are drawn as an 8x8
   picture: blue (forward colour) for w > 0, orange (backward colour) for w < 0, brightness
   |w| (each picture on its own scale). Noise becomes strokes and blobs.
3. The twist: the lesson's deep net, trained for the same number of epochs. Its first layer
   before and after, and a bar per hidden layer of r_l = ||W_l(after) - W_l(before)|| /
   ||W_l(before)||. With sigmoid layers r_1 is several times smaller than r_{L-1}: the early
   layers barely learn, so the pieces stay noise. Captions are chosen from the numbers, so
   they stay true for the relu-he lesson too.

Render: ``.venv/bin/manim -ql scenes/depth.py WhyDepthMatters``.
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
    Arrow,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Line,
    ManimColor,
    Rectangle,
    Square,
    Text,
    VGroup,
    interpolate_color,
)

from netsim.experiments.depth import UNITS, DepthResult, why_depth_matters
from scenes.common import LessonScene, current_lesson
from scenes.lesson import Lesson
from scenes.style import SIZE

LESSON = current_lesson()

READING_SPEED = 15.0  # caption characters per second
# Layout (scene units; the frame is 14.2 x 8).
FILTER = 0.9           # side of one 8x8 weight picture in the panels
FILTER_GAP = 0.1
ROWS_LEFT = -5.8       # left edge of the picture rows ("before"/"after" labels sit left of it)
SHALLOW_TITLE_Y, SHALLOW_BEFORE_Y, SHALLOW_AFTER_Y = 2.4, 1.6, 0.6
DEEP_TITLE_Y, DEEP_BEFORE_Y, DEEP_AFTER_Y = -0.45, -1.3, -2.3
COLUMN_LEFT, COLUMN_RIGHT = 2.75, 6.85   # the right-hand column: key and bars
BAR_BASE_Y = -2.55
BAR_MAX_HEIGHT = 1.6
#: Weight pictures saturate at this quantile of |w| (one large weight would darken the rest).
SATURATE_AT = 0.97
#: A change below this fraction is "barely moved" in the captions.
BARELY = 0.1


@lru_cache(maxsize=4)
def experiment(lesson: Lesson) -> DepthResult:
    """The experiment this scene shows, for a lesson (computed once per lesson and process:
    the result is frozen, its arrays read-only)."""
    return why_depth_matters(tuple(lesson.sizes), lesson.activation, lesson.init, lesson.bias_init,
                             lesson.seed, deep_eta=lesson.learning_rate, units=min(UNITS, lesson.width))


def percent(fraction: float) -> str:
    """A fraction as a short percentage: 0.0184 -> "1.8%", 0.154 -> "15%", 1.22 -> "122%"."""
    p = 100.0 * fraction
    if p >= 9.95:
        return f"{p:.0f}%"
    if p >= 0.995:
        return f"{p:.1f}%"
    return f"{p:.2g}%"


def sizes_text(sizes: tuple[int, ...]) -> str:
    """[64, 30, 10] -> "64-30-10"."""
    return "-".join(str(n) for n in sizes)


class WhyDepthMatters(LessonScene):
    """Early layers learn the pieces; a deep sigmoid net's early layers barely learn."""

    #: Stop before the final fade (the golden test of the key picture sets this).
    skip_end = False

    def construct(self) -> None:
        self.res = experiment(self.lesson)
        self.captions: list[str] = []
        self.title_beat()
        self.pieces_to_digit()
        self.shallow_filters()
        self.shallow_before_after()
        self.deep_filters()
        self.change_per_layer()
        self.deep_accuracy()
        self.hold_key_picture()
        if not self.skip_end:
            self.end_chapter("Pieces first, then everything built on them.")

    # ---------- helpers ----------
    def say(self, caption: str, *anims: Animation, run_time: float = 1.0) -> None:
        """Play ``anims`` under ``caption``, then hold until the caption can be read."""
        total = max(run_time, len(caption) / READING_SPEED)
        self.captions.append(caption)
        if anims:
            self.play(*anims, run_time=run_time, subcaption=caption, subcaption_duration=total)
            if total > run_time:
                self.wait(total - run_time)
        else:
            self.add_subcaption(caption, duration=total)
            self.wait(total)

    def record(self, key: str, value: float | list[float]) -> None:
        """Note a displayed number that is not made by :meth:`number`."""
        self.shown[key] = [float(v) for v in value] if isinstance(value, (list, tuple)) else float(value)

    def percent_text(self, key: str, fraction: float, template: str = "{}", size: int = SIZE.label,
                     color: str | None = None) -> Text:
        """A recorded fraction shown as a percentage inside ``template``."""
        self.record(key, fraction)
        return self.text(template.format(percent(fraction)), size, color=color)

    def weight_picture(self, w: np.ndarray, side: float) -> VGroup:
        """One neuron's 64 weights as an 8x8 grid: blue w > 0, orange w < 0, brightness |w|.

        Full brightness at the picture's own ``SATURATE_AT`` quantile of |w|. Row-major, like the digit's pixels.
        """
        th = self.theme
        grid = np.asarray(w, dtype=float).reshape(8, 8)
        scale = float(np.quantile(np.abs(grid), SATURATE_AT)) or 1.0
        bg, pos, neg = ManimColor(th.background), ManimColor(th.forward), ManimColor(th.backward)
        cell = side / 8
        squares = VGroup()
        for i in range(8):
            for j in range(8):
                t = grid[i, j] / scale
                color = interpolate_color(bg, pos if t > 0 else neg, min(abs(t), 1.0))
                sq = Square(cell, stroke_width=0, fill_color=color, fill_opacity=1)
                sq.move_to([(j - 3.5) * cell, (3.5 - i) * cell, 0])
                squares.add(sq)
        frame = Square(side, stroke_color=th.edge, stroke_width=1.5)
        return VGroup(squares, frame)

    def digit_picture(self, pixels: np.ndarray, side: float) -> VGroup:
        """A digit's 64 pixels in [0, 1] as grey squares (ink bright)."""
        th = self.theme
        bg, ink = ManimColor(th.background), ManimColor(th.text)
        cell = side / 8
        squares = VGroup()
        for k, v in enumerate(np.asarray(pixels, dtype=float)):
            i, j = divmod(k, 8)
            sq = Square(cell, stroke_width=0, fill_color=interpolate_color(bg, ink, float(v)), fill_opacity=1)
            sq.move_to([(j - 3.5) * cell, (3.5 - i) * cell, 0])
            squares.add(sq)
        return VGroup(squares, Square(side, stroke_color=th.edge, stroke_width=1.5))

    def filter_row(self, weights: np.ndarray, units: tuple[int, ...], left: float, y: float) -> VGroup:
        """The weight pictures of ``units`` in a row starting at x = ``left``."""
        row = VGroup(*[self.weight_picture(weights[u], FILTER) for u in units])
        row.arrange(RIGHT, buff=FILTER_GAP)
        row.move_to([left + row.width / 2, y, 0])
        return row

    # ---------- beats ----------
    def title_beat(self) -> None:
        """Beat 1: the chapter title."""
        self.heading = self.chapter_heading("Why depth matters",
                                            "Early layers make the pieces that later layers put together")
        self.say("Why does it matter that a net has many layers?", FadeIn(self.heading), run_time=1.2)

    def pieces_to_digit(self) -> None:
        """Beat 2: a real digit, the first-layer pieces that build the answer, the answer."""
        p, th = self.res.pieces, self.theme
        digit = self.digit_picture(p.image, 2.0)
        digit_lab = self.text("a handwritten digit", SIZE.small, color=th.muted)
        parts = VGroup(*[self.weight_picture(self.res.shallow.w1_after[u], 1.5) for u in p.units])
        parts.arrange(RIGHT, buff=0.25)
        parts_lab = self.text("first layer: simple pieces", SIZE.small, color=th.muted)
        answer = self.number("pieces.prediction", p.prediction, size=72)
        answer_lab = self.text("output: the digit", SIZE.small, color=th.muted)

        VGroup(digit, parts, answer).arrange(RIGHT, buff=1.3).move_to([0, -0.3, 0])
        answer.match_y(digit)
        arrows = VGroup(
            Arrow(digit.get_right(), parts.get_left(), buff=0.15, color=th.forward, stroke_width=4),
            Arrow(parts.get_right(), answer.get_left() + 0.2 * LEFT, buff=0.15, color=th.forward, stroke_width=4),
        )
        for lab, obj in ((digit_lab, digit), (parts_lab, parts), (answer_lab, answer)):
            lab.next_to(obj, DOWN, buff=0.3).set_y(digit.get_bottom()[1] - 0.35)
        self.diagram = VGroup(digit, digit_lab, arrows, parts, parts_lab, answer, answer_lab)

        self.say("A net reads a digit in steps, left to right.", FadeIn(digit), FadeIn(digit_lab))
        self.say("Its first layer reacts to simple pieces: a stroke here, a curve there.",
                 FadeIn(arrows[0]), FadeIn(parts), FadeIn(parts_lab))
        self.say("Later layers put the pieces together into a whole digit.",
                 FadeIn(arrows[1]), FadeIn(answer), FadeIn(answer_lab))
        self.say("Everything rests on the pieces: if the first layer learns badly, so does the rest.")
        self.play(FadeOut(self.diagram), run_time=0.6)

    def panel_title(self, name: str, sizes: tuple[int, ...], y: float) -> Text:
        """"small net, 64-30-10" at the left edge of the picture rows."""
        title = self.text(f"{name}, {sizes_text(sizes)}", SIZE.label)
        title.move_to([ROWS_LEFT, y, 0], aligned_edge=LEFT)
        return title

    def row_label(self, word: str, y: float) -> Text:
        """"before" or "after", left of a row of pictures."""
        lab = self.text(word, SIZE.small, color=self.theme.muted)
        return lab.move_to([ROWS_LEFT - 0.15 - lab.width / 2, y, 0])

    def shallow_filters(self) -> None:
        """Beat 3: real first-layer weights of the trained shallow net, with a key."""
        s = self.res.shallow
        self.record("shallow.sizes", list(s.sizes))
        self.shallow_title = self.panel_title("small net", s.sizes, SHALLOW_TITLE_Y)
        self.shallow_after = self.filter_row(s.w1_after, s.units, ROWS_LEFT, SHALLOW_AFTER_Y)
        after_lab = self.row_label("after", SHALLOW_AFTER_Y)
        self.key = self.make_key()
        self.say("Here are real first-layer neurons of a small trained net.", FadeIn(self.shallow_title),
                 FadeIn(self.shallow_after), FadeIn(after_lab))
        self.say("Each picture is one neuron's 64 weights, one per pixel: "
                 "blue where ink excites it, orange where ink inhibits it.", FadeIn(self.key))

    def make_key(self) -> VGroup:
        """The colour key: orange (negative) through dark (0) to blue (positive)."""
        th = self.theme
        bg, pos, neg = ManimColor(th.background), ManimColor(th.forward), ManimColor(th.backward)
        ramp = VGroup(*[
            Square(0.3, stroke_width=0, fill_opacity=1,
                   fill_color=interpolate_color(bg, pos if v > 0 else neg, abs(float(v))))
            for v in np.linspace(-1.0, 1.0, 9)
        ]).arrange(RIGHT, buff=0)
        frame = Rectangle(width=ramp.width, height=ramp.height, stroke_color=th.edge, stroke_width=1.5)
        frame.move_to(ramp)
        name = self.text("weight", SIZE.small).next_to(ramp, LEFT, buff=0.2)
        neg_lab = self.text("< 0", SIZE.small, color=th.backward).next_to(ramp, DOWN, buff=0.1)
        neg_lab.align_to(ramp, LEFT)
        zero_lab = self.text("0", SIZE.small, color=th.muted).next_to(ramp, DOWN, buff=0.1)
        pos_lab = self.text("> 0", SIZE.small, color=th.forward).next_to(ramp, DOWN, buff=0.1)
        pos_lab.align_to(ramp, RIGHT)
        note = VGroup(self.text("brighter = larger weight", SIZE.small, color=th.muted),
                      self.text("(own scale per picture)", SIZE.small, color=th.muted))
        note.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        top = VGroup(name, ramp, frame, neg_lab, zero_lab, pos_lab)
        note.next_to(top, DOWN, buff=0.25).align_to(top, LEFT)
        key = VGroup(top, note)
        key.move_to([COLUMN_LEFT + key.width / 2, 1.75, 0])
        return key

    def shallow_before_after(self) -> None:
        """Beat 4: the same neurons before training were noise; accuracy reached."""
        s, th = self.res.shallow, self.theme
        self.shallow_before = self.filter_row(s.w1_before, s.units, ROWS_LEFT, SHALLOW_BEFORE_Y)
        before_lab = self.row_label("before", SHALLOW_BEFORE_Y)
        epochs_word = self.number("epochs", self.res.epochs).text
        acc = self.percent_text("shallow.accuracy", s.accuracy_after,
                                f"{{}} right after {epochs_word} epochs", SIZE.small, color=th.good)
        acc.next_to(self.shallow_title, RIGHT, buff=0.4)
        self.say("Before training, the same neurons were random noise.",
                 FadeIn(self.shallow_before), FadeIn(before_lab))
        self.say(f"After {epochs_word} epochs (passes through the training digits), "
                 "the noise has turned into blobs and strokes: the pieces.",
                 FadeIn(acc))

    def deep_filters(self) -> None:
        """Beat 5: the lesson's deep net, same epochs: its first layer before and after."""
        d = self.res.deep
        self.record("deep.sizes", list(d.sizes))
        title = self.panel_title("deep net", d.sizes, DEEP_TITLE_Y)
        before = self.filter_row(d.w1_before, d.units, ROWS_LEFT, DEEP_BEFORE_Y)
        after = self.filter_row(d.w1_after, d.units, ROWS_LEFT, DEEP_AFTER_Y)
        labels = [self.row_label("before", DEEP_BEFORE_Y), self.row_label("after", DEEP_AFTER_Y)]
        self.deep_title = title
        hidden = d.depth - 1
        self.record("deep.hidden_layers", hidden)
        self.say(f"Now a deep net with {hidden} hidden layers, trained for the same "
                 f"{self.res.epochs} epochs. Its first layer, before:",
                 FadeIn(title), FadeIn(before), FadeIn(labels[0]))
        if float(d.rel_change[0]) < BARELY:
            caption = "And after training: the pictures are still the same noise."
        else:
            caption = "And after training: the pictures have moved away from their starting noise."
        self.say(caption, FadeIn(after), FadeIn(labels[1]), run_time=1.2)

    def change_per_layer(self) -> None:
        """Beat 6: r_l per hidden layer of the deep net, and the first-to-last ratio."""
        d, th = self.res.deep, self.theme
        hidden = d.depth - 1
        r = [float(v) for v in d.rel_change[:hidden]]
        top = max(r)
        left, right = COLUMN_LEFT + 0.9, COLUMN_RIGHT
        title = VGroup(self.text("deep net: how much", SIZE.small),
                       self.text("each layer's weights changed", SIZE.small))
        title.arrange(DOWN, aligned_edge=LEFT, buff=0.1).move_to([COLUMN_LEFT, 0.3, 0], aligned_edge=LEFT)
        step = (right - left) / hidden
        width = min(0.55, 0.6 * step)
        base = Line([left - 0.1, BAR_BASE_Y, 0], [right, BAR_BASE_Y, 0], color=th.muted, stroke_width=2)
        bars, values, names = VGroup(), VGroup(), VGroup()
        for l, v in enumerate(r, start=1):
            x = left + (l - 0.5) * step
            h = max(BAR_MAX_HEIGHT * v / top, 0.02)
            bar = Rectangle(width=width, height=h, stroke_width=0, fill_color=th.backward, fill_opacity=1)
            bar.move_to([x, BAR_BASE_Y + h / 2, 0])
            bars.add(bar)
            value = self.percent_text(f"deep.rel_change.{l}", v, size=SIZE.small)
            if value.width > 0.95 * step:
                value.scale_to_fit_width(0.95 * step)
            values.add(value.next_to(bar, UP, buff=0.1))
            names.add(self.text(str(l), SIZE.small, color=th.muted).move_to([x, BAR_BASE_Y - 0.25, 0]))
        axis_name = self.text("layer", SIZE.small, color=th.muted)
        axis_name.move_to([COLUMN_LEFT + axis_name.width / 2, BAR_BASE_Y - 0.25, 0])
        self.bars = VGroup(title, base, bars, values, names, axis_name)

        ratio = self.res.ratio
        self.record("ratio", ratio)
        if ratio >= 2:
            words = (f"layer 1 changed {ratio:.1f} times", f"less than layer {hidden}")
            verdict = "The early layers barely learn."
        elif ratio > 0.5:
            words = ("layer 1 changed about as", f"much as layer {hidden}: {ratio:.1f} times less")
            verdict = "Here every layer learns at a similar pace."
        else:
            words = (f"layer 1 changed {1 / ratio:.1f} times", f"more than layer {hidden}")
            verdict = "Here the early layers learn fine."
        self.ratio_line = VGroup(*[self.text(w, SIZE.small) for w in words])
        self.ratio_line.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        self.ratio_line.move_to([COLUMN_LEFT, BAR_BASE_Y - 0.85, 0], aligned_edge=LEFT)
        caption = f"Measure it: layer 1 changed by {percent(r[0])}, layer {hidden} by {percent(r[-1])}. {verdict}"
        grow = [GrowFromEdge(b, DOWN) for b in bars]
        self.say(caption, FadeIn(title), FadeIn(base), FadeIn(names), FadeIn(axis_name), *grow,
                 FadeIn(values), run_time=1.5)
        if ratio >= 2:
            why = "The gradient that trains each layer shrinks on its way back from the output."
        else:
            why = "With these neurons, the gradient that reaches layer 1 does not fade away."
        self.say(why, FadeIn(self.ratio_line))

    def deep_accuracy(self) -> None:
        """Beat 7: what the deep net achieves on the same test digits."""
        d, th = self.res.deep, self.theme
        poor = d.accuracy_after < 2 * self.res.chance
        color = th.warn if poor else th.good
        acc = self.percent_text("deep.accuracy", d.accuracy_after, "{} right", SIZE.small, color=color)
        chance = self.percent_text("chance", self.res.chance, "(guessing: {})", SIZE.small, color=th.muted)
        line = VGroup(acc, chance).arrange(RIGHT, buff=0.2)
        line.next_to(self.deep_title, RIGHT, buff=0.4)
        if poor:
            caption = (f"Built on noise, the deep net gets {percent(d.accuracy_after)} of the digits right: "
                       "hardly better than guessing.")
        else:
            caption = f"With pieces that learn, the deep net gets {percent(d.accuracy_after)} of the digits right."
        self.say(caption, FadeIn(line))

    def hold_key_picture(self) -> None:
        """Beat 8: hold the whole picture."""
        self.say("Early layers make the pieces; every later layer has to build on them.")
