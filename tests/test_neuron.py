"""Chapter 3, "One neuron": dry runs on both lessons, the numbers on screen against the experiment and
an independent recomputation, exact arithmetic on screen (w, a, b rounded before z is computed), the
captions against the numbers and the notation (g, σ, σ'), the sigmoid's slope facts, and bad input
(its golden frames are in test_pictures.py)."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from netsim.activations import sigmoid, sigmoid_prime
from netsim.errors import NetsimError
from netsim.experiments.neuron import DECIMALS, DEFAULT_LAYER, Z_DIGITS, NeuronResult, one_neuron
from netsim.format import fmt_value
from netsim.spec import DEFAULT_NET
from scenes.engine.chapters import number_of
from scenes.engine.lesson import LESSONS_DIR
from scenes.neuron import OneNeuron, experiment
from tests.conftest import dry_scene, with_net

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
#: The script's character budget for this chapter's captions.
BUDGET = 620
#: The review's ceiling for the default lesson's dry run, in seconds (another lesson's g adds a beat).
SECONDS = {"default": (35.0, 42.0), "relu-he": (35.0, 50.0)}


@pytest.fixture(scope="module")
def rendered() -> dict[str, OneNeuron]:
    """A dry-run render of the scene for each lesson (the smoke test), shared with the suite."""
    return {name: dry_scene("neuron", path) for name, path in LESSONS.items()}


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders_with_captions(rendered: dict[str, OneNeuron], name: str) -> None:
    scene = rendered[name]
    low, high = SECONDS[name]
    assert low <= scene.renderer.time <= high
    assert scene.captions and all(c.strip() for c in scene.captions)
    assert scene.mobjects == []  # ends on the bare background
    captions = " ".join(scene.captions)
    for word in ("activation function g", "sigmoid", "slope σ'(z)", "saturated"):
        assert word in captions, word
    # the lesson's own activation is named only when it is not the sigmoid
    assert ("instead" in captions) == (scene.lesson.activation != "sigmoid")
    if name == "default":
        assert "Ours is the sigmoid" in captions
        assert sum(len(c) for c in scene.captions) <= BUDGET
    else:
        assert f"uses ReLU as g instead; chapter {number_of('wayout')} says why." in captions


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_equals_experiment(rendered: dict[str, OneNeuron], name: str) -> None:
    scene = rendered[name]
    r = experiment(scene.lesson)
    assert scene.shown == {
        "a": r.a, "w": r.w, "b": r.b, "z": r.z,
        "sigma_curve": list(r.sigma), "a_out": r.a_out,
        "sigma_prime_curve": list(r.sigma_prime), "slope": r.slope,
        "peak_p": r.peak_p, "bound": r.peak_fraction, "peak": r.peak_fraction, "peak_z": r.peak_z,
        "saturated_z": r.saturated_z, "saturated_sigma": r.saturated_sigma, "saturated_slope": r.saturated_slope,
    }


@pytest.mark.parametrize("name", list(LESSONS))
def test_numbers_recomputed_by_hand(rendered: dict[str, OneNeuron], name: str) -> None:
    """The neuron of a one-neuron-per-layer chain drawn from the lesson's seed, recomputed with
    plain NumPy: w_l ~ N(0, 1) (nielsen, n_in = 1), then b_l ~ N(0, 1), x = 1; its w, a and b
    rounded to the shown decimals, then z = w a + b from those."""
    scene = rendered[name]
    s, seed = scene.shown, scene.lesson.seed
    L = DEFAULT_LAYER
    rng = np.random.default_rng(seed)
    w, b = rng.standard_normal(L), rng.standard_normal(L)
    a = 1.0
    for l in range(L - 1):
        a = 1.0 / (1.0 + np.exp(-(w[l] * a + b[l])))
    assert s["a"] == round(a, DECIMALS) and s["w"] == round(w[L - 1], DECIMALS) and s["b"] == round(b[L - 1], DECIMALS)
    assert scene.res.a_drawn == pytest.approx(a, rel=1e-12) and scene.res.w_drawn == w[L - 1]
    z = s["w"] * s["a"] + s["b"]  # from the rounded values
    assert s["z"] == pytest.approx(z, abs=1e-12)
    out = 1.0 / (1.0 + np.exp(-s["z"]))
    assert s["a_out"] == pytest.approx(out, rel=1e-12)
    assert s["slope"] == pytest.approx(out * (1 - out), rel=1e-12)
    # the slope is the derivative: a central difference agrees
    h = 1e-6
    zz = s["z"]
    assert s["slope"] == pytest.approx((sigmoid(np.array(zz + h)) - sigmoid(np.array(zz - h))) / (2 * h), rel=1e-6)
    # the curves, sampled on [-6, 6] with z = 0 among the samples
    zs = np.linspace(-6, 6, 121)
    zs[60] = 0.0
    np.testing.assert_allclose(s["sigma_curve"], 1 / (1 + np.exp(-zs)), rtol=1e-12)
    sig = 1 / (1 + np.exp(-zs))
    np.testing.assert_allclose(s["sigma_prime_curve"], sig * (1 - sig), rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("name", list(LESSONS))
def test_the_arithmetic_on_screen_is_exact(rendered: dict[str, OneNeuron], name: str) -> None:
    """w × a + b = z holds exactly for the digits written on screen and in the caption."""
    scene = rendered[name]
    s = scene.shown
    w, a, b, z = fmt_value(s["w"]), fmt_value(s["a"]), fmt_value(s["b"]), fmt_value(s["z"], Z_DIGITS)
    for text in (w, a, b):  # at most DECIMALS decimals: nothing hidden by rounding
        assert "e" not in text and len(text.partition(".")[2]) <= DECIMALS
    assert Decimal(tex(w)) * Decimal(tex(a)) + Decimal(tex(b)) == Decimal(tex(z))
    # on screen the formula carries the same written numbers (LaTeX sets U+2212 as its minus:
    # scenes.engine.common.TRUE_MINUS); negative factors are bracketed
    line = scene.z_line.tex_string
    assert f"{a} + " in line and line.endswith(f"= {z}")
    for text in (w, b):
        assert (f"({text})" if text.startswith("−") else text) in line
    assert f"z = w a + b = {z}." in scene.captions[1]
    assert f"σ({z}) = {fmt_value(s['a_out'])}." in scene.captions[2]
    assert scene.slope_line.tex_string.endswith(f"= {fmt_value(s['slope'])}")  # the slope's value: on screen only


def tex(text: str) -> str:
    """A written number as LaTeX gets it: the true minus sign (U+2212) as "-"."""
    return text.replace("−", "-")


@pytest.mark.parametrize("name", list(LESSONS))
def test_negative_numbers_carry_a_true_minus_sign(rendered: dict[str, OneNeuron], name: str) -> None:
    """A computed negative number is written with U+2212 in every caption, never a hyphen; the
    default lesson's neuron has w < 0 and z < 0, so its captions say −1.459-like numbers."""
    scene = rendered[name]
    words = " ".join(scene.captions)
    assert re.search(r"-\d", words) is None
    if scene.shown["z"] < 0:
        assert f"= {fmt_value(scene.shown['z'], Z_DIGITS)}." in words and fmt_value(scene.shown["z"]).startswith("−")
        assert f"σ(−{fmt_value(-scene.shown['z'], Z_DIGITS)})" in words


