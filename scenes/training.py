"""Chapter 8: the cost of fading.

Chapter 5's two nets, trained for 200 epochs under the one set-up of chapters 5, 8 and 11
(:func:`netsim.experiments.training.training_setup`: the 1,348 / 449 split, SGD with
mini-batches of 10, the lesson's eta, the cross-entropy cost), which is on screen from the
first beat, as a card, beside the two empty panels. Then the panels fill in together, epoch
by epoch: on the left each hidden layer of the deep net's speed of learning ‖∂C/∂b_l‖ (log
scale; dark lines early layers, bright late ones), on the right both nets' accuracy on the
held-out digits, each net in its colour of the whole episode. They are drawn in two phases:
the deep net's plateau (layer 1 far slower than layer L-1; the ratio is measured over exactly
those epochs, shaded, and the word "plateau" sits on the deep net's flat line) and, from the
epoch where layer 1 catches up, the rest of the run. The captions state what the run shows,
in order (the first layers speed up, layer 1 catches up, the deep net passes 50% and 90%),
never a cause. Nielsen's MNIST accuracy is set beside ours, with the data it came from. Every
number comes from :func:`netsim.experiments.training.cost_of_fading`; every caption is chosen
from those numbers.

Render: ``.venv/bin/manim -ql scenes/training.py CostOfFading``.
"""

from __future__ import annotations

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
    FadeOut,
    Indicate,
    Line,
    ManimColor,
    Mobject,
    Rectangle,
    Text,
    VGroup,
    VMobject,
)

from netsim.experiments.training import NIELSEN_MNIST, TrainingComparison, cost_of_fading, step_test
from netsim.format import fmt_percent, fmt_whole
from scenes.chapters import number_of
from scenes.common import LessonScene
from scenes.lesson import Lesson, per_net
from scenes.style import SIZE, fmt_value, log_tick, log_ticks, spread, viridis

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
NOTE_WIDTH = 12.6  # the widest the Nielsen note may be (the frame is 14.2 wide)
KEY_HOLD = 2.0  # seconds the key picture is held after its caption is read
ORIGIN3 = np.zeros(3)
#: A layer "speeds up" after the plateau when its median speed grows at least this many times.
SPEEDS_UP = 2.0


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


def on_baseline(text: Text, ref: Text) -> Text:
    """Shift ``text`` so its first glyph sits on the line of ``ref``'s first glyph.

    Both first glyphs must be without descenders (as in "deep:", "right", "90%"), so their
    bottoms are the baseline.
    """
    text.shift(UP * (ref[0].get_bottom()[1] - text[0].get_bottom()[1]))
    return text


