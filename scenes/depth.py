"""Chapter 5, "Why depth matters": early layers build the pieces later layers combine.

Every picture and number comes from :func:`netsim.experiments.depth.why_depth_matters`,
trained at render time (about 1 to 3 s):

1. Pieces to digit: a real test digit, the three first-layer neurons of a trained shallow
   net that push the right answer up most (each drawn as its 8x8 picture of weights), and
   the net's answer.
2. What a first layer learns: six first-layer neurons of the shallow net [64, 30, 10],
   before and after training. Each neuron's 64 incoming weights W_1[j] are drawn as an 8x8
   picture: blue (forward colour) for w > 0, orange (backward colour) for w < 0, brightness
   growing with |w| on ONE colour scale shared by every picture of the chapter (full at
   ``colour_scale``, shown on the key), so pictures can be compared. Noise becomes strokes.
3. The twist: the lesson's deep net, trained for the same number of epochs. Its first layer
   before and after, then the measure, defined on screen,

       r_l = ||W_l(after) - W_l(before)|| / ||W_l(before)||  (||W|| = root of the sum of squares),

   as a bar per hidden layer. The captions say only what the bars show (which layers moved
   less than 10%, and by how much the last hidden layer moved; r_l need not fall layer by
   layer: in the default lesson r_2 < r_1), and give the cause the numbers support: the
   deep net has no weight decay, so a weight moves only by its gradient steps, and the
   untrained net's ||dC/dW_l|| grows strictly from layer 1 to the last hidden layer.
4. Its accuracy against guessing, and why it is low: its first layers have barely left their
   random start, so the later layers work with features that hardly changed.

Captions are chosen from the numbers, so they stay true for the relu-he lesson too.
Render: ``.venv/bin/manim -ql scenes/depth.py WhyDepthMatters``.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Indicate,
    Line,
    ManimColor,
    Rectangle,
    Square,
    Text,
    VGroup,
    interpolate_color,
)

from netsim.experiments.depth import UNITS, DepthResult, why_depth_matters
from scenes.chapters import number_of
from scenes.common import LessonScene
from scenes.lesson import Lesson
from scenes.style import SIZE

# Layout (scene units; the frame is 14.2 x 8; at 480p one unit is 60 px).
SHOWN_UNITS = 6        # weight pictures per row
FILTER = 1.2           # side of one 8x8 weight picture in the panels (72 px at 480p)
FILTER_GAP = 0.12
ROWS_LEFT = -5.75      # left edge of the picture rows ("before"/"after" labels sit left of it)
SHALLOW_TITLE_Y, SHALLOW_BEFORE_Y, SHALLOW_AFTER_Y = 2.45, 1.55, 0.2
DEEP_TITLE_Y, DEEP_BEFORE_Y, DEEP_AFTER_Y = -0.72, -1.62, -2.97
COLUMN_LEFT, COLUMN_RIGHT = 2.65, 6.95   # the right-hand column: key, measure and bars
KEY_Y = 2.3
MEASURE_TOP = 1.4
BAR_BASE_Y = -3.05
BAR_MAX_HEIGHT = 1.35
#: The shared colour scale saturates at this quantile of |w| over every picture shown.
SATURATE_AT = 0.97
#: Brightness = (|w| / scale) ** GAMMA: small weights stay visible at 480p.
GAMMA = 0.5
#: A change below this fraction is "barely moved" in the captions.
BARELY = 0.1


@lru_cache(maxsize=4)
def _experiment(sizes: tuple[int, ...], activation: str, init: str, bias_init: str, seed: int,
                eta: float) -> DepthResult:
    return why_depth_matters(sizes, activation, init, bias_init, seed, deep_eta=eta,
                             units=min(UNITS, sizes[1]))


def experiment(lesson: Lesson) -> DepthResult:
    """The experiment this scene shows, for a lesson's net (computed once per net and process,
    whatever the lesson's language: the result is frozen, its arrays read-only)."""
    return _experiment(tuple(lesson.sizes), lesson.activation, lesson.init, lesson.bias_init,
                       lesson.seed, float(lesson.learning_rate))


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


