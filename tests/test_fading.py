"""Chapter 7, gradients fading across a deep net: experiment, diagram and scene.

The numbers on screen against the experiment AND against Network.backward computed here; the
headline (layer 1's ‖∂C/∂b‖ next to the last hidden layer's, "1/120") checked against the
bars; the clip's length; what this chapter says once (the cross-entropy switch, δ_l = ∂C/∂z_l,
∂C/∂b_l = δ_l) and what it leaves to earlier chapters (‖·‖, log scales, e-notation); Nielsen's
published norms set beside ours with the reason they differ; log ticks 10^k; the net's colour."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from manim import MathTex

from netsim.data import digits
from netsim.errors import NetsimError
from netsim.experiments.fading import (
    BOOK_HIDDEN_NORMS,
    BOOK_HIDDEN_RATIO,
    BOOK_IMAGES,
    BOOK_RATIO_FIGURES,
    BOOK_RATIO_SAID,
    BOOK_SIZES,
    BOOK_TRAINING_IMAGES,
    MNIST_SIDE,
    fading,
)
from netsim.experiments.opening import cold_open
from netsim.experiments.shared import REGIME_THRESHOLD, round_significant
from netsim.experiments.training import SETUP
from netsim.network import Network
from netsim.spec import DEFAULT_NET, NetSpec
from scenes.engine.captions import CUE_GAP
from scenes.engine.chapters import number_of
from scenes.engine.drawn import gradient_picture
from scenes.engine.lesson import LESSONS_DIR, Lesson, load_lesson
from scenes.engine.netdiagram import NetDiagram, elided_indices
from scenes.engine.style import THEMES, GradientScale, fmt_ratio, log_ticks, power_of_ten_tex
from scenes.fading import NET_COLOUR, SAMPLE, TITLES, GradientsFading, experiment
from scenes.sweep import write_lesson
from tests.conftest import dry_scene

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
#: A lesson whose deep ReLU net is dead on the digit: no gradient reaches its hidden layers.
DEAD = {"name": "fading-dead", "title": "t", "language": "en", "theme": "dark", "narration": False,
        "net": {"depth": 12, "width": 2, "activation": "relu", "init": "xavier-uniform", "bias_init": "zeros",
                "seed": 0}, "training": {"learning_rate": 1e-6}}


@pytest.fixture(scope="module", params=list(LESSONS))
def rendered(request: pytest.FixtureRequest) -> GradientsFading:
    """A dry-run render of the scene with each lesson (the smoke test)."""
    return dry_scene("fading", LESSONS[request.param])


def backward_on_sample(lesson: Lesson):
    """Network.backward on the scene's digit, computed here without the experiment."""
    net = Network.create(lesson.sizes, activation=lesson.activation, output_activation="sigmoid",
                         init=lesson.init, bias_init=lesson.bias_init, seed=lesson.seed)
    data = digits()
    return net.backward(data.x[SAMPLE], data.y[SAMPLE], "cross-entropy"), data


def test_dry_run_renders_with_captions(rendered: GradientsFading) -> None:
    assert rendered.shown, "the scene showed no numbers"
    total = rendered.renderer.time
    # every cue readable at the beat API's pace: within the chapter's ceiling (83 s for the
    # default lesson, with chapter 1's weight ratio set beside its own and chapter 5's cost named; other
    # lessons say a little more or less)
    assert 65 <= total <= (83 if rendered.lesson.name == "default" else 97), total
    assert 10 <= len(rendered.captions) <= 15 and all(c.strip() for c in rendered.captions)
    if rendered.lesson.name == "default":
        assert sum(len(c) for c in rendered.captions) <= 1150
    cues = [(c.start.total_seconds(), c.end.total_seconds()) for c in rendered.renderer.file_writer.subcaptions]
    # captions cover the clip up to the short final fade: every twentieth of a second lies
    # under one, or in the small gap a cue leaves before the next one
    assert total - 1.0 <= rendered.end_start < total
    gap = CUE_GAP + 1 / 15
    uncovered = [t for t in np.arange(0, rendered.end_start, 0.05)
                 if not any(a <= t < b + gap for a, b in cues)]
    assert not uncovered, f"no caption at {uncovered}"
    for (_, end), (start, _) in zip(cues, cues[1:]):
        assert end <= start + 1e-9
    # the chapter starts with its heading at the top left and ends on the empty background
    assert rendered.heading.get_left()[0] < -6.5 and rendered.heading.get_top()[1] > 3.6
    assert not rendered.mobjects and not rendered.foreground_mobjects


