"""Chapter 8, the cost of fading: dry runs for both lessons, the numbers on screen against the
experiment, the experiment against netsim.train.sgd (a few epochs, cheap), one training shared
by chapters 5 and 8 (a run goes on from its first epochs exactly as one run would; chapter 5's
accuracies are chapter 8's curves at epoch 10), the plateau and its end as the captions state
them, bad input."""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from netsim.data import digits
from netsim.errors import NetsimError
from netsim.experiments.shared import round_significant
from netsim.experiments.training import (
    EPOCHS,
    FIRST_LOOK,
    NIELSEN_MNIST,
    SETUP,
    TrainingComparison,
    continue_training,
    cost_of_fading,
    progress,
    start_training,
    step_test,
    training_setup,
)
from netsim.format import fmt_percent, fmt_ratio
from netsim.network import Network
from netsim.spec import NetSpec
from netsim.train import FLOOR, sgd
from scenes.depth import experiment as depth_experiment
from scenes.engine.chapters import number_of
from scenes.engine.lesson import LESSONS_DIR, Lesson, load_lesson
from scenes.engine.style import fmt_value, log_ticks
from scenes.fading import experiment as fading_experiment
from scenes.training import GAINS, NOTE_WIDTH, CostOfFading
from scenes.training import experiment as training_experiment
from tests.conftest import dry_scene, with_net

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
FEW = FIRST_LOOK + 2  # epochs of the cheap independent check: it also goes past chapter 5's first look


@pytest.fixture(scope="module")
def results() -> dict[str, TrainingComparison]:
    """The experiment of each lesson, trained once for the whole file (and the suite's worker)."""
    return {name: training_experiment(load_lesson(path)) for name, path in LESSONS.items()}


@pytest.fixture(scope="module")
def scenes(results: dict[str, TrainingComparison]) -> dict[str, CostOfFading]:
    """A dry-run render of the scene for each lesson."""
    return {name: dry_scene("training", path) for name, path in LESSONS.items()}


def sgd_run(lesson: Lesson, sizes: list[int], epochs: int):
    """The same training, straight from netsim primitives, for ``epochs`` epochs."""
    split = SETUP.split()
    net = Network.create(sizes, lesson.activation, output_activation="sigmoid", init=lesson.init,
                         bias_init=lesson.bias_init, seed=lesson.seed)
    with threadpool_limits(limits=1):
        return sgd(net, split.train, split.test, epochs=epochs, eta=lesson.learning_rate, batch_size=10,
                   cost="cross-entropy", l2=0.0, seed=lesson.seed, probe_size=1000)


def stays_from(values: np.ndarray, level: float) -> int | None:
    """The first epoch from which ``values`` stay >= ``level`` to the end (independently of netsim)."""
    values = list(values)
    for e in range(len(values)):
        if all(v >= level for v in values[e:]):
            return e
    return None


def first_at_least(values: np.ndarray, level: float) -> int | None:
    hits = np.flatnonzero(np.asarray(values) >= level)
    return int(hits[0]) if hits.size else None


