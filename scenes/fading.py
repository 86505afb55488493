"""Chapter 7: gradients fading across a deep net.

One real digit goes forward through the lesson's deep net (left to right: z_l = W_l a_(l-1)
+ b_l, a_l = σ(z_l), neurons lit by their activation a_l). The cost switches, said and
shown once, from chapter 2's quadratic cost to the cross-entropy, whose output error is
δ_L = a_L − y: no σ' factor, so saturated outputs do not shrink it. Then back
prop passes δ_l = ∂C/∂z_l back: each drawn edge takes the colour and width of its own
|∂C/∂W_l[j, k]| = |δ_l[j] a_(l-1)[k]| on a log scale, and a bar per layer shows its size
‖∂C/∂b_l‖ = ‖δ_l‖ on a log axis. (The size ‖·‖, log scales and e-notation are chapter 5's
and chapter 6's: not explained again here; every log axis is labelled 10^k.) The headline
compares hidden layers with hidden layers, layer 1 with layer L-1, written "1/120", and
Nielsen's published norms are set beside ours, with why they differ. Every number comes from
:func:`netsim.experiments.fading.fading`.
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    AnimationGroup,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Indicate,
    Line,
    Rectangle,
    Succession,
    VGroup,
)

from netsim.experiments.fading import (
    BOOK_IMAGES,
    BOOK_RATIO_SAID,
    BOOK_SIZES,
    MNIST_SIDE,
    FadingResult,
    fading,
)
from netsim.experiments.shared import REGIME_THRESHOLD
from netsim.experiments.training import SETUP
from netsim.init import weight_param
from netsim.spec import NetSpec
from scenes.engine.chapters import number_of
from scenes.engine.common import LessonScene
from scenes.engine.drawn import GradientPicture, gradient_picture
from scenes.engine.i18n import Message, t
from scenes.engine.lesson import Lesson, per_net
from scenes.engine.netdiagram import (
    DEEP_NET_CENTER,
    DEEP_NET_HEIGHT,
    DEEP_NET_SAMPLE,
    DEEP_NET_WIDTH,
    DIGIT_X,
    NetDiagram,
    digit_picture,
    gradient_edge_styles,
)
from scenes.engine.plots import LogScale
from scenes.engine.style import SIZE, GradientScale, fmt_ratio, fmt_value, log_tick, log_ticks

#: The digit of the data set the scene sends through the net (the opening's too).
SAMPLE = DEEP_NET_SAMPLE

NET_CENTER = DEEP_NET_CENTER
BAR_BASE_Y = -2.0
BAR_MAX_HEIGHT = 0.9
BAR_WIDTH = 0.42
#: Where formulas stand, one under the other, before the bar chart takes that place.
SLOT_Y = (-1.3, -2.05, -2.8)
#: Where the colour legend stands, how tall its bar is; the δ reminder under it.
LEGEND_CENTER = (6.1, 1.6)
LEGEND_HEIGHT = 2.0
DELTA_NOTE_X = 5.75
DELTA_NOTE_Y = (-0.35, -1.05)
#: The rows under the bars: Nielsen's published norms, then the headline ratio, which stays above
#: the frame's bottom tenth (players draw subtitles over it).
BOOK_Y = -2.62
RATIO_Y = -3.02
#: Seconds the backward sweep spends on each layer.
SWEEP_STEP = 0.8
#: Bars dimmed to this opacity are left out of the comparison (the output layer's).
LEFT_OUT_OPACITY = 0.3

#: How lesson values are written in captions.
DISPLAY_NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear"}

#: a_l in terms of z_l: σ is the sigmoid only; any other activation is a g.
ACTIVATION_TEX = {"sigmoid": r"\sigma(z_l)"}

#: The colour each kind of net has in every chapter (``Theme.net``), by its hidden activation.
NET_COLOUR = {"sigmoid": "deep", "tanh": "tanh", "relu": "relu"}

TITLES = {
    "vanishing": t("Gradients fading across a deep net"),
    "level": t("Gradients holding up across a deep net"),
    "exploding": t("Gradients exploding across a deep net"),
}


@per_net
def experiment(lesson: Lesson) -> FadingResult:
    """The experiment this scene shows, for a lesson: its net, on chapter 7's digit."""
    return fading(lesson.net, sample=SAMPLE)


