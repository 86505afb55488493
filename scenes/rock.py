"""Chapter 3, "The rock on the slope": gradient descent on a real slice C(w) of a net's cost.

Every number comes from :func:`netsim.experiments.slope.rock_on_slope`: the curve is the
lesson's digits net's quadratic cost on one image as one output weight w = W_L[i, j]
changes; the rocks' positions are the real iterates w_{k+1} = w_k - eta * dC/dw_k with
dC/dw from the backward pass. On the steep part the slope is big and each step is big; on
the plateau (the sigmoid output neuron saturated, sigma'(z) near 0) the rock crawls.

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
    Animation,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Text,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    Wait,
    Write,
    smooth,
)

from netsim.experiments.slope import RockPath, SlopeResult, rock_on_slope
from scenes.common import LessonScene, current_lesson
from scenes.lesson import Lesson
from scenes.style import SIZE

LESSON = current_lesson()

STEPS = 6
# Layout (scene units; the frame is 14.2 x 8).
PLOT_LEFT, PLOT_RIGHT = -6.55, 1.0
PLOT_BOTTOM, PLOT_TOP = -3.3, 2.0
PANEL_X = 1.75
TANGENT_LENGTH = 1.7
HOP_TIME = 0.8
HOP_REST = 0.35
READING_SPEED = 16.0  # caption characters per second
#: Each caption ends this much before its beat does, so frame rounding never overlaps two cues.
CUE_MARGIN = 0.1


def slope_for(lesson: Lesson) -> SlopeResult:
    """The experiment this scene shows, for a lesson."""
    return rock_on_slope(tuple(lesson.sizes), lesson.activation, lesson.init, lesson.bias_init,
                         lesson.seed, steps=STEPS)


@dataclass
class RockView:
    """The mobjects of one rock: the dot, its tangent, its slope label, its footprints."""

    path: RockPath
    color: str
    dot: Dot
    tangent: Line
    slope_label: VGroup
    prints: VGroup


class RockOnSlope(LessonScene):
    """Two rocks roll down a real slice of a net's cost: fast on the steep part, slow on the plateau."""

    #: Tests set this to stop before the final fade, on the chapter's key picture.
    skip_end = False

    def construct(self) -> None:
        self.res = slope_for(self.lesson)
        self.title_and_curve()
        self.descent_rule()
        self.roll_steep_rock()
        self.roll_plateau_rock()
        self.compare_distances()
        self.hold_key_picture()
        if not self.skip_end:
            self.end_chapter()

    def pause(self, seconds: float, caption: str) -> None:
        """A wait that carries its own caption (``Scene.wait`` takes no subcaption)."""
        self.play(Wait(run_time=seconds), subcaption=caption, subcaption_duration=seconds - CUE_MARGIN)

    def say(self, caption: str, *anims: Animation, run_time: float = 1.0) -> None:
        """Play ``anims`` under ``caption``, then hold until the caption can be read."""
        total = max(run_time, len(caption) / READING_SPEED)
        self.play(*anims, run_time=run_time, subcaption=caption, subcaption_duration=total - CUE_MARGIN)
        if total > run_time:
            self.wait(total - run_time)

    def phrase(self, template: str, key: str, value: float, size: int = SIZE.label,
               color: str | None = None) -> Text:
        """One line of text around one recorded number: ``template.format(number)``."""
        shown = self.number(key, value, size=size).text
        return self.text(template.format(shown), size, color=color)

    # ---------- geometry ----------
    def _setup_mapping(self) -> None:
        r = self.res
        self.w_lo, self.w_hi = float(r.curve_w[0]), float(r.curve_w[-1])
        c_lo, c_hi = float(r.curve_cost.min()), float(r.curve_cost.max())
        span = c_hi - c_lo
        # the curve fills 12%..75% of the plot's height: room above the plateau for labels
        self.c_lo, self.c_hi = c_lo - 0.12 / 0.63 * span, c_hi + 0.25 / 0.63 * span
        self.x_unit = (PLOT_RIGHT - PLOT_LEFT - 0.15) / (self.w_hi - self.w_lo)
        self.y_unit = (PLOT_TOP - PLOT_BOTTOM) / (self.c_hi - self.c_lo)

    def to_screen(self, w: float, c: float) -> np.ndarray:
        """Scene point of (w, C)."""
        x = PLOT_LEFT + 0.15 + (w - self.w_lo) * self.x_unit
        y = PLOT_BOTTOM + (c - self.c_lo) * self.y_unit
        return np.array([x, y, 0.0])

    def curve_at(self, w: float) -> tuple[float, float]:
        """(C, dC/dw) at w between curve samples (for drawing the motion between iterates)."""
        r = self.res
        return float(np.interp(w, r.curve_w, r.curve_cost)), float(np.interp(w, r.curve_w, r.curve_grad))

    def tangent_ends(self, w: float, c: float, g: float) -> tuple[np.ndarray, np.ndarray]:
        """Ends of a tangent of fixed on-screen length through (w, C) with slope g."""
        d = np.array([self.x_unit, g * self.y_unit, 0.0])
        d *= TANGENT_LENGTH / 2 / np.linalg.norm(d)
        p = self.to_screen(w, c)
        return p - d, p + d

    def label_spot(self, w: float, c: float, g: float) -> np.ndarray:
        """Where a rock's slope label sits: off the curve, on its upper side."""
        n = np.array([-g * self.y_unit, self.x_unit, 0.0])
        n /= np.linalg.norm(n)
        return self.to_screen(w, c) + 0.62 * n + 0.35 * RIGHT * float(abs(n[0]) > 0.3)

    # ---------- beats ----------
    def title_and_curve(self) -> None:
        """Beat 1: the landscape, a real slice C(w) of the net's cost."""
        r, th = self.res, self.theme
        self._setup_mapping()
        heading = self.chapter_heading("The rock on the slope",
                                       "Cost C of one digit image as one weight w of the net changes; "
                                       "all else fixed.")
        if r.hidden_activation == "sigmoid":
            line2_text = "Sigmoid neurons, quadratic cost: a saturated sigmoid makes the flat part."
        else:
            name = "ReLU" if r.hidden_activation == "relu" else r.hidden_activation
            line2_text = f"Hidden layers here are {name}; the flat part comes from the sigmoid output neuron."
        line2 = self.text(line2_text, SIZE.small, color=th.muted)
        line2.next_to(heading, DOWN, aligned_edge=LEFT, buff=0.12)
        self.header = VGroup(heading, line2)

        x_axis = Line([PLOT_LEFT, PLOT_BOTTOM, 0], [PLOT_RIGHT, PLOT_BOTTOM, 0], color=th.muted, stroke_width=2)
        y_axis = Line([PLOT_LEFT, PLOT_BOTTOM, 0], [PLOT_LEFT, PLOT_TOP, 0], color=th.muted, stroke_width=2)
        w_lab = self.text("w", SIZE.label, color=th.muted).next_to(x_axis, RIGHT, buff=0.12)
        c_lab = self.text("C", SIZE.label, color=th.muted).next_to(y_axis, UP, buff=0.1)
        self.axes = VGroup(x_axis, y_axis, w_lab, c_lab)

        pts = [self.to_screen(w, c) for w, c in zip(r.curve_w, r.curve_cost)]
        self.curve = VMobject(color=th.text, stroke_width=4).set_points_smoothly(pts)

        w_pl = float(r.plateau.w[0])
        c_pl = float(r.plateau.cost[0])
        plateau_tag = self.text("flat: sigmoid saturated", SIZE.small, color=th.muted)
        plateau_tag.next_to(self.to_screen(w_pl, c_pl), UP, buff=1.05)
        plateau_tag.set_x(max(plateau_tag.get_x(), PLOT_LEFT + 0.2 + plateau_tag.width / 2))
        w_st = float(r.steep.w[0])
        steep_tag = self.text("steep", SIZE.small, color=th.muted)
        steep_tag.move_to(self.to_screen(w_st, float(r.steep.cost[0])) + np.array([-0.9, -0.55, 0]))
        self.tags = VGroup(plateau_tag, steep_tag)

        self.say("Think of the cost as a landscape.", FadeIn(self.header), run_time=1.5)
        self.say("Take a real net and one handwritten digit. Change one weight w, keep the rest fixed.",
                 Create(self.axes))
        self.say("The cost C traces this curve: a steep drop between two flat stretches.",
                 Create(self.curve), run_time=2.5)
        self.say("On the left the output neuron is saturated: its sigmoid barely changes, so C is flat.",
                 FadeIn(self.tags))

    def descent_rule(self) -> None:
        """Beat 2: the rock is gradient descent, w <- w - eta dC/dw."""
        th = self.theme
        rule = MathTex(r"w \leftarrow w - \eta\,\frac{dC}{dw}", color=th.text, font_size=40)
        eta_row = self.phrase("η = {}   (learning rate)", "eta", self.res.eta)
        self.rule = VGroup(rule, eta_row).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.rule.move_to([PANEL_X, 1.45, 0], aligned_edge=LEFT)
        self.say("Training is a rock rolling downhill: it steps against the slope.", Write(rule), run_time=1.5)
        self.say("Each step is the learning rate eta times the slope dC/dw.", FadeIn(eta_row))

    def _readout(self, view: RockView, k: int) -> VGroup:
        """Panel rows for iterate k of a rock: w_k, dC/dw_k and the step eta |dC/dw_k| it takes."""
        p, name = view.path, view.path.name
        rows = [self.text(f"{name} rock", SIZE.label, color=view.color),
                self.phrase("w = {}", f"{name}.w.{k}", float(p.w[k])),
                self.phrase("dC/dw = {}", f"{name}.slope.{k}", float(p.grad[k]))]
        if k < p.steps:
            rows.append(self.phrase("next step η·|dC/dw| = {}", f"{name}.step.{k}", float(p.step_sizes[k])))
        group = VGroup()
        for i, row in enumerate(rows):
            row.move_to([PANEL_X, 0.35 - 0.5 * i, 0], aligned_edge=LEFT)
            group.add(row)
        return group

    def _slope_label(self, view: RockView, k: int) -> VGroup:
        value = float(view.path.grad[k])
        lab = self.phrase("slope {}", f"{view.path.name}.slope.{k}", value, SIZE.small, self.theme.backward)
        lab.move_to(self.label_spot(float(view.path.w[k]), float(view.path.cost[k]), value))
        return lab

    def _make_rock(self, path: RockPath, color: str) -> RockView:
        w0, c0, g0 = float(path.w[0]), float(path.cost[0]), float(path.grad[0])
        dot = Dot(self.to_screen(w0, c0), radius=0.13, color=color).set_stroke(self.theme.text, 1.5)
        tangent = Line(*self.tangent_ends(w0, c0, g0), color=self.theme.backward, stroke_width=4)
        view = RockView(path, color, dot, tangent, VGroup(), VGroup())
        view.slope_label = self._slope_label(view, 0)
        return view

    def _hop(self, view: RockView, k: int, readout: VGroup) -> None:
        """One descent step: the rock goes from w_k to w_{k+1} along the curve, tangent riding along."""
        p = view.path
        w_a, w_b = float(p.w[k]), float(p.w[k + 1])
        footprint = Dot(view.dot.get_center(), radius=0.07, color=view.color).set_stroke(self.theme.background, 1.5)
        view.prints.add(footprint)
        self.add(footprint)
        start_label = view.slope_label.get_center() - view.dot.get_center()

        def move(_: Dot, alpha: float) -> None:
            w = w_a + (w_b - w_a) * alpha
            c, g = self.curve_at(w)
            if alpha >= 1.0:
                c, g = float(p.cost[k + 1]), float(p.grad[k + 1])
            view.dot.move_to(self.to_screen(w, c))
            view.tangent.put_start_and_end_on(*self.tangent_ends(w, c, g))
            view.slope_label.move_to(view.dot.get_center() + start_label)

        self.play(UpdateFromAlphaFunc(view.dot, move), run_time=HOP_TIME, rate_func=smooth)
        self.wait(HOP_REST)
        new_label = self._slope_label(view, k + 1)
        view.slope_label.become(new_label)
        readout.become(self._readout(view, k + 1))

    def _roll(self, view: RockView, intro: str, first: str, rest: str, split: int) -> None:
        """Every hop of a rock: a caption for hops before ``split`` and one for the rest."""
        readout = self._readout(view, 0)
        self.say(intro, FadeIn(view.dot), Create(view.tangent), FadeIn(view.slope_label), FadeIn(readout))
        hop = HOP_TIME + HOP_REST
        self.add_subcaption(first, duration=split * hop - CUE_MARGIN)
        for k in range(split):
            self._hop(view, k, readout)
        self.add_subcaption(rest, duration=(view.path.steps - split) * hop + 1.0 - CUE_MARGIN)
        for k in range(split, view.path.steps):
            self._hop(view, k, readout)
        self.wait(1.0)
        self.play(FadeOut(readout), run_time=0.5)

    def roll_steep_rock(self) -> None:
        """Beat 3: a rock on the steep part takes big steps."""
        self.steep = self._make_rock(self.res.steep, self.theme.good)
        self._roll(self.steep,
                   "A rock on the steep part. The orange line is the slope dC/dw, from back propagation.",
                   "Big slope, so big steps: the rock races down.",
                   "Near the bottom the curve levels off: smaller slope, smaller steps.",
                   split=2)

    def roll_plateau_rock(self) -> None:
        """Beat 4: a rock on the plateau crawls, same eta and same number of steps."""
        self.plateau = self._make_rock(self.res.plateau, self.theme.warn)
        self._roll(self.plateau,
                   "Now a rock on the flat part, with the same eta. Its slope is nearly zero.",
                   "Tiny slope, so tiny steps.",
                   "Same number of steps as before, and the rock has hardly moved.",
                   split=2)

    def compare_distances(self) -> None:
        """Beat 5: how far each rock travelled in the same number of steps."""
        r, th = self.res, self.theme
        bars = VGroup()
        for view, dy in ((self.steep, 0.0), (self.plateau, 0.0)):
            y = PLOT_BOTTOM + 0.28 + dy
            a = self.to_screen(float(view.path.w[0]), 0.0)[0]
            b = self.to_screen(float(view.path.w[-1]), 0.0)[0]
            bar = Line([a, y, 0], [b, y, 0], color=view.color, stroke_width=7)
            ends = VGroup(*[Line([x, y - 0.12, 0], [x, y + 0.12, 0], color=view.color, stroke_width=3)
                            for x in (a, b)])
            bars.add(VGroup(bar, ends))
        rows = VGroup(self.phrase("after {} steps each, w moved:", "steps", r.steep.steps))
        for view in (self.steep, self.plateau):
            rows.add(self.phrase(f"{view.path.name} rock  {{}}", f"{view.path.name}.distance",
                                 view.path.distance, color=view.color))
        for i, row in enumerate(rows):
            row.move_to([PANEL_X, 0.35 - 0.5 * i, 0], aligned_edge=LEFT)
        ratio = self.phrase("{} times as far", "ratio", r.distance_ratio, size=SIZE.body)
        ratio.move_to([PANEL_X, -1.3, 0], aligned_edge=LEFT)
        moral = VGroup(self.text("big gradient: fast learning", SIZE.label, color=th.good),
                       self.text("small gradient: slow learning", SIZE.label, color=th.warn))
        moral.arrange(DOWN, aligned_edge=LEFT, buff=0.15).move_to([PANEL_X, -2.45, 0], aligned_edge=LEFT)

        self.say("Both rocks took the same number of steps with the same eta.",
                 Create(bars), FadeIn(rows), run_time=1.5)
        self.say("The one on the steep part went much, much farther.", FadeIn(ratio))
        self.say("Big gradient: fast learning. Small gradient: slow learning.", FadeIn(moral))

    def hold_key_picture(self) -> None:
        """Beat 6: hold the key picture, two rocks, same steps, very different distances."""
        self.pause(3.0, "A weight whose neuron sits on a flat stretch learns very, very slowly.")

