"""Chapter 1, the cold open: smoke renders and clip length, the preview's numbers against chapter 8's
experiment and an independent backward pass, the headline ratio (first hidden layer against the
last hidden layer, never the output layer), the sweep order (right to left), the wording (deep
fully-connected nets; no "learns N times slower"), the physics (the default lesson fades,
relu-he holds), and bad input."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from netsim.data import digits
from netsim.errors import NetsimError
from netsim.experiments.fading import fading
from netsim.experiments.opening import BREAKTHROUGH_YEAR, CONVNET_YEAR, cold_open
from netsim.experiments.shared import round_significant
from netsim.network import Network
from scenes.chapters import number_of
from scenes.lesson import LESSONS_DIR, load_lesson
from scenes.netdiagram import DEEP_NET_SAMPLE as SAMPLE
from scenes.opening import ColdOpen, experiment
from scenes.style import THEMES, GradientScale
from tests.conftest import dry_scene

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}


@pytest.fixture(scope="module")
def rendered() -> dict[str, ColdOpen]:
    """A dry-run render of the scene for each lesson (the smoke test), shared with the suite."""
    return {name: dry_scene("opening", path) for name, path in LESSONS.items()}


def backward_on_sample(lesson):
    """Network.backward on the scene's digit, computed here without the experiment."""
    net = Network.create(lesson.sizes, activation=lesson.activation, output_activation="sigmoid",
                         init=lesson.init, bias_init=lesson.bias_init, seed=lesson.seed)
    data = digits()
    return net, net.backward(data.x[SAMPLE], data.y[SAMPLE], "cross-entropy")


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders_with_captions(rendered: dict[str, ColdOpen], name: str) -> None:
    scene = rendered[name]
    # the clip: long enough to read every cue at the beat API's pace, short enough for a cold open
    assert 40.0 <= scene.renderer.time <= 70.0
    assert len(scene.captions) == 8 and all(c.strip() for c in scene.captions)
    assert scene.mobjects == []  # ends on the bare background
    assert scene.title.text == scene.lesson.title.replace(" ", "")  # the episode's title


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_equals_chapter_8_experiment(rendered: dict[str, ColdOpen], name: str) -> None:
    scene = rendered[name]
    lesson = scene.lesson
    r = fading(lesson.sizes, lesson.activation, lesson.init, lesson.bias_init, lesson.seed, SAMPLE)
    expected = {
        "year": float(BREAKTHROUGH_YEAR),
        "convnet_year": float(CONVNET_YEAR),
        "sizes": [float(n) for n in r.sizes],
        "decades": [float(d) for d in r.decades],
        "factor": r.factor,
    }
    expected |= {f"edges_W{l}": [float(v) for v in e.ravel()] for l, e in enumerate(r.edge_grads, start=1)}
    assert scene.shown == expected
    # colours sweep right to left: the output layer's edges first, layer 1 last
    order = [k for k in scene.shown if k.startswith("edges_W")]
    assert order == [f"edges_W{l}" for l in range(r.depth, 0, -1)]
    assert scene.res.sweep == tuple(range(r.depth, 0, -1))


@pytest.mark.parametrize("name", list(LESSONS))
def test_numbers_equal_independent_backward(rendered: dict[str, ColdOpen], name: str) -> None:
    """Every drawn edge: |delta_l[j] a_{l-1}[k]| from Network.backward, and its colour; the
    headline: ||delta_{L-1}|| / ||delta_1||, hidden layer against hidden layer."""
    scene = rendered[name]
    lesson = scene.lesson
    net, grads = backward_on_sample(lesson)
    acts = grads.forward.activations
    scale = GradientScale(*scene.res.fading.decades)
    theme = THEMES[lesson.theme]
    for l in range(1, net.depth + 1):
        shown = scene.shown[f"edges_W{l}"]
        assert len(shown) == len(scene.diagram.edges[l])
        for edge, value in zip(scene.diagram.edges[l], shown):
            entry = abs(grads.deltas[l - 1][0, edge.j] * acts[l - 1][0, edge.k])
            assert value == pytest.approx(entry, rel=1e-9, abs=1e-300)
            if entry > 0:
                assert edge.get_stroke_color().to_hex() == scale.color(entry, theme).to_hex()
    norms = [float(np.linalg.norm(d[0])) for d in grads.deltas]  # ||dC/db_l|| = ||delta_l||, one digit
    hidden = norms[-2] / norms[0]
    assert scene.shown["factor"] == round_significant(max(hidden, 1 / hidden))
    assert scene.res.fading.last_hidden == net.depth - 1


def test_headline_is_hidden_against_hidden(rendered: dict[str, ColdOpen]) -> None:
    """Layer 1 against layer 4 (the last hidden layer): about 120, not the 650 of layer 5 (the output)."""
    scene = rendered["default"]
    _, grads = backward_on_sample(scene.lesson)
    norms = [float(np.linalg.norm(d[0])) for d in grads.deltas]
    assert 115 < norms[3] / norms[0] < 130
    assert norms[4] / norms[0] > 600  # what the first cut compared: the output layer, no sigma'
    assert scene.shown["factor"] == 120.0
    text = " ".join(scene.captions)
    assert "120 times smaller" in text and "layer 4, the last hidden layer" in text and "bias gradient" in text
    assert "650" not in text


def test_wording(rendered: dict[str, ColdOpen]) -> None:
    default, relu = rendered["default"], rendered["relu-he"]
    d = default.res.fading
    assert d.regime == "vanishing" and d.factor >= 10
    mean = [float(np.mean(default.shown[f"edges_W{l}"])) for l in range(1, d.depth + 1)]
    assert mean[0] * 10 < mean[-1], "layer 1's edges are much darker than the output layer's"
    text = " ".join(default.captions)
    assert "drains away" in text and "2006" in text
    assert "fully-connected" in text and "LeNet-5" in text and "1998" in text  # no overclaim
    assert "nobody" not in text.lower()
    assert "slowly" not in text and "slower" not in text  # learning speed is chapter 9's measurement
    assert f"from chapter {number_of('wayout')} on, answer the puzzle" in text
    assert relu.res.fading.regime == "level"
    text = " ".join(relu.captions)
    assert "drains" not in text and "holds up" in text and "no layer is left behind" in text


def test_result_is_frozen() -> None:
    r = cold_open([64, 8, 8, 10])
    assert r.year == BREAKTHROUGH_YEAR == 2006 and r.convnet_year == CONVNET_YEAR == 1998
    assert r.sweep == (3, 2, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.year = 1990  # type: ignore[misc]
    assert experiment(load_lesson(LESSONS["default"])).fading.sizes == (64, 30, 30, 30, 30, 10)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": [64, 10]}, "hidden layer"),
        ({"sizes": [10, 30, 10]}, "need 64"),
        ({"sizes": [64, 30, 9]}, "ten digits need 10"),
        ({"sample": 1797}, "sample 1797 is out of range"),
        ({"sample": 0.5}, "whole number"),
        ({"activation": "swish"}, "swish"),
    ],
)
def test_bad_input_raises(kwargs: dict, message: str) -> None:
    kwargs = {"sizes": [64, 30, 30, 10]} | kwargs
    with pytest.raises(NetsimError, match=message):
        cold_open(**kwargs)
