"""Chapter 4, "The rock on the slope": the vanishing gradient, seen as a slope.

Every number comes from :func:`netsim.experiments.rock.rock_on_slope`: two slices of chapter 2's
quadratic cost C on one digit, in the lesson's deep net, through the same starting net: C along one
weight of layer 1 and along one weight of layer m = L − 1, the last hidden layer, the layer every
chapter compares layer 1 with (``RockResult.other``; in each layer its steepest weight, the one with
the largest |∂C/∂w|: single weights, where chapter 1 weighs whole layers), every other weight fixed.
The two panels share their scales, and their axes label the same ticks (Δw and ΔC, from the
experiment). Beat 1 draws the layer-m slice and its rock as the landscape of the metaphor; the net,
then the layer-1 slice, join it. On each slice a rock takes the same number of steps w ← w − η ∂C/∂w
with the lesson's learning rate η, ∂C/∂w from netsim's backward pass. In the default (sigmoid)
lesson the layer-m rock races and the layer-1 rock barely moves; the captions follow what was
measured (``RockResult.verdict``), so they stay true for any lesson (ReLU + He too, or a layer with
no gradient at all).

The chapter shows one comparison number, how many times as far one weight moved as the
other, to two significant figures; no e-notation (chapter 6 explains it).

Render: ``.venv/bin/manim -ql scenes/rock.py RockOnSlope``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Brace,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    smooth,
)

from netsim.experiments.rock import RockResult, SliceRock, rock_on_slope
from scenes.engine.chapters import number_of
from scenes.engine.common import LessonScene
from scenes.engine.i18n import Message, t
from scenes.engine.lesson import Lesson, per_net
from scenes.engine.netdiagram import NetDiagram, elided_indices
from scenes.engine.style import SIZE, fmt_ratio, fmt_value, label

#: Chapter 2's digit: the same image, the same cost.
SAMPLE = 0
# Layout (scene units; the frame is 14.2 x 8). Two panels side by side, the same scales.
PANEL_XS = ((-5.45, -0.8), (1.3, 5.95))
PANEL_BOTTOM, PANEL_TOP = -2.75, 0.55
PANEL_TITLE_Y = 1.05
TOP_ROW_Y = 2.0
MORAL_Y = 1.6
SCALES_NOTE_Y = 3.45
SCALES_NOTE_RIGHT = 6.8
#: Beat 1 draws the layer-m panel centred; beat 2 moves it to its place on the right.
LANDSCAPE_SHIFT = -(PANEL_XS[1][0] + PANEL_XS[1][1]) / 2
#: Beat 2's net, on the left while the landscape stands on the right.
DIAGRAM_CENTER = ((PANEL_XS[0][0] + PANEL_XS[0][1]) / 2 - 0.2, (PANEL_BOTTOM + PANEL_TOP) / 2 + 0.1, 0.0)
DIAGRAM_WIDTH, DIAGRAM_HEIGHT = 5.0, 2.6
TICK = 0.08
TANGENT_LENGTH = 1.4
SLOW_HOPS = 3
SLOW_HOP, FAST_HOP = 0.8, 0.4


@per_net
def experiment(lesson: Lesson) -> RockResult:
    """The experiment this scene shows, for a lesson."""
    return rock_on_slope(lesson.net, sample=SAMPLE, eta=lesson.learning_rate)


def slope_words(res: RockResult) -> Message:
    """What the two curves look like on the shared scales, from their slopes at the start."""
    L, s = res.other, res.slope_ratio
    if res.first.flat and res.last.flat:
        return t("Both curves are flat here: every slope is exactly 0.")
    if res.first.flat:
        return t("The layer-{L} line slopes; the layer-1 line is flat, its slope exactly 0.", L=L)
    if res.last.flat:
        return t("The layer-1 line slopes; the layer-{L} line is flat, its slope exactly 0.", L=L)
    if s >= 10:
        return t("The layer-{L} line slopes; the layer-1 line looks flat.", L=L)
    if s <= 0.1:
        return t("The layer-1 line slopes; the layer-{L} line looks flat.", L=L)
    return t("Both curves slope.")


def roll_words(res: RockResult) -> Message:
    """What the two rocks do in their steps, from ``RockResult.verdict``."""
    L = res.other
    return {
        "vanishing": t("The layer-{L} rock steps down; the layer-1 rock barely moves.", L=L),
        "exploding": t("The layer-1 rock steps down; the layer-{L} rock barely moves.", L=L),
        "both": t("Both rocks move."),
        "first still": t("The layer-{L} rock moves; the layer-1 rock does not move at all.", L=L),
        "last still": t("The layer-1 rock moves; the layer-{L} rock does not move at all.", L=L),
        "neither": t("Neither rock moves at all."),
    }[res.verdict]


@dataclass
class Panel:
    """One slice's panel: where it is, its scales, and its rock's mobjects."""

    name: str
    rock: SliceRock
    color: str
    x0: float
    x1: float
    c_mid: float
    c_half: float
    half_width: float
    curve: VMobject | None = None
    dot: Dot | None = None
    tangent: Line | None = None
    prints: VGroup | None = None

    def point(self, w: float, c: float) -> np.ndarray:
        """Scene point of (w, C) in this panel."""
        w0 = float(self.rock.w[0])
        x = (self.x0 + self.x1) / 2 + (w - w0) / self.half_width * (self.x1 - self.x0) / 2 * 0.94
        y = (PANEL_BOTTOM + PANEL_TOP) / 2 + (c - self.c_mid) / self.c_half * (PANEL_TOP - PANEL_BOTTOM) / 2
        return np.array([x, y, 0.0])

    def tangent_ends(self, w: float, c: float, g: float) -> tuple[np.ndarray, np.ndarray]:
        """Ends of a tangent of fixed on-screen length through (w, C) with slope g."""
        sx = (self.x1 - self.x0) / 2 * 0.94 / self.half_width
        sy = (PANEL_TOP - PANEL_BOTTOM) / 2 / self.c_half
        d = np.array([sx, g * sy, 0.0])
        d *= TANGENT_LENGTH / 2 / float(np.hypot(d[0], d[1]))
        p = self.point(w, c)
        return p - d, p + d


class RockOnSlope(LessonScene):
    """Two rocks, the same η and steps: on a layer-m slice it races, on a layer-1 slice it crawls."""

    def construct(self) -> None:
        self.res = experiment(self.lesson)
        r = self.res
        self.panels = (self._panel("first", r.first, PANEL_XS[0]), self._panel("last", r.last, PANEL_XS[1]))
        self.intro()
        self.show_net()
        self.draw_slices()
        self.place_rocks()
        self.roll()
        self.compare()
        self.end_chapter()

    # ---------- beats ----------
    def intro(self) -> None:
        """Beat 1: the picture of training as a rock rolling downhill, on the layer-m slice
        (centred for now; beat 2 moves it to its place on the right)."""
        th = self.theme
        self.header = self.chapter_heading(
            t("The rock on the slope"), t("C: chapter {chapter}'s quadratic cost, on one digit",
                                          chapter=number_of("cost")))
        p = self.panels[1]
        self.panel_axes = VGroup(self._axes(self.panels[0]), self._axes(p))
        p.curve = self._curve(p)
        self._place_rock(p)
        self.landscape = VGroup(self.panel_axes[1], p.curve, p.tangent, p.dot)
        self.landscape.shift(LANDSCAPE_SHIFT * RIGHT)
        with self.beat(t("Picture the cost C as a landscape, training as a rock stepping downhill, each step "
                         "in proportion to the slope.")):
            self.play(FadeIn(self.header), Create(self.panel_axes[1]), run_time=1.0)
            self.play(Create(p.curve), run_time=1.0)
            self.play(FadeIn(p.dot), Create(p.tangent), run_time=0.8)
            self.play(Indicate(p.tangent, color=th.backward, scale_factor=1.15), run_time=1.0)

    def show_net(self) -> None:
        """Beat 2: the lesson's deep net on the left, its hidden layers and its output layer."""
        r, th = self.res, self.theme
        first, last, L, m = r.first, r.last, r.depth, r.other
        shown = []
        for l, n in enumerate(r.sizes):
            need = set(elided_indices(n, 4))
            need |= {first.k} if l == 0 else set()
            need |= {first.j} if l == 1 else set()
            need |= {last.k} if l == m - 1 else set()
            need |= {last.j} if l == m else set()
            shown.append(sorted(need))
        d = NetDiagram(r.sizes, th, shown=shown, width=DIAGRAM_WIDTH, height=DIAGRAM_HEIGHT, radius=0.09,
                       edge_width=0.7)
        d.move_to(DIAGRAM_CENTER)
        self.diagram = d
        pixels = self.inline("pixels", r.sizes[0])
        hidden = self.inline("hidden_layers", r.hidden)
        width = self.inline("width", r.sizes[1])
        below = VGroup(
            self.text(t("layer {l}", l=1), SIZE.small, color=th.muted).next_to(d.column(1), DOWN, buff=0.2),
            self.text(t("layer {l}", l=self.inline("other_layer", m)), SIZE.small, color=th.muted)
            .next_to(d.column(m), DOWN, buff=0.2),
        )
        hidden_cols = VGroup(*[d.column(l) for l in range(1, L)])
        brace = Brace(hidden_cols, UP, color=th.muted, buff=0.15)
        brace_words = self.text(t("{hidden} hidden layers of {width}", hidden=hidden, width=width), SIZE.small,
                                color=th.muted)
        brace_words.next_to(brace, UP, buff=0.1)
        pixel_words = self.text(t("{pixels} pixels", pixels=pixels), SIZE.small, color=th.muted)
        pixel_words.next_to(d.column(0), UP, buff=0.2).align_to(brace_words, DOWN)
        if pixel_words.get_left()[0] < -6.9:
            pixel_words.shift((-6.9 - pixel_words.get_left()[0]) * RIGHT)
        output_words = self.text(t("output"), SIZE.small, color=th.muted)
        output_words.next_to(d.column(L), UP, buff=0.2).align_to(brace_words, DOWN)  # as the pixels are named
        self.layer_labels = below
        self.net_group = VGroup(d, below, brace, brace_words, pixel_words, output_words)
        self.say(t("Our deep net: {hidden} hidden layers of {width} neurons between the pixels and the "
                   "outputs.", hidden=hidden, width=width),
                 *[mob.animate.shift(-LANDSCAPE_SHIFT * RIGHT) for mob in self.landscape], FadeIn(self.net_group),
                 run_time=1.2)

    def _panel(self, name: str, rock: SliceRock, xs: tuple[float, float]) -> Panel:
        color = self.theme.warn if name == "first" else self.theme.good
        r = self.res
        return Panel(name, rock, color, xs[0], xs[1], r.cost0, r.cost_half_width, r.half_width)

    def _axes(self, p: Panel) -> VGroup:
        """A panel's axes: the changes Δw and ΔC from the start, with the same labelled ticks
        (the experiment's) on both panels."""
        th, r = self.theme, self.res
        left, right = p.x0 - 0.05, p.x1 + 0.05
        x_axis = Line([left, PANEL_BOTTOM, 0], [right, PANEL_BOTTOM, 0], color=th.muted, stroke_width=2)
        y_axis = Line([left, PANEL_BOTTOM, 0], [left, PANEL_TOP + 0.1, 0], color=th.muted, stroke_width=2)
        w_lab = self.tex(r"\Delta w", SIZE.label, color=th.muted).next_to(x_axis, RIGHT, buff=0.08)
        c_lab = self.tex(r"\Delta C", SIZE.label, color=th.muted).next_to(y_axis, UP, buff=0.08)
        w0 = float(p.rock.w[0])
        ticks = VGroup()
        for sign in (-1, 0, 1):
            dw, dc = sign * r.w_tick, sign * r.cost_tick
            x = p.point(w0 + dw, r.cost0)[0]
            y = p.point(w0, r.cost0 + dc)[1]
            ticks.add(Line([x, PANEL_BOTTOM - TICK, 0], [x, PANEL_BOTTOM, 0], color=th.muted, stroke_width=2),
                      self._tick_label(dw, "w_tick").next_to([x, PANEL_BOTTOM - TICK, 0], DOWN, buff=0.08),
                      Line([left - TICK, y, 0], [left, y, 0], color=th.muted, stroke_width=2),
                      self._tick_label(dc, "cost_tick").next_to([left - TICK, y, 0], LEFT, buff=0.08))
        return VGroup(x_axis, y_axis, w_lab, c_lab, ticks)

    def _tick_label(self, value: float, key: str) -> VMobject:
        """A tick's value, one significant figure, a true minus sign; recorded in ``shown``."""
        if value > 0:
            self.shown[key] = float(value)
        words = fmt_value(float(value), digits=1).replace("-", "\u2212")
        return label(words, self.theme, SIZE.small, color=self.theme.muted)

    def _curve(self, p: Panel) -> VMobject:
        pts = [p.point(float(w), float(c)) for w, c in zip(p.rock.curve_w, p.rock.curve_cost)]
        return VMobject(color=self.theme.text, stroke_width=4).set_points_smoothly(pts)

    def _place_rock(self, p: Panel) -> None:
        """The panel's rock at its start, with its slope ∂C/∂w drawn as a tangent."""
        th = self.theme
        w0, c0, g0 = float(p.rock.w[0]), float(p.rock.cost[0]), float(p.rock.grad[0])
        p.dot = Dot(p.point(w0, c0), radius=0.12, color=p.color).set_stroke(th.text, 1.5)
        p.tangent = Line(*p.tangent_ends(w0, c0, g0), color=th.backward, stroke_width=4)
        p.prints = VGroup()

    def draw_slices(self) -> None:
        """Beat 3: the two weights, and C along each, drawn to the same scales."""
        r, th = self.res, self.theme
        d, L = self.diagram, r.other
        e1, e2 = d.edge(1, r.first.j, r.first.k), d.edge(L, r.last.j, r.last.k)
        titles = VGroup()
        for p in self.panels:
            layer = 1 if p.name == "first" else L
            title = self.text(t("w: a weight of layer {l}", l=layer), SIZE.label, color=p.color)
            title.move_to([(p.x0 + p.x1) / 2, PANEL_TITLE_Y, 0])
            titles.add(title)
        first = self.panels[0]
        first.curve = self._curve(first)
        scales = self.text(t("both panels: the same scales"), SIZE.small, color=th.muted)
        # at the top right, level with the heading: clear of the frame's bottom tenth, where players draw subtitles
        scales.move_to([SCALES_NOTE_RIGHT, SCALES_NOTE_Y, 0], aligned_edge=RIGHT)
        self.panel_titles = titles
        with self.beat(t("Change one weight of layer 1 or of layer {L}, all else fixed: close up, C is a line.", L=L)):
            self.play(e1.animate.set_stroke(th.warn, width=6), e2.animate.set_stroke(th.good, width=6),
                      self.layer_labels[0].animate.set_color(th.warn),
                      self.layer_labels[1].animate.set_color(th.good), FadeIn(titles[1]), run_time=1.0)
            self.play(FadeOut(self.net_group), FadeIn(titles[0]), Create(self.panel_axes[0]), FadeIn(scales),
                      run_time=1.2)
            self.play(Create(first.curve), run_time=1.2)

    def place_rocks(self) -> None:
        """Beat 4: the rule that picked the weights, and the layer-1 rock with its slope."""
        r, th = self.res, self.theme
        rule = VGroup(self.text(t("in each layer, the weight with the largest"), SIZE.small, color=th.muted),
                      self.tex(r"|\partial C/\partial w|", SIZE.small, color=th.muted),
                      self.text(t("(its steepest)"), SIZE.small, color=th.muted)).arrange(RIGHT, buff=0.12)
        rule.next_to(self.header, DOWN, aligned_edge=LEFT, buff=0.12)
        first = self.panels[0]
        self._place_rock(first)
        self.add(*[p.prints for p in self.panels])
        self.say(t("Each is its layer's steepest weight (chapter {chapter}'s cost).", chapter=number_of("cost")),
                 FadeIn(rule), FadeIn(first.dot), Create(first.tangent), run_time=1.2)
        self.say(slope_words(r))

    def _hop(self, i: int, run_time: float) -> None:
        """Step i -> i + 1 of both rocks at once, along their curves, tangents riding along."""
        th = self.theme
        updaters = []
        for p in self.panels:
            rock = p.rock
            wa, wb = float(rock.w[i]), float(rock.w[i + 1])
            ga, gb = float(rock.grad[i]), float(rock.grad[i + 1])
            footprint = Dot(p.dot.get_center(), radius=0.05, color=p.color).set_stroke(th.background, 1)
            p.prints.add(footprint)

            def move(dot: Dot, alpha: float, p: Panel = p, wa: float = wa, wb: float = wb,
                     ga: float = ga, gb: float = gb, i: int = i) -> None:
                w = wa + (wb - wa) * alpha
                c = float(np.interp(w, p.rock.curve_w, p.rock.curve_cost))
                g = ga + (gb - ga) * alpha
                if alpha >= 1.0:
                    c = float(p.rock.cost[i + 1])
                dot.move_to(p.point(w, c))
                p.tangent.put_start_and_end_on(*p.tangent_ends(w, c, g))

            updaters.append(UpdateFromAlphaFunc(p.dot, move))
        self.play(*updaters, run_time=run_time, rate_func=smooth)

    def roll(self) -> None:
        """Beat 4: both rocks take the same steps with the same η."""
        r, th = self.res, self.theme
        rule = self.tex(r"w \leftarrow w - \eta\, \partial C/\partial w", SIZE.label)
        eta = self.text(t("η = {eta}, the same for both rocks", eta=self.inline("eta", r.eta)), SIZE.small,
                        color=th.muted)
        self.rule = VGroup(rule, eta).arrange(RIGHT, buff=0.4).move_to([0, TOP_ROW_Y, 0])
        steps = self.inline("steps", r.steps)
        with self.beat(t("With the same η, both rocks take {steps} steps of w ← w − η ∂C/∂w.", steps=steps)):
            self.play(FadeIn(self.rule), run_time=0.8)
            for i in range(min(SLOW_HOPS, r.steps)):
                self._hop(i, SLOW_HOP)
        with self.beat(roll_words(r)):
            for i in range(SLOW_HOPS, r.steps):
                self._hop(i, FAST_HOP)

    def compare(self) -> None:
        """Beat 5: how many times as far one weight moved as the other; what that means."""
        r, th = self.res, self.theme
        L, steps, verdict = r.other, r.steps, r.verdict
        moral = None
        if verdict in ("vanishing", "both", "exploding"):
            ratio = fmt_ratio(r.distance_ratio)
            self.shown["ratio"] = r.distance_ratio
            if r.distance_ratio >= 1:
                line = self.text(t("in {steps} steps the layer-{L} weight moved about {ratio} times as far as the "
                                   "layer-1 weight", steps=steps, L=L, ratio=ratio), SIZE.label)
                said = t("On this digit and start, the layer-{L} weight moved about {ratio} times as far.",
                         L=L, ratio=ratio)
            else:
                line = self.text(t("in {steps} steps the layer-{L} weight moved about {ratio} as far as the layer-1 "
                                   "weight", steps=steps, L=L, ratio=ratio), SIZE.label)
                said = t("On this digit and start, the layer-{L} weight moved about {ratio} as far.", L=L,
                         ratio=ratio)
            if verdict == "vanishing":
                then = t("Layer 1's slope is tiny beside layer {L}'s: the vanishing gradient.", L=L)
                moral = self.text(t("layer 1's slope, tiny beside layer {L}'s: the vanishing gradient", L=L),
                                  SIZE.small, color=th.backward)
            elif verdict == "exploding" or r.distance_ratio < 1:
                then = t("Here layer 1 has the steeper slope, so its weight moves farther.")
            else:
                then = t("Layer 1's slope is not tiny here, so its weight moves too.")
        elif verdict == "neither":
            line = self.text(t("in {steps} steps neither weight moved", steps=steps), SIZE.label)
            said = t("On this digit and start, neither weight moved.")
            then = t("Their slopes are 0, or too tiny for a step to change w.")
        else:
            still = 1 if verdict == "first still" else L
            rock = r.first if still == 1 else r.last
            line = self.text(t("in {steps} steps the layer-{l} weight did not move", steps=steps, l=still), SIZE.label)
            said = t("On this digit and start, the layer-{l} weight did not move.", l=still)
            then = (t("Every weight of that layer has a slope of exactly 0.") if rock.flat else
                    t("Its slope is so tiny that a step changes nothing."))
        line.move_to([0, TOP_ROW_Y, 0])
        if line.width > 13.4:
            line.scale_to_fit_width(13.4)
        self.ratio_line = line
        self.say(said, FadeOut(self.rule), FadeIn(line), run_time=1.2)
        if moral is not None:
            moral.move_to([0, MORAL_Y, 0])
            self.say(then, FadeIn(moral), Indicate(self.panels[0].dot, color=th.backward, scale_factor=1.4),
                     run_time=1.2, hold=0.6)
        else:
            self.say(then, hold=0.6)
