"""Chapter 5, forward prop and back prop: smoke renders of both lessons, the numbers on screen
against an independent chain computed by hand and against Network.backward, back prop's
output-first order, golden frames of the key picture and the last frame, and bad input."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np
import pytest
from manim import tempconfig
from manim.utils.testing.frames_comparison import frames_comparison

from netsim.errors import NetsimError
from netsim.experiments.backprop import BackpropChain, backprop_chain
from netsim.network import Network
from scenes.backprop import ForwardBackProp, experiment, inline_gradient, tex_symbol
from scenes.lesson import LESSONS_DIR, load_lesson

__module_test__ = "backprop"

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
DRY = {"dry_run": True, "quality": "low_quality", "disable_caching": True}
OUTPUT_FIRST = ["dC/dw4", "dC/dw3", "dC/dw2", "dC/dw1", "dC/db1"]


@pytest.fixture(scope="module")
def rendered() -> dict[str, ForwardBackProp]:
    """A dry-run render of the scene for each lesson, once for the module."""
    scenes = {}
    for name, path in LESSONS.items():
        with tempconfig(DRY):
            scene = ForwardBackProp(lesson=load_lesson(path))
            scene.render()
        scenes[name] = scene
    return scenes


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
    return {"w": w, "b": b, "acts": acts, "zs": zs, "sp": sp, "factors": factors, "running": running,
            "grads": grads, "cost": [0.5 * (acts[-1] - y) ** 2]}


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders(rendered: dict[str, ForwardBackProp], name: str) -> None:
    scene = rendered[name]
    assert 30.0 <= scene.renderer.time <= 90.0
    assert len(scene.captions) >= 10 and all(c.strip() for c in scene.captions)


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_are_the_experiment(rendered: dict[str, ForwardBackProp], name: str) -> None:
    scene = rendered[name]
    r = backprop_chain(seed=scene.lesson.seed)
    assert experiment(scene.lesson) == r
    expected: dict[str, object] = {f"a_{l}": r.activations[l] for l in range(r.layers + 1)}
    expected |= {"y": r.y, "cost": r.cost}
    for k, i in enumerate(r.backprop_order):
        expected[f"factor_{i}"] = r.factors[i]
        expected[f"running_{k}"] = r.partial_products[k]
    expected |= {f"grad_{n}": g for n, g in zip(r.gradient_names, r.gradients)}
    expected |= {"backward_dC_db1": r.backward_dC_db1, "sigma_prime_max": Fraction(1, 4)}
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
    np.testing.assert_allclose([shown[f"grad_{n}"] for n in OUTPUT_FIRST], hand["grads"], rtol=1e-12)
    assert shown["cost"] == pytest.approx(hand["cost"][0], rel=1e-12)
    assert shown["a_0"] == 1.0 and shown["y"] == 0.0


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
    assert shown["grad_dC/db1"] == pytest.approx(dC_db1, rel=1e-12)
    # every weight gradient shown is the backward pass's
    for l in range(1, 5):
        assert shown[f"grad_dC/dw{l}"] == pytest.approx(float(grads.nabla_w[l - 1][0, 0]), rel=1e-12)


@pytest.mark.parametrize("name", list(LESSONS))
def test_back_prop_goes_output_first(rendered: dict[str, ForwardBackProp], name: str) -> None:
    scene = rendered[name]
    assert scene.gradient_order == OUTPUT_FIRST
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
    assert "5 gradients" in text and "4 for the weights and 1 for a bias" in text


def test_factors_shrink_the_product() -> None:
    r = backprop_chain()
    slopes = [f for s, f in zip(r.symbols, r.factors) if s.startswith("sigma'")]
    assert slopes == list(r.sigma_primes) and len(slopes) == 4
    assert all(0 < s <= 0.25 for s in slopes) and r.sigma_prime_max == 0.25
    # ordinary weights: each layer's |w sigma'(z)| is below 1, and the gradients shrink leftwards
    assert all(abs(w) < 1 for w in r.weights)
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


@frames_comparison(base_scene=ForwardBackProp)
def test_backprop_key_picture(scene: ForwardBackProp) -> None:
    scene.skip_end = True
    ForwardBackProp.construct(scene)


@frames_comparison(base_scene=ForwardBackProp)
def test_backprop_last_frame(scene: ForwardBackProp) -> None:
    ForwardBackProp.construct(scene)
