"""Chapter 4, why depth matters: smoke renders, the numbers on screen against an independent
training run, the physics (a deep sigmoid net's first layer barely learns), golden frames of
the key picture and the last frame, and bad input to the experiment."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from manim import tempconfig
from manim.utils.testing.frames_comparison import frames_comparison

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
from scenes.depth import WhyDepthMatters, experiment, percent
from scenes.lesson import LESSONS_DIR, load_lesson

__module_test__ = "depth"

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
DRY = {"dry_run": True, "quality": "low_quality", "disable_caching": True}


@pytest.fixture(scope="module")
def results() -> dict[str, DepthResult]:
    """The experiment of each lesson, computed once for the module."""
    return {name: experiment(load_lesson(path)) for name, path in LESSONS.items()}


@pytest.fixture(scope="module")
def rendered() -> dict[str, WhyDepthMatters]:
    """A dry-run render of the scene for each lesson, once for the module."""
    scenes = {}
    for name, path in LESSONS.items():
        with tempconfig(DRY):
            scene = WhyDepthMatters(lesson=load_lesson(path))
            scene.render()
        scenes[name] = scene
    return scenes


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders(rendered: dict[str, WhyDepthMatters], name: str) -> None:
    scene = rendered[name]
    assert 30.0 <= scene.renderer.time <= 90.0
    assert scene.captions and all(c.strip() for c in scene.captions)


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_are_the_experiment(rendered: dict[str, WhyDepthMatters],
                                          results: dict[str, DepthResult], name: str) -> None:
    res = results[name]
    d = res.deep
    hidden = d.depth - 1
    expected: dict[str, object] = {
        "pieces.prediction": float(res.pieces.prediction),
        "epochs": float(res.epochs),
        "shallow.sizes": [float(n) for n in res.shallow.sizes],
        "shallow.accuracy": res.shallow.accuracy_after,
        "deep.sizes": [float(n) for n in d.sizes],
        "deep.hidden_layers": float(hidden),
        "ratio": res.ratio,
        "deep.accuracy": d.accuracy_after,
        "chance": res.chance,
    }
    for l in range(1, hidden + 1):
        expected[f"deep.rel_change.{l}"] = float(d.rel_change[l - 1])
    assert rendered[name].shown == expected


def test_experiment_is_an_independent_sgd_run(results: dict[str, DepthResult]) -> None:
    res = results["default"]
    lesson = load_lesson(LESSONS["default"])
    split = digits_split()
    # the deep net: the lesson's net, trained with the lesson's eta, no L2
    deep = Network.create(lesson.sizes, lesson.activation, "sigmoid", lesson.init, None, lesson.bias_init, lesson.seed)
    run = sgd(deep, split.train, split.test, epochs=EPOCHS, eta=lesson.learning_rate, seed=0)
    changes = [np.linalg.norm(run.network.weights[l] - deep.weights[l]) / np.linalg.norm(deep.weights[l])
               for l in range(deep.depth)]
    np.testing.assert_array_equal(res.deep.rel_change, changes)
    np.testing.assert_array_equal(res.deep.w1_before, deep.weights[0])
    np.testing.assert_array_equal(res.deep.w1_after, run.network.weights[0])
    assert res.deep.accuracy_after == run.test_accuracy[-1]
    assert res.ratio == changes[-2] / changes[0]
    per_unit = (np.linalg.norm(run.network.weights[0] - deep.weights[0], axis=1)
                / np.linalg.norm(deep.weights[0], axis=1))
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


def test_deep_sigmoid_first_layer_barely_learns(results: dict[str, DepthResult],
                                                rendered: dict[str, WhyDepthMatters]) -> None:
    res = results["default"]
    r = res.deep.rel_change
    assert r[0] * 4 < r[-2], "layer 1 should change several times less than the last hidden layer"
    assert res.ratio > 4
    assert r[0] < 0.1  # the pictures stay their starting noise
    assert res.shallow.accuracy_after > 0.9
    assert res.deep.accuracy_after < 2 * res.chance  # built on noise: close to guessing
    assert res.chance == 0.1
    captions = " ".join(rendered["default"].captions)
    assert "still the same noise" in captions and "barely learn" in captions
    assert percent(r[0]) in captions and "hardly better than guessing" in captions


def test_relu_he_captions_stay_true(results: dict[str, DepthResult],
                                    rendered: dict[str, WhyDepthMatters]) -> None:
    res = results["relu-he"]
    r = res.deep.rel_change
    assert res.deep.activation == "relu"
    assert r[0] > r[-2] and res.ratio < 1  # with ReLU and He init the first layer learns fine
    assert res.deep.accuracy_after > 0.9
    captions = " ".join(rendered["relu-he"].captions)
    assert "still the same noise" not in captions and "barely learn" not in captions
    assert "moved away from their starting noise" in captions and "learn fine" in captions


def test_percent_format() -> None:
    assert [percent(v) for v in (0.0184, 0.1539, 0.96, 1.2249, 0.001)] == ["1.8%", "15%", "96%", "122%", "0.1%"]


def test_result_is_frozen(results: dict[str, DepthResult]) -> None:
    res = results["default"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.ratio = 1.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        res.deep.w1_after[0, 0] = 0.0
    assert len(res.shallow.units) == len(res.deep.units) == UNITS
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


@frames_comparison(base_scene=WhyDepthMatters)
def test_depth_key_picture(scene: WhyDepthMatters) -> None:
    scene.skip_end = True
    WhyDepthMatters.construct(scene)


@frames_comparison(base_scene=WhyDepthMatters)
def test_depth_last_frame(scene: WhyDepthMatters) -> None:
    WhyDepthMatters.construct(scene)
