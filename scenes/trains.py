"""Chapter 12: the fixed net trains.

Chapter 11's fixes, trained: the lesson's deep net with tanh and Xavier's start and with ReLU
and He's start, beside chapter 9's two nets (the shallow net and the deep sigmoid net with
Nielsen's start), all under chapter 9's set-up (same digits, split, mini-batch, eta, epochs,
the cross-entropy cost of chapter 8), which is written on screen. Left: held-out accuracy over
the epochs, one line per net. Right: the fixed nets' per-layer speeds of learning ||dC/db_l||
(log scale), one line per hidden layer. Then the opening's puzzle, answered: layer-at-a-time
pre-training in 2006/07, later made unnecessary by the starting-weight rules and ReLU.

Every number comes from :func:`netsim.experiments.trains.fixed_nets_train` and is recorded in
``self.shown``.
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
    Axes,
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
    config,
)

from netsim.experiments.trains import FixedNetsResult, NetRun, fixed_nets_train
from scenes.chapters import number_of
from scenes.common import LessonScene
from scenes.lesson import Lesson
from scenes.style import SIZE, fmt_value, viridis

# -- layout (scene units; the frame is 14.2 x 8) --------------------------------------------
ACC_CENTER = (-3.55, -0.75)
ACC_SIZE = (5.3, 2.9)
SPEED_CENTER_X = 4.55
SPEED_CENTERS_Y = (0.75, -1.55)
SPEED_SIZE = (3.7, 1.5)
STACK_Y = 0.2              # the pre-training picture's row of layers
STACK_STEP = 2.2

#: How the nets are named (legend) and drawn.
NAMES = {"shallow": "shallow net", "sigmoid": "deep, sigmoid", "tanh": "deep, tanh + Xavier",
         "relu": "deep, ReLU + He"}
SPEED_TITLES = {"tanh": "tanh net, Xavier's start", "relu": "ReLU net, He's start"}


@lru_cache(maxsize=4)
def _cached(sizes: tuple[int, ...], seed: int, eta: float) -> FixedNetsResult:
    return fixed_nets_train(sizes, seed=seed, eta=eta)


def experiment(lesson: Lesson) -> FixedNetsResult:
    """The four training runs for the lesson's net, seed and learning rate (once per process)."""
    return _cached(tuple(lesson.sizes), int(lesson.seed), float(lesson.learning_rate))


