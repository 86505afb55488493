"""Chapter 4, the rock on the slope: the experiment recomputed from netsim primitives, the numbers
on screen, the physics (the layer-1 rock moves much less in the sigmoid lesson), captions true
for both lessons, bad input and clip length."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from netsim.data import digits
from netsim.errors import NetsimError
from netsim.experiments.rock import RockResult, rock_on_slope
from netsim.network import Network
from scenes.lesson import LESSONS_DIR, Lesson, load_lesson
from scenes.rock import (
    MIN_STRETCH,
    SAMPLE,
    VANISHING_RATIO,
    RockOnSlope,
    e_note,
    nice_below,
    rock_for,
    tick_text,
)
from tests.conftest import dry_scene

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}

def rendered(name: str) -> RockOnSlope:
    """A dry-run render of the scene for a lesson (once per test session)."""
    return dry_scene("rock", LESSONS[name])


def lesson_net(lesson: Lesson) -> Network:
    return Network.create(lesson.sizes, activation=lesson.activation, output_activation="sigmoid",
                          init=lesson.init, bias_init=lesson.bias_init, seed=lesson.seed)


# ---------- the experiment, recomputed independently ----------

@pytest.mark.parametrize("name", list(LESSONS))
def test_slices_and_iterates_are_netsims_backward_pass(name: str) -> None:
    lesson = load_lesson(LESSONS[name])
    res = rock_for(lesson)
    net = lesson_net(lesson)
    data = digits()
    x, y = data.x[SAMPLE:SAMPLE + 1], data.y[SAMPLE:SAMPLE + 1]
    start = net.backward(x, y, "quadratic")
    assert res.cost0 == start.cost and res.cost_name == "quadratic"
    assert res.eta == lesson.learning_rate  # the lesson's eta, the same for both rocks
    assert (res.sizes, res.depth, res.label) == (tuple(lesson.sizes), len(lesson.sizes) - 1, int(data.labels[SAMPLE]))

    for rock, layer in ((res.first, 1), (res.last, len(lesson.sizes) - 1)):
        # the stated rule: in each layer, the weight with the largest |dC/dw| at the start
        g = np.abs(start.nabla_w[layer - 1])
        assert rock.layer == layer and g[rock.j, rock.k] == g.max()
        assert rock.steps == res.steps and rock.w[0] == net.weights[layer - 1][rock.j, rock.k]

        def cost_and_grad(w: float, layer: int = layer, j: int = rock.j, k: int = rock.k) -> tuple[float, float]:
            trial = net.copy()
            trial.weights[layer - 1][j, k] = w
            gr = trial.backward(x, y, "quadratic")
            return gr.cost, float(gr.nabla_w[layer - 1][j, k])

        def cost(w: float, layer: int = layer, j: int = rock.j, k: int = rock.k) -> float:
            trial = net.copy()
            trial.weights[layer - 1][j, k] = w
            return trial.cost(x, y, "quadratic")

        for i in range(rock.steps + 1):
            c, gr = cost_and_grad(float(rock.w[i]))
            assert rock.cost[i] == c and rock.grad[i] == gr  # the backward pass, bit for bit
            if i < rock.steps:
                assert rock.w[i + 1] == rock.w[i] - res.eta * gr  # exactly w <- w - eta dC/dw
            h = 1e-6
            fd = (cost(float(rock.w[i]) + h) - cost(float(rock.w[i]) - h)) / (2 * h)
            assert fd == pytest.approx(gr, rel=1e-4, abs=1e-9)
        # the drawn slice is the cost with only that weight changed, over w_0 +- half_width
        assert rock.curve_w[0] == pytest.approx(rock.w[0] - res.half_width)
        assert rock.curve_w[-1] == pytest.approx(rock.w[0] + res.half_width)
        for idx in (0, len(rock.curve_w) // 3, len(rock.curve_w) - 1):
            assert rock.curve_cost[idx] == pytest.approx(cost(float(rock.curve_w[idx])), rel=1e-12)
        assert rock.curve_w.min() <= rock.w.min() and rock.w.max() <= rock.curve_w.max()
    assert res.half_width == pytest.approx(1.25 * max(res.first.distance, res.last.distance))
    assert res.distance_ratio == res.last.distance / res.first.distance
    assert res.slope_ratio == abs(res.last.grad[0]) / abs(res.first.grad[0])


def test_the_first_layer_rock_barely_moves_in_the_sigmoid_net() -> None:
    res = rock_for(load_lesson(LESSONS["default"]))
    first, last = res.first, res.last
    assert res.distance_ratio > 100 and res.slope_ratio > 100
    assert first.distance < 0.01 * last.distance
    assert np.all(np.abs(first.grad) < 0.01 * np.abs(last.grad).min())
    # both rocks go downhill at every step (the layer-1 one by very little)
    assert np.all(np.diff(last.cost) < 0) and np.all(np.diff(first.cost) <= 0)
    assert first.cost[0] - first.cost[-1] < 1e-3 * (last.cost[0] - last.cost[-1])
    assert res.stretch in (100.0, 200.0, 500.0) and res.stretch <= res.slope_ratio


def test_relu_he_keeps_the_contrast_small() -> None:
    res = rock_for(load_lesson(LESSONS["relu-he"]))
    assert 1 < res.distance_ratio < VANISHING_RATIO and res.slope_ratio < MIN_STRETCH
    assert np.all(np.diff(res.last.cost) < 0) and np.all(np.diff(res.first.cost) < 0)


def test_helpers() -> None:
    assert [nice_below(v) for v in (0.9, 0.19, 3e-5, 1.0)] == [0.5, 0.1, 2e-5, 1.0]
    assert e_note(2.3357e-4) == ("2.34e-04", "2.34", -4, "0.000234") and e_note(0.13) is None
    assert tick_text(-5e-5) == "-5e-05" and tick_text(0.02) == "0.02" and tick_text(0.0) == "0"


def test_result_is_frozen() -> None:
    res = rock_on_slope(steps=1)
    assert isinstance(res, RockResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.eta = 1.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        res.first.w[0] = 0.0
    assert "quadratic cost" in res.description and "all else fixed" in res.description


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": 0}, "steps = 0 is out of range; allowed: 1 to 1000"),
        ({"steps": 2.5}, "steps 2.5 must be a whole number"),
        ({"steps": True}, "steps True must be a whole number"),
        ({"eta": 0.0}, "eta = 0.0 must be a finite number > 0"),
        ({"eta": -0.1}, "eta = -0.1 must be a finite number > 0"),
        ({"eta": math.nan}, "eta = nan must be a finite number > 0"),
        ({"eta": math.inf}, "eta = inf must be a finite number > 0"),
        ({"margin": 1.0}, "margin = 1.0 must be a finite number > 1"),
        ({"curve_points": 2}, "curve_points = 2 is out of range"),
        ({"sample": 5000}, "sample = 5000 is out of range"),
        ({"sizes": (64, 10)}, "need at least one hidden layer"),
        ({"sizes": (64, 30, 3)}, "ten digits need 10"),
        ({"sizes": (16, 30, 10)}, "the 8x8 digits need 64"),
        ({"activation": "swish"}, "activation 'swish' is unknown"),
    ],
)
def test_bad_input_raises(kwargs: dict, message: str) -> None:
    with pytest.raises(NetsimError, match=message.replace("(", r"\(").replace(")", r"\)")):
        rock_on_slope(**kwargs)


def test_a_layer_with_no_gradient_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ReLU net whose first hidden layer never fires has dC/dW_1 = 0: no rock there could move."""
    import netsim.experiments.rock as rock_module

    original = Network.create

    def dead(*args: object, **kw: object) -> Network:
        net = original(*args, **kw)
        net.weights[0][:] = -np.abs(net.weights[0])
        net.biases[0][:] = -1.0
        return net

    monkeypatch.setattr(rock_module.Network, "create", dead)
    with pytest.raises(NetsimError, match="every weight of layer 1 has dC/dw = 0 on digit #0"):
        rock_on_slope((64, 30, 30, 10), activation="relu", init="he", bias_init="zeros")


