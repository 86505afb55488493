"""Chapter 5, why depth matters: smoke renders and clip length, the numbers on screen against
the experiment and an independent training run, the captions say only what the bars show
(both lessons), the shared colour scale,
and bad input to the experiment."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from netsim import fp
from netsim.data import digits_split
from netsim.errors import NetsimError
from netsim.experiments.depth import (
    DEEP_RULE,
    EPOCHS,
    SHALLOW_ETA,
    SHALLOW_L2,
    SHALLOW_RULE,
    UNITS,
    DepthResult,
    why_depth_matters,
)
from netsim.network import Network
from netsim.train import sgd
from scenes.chapters import number_of
from scenes.depth import (
    BARELY,
    SATURATE_AT,
    SHOWN_UNITS,
    WhyDepthMatters,
    barely_moved,
    colour_scale,
    experiment,
    percent,
)
from scenes.lesson import LESSONS_DIR, load_lesson
from tests.conftest import dry_scene

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}


@pytest.fixture(scope="module")
def results() -> dict[str, DepthResult]:
    """The experiment of each lesson, computed shared with the suite."""
    return {name: experiment(load_lesson(path)) for name, path in LESSONS.items()}


@pytest.fixture(scope="module")
def rendered() -> dict[str, WhyDepthMatters]:
    """A dry-run render of the scene for each lesson, shared with the suite."""
    return {name: dry_scene("depth", path) for name, path in LESSONS.items()}


@pytest.fixture(scope="module")
def independent() -> dict[str, dict[str, object]]:
    """Each lesson's deep net trained again from netsim primitives (Network.create, sgd)."""
    split = digits_split()
    out = {}
    for name, path in LESSONS.items():
        lesson = load_lesson(path)
        deep = Network.create(lesson.sizes, lesson.activation, "sigmoid", lesson.init, None, lesson.bias_init,
                              lesson.seed)
        run = sgd(deep, split.train, split.test, epochs=EPOCHS, eta=lesson.learning_rate, seed=0)
        r = [float(fp.norm(run.network.weights[l] - deep.weights[l]) / fp.norm(deep.weights[l]))
             for l in range(deep.depth)]
        g = deep.backward(split.train.x, split.train.y, "cross-entropy")
        out[name] = {"net": deep, "run": run, "r": r,
                     "grad": [float(fp.norm(w)) for w in g.nabla_w]}
    return out


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders_within_bounds(rendered: dict[str, WhyDepthMatters], name: str) -> None:
    scene = rendered[name]
    assert 70.0 <= scene.renderer.time <= 125.0, scene.renderer.time
    assert scene.captions and all(c.strip() for c in scene.captions)


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_are_the_experiment(rendered: dict[str, WhyDepthMatters],
                                          results: dict[str, DepthResult], name: str) -> None:
    res = results[name]
    d = res.deep
    hidden = d.depth - 1
    expected: dict[str, object] = {
        "pieces.prediction": float(res.pieces.prediction),
        "shallow.sizes": [float(n) for n in res.shallow.sizes],
        "pixels": 64.0,
        "colour_scale": colour_scale(res),
        "epochs": float(res.epochs),
        "shallow.accuracy": res.shallow.accuracy_after,
        "deep.sizes": [float(n) for n in d.sizes],
        "deep.hidden_layers": float(hidden),
        "deep.accuracy": d.accuracy_after,
        "chance": res.chance,
    }
    for l in range(1, hidden + 1):
        expected[f"deep.rel_change.{l}"] = float(d.rel_change[l - 1])
    assert rendered[name].shown == expected


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_match_an_independent_run(rendered: dict[str, WhyDepthMatters],
                                                independent: dict[str, dict[str, object]], name: str) -> None:
    shown, ind = rendered[name].shown, independent[name]
    r = ind["r"]
    hidden = len(r) - 1
    assert [shown[f"deep.rel_change.{l}"] for l in range(1, hidden + 1)] == r[:hidden]
    assert shown["deep.accuracy"] == ind["run"].test_accuracy[-1]
    np.testing.assert_allclose(experiment(rendered[name].lesson).grad_before, ind["grad"], rtol=1e-12)


def test_experiment_is_an_independent_sgd_run(results: dict[str, DepthResult],
                                              independent: dict[str, dict[str, object]]) -> None:
    res = results["default"]
    lesson = load_lesson(LESSONS["default"])
    split = digits_split()
    deep, run = independent["default"]["net"], independent["default"]["run"]
    np.testing.assert_array_equal(res.deep.rel_change, independent["default"]["r"])
    np.testing.assert_array_equal(res.deep.w1_before, deep.weights[0])
    np.testing.assert_array_equal(res.deep.w1_after, run.network.weights[0])
    assert res.deep.accuracy_after == run.test_accuracy[-1]
    assert res.ratio == res.deep.rel_change[-2] / res.deep.rel_change[0]
    per_unit = (fp.norm(run.network.weights[0] - deep.weights[0], axis=1)
                / fp.norm(deep.weights[0], axis=1))
    assert list(res.deep.units) == list(np.argsort(-per_unit)[:UNITS])
    assert res.deep.unit_rule == DEEP_RULE and res.deep.l2 == 0.0
    # the shallow reference net
    shallow = Network.create([64, 30, 10], "sigmoid", "sigmoid", "nielsen", None, "normal", lesson.seed)
    run_s = sgd(shallow, split.train, split.test, epochs=EPOCHS, eta=SHALLOW_ETA, l2=SHALLOW_L2, seed=0)
    np.testing.assert_array_equal(res.shallow.w1_after, run_s.network.weights[0])
    assert res.shallow.accuracy_after == run_s.test_accuracy[-1]
    a1 = run_s.network.forward(split.test.x).activations[1]
    assert list(res.shallow.units) == list(np.argsort(-a1.std(axis=0))[:UNITS])
    assert res.shallow.unit_rule == SHALLOW_RULE
    # the pieces example: a digit the shallow net gets right, and its strongest helpers
    p = res.pieces
    np.testing.assert_array_equal(p.image, split.test.x[p.test_index])
    assert p.prediction == p.label == split.test.labels[p.test_index]
    helps = a1[p.test_index] * run_s.network.weights[1][p.label]
    assert list(p.units) == list(np.argsort(-helps)[:len(p.units)])


