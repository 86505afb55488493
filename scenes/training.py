"""Chapter 9: the cost of fading.

A real training run on the 8x8 digits under one set-up (:data:`SETUP`-like, from
:func:`netsim.experiments.training.training_setup`): the data and its split, mini-batches,
eta, epochs and the cross-entropy cost of chapter 8 are stated on screen first. Then two
panels fill in together, epoch by epoch: on the left each hidden layer of the deep net's
speed of learning ||dC/db_l|| (log scale; dark lines early layers, bright late ones), on the
right both nets' accuracy on held-out digits. They are drawn in two phases: the deep net's
plateau (layer 1 far slower than layer L-1, accuracy at chance; the ratio is measured over
exactly those epochs) and, from the epoch where layer 1 catches up, its climb to the end.
Nielsen's MNIST numbers close the chapter: why his deep net shows no such wait (updates per
epoch). Every number comes from :func:`netsim.experiments.training.cost_of_fading`; every
caption is chosen from those numbers.

Render: ``.venv/bin/manim -ql scenes/training.py CostOfFading``.
"""

from __future__ import annotations

import logging

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    DashedLine,
    FadeIn,
    Line,
    ManimColor,
    Rectangle,
    Text,
    VGroup,
    VMobject,
)

from netsim.experiments.training import NIELSEN_MNIST, TrainingComparison, cost_of_fading
from scenes.chapters import number_of
from scenes.common import LessonScene
from scenes.lesson import Lesson, per_net
from scenes.style import SIZE, viridis

log = logging.getLogger(__name__)

AXIS_WIDTH = 4.8
AXIS_HEIGHT = 2.8
PLOT_CENTER_Y = -0.25
TITLE_TOP = 2.4
SPEED_X = -3.45
ACCURACY_X = 3.35
CARD_TOP = 3.9
CARD_RIGHT = 6.85
LEGEND_LINE = 0.38
MIN_LABEL_GAP = 0.32
KEY_HOLD = 2.0  # seconds the key picture is held after its caption is read


@per_net
def training_for(lesson: Lesson) -> TrainingComparison:
    """The experiment this scene shows, for a lesson (training takes seconds: computed once per net)."""
    return cost_of_fading(tuple(lesson.sizes), lesson.activation, lesson.init, lesson.bias_init,
                          lesson.seed, eta=lesson.learning_rate)


def layer_color(layer: int, layers: int, theme_name: str) -> ManimColor:
    """Hidden layer ``layer`` (1-based) of ``layers`` on viridis: early dark, late bright.

    The ends of viridis that vanish into the background are left out (its darkest purple on
    the dark theme, its brightest yellow on the light one).
    """
    lo, hi = (0.28, 1.0) if theme_name == "dark" else (0.0, 0.78)
    t = (layer - 1) / max(layers - 1, 1)
    return viridis(lo + (hi - lo) * t)


def tick_step(epochs: int) -> int:
    """A round step between epoch ticks giving at most five intervals."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if epochs / step <= 5:
            return step
    return epochs


def spread(ys: list[float], gap: float) -> list[float]:
    """Label heights near ``ys`` (same order) pushed apart to at least ``gap``."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    out = list(ys)
    for a, b in zip(order, order[1:]):
        if out[b] - out[a] < gap:
            out[b] = out[a] + gap
    # centre the pushed block on the original mean so it drifts neither up nor down
    shift = (sum(ys) - sum(out)) / len(ys)
    return [y + shift for y in out]


def on_baseline(text: Text, ref: Text) -> Text:
    """Shift ``text`` so its first glyph sits on the line of ``ref``'s first glyph.

    Both first glyphs must be without descenders (as in "deep:", "right", "90%"), so their
    bottoms are the baseline.
    """
    text.shift(UP * (ref[0].get_bottom()[1] - text[0].get_bottom()[1]))
    return text


def pct(value: float) -> str:
    """The same percentage text a number on screen shows: "96.7%", "90%"."""
    text = f"{100 * float(value):.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def whole(value: int) -> str:
    """A whole number with thousands separators: 50,000."""
    return f"{int(value):,}"


