"""Chapter 11, the fixed nets train: dry runs of both lessons, the numbers on screen against the
experiment, the experiment against netsim.train.sgd (a few epochs, cheap) and against chapter
8's runs (shared, not trained again), what the runs show (the fixed deep nets train within a
few epochs), captions chosen from the numbers, bad input."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from netsim.errors import NetsimError
from netsim.experiments.fading import BOOK_RATIO_SAID
from netsim.experiments.gaps import layer_gaps
from netsim.experiments.shared import round_significant
from netsim.experiments.training import SETUP, cost_of_fading
from netsim.experiments.trains import DEEP_RELU, DEEP_TANH, SIGMOID_XAVIER, FixedNetsResult, fixed_nets_train
from netsim.format import fmt_percent, fmt_ratio
from netsim.init import WEIGHT_INITS
from netsim.network import Network
from netsim.spec import DEFAULT_NET, NetSpec, Setting
from netsim.train import sgd
from scenes.engine.chapters import number_of
from scenes.engine.lesson import LESSONS_DIR, load_lesson
from scenes.engine.netdiagram import DEEP_NET_SAMPLE
from scenes.engine.style import log_ticks
from scenes.trains import DEEP, FAST, FixedNetTrains, experiment, points_apart, speed_verdict
from tests.conftest import dry_scene, with_net

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
#: The chapter's ceiling (English dry run, seconds), and the captions' characters that fill it
#: at the engine's 14 characters a second.
CEILING_S = 64.0  # 40, "During training," that sets these ratios apart from chapter 10's, what they say,
# the sigmoid net with Xavier's start alone, and the card of every ratio; 57 when round 34 said that net's
# Xavier start is chapter 7's between hidden layers (its gain is the zero biases'); 57.5 when round 35's
# "untrained, it trailed" became "it was slower" (a speed, not chapter 10's per-digit bars); 58.5 when round
# 38 pointed to where the plot shows it ("at epoch 0"); 64 when the ratio card stayed up 15 s, not 9.5
# (round 39's lecturer), paid for in chapter 12
CAPTION_CHARS = int(58.5 * 14)
#: The card's rows: each ratio as its chapter writes it, the chapter, and the chapter's own number for it.
CARD = [("1/110", "1"), ("1/190", "4"), ("1/8.4", "5"), ("1/120", "7"), ("1/140", "7"), ("≈ 1/100", "Nielsen"),
        ("1/37", "8"), ("1/124", "10")]


@pytest.fixture(scope="module")
def results() -> dict[str, FixedNetsResult]:
    """The experiment of each lesson (one computation: both lessons share net size, seed and eta)."""
    return {name: experiment(load_lesson(path)) for name, path in LESSONS.items()}


@pytest.fixture(scope="module")
def rendered() -> dict[str, FixedNetTrains]:
    """A dry-run render of the scene for each lesson, once for the module."""
    return {name: dry_scene("trains", path) for name, path in LESSONS.items()}


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders(rendered: dict[str, FixedNetTrains], name: str) -> None:
    scene = rendered[name]
    assert 30.0 <= scene.renderer.time <= CEILING_S
    # the card of every ratio closes the chapter when the lesson's net is the one the chapters measured
    assert len(scene.captions) == (7 if name == "default" else 6) and all(c.strip() for c in scene.captions)
    assert sum(len(c) for c in scene.captions) <= CAPTION_CHARS
    assert not scene.mobjects  # ends on the bare background


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_are_the_experiment(rendered: dict[str, FixedNetTrains],
                                          results: dict[str, FixedNetsResult], name: str) -> None:
    r = results[name]
    s = r.setup
    lo, hi = -r.decades[1], -r.decades[0]  # the plot draws 1/r_e: netsim's decades turned over
    expected: dict[str, object] = {
        "n_train": float(s.n_train), "n_test": float(s.n_test), "batch_size": float(s.batch_size),
        "eta": s.eta, "epochs": float(s.epochs), "target": r.target_accuracy, "chance": 0.1,
        "points": float(points_apart(r)), "decades": [float(lo), float(hi)],
        "ratio_ticks": [float(k) for k in log_ticks(lo, hi, most=6)],
        "window": [float(r.window[0]), float(r.window[1])],
    }
    for run in r.runs:
        k = run.setting.key
        expected[f"{k}.accuracy"] = [float(v) for v in run.accuracy]
        expected[f"{k}.final"] = run.final_accuracy
        expected[f"{k}.epochs_to_target"] = float(run.epochs_to_target)
        if k in DEEP:  # the ratio plot's nets (the sigmoid net with Xavier's start is in the accuracy plot only)
            expected[f"{k}.ratios"] = [float(v) for v in run.ratios]
            # in the caption and at the right end of the ratio plot, every deep net over the same epochs,
            # as layer 1's over layer L-1's
            expected[f"{k}.speed_ratio"] = expected[f"{k}.average"] = 1 / run.speed_ratio
    if name == "default":  # the card: every ratio the episode states, as netsim gives it
        lesson = load_lesson(LESSONS[name])
        for i, gap in enumerate(layer_gaps(lesson.net, eta=lesson.learning_rate).gaps):
            expected[f"gap_{i}"] = gap.first_over_last
    assert rendered[name].shown == expected


@pytest.mark.parametrize("name", list(LESSONS))
def test_the_ratio_plot_shows_who_learns_faster(rendered: dict[str, FixedNetTrains],
                                                results: dict[str, FixedNetsResult], name: str) -> None:
    """Layer 1's speed over layer L-1's, 1/r_e: the plot covers every 1/r_e and the line at 1, "layer 1
    faster" sits above that line and "layer 1 slower" below it, each net's average at its height."""
    scene, r = rendered[name], results[name]
    lo, hi = scene.decades
    assert (lo, hi) == (-r.decades[1], -r.decades[0])
    every = 1 / np.concatenate([r.by_key(k).ratios for k in ("sigmoid", "tanh", "relu")])
    assert 10.0**lo <= min(every.min(), 1.0) and max(every.max(), 1.0) <= 10.0**hi
    axes = scene.ratio_axes
    one = axes.c2p(0, -lo)[1]  # 1/r = 1
    slower, faster = scene.ratio_regions
    assert faster.get_bottom()[1] > one > slower.get_top()[1]
    assert axes.c2p(0, 0)[1] <= slower.get_bottom()[1] and faster.get_top()[1] <= axes.c2p(0, hi - lo)[1]
    # each fixed net's r_e below 1 in nearly every epoch: the lines run under the dashed line
    for k in ("tanh", "relu"):
        run = r.by_key(k)
        assert np.mean(run.ratios[1:] < 1) > 0.95 and run.speed_ratio_rounded < 1
        # r_e as r_{L-1} / r_1 of the recorded speeds
        np.testing.assert_allclose(run.ratios, run.hidden_speeds[:, -1] / run.hidden_speeds[:, 0], rtol=1e-12)
    # chapter 8's deep sigmoid net: layer 1 slower (r_e above 1) through its plateau
    assert np.all(r.by_key("sigmoid").ratios[:30] > 10)


