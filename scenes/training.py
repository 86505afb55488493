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
    WHITE,
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
    interpolate_color,
)

from netsim.experiments.training import NIELSEN_MNIST, StepTest, TrainingComparison, cost_of_fading, step_test
from netsim.format import fmt_percent, fmt_whole
from netsim.train import FLOOR
from scenes.engine.chapters import number_of
from scenes.engine.common import LessonScene
from scenes.engine.i18n import Message, Words, t
from scenes.engine.lesson import Lesson, per_net
from scenes.engine.plots import epoch_axes, epoch_labels, log_tick_labels, polyline
from scenes.engine.style import SIZE, SUBTITLE_BAND_TOP, baseline_of, epoch_band, fmt_value, log_ticks, spread, viridis

AXIS_WIDTH = 4.8
AXIS_HEIGHT = 2.05
PLOT_CENTER_Y = 0.1   # low enough for the legends, high enough for two read-outs and a note under the plots
TITLE_TOP = 2.4
SPEED_X = -3.45
ACCURACY_X = 3.35
CARD_TOP = 3.85        # the set-up card's frame, 0.15 under the frame's top
CARD_RIGHT = 6.85
LEGEND_LINE = 0.38
MIN_LABEL_GAP = 0.32
NOTE_WIDTH = 12.6  # the widest the Nielsen note may be (the frame is 14.2 wide)
#: The lowest any note of the step test may reach.
NOTE_FLOOR = SUBTITLE_BAND_TOP
ORIGIN3 = np.zeros(3)
#: Layer 1 "gains on" layer L-1 through the plateau when r_e falls at least this many times from the
#: plateau's first epochs to its last (``TrainingComparison.gap_narrowing``).
GAINS = 10.0

#: The deep net's first run, kept faint behind the two retrained runs of beat 7.
REFERENCE_OPACITY = 0.35

@per_net
def experiment(lesson: Lesson) -> TrainingComparison:
    """The experiment this scene shows, for a lesson (training takes seconds: computed once per net)."""
    return cost_of_fading(lesson.net, eta=lesson.learning_rate)


#: How far layer 1's colour is lifted toward white on the dark theme (later layers less).
LIFT = 0.3
#: Layer 1 on the dark theme: viridis's violet end (#440154), lightened until it reads on black.
LAYER_1_DARK = "#B39DDB"


def layer_color(layer: int, layers: int, theme_name: str) -> ManimColor:
    """Hidden layer ``layer`` (1-based) of ``layers`` on viridis: early dark, late bright.

    The ends of viridis that vanish into the background are left out (its dark purples on the
    dark theme, where layer 1's line must stay visible under the others, and its brightest
    yellow on the light one); on the dark theme layer 1 starts at blue, not teal, so that it
    stands apart from layer 2 (two teals, round 29), and the darker layers are lifted toward
    white, most for layer 1, whose blue was dim on black (round 30). Layer 1's lifted blue still
    read as layer 2's teal where their lines cross (rounds 38 and 39), so on the dark theme layer 1
    takes viridis's violet end instead, lightened to read on black.
    """
    lo, hi = (0.15, 1.0) if theme_name == "dark" else (0.0, 0.78)
    share = (layer - 1) / max(layers - 1, 1)
    if theme_name == "dark" and layer == 1 and layers > 1:
        return ManimColor(LAYER_1_DARK)
    color = viridis(lo + (hi - lo) * share)
    return interpolate_color(color, WHITE, LIFT * (1 - share)) if theme_name == "dark" else color


def on_baseline(text: Text, ref: Text) -> Text:
    """Shift ``text`` so its first line sits on the line of ``ref``'s (:func:`baseline_of`)."""
    text.shift(UP * (baseline_of(ref) - baseline_of(text)))
    return text


def and_list(items: list[str]) -> Message | str:
    """"20", "20 and 27", "20, 27 and 31": a list as a sentence says it."""
    if len(items) == 1:
        return items[0]
    return t("{rest} and {last}", rest=", ".join(items[:-1]), last=items[-1])

