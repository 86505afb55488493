"""Chapter 1, "A puzzle": smoke renders and clip length, the preview's numbers against chapter 7's
experiment and an independent backward pass, the headline (‖∂C/∂W_1‖ / ‖∂C/∂W_(L-1)‖: the weights
the picture colours, hidden layer against hidden layer, written with the one ratio formatter), the
sweep order (right to left), the words (no overclaim, no "gradient" before chapter 2 defines it, the
words follow the numbers), where the answers are (chapter numbers from the chapter list), and bad
input."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from manim import Text

from netsim.data import digits
from netsim.errors import NetsimError
from netsim.experiments.fading import fading
from netsim.experiments.opening import REGIMES, _headline, cold_open
from netsim.experiments.shared import REGIME_THRESHOLD
from netsim.network import Network
from netsim.spec import NetSpec
from scenes.engine.chapters import CHAPTERS, number_of
from scenes.engine.drawn import gradient_picture
from scenes.engine.lesson import LESSONS_DIR, load_lesson
from scenes.engine.netdiagram import DEEP_NET_SAMPLE as SAMPLE
from scenes.engine.style import THEMES, GradientScale, fmt_ratio
from scenes.opening import ColdOpen, experiment
from tests.conftest import dry_scene, with_net

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
#: The chapter's ceiling (seconds, English dry run of the default lesson).
CEILING = 40.0


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


def weight_push_sizes(lesson) -> list[float]:
    """‖∂C/∂W_l‖ for every layer, from δ_l and a_(l-1) of an independent backward pass:
    ∂C/∂W_l = δ_l a_(l-1)^T, so its size is ‖δ_l‖ ‖a_(l-1)‖."""
    _, grads = backward_on_sample(lesson)
    acts = grads.forward.activations
    return [float(np.linalg.norm(np.outer(d[0], a[0]))) for d, a in zip(grads.deltas, acts)]


def screen_words(scene: ColdOpen) -> list[str]:
    """Every text the chapter writes on screen (its Text mobjects, which keep no spaces), but the
    episode's title."""
    groups = [scene.heading, scene.layer_names, scene.question, scene.legend, scene.arrow, scene.compare,
              scene.answers]
    return [m.text for g in groups for m in g.get_family() if isinstance(m, Text)]


def bare(text: str) -> str:
    """``text`` without spaces, as a Text mobject keeps it."""
    return "".join(text.split())


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders_with_captions(rendered: dict[str, ColdOpen], name: str) -> None:
    scene = rendered[name]
    # the clip: long enough to read every cue at the beat API's pace, within the chapter's ceiling
    assert 30.0 <= scene.renderer.time <= CEILING + 1.0
    assert len(scene.captions) == 5 and all(c.strip() for c in scene.captions)
    assert scene.mobjects == []  # ends on the bare background
    assert scene.title.text == scene.lesson.title.replace(" ", "")  # the episode's title
    if name == "default":
        assert scene.renderer.time <= CEILING


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_equals_chapter_7_experiment(rendered: dict[str, ColdOpen], name: str) -> None:
    scene = rendered[name]
    lesson = scene.lesson
    r = fading(lesson.net, sample=SAMPLE)
    sizes = [float(np.linalg.norm(g)) for g in r.grad_w]  # ‖∂C/∂W_l‖
    pic = gradient_picture(r)  # the engine's picture of netsim's numbers
    expected = {
        "sizes": [float(n) for n in r.sizes],
        "decades": [float(d) for d in pic.decades],
        "pushed": sizes[0] / sizes[-2],  # ‖∂C/∂W_1‖ / ‖∂C/∂W_(L-1)‖
        "chapters: the mechanism": [float(number_of("backprop")), float(number_of("exploding"))],
        "chapters: the fixes": [float(number_of("wayout")), float(number_of("after"))],
        "chapters: the history": [float(number_of("after"))],
    }
    expected |= {f"edges_W{l}": [float(v) for v in e.ravel()] for l, e in enumerate(pic.edge_grads, start=1)}
    assert scene.shown.keys() == expected.keys()
    for key, value in expected.items():
        assert scene.shown[key] == pytest.approx(value, rel=1e-12), key
    # colours sweep right to left: the output layer's edges first, layer 1 last
    order = [k for k in scene.shown if k.startswith("edges_W")]
    assert order == [f"edges_W{l}" for l in range(r.depth, 0, -1)]
    assert scene.res.sweep == tuple(range(r.depth, 0, -1))


@pytest.mark.parametrize("name", list(LESSONS))
def test_numbers_equal_independent_backward(rendered: dict[str, ColdOpen], name: str) -> None:
    """Every drawn edge: |δ_l[j] a_(l-1)[k]| from Network.backward, and its colour; the headline:
    ‖δ_1 a_0^T‖ / ‖δ_(L-1) a_(L-2)^T‖, hidden layer against hidden layer."""
    scene = rendered[name]
    lesson = scene.lesson
    net, grads = backward_on_sample(lesson)
    acts = grads.forward.activations
    scale = GradientScale(*scene.picture.decades)
    theme = THEMES[lesson.theme]
    for l in range(1, net.depth + 1):
        shown = scene.shown[f"edges_W{l}"]
        assert len(shown) == len(scene.diagram.edges[l])
        for edge, value in zip(scene.diagram.edges[l], shown):
            entry = abs(grads.deltas[l - 1][0, edge.j] * acts[l - 1][0, edge.k])
            assert value == pytest.approx(entry, rel=1e-9, abs=1e-300)
            if entry > 0:
                assert edge.get_stroke_color().to_hex() == scale.color(entry, theme).to_hex()
    sizes = weight_push_sizes(lesson)
    assert scene.shown["pushed"] == pytest.approx(sizes[0] / sizes[-2], rel=1e-9)
    np.testing.assert_allclose(scene.res.weight_norms, sizes, rtol=1e-9)
    assert scene.res.last_hidden == net.depth - 1