def test_the_slope_is_drawn_on_the_sigmoids_scale(rendered: dict[str, OneNeuron]) -> None:
    """σ' is drawn on σ's vertical scale (0 to 1, the same height), so its peak ¼ stands ¼ as tall
    as σ's 1, and its axis writes the tick 1/4 where the peak is."""
    scene = rendered["default"]
    sig, slope = scene.sig_ax, scene.slope_ax
    unit = sig.c2p(0, 1)[1] - sig.c2p(0, 0)[1]
    assert slope.c2p(0, 1)[1] - slope.c2p(0, 0)[1] == pytest.approx(unit)
    peak_height = slope.c2p(0, float(scene.shown["peak"]))[1] - slope.c2p(0, 0)[1]
    assert peak_height == pytest.approx(unit / 4)
    zero, quarter, one = scene.slope_ticks
    assert quarter.tex_string == "1/4" and zero.text == "0" and one.text == "1"
    assert quarter.get_center()[1] == pytest.approx(slope.c2p(0, 0.25)[1], abs=0.05)


def test_notation(rendered: dict[str, OneNeuron]) -> None:
    """g is the general activation function, σ the sigmoid only; captions use the screen's glyphs."""
    for scene in rendered.values():
        captions = " ".join(scene.captions)
        assert "sigma" not in captions and "1/4" not in captions and "1/2" not in captions
        assert captions.index("activation function g") < captions.index("the sigmoid, σ(z) = 1/(1 + e^−z)")
        assert "σ'(z) = σ(z)(1 − σ(z))" in captions and "σ' is at most ¼" in captions
        assert r"g(z) = \sigma(z)" in scene.sig_line.tex_string


