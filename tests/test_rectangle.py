"""Chapter 6, the shrinking rectangle: smoke runs, the numbers on screen, a golden frame."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from manim import tempconfig
from manim.utils.testing.frames_comparison import frames_comparison

from netsim.activations import sigmoid, sigmoid_prime
from netsim.chain import chain_factors, chain_network
from netsim.errors import NetsimError
from netsim.experiments.factors import shrinking_factors
from scenes.lesson import LESSONS_DIR, Lesson, load_lesson
from scenes.rectangle import ShrinkingRectangle, chain_layers, experiment, timeline

__module_test__ = "rectangle"

LESSON_FILES = ["default.toml", "relu-he.toml"]


def _dry_run(lesson: Lesson) -> ShrinkingRectangle:
    with tempconfig({"dry_run": True, "quality": "low_quality", "disable_caching": True}):
        scene = ShrinkingRectangle(lesson=lesson)
        scene.render()
    return scene


@pytest.fixture(scope="module", params=LESSON_FILES)
def rendered(request: pytest.FixtureRequest) -> ShrinkingRectangle:
    """A dry-run render of the scene for each lesson."""
    return _dry_run(load_lesson(LESSONS_DIR / request.param))


def test_dry_run_plays_every_beat(rendered: ShrinkingRectangle) -> None:
    beats = timeline(experiment(rendered.lesson))
    assert rendered.captions == [b.caption for b in beats if b.caption]
    assert all(c.strip() for c in rendered.captions)
    assert [b.name for b in beats if not b.caption] == ["end"], "only the final fade is uncaptioned"
    assert beats[-2].name == "key" and beats[-2].duration >= 2.0
    assert not rendered.mobjects, "end_chapter fades everything out"
    expected = ShrinkingRectangle.expected_duration(rendered.lesson)
    assert rendered.time == pytest.approx(expected, abs=1e-6)
    assert 30 <= expected <= 90


def test_captions_stay_within_their_beats(rendered: ShrinkingRectangle) -> None:
    cues = rendered.renderer.file_writer.subcaptions
    beats = [b for b in timeline(experiment(rendered.lesson)) if b.caption]
    assert [c.content for c in cues] == [b.caption for b in beats]
    for earlier, later in zip(cues, cues[1:]):
        assert earlier.start < earlier.end <= later.start, (earlier.content, later.content)


def test_rectangle_fractions_are_exact(rendered: ShrinkingRectangle) -> None:
    shown = rendered.shown
    quarter, third = Fraction(1, 4), Fraction(1, 3)
    assert [shown[f"multiplier_{k}"] for k in (1, 2, 3)] == [quarter, third, quarter]
    assert shown["area_0"] == 1
    assert shown["area_1"] == quarter
    assert shown["area_2"] == Fraction(1, 12)
    assert shown["area_3"] == Fraction(1, 48)
    assert all(isinstance(shown[f"area_{k}"], Fraction) for k in range(4))
    # the more factors between 0 and 1, the smaller the product
    areas = [shown[f"area_{k}"] for k in range(4)]
    assert all(b < a for a, b in zip(areas, areas[1:]))


def test_sigma_prime_peak_is_a_quarter_at_zero(rendered: ShrinkingRectangle) -> None:
    shown = rendered.shown
    assert float(sigmoid_prime(np.array(0.0))) == 0.25
    assert shown["peak"] == Fraction(1, 4) == shown["bound_peak"] == shown["bound_factor"]
    assert shown["peak_z"] == 0.0
    assert shown["divide_by"] == 4
    dense = np.linspace(-20, 20, 40_001)
    assert sigmoid_prime(dense).max() <= 0.25
    assert dense[np.argmax(sigmoid_prime(dense))] == 0.0
    z = np.linspace(-6, 6, 121)
    s = sigmoid(z)
    np.testing.assert_allclose(shown["sigma_prime_curve"], s * (1 - s), rtol=1e-12, atol=1e-15)
    assert max(shown["sigma_prime_curve"]) == 0.25


def _chain_by_hand(seed: int, L: int, x: float = 1.0) -> tuple[list[float], list[float]]:
    """Factors |w_{l+1} sigma'(z_l)| (l = L-1 .. 1) from w, b ~ N(0, 1) drawn with ``seed``."""
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(L)  # w_1 .. w_L: the N(0, 1)/sqrt(1) draw, one per layer
    b = rng.standard_normal(L)  # then b_1 .. b_L
    a, zs = x, []
    for l in range(L):
        z = w[l] * a + b[l]
        zs.append(z)
        a = 1.0 / (1.0 + np.exp(-z))
    sp = [1.0 / (1.0 + np.exp(-z)) * (1.0 - 1.0 / (1.0 + np.exp(-z))) for z in zs]
    factors = [abs(w[l] * sp[l - 1]) for l in range(L - 1, 0, -1)]  # w[l] is w_{l+1}
    return factors, list(np.cumprod(factors))


def test_chain_factors_match_netsim(rendered: ShrinkingRectangle) -> None:
    shown, lesson = rendered.shown, rendered.lesson
    L = chain_layers(lesson)
    factors, running = _chain_by_hand(lesson.seed, L)
    n = L - 1
    assert [k for k in shown if k.startswith("factor_")] == [f"factor_{k}" for k in range(n)]
    np.testing.assert_allclose([shown[f"factor_{k}"] for k in range(n)], factors, rtol=1e-12)
    np.testing.assert_allclose([shown[f"running_{k}"] for k in range(n)], running, rtol=1e-12)
    assert shown["chain_output"] == 1.0
    assert shown["vanished"] == shown[f"running_{n - 1}"]
    # the running products are back prop's own gradients, relative to the output's
    r = experiment(lesson)
    net = chain_network(r.weights, r.biases)
    grads = chain_factors(net, 1.0, 0.0).dC_db
    rel = [abs(grads[l - 1] / grads[-1]) for l in range(L - 1, 0, -1)]
    np.testing.assert_allclose(running, rel, rtol=1e-9)
    # ordinary weights: every factor is at most |w|/4, mostly below 1/4, and the bar shrinks
    assert all(f <= abs(w) / 4 for f, w in zip(factors, r.weights[::-1][:-1]))
    assert sum(f < 0.25 for f in factors) > n / 2
    assert all(b < a for a, b in zip([1.0, *running], running))
    assert running[-1] < 0.25**2


def test_large_weights_explode(rendered: ShrinkingRectangle) -> None:
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


def test_experiment_defaults_are_the_storyboards() -> None:
    r = shrinking_factors()
    assert r.areas == (1, Fraction(1, 4), Fraction(1, 12), Fraction(1, 48))
    assert r.peak_fraction == Fraction(1, 4) and r.peak_is_max and r.peak_z == 0.0
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


class KeyPicture(ShrinkingRectangle):
    """Every beat but the final fade: the chapter's key picture."""

    skip_end = True


@frames_comparison(base_scene=KeyPicture)
def test_rectangle_key_picture(scene: ShrinkingRectangle) -> None:
    ShrinkingRectangle.construct(scene)


@frames_comparison(base_scene=ShrinkingRectangle)
def test_rectangle_last_frame(scene: ShrinkingRectangle) -> None:
    ShrinkingRectangle.construct(scene)
