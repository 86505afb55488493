"""Chapter 8, the cost of fading: smoke renders for both lessons, the numbers on screen, the
training run recomputed by an independent sgd call, the facts the captions state, golden
frames of the key picture and the last frame, and bad input to the experiment."""

from __future__ import annotations

import math

import numpy as np
import pytest
from manim import tempconfig
from manim.utils.testing.frames_comparison import frames_comparison
from threadpoolctl import threadpool_limits

from netsim.data import digits_split
from netsim.errors import NetsimError
from netsim.experiments.training import TrainingComparison, cost_of_fading
from netsim.network import Network
from netsim.train import sgd
from scenes.lesson import LESSONS_DIR, Lesson, load_lesson
from scenes.training import EPOCHS, CostOfFading, training_for

__module_test__ = "training"

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
DRY = {"dry_run": True, "quality": "low_quality", "disable_caching": True}


@pytest.fixture(scope="module")
def results() -> dict[str, TrainingComparison]:
    """The experiment of each lesson, trained once for the whole file."""
    return {name: training_for(load_lesson(path)) for name, path in LESSONS.items()}


@pytest.fixture(scope="module")
def scenes(results: dict[str, TrainingComparison]) -> dict[str, CostOfFading]:
    """A dry-run render of the scene for each lesson."""
    out = {}
    for name, path in LESSONS.items():
        with tempconfig(DRY):
            scene = CostOfFading(lesson=load_lesson(path))
            scene.render()
        out[name] = scene
    return out


def independent_run(lesson: Lesson, sizes: list[int]):
    """The same training, straight from netsim primitives."""
    split = digits_split()
    net = Network.create(sizes, lesson.activation, "sigmoid", lesson.init, None, lesson.bias_init, lesson.seed)
    with threadpool_limits(limits=1):
        return sgd(net, split.train, split.test, epochs=EPOCHS, eta=lesson.learning_rate, batch_size=10,
                   cost="cross-entropy", seed=lesson.seed)


# -- renders ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders(name: str, scenes: dict[str, CostOfFading]) -> None:
    scene = scenes[name]
    assert 30.0 < scene.renderer.time < 90.0, f"clip lasts {scene.renderer.time:.1f} s"


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_are_the_experiment(name: str, scenes: dict[str, CostOfFading],
                                          results: dict[str, TrainingComparison]) -> None:
    scene, r = scenes[name], results[name]
    H = len(r.deep_sizes) - 2
    expected: dict[str, object] = {
        "decades": [float(r.decades[0]), float(r.decades[1])],
        "epochs": float(EPOCHS),
        "eta": scene.lesson.learning_rate,
        "factor": r.factor,
        "ratio": r.ratio_rounded,
        "chance": 0.1,
        "deep_hidden_layers": float(scene.lesson.depth),
        "shallow_hidden_layers": 1.0,
        "deep_accuracy": [float(v) for v in r.deep_accuracy],
        "shallow_accuracy": [float(v) for v in r.shallow_accuracy],
        "deep_final_accuracy": float(r.deep_accuracy[-1]),
        "shallow_final_accuracy": float(r.shallow_accuracy[-1]),
        "target_accuracy": 0.9,
    }
    for l in range(1, H + 1):
        expected[f"speed_{l}"] = [float(v) for v in r.speeds[:, l - 1]]
    for key, epoch in (("deep", r.deep_epochs_to_target), ("shallow", r.shallow_epochs_to_target)):
        if epoch is not None:
            expected[f"{key}_epochs_to_target"] = float(epoch)
    assert scene.shown == expected


@pytest.mark.parametrize("name", list(LESSONS))
def test_experiment_is_a_real_sgd_run(name: str, results: dict[str, TrainingComparison]) -> None:
    lesson, r = load_lesson(LESSONS[name]), results[name]
    assert r.deep_sizes == tuple(lesson.sizes) and r.shallow_sizes == (64, lesson.width, 10)
    assert (r.eta, r.epochs) == (lesson.learning_rate, EPOCHS)
    deep = independent_run(lesson, lesson.sizes)
    shallow = independent_run(lesson, [64, lesson.width, 10])
    np.testing.assert_allclose(r.speeds, deep.speeds, rtol=1e-9, atol=0)
    np.testing.assert_allclose(r.deep_cost, deep.train_cost, rtol=1e-9)
    np.testing.assert_allclose(r.shallow_cost, shallow.train_cost, rtol=1e-9)
    np.testing.assert_array_equal(r.deep_accuracy, deep.test_accuracy)
    np.testing.assert_array_equal(r.shallow_accuracy, shallow.test_accuracy)
    # the summary numbers, recomputed
    ratios = deep.speeds[:, -2] / deep.speeds[:, 0]
    np.testing.assert_allclose(r.ratios, ratios, rtol=1e-12)
    assert r.ratio == pytest.approx(math.exp(np.mean(np.log(ratios))), rel=1e-9)
    assert r.factor == float(f"{max(r.ratio, 1 / r.ratio):.2g}")
    hits = np.flatnonzero(deep.test_accuracy >= 0.9)
    assert r.deep_epochs_to_target == (int(hits[0]) if hits.size else None)
    hits = np.flatnonzero(shallow.test_accuracy >= 0.9)
    assert r.shallow_epochs_to_target == (int(hits[0]) if hits.size else None)
    hidden = deep.speeds[:, :-1]
    assert 10.0 ** r.decades[0] <= hidden.min() and hidden.max() <= 10.0 ** r.decades[1]
    assert r.decades[1] - r.decades[0] <= 1 + math.ceil(np.log10(hidden.max() / hidden.min()))


