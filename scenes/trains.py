"""Chapter 11: the fixed nets train.

Chapter 10's fixes, trained: the lesson's deep net with tanh and Xavier's start and with ReLU
and He's start, beside chapter 8's two nets (the shallow net and the deep sigmoid net with
Nielsen's start) and the deep sigmoid net with Xavier's start alone (the start changed, not
the activation), all under chapter 8's set-up (same digits, split, mini-batches, eta, epochs,
the cross-entropy cost of chapter 7), which is written on screen. Both plots are drawn, empty,
in the first beat. Left: held-out accuracy over the epochs, one line per net, each in its
colour of the whole episode (the sigmoid net with Xavier's start in the muted grey, as in
chapter 10). Right: for each deep net, layer 1's speed of learning over layer
L-1's per epoch, 1/r_e = ‖∂C/∂b_1‖ / ‖∂C/∂b_{L-1}‖ (log scale, ticks 10^k, a dashed line at 1),
written the way round every ratio of the episode is (layer 1's over the last hidden layer's):
above the line layer 1 learns faster, so the caption's claim can be seen, not only read.
The history of the fixes is told in the last chapter, not here.

Every number comes from :func:`netsim.experiments.trains.fixed_nets_train` (chapter 8's runs
are not trained again: :func:`netsim.experiments.training.train_under` keeps them) and is
recorded in ``self.shown``; every caption is chosen from those numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    BackgroundRectangle,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    ManimColor,
    Rectangle,
    VGroup,
    VMobject,
)

from netsim.experiments.gaps import Gap, is_problem_net, layer_gaps
from netsim.experiments.trains import FixedNetsResult, fixed_nets_train
from netsim.format import fmt_percent, fmt_ratio, fmt_whole
from scenes.engine.chapters import number_of
from scenes.engine.common import LessonScene
from scenes.engine.i18n import Message, t
from scenes.engine.lesson import Lesson, per_net
from scenes.engine.netdiagram import DEEP_NET_SAMPLE
from scenes.engine.plots import epoch_axes, epoch_labels, log_tick_labels, polyline
from scenes.engine.style import SIZE, baseline_of, epoch_band, log_ticks

# -- layout (scene units; the frame is 14.2 x 8) --------------------------------------------
PLOT_Y = -1.12         # the epoch axis's name above the subtitles' band
PLOT_HEIGHT = 2.85
ACC_CENTER_X, ACC_WIDTH = -3.2, 5.3
RATIO_CENTER_X, RATIO_WIDTH = 3.25, 4.6   # room on the right for the averages
TITLE_Y = 1.0           # the plots' titles sit on this line
LEGEND_TOP = 2.45        # the nets' legend (both plots) under the heading
RIGHT_GAP = 0.2          # the column right of the ratio plot: "layer 1 slower/faster"
FRAME_RIGHT = 6.9        # no title reaches past this (the frame ends at 7.1)

#: Each net's colour in the whole episode (``Theme.net``); the sigmoid net with Xavier's start,
#: drawn only here and in chapter 10, is muted there and here.
NET_COLOURS = {"shallow": "shallow", "sigmoid": "deep", "tanh": "tanh", "relu": "relu"}
#: The legend's order: chapter 8's nets, the start alone changed, then start and activation.
LEGEND = ("shallow", "sigmoid", "xavier", "tanh", "relu")
NET_WORDS = {"tanh": "tanh", "relu": "ReLU"}
#: The deep nets, whose layer 1 over layer L-1 is drawn (the shallow net has one hidden layer).
DEEP = ("sigmoid", "tanh", "relu")
#: A net that reaches the target within this many epochs "climbs at once" / trains "fast".
FAST = 10
#: The ratios' card: its first row's baseline, the rows' pitch, the gap between columns, the
#: widest it may be (scene units), and the seconds it stays up at least (seven rows of five
#: columns, 15 s: round 39's lecturer asked for at least that to read them).
CARD_TOP = 2.2
CARD_ROW = 0.56
CARD_GAP = 0.4
CARD_WIDTH = 13.4
CARD_SECONDS = 15.0


@per_net
def experiment(lesson: Lesson) -> FixedNetsResult:
    """The four training runs for the lesson's net (its sizes and seed), at its learning rate
    (once per process)."""
    return fixed_nets_train(lesson.net, eta=lesson.learning_rate)


def gap_words(gap: Gap) -> tuple[str, Message, Message | str, Message]:
    """One row of the ratios' card: the chapter that states the ratio (Nielsen's book for his), what
    it compares, on which digits, and when (untrained, after some steps, or over some epochs)."""
    source = t("Nielsen") if gap.source == "nielsen" else str(number_of(gap.source))
    what = {"weights": t("‖∂C/∂W‖: all of a layer's weights"),
            "moved": t("how far its steepest weight moved"),
            "biases": t("‖∂C/∂b‖"),
            "biases-averaged": t("‖∂C/∂b‖,\nC averaged over the digits"),
            "averaged-over-epochs": t("the same,\ngeometric mean over the epochs"),
            "digit-rms": t("each digit's ‖δ‖,\nrms over the digits"),
            "changed": t("a layer's weights: change\nrelative to their start")}[gap.quantity]
    if gap.cost == "quadratic":
        what = t("{what}\n(quadratic cost)", what=what)
    digits = t("{n} MNIST", n=fmt_whole(gap.digits)) if gap.mnist else fmt_whole(gap.digits)
    if gap.trained:
        when = t("after {n} epochs", n=gap.trained)
    elif gap.epochs is not None:
        when = t("epochs {first}–{last}", first=gap.epochs[0], last=gap.epochs[1])
    elif gap.steps:
        when = t("{steps} steps\nfrom the start", steps=gap.steps)
    elif gap.starts > 1:
        when = t("untrained,\nmedian of {n} starts", n=gap.starts)
    else:
        when = t("untrained")
    return source, what, digits, when


def points_apart(result: FixedNetsResult) -> int:
    """The final accuracies' spread, rounded up to whole percentage points ("within N points")."""
    finals = [r.final_accuracy for r in result.runs]
    return max(math.ceil(100 * (max(finals) - min(finals)) - 1e-9), 1)


