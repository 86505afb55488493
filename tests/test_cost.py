"""Chapter 2, "The cost": smoke renders and clip length, the numbers on screen against an independent
recomputation from netsim primitives, the captions against the numbers (one C throughout: the
descent starts from the net whose cost is shown), the physics (a nudge against the gradient lowers
C, ∂C/∂w predicts the change, gradient descent drives C down), the notation, and bad input."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np
import pytest

from netsim.activations import sigmoid
from netsim.costs import quadratic
from netsim.data import digits
from netsim.errors import NetsimError
from netsim.experiments.cost import COST, EVERY, STEP, STEPS, CostResult, cost_example
from netsim.format import fmt_value
from netsim.network import Network
from netsim.spec import NetSpec
from scenes.cost import SAMPLE, TheCost, experiment, tex_num
from scenes.engine.drawn import nudge_drawn
from scenes.engine.lesson import LESSONS_DIR, Lesson
from tests.conftest import dry_scene, with_net

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
#: The script's character budget for this chapter's captions, and its length in seconds (the
#: review's ceiling: 45 s for the default lesson).
BUDGET = 720
SECONDS = (38.0, 46.0)


@pytest.fixture(scope="module")
def rendered() -> dict[str, TheCost]:
    """A dry-run render of the scene for each lesson (the smoke test), shared with the suite."""
    return {name: dry_scene("cost", path) for name, path in LESSONS.items()}


def small_net(lesson: Lesson) -> Network:
    """The chapter's net, built here without the experiment."""
    return Network.create([64, lesson.width, 10], activation=lesson.activation, output_activation="sigmoid",
                          init=lesson.init, bias_init=lesson.bias_init, seed=lesson.seed)


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders_with_captions(rendered: dict[str, TheCost], name: str) -> None:
    scene = rendered[name]
    assert SECONDS[0] <= scene.renderer.time <= SECONDS[1]
    assert len(scene.captions) == 6 and all(c.strip() for c in scene.captions)
    assert scene.mobjects == []  # ends on the bare background
    if name == "default":
        assert sum(len(c) for c in scene.captions) <= BUDGET


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_equals_experiment(rendered: dict[str, TheCost], name: str) -> None:
    scene = rendered[name]
    r = experiment(scene.lesson)
    j = r.j
    expected: dict[str, Any] = {
        "label": float(r.label),
        "sizes": [float(n) for n in r.sizes],
        "target": [float(v) for v in r.target],
        "cost": r.cost,
        "w": r.w, "w_new": r.w_new, "delta_w": r.delta_w,
        "cost_before": r.cost, "cost_new": r.cost_new, "delta_cost": r.delta_cost,
        "grad": r.grad, "predicted_delta": r.predicted_delta,
        "panel_cost_new": r.cost_new,
        "eta": r.eta,
        "panel_cost": r.cost,  # the nudge undone: the descent starts from the same C
        "cost_start": r.cost, "cost_end": r.cost_end, "steps": float(r.steps),
        "final_prediction": float(r.final_prediction),
    }
    if r.layer == r.depth:
        expected[f"a_new_{j}"] = float(r.output_new[j])
        expected[f"sq_new_{j}"] = float((r.output_new[j] - r.target[j]) ** 2)
    for i in range(10):
        expected[f"a_{i}"] = float(r.output[i])
        expected[f"sq_{i}"] = float(r.sq_diffs[i])
        expected[f"final_a_{i}"] = float(r.descent_outputs[-1][i])
        expected[f"final_sq_{i}"] = float((r.descent_outputs[-1][i] - r.target[i]) ** 2)
    for i, (n, c) in enumerate(zip(r.checkpoints, r.descent_costs)):
        expected[f"step_{n}"] = float(n)
        expected[f"descent_cost_{n}"] = c
        if i:
            expected[f"panel_cost_{i}"] = c
    assert scene.shown == expected