# -- renders ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "lo", "hi"), [("default", 60.0, 102.5), ("relu-he", 40.0, 75.0)])
def test_dry_run_renders_within_bounds(name: str, lo: float, hi: float, scenes: dict[str, CostOfFading]) -> None:
    scene = scenes[name]
    assert lo < scene.renderer.time < hi, f"clip lasts {scene.renderer.time:.1f} s"
    if name == "default":  # the chapter's ceiling in the third cut, with the step test on every hidden layer
        assert scene.renderer.time <= 102.0, scene.renderer.time
    # the budget: the step test, and the plateau in his epochs and in steps
    assert sum(len(c) for c in scene.captions) <= 1350
    assert not scene.mobjects  # end_chapter faded everything out


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_are_the_experiment(name: str, scenes: dict[str, CostOfFading],
                                          results: dict[str, TrainingComparison]) -> None:
    scene, r = scenes[name], results[name]
    H = len(r.deep_sizes) - 2
    s = r.setup
    lo, hi = r.decades
    expected: dict[str, object] = {
        "epochs": float(EPOCHS), "deep_hidden_layers": float(H),
        "n_train": float(s.n_train), "n_test": float(s.n_test), "batch_size": float(s.batch_size),
        "eta": scene.lesson.learning_rate, "updates_per_epoch": float(s.updates_per_epoch),
        "decades": [float(lo), float(hi)], "speed_ticks": [float(k) for k in log_ticks(lo, hi, most=6)],
        "chance": 0.1, "probe_size": 1000.0,
        "deep_accuracy": [float(v) for v in r.deep_accuracy],
        "shallow_accuracy": [float(v) for v in r.shallow_accuracy],
        "window": [float(r.window[0]), float(r.window[1])],
        "factor": r.factor, "ratio": r.ratio_rounded, "target_accuracy": 0.9,
        "shallow_epochs_to_target": float(r.shallow_epochs_to_target),
        "deep_epochs_to_target": float(r.deep_epochs_to_target),
        "deep_final_accuracy": float(r.deep_accuracy[-1]), "shallow_final_accuracy": float(r.shallow_accuracy[-1]),
        "nielsen_deep_accuracy": NIELSEN_MNIST.accuracy[H - 1], "nielsen_shallow_accuracy": NIELSEN_MNIST.accuracy[0],
        "nielsen_train_images": 50000.0, "nielsen_side": 28.0, "nielsen_hidden_layers": float(H),
        "nielsen_width": 30.0, "nielsen_epochs": 30.0, "nielsen_updates_per_epoch": 5000.0,
        "nielsen_steps": 150000.0, "nielsen_l2": NIELSEN_MNIST.l2,
    }
    for l in range(1, H + 1):
        expected[f"speed_{l}"] = [float(v) for v in r.speeds[:, l - 1]]
    if r.plateau:
        t = step_test(r)
        expected.update({
            "boost": r.factor, "boosted_first_accuracy": [float(v) for v in t.first_accuracy],
            "boosted_last_accuracy": [float(v) for v in t.last_accuracy],
            "boosted_first_leave_chance": float(t.first_leave_chance),
            "boosted_last_leave_chance": float(t.last_leave_chance),
            "plateau_saturated_share": r.plateau_saturated_share, "floor": FLOOR, "ceiling": 1.0 - FLOOR,
            "boosted_last_floor_share": t.last_floor_share,
            **{f"boosted_{i + 2}_accuracy": [float(v) for v in acc] for i, acc in enumerate(t.middle_accuracy)},
            **{f"boosted_{i + 2}_leave_chance": float(m) for i, m in enumerate(t.middle_leave_chance)},
            "leave_chance_accuracy": 0.2, "deep_epochs_to_leave_chance": float(r.deep_epochs_to_leave_chance),
            "steps_to_leave_chance": float(r.deep_epochs_to_leave_chance * s.updates_per_epoch),
            "catch_up_epoch": float(r.catch_up_epoch), "climb_accuracy": 0.5,
            "deep_epochs_to_climb": float(r.deep_epochs_to_climb), "gap_narrowing": r.gap_narrowing,
        })
    assert scene.shown == expected


# -- one training: the experiment is sgd, goes on from its first epochs, and chapter 5 reads it --


