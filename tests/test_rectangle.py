"""Chapter 7, the shrinking rectangle: dry runs, the numbers on screen (against the experiment
and a recomputation by hand), the claims of the captions, bad input, (its golden frames are in test_pictures.py)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from netsim.activations import sigmoid, sigmoid_prime
from netsim.chain import chain_factors, chain_network
from netsim.errors import NetsimError
from netsim.experiments.rectangle import shrinking_factors
from netsim.format import fmt_value
from scenes.chapters import number_of
from scenes.lesson import LESSONS_DIR
from scenes.rectangle import ShrinkingRectangle, chain_layers, decades, experiment
from tests.conftest import dry_scene

LESSON_FILES = ["default.toml", "relu-he.toml"]


def _dry_run(lesson_file: str) -> ShrinkingRectangle:
    """The suite's shared dry run of the chapter on a lesson file."""
    return dry_scene("rectangle", LESSONS_DIR / lesson_file)


@pytest.fixture(scope="module", params=LESSON_FILES)
def rendered(request: pytest.FixtureRequest) -> ShrinkingRectangle:
    """A dry-run render of the scene for each lesson."""
    return _dry_run(request.param)


def test_dry_run_plays_every_beat(rendered: ShrinkingRectangle) -> None:
    assert all(c.strip() for c in rendered.captions) and len(rendered.captions) >= 15
    assert not rendered.mobjects, "end_chapter fades everything out"
    assert 60 <= rendered.renderer.time <= 120
    cues = rendered.renderer.file_writer.subcaptions
    for earlier, later in zip(cues, cues[1:]):
        assert earlier.start < earlier.end <= later.start, (earlier.content, later.content)


def test_captions_answer_the_question_truthfully(rendered: ShrinkingRectangle) -> None:
    """Issue 11: factors, not gradients; only for small weights; every bound qualified by |w|."""
    text = " ".join(rendered.captions)
    assert "not the gradients" in text and "only for small weights" in text
    assert "below 1 when |w| < 4" in text and "below 1/4 when |w| < 1" in text
    assert "With |w| > 4 and z near 0, a factor is above 1." in text
    assert "w = 4/3 at z = 0 gives 1/3" in text
    assert "negative" in text and "log scale" in text and "means" in text  # signs, log axis, e-notation
    assert f"chapter {number_of('exploding')}" in text and f"chapter {number_of('neuron')}" in text
    assert "every layer shrinks" not in text and "so every" not in text


def test_rectangle_fractions_are_exact(rendered: ShrinkingRectangle) -> None:
    shown = rendered.shown
    quarter, third = Fraction(1, 4), Fraction(1, 3)
    assert [shown[f"multiplier_{k}"] for k in (1, 2, 3)] == [quarter, third, quarter]
    assert shown["area_0"] == 1
    assert shown["area_1"] == quarter
    assert shown["area_2"] == Fraction(1, 12)
    assert shown["area_3"] == Fraction(1, 48)
    assert all(isinstance(shown[f"area_{k}"], Fraction) for k in range(4))
    areas = [shown[f"area_{k}"] for k in range(4)]
    assert all(b < a for a, b in zip(areas, areas[1:]))


def test_sigma_prime_bound_and_the_third(rendered: ShrinkingRectangle) -> None:
    shown = rendered.shown
    assert float(sigmoid_prime(np.array(0.0))) == 0.25
    assert shown["peak"] == Fraction(1, 4) == shown["bound_peak"] and shown["peak_z"] == 0.0
    assert shown["unit_weight"] == 4
    dense = np.linspace(-20, 20, 40_001)
    assert sigmoid_prime(dense).max() <= 0.25
    z = np.linspace(-6, 6, 121)
    s = sigmoid(z)
    np.testing.assert_allclose(shown["sigma_prime_curve"], s * (1 - s), rtol=1e-12, atol=1e-15)
    # |w sigma'(z)| <= |w| / 4: below 1 for |w| < 4, below 1/4 for |w| < 1, above 1 for |w| > 4 at z = 0
    for w in (-3.99, -0.5, 0.99, 2.0, 3.99):
        assert np.abs(w * sigmoid_prime(dense)).max() < (0.25 if abs(w) < 1 else 1.0)
    assert 4.01 * float(sigmoid_prime(np.array(0.0))) > 1
    # the rectangle's 1/3 is a possible factor: w = 4/3 at z = 0
    assert shown["third_weight"] == Fraction(4, 3) and shown["third_factor"] == Fraction(1, 3)
    net = chain_network([1.0, 4 / 3], biases="zero-z")
    assert chain_factors(net, 1.0, 0.0).layer_factors[0] == pytest.approx(1 / 3, rel=1e-15)


