"""Chapter 12, "Other fixes, and the history": four later fixes, each in its own picture, then the history
of the problem, with the answer to the opening's puzzle.

- residual connections: a_l = a_(l-1) + g(z_l) (g = sigma in the default lesson), so back
  prop's factor per layer is 1 + w g'(z) instead of w g'(z); bars (log scale) of ||dC/db_l||
  of every hidden layer of chapter 7's net and digit, without and with skips, and the ratio
  layer 1 over the last hidden layer of each, written by ``fmt_ratio`` (computed);
- batch normalisation: z of one neuron of layer 1 over a mini-batch, with the starting
  weights and with every weight multiplied by k; z_hat = (z - mean)/sqrt(Var) is the same for
  both, then gamma z_hat + beta, a learned scale and shift (computed);
- gradient clipping: the whole step eta ||grad C|| (grad C: every dC/dw together; the letter
  g is the activation function) on chapter 9's linear net W = 1.5 I at every depth, without
  and with clipping at tau (computed);
- the LSTM's memory c_t = f_t c_(t-1) + new input: back along c the factor is the forget gate
  f, a learned number between 0 and 1 (a picture);
- the history as a timeline, each entry shown as its caption names it: 1991 Hochreiter, 1994
  Bengio, Simard and Frasconi, 1997 the LSTM (its forget gate in 2000); 1998 LeCun, Bottou, Orr
  and Müller's "Efficient BackProp", Var(w) = 1/n_in, and why deep nets still trained slowly: the common start
  uniform on (-1/sqrt(n), 1/sqrt(n)) has Var(w) = 1/(3n), so a sigmoid or tanh layer's factor is at
  most sqrt(1/3) g'(0) (computed); 2006-2007 pre-training; 2009-2012 GPUs and far more data,
  2010 Glorot and Bengio (sigmoid saturation; their start), 2010-2011 ReLU; 2015-2016 He's rule, residual nets and batch
  normalisation.

Every number comes from :func:`netsim.experiments.after.what_came_after`.

Render: ``.venv/bin/manim -ql scenes/after.py WhatCameAfter``.
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
    Animation,
    Arrow,
    Circle,
    Create,
    CurvedArrow,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Indicate,
    Line,
    Mobject,
    Rectangle,
    VGroup,
)

from netsim.experiments.after import AfterResult, what_came_after
from scenes.engine.chapters import number_of
from scenes.engine.common import LessonScene
from scenes.engine.i18n import Message, t
from scenes.engine.lesson import Lesson, per_net
from scenes.engine.plots import LogScale, polyline
from scenes.engine.style import SIZE, fmt_ratio, fmt_value, log_tick, log_ticks

#: The activation g of the lesson's hidden layers as captions write it (σ is the sigmoid only).
ACT_SYMBOL = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU"}
ACT_TEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}"}
#: The net colour (style.Theme.net) of the lesson's deep net without skips.
NET_COLOUR = {"tanh": "tanh", "relu": "relu"}
#: Where each fix's name sits (under the chapter heading), and the left edge of the pictures.
FIX_TITLE_Y, LEFT_X = 2.7, -6.7
#: The residual bars: the axis's lower left corner, width and height (its names above the subtitles' band).
BARS_BASE, BARS_W, BARS_H = np.array([1.4, -2.3, 0.0]), 4.9, 3.6
#: The clipping chart: lower left corner, width and height (its names above the subtitles' band).
CHART_BASE, CHART_W, CHART_H = np.array([-4.2, -2.7, 0.0]), 8.4, 3.45
#: The timeline: x of its line, the step from one entry to the next, and for each further line.
TIMELINE_X, TIMELINE_ROW, TIMELINE_LINE = -4.5, 0.5, 0.4
#: The timeline: a year, what happened (on-screen lines; $...$ is a formula) and the word of the
#: caption at which the entry appears, in the beats that speak of them. The 1998 entry's
#: further lines (the period's start and its factors) are built apart.
TIMELINE: tuple[tuple[tuple[str, tuple[tuple[Message | str, ...], ...], str], ...], ...] = (
    (("1991", ((t("Hochreiter finds the vanishing gradient in recurrent nets (diploma thesis)"),),), "1991"),
     ("1994", ((t("Bengio, Simard and Frasconi analyse it (recurrent nets)"),),), "1994"),
     ("1997", ((t("Hochreiter and Schmidhuber: the LSTM (forget gate: Gers et al., 1999)"),),), "1997")),
    (("1998", ((t("LeCun et al., Efficient BackProp:"), r"\mathrm{Var}(w) = 1/n_{in}",
                t("for their scaled tanh")),), "1998"),),
    (("2006–2007", ((t("pre-training: each layer first learns, without labels, to model its input"),),
                    (t("(restricted Boltzmann machines in Hinton's group, autoencoders in"),),
                    (t("Bengio's and LeCun's); then the whole net is fine-tuned, usually by back prop"),)), "2006"),),
    (("2009–2012", ((t("GPUs (graphics processors), far more data"),),), "GPU"),
     ("2010", ((t("Glorot and Bengio: sigmoid saturation; their start (chapter {chapter})",
                           chapter=number_of("wayout")),),), "Glorot"),
     ("2010–2011", ((t("ReLU: Nair and Hinton (Boltzmann machines); Glorot et al. (deep nets)"),),), "ReLU"),
     ("2015–2016", ((t("He's rule, batch normalisation, residual nets"),),), "2015")),
)


@per_net
def experiment(lesson: Lesson) -> AfterResult:
    """The experiment this scene shows for a lesson (computed once per net)."""
    return what_came_after(lesson.net, eta=lesson.learning_rate)


def skips_legend(layers: tuple[int, ...]) -> Message:
    """The legend of the bars with skips, naming their layers: "skips on layer 2", "... layers
    2 and 3", "... layers 2 to 4" or "... layers 2, 4", "same weights"."""
    if len(layers) == 1:
        return t("skips on layer {l}, same weights", l=layers[0])
    if len(layers) == 2:
        return t("skips on layers {first} and {second}, same weights", first=layers[0], second=layers[1])
    if list(layers) == list(range(layers[0], layers[-1] + 1)):
        return t("skips on layers {first} to {last}, same weights", first=layers[0], last=layers[-1])
    return t("skips on layers {layers}, same weights", layers=", ".join(str(n) for n in layers))