def test_shown_equals_experiment(rendered: GradientsFading) -> None:
    lesson = rendered.lesson
    r = fading(lesson.net, sample=SAMPLE)
    pic = gradient_picture(r)  # the engine's picture of netsim's numbers
    s = rendered.shown
    expected: dict[str, Any] = {
        "label": float(r.label),
        "cost": r.cost,
        "sizes": [float(n) for n in r.sizes],
        "pixels": float(r.sizes[0]),
        "hidden_layers": float(r.last_hidden),
        "width": float(r.sizes[1]),
        "outputs": float(r.sizes[-1]),
        "decades": [float(d) for d in pic.decades],
        "bar_decades": [float(d) for d in r.bar_decades],
        "bar_ticks": [float(k) for k in log_ticks(*r.bar_decades, most=3)],
        "first_over_last": r.first_over_last,
        # our digit's side: the net's inputs are its pixels
        "side": float(r.pixels.shape[0]),
        # Nielsen's set-up and numbers: citations kept in netsim, not measured here
        "book_first_over_last": 1 / BOOK_RATIO_SAID,  # 0.003 / 0.285 to the one figure 0.003 has
        "book_images": float(BOOK_IMAGES), "probe_size": 1000.0, "probe_first_over_last": r.probe_first_over_last,
        "mnist_side": float(MNIST_SIDE),
    }
    assert r.pixels.shape[0] ** 2 == r.sizes[0]
    if not (lesson.activation == "sigmoid" and tuple(r.sizes[1:]) == BOOK_SIZES[1:]):
        # a net unlike his: his is described in words, with its numbers
        expected |= {"book_hidden": float(len(BOOK_SIZES) - 2), "book_width": float(BOOK_SIZES[1]),
}
    expected |= {f"norm_{l}": float(v) for l, v in enumerate(r.bias_norms, start=1)}
    expected |= {f"book_{i}": v for i, v in enumerate(BOOK_HIDDEN_NORMS, start=1)}
    expected |= {f"edges_W{l}": [float(v) for v in e.ravel()] for l, e in enumerate(pic.edge_grads, start=1)}
    if r.regime == "level" and r.hidden_spread < REGIME_THRESHOLD:
        expected["hidden_spread"] = r.hidden_spread
    weights = r.weight_norms[0] / r.weight_norms[-2]  # chapter 1's ratio, shown when it rounds differently
    if fmt_ratio(weights) != fmt_ratio(r.first_over_last):
        expected["weights_first_over_last"] = weights
    assert s == expected
    assert rendered.title.text.endswith(str(TITLES[r.regime]).replace(" ", ""))


def test_numbers_equal_network_backward(rendered: GradientsFading) -> None:
    """Bars, edges and cost against Network.backward on the same digit, entry by entry."""
    grads, data = backward_on_sample(rendered.lesson)
    s = rendered.shown
    L = len(grads.nabla_b)
    norms = [np.linalg.norm(d[0]) for d in grads.deltas]  # ||dC/db_l|| = ||delta_l|| for one sample
    for l in range(1, L + 1):
        assert s[f"norm_{l}"] == pytest.approx(norms[l - 1], rel=1e-12)
    assert s["cost"] == pytest.approx(grads.cost, rel=1e-12)
    assert s["label"] == data.labels[SAMPLE]
    # the headline: hidden against hidden, ||delta_1|| / ||delta_{L-1}||, never the output layer
    assert s["first_over_last"] == pytest.approx(norms[0] / norms[-2], rel=1e-12)

    diagram = rendered.diagram
    scale = GradientScale(*rendered.picture.decades)
    theme = THEMES[rendered.lesson.theme]
    acts = grads.forward.activations
    for l in range(1, L + 1):
        assert len(diagram.edges[l]) == len(s[f"edges_W{l}"])
        for edge, shown in zip(diagram.edges[l], s[f"edges_W{l}"]):
            entry = abs(grads.deltas[l - 1][0, edge.j] * acts[l - 1][0, edge.k])  # dC/dW_l[j, k]
            assert shown == pytest.approx(entry, rel=1e-9, abs=1e-300)
            assert entry == pytest.approx(abs(grads.nabla_w[l - 1][edge.j, edge.k]), rel=1e-9, abs=1e-300)
            if entry > 0:
                assert edge.get_stroke_color().to_hex() == scale.color(entry, theme).to_hex()
                assert edge.get_stroke_width() == pytest.approx(scale.width(entry))


