"""Chapter 10, the way out: smoke renders of both lessons, the numbers on screen against the
experiment and an independent recomputation, the physics (the sigmoid net's bars fall, the
fixes' bars stay level), golden frames of the key picture and the last frame, bad input."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import pytest
from manim import tempconfig
from manim.utils.testing.frames_comparison import frames_comparison

from netsim.activations import sigmoid_prime
from netsim.data import digits
from netsim.errors import NetsimError
from netsim.experiments.fading import round_significant
from netsim.experiments.nielsen import layer_gradient_norms
from netsim.experiments.wayout import (
    BREAKTHROUGH_AUTHORS,
    BREAKTHROUGH_YEARS,
    RELU_HE,
    SETTINGS,
    Setting,
    WayOutResult,
    variance_rules,
    way_out,
)
from netsim.network import Network
from scenes.lesson import LESSONS_DIR, load_lesson
from scenes.wayout import SEED_COUNT, TheWayOut, experiment

__module_test__ = "wayout"

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
DRY = {"dry_run": True, "quality": "low_quality", "disable_caching": True}


@pytest.fixture(scope="module")
def results() -> dict[str, WayOutResult]:
    """The experiment of each lesson."""
    return {name: experiment(load_lesson(path)) for name, path in LESSONS.items()}


@pytest.fixture(scope="module")
def rendered() -> dict[str, TheWayOut]:
    """A dry-run render of the scene for each lesson, once for the module."""
    scenes = {}
    for name, path in LESSONS.items():
        with tempconfig(DRY):
            scene = TheWayOut(lesson=load_lesson(path))
            scene.render()
        scenes[name] = scene
    return scenes


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders(rendered: dict[str, TheWayOut], name: str) -> None:
    scene = rendered[name]
    assert 30.0 <= scene.renderer.time <= 90.0
    assert len(scene.captions) == 13 and all(c.strip() for c in scene.captions)
    assert not scene.mobjects  # ends on the bare background


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_are_the_experiment(rendered: dict[str, TheWayOut],
                                          results: dict[str, WayOutResult], name: str) -> None:
    r = results[name]
    expected: dict[str, object] = {
        "peak.sigmoid": r.peaks["sigmoid"],
        "peak.tanh": r.peaks["tanh"],
        "peak.relu": r.peaks["relu"],
        "n_in": float(r.n_in),
        "n_out": float(r.n_out),
        "bar_decades": [float(v) for v in r.bar_decades],
        "sizes": [float(n) for n in r.sizes],
        "samples": float(r.n_samples),
        "seeds": float(len(r.seeds)),
        "years": [float(y) for y in BREAKTHROUGH_YEARS],
        "papers": float(len(BREAKTHROUGH_AUTHORS)),
    }
    for rule in r.rules:
        expected[f"rule.{rule.key}"] = [float(rule.numerator), float(rule.denominator)]
    for s in r.settings:
        k = s.setting.key
        expected[f"{k}.median"] = [float(v) for v in s.median]
        expected[f"{k}.q25"] = [float(v) for v in s.q25]
        expected[f"{k}.q75"] = [float(v) for v in s.q75]
        expected[f"{k}.layer1"] = s.first
        expected[f"{k}.layer{r.depth}"] = s.last
        expected[f"{k}.ratio"] = s.ratio_rounded
    assert rendered[name].shown == expected


def test_experiment_is_an_independent_recomputation(results: dict[str, WayOutResult]) -> None:
    r = results["default"]
    lesson = load_lesson(LESSONS["default"])
    seeds = list(range(lesson.seed, lesson.seed + SEED_COUNT))
    assert r.seeds == tuple(seeds) and r.n_samples == 1000 and r.sizes == tuple(lesson.sizes)
    data = digits()
    for s, setting in zip(r.settings, SETTINGS):
        assert s.setting == setting
        ln = layer_gradient_norms(lesson.sizes, setting.activation, "sigmoid", setting.init, None,
                                  setting.bias_init, "cross-entropy", "digits", 1000, seeds)
        np.testing.assert_array_equal(s.median, np.median(ln.norms, axis=0))
        np.testing.assert_array_equal(s.q25, np.quantile(ln.norms, 0.25, axis=0))
        np.testing.assert_array_equal(s.q75, np.quantile(ln.norms, 0.75, axis=0))
        assert s.ratio == s.median[-1] / s.median[0]
        assert s.ratio_rounded == round_significant(s.ratio, 3)
        # one seed straight from the network: the mean gradient over the first 1000 digits
        net = Network.create(lesson.sizes, setting.activation, "sigmoid", setting.init, None,
                             setting.bias_init, seeds[0])
        g = net.backward(data.x[:1000], data.y[:1000], "cross-entropy")
        np.testing.assert_allclose(ln.norms[0], [np.linalg.norm(b) for b in g.nabla_b], rtol=1e-12)
    # the variance rules for a hidden layer of width 30: 1/30, 2/30, 2/60
    w = lesson.width
    assert [(q.numerator, q.denominator) for q in r.rules] == [(1, w), (2, w), (2, 2 * w)]
    assert r.rules[2].fraction == r.rules[0].fraction == Fraction(1, w)
    assert r.rules[1].value == 2 / w
    assert r.peaks == {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}
    np.testing.assert_array_equal(r.slopes["sigmoid"], sigmoid_prime(r.z))


def test_fixes_keep_the_bars_level(results: dict[str, WayOutResult]) -> None:
    r = results["default"]
    sig, tanh, relu = (r.by_key(k) for k in ("sigmoid", "tanh", "relu"))
    assert sig.ratio > 20 and sig.ratio_rounded > 20
    assert relu.ratio < 5 and tanh.ratio < 5
    assert np.all(np.diff(sig.median) > 0)  # falls at every layer toward the input
    assert np.all(sig.median[1:] / sig.median[:-1] > 3)
    for s in (tanh, relu):
        assert s.median.max() / s.median.min() < 5  # roughly level
        assert s.first > 100 * sig.first  # layer 1 gets a real gradient
    lo, hi = r.bar_decades
    every = np.concatenate([np.concatenate([s.median, s.q25, s.q75]) for s in r.settings])
    assert 10.0**lo <= every.min() and every.max() <= 10.0**hi and hi - lo >= 4


def test_result_is_frozen(results: dict[str, WayOutResult]) -> None:
    r = results["default"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.n_in = 3  # type: ignore[misc]
    with pytest.raises(ValueError):
        r.settings[0].median[0] = 1.0
    with pytest.raises(NetsimError, match="setting 'swish' is unknown"):
        r.by_key("swish")


def test_captions_name_the_numbers(rendered: dict[str, TheWayOut], results: dict[str, WayOutResult]) -> None:
    r = results["default"]
    text = " ".join(rendered["default"].captions)
    assert "starts at the output" in text and "1/4" in text
    assert f"{r.by_key('sigmoid').ratio_rounded:.0f} times as big as layer 1's" in text
    assert "Hinton, LeCun and Bengio" in text and "Restricted Boltzmann Machine" in text
    assert "1/30, 2/30 and 2/60" in text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": (64, 30, 10)}, "need at least two hidden layers"),
        ({"sizes": (63, 30, 30, 10)}, "must start with 64"),
        ({"sizes": (64, 30, 30, 9)}, "must end with 10"),
        ({"sizes": (64, 0, 30, 10)}, "layer size 0 must be at least 1"),
        ({"n_samples": 0}, "n_samples = 0 must be a whole number from 1 to 1797"),
        ({"n_samples": 5000}, "n_samples = 5000 must be"),
        ({"n_samples": True}, "n_samples = True must be"),
        ({"seeds": "x"}, "write them as"),
        ({"seeds": [-1]}, "must be >= 0"),
        ({"settings": ()}, "give at least one setting"),
        ({"settings": (Setting("s", "swish", "he", "zeros"),)}, "activation 'swish' is unknown"),
        ({"settings": (Setting("s", "relu", "lecun", "zeros"),)}, "init 'lecun' is unknown"),
        ({"settings": (Setting("s", "relu", "he", "ones"),)}, "bias init 'ones' is unknown"),
        ({"settings": (RELU_HE, RELU_HE)}, "must have different keys"),
    ],
)
def test_bad_input_raises(kwargs: dict, message: str) -> None:
    with pytest.raises(NetsimError, match=message):
        way_out(**{"seeds": 0, "n_samples": 10, **kwargs})


def test_bad_widths_raise() -> None:
    with pytest.raises(NetsimError, match="n_in = 0 must be a whole number >= 1"):
        variance_rules(0, 30)
    with pytest.raises(NetsimError, match="n_out = 2.5 must be"):
        variance_rules(30, 2.5)  # type: ignore[arg-type]


@frames_comparison(base_scene=TheWayOut)
def test_wayout_key_picture(scene: TheWayOut) -> None:
    scene.skip_end = True
    TheWayOut.construct(scene)


@frames_comparison(base_scene=TheWayOut)
def test_wayout_last_frame(scene: TheWayOut) -> None:
    TheWayOut.construct(scene)