@pytest.mark.parametrize("name", list(LESSONS))
def test_experiment_is_a_real_sgd_run(name: str) -> None:
    """The experiment for a few epochs against sgd called directly (one call, its own seed): the
    same bits, though the experiment went on from the first epochs it keeps for chapter 5."""
    lesson = load_lesson(LESSONS[name])
    r = cost_of_fading(lesson.net, eta=lesson.learning_rate, epochs=FEW)
    assert r.deep_sizes == tuple(lesson.sizes) and r.shallow_sizes == (64, lesson.width, 10)
    assert (r.eta, r.epochs, r.batch_size, r.setup.l2) == (lesson.learning_rate, FEW, 10, 0.0)
    deep, shallow = sgd_run(lesson, lesson.sizes, FEW), sgd_run(lesson, [64, lesson.width, 10], FEW)
    np.testing.assert_array_equal(r.speeds, deep.speeds)
    np.testing.assert_array_equal(r.deep_cost, deep.probe_cost)
    np.testing.assert_array_equal(r.shallow_cost, shallow.probe_cost)
    np.testing.assert_array_equal(r.deep_accuracy, deep.test_accuracy)
    np.testing.assert_array_equal(r.shallow_accuracy, shallow.test_accuracy)
    # the summary numbers, recomputed from the independent run
    ratios = deep.speeds[:, -2] / deep.speeds[:, 0]
    np.testing.assert_allclose(r.ratios, ratios, rtol=1e-12)
    after = np.flatnonzero(ratios[1:] <= 1.0)
    catch = int(after[0]) + 1 if after.size else None
    assert r.catch_up_epoch == catch
    window = (1, catch - 1) if catch is not None and catch > 1 else (1, FEW)
    assert r.window == window
    assert r.ratio == pytest.approx(math.exp(np.mean(np.log(ratios[window[0]:window[1] + 1]))), rel=1e-9)
    assert r.factor == float(f"{max(r.ratio, 1 / r.ratio):.2g}")
    assert r.deep_epochs_to_target == first_at_least(deep.test_accuracy, 0.9)
    assert r.shallow_epochs_to_target == first_at_least(shallow.test_accuracy, 0.9)
    assert r.deep_epochs_to_climb == first_at_least(deep.test_accuracy, 0.5)
    assert r.deep_epochs_to_leave_chance == stays_from(deep.test_accuracy, 0.2)
    hidden = deep.speeds[:, :-1]
    assert 10.0 ** r.decades[0] <= hidden.min() and hidden.max() <= 10.0 ** r.decades[1]


def test_training_goes_on_exactly_as_one_run() -> None:
    """2 epochs, then 3 more from where they stopped, give the bits of one 5-epoch run."""
    net = NetSpec((64, 20, 20, 10), seed=3)
    one = start_training(training_setup(epochs=5), net)
    two = continue_training(start_training(training_setup(epochs=2), net), training_setup(epochs=5), 3)
    assert two.epochs == one.epochs == 5
    for a, b in [(one.run.speeds, two.run.speeds), (one.run.probe_cost, two.run.probe_cost),
                 (one.run.test_accuracy, two.run.test_accuracy), *zip(one.run.network.weights, two.run.network.weights),
                 *zip(one.run.network.biases, two.run.network.biases), *zip(one.start.weights, two.start.weights)]:
        assert a.tobytes() == b.tobytes()
    assert one.shuffle == two.shuffle
    with pytest.raises(ValueError):  # a kept run is read-only
        one.run.network.weights[0][0, 0] = 0.0


def test_a_run_that_diverges_later_names_its_epoch_from_the_start() -> None:
    first = start_training(training_setup(epochs=2), NetSpec((64, 20, 20, 10), seed=3))
    with pytest.raises(NetsimError, match=r"^training diverged in epoch 3 with eta = 1000.0"):
        continue_training(first, training_setup(eta=1000.0, epochs=3), 1)


@pytest.mark.parametrize("name", list(LESSONS))
def test_chapter_five_reads_chapter_eights_runs_at_epoch_ten(name: str,
                                                             results: dict[str, TrainingComparison]) -> None:
    """Chapter 5's nets are chapter 8's, in chapter 8's runs: its accuracies are chapter 8's
    curves at epoch 10, and the 200-epoch run went on from the kept 10-epoch one."""
    lesson, r = load_lesson(LESSONS[name]), results[name]
    five = depth_experiment(lesson)
    assert five.epochs == FIRST_LOOK == 10
    assert five.deep.accuracy_after == r.deep_accuracy[FIRST_LOOK]
    assert five.shallow.accuracy_after == r.shallow_accuracy[FIRST_LOOK]
    assert five.deep.accuracy_before == r.deep_accuracy[0] and five.shallow.accuracy_before == r.shallow_accuracy[0]
    setup = r.setup
    kept = progress(dataclasses.replace(setup, epochs=FIRST_LOOK), lesson.net)
    whole = progress(setup, lesson.net)
    assert whole.start is kept.start
    np.testing.assert_array_equal(whole.run.speeds[:FIRST_LOOK + 1], kept.run.speeds)
    np.testing.assert_array_equal(five.deep.w1_after, kept.run.network.weights[0])