def test_the_set_up_and_two_runs_are_chapter_eights(results: dict[str, FixedNetsResult]) -> None:
    """Chapter 8's set-up, and chapter 8's own two runs (kept once per process, not trained again)."""
    r = results["default"]
    assert r.setup == SETUP
    assert (r.setup.n_train, r.setup.n_test, r.setup.batch_size, r.setup.eta, r.setup.cost, r.setup.l2) == (
        1348, 449, 10, 0.1, "cross-entropy", 0.0)
    assert [run.sizes for run in r.runs] == [(64, 30, 10)] + [(64, 30, 30, 30, 30, 10)] * 4
    eight = cost_of_fading(DEFAULT_NET)
    np.testing.assert_array_equal(r.by_key("sigmoid").accuracy, eight.deep_accuracy)
    np.testing.assert_array_equal(r.by_key("shallow").accuracy, eight.shallow_accuracy)
    np.testing.assert_array_equal(r.by_key("sigmoid").speeds, eight.speeds)


@pytest.mark.parametrize("spec", [DEEP_TANH, DEEP_RELU, SIGMOID_XAVIER], ids=["tanh", "relu", "xavier"])
def test_experiment_is_a_real_sgd_run(spec: Setting) -> None:
    """A fixed net for a few epochs, against sgd called directly: the same bits."""
    epochs = 3
    r = fixed_nets_train(NetSpec((64, 30, 30, 30, 30, 10), seed=0), eta=0.1, epochs=epochs, nets=(spec,))
    split = SETUP.split()
    net = Network.create((64, 30, 30, 30, 30, 10), spec.activation, output_activation="sigmoid", init=spec.init,
                         bias_init=spec.bias_init, seed=0)
    with threadpool_limits(limits=1):
        run = sgd(net, split.train, split.test, epochs=epochs, eta=0.1, batch_size=10, cost="cross-entropy",
                  l2=0.0, seed=0, probe_size=1000)
    mine = r.by_key(spec.key)
    np.testing.assert_array_equal(mine.accuracy, run.test_accuracy)
    np.testing.assert_array_equal(mine.speeds, run.speeds)
    hidden = run.speeds[:, :-1]
    ratios = hidden[1:, -1] / hidden[1:, 0]
    assert r.window == (1, epochs)  # no sigmoid net among them: every epoch is averaged
    assert mine.speed_ratio == pytest.approx(np.exp(np.mean(np.log(ratios))), rel=1e-9)
    assert mine.speed_ratio_rounded == round_significant(mine.speed_ratio, 2)
    hits = np.flatnonzero(run.test_accuracy >= 0.9)
    assert mine.epochs_to_target == (int(hits[0]) if hits.size else None)


