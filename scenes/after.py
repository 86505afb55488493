"""Chapter 13, "What came after": the fixes a viewer meets next, and where the problem began.

Four panels, one fix each, then a timeline:

- residual connections: a_l = a_{l-1} + sigma(z_l), so back prop's factor per layer is
  1 + w sigma'(z) instead of w sigma'(z); bars (log scale) of ||dC/db_l|| of every hidden
  layer of the lesson's deep net, one digit, without and with skips (computed);
- batch normalisation: each neuron's z rescaled over a mini-batch to mean 0 and spread 1,
  where sigma' is away from its flat ends (a picture: the sigmoid drawn exactly, the two
  spreads of z drawn as examples, with no number);
- gradient clipping: one step eta ||g|| on chapter 10's linear net W = 1.5 I at every depth,
  without and with clipping at tau (computed);
- the LSTM's memory cell c, carried from step to step through a gate f, so the factor of
  one step back along c is f (a picture);
- the history: Hochreiter 1991, Bengio, Simard and Frasconi 1994, layer-by-layer training
  from 2006, then better starting weights (2010) and ReLU (2011).

Every number comes from :func:`netsim.experiments.after.what_came_after`.

Render: ``.venv/bin/manim -ql scenes/after.py WhatCameAfter``.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Circle,
    Create,
    CurvedArrow,
    Dot,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Line,
    Polygon,
    Rectangle,
    RoundedRectangle,
    VGroup,
    VMobject,
)

from netsim.activations import sigmoid
from netsim.experiments.after import AfterResult, what_came_after
from netsim.format import fmt_value
from scenes.chapters import number_of
from scenes.common import LessonScene
from scenes.lesson import Lesson, per_net
from scenes.style import SIZE

# Layout (scene units; the frame is 14.2 x 8): four panels in a 2 x 2 grid under the heading.
PANEL_W = 6.85
PANEL_H = 3.05
PANEL_CENTERS = {
    "residual": np.array([-3.5, 1.35, 0.0]),
    "norm": np.array([3.5, 1.35, 0.0]),
    "clip": np.array([-3.5, -2.0, 0.0]),
    "lstm": np.array([3.5, -2.0, 0.0]),
}
BAR_H = 1.55       # the height of the bar axis (lo .. hi decades)
CHART_H = 1.6      # the height of the clipping chart
#: Timeline: years and what happened (on-screen words, translated).
TIMELINE = (
    ("1991", "Hochreiter finds the\nvanishing gradient\n(diploma thesis)"),
    ("1994", "Bengio, Simard and\nFrasconi analyse it"),
    ("2006", "deep fully-connected nets\ntrained layer by layer"),
    ("2010-11", "better starting\nweights, ReLU"),
)


@per_net
def experiment(lesson: Lesson) -> AfterResult:
    """The experiment this scene shows for a lesson (computed once per net)."""
    return what_came_after(lesson.sizes, lesson.activation, lesson.init, lesson.bias_init, lesson.seed,
                           lesson.learning_rate)


def ratio_phrase(ratio: float) -> tuple[str, str]:
    """("fraction", "120") for a ratio below 1/10 (read 1/120), else ("times", "0.42"); 2 figures."""
    if ratio < 0.1:
        return "fraction", f"{float(f'{1.0 / ratio:.2g}'):.0f}"
    return "times", fmt_value(float(f"{ratio:.2g}"), 2)


class WhatCameAfter(LessonScene):
    """Residual connections, batch normalisation, clipping and the LSTM; then the history."""

    #: Stop before the final fade (the golden test of the key picture sets this).
    skip_end = False

    def construct(self) -> None:
        self.res = experiment(self.lesson)
        self.title_beat()
        self.residual_beats()
        self.norm_beats()
        self.clip_beats()
        self.lstm_beats()
        self.history_beats()
        if not self.skip_end:
            self.end_chapter()

    # ---------- helpers ----------
    def panel(self, name: str, title: str) -> VGroup:
        """A panel's frame and title, at its place in the grid."""
        th = self.theme
        frame = RoundedRectangle(corner_radius=0.12, width=PANEL_W, height=PANEL_H, stroke_color=th.edge,
                                 stroke_width=1.5).move_to(PANEL_CENTERS[name])
        head = self.text(title, SIZE.label, color=th.warn)
        head.next_to(frame.get_corner(UP + LEFT), DOWN + RIGHT, buff=0.12)
        return VGroup(frame, head)

    # ---------- beats ----------
    def title_beat(self) -> None:
        """Beat 1: the chapter title."""
        self.heading = self.chapter_heading("What came after")
        self.say("Four fixes you will meet next.", FadeIn(self.heading), run_time=1.0)

    def residual_beats(self) -> None:
        """Residual connections: the block, its backward factor, and the computed bars."""
        th, r = self.theme, self.res.residual
        panel = self.panel("residual", "Residual connections")
        c = PANEL_CENTERS["residual"]
        # the block: a_{l-1} -> layer -> (+) -> a_l, and the identity path over the top
        left = c + np.array([-3.05, 0.35, 0])
        a_in = self.tex("a_{l-1}", SIZE.small).move_to(left)
        box = Rectangle(width=0.85, height=0.5, stroke_color=th.forward, stroke_width=2).move_to(left + RIGHT * 1.2)
        sig = self.tex(r"\sigma(z_l)", SIZE.small, color=th.forward).move_to(box)
        plus = Circle(radius=0.14, stroke_color=th.text, stroke_width=2).move_to(left + RIGHT * 2.15)
        plus_sign = self.tex("+", SIZE.small).move_to(plus)
        a_out = self.tex("a_l", SIZE.small).move_to(left + RIGHT * 2.7)
        wires = VGroup(Arrow(a_in.get_right(), box.get_left(), buff=0.06, stroke_width=2, tip_length=0.12,
                             color=th.text),
                       Arrow(box.get_right(), plus.get_left(), buff=0.0, stroke_width=2, tip_length=0.12,
                             color=th.text),
                       Arrow(plus.get_right(), a_out.get_left(), buff=0.04, stroke_width=2, tip_length=0.12,
                             color=th.text))
        skip = CurvedArrow(a_in.get_top() + UP * 0.05, plus.get_top(), angle=-1.6, stroke_width=2.5,
                           tip_length=0.14, color=th.good)
        block = VGroup(a_in, box, sig, plus, plus_sign, a_out, wires, skip)
        formula = self.tex(r"a_l = a_{l-1} + \sigma(z_l)", SIZE.small).next_to(box, DOWN, buff=0.35)
        formula.align_to(a_in, LEFT)
        self.say("Residual connections (skips) add each layer's input to its output.",
                 FadeIn(panel), FadeIn(block), FadeIn(formula), run_time=1.2)

        factor = VGroup(self.text("factor back per layer:", SIZE.small, color=th.muted),
                        self.tex(r"1 + w\,\sigma'(z)", SIZE.small, color=th.backward))
        factor.arrange(DOWN, buff=0.1, aligned_edge=LEFT).next_to(formula, DOWN, buff=0.25, aligned_edge=LEFT)
        self.say("Back prop takes both paths: with one neuron per layer, each factor is 1 + w σ'(z).",
                 FadeIn(factor), skip.animate.set_color(th.backward), run_time=1.0)

        bars, plain, skipped, legend = self.residual_bars(c)
        L = r.depth
        self.shown["plain_norms"] = [float(v) for v in r.plain_norms]
        self.shown["residual_norms"] = [float(v) for v in r.residual_norms]
        self.shown["skip_layers"] = [float(l) for l in r.skip_layers]
        self.shown["sample_label"] = float(r.label)
        self.shown["plain_ratio"] = float(r.plain_ratio)
        self.shown["residual_ratio"] = float(r.residual_ratio)
        kind, value = ratio_phrase(r.plain_ratio)
        first = (f"Our deep net, one digit, no skips (grey): layer 1's ||dC/db|| is 1/{value} of layer {L - 1}'s."
                 if kind == "fraction" else
                 f"Our deep net, one digit, no skips (grey): layer 1's ||dC/db|| is {value} times layer {L - 1}'s.")
        self.say(first, FadeIn(bars), FadeIn(legend[0]),
                 *[GrowFromEdge(b, DOWN) for b in plain], run_time=1.5)
        kind, value = ratio_phrase(r.residual_ratio)
        second = (f"With skips (green), same weights: 1/{value} of layer {L - 1}'s." if kind == "fraction"
                  else f"With skips (green), same weights: {value} times layer {L - 1}'s.")
        self.say(second, FadeIn(legend[1]), *[GrowFromEdge(b, DOWN) for b in skipped], run_time=1.5)

    def residual_bars(self, c: np.ndarray) -> tuple[VGroup, VGroup, VGroup, VGroup]:
        """Axis, ticks and labels; grey bars (plain) and green bars (skips); the legend."""
        th, r = self.theme, self.res.residual
        lo, hi = r.decades
        self.shown["decades"] = [float(lo), float(hi)]
        base = c + np.array([0.75, -0.95, 0])
        width = 2.5
        hidden = r.hidden

        def y_of(v: float) -> float:
            return base[1] + BAR_H * (math.log10(v) - lo) / (hi - lo)

        axis = VGroup(Line(base, base + RIGHT * width, stroke_color=th.muted, stroke_width=1.5),
                      Line(base, base + UP * BAR_H, stroke_color=th.muted, stroke_width=1.5))
        ticks = VGroup()
        for k in range(lo, hi + 1):
            y = base[1] + BAR_H * (k - lo) / (hi - lo)
            ticks.add(self.text(f"1e{k}", SIZE.small, color=th.muted).move_to([base[0] - 0.4, y, 0]))
        slot = width / len(hidden)
        bar_w = min(0.3, slot * 0.38)
        plain, skipped, names = VGroup(), VGroup(), VGroup()
        for i, l in enumerate(hidden):
            x = base[0] + slot * (i + 0.5)
            for v, group, dx, color in ((r.plain_norms[l - 1], plain, -bar_w / 2, th.muted),
                                        (r.residual_norms[l - 1], skipped, bar_w / 2, th.good)):
                h = max(0.02, y_of(max(v, 10.0 ** lo)) - base[1])
                group.add(Rectangle(width=bar_w, height=h, stroke_width=0, fill_color=color, fill_opacity=0.9)
                          .move_to([x + dx, base[1] + h / 2, 0]))
            if len(hidden) <= 6 or l in (1, hidden[-1]) or l % 2 == 1:
                names.add(self.text(str(l), SIZE.small, color=th.muted).move_to([x, base[1] - 0.2, 0]))
        caption = self.text("hidden layer", SIZE.small, color=th.muted).next_to(names, DOWN, buff=0.06)
        head = self.text("||dC/db||, log scale", SIZE.small, color=th.muted)
        head.move_to([base[0] + width / 2 - 0.2, base[1] + BAR_H + 0.24, 0])
        legend_plain = VGroup(Rectangle(width=0.18, height=0.18, stroke_width=0, fill_color=th.muted,
                                        fill_opacity=0.9), self.text("no skips", SIZE.small, color=th.muted))
        legend_skip = VGroup(Rectangle(width=0.18, height=0.18, stroke_width=0, fill_color=th.good,
                                       fill_opacity=0.9), self.text("skips", SIZE.small, color=th.good))
        for g in (legend_plain, legend_skip):
            g.arrange(RIGHT, buff=0.08)
        legend = VGroup(legend_plain, legend_skip).arrange(RIGHT, buff=0.25)
        legend.move_to([c[0] + PANEL_W / 2 - 0.15 - legend.width / 2, c[1] + PANEL_H / 2 - 0.3, 0])
        frame = VGroup(axis, ticks, names, caption, head)
        return frame, plain, skipped, legend

    def norm_beats(self) -> None:
        """Batch normalisation: the sigmoid's flat ends, and z squeezed to mean 0, spread 1."""
        th = self.theme
        panel = self.panel("norm", "Batch normalisation")
        c = PANEL_CENTERS["norm"]
        z_max, width = 7.0, 5.6
        x0, y0 = c[0] + 0.1, c[1] - 0.95

        def at(z: float, y: float) -> np.ndarray:
            return np.array([x0 + width * z / (2 * z_max), y0 + y, 0.0])

        axis = Line(at(-z_max, 0), at(z_max, 0), stroke_color=th.muted, stroke_width=1.5)
        z_label = self.tex("z", SIZE.small, color=th.muted).next_to(axis, RIGHT, buff=0.08)
        zero = self.text("0", SIZE.small, color=th.muted).next_to(at(0, 0), DOWN, buff=0.1)
        zs = np.linspace(-z_max, z_max, 121)
        curve = VMobject(stroke_color=th.forward, stroke_width=3)
        curve.set_points_smoothly([at(z, 1.5 * float(sigmoid(z))) for z in zs])
        curve_label = self.tex(r"\sigma(z)", SIZE.small, color=th.forward).next_to(at(z_max, 1.5), UP, buff=0.05)
        flat_l = self.text("flat:\nσ' ≈ 0", SIZE.small, color=th.overflow).move_to(at(-5.4, 1.2))
        flat_r = self.text("flat:\nσ' ≈ 0", SIZE.small, color=th.overflow).move_to(at(5.6, 0.85))

        def bell(mean: float, spread: float, height: float, color: str) -> Polygon:
            """An example spread of z (a normal curve's shape; no data behind it)."""
            zs = np.linspace(max(-z_max, mean - 3 * spread), min(z_max, mean + 3 * spread), 41)
            pts = [at(z, height * math.exp(-((z - mean) / spread) ** 2 / 2)) for z in zs]
            return Polygon(at(zs[0], 0), *pts, at(zs[-1], 0), stroke_width=0, fill_color=color, fill_opacity=0.35)

        wide = bell(3.2, 2.0, 0.5, th.overflow)
        narrow = bell(0.0, 1.0, 0.9, th.good)
        note = self.text("mean 0, spread 1", SIZE.small, color=th.good)
        note.next_to(at(-1.2, 0), DOWN, buff=0.1).align_to(at(-1.2, 0), RIGHT)
        self.say("Batch normalisation rescales each neuron's z over a mini-batch to mean 0, spread 1,",
                 FadeIn(panel), Create(axis), FadeIn(z_label, zero), Create(curve), FadeIn(curve_label),
                 FadeIn(wide), run_time=1.5)
        self.say("where σ' is near its largest, far from the flat ends.",
                 FadeIn(flat_l, flat_r), wide.animate.set_fill(opacity=0.12), FadeIn(narrow), FadeIn(note),
                 run_time=1.2)

    def clip_beats(self) -> None:
        """Gradient clipping on chapter 10's linear net: the step length at every depth."""
        th, cl = self.theme, self.res.clipping
        panel = self.panel("clip", "Gradient clipping")
        c = PANEL_CENTERS["clip"]
        x0, y0, w = c[0] - 2.35, c[1] - 1.0, 3.2
        logs = np.log10(np.array(cl.steps))
        lo = math.floor(min(np.log10(cl.clipped_steps).min(), logs.min()))
        hi = math.ceil(logs.max())
        self.shown["clip_decades"] = [float(lo), float(hi)]

        def at(L: float, value: float) -> np.ndarray:
            return np.array([x0 + w * L / cl.depth, y0 + CHART_H * (math.log10(value) - lo) / (hi - lo), 0.0])

        axis = VGroup(Line([x0, y0, 0], [x0 + w, y0, 0], stroke_color=th.muted, stroke_width=1.5),
                      Line([x0, y0, 0], [x0, y0 + CHART_H, 0], stroke_color=th.muted, stroke_width=1.5))
        step = 10 if hi - lo > 20 else 5
        ticks = VGroup(*[self.text(f"1e{k}", SIZE.small, color=th.muted).move_to(
            [x0 - 0.42, y0 + CHART_H * (k - lo) / (hi - lo), 0]) for k in range(lo, hi + 1) if k % step == 0])
        depth_ticks = VGroup(*[self.text(str(n), SIZE.small, color=th.muted).move_to([x0 + w * n / cl.depth,
                                                                                       y0 - 0.2, 0])
                               for n in (1, cl.depth)])
        self.shown["clip_depth"] = float(cl.depth)
        x_name = self.text("number of layers", SIZE.small, color=th.muted).move_to([x0 + w / 2, y0 - 0.22, 0])
        head = self.text("length of one step, log scale", SIZE.small, color=th.muted)
        head.move_to([x0 + w / 2, y0 + CHART_H + 0.2, 0])
        raw = VMobject(stroke_color=th.overflow, stroke_width=3)
        raw.set_points_as_corners([at(L, s) for L, s in zip(cl.depths, cl.steps)])
        clipped = VMobject(stroke_color=th.good, stroke_width=3)
        clipped.set_points_as_corners([at(L, s) for L, s in zip(cl.depths, cl.clipped_steps)])
        raw_label = VGroup(self.tex(r"\eta\,\|g\| =", SIZE.small, color=th.overflow),
                           self.number("step", cl.step, SIZE.small)).arrange(RIGHT, buff=0.1)
        raw_label[1].set_color(th.overflow)
        raw_label.move_to([x0 + 0.2 + raw_label.width / 2, y0 + CHART_H - 0.2, 0])
        clip_label = VGroup(self.text("clipped:", SIZE.small, color=th.good),
                            self.number("clipped_step", cl.clipped_step, SIZE.small))
        clip_label[1].set_color(th.good)
        clip_label.arrange(RIGHT, buff=0.1).next_to(at(cl.depth, cl.clipped_step), RIGHT, buff=0.12)
        rule = self.tex(r"\text{if } \|g\| > \tau:\ g \leftarrow g\,\tau/\|g\|", SIZE.small)
        rule.move_to([c[0] + PANEL_W / 2 - 0.15 - rule.width / 2, c[1] + PANEL_H / 2 - 0.3, 0])
        self.say("Exploding gradients: clipping. A gradient g longer than τ is shrunk to length τ, same direction.",
                 FadeIn(panel), FadeIn(rule), run_time=1.2)
        self.shown["eta"] = float(cl.eta)
        self.shown["threshold"] = float(cl.threshold)
        self.shown["scale"] = float(cl.scale)
        self.shown["cosine"] = float(cl.cosine)
        n = number_of("exploding")
        self.say(f"Chapter {n}'s linear net: one step η||g|| reaches {fmt_value(cl.step)} at {cl.depth} layers; "
                 f"clipped at τ = {cl.threshold:g}, {fmt_value(cl.clipped_step)}.",
                 FadeIn(axis, ticks, depth_ticks, x_name, head), Create(raw), Create(clipped),
                 FadeIn(raw_label, clip_label), run_time=2.0)

    def lstm_beats(self) -> None:
        """The LSTM's memory cell: c carried forward through a gate f; back along c, a factor f."""
        th = self.theme
        panel = self.panel("lstm", "LSTM (recurrent nets)")
        c = PANEL_CENTERS["lstm"]
        y = c[1] + 0.05
        xs = [c[0] - 2.9, c[0] - 0.85, c[0] + 1.25, c[0] + 3.05]
        names = [r"c_{t-1}", r"c_t", r"c_{t+1}"]
        line = Line([xs[0] + 0.55, y, 0], [xs[-1] - 0.15, y, 0], stroke_color=th.forward, stroke_width=4)
        cells = VGroup()
        for i, name in enumerate(names):
            x = xs[0] + 0.05 if i == 0 else (xs[i] + 0.55)
            cells.add(self.tex(name, SIZE.small, color=th.forward).move_to([x, y + 0.35, 0]))
        gates, news = VGroup(), VGroup()
        for x in (xs[1], xs[2]):
            times = Circle(radius=0.17, stroke_color=th.text, stroke_width=2, fill_color=th.background,
                           fill_opacity=1).move_to([x - 0.45, y, 0])
            gates.add(VGroup(times, self.tex(r"\times", SIZE.small).move_to(times),
                             self.tex("f", SIZE.small, color=th.warn).next_to(times, UP, buff=0.08)))
            plus = Circle(radius=0.17, stroke_color=th.text, stroke_width=2, fill_color=th.background,
                          fill_opacity=1).move_to([x + 0.15, y, 0])
            feed = Arrow([x + 0.15, y - 0.75, 0], plus.get_bottom(), buff=0.0, stroke_width=2, tip_length=0.12,
                         color=th.muted)
            news.add(VGroup(plus, self.tex("+", SIZE.small).move_to(plus), feed))
        new_label = self.text("new input", SIZE.small, color=th.muted).move_to([xs[1] + 0.15, y - 0.95, 0])
        new_label2 = self.text("new input", SIZE.small, color=th.muted).move_to([xs[2] + 0.15, y - 0.95, 0])
        back = Arrow([xs[-1] - 0.2, y - 1.25, 0], [xs[0] + 0.55, y - 1.25, 0], buff=0, stroke_width=3,
                     tip_length=0.16, color=th.backward)
        back_label = self.text("back prop along c:  × f per step", SIZE.small, color=th.backward)
        back_label.next_to(back, DOWN, buff=0.06)
        formula = self.tex(r"c_t = f\,c_{t-1} + \text{new}", SIZE.small).move_to([c[0] + 1.75, c[1] + 1.15, 0])
        self.say("Recurrent nets reuse their weights at every step, so their gradients fade or explode too.",
                 FadeIn(panel), Create(line), FadeIn(cells), run_time=1.2)
        self.say("An LSTM carries a memory c through a gate f: back along c, each step's factor is f, "
                 "which can stay near 1.",
                 FadeIn(gates, news, new_label, new_label2), FadeIn(formula), GrowFromEdge(back, RIGHT),
                 FadeIn(back_label), run_time=1.5)

    def history_beats(self) -> None:
        """Where the problem began, and how deep fully-connected nets came to train."""
        th = self.theme
        self.play(*[FadeOut(m) for m in self.mobjects if m is not self.heading], run_time=0.6)
        y = 0.3
        xs = np.linspace(-4.9, 4.9, len(TIMELINE))
        line = Line([-6.5, y, 0], [6.5, y, 0], stroke_color=th.muted, stroke_width=2)
        entries = []
        for i, ((year, words), x) in enumerate(zip(TIMELINE, xs)):
            dot = Dot([x, y, 0], radius=0.09, color=th.warn)
            year_t = self.text(year, SIZE.body, color=th.warn)
            what = self.text(words, SIZE.label)
            if i % 2 == 0:
                year_t.next_to(dot, UP, buff=0.18)
                what.next_to(year_t, UP, buff=0.15)
            else:
                year_t.next_to(dot, DOWN, buff=0.18)
                what.next_to(year_t, DOWN, buff=0.15)
            entries.append(VGroup(dot, year_t, what))
        self.say("Hochreiter found the vanishing gradient in 1991, in his diploma thesis.",
                 Create(line), FadeIn(entries[0]), run_time=1.2)
        self.say("Bengio, Simard and Frasconi analysed it in 1994.", FadeIn(entries[1]))
        self.say("Deep fully-connected nets trained well only from 2006, layer by layer; "
                 "then better starting weights and ReLU.", FadeIn(entries[2]), FadeIn(entries[3]), run_time=1.2)
        summary = self.text("a gradient = a product of one factor per layer: keep each near 1", SIZE.label,
                            color=th.backward).move_to([0, -2.6, 0])
        self.say("A deep net's gradient is a product of one factor per layer: keep them near 1 and it reaches "
                 "layer 1.", FadeIn(summary), run_time=1.0)