def legend_label(key: str, accuracy: str) -> Message:
    """How a net is named in the legend, with its final accuracy; the fixed nets' zero biases
    named too (the sigmoid net's are N(0, 1)): activation, weights and biases all changed."""
    return {"shallow": t("shallow net: {accuracy}", accuracy=accuracy),
            "sigmoid": t("deep, sigmoid: {accuracy}", accuracy=accuracy),
            "tanh": t("deep, tanh + Xavier, b = 0: {accuracy}", accuracy=accuracy),
            "relu": t("deep, ReLU + He, b = 0: {accuracy}", accuracy=accuracy),
            "xavier": t("deep, sigmoid, b = 0 + Xavier: {accuracy}", accuracy=accuracy)}[key]


def first_over_last(ratio: float) -> str:
    """Layer 1's speed over layer L-1's as captions and labels write it, from netsim's ``ratio`` =
    layer L-1's over layer 1's (r_e, or its geometric mean): "1/37", "3.2"."""
    return fmt_ratio(1 / ratio if ratio else math.inf, 2)


def speed_verdict(ratios: list[float], hidden: int, window: tuple[int, int], sigmoid: str, tanh: str,
                  relu: str, every_epoch: bool = False, untrained_above: bool = False) -> Message:
    """The three deep nets' average ratios over the same epochs ``window`` (layer 1's speed over
    layer L-1's, written ``sigmoid``, ``tanh`` and ``relu``), and what the fixed nets' two
    (``ratios``: layer L-1's over layer 1's, as netsim gives them) say of layer 1: below 1,
    layer 1 learns the faster (no more "level" than a fade is; no per-layer rate is drawn from
    three gaps of one trained net). ``every_epoch``: both fixed nets' ratios are below 1 in every
    epoch of the window; ``untrained_above``: all three deep nets' are above 1 untrained (epoch 0:
    layer 1 the slower), so layer 1's lead is said of the fixed nets "from epoch 1 on", not of them
    untrained."""
    fields = {"hidden": hidden, "first": window[0], "last": window[1], "sigmoid": sigmoid, "tanh": tanh,
              "relu": relu}
    if max(ratios) < 1 and every_epoch and untrained_above:
        return t("Layer 1's speed over layer {hidden}'s, geometric mean over epochs {first} to {last}: sigmoid "
                 "{sigmoid}, tanh {tanh}, ReLU {relu}: from epoch {first} on, tanh's and ReLU's layer 1 leads; at "
                 "epoch 0, on averaged C, it was slower.", **fields)
    if max(ratios) < 1 and every_epoch:
        return t("Layer 1's speed over layer {hidden}'s, geometric mean over epochs {first} to {last}: sigmoid "
                 "{sigmoid}; tanh {tanh} and ReLU {relu}: from epoch {first} on, layer 1's is the larger.", **fields)
    if max(ratios) < 1:
        return t("Layer 1's speed over layer {hidden}'s, geometric mean over epochs {first} to {last}: sigmoid "
                 "{sigmoid}; tanh {tanh} and ReLU {relu}, where layer 1's is the larger on average.", **fields)
    if max(ratios) <= 2:
        return t("Layer 1's speed over layer {hidden}'s, geometric mean over epochs {first} to {last}: sigmoid "
                 "{sigmoid}; tanh {tanh} and ReLU {relu}, where layer 1's is at least half of layer {hidden}'s.",
                 **fields)
    return t("Layer 1's speed over layer {hidden}'s, geometric mean over epochs {first} to {last}: sigmoid "
             "{sigmoid}; tanh {tanh} and ReLU {relu}, where layer 1's is still the smaller.", **fields)