@pytest.mark.parametrize("name", list(LESSONS))
def test_numbers_recomputed_from_netsim(rendered: dict[str, TheCost], name: str) -> None:
    """Cost, gradient, nudge and training, recomputed by hand from the net's arrays."""
    scene = rendered[name]
    lesson, s = scene.lesson, scene.shown
    net = small_net(lesson)
    data = digits()
    x, y = data.x[SAMPLE], data.y[SAMPLE]
    assert s["label"] == data.labels[SAMPLE]
    # forward pass, by hand
    a1 = net.activations[0].f(net.weights[0] @ x + net.biases[0])
    z2 = net.weights[1] @ a1 + net.biases[1]
    a2 = sigmoid(z2)
    for i in range(10):
        assert s[f"a_{i}"] == pytest.approx(a2[i], rel=1e-12)
        assert s[f"sq_{i}"] == pytest.approx((a2[i] - y[i]) ** 2, rel=1e-12)
    c = 0.5 * np.sum((a2 - y) ** 2)  # the quadratic cost
    assert s["cost"] == pytest.approx(c, rel=1e-12)
    assert s["cost"] == pytest.approx(float(quadratic(a2, y)), rel=1e-12)
    # the nudged weight: the largest |∂C/∂w| of the last layer, ∂C/∂W_2 = δ_2 a_1^T
    delta2 = (a2 - y) * a2 * (1 - a2)
    grad_w2 = np.outer(delta2, a1)
    j, k = np.unravel_index(np.argmax(np.abs(grad_w2)), grad_w2.shape)
    r = scene.res
    assert (r.layer, r.j, r.k) == (2, j, k)
    assert s["grad"] == pytest.approx(grad_w2[j, k], rel=1e-12)
    assert s["w"] == net.weights[1][j, k]
    # the nudge against the gradient, and the real new cost
    dw = -STEP * np.sign(grad_w2[j, k])
    assert s["delta_w"] == dw and s["w_new"] == net.weights[1][j, k] + dw
    nudged = net.copy()
    nudged.weights[1][j, k] += dw
    c_new = nudged.cost(x, y, "quadratic")
    assert s["cost_new"] == pytest.approx(c_new, rel=1e-12)
    assert s["delta_cost"] == pytest.approx(c_new - c, rel=1e-9)
    assert s["predicted_delta"] == pytest.approx(grad_w2[j, k] * dw, rel=1e-12)
    # the gradient is the slope: a central finite difference agrees
    h = 1e-6
    up, down = net.copy(), net.copy()
    up.weights[1][j, k] += h
    down.weights[1][j, k] -= h
    slope = (up.cost(x, y, "quadratic") - down.cost(x, y, "quadratic")) / (2 * h)
    assert s["grad"] == pytest.approx(slope, rel=1e-6)
    # gradient descent on this digit, from the net whose cost was shown (not the nudged one)
    trained = net.copy()
    costs = [c]
    for n in range(1, STEPS + 1):
        g = trained.backward(x, y, "quadratic")
        for l in range(trained.depth):
            trained.weights[l] -= lesson.learning_rate * g.nabla_w[l]
            trained.biases[l] -= lesson.learning_rate * g.nabla_b[l]
        if n % EVERY == 0:
            costs.append(trained.cost(x, y, "quadratic"))
    shown_costs = [s[f"descent_cost_{n}"] for n in range(0, STEPS + 1, EVERY)]
    np.testing.assert_allclose(shown_costs, costs, rtol=1e-12)
    final = trained.forward(x).output[0]
    assert s["final_prediction"] == int(np.argmax(final))


@pytest.mark.parametrize("name", list(LESSONS))
def test_captions_say_the_numbers(rendered: dict[str, TheCost], name: str) -> None:
    """Every number in a caption is the experiment's, written once by the one formatter; one C."""
    scene = rendered[name]
    r, s = scene.res, scene.shown
    cap = scene.captions
    c = fmt_value(r.cost)
    assert f"handwritten {r.label}:" in cap[0] and f"{r.sizes[0]} pixels in" in cap[0]
    assert f"1 for the {r.label}," in cap[1]
    # one cost among others: chapter 7 names the chapters that use the cross-entropy
    assert "One cost, the quadratic C = ½ Σ (a − y)², is half the sum of the squared misses" in cap[2]
    assert f"here C = {c}." in cap[2]
    assert f"The partial derivative ∂C/∂w says how fast, its sign which way: here {fmt_value(r.grad)}." in cap[3]
    assert "w ← w − η ∂C/∂w" in cap[4] and f"η = {fmt_value(r.eta)}." in cap[4]
    # the descent starts from the C shown first: the same number, the same text
    assert r.descent_costs[0] == r.cost and s["descent_cost_0"] == s["cost"]
    assert f"{r.steps} steps on this one digit take C from {c} to {fmt_value(r.cost_end)};" in cap[5]
    assert f"the net answers {r.label}." in cap[5]  # the right digit, said only when it is
    assert r.final_prediction == r.label
    words = " ".join(cap)
    for wrong in ("eta", "dC/dw", "sigma", "delta"):
        assert wrong not in words


@pytest.mark.parametrize("name", list(LESSONS))
def test_physics_of_the_cost(rendered: dict[str, TheCost], name: str) -> None:
    scene = rendered[name]
    r, s = scene.res, scene.shown
    assert s["delta_cost"] < 0, "a step against the gradient lowers C"
    assert np.sign(s["delta_w"]) == -np.sign(s["grad"])
    assert r.relative_error < 0.01, "∂C/∂w · Δw predicts ΔC to within a percent (the screen's ≈)"
    assert all(b < a for a, b in zip(r.descent_costs, r.descent_costs[1:])), "C falls at every checkpoint"
    assert r.descent_costs[-1] < r.descent_costs[0] / 10
    assert r.prediction != r.label and r.final_prediction == r.label
    assert r.cost == pytest.approx(float(np.sum(r.sq_diffs)) / 2, rel=1e-12)
    # the bars walk toward the right answer: the label's output grows
    assert r.descent_outputs[-1][r.label] > r.output[r.label]