def test_the_fixed_deep_nets_train(results: dict[str, FixedNetsResult]) -> None:
    r = results["default"]
    sig, tanh, relu, shallow = (r.by_key(k) for k in ("sigmoid", "tanh", "relu", "shallow"))
    for run in (tanh, relu):
        assert run.epochs_to_target is not None and run.epochs_to_target <= FAST
        assert run.final_accuracy > 0.95
        assert run.speed_ratio < 1  # layer 1 learns faster than layer L-1, on average over the run
    assert sig.epochs_to_target is not None and sig.epochs_to_target > 10 * max(tanh.epochs_to_target,
                                                                                 relu.epochs_to_target)
    assert np.all(sig.accuracy[:30] < 0.2)  # chapter 8's plateau near chance
    assert shallow.epochs_to_target <= FAST and shallow.final_accuracy > 0.95
    assert max(tanh.speed_ratio_rounded, relu.speed_ratio_rounded) < 1  # what the plot's averages show


def test_captions_follow_the_numbers(rendered: dict[str, FixedNetTrains], results: dict[str, FixedNetsResult]) -> None:
    r = results["default"]
    sig, tanh, relu, shallow = (r.by_key(k) for k in ("sigmoid", "tanh", "relu", "shallow"))
    text = " ".join(rendered["default"].captions)
    eight = number_of("training")
    assert "Do the fixed deep nets train?" in text
    assert (f"Chapter {eight}'s shallow net climbs at once; its deep sigmoid net needs {sig.epochs_to_target} epochs "
            "to reach 90%.") in text
    # only the start changed: the sigmoid net with Xavier's start, between chapter 8's and the fixed nets
    xavier = r.by_key("xavier")
    assert xavier.net.activation == "sigmoid" and xavier.net.init == "xavier-normal" and xavier.net.bias_init == "zeros"
    assert xavier.net.sizes == sig.net.sizes and xavier.net.seed == sig.net.seed
    # Xavier's Var(w) is the old one between hidden layers (2/60 = 1/30): its zero biases named with it
    assert (f"Keeping the sigmoid, with zero biases and Xavier's start (unchanged between hidden layers): 90% at "
            f"epoch {xavier.epochs_to_target}.") in text
    assert max(tanh.epochs_to_target, relu.epochs_to_target) < xavier.epochs_to_target < sig.epochs_to_target
    assert (f"With tanh and Xavier's start the same deep net reaches 90% at epoch {tanh.epochs_to_target}; with ReLU "
            f"and He's, at epoch {relu.epochs_to_target}.") in text
    # "within N points": N is the spread of the five final accuracies, rounded up
    finals = [run.final_accuracy for run in r.runs]
    n = points_apart(r)
    assert n - 1 < 100 * (max(finals) - min(finals)) <= n
    assert len(r.runs) == 5
    assert (f"After 200 epochs all five are within {n} points: on these small digits depth adds no real "
            "accuracy.") in text
    # "climbs at once", "train fast": within FAST epochs; "depth adds no real accuracy": no deep net ends
    # more than half a point above the shallow one
    assert all(run.epochs_to_target <= FAST for run in (shallow, tanh, relu))
    assert max(run.final_accuracy for run in r.runs if run.setting.deep) <= shallow.final_accuracy + 0.005
    # every ratio of the episode is layer 1's over layer 4's: chapter 8's 1/37 is the sigmoid's here too
    rs, rt, rr = (fmt_ratio(1 / run.speed_ratio) for run in (sig, tanh, relu))
    assert (rs, rt, rr) == ("1/37", "3.1", "5.1")
    first, last = r.window
    assert (f"Layer 1's speed over layer 4's, geometric mean over epochs {first} to {last}: sigmoid {rs}, tanh {rt}, "
            f"ReLU {rr}: from epoch {first} on, tanh's and ReLU's layer 1 leads; "
            "at epoch 0, on averaged C, it was slower.") in text
    # "from epoch 1 on": layer 1 the faster in every epoch of the window, in both fixed nets, not only on average
    for run in (tanh, relu):
        assert np.all(np.asarray(run.ratios[first:last + 1]) < 1)
    # what made layer 1 the faster is training: at epoch 0, in the same measure, layer 1 was the slower
    assert min(sig.ratios[0], tanh.ratios[0], relu.ratios[0]) > 1
    # the same epochs for every net: chapter 8's plateau, so the sigmoid's figure is chapter 8's own
    eight = cost_of_fading(DEFAULT_NET)
    assert r.window == eight.window and (first, last) == (1, 64)
    assert sig.speed_ratio_rounded == eight.ratio_rounded and sig.speed_ratio > 1
    for run in (sig, tanh, relu):  # "geometric mean over epochs 1 to 64": of r_e over exactly those epochs
        assert len(run.ratios) == r.epochs + 1
        logs = np.log10(run.ratios[first:last + 1])
        assert len(logs) == last - first + 1
        assert run.speed_ratio == pytest.approx(10 ** float(np.mean(logs)), rel=1e-9)
    # the chapter does not depend on the lesson's activation, but for the card of the ratios its other chapters state
    assert " ".join(rendered["relu-he"].captions) == text.rsplit(" The sigmoid net's layer 1", 1)[0]
    for wrong in ("same starting weights", "1998", "2006", "Boltzmann", "pre-train", "one layer at a time"):
        assert wrong not in text
    assert fmt_percent(r.target_accuracy) == "90%"


