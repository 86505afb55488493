"""Chapter 5, "What depth should buy": the first layer finds simple patterns, later layers combine
them; a deep sigmoid net's first layers barely learn.

Every picture and number comes from :func:`netsim.experiments.depth.why_depth_matters`: chapter
8's two nets in chapter 8's runs (one set-up: the lesson's eta, mini-batches of 10, chapter 7's
cross-entropy cost), looked at after 10 epochs.

1. The question, over a real digit: the first layer finds simple patterns, later ones combine them;
   and, honestly, where depth pays (harder tasks) and where it does not (these small digits,
   chapter 11).
2. The shallow net [64, n_1, 10]: six first-layer neurons before training. Each neuron's 64
   incoming weights W_1[j] are drawn as an 8x8 picture: blue (forward colour) for w > 0, orange
   (backward colour) for w < 0, brightness growing with |w| on ONE colour scale shared by
   every picture of the chapter (full at ``colour_scale``, shown on the key).
3. The same neurons after training, described as the numbers say (broad blobs where digits
   have ink, the starting noise left where they rarely do), and the held-out accuracy.
4. The lesson's deep net, the same epochs: its first layer before and after.
5. The measure, defined on screen with the episode's one definition of a size ‖W‖,

       r_l = ‖W_l(after) − W_l(before)‖ / ‖W_l(before)‖,  ‖W‖ = √(Σ w²),

6. as a bar per hidden layer, with the deep net's accuracy (against guessing, in words); the captions say
   only what the bars show (which layers moved less than 10%, and how much the last hidden
   layer moved; r_l need not fall layer by layer: in the default lesson r_2 < r_1), and, where
   the barely moved layers changed far less than the last hidden one and the untrained net's
   ‖∂C/∂W_l‖ grows strictly from layer 1 to the last hidden layer, that chapters 6 to 8 tell
   why (the bars are total changes after 10 epochs, not gradient sizes).
7. Where every layer moved, that even layer 1's gradient was large enough.

Captions are chosen from the numbers, so they stay true for every lesson (a net that does not
change at all says so). Render: ``.venv/bin/manim -ql scenes/depth.py WhyDepthMatters``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

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
from netsim.format import fmt_percent, fmt_ratio, fmt_whole
from scenes.engine.chapters import number_of
from scenes.engine.common import LessonScene
from scenes.engine.i18n import Message, t
from scenes.engine.lesson import Lesson, per_net
from scenes.engine.style import SIZE, fmt_value

# Layout (scene units; the frame is 14.2 x 8; at 480p one unit is 60 px).
SHOWN_UNITS = 6        # weight pictures per row
FILTER = 1.05          # side of one 8x8 weight picture in the panels (63 px at 480p)
FILTER_GAP = 0.12
ROWS_LEFT = -5.75      # left edge of the picture rows ("before"/"after" labels sit left of it)
SHALLOW_TITLE_Y, SHALLOW_BEFORE_Y, SHALLOW_AFTER_Y = 2.45, 1.62, 0.45
DEEP_TITLE_Y, DEEP_BEFORE_Y, DEEP_AFTER_Y = -0.45, -1.3, -2.47   # the last row above the subtitles' band
COLUMN_LEFT, COLUMN_RIGHT = 2.65, 6.95   # the right-hand column: key, measure and bars
#: The least gap between a net's title line and the right-hand column.
TITLE_GAP = 0.3
FRAME_RIGHT = 6.95     # no label reaches past this (the frame ends at 7.1)
KEY_Y = 2.3
MEASURE_TOP = 1.55
BAR_BASE_Y = -2.75      # its layer numbers above the subtitles' band
#: The out-of-order bars' path lengths, this far under the measure's definition (above the bars).
PATH_NOTE_GAP = 0.18
BAR_MAX_HEIGHT = 0.95
#: Each bar is labelled with its value when there are at most this many; else the first and last.
MAX_BAR_LABELS = 6
#: The shared colour scale saturates at this quantile of |w| over every picture shown.
SATURATE_AT = 0.97
#: Brightness = (|w| / scale) ** GAMMA: small weights stay visible at 480p.
GAMMA = 0.5
#: A change below this fraction is "barely moved" in the captions.
BARELY = 0.1
#: The barely moved layers changed "far less" than the last hidden layer (and the captions point
#: to chapters 6 to 8 for why) only where it changed at least this many times as much as each.
FAR_LESS = 3.0
#: A layer whose net move is less than this share of its path "mostly cancelled" its steps.
CANCELLED = 0.5
#: The first-layer pictures are "broad blobs" when neighbouring weights correlate at least this
#: much (noise: about 0) and the inked part changed by at least its starting size.
BLOBS = 0.25
#: The rarely inked edges "keep the noise" when they changed by less than this fraction.
KEEPS = 0.5


@per_net
def experiment(lesson: Lesson) -> DepthResult:
    """The experiment this scene shows, for a lesson's net (computed once per net and process,
    whatever the lesson's language: the result is frozen, its arrays read-only)."""
    return why_depth_matters(lesson.net, eta=lesson.learning_rate, units=min(UNITS, lesson.width))