def start_words(net: NetSpec) -> Message:
    """How the net's weights and biases start, said once where the net is first drawn in full
    (chapter 10 names the rules and gives their reasons); n is a neuron's number of inputs."""
    biases = t("biases of typical size 1") if net.bias_init == "normal" else t("biases 0")
    xavier = t("A random start: weights of typical size √(2/(n + m)) (mean square 2/(n + m)) for n inputs and m "
               "neurons, {biases}.",
               biases=biases)
    return {
        "nielsen": t("A random start: weights of typical size 1/√n (mean square 1/n) for n inputs, {biases}.",
                     biases=biases),
        "he": t("A random start: weights of typical size √(2/n) (mean square 2/n) for n inputs, {biases}.",
                biases=biases),
        "xavier-normal": xavier,
        "xavier-uniform": xavier,
        "normal": t("A random start: weights of typical size {size}, {biases}.",
                    size=fmt_value(weight_param("normal", net.init_param)), biases=biases),
        "identity": t("Its weights start at {size} where a neuron meets the input of its own number, 0 elsewhere; "
                      "{biases}.", size=fmt_value(weight_param("identity", net.init_param)), biases=biases),
    }[net.init]


def whole(n: int) -> str:
    """A count as the episode writes it: 70,000."""
    return f"{int(n):,}"