def test_result_is_frozen_and_complete() -> None:
    r = cost_example(NetSpec([64, 16, 10]), steps=10, every=5)
    assert isinstance(r, CostResult) and r.cost_name == COST == "quadratic"
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.cost = 0.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        r.output[0] = 0.0
    assert r.checkpoints == (0, 5, 10) and len(r.descent_outputs) == 3 and r.steps == 10
    assert r.descent_costs[0] == r.cost and np.array_equal(r.descent_outputs[0], r.output)
    assert r.cost_end == r.descent_costs[-1]
    drawn = nudge_drawn(r.pixels, r.sizes, (r.layer, r.j, r.k))  # what the engine draws of it
    assert drawn[-1] == tuple(range(10)) and r.k in drawn[1] and len(drawn[1]) == 6
    assert len(r.activations) == 3 and np.array_equal(r.activations[-1], r.output)
    explicit = cost_example(NetSpec([64, 16, 10]), weight=(1, 3, 29), steps=5, every=5)
    assert (explicit.layer, explicit.j, explicit.k) == (1, 3, 29)
    drawn = nudge_drawn(explicit.pixels, explicit.sizes, (1, 3, 29))
    assert 29 in drawn[0] and 3 in drawn[1]


def test_a_switched_off_hidden_layer() -> None:
    """When every ∂C/∂W_L is 0 (the hidden neurons feed 0), the nudged weight is one of layer 1;
    when every weight's gradient is 0, netsim says so in words."""
    # identity weights read pixels 0 and 1, blank in digit 0: a_1 = 0, so ∂C/∂W_2 = δ_2 a_1^T = 0
    r = cost_example(NetSpec([64, 2, 10], activation="linear", init="identity", bias_init="zeros"), steps=5, every=5)
    assert r.layer == 1 and r.grad != 0 and r.delta_cost < 0
    dead = [s for s in range(40) if not np.any(digits_net_grads(s))]
    assert dead, "some seed switches the single ReLU neuron off"
    with pytest.raises(NetsimError, match="every weight's gradient ∂C/∂w is 0 on this digit"):
        cost_example(NetSpec([64, 1, 10], activation="relu", init="he", bias_init="zeros", seed=dead[0]))


def digits_net_grads(seed: int) -> np.ndarray:
    """Every weight gradient of the [64, 1, 10] ReLU net of ``seed`` on the chapter's digit."""
    net = Network.create([64, 1, 10], activation="relu", output_activation="sigmoid", init="he",
                         bias_init="zeros", seed=seed)
    data = digits()
    g = net.backward(data.x[SAMPLE], data.y[SAMPLE], "quadratic")
    return np.concatenate([w.ravel() for w in g.nabla_w])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": [64, 10]}, "need at least one hidden layer"),
        ({"sizes": [63, 16, 10]}, "8x8 digits need 64"),
        ({"sizes": [64, 16, 9]}, "ten digits need 10"),
        ({"sample": 1797}, "sample = 1797 is out of range; allowed: 0 to 1796"),
        ({"sample": 2.0}, "sample 2.0 must be a whole number"),
        ({"step": 0.0}, "step = 0.0 must be a finite number > 0"),
        ({"eta": float("nan")}, "eta = nan must be a finite number > 0"),
        ({"steps": 0}, "steps = 0 is out of range"),
        ({"steps": 10, "every": 3}, "must be a multiple of every = 3"),
        ({"weight": (3, 0, 0)}, "weight layer = 3 is out of range; allowed: 1 to 2"),
        ({"weight": (2, 10, 0)}, "weight j = 10 is out of range"),
        ({"weight": (2, 0)}, "must be a tuple"),
        ({"weight": (1, 0, 0)}, "has gradient 0.0"),  # pixel 0 of digit 0 is blank: a_0[0] = 0
        ({"activation": "swish"}, "swish"),
    ],
)
def test_bad_input_raises(kwargs: dict, message: str) -> None:
    kwargs = {"sizes": [64, 16, 10]} | kwargs
    with pytest.raises(NetsimError, match=message.replace("(", r"\(").replace(")", r"\)")):
        with_net(cost_example, kwargs)


@pytest.mark.parametrize("name", list(LESSONS))
def test_negative_numbers_carry_a_true_minus_sign(rendered: dict[str, TheCost], name: str) -> None:
    """Captions and the nudge's lines (MathTex, where scenes.engine.common.TRUE_MINUS makes U+2212 LaTeX's
    own minus) write a negative number with U+2212: ΔC < 0 is written −…, never a hyphen."""
    scene = rendered[name]
    r = scene.res
    assert re.search(r"-\d", " ".join(scene.captions)) is None
    assert fmt_value(r.delta_cost).startswith("−")
    assert tex_num(fmt_value(r.delta_cost)) == "−" + fmt_value(-r.delta_cost)
    assert tex_num("−overflow") == r"−\text{overflow}" and tex_num("0.129") == "0.129"
    lines = [m.tex_string for m in scene.nudge_lines]
    assert not any(re.search(r"-\d", t) for t in lines)
    assert f"\\Delta C = {tex_num(fmt_value(r.delta_cost))}" in lines[1]
