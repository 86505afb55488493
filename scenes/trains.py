"""Chapter 11: the fixed nets train.

Chapter 10's fixes, trained: the lesson's deep net with tanh and Xavier's start and with ReLU
and He's start, beside chapter 8's two nets (the shallow net and the deep sigmoid net with
Nielsen's start), all under chapter 8's set-up (same digits, split, mini-batches, eta, epochs,
the cross-entropy cost of chapter 7, no L2), which is written on screen. Left: held-out
accuracy over the epochs, one line per net, each in its colour of the whole episode. Right:
the fixed nets' per-layer speeds of learning ‖∂C/∂b_l‖ (log scale, ticks 10^k), one line per
hidden layer. The history of the fixes is told in the last chapter, not here.

Every number comes from :func:`netsim.experiments.trains.fixed_nets_train` (chapter 8's runs
are not trained again: :func:`netsim.experiments.training.train_under` keeps them) and is
recorded in ``self.shown``; every caption is chosen from those numbers.
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
    Axes,
    Create,
    DashedLine,
    FadeIn,
    Indicate,
    Line,
    ManimColor,
    VGroup,
    VMobject,
)

from netsim.experiments.trains import FixedNetsResult, NetRun, fixed_nets_train
from scenes.chapters import number_of
from scenes.common import LessonScene
from scenes.depth import percent, whole
from scenes.lesson import Lesson
from scenes.style import SIZE, log_tick, log_ticks
from scenes.training import layer_color

# -- layout (scene units; the frame is 14.2 x 8) --------------------------------------------
ACC_CENTER = (-3.45, -1.0)
ACC_SIZE = (5.6, 3.2)
SPEED_CENTER_X = 4.6
SPEED_CENTERS_Y = (0.55, -1.95)
SPEED_SIZE = (3.7, 1.45)

#: How the nets are named (legend).
NAMES = {"shallow": "shallow net", "sigmoid": "deep, sigmoid", "tanh": "deep, tanh + Xavier",
         "relu": "deep, ReLU + He"}
#: Each net's colour in the whole episode (``Theme.net``).
NET_COLOURS = {"shallow": "shallow", "sigmoid": "deep", "tanh": "tanh", "relu": "relu"}
SPEED_TITLES = {"tanh": "tanh net, Xavier's start", "relu": "ReLU net, He's start"}
NET_WORDS = {"tanh": "tanh", "relu": "ReLU"}
#: A net that reaches the target within this many epochs "climbs at once" / trains "fast".
FAST = 10


@lru_cache(maxsize=4)
def _cached(sizes: tuple[int, ...], seed: int, eta: float) -> FixedNetsResult:
    return fixed_nets_train(sizes, seed=seed, eta=eta)


def experiment(lesson: Lesson) -> FixedNetsResult:
    """The four training runs for the lesson's net, seed and learning rate (once per process)."""
    return _cached(tuple(lesson.sizes), int(lesson.seed), float(lesson.learning_rate))


def tick_step(epochs: int) -> int:
    """A round step between epoch ticks giving at most five intervals."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if epochs / step <= 5:
            return step
    return epochs


def points_apart(result: FixedNetsResult) -> int:
    """The final accuracies' spread, rounded up to whole percentage points ("within N points")."""
    finals = [r.final_accuracy for r in result.runs]
    return max(math.ceil(100 * (max(finals) - min(finals)) - 1e-9), 1)


def speed_verdict(ratios: list[float], hidden: int) -> str:
    """What the fixed nets' average ratios (layer L-1's speed over layer 1's) say of layer 1."""
    if max(ratios) < 1:
        return f"layer 1 now learns faster than layer {hidden}."
    if max(ratios) <= 2:
        return f"layer 1 now learns at least half as fast as layer {hidden}."
    return f"layer 1 still learns more slowly than layer {hidden}."