def colour_scale(res: DepthResult, units: int = SHOWN_UNITS) -> float:
    """The one colour scale of every weight picture: the ``SATURATE_AT`` quantile of |w| over
    all pictures the chapter shows, rounded up to one decimal."""
    s, d = res.shallow, res.deep
    shown = [s.w1_after[list(res.pieces.units)], s.w1_before[list(s.units[:units])],
             s.w1_after[list(s.units[:units])], d.w1_before[list(d.units[:units])],
             d.w1_after[list(d.units[:units])]]
    q = float(np.quantile(np.abs(np.concatenate([w.ravel() for w in shown])), SATURATE_AT))
    return max(math.ceil(q * 10 - 1e-9) / 10, 0.1)


def barely_moved(r: list[float]) -> int:
    """How many layers from layer 1 on changed by less than ``BARELY`` (0 if layer 1 did not)."""
    k = 0
    while k < len(r) and r[k] < BARELY:
        k += 1
    return k


def layers_words(k: int) -> str:
    """"Layer 1", "Layers 1 and 2", "Layers 1 to 3"."""
    return "Layer 1" if k == 1 else "Layers 1 and 2" if k == 2 else f"Layers 1 to {k}"


class WhyDepthMatters(LessonScene):
    """Early layers learn the pieces; a deep sigmoid net's early layers barely learn."""

    #: Stop before the final fade (the golden test of the key picture sets this).
    skip_end = False

    def construct(self) -> None:
        self.res = experiment(self.lesson)
        self.scale = colour_scale(self.res)
        self.title_beat()
        self.pieces_to_digit()
        self.shallow_filters()
        self.shallow_before_after()
        self.deep_filters()
        self.define_measure()
        self.change_per_layer()
        self.deep_accuracy()
        if not self.skip_end:
            self.end_chapter("Pieces first, then everything built on them.")

    # ---------- helpers ----------
    def record(self, key: str, value: float | list[float]) -> None:
        """Note a displayed number that is not made by :meth:`number`."""
        self.shown[key] = [float(v) for v in value] if isinstance(value, (list, tuple)) else float(value)

    def percent_text(self, key: str, fraction: float, template: str = "{}", size: int = SIZE.label,
                     color: str | None = None) -> Text:
        """A recorded fraction shown as a percentage inside ``template``."""
        self.record(key, fraction)
        return self.text(template.format(percent(fraction)), size, color=color)

    def weight_colour(self, w: float) -> ManimColor:
        """The shared scale: blue w > 0, orange w < 0, brightness (|w| / scale) ** GAMMA."""
        th = self.theme
        t = min(abs(float(w)) / self.scale, 1.0) ** GAMMA
        end = th.forward if w > 0 else th.backward
        return interpolate_color(ManimColor(th.background), ManimColor(end), t)

    def weight_picture(self, w: np.ndarray, side: float) -> VGroup:
        """One neuron's 64 weights as an 8x8 grid on the shared colour scale. Row-major, like
        the digit's pixels."""
        grid = np.asarray(w, dtype=float).reshape(8, 8)
        cell = side / 8
        squares = VGroup()
        for i in range(8):
            for j in range(8):
                sq = Square(cell, stroke_width=0, fill_color=self.weight_colour(grid[i, j]), fill_opacity=1)
                sq.move_to([(j - 3.5) * cell, (3.5 - i) * cell, 0])
                squares.add(sq)
        frame = Square(side, stroke_color=self.theme.edge, stroke_width=1.5)
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
        row = VGroup(*[self.weight_picture(weights[u], FILTER) for u in units[:SHOWN_UNITS]])
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
        parts = VGroup(*[self.weight_picture(self.res.shallow.w1_after[u], 1.6) for u in p.units])
        parts.arrange(RIGHT, buff=0.25)
        parts_lab = self.text("first layer: simple pieces", SIZE.small, color=th.muted)
        answer = self.number("pieces.prediction", p.prediction, size=72)
        answer_lab = self.text("output: the digit", SIZE.small, color=th.muted)

        VGroup(digit, parts, answer).arrange(RIGHT, buff=1.2).move_to([0, -0.3, 0])
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
        self.say("Everything rests on the pieces: if the first layer learns badly, so does the rest.",
                 FadeOut(self.diagram), run_time=0.6)

    def panel_title(self, name: str, sizes: tuple[int, ...], y: float) -> Text:
        """"small net, 64-30-10" at the left edge of the picture rows."""
        title = self.text(f"{name}, {sizes_text(sizes)}", SIZE.label)
        title.move_to([ROWS_LEFT, y, 0], aligned_edge=LEFT)
        return title

    def row_label(self, word: str, y: float) -> Text:
        """"before" or "after", left of a row of pictures."""
        lab = self.text(word, SIZE.small, color=self.theme.muted)
        return lab.move_to([ROWS_LEFT - 0.12 - lab.width / 2, y, 0])

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
        pixels = int(s.w1_after.shape[1])
        self.record("pixels", pixels)
        self.say(f"Each picture is one neuron's {pixels} weights, one per pixel.",
                 Indicate(self.shallow_after[0], color=self.theme.text, scale_factor=1.15), run_time=1.0)
        self.say("Blue where ink excites the neuron, orange where it inhibits it. One colour scale for all.",
                 FadeIn(self.key))

    def make_key(self) -> VGroup:
        """The colour key of the shared scale: orange (-scale) through dark (0) to blue (+scale)."""
        th = self.theme
        values = np.linspace(-self.scale, self.scale, 11)
        ramp = VGroup(*[Square(0.24, stroke_width=0, fill_opacity=1, fill_color=self.weight_colour(float(v)))
                        for v in values]).arrange(RIGHT, buff=0)
        frame = Rectangle(width=ramp.width, height=ramp.height, stroke_color=th.edge, stroke_width=1.5)
        frame.move_to(ramp)
        name = self.text("weight", SIZE.small).next_to(ramp, LEFT, buff=0.2)
        self.record("colour_scale", self.scale)
        lo = self.text(f"-{self.scale:.1f}", SIZE.small, color=th.backward).next_to(ramp, DOWN, buff=0.1)
        lo.align_to(ramp, LEFT)
        zero = self.text("0", SIZE.small, color=th.muted).next_to(ramp, DOWN, buff=0.1)
        hi = self.text(f"+{self.scale:.1f}", SIZE.small, color=th.forward).next_to(ramp, DOWN, buff=0.1)
        hi.align_to(ramp, RIGHT)
        note = self.text("one scale for every picture", SIZE.small, color=th.muted)
        top = VGroup(name, ramp, frame, lo, zero, hi)
        note.next_to(top, DOWN, buff=0.15).align_to(top, LEFT)
        key = VGroup(top, note)
        key.move_to([COLUMN_LEFT + key.width / 2, KEY_Y, 0])
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
        self.say("Before training, the same neurons were faint random noise.",
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
        if float(np.max(d.unit_scores[:SHOWN_UNITS])) < BARELY:
            caption = "And after: still the same noise, though these are its neurons that changed most."
        else:
            caption = "And after training: the pictures have moved away from their starting noise."
        self.say(caption, FadeIn(after), FadeIn(labels[1]), run_time=1.2)

    def define_measure(self) -> None:
        """Beat 6: r_l, defined on screen in symbols and in words."""
        th = self.theme
        title = self.text("deep net: change of layer l", SIZE.small)
        e = self.res.epochs
        formula = self.tex(rf"r_l = \frac{{\| W_l({e}) - W_l(0) \|}}{{\| W_l(0) \|}}", size=SIZE.small)
        after = VGroup(self.tex("W_l(e)", size=SIZE.small, color=th.muted),
                       self.text(": weights after e epochs", SIZE.small, color=th.muted))
        after.arrange(RIGHT, buff=0.08)
        norm = self.tex(r"\|W\| = \sqrt{\textstyle\sum w^2}", size=SIZE.small, color=th.muted)
        norm_words = self.text("(all its weights)", SIZE.small, color=th.muted)
        norm_row = VGroup(norm, norm_words).arrange(RIGHT, buff=0.15)
        self.measure = VGroup(title, formula, after, norm_row).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        self.measure.move_to([COLUMN_LEFT + self.measure.width / 2, MEASURE_TOP - self.measure.height / 2, 0])
        self.say("Measure how much each layer learned: r is the change in its weights, "
                 "as a fraction of their size at the start.", FadeIn(title), FadeIn(formula), FadeIn(after),
                 run_time=1.2)
        self.say("A layer's size ||W|| is the square root of the sum of all its squared weights.",
                 FadeIn(norm_row))

    def change_per_layer(self) -> None:
        """Beat 7: r_l per hidden layer of the deep net, and what the bars show."""
        d, th = self.res.deep, self.theme
        hidden = d.depth - 1
        r = [float(v) for v in d.rel_change[:hidden]]
        top = max(r)
        left, right = COLUMN_LEFT + 0.9, COLUMN_RIGHT
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
        r_name = self.tex("r_l", size=SIZE.small, color=th.muted)
        r_name.move_to([COLUMN_LEFT + r_name.width / 2, BAR_BASE_Y + 0.4, 0])
        self.bars = VGroup(base, bars, values, names, axis_name, r_name)

        k = barely_moved(r)
        self.barely = k
        first, last = percent(r[0]), percent(r[-1])
        if k == 1 and hidden > 1:
            caption = f"Layer 1 changed by {first}, layer {hidden} by {last}. The first layer barely moved."
        elif 2 <= k < hidden:
            caption = (f"{layers_words(k)} changed by {percent(max(r[:k]))} or less, layer {hidden} by {last}. "
                       "The layers near the input barely moved.")
        elif k == 0 and min(r) >= BARELY:
            caption = f"Layer 1 changed by {first}, layer {hidden} by {last}. Every layer moved far from its start."
        else:
            caption = f"Layer 1 changed by {first}; layer {hidden} by {last}."
        grow = [GrowFromEdge(b, DOWN) for b in bars]
        self.say(caption, FadeIn(base), FadeIn(names), FadeIn(axis_name), FadeIn(r_name), *grow,
                 FadeIn(values), run_time=1.5)
        if 1 <= k < hidden and self.res.gradient_shrinks:
            self.say("Here a weight moves only by its gradient steps, and the first layers' gradients "
                     f"are the smallest: the gradient shrinks on its way back (chapter {number_of('fading')}).",
                     *[b.animate.set_fill(th.warn) for b in bars[:k]], run_time=0.8)
        elif k == 0:
            self.say("With these neurons and starting weights, the gradient reaching layer 1 "
                     "stays large enough for it to learn.",
                     bars[0].animate.set_fill(th.good), run_time=0.8)

    def deep_accuracy(self) -> None:
        """Beat 8: what the deep net achieves on the same test digits, and why."""
        d, th = self.res.deep, self.theme
        poor = d.accuracy_after < 2 * self.res.chance
        color = th.warn if poor else th.good
        acc = self.percent_text("deep.accuracy", d.accuracy_after, "{} right", SIZE.small, color=color)
        chance = self.percent_text("chance", self.res.chance, "(guessing: {})", SIZE.small, color=th.muted)
        line = VGroup(acc, chance).arrange(DOWN, aligned_edge=LEFT, buff=0.06)  # two lines: clear of the column
        line.next_to(self.deep_title, RIGHT, buff=0.3)
        if poor:
            self.say(f"After {self.res.epochs} epochs the deep net gets {percent(d.accuracy_after)} "
                     f"of the test digits right; guessing gets {percent(self.res.chance)}.", FadeIn(line))
            if self.barely >= 1:
                self.say("Its first layers have barely left their random start, so the later layers "
                         "must work with features that hardly changed.")
        else:
            self.say(f"With first layers that learn, the deep net gets {percent(d.accuracy_after)} "
                     "of the test digits right.", FadeIn(line))