class CostOfFading(LessonScene):
    """How fading gradients hold the early layers back, and what that costs: time."""

    skip_end = False  # the key-picture golden test stops before the final fade

    def construct(self) -> None:
        self.result = r = training_for(self.lesson)
        self.split = r.window[1] + 1 if r.plateau else r.epochs  # phase 1 draws epochs 0 .. split
        self.speed_axes()
        self.accuracy_axes()
        self.show_heading()
        self.show_setup()
        self.name_panels()
        self.first_phase()
        if r.plateau:
            self.catch_up()
        self.end_values()
        self.compare_with_nielsen()
        if r.plateau and r.deep_epochs_to_leave_chance is not None:
            self.test_the_cause()
        if not self.skip_end:
            self.end_chapter(self.summary_caption())
        else:
            self.wait(KEY_HOLD)

    # -- helpers -------------------------------------------------------------------------

    def pct(self, key: str, value: float) -> str:
        """An accuracy inside a caption or label, recorded in ``shown[key]``."""
        self.shown[key] = float(value)
        return fmt_percent(value)

    def count(self, key: str, value: int) -> str:
        """A whole number inside a caption or label, recorded in ``shown[key]``."""
        self.shown[key] = float(value)
        return fmt_whole(value)

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

    # -- beat 1: the question, over the card and the two empty panels ------------------------

    def make_card(self) -> VGroup:
        """The set-up card (data, split, SGD with its mini-batches and eta, the cost) at the top right."""
        r, th = self.result, self.theme
        s = r.setup
        n_train = self.count("n_train", s.n_train)
        n_test = self.count("n_test", s.n_test)
        batch = self.count("batch_size", s.batch_size)
        eta = self.inline("eta", s.eta)
        updates = self.count("updates_per_epoch", s.updates_per_epoch)
        lines = VGroup(
            self.text(f"scikit-learn's 8×8 digits: {n_train} to train on, {n_test} held out", SIZE.small),
            self.text(f"SGD: mini-batches of {batch}, {updates} steps an epoch, η = {eta}", SIZE.small),
            self.text(f"cross-entropy cost (chapter {number_of('fading')})", SIZE.small),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        frame = Rectangle(width=lines.width + 0.3, height=lines.height + 0.24, stroke_color=th.muted,
                          stroke_width=1.5).move_to(lines)
        card = VGroup(frame, lines)
        card.move_to([CARD_RIGHT - card.width / 2, CARD_TOP - card.height / 2, 0])
        return card

    def show_heading(self) -> None:
        """The chapter title, which two nets train, and at once the set-up card and both panels."""
        r = self.result
        self.heading = self.chapter_heading("The cost of fading")
        self.card = self.make_card()
        epochs = self.count("epochs", r.epochs)
        hidden = self.count("deep_hidden_layers", r.hidden_layers)
        width = self.count("width", r.shallow_sizes[1])
        with self.beat(f"What does fading cost? Chapter {number_of('depth')}'s two nets train for {epochs} epochs: "
                       f"deep, {hidden} hidden layers of {width}, and shallow, 1."):
            self.play(FadeIn(self.heading), FadeIn(self.card), Create(self.speed_ax), Create(self.acc_ax),
                      FadeIn(self.speed_frame[1:3], self.acc_frame[1:3], self.speed_title, self.acc_title),
                      run_time=1.2)

    # -- beat 2: the set-up, on the card ---------------------------------------------------

    def show_setup(self) -> None:
        """The card's data, split, SGD with its mini-batches, eta and cost, told."""
        s = self.result.setup
        n_train, n_test = fmt_whole(s.n_train), fmt_whole(s.n_test)
        batch, eta = fmt_whole(s.batch_size), fmt_value(s.eta)
        total = fmt_whole(s.n_train + s.n_test)  # the library's whole set; the split is ours
        self.say(f"scikit-learn, a Python library, ships {total} 8×8 digits; we train on {n_train} and hold out "
                 f"{n_test}. SGD (stochastic gradient descent) steps once per mini-batch of {batch} digits, η = {eta}.",
                 Indicate(self.card, color=self.theme.text, scale_factor=1.04), run_time=1.2)

    # -- beat 3: the two panels ------------------------------------------------------------

    def speed_axes(self) -> None:
        """Log-scale axes for ‖∂C/∂b_l‖ (ticks 10^k) and a legend naming the hidden layers."""
        r, th = self.result, self.theme
        lo, hi = r.decades
        self.shown["decades"] = [float(lo), float(hi)]
        H = r.hidden_layers
        # y is log10(speed) - lo, so the epoch axis runs along the bottom of the plot
        self.speed_ax = ax = self.epoch_axes((0, hi - lo, 1), SPEED_X)
        labelled = log_ticks(lo, hi, most=6)
        self.shown["speed_ticks"] = [float(k) for k in labelled]
        y_ticks = VGroup(*[log_tick(k, th).next_to(ax.c2p(0, k - lo), LEFT, buff=0.15) for k in labelled])
        title = VGroup(self.text("deep net's speed of learning", SIZE.small),
                       self.tex(r"\|\partial C/\partial b_l\|", SIZE.small)).arrange(RIGHT, buff=0.15)
        names = [(str(l), layer_color(l, H, th.name), False) for l in range(1, H + 1)]
        name = VGroup(self.text("hidden layer", SIZE.small, color=th.muted),
                      self.tex("l", SIZE.small, color=th.muted)).arrange(RIGHT, buff=0.1)
        name[1].align_to(name[0], DOWN)
        legend = VGroup(name, self.legend_row(names, max_per_row=6))
        legend.arrange(RIGHT, buff=0.25, aligned_edge=UP)
        title.align_to(y_ticks, LEFT).set_y(TITLE_TOP - title.height / 2)
        legend.next_to(title, DOWN, buff=0.14).align_to(y_ticks, LEFT)
        self.speed_title, self.speed_legend = title, legend
        self.speed_frame = VGroup(ax, y_ticks, self.x_labels(ax), legend, title)

    def accuracy_axes(self) -> None:
        """Accuracy axes beside the speeds, a legend for the two nets in their colours, the chance line."""
        r, th = self.result, self.theme
        self.acc_ax = ax = self.epoch_axes((0, 1, 0.25), ACCURACY_X)
        y_ticks = VGroup(*[
            self.text(fmt_percent(p), SIZE.small, color=th.muted).next_to(ax.c2p(0, p), LEFT, buff=0.15)
            for p in (0.0, 0.5, 1.0)
        ])
        self.shown["chance"] = float(r.chance)
        chance = DashedLine(ax.c2p(0, r.chance), ax.c2p(r.epochs, r.chance), stroke_color=th.muted,
                            stroke_width=2.5)
        legend = self.legend_row([(f"deep: {r.hidden_layers} hidden layers", th.net("deep"), False),
                                  ("chance", th.muted, True),
                                  ("shallow: 1 hidden layer", th.net("shallow"), False)], max_per_row=2)
        n_test = self.count("n_test", r.setup.n_test)
        title = self.text(f"accuracy on the {n_test} held-out digits", SIZE.small)
        title.align_to(y_ticks, LEFT).set_y(TITLE_TOP - title.height / 2)
        legend.next_to(title, DOWN, buff=0.14).align_to(y_ticks, LEFT)
        self.acc_title, self.acc_legend, self.chance_line = title, legend, chance
        self.acc_frame = VGroup(ax, y_ticks, self.x_labels(ax), chance, legend, title)

    def name_panels(self) -> None:
        """What each panel shows: the legends come in as the caption names them."""
        r, th = self.result, self.theme
        probe = self.count("probe_size", r.setup.probe_size)
        with self.beat(f"Left: each hidden layer's speed of learning, ‖∂C/∂b_l‖ on {probe} training digits, "
                       "per epoch. Right: accuracy."):
            self.play(FadeIn(self.speed_legend), Indicate(self.speed_title, color=th.text, scale_factor=1.08),
                      run_time=1.2)
            self.play(FadeIn(self.acc_legend, self.chance_line),
                      Indicate(self.acc_title, color=th.text, scale_factor=1.08), run_time=1.2)

    # -- beat 4: the plateau -----------------------------------------------------------------

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
        return VGroup(self.curve(self.acc_ax, r.shallow_accuracy, th.net("shallow"), start, stop),
                      self.curve(self.acc_ax, r.deep_accuracy, th.net("deep"), start, stop))

    def ratio_statement(self) -> tuple[VGroup, str]:
        """Layer 1 against layer L-1 over the window: the words under the left panel, and the
        sentence (without the "Shaded," that introduces a plateau). The factor is the experiment's
        ratio, the geometric mean over the window of r_e = ‖∂C/∂b_{L-1}‖ / ‖∂C/∂b_1‖, and is
        named so."""
        r = self.result
        H = r.hidden_layers
        first_epoch, last_epoch = r.window
        self.shown["window"] = [float(first_epoch), float(last_epoch)]
        still = bool(np.all(r.hidden_speeds[first_epoch:last_epoch + 1] == 0))
        if still:  # no gradient reached any hidden layer: there is no ratio to state
            words = "no hidden layer learned at all (every speed stayed 0)"
        else:
            f = self.inline("factor", r.factor)
            self.shown["ratio"] = float(r.ratio_rounded)
            how = ("about as fast as" if r.factor == 1 else f"{f} times slower than" if r.ratio >= 1
                   else f"{f} times faster than")
            words = f"layer 1 learned {how} layer {H}"
        first = self.text(f"epochs {first_epoch} to {last_epoch}:" if still
                          else f"epochs {first_epoch} to {last_epoch}, geometric mean:", SIZE.small)
        statement = VGroup(first, self.text(words, SIZE.small)).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        statement.next_to(self.speed_frame, DOWN, buff=0.22).align_to(self.speed_frame, LEFT)
        self.statement = statement
        return statement, (f"{words}." if still else f"{words} (geometric mean of the per-epoch ratios).")

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
        statement, words = self.ratio_statement()
        first_epoch, last_epoch = r.window
        if r.plateau:
            self.bands = VGroup(self.shade(self.speed_ax, first_epoch, last_epoch),
                                self.shade(self.acc_ax, first_epoch, last_epoch))
            # the word sits in the band just above the deep net's flat line, in its colour (the
            # line's spikes on the plateau stay below twice chance, the word above it)
            word = self.text("plateau", SIZE.small, color=self.theme.net("deep"))
            word.move_to(self.acc_ax.c2p((first_epoch + last_epoch) / 2, 2 * r.chance))
            word.shift(UP * (word.height / 2 + 0.08))
            self.bands.add(word)
            with self.beat(f"Shaded, epochs {first_epoch} to {last_epoch}: {words}"):
                self.play(*anims, run_time=3.0, rate_func=lambda t: t)
                self.play(FadeIn(self.bands), FadeIn(statement), run_time=0.6)
        else:
            with self.beat(f"Epochs {first_epoch} to {last_epoch}: {words}"):
                self.play(*anims, run_time=4.0, rate_func=lambda t: t)
                self.play(FadeIn(statement), run_time=0.6)
        self.say(self.accuracy_caption())

    def accuracy_caption(self) -> str:
        """When the deep net left chance and each net reached the target, in words from the numbers."""
        r = self.result
        t = self.pct("target_accuracy", r.target_accuracy)
        s = r.shallow_epochs_to_target
        shallow = (f"the shallow net hit {t} at epoch {self.count('shallow_epochs_to_target', s)}" if s is not None
                   else f"the shallow net did not reach {t} in {r.epochs} epochs")
        if r.plateau:
            twice = self.pct("leave_chance_accuracy", 2 * r.chance)
            left = r.deep_epochs_to_leave_chance
            if left is None:
                deep = f"The deep net was still below {twice} right after {r.epochs} epochs"
            else:
                left_at = self.count("deep_epochs_to_leave_chance", left)
                deep = f"The deep net stayed below {twice} right, bar brief spikes, until epoch {left_at}"
            return f"{deep}; {shallow}."
        d = r.deep_epochs_to_target
        if d is None and s is None:
            return f"Neither net reached {t} in {r.epochs} epochs."
        deep = (f"The deep net hit {t} at epoch {self.count('deep_epochs_to_target', d)}" if d is not None
                else f"The deep net did not reach {t} in {r.epochs} epochs")
        return f"{deep}; {shallow}."

    # -- beat 5: the end of the plateau ------------------------------------------------------

    def catch_up(self) -> None:
        """A marker at the first epoch where layer 1 learns as fast as layer L-1, then the rest of the run."""
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
        rest_speed = self.speed_curves(self.split - 1, r.epochs)
        rest_acc = self.accuracy_curves(self.split - 1, r.epochs)
        self.speed_lines.add(rest_speed)
        self.acc_lines.add(rest_acc)
        caption = f"Around epoch {c}, {self.speed_up_words()}"
        climb, target = r.deep_epochs_to_climb, r.deep_epochs_to_target
        if climb is not None and climb > c:
            half = self.pct("climb_accuracy", r.climb_accuracy)
            caption += f"; the deep net then passes {half} at epoch {self.count('deep_epochs_to_climb', climb)}"
            if target is not None:
                t, at = self.pct("target_accuracy", r.target_accuracy), self.count("deep_epochs_to_target", target)
                caption += f", and {t} at {at}"
        caption += "."
        with self.beat(caption):
            self.play(FadeIn(marks), run_time=0.6)
            self.play(Create(rest_speed, lag_ratio=0.0), Create(rest_acc, lag_ratio=0.0), run_time=3.0,
                      rate_func=lambda t: t)

    def speed_up_words(self) -> str:
        """Which layers speed up as layer 1 catches up, from the numbers: a layer "speeds up" when
        its median ‖∂C/∂b_l‖ over the epochs from the catch-up on is ``SPEEDS_UP`` times its
        median on the plateau; "all layers ... together" only when every hidden layer does."""
        r = self.result
        H = r.hidden_layers
        up = r.speed_up
        self.shown["speed_up"] = [float(u) for u in up]
        k = 0  # the layers from layer 1 on that sped up
        while k < len(up) and up[k] >= SPEEDS_UP:
            k += 1
        if k == H:
            return f"all {H} layers speed up together, and layer 1 catches up with layer {H}"
        if k == 1:
            return f"layer 1 speeds up and catches up with layer {H}"
        if k >= 2:
            who = "layers 1 and 2" if k == 2 else f"layers 1 to {k}"
            return f"{who} speed up, and layer 1 catches up with layer {H}"
        return f"layer 1 catches up with layer {H}"

    # -- beat 6: where the run ends, against the published numbers ---------------------------

    def end_values(self) -> None:
        """Both nets' last accuracy written at the end of their lines, and the epochs each took to the target."""
        r, th = self.result, self.theme
        ax = self.acc_ax
        finals = [r.deep_final_accuracy, r.shallow_final_accuracy]
        ys = spread([float(ax.c2p(r.epochs, v)[1]) for v in finals], MIN_LABEL_GAP)
        x_end = float(ax.c2p(r.epochs, 0)[0]) + 0.12
        deep, shallow = self.pct("deep_final_accuracy", finals[0]), self.pct("shallow_final_accuracy", finals[1])
        ends = VGroup(self.text(deep, SIZE.small, color=th.net("deep")),
                      self.text(shallow, SIZE.small, color=th.net("shallow")))
        for label, y in zip(ends, ys):
            label.move_to([x_end + label.width / 2, y, 0])
        self.ends = ends
        line = self.target_line()
        self.say(f"After {r.epochs} epochs: deep {deep}, shallow {shallow}.", FadeIn(ends), FadeIn(line),
                 run_time=1.0)

    def target_line(self) -> VGroup:
        """Under the accuracy panel: the first epoch each net reached the target (or that it did not)."""
        r, th = self.result, self.theme
        first = self.text(f"epochs to reach {self.pct('target_accuracy', r.target_accuracy)} right", SIZE.small)
        parts = []
        for key, epoch in (("deep", r.deep_epochs_to_target), ("shallow", r.shallow_epochs_to_target)):
            name = self.text(f"{key}:", SIZE.small, color=th.net(key))
            if epoch is None:
                value: Mobject = self.text(f"not within {self.count('epochs', r.epochs)}", SIZE.small)
            else:
                value = self.text(self.count(f"{key}_epochs_to_target", epoch), SIZE.small)
            part = VGroup(name, value).arrange(RIGHT, buff=0.1)
            on_baseline(value, name)
            parts.append(part)
        second = VGroup(*parts).arrange(RIGHT, buff=0.4)
        line = VGroup(first, second).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        line.align_to(self.acc_frame[1], LEFT).align_to(self.statement, UP)
        return line

    def compare_with_nielsen(self) -> None:
        """Nielsen's MNIST accuracies beside ours, with the data each came from."""
        r, th = self.result, self.theme
        pub = NIELSEN_MNIST
        k = min(r.hidden_layers, len(pub.accuracy))
        deep_pub, shallow_pub = self.pct("nielsen_deep_accuracy", pub.accuracy[k - 1]), \
            self.pct("nielsen_shallow_accuracy", pub.accuracy[0])
        images = self.count("nielsen_train_images", pub.train_images)
        side = self.count("nielsen_side", pub.side)
        self.shown["nielsen_hidden_layers"] = float(k)
        width = self.count("nielsen_width", pub.width)
        note = self.text(f"Nielsen, MNIST ({images} digits, {side}×{side}): {deep_pub} with {k} hidden layers "
                         f"of {width}, {shallow_pub} with 1", SIZE.small, color=th.muted)
        note.move_to([0, -3.55, 0])
        if note.width > NOTE_WIDTH:  # a long translation stays inside the frame, with a margin
            note.scale_to_fit_width(NOTE_WIDTH)
        self.nielsen_note = note
        reached = f"about {deep_pub}" if deep_pub == shallow_pub else f"{shallow_pub} and {deep_pub}"
        ours = fmt_whole(r.setup.n_train)
        self.say(f"Nielsen's nets reached {reached} on MNIST: {images} training digits of {side}×{side}, not "
                 f"{ours} of 8×8.", FadeIn(note), run_time=1.0)

    # -- beat 7: is layer 1's slowness a cause of the plateau? -------------------------------

    def test_the_cause(self) -> None:
        """The deep net retrained with layer 1's step, then layer L-1's, made ``factor`` times larger:
        both accuracy curves drawn in those layers' colours where the shallow net's was, a key in
        place of the Nielsen note, and what each run did, from the numbers."""
        r, th = self.result, self.theme
        t = step_test(r)
        H = t.last_layer
        self.shown["boosted_first_accuracy"] = [float(v) for v in t.first_accuracy]
        self.shown["boosted_last_accuracy"] = [float(v) for v in t.last_accuracy]
        boost = self.inline("boost", t.boost)
        colours = [layer_color(1, H, th.name), layer_color(H, H, th.name)]
        curves = VGroup(*[self.curve(self.acc_ax, acc, c, width=3.0)
                          for acc, c in zip((t.first_accuracy, t.last_accuracy), colours)])
        key = VGroup(self.text(f"deep net again, one layer's η × {boost}:", SIZE.small, color=th.muted),
                     self.legend_row([("layer 1", colours[0], False), (f"layer {H}", colours[1], False)]))
        key.arrange(RIGHT, buff=0.3).move_to(self.nielsen_note)
        # the shallow net and the word "plateau" leave the panel to the deep net's three runs
        gone = VGroup(*[part[0] for part in self.acc_lines], self.ends[1], self.bands[-1], self.acc_legend[1])
        with self.beat(f"Did layer 1's slowness keep the net at chance? Retrain it from the same start and "
                       f"mini-batches with one layer's η × {boost}, layer 1's lag."):
            self.play(FadeOut(gone), FadeOut(self.nielsen_note), FadeIn(key), run_time=1.0)
        twice = self.pct("leave_chance_accuracy", 2 * r.chance)
        first, last = t.first_leave_chance, t.last_leave_chance
        base = self.count("deep_epochs_to_leave_chance", r.deep_epochs_to_leave_chance)
        if first is None:
            words = f"η × {boost} on layer 1: still below {twice} after {r.epochs} epochs."
        else:
            at = self.count("boosted_first_leave_chance", first)
            words = f"η × {boost} on layer 1: above {twice} right from epoch {at}, not {base}."
        if last is None:
            words += f" On layer {H}: still below {twice} after {r.epochs} epochs."
        else:
            words += f" On layer {H}: from epoch {self.count('boosted_last_leave_chance', last)}."
        if first is not None and first < r.deep_epochs_to_leave_chance and (last is None
                                                                          or last >= r.deep_epochs_to_leave_chance):
            words += " Here the slow first layer held the net back."
        with self.beat(words):
            self.play(Create(curves, lag_ratio=0.0), run_time=3.0, rate_func=lambda x: x)

    # -- the closing line --------------------------------------------------------------------

    def summary_caption(self) -> str | None:
        """What the whole run shows, as an ordering the numbers check (None if they show none)."""
        r = self.result
        if r.plateau:  # the step test closes the chapter (when the deep net left chance at all)
            return None
        d, s = r.deep_epochs_to_target, r.shallow_epochs_to_target
        if not r.plateau and r.ratio < 1 and d is not None and (s is None or d <= s):
            return (f"Here layer 1 learns faster than layer {r.hidden_layers}, and the deep net reaches "
                    f"{fmt_percent(r.target_accuracy)} no later than the shallow one.")
        return None
