"""Chapter 9, exploding gradients: smoke runs, the numbers on screen and in the captions
(against the experiment and against independent float32/float64 arithmetic), the words the
numbers justify, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from netsim.chain import chain_factors, chain_network
from netsim.errors import NetsimError
from netsim.experiments.exploding import bounded_example, exploding, stretch_example
from netsim.linear import linear_net
from scenes.engine.lesson import LESSONS_DIR
from scenes.engine.style import fmt_value, log_ticks
from scenes.exploding import ExplodingGradients, experiment, y_range
from tests.conftest import dry_scene

LESSON_FILES = ["default.toml", "relu-he.toml"]
#: The chapter's ceiling (English dry run, seconds), and the captions' characters that fill it
#: at the engine's 14 characters a second.
CEILING_S = 83.0
CAPTION_CHARS = int(CEILING_S * 14)


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
    assert len(rendered.captions) == 8
    assert all(c.strip() for c in rendered.captions)
    assert 65 <= rendered.time <= CEILING_S, f"clip lasts {rendered.time:.1f} s"
    assert sum(len(c) for c in rendered.captions) <= CAPTION_CHARS
    assert not rendered.mobjects  # end_chapter faded everything out


def test_captions_use_the_episodes_notation(rendered: ExplodingGradients) -> None:
    text = " ".join(rendered.captions)
    # g is the general activation (sigma is the sigmoid only, said only of the bounded chain); derivatives with ∂
    assert "g(z) = z" in text and "b = 0" in text
    assert [i for i, c in enumerate(rendered.captions) if "σ" in c] == [6] and "With σ" in rendered.captions[6]
    assert "dC/" not in text and "∂C/∂a_L = (1, 1)" in text
    for stale in ("singular", "W^[", "ŷ", "[0]", "sigma", "eta"):
        assert stale not in text
    # W^T said in words on screen where it is used; the cost named, so that dC/da_L = (1, 1) is exact
    # (no "per unit of output error": (1, 1) has length sqrt 2)
    assert "W^T, here W itself" in text
    assert rendered.back_label[1][1].original_text == "W with rows and\ncolumns swapped"
    assert "With C the sum of the outputs, ∂C/∂a_L = (1, 1)." in text
    assert "per unit" not in text.lower()
    # float32 and inf get their words; the NaN its reason
    assert "float32 tops out near" in text
    assert _words(rendered.key_picture).count("float32 (32-bit numbers):") == 1
    # the linear net's a_l overflows; the bounded chain's δ_l is the gradient that does (NaN: on screen)
    assert "the linear net's a_l passes it at layer 219 (inf), the sigmoid chain's δ_l 29 layers back." in text
    assert "NaN" not in text and _words(rendered.key_picture).count("NaN at layer 220:") == 1
    assert _words(rendered.key_picture).count("NaN: not a number") == 1
    # chapter 6 explained e-notation and log scales: not again here
    assert "× 10" not in text and "each step" not in text and "e-notation" not in text
    # float32 in one beat; where float64 overflows is on screen only (one beat, not a second topic)
    assert sum("float32" in c for c in rendered.captions) == 1
    assert not any("float64" in c for c in rendered.captions)


def test_captions_say_the_experiments_numbers(rendered: ExplodingGradients) -> None:
    r, caps = experiment(rendered.lesson), rendered.captions
    assert "s = " + ", ".join(fmt_value(s) for s in r.scales[:2]) + f" or {fmt_value(r.scales[2])}" in caps[1]
    m1 = r.marks[-1]
    last = ", ".join(fmt_value(c.mark_values[-1]) for c in r.cases)
    assert f"After {m1} layers: {last}." in caps[2]
    assert "152" not in caps[2]  # no aside on residual nets before chapter 12 teaches them
    assert m1 <= 152
    assert f"x = ({fmt_value(r.x[0])}, {fmt_value(r.x[1])})" in caps[1]
    ex = r.example
    assert (f"this W, all entries {fmt_value(ex.entry)}, still stretches (1, 1) by {fmt_value(ex.stretch)}, "
            f"squashes (1, −1) to {fmt_value(ex.across_stretch)}.") in caps[3]
    # W = s I: δ_l shrinks as a_(l-1) grows, so every layer's ‖∂C/∂W_l‖ is layer 1's, as the caption says
    assert all(fmt_value(10.0 ** v) == fmt_value(c.grad_w_1) for c in r.cases for v in c.log10_grad_w_norms)
    assert "each weight gradient δ_l a_(l−1) has one size" in caps[5]
    assert rendered.shown["every_layer_same_gradient"] == 1.0
    # the same size at every layer: the toy shows a wrong scale, not one layer lagging another; why, in the
    # caption (δ_l = s^(L-l) (1, 1) and a_(l-1) = s^(l-1) x), the sizes in the panel
    # δ_l itself does differ by layer: the caption says the weight gradients agree, and why (the a's offset
    # δ); the next beat shows a bounded a, which cannot offset it
    # and it ties the toy to chapter 6's one definition: δ_l explodes or vanishes layer by layer as there,
    # while a_(l-1) offsets it (round 38 lecturer: "no layer lags, yet all vanish" read as a second meaning)
    assert ("Toward the input, δ_l changes by s per layer, exploding or vanishing as in chapter 6, and a_(l−1) by "
            "1/s: each weight gradient δ_l a_(l−1) has one size, far too big or too small.") in caps[5]
    b = r.bounded
    assert max(c.scale for c in r.cases) == 1.5
    assert (f"For s = 1.5, a_l grows too. With σ and every w = {fmt_value(b.weight)}, b = {fmt_value(b.bias)}, "
            f"a_0 = {fmt_value(b.input)}, a_l would stay {fmt_value(b.activation)}, δ_l grow "
            f"{fmt_value(b.factor)}-fold a layer: a knife-edge.") in caps[6]
    for c in r.cases:
        logs = np.asarray(c.log10_grad_w_norms)
        assert np.allclose(logs, logs[0], atol=1e-9)  # exactly s^(L-1) ‖(1, 1)(1, 1)^T‖ at every layer
    c = r.case(1.5)
    assert (f"tops out near {fmt_value(r.float32_max)}: the linear net's a_l passes it at layer "
            f"{c.f32_overflow_layer} (inf), the sigmoid chain's δ_l {b.f32_overflow_back} layers back.") in caps[7]
    assert "float64" not in caps[7]  # the screen says where float64 overflows; the caption leaves it there


def test_the_nan_and_its_reason_are_true() -> None:
    """"NaN at layer 220" on screen, with 1.5 × inf + 0 × inf = NaN: in float32, a_219 is (inf, inf)
    (both numbers past the largest float32), and the next layer's first number is
    1.5 × inf + 0 × inf, where 0 × inf is NaN and 1.5 × inf is inf."""
    r = exploding()
    c = r.case(1.5)
    assert c.f32_nan_layer == c.f32_overflow_layer + 1  # the layer right after the overflow
    f32 = np.float32
    big = f32(1.5) ** (c.f32_overflow_layer - 1)
    assert np.isfinite(big)
    with np.errstate(over="ignore", invalid="ignore"):
        inf = big * f32(1.5)
        assert np.isinf(inf) and inf > 0  # "a_l passes it ... and is written inf"
        assert np.isnan(f32(0.0) * inf) and np.isinf(f32(1.5) * inf)
        assert np.isnan(f32(1.5) * inf + f32(0.0) * inf)
    # W = 1.5 I has zeros off its diagonal ("W's zeros")
    w = c.scale * np.eye(2)
    assert w[0, 1] == w[1, 0] == 0.0 and w[0, 0] == c.scale
    # "tops out near 3.40e+38": the largest float32, and float32 is 32 bits
    assert r.float32_max == float(np.finfo(np.float32).max) and np.finfo(np.float32).bits == 32


def test_the_words_match_the_numbers(rendered: ExplodingGradients) -> None:
    """"explode/vanish", "far too big ... or too small", "stretches" and "straight line" are what the
    numbers show."""
    r, shown = experiment(rendered.lesson), rendered.shown
    big, *small = r.cases
    assert big.scale > 1 > max(c.scale for c in small)
    assert big.grad_w_1 > 1e20 and all(c.grad_w_1 < 1e-6 for c in small)  # far too big, or too small
    # the example: every entry below 1 ("still"), yet W (1, 1) = stretch (1, 1) with a stretch above 1
    # ("stretches"), and W (1, -1) = across_stretch (1, -1) with across_stretch below 1 ("squashes")
    ex = r.example
    assert all(abs(v) < 1 for row in ex.weight for v in row) and ex.stretch > 1
    assert ex.image == tuple(ex.stretch * v for v in ex.vector)
    assert ex.vector == (1.0, 1.0) and ex.across == (1.0, -1.0)
    assert ex.across_stretch is not None and 0 <= ex.across_stretch < 1
    assert ex.across_image == tuple(ex.across_stretch * v for v in ex.across)
    # "here W itself": the example's W and every s I equal their transposes
    assert ex.weight == tuple(zip(*ex.weight))
    # "gradients grow or shrink alike": the dashed lines have the solid lines' slope, log10 s per layer
    for i, c in enumerate(r.cases):
        np.testing.assert_allclose(np.diff(shown[f"back_line_{i}"]) / np.diff(shown[f"back_line_layers_{i}"]),
                                   -math.log10(c.scale), atol=1e-9)
    # straight lines on the log axis: each layer adds the same log10 s
    for i, c in enumerate(r.cases):
        np.testing.assert_allclose(np.diff(shown[f"line_{i}"]) / np.diff(shown[f"line_layers_{i}"]),
                                   math.log10(c.scale), atol=1e-12)
    # float32 gives up before float64 does, and NaN follows inf
    assert big.f32_overflow_layer < big.f32_nan_layer < big.overflow_layer


def test_storyboard_numbers_are_exact(rendered: ExplodingGradients) -> None:
    shown = rendered.shown
    assert shown["scales"] == [1.5, 0.9, 0.5]
    assert shown["x"] == [1.0, 1.0]
    # 1.5^10 is exact in float64; 1.5^150 about 2.59e26 (repeated products, to rounding)
    assert shown["value_150_0"] == pytest.approx(1.5**150, rel=1e-13)
    assert shown["value_150_1"] == pytest.approx(0.9**150, rel=1e-12)
    assert shown["value_150_2"] == 0.5**150
    assert [shown[f"first_2_{l}"] for l in (1, 2, 3)] == [1 / 2, 1 / 4, 1 / 8]
    assert [shown[f"first_0_{l}"] for l in (1, 2, 3)] == [1.5, 2.25, 3.375]
    assert shown["mark_0"] == 150 and "mark_1" not in shown
    # C = the sum of the outputs, x = (1, 1): dC/dW_1 = delta_1 x^T with delta_1 = s^149 (1, 1), size 2 s^149
    for i, s in enumerate((1.5, 0.9, 0.5)):
        assert shown[f"grad_w_1_{i}"] == pytest.approx(2 * s**149, rel=1e-12)
    assert shown["example_value"] == pytest.approx(1.8**10, rel=1e-12)


def test_float_limits_come_from_the_flags(rendered: ExplodingGradients) -> None:
    shown = rendered.shown
    assert shown["float32_overflow_layer"] == 219 == _first_layer_where(1.5, "inf", np.float32)
    assert shown["float32_nan_layer"] == 220 == _float32_nan_layer(1.5)
    assert shown["float64_overflow_layer"] == 1751 == _first_layer_where(1.5, "inf")
    with np.errstate(over="ignore"):
        assert np.isinf(np.float32(1.5) ** 219) and np.isfinite(np.float32(1.5) ** 218)
        assert np.isinf(np.float64(1.5) ** 1751) and np.isfinite(np.float64(1.5) ** 1750)
    assert shown["float32_max"] == float(np.finfo(np.float32).max)
    # the plotted line is the exact size, past where float32 gave up
    layers = np.array(shown["float_line_layers"])
    assert layers[-1] == shown["float_depth"] == 300
    np.testing.assert_allclose(shown["float_line"], layers * math.log10(1.5), atol=1e-8)
    # nothing on screen is NaN
    flat = [v for val in shown.values() for v in (val if isinstance(val, list) else [val])]
    assert not any(isinstance(v, float) and math.isnan(v) for v in flat)


def test_log_axes_label_every_decade_step(rendered: ExplodingGradients) -> None:
    """Tick labels are 10^k at one step (style.log_ticks'), and the axes cover the plotted lines."""
    shown = rendered.shown
    for key, lines in (("plot", ("line_0", "line_1", "line_2", "back_line_0", "back_line_2")),
                       ("float", ("float_line",))):
        ticks = shown[f"{key}_y_ticks"]
        steps = set(np.diff(ticks))
        assert len(steps) == 1 and 0.0 in ticks
        values = [v for name in lines for v in shown[name]]
        assert ticks[0] <= min(values) + 1e-9 and max(values) <= ticks[-1] + 1e-9
    assert y_range(-45.2, 26.4) == (-50, 30, list(range(-50, 31, 10)))
    step = log_ticks(-46, 27)[1] - log_ticks(-46, 27)[0]
    assert step == 10


def test_shown_equals_the_experiment(rendered: ExplodingGradients) -> None:
    shown, r = rendered.shown, experiment(rendered.lesson)
    assert r == exploding()  # the chapter does not depend on the lesson's net
    for i, c in enumerate(r.cases):
        assert shown[f"value_150_{i}"] == c.mark_values[-1] == shown[f"caption_value_150_{i}"]
        assert shown[f"grad_w_1_{i}"] == c.grad_w_1 and f"caption_grad_w_1_{i}" not in shown  # the panel says it
        assert [shown[f"first_{i}_{l}"] for l in (1, 2, 3)] == list(c.first_values)
        assert shown[f"caption_scale_{i}"] == c.scale
    c = r.case(1.5)
    assert shown["float32_overflow_layer"] == c.f32_overflow_layer
    assert shown["float32_nan_layer"] == c.f32_nan_layer
    assert shown["float64_overflow_layer"] == c.overflow_layer
    assert shown["example_value"] == r.example.value  # on screen, under the matrix: the picture says it
    assert shown["example_stretch"] == r.example.stretch == shown["caption_stretch"]
    assert shown["example_entry"] == r.example.entry == shown["caption_entry"]
    assert shown["example_across_stretch"] == r.example.across_stretch == shown["caption_across_stretch"]
    assert shown["example_layer"] == r.example.layer
    # the example's own line: log10 of its first number for l = 0 .. layer, ending at the value said
    assert shown["example_line"] == list(r.example.log10_unit)
    assert len(shown["example_line"]) == r.example.layer + 1
    assert shown["example_line"][-1] == pytest.approx(math.log10(r.example.value), abs=1e-12)
    assert [shown["caption_x_0"], shown["caption_x_1"]] == list(r.x[:2])
    assert shown["float32_max"] == r.float32_max == shown["caption_float32_max"]
    for key in ("weight", "bias", "input", "activation", "factor", "f32_overflow_back"):
        assert shown[f"bounded_{key}"] == getattr(r.bounded, key) == shown[f"caption_bounded_{key}"]
    assert shown["bounded_target"] == r.bounded.target  # on screen only, with the cost it belongs to
    # the knife-edge drawn on the 150-layer axis: a_l flat at 0.5, δ_l from the output leftwards,
    # 25-fold (log10 25 = 1.398) a layer, until it leaves the plot's top at 10^30
    assert shown["bounded_a_line"] == [math.log10(0.5)] * 2
    layers, line = shown["bounded_delta_line_layers"], shown["bounded_delta_line"]
    assert layers[0] == r.depth == r.bounded.layers and line[0] == pytest.approx(math.log10(0.125))
    np.testing.assert_allclose(np.diff(line[:-1]), math.log10(25.0), rtol=1e-9)
    assert line[-1] == 30 and 125 < layers[-1] < 130 and all(v < 30 for v in line[:-1])


def test_bounded_chain_keeps_a_while_delta_grows() -> None:
    """"With σ and every w = 100, b = −50, a_0 = 0.5: a_l stays 0.5 while δ_l grows 25-fold a layer",
    checked by hand: z = 100 * 0.5 - 50 = 0 at every layer, σ(0) = 1/2, σ'(0) = 1/4, and the chain's
    back prop (C = ½(a_L − y)², y = 0) gives δ_(l−1) / δ_l = w σ'(0) = 25 at every layer."""
    b = bounded_example()
    assert (b.weight, b.bias, b.input, b.target, b.activation, b.factor) == (100.0, -50.0, 0.5, 0.0, 0.5, 25.0)
    net = chain_network([b.weight] * 6, "zero-z", a0=b.input)
    res = chain_factors(net, b.input, 0.0)
    assert res.zs == [0.0] * 6 and res.activations[1:] == [0.5] * 6
    deltas = np.array(res.dC_db)
    np.testing.assert_allclose(deltas[:-1] / deltas[1:], 25.0, rtol=1e-12)
    assert deltas[-1] == pytest.approx((0.5 - 0.0) * 0.25)  # δ_L = (a_L − y) σ'(z_L)
    # "a knife-edge: nudge a_0 and it saturates": a_0 = 0.5 ± 1e-6 leaves σ' near 0 by layer 5
    for nudge in (1e-6, -1e-6):
        shifted = chain_factors(chain_network([b.weight] * 6, [b.bias] * 6), b.input + nudge, b.target)
        assert abs(shifted.layer_factors[0]) > 20 and abs(shifted.layer_factors[4]) < 1e-9  # w σ'(z_5)
    # float32: δ_(L−k) = 0.125 × 25^k first passes the largest float32 at k = 29 (0.125 × 25^28 ≈ 1.8e38 fits)
    big = float(np.finfo(np.float32).max)
    assert b.f32_overflow_back == 29 and 0.125 * 25.0**28 < big < 0.125 * 25.0**29
    # a chain with another weight gives another factor: the 25 is computed, not assumed
    assert bounded_example(weight=8.0).factor == 2.0
    with pytest.raises(NetsimError, match="at least 2"):
        bounded_example(layers=1)
    with pytest.raises(NetsimError, match="does not grow"):
        bounded_example(weight=2.0)


def _words(m: object) -> list[str]:
    """The sans-font words in a mobject and its parts (a Text keeps them in ``original_text``)."""
    found = [m.original_text] if isinstance(getattr(m, "original_text", None), str) else []
    for sub in getattr(m, "submobjects", []):
        found += _words(sub)
    return found


def test_on_screen_words(rendered: ExplodingGradients) -> None:
    """The labels say "first number of a_l" (never "unit", which the episode does not explain), and
    no symbol with a subscript is typed into the sans font."""
    groups = [rendered.table_head, rendered.example_box, rendered.back_label, rendered.key_picture]
    words = [w for g in groups for w in _words(g)]
    assert any(w.startswith("first number of") for w in words)
    assert sum(w == "first number of" for w in words) >= 3  # table head, example, the float plot's axis
    for w in words:
        assert "unit" not in w and "_" not in w and "δ" not in w, w
    assert "float32 (32-bit numbers):" in words and "larger: inf" in words


def test_the_stretch_example() -> None:
    ex = stretch_example()
    w = np.full((2, 2), 0.9)
    assert ex.weight == ((0.9, 0.9), (0.9, 0.9)) and np.all(w < 1)
    np.testing.assert_allclose(w @ np.ones(2), np.array(ex.image))
    assert ex.stretch == pytest.approx(1.8, rel=1e-15) and ex.vector == (1.0, 1.0)
    a = np.ones(2)
    for _ in range(10):
        a = w @ a
    assert ex.value == pytest.approx(a[0], rel=1e-12) and ex.value == pytest.approx(ex.stretch**10, rel=1e-12)
    np.testing.assert_allclose(ex.log10_unit, np.arange(11) * math.log10(1.8), atol=1e-12)
    # back prop's W^T is W here, so it stretches (1, 1) alike
    np.testing.assert_array_equal(w.T, w)
    # and it squashes (1, -1) to nothing: the stretch depends on the direction
    np.testing.assert_array_equal(w @ np.array([1.0, -1.0]), np.array(ex.across_image))
    assert ex.across_image == (0.0, 0.0) and ex.across_stretch == 0.0
    assert stretch_example(3, 0.5, 4).stretch == 1.5
    assert stretch_example(3, 0.5, 4).across == (1.0, -1.0, 0.0)
    one = stretch_example(1, 0.5, 2)
    assert one.across == () and one.across_stretch is None


def test_experiment_matches_linear_net() -> None:
    r = exploding()
    for c in r.cases:
        net = linear_net(c.scale, 150)
        np.testing.assert_array_equal(c.log10_norms, net.log10_activation_norms)
        np.testing.assert_allclose(c.log10_unit, net.log10_activation_norms - math.log10(math.sqrt(2)), atol=1e-12)
        assert c.grad_w_1 == pytest.approx(2 * c.scale**149, rel=1e-12)
        assert c.delta_1 == pytest.approx(c.scale**149, rel=1e-12)
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
    with pytest.raises(NetsimError, match=message) as info:
        exploding(**kwargs)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n": 0}, "n 0 must be a whole number"),
    ({"entry": 0.0}, "other than 0"),
    ({"entry": float("inf")}, "finite number"),
    ({"layer": 0}, "layer 0 must be at least 1"),
    ({"layer": 2.5}, "whole number"),
])
def test_bad_stretch_example_raises_netsim_error(kwargs: dict, message: str) -> None:
    with pytest.raises(NetsimError, match=message):
        stretch_example(**kwargs)