class GradientsFading(LessonScene):
    """A deep net's gradients, layer by layer, for one real digit."""

    def construct(self) -> None:
        self.result: FadingResult = experiment(self.lesson)
        self.picture: GradientPicture = gradient_picture(self.result)  # the neurons drawn, their edges
        self.scale = GradientScale(*self.picture.decades)
        self.net_colour = self.colour_of_net()
        self.show_net()
        self.forward_pass()
        self.switch_cost()
        self.pass_back()
        self.backward_sweep()
        self.compare_first_and_last()
        self.book_reference()
        self.closing()
        self.fade_out()

    def colour_of_net(self) -> str:
        """The lesson's net's colour in every chapter (``theme.net``); the text colour for a
        kind of net the episode gives no colour."""
        key = NET_COLOUR.get(self.lesson.activation)
        return self.theme.net(key) if key else self.theme.text

    # -- beats ---------------------------------------------------------------------------

    def show_net(self) -> None:
        """Beat 1: the net, its sizes, and the digit it gets as input."""
        r, th = self.result, self.theme
        self.heading = self.chapter_heading(TITLES[r.regime])
        self.title = self.heading[0]
        drawn = self.picture.drawn
        self.diagram = NetDiagram(r.sizes, th, shown=drawn, width=DEEP_NET_WIDTH, height=DEEP_NET_HEIGHT)
        self.diagram.move_to(NET_CENTER)
        self.shown["sizes"] = [float(n) for n in r.sizes]
        sizes = VGroup(*[
            self.text(str(n), SIZE.small, color=th.muted).next_to(self.diagram.column(l), DOWN, buff=0.15)
            for l, n in enumerate(r.sizes)
        ])
        self.pixel_squares, self.digit = digit_picture(r.pixels, drawn[0], th)
        self.digit.move_to([DIGIT_X, NET_CENTER[1], 0])
        label_row = VGroup(self.text(t("label"), SIZE.label, color=th.muted),
                           self.number("label", r.label)).arrange(RIGHT, buff=0.15)
        label_row.next_to(self.digit, DOWN, buff=0.25)
        heading = self.text(t("input"), SIZE.small, color=th.muted).next_to(self.digit, UP, buff=0.2)
        wires = VGroup(*[
            Line(self.pixel_squares[k].get_center(), self.diagram.neuron(0, k).get_left(),
                 stroke_color=th.muted, stroke_width=1, stroke_opacity=0.7)
            for k in drawn[0]
        ])
        self.add_foreground_mobject(self.digit)
        outputs = VGroup(*[
            self.text(str(n.index), SIZE.small, color=th.muted).next_to(n, RIGHT, buff=0.12)
            for n in self.diagram.layers[-1]
        ])
        self.output_digits = outputs
        pixels = self.inline("pixels", r.sizes[0])
        hidden = self.inline("hidden_layers", r.last_hidden)
        width = self.inline("width", r.sizes[1])
        outs = self.inline("outputs", r.sizes[-1])
        dots = [e for e in self.diagram.ellipses if e is not None]
        f = {"pixels": pixels, "hidden": hidden, "width": width, "outputs": outs}
        with self.beat(t("The deep net: {pixels} pixels in, {hidden} hidden layers of {width} (a few drawn), "
                         "{outputs} outputs.", **f) if dots else
                       t("The deep net: {pixels} pixels in, {hidden} hidden layers of {width} neurons, {outputs} "
                         "outputs.", **f)):
            self.play(FadeIn(self.heading), FadeIn(self.diagram),
                      FadeIn(sizes, self.digit, heading, label_row, wires, outputs), run_time=2)
            if dots:  # the dots stand for the neurons left out; each grows in place (a group would spread out)
                self.play(*[Indicate(d, color=th.text, scale_factor=1.6) for d in dots], run_time=1.2)
        # the start on screen too, where the formula will go: the caption's own words
        start = start_words(self.lesson.net)
        self.start_note = self.text(start, SIZE.small, color=th.muted)
        if self.start_note.width > 13.0:  # a long translation stays inside the 14.2-wide frame
            self.start_note.scale_to_fit_width(13.0)
        self.start_note.move_to([0, SLOT_Y[0], 0])
        self.say(start, FadeIn(self.start_note), run_time=0.8)

    def forward_pass(self) -> None:
        """Beat 2: left to right, every layer computes z_l and lights up by its activation a_l."""
        r, th = self.result, self.theme
        steps = [self.diagram.activation_animation(l, a, th.forward) for l, a in enumerate(r.activations)]
        act = ACTIVATION_TEX.get(r.activation, "g(z_l)")
        formula = self.tex(rf"z_l = W_l\, a_{{l-1}} + b_l, \qquad a_l = {act}", SIZE.label)
        formula.move_to([0, SLOT_Y[0], 0])
        after_l = t(", one row per neuron;")
        where = VGroup(self.tex("W_l", SIZE.small, color=th.muted),
                       self.text(t("the table of weights into layer"), SIZE.small, color=th.muted),
                       self.tex("l", SIZE.small, color=th.muted),
                       self.text(after_l, SIZE.small, color=th.muted),
                       self.tex("b_l", SIZE.small, color=th.muted),
                       self.text(t("its biases;"), SIZE.small, color=th.muted),
                       self.tex("a_0", SIZE.small, color=th.muted),
                       self.text(t("the pixels"), SIZE.small, color=th.muted)).arrange(RIGHT, buff=0.13)
        if self.tr(after_l)[:1] in ",，":  # a comma sits right after the l; a word keeps its space
            for piece in where[3:]:
                piece.shift(0.1 * LEFT)
        where.move_to([0, SLOT_Y[1], 0])
        rows = [formula, where]
        if r.activation != "sigmoid":
            name = DISPLAY_NAMES.get(r.activation, r.activation)
            g = VGroup(self.tex("g", SIZE.small, color=th.muted),
                       self.text(t("= {g} here; the output layer uses", g=name), SIZE.small, color=th.muted),
                       self.tex(r"\sigma", SIZE.small, color=th.muted)).arrange(RIGHT, buff=0.13)
            rows.append(g.move_to([0, SLOT_Y[2], 0]))
        self.forward_formula = VGroup(*rows)
        digit = self.inline("label", r.label)
        if r.activation == "sigmoid":
            caption = t("Forward: a handwritten {digit} goes in; layer l computes z_l = W_l a_(l−1) + b_l, "
                        "a_l = σ(z_l), with W_l a table of weights, one row per neuron: each neuron adds up its "
                        "weights times its inputs.", digit=digit)
        else:
            caption = t("Forward: a handwritten {digit} goes in; layer l computes z_l = W_l a_(l−1) + b_l, "
                        "a_l = g(z_l), with W_l a table of weights, one row per neuron: each neuron adds up its "
                        "weights times its inputs.", digit=digit)
        with self.beat(caption):  # the start's note leaves before the formula takes its place: never both at once
            self.play(FadeOut(self.start_note), run_time=0.4)
            self.play(FadeIn(self.forward_formula), Succession(*steps, lag_ratio=1.0), run_time=0.6 * len(steps))

    def switch_cost(self) -> None:
        """Beat 3: the switch, said once, from the quadratic cost to the cross-entropy."""
        r, th = self.result, self.theme
        L = r.depth
        ch2 = number_of("cost")
        old = VGroup(self.text(t("chapter {chapter}:", chapter=ch2), SIZE.small, color=th.muted),
                     self.tex(r"C = \tfrac12 \sum (a - y)^2", SIZE.small, color=th.muted)).arrange(RIGHT, buff=0.2)
        new = VGroup(self.text(t("from here on (not chapter {chapter}'s net):", chapter=number_of("exploding")),
                               SIZE.small),
                     self.tex(r"C = -\sum \big[\, y \ln a + (1 - y) \ln (1 - a) \,\big] =", SIZE.small),
                     self.number("cost", r.cost, SIZE.small)).arrange(RIGHT, buff=0.2)
        why = VGroup(self.tex(rf"\delta_{{{L}}} = a - y", SIZE.small, color=th.backward),
                     self.text(t("no"), SIZE.small, color=th.muted),
                     self.tex(rf"\sigma'(z_{{{L}}})", SIZE.small, color=th.muted),
                     self.text(t("factor: saturated outputs do not shrink it"), SIZE.small,
                               color=th.muted)).arrange(RIGHT, buff=0.13)
        rows = VGroup(old, new, why)
        for row, y in zip(rows, SLOT_Y):
            row.move_to([0, y, 0])
        self.cost_rows = rows
        c = self.inline("cost", r.cost)
        self.say(t("From here on, except for chapter {exploding}'s nets, the cost is the cross-entropy, as in "
                   "chapters {opening} and {depth}: C = −Σ [y ln a + (1 − y) ln(1 − a)], here {cost}.",
                   opening=number_of("opening"), depth=number_of("depth"), exploding=number_of("exploding"), cost=c),
                 FadeOut(self.forward_formula), FadeIn(old), FadeIn(new), run_time=1.2)
        self.say(t("Its output error is δ_{L} = a − y: no σ' factor, so δ_{L} itself cannot stall by "
                   "saturating.", L=L), FadeIn(why), run_time=1.0)

    def pass_back(self) -> None:
        """Beat 4, first half: δ_l = ∂C/∂z_l passed back, ∂C/∂b_l = δ_l; the two log scales."""
        th = self.theme
        d1 = self.tex(r"\delta_l = \partial C/\partial z_l", SIZE.label, color=th.backward)
        d2 = self.tex(r"\partial C/\partial b_l = \delta_l", SIZE.label)
        d1.move_to([DELTA_NOTE_X, DELTA_NOTE_Y[0], 0])
        d2.move_to([DELTA_NOTE_X, DELTA_NOTE_Y[1], 0])
        self.delta_note = VGroup(d1, d2)
        self.legend = self.scale.legend(th, height=LEGEND_HEIGHT)
        self.legend.move_to([*LEGEND_CENTER, 0])
        self.shown["decades"] = [float(self.scale.lo), float(self.scale.hi)]
        self.bar_axes = self.bar_frame()
        self.say(t("Back prop passes δ_l = ∂C/∂z_l back, and ∂C/∂b_l = δ_l."),
                 FadeOut(self.cost_rows), FadeIn(self.delta_note),
                 self.diagram.layer_flash(self.diagram.depth, th.backward), run_time=1.2)

    def backward_sweep(self) -> None:
        """Beat 4, second half, and beat 5: right to left, each layer's edges take their
        |∂C/∂W_l| colour and its bar grows; then where the colour went."""
        r, th, pic = self.result, self.theme, self.picture
        self.bars = VGroup()
        self.bar_values = VGroup()
        steps = []
        for l in range(r.depth, 0, -1):
            styles = gradient_edge_styles(pic.edge_grads, pic.drawn, l, self.scale, th)
            self.shown[f"edges_W{l}"] = [float(v) for v in pic.edge_grads[l - 1].ravel()]
            bar, value = self.bar(l)
            self.bars.add(bar)
            self.bar_values.add(value)
            anims = [self.diagram.edge_style_animation(l, styles), GrowFromEdge(bar, DOWN), FadeIn(value)]
            if l > 1:
                anims.append(self.diagram.layer_flash(l - 1, th.backward))
            steps.append(AnimationGroup(*anims))
        with self.beat(t("Lines show |∂C/∂w|, bars the size ‖∂C/∂b_l‖.")):
            self.play(FadeIn(self.legend, self.bar_axes), run_time=0.8)
            self.play(Succession(*steps, lag_ratio=1.0), run_time=SWEEP_STEP * len(steps))
        for sentence in self.sweep_summary():
            self.say(sentence)

    def weights_ratio(self) -> str | None:
        """Chapter 1's number, said beside this one so the two are not read as rivals: chapter 1
        compares the same layers' weights, all together, ‖∂C/∂W_1‖ / ‖∂C/∂W_(L-1)‖ (the same
        digit and start). None when it rounds to the same or a size is 0 or inf."""
        ratio = self.result.weights_first_over_last
        if ratio is None or fmt_ratio(ratio) == fmt_ratio(self.result.first_over_last):
            return None
        self.shown["weights_first_over_last"] = ratio
        return fmt_ratio(ratio)

    def compare_first_and_last(self) -> None:
        """Beat 6: layer 1 against the last hidden layer L-1, written 1/120; the output left out."""
        r, th = self.result, self.theme
        h = r.last_hidden
        norms = r.bias_norms
        first_zero, last_zero = float(norms[0]) == 0.0, float(norms[h - 1]) == 0.0
        if first_zero or last_zero:
            caption = (t("On this digit and random start, layers 1 and {h} get no gradient at all: ‖∂C/∂b‖ = 0.",
                         h=h) if first_zero and last_zero else
                       t("On this digit and random start, layer {l}'s ‖∂C/∂b‖ is exactly 0: no gradient reaches it.",
                         l=1 if first_zero else h))
            zero = [l for l, z in ((1, first_zero), (h, last_zero)) if z]
            sizes = " = ".join(rf"\|\partial C/\partial b_{{{l}}}\|" for l in zero)
            parts = [self.tex(sizes + " = 0", SIZE.label, color=self.net_colour)]
        else:
            parts = [self.tex(rf"\|\partial C/\partial b_1\| \;/\; \|\partial C/\partial b_{{{h}}}\|", SIZE.label)]
            ratio = fmt_ratio(r.first_over_last)
            self.shown["first_over_last"] = r.first_over_last
            weights = self.weights_ratio()
            f = {"ratio": ratio, "h": h, "weights": weights or "", "chapter": number_of("opening")}
            if ratio in ("1", "1/1"):  # equal to two significant figures
                ratio = "1"
                caption = (t("On this digit and random start, layer 1's ‖∂C/∂b‖ is the same as layer {h}'s, to two "
                             "figures.", **f) if weights is None else
                           t("On this digit and random start, layer 1's ‖∂C/∂b‖ is the same as layer {h}'s, to two "
                             "figures (its weights: {weights}, chapter {chapter}).", **f))
            elif r.first_over_last < 1:
                caption = (t("On this digit and random start, layer 1's ‖∂C/∂b‖ is {ratio} of layer {h}'s.", **f)
                           if weights is None else
                           t("On this digit and random start, layer 1's ‖∂C/∂b‖ is {ratio} of layer {h}'s (its "
                             "weights: {weights}, chapter {chapter}).", **f))
            else:
                caption = (t("On this digit and random start, layer 1's ‖∂C/∂b‖ is {ratio} times layer {h}'s.", **f)
                           if weights is None else
                           t("On this digit and random start, layer 1's ‖∂C/∂b‖ is {ratio} times layer {h}'s (its "
                             "weights: {weights}, chapter {chapter}).", **f))
            parts += [self.tex(r"\approx", SIZE.label), self.text(ratio, SIZE.label, color=self.net_colour)]
        parts.append(self.text(t("(this digit, this random start)"), SIZE.small, color=th.muted))
        line = VGroup(*parts).arrange(RIGHT, buff=0.14)
        line.move_to([0, RATIO_Y, 0]).align_to([-6.9, 0, 0], LEFT)
        self.ratio_line = line
        first, last = self.bars[-1], self.bars[-h]
        highlight = [first.animate.set_stroke(self.net_colour, width=3),
                     last.animate.set_stroke(self.net_colour, width=3)]
        self.say(caption, FadeIn(line), *highlight, run_time=1.2)

    def book_reference(self) -> None:
        """Beat 7: Nielsen's published hidden-layer norms beside ours, and why they differ, in one sentence."""
        r, th = self.result, self.theme
        d = self.diagram
        values = VGroup()
        for i, v in enumerate(r.book_norms, start=1):
            values.add(self.number(f"book_{i}", v, SIZE.small).set_color(th.muted))
        name = self.text(t("Nielsen's book, MNIST:"), SIZE.small, color=th.muted)
        if r.last_hidden == len(r.book_norms):  # his layers 1 to 4 under ours
            for i, value in enumerate(values, start=1):
                value.move_to([d.layer_x(i), BOOK_Y, 0])
            name.next_to([d.layer_x(1) - 0.5, BOOK_Y, 0], LEFT, buff=0.1)
        else:
            values.arrange(RIGHT, buff=0.35)
            VGroup(name, values).arrange(RIGHT, buff=0.25).move_to([0, BOOK_Y, 0]).align_to([-6.9, 0, 0], LEFT)
        book_ratio = fmt_ratio(1 / BOOK_RATIO_SAID)  # to the one figure the book's 0.003 has: 1/100
        self.shown["book_first_over_last"] = 1 / BOOK_RATIO_SAID  # as said; the book's own 0.003 / 0.285 is shown too
        n = len(r.book_norms)
        self.shown["book_images"] = float(BOOK_IMAGES)
        side = self.inline("mnist_side", MNIST_SIDE)
        ours = self.inline("side", r.pixels.shape[0])
        same = r.activation == "sigmoid" and tuple(r.sizes[1:]) == BOOK_SIZES[1:]
        # ours measured as he measured his (C averaged over 1,000 training digits), beside his
        self.shown["probe_first_over_last"] = r.probe_first_over_last
        fields = {"images": whole(BOOK_IMAGES), "side": side,
                  "ratio": book_ratio, "layer": n, "ours": ours, "own": fmt_ratio(r.probe_first_over_last),
                  "probe": self.count("probe_size", SETUP.probe_size)}
        if same:
            caption = t("Nielsen's book Neural Networks and Deep Learning averaged C over {images} MNIST "
                        "images ({side}×{side}): layer 1 at about {ratio} of layer {layer}. Over "
                        "{probe} of our {ours}×{ours} digits: {own}.", **fields)
        else:
            self.shown["book_hidden"] = float(len(BOOK_SIZES) - 2)
            self.shown["book_width"] = float(BOOK_SIZES[1])
            caption = t("Nielsen's book Neural Networks and Deep Learning averaged C over {images} MNIST "
                        "images ({side}×{side}) for a sigmoid net with {hidden} hidden layers of "
                        "{width}: layer 1 at about {ratio} of layer {layer}. Over {probe} of our {ours}×{ours} digits: "
                        "{own}.", hidden=len(BOOK_SIZES) - 2, width=BOOK_SIZES[1], **fields)
        # the book compares hidden layers only: the output layer's bar steps back as it is said
        out_bar, out_value = self.bars[0], self.bar_values[0]
        # ours as he measured his, on the ratio line beside this digit's
        probe = VGroup(self.text(fields["own"], SIZE.label, color=self.net_colour),
                       self.text(t("(C over {probe} training digits)", probe=fields["probe"]), SIZE.small,
                                 color=th.muted)).arrange(RIGHT, buff=0.14)
        probe.next_to(self.ratio_line, RIGHT, buff=0.3)
        if probe.get_right()[0] > 6.9:
            probe.scale_to_fit_width(max(0.5, 6.9 - probe.get_left()[0]), about_edge=LEFT)
        self.say(caption, FadeIn(name), FadeIn(values), FadeIn(probe),
                 out_bar.animate.set_fill(opacity=LEFT_OUT_OPACITY),
                 out_value.animate.set_opacity(LEFT_OUT_OPACITY), run_time=1.2)

    def closing(self) -> None:
        """Beat 8: the key picture, held: what the bars mean for the steps of gradient descent."""
        r = self.result
        if float(r.bias_norms[0]) == 0.0:
            caption = t("A weight moves by η times its gradient: layer 1's weights cannot move at all.")
        elif r.regime == "vanishing" and r.weight_norms[0] == min(r.weight_norms):
            caption = t("So, at the start, layer 1's weights take the smallest steps.")
        elif r.regime == "vanishing":
            caption = t("A weight moves by η times its gradient: here layer 1's take far smaller steps than layer "
                        "{last}'s.", last=len(r.weight_norms) - 1)
        elif r.regime == "exploding":
            caption = t("A weight moves by η times its gradient: here the first layers take the largest steps.")
        else:
            caption = t("A weight moves by η times its gradient: here no hidden layer is left with tiny steps.")
        self.say(caption, hold=0.5)

    def fade_out(self) -> None:
        """Back to the empty background; the digit, drawn in front of its wires, fades too."""
        self.remove_foreground_mobjects(self.digit)
        self.add(self.digit)
        self.end_chapter()

    # -- pieces --------------------------------------------------------------------------

    def bar_frame(self) -> VGroup:
        """The baseline, layer names under each bar, the log axis's ticks (10^k) and a heading."""
        th = self.theme
        d = self.diagram
        left, right = d.layer_x(1) - 0.5, d.layer_x(d.depth) + 0.5
        lo, hi = self.result.bar_decades
        scale = LogScale(lo, hi, BAR_BASE_Y, BAR_MAX_HEIGHT)
        base = scale.baseline(left, right, th)
        step = d.layer_x(2) - d.layer_x(1) if d.depth >= 2 else 1.0
        names = VGroup()
        for l in range(1, d.depth + 1):
            words = t("layer {l}", l=l) if step >= 1.0 else str(l)
            names.add(self.text(words, SIZE.small, color=th.muted).move_to([d.layer_x(l), BAR_BASE_Y - 0.25, 0]))
        heading = VGroup(self.tex(r"\|\partial C/\partial b_l\|", SIZE.small),
                         self.text(t("per layer,\nlog scale"), SIZE.small, color=th.muted,
                                   line_spacing=0.8)).arrange(DOWN, buff=0.1)
        heading.move_to([d.layer_x(0) - 0.2, BAR_BASE_Y + BAR_MAX_HEIGHT / 2, 0])
        self.shown["bar_decades"] = [float(lo), float(hi)]
        grid = VGroup(*scale.decade_lines(left, right, th))
        ticks = VGroup()
        labelled = set(log_ticks(lo, hi, most=3))
        for k in range(lo, hi + 1):
            if k in labelled:
                tick = log_tick(k, th)
                ticks.add(tick.move_to([right + 0.15 + tick.width / 2, scale.y(k), 0]))
        self.shown["bar_ticks"] = [float(k) for k in sorted(labelled)]
        return VGroup(grid, base, names, heading, ticks)

    def bar(self, l: int) -> tuple[Rectangle, VGroup]:
        """Layer l's bar (height: ‖∂C/∂b_l‖ on the log axis; colour: as the lines) and its value."""
        r = self.result
        norm = float(r.bias_norms[l - 1])
        lo, hi = r.bar_decades
        pos = GradientScale(lo, hi).position(norm)
        height = max(0.04, BAR_MAX_HEIGHT * pos)
        color = self.scale.color(norm, self.theme)
        bar = Rectangle(width=BAR_WIDTH, height=height, stroke_width=0, fill_color=color, fill_opacity=1)
        bar.move_to([self.diagram.layer_x(l), BAR_BASE_Y + height / 2, 0])
        value = self.number(f"norm_{l}", norm, SIZE.small)
        step = self.diagram.layer_x(2) - self.diagram.layer_x(1) if self.diagram.depth >= 2 else 1.0
        if value.width > 0.95 * step:
            value.scale_to_fit_width(0.95 * step)
        value.next_to(bar, UP, buff=0.1)
        return bar, VGroup(value)

    def sweep_summary(self) -> list[Message]:
        """Where the colour went, true for the lesson: up to two sentences (none where it fades: the
        next beat says so, with its number)."""
        r = self.result
        said = []
        factor = f"{REGIME_THRESHOLD:g}"
        if self.picture.any_off:
            said.append(t("Grey lines carry exactly 0: a neuron that was off in the forward pass passes "
                          "no gradient back."))
        if float(r.bias_norms[0]) == 0.0:
            said.append(t("No gradient reaches layer 1 at all: its bar stays at the bottom."))
        elif r.regime == "vanishing":
            pass  # the next beat says it, with its number
        elif r.regime == "exploding":
            said.append(t("The colour grows toward the left: the early layers get the largest gradients."))
        elif r.hidden_spread < REGIME_THRESHOLD:
            self.shown["hidden_spread"] = r.hidden_spread
            said.append(t("The colour holds: every hidden layer's bar is within a factor of {factor} of the others.",
                          factor=factor))
        else:
            said.append(t("The bars rise and fall, but layer 1 ends within a factor of {factor} of layer {last}.",
                          factor=factor, last=r.last_hidden))
        return said
