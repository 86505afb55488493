"""Chapter 10, exploding gradients: smoke runs, the numbers on screen (against the experiment
and against independent float32/float64 arithmetic), bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from netsim.errors import NetsimError
from netsim.experiments.exploding import exploding
from netsim.linear import linear_net
from scenes.exploding import ExplodingGradients, experiment
from scenes.lesson import LESSONS_DIR
from tests.conftest import dry_scene

LESSON_FILES = ["default.toml", "relu-he.toml"]
SCALES = (1.5, 0.9, 0.5)


def _dry_run(lesson_file: str) -> ExplodingGradients:
    """The suite's shared dry run of the chapter on a lesson file."""
    return dry_scene("exploding", LESSONS_DIR / lesson_file)


@pytest.fixture(scope="module", params=LESSON_FILES)
def rendered(request: pytest.FixtureRequest) -> ExplodingGradients:
    """A dry-run render of the scene for each lesson."""
    return _dry_run(request.param)


def _first_layer_where(scale: float, test: str, dtype: type = np.float64) -> int:
    """Multiply 1.0 by ``scale`` in ``dtype`` until it is inf ("inf") or 0 ("zero"); return n."""
    v, n = dtype(1.0), 0
    with np.errstate(over="ignore", under="ignore"):
        while n < 10_000:
            v = v * dtype(scale)
            n += 1
            if (test == "inf" and np.isinf(v)) or (test == "zero" and v == 0):
                return n
    raise AssertionError("never reached")