def _chain_by_hand(seed: int, L: int, x: float = 1.0) -> tuple[list[float], list[float], list[float]]:
    """Signed factors w_{l+1} sigma'(z_l) (l = L-1 .. 1) from w, b ~ N(0, 1) drawn with ``seed``."""
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(L)  # w_1 .. w_L: the N(0, 1)/sqrt(1) draw, one per layer
    b = rng.standard_normal(L)  # then b_1 .. b_L
    a, zs = x, []
    for l in range(L):
        z = w[l] * a + b[l]
        zs.append(z)
        a = 1.0 / (1.0 + np.exp(-z))
    sp = [1.0 / (1.0 + np.exp(-z)) * (1.0 - 1.0 / (1.0 + np.exp(-z))) for z in zs]
    factors = [w[l] * sp[l - 1] for l in range(L - 1, 0, -1)]  # w[l] is w_{l+1}
    return factors, list(np.cumprod(factors)), list(w)


def test_chain_factors_match_netsim(rendered: ShrinkingRectangle) -> None:
    shown, lesson = rendered.shown, rendered.lesson
    L = chain_layers(lesson)
    factors, running, weights = _chain_by_hand(lesson.seed, L)
    n = L - 1
    assert [k for k in shown if k.startswith("factor_")] == [f"factor_{k}" for k in range(n)]
    np.testing.assert_allclose([shown[f"factor_{k}"] for k in range(n)], factors, rtol=1e-12)
    np.testing.assert_allclose([shown[f"running_{k}"] for k in range(n)], running, rtol=1e-12)
    assert shown["chain_output"] == 1.0
    assert shown["vanished"] == abs(shown[f"running_{n - 1}"])
    assert shown["negative_factors"] == sum(f < 0 for f in factors) > 0
    # e-notation is explained with the first size written in it
    first_e = next(abs(v) for v in running if "e" in fmt_value(abs(v)))
    assert shown["e_example"] == pytest.approx(first_e, rel=1e-12)
    assert f"A size like {fmt_value(first_e)} means" in " ".join(rendered.captions)
    # the running products are back prop's own gradients, relative to the output's (signed)
    r = experiment(lesson)
    grads = chain_factors(chain_network(r.weights, r.biases), 1.0, 0.0).dC_db
    np.testing.assert_allclose(running, [grads[l - 1] / grads[-1] for l in range(L - 1, 0, -1)], rtol=1e-9)
    # the caption says every weight is below 1 in size: true for this chain; so each factor is below 1/4
    assert max(abs(w) for w in weights) < 1
    assert "all below 1 in size" in " ".join(rendered.captions)
    assert all(abs(f) < 0.25 for f in factors)
    assert all(abs(b) < abs(a) for a, b in zip([1.0, *running], running))


def test_large_weights_explode_on_a_log_axis(rendered: ShrinkingRectangle) -> None:
    shown = rendered.shown
    n = chain_layers(rendered.lesson) - 1
    assert shown["large_weight"] == 100.0
    assert shown["large_peak"] == Fraction(1, 4)
    assert shown["large_factor"] == 25.0
    assert [shown[f"large_factor_{k}"] for k in range(n)] == [25.0] * n
    assert [shown[f"large_running_{k}"] for k in range(n)] == [25.0 ** (k + 1) for k in range(n)]
    big = chain_factors(chain_network([100.0] * (n + 1), biases="zero-z"), 1.0, 0.0)
    assert big.zs == [0.0] * (n + 1)
    assert all(f > 1 for f in big.layer_factors)
    # the log axis spans every bar: the smallest and the largest sizes both fit, whole decades
    lo, hi = shown["log_decades"]
    sizes = [abs(shown[f"running_{k}"]) for k in range(n)] + [shown[f"large_running_{k}"] for k in range(n)]
    assert 10**lo <= min(sizes) and max(sizes) <= 10**hi
    assert (lo, hi) == tuple(float(d) for d in decades(experiment(rendered.lesson)))
    assert math.log10(max(sizes) / min(sizes)) > 6, "the values span orders of magnitude"


def test_experiment_defaults_are_the_storyboards() -> None:
    r = shrinking_factors()
    assert r.areas == (1, Fraction(1, 4), Fraction(1, 12), Fraction(1, 48))
    assert r.peak_fraction == Fraction(1, 4) and r.peak_is_max and r.peak_z == 0.0
    assert r.unit_weight == 4 and r.zero_z_weights == (1, Fraction(4, 3), 1)
    assert r.below_peak == len(r.factors)
    assert len(r.factors) == r.layers - 1 == len(r.large_factors)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"multipliers": [Fraction(3, 2)]}, "strictly between 0 and 1"),
        ({"multipliers": [0.5]}, "exact fraction"),
        ({"multipliers": []}, "at least one factor"),
        ({"multipliers": [Fraction(0)]}, "strictly between 0 and 1"),
        ({"layers": 1}, "layers = 1 is out of range"),
        ({"layers": 2.5}, "whole number"),
        ({"seed": -1}, "seed -1"),
        ({"samples": 100}, "odd whole number"),
        ({"z_max": 0.0}, "z_max"),
        ({"large_weight": float("nan")}, "finite number"),
        ({"large_weight": 1e300, "layers": 6}, "overflows"),
    ],
)
def test_bad_input_raises_netsim_error(kwargs: dict, message: str) -> None:
    with pytest.raises(NetsimError, match=message):
        shrinking_factors(**kwargs)
