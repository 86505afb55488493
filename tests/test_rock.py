"""Chapter 3, the rock on the slope: smoke renders, the numbers on screen, the physics of
the descent, the golden last frame, and bad input to the experiment."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from manim import tempconfig
from manim.utils.testing.frames_comparison import frames_comparison

from netsim.data import digits
from netsim.errors import NetsimError
from netsim.experiments.slope import SlopeResult, rock_on_slope
from netsim.network import Network
from scenes.lesson import LESSONS_DIR, Lesson, load_lesson
from scenes.rock import STEPS, RockOnSlope, slope_for

__module_test__ = "rock"

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
DRY = {"dry_run": True, "quality": "low_quality", "disable_caching": True}

_rendered: dict[str, RockOnSlope] = {}


def rendered(name: str) -> RockOnSlope:
    """A dry-run render of the scene for a lesson (once per test session)."""
    if name not in _rendered:
        with tempconfig(DRY):
            scene = RockOnSlope(lesson=load_lesson(LESSONS[name]))
            scene.render()
        _rendered[name] = scene
    return _rendered[name]


def lesson_net(lesson: Lesson) -> Network:
    return Network.create(lesson.sizes, activation=lesson.activation, output_activation="sigmoid",
                          init=lesson.init, bias_init=lesson.bias_init, seed=lesson.seed)


@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders(name: str) -> None:
    scene = rendered(name)
    assert scene.renderer.time > 30.0, "the clip should last at least 30 s"
    assert scene.renderer.time < 90.0, "the clip should last at most 90 s"


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_are_the_experiment(name: str) -> None:
    scene = rendered(name)
    res = slope_for(scene.lesson)
    expected: dict[str, float] = {"eta": res.eta, "steps": float(STEPS), "ratio": res.distance_ratio}
    for rock in (res.steep, res.plateau):
        expected[f"{rock.name}.distance"] = rock.distance
        for k in range(rock.steps + 1):
            expected[f"{rock.name}.w.{k}"] = float(rock.w[k])
            expected[f"{rock.name}.slope.{k}"] = float(rock.grad[k])
            if k < rock.steps:
                expected[f"{rock.name}.step.{k}"] = float(rock.step_sizes[k])
    assert scene.shown == expected


@pytest.mark.parametrize("name", list(LESSONS))
def test_iterates_are_real_gradient_descent(name: str) -> None:
    lesson = load_lesson(LESSONS[name])
    res = slope_for(lesson)
    # what the net and the weight are, recomputed from netsim primitives
    net = lesson_net(lesson)
    data = digits()
    x, y = data.x[:1], data.y[:1]
    a_prev = net.forward(x).activations[-2][0]
    i, j = int(data.labels[0]), int(np.argmax(a_prev))
    assert (res.output_neuron, res.hidden_neuron, res.sample_label) == (i, j, int(data.labels[0]))
    assert res.output_activation == "sigmoid" and res.hidden_activation == lesson.activation
    assert res.eta > 0

    def cost_and_grad(w: float) -> tuple[float, float]:
        trial = net.copy()
        trial.weights[-1][i, j] = w
        g = trial.backward(x, y, "quadratic")
        return g.cost, float(g.nabla_w[-1][i, j])

    def cost(w: float) -> float:
        trial = net.copy()
        trial.weights[-1][i, j] = w
        return trial.cost(x, y, "quadratic")

    for rock in (res.steep, res.plateau):
        assert rock.steps == STEPS
        for k in range(rock.steps):
            assert rock.w[k + 1] == rock.w[k] - res.eta * rock.grad[k]  # exactly the update rule
        for k in range(rock.steps + 1):
            c, g = cost_and_grad(float(rock.w[k]))
            assert rock.cost[k] == c and rock.grad[k] == g  # the backward pass, bit for bit
            h = 1e-5
            fd = (cost(float(rock.w[k]) + h) - cost(float(rock.w[k]) - h)) / (2 * h)
            assert fd == pytest.approx(g, rel=1e-5, abs=1e-9)


@pytest.mark.parametrize("name", list(LESSONS))
def test_steep_steps_dwarf_plateau_steps(name: str) -> None:
    res = slope_for(load_lesson(LESSONS[name]))
    steep, plateau = res.steep, res.plateau
    # downhill: both rocks lower the cost at every step
    assert np.all(np.diff(steep.cost) < 0) and np.all(np.diff(plateau.cost) < 0)
    assert steep.step_sizes[0] > 50 * plateau.step_sizes.max()
    assert res.distance_ratio > 20
    assert res.distance_ratio == steep.distance / plateau.distance
    # the plateau really is flat and the steep part really is steep
    steepest = np.abs(res.curve_grad).max()
    assert abs(plateau.grad[0]) < 0.02 * steepest
    assert abs(steep.grad[0]) > 0.5 * steepest
    # the curve is the cost, and its sampled slope agrees with the backward-pass gradient
    assert np.all(np.diff(res.curve_cost) < 0)
    numeric = np.gradient(res.curve_cost, res.curve_w)
    assert np.allclose(numeric[1:-1], res.curve_grad[1:-1], rtol=0.05, atol=1e-3 * steepest)
    assert res.curve_w[0] <= min(plateau.w.min(), steep.w.min())
    assert res.curve_w[-1] >= max(plateau.w.max(), steep.w.max())


def test_result_is_frozen() -> None:
    res = rock_on_slope(steps=1)
    assert isinstance(res, SlopeResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.eta = 1.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        res.steep.w[0] = 0.0
    assert "quadratic cost" in res.description and "all else fixed" in res.description


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": 0}, "steps = 0 must be between 1"),
        ({"steps": -3}, "steps = -3 must be between 1"),
        ({"steps": 2.5}, "must be a whole number"),
        ({"eta": 0.0}, "eta = 0.0 must be a finite number > 0"),
        ({"eta": -0.1}, "eta = -0.1 must be a finite number > 0"),
        ({"eta": math.nan}, "must be a finite number > 0"),
        ({"eta": math.inf}, "must be a finite number > 0"),
        ({"plateau_z": 0.0, "steep_z": -1.0}, "must be below steep_z"),
        ({"steep_z": 9.0}, "must lie inside z_window"),
        ({"z_window": (2.0, -2.0)}, "low < high"),
        ({"curve_points": 2}, "curve_points = 2"),
        ({"sample_index": 5000}, "sample_index = 5000"),
        ({"sizes": (64, 30, 3)}, "must start with 64 and end with 10"),
        ({"activation": "swish"}, "activation 'swish' is unknown"),
    ],
)
def test_bad_input_raises(kwargs: dict, message: str) -> None:
    with pytest.raises(NetsimError, match=message.replace("(", r"\(").replace(")", r"\)")):
        rock_on_slope(**kwargs)


class KeyPicture(RockOnSlope):
    """Every beat but the final fade: the chapter's key picture."""

    skip_end = True