def test_default_lesson_fades_relu_he_stays_level() -> None:
    spreads = {}
    for name, path in LESSONS.items():
        lesson = load_lesson(path)
        grads, _ = backward_on_sample(lesson)
        norms = grads.bias_gradient_norms()
        hidden = norms[:-1]
        spreads[name] = norms.max() / norms.min()
        r = fading(lesson.net, sample=SAMPLE)
        np.testing.assert_allclose(r.bias_norms, norms, rtol=1e-12)
        np.testing.assert_allclose(r.weight_norms, grads.weight_gradient_norms(), rtol=1e-12)
        assert r.first_over_last == hidden[0] / hidden[-1] and r.ratio == hidden[-1] / hidden[0]
        if name == "default":
            assert hidden[0] * REGIME_THRESHOLD <= hidden[-1], "layer 1's gradient is 10x smaller than layer 4's"
            assert np.all(np.diff(norms) > 0), "each layer's gradient grows toward the output"
            assert r.regime == "vanishing" and fmt_ratio(r.first_over_last).startswith("1/")
        else:
            assert r.regime == "level" and r.hidden_spread < REGIME_THRESHOLD
    assert spreads["relu-he"] < 10
    assert spreads["relu-he"] * 10 < spreads["default"]
    # one hidden layer: the first is the last, the sizes are equal
    shallow = fading(NetSpec([64, 30, 10]))
    assert shallow.ratio == 1.0 and shallow.first_over_last == 1.0


def test_the_book_is_cited_as_published() -> None:
    """Nielsen's four published norms (a citation) and the net and data they come from."""
    assert BOOK_HIDDEN_NORMS == (0.003, 0.017, 0.070, 0.285) and BOOK_SIZES == (784, 30, 30, 30, 30, 10)
    assert BOOK_SIZES[0] == MNIST_SIDE**2 and (BOOK_TRAINING_IMAGES, BOOK_IMAGES) == (50_000, 1000)
    assert BOOK_HIDDEN_RATIO == pytest.approx(95.0)
    assert fmt_ratio(BOOK_HIDDEN_NORMS[0] / BOOK_HIDDEN_NORMS[-1]) == "1/95"
    # said to the one figure its 0.003 has, not as "1/95"
    assert BOOK_RATIO_FIGURES == 1 and BOOK_RATIO_SAID == 100.0 and fmt_ratio(1 / BOOK_RATIO_SAID) == "1/100"


