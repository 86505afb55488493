"""Chapter 12, the fixed net trains: dry runs of both lessons, the numbers on screen against the
experiment and an independent recomputation (one net trained again straight through
netsim.train.sgd), what the runs show (the fixed deep nets train within a few epochs), the
bad input."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from netsim.data import digits_split
from netsim.errors import NetsimError
from netsim.experiments.shared import round_significant
from netsim.experiments.training import SETUP
from netsim.experiments.trains import DEEP_RELU, FixedNetsResult, NetSpec, fixed_nets_train
from netsim.network import Network
from netsim.train import sgd
from scenes.lesson import LESSONS_DIR, load_lesson
from scenes.trains import FixedNetTrains, experiment
from tests.conftest import dry_scene

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}


@pytest.fixture(scope="module")
def results() -> dict[str, FixedNetsResult]:
    """The experiment of each lesson (one computation: both lessons share net, seed and eta)."""
    return {name: experiment(load_lesson(path)) for name, path in LESSONS.items()}


@pytest.fixture(scope="module")
def rendered() -> dict[str, FixedNetTrains]:
    """A dry-run render of the scene for each lesson, once for the module."""
    return {name: dry_scene("trains", path) for name, path in LESSONS.items()}


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders(rendered: dict[str, FixedNetTrains], name: str) -> None:
    scene = rendered[name]
    assert 45.0 <= scene.renderer.time <= 90.0
    assert len(scene.captions) == 8 and all(c.strip() for c in scene.captions)
    assert not scene.mobjects  # ends on the bare background


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_are_the_experiment(rendered: dict[str, FixedNetTrains],
                                          results: dict[str, FixedNetsResult], name: str) -> None:
    r = results[name]
    s = r.setup
    expected: dict[str, object] = {
        "n_train": float(s.n_train), "n_test": float(s.n_test), "batch_size": float(s.batch_size),
        "eta": s.eta, "epochs": float(s.epochs), "seed": float(r.seed), "target": r.target_accuracy,
    }
    finals = []
    for run in r.runs:
        k = run.spec.key
        expected[f"{k}.accuracy"] = [float(v) for v in run.accuracy]
        expected[f"{k}.final"] = run.final_accuracy
        finals.append(run.final_accuracy)
        if k != "shallow":
            expected[f"{k}.epochs_to_target"] = float(run.epochs_to_target)
        if k in ("tanh", "relu"):
            expected[f"{k}.speeds"] = [[float(v) for v in row] for row in run.hidden_speeds.T]
            expected[f"{k}.speed_ratio"] = run.speed_ratio_rounded
    expected["points"] = float(math.ceil(100 * (max(finals) - min(finals))))
    assert rendered[name].shown == expected


def test_the_set_up_is_chapter_nine_s(results: dict[str, FixedNetsResult]) -> None:
    r = results["default"]
    assert r.setup == SETUP
    assert (r.setup.n_train, r.setup.n_test, r.setup.batch_size, r.setup.eta, r.setup.cost) == (
        1348, 449, 10, 0.1, "cross-entropy")
    assert [run.sizes for run in r.runs] == [(64, 30, 10)] + [(64, 30, 30, 30, 30, 10)] * 3


def test_experiment_is_an_independent_recomputation(results: dict[str, FixedNetsResult]) -> None:
    """The ReLU + He net trained again straight through netsim.train.sgd gives the same record."""
    r = results["default"]
    split = digits_split(0.25, 0)
    net = Network.create((64, 30, 30, 30, 30, 10), "relu", "sigmoid", "he", None, "zeros", 0)
    with threadpool_limits(limits=1):
        run = sgd(net, split.train, split.test, epochs=r.epochs, eta=0.1, batch_size=10, cost="cross-entropy",
                  seed=0, probe_size=1000)
    relu = r.by_key("relu")
    np.testing.assert_array_equal(relu.accuracy, run.test_accuracy)
    np.testing.assert_array_equal(relu.speeds, run.speeds)
    hidden = run.speeds[:, :-1]
    ratios = hidden[1:, -1] / hidden[1:, 0]
    assert relu.speed_ratio == pytest.approx(np.exp(np.mean(np.log(ratios))), rel=1e-9)
    assert relu.speed_ratio_rounded == round_significant(relu.speed_ratio, 2)
    assert relu.epochs_to_target == int(np.argmax(run.test_accuracy >= 0.9))


def test_the_fixed_deep_nets_train(results: dict[str, FixedNetsResult]) -> None:
    r = results["default"]
    sig, tanh, relu, shallow = (r.by_key(k) for k in ("sigmoid", "tanh", "relu", "shallow"))
    for run in (tanh, relu):
        assert run.epochs_to_target is not None and run.epochs_to_target <= 10
        assert run.final_accuracy > 0.95
        assert run.speed_ratio < 1.5  # layer 1 learns about as fast as layer L-1, or faster
    assert sig.epochs_to_target is not None and sig.epochs_to_target > 10 * max(tanh.epochs_to_target,
                                                                                 relu.epochs_to_target)
    assert np.all(sig.accuracy[:30] < 0.2)  # chapter 9's plateau near chance
    assert shallow.final_accuracy > 0.95
    lo, hi = r.decades
    every = np.concatenate([tanh.hidden_speeds.ravel(), relu.hidden_speeds.ravel()])
    assert 10.0**lo <= every.min() and every.max() <= 10.0**hi


def test_result_is_frozen(results: dict[str, FixedNetsResult]) -> None:
    r = results["default"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.seed = 3  # type: ignore[misc]
    with pytest.raises(ValueError):
        r.runs[0].accuracy[0] = 1.0
    with pytest.raises(NetsimError, match="net 'swish' is unknown"):
        r.by_key("swish")


def test_captions_tell_the_story(rendered: dict[str, FixedNetTrains]) -> None:
    text = " ".join(rendered["default"].captions)
    assert "Chapter 9's set-up" in text and "chapter 11" in text
    assert "one layer at a time" in text and "restricted Boltzmann machines" in text
    assert "1998" in text and "2010" in text and "2015" in text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": (64, 30, 10)}, "need at least two hidden layers"),
        ({"sizes": (63, 30, 30, 10)}, "needs 64|need 64"),
        ({"sizes": (64, 30, 30, 9)}, "ten digits need 10"),
        ({"sizes": (64, 0, 30, 10)}, "must be whole numbers >= 1"),
        ({"seed": -1}, "seed -1 must be"),
        ({"eta": 0.0}, "learning rate"),
        ({"epochs": 0}, "epochs = 0 must be"),
        ({"target_accuracy": 1.5}, "target_accuracy = 1.5"),
        ({"nets": ()}, "give at least one net"),
        ({"nets": (DEEP_RELU, DEEP_RELU)}, "must have different keys"),
        ({"nets": (NetSpec("x", True, "swish", "he", "zeros"),)}, "swish"),
    ],
)
def test_bad_input_raises(kwargs: dict, message: str) -> None:
    with pytest.raises(NetsimError, match=message):
        fixed_nets_train(**{"epochs": 1, **kwargs})


def test_a_diverging_net_is_named() -> None:
    """sgd stops a run whose cost is no longer finite; the chapter's line says which net it was."""
    with pytest.raises(NetsimError, match=r"^the \w+ net: training diverged in epoch 1 with eta = 100.0"):
        fixed_nets_train((64, 30, 30, 30, 30, 10), seed=0, eta=100.0)