def test_headline_is_the_weights_the_picture_colours(rendered: dict[str, ColdOpen]) -> None:
    """Layer 1's weights against layer 4's (the last hidden layer, not the output layer), as "1/N"
    from the one formatter; on the default net the pushes fade at every hidden layer."""
    scene = rendered["default"]
    pushed = scene.shown["pushed"]
    h = scene.res.last_hidden
    assert h == 4
    assert 1 / 1000 < pushed < 1 / REGIME_THRESHOLD  # the science: vanishing, by about two orders
    assert scene.res.regime == "vanishing"
    sizes = weight_push_sizes(scene.lesson)
    assert sizes[0] < sizes[1] < sizes[2] < sizes[3]  # fading at every hidden layer
    text = fmt_ratio(pushed)
    assert text.startswith("1/")
    captions = " ".join(scene.captions)
    assert f"layer 1's weights together are pushed {text} as hard as layer {h}'s." in captions
    assert bare(f"Layer 1's weights are pushed {text} as hard as layer {h}'s") in screen_words(scene)
    words = " ".join(screen_words(scene))
    assert bare(f"layer {h}: last hidden layer") in words and bare("cost: the cross-entropy, chapter 7") in words
    assert "times smaller" not in captions
    # the picture's colours say the same: layer 1's drawn weights are much darker than layer 4's
    mean = [float(np.mean(scene.shown[f"edges_W{l}"])) for l in (1, h)]
    assert mean[0] * REGIME_THRESHOLD < mean[1]


def test_words(rendered: dict[str, ColdOpen]) -> None:
    default, relu = rendered["default"], rendered["relu-he"]
    text = " ".join(default.captions)
    # the puzzle, claimed no further than the evidence: for some functions, depth saves neurons
    first = default.captions[0]
    assert first.startswith("For some functions, a deep net needs far fewer neurons than a shallow one.")
    assert "did deep fully-connected nets train slowly and poorly?" in first  # as the screen asks it
    assert "until" not in text.lower() and "2006" not in text and "very hard to train" not in text
    assert "slower" not in text  # learning speed is chapter 8's measurement
    # back prop computes the pushes from the output back (chapter 2 says every weight moves at once)
    assert "Back prop computes the pushes from the output back. Toward the input they fade." in text
    assert "Toward the input they fade." in text and default.res.regime == "vanishing"
    # not yet defined here: "gradient" (chapter 2); ∂ notation, e-notation and log scales come later
    for scene in (default, relu):
        words = " ".join(scene.captions + screen_words(scene))
        assert "gradient" not in words.lower() and "∂" not in words and "dC/d" not in words
        assert "e-0" not in words and "e+0" not in words
    assert bare("hidden layers") in screen_words(default)
    # relu-he: the words follow the numbers (within a factor of 10: level)
    assert relu.res.regime == "level" and REGIME_THRESHOLD ** -1 < relu.shown["pushed"] < REGIME_THRESHOLD
    text = " ".join(relu.captions)
    assert "fade" not in text and "They hold up all the way to the input." in text
    assert f"pushed {fmt_ratio(relu.shown['pushed'])} as hard as layer 4's" in text


def test_where_the_answers_are(rendered: dict[str, ColdOpen]) -> None:
    """The last beat names the chapters of the cause, the fixes and the history by their numbers, on
    screen and in the caption: the cause from back prop to exploding gradients (the same product
    of factors, above 1), the fixes from the way out to the last chapter, which also tells
    the history."""
    scene = rendered["default"]
    cause, fixes = (number_of("backprop"), number_of("exploding")), (number_of("wayout"), number_of("after"))
    history = number_of("after")
    assert CHAPTERS[-1].number == history
    assert scene.captions[-1] == (f"Chapters {cause[0]}–{cause[1]}: the mechanism; {fixes[0]}–{fixes[1]}: "
                                  "fixes and history.")
    words = screen_words(scene)
    for item in (f"the mechanism: chapters {cause[0]} to {cause[1]}", f"the fixes: chapters {fixes[0]} to {fixes[1]}",
                 f"the history: chapter {history}"):
        assert bare(item) in words


def test_headline_regimes() -> None:
    """The words' regime from the two sizes: chapter 7's threshold, the no-push cases, never NaN."""
    def regime(first: float, last: float) -> tuple[float, str]:
        _, _, pushed, r = _headline(np.array([first, 1.0, last, 1.0]))
        assert r in REGIMES and not math.isnan(pushed)
        return pushed, r

    assert regime(0.01, 1.0) == (0.01, "vanishing")
    assert regime(0.5, 1.0) == (0.5, "level")
    assert regime(20.0, 1.0) == (20.0, "exploding")
    assert regime(0.0, 1.0)[1] == "stuck"
    assert regime(0.0, 0.0) == (0.0, "dead")
    assert regime(1.0, 0.0) == (math.inf, "exploding")
    assert regime(math.inf, math.inf) == (1.0, "level")
    assert regime(math.inf, 1.0) == (math.inf, "exploding")
    pushed, r = regime(1e-320, 1.0)
    assert r == "vanishing" and 0 < pushed


def test_result_is_frozen() -> None:
    r = cold_open(NetSpec([64, 8, 8, 10]))
    assert r.sweep == (3, 2, 1) and len(r.weight_norms) == 3
    assert r.pushed == r.weight_norms[0] / r.weight_norms[1]
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.pushed = 1.0  # type: ignore[misc]
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
        with_net(cold_open, kwargs)