class CostOfFading(LessonScene):
    """How fading gradients hold the early layers back, and what that costs: time."""

    skip_end = False  # the key-picture golden test stops before the final fade

    def construct(self) -> None:
        self.result = training_for(self.lesson)
        r = self.result
        log.debug("ratios %s, accuracies %s / %s", r.ratios, r.deep_accuracy, r.shallow_accuracy)
        self.split = r.window[1] + 1 if r.plateau else r.epochs  # phase 1 draws epochs 0 .. split
        self.show_heading()
        self.show_setup()
        self.speed_axes()
        self.accuracy_axes()
        self.first_phase()
        self.state_ratio()
        if r.plateau:
            self.catch_up()
            self.second_phase()
        self.end_values()
        self.time_to_target()
        self.compare_with_nielsen()
        if not self.skip_end:
            self.end_chapter(self.summary_caption())
        else:
            self.wait(KEY_HOLD)

    # -- helpers -------------------------------------------------------------------------

    def percent(self, key: str, value: float, size: int = SIZE.small, color: str | None = None) -> Text:
        """An accuracy as "96.7%", its value (a fraction) recorded in ``shown[key]``."""
        self.shown[key] = float(value)
        return self.text(pct(value), size, color=color)

    def pct_inline(self, key: str, value: float) -> str:
        """An accuracy inside a caption, recorded in ``shown[key]``."""
        self.shown[key] = float(value)
        return pct(value)

    def whole_inline(self, key: str, value: int) -> str:
        """A whole number inside a caption or label, recorded in ``shown[key]``."""
        self.shown[key] = float(value)
        return whole(value)

    def legend_row(self, entries: list[tuple[str, ManimColor | str, bool]], max_per_row: int = 4) -> VGroup:
        """Short line samples with names, ``max_per_row`` to a row (dashed if asked)."""
        items = []
        for name, color, dashed in entries:
            kind = DashedLine if dashed else Line
            sample = kind(ORIGIN3, RIGHT * LEGEND_LINE, stroke_color=color, stroke_width=4)
            items.append(VGroup(sample, self.text(name, SIZE.small)).arrange(RIGHT, buff=0.1))
        rows = VGroup(*[VGroup(*items[i:i + max_per_row]).arrange(RIGHT, buff=0.3)
                        for i in range(0, len(items), max_per_row)])
        return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.12)

    def epoch_axes(self, y_range: tuple[float, float, float], center_x: float) -> Axes:
        """Axes with epochs along x, placed with the plot area centred at ``center_x``."""
        th = self.theme
        axes = Axes(
            x_range=(0, self.result.epochs, tick_step(self.result.epochs)),
            y_range=y_range,
            x_length=AXIS_WIDTH,
            y_length=AXIS_HEIGHT,
            tips=False,
            axis_config={"stroke_color": th.muted, "stroke_width": 2, "include_ticks": True,
                         "tick_size": 0.05},
        )
        axes.move_to([center_x, PLOT_CENTER_Y, 0])
        return axes

    def x_labels(self, axes: Axes) -> VGroup:
        """Epoch numbers under the ticks and the word "epoch"."""
        th = self.theme
        step = tick_step(self.result.epochs)
        ticks = VGroup(*[
            self.text(str(e), SIZE.small, color=th.muted).next_to(axes.c2p(e, axes.y_range[0]), DOWN, buff=0.12)
            for e in range(0, self.result.epochs + 1, step)
        ])
        name = self.text("epoch", SIZE.small, color=th.muted).next_to(ticks, DOWN, buff=0.1)
        return VGroup(ticks, name)

    def curve(self, axes: Axes, ys: np.ndarray, color: ManimColor | str, start: int = 0, stop: int | None = None,
              width: float = 3.5) -> VMobject:
        """A polyline through (epoch, y) for epochs ``start`` .. ``stop`` (both included)."""
        stop = len(ys) - 1 if stop is None else stop
        points = [axes.c2p(float(e), float(ys[e])) for e in range(start, stop + 1)]
        return VMobject(stroke_color=color, stroke_width=width).set_points_as_corners(points)

    def shade(self, axes: Axes, first: float, last: float) -> Rectangle:
        """A faint band over epochs ``first`` .. ``last`` of ``axes``, the full plot height."""
        lo, hi = axes.c2p(first, axes.y_range[0]), axes.c2p(last, axes.y_range[1])
        band = Rectangle(width=hi[0] - lo[0], height=hi[1] - lo[1], stroke_width=0,
                         fill_color=self.theme.muted, fill_opacity=0.16)
        return band.move_to((lo + hi) / 2)

    # -- beat 0: the question -------------------------------------------------------------

    def show_heading(self) -> None:
        """The chapter title."""
        self.heading = self.chapter_heading("The cost of fading")
        self.say("What do fading gradients cost? We train a deep net and a shallow one on real digits.",
                 FadeIn(self.heading), run_time=1.2)

    # -- beat 1: the set-up, on screen ----------------------------------------------------

    def show_setup(self) -> None:
        """Data, split, mini-batch, eta, epochs and cost: first large in the middle, then a card."""
        r, th = self.result, self.theme
        s = r.setup
        n_train = self.whole_inline("n_train", s.n_train)
        n_test = self.whole_inline("n_test", s.n_test)
        batch = self.whole_inline("batch_size", s.batch_size)
        eta = self.inline("eta", s.eta)
        epochs = self.whole_inline("epochs", s.epochs)
        updates = self.whole_inline("updates_per_epoch", s.updates_per_epoch)
        ch8 = number_of("fading")
        lines = [
            self.text(f"scikit-learn's 8x8 digits: {n_train} train, {n_test} test", SIZE.small),
            self.text(f"mini-batch {batch}, η = {eta}, {epochs} epochs × {updates} steps", SIZE.small),
            self.text(f"cost: cross-entropy (chapter {ch8})", SIZE.small),
        ]
        card = VGroup(*lines).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        frame = Rectangle(width=card.width + 0.3, height=card.height + 0.24, stroke_color=th.muted,
                          stroke_width=1.5).move_to(card)
        self.card = VGroup(frame, card)
        self.card.scale(1.25).move_to([0, 0.6, 0])
        self.say(f"The data: scikit-learn's 8x8 digits, {n_train} images to train on and {n_test} held out "
                 "to test.", FadeIn(frame, lines[0]), run_time=1.0)
        self.say(f"Both nets learn by SGD, mini-batches of {batch} images, learning rate η = {eta}: "
                 f"{updates} steps make one epoch, one pass over the training images.", FadeIn(lines[1]),
                 run_time=1.0)
        self.say(f"Both use the cross-entropy cost of chapter {ch8} and the same neurons and starting weights, "
                 f"for {epochs} epochs.", FadeIn(lines[2]), run_time=1.0)
        target = self.card.copy().scale(1 / 1.25)
        target.move_to([CARD_RIGHT - target.width / 2, CARD_TOP - target.height / 2, 0])
        self.play(self.card.animate.become(target), run_time=0.8)

    # -- beat 2: the two panels ------------------------------------------------------------

    def speed_axes(self) -> None:
        """Log-scale axes for ||dC/db_l||, a legend naming the hidden layers."""
        r, th = self.result, self.theme
        lo, hi = r.decades
        self.shown["decades"] = [float(lo), float(hi)]
        H = r.hidden_layers
        # y is log10(speed) - lo, so the epoch axis runs along the bottom of the plot
        self.speed_ax = ax = self.epoch_axes((0, hi - lo, 1), SPEED_X)
        y_ticks = VGroup(*[
            self.text(f"1e{k}", SIZE.small, color=th.muted).next_to(ax.c2p(0, k - lo), LEFT, buff=0.15)
            for k in range(lo, hi + 1)
        ])
        title = self.text("deep net's speed of learning ||dC/db_l||", SIZE.small)
        names = [(str(l), layer_color(l, H, th.name), False) for l in range(1, H + 1)]
        legend = VGroup(self.text("hidden layer l", SIZE.small, color=th.muted), self.legend_row(names))
        legend.arrange(RIGHT, buff=0.25, aligned_edge=UP)
        title.align_to(y_ticks, LEFT).set_y(TITLE_TOP - title.height / 2)
        legend.next_to(title, DOWN, buff=0.14).align_to(y_ticks, LEFT)
        self.speed_frame = VGroup(ax, y_ticks, self.x_labels(ax), legend, title)
        self.say("Left: after every epoch, how fast each hidden layer of the deep net learns, ||dC/db_l||, "
                 "on a log scale. Early layers dark, late layers bright.",
                 Create(ax), FadeIn(y_ticks, self.speed_frame[2], title, legend), run_time=1.5)

    def accuracy_axes(self) -> None:
        """Accuracy axes beside the speeds, a legend for the two nets, the chance line."""
        r, th = self.result, self.theme
        self.acc_ax = ax = self.epoch_axes((0, 1, 0.25), ACCURACY_X)
        y_ticks = VGroup(*[
            self.text(f"{p}%", SIZE.small, color=th.muted).next_to(ax.c2p(0, p / 100), LEFT, buff=0.15)
            for p in (0, 50, 100)
        ])
        self.shown["chance"] = float(r.chance)
        chance = DashedLine(ax.c2p(0, r.chance), ax.c2p(r.epochs, r.chance), stroke_color=th.muted,
                            stroke_width=2.5)
        deep_layers = r.hidden_layers
        self.shown["deep_hidden_layers"] = float(deep_layers)
        shallow_layers = len(r.shallow_sizes) - 2
        self.shown["shallow_hidden_layers"] = float(shallow_layers)
        legend = self.legend_row([(f"deep: {deep_layers} hidden layers", th.backward, False),
                                  ("chance", th.muted, True),
                                  (f"shallow: {shallow_layers} hidden layer", th.forward, False)], max_per_row=2)
        title = self.text("accuracy on the held-out digits", SIZE.small)
        title.align_to(y_ticks, LEFT).set_y(TITLE_TOP - title.height / 2)
        legend.next_to(title, DOWN, buff=0.14).align_to(y_ticks, LEFT)
        self.acc_frame = VGroup(ax, y_ticks, self.x_labels(ax), chance, legend, title)
        width = self.whole_inline("width", r.shallow_sizes[1])
        n_test = whole(r.setup.n_test)
        self.say(f"Right: how many of the {n_test} held-out digits each net gets right. The deep net has "
                 f"{deep_layers} hidden layers of {width} neurons, the shallow net one.",
                 Create(ax), FadeIn(y_ticks, self.acc_frame[2], chance, legend, title), run_time=1.5)

    # -- beat 3: the plateau -----------------------------------------------------------------

    def speed_curves(self, start: int, stop: int) -> VGroup:
        """Each hidden layer's log speed over epochs ``start`` .. ``stop``."""
        r, th = self.result, self.theme
        H, lo = r.hidden_layers, r.decades[0]
        lines = VGroup()
        for l in range(1, H + 1):
            with np.errstate(divide="ignore"):
                ys = np.maximum(np.log10(r.hidden_speeds[:, l - 1]), lo) - lo
            lines.add(self.curve(self.speed_ax, ys, layer_color(l, H, th.name), start, stop))
        return lines

    def accuracy_curves(self, start: int, stop: int) -> VGroup:
        """The shallow and the deep net's accuracy over epochs ``start`` .. ``stop``."""
        r, th = self.result, self.theme
        return VGroup(self.curve(self.acc_ax, r.shallow_accuracy, th.forward, start, stop),
                      self.curve(self.acc_ax, r.deep_accuracy, th.backward, start, stop))

    def first_phase(self) -> None:
        """Both panels fill in together up to the end of the plateau (or all the way)."""
        r = self.result
        for l in range(1, r.hidden_layers + 1):
            self.shown[f"speed_{l}"] = [float(v) for v in r.hidden_speeds[:, l - 1]]
        self.shown["deep_accuracy"] = [float(v) for v in r.deep_accuracy]
        self.shown["shallow_accuracy"] = [float(v) for v in r.shallow_accuracy]
        self.speed_lines = VGroup(self.speed_curves(0, self.split))
        self.acc_lines = VGroup(self.accuracy_curves(0, self.split))
        anims = [Create(self.speed_lines[0], lag_ratio=0.0), Create(self.acc_lines[0], lag_ratio=0.0)]
        if r.plateau:
            last = r.window[1]
            self.shown["plateau_last"] = float(last)
            self.bands = VGroup(self.shade(self.speed_ax, r.window[0], last),
                                self.shade(self.acc_ax, r.window[0], last))
            word = self.text("plateau", SIZE.small, color=self.theme.muted)
            word.move_to(self.acc_ax.c2p((r.window[0] + last) / 2, 0.72))
            self.bands.add(word)
            s = r.shallow_epochs_to_target
            left = r.deep_epochs_to_leave_chance
            stay = left - 1 if left is not None else r.epochs
            self.shown["deep_epochs_near_chance"] = float(stay)
            caption = (f"For {stay} epochs the deep net stays below {pct(2 * r.chance)} right, near chance "
                       f"({pct(r.chance)}).")
            if s is not None:
                caption += f" The shallow net reaches {pct(r.target_accuracy)} at epoch {s}."
            with self.beat(caption):
                self.play(*anims, run_time=3.0, rate_func=lambda t: t)
                self.play(FadeIn(self.bands), run_time=0.6)
        else:
            self.say(self.accuracy_caption(), *anims, run_time=4.0)

    def state_ratio(self) -> None:
        """Layer 1 against layer L-1 over the window, as one measured number."""
        r = self.result
        H = r.hidden_layers
        first_epoch, last_epoch = r.window
        self.shown["window"] = [float(first_epoch), float(last_epoch)]
        word = "slower" if r.ratio >= 1 else "faster"
        f = self.inline("factor", r.factor)
        self.shown["ratio"] = float(r.ratio_rounded)
        first = self.text(f"over epochs {first_epoch} to {last_epoch}, on average,", SIZE.small)
        second = self.text(f"layer 1 learned {f} times {word} than layer {H}", SIZE.small)
        statement = VGroup(first, second).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        statement.next_to(self.speed_frame, DOWN, buff=0.22).align_to(self.speed_frame, LEFT)
        self.statement = statement
        if r.plateau:
            caption = (f"Over the shaded plateau, epochs {first_epoch} to {last_epoch}, layer 1 learned {f} times "
                       f"slower than layer {H}.")
        else:
            caption = f"Over epochs {first_epoch} to {last_epoch}, layer 1 learned {f} times {word} than layer {H}."
        self.say(caption, FadeIn(statement), run_time=1.0)

    # -- beat 4: the end of the plateau ------------------------------------------------------

    def catch_up(self) -> None:
        """A marker at the first epoch where layer 1 learns as fast as layer L-1."""
        r, th = self.result, self.theme
        c = r.catch_up_epoch
        assert c is not None
        self.shown["catch_up_epoch"] = float(c)
        marks = VGroup()
        for ax in (self.speed_ax, self.acc_ax):
            marks.add(DashedLine(ax.c2p(c, ax.y_range[0]), ax.c2p(c, ax.y_range[1]), stroke_color=th.text,
                                 stroke_width=2, dash_length=0.08))
        tag = self.text(f"epoch {c}", SIZE.small)
        tag.next_to(self.speed_ax.c2p(c, 0), UP + RIGHT, buff=0.1)
        marks.add(tag)
        self.catch_marks = marks
        self.say(f"Meanwhile layer 1's speed creeps up. At epoch {c} it catches up with layer {r.hidden_layers}.",
                 FadeIn(marks), run_time=1.0)

    def second_phase(self) -> None:
        """The rest of the run: the deep net climbs once its first layer learns."""
        r = self.result
        rest_speed = self.speed_curves(self.split - 1, r.epochs)
        rest_acc = self.accuracy_curves(self.split - 1, r.epochs)
        self.speed_lines.add(rest_speed)
        self.acc_lines.add(rest_acc)
        half = pct(r.climb_accuracy)
        climb = r.deep_epochs_to_climb
        target = r.deep_epochs_to_target
        if climb is not None:
            self.shown["deep_epochs_to_climb"] = float(climb)
            parts = f"{half} right at epoch {climb}"
            if target is not None:
                parts += f", {pct(r.target_accuracy)} at epoch {target}"
            caption = f"Only then does the deep net learn: {parts}."
        else:
            caption = "Only then does the deep net begin to learn, slowly."
        self.say(caption, Create(rest_speed, lag_ratio=0.0), Create(rest_acc, lag_ratio=0.0), run_time=3.5,
                 rate_func=lambda t: t)

    # -- beat 5: where the run ends ------------------------------------------------------------

    def end_values(self) -> None:
        """Both nets' last accuracy written at the end of their lines."""
        r, th = self.result, self.theme
        ax = self.acc_ax
        finals = [r.deep_final_accuracy, r.shallow_final_accuracy]
        ys = spread([float(ax.c2p(r.epochs, v)[1]) for v in finals], MIN_LABEL_GAP)
        x_end = float(ax.c2p(r.epochs, 0)[0]) + 0.12
        ends = VGroup(
            self.percent("deep_final_accuracy", finals[0], color=th.backward),
            self.percent("shallow_final_accuracy", finals[1], color=th.forward),
        )
        for label, y in zip(ends, ys):
            label.move_to([x_end + label.width / 2, y, 0])
        self.acc_ends = ends
        self.say(f"After {r.epochs} epochs the deep net gets {pct(finals[0])} right, the shallow net "
                 f"{pct(finals[1])}.", FadeIn(ends), run_time=1.0)

    def time_to_target(self) -> None:
        """The first epoch each net reaches the target accuracy (or that it never did)."""
        r, th = self.result, self.theme
        first = self.text(f"epochs to reach {self.pct_inline('target_accuracy', r.target_accuracy)} right", SIZE.small)
        parts = []
        for key, epoch, color in (("deep", r.deep_epochs_to_target, th.backward),
                                  ("shallow", r.shallow_epochs_to_target, th.forward)):
            name = self.text(f"{key}:", SIZE.small, color=color)
            if epoch is None:
                value = VGroup(self.text("not within", SIZE.small), self.number("epochs_shown", r.epochs, SIZE.small))
                value.arrange(RIGHT, buff=0.1)
            else:
                value = VGroup(self.number(f"{key}_epochs_to_target", epoch, SIZE.small))
            part = VGroup(name, value).arrange(RIGHT, buff=0.1)
            for glyphs in value:
                on_baseline(glyphs, name)
            parts.append(part)
        second = VGroup(*parts).arrange(RIGHT, buff=0.4)
        line = VGroup(first, second).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        line.align_to(self.acc_frame[1], LEFT).align_to(self.statement, UP)
        self.target_line = line
        self.say(self.target_caption(), FadeIn(line), run_time=1.0)

    # -- beat 6: against the published numbers ---------------------------------------------------

    def compare_with_nielsen(self) -> None:
        """Nielsen's MNIST accuracies, and the plateau counted in updates."""
        r, th = self.result, self.theme
        pub = NIELSEN_MNIST
        k = r.hidden_layers
        deep_pub = pub.accuracy[min(k, len(pub.accuracy)) - 1]
        shallow_pub = pub.accuracy[0]
        self.shown["nielsen_deep_accuracy"] = float(deep_pub)
        self.shown["nielsen_shallow_accuracy"] = float(shallow_pub)
        images = self.whole_inline("nielsen_train_images", pub.train_images)
        note = self.text(f"Nielsen, MNIST ({images} training images): {pct(deep_pub)} with {min(k, 4)} hidden "
                         f"layers, {pct(shallow_pub)} with 1", SIZE.small, color=th.muted)
        note.move_to([0, -3.6, 0])
        self.nielsen_note = note
        self.say(f"Nielsen trained nets with the same hidden layers on MNIST: about {pct(deep_pub)} deep or "
                 "shallow.", FadeIn(note), run_time=1.0)
        if r.plateau:
            updates = self.whole_inline("plateau_updates", r.plateau_updates)
            per = self.whole_inline("nielsen_updates_per_epoch", pub.updates_per_epoch)
            mnist_epochs = r.plateau_updates / pub.updates_per_epoch
            self.shown["plateau_mnist_epochs"] = float(round(mnist_epochs, 1))
            self.say(f"An MNIST epoch is {per} steps. Our deep net's {r.window[1]}-epoch wait is {updates} steps: "
                     f"as many as {mnist_epochs:.1f} MNIST epochs.", run_time=1.0)
            self.say("Our data set is small, so counted in epochs the wait looks long.", run_time=1.0)

    # -- captions true to the numbers ------------------------------------------------------------

    def accuracy_caption(self) -> str:
        """How the two accuracy curves compare, in words (no plateau to show)."""
        r = self.result
        gap = r.deep_final_accuracy - r.shallow_final_accuracy
        if gap < -CLOSE:
            return "The shallow net climbs first; the deep net, its early layers barely moving, lags behind."
        if gap > CLOSE:
            return "The deep net learns faster than the shallow one and ends up ahead."
        return "Both nets learn from the first epochs, and they end up close to each other."

    def target_caption(self) -> str:
        """How long each net needs to reach the target accuracy."""
        r = self.result
        t = pct(r.target_accuracy)
        d, s = r.deep_epochs_to_target, r.shallow_epochs_to_target
        if d is None and s is None:
            return f"Neither net reaches {t} within {r.epochs} epochs."
        if d is None:
            return f"The shallow net reaches {t} after {s} epochs; the deep net not within {r.epochs}."
        if s is None:
            return f"The deep net reaches {t} after {d} epochs; the shallow net never does."
        if d > s:
            return f"To reach {t}, the shallow net needed {s} epochs, the deep net {d}."
        if d < s:
            return f"The deep net reaches {t} after {d} epochs, sooner than the shallow net's {s}."
        return f"Both nets reach {t} after {d} epochs."

    def summary_caption(self) -> str:
        """What the whole picture says."""
        r = self.result
        if r.plateau:
            return "Fading gradients: the first layers learn last, and the deep net waits for them."
        if r.regime == "vanishing":
            return "The early layers learn slowly, yet this time the deep net keeps up."
        return "Here every hidden layer learns from the start, and the deep net keeps up."


ORIGIN3 = np.zeros(3)

#: The end accuracies count as "close" within this many (five percentage points).
CLOSE = 0.05