def _float32_nan_layer(scale: float) -> int:
    """Run a = (s I) a in float32 from x = (1, 1) until a unit is NaN; return the layer."""
    w = (scale * np.eye(2)).astype(np.float32)
    a = np.ones(2, dtype=np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in range(1, 10_000):
            a = w @ a
            if np.isnan(a).any():
                return layer
    raise AssertionError("never reached")


def test_dry_run_plays_every_beat(rendered: ExplodingGradients) -> None:
    assert len(rendered.captions) == 20
    assert all(c.strip() for c in rendered.captions)
    assert 120 <= rendered.time <= 175, f"clip lasts {rendered.time:.1f} s"
    assert not rendered.mobjects  # end_chapter faded everything out


def test_captions_use_nielsens_notation(rendered: ExplodingGradients) -> None:
    text = " ".join(rendered.captions)
    for stale in ("W^[", "y_hat", "ŷ", "g(z)", "a_l[0]", "[0]"):
        assert stale not in text
    assert "purely linear" in text and "σ(z) = z" in text and "b = 0" in text
    assert "W transposed: δ_(l-1) = W_l^T δ_l" in text
    assert "singular values, not its entries" in text
    assert "float32 overflows at layer 219" in text and "from layer 150 on float32" in text
    assert "Training fails long before any number overflows" in text and "W^T stretches as much as W" in text
    # nothing on screen is NaN: float32's NaN layer is marked "overflow"
    flat = [v for val in rendered.shown.values() for v in (val if isinstance(val, list) else [val])]
    assert not any(isinstance(v, float) and math.isnan(v) for v in flat)


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


def test_float32_limits_come_from_the_flags(rendered: ExplodingGradients) -> None:
    shown = rendered.shown
    assert shown["overflow_layer"] == 219 == _first_layer_where(1.5, "inf", np.float32)
    assert shown["underflow_layer"] == 150 == _first_layer_where(0.5, "zero", np.float32)
    assert shown["nan_layer"] == 220 == _float32_nan_layer(1.5)
    with np.errstate(over="ignore", under="ignore"):
        assert np.isinf(np.float32(1.5) ** 219) and np.isfinite(np.float32(1.5) ** 218)
    assert math.isinf(shown["deep_value_0"]) and shown["deep_value_0"] > 0
    assert shown["deep_value_2"] == 0.0
    assert shown["deep_value_1"] == pytest.approx(0.9**300, rel=1e-5)
    assert shown["deep_true_log10_0"] == pytest.approx(300 * math.log10(1.5), abs=1e-9)
    assert shown["deep_true_log10_2"] == pytest.approx(-300 * math.log10(2), abs=1e-9)
    assert "deep_true_log10_1" not in shown
    assert shown["float32_max"] == float(np.finfo(np.float32).max)
    assert shown["float32_min"] == pytest.approx(1.4e-45, rel=0.01)
    assert shown["deep_panel_layer"] == 300
    # the float64 footnote
    assert shown["float64_overflow_layer"] == 1751 == _first_layer_where(1.5, "inf")
    assert shown["float64_underflow_layer"] == 1075 == _first_layer_where(0.5, "zero")
    with np.errstate(over="ignore", under="ignore"):
        assert np.isinf(np.float64(1.5) ** 1751) and np.isfinite(np.float64(1.5) ** 1750)
        assert np.float64(0.5) ** 1075 == 0 and np.float64(0.5) ** 1074 > 0
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
        assert deep[-1] == 300
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
        assert shown[f"deep_value_{i}"] == c.f32_value
        assert shown[f"step_{i}"] == c.first_step
    assert shown["overflow_layer"] == r.case(1.5).f32_overflow_layer
    assert shown["underflow_layer"] == r.case(0.5).f32_underflow_layer
    assert shown["nan_layer"] == r.case(1.5).f32_nan_layer
    assert shown["float64_overflow_layer"] == r.case(1.5).overflow_layer
    assert shown["float64_underflow_layer"] == r.case(0.5).underflow_layer
    assert shown["eta"] == r.eta == 0.1
    assert shown["example_value"] == r.example.value
    assert shown["example_singular_values"] == list(r.example.singular_values)


def test_singular_values_decide_not_entries() -> None:
    ex = exploding().example
    w = np.full((2, 2), 0.9)
    assert ex.weight == ((0.9, 0.9), (0.9, 0.9)) and np.all(w < 1)
    np.testing.assert_allclose(ex.singular_values, np.linalg.svd(w, compute_uv=False), atol=1e-12)
    assert ex.singular_values == (1.8, 0.0)
    a = np.ones(2)
    for _ in range(10):
        a = w @ a
    assert ex.value == pytest.approx(a[0], rel=1e-12) and ex.value == pytest.approx(1.8**10, rel=1e-12)
    # W = 1.5 I stretches every direction by 1.5; W^T has the same singular values as W
    np.testing.assert_allclose(np.linalg.svd(1.5 * np.eye(2), compute_uv=False), [1.5, 1.5])
    np.testing.assert_allclose(np.linalg.svd(w.T, compute_uv=False), ex.singular_values, atol=1e-12)


def test_one_step_is_eta_times_the_layer_1_gradient() -> None:
    r = exploding()
    for c in r.cases:
        # dC/dW_1[1, 1] = delta_1[1] x_1 = s^(L-1) for C = the sum of the outputs, x = (1, 1)
        assert c.first_step == pytest.approx(0.1 * c.scale**149, rel=1e-12)
    assert f"{r.case(1.5).first_step:.2e}" == "1.73e+25"


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
    for c in r.cases:
        f32 = linear_net(c.scale, 300, dtype=np.float32)
        assert f32.activations.dtype == np.float32 and not np.isnan(f32.activations).any()
        assert (c.f32_overflow_layer, c.f32_underflow_layer, c.f32_nan_layer) == (
            f32.forward_overflow_layer, f32.forward_underflow_layer, f32.forward_nan_layer)
        np.testing.assert_allclose(c.f32_log10_unit, np.arange(301) * math.log10(c.scale), atol=1e-9)
    assert r.case(0.9).f32_limit_layer is None
    assert r.case(1.5).f32_limit_layer == 219 and r.case(0.5).f32_limit_layer == 150


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
        ({"f32_depth": 100}, "f32_depth 100"),
    ],
)
def test_bad_input_raises_netsim_error(kwargs: dict, message: str) -> None:
    with pytest.raises(NetsimError, match=message):
        exploding(**kwargs)