class CostOfFading(LessonScene):
    """How fading gradients hold the early layers back, and what that costs: time."""

    def construct(self) -> None:
        self.result = r = experiment(self.lesson)
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
        self.end_chapter(self.summary_caption())

    # -- helpers -------------------------------------------------------------------------

    def legend_row(self, entries: list[tuple[Words, ManimColor | str, bool]], max_per_row: int = 4) -> VGroup:
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
        return epoch_axes(self.result.epochs, y_range, self.theme, x_length=AXIS_WIDTH, y_length=AXIS_HEIGHT,
                          center=(center_x, PLOT_CENTER_Y))

    def x_labels(self, axes: Axes) -> VGroup:
        """Epoch numbers under the ticks and the word "epoch"."""
        return epoch_labels(self, axes, self.result.epochs, t("epoch"), buff=0.12, name_buff=0.1)

    def curve(self, axes: Axes, ys: np.ndarray, color: ManimColor | str, start: int = 0, stop: int | None = None,
              width: float = 3.5) -> VMobject:
        """A polyline through (epoch, y) for epochs ``start`` .. ``stop`` (both included)."""
        stop = len(ys) - 1 if stop is None else stop
        return polyline([axes.c2p(float(e), float(ys[e])) for e in range(start, stop + 1)], color, width)

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
            self.text(t("scikit-learn's 8×8 digits: {train} to train on, {test} held out", train=n_train,
                        test=n_test), SIZE.small),
            self.text(t("SGD: mini-batches of {batch}, {updates} steps an epoch, η = {eta}", batch=batch,
                        updates=updates, eta=eta), SIZE.small),
            self.text(t("cross-entropy cost (chapter {chapter}); one run per net", chapter=number_of("fading")),
                      SIZE.small),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        frame = Rectangle(width=lines.width + 0.4, height=lines.height + 0.24, stroke_color=th.muted,
                          stroke_width=1.5).move_to(lines)
        card = VGroup(frame, lines)
        card.move_to([CARD_RIGHT - card.width / 2, CARD_TOP - card.height / 2, 0])
        return card

    def show_heading(self) -> None:
        """The chapter title, which two nets train, and at once the set-up card and both panels."""
        r = self.result
        self.heading = self.chapter_heading(t("The cost of fading"))
        self.card = self.make_card()
        epochs = self.count("epochs", r.epochs)
        with self.beat(t("What does fading cost? Chapter {chapter}'s two nets train again, for {epochs} epochs.",
                         chapter=number_of("depth"), epochs=epochs)):
            self.play(FadeIn(self.heading), FadeIn(self.card), Create(self.speed_ax), Create(self.acc_ax),
                      FadeIn(self.speed_frame[1:3], self.acc_frame[1:3], self.speed_title, self.acc_title),
                      run_time=1.2)

    # -- beat 2: the set-up, on the card ---------------------------------------------------

    def show_setup(self) -> None:
        """SGD with its mini-batches and eta told, over the card (data, split, cost)."""
        s = self.result.setup
        n_train = fmt_whole(s.n_train)
        batch, eta = fmt_whole(s.batch_size), fmt_value(s.eta)
        # the split is on the card (the held-out count also in the accuracy panel's title)
        self.say(t("SGD (stochastic gradient descent) steps once per mini-batch of {batch} of the {train} training "
                   "digits, η = {eta}.", train=n_train, batch=batch, eta=eta),
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
        y_ticks = log_tick_labels(ax, lo, labelled, th, buff=0.15)
        title = VGroup(self.text(t("deep net's speed of learning"), SIZE.small),
                       self.tex(r"\|\partial C/\partial b_l\|", SIZE.small)).arrange(RIGHT, buff=0.15)
        names = [(str(l), layer_color(l, H, th.name), False) for l in range(1, H + 1)]
        name = VGroup(self.text(t("hidden layer"), SIZE.small, color=th.muted),
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
        hidden = self.count("deep_hidden_layers", r.hidden_layers)  # the nets' shapes: here, not in the caption
        legend = self.legend_row([(t("deep: {hidden} hidden layers", hidden=hidden), th.net("deep"), False),
                                  (t("chance"), th.muted, True),
                                  (t("shallow: 1 hidden layer"), th.net("shallow"), False)], max_per_row=2)
        n_test = self.count("n_test", r.setup.n_test)
        title = self.text(t("accuracy on the {n} held-out digits", n=n_test), SIZE.small)
        title.align_to(y_ticks, LEFT).set_y(TITLE_TOP - title.height / 2)
        legend.next_to(title, DOWN, buff=0.14).align_to(y_ticks, LEFT)
        self.acc_title, self.acc_legend, self.chance_line = title, legend, chance
        self.acc_frame = VGroup(ax, y_ticks, self.x_labels(ax), chance, legend, title)

    def name_panels(self) -> None:
        """What each panel shows: the legends come in as the caption names them."""
        r, th = self.result, self.theme
        probe = self.count("probe_size", r.setup.probe_size)
        with self.beat(t("Left: each hidden layer's speed of learning, ‖∂C/∂b_l‖, C averaged over {probe} "
                         "training digits, per epoch. Right: accuracy.", probe=probe)):
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

    def ratio_statement(self) -> tuple[VGroup, Message]:
        """Layer 1 against layer L-1 over the window: the words under the left panel, and the
        caption (a plateau's begins "Shaded,"). The factor is the experiment's ratio, the
        geometric mean over the window of r_e = ‖∂C/∂b_{L-1}‖ / ‖∂C/∂b_1‖, and is named so."""
        r = self.result
        H = r.hidden_layers
        first_epoch, last_epoch = r.window
        self.shown["window"] = [float(first_epoch), float(last_epoch)]
        f: dict[str, str | int] = {"first": first_epoch, "last": last_epoch, "hidden": H}
        still = bool(np.all(r.hidden_speeds[first_epoch:last_epoch + 1] == 0))
        if still:  # no gradient reached any hidden layer: there is no ratio to state
            words = t("no hidden layer learned at all (every speed stayed 0)")
            caption = t("Epochs {first} to {last}: no hidden layer learned at all (every speed stayed 0).", **f)
        else:
            f["factor"] = self.inline("factor", r.factor)
            self.shown["ratio"] = float(r.ratio_rounded)
            # the measure is named, ‖∂C/∂b‖: a ratio of gradients, not of how far the weights moved
            if r.factor == 1:
                words = t("layer 1's speed: about layer {hidden}'s", **f)
                caption = t("Epochs {first} to {last}: layer 1's ‖∂C/∂b‖ was about layer {hidden}'s (geometric "
                            "mean of the per-epoch ratios).", **f)
            elif r.ratio >= 1:
                words = t("layer 1's speed: 1/{factor} of layer {hidden}'s", **f)
                # a plateau (netsim: the vanishing regime, layer 1 slower) is shaded on both panels; the
                # untrained ratio (chapter 7's) is set beside the others on chapter 11's card
                caption = (t("Shaded, epochs {first} to {last}: layer 1's ‖∂C/∂b‖ was 1/{factor} of layer "
                             "{hidden}'s (geometric mean of the per-epoch ratios).", **f) if r.plateau else
                           t("Epochs {first} to {last}: layer 1's ‖∂C/∂b‖ was 1/{factor} of layer {hidden}'s "
                             "(geometric mean of the per-epoch ratios).", **f))
            else:
                words = t("layer 1's speed: {factor} times layer {hidden}'s", **f)
                caption = t("Epochs {first} to {last}: layer 1's ‖∂C/∂b‖ was {factor} times layer {hidden}'s "
                            "(geometric mean of the per-epoch ratios).", **f)
        first = self.text(t("epochs {first} to {last}:", **f) if still
                          else t("epochs {first} to {last}, geometric mean:", **f), SIZE.small)
        statement = VGroup(first, self.text(words, SIZE.small)).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        statement.next_to(self.speed_frame, DOWN, buff=0.14).align_to(self.speed_frame, LEFT)
        self.statement = statement
        return statement, caption

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
        statement, caption = self.ratio_statement()
        first_epoch, last_epoch = r.window
        if r.plateau:
            self.bands = VGroup(epoch_band(self.speed_ax, first_epoch, last_epoch, self.theme),
                                epoch_band(self.acc_ax, first_epoch, last_epoch, self.theme))
            # the word sits in the band just above the deep net's flat line, in its colour (the
            # line's spikes on the plateau stay below twice chance, the word above it)
            word = self.text(t("plateau"), SIZE.small, color=self.theme.net("deep"))
            word.move_to(self.acc_ax.c2p((first_epoch + last_epoch) / 2, 2 * r.chance))
            word.shift(UP * (word.height / 2 + 0.08))
            self.bands.add(word)
            with self.beat(caption):  # the shading first: the caption opens with "Shaded"
                self.play(FadeIn(self.bands[:2]), run_time=0.6)
                self.play(*anims, run_time=3.0, rate_func=lambda x: x)
                self.play(FadeIn(self.bands[2]), FadeIn(statement), run_time=0.6)
        else:
            with self.beat(caption):
                self.play(*anims, run_time=4.0, rate_func=lambda x: x)
                self.play(FadeIn(statement), run_time=0.6)
        self.say(self.accuracy_caption())

    def accuracy_caption(self) -> Message:
        """When the deep net left chance and each net reached the target, in words from the numbers."""
        r = self.result
        f: dict[str, str | int] = {"target": self.pct("target_accuracy", r.target_accuracy), "epochs": r.epochs}
        s = r.shallow_epochs_to_target
        if s is not None:
            f["shallow"] = self.count("shallow_epochs_to_target", s)
        if r.plateau:
            f["twice"] = self.pct("leave_chance_accuracy", 2 * r.chance)
            left = r.deep_epochs_to_leave_chance
            if left is None:
                return (t("The deep net was still below {twice} right after {epochs} epochs; the shallow net hit "
                          "{target} at epoch {shallow}.", **f) if s is not None else
                        t("The deep net was still below {twice} right after {epochs} epochs; the shallow net did "
                          "not reach {target} in {epochs} epochs.", **f))
            f["left"] = self.count("deep_epochs_to_leave_chance", left)
            # the plateau in SGD steps too, to set beside Nielsen's 5,000 mini-batches an epoch
            f["steps"] = self.count("steps_to_leave_chance", left * r.setup.updates_per_epoch)
            # "from epoch {left}", as the boosted runs' "stays above ... from epoch": one reading of the epoch
            return (t("The deep net reached {twice} right for good only at epoch {left} ({steps} steps); the shallow "
                      "net hit {target} at epoch {shallow}.", **f) if s is not None else
                    t("The deep net reached {twice} right for good only at epoch {left} ({steps} steps); the shallow "
                      "net did not reach {target} in {epochs} epochs.", **f))
        d = r.deep_epochs_to_target
        if d is None and s is None:
            return t("Neither net reached {target} in {epochs} epochs.", **f)
        if d is None:
            return t("The deep net did not reach {target} in {epochs} epochs; the shallow net hit {target} at epoch "
                     "{shallow}.", **f)
        f["deep"] = self.count("deep_epochs_to_target", d)
        return (t("The deep net hit {target} at epoch {deep}; the shallow net hit {target} at epoch {shallow}.", **f)
                if s is not None else
                t("The deep net hit {target} at epoch {deep}; the shallow net did not reach {target} in {epochs} "
                  "epochs.", **f))

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
        tag = self.text(t("epoch {epoch}", epoch=c), SIZE.small)
        tag.next_to(self.speed_ax.c2p(c, 0), UP + RIGHT, buff=0.1)
        marks.add(tag)
        rest_speed = self.speed_curves(self.split - 1, r.epochs)
        rest_acc = self.accuracy_curves(self.split - 1, r.epochs)
        self.speed_lines.add(rest_speed)
        self.acc_lines.add(rest_acc)
        with self.beat(self.catch_up_caption(c)):
            self.play(FadeIn(marks), run_time=0.6)
            self.play(Create(rest_speed, lag_ratio=0.0), Create(rest_acc, lag_ratio=0.0), run_time=3.0,
                      rate_func=lambda x: x)

    def catch_up_caption(self, c: int) -> Message:
        """Around the catch-up epoch ``c``: that layer 1 gained on layer L-1 through the plateau (when
        its r_e fell by ``GAINS`` or more from the plateau's first epochs to its last), and when the
        deep net then passes the climb accuracy and the target, if it does after ``c``."""
        r = self.result
        self.shown["gap_narrowing"] = r.gap_narrowing
        gains = "gains" if r.gap_narrowing >= GAINS else "none"
        f: dict[str, str | int] = {"epoch": c, "hidden": r.hidden_layers, "half": "", "climbed": "",
                                   "target": "", "reached": ""}
        climb, target = r.deep_epochs_to_climb, r.deep_epochs_to_target
        then = "none"
        if climb is not None and climb > c:
            then = "climb"
            f["half"] = self.pct("climb_accuracy", r.climb_accuracy)
            f["climbed"] = self.count("deep_epochs_to_climb", climb)
            if target is not None:
                then = "target"
                f["target"] = self.pct("target_accuracy", r.target_accuracy)
                f["reached"] = self.count("deep_epochs_to_target", target)
        return {
            ("gains", "none"): t("Layer 1 gains on layer {hidden} through the plateau and catches up at epoch "
                                 "{epoch}.", **f),
            ("gains", "climb"): t("Layer 1 gains on layer {hidden} through the plateau and catches up at epoch "
                                  "{epoch}; the deep net then passes {half} at epoch {climbed}.", **f),
            ("gains", "target"): t("Layer 1 gains on layer {hidden} through the plateau and catches up at epoch "
                                   "{epoch}; the deep net then passes {half} at epoch {climbed}, and {target} at "
                                   "{reached}.", **f),
            ("none", "none"): t("Around epoch {epoch}, layer 1 catches up with layer {hidden}.", **f),
            ("none", "climb"): t("Around epoch {epoch}, layer 1 catches up with layer {hidden}; the deep net then "
                                 "passes {half} at epoch {climbed}.", **f),
            ("none", "target"): t("Around epoch {epoch}, layer 1 catches up with layer {hidden}; the deep net then "
                                  "passes {half} at epoch {climbed}, and {target} at {reached}.", **f),
        }[gains, then]

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
        line = self.target = self.target_line()
        self.say(t("After {epochs} epochs: deep {deep}, shallow {shallow}.", epochs=r.epochs, deep=deep,
                   shallow=shallow), FadeIn(ends), FadeIn(line),
                 run_time=1.0)

    def target_line(self) -> VGroup:
        """Under the accuracy panel: the first epoch each net reached the target (or that it did not)."""
        r, th = self.result, self.theme
        first = self.text(t("epochs to reach {target} right", target=self.pct("target_accuracy", r.target_accuracy)),
                          SIZE.small)
        parts = []
        for key, epoch in (("deep", r.deep_epochs_to_target), ("shallow", r.shallow_epochs_to_target)):
            name = self.text(t("deep:") if key == "deep" else t("shallow:"), SIZE.small, color=th.net(key))
            if epoch is None:
                value: Mobject = self.text(t("not within {epochs}", epochs=self.count("epochs", r.epochs)), SIZE.small)
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
        # the data and the length of an epoch differ: both shown, so neither count reads as like for like
        his_epochs = self.count("nielsen_epochs", pub.epochs)
        his_steps = self.count("nielsen_updates_per_epoch", pub.updates_per_epoch)
        # and his L2 regularisation, which ours does not use (round 40)
        l2 = self.inline("nielsen_l2", pub.l2)
        note = self.text(t("Nielsen, MNIST ({images} digits, {side}×{side}; {epochs} epochs of {steps} steps; L2, "
                           "λ = {l2}):\n{deep} with {k} hidden layers of {width}, {shallow} with 1 hidden layer",
                           images=images, side=side, epochs=his_epochs, steps=his_steps, l2=l2, deep=deep_pub, k=k,
                           width=width, shallow=shallow_pub),
                         SIZE.small, color=th.text, line_spacing=0.8)  # a caveat: bright, not grey (round 32)
        if note.width > NOTE_WIDTH:  # a long translation stays inside the frame, with a margin
            note.scale_to_fit_width(NOTE_WIDTH)
        note.next_to(self.statement, DOWN, buff=0.14).set_x(0)  # under the read-outs, above the subtitles' band
        self.nielsen_note = note
        # his data is on the note; the caption gives his steps, and that his figures are final accuracies only
        f = {"deep": deep_pub, "shallow": shallow_pub,
             "his_steps": self.count("nielsen_steps", pub.epochs * pub.updates_per_epoch)}
        caption = (t("Nielsen reports only final accuracies: his MNIST nets, shallow and deep, both near {deep} "
                     "after {his_steps} steps.", **f)
                   if deep_pub == shallow_pub and r.plateau else
                   t("Nielsen's MNIST nets, shallow and deep, both ended near {deep}, after {his_steps} steps.",
                     **f)
                   if deep_pub == shallow_pub else
                   t("Nielsen's MNIST nets ended at {shallow} (shallow) and {deep} (deep), after {his_steps} steps.",
                     **f))
        self.say(caption, FadeIn(note), run_time=1.0)
        # his figures cannot be set beside our plateau, one way or the other: said so (above, where both agree)
        if r.plateau and deep_pub != shallow_pub:
            self.say(t("He reports only final accuracies."))

    # -- beat 7: is layer 1's slowness a cause of the plateau? -------------------------------

    def test_the_cause(self) -> None:
        """The deep net retrained with one hidden layer's step at a time made ``factor`` times larger:
        each run's accuracy drawn where the shallow net's was, in its layer's colour from the speed
        panel, a key in place of the Nielsen note, what each run did and the verdict, from the numbers."""
        r, th = self.result, self.theme
        test = step_test(r)
        H = test.last_layer
        self.shown["boosted_first_accuracy"] = [float(v) for v in test.first_accuracy]
        self.shown["boosted_last_accuracy"] = [float(v) for v in test.last_accuracy]
        for i, acc in enumerate(test.middle_accuracy):
            self.shown[f"boosted_{i + 2}_accuracy"] = [float(v) for v in acc]
        boost = self.inline("boost", test.boost)
        # each run in its layer's colour, as the speed lines on the left: "layer 4" is one colour in both
        # panels; solid, apart from the dotted chance line and the dashed catch-up marker
        runs = (test.first_accuracy, *test.middle_accuracy, test.last_accuracy)
        curves = VGroup(*[self.curve(self.acc_ax, acc, layer_color(l, H, th.name), width=3.0)
                          for l, acc in enumerate(runs, start=1)])
        # the key takes the shallow net's row of the accuracy legend (the layers' colours are the speed
        # panel's, whose legend names them too), out of the bottom tenth where players draw subtitles
        rows = [(str(l), layer_color(l, H, th.name), False) for l in range(1, H + 1)]
        key = VGroup(self.text(t("retrained, η × {boost} on layer", boost=boost), SIZE.small, color=th.muted),
                     self.legend_row(rows))
        key.arrange(RIGHT, buff=0.25)
        slot = self.acc_legend[1]
        key.move_to(slot, aligned_edge=LEFT).set_y(slot.get_y())
        if key.get_right()[0] > 6.95:  # a long translation stays inside the frame
            key.scale_to_fit_width(6.95 - key.get_left()[0], about_edge=LEFT)
        self.boost_key = key
        # the shallow net and the word "plateau" leave the panel to the deep net's three runs
        gone = VGroup(*[part[0] for part in self.acc_lines], self.ends[1], self.bands[-1], self.acc_legend[1],
                      self.target[1][1])
        # the first run stays as the reference, faint, so the retrained runs' colours stand apart from it
        faint = [m.animate.set_stroke(opacity=REFERENCE_OPACITY) for m in (part[1] for part in self.acc_lines)]
        faint.append(self.ends[0].animate.set_opacity(REFERENCE_OPACITY))
        with self.beat(t("Is the lag the cause? Retrain, same start and mini-batches, one layer's η × {boost}.",
                         boost=boost)):
            self.play(FadeOut(gone), FadeOut(self.nielsen_note), FadeIn(key), *faint, run_time=1.0)
        with self.beat(self.cause_caption(test, boost)):
            self.play(Create(curves, lag_ratio=0.0), run_time=3.0, rate_func=lambda x: x)
        said = self.saturation_caption(test)
        if said is not None:
            note = self.saturation_note(test)
            with self.beat(said):
                self.play(FadeOut(self.target), FadeIn(note), run_time=1.0)

    def saturation_note(self, test: StepTest) -> VGroup:
        """Under the accuracy panel, in place of the epochs to the target: what "saturated" counts
        (layer L-1's outputs on the probe digits, below FLOOR or above 1 - FLOOR, over the shaded
        epochs) and the two shares the caption compares, the run as trained and layer L-1's boost."""
        r, th = self.result, self.theme
        first, last = r.window
        # recorded under the caption's keys: the same numbers, said and shown
        floor, ceiling = self.inline("floor", FLOOR), self.inline("ceiling", 1.0 - FLOOR)
        lines = VGroup(
            self.text(t("layer {hidden}'s outputs, {n} training digits, epochs {first}–{last}:", hidden=r.hidden_layers,
                        n=self.count("probe_size", r.setup.probe_size), first=first, last=last), SIZE.small,
                      color=th.muted),
            self.text(t("as trained: {share} below {floor} or above {ceiling}",
                        share=self.pct("plateau_saturated_share", r.plateau_saturated_share), floor=floor,
                        ceiling=ceiling), SIZE.small),
            self.text(t("its η × {boost}: up to {share} below {floor}", boost=self.inline("boost", test.boost),
                        share=self.pct("boosted_last_floor_share", test.last_floor_share), floor=floor), SIZE.small,
                      color=layer_color(r.hidden_layers, r.hidden_layers, th.name)),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.05)
        if lines.width > NOTE_WIDTH / 2:  # a long translation stays under its panel
            lines.scale_to_fit_width(NOTE_WIDTH / 2)
        room = self.statement.get_top()[1] - NOTE_FLOOR
        if lines.height > room:  # taller glyphs (Chinese) stay clear of it
            lines.scale_to_fit_height(room)
        return lines.align_to(self.acc_frame[1], LEFT).align_to(self.statement, UP)

    def saturation_caption(self, test: StepTest) -> Message | None:
        """The step test's verdict, with the saturation of the last hidden layer's sigmoids near 0
        measured in this run (Glorot and Bengio's account of such plateaus; not named here, since
        their nets saturated without a boost): the largest share of layer L-1's outputs saturated
        (below netsim's FLOOR or above 1 - FLOOR) in any shaded epoch, and the largest share below
        FLOOR when layer L-1's own step was boosted (both on screen, :meth:`saturation_note`). Said
        after the step test when each lagging layer's boost helped and layer L-1's delayed the climb
        (the other captions name their account with the boosts); "saturated it" only when layer
        L-1's boost saturated it more than training as it was."""
        r = self.result
        if not self.lagging_boosts_helped(test):
            return None
        first, last = r.window
        share, boosted = r.plateau_saturated_share, test.last_floor_share
        self.shown["plateau_saturated_share"] = share
        self.shown["boosted_last_floor_share"] = boosted
        f = {"hidden": r.hidden_layers, "floor": self.inline("floor", FLOOR),
             "ceiling": self.inline("ceiling", 1.0 - FLOOR), "first": first, "last": last,
             "boost": self.inline("boost", test.boost), "boosted": fmt_percent(boosted)}
        if share == 0.0 and boosted > 0.0:
            return t("Glorot and Bengio (2010) saw a top sigmoid layer stuck near 0 on such plateaus; our layer "
                     "{hidden}, unboosted, did not saturate (output near 0 or 1). In this "
                     "run, speeding the lagging layers shortened the plateau, not ended it; speeding layer {hidden} "
                     "saturated it and lengthened it.", **f)
        if boosted > share:
            return t("Without a boost, up to {share} of layer {hidden}'s outputs saturated on the plateau. In this "
                     "run, speeding the lagging layers shortened the plateau, not ended it; speeding layer {hidden} "
                     "saturated it further, and lengthened it.", share=fmt_percent(share), **f)
        return t("Without a boost, up to {share} of layer {hidden}'s outputs saturated on the plateau; with its "
                 "η × {boost}, up to {boosted} fell below {floor}.", share=fmt_percent(share), **f)

    def lagging_boosts_helped(self, test: StepTest) -> bool:
        """Whether boosting each lagging layer (1 .. L-2) ended the plateau earlier and boosting
        layer L-1 ended it later: the step test's result the last two captions speak of."""
        base = self.result.deep_epochs_to_leave_chance
        first, last, middle = test.first_leave_chance, test.last_leave_chance, test.middle_leave_chance
        return (bool(middle) and all(m is not None and m < base for m in middle) and first is not None
                and last is not None and first < base < last)

    def cause_caption(self, test: StepTest, boost: str) -> Message:
        """What the retrained runs did: when each left chance (or that it did not); when only
        layer 1's larger step shortened the plateau, that it did so in this one run (one start, one
        order of mini-batches: no claim beyond it)."""
        r = self.result
        f: dict[str, str | int | Message] = {"boost": boost, "twice": self.pct("leave_chance_accuracy", 2 * r.chance),
                                   "epochs": r.epochs, "hidden": test.last_layer,
                                   "base": self.count("deep_epochs_to_leave_chance", r.deep_epochs_to_leave_chance)}
        first, last = test.first_leave_chance, test.last_leave_chance
        base = r.deep_epochs_to_leave_chance
        middle = test.middle_leave_chance
        only_first = all(m is None or m >= base for m in middle)  # "only layer 1's boost helped"
        if self.lagging_boosts_helped(test):
            f["first"] = self.count("boosted_first_leave_chance", first)
            f["last"] = self.count("boosted_last_leave_chance", last)
            between = [self.count(f"boosted_{i + 2}_leave_chance", m) for i, m in enumerate(middle)]
            f["layers"] = and_list([str(i + 2) for i in range(len(middle))])
            f["middle"] = and_list(between)
            return t("η × {boost} on layer 1: stays above {twice} from epoch {first}, not {base}; on layers {layers}, "
                     "from {middle}. On layer {hidden}: later, from epoch {last}.", **f) if len(middle) > 1 else \
                t("η × {boost} on layer 1: stays above {twice} from epoch {first}, not {base}; on layer {layers}, "
                  "from {middle}. On layer {hidden}: later, from epoch {last}.", **f)
        if first is None:
            if last is None:
                return t("η × {boost} on layer 1: still below {twice} after {epochs} epochs. On layer {hidden}: still "
                         "below {twice} after {epochs} epochs.", **f)
            f["last"] = self.count("boosted_last_leave_chance", last)
            return t("η × {boost} on layer 1: still below {twice} after {epochs} epochs. On layer {hidden}: from "
                     "epoch {last}.", **f)
        f["first"] = self.count("boosted_first_leave_chance", first)
        if last is not None:
            f["last"] = self.count("boosted_last_leave_chance", last)
        held_back = first < base and (last is None or last >= base) and only_first
        if last is None:
            return (t("η × {boost} on layer 1: stays above {twice} from epoch {first}, not {base}. On layer "
                      "{hidden}: still below {twice} after {epochs} epochs. Here the slow first layer held the net "
                      "back.", **f) if held_back
                    else t("η × {boost} on layer 1: stays above {twice} from epoch {first}, not {base}. On layer "
                           "{hidden}: still below {twice} after {epochs} epochs.", **f))
        if held_back and last > r.deep_epochs_to_leave_chance:  # layer L-1's boost delayed the climb: said so
            return t("η × {boost} on layer 1: stays above {twice} from epoch {first}, not {base}. On layer {hidden}: "
                     "later, from epoch {last}. In this one run, only layer 1's boost helped; Glorot and "
                     "Bengio blame such plateaus on the last hidden layer saturating.", **f)
        return (t("η × {boost} on layer 1: stays above {twice} from epoch {first}, not {base}. On layer {hidden}: "
                  "from epoch {last}. In this one run, only layer 1's boost helped; Glorot and Bengio blame such "
                  "plateaus on the last hidden layer saturating.", **f) if held_back
                else t("η × {boost} on layer 1: stays above {twice} from epoch {first}, not {base}. On layer "
                       "{hidden}: from epoch {last}.", **f))

    # -- the closing line --------------------------------------------------------------------

    def summary_caption(self) -> Message | None:
        """What the whole run shows, as an ordering the numbers check (None if they show none)."""
        r = self.result
        if r.plateau:  # the step test closes the chapter (when the deep net left chance at all)
            return None
        d, s = r.deep_epochs_to_target, r.shallow_epochs_to_target
        if not r.plateau and r.ratio < 1 and d is not None and (s is None or d <= s):
            return t("Here layer 1 learns faster than layer {hidden}, and the deep net reaches {target} no later than "
                     "the shallow one.", hidden=r.hidden_layers, target=fmt_percent(r.target_accuracy))
        return None