# -- the numbers and the science the captions state -------------------------------------


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


def test_speeding_up_layer_1_shortens_the_plateau_and_layer_4_does_not(
        results: dict[str, TrainingComparison]) -> None:
    """The step test on the default lesson: from the same start, on the same mini-batches, layer 1's
    eta times its lag ends the plateau within a fifth of the time; the same factor on layer 4 (the
    control) does not shorten it, so the shorter plateau is layer 1's doing, not a larger step's."""
    r = results["default"]
    t = step_test(r)
    base = r.deep_epochs_to_leave_chance
    assert t.boost == r.factor == 37 and t.last_layer == 4
    assert t.first_leave_chance * 3 <= base <= t.last_leave_chance
    assert (t.first_leave_chance, base, t.last_leave_chance) == (19, 64, 99)  # pinned: the numbers on screen
    # the layers between lag too (chapter 5's r_l, chapter 7's bars): boosting each of them helps as well
    assert t.middle_leave_chance == (20, 27) and all(m < base for m in t.middle_leave_chance)
    assert all(acc[0] == r.deep_accuracy[0] for acc in t.middle_accuracy)
    assert t.first_target < r.deep_epochs_to_target < t.last_target
    assert t.first_accuracy[0] == t.last_accuracy[0] == r.deep_accuracy[0]  # the same start


def test_a_step_scale_of_one_changes_no_bit_and_zero_freezes_a_layer() -> None:
    """sgd's step_scales: 1 everywhere is the plain run, bit for bit; 0 keeps that layer's start."""
    split = SETUP.split()
    net = Network.create([64, 30, 30, 10], "sigmoid", output_activation="sigmoid", init="nielsen", bias_init="normal",
                         seed=3)
    with threadpool_limits(limits=1):
        plain = sgd(net, split.train, split.test, epochs=2, seed=3)
        ones = sgd(net, split.train, split.test, epochs=2, seed=3, step_scales=(1, 1, 1))
        still = sgd(net, split.train, split.test, epochs=2, seed=3, step_scales=(0, 1, 1))
    for a, b in zip(plain.network.weights + plain.network.biases, ones.network.weights + ones.network.biases):
        assert np.array_equal(a, b)
    assert np.array_equal(plain.test_accuracy, ones.test_accuracy)
    assert np.array_equal(still.network.weights[0], net.weights[0]) and np.array_equal(still.network.biases[0],
                                                                                      net.biases[0])
    assert not np.array_equal(still.network.weights[1], net.weights[1])
    for bad in ((1, 1), (1, -1, 1), (1, float("nan"), 1)):
        with pytest.raises(NetsimError, match="step scales"):
            sgd(net, split.train, split.test, epochs=1, step_scales=bad)


def test_near_floor_and_ceiling_are_the_shares_of_saturated_outputs() -> None:
    """sgd's near_floor[e, l - 1] / near_ceiling[e, l - 1]: the share of a_l on the probe digits below
    FLOOR / above 1 - FLOOR, recorded with the speeds (row 0 the start, the last row the trained net)."""
    split = SETUP.split()
    # weights N(0, 1) on 64 pixels: many sigmoids start saturated at either end, so both shares are seen
    net = Network.create([64, 30, 30, 10], "sigmoid", output_activation="sigmoid", init="normal", bias_init="normal",
                         seed=3)
    with threadpool_limits(limits=1):
        run = sgd(net, split.train, split.test, epochs=2, seed=3)
    probe = split.train.head(1000)
    for row, trained in ((0, net), (-1, run.network)):
        acts = trained.forward(probe.x).activations[1:]
        assert list(run.near_floor[row]) == [float(np.mean(a < FLOOR)) for a in acts]
        assert list(run.near_ceiling[row]) == [float(np.mean(a > 1 - FLOOR)) for a in acts]
    assert run.near_floor.shape == run.near_ceiling.shape == (3, 3) and FLOOR == 0.05
    assert np.all(run.near_floor[:, :2] > 0.1) and np.all(run.near_ceiling[:, :2] > 0.1)