def test_the_card_sets_each_ratio_beside_its_chapter(rendered: dict[str, FixedNetTrains]) -> None:
    """The card's ratios are the chapters' own: each from the experiment its chapter runs (chapters 1,
    4, 5, 7, 8 and 10 for the default lesson), written as the chapter writes it; with what each compares,
    on which digits and when. A lesson whose chapters measured another net gets no card."""
    from scenes.depth import experiment as depth_experiment
    from scenes.fading import experiment as fading_experiment
    from scenes.opening import experiment as opening_experiment
    from scenes.rock import SAMPLE as ROCK_SAMPLE
    from scenes.rock import experiment as rock_experiment
    from scenes.training import experiment as training_experiment
    from scenes.wayout import experiment as wayout_experiment

    lesson = load_lesson(LESSONS["default"])
    assert ROCK_SAMPLE == DEEP_NET_SAMPLE  # chapter 4 and chapters 1 and 7 use one digit, as the card does
    gaps = layer_gaps(lesson.net, eta=lesson.learning_rate, sample=DEEP_NET_SAMPLE)
    fade, train = fading_experiment(lesson), training_experiment(lesson)
    depth = depth_experiment(lesson)  # chapter 5's r_1 / r_4, the one ratio of weights that changed (round 40)
    chapters = [opening_experiment(lesson).pushed, 1 / rock_experiment(lesson).distance_ratio,
                depth.deep.rel_change[0] / depth.deep.rel_change[-2], fade.first_over_last,
                fade.probe_first_over_last, 1 / BOOK_RATIO_SAID, 1 / train.ratio,
                1 / wayout_experiment(lesson).bars.by_key("sigmoid").ratio]
    assert [g.first_over_last for g in gaps.gaps] == pytest.approx(chapters, rel=1e-12)
    # chapter 8's epoch 0 is chapter 7's 1,000-digit figure, to the bit
    assert 1 / train.ratios[0] == fade.probe_first_over_last
    rows = [(fmt_ratio(g.first_over_last, g.figures), g.source) for g in gaps.gaps]
    said = [(("≈ " if g.about else "") + v, "Nielsen" if src == "nielsen" else str(number_of(src)))
            for (v, src), g in zip(rows, gaps.gaps)]
    assert said == CARD
    assert [g.cost for g in gaps.gaps] == ["cross-entropy", "quadratic"] + ["cross-entropy"] * 6  # the rock's alone
    assert [g.digits for g in gaps.gaps] == [1, 1, 1348, 1, 1000, 1000, 1000, 1000]
    assert gaps.gaps[6].epochs == train.window == (1, 64) and gaps.gaps[7].starts == 20 and gaps.gaps[1].steps == 12
    assert gaps.gaps[2].trained == 10 == depth.epochs
    assert all(g.first_over_last < 1 for g in gaps.gaps)  # every one puts layer 1 behind
    text = " ".join(rendered["default"].captions)
    assert text.endswith("The sigmoid net's layer 1 / layer 4 ratios so far: each compares another quantity, other "
                         "digits or another time.")
    assert "ratios so far" not in " ".join(rendered["relu-he"].captions)
    with pytest.raises(NetsimError, match="deep sigmoid net"):
        layer_gaps(load_lesson(LESSONS["relu-he"]).net)