# ---------- the scene ----------

def expected_shown(scene: RockOnSlope) -> dict[str, float]:
    """Every number the scene should show, from the experiment (and the scene's own tick rule)."""
    res = rock_for(scene.lesson)
    exp: dict[str, float] = {
        "hidden_layers": res.depth - 1, "width": res.sizes[1], "last_layer": res.depth,
        "eta": res.eta, "steps": res.steps, "ratio": res.distance_ratio, "ratio_caption": res.distance_ratio,
    }
    devs = np.concatenate([res.first.curve_cost - res.cost0, res.last.curve_cost - res.cost0])
    c_half = 1.2 * float(np.abs(devs).max())
    w_tick = nice_below(0.9 * res.half_width)
    for name, rock in (("first", res.first), ("last", res.last)):
        for i in range(rock.steps + 1):
            exp[f"{name}.slope.{i}"] = float(rock.grad[i])
            exp[f"{name}.moved.{i}"] = float(rock.moved[i])
        for sign in (-1, 0, 1):
            exp[f"{name}.w_tick.{sign}"] = sign * w_tick
            exp[f"{name}.c_tick.{sign}"] = sign * nice_below(0.9 * c_half)
    notes = [abs(float(v)) for rock in (res.first, res.last) for vs in (rock.grad, rock.moved) for v in vs
             if e_note(float(v))]
    if notes:
        exp["e_note"] = notes[0]
    if res.slope_ratio >= MIN_STRETCH:
        exp["stretch"] = res.stretch
        exp["slope_ratio"] = res.slope_ratio
        for sign in (-1, 0, 1):
            exp[f"first_stretched.c_tick.{sign}"] = sign * nice_below(0.9 * c_half / res.stretch)
    return {k: float(v) for k, v in exp.items()}


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_are_the_experiment(name: str) -> None:
    scene = rendered(name)
    assert scene.shown == expected_shown(scene)