def colour_scale(res: DepthResult, units: int = SHOWN_UNITS) -> float:
    """The one colour scale of every weight picture: the ``SATURATE_AT`` quantile of |w| over
    all pictures the chapter shows, rounded up to one decimal."""
    s, d = res.shallow, res.deep
    shown = [s.w1_before[list(s.units[:units])], s.w1_after[list(s.units[:units])],
             d.w1_before[list(d.units[:units])], d.w1_after[list(d.units[:units])]]
    q = float(np.quantile(np.abs(np.concatenate([w.ravel() for w in shown])), SATURATE_AT))
    return max(math.ceil(q * 10 - 1e-9) / 10, 0.1)


def barely_moved(r: list[float]) -> int:
    """How many layers from layer 1 on changed by less than ``BARELY`` (0 if layer 1 did not)."""
    k = 0
    while k < len(r) and r[k] < BARELY:
        k += 1
    return k


def shallow_look(res: DepthResult) -> str:
    """What the shallow net's first-layer pictures became, in words the numbers support:
    "blobs, edges kept", "blobs", "start" (still the random start) or "moved"."""
    s = res.shallow
    if s.inked_change < BARELY:
        return "start"
    if s.inked_change >= 1 and s.smooth_after >= BLOBS:
        return "blobs, edges kept" if s.edge_change < KEEPS else "blobs"
    return "moved"


def deep_look(res: DepthResult, units: int = SHOWN_UNITS) -> str:
    """What the deep net's first layer did: "unchanged" (not one weight moved), "start" (even its
    most changed neurons moved by under ``BARELY``) or "moved"."""
    d = res.deep
    if d.unchanged:
        return "unchanged"
    return "start" if float(np.max(d.unit_scores[:units])) < BARELY else "moved"


