"""Chapter 1, "A puzzle": smoke renders and clip length, the preview's numbers against chapter 7's
experiment and an independent backward pass, the headline (‖∂C/∂b_1‖ / ‖∂C/∂b_(L-1)‖, hidden layer
against hidden layer, written as chapter 7 writes it), the sweep order (right to left), the words
(no "gradient" before chapter 2 defines it; the words follow the numbers), and bad input."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from manim import Text

from netsim.data import digits
from netsim.errors import NetsimError
from netsim.experiments.fading import fading
from netsim.experiments.opening import BREAKTHROUGH_YEAR, CONVNET_YEAR, REGIMES, _headline, cold_open
from netsim.experiments.shared import REGIME_THRESHOLD
from netsim.network import Network
from scenes.chapters import CHAPTERS
from scenes.lesson import LESSONS_DIR, load_lesson
from scenes.netdiagram import DEEP_NET_SAMPLE as SAMPLE
from scenes.opening import ColdOpen, experiment
from scenes.style import THEMES, GradientScale, fmt_ratio
from tests.conftest import dry_scene

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
#: The script's character budget for this chapter's captions.
BUDGET = 520


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


def screen_words(scene: ColdOpen) -> list[str]:
    """Every text the chapter writes on screen (its Text mobjects, which keep no spaces), but the
    episode's title."""
    groups = [scene.heading, scene.layer_names, scene.question, scene.note, scene.legend, scene.arrow, scene.compare]
    return [m.text for g in groups for m in g.get_family() if isinstance(m, Text)]


def bare(text: str) -> str:
    """``text`` without spaces, as a Text mobject keeps it."""
    return "".join(text.split())


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders_with_captions(rendered: dict[str, ColdOpen], name: str) -> None:
    scene = rendered[name]
    # the clip: long enough to read every cue at the beat API's pace, short enough for a cold open
    assert 30.0 <= scene.renderer.time <= 50.0
    assert len(scene.captions) == 6 and all(c.strip() for c in scene.captions)
    assert scene.mobjects == []  # ends on the bare background
    assert scene.title.text == scene.lesson.title.replace(" ", "")  # the episode's title
    if name == "default":
        assert sum(len(c) for c in scene.captions) <= BUDGET


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_equals_chapter_7_experiment(rendered: dict[str, ColdOpen], name: str) -> None:
    scene = rendered[name]
    lesson = scene.lesson
    r = fading(lesson.sizes, lesson.activation, lesson.init, lesson.bias_init, lesson.seed, SAMPLE)
    expected = {
        "year": float(BREAKTHROUGH_YEAR),
        "convnet_year": float(CONVNET_YEAR),
        "sizes": [float(n) for n in r.sizes],
        "decades": [float(d) for d in r.decades],
        "pushed": float(r.bias_norms[0] / r.bias_norms[-2]),  # ‖∂C/∂b_1‖ / ‖∂C/∂b_(L-1)‖
    }
    expected |= {f"edges_W{l}": [float(v) for v in e.ravel()] for l, e in enumerate(r.edge_grads, start=1)}
    assert scene.shown == expected
    # colours sweep right to left: the output layer's edges first, layer 1 last
    order = [k for k in scene.shown if k.startswith("edges_W")]
    assert order == [f"edges_W{l}" for l in range(r.depth, 0, -1)]
    assert scene.res.sweep == tuple(range(r.depth, 0, -1))


@pytest.mark.parametrize("name", list(LESSONS))
def test_numbers_equal_independent_backward(rendered: dict[str, ColdOpen], name: str) -> None:
    """Every drawn edge: |δ_l[j] a_(l-1)[k]| from Network.backward, and its colour; the headline:
    ‖δ_1‖ / ‖δ_(L-1)‖, hidden layer against hidden layer."""
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
    norms = [float(np.linalg.norm(d[0])) for d in grads.deltas]  # ‖∂C/∂b_l‖ = ‖δ_l‖, one digit
    assert scene.shown["pushed"] == pytest.approx(norms[0] / norms[-2], rel=1e-9)
    assert scene.res.last_hidden == net.depth - 1


def test_headline_is_written_as_chapter_7_writes_it(rendered: dict[str, ColdOpen]) -> None:
    """Layer 1 against layer 4 (the last hidden layer, not the output layer), as "1/N" from the one
    formatter; on the default net the push fades at every hidden layer."""
    scene = rendered["default"]
    pushed = scene.shown["pushed"]
    h = scene.res.last_hidden
    assert h == 4
    assert 1 / 1000 < pushed < 1 / REGIME_THRESHOLD  # the science: vanishing, by about two orders
    _, grads = backward_on_sample(scene.lesson)
    norms = [float(np.linalg.norm(d[0])) for d in grads.deltas]
    assert norms[0] < norms[1] < norms[2] < norms[3]  # fading at every hidden layer
    text = fmt_ratio(pushed)
    assert text.startswith("1/")
    captions = " ".join(scene.captions)
    assert f"layer 1 is pushed {text} as hard as layer {h}, the last hidden layer." in captions
    assert bare(f"Layer 1 is pushed {text} as hard as layer {h}") in screen_words(scene)
    assert "times smaller" not in captions


def test_words(rendered: dict[str, ColdOpen]) -> None:
    default, relu = rendered["default"], rendered["relu-he"]
    text = " ".join(default.captions)
    assert "drains away" in text and f"until {BREAKTHROUGH_YEAR}" in text
    assert "fully-connected" in text and "LeNet-5" in text and str(CONVNET_YEAR) in text  # no overclaim
    assert "slower" not in text  # learning speed is chapter 8's measurement
    # not yet defined here: "gradient" (chapter 2); ∂ notation, e-notation and log scales come later
    for scene in (default, relu):
        words = " ".join(scene.captions + screen_words(scene))
        assert "gradient" not in words.lower() and "∂" not in words and "dC/d" not in words
    assert "hidden layer" in text and "the last hidden layer" in text
    assert bare("hidden layers") in screen_words(default)
    # the last beat: the last chapter answers the puzzle, and it is the history chapter
    assert CHAPTERS[-1].slug == "after"
    assert default.captions[-1].endswith("the last chapter answers the puzzle.")
    mean = [float(np.mean(default.shown[f"edges_W{l}"])) for l in range(1, default.res.fading.depth + 1)]
    assert mean[0] * 10 < mean[-1], "layer 1's edges are much darker than the output layer's"
    # relu-he: the words follow the numbers (within a factor of 10: level)
    assert relu.res.regime == "level" and REGIME_THRESHOLD ** -1 < relu.shown["pushed"] < REGIME_THRESHOLD
    text = " ".join(relu.captions)
    assert "drains" not in text and "holds up" in text
    assert f"pushed {fmt_ratio(relu.shown['pushed'])} as hard as layer 4" in text


def test_headline_regimes() -> None:
    """The words' regime from the two norms: chapter 7's threshold, and the no-push cases."""
    def regime(first: float, last: float) -> tuple[float, str]:
        _, _, pushed, r = _headline(np.array([first, 1.0, last, 1.0]))
        assert r in REGIMES
        return pushed, r

    assert regime(0.01, 1.0) == (0.01, "vanishing")
    assert regime(0.5, 1.0) == (0.5, "level")
    assert regime(20.0, 1.0) == (20.0, "exploding")
    assert regime(0.0, 1.0)[1] == "stuck"
    assert regime(0.0, 0.0) == (0.0, "dead")
    pushed, r = regime(1e-320, 1.0)
    assert r == "vanishing" and 0 < pushed and not math.isnan(pushed)


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
