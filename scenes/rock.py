"""Chapter 4, "The rock on the slope": the vanishing gradient, seen as a slope.

Every number comes from :func:`netsim.experiments.rock.rock_on_slope`: two slices of chapter
2's quadratic cost C on one digit, in the lesson's deep net, through the same starting net:
C along one weight of layer 1 and along one weight of the last layer L (in each layer the
weight with the largest |dC/dw|, which favours layer 1), every other weight fixed. The two
panels share their scales. On each slice a rock takes the same number of steps
w <- w - eta dC/dw with the lesson's learning rate eta, dC/dw from netsim's backward pass.
In the default (sigmoid) lesson the last-layer rock races and the layer-1 rock barely moves;
the captions follow what was measured, so they stay true for any lesson (ReLU + He too).

Render: ``.venv/bin/manim -ql scenes/rock.py RockOnSlope``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Group,
    Indicate,
    Line,
    Text,
    Transform,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    linear,
    smooth,
)

from netsim.activations import sigmoid
from netsim.experiments.rock import RockResult, SliceRock, rock_on_slope
from netsim.format import fmt_value
from scenes.chapters import number_of
from scenes.common import LessonScene
from scenes.lesson import Lesson
from scenes.netdiagram import NetDiagram, elided_indices
from scenes.style import SIZE

#: Chapter 2's digit: the same image, the same cost.
SAMPLE = 0
#: Below this distance ratio (last layer / layer 1) the captions say both rocks move.
VANISHING_RATIO = 10.0
#: The first-layer panel is stretched vertically only when its slope is this much gentler.
MIN_STRETCH = 10.0
# Layout (scene units; the frame is 14.2 x 8). Two panels side by side, the same scales.
PANEL_XS = ((-5.45, -0.8), (1.3, 5.95))
PANEL_BOTTOM, PANEL_TOP = -2.4, 0.4
DIAGRAM_Y = 1.45
TOP_ROW_Y = 1.95
TANGENT_LENGTH = 1.4
SLOW_HOPS = 3
SLOW_HOP, FAST_HOP = 0.8, 0.4


def rock_for(lesson: Lesson) -> RockResult:
    """The experiment this scene shows, for a lesson."""
    return rock_on_slope(tuple(lesson.sizes), lesson.activation, lesson.init, lesson.bias_init,
                         lesson.seed, sample=SAMPLE, eta=lesson.learning_rate)


def e_note(value: float) -> tuple[str, str, int, str] | None:
    """(shown, mantissa, exponent, decimal) for a value the screen writes in e-notation, else None.

    2.34e-04 gives ("2.34e-04", "2.34", -4, "0.000234"); every part comes from the shown text.
    """
    shown = fmt_value(abs(value))
    if "e" not in shown or shown.endswith("flow"):
        return None
    mantissa, exp = shown.split("e")
    exponent = int(exp)
    places = max(-exponent + len(mantissa.split(".")[1]) if "." in mantissa else -exponent, 0)
    return shown, mantissa, exponent, f"{float(shown):.{places}f}"


def nice_below(x: float) -> float:
    """The largest 1, 2 or 5 times a power of ten that is at most x > 0 (a round tick)."""
    exponent = math.floor(math.log10(x))
    return max(m * 10.0**exponent for m in (1.0, 2.0, 5.0) if m * 10.0**exponent <= x * (1 + 1e-12))


def tick_text(value: float) -> str:
    """A round tick (1, 2 or 5 times a power of ten, or 0) as short text: 0.02, -5e-05."""
    shown = fmt_value(value)
    if "e" in shown:
        mantissa, exp = shown.split("e")
        shown = f"{float(mantissa):g}e{exp}"
    return shown


def superscript(n: int) -> str:
    """n in Unicode superscript digits: -4 gives ⁻⁴."""
    return str(n).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


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
    readout: VGroup | None = None
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
        d *= TANGENT_LENGTH / 2 / np.linalg.norm(d)
        p = self.point(w, c)
        return p - d, p + d


class RockOnSlope(LessonScene):
    """Two rocks, the same eta and steps: on a last-layer slice it races, on a layer-1 slice it crawls."""

    #: Tests set this to stop before the final fade, on the chapter's key picture.
    skip_end = False

    def construct(self) -> None:
        self.res = rock_for(self.lesson)
        self.vanishing = self.res.distance_ratio >= VANISHING_RATIO
        self.intro()
        self.pick_weights()
        self.draw_slices()
        self.place_rocks()
        self.roll()
        self.compare()
        self.stretch_flat_panel()
        self.moral()
        if not self.skip_end:
            self.end_chapter()

    def phrase(self, template: str, key: str, value: float, size: int = SIZE.small,
               color: str | None = None) -> Text:
        """One line of text around one recorded number: ``template.format(number)``."""
        shown = self.number(key, value, size=size).text
        return self.text(template.format(shown), size, color=color)

    def tick_label(self, key: str, value: float) -> Text:
        """A round tick value (recorded): as on-screen numbers, but 5e-05 rather than 5.00e-05."""
        self.shown[key] = float(value)
        return self.text(tick_text(value), SIZE.small, color=self.theme.muted)

    # ---------- beats ----------
    def intro(self) -> None:
        """The heading, and the lesson's deep net with its two chosen weights."""
        r, th = self.res, self.theme
        self.header = self.chapter_heading(
            "The rock on the slope",
            f"Chapter {number_of('cost')}'s quadratic cost C of one digit image, in the lesson's deep net")
        self.say("Think of the cost C as a landscape, and of training as a rock rolling down it.",
                 FadeIn(self.header), run_time=1.2)

        first, last = r.first, r.last
        shown = []
        for l, n in enumerate(r.sizes):
            need = set(elided_indices(n, 4))
            need |= {first.k} if l == 0 else set()
            need |= {first.j} if l == 1 else set()
            need |= {last.k} if l == r.depth - 1 else set()
            need |= {last.j} if l == r.depth else set()
            shown.append(sorted(need))
        self.diagram = NetDiagram(r.sizes, th, shown=shown, width=7.0, height=1.0, radius=0.07,
                                  edge_width=0.6)
        self.diagram.move_to([0, DIAGRAM_Y, 0])
        hidden = self.inline("hidden_layers", r.depth - 1)
        width = self.inline("width", r.sizes[1])
        self.say(f"The lesson's deep net: {hidden} hidden layers of {width} neurons, "
                 "between the 64 pixels and the 10 outputs.", FadeIn(self.diagram), run_time=1.2)

    def pick_weights(self) -> None:
        """Highlight one weight of layer 1 and one of layer L, and say the rule that chose them."""
        r, th = self.res, self.theme
        d = self.diagram
        self.colors = {"first": th.warn, "last": th.good}
        e1, e2 = d.edge(1, r.first.j, r.first.k), d.edge(r.depth, r.last.j, r.last.k)
        tags = VGroup()
        for edge, layer, color in ((e1, 1, th.warn), (e2, r.depth, th.good)):
            tag = self.text(f"a weight of layer {layer}", SIZE.small, color=color)
            tag.next_to(d, DOWN, buff=0.1).set_x(edge.get_center()[0])
            tags.add(tag)
        self.weight_tags = tags
        last_layer = self.inline("last_layer", r.depth)
        with self.beat(f"Pick one weight in layer 1 and one in the last layer, layer {last_layer}."):
            self.play(e1.animate.set_stroke(th.warn, width=6), e2.animate.set_stroke(th.good, width=6),
                      FadeIn(tags), run_time=1.2)
        rule = self.text("rule: in each layer, the weight with the largest |dC/dw| (this favours layer 1)", SIZE.small,
                         color=th.muted)
        rule.next_to(self.header, DOWN, aligned_edge=LEFT, buff=0.1)
        self.rule_note = rule
        self.say("In each layer, we pick the weight with the largest gradient |dC/dw|.", FadeIn(rule))
        self.say("That is the best weight layer 1 has, so the comparison favours layer 1.")

    def _panel(self, name: str, rock: SliceRock, xs: tuple[float, float], c_half: float) -> Panel:
        return Panel(name, rock, self.colors[name], xs[0], xs[1], self.res.cost0, c_half, self.res.half_width)

    def _axes(self, p: Panel, key: str) -> VGroup:
        """Axes of a panel: the changes Δw and ΔC from the start, with round ticks (recorded)."""
        th = self.theme
        left, right = p.x0 - 0.05, p.x1 + 0.05
        x_axis = Line([left, PANEL_BOTTOM, 0], [right, PANEL_BOTTOM, 0], color=th.muted, stroke_width=2)
        y_axis = Line([left, PANEL_BOTTOM, 0], [left, PANEL_TOP + 0.1, 0], color=th.muted, stroke_width=2)
        w_lab = self.tex(r"\Delta w", SIZE.label, color=th.muted).next_to(x_axis, RIGHT, buff=0.08)
        c_lab = self.tex(r"\Delta C", SIZE.label, color=th.muted).next_to(y_axis, UP, buff=0.08)
        group = VGroup(x_axis, y_axis, w_lab, c_lab, self._c_ticks(p, key))
        w0, tick = float(p.rock.w[0]), nice_below(0.9 * p.half_width)
        for sign in (-1, 0, 1):
            x = p.point(w0 + sign * tick, p.c_mid)[0]
            mark = Line([x, PANEL_BOTTOM - 0.08, 0], [x, PANEL_BOTTOM + 0.08, 0], color=th.muted, stroke_width=2)
            text = self.tick_label(f"{key}.w_tick.{sign}", sign * tick).next_to(mark, DOWN, buff=0.06)
            group.add(mark, text)
        return group

    def _c_ticks(self, p: Panel, key: str) -> VGroup:
        """Round ticks -t, 0, +t of ΔC = C - C(start) on a panel's C axis (recorded under ``key``)."""
        th = self.theme
        ticks = VGroup()
        tick = nice_below(0.9 * p.c_half)
        for sign in (-1, 0, 1):
            y = p.point(float(p.rock.w[0]), p.c_mid + sign * tick)[1]
            mark = Line([p.x0 - 0.13, y, 0], [p.x0 + 0.03, y, 0], color=th.muted, stroke_width=2)
            text = self.tick_label(f"{key}.c_tick.{sign}", sign * tick).next_to(mark, LEFT, buff=0.05)
            ticks.add(VGroup(mark, text))
        return ticks

    def _curve(self, p: Panel) -> VMobject:
        pts = [p.point(float(w), float(c)) for w, c in zip(p.rock.curve_w, p.rock.curve_cost)]
        return VMobject(color=self.theme.text, stroke_width=4).set_points_smoothly(pts)

    def draw_slices(self) -> None:
        """The two slices, drawn to the same scales."""
        r = self.res
        devs = np.concatenate([r.first.curve_cost - r.cost0, r.last.curve_cost - r.cost0])
        c_half = 1.2 * float(np.abs(devs).max())
        self.panels = (self._panel("first", r.first, PANEL_XS[0], c_half),
                       self._panel("last", r.last, PANEL_XS[1], c_half))
        titles, axes, curves = VGroup(), VGroup(), VGroup()
        for p in self.panels:
            layer = 1 if p.name == "first" else r.depth
            title = self.text(f"w: a weight of layer {layer}", SIZE.label, color=p.color)
            title.move_to([p.x0 + 0.5, PANEL_TOP + 0.55, 0], aligned_edge=LEFT)
            titles.add(title)
            axes.add(self._axes(p, p.name))
            p.curve = self._curve(p)
            curves.add(p.curve)
        self.panel_titles, self.panel_axes = titles, axes
        with self.beat("Change one of the two, keep every other weight fixed, and C traces a curve: "
                       "a slice of the landscape."):
            self.play(FadeOut(self.weight_tags), FadeOut(self.diagram), FadeIn(titles), Create(axes), run_time=1.2)
            self.play(Create(curves), run_time=1.8)
        self.say("Both go through the same starting net. Δw and ΔC are the changes from there, "
                 "on the same scales in both panels.")
        if self.vanishing:
            self.say(f"The layer-{r.depth} slice slopes. The layer-1 slice looks flat.")
        else:
            self.say("Both slices visibly slope.")

    def _readout(self, p: Panel, i: int) -> VGroup:
        """Below a panel: the slope at the rock after i steps, and how far it has moved."""
        rock = p.rock
        rows = VGroup(self.phrase("slope dC/dw = {}", f"{p.name}.slope.{i}", float(rock.grad[i])),
                      self.phrase("w moved {}", f"{p.name}.moved.{i}", float(rock.moved[i])))
        rows.arrange(RIGHT, buff=0.45)
        rows.move_to([(p.x0 + p.x1) / 2, PANEL_BOTTOM - 0.68, 0])
        return rows

    def place_rocks(self) -> None:
        """The rule w <- w - eta dC/dw, and a rock at the start of each slice with its slope."""
        r, th = self.res, self.theme
        rule = self.tex(r"w \leftarrow w - \eta\,\frac{dC}{dw}", SIZE.body)
        eta = self.phrase("η = {}, the same for both rocks", "eta", r.eta, size=SIZE.small)
        self.rule = VGroup(rule, eta).arrange(RIGHT, buff=0.4)
        self.rule.move_to([0, TOP_ROW_Y, 0])
        self.say("A rock on each slice is gradient descent, with the lesson's learning rate η, the same for both.",
                 FadeIn(self.rule), run_time=1.2)
        anims = []
        for p in self.panels:
            w0, c0, g0 = float(p.rock.w[0]), float(p.rock.cost[0]), float(p.rock.grad[0])
            p.dot = Dot(p.point(w0, c0), radius=0.12, color=p.color).set_stroke(th.text, 1.5)
            p.tangent = Line(*p.tangent_ends(w0, c0, g0), color=th.backward, stroke_width=4)
            p.readout = self._readout(p, 0)
            p.prints = VGroup()
            anims += [FadeIn(p.dot), Create(p.tangent), FadeIn(p.readout)]
        self.add(*[p.prints for p in self.panels])
        self.say("Each rock starts where the net starts. The orange line is the slope dC/dw there, from back prop.",
                 *anims, run_time=1.2)
        self.e_notation()

    def e_notation(self) -> None:
        """Explain e-notation with the first readout value written in it (if any)."""
        for p in self.panels:
            for values in (p.rock.grad, p.rock.moved):
                for v in values:
                    note = e_note(float(v))
                    if note is None:
                        continue
                    shown, mantissa, exponent, decimal = note
                    text = self.text(f"{shown} = {mantissa} × 10{superscript(exponent)} = {decimal}", SIZE.small,
                                     color=self.theme.muted)
                    text.move_to([p.x0 + 0.25, PANEL_BOTTOM + 0.35, 0], aligned_edge=LEFT)
                    self.shown["e_note"] = abs(float(v))
                    with self.beat(f"{shown} is e-notation: {mantissa} times 10 to the power {exponent}, "
                                   f"that is {decimal}."):
                        self.play(FadeIn(text), run_time=0.8)
                    self.e_text = text
                    return
        self.e_text = None

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
        for p in self.panels:
            p.readout.become(self._readout(p, i + 1))

    def roll(self) -> None:
        """Both rocks take the same steps with the same eta."""
        r = self.res
        steps = self.inline("steps", r.steps)
        first = (f"Now both take {steps} steps of w ← w − η dC/dw. "
                 + (f"The layer-{r.depth} rock races down." if self.vanishing else "Both rocks move."))
        with self.beat(first):
            for i in range(min(SLOW_HOPS, r.steps)):
                self._hop(i, SLOW_HOP)
        rest = ("The layer-1 rock barely moves: its slope is tiny." if self.vanishing
                else "Here the layer-1 rock moves too: its slope is not tiny.")
        with self.beat(rest, hold=0.6):
            for i in range(SLOW_HOPS, r.steps):
                self._hop(i, FAST_HOP)

    def compare(self) -> None:
        """The distances travelled and their ratio."""
        r = self.res
        line = self.phrase(f"distance moved in {r.steps} steps: layer {r.depth} ÷ layer 1 = {{}}", "ratio",
                           r.distance_ratio, size=SIZE.label)
        line.move_to([0, TOP_ROW_Y, 0])
        if line.width > 13.4:
            line.scale_to_fit_width(13.4)
        self.ratio_line = line
        ratio = self.inline("ratio_caption", r.distance_ratio)
        self.say(f"After {r.steps} steps, the layer-{r.depth} weight has moved {ratio} times as far "
                 "as the layer-1 weight.", FadeOut(self.rule), FadeIn(line), run_time=1.2)

    def stretch_flat_panel(self) -> None:
        """Stretch the layer-1 panel vertically (a computed round factor) to show its slope is real."""
        r, th = self.res, self.theme
        if r.slope_ratio < MIN_STRETCH:
            return
        p = self.panels[0]
        p.c_half = p.c_half / r.stretch
        new_curve = self._curve(p)
        new_ticks = self._c_ticks(p, "first_stretched")
        old_ticks = self.panel_axes[0][4]
        i = p.rock.steps
        w, c, g = float(p.rock.w[i]), float(p.rock.cost[i]), float(p.rock.grad[i])
        stretch = self.inline("stretch", r.stretch)
        tag = self.text(f"C stretched ×{stretch} vertically", SIZE.small, color=p.color)
        tag.move_to([p.x0 + 0.25, PANEL_TOP - 0.15, 0], aligned_edge=LEFT)
        new_prints = VGroup(*[Dot(p.point(float(wk), float(ck)), radius=0.05, color=p.color)
                              .set_stroke(th.background, 1) for wk, ck in zip(p.rock.w[:-1], p.rock.cost[:-1])])
        fades = [FadeOut(self.e_text)] if self.e_text is not None else []
        slope_ratio = self.inline("slope_ratio", r.slope_ratio)
        with self.beat(f"Stretch the layer-1 panel {stretch} times upwards: its slope is real, "
                       f"but {slope_ratio} times gentler than layer {r.depth}'s at the start."):
            self.play(Transform(p.curve, new_curve), Transform(old_ticks, new_ticks),
                      p.dot.animate.move_to(p.point(w, c)), Transform(p.prints, new_prints),
                      p.tangent.animate.put_start_and_end_on(*p.tangent_ends(w, c, g)),
                      FadeIn(tag), *fades, run_time=2.0, rate_func=linear)
        self.stretch_tag = tag

    def moral(self) -> None:
        """Gradient = slope; then, aside, a different flat stretch (chapter 8), and back to the picture."""
        th = self.theme
        readouts = VGroup(*[p.readout for p in self.panels])
        if self.vanishing:
            note = self.text("big slope, big step; tiny slope, tiny step: the vanishing gradient",
                             SIZE.small, color=th.backward)
            caption = "Big slope, big step. Tiny slope, tiny step. That is the vanishing gradient, seen as a slope."
        else:
            note = self.text("layer 1's slope is not tiny here: its rock moves too",
                             SIZE.small, color=th.backward)
            caption = "In this lesson's net the gradient reaching layer 1 is not tiny, so its weight learns too."
        note.move_to([0, TOP_ROW_Y - 0.45, 0])
        self.say(caption, FadeIn(note), Indicate(readouts, color=th.backward, scale_factor=1.08), run_time=1.5)
        keep = [m for m in self.mobjects if m is not self.header and m is not self.rule_note]
        picture = Group(*keep)
        aside = self.saturation_sketch()
        self.say("A flat stretch can have another cause: a saturated output neuron under the quadratic cost.",
                 FadeOut(picture), FadeIn(aside[:-1]), run_time=1.2)
        self.say(f"That is a different slowdown; chapter {number_of('fading')}'s cross-entropy cost removes it.",
                 FadeIn(aside[-1]))
        self.play(FadeOut(aside), FadeIn(picture), run_time=0.8)
        self.say(f"Why a deep sigmoid net's gradient fades on its way back to layer 1: chapters "
                 f"{number_of('backprop')} to {number_of('fading')}.", hold=1.0)

    def saturation_sketch(self) -> VGroup:
        """The output sigmoid a = sigma(z) with its flat, saturated tails marked (sigma from netsim)."""
        th = self.theme
        z = np.linspace(-8.0, 8.0, 161)
        a = sigmoid(z)
        x0, y0, sx, sy = 0.0, -1.0, 0.42, 2.4

        def pt(zv: float, av: float) -> np.ndarray:
            return np.array([x0 + sx * zv, y0 + sy * (av - 0.5), 0.0])

        axes = VGroup(Line(pt(-8.4, 0), pt(8.4, 0), color=th.muted, stroke_width=2),
                      Line(pt(0, -0.05), pt(0, 1.15), color=th.muted, stroke_width=2))
        z_lab = self.tex("z", SIZE.label, color=th.muted).next_to(axes[0], RIGHT, buff=0.1)
        a_lab = self.tex(r"a = \sigma(z)", SIZE.label, color=th.muted).next_to(axes[1], UP, buff=0.1)
        curve = VMobject(color=th.text, stroke_width=4).set_points_smoothly([pt(zv, av) for zv, av in zip(z, a)])
        flat = VGroup(*[VMobject(color=th.warn, stroke_width=9).set_points_smoothly(
            [pt(zv, av) for zv, av in zip(z[sl], a[sl])]) for sl in (slice(0, 41), slice(120, 161))])
        tag = self.text("output neuron saturated: σ'(z) ≈ 0, so dC/dw ≈ 0 even in the last layer",
                        SIZE.small, color=th.warn).next_to(pt(0, 1.15), UP, buff=0.55)
        cure = self.text(f"cross-entropy cost (chapter {number_of('fading')}): no σ'(z) factor at the output",
                         SIZE.small, color=th.good).next_to(axes[0], DOWN, buff=0.35)
        return VGroup(axes, z_lab, a_lab, curve, flat, tag, cure)
