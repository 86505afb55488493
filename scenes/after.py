"""Chapter 12, "What came after": four later fixes, then the history of the problem.

Four panels, one fix each, then a timeline:

- residual connections: a_l = a_(l-1) + g(z_l) (g = sigma in the default lesson), so back
  prop's factor per layer is 1 + w g'(z) instead of w g'(z); bars (log scale) of ||dC/db_l||
  of every hidden layer of chapter 7's net and digit, without and with skips, and the ratio
  layer 1 over the last hidden layer of each, written by ``fmt_ratio`` (computed);
- batch normalisation: z of one neuron of layer 1 over a mini-batch, with the starting
  weights and with every weight multiplied by k; z_hat = (z - mean)/sqrt(Var) is the same for
  both, then gamma z_hat + beta (computed);
- gradient clipping: the whole step eta ||g|| on chapter 9's linear net W = 1.5 I at every
  depth, without and with clipping at tau (computed);
- the LSTM's memory c_t = f c_(t-1) + new input: back along c the factor is the forget gate
  f, a learned number between 0 and 1 (a picture);
- the history as a timeline: 1991 Hochreiter, 1994 Bengio, Simard and Frasconi, 1997 the LSTM
  (its forget gate in 2000), 1998 LeNet-5 and LeCun's Var(w) = 1/n_in, 2006-2007 layer-wise
  training, 2010 Glorot and Bengio, 2010-2011 ReLU, 2012 GPUs and data, 2015 He's rule,
  residual nets and batch normalisation.

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
    Indicate,
    Line,
    Rectangle,
    RoundedRectangle,
    VGroup,
    VMobject,
)

from netsim.experiments.after import AfterResult, what_came_after
from scenes.chapters import number_of
from scenes.common import LessonScene
from scenes.lesson import Lesson, per_net
from scenes.style import SIZE, fmt_ratio, fmt_value, log_tick, log_ticks

# Layout (scene units; the frame is 14.2 x 8): four panels in a 2 x 2 grid under the heading.
PANEL_W = 6.85
PANEL_H = 3.05
PANEL_CENTERS = {
    "residual": np.array([-3.5, 1.35, 0.0]),
    "norm": np.array([3.5, 1.35, 0.0]),
    "clip": np.array([-3.5, -2.0, 0.0]),
    "lstm": np.array([3.5, -2.0, 0.0]),
}
BAR_H = 1.3        # the height of the bar axis (lo .. hi decades)
CHART_H = 1.6      # the height of the clipping chart
#: The activation g of the lesson's hidden layers as captions write it (σ is the sigmoid only).
ACT_SYMBOL = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU"}
ACT_TEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}"}
#: The net colour (style.Theme.net) of the lesson's deep net without skips.
NET_COLOUR = {"tanh": "tanh", "relu": "relu"}
#: The timeline's step from one entry to the next, and for each further line of an entry.
TIMELINE_ROW, TIMELINE_LINE = 0.56, 0.42
#: The timeline: a year and what happened (on-screen words, translated), in three beats.
TIMELINE = (
    (("1991", "Hochreiter finds the vanishing gradient (diploma thesis)"),
     ("1994", "Bengio, Simard and Frasconi analyse it"),
     ("1997", "Hochreiter and Schmidhuber: the LSTM, with f = 1\n(the forget gate came in 2000)")),
    (("1998", "LeNet-5; LeCun: Var(w) = 1/n_in for tanh"),
     ("2006–2007", "Hinton's, Bengio's and LeCun's groups: layer by layer, each\n"
                   "first learns, without labels, to rebuild its input from its output")),
    (("2010", "Glorot and Bengio: sigmoid layers saturate; their start"),
     ("2010–2011", "ReLU"),
     ("2012", "GPUs and far more data"),
     ("2015", "He's rule, residual nets, batch normalisation")),
)


@per_net
def experiment(lesson: Lesson) -> AfterResult:
    """The experiment this scene shows for a lesson (computed once per net)."""
    return what_came_after(lesson.sizes, lesson.activation, lesson.init, lesson.bias_init, lesson.seed,
                           lesson.learning_rate)


class WhatCameAfter(LessonScene):
    """Residual connections, batch normalisation, clipping and the LSTM; then the history."""

    #: Stop before the final fade (the golden test of the key picture sets this).
    skip_end = False

    def construct(self) -> None:
        self.res = experiment(self.lesson)
        act = self.lesson.activation
        self.g, self.g_tex = ACT_SYMBOL.get(act, "g"), ACT_TEX.get(act, "g")
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
        self.say("Four more fixes you'll meet.", FadeIn(self.heading), run_time=1.0)

    def residual_beats(self) -> None:
        """Residual connections: the block and its backward factor, then the computed bars."""
        th, r = self.theme, self.res.residual
        panel = self.panel("residual", "Residual connections")
        c = PANEL_CENTERS["residual"]
        # the block: a_(l-1) -> layer -> (+) -> a_l, and the identity path over the top
        left = c + np.array([-3.05, 0.35, 0])
        a_in = self.tex("a_{l-1}", SIZE.small).move_to(left)
        box = Rectangle(width=0.85, height=0.5, stroke_color=th.forward, stroke_width=2).move_to(left + RIGHT * 1.2)
        act = self.tex(rf"{self.g_tex}(z_l)", SIZE.small, color=th.forward).move_to(box)
        act.scale_to_fit_width(min(act.width, box.width - 0.08))
        plus = Circle(radius=0.14, stroke_color=th.text, stroke_width=2).move_to(left + RIGHT * 2.15)
        plus_sign = self.tex("+", SIZE.small).move_to(plus)
        a_out = self.tex("a_l", SIZE.small).move_to(left + RIGHT * 2.7)
        wires = VGroup(*[Arrow(a.get_right(), b.get_left(), buff=buff, stroke_width=2, tip_length=0.12,
                               color=th.text)
                         for a, b, buff in ((a_in, box, 0.06), (box, plus, 0.0), (plus, a_out, 0.04))])
        skip = CurvedArrow(a_in.get_top() + UP * 0.05, plus.get_top(), angle=-1.6, stroke_width=2.5,
                           tip_length=0.14, color=th.net("skips"))
        block = VGroup(a_in, box, act, plus, plus_sign, a_out, wires, skip)
        formula = self.tex(rf"a_l = a_{{l-1}} + {self.g_tex}(z_l)", SIZE.small).next_to(box, DOWN, buff=0.35)
        formula.align_to(a_in, LEFT)
        factor = VGroup(self.text("factor back per layer:", SIZE.small, color=th.muted),
                        self.tex(rf"1 + w\,{self.g_tex}'(z)", SIZE.small, color=th.backward))
        factor.arrange(DOWN, buff=0.1, aligned_edge=LEFT).next_to(formula, DOWN, buff=0.25, aligned_edge=LEFT)
        g = self.g
        with self.beat(f"Residual connections add a layer's input to its output: a_l = a_(l−1) + {g}(z_l). "
                       f"Back prop takes both paths; with one neuron per layer, each factor is 1 + w {g}'(z)."):
            self.play(FadeIn(panel), FadeIn(block), FadeIn(formula), run_time=1.2)
            self.wait(2.5)
            self.play(FadeIn(factor), Indicate(skip, color=th.backward, scale_factor=1.0), run_time=1.0)

        frame, plain, skipped, legend = self.residual_bars(c)
        last = r.depth - 1
        self.shown["plain_norms"] = [float(v) for v in r.plain_norms]
        self.shown["residual_norms"] = [float(v) for v in r.residual_norms]
        self.shown["skip_layers"] = [float(l) for l in r.skip_layers]
        self.shown["sample_label"] = float(r.label)
        self.shown["plain_ratio"] = float(r.plain_ratio)
        self.shown["residual_ratio"] = float(r.residual_ratio)
        self.shown["last_hidden"] = float(last)
        with self.beat(self.residual_caption()):
            self.play(FadeIn(frame), FadeIn(legend[0]), *[GrowFromEdge(b, DOWN) for b in plain], run_time=1.5)
            self.wait(1.5)
            self.play(FadeIn(legend[1]), *[GrowFromEdge(b, DOWN) for b in skipped], run_time=1.5)

    def residual_caption(self) -> str:
        """Layer 1's ||dC/db|| over the last hidden layer's, without and with skips (fmt_ratio), or
        that no gradient reaches the last hidden layer, where its ||dC/db|| is 0."""
        r = self.res.residual
        n, last = number_of("fading"), r.depth - 1
        plain_ok, skip_ok = r.plain_norms[last - 1] > 0, r.residual_norms[last - 1] > 0
        self.shown["plain_reaches"], self.shown["skip_reaches"] = float(plain_ok), float(skip_ok)
        plain, skip = fmt_ratio(r.plain_ratio), fmt_ratio(r.residual_ratio)
        head = f"Chapter {n}'s net and digit, same weights: "
        if plain_ok and skip_ok:
            return head + f"layer 1's ‖∂C/∂b‖ over layer {last}'s is {plain} without skips, {skip} with them."
        if skip_ok:
            return head + (f"without skips no gradient reaches layer {last} (‖∂C/∂b‖ = 0); with skips, layer 1's "
                           f"‖∂C/∂b‖ over layer {last}'s is {skip}.")
        if plain_ok:
            return head + (f"with skips no gradient reaches layer {last} (‖∂C/∂b‖ = 0); without them, layer 1's "
                           f"‖∂C/∂b‖ over layer {last}'s is {plain}.")
        return head + f"no gradient reaches layer {last} (‖∂C/∂b‖ = 0), with skips or without."

    def residual_bars(self, c: np.ndarray) -> tuple[VGroup, VGroup, VGroup, VGroup]:
        """Axis with 10^k tick labels; the plain net's bars and the bars with skips; the legend."""
        th, r = self.theme, self.res.residual
        lo, hi = r.decades
        self.shown["decades"] = [float(lo), float(hi)]
        base = c + np.array([0.85, -0.9, 0])
        width = 2.4
        hidden = r.hidden
        plain_colour, skip_colour = th.net(NET_COLOUR.get(self.lesson.activation, "deep")), th.net("skips")

        def y_of(v: float) -> float:
            return base[1] + BAR_H * (math.log10(v) - lo) / (hi - lo)

        axis = VGroup(Line(base, base + RIGHT * width, stroke_color=th.muted, stroke_width=1.5),
                      Line(base, base + UP * BAR_H, stroke_color=th.muted, stroke_width=1.5))
        ticks = VGroup()
        labelled = log_ticks(lo, hi, most=4)
        self.shown["bar_ticks"] = [float(k) for k in labelled]
        for k in labelled:
            y = base[1] + BAR_H * (k - lo) / (hi - lo)
            ticks.add(log_tick(k, th).next_to([base[0], y, 0], LEFT, buff=0.1))
        slot = width / len(hidden)
        bar_w = min(0.3, slot * 0.38)
        plain, skipped, names = VGroup(), VGroup(), VGroup()
        for i, l in enumerate(hidden):
            x = base[0] + slot * (i + 0.5)
            for v, group, dx, color in ((r.plain_norms[l - 1], plain, -bar_w / 2, plain_colour),
                                        (r.residual_norms[l - 1], skipped, bar_w / 2, skip_colour)):
                h = max(0.02, y_of(max(v, 10.0 ** lo)) - base[1]) if v > 0 else 0.02
                group.add(Rectangle(width=bar_w, height=h, stroke_width=0, fill_color=color, fill_opacity=0.9)
                          .move_to([x + dx, base[1] + h / 2, 0]))
            if len(hidden) <= 6 or l in (1, hidden[-1]) or l % 2 == 1:
                names.add(self.text(str(l), SIZE.small, color=th.muted).move_to([x, base[1] - 0.2, 0]))
        caption = self.text("hidden layer", SIZE.small, color=th.muted).next_to(names, DOWN, buff=0.06)
        head = VGroup(self.tex(r"\|\partial C/\partial b_l\|", SIZE.small, color=th.muted),
                      self.text("(log scale)", SIZE.small, color=th.muted)).arrange(RIGHT, buff=0.15)
        head.move_to([base[0] + width / 2 - 0.3, base[1] + BAR_H + 0.34, 0])
        legend_plain = VGroup(Rectangle(width=0.18, height=0.18, stroke_width=0, fill_color=plain_colour,
                                        fill_opacity=0.9), self.text("no skips", SIZE.small, color=plain_colour))
        legend_skip = VGroup(Rectangle(width=0.18, height=0.18, stroke_width=0, fill_color=skip_colour,
                                       fill_opacity=0.9), self.text("skips", SIZE.small, color=skip_colour))
        for g in (legend_plain, legend_skip):
            g.arrange(RIGHT, buff=0.08)
        legend = VGroup(legend_plain, legend_skip).arrange(RIGHT, buff=0.25)
        legend.move_to([c[0] + PANEL_W / 2 - 0.15 - legend.width / 2, c[1] + PANEL_H / 2 - 0.3, 0])
        frame = VGroup(axis, ticks, names, caption, head)
        return frame, plain, skipped, legend

    def norm_beats(self) -> None:
        """Batch normalisation: one neuron's z over a mini-batch, with W_1 and k W_1; the same z_hat."""
        th, bn = self.theme, self.res.batch_norm
        panel = self.panel("norm", "Batch normalisation")
        c = PANEL_CENTERS["norm"]
        self.shown["bn_batch"] = float(bn.batch)
        self.shown["bn_factor"] = float(bn.factor)
        self.shown["bn_z"] = list(bn.z)
        self.shown["bn_z_scaled"] = list(bn.z_scaled)
        self.shown["bn_z_hat"] = list(bn.z_hat)
        self.shown["bn_z_hat_scaled"] = list(bn.z_hat_scaled)
        rule = VGroup(self.tex(r"\hat z = \frac{z - \bar z}{\sqrt{\mathrm{Var}}}\ \rightarrow\ \gamma\,\hat z + \beta",
                               SIZE.small),
                      VGroup(self.tex(r"\bar z:", SIZE.small, color=th.muted),
                             self.text("the mean over\nthe mini-batch", SIZE.small, color=th.muted, line_spacing=0.8))
                      .arrange(RIGHT, buff=0.12, aligned_edge=UP))
        rule.arrange(RIGHT, buff=0.3).move_to([c[0], c[1] + 0.74, 0])
        everything = list(bn.z) + list(bn.z_scaled) + list(bn.z_hat) + [0.0]
        z_lo, z_hi = math.floor(min(everything)), math.ceil(max(everything))
        if z_hi == z_lo:  # every z is 0: an axis from -1 to 1 around it
            z_lo, z_hi = z_lo - 1, z_hi + 1
        self.shown["bn_axis"] = [float(z_lo), float(z_hi)]
        x0, width = c[0] - 0.55, 3.75
        rows_y = [c[1] - 0.02, c[1] - 0.5, c[1] - 0.98]

        def at(z: float, y: float) -> np.ndarray:
            return np.array([x0 + width * (z - z_lo) / (z_hi - z_lo), y, 0.0])

        k = fmt_value(bn.factor)
        names = [self.text("z, weights W_1", SIZE.small, color=th.muted),
                 self.text(f"z, weights {k}·W_1", SIZE.small, color=th.muted),
                 self.tex(r"\hat z", SIZE.small, color=th.muted)]
        rows = []
        for name, y in zip(names, rows_y):
            axis = Line(at(z_lo, y), at(z_hi, y), stroke_color=th.edge, stroke_width=1.5)
            zero = Line(at(0, y) + UP * 0.08, at(0, y) + DOWN * 0.08, stroke_color=th.muted, stroke_width=1.5)
            name.next_to(at(z_lo, y), LEFT, buff=0.15)
            rows.append(VGroup(name, axis, zero))
        zero_label = self.text("0", SIZE.small, color=th.muted).next_to(at(0, rows_y[0]), UP, buff=0.06)
        dots_w = VGroup(*[Dot(at(z, rows_y[0]), radius=0.055, color=th.forward) for z in bn.z])
        dots_k = VGroup(*[Dot(at(z, rows_y[1]), radius=0.055, color=th.warn) for z in bn.z_scaled])
        if bn.equal:
            hats = VGroup(self.text("all z equal: nothing to rescale", SIZE.small, color=th.muted)
                          .next_to(rows[2][0], RIGHT, buff=0.3))
            rows[2] = VGroup(rows[2][0])
        else:
            hats = VGroup(*[Dot(at(z, rows_y[2]), radius=0.075, color=th.forward) for z in bn.z_hat],
                          *[Circle(radius=0.1, stroke_color=th.warn, stroke_width=2).move_to(at(z, rows_y[2]))
                            for z in bn.z_hat_scaled])
        batch = self.text(f"one neuron of layer 1, a mini-batch of {bn.batch} digits", SIZE.small, color=th.muted)
        batch.move_to([c[0], c[1] - PANEL_H / 2 + 0.24, 0])
        with self.beat("Batch normalisation rescales a neuron's z over a mini-batch to mean 0 and Var 1, then "
                       "by a learned γ and β. Dividing by √Var undoes any scaling of the weights, forward and back."):
            self.play(FadeIn(panel), FadeIn(rule), run_time=1.0)
            self.wait(1.5)
            self.play(FadeIn(rows[0]), FadeIn(zero_label), FadeIn(dots_w), FadeIn(batch), run_time=1.0)
            self.play(FadeIn(rows[1]), FadeIn(dots_k), run_time=1.0)
            self.wait(1.5)
            self.play(FadeIn(rows[2]), FadeIn(hats), run_time=1.2)

    def clip_beats(self) -> None:
        """Gradient clipping on chapter 9's linear net: the whole step eta ||g|| at every depth."""
        th, cl = self.theme, self.res.clipping
        panel = self.panel("clip", "Gradient clipping")
        c = PANEL_CENTERS["clip"]
        x0, y0, w = c[0] - 2.3, c[1] - 1.0, 3.6
        logs = np.log10(np.array(cl.steps))
        lo = math.floor(min(np.log10(cl.clipped_steps).min(), logs.min()))
        hi = math.ceil(logs.max())
        self.shown["clip_decades"] = [float(lo), float(hi)]

        def at(L: float, value: float) -> np.ndarray:
            return np.array([x0 + w * L / cl.depth, y0 + CHART_H * (math.log10(value) - lo) / (hi - lo), 0.0])

        axis = VGroup(Line([x0, y0, 0], [x0 + w, y0, 0], stroke_color=th.muted, stroke_width=1.5),
                      Line([x0, y0, 0], [x0, y0 + CHART_H, 0], stroke_color=th.muted, stroke_width=1.5))
        labelled = log_ticks(lo, hi, most=4)
        self.shown["clip_ticks"] = [float(k) for k in labelled]
        ticks = VGroup(*[log_tick(k, th).next_to([x0, y0 + CHART_H * (k - lo) / (hi - lo), 0], LEFT, buff=0.1)
                         for k in labelled])
        depth_ticks = VGroup(*[self.text(str(n), SIZE.small, color=th.muted).move_to([x0 + w * n / cl.depth,
                                                                                       y0 - 0.2, 0])
                               for n in (1, cl.depth)])
        self.shown["clip_depth"] = float(cl.depth)
        x_name = self.text("layers", SIZE.small, color=th.muted).move_to([x0 + w / 2, y0 - 0.22, 0])
        head = self.text("length of the whole step, log scale", SIZE.small, color=th.muted)
        head.move_to([x0 + w / 2, y0 + CHART_H + 0.22, 0])
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
        rule = self.tex(r"\|g\| > \tau:\ g \leftarrow g\,\tau/\|g\|", SIZE.small)
        rule.move_to([c[0] + PANEL_W / 2 - 0.15 - rule.width / 2, c[1] + PANEL_H / 2 - 0.3, 0])
        self.shown["eta"] = float(cl.eta)
        self.shown["threshold"] = float(cl.threshold)
        self.shown["scale"] = float(cl.scale)
        self.shown["cosine"] = float(cl.cosine)
        step, clipped_step = self.inline("caption_step", cl.step), self.inline("caption_clipped_step", cl.clipped_step)
        tau, s = self.inline("caption_threshold", cl.threshold), self.inline("caption_scale", cl.scale)
        with self.beat(f"Clipping shrinks a gradient g longer than τ to length τ. "
                       f"Chapter {number_of('exploding')}'s linear net, W = {s}·I, {cl.depth} layers: the whole "
                       f"step η‖g‖ is {step}; clipped at τ = {tau}, {clipped_step}."):
            self.play(FadeIn(panel), FadeIn(rule), run_time=1.0)
            self.wait(2.5)
            self.play(FadeIn(axis, ticks, depth_ticks, x_name, head), Create(raw), Create(clipped), run_time=1.5)
            self.play(FadeIn(raw_label, clip_label), run_time=0.8)

    def lstm_beats(self) -> None:
        """The LSTM's memory cell: c carried forward through the forget gate f; back along c, a factor f."""
        th = self.theme
        panel = self.panel("lstm", "LSTM (long short-term memory)")
        c = PANEL_CENTERS["lstm"]
        y = c[1] - 0.2
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
            feed = Arrow([x + 0.15, y - 0.5, 0], plus.get_bottom(), buff=0.0, stroke_width=2, tip_length=0.12,
                         color=th.muted)
            news.add(VGroup(plus, self.tex("+", SIZE.small).move_to(plus), feed))
        new_labels = VGroup(*[self.text("new input", SIZE.small, color=th.muted).move_to([x + 0.15, y - 0.66, 0])
                              for x in (xs[1], xs[2])])
        back = Arrow([xs[-1] - 0.2, y - 0.98, 0], [xs[0] + 0.55, y - 0.98, 0], buff=0, stroke_width=3,
                     tip_length=0.16, color=th.backward)
        back_label = self.text("back along c: × f per step", SIZE.small, color=th.backward)
        back_label.next_to(back, DOWN, buff=0.06)
        formula = VGroup(self.tex(r"c_t = f\,c_{t-1}\ +", SIZE.small), self.text("new input", SIZE.small))
        formula.arrange(RIGHT, buff=0.12)
        gate = self.text("f: forget gate, learned,\nbetween 0 and 1", SIZE.small, color=th.warn, line_spacing=0.8)
        top = VGroup(formula, gate).arrange(RIGHT, buff=0.4, aligned_edge=UP)
        top.next_to(panel[1], DOWN, buff=0.12).set_x(c[0])
        with self.beat("Recurrent nets reuse their weights at every step, so gradients fade or explode too. "
                       "An LSTM keeps a memory, c_t = f c_(t−1) + new input. Back along c the factor is the forget "
                       "gate f, learned, between 0 and 1: it can stay near 1."):
            self.play(FadeIn(panel), Create(line), FadeIn(cells), run_time=1.2)
            self.wait(3.0)
            self.play(FadeIn(gates, news, new_labels), FadeIn(top), run_time=1.2)
            self.wait(2.0)
            self.play(GrowFromEdge(back, RIGHT), FadeIn(back_label), run_time=1.2)

    def history_beats(self) -> None:
        """The history, as a timeline of three beats, then the chapter's (and the episode's) moral."""
        th = self.theme
        self.play(*[FadeOut(m) for m in self.mobjects if m is not self.heading], run_time=0.6)
        entries = [e for group in TIMELINE for e in group]
        x_line, y = -4.7, 2.95
        rows = []
        for year, words in entries:
            what = self.text(words, SIZE.label, line_spacing=0.8)
            what.move_to([x_line + 0.3, y, 0], aligned_edge=UP + LEFT)
            line_h = self.text(year, SIZE.label).height  # the first line's height
            year_t = self.text(year, SIZE.label, color=th.warn)
            year_t.move_to([x_line - 0.3, y, 0], aligned_edge=UP + RIGHT)
            dot = Dot([x_line, y - line_h / 2, 0], radius=0.07, color=th.warn)
            rows.append(VGroup(dot, year_t, what))
            y -= TIMELINE_ROW + TIMELINE_LINE * words.count("\n")
        line = Line(rows[0][0].get_center() + UP * 0.3, rows[-1][0].get_center() + DOWN * 0.3,
                    stroke_color=th.muted, stroke_width=2)
        first, second, third = (len(TIMELINE[0]), len(TIMELINE[0]) + len(TIMELINE[1]), len(entries))
        with self.beat("1991: Hochreiter finds the vanishing gradient. 1994: Bengio, Simard and Frasconi analyse it. "
                       "1997: Hochreiter and Schmidhuber's LSTM; its forget gate came in 2000."):
            self.play(Create(line), run_time=0.6)
            for row in rows[:first]:
                self.play(FadeIn(row, shift=RIGHT * 0.2), run_time=0.6)
                self.wait(2.0)
        with self.beat("1998: LeNet-5, and LeCun's Var(w) = 1/n_in for tanh. 2006–2007: Hinton's, Bengio's and "
                       "LeCun's groups train deep nets layer by layer, each first taught to reproduce its input; "
                       "back prop then tunes all."):
            for row in rows[first:second]:
                self.play(FadeIn(row, shift=RIGHT * 0.2), run_time=0.6)
                self.wait(2.5)
        with self.beat("2010: Glorot and Bengio show sigmoids saturating and propose their start. 2010–2011: "
                       "ReLU. 2012: GPUs, far more data. 2015: He's rule, residual nets, batch normalisation."):
            for row in rows[second:third]:
                self.play(FadeIn(row, shift=RIGHT * 0.2), run_time=0.6)
                self.wait(1.5)
        summary = self.text("a gradient = a product of one factor per layer: keep each near 1", SIZE.label,
                            color=th.backward).move_to([0, y - 0.3, 0])
        self.say("A deep net's gradient is a product of one factor per layer: keep each near 1 and it reaches "
                 "layer 1.", FadeIn(summary), run_time=1.0)
