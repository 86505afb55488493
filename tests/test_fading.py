"""Chapter 7, gradients fading across a deep net: experiment, diagram, scene and golden frame."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from manim import tempconfig
from manim.utils.testing.frames_comparison import frames_comparison

from netsim.data import digits
from netsim.errors import NetsimError
from netsim.experiments.fading import BOOK_HIDDEN_NORMS, drawn_indices, fading
from netsim.network import Network
from scenes.fading import CUE_MARGIN, SAMPLE, TITLES, GradientsFading
from scenes.lesson import LESSONS_DIR, Lesson, load_lesson
from scenes.netdiagram import NetDiagram, elided_indices
from scenes.style import THEMES, GradientScale

__module_test__ = "fading"

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}


class RecordingFading(GradientsFading):
    """The scene, also recording the subcaption of every play call."""

    def play(self, *args: Any, subcaption: str | None = None, **kw: Any) -> None:
        self.captions = getattr(self, "captions", [])
        start = self.renderer.time
        super().play(*args, subcaption=subcaption, **kw)
        if subcaption is not None:
            duration = kw.get("subcaption_duration") or self.renderer.time - start
            self.captions.append((start, start + duration, subcaption))

    def end_chapter(self, caption: str | None = None, run_time: float = 0.8) -> None:
        self.end_start = self.renderer.time
        super().end_chapter(caption, run_time)


@pytest.fixture(scope="module", params=list(LESSONS))
def rendered(request: pytest.FixtureRequest) -> RecordingFading:
    """A dry-run render of the scene with each lesson (the smoke test)."""
    lesson = load_lesson(LESSONS[request.param])
    with tempconfig({"dry_run": True, "quality": "low_quality", "disable_caching": True}):
        scene = RecordingFading(lesson=lesson)
        scene.render()
    return scene


def backward_on_sample(lesson: Lesson):
    """Network.backward on the scene's digit, computed here without the experiment."""
    net = Network.create(lesson.sizes, activation=lesson.activation, output_activation="sigmoid",
                         init=lesson.init, bias_init=lesson.bias_init, seed=lesson.seed)
    data = digits()
    return net.backward(data.x[SAMPLE], data.y[SAMPLE], "cross-entropy"), data


def test_dry_run_renders_with_captions(rendered: RecordingFading) -> None:
    assert rendered.shown, "the scene showed no numbers"
    total = rendered.renderer.time
    assert 30 <= total <= 90
    assert all(text.strip() for _, _, text in rendered.captions)
    # captions cover the clip up to the short final fade: every twentieth of a second lies
    # under one, or in the small gap a cue leaves before the next beat starts
    assert total - 1.0 <= rendered.end_start < total
    gap = CUE_MARGIN + 1 / 15
    uncovered = [t for t in np.arange(0, rendered.end_start, 0.05)
                 if not any(a <= t < b + gap for a, b, _ in rendered.captions)]
    assert not uncovered, f"no caption at {uncovered}"
    # and they never overlap: each cue ends before the next one starts
    for (_, end, _), (start, _, _) in zip(rendered.captions, rendered.captions[1:]):
        assert end <= start + 1e-9
    # the chapter starts with its heading at the top left and ends on the empty background
    assert rendered.heading.get_left()[0] < -6.5 and rendered.heading.get_top()[1] > 3.6
    assert not rendered.mobjects and not rendered.foreground_mobjects


def test_shown_equals_experiment(rendered: RecordingFading) -> None:
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
    expected |= {f"edges_W{l}": [float(v) for v in e.ravel()] for l, e in enumerate(r.edge_grads, start=1)}
    if r.regime != "level":
        expected["orders"] = abs(r.orders_rounded)
    assert s == expected
    assert rendered.title.text == TITLES[r.regime].replace(" ", "")


def test_numbers_equal_network_backward(rendered: RecordingFading) -> None:
    """Bars, edges and cost against Network.backward on the same digit, entry by entry."""
    grads, data = backward_on_sample(rendered.lesson)
    s = rendered.shown
    L = len(grads.nabla_b)
    norms = [np.linalg.norm(d[0]) for d in grads.deltas]  # ||dC/db_l|| = ||delta_l|| for one sample
    for l in range(1, L + 1):
        assert s[f"norm_{l}"] == pytest.approx(norms[l - 1], rel=1e-12)
    assert s["cost"] == pytest.approx(grads.cost, rel=1e-12)
    assert s["label"] == data.labels[SAMPLE]
    assert s["ratio"] == pytest.approx(norms[-1] / norms[0], rel=0.05)

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
            assert hidden[0] * 10 <= hidden[-1], "first hidden layer should learn 10x slower than the last"
            assert norms[0] * 10 <= norms[-1]
            assert np.all(np.diff(norms) > 0), "each layer's gradient grows toward the output"
            assert r.regime == "vanishing"
        else:
            assert r.regime == "level"
    assert spreads["relu-he"] < 10
    assert spreads["relu-he"] * 10 < spreads["default"]


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


class KeyPicture(GradientsFading):
    """Every beat but the final fade: the chapter's key picture."""

    skip_end = True


@frames_comparison(base_scene=KeyPicture)
def test_fading_key_picture(scene: GradientsFading) -> None:
    GradientsFading.construct(scene)


@frames_comparison(base_scene=GradientsFading)
def test_fading_last_frame(scene: GradientsFading) -> None:
    GradientsFading.construct(scene)