class FixedNetTrains(LessonScene):
    """Chapter 11: the fixed deep nets train under chapter 8's set-up."""

    #: Tests set this to stop before the closing fade, on the chapter's key picture.
    skip_end = False

    def construct(self) -> None:
        self.result = experiment(self.lesson)
        self.colors = {k: self.theme.net(v) for k, v in NET_COLOURS.items()}
        self.show_setup()
        self.chapter_eight_nets()
        self.fixed_nets()
        self.final_accuracies()
        self.speeds()
        if not self.skip_end:
            self.end_chapter()

    # -- helpers ---------------------------------------------------------------------------

    def pct(self, key: str, value: float) -> str:
        """An accuracy inside a caption or label, recorded in ``shown[key]``."""
        self.shown[key] = float(value)
        return percent(value)

    def count(self, key: str, value: int) -> str:
        """A whole number inside a caption or label, recorded in ``shown[key]``."""
        self.shown[key] = float(value)
        return whole(value)

    def _polyline(self, axes: Axes, ys: np.ndarray, color: ManimColor | str, width: float = 3.5,
                  log_from: int | None = None) -> VMobject:
        """A line through (epoch, y); with ``log_from`` = lo, through (epoch, log10 y - lo), clipped
        to the axes (the epoch axis then runs along the bottom, at 10^lo)."""
        pts = []
        top = axes.y_range[1]
        for e, y in enumerate(ys):
            v = float(y) if log_from is None else math.log10(max(float(y), 10.0 ** log_from)) - log_from
            pts.append(axes.c2p(float(e), min(v, top)))
        return VMobject(stroke_color=color, stroke_width=width).set_points_as_corners(pts)

    def _axes(self, y_range: tuple[float, float, float], size: tuple[float, float],
              center: tuple[float, float]) -> Axes:
        th = self.theme
        axes = Axes(x_range=(0, self.result.epochs, tick_step(self.result.epochs)), y_range=y_range,
                    x_length=size[0], y_length=size[1], tips=False,
                    axis_config={"stroke_color": th.muted, "stroke_width": 2, "include_ticks": True,
                                 "tick_size": 0.05})
        axes.move_to([center[0], center[1], 0])
        return axes

    def _x_labels(self, axes: Axes, word: bool = True) -> VGroup:
        th = self.theme
        step = tick_step(self.result.epochs)
        ticks = VGroup(*[self.text(str(e), SIZE.small, color=th.muted).next_to(axes.c2p(e, axes.y_range[0]), DOWN,
                                                                              buff=0.1)
                         for e in range(0, self.result.epochs + 1, step)])
        out = VGroup(ticks)
        if word:
            out.add(self.text("epoch", SIZE.small, color=th.muted).next_to(ticks, DOWN, buff=0.08))
        return out

    def reached(self, key: str) -> str:
        """"90% after 3 epochs" style words for one net: the epoch it reached the target, recorded."""
        e = self.result.by_key(key).epochs_to_target
        return self.count(f"{key}.epochs_to_target", e) if e is not None else ""

    # -- beats -----------------------------------------------------------------------------

    def show_setup(self) -> None:
        """Beat 1: the title and chapter 8's set-up, on screen."""
        r, th = self.result, self.theme
        s = r.setup
        self.heading = self.chapter_heading("The fixed nets train")
        n_train, n_test = self.count("n_train", s.n_train), self.count("n_test", s.n_test)
        batch, epochs = self.count("batch_size", s.batch_size), self.count("epochs", s.epochs)
        eta = self.inline("eta", s.eta)
        self.setup_card = VGroup(
            self.text(f"8×8 digits: {n_train} to train on, {n_test} held out", SIZE.small, color=th.muted),
            self.text(f"SGD: mini-batches of {batch}, η = {eta}, {epochs} epochs", SIZE.small, color=th.muted),
            self.text(f"cross-entropy cost (chapter {number_of('fading')}), no L2", SIZE.small, color=th.muted),
        ).arrange(DOWN, aligned_edge=RIGHT, buff=0.1)
        self.setup_card.to_corner(UP + RIGHT, buff=0.3)
        with self.beat(f"Do the fixed deep nets train? Chapter {number_of('training')}'s set-up again: the same "
                       "digits, split, mini-batches, η, cost and epochs."):
            self.play(FadeIn(self.heading), run_time=1.0)
            self.play(FadeIn(self.setup_card, shift=LEFT * 0.2), run_time=1.0)

    def _accuracy_plot(self) -> VGroup:
        th, r = self.theme, self.result
        axes = self._axes((0, 1, 0.5), ACC_SIZE, ACC_CENTER)
        self.acc_axes = axes
        y_ticks = VGroup(*[self.text(percent(v), SIZE.small, color=th.muted).next_to(axes.c2p(0, v), LEFT, buff=0.12)
                           for v in (0.0, 0.5, 1.0)])
        n_test = whole(r.setup.n_test)
        title = self.text(f"accuracy on the {n_test} held-out digits", SIZE.small)
        chance_level = 1.0 / r.sizes[-1]
        self.shown["chance"] = chance_level
        chance = DashedLine(axes.c2p(0, chance_level), axes.c2p(r.epochs, chance_level), stroke_color=th.muted,
                            stroke_width=1.5, dash_length=0.08)
        return VGroup(axes, y_ticks, self._x_labels(axes), title, chance)

    def _legend(self, keys: list[str]) -> VGroup:
        rows = VGroup()
        for key in keys:
            run = self.result.by_key(key)
            value = self.pct(f"{key}.final", run.final_accuracy)
            sample = Line(LEFT * 0.2, RIGHT * 0.2, stroke_color=self.colors[key], stroke_width=4)
            rows.add(VGroup(sample, self.text(f"{NAMES[key]}: {value}", SIZE.small)).arrange(RIGHT, buff=0.12))
        return rows

    def chapter_eight_nets(self) -> None:
        """Beat 2: the shallow net and the deep sigmoid net, chapter 8's result drawn again."""
        r = self.result
        self.acc_frame = self._accuracy_plot()
        self.acc_lines = {k: self._polyline(self.acc_axes, r.by_key(k).accuracy, self.colors[k])
                          for k in ("shallow", "sigmoid", "tanh", "relu")}
        for k in ("shallow", "sigmoid"):
            self.shown[f"{k}.accuracy"] = [float(v) for v in r.by_key(k).accuracy]
        target = self.pct("target", r.target_accuracy)
        shallow = r.by_key("shallow").epochs_to_target
        if shallow is not None and shallow <= FAST:
            self.reached("shallow")
            head = f"Chapter {number_of('training')}'s shallow net climbs at once"
        elif shallow is not None:
            head = f"Chapter {number_of('training')}'s shallow net needs {self.reached('shallow')} epochs"
        else:
            head = f"Chapter {number_of('training')}'s shallow net does not reach {target}"
        e = r.by_key("sigmoid").epochs_to_target
        tail = (f"its deep sigmoid net needs {self.reached('sigmoid')} epochs to reach {target}." if e is not None
                else f"its deep sigmoid net does not reach {target} within {r.epochs} epochs.")
        legend = self._legend(["shallow", "sigmoid", "tanh", "relu"])
        legend.arrange_in_grid(rows=2, cols=2, col_alignments="ll", flow_order="dr", buff=(0.35, 0.12))
        legend.next_to(self.acc_axes, UP, buff=0.25, aligned_edge=LEFT).shift(LEFT * 0.6)
        self.acc_frame[3].next_to(legend, UP, buff=0.15, aligned_edge=LEFT)
        self.acc_legend = legend
        with self.beat(f"{head}; {tail}"):
            self.play(FadeIn(self.acc_frame), run_time=1.0)
            self.play(Create(self.acc_lines["shallow"]), Create(self.acc_lines["sigmoid"]),
                      FadeIn(legend[0]), FadeIn(legend[1]), run_time=2.0)

    def fixed_nets(self) -> None:
        """Beat 3: the same deep net with tanh + Xavier and with ReLU + He."""
        r = self.result
        for k in ("tanh", "relu"):
            self.shown[f"{k}.accuracy"] = [float(v) for v in r.by_key(k).accuracy]
        et, er = r.by_key("tanh").epochs_to_target, r.by_key("relu").epochs_to_target
        target = percent(r.target_accuracy)
        head = "The same deep net with tanh and Xavier's start, or ReLU and He's"
        if et is not None and er is not None:
            caption = f"{head}: {target} after {self.reached('tanh')} and {self.reached('relu')} epochs."
        elif et is not None:
            caption = (f"{head}: {target} after {self.reached('tanh')} epochs with tanh; not within {r.epochs} "
                       "with ReLU.")
        elif er is not None:
            caption = (f"{head}: {target} after {self.reached('relu')} epochs with ReLU; not within {r.epochs} "
                       "with tanh.")
        else:
            caption = f"{head}: neither reaches {target} within {r.epochs} epochs."
        self.say(caption, Create(self.acc_lines["tanh"]), Create(self.acc_lines["relu"]),
                 FadeIn(self.acc_legend[2]), FadeIn(self.acc_legend[3]), run_time=2.0)

    def final_accuracies(self) -> None:
        """Beat 4: the end values (in the legend), and what they do and don't say."""
        r = self.result
        points = self.count("points", points_apart(r))
        shallow = r.by_key("shallow").final_accuracy
        above = [r.by_key(k).final_accuracy > shallow + 0.005 for k in ("sigmoid", "tanh", "relu")]
        fixed = [r.by_key(k).epochs_to_target for k in ("tanh", "relu")]
        fast = all(e is not None and e <= FAST for e in fixed)
        if not any(above):
            verdict = ("on these small digits depth adds no accuracy, but the fixed deep nets train, and fast." if fast
                       else "on these small digits depth adds no accuracy.")
        else:
            verdict = "the deep nets end above the shallow one" if all(above) else \
                "some deep nets end above the shallow one"
            verdict += ", and the fixed ones train fast." if fast else "."
        self.say(f"After {r.epochs} epochs all four are within {points} points: {verdict}",
                 Indicate(self.acc_legend, scale_factor=1.05, color=self.theme.text), run_time=1.2)

    def _speed_plot(self, key: str, center_y: float) -> VGroup:
        r, th = self.result, self.theme
        lo, hi = r.decades
        axes = self._axes((0, hi - lo, 1), SPEED_SIZE, (SPEED_CENTER_X, center_y))  # y: log10 speed - lo
        labelled = log_ticks(lo, hi, most=3)
        self.shown["speed_ticks"] = [float(k) for k in labelled]
        ticks = VGroup(*[log_tick(k, th).next_to(axes.c2p(0, k - lo), LEFT, buff=0.1) for k in labelled])
        title = self.text(SPEED_TITLES[key], SIZE.small, color=self.colors[key])
        title.next_to(axes.c2p(0, hi - lo), UP, buff=0.1, aligned_edge=LEFT)
        run: NetRun = r.by_key(key)
        H = run.hidden_speeds.shape[1]
        self.shown[f"{key}.speeds"] = [[float(v) for v in row] for row in run.hidden_speeds.T]
        lines = VGroup(*[self._polyline(axes, run.hidden_speeds[:, l - 1], layer_color(l, H, th.name), width=2.5,
                                        log_from=lo) for l in range(1, H + 1)])
        frame = VGroup(axes, ticks, title)
        if key == "relu":  # the lower plot labels the epochs for both
            frame.add(self._x_labels(axes))
        return VGroup(frame, lines)

    def speeds(self) -> None:
        """Beat 5: per-layer speeds ‖∂C/∂b_l‖ of the fixed nets, and the average ratio of each run."""
        r, th = self.result, self.theme
        self.speed_plots = [self._speed_plot(k, y) for k, y in zip(("tanh", "relu"), SPEED_CENTERS_Y)]
        H = len(r.sizes) - 2
        samples = [VGroup(Line(LEFT * 0.18, RIGHT * 0.18, stroke_color=layer_color(l, H, th.name), stroke_width=4),
                          self.text(f"layer {l}", SIZE.small)).arrange(RIGHT, buff=0.08) for l in (1, H)]
        key = VGroup(self.tex(r"\|\partial C/\partial b_l\|", SIZE.small), *samples).arrange(RIGHT, buff=0.2)
        key.next_to(self.speed_plots[0][0], UP, buff=0.15).align_to(self.speed_plots[0][0][0], LEFT)
        ratios = [r.by_key(k).speed_ratio for k in ("tanh", "relu")]
        still = [bool(np.all(r.by_key(k).hidden_speeds[1:] == 0)) for k in ("tanh", "relu")]
        if all(still):
            caption = "In these runs, no hidden layer of the fixed nets learned at all: every speed stayed 0."
        elif any(still):
            moving, stopped = ("relu", "tanh") if still[0] else ("tanh", "relu")
            value = self.inline(f"{moving}.speed_ratio", r.by_key(moving).speed_ratio_rounded)
            caption = (f"In these runs, layer {H}'s speed over layer 1's averages {value} in the {NET_WORDS[moving]} "
                       f"net; the {NET_WORDS[stopped]} net's hidden layers did not learn at all.")
        elif all(math.isfinite(v) for v in ratios):
            rt = self.inline("tanh.speed_ratio", r.by_key("tanh").speed_ratio_rounded)
            rr = self.inline("relu.speed_ratio", r.by_key("relu").speed_ratio_rounded)
            caption = (f"In these runs, layer {H}'s speed over layer 1's averages {rt} and {rr}: "
                       f"{speed_verdict(ratios, H)}")
        else:
            caption = "In these runs, layer 1 of a fixed net stopped learning: its speed fell to 0."
        with self.beat(caption):
            self.play(FadeIn(key), *[FadeIn(p[0]) for p in self.speed_plots], run_time=1.0)
            self.play(*[Create(p[1], lag_ratio=0.15) for p in self.speed_plots], run_time=2.5)