@pytest.mark.parametrize("name", list(LESSONS))
def test_chapter_starts_and_ends_on_the_background(name: str) -> None:
    scene = rendered(name)
    assert not scene.mobjects and not scene.foreground_mobjects, "end_chapter fades everything out"
    assert scene.header[0][0].text == "Therockontheslope"
    assert scene.header.get_left()[0] < -6.5 and scene.header.get_top()[1] > 3.6  # top left


@pytest.mark.parametrize("name", list(LESSONS))
def test_captions_never_overlap(name: str) -> None:
    scene = rendered(name)
    cues = scene.renderer.file_writer.subcaptions
    assert len(cues) >= 10 and all(c.content.strip() for c in cues)
    for earlier, later in zip(cues, cues[1:]):
        assert earlier.start < earlier.end <= later.start, (earlier.content, later.content)
    # the key picture's caption is the last one, held about 2 s or more before the final fade
    hold = (cues[-1].end - cues[-1].start).total_seconds()
    assert hold >= 2.0 and cues[-1].end.total_seconds() <= scene.renderer.time - 0.8


@frames_comparison(base_scene=KeyPicture)
def test_rock_key_picture(scene: RockOnSlope) -> None:
    RockOnSlope.construct(scene)


@frames_comparison(base_scene=RockOnSlope)
def test_rock_last_frame(scene: RockOnSlope) -> None:
    RockOnSlope.construct(scene)