def pct(value: float) -> str:
    """An accuracy as on screen: "96.7%", "90%"."""
    text = f"{100 * float(value):.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def tick_step(epochs: int) -> int:
    """A round step between epoch ticks giving at most five intervals."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if epochs / step <= 5:
            return step
    return epochs


class FixedNetTrains(LessonScene):
    """Chapter 12: the fixed deep nets train under chapter 9's set-up; the 2006 puzzle answered."""

    #: Tests set this to stop before the history beats, on the chapter's key picture.
    skip_end = False

    def construct(self) -> None:
        self.result = experiment(self.lesson)
        th = self.theme
        self.colors = {"shallow": th.text, "sigmoid": th.warn, "tanh": th.forward, "relu": th.good}
        self.show_setup()
        self.chapter_nine_nets()
        self.fixed_nets()
        self.final_accuracies()
        self.speeds()
        if self.skip_end or config.save_last_frame:  # a poster (manim -s) shows the key picture
            return
        self.layer_at_a_time()
        self.fine_tune()
        self.made_unnecessary()
        self.end_chapter(None)

    # -- helpers ---------------------------------------------------------------------------

    def pct_inline(self, key: str, value: float) -> str:
        """An accuracy inside a caption or label, recorded in ``shown[key]``."""
        self.shown[key] = float(value)
        return pct(value)

    def _polyline(self, axes: Axes, ys: np.ndarray, color: ManimColor | str, width: float = 3.5,
                  log: bool = False) -> VMobject:
        pts = []
        for e, y in enumerate(ys):
            v = math.log10(max(float(y), 10.0 ** axes.y_range[0])) if log else float(y)
            pts.append(axes.c2p(float(e), min(v, axes.y_range[1])))
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

    # -- beats -----------------------------------------------------------------------------

    def show_setup(self) -> None:
        """The title and chapter 9's set-up, on screen."""
        r, th = self.result, self.theme
        s = r.setup
        self.heading = self.chapter_heading("The fixed net trains")
        for key, value in (("n_train", s.n_train), ("n_test", s.n_test), ("batch_size", s.batch_size),
                           ("eta", s.eta), ("epochs", s.epochs), ("seed", r.seed)):
            self.shown[key] = float(value)
        ch8 = number_of("fading")
        self.setup_card = VGroup(
            self.text(f"8x8 digits: {s.n_train} to train on, {s.n_test} held out", SIZE.small, color=th.muted),
            self.text(f"mini-batches of {s.batch_size}, η = {fmt_value(s.eta)}, {s.epochs} epochs, seed {r.seed}",
                      SIZE.small, color=th.muted),
            self.text(f"cross-entropy cost (chapter {ch8})", SIZE.small, color=th.muted),
        ).arrange(DOWN, aligned_edge=RIGHT, buff=0.1)
        self.setup_card.to_corner(UP + RIGHT, buff=0.3)
        with self.beat(f"Do the fixed deep nets train? Chapter {number_of('training')}'s set-up again: same digits, "
                       "split, mini-batches, η, epochs and cost."):
            self.play(FadeIn(self.heading), run_time=1.0)
            self.play(FadeIn(self.setup_card, shift=LEFT * 0.2), run_time=1.0)

    def _accuracy_plot(self) -> VGroup:
        th = self.theme
        axes = self._axes((0, 1, 0.5), ACC_SIZE, ACC_CENTER)
        self.acc_axes = axes
        y_ticks = VGroup(*[self.text(pct(v), SIZE.small, color=th.muted).next_to(axes.c2p(0, v), LEFT, buff=0.12)
                           for v in (0.0, 0.5, 1.0)])
        title = self.text("accuracy on held-out digits", SIZE.small, color=th.muted)
        title.next_to(axes.c2p(0, 1), UP, buff=0.15, aligned_edge=LEFT)
        self.acc_title = title
        chance = DashedLine(axes.c2p(0, 0.1), axes.c2p(self.result.epochs, 0.1), stroke_color=th.edge,
                            stroke_width=1.5, dash_length=0.08)
        return VGroup(axes, y_ticks, self._x_labels(axes), title, chance)

    def _legend(self, keys: list[str]) -> VGroup:
        rows = VGroup()
        for key in keys:
            run = self.result.by_key(key)
            value = self.pct_inline(f"{key}.final", run.final_accuracy)
            sample = Line(LEFT * 0.2, RIGHT * 0.2, stroke_color=self.colors[key], stroke_width=4)
            rows.add(VGroup(sample, self.text(f"{NAMES[key]}: {value}", SIZE.small)).arrange(RIGHT, buff=0.12))
        return rows

    def chapter_nine_nets(self) -> None:
        """The shallow net and the deep sigmoid net: chapter 9's result, drawn again."""
        r = self.result
        self.acc_frame = self._accuracy_plot()
        self.acc_lines = {k: self._polyline(self.acc_axes, r.by_key(k).accuracy, self.colors[k])
                          for k in ("shallow", "sigmoid", "tanh", "relu")}
        self.shown["shallow.accuracy"] = [float(v) for v in r.by_key("shallow").accuracy]
        self.shown["sigmoid.accuracy"] = [float(v) for v in r.by_key("sigmoid").accuracy]
        sig = r.by_key("sigmoid")
        target = self.pct_inline("target", r.target_accuracy)
        if sig.epochs_to_target is None:
            tail = f"the deep sigmoid net does not reach {target} within {r.epochs} epochs."
        else:
            e = sig.epochs_to_target
            self.shown["sigmoid.epochs_to_target"] = float(e)
            tail = f"the deep sigmoid net needs {e} epochs to reach {target}."
        legend = self._legend(["shallow", "sigmoid", "tanh", "relu"])
        legend.arrange_in_grid(rows=2, cols=2, col_alignments="ll", flow_order="dr", buff=(0.35, 0.12))
        legend.next_to(self.acc_axes.c2p(0, 1), UP, buff=0.2, aligned_edge=LEFT).shift(LEFT * 0.6)
        self.acc_title.next_to(legend, UP, buff=0.15, aligned_edge=LEFT)
        self.acc_legend = legend
        with self.beat(f"First chapter {number_of('training')}'s two nets: the shallow net climbs at once; {tail}"):
            self.play(FadeIn(self.acc_frame), run_time=1.0)
            self.play(Create(self.acc_lines["shallow"]), Create(self.acc_lines["sigmoid"]),
                      FadeIn(legend[0]), FadeIn(legend[1]), run_time=2.0)

    def fixed_nets(self) -> None:
        """The deep net with tanh + Xavier and with ReLU + He: it climbs within a few epochs."""
        r = self.result
        self.shown["tanh.accuracy"] = [float(v) for v in r.by_key("tanh").accuracy]
        self.shown["relu.accuracy"] = [float(v) for v in r.by_key("relu").accuracy]
        et, er = r.by_key("tanh").epochs_to_target, r.by_key("relu").epochs_to_target
        target = pct(r.target_accuracy)
        if et is not None and er is not None:
            self.shown["tanh.epochs_to_target"] = float(et)
            self.shown["relu.epochs_to_target"] = float(er)
            caption = (f"Now the deep net with the fixes, tanh + Xavier and ReLU + He: {target} after {et} "
                       f"and {er} epochs.")
        else:
            caption = "Now the deep net with the fixes, tanh + Xavier and ReLU + He."
        self.say(caption, Create(self.acc_lines["tanh"]), Create(self.acc_lines["relu"]),
                 FadeIn(self.acc_legend[2]), FadeIn(self.acc_legend[3]), run_time=2.0)

    def final_accuracies(self) -> None:
        """The end values, in a legend inside the plot, and what they do and don't say."""
        r = self.result
        keys = ["shallow", "sigmoid", "tanh", "relu"]
        best_deep = max(r.by_key("tanh").final_accuracy, r.by_key("relu").final_accuracy)
        shallow = r.by_key("shallow").final_accuracy
        e = r.epochs
        finals = [r.by_key(k).final_accuracy for k in keys]
        points = math.ceil(100 * (max(finals) - min(finals)))
        self.shown["points"] = float(points)
        if best_deep <= shallow + 0.005:
            verdict = "On these small digits depth adds no accuracy; the fix makes the deep net train, and fast."
        else:
            verdict = "The fixed deep nets end above the shallow one."
        self.say(f"After {e} epochs all four are within {points} points. {verdict}",
                 Indicate(self.acc_legend, scale_factor=1.05, color=self.theme.text), run_time=1.2)

    def _speed_plot(self, key: str, center_y: float) -> VGroup:
        r, th = self.result, self.theme
        lo, hi = r.decades
        axes = self._axes((lo, hi, 1), SPEED_SIZE, (SPEED_CENTER_X, center_y))
        stride = max(1, math.ceil((hi - lo) / 3))
        ticks = VGroup(*[self.text(f"1e{k}", SIZE.small, color=th.muted).next_to(axes.c2p(0, k), LEFT, buff=0.1)
                         for k in range(lo, hi + 1) if (hi - k) % stride == 0 and k > lo])
        title = self.text(SPEED_TITLES[key], SIZE.small, color=self.colors[key])
        title.next_to(axes.c2p(r.epochs, hi), UP, buff=0.1, aligned_edge=RIGHT)
        run: NetRun = r.by_key(key)
        H = run.hidden_speeds.shape[1]
        self.shown[f"{key}.speeds"] = [[float(v) for v in row] for row in run.hidden_speeds.T]
        lines = VGroup(*[self._polyline(axes, run.hidden_speeds[:, l], viridis(0.35 + 0.65 * l / max(H - 1, 1)),
                                        width=2.5, log=True) for l in range(H)])
        frame = VGroup(axes, ticks, title)
        if key == "relu":  # the lower plot labels the epochs for both
            frame.add(self._x_labels(axes))
        return VGroup(frame, lines)

    def speeds(self) -> None:
        """Per-layer speeds ||dC/db_l|| of the fixed nets: the hidden layers learn together."""
        r, th = self.result, self.theme
        self.speed_plots = [self._speed_plot(k, y) for k, y in zip(("tanh", "relu"), SPEED_CENTERS_Y)]
        H = len(r.sizes) - 2
        key = VGroup(
            self.text("||dC/db_l|| (log scale):", SIZE.small, color=th.muted),
            self.text("layer 1", SIZE.small, color=viridis(0.35)),
            self.text(f"layer {H}", SIZE.small, color=viridis(1.0)),
        ).arrange(RIGHT, buff=0.2)
        key.next_to(self.speed_plots[0][0], UP, buff=0.12).to_edge(RIGHT, buff=0.25)
        self.speed_key = key
        ratios = [r.by_key(k).speed_ratio for k in ("tanh", "relu")]
        rt = self.inline("tanh.speed_ratio", r.by_key("tanh").speed_ratio_rounded)
        rr = self.inline("relu.speed_ratio", r.by_key("relu").speed_ratio_rounded)
        if max(ratios) <= 1:
            verdict = f"layer 1 now learns faster than layer {H}."
        elif max(ratios) < 3:
            verdict = f"layer 1 now learns nearly as fast as layer {H}."
        else:
            verdict = f"layer 1 still learns more slowly than layer {H}."
        with self.beat(f"Their layers' speeds of learning (log scale): layer {H}'s over layer 1's averages "
                       f"{rt} and {rr}, so {verdict}"):
            self.play(FadeIn(key), *[FadeIn(p[0]) for p in self.speed_plots], run_time=1.0)
            self.play(*[Create(p[1], lag_ratio=0.15) for p in self.speed_plots], run_time=2.5)

    # -- the opening's puzzle ----------------------------------------------------------------

    def layer_at_a_time(self) -> None:
        """2006/07: deep nets trained one layer at a time, each first learning to model its input."""
        th = self.theme
        H = len(self.result.sizes) - 2
        boxes = VGroup()
        for l in range(1, H + 1):
            box = Rectangle(width=1.5, height=2.2, stroke_color=th.neuron_stroke, stroke_width=2,
                            fill_color=th.neuron_fill, fill_opacity=1)
            box.move_to([STACK_STEP * (l - (H + 1) / 2), STACK_Y, 0])
            boxes.add(VGroup(box, self.text(f"layer {l}", SIZE.label).move_to(box)))
        arrows = VGroup(*[Arrow(boxes[i].get_right(), boxes[i + 1].get_left(), buff=0.08, stroke_width=3,
                                color=th.forward, max_tip_length_to_length_ratio=0.3) for i in range(H - 1)])
        self.stack = VGroup(boxes, arrows)
        self.boxes = boxes
        note = self.text("each layer first learns, on its own, to model its input", SIZE.label, color=th.forward)
        note.next_to(boxes, DOWN, buff=0.45)
        self.stack_note = note
        years = self.text("2006 and 2007: one layer at a time", SIZE.label, color=th.muted).move_to([0, 2.75, 0])
        with self.beat("The opening's puzzle: in 2006 and 2007 the groups of Hinton (deep belief nets, of "
                       "restricted Boltzmann machines), Bengio and LeCun trained deep fully-connected nets one layer "
                       "at a time."):
            self.play(FadeOut(self.acc_frame), FadeOut(VGroup(*self.acc_lines.values())), FadeOut(self.acc_legend),
                      FadeOut(VGroup(*self.speed_plots)), FadeOut(self.speed_key), FadeOut(self.setup_card),
                      run_time=0.8)
            self.play(FadeIn(self.stack), FadeIn(years), run_time=1.0)
            for i, b in enumerate(boxes):
                anims = [b[0].animate.set_stroke(th.forward, width=5)]
                if i:
                    anims.append(boxes[i - 1][0].animate.set_stroke(th.neuron_stroke, width=2))
                self.play(*anims, run_time=0.6)
            self.play(FadeIn(note), run_time=0.6)

    def fine_tune(self) -> None:
        """Then back prop fine-tunes the whole net, from useful starting weights."""
        th = self.theme
        back = Arrow(self.boxes[-1].get_top() + UP * 0.35, self.boxes[0].get_top() + UP * 0.35, buff=0,
                     stroke_width=5, color=th.backward, max_tip_length_to_length_ratio=0.05)
        label = self.text("then back prop fine-tunes the whole net", SIZE.label, color=th.backward)
        label.next_to(back, UP, buff=0.15)
        self.fine = VGroup(back, label)
        self.say("Each layer first learned to model its own input; then back prop fine-tuned the whole net, its "
                 "early layers starting at useful weights, so the gradient had something to work with.",
                 self.boxes[-1][0].animate.set_stroke(th.backward, width=5), FadeIn(self.fine),
                 *[b[0].animate.set_stroke(th.backward, width=5) for b in self.boxes[:-1]], run_time=1.5)

    def made_unnecessary(self) -> None:
        """Later the starting-weight rules and ReLU made pre-training unnecessary."""
        th = self.theme
        line = self.text("later: LeCun 1998 · Glorot, Bengio 2010 · He 2015 · ReLU", SIZE.label, color=th.good)
        line.next_to(self.stack_note, DOWN, buff=0.4)
        self.say(f"Later the starting-weight rules of chapter {number_of('wayout')} (LeCun 1998, Glorot and Bengio "
                 "2010, He 2015) and ReLU made that step unnecessary: this chapter's deep nets started at random.",
                 FadeIn(line, shift=UP * 0.1), run_time=1.0, hold=1.0)
