"""Chapter 6, forward prop and back prop: smoke renders of both lessons and the clip's length,
the numbers on screen against an independent chain computed by hand and against
Network.backward, back prop's output-first order, the words (which gradients are followed and
why, delta named, the "times a_{l-1}" step, the |w| < 4 qualification), and bad input."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np
import pytest

from netsim.errors import NetsimError
from netsim.experiments.backprop import BackpropChain, backprop_chain
from netsim.network import Network
from scenes.backprop import ForwardBackProp, e_notation, experiment, inline_gradient, tex_symbol
from scenes.chapters import number_of
from scenes.lesson import LESSONS_DIR
from tests.conftest import dry_scene

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
OUTPUT_FIRST = ["dC/dw4", "dC/dw3", "dC/dw2", "dC/dw1", "dC/db1"]  # netsim's order (gradient_names)
SHOWN_ORDER = ["dC/dw4", "dC/dw3", "dC/dw2", "dC/db1", "dC/dw1"]  # the scene: delta_1 = dC/db1, then times a_0


@pytest.fixture(scope="module")
def rendered() -> dict[str, ForwardBackProp]:
    """A dry-run render of the scene for each lesson, shared with the suite."""
    return {name: dry_scene("backprop", path) for name, path in LESSONS.items()}


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _by_hand(seed: int, x: float = 1.0, y: float = 0.0, L: int = 4) -> dict[str, list[float]]:
    """The chain computed from scratch: w, b ~ N(0, 1) from ``seed`` (weights drawn first)."""
    rng = np.random.default_rng(seed)
    w = [float(rng.standard_normal()) for _ in range(L)]  # nielsen: N(0, 1)/sqrt(n_in = 1)
    b = [float(rng.standard_normal()) for _ in range(L)]
    a, acts, zs = x, [x], []
    for l in range(L):
        z = w[l] * a + b[l]
        a = _sigmoid(z)
        zs.append(z)
        acts.append(a)
    sp = [_sigmoid(z) * (1 - _sigmoid(z)) for z in zs]
    factors = []  # sigma'(z1), w2, sigma'(z2), ..., sigma'(zL), dC/daL
    for l in range(L):
        if l:
            factors.append(w[l])
        factors.append(sp[l])
    factors.append(acts[-1] - y)
    running, p = [], 1.0
    for f in reversed(factors):
        p *= f
        running.append(p)
    # delta_l after the factor sigma'(z_l): positions 1, 3, 5, 7 of the running products
    deltas = {L - j: running[2 * j + 1] for j in range(L)}
    grads = [acts[l - 1] * deltas[l] for l in range(L, 0, -1)] + [deltas[1]]
    pairs = [abs(w[l] * sp[l - 1]) for l in range(1, L)]  # |w_l sigma'(z_{l-1})|, l = 2..L
    return {"w": w, "b": b, "acts": acts, "zs": zs, "sp": sp, "factors": factors, "running": running,
            "grads": grads, "cost": [0.5 * (acts[-1] - y) ** 2], "deltas": [deltas[l] for l in range(1, L + 1)],
            "pairs": pairs}


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders_within_bounds(rendered: dict[str, ForwardBackProp], name: str) -> None:
    scene = rendered[name]
    assert 100.0 <= scene.renderer.time <= 145.0, scene.renderer.time
    assert len(scene.captions) >= 20 and all(c.strip() for c in scene.captions)


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_are_the_experiment(rendered: dict[str, ForwardBackProp], name: str) -> None:
    scene = rendered[name]
    r = backprop_chain(seed=scene.lesson.seed)
    assert experiment(scene.lesson) == r
    expected: dict[str, object] = {f"a_{l}": r.activations[l] for l in range(r.layers + 1)}
    expected |= {"y": r.y, "cost": r.cost, "weights": float(r.layers)}
    for k, i in enumerate(r.backprop_order):
        expected[f"factor_{i}"] = r.factors[i]
        expected[f"running_{k}"] = r.partial_products[k]
    # dC/db1's slot shows "= delta_1" beside the running product that holds its value
    expected |= {f"grad_{n}": g for n, g in zip(r.gradient_names, r.gradients) if n != "dC/db1"}
    expected |= {"backward_dC_db1": r.backward_dC_db1, "sigma_prime_max": Fraction(1, 4), "weight_limit": 4.0}
    assert scene.shown == expected


@pytest.mark.parametrize("name", list(LESSONS))
def test_numbers_match_a_chain_computed_by_hand(rendered: dict[str, ForwardBackProp], name: str) -> None:
    shown, seed = rendered[name].shown, rendered[name].lesson.seed
    hand = _by_hand(seed)
    r = experiment(rendered[name].lesson)
    np.testing.assert_allclose(r.weights, hand["w"], rtol=1e-15)
    np.testing.assert_allclose(r.biases, hand["b"], rtol=1e-15)
    np.testing.assert_allclose([shown[f"a_{l}"] for l in range(5)], hand["acts"], rtol=1e-12)
    np.testing.assert_allclose([shown[f"factor_{i}"] for i in range(8)], hand["factors"], rtol=1e-12)
    np.testing.assert_allclose([shown[f"running_{k}"] for k in range(8)], hand["running"], rtol=1e-12)
    np.testing.assert_allclose([shown[f"grad_{n}"] for n in OUTPUT_FIRST[:4]], hand["grads"][:4], rtol=1e-12)
    assert shown["cost"] == pytest.approx(hand["cost"][0], rel=1e-12)
    assert shown["a_0"] == 1.0 and shown["y"] == 0.0
    np.testing.assert_allclose(r.deltas, hand["deltas"], rtol=1e-12)
    np.testing.assert_allclose(r.pair_factors, hand["pairs"], rtol=1e-12)
    # each delta_l is the running product right after sigma'(z_l): what the label "= delta_l =" shows
    for l, k in zip(range(4, 0, -1), (1, 3, 5, 7)):
        assert shown[f"running_{k}"] == pytest.approx(hand["deltas"][l - 1], rel=1e-12)
    # dC/dw_l = delta_l a_{l-1}, and dC/dw_1 = dC/db_1 since a_0 = x = 1
    for l in range(1, 5):
        assert shown[f"grad_dC/dw{l}"] == pytest.approx(hand["deltas"][l - 1] * hand["acts"][l - 1], rel=1e-12)
    assert shown["grad_dC/dw1"] == shown["running_7"] == r.gradients[OUTPUT_FIRST.index("dC/db1")]


@pytest.mark.parametrize("name", list(LESSONS))
def test_product_of_factors_is_backwards_dC_db1(rendered: dict[str, ForwardBackProp], name: str) -> None:
    shown, seed = rendered[name].shown, rendered[name].lesson.seed
    net = Network.create([1] * 5, "sigmoid", init="nielsen", bias_init="normal", seed=seed)
    grads = net.backward(np.array([[1.0]]), np.array([[0.0]]), "quadratic")
    dC_db1 = float(grads.nabla_b[0][0])
    product = math.prod(shown[f"factor_{i}"] for i in range(8))
    assert product == pytest.approx(dC_db1, rel=1e-12)
    assert shown["running_7"] == pytest.approx(dC_db1, rel=1e-12)
    assert shown["backward_dC_db1"] == dC_db1
    assert experiment(rendered[name].lesson).gradients[-1] == pytest.approx(dC_db1, rel=1e-12)
    # every weight gradient shown is the backward pass's
    for l in range(1, 5):
        assert shown[f"grad_dC/dw{l}"] == pytest.approx(float(grads.nabla_w[l - 1][0, 0]), rel=1e-12)


@pytest.mark.parametrize("name", list(LESSONS))
def test_back_prop_goes_output_first(rendered: dict[str, ForwardBackProp], name: str) -> None:
    scene = rendered[name]
    assert scene.gradient_order == SHOWN_ORDER
    # the factors are visited right to left: dC/da4 first, sigma'(z1) last
    visited = [k for k in scene.shown if k.startswith("factor_")]
    assert visited == [f"factor_{i}" for i in range(7, -1, -1)]
    r = experiment(scene.lesson)
    assert r.symbols[r.backprop_order[0]] == "dC/da4" and r.symbols[r.backprop_order[-1]] == "sigma'(z1)"
    # the words say so too, and never the opposite
    text = " ".join(scene.captions).lower()
    assert "starts at the output" in text and "right to left" in text
    assert "forward prop runs left to right" in text
    assert "start at the left" not in text and "starts at the left" not in text and "starts with the left" not in text


@pytest.mark.parametrize("name", list(LESSONS))
def test_the_words_follow_the_brief(rendered: dict[str, ForwardBackProp], name: str) -> None:
    text = " ".join(rendered[name].captions)
    # a weight and a bias in every layer; which gradients are followed, and why
    assert "Each layer has a weight w and a bias b." in text
    assert "4 weights and 4 biases: 8 gradients in all." in text and "5 gradients" not in text
    assert "We follow dC/db1, and the weights' gradients dC/dw on the way." in text
    assert "farthest from the output, so it collects the most factors" in text
    # "last layer" never means layer 1
    assert "last layer" not in text.lower() and "The first layer, layer 1:" in text
    # delta named where the running product first appears, before any other delta
    assert text.index("delta4 = dC/dz4, in Nielsen's notation") < text.index("delta3")
    # the "times a_{l-1}" step for each weight, and why dC/dw1 = dC/db1
    assert "Times a3, the input that w4 multiplies, gives the first gradient: dC/dw4 = delta4 · a3." in text
    assert "times a2, dC/dw3" in text and "times a1, dC/dw2" in text
    assert "Times a0 = x = 1 gives dC/dw1. Since the input is 1, dC/dw1 equals dC/db1 here." in text
    # sigma' <= 1/4 qualified by |w| < 4, and the exploding case with its chapter's number
    assert "is below 1 while |w| < 4" in text and "Here every |w| is below 1" in text
    assert f"(chapter {number_of('rectangle')})" in text
    assert f"exploding gradients, chapter {number_of('exploding')}." in text
    assert "every layer shrinks" not in text and "keeps shrinking" not in text
    # e-notation is explained the first time it is shown
    assert "3.11e-04 is written in e-notation: 3.11 times 10 to the power -4, or 0.000311." in text
    assert "sigma, z" not in text or "chapter 3" in text
    assert f"as in chapter {number_of('neuron')}" in text


def test_factors_shrink_the_product() -> None:
    r = backprop_chain()
    slopes = [f for s, f in zip(r.symbols, r.factors) if s.startswith("sigma'")]
    assert slopes == list(r.sigma_primes) and len(slopes) == 4
    assert all(0 < s <= 0.25 for s in slopes) and r.sigma_prime_max == 0.25
    # ordinary weights: each layer's |w sigma'(z)| is below 1/4, and the gradients shrink leftwards
    assert all(abs(w) < 1 for w in r.weights)
    assert len(r.pair_factors) == 3 and all(p < 0.25 for p in r.pair_factors)
    mags = [abs(g) for g in r.gradients[:4]]  # dC/dw4 .. dC/dw1
    assert all(b < a for a, b in zip(mags, mags[1:]))
    assert abs(r.product) < abs(r.dC_da) * 0.25**4


def test_relu_lesson_still_shows_the_sigmoid_chain(rendered: dict[str, ForwardBackProp]) -> None:
    relu = rendered["relu-he"]
    assert relu.lesson.activation == "relu"
    assert relu.shown == rendered["default"].shown  # same seed, and the chain is always sigmoid
    assert all(s.startswith(("sigma'", "w", "dC/")) for s in experiment(relu.lesson).symbols)


def test_result_is_frozen_and_complete() -> None:
    r = backprop_chain()
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.product = 1.0  # type: ignore[misc]
    assert isinstance(r, BackpropChain)
    assert r.gradient_names == tuple(OUTPUT_FIRST) and r.gradient_steps == (1, 3, 5, 7, 7)
    assert r.symbols == ("sigma'(z1)", "w2", "sigma'(z2)", "w3", "sigma'(z3)", "w4", "sigma'(z4)", "dC/da4")
    assert r.output == r.activations[-1] and r.dC_da == r.output - r.y
    assert r.dC_dw[::-1] == r.gradients[:4] and r.dC_db[0] == r.gradients[4]


def test_e_notation() -> None:
    assert e_notation("3.11e-04") == ("3.11", -4, "0.000311")
    assert e_notation("-9.86e-06") == ("-9.86", -6, "-0.00000986")
    assert e_notation("0.00115") is None and e_notation("0.12") is None


def test_tex_symbols() -> None:
    assert tex_symbol("sigma'(z3)") == r"\sigma'(z_{3})"
    assert tex_symbol("w2") == "w_{2}"
    assert tex_symbol("dC/da4") == r"\frac{\partial C}{\partial a_{4}}"
    assert inline_gradient("dC/db1") == r"\partial C / \partial b_{1}"
    with pytest.raises(ValueError, match="unknown factor symbol"):
        tex_symbol("v7")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seed": -1}, "seed -1 must be an integer >= 0"),
        ({"seed": 1.5}, "seed 1.5 must be an integer"),
        ({"layers": 1}, "layers = 1 is out of range; allowed: 2 to 6"),
        ({"layers": 7}, "layers = 7 is out of range"),
        ({"layers": 4.0}, "layers 4.0 must be a whole number"),
        ({"x": float("nan")}, "x = nan must be a finite number"),
        ({"x": "1"}, "x = '1' must be a finite number"),
        ({"y": float("inf")}, "y = inf must be a finite number"),
        ({"y": 2.0}, "y = 2.0 is out of range"),
    ],
)
def test_bad_input_raises(kwargs: dict, message: str) -> None:
    with pytest.raises(NetsimError, match=message):
        backprop_chain(**kwargs)