class WhatCameAfter(LessonScene):
    """Residual connections, batch normalisation, clipping and the LSTM; then the history."""

    def construct(self) -> None:
        self.res = experiment(self.lesson)
        act = self.lesson.activation
        self.g, self.g_tex = ACT_SYMBOL.get(act, "g"), ACT_TEX.get(act, "g")
        self.on_screen: VGroup | None = None
        self.heading = self.chapter_heading(t("Other fixes, and the history"))
        self.residual_beats()
        self.norm_beats()
        self.clip_beats()
        self.lstm_beats()
        self.history_beats()
        self.end_chapter()

    # ---------- helpers ----------
    def fix_title(self, title: Message) -> Mobject:
        """A fix's name, under the chapter heading."""
        head = self.text(title, SIZE.body, color=self.theme.warn)
        return head.move_to([LEFT_X, FIX_TITLE_Y, 0], aligned_edge=LEFT)

    def swap_in(self, *mobjects: Mobject) -> list[Animation]:
        """Fade out the previous fix's picture (the heading stays) and fade in ``mobjects``."""
        out = [FadeOut(self.on_screen)] if self.on_screen is not None else []
        self.on_screen = VGroup(*mobjects)
        return out + [FadeIn(m) for m in mobjects]

    def rich(self, *pieces: Message | str, size: int = SIZE.small, color: str | None = None) -> VGroup:
        """One line of words and formulas: each marked piece translated, each plain string typeset
        as a formula (LaTeX)."""
        parts = VGroup()
        for piece in pieces:
            parts.add(self.tex(piece, size, color) if isinstance(piece, str) else self.text(piece, size, color=color))
        return parts.arrange(RIGHT, buff=0.12)

    # ---------- beats ----------
    def residual_beats(self) -> None:
        """Residual connections: the block and its backward factor, then the computed bars."""
        th, r = self.theme, self.res.residual
        title = self.fix_title(t("Residual connections, simplest form"))
        y = 0.75
        a_in = self.tex("a_{l-1}", SIZE.label).move_to([LEFT_X + 0.4, y, 0])
        box = Rectangle(width=1.4, height=0.75, stroke_color=th.forward, stroke_width=2.5).move_to([-4.2, y, 0])
        act = self.tex(rf"{self.g_tex}(z_l)", SIZE.label, color=th.forward).move_to(box)
        act.scale_to_fit_width(min(act.width, box.width - 0.12))
        plus = Circle(radius=0.2, stroke_color=th.text, stroke_width=2.5).move_to([-2.6, y, 0])
        plus_sign = self.tex("+", SIZE.label).move_to(plus)
        a_out = self.tex("a_l", SIZE.label).move_to([-1.8, y, 0])
        wires = VGroup(*[Arrow(a.get_right(), b.get_left(), buff=buff, stroke_width=2.5, tip_length=0.15,
                               color=th.text)
                         for a, b, buff in ((a_in, box, 0.08), (box, plus, 0.0), (plus, a_out, 0.06))])
        skip = CurvedArrow(a_in.get_top() + UP * 0.08, plus.get_top(), angle=-1.5, stroke_width=3,
                           tip_length=0.16, color=th.net("skips"))
        skip_name = self.text(t("skip"), SIZE.small, color=th.net("skips")).next_to(skip, UP, buff=0.06)
        block = VGroup(a_in, box, act, plus, plus_sign, a_out, wires, skip, skip_name)
        formula = self.tex(rf"a_l = a_{{l-1}} + {self.g_tex}(z_l)", SIZE.label).next_to(block, DOWN, buff=0.5)
        formula.align_to(a_in, LEFT)
        factor = VGroup(self.text(t("factor back per layer (one neuron each):"), SIZE.small, color=th.muted),
                        self.tex(rf"\partial a_l/\partial a_{{l-1}} = 1 + w_l\,{self.g_tex}'(z_l)", SIZE.label,
                                 color=th.backward))
        factor.arrange(DOWN, buff=0.15, aligned_edge=LEFT).next_to(formula, DOWN, buff=0.45, aligned_edge=LEFT)
        caption = t("Residual connections add a layer's input to its output: a_l = a_(l−1) + {g}(z_l). Back prop "
                    "takes both paths; with one neuron per layer, each factor is 1 + w_l {g}'(z_l).", g=self.g)
        with self.beat(caption):
            start = self.renderer.time
            self.play(FadeIn(self.heading), *self.swap_in(title, block), run_time=1.0)
            self.reveal(start, caption, [("a_l =", [FadeIn(formula)], 0.6),
                                         ("Back prop", [FadeIn(factor), Indicate(skip, color=th.backward,
                                                                                  scale_factor=1.0)], 1.0)])
        self.on_screen.add(formula, factor)

        frame, plain, skipped, legend = self.residual_bars()
        last = r.depth - 1
        self.shown["plain_norms"] = [float(v) for v in r.plain_norms]
        self.shown["residual_norms"] = [float(v) for v in r.residual_norms]
        self.shown["skip_layers"] = [float(l) for l in r.skip_layers]
        self.shown["sample_label"] = float(r.label)
        self.shown["plain_ratio"] = float(r.plain_ratio)
        self.shown["residual_ratio"] = float(r.residual_ratio)
        self.shown["last_hidden"] = float(last)
        caption = self.residual_caption()
        with self.beat(caption):
            start = self.renderer.time
            self.play(FadeIn(frame), FadeIn(legend[0]), *[GrowFromEdge(b, DOWN) for b in plain], run_time=1.2)
            self.reveal(start, caption, [(fmt_ratio(r.residual_ratio), [FadeIn(legend[1]),
                                         *[GrowFromEdge(b, DOWN) for b in skipped]], 1.2)])
        self.on_screen.add(frame, plain, skipped, legend)

    def residual_caption(self) -> Message:
        """Layer 1's ||dC/db|| over the last hidden layer's, without and with skips (fmt_ratio), or
        that no gradient reaches the last hidden layer, where its ||dC/db|| is 0."""
        r = self.res.residual
        n, last = number_of("fading"), r.depth - 1
        plain_ok, skip_ok = r.plain_norms[last - 1] > 0, r.residual_norms[last - 1] > 0
        self.shown["plain_reaches"], self.shown["skip_reaches"] = float(plain_ok), float(skip_ok)
        plain, skip = fmt_ratio(r.plain_ratio), fmt_ratio(r.residual_ratio)
        fields = {"chapter": n, "last": last, "plain": plain, "skip": skip}
        if plain_ok and skip_ok:
            return t("Chapter {chapter}'s net and digit: layer 1's ‖∂C/∂b‖ over layer {last}'s is {plain} without "
                     "skips, {skip} with them.", **fields)
        if skip_ok:
            return t("Chapter {chapter}'s net and digit: without skips no gradient reaches layer {last} (‖∂C/∂b‖ = "
                     "0); with them, layer 1's ‖∂C/∂b‖ over layer {last}'s is {skip}.", **fields)
        if plain_ok:
            return t("Chapter {chapter}'s net and digit: with skips no gradient reaches layer {last} (‖∂C/∂b‖ = 0); "
                     "without them, layer 1's ‖∂C/∂b‖ over layer {last}'s is {plain}.", **fields)
        return t("Chapter {chapter}'s net and digit: no gradient reaches layer {last} (‖∂C/∂b‖ = 0), with skips or "
                 "without.", **fields)

    def residual_bars(self) -> tuple[VGroup, VGroup, VGroup, VGroup]:
        """Axis with 10^k tick labels; the plain net's bars and the bars with skips; the legend."""
        th, r = self.theme, self.res.residual
        lo, hi = r.decades
        self.shown["decades"] = [float(lo), float(hi)]
        base, width = BARS_BASE, BARS_W
        hidden = r.hidden
        plain_colour, skip_colour = th.net(NET_COLOUR.get(self.lesson.activation, "deep")), th.net("skips")

        scale = LogScale(lo, hi, base[1], BARS_H)

        def y_of(v: float) -> float:
            return scale.y(math.log10(v))

        axis = VGroup(Line(base, base + RIGHT * width, stroke_color=th.muted, stroke_width=2),
                      Line(base, base + UP * BARS_H, stroke_color=th.muted, stroke_width=2))
        ticks = VGroup()
        labelled = log_ticks(lo, hi, most=6)
        self.shown["bar_ticks"] = [float(k) for k in labelled]
        for k in labelled:
            y = scale.y(k)
            ticks.add(Line([base[0] - 0.07, y, 0], [base[0], y, 0], stroke_color=th.muted, stroke_width=2))
            ticks.add(log_tick(k, th).next_to([base[0] - 0.07, y, 0], LEFT, buff=0.08))
        slot = width / len(hidden)
        bar_w = min(0.45, slot * 0.36)
        plain, skipped, names = VGroup(), VGroup(), VGroup()
        for i, l in enumerate(hidden):
            x = base[0] + slot * (i + 0.5)
            for v, group, dx, color in ((r.plain_norms[l - 1], plain, -bar_w / 2, plain_colour),
                                        (r.residual_norms[l - 1], skipped, bar_w / 2, skip_colour)):
                h = max(0.02, y_of(max(v, 10.0 ** lo)) - base[1]) if v > 0 else 0.02
                group.add(Rectangle(width=bar_w, height=h, stroke_width=0, fill_color=color, fill_opacity=0.9)
                          .move_to([x + dx, base[1] + h / 2, 0]))
            if len(hidden) <= 8 or l in (1, hidden[-1]) or l % 2 == 1:
                names.add(self.text(str(l), SIZE.small, color=th.muted).move_to([x, base[1] - 0.24, 0]))
        caption = self.text(t("hidden layer"), SIZE.small, color=th.muted)
        caption.move_to([base[0] + width / 2, base[1] - 0.58, 0])
        head = VGroup(self.tex(r"\|\partial C/\partial b_l\|", SIZE.small, color=th.muted),
                      self.text(t("(log scale)"), SIZE.small, color=th.muted)).arrange(RIGHT, buff=0.15)
        head.next_to(base + UP * BARS_H, UP, buff=0.2).align_to(base + LEFT * 0.6, LEFT)
        legend_plain = VGroup(Rectangle(width=0.2, height=0.2, stroke_width=0, fill_color=plain_colour,
                                        fill_opacity=0.9), self.text(t("no skips"), SIZE.small, color=plain_colour))
        skips = self.text(skips_legend(r.skip_layers), SIZE.small, color=skip_colour)
        legend_skip = VGroup(Rectangle(width=0.2, height=0.2, stroke_width=0, fill_color=skip_colour,
                                       fill_opacity=0.9), skips)
        for group in (legend_plain, legend_skip):
            group.arrange(RIGHT, buff=0.1)
        legend = VGroup(legend_plain, legend_skip).arrange(DOWN, buff=0.12, aligned_edge=LEFT)
        legend.move_to([base[0] + width - legend.width / 2, FIX_TITLE_Y, 0])
        frame = VGroup(axis, ticks, names, caption, head)
        return frame, plain, skipped, legend

    def norm_beats(self) -> None:
        """Batch normalisation: one neuron's z over a mini-batch, with W_1 and k W_1; the same z_hat."""
        th, bn = self.theme, self.res.batch_norm
        title = self.fix_title(t("Batch normalisation"))
        self.shown["bn_batch"] = float(bn.batch)
        self.shown["bn_factor"] = float(bn.factor)
        self.shown["bn_z"] = list(bn.z)
        self.shown["bn_z_scaled"] = list(bn.z_scaled)
        self.shown["bn_z_hat"] = list(bn.z_hat)
        self.shown["bn_z_hat_scaled"] = list(bn.z_hat_scaled)
        rule = self.tex(r"\hat z = \frac{z - \bar z}{\sqrt{\mathrm{Var}}}\ \longrightarrow\ \gamma\,\hat z + \beta",
                        SIZE.label)
        rule.move_to([LEFT_X, 1.75, 0], aligned_edge=LEFT)
        notes = VGroup(self.rich(r"\bar z", t(": the mean over the mini-batch"), color=th.muted),
                       self.rich(r"\gamma, \beta", t(": a learned scale and shift"), color=th.muted))
        notes.arrange(DOWN, buff=0.14, aligned_edge=LEFT).next_to(rule, RIGHT, buff=0.7)
        everything = list(bn.z) + list(bn.z_scaled) + list(bn.z_hat) + [0.0]
        z_lo, z_hi = math.floor(min(everything)), math.ceil(max(everything))
        if z_hi == z_lo:  # every z is 0: an axis from -1 to 1 around it
            z_lo, z_hi = z_lo - 1, z_hi + 1
        self.shown["bn_axis"] = [float(z_lo), float(z_hi)]
        x0, width = -2.6, 9.0
        rows_y = [0.45, -0.55, -1.55]

        def at(z: float, y: float) -> np.ndarray:
            return np.array([x0 + width * (z - z_lo) / (z_hi - z_lo), y, 0.0])

        k = fmt_value(bn.factor)
        self.shown["bn_factor_label"] = float(bn.factor)
        names = [self.rich(t("z, weights"), "W_1", color=th.muted),
                 self.rich(t("z, weights"), f"{k}\\cdot W_1", color=th.muted),
                 self.rich(r"\hat z", color=th.muted)]
        rows = []
        for name, y in zip(names, rows_y):
            axis = Line(at(z_lo, y), at(z_hi, y), stroke_color=th.edge, stroke_width=2)
            name.next_to(at(z_lo, y), LEFT, buff=0.25)
            rows.append(VGroup(name, axis))
        zero = DashedLine(at(0, rows_y[0] + 0.3), at(0, rows_y[-1] - 0.3), stroke_color=th.muted, stroke_width=1.5)
        zero_label = self.text("0", SIZE.small, color=th.muted).next_to(zero, DOWN, buff=0.08)
        dots_w = VGroup(*[Dot(at(z, rows_y[0]), radius=0.075, color=th.forward) for z in bn.z])
        dots_k = VGroup(*[Dot(at(z, rows_y[1]), radius=0.075, color=th.warn) for z in bn.z_scaled])
        if bn.equal:
            hats = VGroup(self.text(t("all z equal: nothing to rescale"), SIZE.small, color=th.muted)
                          .next_to(rows[2][0], RIGHT, buff=0.3))
            rows[2] = VGroup(rows[2][0])
        else:
            hats = VGroup(*[Dot(at(z, rows_y[2]), radius=0.09, color=th.forward) for z in bn.z_hat],
                          *[Circle(radius=0.13, stroke_color=th.warn, stroke_width=2.5).move_to(at(z, rows_y[2]))
                            for z in bn.z_hat_scaled])
        batch = self.text(t("one neuron of layer 1, a mini-batch of {batch} digits", batch=bn.batch), SIZE.small,
                          color=th.muted)
        batch.move_to([x0 + width / 2, -2.75, 0])
        caption = t("Batch normalisation rescales a neuron's z over a mini-batch to mean 0, Var 1, then by a learned "
                    "scale γ and shift β. Dividing by √Var undoes any positive scaling of w, "
                    "though back prop's factor need not be 1.")
        with self.beat(caption):
            start = self.renderer.time
            self.play(*self.swap_in(title, rule, rows[0], zero, zero_label, dots_w, batch), run_time=1.0)
            self.reveal(start, caption, [("γ", [FadeIn(notes)], 0.6),
                                         ("√", [FadeIn(rows[1]), FadeIn(dots_k)], 0.8)])
            self.wait(0.5)
            self.play(FadeIn(rows[2]), FadeIn(hats), run_time=0.8)
        self.on_screen.add(notes, rows[1], dots_k, rows[2], hats)

    def clip_beats(self) -> None:
        """Gradient clipping on chapter 9's linear net: the whole step eta ||grad C|| at every depth."""
        th, cl = self.theme, self.res.clipping
        title = self.fix_title(t("Gradient clipping (exploding gradients only)"))
        x0, y0 = CHART_BASE[0], CHART_BASE[1]
        w = CHART_W
        logs = np.log10(np.array(cl.steps))
        low = min(np.log10(cl.clipped_steps).min(), logs.min())
        lo = math.floor(low) - (1 if low - math.floor(low) < 0.3 else 0)  # the clipped line clear of the axis
        hi = math.ceil(logs.max())
        labelled = log_ticks(lo, hi, most=6)
        while labelled[-1] < hi:  # the axis ends on a labelled tick, so the top value is read off it
            hi = 2 * labelled[-1] - labelled[-2] if len(labelled) > 1 else labelled[-1] + 1
            labelled = log_ticks(lo, hi, most=6)
        self.shown["clip_decades"] = [float(lo), float(hi)]

        scale = LogScale(lo, hi, y0, CHART_H)

        def at(L: float, value: float) -> np.ndarray:
            return np.array([x0 + w * L / cl.depth, scale.y(math.log10(value)), 0.0])

        axis = VGroup(Line([x0, y0, 0], [x0 + w, y0, 0], stroke_color=th.muted, stroke_width=2),
                      Line([x0, y0, 0], [x0, y0 + CHART_H, 0], stroke_color=th.muted, stroke_width=2))
        self.shown["clip_ticks"] = [float(k) for k in labelled]
        ticks = VGroup(*[log_tick(k, th).next_to([x0, scale.y(k), 0], LEFT, buff=0.12) for k in labelled])
        depth_ticks = VGroup(*[self.text(str(n), SIZE.small, color=th.muted).move_to([x0 + w * n / cl.depth,
                                                                                       y0 - 0.25, 0])
                               for n in (1, cl.depth)])
        self.shown["clip_depth"] = float(cl.depth)
        x_name = self.text(t("depth L: the net's number of layers"), SIZE.small, color=th.muted)
        x_name.move_to([x0 + w / 2, y0 - 0.3, 0])
        head = self.text(t("length of the whole step (float64), log scale"), SIZE.small, color=th.muted)
        head.next_to([x0, y0 + CHART_H, 0], UP, buff=0.2).align_to([x0 - 0.5, 0, 0], LEFT)
        raw = polyline([at(L, s) for L, s in zip(cl.depths, cl.steps)], th.overflow, 3.5)
        clipped = polyline([at(L, s) for L, s in zip(cl.depths, cl.clipped_steps)], th.good, 3.5)
        raw_label = VGroup(self.tex(r"\eta\,\|\nabla C\| =", SIZE.label, color=th.overflow),
                           self.number("step", cl.step, SIZE.label)).arrange(RIGHT, buff=0.12)
        raw_label[1].set_color(th.overflow)
        # the label names the value at the line's end (depth L), so it sits there, not mid-line
        raw_label.next_to(at(cl.depths[-1], cl.steps[-1]), UP + LEFT, buff=0.1)  # above the rising line
        clip_label = VGroup(self.text(t("clipped:"), SIZE.label, color=th.good),
                            self.number("clipped_step", cl.clipped_step, SIZE.label))
        clip_label[1].set_color(th.good)
        clip_label.arrange(RIGHT, buff=0.12).next_to(at(cl.depth * 0.8, cl.clipped_step), UP, buff=0.15)
        rule = self.tex(r"\|\nabla C\| > \tau:\ \ \nabla C \leftarrow \nabla C\,\tau/\|\nabla C\|", SIZE.label)
        rule.move_to([LEFT_X, 1.85, 0], aligned_edge=LEFT)
        nabla = self.rich(r"\nabla C", t(": all the"), r"\partial C/\partial w", t("together"), color=th.muted)
        nabla.next_to(rule, RIGHT, buff=0.6)
        net = VGroup(self.text(t("chapter {chapter}'s linear net:", chapter=number_of("exploding")), SIZE.small,
                               color=th.muted),
                     self.tex("W =", SIZE.small, color=th.muted), self.number("net_scale", cl.scale, SIZE.small),
                     self.tex(r"\cdot I", SIZE.small, color=th.muted))
        net[2].set_color(th.muted)
        net.arrange(RIGHT, buff=0.1).next_to(head, RIGHT, buff=0.6)
        self.shown["eta"] = float(cl.eta)
        self.shown["threshold"] = float(cl.threshold)
        self.shown["scale"] = float(cl.scale)
        self.shown["cosine"] = float(cl.cosine)
        step, clipped_step = self.inline("caption_step", cl.step), self.inline("caption_clipped_step", cl.clipped_step)
        tau = self.inline("caption_threshold", cl.threshold)
        caption = t("Clipping caps ∇C (every ∂C/∂w) at length τ. Chapter {chapter}'s "
                    "net, {depth} layers, η = {eta}: the step η‖∇C‖ is {step}; clipped at τ = {tau}, it is {clipped}.",
                    chapter=number_of("exploding"), depth=cl.depth, eta=self.inline("caption_eta", cl.eta), step=step,
                    tau=tau, clipped=clipped_step)
        with self.beat(caption):
            start = self.renderer.time
            self.play(*self.swap_in(title, rule, nabla), run_time=1.0)
            self.reveal(start, caption, [(" layers", [FadeIn(axis, ticks, depth_ticks, x_name, head, net),
                                                     Create(raw)], 1.5),
                                         (step, [FadeIn(raw_label)], 0.6),
                                         (clipped_step, [Create(clipped), FadeIn(clip_label)], 0.8)])
            self.wait(0.5)  # the clipped line drawn whole before the picture changes
        self.on_screen.add(axis, ticks, depth_ticks, x_name, head, net, raw, raw_label, clipped, clip_label)

    def lstm_beats(self) -> None:
        """The LSTM's memory cell: c carried forward through each step's forget gate f_t; back along c, a
        factor f_t per step."""
        th = self.theme
        title = self.fix_title(t("LSTM (long short-term memory)"))
        recurrent = self.text(t("a recurrent net reads a sequence step by step, with the same weights at every step"),
                              SIZE.small, color=th.muted)
        recurrent.move_to([LEFT_X, 2.05, 0], aligned_edge=LEFT)
        y = -0.3
        xs = [-5.6, -1.9, 1.9, 5.6]
        names = [r"c_{t-1}", r"c_t", r"c_{t+1}"]
        line = Line([xs[0] + 0.7, y, 0], [xs[-1], y, 0], stroke_color=th.forward, stroke_width=5)
        cells = VGroup()
        for i, name in enumerate(names):
            x = xs[0] if i == 0 else (xs[i] + 0.9)
            cells.add(self.tex(name, SIZE.label, color=th.forward).move_to([x, y + (0 if i == 0 else 0.5), 0]))
        gates, news = VGroup(), VGroup()
        for x, gate_name in zip((xs[1], xs[2]), ("f_t", "f_{t+1}")):  # each step's own gate
            times = Circle(radius=0.24, stroke_color=th.text, stroke_width=2.5, fill_color=th.background,
                           fill_opacity=1).move_to([x - 0.7, y, 0])
            gates.add(VGroup(times, self.tex(r"\times", SIZE.label).move_to(times),
                             self.tex(gate_name, SIZE.label, color=th.warn).next_to(times, UP, buff=0.1)))
            plus = Circle(radius=0.24, stroke_color=th.text, stroke_width=2.5, fill_color=th.background,
                          fill_opacity=1).move_to([x + 0.2, y, 0])
            feed = Arrow([x + 0.2, y - 0.85, 0], plus.get_bottom(), buff=0.0, stroke_width=2.5, tip_length=0.15,
                         color=th.muted)
            news.add(VGroup(plus, self.tex("+", SIZE.label).move_to(plus), feed))
        new_labels = VGroup(*[self.text(t("new input"), SIZE.small, color=th.muted).move_to([x + 0.2, y - 1.05, 0])
                              for x in (xs[1], xs[2])])
        back = Arrow([xs[-1], y - 1.6, 0], [xs[0] + 0.7, y - 1.6, 0], buff=0, stroke_width=3.5,
                     tip_length=0.2, color=th.backward)
        back_label = self.rich(t("back along c:"), r"\times f_t", t("per step"), size=SIZE.label, color=th.backward)
        back_label.next_to(back, DOWN, buff=0.12)
        formula = VGroup(self.tex(r"c_t = f_t\,c_{t-1}\ +", SIZE.label), self.text(t("new input"), SIZE.label))
        formula.arrange(RIGHT, buff=0.15)
        gate = self.rich("f_t", t(": forget gate, learned, between 0 and 1"), size=SIZE.label, color=th.warn)
        top = VGroup(formula, gate).arrange(RIGHT, buff=0.8).move_to([0, 1.25, 0])
        caption = t("Recurrent nets reuse weights at each step of a sequence: gradients fade or explode "
                    "too. An LSTM's memory c_t = f_t c_(t−1) + new input passes back through f_t: 1 in 1997's LSTM; "
                    "since 1999, Gers et al.'s learned forget gate: near 1 it carries the error back, near 0 it "
                    "forgets.")
        with self.beat(caption):
            start = self.renderer.time
            self.play(*self.swap_in(title, recurrent, line, cells), run_time=1.0)
            self.reveal(start, caption, [("c_t", [FadeIn(gates, news, new_labels), FadeIn(top[0])], 1.0),
                                         ("forget gate", [FadeIn(top[1])], 0.6)])
            self.wait(0.5)
            self.play(GrowFromEdge(back, RIGHT), FadeIn(back_label), run_time=1.0)
        self.on_screen.add(gates, news, new_labels, top, back, back_label)

    def timeline_row(self, year: str, lines: Sequence[Sequence[Message | str]], y: float) -> VGroup:
        """One entry: a dot on the line, the year, and its lines of words and formulas (:meth:`rich`)."""
        th = self.theme
        words = VGroup(*[self.rich(*line) for line in lines])
        words.arrange(DOWN, buff=TIMELINE_LINE - words[0].height, aligned_edge=LEFT)
        words.move_to([TIMELINE_X + 0.3, y, 0], aligned_edge=UP + LEFT)
        year_t = self.text(year, SIZE.label, color=th.warn)
        year_t.move_to([TIMELINE_X - 0.3, words[0].get_center()[1], 0], aligned_edge=RIGHT)
        dot = Dot([TIMELINE_X, words[0].get_center()[1], 0], radius=0.07, color=th.warn)
        return VGroup(dot, year_t, words)

    def period_lines(self, y: float) -> tuple[VGroup, VGroup]:
        """The 1998 entry's further lines: the common start of the time, and the most a sigmoid or
        tanh layer's factor (chapter 10's) can be with it (computed)."""
        th, p = self.theme, self.res.period
        start = self.rich(t("yet a common start, uniform on"), r"(-1/\sqrt{n},\ 1/\sqrt{n})", t(", has"),
                          r"\mathrm{Var}(w) = 1/(3n)", t(":"))
        self.shown["period_n_var"] = float(p.n_var)
        sigmoid, tanh = p.bound("sigmoid"), p.bound("tanh")
        factor = VGroup(self.text(t("chapter {chapter}'s factor", chapter=number_of("wayout")), SIZE.small),
                        self.tex(r"\sqrt{n\,\mathrm{Var}(w)\,E[g'^2]}\ \le", SIZE.small),
                        self.number("period_sigmoid_bound", sigmoid, SIZE.small),
                        self.tex(r"(\sigma),", SIZE.small),
                        self.number("period_tanh_bound", tanh, SIZE.small),
                        self.tex(r"(\tanh)", SIZE.small)).arrange(RIGHT, buff=0.12)
        for n in (factor[2], factor[4]):
            n.set_color(th.backward)
        start.move_to([TIMELINE_X + 0.3, y, 0], aligned_edge=UP + LEFT)
        factor.next_to(start, DOWN, buff=TIMELINE_LINE - start.height, aligned_edge=LEFT)
        return start, factor

    def history_beats(self) -> None:
        """The history, as a timeline whose entries appear as the captions name them, the answer to
        the opening's puzzle in the 1998 entry, then the chapter's (and the episode's) moral."""
        th = self.theme
        y = 2.8
        beats: list[list[tuple[str, VGroup]]] = []
        extra: tuple[VGroup, VGroup] | None = None
        for group in TIMELINE:
            beats.append([])
            for year, lines, marker in group:
                row = self.timeline_row(year, lines, y)
                beats[-1].append((marker, row))
                y -= TIMELINE_ROW + TIMELINE_LINE * (len(lines) - 1)
                if year == "1998":
                    extra = self.period_lines(y + TIMELINE_ROW - TIMELINE_LINE)
                    y -= 2 * TIMELINE_LINE
        assert extra is not None
        last_dot = beats[-1][-1][1][0].get_center()
        line = Line([TIMELINE_X, 3.05, 0], last_dot + DOWN * 0.2, stroke_color=th.muted, stroke_width=2)
        p = self.res.period
        captions = (
            t("1991: Hochreiter's thesis finds the problem; 1994: Bengio, Simard and Frasconi analyse it; "
              "1997: Hochreiter and Schmidhuber's LSTM."),
            t("1998: LeCun et al.'s Var(w) = 1/n_in, for their scaled tanh. Yet a common start, uniform on ±1/√n, had "
              "Var = 1/(3n): factors at most {tanh} (tanh), {sigmoid} (σ).",
              tanh=self.inline("caption_period_tanh", p.bound("tanh")),
              sigmoid=self.inline("caption_period_sigmoid", p.bound("sigmoid"))),
            t("2006–2007: pre-training, layer by layer without labels, then fine-tuning of the whole net."),
            t("2009–2012: GPUs, far more data; 2010: Glorot and Bengio's start; 2010–2011: ReLU in deep nets. "
              "With enough labels, this pre-training became unnecessary. 2015–2016: He's rule, batch normalisation, "
              "residual nets."),
        )
        for i, (caption, rows) in enumerate(zip(captions, beats)):
            with self.beat(caption):
                start = self.renderer.time
                steps: list[tuple[str, Sequence[Animation], float]] = []
                if i == 0:
                    steps.append(("", [*self.swap_in(line)], 0.6))
                steps += [(marker, [FadeIn(row, shift=RIGHT * 0.2)], 0.6) for marker, row in rows]
                if i == 1:
                    steps += [("uniform", [FadeIn(extra[0])], 0.6), ("1/(3n)", [FadeIn(extra[1])], 0.6)]
                self.reveal(start, caption, steps)
        # one factor per layer, a matrix when layers are wide (chapter 9's W stretches by direction)
        # the moral alone, mid-frame: under the timeline it would sit in the strip where players draw subtitles
        moral = self.tr(t("a gradient = a product of one factor per layer:\nkeep each near 1, on average"))
        summary = VGroup(*[self.text(line, SIZE.body, color=th.backward) for line in moral.split("\n")])
        summary.arrange(DOWN, buff=0.3)
        summary.scale_to_fit_width(min(summary.width, 13.0)).move_to([0, 0, 0])
        timeline = [m for m in self.mobjects if m is not self.heading]
        self.say(t("A gradient is a product of one factor per layer, a matrix in a wide net: keep each stretch near "
                   "1, on average."), FadeOut(*timeline), FadeIn(summary), run_time=1.0)
