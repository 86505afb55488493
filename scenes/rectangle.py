"""Chapter 6: the shrinking rectangle.

A unit square is multiplied by 1/4, 1/3, 1/4 and shrinks to 1/48 (exact fractions). Then the
viewer's question "why are the gradients between 0 and 1?" is answered with netsim's numbers:
sigma'(z) peaks at sigma'(0) = 1/4, so with weights of ordinary size each back-prop factor
|w_{l+1} sigma'(z_l)| is below 1/4 and a real chain's gradient shrinks from the output
leftwards; with Nielsen's large weights (w = 100, every z = 0) every factor is 25 and the
gradient grows instead (exploding gradients, chapter 9).

Every number comes from :func:`netsim.experiments.factors.shrinking_factors`; the timing of
every beat is in :func:`timeline`, so a test can predict the clip's length and captions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Arrow,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    GrowFromEdge,
    Indicate,
    MathTex,
    Rectangle,
    ReplacementTransform,
    Square,
    Succession,
    SurroundingRectangle,
    Transform,
    Triangle,
    VGroup,
    Wait,
    Write,
)

from netsim.experiments.factors import FactorsResult, shrinking_factors
from scenes.common import LessonScene, current_lesson
from scenes.lesson import Lesson
from scenes.style import SIZE, fmt_value

LESSON = current_lesson()

log = logging.getLogger(__name__)

#: Neurons a row of bars holds legibly at 480p.
MAX_CHAIN = 6
#: Seconds of one back-prop step (one factor) in the chain beats.
STEP = 1.2

#: Seconds the key picture is held before the final fade, and the fade itself.
KEY_HOLD = 2.4
END_FADE = 0.8
#: Each caption ends this much before its beat does, so frame rounding never overlaps two cues.
CUE_MARGIN = 0.1

# Layout (scene units; the frame is 14.2 x 8). The chapter heading sits top left.
LEGEND_Y = 2.35
SQUARE_SIDE = 3.6
SQUARE_CENTER = np.array([-3.2, -0.4, 0.0])
EQ_X = 0.5
BAR_BASE_Y = -1.9
BAR_HEIGHT = 3.1
BAR_WIDTH = 0.75
MIN_BAR = 0.004
ROW_WIDTH = 11.4


@dataclass(frozen=True)
class Beat:
    """One storyboard beat: its caption, the run time of each play, and a hold (wait) after.

    An empty caption means an uncaptioned beat (only the chapter's final fade)."""

    name: str
    caption: str
    steps: tuple[float, ...]
    hold: float

    @property
    def duration(self) -> float:
        """Seconds the beat lasts on screen."""
        return sum(self.steps) + self.hold


def chain_layers(lesson: Lesson) -> int:
    """Neurons L of the chain: the lesson's hidden layers plus the output, at most MAX_CHAIN."""
    return min(lesson.depth + 1, MAX_CHAIN)


def experiment(lesson: Lesson) -> FactorsResult:
    """The numbers this scene shows for ``lesson`` (its seed draws the chain's weights)."""
    return shrinking_factors(seed=lesson.seed, layers=chain_layers(lesson))


def frac_text(f: Fraction) -> str:
    """A fraction as plain text for captions: 1/4, 1."""
    return str(f)


def frac_tex(f: Fraction) -> str:
    r"""A fraction as LaTeX: \frac{1}{4}, or an integer."""
    if f.denominator == 1:
        return str(f.numerator)
    return rf"\frac{{{f.numerator}}}{{{f.denominator}}}"


def timeline(result: FactorsResult) -> tuple[Beat, ...]:
    """Every beat of the clip in order, with captions built from ``result``."""
    peak = frac_text(result.peak_fraction)
    n = len(result.factors)
    w_big = fmt_value(result.large_weight)
    beats = [Beat("square", f"Start with a square. Its area is {frac_text(result.areas[0])}.", (1.6,), 1.4)]
    for k, (m, a) in enumerate(zip(result.multipliers, result.areas[1:]), start=1):
        beats.append(Beat(f"cut{k}", f"Multiply by {frac_text(m)}: only {frac_text(a)} of the square is left.",
                          (1.0, 1.2), 1.4))
    beats += [
        Beat("moral", "Each factor between 0 and 1 shrinks the product. More factors, smaller product.",
             (1.0,), 2.6),
        Beat("question", "A viewer asked: why are the gradients between 0 and 1 in the first place?",
             (1.4,), 2.0),
        Beat("slope", "Back prop multiplies by the sigmoid's slope, sigma'(z), once in every layer.",
             (2.4,), 1.2),
        Beat("peak", f"The slope is highest at z = 0, and even there it is only {peak}.", (1.4,), 2.2),
        Beat("bound", f"Most starting weights are smaller than 1, so each layer's factor |w sigma'(z)| "
                      f"stays below {peak}.", (1.6,), 2.4),
        Beat("chain", f"Here is a real chain of {result.layers} neurons, one per layer, "
                      "with random weights of ordinary size.", (2.0,), 1.0),
        Beat("backprop", "Back prop starts at the output and moves left. "
                         "Each layer multiplies the gradient by its factor.", (STEP,) * n, 1.2),
        Beat("vanished", f"By layer {result.factor_layers[-1]}, only {fmt_value(result.running[-1])} "
                         "of the output's gradient is left.", (1.2,), 2.4),
        Beat("large", f"But not always: with weights of {w_big}, and biases chosen so every z = 0, "
                      f"each factor is {w_big} times {peak}.", (0.8, 1.2) + (STEP,) * n, 1.2),
        Beat("explode", "Factors above 1 make the product grow: the gradient explodes. "
                        "More on that in chapter 9.", (1.2,), 2.8),
        Beat("key", "One number per layer, multiplied together: below 1 it shrinks, above 1 it grows.",
             (KEY_HOLD,), 0.0),
        Beat("end", "", (END_FADE,), 0.0),  # end_chapter's fade to the empty background
    ]
    return tuple(beats)


class ShrinkingRectangle(LessonScene):
    """Chapter 6: the shrinking rectangle, sigma' <= 1/4, and a real chain's factors."""

    #: Tests set this to stop before the final fade, on the chapter's key picture.
    skip_end = False

    @classmethod
    def expected_duration(cls, lesson: Lesson | None = None) -> float:
        """Seconds the clip lasts: the sum of every play's run time and every wait."""
        return sum(b.duration for b in timeline(experiment(lesson or current_lesson())))

    def construct(self) -> None:
        self.result = experiment(self.lesson)
        log.debug("chain factors %s, running %s", self.result.factors, self.result.running)
        self.beats = {b.name: b for b in timeline(self.result)}
        self.captions: list[str] = []
        self.show_unit_square()
        for k in range(1, len(self.result.multipliers) + 1):
            self.multiply_square(k)
        self.more_factors_smaller_product()
        self.ask_the_viewers_question()
        self.plot_sigma_prime()
        self.mark_the_peak()
        self.bound_each_factor()
        self.set_up_the_chain()
        self.back_prop_shrinks_the_bar()
        self.show_what_is_left()
        self.large_weights_grow_the_bar()
        self.point_to_exploding_gradients()
        self.hold_key_picture()
        if not self.skip_end:
            self.end_chapter(run_time=self.beats["end"].duration)  # uncaptioned: the fade is short

    # -- helpers ---------------------------------------------------------------------------

    def _beat(self, name: str, *steps: Callable[[], Sequence[Animation]]) -> None:
        """Play one beat: its steps with their run times, captioned once, then its hold.

        Each caption lasts exactly its beat (less a hair), so cues never overlap."""
        beat = self.beats[name]
        if len(steps) != len(beat.steps):
            raise ValueError(f"beat {name} has {len(beat.steps)} steps, {len(steps)} were given")
        for i, (make, run_time) in enumerate(zip(steps, beat.steps)):
            caption: dict[str, Any] = {}
            if i == 0 and beat.caption:
                caption = {"subcaption": beat.caption, "subcaption_duration": beat.duration - CUE_MARGIN}
            self.play(*make(), run_time=run_time, **caption)
        if beat.hold:
            self.wait(beat.hold)
        if beat.caption:
            self.captions.append(beat.caption)

    def _tex(self, key: str | None, *tex: str, value: Any = None, size: int = SIZE.body,
             color: str | None = None) -> MathTex:
        """A MathTex of the parts ``tex``; with a ``key``, ``value`` is recorded in ``shown[key]``."""
        if key is not None:
            self.shown[key] = value
        return MathTex(*tex, font_size=size * 1.5, color=color or self.theme.text)

    def _rect(self, x0: float, y1: float, w: float, h: float) -> Rectangle:
        """The kept piece: its top-left corner at (x0, y1), width w, height h."""
        r = Rectangle(width=w, height=h, stroke_width=0, fill_color=self.theme.backward, fill_opacity=0.9)
        return r.move_to([x0 + w / 2, y1 - h / 2, 0])

    # -- part 1: the rectangle -------------------------------------------------------------

    def show_unit_square(self) -> None:
        """A square of area 1, drawn in outline; the part that remains is filled."""
        t = self.theme
        self.heading = self.chapter_heading("The shrinking rectangle", "numbers between 0 and 1, multiplied")
        self.outline = Square(side_length=SQUARE_SIDE, stroke_color=t.text, stroke_width=3,
                              fill_color=t.muted, fill_opacity=0.15).move_to(SQUARE_CENTER)
        corner = self.outline.get_corner(UP + LEFT)
        self.piece = (float(corner[0]), float(corner[1]), SQUARE_SIDE, SQUARE_SIDE)
        self.kept = self._rect(*self.piece)
        area = self.result.areas[0]
        self.area_label = self._tex("area_0", frac_tex(area), value=area, size=SIZE.heading,
                                     color=self.theme.background).move_to(SQUARE_CENTER)
        self.equations = VGroup()
        self._beat("square", lambda: [FadeIn(self.heading), Create(self.outline), FadeIn(self.kept),
                                      Write(self.area_label)])

    def multiply_square(self, k: int) -> None:
        """Multiply by the k-th factor: cut the remaining piece and keep that fraction of it."""
        m, before, after = self.result.multipliers[k - 1], self.result.areas[k - 1], self.result.areas[k]
        x0, y1, w, h = self.piece
        cuts = VGroup()
        vertical = k % 2 == 1
        for i in range(1, m.denominator):
            if vertical:
                x = x0 + w * i / m.denominator
                cuts.add(DashedLine([x, y1, 0], [x, y1 - h, 0], color=self.theme.text, stroke_width=3))
            else:
                y = y1 - h * i / m.denominator
                cuts.add(DashedLine([x0, y, 0], [x0 + w, y, 0], color=self.theme.text, stroke_width=3))
        self.piece = (x0, y1, w * float(m), h) if vertical else (x0, y1, w, h * float(m))
        new_kept = self._rect(*self.piece)
        self.shown[f"multiplier_{k}"] = m
        eq = self._tex(f"area_{k}", frac_tex(before), r"\times", frac_tex(m), "=", frac_tex(after), value=after)
        eq[-1].set_color(self.theme.backward)
        eq.move_to([0, 0, 0]).align_to([EQ_X, 0, 0], LEFT)
        if self.equations:
            eq.next_to(self.equations[-1], DOWN, buff=0.45).align_to(self.equations[-1], LEFT)
        else:
            eq.align_to(self.outline, UP)
        self.equations.add(eq)
        extra: list[Animation] = [FadeOut(self.area_label)] if k == 1 else []
        self._beat(
            f"cut{k}",
            lambda: [Create(cuts), *extra],
            lambda: [Transform(self.kept, new_kept), FadeOut(cuts), Write(eq)],
        )

    def more_factors_smaller_product(self) -> None:
        """The moral: every factor between 0 and 1 makes the product smaller."""
        self.moral = self.text("more factors between 0 and 1\n= a smaller product", SIZE.body,
                               color=self.theme.warn, line_spacing=0.8)
        self.moral.next_to(self.equations, DOWN, buff=0.6).align_to(self.equations, LEFT)
        self._beat("moral", lambda: [FadeIn(self.moral, shift=UP * 0.2)])

    # -- part 2: sigma' ---------------------------------------------------------------------

    def ask_the_viewers_question(self) -> None:
        """Swap the rectangle for the viewer's question, which stays under the heading."""
        subtitle = self.heading[1]
        self.question = self.text("“Why are the gradients between 0 and 1?”", SIZE.body)
        self.question.next_to(self.heading[0], DOWN, aligned_edge=LEFT, buff=0.18)
        part1 = VGroup(self.outline, self.kept, self.equations, self.moral)
        self._beat("question", lambda: [FadeOut(part1), ReplacementTransform(subtitle, self.question)])

    def plot_sigma_prime(self) -> None:
        """Axes and the curve sigma'(z), drawn from netsim's samples."""
        t, r = self.theme, self.result
        z_max = max(abs(v) for v in r.z)
        top = 1.2 * r.peak
        self.axes = Axes(x_range=[-z_max, z_max, z_max / 3], y_range=[0, top, top / 6],
                         x_length=6.6, y_length=3.8, tips=False,
                         axis_config={"color": t.muted, "stroke_width": 2})
        self.axes.move_to([-2.9, -0.6, 0])
        self.curve = self.axes.plot_line_graph(list(r.z), list(r.sigma_prime), add_vertex_dots=False,
                                               line_color=t.forward, stroke_width=5)
        self.shown["sigma_prime_curve"] = list(r.sigma_prime)
        z_label = MathTex("z", font_size=SIZE.body * 1.5, color=t.text)
        z_label.next_to(self.axes.x_axis.get_right(), RIGHT, buff=0.2)
        y_label = MathTex(r"\sigma'(z)", font_size=SIZE.body * 1.5, color=t.forward)
        y_label.next_to(self.axes.c2p(-0.45 * z_max, 0.45 * r.peak), UP + LEFT, buff=0.1)
        self.axis_labels = VGroup(z_label, y_label)
        self._beat("slope", lambda: [Create(self.axes), Create(self.curve), FadeIn(self.axis_labels)])

    def mark_the_peak(self) -> None:
        """Mark sigma'(0) = 1/4, the highest point of the curve."""
        t, r = self.theme, self.result
        p = self.axes.c2p(r.peak_z, r.peak)
        dot = Dot(p, radius=0.09, color=t.warn)
        level = DashedLine(self.axes.c2p(-max(r.z), r.peak), self.axes.c2p(max(r.z), r.peak),
                           color=t.warn, stroke_width=2)
        label = self._tex("peak", rf"\sigma'({fmt_value(r.peak_z)}) = {frac_tex(r.peak_fraction)}",
                          value=r.peak_fraction, size=SIZE.body, color=t.warn)
        self.shown["peak_z"] = r.peak_z
        label.next_to(dot, UP, buff=0.15).shift(RIGHT * 1.2)
        zero = self._tex(None, fmt_value(r.peak_z), size=SIZE.label, color=t.muted)
        zero.next_to(self.axes.c2p(r.peak_z, 0), DOWN, buff=0.15)
        self.peak_marks = VGroup(level, dot, label, zero)
        self.fact = self._tex("bound_peak", rf"\sigma'(z) \le {frac_tex(r.peak_fraction)}",
                              value=r.peak_fraction, size=SIZE.heading, color=t.text)
        self.fact.move_to([3.9, 1.5, 0])
        self._beat("peak", lambda: [Create(level), FadeIn(dot, scale=2), Write(label), FadeIn(zero),
                                    Write(self.fact)])

    def bound_each_factor(self) -> None:
        """With |w| < 1, each layer's factor |w sigma'(z)| is below 1/4: the gradient divides by 4+."""
        t, r = self.theme, self.result
        heading = self.text("ordinary weights: |w| < 1", SIZE.label, color=t.muted)
        bound = self._tex("bound_factor", rf"|w\,\sigma'(z)| < {frac_tex(r.peak_fraction)}",
                          value=r.peak_fraction, size=SIZE.heading, color=t.backward)
        divisor = 1 / r.peak_fraction
        self.shown["divide_by"] = divisor
        words = self.text(f"each layer divides the\ngradient by {divisor} or more", SIZE.label,
                          line_spacing=0.8)
        group = VGroup(heading, bound, words).arrange(DOWN, buff=0.35)
        group.next_to(self.fact, DOWN, buff=0.55)
        self.bound_group = group
        self._beat("bound", lambda: [FadeIn(group, shift=UP * 0.2)])

    # -- part 3: a real chain -----------------------------------------------------------------

    def _column_x(self, layer: int) -> float:
        """x of layer l's column (layer 1 at the left, the output layer L at the right)."""
        L = self.result.layers
        spacing = min(2.5, ROW_WIDTH / (L - 1))
        return (layer - 1 - (L - 1) / 2) * spacing

    def _bar(self, layer: int, height: float, color: str) -> Rectangle:
        """A filled bar of the given height standing on the baseline of layer l's column."""
        h = min(max(height, MIN_BAR), BAR_HEIGHT)
        bar = Rectangle(width=BAR_WIDTH, height=h, stroke_width=0, fill_color=color, fill_opacity=0.95)
        return bar.move_to([self._column_x(layer), BAR_BASE_Y + h / 2, 0])

    def _value(self, key: str, layer: int, value: float, color: str | None = None) -> Any:
        """The running product above layer l's column."""
        v = self.number(key, value, SIZE.label)
        if color:
            v.set_color(color)
        return v.move_to([self._column_x(layer), BAR_BASE_Y + BAR_HEIGHT + 0.55, 0])

    def set_up_the_chain(self) -> None:
        """Empty columns for layers 1..L; the output's bar is full: its gradient is the unit."""
        t, r = self.theme, self.result
        L = r.layers
        part2 = VGroup(self.axes, self.curve, self.axis_labels, self.peak_marks, self.fact, self.bound_group)
        self.columns = VGroup()
        for layer in range(1, L + 1):
            outline = Rectangle(width=BAR_WIDTH, height=BAR_HEIGHT, stroke_color=t.muted, stroke_width=2)
            outline.move_to([self._column_x(layer), BAR_BASE_Y + BAR_HEIGHT / 2, 0])
            name = self.text(f"layer {layer}" if layer < L else "output", SIZE.small, color=t.muted)
            name.next_to(outline, DOWN, buff=0.2)
            self.columns.add(VGroup(outline, name))
        self.legend = self.text("bar: the gradient at each layer, as a share of the output's", SIZE.small,
                                color=t.muted).move_to([0, LEGEND_Y, 0])
        self.bars = {L: self._bar(L, BAR_HEIGHT, t.backward)}
        self.values = {L: self._value("chain_output", L, 1.0)}
        self.arrows = VGroup()
        self._beat("chain", lambda: [FadeOut(part2), FadeIn(self.columns), FadeIn(self.legend),
                                     GrowFromEdge(self.bars[L], DOWN), FadeIn(self.values[L])])

    def _step(self, k: int, factors: Sequence[float], running: Sequence[float], prefix: str,
              scale: float, color: str) -> list[Animation]:
        """Back-prop step k: from layer l+1 to layer l, multiply by factor k; grow layer l's bar."""
        layer = self.result.factor_layers[k]
        x_from, x_to = self._column_x(layer + 1), self._column_x(layer)
        y = BAR_BASE_Y + BAR_HEIGHT * 0.45
        arrow = Arrow([x_from - BAR_WIDTH / 2, y, 0], [x_to + BAR_WIDTH / 2, y, 0], buff=0.08,
                      color=self.theme.backward, stroke_width=4, max_tip_length_to_length_ratio=0.18)
        self.shown[f"{prefix}factor_{k}"] = float(factors[k])
        label = self.text("×" + fmt_value(factors[k]), SIZE.small, color=color).next_to(arrow, UP, buff=0.1)
        self.arrows.add(VGroup(arrow, label))
        self.bars[layer] = self._bar(layer, BAR_HEIGHT * running[k] * scale, color)
        self.values[layer] = self._value(f"{prefix}running_{k}", layer, running[k],
                                         color if color != self.theme.backward else None)
        anims: list[Animation] = [GrowArrow(arrow), FadeIn(label), GrowFromEdge(self.bars[layer], DOWN),
                                  FadeIn(self.values[layer])]
        if running[k] * scale > 1:
            cap = Triangle(color=color, fill_opacity=1, stroke_width=0).scale(0.12)
            cap.next_to(self.bars[layer], UP, buff=0.06)
            self.caps.add(cap)
            anims.append(FadeIn(cap, shift=UP * 0.1))
        return anims

    def back_prop_shrinks_the_bar(self) -> None:
        """Walk right to left: each factor |w sigma'(z)| shrinks the running product."""
        r = self.result
        self.caps = VGroup()
        steps = [
            (lambda k=k: self._step(k, r.factors, r.running, "", 1.0, self.theme.backward))
            for k in range(len(r.factors))
        ]
        self._beat("backprop", *steps)

    def show_what_is_left(self) -> None:
        """Point at layer 1: almost nothing of the gradient reaches it."""
        t, r = self.theme, self.result
        first = r.factor_layers[-1]
        box = SurroundingRectangle(self.values[first], color=t.warn, buff=0.1)
        words = self.text(f"layer {first} gets", SIZE.body)
        value = self.number("vanished", r.running[-1], SIZE.body).set_color(t.warn)
        tail = self.text("of the output's gradient", SIZE.body)
        self.summary = VGroup(words, value, tail).arrange(RIGHT, buff=0.2).move_to([0, -3.3, 0])
        self.box = box
        self._beat("vanished", lambda: [Create(box), FadeIn(self.summary), Indicate(self.values[first],
                                                                                     color=t.warn)])

    def large_weights_grow_the_bar(self) -> None:
        """Nielsen's large weights: every w = 100 and z = 0, so every factor is 25 > 1."""
        t, r = self.theme, self.result
        L = r.layers
        scale = 1.0 / r.large_running[0]
        old = VGroup(self.box, self.summary, self.arrows, self.caps,
                     *[self.bars[layer] for layer in range(1, L)],
                     *[self.values[layer] for layer in range(1, L)])
        self.shown["large_weight"] = r.large_weight
        self.shown["large_peak"] = r.peak_fraction
        self.shown["large_factor"] = r.large_factors[0]
        note = self._tex(None, rf"w = {fmt_value(r.large_weight)},\ z = {fmt_value(r.large_zs[0])}:\quad "
                               rf"|w\,\sigma'(z)| = {fmt_value(r.large_weight)} \cdot "
                               rf"{frac_tex(r.peak_fraction)} = {fmt_value(r.large_factors[0])}",
                         size=SIZE.body, color=t.overflow)
        note.move_to([0, -3.15, 0])
        self.note = note
        self.arrows = VGroup()
        self.caps = VGroup()
        new_out = self._bar(L, BAR_HEIGHT * scale, t.overflow)
        out = self.bars[L]
        steps: list[Callable[[], Sequence[Animation]]] = [
            lambda: [FadeOut(old), Transform(out, new_out)],
            lambda: [Write(note)],
        ]
        steps += [
            (lambda k=k: self._step(k, r.large_factors, r.large_running, "large_", scale, t.overflow))
            for k in range(len(r.large_factors))
        ]
        self._beat("large", *steps)

    def point_to_exploding_gradients(self) -> None:
        """Factors above 1: the product grows. A pointer to chapter 9."""
        t = self.theme
        words = self.text("factors above 1: the gradient explodes (chapter 9)", SIZE.body, color=t.overflow)
        words.move_to(self.note)
        self._beat("explode", lambda: [Succession(FadeOut(self.note), FadeIn(words)),
                                       *[Indicate(cap, color=t.warn) for cap in self.caps]])

    def hold_key_picture(self) -> None:
        """Hold the chapter's key picture: a chain of factors, its product grown past 1."""
        self._beat("key", lambda: [Wait()])


__all__ = ["ShrinkingRectangle", "Beat", "timeline", "experiment", "chain_layers", "LESSON"]
