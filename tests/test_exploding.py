"""Chapter 9, exploding gradients: smoke runs, the numbers on screen, golden frames, bad input."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from manim import tempconfig
from manim.utils.testing.frames_comparison import frames_comparison

from netsim.errors import NetsimError
from netsim.experiments.exploding import exploding
from netsim.linear import linear_net
from scenes.exploding import ExplodingGradients, experiment
from scenes.lesson import LESSONS_DIR, Lesson, load_lesson

__module_test__ = "exploding"

LESSON_FILES = ["default.toml", "relu-he.toml"]
SCALES = (1.5, 0.9, 0.5)
#: frames_comparison compiles LaTeX and Pango text into a fresh tmp dir per test; sharing the
#: project's caches (keyed by content hash) keeps the two golden tests fast.
CACHES = {"tex_dir": str(Path(__file__).resolve().parents[1] / "media" / "Tex"),
          "text_dir": str(Path(__file__).resolve().parents[1] / "media" / "texts")}


def _dry_run(lesson: Lesson) -> ExplodingGradients:
    with tempconfig({"dry_run": True, "quality": "low_quality", "disable_caching": True}):
        scene = ExplodingGradients(lesson=lesson)
        scene.render()
    return scene


@pytest.fixture(scope="module", params=LESSON_FILES)
def rendered(request: pytest.FixtureRequest) -> ExplodingGradients:
    """A dry-run render of the scene for each lesson."""
    return _dry_run(load_lesson(LESSONS_DIR / request.param))


def _first_layer_where(scale: float, test: str) -> int:
    """Multiply 1.0 by ``scale`` in float64 until it is inf ("inf") or 0 ("zero"); return n."""
    v, n = np.float64(1.0), 0
    with np.errstate(over="ignore", under="ignore"):
        while n < 10_000:
            v = v * np.float64(scale)
            n += 1
            if (test == "inf" and np.isinf(v)) or (test == "zero" and v == 0):
                return n
    raise AssertionError("never reached")


def test_dry_run_plays_every_beat(rendered: ExplodingGradients) -> None:
    assert len(rendered.captions) == 14
    assert all(c.strip() for c in rendered.captions)
    assert 30 <= rendered.time <= 90
    assert not rendered.mobjects  # end_chapter faded everything out


def test_storyboard_numbers_are_exact(rendered: ExplodingGradients) -> None:
    shown = rendered.shown
    assert shown["scales"] == list(SCALES)
    assert shown["x"] == [1.0, 1.0]
    # 1.5^10 is exact in float64; 1.5^150 about 2.59e26 (repeated products, to rounding)
    assert shown["value_10_0"] == 1.5**10 == 57.6650390625
    assert shown["value_150_0"] == pytest.approx(1.5**150, rel=1e-13)
    assert f"{shown['value_150_0']:.2e}" == "2.59e+26"
    assert shown["value_10_1"] == pytest.approx(0.9**10, rel=1e-13)
    assert shown["value_150_1"] == pytest.approx(0.9**150, rel=1e-12)
    assert shown["value_10_2"] == 0.5**10 and shown["value_150_2"] == 0.5**150
    assert [shown[f"first_2_{l}"] for l in (1, 2, 3)] == [1 / 2, 1 / 4, 1 / 8]
    assert [shown[f"first_0_{l}"] for l in (1, 2, 3)] == [1.5, 2.25, 3.375]
    assert shown["mark_0"] == 10 and shown["mark_1"] == 150
    # back prop from C = sum of outputs: delta_1[0] = s^(L-1) for L = 150
    for i, s in enumerate(SCALES):
        assert shown[f"delta_1_{i}"] == pytest.approx(s**149, rel=1e-12)


def test_float64_limits_come_from_the_flags(rendered: ExplodingGradients) -> None:
    shown = rendered.shown
    assert shown["overflow_layer"] == 1751 == _first_layer_where(1.5, "inf")
    assert shown["underflow_layer"] == 1075 == _first_layer_where(0.5, "zero")
    with np.errstate(over="ignore", under="ignore"):
        assert np.isinf(np.float64(1.5) ** 1751) and np.isfinite(np.float64(1.5) ** 1750)
        assert np.float64(0.5) ** 1075 == 0 and np.float64(0.5) ** 1074 > 0
    assert math.isinf(shown["deep_value_0"]) and shown["deep_value_0"] > 0
    assert shown["deep_value_2"] == 0.0
    assert shown["deep_value_1"] == pytest.approx(0.9**2000, rel=1e-10)
    assert shown["deep_true_log10_0"] == pytest.approx(2000 * math.log10(1.5), abs=1e-9)
    assert math.floor(shown["deep_true_log10_0"]) == 352
    assert shown["deep_true_log10_2"] == pytest.approx(-2000 * math.log10(2), abs=1e-9)
    assert "deep_true_log10_1" not in shown
    assert shown["float64_max"] == np.finfo(np.float64).max
    assert shown["float64_min"] == 5e-324
    assert shown["deep_panel_layer"] == 2000
    # nothing on screen is NaN
    flat = [v for val in shown.values() for v in (val if isinstance(val, list) else [val])]
    assert not any(isinstance(v, float) and math.isnan(v) for v in flat)


def test_plotted_lines_are_straight_on_a_log_axis(rendered: ExplodingGradients) -> None:
    shown = rendered.shown
    for i, s in enumerate(SCALES):
        layers = np.array(shown[f"line_layers_{i}"])
        assert layers[0] == 0 and layers[-1] == 150
        np.testing.assert_allclose(shown[f"line_{i}"], layers * math.log10(s), atol=1e-9)
        back = np.array(shown[f"back_line_layers_{i}"])
        assert back[0] == 1 and back[-1] == 150
        np.testing.assert_allclose(shown[f"back_line_{i}"], (150 - back) * math.log10(s), atol=1e-9)
        deep = np.array(shown[f"deep_line_layers_{i}"])
        assert deep[-1] == 2000
        np.testing.assert_allclose(shown[f"deep_line_{i}"], deep * math.log10(s), atol=1e-8)
    # physics: above 1 grows with depth, below 1 shrinks; gradients mirror the values
    assert np.all(np.diff(shown["line_0"]) > 0)
    assert np.all(np.diff(shown["line_1"]) < 0) and np.all(np.diff(shown["line_2"]) < 0)
    assert shown["value_150_0"] > shown["value_10_0"] > 1 > shown["value_10_1"] > shown["value_150_1"]
    assert shown["delta_1_0"] > 1e25 and shown["delta_1_2"] < 1e-44
    # tick labels cover the plotted values
    for key, lines in (("plot", ("line_0", "line_2")), ("deep", ("deep_line_0", "deep_line_2"))):
        ticks = shown[f"{key}_y_ticks"]
        assert 0.0 in ticks
        assert min(shown[lines[1]]) >= ticks[0] - 200 and max(shown[lines[0]]) <= ticks[-1] + 200


def test_shown_equals_the_experiment(rendered: ExplodingGradients) -> None:
    shown, r = rendered.shown, experiment(rendered.lesson)
    assert r == exploding()  # the chapter does not depend on the lesson's net
    for i, c in enumerate(r.cases):
        assert shown[f"value_10_{i}"] == c.mark_values[0]
        assert shown[f"value_150_{i}"] == c.mark_values[1]
        assert shown[f"delta_1_{i}"] == c.delta_1
        assert [shown[f"first_{i}_{l}"] for l in (1, 2, 3)] == list(c.first_values)
        assert shown[f"deep_value_{i}"] == c.deep_value
    assert shown["overflow_layer"] == r.case(1.5).overflow_layer
    assert shown["underflow_layer"] == r.case(0.5).underflow_layer


def test_experiment_matches_linear_net() -> None:
    r = exploding()
    for c in r.cases:
        net = linear_net(c.scale, 150)
        np.testing.assert_array_equal(c.log10_norms, net.log10_activation_norms)
        np.testing.assert_allclose(c.log10_unit, net.log10_activation_norms - math.log10(math.sqrt(2)), atol=1e-12)
        assert c.grad_w_1 == pytest.approx(2 * c.scale**149, rel=1e-12)
        # ||dC/dW_l|| = ||delta_l|| ||a_(l-1)|| is the same at every layer when W = s I
        np.testing.assert_allclose(c.log10_grad_w_norms, math.log10(2) + 149 * math.log10(c.scale), atol=1e-9)
    assert r.case(1.5).backward_overflow_layer == 2000 - 1751
    assert r.case(0.5).backward_underflow_layer == 2000 - 1075
    assert r.case(0.9).limit_layer is None and r.case(0.9).limit_true_log10 is None
    assert r.case(1.5).limit_true_log10 > r.log10_float64_max
    assert r.case(0.5).limit_true_log10 < r.log10_float64_min


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scales": []}, "at least one scale"),
        ({"scales": [0.0]}, "above 0"),
        ({"scales": [float("inf")]}, "finite number"),
        ({"scales": [float("nan")]}, "finite number"),
        ({"scales": ["1.5"]}, "must be a number"),
        ({"scales": [1.5, 1.5]}, "must all differ"),
        ({"depth": 2}, "at least 3"),
        ({"depth": 10.5}, "whole number"),
        ({"deep_depth": 100}, "at least depth"),
        ({"deep_depth": 10**6}, "above the limit"),
        ({"marks": [0]}, "from 1 to depth"),
        ({"marks": [151]}, "from 1 to depth"),
        ({"marks": []}, "at least one layer"),
        ({"x": (0.0, 1.0)}, "must not be 0"),
        ({"x": (1.0, float("nan"))}, "finite numbers"),
    ],
)
def test_bad_input_raises_netsim_error(kwargs: dict, message: str) -> None:
    with pytest.raises(NetsimError, match=message):
        exploding(**kwargs)


@frames_comparison(base_scene=ExplodingGradients, **CACHES)
def test_exploding_key_picture(scene: ExplodingGradients) -> None:
    scene.skip_end = True
    ExplodingGradients.construct(scene)


@frames_comparison(base_scene=ExplodingGradients, **CACHES)
def test_exploding_last_frame(scene: ExplodingGradients) -> None:
    ExplodingGradients.construct(scene)