def test_default_captions_say_what_the_bars_show(results: dict[str, DepthResult],
                                                 rendered: dict[str, WhyDepthMatters]) -> None:
    res = results["default"]
    r = [float(v) for v in res.deep.rel_change[:-1]]  # the hidden layers
    # the physics: the first layers barely move, the last hidden layer moves several times more
    k = barely_moved(r)
    assert k == 3 and max(r[:k]) < BARELY <= r[-1] and r[-1] > 4 * max(r[:k])
    assert r[1] < r[0]  # r is not monotone: no caption may say "layer by layer"
    assert res.gradient_shrinks and list(res.grad_before[:4]) == sorted(res.grad_before[:4])
    assert res.grad_before[3] > 100 * res.grad_before[0]
    assert res.shallow.accuracy_after > 0.9 and res.deep.accuracy_after < 2 * res.chance == 0.2
    assert float(np.max(res.deep.unit_scores[:SHOWN_UNITS])) < BARELY  # "still the same noise" holds
    text = " ".join(rendered["default"].captions)
    assert (f"Layers 1 to 3 changed by {percent(max(r[:3]))} or less, layer 4 by {percent(r[-1])}. "
            "The layers near the input barely moved.") in text
    assert f"the gradient shrinks on its way back (chapter {number_of('fading')})" in text
    assert "still the same noise" in text and "barely left their random start" in text
    assert f"gets {percent(res.deep.accuracy_after)} of the test digits right; guessing gets 10%" in text
    for wrong in ("Built on noise", "built on noise", "layer by layer", "own scale"):
        assert wrong not in text


def test_relu_he_captions_stay_true(results: dict[str, DepthResult],
                                    rendered: dict[str, WhyDepthMatters]) -> None:
    res = results["relu-he"]
    r = res.deep.rel_change
    assert res.deep.activation == "relu"
    assert min(r[:-1]) >= BARELY and r[0] > r[-2] and res.ratio < 1  # every layer learns, layer 1 most
    assert not res.gradient_shrinks
    assert res.deep.accuracy_after > 0.9
    text = " ".join(rendered["relu-he"].captions)
    assert "still the same noise" not in text and "barely" not in text.replace("learns badly", "")
    assert "shrinks on its way back" not in text
    assert f"Layer 1 changed by {percent(r[0])}, layer 4 by {percent(r[-2])}. Every layer moved far" in text
    assert "moved away from their starting noise" in text and "stays large enough" in text


@pytest.mark.parametrize("name", list(LESSONS))
def test_one_colour_scale_for_every_picture(results: dict[str, DepthResult], name: str) -> None:
    res = results[name]
    s, d = res.shallow, res.deep
    every = np.concatenate([s.w1_after[list(res.pieces.units)].ravel()]
                           + [w[list(u[:SHOWN_UNITS])].ravel() for w, u in
                              ((s.w1_before, s.units), (s.w1_after, s.units),
                               (d.w1_before, d.units), (d.w1_after, d.units))])
    q = np.quantile(np.abs(every), SATURATE_AT)
    scale = colour_scale(res)
    assert q <= scale < q + 0.1 + 1e-12 and math.isclose(scale * 10, round(scale * 10))


def test_percent_format() -> None:
    assert [percent(v) for v in (0.0184, 0.1539, 0.96, 1.2249, 0.001)] == ["1.8%", "15%", "96%", "122%", "0.1%"]


def test_barely_moved() -> None:
    assert barely_moved([0.02, 0.01, 0.03, 0.15]) == 3
    assert barely_moved([1.2, 0.6, 0.5, 0.45]) == 0
    assert barely_moved([0.02, 0.5, 0.03]) == 1


def test_result_is_frozen(results: dict[str, DepthResult]) -> None:
    res = results["default"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.ratio = 1.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        res.deep.w1_after[0, 0] = 0.0
    with pytest.raises(ValueError):
        res.grad_before[0] = 0.0
    assert len(res.shallow.units) == len(res.deep.units) == UNITS >= SHOWN_UNITS
    assert res.epochs == EPOCHS and res.seed == 0 and res.shallow.eta == SHALLOW_ETA


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"deep_sizes": (64, 30, 10)}, "need at least two hidden layers"),
        ({"deep_sizes": (64, 30, 30, 3)}, "must start with 64"),
        ({"epochs": 0}, "epochs = 0 must be from 1"),
        ({"epochs": 2.5}, "epochs 2.5 must be a whole number"),
        ({"units": 0}, "units = 0 must be from 1"),
        ({"units": 31}, "units = 31 must be from 1 to 30"),
        ({"deep_eta": 0.0}, "deep_eta = 0.0 must be a finite number > 0"),
        ({"shallow_eta": float("nan")}, "shallow_eta = nan must be a finite number > 0"),
        ({"shallow_l2": -1.0}, "shallow_l2 = -1.0 must be a finite number >= 0"),
        ({"probe_index": 10_000}, "probe_index = 10000 must be below"),
        ({"activation": "swish"}, "activation 'swish' is unknown"),
    ],
)
def test_bad_input_raises(kwargs: dict, message: str) -> None:
    with pytest.raises(NetsimError, match=message):
        why_depth_matters(**kwargs)