class WhyDepthMatters(LessonScene):
    """The first layer finds the patterns; a deep sigmoid net's first layers barely learn."""

    def construct(self) -> None:
        self.res = experiment(self.lesson)
        self.scale = colour_scale(self.res)
        self.title_beat()
        self.shallow_before()
        self.shallow_after()
        self.deep_filters()
        self.define_measure()
        self.change_per_layer()
        self.why_beat()
        self.end_chapter()

    # ---------- helpers ----------
    def record(self, key: str, value: float) -> None:
        """Note a displayed number that is not made by :meth:`number`."""
        self.shown[key] = float(value)

    def weight_colour(self, w: float) -> ManimColor:
        """The shared scale: blue w > 0, orange w < 0, brightness (|w| / scale) ** GAMMA."""
        th = self.theme
        level = min(abs(float(w)) / self.scale, 1.0) ** GAMMA
        end = th.forward if w > 0 else th.backward
        return interpolate_color(ManimColor(th.background), ManimColor(end), level)

    def grid_picture(self, values: np.ndarray, side: float, colour: Callable[[float], ManimColor]) -> VGroup:
        """64 values as an 8x8 grid of squares, row-major like the digit's pixels."""
        cell = side / 8
        squares = VGroup()
        for k, v in enumerate(np.asarray(values, dtype=float).ravel()):
            i, j = divmod(k, 8)
            sq = Square(cell, stroke_width=0, fill_color=colour(v), fill_opacity=1)
            sq.move_to([(j - 3.5) * cell, (3.5 - i) * cell, 0])
            squares.add(sq)
        return VGroup(squares, Square(side, stroke_color=self.theme.edge, stroke_width=1.5))

    def weight_picture(self, w: np.ndarray, side: float) -> VGroup:
        """One neuron's 64 weights on the shared colour scale."""
        return self.grid_picture(w, side, self.weight_colour)

    def digit_picture(self, pixels: np.ndarray, side: float) -> VGroup:
        """A digit's 64 pixels in [0, 1] as grey squares (ink bright)."""
        bg, ink = ManimColor(self.theme.background), ManimColor(self.theme.text)
        return self.grid_picture(pixels, side, lambda v: interpolate_color(bg, ink, float(v)))

    def filter_row(self, weights: np.ndarray, units: tuple[int, ...], y: float) -> VGroup:
        """The weight pictures of ``units`` in a row starting at x = ``ROWS_LEFT``."""
        row = VGroup(*[self.weight_picture(weights[u], FILTER) for u in units[:SHOWN_UNITS]])
        row.arrange(RIGHT, buff=FILTER_GAP)
        row.move_to([ROWS_LEFT + row.width / 2, y, 0])
        return row

    def row_label(self, word: Message, y: float) -> Text:
        """"before" or "after", left of a row of pictures."""
        lab = self.text(word, SIZE.small, color=self.theme.muted)
        return lab.move_to([ROWS_LEFT - 0.12 - lab.width / 2, y, 0])

    def net_title(self, key: str, hidden: int, width: int, y: float) -> Text:
        """"shallow net: 1 hidden layer of 30" at the left edge of the rows, in the net's colour."""
        self.record(f"{key}.hidden_layers", hidden)
        self.record(f"{key}.width", width)
        # the shallow net has one hidden layer, the deep net at least two (lesson.MIN_DEPTH)
        words = (t("shallow net: 1 hidden layer of {width}", width=width) if key == "shallow" else
                 t("deep net: {hidden} hidden layers of {width}", hidden=hidden, width=width))
        title = self.text(words, SIZE.label, color=self.theme.net(key))
        return title.move_to([ROWS_LEFT, y, 0], aligned_edge=LEFT)

    def make_titles(self) -> None:
        """Both nets' titles with the accuracy each gets beside it, made before either is shown:
        one scale for both titles, the largest with which each title and its label end before
        the right-hand column, so no title changes size on screen and the two match."""
        s, d = self.res.shallow, self.res.deep
        self.shallow_title = self.net_title("shallow", s.depth - 1, s.sizes[1], SHALLOW_TITLE_Y)
        acc = self.pct("shallow.accuracy", s.accuracy_after)
        self.shallow_label = self.text(t("{accuracy} right", accuracy=acc), SIZE.small, color=self.theme.net("shallow"))
        self.deep_title = self.net_title("deep", d.depth - 1, d.sizes[1], DEEP_TITLE_Y)
        self.deep_label = self.deep_accuracy_label()
        pairs = ((self.shallow_title, self.shallow_label, 0.4), (self.deep_title, self.deep_label, 0.3))
        room = COLUMN_LEFT - TITLE_GAP - ROWS_LEFT
        scale = min(1.0, *((room - buff - label.width) / title.width for title, label, buff in pairs))
        for title, label, buff in pairs:
            title.scale(scale, about_edge=LEFT)
            label.next_to(title, RIGHT, buff=buff)

    def deep_accuracy_label(self) -> Text:
        """The deep net's accuracy beside its title, as the shallow net's (chance is said in the
        caption: on the title's line it would shrink both titles)."""
        acc = self.pct("deep.accuracy", self.res.deep.accuracy_after)
        return self.text(t("{accuracy} right", accuracy=acc), SIZE.small, color=self.theme.net("deep"))

    # ---------- beats ----------
    def title_beat(self) -> None:
        """Beat 1: the question, over a real digit and the two steps a net takes."""
        th = self.theme
        self.heading = self.chapter_heading(t("What depth should buy"),
                                            t("The hope: simple patterns first, then combinations"))
        split = self.res.setup.split()
        digit = self.digit_picture(split.test.x[0], 2.0)
        steps = [self.text(t("layer 1: simple patterns"), SIZE.label),
                 self.text(t("later layers: combinations"), SIZE.label)]
        row = VGroup(digit, *steps).arrange(RIGHT, buff=1.0).move_to([0, -0.3, 0])
        arrows = VGroup(*[Arrow(a.get_right(), b.get_left(), buff=0.15, color=th.forward, stroke_width=4)
                          for a, b in zip(row, row[1:])])
        self.intro = VGroup(row, arrows)
        self.say(t("The hope: layer 1 finds simple patterns in the pixels, later layers combine them."),
                 FadeIn(self.heading), FadeIn(self.intro), run_time=1.2)

    def shallow_before(self) -> None:
        """Beat 2: the shallow net, and its first-layer pictures at the random start."""
        s, setup = self.res.shallow, self.res.setup
        self.make_titles()
        self.before_row = self.filter_row(s.w1_before, s.units, SHALLOW_BEFORE_Y)
        before_lab = self.row_label(t("before"), SHALLOW_BEFORE_Y)
        width = int(s.sizes[1])
        epochs = self.number("epochs", self.res.epochs).text
        n_train = fmt_whole(setup.n_train)
        self.record("n_train", setup.n_train)
        pixels = int(s.w1_before.shape[1])
        self.record("pixels", pixels)
        batch = self.count("batch_size", setup.batch_size)
        # the cost both nets train on, named where they train (chapter 7 explains it), as chapter 11's card does
        # and the training the caption says, on screen too (round 32: said, never shown)
        cost = VGroup(self.text(t("cross-entropy cost (defined in chapter {chapter})", chapter=number_of("fading")),
                                SIZE.small, color=self.theme.muted),
                      self.text(t("{epochs} epochs, one step per {batch} digits", epochs=epochs, batch=batch),
                                SIZE.small, color=self.theme.muted))
        cost.arrange(DOWN, aligned_edge=RIGHT, buff=0.08).to_corner(UP + RIGHT, buff=0.3)
        self.say(t("A shallow net, one hidden layer of {width}, trained {epochs} epochs (passes over {digits} "
                   "digits) on the cross-entropy cost, defined in chapter {chapter}. Each picture: one first-layer "
                   "neuron's {pixels} weights.",
                   width=width, epochs=epochs, digits=n_train, pixels=pixels,
                   chapter=number_of("fading")),
                 FadeOut(self.intro), FadeIn(self.shallow_title), FadeIn(self.before_row), FadeIn(before_lab),
                 FadeIn(cost), run_time=1.0)

    def make_key(self) -> VGroup:
        """The colour key of the shared scale: orange (-scale) through dark (0) to blue (+scale)."""
        th = self.theme
        values = np.linspace(-self.scale, self.scale, 11)
        ramp = VGroup(*[Square(0.24, stroke_width=0, fill_opacity=1, fill_color=self.weight_colour(float(v)))
                        for v in values]).arrange(RIGHT, buff=0)
        frame = Rectangle(width=ramp.width, height=ramp.height, stroke_color=th.edge, stroke_width=1.5)
        frame.move_to(ramp)
        name = self.text(t("weight"), SIZE.small).next_to(ramp, LEFT, buff=0.2)
        self.record("colour_scale", self.scale)
        top = fmt_value(self.scale, 2)
        lo = self.text(f"−{top}", SIZE.small, color=th.backward).next_to(ramp, DOWN, buff=0.1)
        lo.align_to(ramp, LEFT)
        zero = self.text("0", SIZE.small, color=th.muted).next_to(ramp, DOWN, buff=0.1)
        hi = self.text(f"+{top}", SIZE.small, color=th.forward).next_to(ramp, DOWN, buff=0.1)
        hi.align_to(ramp, RIGHT)
        note = self.text(t("one scale for every picture"), SIZE.small, color=th.muted)
        head = VGroup(name, ramp, frame, lo, zero, hi)
        note.next_to(head, DOWN, buff=0.15).align_to(head, LEFT)
        key = VGroup(head, note)
        key.move_to([COLUMN_LEFT + key.width / 2, KEY_Y, 0])
        return key

    def shallow_after(self) -> None:
        """Beat 3: the colour key, the same neurons after training, in words; the accuracy."""
        s = self.res.shallow
        after = self.filter_row(s.w1_after, s.units, SHALLOW_AFTER_Y)
        after_lab = self.row_label(t("after"), SHALLOW_AFTER_Y)
        key = self.make_key()
        label = self.shallow_label
        acc = self.pct("shallow.accuracy", s.accuracy_after)
        n_test = fmt_whole(self.res.setup.n_test)
        self.record("n_test", self.res.setup.n_test)
        look = shallow_look(self.res)
        random = self.lesson.init != "identity"  # every other rule draws its starting weights at random
        epochs = self.res.epochs
        if look == "blobs, edges kept":
            words = (t("Where digits have ink, the noise became broad blobs.") if random
                     else t("Where digits have ink, the starting weights became broad blobs."))
        elif look == "blobs":
            words = (t("Training turned the noise into broad blobs.") if random
                     else t("Training turned the starting weights into broad blobs."))
        elif look == "start":
            words = (t("After {epochs} epochs the pictures still look like their random start.", epochs=epochs)
                     if random else t("After {epochs} epochs the pictures still look like their start.", epochs=epochs))
        else:
            words = (t("Training moved the pictures away from their random start.") if random
                     else t("Training moved the pictures away from their start."))
        self.say(t("Blue where ink excites it, orange where it inhibits it."), FadeIn(key), run_time=0.8)
        self.say(words, FadeIn(after), FadeIn(after_lab), run_time=1.2)
        self.say(t("It gets {accuracy} of {test} held-out test digits right.", accuracy=acc,
                   test=n_test), FadeIn(label),
                 run_time=0.8)

    def deep_filters(self) -> None:
        """Beat 4: the lesson's deep net, same set-up and epochs: its first layer before and after."""
        d = self.res.deep
        hidden = d.depth - 1
        before = self.filter_row(d.w1_before, d.units, DEEP_BEFORE_Y)
        after = self.filter_row(d.w1_after, d.units, DEEP_AFTER_Y)
        labels = VGroup(self.row_label(t("before"), DEEP_BEFORE_Y), self.row_label(t("after"), DEEP_AFTER_Y))
        look = deep_look(self.res)
        random = self.lesson.init != "identity"
        if look == "unchanged":
            caption = t("The deep net, {hidden} hidden layers, trained alike: not one of its weights changed.",
                        hidden=hidden)
        elif look == "start":
            caption = (t("The deep net, {hidden} hidden layers, trained alike: its first layer still looks like its "
                         "random start.", hidden=hidden) if random else
                       t("The deep net, {hidden} hidden layers, trained alike: its first layer still looks like its "
                         "start.", hidden=hidden))
        else:
            caption = (t("The deep net, {hidden} hidden layers, trained alike: its first layer moved away from its "
                         "random start.", hidden=hidden) if random else
                       t("The deep net, {hidden} hidden layers, trained alike: its first layer moved away from its "
                         "start.", hidden=hidden))
        self.say(caption,
                 FadeIn(self.deep_title), FadeIn(before), FadeIn(after), FadeIn(labels), run_time=1.2)

    def define_measure(self) -> None:
        """Beat 5: r_l, and the one definition of a size ‖W‖ in the episode."""
        th = self.theme
        title = self.text(t("deep net: each layer's change"), SIZE.small)
        e = self.res.epochs
        formula = self.tex(rf"r_l = \frac{{\| W_l({e}) - W_l(0) \|}}{{\| W_l(0) \|}}", size=SIZE.small)
        after = VGroup(self.tex("W_l(e)", size=SIZE.small, color=th.muted),
                       self.text(t(": weights after e epochs"), SIZE.small, color=th.muted))
        after.arrange(RIGHT, buff=0.08)
        size_word = self.text(t("size:"), SIZE.small, color=th.muted)
        norm = self.tex(r"\|W\| = \sqrt{\textstyle\sum w^2}", size=SIZE.small, color=th.muted)
        norm_row = VGroup(size_word, norm).arrange(RIGHT, buff=0.15)
        self.measure = VGroup(title, formula, after, norm_row).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        if self.measure.width > COLUMN_RIGHT - COLUMN_LEFT:  # a long translation stays inside the column
            self.measure.scale_to_fit_width(COLUMN_RIGHT - COLUMN_LEFT)
        self.measure.move_to([COLUMN_LEFT + self.measure.width / 2, MEASURE_TOP - self.measure.height / 2, 0])
        self.say(t("Layer l's change: r_l = ‖W_l after − W_l before‖ / ‖W_l before‖; the size ‖W‖ is the "
                   "square root of the sum of squared weights."), FadeIn(self.measure),
                 run_time=1.2)

    def change_caption(self, r: list[float]) -> Message:
        """What the bars show, in words chosen from r_1 .. r_{L-1} (the deep net has at least two
        hidden layers, lesson.MIN_DEPTH)."""
        d = self.res.deep
        hidden = len(r)
        if d.unchanged:
            return (t("No layer changed at all: every gradient was exactly 0.") if d.no_gradient
                    else t("No layer changed at all."))
        k = barely_moved(r)
        # the k barely moved layers changed by at most ``most``; ``first`` and ``last`` are r_1 and r_(L-1)
        f = {"k": k, "most": fmt_percent(max(r[:k])) if k else "", "first": fmt_percent(r[0]),
             "last": fmt_percent(r[-1]), "hidden": hidden, "backprop": number_of("backprop"),
             "training": number_of("training")}
        if 1 <= k < hidden:
            if self.shrinks(r):  # what the bars show, and where the why is told (not a claim about each bar)
                if k == 1:
                    return t("Layer 1 changed by {first}, far less than layer {hidden}'s {last}.", **f)
                if k == 2:
                    return t("Layers 1 and 2 changed by {most} or less, far less than layer {hidden}'s {last}.", **f)
                return t("Layers 1 to {k} changed by {most} or less, far less than layer {hidden}'s {last}.", **f)
            if k == 1:
                return t("Layer 1 changed by {first}, layer {hidden} by {last}.", **f)
            if k == 2:
                return t("Layers 1 and 2 changed by {most} or less, layer {hidden} by {last}.", **f)
            return t("Layers 1 to {k} changed by {most} or less, layer {hidden} by {last}.", **f)
        if k == hidden:
            return (t("Layers 1 and 2 changed by {most} or less.", **f) if k == 2 else
                    t("Layers 1 to {k} changed by {most} or less.", **f))
        if min(r) >= BARELY:
            return t("Layer 1 changed by {first}, layer {hidden} by {last}: every layer moved.", **f)
        return t("Layer 1 changed by {first}, layer {hidden} by {last}.", **f)

    def shrinks(self, r: list[float]) -> bool:
        """Whether the bars' story is the vanishing gradient: the first layers barely moved, the
        last hidden layer at least ``FAR_LESS`` times as much as any of them, and the untrained
        net's ‖∂C/∂W_l‖ grows strictly from layer 1 to the last hidden layer."""
        k = barely_moved(r)
        return 1 <= k < len(r) and r[-1] >= FAR_LESS * max(r[:k]) and self.res.gradient_shrinks

    def out_of_order(self, r: list[float]) -> int | None:
        """The first hidden layer l whose bar stands above layer l + 1's although layer l + 1
        stepped farther in all, its steps mostly cancelling (None if there is none): r_l is a net
        change, not a sum of step sizes."""
        d = self.res.deep
        for l in range(1, len(r)):
            a, b = l - 1, l
            if (r[a] > r[b] and d.travelled[b] > d.travelled[a] > 0
                    and d.straightness[b] < CANCELLED):
                return l
        return None

    def why_out_of_order(self, l: int) -> None:
        """Why r_l > r_(l+1): layer l + 1's steps were longer in all but mostly cancelled."""
        d = self.res.deep
        self.shown["out_of_order"] = float(l)
        self.shown["path_ratio"] = float(d.travelled[l] / d.travelled[l - 1])
        self.shown["straightness"] = float(d.straightness[l])
        pair = VGroup(self.bars[l - 1], self.bars[l])
        times = fmt_ratio(self.shown["path_ratio"])
        # the path length the caption speaks of, on screen too (round 38 lecturer: said, never shown)
        # and both layers' sizes at the start, which r_l divides by: near equal, so the comparison is fair
        # (round 40 lecturer)
        sizes = {k: self.inline(f"start_size_{k}", float(d.start_size[k - 1])) for k in (l, l + 1)}
        path = VGroup(self.text(t("layer {m}'s steps, summed: {times} × layer {l}'s", l=l, m=l + 1, times=times),
                                SIZE.small),
                      self.tex(rf"\|W_{{{l}}}(0)\| = {sizes[l]},\ \ \|W_{{{l + 1}}}(0)\| = {sizes[l + 1]}", SIZE.small))
        path.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        path.scale_to_fit_width(min(path.width, COLUMN_RIGHT - COLUMN_LEFT))
        path.next_to(self.measure, DOWN, buff=PATH_NOTE_GAP, aligned_edge=LEFT)  # clear of the √ above it
        self.path_note = path
        self.say(t("r_{l} > r_{m}, yet layer {m}'s step lengths add up to {times} times layer {l}'s: most of them "
                   "cancelled out.",
                   l=l, m=l + 1, times=times),
                 Indicate(pair, color=self.theme.text, scale_factor=1.08), FadeIn(path), run_time=1.2)

    def change_per_layer(self) -> None:
        """Beat 6: r_l per hidden layer of the deep net, what the bars show, and its accuracy."""
        d, th = self.res.deep, self.theme
        hidden = d.depth - 1
        r = [float(v) for v in d.hidden_change]
        top = max(r) if max(r) > 0 and math.isfinite(max(r)) else 1.0
        left, right = COLUMN_LEFT + 0.9, COLUMN_RIGHT
        step = (right - left) / hidden
        width = min(0.55, 0.6 * step)
        base = Line([left - 0.1, BAR_BASE_Y, 0], [right, BAR_BASE_Y, 0], color=th.muted, stroke_width=2)
        bars, values, names = VGroup(), VGroup(), VGroup()
        labelled = set(range(1, hidden + 1)) if hidden <= MAX_BAR_LABELS else {1, hidden}
        for l, v in enumerate(r, start=1):
            x = left + (l - 0.5) * step
            h = max(BAR_MAX_HEIGHT * min(v / top, 1.0), 0.02)
            bar = Rectangle(width=width, height=h, stroke_width=0, fill_color=th.net("deep"), fill_opacity=1)
            bar.move_to([x, BAR_BASE_Y + h / 2, 0])
            bars.add(bar)
            if l in labelled:
                value = self.text(self.pct(f"deep.rel_change.{l}", v), SIZE.small)
                if value.width > 0.95 * step * (1 if hidden <= MAX_BAR_LABELS else 3):
                    value.scale_to_fit_width(0.95 * step * (1 if hidden <= MAX_BAR_LABELS else 3))
                value.next_to(bar, UP, buff=0.1)
                value.shift(LEFT * max(value.get_right()[0] - FRAME_RIGHT, 0.0))  # never past the frame
                values.add(value)
                names.add(self.text(str(l), SIZE.small, color=th.muted).move_to([x, BAR_BASE_Y - 0.25, 0]))
        axis_name = self.text(t("layer"), SIZE.small, color=th.muted)
        axis_name.move_to([COLUMN_LEFT + axis_name.width / 2, BAR_BASE_Y - 0.25, 0])
        r_name = self.tex("r_l", size=SIZE.small, color=th.muted)
        r_name.move_to([COLUMN_LEFT + r_name.width / 2, BAR_BASE_Y + 0.4, 0])
        self.bars, self.bar_values = bars, values

        poor = d.accuracy_after < 2 * self.res.chance
        acc = self.pct("deep.accuracy", d.accuracy_after)
        chance = self.pct("chance", self.res.chance)
        line = self.deep_label
        self.barely = barely_moved(r)
        # near chance, with layer 1 barely moved: whether one is the cause of the other is chapter 8's test
        tail = (t("The deep net gets {accuracy} right; guessing, {chance}. Is this lag the cause? Chapter "
                  "{chapter} tests it.", accuracy=acc, chance=chance, chapter=number_of("training")) if poor
                else t("The deep net gets {accuracy} right.", accuracy=acc))
        grow = [GrowFromEdge(b, DOWN) for b in bars]
        with self.beat(self.change_caption(r)):
            self.play(FadeIn(base), FadeIn(names), FadeIn(axis_name), FadeIn(r_name), *grow, FadeIn(values),
                      run_time=1.5)
            if self.shrinks(r):  # the barely moved layers, named by the caption, in the warning colour
                self.play(*[b.animate.set_fill(th.warn) for b in bars[:self.barely]], run_time=0.8)
        odd = self.out_of_order(r)
        if odd is not None:
            self.why_out_of_order(odd)
        self.say(tail, FadeIn(line), run_time=0.8)

    def why_beat(self) -> None:
        """Beat 7: where every layer moved, why (the vanishing case is said with the bars)."""
        d, th = self.res.deep, self.theme
        k = self.barely
        if k == 0 and min(float(v) for v in d.hidden_change) >= BARELY:
            self.say(t("A weight moves by its gradient: with this net, even layer 1's is large enough for it to "
                       "learn."),
                     self.bars[0].animate.set_fill(th.good), run_time=0.8)