def test_captions_say_it_once_and_true(rendered: GradientsFading) -> None:
    """The cross-entropy switch (once, and correctly), δ_l, the headline with its set-up, the book
    with the reason ours differ; nothing re-taught that chapters 5 and 6 taught."""
    r = rendered.result
    text = " ".join(rendered.captions)
    L, h = r.depth, r.last_hidden
    # chapter 1's number for the same layers' weights stands beside it, when it rounds differently
    w = r.weight_norms[0] / r.weight_norms[-2]
    same = fmt_ratio(w) == fmt_ratio(r.first_over_last)
    note = "" if same else f" (its weights: {fmt_ratio(w)}, chapter {number_of('opening')})"
    assert f"layer 1's ‖∂C/∂b‖ is {fmt_ratio(r.first_over_last)} of layer {h}'s{note}." in text \
        or r.first_over_last >= 1
    assert ("weights_first_over_last" in rendered.shown) != same
    if not same:  # exactly chapter 1's headline
        lesson = rendered.lesson
        assert rendered.shown["weights_first_over_last"] == cold_open(lesson.net).pushed
    assert text.count("cross-entropy") == 1 and "C = −Σ [y ln a + (1 − y) ln(1 − a)]" in text
    assert f"δ_{L} = a − y: no σ' factor, so δ_{L} itself cannot stall by saturating" in text
    # on screen beside δ_L = a − y: what the missing factor spares (δ_L itself), not that the layer never stalls
    shown = [getattr(m, "original_text", "") for m in rendered.cost_rows[2]]
    assert "factor: saturated outputs do not shrink it" in shown
    assert "never stalls" not in text
    assert "δ_l = ∂C/∂z_l" in text and "∂C/∂b_l = δ_l" in text
    assert "bars the size ‖∂C/∂b_l‖." in text  # log scales: said once, in chapter 6
    # the headline, written with fmt_ratio, naming this digit and this random start
    if r.first_over_last < 1 and fmt_ratio(r.first_over_last) != "1":
        assert f"On this digit and random start, layer 1's ‖∂C/∂b‖ is {fmt_ratio(r.first_over_last)} " \
            f"of layer {h}'s{note}." in text
    else:
        assert f"On this digit and random start, layer 1's ‖∂C/∂b‖ is {fmt_ratio(r.first_over_last)} times" in text \
            or f"is the same as layer {h}'s, to two figures" in text
    # the output bar steps back as the book's hidden layers are named (checked below), with no sentence of its own
    assert "We compare hidden layers only." not in text
    assert "it is left out" not in text and text.count("σ' factor") == 1  # only the output error's "no σ' factor"
    # where the colour fades, the next beat says so with its number: no sentence of its own
    assert "The colour drains toward the left." not in text
    assert "go dark" not in text
    # "layer 1's weights take the smallest steps": its ‖∂C/∂W‖ is the least of every layer's, on this digit
    smallest = r.regime == "vanishing" and r.weight_norms[0] == min(r.weight_norms)
    assert ("So, at the start, layer 1's weights take the smallest steps." in text) == smallest
    assert "the first layers take the smallest steps" not in text
    assert ("within a factor of 10 of the others" in text) == (r.regime == "level" and r.hidden_spread < 10)
    # W_l gets its words where it is first used
    assert "with W_l a table of weights, one row per neuron" in text
    # the book, named at first mention, in one sentence with the reason ours differ
    assert "Nielsen's book Neural Networks and Deep Learning" in text
    same = r.activation == "sigmoid" and tuple(r.sizes[1:]) == BOOK_SIZES[1:]
    net = "" if same else f" for a sigmoid net with {len(BOOK_SIZES) - 2} hidden layers of {BOOK_SIZES[1]}"
    side = r.pixels.shape[0]
    assert (f"averaged C over {BOOK_IMAGES:,} MNIST images ({MNIST_SIDE}×{MNIST_SIDE}){net}: "
            f"layer 1 at about 1/100 of layer {len(BOOK_HIDDEN_NORMS)}. "
            f"Over 1,000 of our {side}×{side} digits: {fmt_ratio(r.probe_first_over_last)}.") in text
    # ours measured as his: C averaged over the first 1,000 digits of chapter 8's training split, at the start
    probe = SETUP.split().train.head(1000)
    speeds = r.net.build().backward(probe.x, probe.y, "cross-entropy").bias_gradient_norms()
    assert r.probe_first_over_last == speeds[0] / speeds[len(r.sizes) - 3]
    assert SETUP.probe_size == 1000 and (fmt_ratio(r.probe_first_over_last) == "1/140" or r.net != DEFAULT_NET)
    assert "70,000" not in text and "averaged over" not in text  # a sample of the training set, not all MNIST
    assert text.count("Nielsen") == 1
    # taught elsewhere: the size (chapter 5), log scales and e-notation (chapter 6), right to left
    for taught in ("square root", "each step up", "×10", "e-notation", "10 times more", "right to left",
                   "dC/", "sigma", "delta", "slower"):
        assert taught not in text, taught


def test_log_axes_are_labelled_ten_to_the_k(rendered: GradientsFading) -> None:
    """Both log axes (the lines' colour bar and the bars' axis) label their ticks 10^k."""
    lo, hi = rendered.result.bar_decades
    ticks = rendered.bar_axes[4]
    assert [t.tex_string for t in ticks] == [power_of_ten_tex(k) for k in log_ticks(lo, hi, most=3)]
    legend_ticks = rendered.legend[1]
    assert all(isinstance(t, MathTex) for t in legend_ticks) and len(legend_ticks) >= 2
    lo, hi = rendered.scale.lo, rendered.scale.hi
    assert [t.tex_string for t in legend_ticks] == [power_of_ten_tex(k) for k in log_ticks(lo, hi, most=5)]


def test_the_net_has_its_colour(rendered: GradientsFading) -> None:
    """The headline number is drawn in the colour the lesson's net has in every chapter."""
    theme = THEMES[rendered.lesson.theme]
    colour = theme.net(NET_COLOUR[rendered.lesson.activation])
    assert rendered.net_colour == colour
    assert rendered.ratio_line[2].get_color().to_hex().lower() == colour.lower()


