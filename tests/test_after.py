"""Chapter 13, "What came after": smoke renders, the numbers on screen against the experiment and
an independent recomputation (a residual back prop written out here with NumPy, and the linear
net's gradient length in closed form), the clipped step's bounds, bad input."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from netsim.activations import get_activation, sigmoid
from netsim.data import digits
from netsim.errors import NetsimError
from netsim.experiments.after import (
    DEFAULT_SAMPLE,
    AfterResult,
    clipping,
    residual_comparison,
    residual_gradient_norms,
    what_came_after,
)
from netsim.network import Network
from scenes.after import WhatCameAfter, experiment, ratio_phrase
from scenes.chapters import number_of
from scenes.lesson import LESSONS_DIR, Lesson
from tests.conftest import dry_scene

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}


@pytest.fixture(scope="module")
def rendered() -> dict[str, WhatCameAfter]:
    """A dry-run render of the scene for each lesson (the smoke test), shared with the suite."""
    return {name: dry_scene("after", path) for name, path in LESSONS.items()}


def by_hand(lesson: Lesson, residual: bool) -> np.ndarray:
    """||dC/db_l|| of digit DEFAULT_SAMPLE through the lesson's net, back prop written out here.

    Forward: z_l = W_l a_{l-1} + b_l; a_l = a_{l-1} + sigma(z_l) in hidden layers of equal widths
    (with ``residual``), else a_l = sigma(z_l); sigmoid output, cross-entropy: delta_L = a_L - y.
    Backward with g_l = dC/da_l: delta_l = g_l sigma'(z_l), g_{l-1} = W_l^T delta_l (+ g_l on a skip).
    """
    plain = Network.create(lesson.sizes, lesson.activation, "sigmoid", lesson.init, None, lesson.bias_init,
                           lesson.seed)
    act = get_activation(lesson.activation)
    data = digits()
    x, y = data.x[DEFAULT_SAMPLE], data.y[DEFAULT_SAMPLE]
    sizes, L = lesson.sizes, len(lesson.sizes) - 1
    skip = [residual and l < L and sizes[l] == sizes[l - 1] for l in range(1, L + 1)]
    a, zs = x, []
    for l in range(1, L + 1):
        z = plain.weights[l - 1] @ a + plain.biases[l - 1]
        zs.append(z)
        s = sigmoid(z) if l == L else act.f(z)
        a = a + s if skip[l - 1] else s
    delta = a - y
    norms = [np.linalg.norm(delta)]
    g_next = None
    for l in range(L - 1, 0, -1):
        g = plain.weights[l].T @ delta
        if skip[l]:
            g = g + g_next
        delta = g * act.df(zs[l - 1])
        g_next = g
        norms.append(np.linalg.norm(delta))
    return np.array(norms[::-1])


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders_with_captions(rendered: dict[str, WhatCameAfter], name: str) -> None:
    scene = rendered[name]
    assert 45.0 <= scene.renderer.time <= 90.0
    assert scene.captions and all(c.strip() for c in scene.captions)
    assert scene.mobjects == []  # ends on the bare background


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_equals_experiment(rendered: dict[str, WhatCameAfter], name: str) -> None:
    scene = rendered[name]
    r = experiment(scene.lesson)
    rr, cl = r.residual, r.clipping
    expected = {
        "plain_norms": list(rr.plain_norms), "residual_norms": list(rr.residual_norms),
        "skip_layers": [float(l) for l in rr.skip_layers], "sample_label": float(rr.label),
        "plain_ratio": rr.plain_ratio, "residual_ratio": rr.residual_ratio,
        "decades": [float(d) for d in rr.decades],
        "clip_decades": [float(math.floor(math.log10(min(min(cl.clipped_steps), min(cl.steps))))),
                         float(math.ceil(math.log10(max(cl.steps))))],
        "clip_depth": float(cl.depth), "step": cl.step, "clipped_step": cl.clipped_step,
        "eta": cl.eta, "threshold": cl.threshold, "scale": cl.scale, "cosine": cl.cosine,
    }
    assert scene.shown == expected
    captions = " ".join(scene.captions)
    for ratio in (rr.plain_ratio, rr.residual_ratio):
        kind, value = ratio_phrase(ratio)
        assert (f"1/{value} of layer" if kind == "fraction" else f"{value} times layer") in captions
    assert f"Chapter {number_of('exploding')}'s linear net" in captions


@pytest.mark.parametrize("name", list(LESSONS))
def test_numbers_recomputed_from_netsim(rendered: dict[str, WhatCameAfter], name: str) -> None:
    """The bars from a back prop written out here; the steps from the closed form of ||g||."""
    scene = rendered[name]
    lesson, s = scene.lesson, scene.shown
    plain, skip = by_hand(lesson, False), by_hand(lesson, True)
    np.testing.assert_allclose(s["plain_norms"], plain, rtol=1e-10)
    np.testing.assert_allclose(s["residual_norms"], skip, rtol=1e-10)
    L = lesson.depth + 1
    assert s["plain_ratio"] == pytest.approx(plain[0] / plain[L - 2], rel=1e-10)
    assert s["residual_ratio"] == pytest.approx(skip[0] / skip[L - 2], rel=1e-10)
    assert s["skip_layers"] == [float(l) for l in range(2, L)]  # 64 -> width stays plain
    assert s["sample_label"] == digits().labels[DEFAULT_SAMPLE]
    # W = 1.5 I on x = (1, 1), C = sum of outputs: dC/dW_l = 1.5^(L-1) (1,1)(1,1)^T for every l,
    # so ||g|| = sqrt(L) * 2 * 1.5^(L-1); one step is eta ||g||, clipped eta min(||g||, tau).
    depth = int(s["clip_depth"])
    g = math.sqrt(depth) * 2 * 1.5 ** (depth - 1)
    assert s["eta"] == lesson.learning_rate and s["threshold"] == 1.0 and s["scale"] == 1.5
    assert s["step"] == pytest.approx(lesson.learning_rate * g, rel=1e-12)
    assert s["clipped_step"] == pytest.approx(lesson.learning_rate * min(g, 1.0), rel=1e-12)
    cl = experiment(lesson).clipping
    closed = [math.sqrt(n) * 2 * 1.5 ** (n - 1) for n in cl.depths]
    np.testing.assert_allclose(cl.grad_norms, closed, rtol=1e-12)


def test_the_clipped_step_is_bounded_and_keeps_its_direction() -> None:
    for eta, tau in ((0.1, 1.0), (3.0, 0.25), (0.5, 1e30)):
        cl = clipping(eta, tau, depth=150)
        assert all(c <= eta * tau * (1 + 1e-12) for c in cl.clipped_steps)
        assert all(c <= s * (1 + 1e-12) for c, s in zip(cl.clipped_steps, cl.steps))
        assert cl.cosine == pytest.approx(1.0, abs=1e-12)
        over = [s > eta * tau for s in cl.steps]
        assert all(c == pytest.approx(eta * tau, rel=1e-12) for c, o in zip(cl.clipped_steps, over) if o)
    cl = clipping(0.1, 1.0, depth=150)
    assert cl.step > 1e25 and cl.clipped_step == pytest.approx(0.1, rel=1e-12)
    # the unclipped step grows by about 1.5 per layer: a straight line on the log axis
    growth = np.diff(np.log10(cl.steps))
    assert np.all(growth > 0) and growth[-1] == pytest.approx(math.log10(1.5 * math.sqrt(150 / 149)), rel=1e-9)


def test_skips_keep_the_sigmoid_nets_gradient_level(rendered: dict[str, WhatCameAfter]) -> None:
    """Default lesson: without skips layer 1 gets under 1/50 of layer 4's ||dC/db||; with skips it
    is within a factor 3. The median over 100 digits tells the same story as the one digit shown."""
    r = experiment(rendered["default"].lesson).residual
    assert r.plain_ratio < 1 / 50 and 1 / 3 < r.residual_ratio < 3
    assert all(s > p for s, p in zip(r.residual_norms[:2], r.plain_norms[:2]))
    ratios = np.array([[residual_comparison(r.sizes, sample=k).plain_ratio,
                        residual_comparison(r.sizes, sample=k).residual_ratio] for k in range(0, 1000, 10)])
    med = np.median(ratios, axis=0)
    assert med[0] < 1 / 50 and 1 / 3 < med[1] < 3
    # the CLI's batch version agrees in shape (mean gradient over 1000 digits)
    batch = residual_gradient_norms(r.sizes).norms.median
    assert 1 / 3 < batch[0] / batch[3] < 3


def test_result_is_frozen_and_complete() -> None:
    r = what_came_after([64, 30, 30, 30, 10])
    assert isinstance(r, AfterResult) and r.residual.skip_layers == (2, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.residual.plain_ratio = 0.0  # type: ignore[misc]
    assert r.residual.hidden == (1, 2, 3) and len(r.residual.plain_norms) == 4
    assert r.clipping.depths == tuple(range(1, 151))
    wide = residual_comparison([64, 64, 64, 10])
    assert wide.skip_layers == (1, 2)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: residual_comparison([64, 30, 10]), "need at least two hidden layers"),
    (lambda: residual_comparison([63, 30, 30, 10]), "8x8 digits need 64"),
    (lambda: residual_comparison([64, 30, 30, 9]), "ten digits need 10"),
    (lambda: residual_comparison([64, 30, 20, 10]), "no hidden layer of [64, 30, 20, 10] has equal"),
    (lambda: residual_comparison([64, 30, 30, 10], sample=1797), "sample 1797 is out of range"),
    (lambda: residual_comparison([64, 30, 30, 10], activation="swish"), "swish"),
    (lambda: clipping(eta=0.0), "eta = 0.0 must be a finite number > 0"),
    (lambda: clipping(threshold=float("nan")), "threshold = nan must be"),
    (lambda: clipping(depth=0), "depth = 0 must be a whole number from 1 to 1000"),
    (lambda: clipping(depth=1800), "depth = 1800 must be"),
])
def test_bad_input_raises(call, message: str) -> None:
    with pytest.raises(NetsimError, match=message.replace("[", r"\[").replace("]", r"\]")) as info:
        call()
    assert "\n" not in str(info.value)