# -- the physics the captions state -----------------------------------------------------


def test_default_first_layer_learns_far_slower(results: dict[str, TrainingComparison]) -> None:
    r = results["default"]
    ratios = r.speeds[:, -2] / r.speeds[:, 0]
    assert ratios.mean() >= 10 and r.ratio >= 10 and r.regime == "vanishing"
    assert ratios[0] > 50  # untrained: about 100x, as in the storyboard
    # before the deep net starts to learn, layer 1 is the slowest hidden layer at every epoch
    stuck = r.speeds[:30, :-1]
    assert np.all(np.argmin(stuck, axis=1) == 0)
    assert np.all(stuck[:, 0] * 10 < stuck[:, -1])


def test_default_deep_net_pays_in_time_and_accuracy(results: dict[str, TrainingComparison]) -> None:
    r = results["default"]
    assert r.shallow_final_accuracy > r.deep_final_accuracy + 0.3
    assert r.deep_epochs_to_target is None and r.shallow_epochs_to_target is not None
    assert r.shallow_epochs_to_target <= 20
    # for its first 40 epochs the deep net guesses no better than about chance
    assert np.all(r.deep_accuracy[:40] < 2 * r.chance)
    # and its cost hardly moves then, while the shallow net's drops
    assert r.deep_cost[40] > 0.9 * r.deep_cost[1]
    assert r.shallow_cost[40] < 0.3 * r.shallow_cost[1]


def test_relu_he_deep_net_does_much_better(results: dict[str, TrainingComparison]) -> None:
    fixed, faded = results["relu-he"], results["default"]
    assert fixed.regime != "vanishing" and fixed.ratio < 10
    assert fixed.deep_final_accuracy > faded.deep_final_accuracy + 0.3
    assert fixed.deep_final_accuracy > 0.9
    assert fixed.deep_epochs_to_target is not None and fixed.deep_epochs_to_target <= 10


def test_captions_follow_the_numbers(scenes: dict[str, CostOfFading]) -> None:
    faded, fixed = scenes["default"], scenes["relu-he"]
    assert "worse accuracy" in faded.summary_caption()
    assert "lags far behind" in faded.accuracy_caption()
    assert "not at all" in faded.target_caption()
    assert "worse" not in fixed.summary_caption() and "trails" not in fixed.summary_caption()
    assert "lags" not in fixed.accuracy_caption()


# -- golden frames ----------------------------------------------------------------------


class KeyPicture(CostOfFading):
    """Every beat but the final fade."""

    skip_end = True


@frames_comparison(base_scene=KeyPicture)
def test_cost_of_fading_key_picture(scene):
    CostOfFading.construct(scene)


@frames_comparison(base_scene=CostOfFading)
def test_cost_of_fading_last_frame(scene):
    CostOfFading.construct(scene)


# -- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"sizes": [64, 30, 10]}, "at least two hidden layers"),
    ({"sizes": [63, 30, 30, 10]}, "need 64"),
    ({"sizes": [64, 30, 30, 9]}, "need 10"),
    ({"sizes": [64, 0, 30, 10]}, "whole numbers >= 1"),
    ({"activation": "softsign"}, "activation 'softsign' is unknown"),
    ({"init": "magic"}, "init 'magic' is unknown"),
    ({"bias_init": "ones"}, "bias_init 'ones' is unknown"),
    ({"seed": -1}, "seed -1"),
    ({"eta": 0.0}, "must be a positive number"),
    ({"eta": float("nan")}, "must be a positive number"),
    ({"epochs": 0}, "epochs = 0"),
    ({"epochs": True}, "epochs = True"),
    ({"epochs": 2.5}, "epochs = 2.5"),
    ({"batch_size": 0}, "batch_size = 0"),
    ({"target_accuracy": 1.5}, "target_accuracy = 1.5"),
])
def test_bad_input_is_rejected(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"sizes": [64, 30, 30, 10], "epochs": 1}
    args.update(kwargs)
    with pytest.raises(NetsimError, match=message.replace("(", r"\(")):
        cost_of_fading(**args)