def test_the_last_hidden_layer_did_not_saturate_on_the_plateau(results: dict[str, TrainingComparison]) -> None:
    """Glorot and Bengio's account of sigmoid plateaus: the last hidden layer saturated near 0. In this run
    no output of layer 4 fell below FLOOR or rose above 1 - FLOOR in any shaded epoch; some fell below
    FLOOR once the net climbed, and most did on the plateau when layer 4's own step was boosted."""
    r = results["default"]
    first, last = r.window
    assert r.plateau_saturated_share == 0.0 == float(np.max(r.deep_near_floor[first:last + 1, 3]))
    assert float(np.max(r.deep_near_ceiling[first:last + 1, 3])) == 0.0
    assert np.max(r.deep_near_floor[last + 1:, 3]) > 0.05  # after the plateau, layer 4's units specialise
    t = step_test(r)
    assert 0.5 < t.last_floor_share < 1.0


def test_plateau_layer_1_is_slowest_then_catches_up_before_accuracy_climbs(
        results: dict[str, TrainingComparison]) -> None:
    r = results["default"]
    last = r.window[1]
    hidden = r.hidden_speeds
    # on the plateau layer 1 is the slowest hidden layer, far below layer L-1, at every epoch
    assert np.all(np.argmin(hidden[:last + 1], axis=1) == 0)
    assert np.all(r.ratios[1:last + 1] > 1)
    assert r.ratios[0] > 50
    # the deep net guesses near chance while the shallow net learns
    left = r.deep_epochs_to_leave_chance  # for good: spikes above 20% before it do not count
    assert r.deep_accuracy[left - 1] < 2 * r.chance and np.all(r.deep_accuracy[left:] >= 2 * r.chance)
    assert np.mean(r.deep_accuracy[:left] < 2 * r.chance) > 0.9
    assert r.shallow_accuracy[10] > 0.9
    # layer 1's speed rises by more than ten times from the plateau to the catch-up epoch ...
    assert hidden[r.catch_up_epoch, 0] > 10 * np.median(hidden[1:last + 1, 0])
    # ... and only then does accuracy pass 50% and 90%
    assert np.all(r.deep_accuracy[:r.catch_up_epoch + 1] < 0.5)
    assert r.catch_up_epoch < r.deep_epochs_to_climb < r.deep_epochs_to_target < r.epochs
    assert r.deep_final_accuracy > 0.9 and r.shallow_final_accuracy - r.deep_final_accuracy < 0.05
    assert r.deep_cost[-1] < 0.5 * r.deep_cost[last]


def test_relu_he_has_no_plateau(results: dict[str, TrainingComparison]) -> None:
    fixed = results["relu-he"]
    assert not fixed.plateau and fixed.regime != "vanishing" and fixed.ratio < 10
    assert fixed.window == (1, EPOCHS)
    assert fixed.deep_final_accuracy > 0.9
    assert fixed.deep_epochs_to_target is not None and fixed.deep_epochs_to_target <= 10


