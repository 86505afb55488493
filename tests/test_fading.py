"""Chapter 8, gradients fading across a deep net: experiment, diagram and scene.

The numbers on screen against the experiment AND against Network.backward computed here; the
headline ratio (first hidden layer against the last hidden layer) pinned; the clip's length;
the beats that define what later chapters rely on (the cross-entropy switch, the log scale,
e-notation, ||v||, delta_l = dC/dz_l); Nielsen's published norms set beside ours."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from netsim.data import digits
from netsim.errors import NetsimError
from netsim.experiments.fading import BOOK_HIDDEN_NORMS, BOOK_HIDDEN_RATIO, drawn_indices, fading
from netsim.experiments.shared import round_significant
from netsim.network import Network
from scenes.captions import CUE_GAP
from scenes.chapters import number_of
from scenes.fading import SAMPLE, TITLES, GradientsFading
from scenes.lesson import LESSONS_DIR, Lesson, load_lesson
from scenes.netdiagram import NetDiagram, elided_indices
from scenes.style import THEMES, GradientScale
from tests.conftest import dry_scene

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}


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
    # every cue readable at the beat API's pace: about two and a half minutes in English
    assert 120 <= total <= 180
    assert len(rendered.captions) == 12 and all(c.strip() for c in rendered.captions)
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
    r = fading(lesson.sizes, lesson.activation, lesson.init, lesson.bias_init, lesson.seed, SAMPLE)
    s = rendered.shown
    expected: dict[str, Any] = {
        "label": float(r.label),
        "prediction": float(r.prediction),
        "cost": r.cost,
        "factor": r.factor,
        "ratio": r.ratio_rounded,
        "sizes": [float(n) for n in r.sizes],
        "decades": [float(d) for d in r.decades],
        "bar_decades": [float(d) for d in r.bar_decades],
    }
    expected |= {f"norm_{l}": float(v) for l, v in enumerate(r.bias_norms, start=1)}
    expected |= {f"book_{i}": v for i, v in enumerate(BOOK_HIDDEN_NORMS, start=1)}
    expected["book_factor"] = r.book_factor
    expected |= {f"edges_W{l}": [float(v) for v in e.ravel()] for l, e in enumerate(r.edge_grads, start=1)}
    if r.regime != "level":
        expected["orders"] = abs(r.orders_rounded)
    assert s == expected
    assert rendered.title.text.endswith(TITLES[r.regime].replace(" ", ""))


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
    # the headline: hidden against hidden, ||delta_{L-1}|| / ||delta_1||, never the output layer
    hidden = norms[-2] / norms[0]
    assert s["ratio"] == round_significant(hidden)
    assert s["factor"] == round_significant(max(hidden, 1 / hidden))

    diagram = rendered.diagram
    scale = GradientScale(*rendered.result.decades)
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
        r = fading(lesson.sizes, lesson.activation, lesson.init, lesson.bias_init, lesson.seed, SAMPLE)
        np.testing.assert_allclose(r.bias_norms, norms, rtol=1e-12)
        np.testing.assert_allclose(r.weight_norms, grads.weight_gradient_norms(), rtol=1e-12)
        if name == "default":
            assert hidden[0] * 10 <= hidden[-1], "the first hidden layer's gradient is 10x smaller than the last's"
            assert norms[0] * 10 <= norms[-1]
            assert np.all(np.diff(norms) > 0), "each layer's gradient grows toward the output"
            assert r.regime == "vanishing"
        else:
            assert r.regime == "level"
    assert spreads["relu-he"] < 10
    assert spreads["relu-he"] * 10 < spreads["default"]


def test_headline_ratio_pinned() -> None:
    """Default lesson, digit 0, seed 0: the hidden layers' norms and their ratio, about 120."""
    r = fading([64, 30, 30, 30, 30, 10])
    np.testing.assert_allclose(r.bias_norms, [0.002764, 0.012686, 0.072806, 0.337936, 1.803351], rtol=1e-3)
    assert r.ratio == pytest.approx(122.24, rel=1e-3) and r.ratio_rounded == 120.0 and r.factor == 120.0
    assert r.orders_rounded == 2.1 and r.regime == "vanishing" and r.last_hidden == 4
    assert r.cost == pytest.approx(8.5604, rel=1e-4) and (r.label, r.prediction) == (0, 5)
    assert BOOK_HIDDEN_RATIO == pytest.approx(95.0) and r.book_factor == 95.0
    # one hidden layer: the first is the last, the ratio is 1
    assert fading([64, 30, 10]).ratio == 1.0


def test_captions_define_what_later_chapters_use(rendered: GradientsFading) -> None:
    """The cross-entropy switch, the log scale, e-notation, ||v||, delta_l; no learning-speed claim."""
    text = " ".join(rendered.captions)
    assert f"not chapter {number_of('cost')}'s quadratic cost" in text and "cross-entropy" in text
    assert "δ_L = a - y, with no σ'(z_L) factor" in text and "hidden layers" in text
    assert "each step up is 10 times more" in text and "2.5e-03 means 0.0025" in text
    assert "square root of the sum of its squares" in text and "δ_l = dC/dz_l" in text
    assert "the last hidden layer" in text and "output layer is left out" in text
    assert "slower" not in text and "learns that much" not in text
    assert f"Chapter {number_of('training')}" in text or rendered.result.regime != "vanishing"
    if rendered.result.regime == "vanishing":
        assert "64 inputs, not 784" in text and "1000 images" in text  # why ours differ from the book
    # the definitions are on screen too, and nothing there is smaller than SIZE.small allows
    assert rendered.notes.height > 0 and rendered.size_note.height > 0
    assert all(m.get_right()[0] <= 7.12 for m in (rendered.notes, rendered.size_note, rendered.legend))


def test_bad_input_raises_netsim_error() -> None:
    sizes = [64, 30, 30, 10]
    with pytest.raises(NetsimError, match="sample 1797 is out of range"):
        fading(sizes, sample=1797)
    with pytest.raises(NetsimError, match="out of range"):
        fading(sizes, sample=-1)
    with pytest.raises(NetsimError, match="whole number"):
        fading(sizes, sample=1.5)  # type: ignore[arg-type]
    with pytest.raises(NetsimError, match="need 64"):
        fading([10, 30, 10])
    with pytest.raises(NetsimError, match="hidden layer"):
        fading([64, 10])
    with pytest.raises(NetsimError, match="max_shown"):
        fading(sizes, max_shown=1)
    with pytest.raises(NetsimError):
        fading(sizes, activation="nope")


def test_diagram_elides_and_links() -> None:
    theme = THEMES["dark"]
    assert elided_indices(30) == drawn_indices(30) == (0, 1, 2, 27, 28, 29)
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
