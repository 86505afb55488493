"""Chapter 9, the cost of fading: dry runs for both lessons, the numbers on screen against the
experiment and against an independent sgd run, the set-up on screen, the plateau and its end
as the captions state them, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from netsim.data import digits_split
from netsim.errors import NetsimError
from netsim.experiments.training import EPOCHS, NIELSEN_MNIST, TrainingComparison, cost_of_fading
from netsim.network import Network
from netsim.train import sgd
from scenes.lesson import LESSONS_DIR, Lesson, load_lesson
from scenes.training import CostOfFading, training_for
from tests.conftest import dry_scene

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}


@pytest.fixture(scope="module")
def results() -> dict[str, TrainingComparison]:
    """The experiment of each lesson, trained once for the whole file."""
    return {name: training_for(load_lesson(path)) for name, path in LESSONS.items()}


@pytest.fixture(scope="module")
def scenes(results: dict[str, TrainingComparison]) -> dict[str, CostOfFading]:
    """A dry-run render of the scene for each lesson."""
    return {name: dry_scene("training", path) for name, path in LESSONS.items()}


def independent_run(lesson: Lesson, sizes: list[int]):
    """The same training, straight from netsim primitives."""
    split = digits_split(0.25, 0)
    net = Network.create(sizes, lesson.activation, "sigmoid", lesson.init, None, lesson.bias_init, lesson.seed)
    with threadpool_limits(limits=1):
        return sgd(net, split.train, split.test, epochs=EPOCHS, eta=lesson.learning_rate, batch_size=10,
                   cost="cross-entropy", seed=lesson.seed, probe_size=1000)


def first_at_least(values: np.ndarray, level: float) -> int | None:
    hits = np.flatnonzero(np.asarray(values) >= level)
    return int(hits[0]) if hits.size else None


# -- renders ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "lo", "hi"), [("default", 95.0, 135.0), ("relu-he", 65.0, 105.0)])
def test_dry_run_renders_within_bounds(name: str, lo: float, hi: float, scenes: dict[str, CostOfFading]) -> None:
    scene = scenes[name]
    assert lo < scene.renderer.time < hi, f"clip lasts {scene.renderer.time:.1f} s"
    assert not scene.mobjects  # end_chapter faded everything out


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_are_the_experiment(name: str, scenes: dict[str, CostOfFading],
                                          results: dict[str, TrainingComparison]) -> None:
    scene, r = scenes[name], results[name]
    H = len(r.deep_sizes) - 2
    s = r.setup
    expected: dict[str, object] = {
        "n_train": float(s.n_train), "n_test": float(s.n_test), "batch_size": float(s.batch_size),
        "eta": scene.lesson.learning_rate, "epochs": float(EPOCHS), "updates_per_epoch": float(s.updates_per_epoch),
        "decades": [float(r.decades[0]), float(r.decades[1])],
        "chance": 0.1,
        "deep_hidden_layers": float(scene.lesson.depth),
        "shallow_hidden_layers": 1.0,
        "width": float(scene.lesson.width),
        "deep_accuracy": [float(v) for v in r.deep_accuracy],
        "shallow_accuracy": [float(v) for v in r.shallow_accuracy],
        "window": [float(r.window[0]), float(r.window[1])],
        "factor": r.factor,
        "ratio": r.ratio_rounded,
        "deep_final_accuracy": float(r.deep_accuracy[-1]),
        "shallow_final_accuracy": float(r.shallow_accuracy[-1]),
        "target_accuracy": 0.9,
        "nielsen_deep_accuracy": NIELSEN_MNIST.accuracy[H - 1],
        "nielsen_shallow_accuracy": NIELSEN_MNIST.accuracy[0],
        "nielsen_train_images": 50000.0,
    }
    for l in range(1, H + 1):
        expected[f"speed_{l}"] = [float(v) for v in r.speeds[:, l - 1]]
    for key, epoch in (("deep", r.deep_epochs_to_target), ("shallow", r.shallow_epochs_to_target)):
        if epoch is not None:
            expected[f"{key}_epochs_to_target"] = float(epoch)
        else:
            expected["epochs_shown"] = float(EPOCHS)
    if r.plateau:
        expected.update({
            "plateau_last": float(r.window[1]),
            "deep_epochs_near_chance": float(r.deep_epochs_to_leave_chance - 1),
            "catch_up_epoch": float(r.catch_up_epoch),
            "deep_epochs_to_climb": float(r.deep_epochs_to_climb),
            "plateau_updates": float(r.plateau_updates),
            "nielsen_updates_per_epoch": 5000.0,
            "plateau_mnist_epochs": round(r.plateau_updates / 5000, 1),
        })
    assert scene.shown == expected


@pytest.mark.parametrize("name", list(LESSONS))
def test_experiment_is_a_real_sgd_run(name: str, results: dict[str, TrainingComparison]) -> None:
    lesson, r = load_lesson(LESSONS[name]), results[name]
    assert r.deep_sizes == tuple(lesson.sizes) and r.shallow_sizes == (64, lesson.width, 10)
    assert (r.eta, r.epochs, r.batch_size) == (lesson.learning_rate, EPOCHS, 10)
    deep = independent_run(lesson, lesson.sizes)
    shallow = independent_run(lesson, [64, lesson.width, 10])
    np.testing.assert_allclose(r.speeds, deep.speeds, rtol=1e-9, atol=0)
    np.testing.assert_allclose(r.deep_cost, deep.probe_cost, rtol=1e-9)
    np.testing.assert_allclose(r.shallow_cost, shallow.probe_cost, rtol=1e-9)
    np.testing.assert_array_equal(r.deep_accuracy, deep.test_accuracy)
    np.testing.assert_array_equal(r.shallow_accuracy, shallow.test_accuracy)
    # the summary numbers, recomputed from the independent run
    ratios = deep.speeds[:, -2] / deep.speeds[:, 0]
    np.testing.assert_allclose(r.ratios, ratios, rtol=1e-12)
    after = np.flatnonzero(ratios[1:] <= 1.0)
    catch = int(after[0]) + 1 if after.size else None
    assert r.catch_up_epoch == catch
    window = (1, catch - 1) if catch is not None and catch > 1 else (1, EPOCHS)
    assert r.window == window
    assert r.ratio == pytest.approx(math.exp(np.mean(np.log(ratios[window[0]:window[1] + 1]))), rel=1e-9)
    assert r.factor == float(f"{max(r.ratio, 1 / r.ratio):.2g}")
    assert r.deep_epochs_to_target == first_at_least(deep.test_accuracy, 0.9)
    assert r.shallow_epochs_to_target == first_at_least(shallow.test_accuracy, 0.9)
    assert r.deep_epochs_to_climb == first_at_least(deep.test_accuracy, 0.5)
    assert r.deep_epochs_to_leave_chance == first_at_least(deep.test_accuracy, 0.2)
    assert r.plateau_updates == window[1] * math.ceil(1348 / 10)
    hidden = deep.speeds[:, :-1]
    assert 10.0 ** r.decades[0] <= hidden.min() and hidden.max() <= 10.0 ** r.decades[1]
    assert r.decades[1] - r.decades[0] <= 1 + math.ceil(np.log10(hidden.max() / hidden.min()))


# -- the numbers and the physics the captions state -------------------------------------


def test_default_run_shows_a_long_plateau_then_catches_up(results: dict[str, TrainingComparison]) -> None:
    """The default lesson's run, against what the science says of it (not decimals from one run):
    a plateau of tens of epochs near chance with layer 1 many times slower, then a climb."""
    r = results["default"]
    assert r.plateau and r.regime == "vanishing"
    assert 20 <= r.catch_up_epoch <= 150 and r.window == (1, r.catch_up_epoch - 1) and r.factor >= 10
    assert r.deep_epochs_to_leave_chance <= r.catch_up_epoch < r.deep_epochs_to_climb < r.deep_epochs_to_target
    assert r.shallow_epochs_to_target <= 15 < r.deep_epochs_to_target
    assert 0.9 < r.deep_final_accuracy <= r.shallow_final_accuracy
    assert r.plateau_updates == r.window[1] * 135


def test_plateau_layer_1_is_slowest_then_catches_up_before_accuracy_climbs(
        results: dict[str, TrainingComparison]) -> None:
    r = results["default"]
    last = r.window[1]
    hidden = r.hidden_speeds
    # on the plateau layer 1 is the slowest hidden layer, far below layer L-1, at every epoch
    assert np.all(np.argmin(hidden[:last + 1], axis=1) == 0)
    assert np.all(r.ratios[1:last + 1] > 1)
    assert r.ratios[0] > 50  # untrained: about 140x
    # the deep net guesses near chance while the shallow net learns
    assert np.all(r.deep_accuracy[:r.deep_epochs_to_leave_chance] < 2 * r.chance)
    assert r.shallow_accuracy[10] > 0.9
    # layer 1's speed rises by more than ten times from the plateau to the catch-up epoch ...
    assert hidden[r.catch_up_epoch, 0] > 10 * np.median(hidden[1:last + 1, 0])
    # ... before accuracy climbs: catch-up comes first, then 50% and 90%
    assert r.catch_up_epoch < r.deep_epochs_to_climb < r.deep_epochs_to_target < r.epochs
    # and the run ends past the plateau, with the deep net within a few points of the shallow one
    assert r.deep_final_accuracy > 0.9 and r.shallow_final_accuracy - r.deep_final_accuracy < 0.05
    assert r.deep_cost[-1] < 0.5 * r.deep_cost[last]


def test_relu_he_has_no_plateau(results: dict[str, TrainingComparison]) -> None:
    fixed = results["relu-he"]
    assert not fixed.plateau and fixed.regime != "vanishing" and fixed.ratio < 10
    assert fixed.window == (1, EPOCHS)
    assert fixed.deep_final_accuracy > 0.9
    assert fixed.deep_epochs_to_target is not None and fixed.deep_epochs_to_target <= 10


def test_captions_follow_the_numbers(scenes: dict[str, CostOfFading], results: dict[str, TrainingComparison]) -> None:
    faded, fixed = scenes["default"], scenes["relu-he"]
    r, rf = results["default"], results["relu-he"]
    text = " ".join(faded.captions)
    assert "8x8 digits, 1,348 images to train on and 449 held out" in text
    assert "cross-entropy cost of chapter 8" in text and "η = 0.1" in text and "200 epochs" in text
    assert f"epochs 1 to {r.window[1]}, layer 1 learned {r.factor:g} times slower than layer 4" in text
    assert f"At epoch {r.catch_up_epoch} it catches up with layer 4" in text
    assert f"50% right at epoch {r.deep_epochs_to_climb}, 90% at epoch {r.deep_epochs_to_target}" in text
    assert f"{r.plateau_updates / NIELSEN_MNIST.updates_per_epoch:.1f} MNIST epochs" in text
    fixed_text = " ".join(fixed.captions)
    assert "plateau" not in fixed_text and "slower" not in fixed_text
    assert rf.ratio < 1 and f"layer 1 learned {rf.factor:g} times faster than layer 4" in fixed_text


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
    ({"climb_accuracy": 0}, "climb_accuracy = 0"),
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