def test_captions_follow_the_numbers(scenes: dict[str, CostOfFading], results: dict[str, TrainingComparison]) -> None:
    r, scene = results["default"], scenes["default"]
    text = " ".join(scene.captions)
    assert f"Chapter {number_of('depth')}'s two nets train again, for 200 epochs." in text
    # the library ships the whole set unsplit; the split into training and held-out digits is ours, on the card
    assert len(digits()) == scene.result.setup.n_train + scene.result.setup.n_test
    assert "SGD (stochastic gradient descent) steps once per mini-batch of 10 of the 1,348 training digits, η = 0.1." \
        in text
    assert "‖∂C/∂b_l‖, C averaged over 1,000 training digits, per epoch." in text
    card = " ".join(t.original_text for t in scene.card[1])
    assert "cross-entropy cost" in card and "L2" not in card
    # the plateau, said one way: the shaded window, and the epoch the deep net first reached 20%
    first, last = r.window
    # the factor is the geometric mean of the per-epoch ratios r_e over the shaded epochs, and is named so
    geometric = 10 ** np.mean(np.log10(r.ratios[first:last + 1]))
    assert math.isclose(r.ratio, geometric, rel_tol=1e-9) and r.factor == round_significant(geometric)
    # a ratio of the measure it names (‖∂C/∂b‖), not "learned N times slower"
    assert f"Shaded, epochs {first} to {last}: layer 1's ‖∂C/∂b‖ was 1/{fmt_value(r.factor)} of layer 4's " \
           "(geometric mean of the per-epoch ratios)." in text
    # epoch 0's ratio is chapter 7's figure over the same 1,000 digits, to the bit (chapter 11's card
    # sets the two side by side)
    probe = fading_experiment(load_lesson(LESSONS_DIR / "default.toml")).probe_first_over_last
    assert 1 / r.ratios[0] == probe and fmt_ratio(probe) == "1/140"
    assert "learned" not in text.split("Shaded")[1].split(".")[0]
    statement = [t.original_text for t in scene.statement]
    assert statement == [f"epochs {first} to {last}, geometric mean:",
                         f"layer 1's speed: 1/{fmt_value(r.factor)} of layer 4's"]
    assert "on average" not in text
    left = r.deep_epochs_to_leave_chance
    steps = left * r.setup.updates_per_epoch  # every mini-batch step up to the end of that epoch
    assert steps == 8640 and scene.shown["steps_to_leave_chance"] == steps
    assert f"The deep net reached 20% right for good only at epoch {left} (8,640 steps);" in text
    assert r.deep_accuracy[left - 1] < 0.2 and np.all(r.deep_accuracy[left:] >= 0.2) and left <= last + 1
    assert f"the shallow net hit 90% at epoch {r.shallow_epochs_to_target}." in text
    assert not re.search(r"[Ff]or \d+ epochs,? the deep net", text)  # the plateau is said one way
    # the catch-up: "catches up" is the first epoch with r_e <= 1; "gains on layer 4 through the
    # plateau": r_e's geometric mean over epochs 1-10 is over GAINS times that over epochs 55-64
    c = r.catch_up_epoch
    assert c == last + 1 and np.all(r.ratios[1:c] > 1) and r.ratios[c] <= 1
    early = 10 ** np.mean(np.log10(r.ratios[1:11]))
    late = 10 ** np.mean(np.log10(r.ratios[last - 9:last + 1]))
    assert r.gap_narrowing == pytest.approx(early / late, rel=1e-12) and r.gap_narrowing >= GAINS
    assert early > 50 and late < 15  # from about 1/100 to about 1/10: the one number 1/37 averages a trend
    assert "together" not in text and "speed up" not in text
    assert (f"Layer 1 gains on layer 4 through the plateau and catches up at epoch {c}; the deep net then "
            f"passes 50% at epoch {r.deep_epochs_to_climb}, and 90% at {r.deep_epochs_to_target}.") in text
    assert c < r.deep_epochs_to_climb < r.deep_epochs_to_target
    deep, shallow = fmt_percent(r.deep_final_accuracy), fmt_percent(r.shallow_final_accuracy)
    assert f"After 200 epochs: deep {deep}, shallow {shallow}." in text
    # Nielsen: both of his nets round to the same accuracy, so "about" it; and the data it came from
    assert fmt_percent(NIELSEN_MNIST.accuracy[0]) == fmt_percent(NIELSEN_MNIST.accuracy[3])
    # and his steps, 30 epochs of 5,000; whether his deep nets had a plateau his figures do not say, and
    # the caption says neither that they had one nor that they had none (rounds 30 and 32)
    assert (f"Nielsen reports only final accuracies: his MNIST nets, shallow and deep, both near "
            f"{fmt_percent(NIELSEN_MNIST.accuracy[3])} after 150,000 steps.") in text
    assert NIELSEN_MNIST.updates_per_epoch == 5000 and r.setup.updates_per_epoch == 135
    assert scene.shown["nielsen_steps"] == 30 * 5000
    note = scene.nielsen_note  # two lines, inside the frame with a margin; his L2 too (round 40)
    assert note.original_text == ("Nielsen, MNIST (50,000 digits, 28×28; 30 epochs of 5,000 steps; L2, λ = 5):\n"
                                  "96.5% with 4 hidden layers of 30, 96.5% with 1 hidden layer")
    assert note.width <= NOTE_WIDTH and -6.5 < note.get_left()[0] < note.get_right()[0] < 6.5
    # the closing test: is layer 1's slowness a cause? one layer's eta times its lag, layer 1 then layer 4
    t = step_test(r)
    assert ("Is the lag the cause? Retrain, same start and mini-batches, one layer's "
            f"η × {fmt_value(r.factor)}.") in text
    assert text.endswith(f"η × {fmt_value(r.factor)} on layer 1: stays above 20% from epoch {t.first_leave_chance}, "
                         f"not {left}; on layers 2 and 3, from {t.middle_leave_chance[0]} and "
                         f"{t.middle_leave_chance[1]}. On layer 4: later, from epoch {t.last_leave_chance}. "
                         "Glorot and Bengio (2010) saw a top sigmoid layer stuck near 0 on such plateaus; our layer 4, "
                         "unboosted, did not saturate (output near 0 or 1). In this run, "
                         "speeding the lagging layers shortened the plateau, not ended it; speeding layer 4 "
                         "saturated it and lengthened it.")
    assert t.first_leave_chance > 1  # "not ended it": layer 1's boost left a plateau of its own
    # what "saturate" counts is on screen, with both shares the verdict rests on
    note = [m.original_text for m in scene.saturation_note(t)]
    assert note == ["layer 4's outputs, 1,000 training digits, epochs 1–64:",
                    "as trained: 0% below 0.05 or above 0.95",
                    f"its η × {fmt_value(r.factor)}: up to {fmt_percent(t.last_floor_share)} below 0.05"]
    assert t.last_leave_chance > left  # "later": than without the boost
    # one run: no claim beyond it, and the account the literature gives is named beside it
    assert "near chance" not in text
    for wrong in ("wait", "because", "for them", "only after", "L2"):
        assert wrong not in text