def test_a_dead_net_says_no_gradient_reaches_layer_1(tmp_path: Path) -> None:
    """Every lesson renders: a dead ReLU net's layer 1 gets no gradient, and the captions say
    so in words (no "underflow", no 1/inf)."""
    lesson = write_lesson(DEAD, tmp_path)
    scene = dry_scene("fading", lesson)
    r = experiment(load_lesson(lesson))
    assert float(r.bias_norms[0]) == 0.0 and scene.cannot_show_reason is None
    text = " ".join(scene.captions)
    assert "No gradient reaches layer 1 at all" in text and "layer 1's weights cannot move at all" in text
    assert "underflow" not in text and "inf" not in text and "first_over_last" not in scene.shown


def test_bad_input_raises_netsim_error() -> None:
    net = NetSpec([64, 30, 30, 10])
    with pytest.raises(NetsimError, match="sample 1797 is out of range"):
        fading(net, sample=1797)
    with pytest.raises(NetsimError, match="out of range"):
        fading(net, sample=-1)
    with pytest.raises(NetsimError, match="whole number"):
        fading(net, sample=1.5)  # type: ignore[arg-type]
    with pytest.raises(NetsimError, match="need 64"):
        fading(NetSpec([10, 30, 10]))
    with pytest.raises(NetsimError, match="hidden layer"):
        fading(NetSpec([64, 10]))
    with pytest.raises(ValueError, match="max_shown"):
        gradient_picture(fading(net), max_shown=1)  # the picture's choice, made by the engine
    with pytest.raises(NetsimError, match="activation 'nope' is unknown"):
        NetSpec([64, 30, 30, 10], activation="nope")


def test_diagram_elides_and_links() -> None:
    theme = THEMES["dark"]
    assert elided_indices(30) == (0, 1, 2, 27, 28, 29)
    assert elided_indices(4) == (0, 1, 2, 3)
    d = NetDiagram([64, 30, 5, 10], theme)
    assert [len(layer) for layer in d.layers] == [6, 6, 5, 6]
    assert [e is not None for e in d.ellipses] == [True, True, False, True]
    n = d.neuron(2, 4)
    assert len(n.in_edges) == 6 and len(n.out_edges) == 6
    assert all(e.target is n for e in n.in_edges) and all(e.source is n for e in n.out_edges)
    e = d.edge(3, 9, 4)
    assert (e.layer, e.j, e.k) == (3, 9, 4) and e.source is n
    with pytest.raises(KeyError):
        d.neuron(1, 10)
    c = copy.deepcopy(n)  # what .animate does: must not copy the whole net
    assert c is not n and c.in_edges is n.in_edges
    net = Network.create([3, 2, 1], seed=0)
    assert NetDiagram.from_network(net, theme).sizes == (3, 2, 1)
    with pytest.raises(ValueError, match="increasing"):
        NetDiagram([4, 3], theme, shown=[[2, 1], [0]])


def test_round_significant_is_the_one_rounding() -> None:
    assert fmt_ratio(122.24) == "120" and round_significant(122.24) == 120.0


@pytest.mark.parametrize(("name", "words", "weight_size", "bias_size"), [
    ("default", "A random start: weights of typical size 1/√n (mean square 1/n) for n inputs, biases of typical "
                "size 1.",
     lambda n: 1 / np.sqrt(n), 1.0),
    ("relu-he", "A random start: weights of typical size √(2/n) (mean square 2/n) for n inputs, biases 0.",
     lambda n: np.sqrt(2 / n), 0.0),
])
def test_the_start_is_said_and_true(name: str, words: str, weight_size: Any, bias_size: float) -> None:
    """Chapter 7 says once how the net starts (chapters 1 to 9 use that start), and the words
    match the net's own starting weights: their root mean square over n inputs, the biases'."""
    scene = dry_scene("fading", LESSONS[name])
    assert words in scene.captions
    net = scene.lesson.net.build()
    for w, b in zip(net.weights, net.biases):
        assert np.sqrt(np.mean(w**2)) == pytest.approx(weight_size(w.shape[1]), rel=0.15)
        assert np.sqrt(np.mean(b**2)) == pytest.approx(bias_size, rel=0.4, abs=1e-12)