def test_xavier_is_chapter_7s_start_between_hidden_layers(results: dict[str, FixedNetsResult]) -> None:
    """"with zero biases and Xavier's start (unchanged between hidden layers)": where n_in = n_out,
    Xavier's 2/(n_in + n_out) is chapter 7's 1/n_in, the same draw from the same generator."""
    r = results["default"]
    assert r.by_key("xavier").setting.init == "xavier-normal" and load_lesson(LESSONS["default"]).net.init == "nielsen"
    hidden = list(zip(r.sizes[1:-2], r.sizes[2:-1]))
    assert hidden and all(n_in == n_out for n_in, n_out in hidden)
    for n_in, n_out in hidden:
        xavier = WEIGHT_INITS["xavier-normal"](np.random.default_rng(0), n_in, n_out, 0.0)
        nielsen = WEIGHT_INITS["nielsen"](np.random.default_rng(0), n_in, n_out, 0.0)
        np.testing.assert_allclose(xavier, nielsen, rtol=1e-15)
    # where they differ (layer 1: 64 inputs, 30 outputs) the caption does not say "unchanged"
    assert 2 / (r.sizes[0] + r.sizes[1]) != 1 / r.sizes[0]


def test_speed_words() -> None:
    said = "Layer 1's speed over layer 4's, geometric mean over epochs 1 to 64: sigmoid 1/37; tanh 3.2 and ReLU 5"
    words = ("1/37", "3.2", "5")
    assert str(speed_verdict([0.32, 0.2], 4, (1, 64), *words, every_epoch=True, untrained_above=True)) == \
        said.replace("; tanh 3.2 and", ", tanh 3.2,") + (
            ": from epoch 1 on, tanh's and ReLU's layer 1 leads; at epoch 0, on averaged C, it was slower.")
    assert str(speed_verdict([0.32, 0.2], 4, (1, 64), *words, every_epoch=True)) == \
        said + ": from epoch 1 on, layer 1's is the larger."
    mean = speed_verdict([0.32, 0.2], 4, (1, 64), *words)
    assert str(mean) == said + ", where layer 1's is the larger on average."
    half = speed_verdict([0.5, 1.0], 4, (1, 64), *words)
    assert str(half).endswith(", where layer 1's is at least half of layer 4's.")
    slower = speed_verdict([3.0, 0.2], 4, (1, 64), *words)
    assert str(slower).endswith(", where layer 1's is still the smaller.")


def test_result_is_frozen(results: dict[str, FixedNetsResult]) -> None:
    r = results["default"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.seed = 3  # type: ignore[misc]
    with pytest.raises(ValueError):
        r.runs[0].accuracy[0] = 1.0
    with pytest.raises(NetsimError, match="net 'swish' is unknown"):
        r.by_key("swish")
    assert math.isnan(r.by_key("shallow").speed_ratio)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": (64, 30, 10)}, "need at least two hidden layers"),
        ({"sizes": (63, 30, 30, 10)}, "needs 64|need 64"),
        ({"sizes": (64, 30, 30, 9)}, "ten digits need 10"),
        ({"sizes": (64, 0, 30, 10)}, "layer size 0 must be at least 1"),
        ({"seed": -1}, "seed -1 must be"),
        ({"eta": 0.0}, "learning rate"),
        ({"epochs": 0}, "epochs = 0 must be"),
        ({"target_accuracy": 1.5}, "target_accuracy = 1.5"),
        ({"nets": ()}, "give at least one net"),
        ({"nets": (DEEP_RELU, DEEP_RELU)}, "must have different keys"),
        ({"nets": (Setting("x", "swish", "he", "zeros"),)}, "swish"),
    ],
)
def test_bad_input_raises(kwargs: dict, message: str) -> None:
    with pytest.raises(NetsimError, match=message):
        with_net(fixed_nets_train, {"epochs": 1, **kwargs})


def test_a_diverging_net_is_named() -> None:
    """sgd stops a run whose cost is no longer finite; the chapter's line says which net it was."""
    with pytest.raises(NetsimError, match=r"^the \w+ net: training diverged in epoch 1 with eta = 100.0"):
        fixed_nets_train(DEFAULT_NET, eta=100.0)