@pytest.mark.parametrize(("narrowing", "words"), [
    (12.0, "Layer 1 gains on layer 4 through the plateau and catches up at epoch 30."),
    (10.0, "Layer 1 gains on layer 4 through the plateau and catches up at epoch 30."),
    (9.9, "Around epoch 30, layer 1 catches up with layer 4."),
    (1.0, "Around epoch 30, layer 1 catches up with layer 4."),
])
def test_gain_words_follow_the_numbers(narrowing: float, words: str) -> None:
    """"Gains through the plateau" only when layer 1's gap narrowed GAINS times from its first
    epochs to its last."""
    from types import SimpleNamespace

    result = SimpleNamespace(hidden_layers=4, gap_narrowing=narrowing, deep_epochs_to_climb=None,
                             deep_epochs_to_target=None)
    stub = SimpleNamespace(result=result, shown={})
    caption = CostOfFading.catch_up_caption(stub, 30)  # type: ignore[arg-type]
    assert str(caption) == words
    assert stub.shown["gap_narrowing"] == narrowing


def test_relu_he_captions_follow_the_numbers(scenes: dict[str, CostOfFading],
                                            results: dict[str, TrainingComparison]) -> None:
    rf = results["relu-he"]
    text = " ".join(scenes["relu-he"].captions)
    assert "plateau" not in text and "slower" not in text and "catches up" not in text
    assert rf.ratio < 1
    assert (f"Epochs 1 to 200: layer 1's ‖∂C/∂b‖ was {fmt_value(rf.factor)} times layer 4's (geometric mean "
            "of the per-epoch ratios).") in text
    assert (f"The deep net hit 90% at epoch {rf.deep_epochs_to_target}; the shallow net hit 90% at epoch "
            f"{rf.shallow_epochs_to_target}.") in text


# -- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"sizes": [64, 30, 10]}, "at least two hidden layers"),
    ({"sizes": [63, 30, 30, 10]}, "need 64"),
    ({"sizes": [64, 30, 30, 9]}, "need 10"),
    ({"sizes": [64, 0, 30, 10]}, "layer size 0 must be at least 1"),
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
        with_net(cost_of_fading, args)
