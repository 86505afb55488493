"""Chapter 11, the way out: dry runs of both lessons, the numbers on screen against the
experiment and an independent recomputation (the fan-in factor from the network's own deltas,
the gradient norms from netsim's Nielsen experiment), the physics (measured factor close to the
prediction; sigmoid fades with either start, the fixes stay level), bad input."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import pytest

from netsim.data import digits
from netsim.errors import NetsimError
from netsim.experiments.nielsen import layer_gradient_norms
from netsim.experiments.shared import round_significant
from netsim.experiments.wayout import (
    RELU_HE,
    SETTINGS,
    Setting,
    WayOutResult,
    variance_rules,
    way_out,
    weight_variance,
)
from netsim.network import Network
from scenes.lesson import LESSONS_DIR, load_lesson
from scenes.wayout import SEED_COUNT, TheWayOut, experiment
from tests.conftest import dry_scene

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}


@pytest.fixture(scope="module")
def results() -> dict[str, WayOutResult]:
    """The experiment of each lesson."""
    return {name: experiment(load_lesson(path)) for name, path in LESSONS.items()}


@pytest.fixture(scope="module")
def rendered() -> dict[str, TheWayOut]:
    """A dry-run render of the scene for each lesson, once for the module."""
    return {name: dry_scene("wayout", path) for name, path in LESSONS.items()}


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders(rendered: dict[str, TheWayOut], name: str) -> None:
    scene = rendered[name]
    assert 80.0 <= scene.renderer.time <= 130.0
    assert len(scene.captions) == 15 and all(c.strip() for c in scene.captions)
    assert not scene.mobjects  # ends on the bare background


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_are_the_experiment(rendered: dict[str, TheWayOut],
                                          results: dict[str, WayOutResult], name: str) -> None:
    r = results[name]
    H = r.hidden
    expected: dict[str, object] = {
        "n": float(r.n_out),
        "bar_decades": [float(v) for v in r.bar_decades],
        "samples": float(r.n_samples),
        "seeds": float(len(r.seeds)),
    }
    for rule in r.rules:
        expected[f"rule.{rule.key}"] = [float(rule.numerator), float(rule.denominator)]
        expected[f"year.{rule.key}"] = float(rule.year)
    for s in r.settings:
        k = s.setting.key
        expected[f"{k}.median"] = [float(v) for v in s.median[:H]]
        expected[f"{k}.q25"] = [float(v) for v in s.q25[:H]]
        expected[f"{k}.q75"] = [float(v) for v in s.q75[:H]]
        expected[f"{k}.ratio"] = s.ratio_rounded
        expected[f"{k}.predicted"] = s.predicted_rounded
        expected[f"{k}.measured"] = s.measured_rounded
        expected[f"{k}.n_var"] = float(s.n_var[0])
        expected[f"{k}.sigma_prime_sq"] = s.mean_sq_rounded
    assert rendered[name].shown == expected


def test_experiment_is_an_independent_recomputation(results: dict[str, WayOutResult]) -> None:
    r = results["default"]
    lesson = load_lesson(LESSONS["default"])
    seeds = list(range(lesson.seed, lesson.seed + SEED_COUNT))
    assert r.seeds == tuple(seeds) and r.n_samples == 1000 and r.sizes == tuple(lesson.sizes)
    data = digits()
    x, y = data.x[:1000], data.y[:1000]
    sizes = lesson.sizes
    for s, setting in zip(r.settings, SETTINGS):
        assert s.setting == setting
        ln = layer_gradient_norms(sizes, setting.activation, "sigmoid", setting.init, None,
                                  setting.bias_init, "cross-entropy", "digits", 1000, seeds)
        np.testing.assert_allclose(s.median, np.median(ln.norms, axis=0), rtol=1e-12)
        np.testing.assert_allclose(s.q25, np.quantile(ln.norms, 0.25, axis=0), rtol=1e-12)
        hidden = np.median(ln.norms, axis=0)[:-1]
        assert s.ratio == pytest.approx(hidden[-1] / hidden[0], rel=1e-12)
        assert s.ratio_rounded == round_significant(s.ratio, 3)
        # the fan-in factor, written out from the per-sample deltas of each net
        preds, meas, sqs = [], [], []
        for seed in seeds:
            net = Network.create(sizes, setting.activation, "sigmoid", setting.init, None, setting.bias_init, seed)
            g = net.backward(x, y, "cross-entropy")
            p_row, m_row, s_row = [], [], []
            for l in range(1, len(sizes) - 2):  # hidden pairs (l, l + 1), 1-based
                d_l, d_next = g.deltas[l - 1], g.deltas[l]
                z = g.forward.zs[l - 1]
                slope = net.activations[l - 1].df(z)
                n_out, n_in = sizes[l + 1], sizes[l]
                var = {"nielsen": 1 / n_in, "xavier-normal": 2 / (n_in + n_out), "he": 2 / n_in}[setting.init]
                m_row.append(np.sqrt((d_l**2).mean()) / np.sqrt((d_next**2).mean()))
                p_row.append(np.sqrt(n_out * var * (slope**2).mean()))
                s_row.append((slope**2).mean())
            preds.append(np.exp(np.log(p_row).mean()))
            meas.append(np.exp(np.log(m_row).mean()))
            sqs.append(np.mean(s_row))
        assert s.predicted_factor == pytest.approx(np.median(preds), rel=1e-9)
        assert s.measured_factor == pytest.approx(np.median(meas), rel=1e-9)
        assert s.mean_sigma_prime_sq == pytest.approx(np.median(sqs), rel=1e-9)
        assert s.predicted_rounded == round_significant(s.predicted_factor, 2)
    # the variance rules for a hidden layer of width 30: 1/30, 2/60, 2/30
    w = lesson.width
    assert [(q.numerator, q.denominator) for q in r.rules] == [(1, w), (2, 2 * w), (2, w)]
    assert [q.year for q in r.rules] == [1998, 2010, 2015]
    assert r.rules[1].fraction == r.rules[0].fraction == Fraction(1, w)
    assert [s.n_var[0] for s in r.settings] == [1, 1, 1, 2]


def test_the_fan_in_factor_predicts_the_measured_one(results: dict[str, WayOutResult]) -> None:
    r = results["default"]
    for s in r.settings:
        assert s.measured_factor == pytest.approx(s.predicted_factor, rel=0.1)
        np.testing.assert_allclose(np.median(s.measured, axis=0), np.median(s.predicted, axis=0), rtol=0.15)
    sig, sx, tanh, relu = (r.by_key(k) for k in ("sigmoid", "sigmoid-xavier", "tanh", "relu"))
    # sigma' <= 1/4 and n Var(w) = 1: the sigmoid's factor stays below 1/4 with either start
    for s in (sig, sx):
        assert s.n_var[0] == 1 and s.predicted_factor < 0.25 and s.measured_factor < 0.25
        assert np.all(s.sigma_prime_sq <= 1 / 16)
    assert 0.45 < relu.mean_sigma_prime_sq < 0.55  # ReLU is on for about half the inputs
    assert 0.9 < relu.measured_factor < 1.1 and 0.75 < tanh.measured_factor < 1.0


def test_fixes_keep_the_bars_level(results: dict[str, WayOutResult]) -> None:
    r = results["default"]
    sig, sx, tanh, relu = (r.by_key(k) for k in ("sigmoid", "sigmoid-xavier", "tanh", "relu"))
    assert sig.ratio > 50 and sx.ratio > 50  # the start alone leaves the sigmoid fading
    assert relu.ratio < 3 and tanh.ratio < 3
    assert np.all(np.diff(sig.hidden_median) > 0)
    for s in (tanh, relu):
        assert s.first > 100 * sig.first  # layer 1 gets a real gradient
    lo, hi = r.bar_decades
    every = np.concatenate([np.concatenate([s.median[:-1], s.q25[:-1], s.q75[:-1]]) for s in r.settings])
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
    assert "1/30, 2/60 and 2/30" in text and "1998" in text and "2010" in text and "2015" in text
    assert f"{r.by_key('sigmoid').ratio_rounded:.0f} times layer 1's" in text
    assert "the start alone cannot fix the sigmoid" in text.lower()
    assert "Chapters 6 and 7" in text and "chapter 8" in text
    assert "next episode" not in text.lower() and "Restricted Boltzmann" not in text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": (64, 30, 30, 10)}, "need at least three hidden layers"),
        ({"sizes": (63, 30, 30, 30, 10)}, "must start with 64"),
        ({"sizes": (64, 30, 30, 30, 9)}, "must end with 10"),
        ({"sizes": (64, 0, 30, 30, 10)}, "layer size 0 must be at least 1"),
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
        way_out(**{"sizes": (64, 30, 30, 30, 10), "seeds": 0, "n_samples": 10, **kwargs})


def test_bad_widths_raise() -> None:
    with pytest.raises(NetsimError, match="n_in = 0 must be a whole number >= 1"):
        variance_rules(0, 30)
    with pytest.raises(NetsimError, match="n_out = 2.5 must be"):
        variance_rules(30, 2.5)  # type: ignore[arg-type]
    with pytest.raises(NetsimError, match="init 'identity' has no variance rule"):
        weight_variance("identity", 30, 30)
    assert weight_variance("xavier-uniform", 30, 10) == Fraction(2, 40)
