"""Chapter 8: the cost of fading.

A real training run on the 8x8 digits: the lesson's deep net learns for ``EPOCHS`` epochs by
SGD with the cross-entropy cost. Beat 1 plots each hidden layer's speed of learning
||dC/db_l|| over the epochs on a log scale (dark lines: early layers, bright: late ones,
as in chapter 7) and states how many times slower layer 1 learns than layer L-1. Beat 2
trains a shallow net (one hidden layer of the same width, same data, same eta) and plots
both nets' accuracy on held-out digits, with the end values and the first epoch each net
reaches the target accuracy. Every number comes from
:func:`netsim.experiments.training.cost_of_fading`; every caption is chosen from those numbers.

Render: ``.venv/bin/manim -ql scenes/training.py CostOfFading``.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Axes,
    Create,
    DashedLine,
    FadeIn,
    Line,
    ManimColor,
    Text,
    VGroup,
    VMobject,
)

from netsim.experiments.training import TrainingComparison, cost_of_fading
from scenes.common import LessonScene, current_lesson
from scenes.lesson import Lesson
from scenes.style import SIZE, fmt_value, viridis

LESSON = current_lesson()

log = logging.getLogger(__name__)

#: Epochs of training. The default lesson's deep sigmoid net sits at chance for about 55
#: epochs before it starts to learn; 80 shows that start. Both runs together took 3.3 s at
#: render time on the shared 2-core machine (BLAS limited to one thread by the experiment).
EPOCHS = 80

AXIS_WIDTH = 4.8
AXIS_HEIGHT = 3.2
PLOT_CENTER_Y = -0.45
TITLE_TOP = 2.4
SPEED_X = 0.35  # the speed plot's centre while it is alone on screen
PANEL_SHIFT = 4.0  # the speed panel moves left by this much when the accuracy panel comes
ACCURACY_X = 3.15
LEGEND_LINE = 0.38
MIN_LABEL_GAP = 0.32
KEY_HOLD = 3.0  # seconds the key picture is held before the fade
READING_SPEED = 16.0  # caption characters per second


@lru_cache(maxsize=4)
def training_for(lesson: Lesson) -> TrainingComparison:
    """The experiment this scene shows, for a lesson (cached: training takes seconds)."""
    return cost_of_fading(tuple(lesson.sizes), lesson.activation, lesson.init, lesson.bias_init,
                          lesson.seed, eta=lesson.learning_rate, epochs=EPOCHS)


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


class CostOfFading(LessonScene):
    """How fading gradients slow the early layers down, and what that costs in accuracy."""

    skip_end = False  # the key-picture golden test stops before the final fade

    def construct(self) -> None:
        self.result = training_for(self.lesson)
        r = self.result
        log.debug("ratios %s, accuracies %s / %s", r.ratios, r.deep_accuracy, r.shallow_accuracy)
        self.show_heading()
        self.speed_axes()
        self.draw_speeds()
        self.state_ratio()
        self.accuracy_axes()
        self.draw_accuracy()
        self.time_to_target()
        self.hold_key_picture()
        if not self.skip_end:
            self.end_chapter("Fading gradients cost time and accuracy.")

    # -- helpers -------------------------------------------------------------------------

    def say(self, caption: str, *anims: Animation, run_time: float = 1.0) -> None:
        """Play ``anims`` under ``caption``, then hold until the caption can be read."""
        total = max(run_time, len(caption) / READING_SPEED)
        self.play(*anims, run_time=run_time, subcaption=caption, subcaption_duration=total)
        if total > run_time:
            self.wait(total - run_time)

    def percent(self, key: str, value: float, size: int = SIZE.small, color: str | None = None) -> Text:
        """An accuracy as "96.7%", its value (a fraction) recorded in ``shown[key]``."""
        self.shown[key] = float(value)
        return self.text(self.pct(value), size, color=color)

    @staticmethod
    def pct(value: float) -> str:
        """The same percentage text a number on screen shows: "96.7%", "90%"."""
        text = f"{100 * float(value):.1f}"
        return (text[:-2] if text.endswith(".0") else text) + "%"

    @staticmethod
    def fmt(value: float) -> str:
        """The same text a number on screen shows."""
        return fmt_value(float(value))

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

    def curve(self, axes: Axes, ys: np.ndarray, color: ManimColor | str, width: float = 3.5) -> VMobject:
        """A polyline through (epoch, y) for epochs 0 .. E."""
        points = [axes.c2p(float(e), float(y)) for e, y in enumerate(ys)]
        return VMobject(stroke_color=color, stroke_width=width).set_points_as_corners(points)

    # -- beat 0 --------------------------------------------------------------------------

    def show_heading(self) -> None:
        """The chapter title."""
        self.heading = self.chapter_heading("The cost of fading", "a real training run on handwritten digits")
        self.say("What do fading gradients do to learning? We train real nets on handwritten digits "
                 "and watch.", FadeIn(self.heading), run_time=1.5)

    # -- beat 1: each layer's speed of learning ------------------------------------------

    def speed_axes(self) -> None:
        """Log-scale axes for ||dC/db_l||, a legend naming the hidden layers."""
        r, th = self.result, self.theme
        lo, hi = r.decades
        self.shown["decades"] = [float(lo), float(hi)]
        self.shown["epochs"] = float(r.epochs)
        self.shown["eta"] = float(r.eta)
        H = r.hidden_layers
        # y is log10(speed) - lo, so the epoch axis runs along the bottom of the plot
        self.speed_ax = self.epoch_axes((0, hi - lo, 1), SPEED_X)
        ax = self.speed_ax
        y_ticks = VGroup(*[
            self.text(f"1e{k}", SIZE.small, color=th.muted).next_to(ax.c2p(0, k - lo), LEFT, buff=0.15)
            for k in range(lo, hi + 1)
        ])
        title = self.text("speed of learning ||dC/db|| (log scale)", SIZE.small)
        names = [(str(l), layer_color(l, H, th.name), False) for l in range(1, H + 1)]
        legend = VGroup(self.text("hidden layer", SIZE.small, color=th.muted), self.legend_row(names))
        legend.arrange(RIGHT, buff=0.25, aligned_edge=UP)
        title.align_to(y_ticks, LEFT).set_y(TITLE_TOP - title.height / 2)
        legend.next_to(title, DOWN, buff=0.16).align_to(y_ticks, LEFT)
        self.speed_frame = VGroup(ax, y_ticks, self.x_labels(ax), legend, title)
        self.say(f"The deep net trains for {r.epochs} epochs, {r.epochs} passes over the training images. "
                 "After each, we measure how fast every hidden layer learns: the size of its gradient "
                 "||dC/db||.", Create(ax), FadeIn(y_ticks, self.speed_frame[2], title), run_time=2)
        self.say("The scale is logarithmic: each step up is ten times faster. Early layers get dark "
                 "colours, late layers bright ones.", FadeIn(legend), run_time=1.2)

    def draw_speeds(self) -> None:
        """One line per hidden layer over the epochs, drawn left to right."""
        r, th = self.result, self.theme
        H = r.hidden_layers
        lo = r.decades[0]
        self.speed_lines = VGroup()
        for l in range(1, H + 1):
            speeds = r.hidden_speeds[:, l - 1]
            self.shown[f"speed_{l}"] = [float(v) for v in speeds]
            with np.errstate(divide="ignore"):
                ys = np.maximum(np.log10(speeds), lo) - lo
            self.speed_lines.add(self.curve(self.speed_ax, ys, layer_color(l, H, th.name)))
        if r.regime == "vanishing":
            caption = ("The early layers' lines sit far below the late ones: the first layer gets the "
                       "smallest gradient, so it learns slowest.")
        elif r.ratio >= 1:
            caption = "The lines stay close together: every hidden layer learns at a similar speed."
        else:
            caption = ("Here the lines stay close, and the first layer even learns a little faster "
                       "than the last.")
        self.say(caption, Create(self.speed_lines, lag_ratio=0.15), run_time=3.5)

    def state_ratio(self) -> None:
        """Layer 1 against layer L-1, as one number averaged over the epochs."""
        r, th = self.result, self.theme
        H = r.hidden_layers
        word = "slower" if r.ratio >= 1 else "faster"
        color = th.text if r.regime == "vanishing" else th.good
        factor = self.number("factor", r.factor, SIZE.body).set_color(color)
        self.shown["ratio"] = float(r.ratio_rounded)
        first = VGroup(self.text("On average, layer 1 learned", SIZE.label), factor).arrange(RIGHT, buff=0.14)
        second = self.text(f"times {word} than layer {H}", SIZE.label)
        statement = VGroup(first, second).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        statement.next_to(self.speed_frame, DOWN, buff=0.25).align_to(self.speed_frame, LEFT)
        on_baseline(factor, first[0])
        self.statement = statement
        self.speed_panel = VGroup(self.speed_frame, self.speed_lines, statement)
        caption = (f"Averaged over the {r.epochs} epochs, layer 1 learned {self.fmt(r.factor)} times {word} "
                   f"than layer {H}.")
        if r.regime == "vanishing" and int(np.argmax(r.ratios)) == 0 and r.ratios[-1] < r.ratios[0] / REGIME_GAP:
            caption += " The gap is widest at the start and closes only slowly."
        self.say(caption, FadeIn(statement), run_time=1.2)

    # -- beat 2: what it costs -----------------------------------------------------------

    def accuracy_axes(self) -> None:
        """Accuracy axes beside the speeds, a legend for the two nets, the chance line."""
        r, th = self.result, self.theme
        self.acc_ax = self.epoch_axes((0, 1, 0.25), ACCURACY_X)
        ax = self.acc_ax
        y_ticks = VGroup(*[
            self.text(f"{p}%", SIZE.small, color=th.muted).next_to(ax.c2p(0, p / 100), LEFT, buff=0.15)
            for p in (0, 50, 100)
        ])
        self.shown["chance"] = float(r.chance)
        chance = DashedLine(ax.c2p(0, r.chance), ax.c2p(r.epochs, r.chance), stroke_color=th.muted,
                            stroke_width=2.5)
        deep_layers = len(r.deep_sizes) - 2
        self.shown["deep_hidden_layers"] = float(deep_layers)
        shallow_layers = len(r.shallow_sizes) - 2
        self.shown["shallow_hidden_layers"] = float(shallow_layers)
        legend = self.legend_row([(f"deep: {deep_layers} hidden layers", th.backward, False),
                                  ("chance", th.muted, True),
                                  (f"shallow: {shallow_layers} hidden layer", th.forward, False)], max_per_row=2)
        title = self.text("accuracy on unseen digits", SIZE.small)
        title.align_to(y_ticks, LEFT).set_y(TITLE_TOP - title.height / 2)
        legend.next_to(title, DOWN, buff=0.16).align_to(y_ticks, LEFT)
        self.acc_frame = VGroup(ax, y_ticks, self.x_labels(ax), chance, legend, title)
        eta = self.fmt(r.eta)
        self.say(f"What does it cost? A shallow net, one hidden layer of {r.shallow_sizes[1]} neurons, "
                 f"learns the same digits with the same step size, eta = {eta}.",
                 self.speed_panel.animate.shift(LEFT * PANEL_SHIFT), run_time=1.5)
        self.say("We score both nets on digits they never trained on. Guessing at random gets one in "
                 f"{round(1 / r.chance)} right.",
                 Create(ax), FadeIn(y_ticks, self.acc_frame[2], chance, legend, title), run_time=2)

    def draw_accuracy(self) -> None:
        """Both nets' held-out accuracy over the epochs, with the end values written."""
        r, th = self.result, self.theme
        ax = self.acc_ax
        self.shown["deep_accuracy"] = [float(v) for v in r.deep_accuracy]
        self.shown["shallow_accuracy"] = [float(v) for v in r.shallow_accuracy]
        deep = self.curve(ax, r.deep_accuracy, th.backward)
        shallow = self.curve(ax, r.shallow_accuracy, th.forward)
        finals = [r.deep_final_accuracy, r.shallow_final_accuracy]
        ys = spread([float(ax.c2p(r.epochs, v)[1]) for v in finals], MIN_LABEL_GAP)
        x_end = float(ax.c2p(r.epochs, 0)[0]) + 0.12
        ends = VGroup(
            self.percent("deep_final_accuracy", finals[0], color=th.backward),
            self.percent("shallow_final_accuracy", finals[1], color=th.forward),
        )
        for label, y in zip(ends, ys):
            label.move_to([x_end + label.width / 2, y, 0])
        self.acc_lines = VGroup(deep, shallow)
        self.acc_ends = ends
        self.say(self.accuracy_caption(), Create(shallow), Create(deep), run_time=3.5)
        self.say(f"After {r.epochs} epochs: the deep net gets {self.pct(finals[0])} right, the shallow "
                 f"net {self.pct(finals[1])}.", FadeIn(ends), run_time=1)

    def time_to_target(self) -> None:
        """The first epoch each net reaches the target accuracy (or that it never did)."""
        r, th = self.result, self.theme
        target = self.percent("target_accuracy", r.target_accuracy, SIZE.label)
        first = VGroup(self.text("epochs to reach", SIZE.label), target,
                       self.text("right", SIZE.label)).arrange(RIGHT, buff=0.14)
        on_baseline(first[1], first[0])
        on_baseline(first[2], first[0])
        parts = []
        for key, epoch, color in (("deep", r.deep_epochs_to_target, th.backward),
                                  ("shallow", r.shallow_epochs_to_target, th.forward)):
            name = self.text(f"{key}:", SIZE.label, color=color)
            if epoch is None:
                value = VGroup(self.text("not within", SIZE.label), self.number("epochs", r.epochs, SIZE.label))
                value.arrange(RIGHT, buff=0.12)
            else:
                value = VGroup(self.number(f"{key}_epochs_to_target", epoch, SIZE.label))
            part = VGroup(name, value).arrange(RIGHT, buff=0.12)
            for glyphs in value:
                on_baseline(glyphs, name)
            parts.append(part)
        second = VGroup(*parts).arrange(RIGHT, buff=0.4)
        line = VGroup(first, second).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        line.align_to(self.acc_frame[1], LEFT).align_to(self.statement, UP)
        self.target_line = line
        self.say(self.target_caption(), FadeIn(line), run_time=1.2)

    def hold_key_picture(self) -> None:
        """The chapter's picture: slow early layers beside what they cost."""
        self.add_subcaption(self.summary_caption(), duration=KEY_HOLD)
        self.wait(KEY_HOLD)

    # -- captions true to the numbers ----------------------------------------------------

    def accuracy_caption(self) -> str:
        """How the two accuracy curves compare, in words."""
        r = self.result
        gap = r.deep_final_accuracy - r.shallow_final_accuracy
        if gap < -CLOSE:
            quick = r.shallow_epochs_to_target is not None and r.shallow_epochs_to_target <= r.epochs / 4
            start = "The shallow net climbs within a few epochs." if quick else "The shallow net climbs first."
            return f"{start} The deep net, its early layers barely moving, lags far behind."
        if gap > CLOSE:
            return "The deep net learns faster than the shallow one and ends up ahead."
        return "Both nets learn, and they end up close to each other."

    def target_caption(self) -> str:
        """How long each net needs to reach the target accuracy."""
        r = self.result
        t = self.pct(r.target_accuracy)
        d, s = r.deep_epochs_to_target, r.shallow_epochs_to_target
        if d is None and s is None:
            return f"Neither net reaches {t} within {r.epochs} epochs."
        if d is None:
            return (f"The shallow net reaches {t} after {s} epochs; the deep net not at all within "
                    f"{r.epochs}. Training takes far longer.")
        if s is None:
            return f"The deep net reaches {t} after {d} epochs; the shallow net never does."
        if d > s:
            return f"The shallow net reaches {t} after {s} epochs, the deep net after {d}."
        if d < s:
            return f"The deep net reaches {t} after {d} epochs, sooner than the shallow net's {s}."
        return f"Both nets reach {t} after {d} epochs."

    def summary_caption(self) -> str:
        """What the whole picture says."""
        r = self.result
        behind = r.deep_final_accuracy < r.shallow_final_accuracy - CLOSE
        if r.regime == "vanishing" and behind:
            return "Small gradients in the early layers: slow learning, long training, worse accuracy."
        if r.regime == "vanishing":
            return "The early layers learn slowly, yet this time the deep net still keeps up."
        if behind:
            return "Every layer learns at a similar speed here, yet the deep net still trails the shallow one."
        return (f"With {self.lesson.activation} and {self.lesson.init} initialisation every layer learns, "
                "and depth no longer holds the net back.")


ORIGIN3 = np.zeros(3)

#: The end accuracies count as "close" within this many (five percentage points).
CLOSE = 0.05

#: The gap counts as closing when the last epoch's ratio is this many times below the first's.
REGIME_GAP = 10.0