class FixedNetTrains(LessonScene):
    """Chapter 11: the fixed deep nets train under chapter 8's set-up."""

    def construct(self) -> None:
        self.result = experiment(self.lesson)
        self.colors = {k: self.theme.net(v) for k, v in NET_COLOURS.items()} | {"xavier": self.theme.muted}
        self.hidden = len(self.result.sizes) - 2
        lo, hi = self.result.decades  # netsim's cover r_e; the plot draws 1/r_e, so the same decades turned over
        self.decades = (-hi, -lo)
        self.show_setup()
        self.chapter_eight_nets()
        self.start_alone()
        self.fixed_nets()
        self.final_accuracies()
        self.speeds()
        self.gaps_card()
        self.end_chapter()

    # -- helpers ---------------------------------------------------------------------------

    def _polyline(self, axes: Axes, ys: np.ndarray, color: ManimColor | str, width: float = 3.5,
                  log_from: int | None = None) -> VMobject:
        """A line through (epoch, y); with ``log_from`` = lo, through (epoch, log10 y - lo), clipped
        to the axes (the epoch axis then runs along the bottom, at 10^lo; inf at the top)."""
        pts = []
        top = axes.y_range[1]
        for e, y in enumerate(ys):
            if log_from is None:
                v = float(y)
            else:
                y = float(y)
                v = top if math.isinf(y) else math.log10(max(y, 10.0 ** log_from)) - log_from
            pts.append(axes.c2p(float(e), min(v, top)))
        return polyline(pts, color, width)

    def _axes(self, y_range: tuple[float, float, float], width: float, center_x: float) -> Axes:
        return epoch_axes(self.result.epochs, y_range, self.theme, x_length=width, y_length=PLOT_HEIGHT,
                          center=(center_x, PLOT_Y))

    def _x_labels(self, axes: Axes) -> VGroup:
        return epoch_labels(self, axes, self.result.epochs, t("epoch"), buff=0.1, name_buff=0.08)

    def reached(self, key: str) -> str:
        """"90% after 3 epochs" style words for one net: the epoch it reached the target, recorded."""
        e = self.result.by_key(key).epochs_to_target
        return self.count(f"{key}.epochs_to_target", e) if e is not None else ""

    # -- the two plots, drawn empty in the first beat ----------------------------------------

    def _accuracy_plot(self) -> VGroup:
        th, r = self.theme, self.result
        axes = self._axes((0, 1, 0.5), ACC_WIDTH, ACC_CENTER_X)
        self.acc_axes = axes
        y_ticks = VGroup(*[self.text(fmt_percent(v), SIZE.small, color=th.muted)
                           .next_to(axes.c2p(0, v), LEFT, buff=0.12) for v in (0.0, 0.5, 1.0)])
        n_test = fmt_whole(r.setup.n_test)
        title = self.text(t("accuracy on the {n} held-out digits", n=n_test), SIZE.small)
        title.align_to(y_ticks, LEFT).set_y(TITLE_Y)
        chance_level = 1.0 / r.sizes[-1]
        self.shown["chance"] = chance_level
        chance = DashedLine(axes.c2p(0, chance_level), axes.c2p(r.epochs, chance_level), stroke_color=th.muted,
                            stroke_width=1.5, dash_length=0.08)
        chance_word = self.text(t("chance"), SIZE.small, color=th.muted)
        chance_word.next_to(axes.c2p(r.epochs, chance_level), UP + LEFT, buff=0.08)
        return VGroup(axes, y_ticks, self._x_labels(axes), title, chance, chance_word)

    def _ratio_plot(self) -> VGroup:
        """Layer 1's speed over layer L-1's per epoch, 1/r_e, log scale, with the line at 1."""
        th, r = self.theme, self.result
        H = self.hidden
        lo, hi = self.decades
        self.shown["decades"] = [float(lo), float(hi)]
        axes = self._axes((0, hi - lo, 1), RATIO_WIDTH, RATIO_CENTER_X)  # y: log10 r - lo
        self.ratio_axes = axes
        labelled = log_ticks(lo, hi, most=6)
        self.shown["ratio_ticks"] = [float(k) for k in labelled]
        ticks = log_tick_labels(axes, lo, labelled, th, buff=0.1)
        words = self.text(t("layer 1's speed over layer {l}'s", l=H), SIZE.small)
        formula = VGroup(self.tex(rf"\|\partial C/\partial b_1\| \,/\, \|\partial C/\partial b_{{{H}}}\|",
                                  SIZE.small, color=th.muted),
                         self.text(t("(C averaged over the digits)"), SIZE.small, color=th.muted)).arrange(RIGHT,
                                                                                                     buff=0.12)
        # two lines: the words on the accuracy plot's title line, the formula under them
        words.align_to(ticks, LEFT).set_y(TITLE_Y)
        formula.next_to(words, DOWN, buff=0.1, aligned_edge=LEFT)
        title = VGroup(words, formula)
        title.shift(LEFT * max(0.0, title.get_right()[0] - FRAME_RIGHT))  # a margin from the frame's edge
        equal = DashedLine(axes.c2p(0, -lo), axes.c2p(r.epochs, -lo), stroke_color=th.text, stroke_width=2,
                           dash_length=0.1)
        # two lines each, right of the plot (clear of the curves)
        slower = self.text(t("layer 1\nslower"), SIZE.small, color=th.muted)
        faster = self.text(t("layer 1\nfaster"), SIZE.small, color=th.muted)
        self.ratio_regions = VGroup(slower, faster)
        self._place_regions()
        return VGroup(axes, ticks, self._x_labels(axes), title, equal)

    def _legend(self, keys: Sequence[str]) -> dict[str, VGroup]:
        """One row per net, by key: a line in its colour, its name and its final accuracy."""
        rows = {}
        for key in keys:
            run = self.result.by_key(key)
            value = self.pct(f"{key}.final", run.final_accuracy)
            sample = Line(LEFT * 0.2, RIGHT * 0.2, stroke_color=self.colors[key], stroke_width=4)
            rows[key] = VGroup(sample, self.text(legend_label(key, value), SIZE.small)).arrange(RIGHT, buff=0.12)
        return rows

    # -- beats -----------------------------------------------------------------------------

    def show_setup(self) -> None:
        """Beat 1: the title, chapter 8's set-up on a card, and both plots, still empty."""
        r, th = self.result, self.theme
        s = r.setup
        self.heading = self.chapter_heading(t("The fixed nets train"))
        n_train, n_test = self.count("n_train", s.n_train), self.count("n_test", s.n_test)
        batch, epochs = self.count("batch_size", s.batch_size), self.count("epochs", s.epochs)
        eta = self.inline("eta", s.eta)
        self.setup_card = VGroup(
            self.text(t("8×8 digits: {train} to train on, {test} held out", train=n_train, test=n_test), SIZE.small,
                      color=th.muted),
            self.text(t("SGD: mini-batches of {batch}, η = {eta}, {epochs} epochs", batch=batch, eta=eta,
                        epochs=epochs), SIZE.small, color=th.muted),
            self.text(t("cross-entropy cost (chapter {chapter}); one run per net", chapter=number_of("fading")),
                      SIZE.small, color=th.muted),
        ).arrange(DOWN, aligned_edge=RIGHT, buff=0.1)
        self.setup_card.to_corner(UP + RIGHT, buff=0.3)
        self.acc_frame = self._accuracy_plot()
        self.ratio_frame = self._ratio_plot()
        self.legend_rows = self._legend(LEGEND)
        legend = VGroup(*self.legend_rows.values())
        legend.arrange_in_grid(rows=3, cols=2, col_alignments="ll", flow_order="dr", buff=(0.5, 0.1))
        legend.move_to([self.acc_frame[1].get_left()[0] + legend.width / 2, LEGEND_TOP - legend.height / 2, 0])
        self.acc_legend = legend
        with self.beat(t("Do the fixed deep nets train?")):
            self.play(FadeIn(self.heading), FadeIn(self.acc_frame), FadeIn(self.ratio_frame), run_time=1.0)
            self.play(FadeIn(self.setup_card, shift=LEFT * 0.2), run_time=1.0)

    def chapter_eight_nets(self) -> None:
        """Beat 2: the shallow net and the deep sigmoid net, chapter 8's result drawn again."""
        r = self.result
        self.acc_lines = {k: self._polyline(self.acc_axes, r.by_key(k).accuracy, self.colors[k]) for k in LEGEND}
        for k in ("shallow", "sigmoid"):
            self.shown[f"{k}.accuracy"] = [float(v) for v in r.by_key(k).accuracy]
        target = self.pct("target", r.target_accuracy)
        shallow = r.by_key("shallow").epochs_to_target
        fields = {"chapter": number_of("training"), "target": target, "epochs": r.epochs,
                  "shallow": self.reached("shallow"), "sigmoid": self.reached("sigmoid")}
        e = r.by_key("sigmoid").epochs_to_target
        if shallow is not None and shallow <= FAST:
            caption = (t("Chapter {chapter}'s shallow net climbs at once; its deep sigmoid net needs {sigmoid} epochs "
                         "to reach {target}.", **fields) if e is not None else
                       t("Chapter {chapter}'s shallow net climbs at once; its deep sigmoid net does not reach "
                         "{target} within {epochs} epochs.", **fields))
        elif shallow is not None:
            caption = (t("Chapter {chapter}'s shallow net needs {shallow} epochs; its deep sigmoid net needs "
                         "{sigmoid} epochs to reach {target}.", **fields) if e is not None else
                       t("Chapter {chapter}'s shallow net needs {shallow} epochs; its deep sigmoid net does not "
                         "reach {target} within {epochs} epochs.", **fields))
        else:
            caption = (t("Chapter {chapter}'s shallow net does not reach {target}; its deep sigmoid net needs "
                         "{sigmoid} epochs to reach {target}.", **fields) if e is not None else
                       t("Chapter {chapter}'s shallow net does not reach {target}; its deep sigmoid net does not "
                         "reach {target} within {epochs} epochs.", **fields))
        rows = self.legend_rows
        self.say(caption, Create(self.acc_lines["shallow"]), Create(self.acc_lines["sigmoid"]),
                 FadeIn(rows["shallow"]), FadeIn(rows["sigmoid"]), run_time=2.0)

    def start_alone(self) -> None:
        """Beat 3: the deep sigmoid net with Xavier's start (biases 0): only the start changed (between the
        hidden layers only its biases: Xavier's Var(w) is chapter 7's there, so the caption says so), so
        the next beat's fixed nets, which change the activation too, are set beside it."""
        r = self.result
        self.shown["xavier.accuracy"] = [float(v) for v in r.by_key("xavier").accuracy]
        fields = {"target": fmt_percent(r.target_accuracy), "xavier": self.reached("xavier"), "epochs": r.epochs}
        caption = (t("Keeping the sigmoid, with zero biases and Xavier's start (unchanged between hidden layers): "
                     "{target} at epoch {xavier}.",
                     **fields)
                   if r.by_key("xavier").epochs_to_target is not None else
                   t("Keeping the sigmoid, with zero biases and Xavier's start (unchanged between hidden layers): not "
                     "{target} within {epochs} epochs.",
                     **fields))
        self.say(caption, Create(self.acc_lines["xavier"]), FadeIn(self.legend_rows["xavier"]), run_time=2.0)

    def fixed_nets(self) -> None:
        """Beat 4: the same deep net with tanh + Xavier and with ReLU + He."""
        r = self.result
        for k in ("tanh", "relu"):
            self.shown[f"{k}.accuracy"] = [float(v) for v in r.by_key(k).accuracy]
        et, er = r.by_key("tanh").epochs_to_target, r.by_key("relu").epochs_to_target
        fields = {"target": fmt_percent(r.target_accuracy), "tanh": self.reached("tanh"), "relu": self.reached("relu"),
                  "epochs": r.epochs}
        if et is not None and er is not None:
            caption = t("With tanh and Xavier's start the same deep net reaches {target} at epoch {tanh}; with ReLU "
                        "and He's, at epoch {relu}.", **fields)
        elif et is not None:
            caption = t("The same deep net with tanh and Xavier's start, or ReLU and He's: {target} after {tanh} "
                        "epochs with tanh; not within {epochs} with ReLU.", **fields)
        elif er is not None:
            caption = t("The same deep net with tanh and Xavier's start, or ReLU and He's: {target} after {relu} "
                        "epochs with ReLU; not within {epochs} with tanh.", **fields)
        else:
            caption = t("The same deep net with tanh and Xavier's start, or ReLU and He's: neither reaches {target} "
                        "within {epochs} epochs.", **fields)
        self.say(caption, Create(self.acc_lines["tanh"]), Create(self.acc_lines["relu"]),
                 FadeIn(self.legend_rows["tanh"]), FadeIn(self.legend_rows["relu"]), run_time=2.0)

    def final_accuracies(self) -> None:
        """Beat 5: the end values (in the legend), and what they do and don't say."""
        r = self.result
        points = self.count("points", points_apart(r))
        shallow = r.by_key("shallow").final_accuracy
        above = [r.by_key(k).final_accuracy > shallow + 0.005 for k in ("sigmoid", "tanh", "relu")]
        fixed = [r.by_key(k).epochs_to_target for k in ("tanh", "relu")]
        fast = all(e is not None and e <= FAST for e in fixed)
        fields = {"epochs": r.epochs, "points": points}
        if not any(above):
            caption = t("After {epochs} epochs all five are within {points} points: on these small digits depth adds "
                        "no real accuracy.", **fields)  # how fast the fixed nets got there, the beat before says
        elif all(above):
            caption = (t("After {epochs} epochs all five are within {points} points: the deep nets end above the "
                         "shallow one, and the fixed ones train fast.", **fields) if fast else
                       t("After {epochs} epochs all five are within {points} points: the deep nets end above the "
                         "shallow one.", **fields))
        else:
            caption = (t("After {epochs} epochs all five are within {points} points: some deep nets end above the "
                         "shallow one, and the fixed ones train fast.", **fields) if fast else
                       t("After {epochs} epochs all five are within {points} points: some deep nets end above the "
                         "shallow one.", **fields))
        self.say(caption,
                 Indicate(self.acc_legend, scale_factor=1.05, color=self.theme.text), run_time=1.2)

    def _place_regions(self) -> None:
        """"layer 1 faster" at the top of the column right of the plot (above the line at 1) and
        "layer 1 slower" at its bottom (below it): clear of the curves."""
        axes, r = self.ratio_axes, self.result
        top, bottom = axes.c2p(0, axes.y_range[1])[1], axes.c2p(0, 0)[1]
        x = axes.c2p(r.epochs, 0)[0] + RIGHT_GAP
        slower, faster = self.ratio_regions
        faster.move_to([x + faster.width / 2, top - faster.height / 2, 0])
        slower.move_to([x + slower.width / 2, bottom + slower.height / 2, 0])

    def averages(self, keys: list[str]) -> VGroup:
        """Each net's average 1/r over the shaded epochs (the result's window): a dashed line across
        the band at its height (the geometric mean is the average height of the log plot's line
        there), and its value inside the band, on that line's left end, on a patch of background, in
        the net's colour: read as the dashed line's value, not as where a curve ends. Each value sits
        above its line, or below it when the line above is too close for both."""
        r, th = self.result, self.theme
        lo = self.decades[0]
        first, last = r.window
        x = self.ratio_axes.c2p(first, 0)[0] + 0.1
        labels, means = VGroup(), VGroup()
        above_y = math.inf  # the line of the value placed last (higher up)
        for k in sorted(keys, key=lambda k: r.by_key(k).speed_ratio):  # highest 1/r first
            v = 1 / r.by_key(k).speed_ratio
            self.shown[f"{k}.average"] = v
            height = math.log10(v) - lo
            y = float(self.ratio_axes.c2p(0, height)[1])
            lab = self.text(first_over_last(r.by_key(k).speed_ratio), SIZE.small, color=self.colors[k])
            side = -1.0 if above_y - y < lab.height + 0.25 else 1.0
            lab.move_to([x + lab.width / 2, y + side * (lab.height / 2 + 0.08), 0])
            labels.add(VGroup(BackgroundRectangle(lab, color=th.background, fill_opacity=0.85, buff=0.04), lab))
            above_y = y
            means.add(DashedLine(self.ratio_axes.c2p(first, height), self.ratio_axes.c2p(last, height),
                                 stroke_color=self.colors[k], stroke_width=3, dash_length=0.1))
        labels.set_z_index(2)  # over the per-epoch curves, drawn after them (round 36: 3.1 and 5.1 were hidden)
        return VGroup(means, labels)

    def said(self, key: str) -> str:
        """Net ``key``'s average layer 1's speed over layer L-1's, as a caption writes it ("1/37"),
        recorded in ``shown`` as that quotient."""
        ratio = self.result.by_key(key).speed_ratio
        self.shown[f"{key}.speed_ratio"] = 1 / ratio
        return first_over_last(ratio)

    def speeds(self) -> None:
        """Beat 6: 1/r_e per epoch for the three deep nets, and the fixed nets' averages."""
        r = self.result
        H = self.hidden
        lo = self.decades[0]
        lines = VGroup()
        for k in DEEP:
            self.shown[f"{k}.ratios"] = [float(v) for v in r.by_key(k).ratios]
            with np.errstate(divide="ignore"):  # r_e = 0 (layer 1 alone learning) is drawn at the top
                inverse = 1 / np.asarray(r.by_key(k).ratios, dtype=float)
            lines.add(self._polyline(self.ratio_axes, inverse, self.colors[k], width=2.5, log_from=lo))
        ratios = [r.by_key(k).speed_ratio for k in ("tanh", "relu")]
        sigmoid = r.by_key("sigmoid").speed_ratio
        still = [bool(np.all(r.by_key(k).hidden_speeds[1:] == 0)) for k in ("tanh", "relu")]
        extra = []
        if all(still):
            caption = t("In these runs, no hidden layer of the fixed nets learned at all: every speed stayed 0.")
        elif any(still):
            moving, stopped = ("relu", "tanh") if still[0] else ("tanh", "relu")
            value = self.said(moving)
            caption = t("Layer 1's speed over layer {hidden}'s, geometric mean over epochs {first} to {last}, is "
                        "{value} in the {moving} net; the {stopped} net's hidden layers did not learn at all.",
                        hidden=H, first=r.window[0], last=r.window[1], value=value, moving=NET_WORDS[moving],
                        stopped=NET_WORDS[stopped])
            if math.isfinite(r.by_key(moving).speed_ratio) and r.by_key(moving).speed_ratio > 0:
                extra.append(FadeIn(self.averages([moving])))
        elif all(math.isfinite(v) and v > 0 for v in (*ratios, sigmoid)):
            rs, rt, rr = (self.said(k) for k in DEEP)
            first, last = r.window  # "from epoch 1 on": every epoch of the window, in both fixed nets
            every = all(bool(np.all(np.asarray(r.by_key(k).ratios[first:last + 1]) < 1)) for k in ("tanh", "relu"))
            untrained = all(float(r.by_key(k).ratios[0]) > 1 for k in DEEP)
            caption = speed_verdict(ratios, H, r.window, rs, rt, rr, every_epoch=every, untrained_above=untrained)
            extra.append(FadeIn(self.averages(list(DEEP))))
        else:
            caption = t("In these runs, layer 1 of a deep net stopped learning: its speed fell to 0.")
        first, last = r.window
        self.shown["window"] = [float(first), float(last)]
        band = epoch_band(self.ratio_axes, first, last, self.theme)  # the epochs the averages cover
        band_name = self.text(t("epochs {first}–{last}", first=first, last=last), SIZE.small, color=self.theme.muted)
        band_name.scale_to_fit_width(min(band_name.width, band.width - 0.1))
        band_name.move_to(band.get_top() + DOWN * (band_name.height / 2 + 0.08))  # inside the band, at its top
        with self.beat(caption):
            self.play(FadeIn(band, band_name), Create(lines, lag_ratio=0.0), FadeIn(self.ratio_regions),
                      run_time=2.5)
            if extra:
                self.play(*extra, run_time=0.8)

    def gaps_card(self) -> None:
        """The last beat, when the lesson's net is the deep sigmoid net with Nielsen's start (so the
        other chapters measured this net): every layer-1-against-layer-(L-1) ratio the episode states, side
        by side on a card over the plots, with what each compares, on which digits and when
        (:func:`netsim.experiments.gaps.layer_gaps`); the card then goes, leaving the plots."""
        net = self.lesson.net
        if not is_problem_net(net):  # the other chapters showed another net's numbers: no card
            return
        th = self.theme
        gaps = layer_gaps(net, eta=self.lesson.learning_rate, sample=DEEP_NET_SAMPLE)
        H = gaps.last_hidden
        head = [t("layer 1 / layer {l}", l=H), t("chapter"), t("what is compared"), t("digits"), t("when")]
        rows = [[self.text(w, SIZE.label, color=th.muted) for w in head]]
        for i, gap in enumerate(gaps.gaps):
            value = fmt_ratio(gap.first_over_last, gap.figures)
            self.shown[f"gap_{i}"] = gap.first_over_last
            words = gap_words(gap)
            rows.append([self.text(("≈ " if gap.about else "") + value, SIZE.label, color=th.net("deep")),
                         *(self.text(w, SIZE.label) for w in words)])
        widths = [max(row[c].width for row in rows) for c in range(len(head))]
        lefts = [sum(widths[:c]) + CARD_GAP * c for c in range(len(head))]
        table = VGroup()
        line = CARD_TOP
        one = rows[0][0].height  # a line's height, from a cell of one line
        for row in rows:  # a row of two-line cells is taller by their second line
            for left, cell in zip(lefts, row):
                cell.move_to([left + cell.width / 2, 0, 0])
                cell.shift(UP * (line - baseline_of(cell)))
            table.add(VGroup(*row))
            line -= CARD_ROW + max(cell.height for cell in row) - one
        if table.width > CARD_WIDTH:  # a long translation: the whole card smaller, still one table
            table.scale_to_fit_width(CARD_WIDTH)
        table.move_to([0, -0.35, 0])
        rule_y = (table[0].get_bottom()[1] + table[1].get_top()[1]) / 2
        rule = Line([table.get_left()[0], rule_y, 0], [table.get_right()[0], rule_y, 0], stroke_color=th.edge,
                    stroke_width=2)
        # over the whole picture (the plots, their legend, the set-up card) with the heading on it, then gone
        backdrop = Rectangle(width=14.4, height=8.2, fill_color=th.background, fill_opacity=1.0, stroke_width=0)
        card = VGroup(backdrop, self.heading.copy(), rule, table)
        card.set_z_index(3)  # over everything, the ratio labels (z 2) too
        caption = t("The sigmoid net's layer 1 / layer {l} ratios so far: each compares another quantity, other "
                    "digits or another time.", l=H)
        with self.beat(caption, least=CARD_SECONDS):
            self.play(FadeIn(card), run_time=0.8)
        self.play(FadeOut(card), run_time=0.6)