def test_the_slope_is_at_most_a_quarter_and_saturates(rendered: dict[str, OneNeuron]) -> None:
    scene = rendered["default"]
    s = scene.shown
    assert s["peak"] == s["bound"] == Fraction(1, 4) and s["peak_z"] == 0.0 and s["peak_p"] == 0.5
    assert "largest at p = ½, at z = 0: σ' is at most ¼." in scene.captions[4]
    assert max(s["sigma_prime_curve"]) == 0.25
    # p (1 - p) = 1/4 - (p - 1/2)^2, largest at p = 1/2
    p = np.linspace(0, 1, 10_001)
    np.testing.assert_allclose(p * (1 - p), 0.25 - (p - 0.5) ** 2, atol=1e-15)
    assert p[np.argmax(p * (1 - p))] == 0.5
    dense = np.linspace(-30, 30, 60_001)
    assert sigmoid_prime(dense).max() == 0.25 and dense[np.argmax(sigmoid_prime(dense))] == 0.0
    # saturation: σ'(5) = e^-5 / (1 + e^-5)^2, far below the peak
    zs = s["saturated_z"]
    assert zs == 5.0
    assert s["saturated_slope"] == pytest.approx(np.exp(-zs) / (1 + np.exp(-zs)) ** 2, rel=1e-12)
    assert s["saturated_slope"] < s["peak"] / 25
    assert s["saturated_sigma"] == pytest.approx(1 / (1 + np.exp(-zs)), rel=1e-12)
    assert f"at z = {fmt_value(zs)}, σ' is only {fmt_value(s['saturated_slope'])}." in scene.captions[5]
    # the neuron of the default lesson is an ordinary one: negative weight, off the peak, not saturated
    assert s["w"] < 0 and s["saturated_slope"] < s["slope"] < s["peak"]


def test_result_is_frozen() -> None:
    r = one_neuron(DEFAULT_NET.with_(seed=3), layer=1, x=0.5)
    assert isinstance(r, NeuronResult) and r.a == 0.5 and r.layer == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.z = 0.0  # type: ignore[misc]
    assert len(r.zs) == len(r.sigma) == len(r.sigma_prime) == 121 and r.peak_is_max
    # rounded first, computed exactly after: z has at most 2 DECIMALS decimals
    assert r.z == round(r.w * r.a + r.b, 2 * DECIMALS)
    assert r.a_out == float(sigmoid(np.array(r.z)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seed": -1}, "seed -1"),
        ({"layer": 0}, "layer = 0 is out of range"),
        ({"layer": 2.0}, "whole number"),
        ({"x": float("nan")}, "x = nan must be a finite number"),
        ({"z_max": 0.0}, "z_max = 0.0 must be > 0"),
        ({"samples": 100}, "odd whole number"),
        ({"saturated_z": 0.0}, "saturated_z"),
        ({"saturated_z": 9.0}, "saturated_z"),
    ],
)
def test_bad_input_raises(kwargs: dict, message: str) -> None:
    with pytest.raises(NetsimError, match=message):
        with_net(one_neuron, kwargs)


def test_every_text_has_a_chinese_translation() -> None:
    assert sorted(dry_scene("neuron", LESSONS_DIR / "zh.toml").untranslated) == []