@pytest.mark.parametrize("name", list(LESSONS))
def test_clip_length(name: str) -> None:
    scene = rendered(name)
    assert 60.0 < scene.renderer.time < 150.0, scene.renderer.time


def test_captions_follow_what_was_measured() -> None:
    sigmoid = " ".join(rendered("default").captions)
    relu = " ".join(rendered("relu-he").captions)
    for words in ("barely moves", "the vanishing gradient, seen as a slope", "times upwards",
                  "favours layer 1", "different slowdown"):
        assert words in sigmoid, words
    for words in ("barely moves", "vanishing gradient, seen as", "times upwards"):
        assert words not in relu, words
    for words in ("moves too", "not tiny", "favours layer 1", "different slowdown"):
        assert words in relu, words
    assert "e-notation" in sigmoid


@pytest.mark.parametrize("name", list(LESSONS))
def test_chapter_starts_and_ends_on_the_background(name: str) -> None:
    scene = rendered(name)
    assert not scene.mobjects and not scene.foreground_mobjects, "end_chapter fades everything out"
    assert scene.header[0].text == "4.Therockontheslope"
    assert scene.header.get_left()[0] < -6.5 and scene.header.get_top()[1] > 3.6  # top left


@pytest.mark.parametrize("name", list(LESSONS))
def test_captions_never_overlap(name: str) -> None:
    scene = rendered(name)
    cues = scene.renderer.file_writer.subcaptions
    assert len(cues) >= 15 and all(c.content.strip() for c in cues)
    for earlier, later in zip(cues, cues[1:]):
        assert earlier.start < earlier.end <= later.start, (earlier.content, later.content)
    assert cues[-1].end.total_seconds() <= scene.renderer.time - 0.5
