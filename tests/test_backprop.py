"""Chapter 6, "Back prop: a product of factors": dry runs of both lessons and of a chain with a
large weight, the numbers on screen against the experiment and against a chain computed by
hand and by Network.backward, the captions against those numbers (counts, chapter numbers,
e-notation, the rectangle's fractions, the derived words "every |w| < 1", "shrinks at every
layer", the ratio), the science behind the words (σ' <= ¼, the narrow band of a large w), and
bad input. Its golden frame is in test_pictures.py."""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from netsim.activations import sigmoid_prime
from netsim.errors import NetsimError
from netsim.experiments.backprop import BackpropChain, backprop_chain, chain_layers
from netsim.experiments.rectangle import shrinking_factors
from netsim.format import fmt_ratio, fmt_value
from netsim.network import Network
from netsim.spec import NetSpec
from scenes.backprop import ForwardBackProp, decades, e_notation, experiment, frac_words, superscript
from scenes.engine.chapters import by_slug, number_of
from scenes.engine.lesson import LESSONS_DIR
from scenes.sweep import write_lesson
from tests.conftest import dry_scene, with_net

LESSONS = {"default": LESSONS_DIR / "default.toml", "relu-he": LESSONS_DIR / "relu-he.toml"}
#: A seed whose chain has a weight above 4 in size (w_4), yet every factor below 1.
BIG_WEIGHT_SEED = 1312


@pytest.fixture(scope="module")
def rendered() -> dict[str, ForwardBackProp]:
    """A dry-run render of the scene for each lesson, shared with the suite."""
    return {name: dry_scene("backprop", path) for name, path in LESSONS.items()}


@pytest.fixture(scope="module")
def big_weight(tmp_path_factory: pytest.TempPathFactory) -> ForwardBackProp:
    """The chapter on a lesson whose seed draws a chain weight above 4."""
    fields = {"name": "big-weight", "title": "t", "language": "en", "theme": "dark", "narration": False,
              "net": {"depth": 4, "width": 30, "activation": "sigmoid", "init": "nielsen", "bias_init": "normal",
                      "seed": BIG_WEIGHT_SEED}, "training": {"learning_rate": 0.1}}
    return dry_scene("backprop", write_lesson(fields, tmp_path_factory.mktemp("lessons")))


def _text(scene: ForwardBackProp) -> str:
    return " ".join(scene.captions)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _by_hand(seed: int, L: int = 5, x: float = 1.0, y: float = 0.0) -> dict[str, list[float]]:
    """The chain computed from scratch: w, b ~ N(0, 1) from ``seed`` (weights drawn first)."""
    rng = np.random.default_rng(seed)
    w = [float(rng.standard_normal()) for _ in range(L)]  # nielsen: N(0, 1)/sqrt(n_in = 1)
    b = [float(rng.standard_normal()) for _ in range(L)]
    a, acts, zs = x, [x], []
    for l in range(L):
        z = w[l] * a + b[l]
        a = _sigmoid(z)
        zs.append(z)
        acts.append(a)
    sp = [_sigmoid(z) * (1 - _sigmoid(z)) for z in zs]
    deltas = [0.0] * L
    deltas[-1] = sp[-1] * (acts[-1] - y)
    for l in range(L - 1, 0, -1):  # δ_l = δ_(l+1) w_(l+1) σ'(z_l), 1-based l
        deltas[l - 1] = deltas[l] * w[l] * sp[l - 1]
    factors = [w[l] * sp[l - 1] for l in range(1, L)]  # w_(l+1) σ'(z_l), l = 1 .. L-1
    return {"w": w, "b": b, "acts": acts, "zs": zs, "sp": sp, "deltas": deltas, "factors": factors,
            "cost": [0.5 * (acts[-1] - y) ** 2]}


# ---------- the dry runs ----------

@pytest.mark.parametrize("name", list(LESSONS))
def test_dry_run_renders_within_bounds(rendered: dict[str, ForwardBackProp], name: str) -> None:
    scene = rendered[name]
    # the review's ceiling for this chapter is 100 s (the two chapters it replaces ran 131 s and 107 s),
    # raised to 106 s for the words that name the chain rule and say what δ_l measures; about 6 s
    # shorter since the viewer's question ("are gradients always between 0 and 1?") was cut
    assert 78.0 <= scene.renderer.time <= 106.0, scene.renderer.time
    assert len(scene.captions) >= 11 and all(c.strip() for c in scene.captions)
    assert scene.cannot_show_reason is None
    assert sum(len(c) for c in scene.captions) <= 1480  # 106 s at 14 characters a second


@pytest.mark.parametrize("name", list(LESSONS))
def test_shown_numbers_are_the_experiment(rendered: dict[str, ForwardBackProp], name: str) -> None:
    scene = rendered[name]
    r = backprop_chain(scene.lesson.net)
    assert experiment(scene.lesson) == r
    L = r.layers
    expected: dict[str, object] = {"layers": float(L), "y": r.y, "cost": r.cost}
    expected |= {f"a_{l}": r.activations[l] for l in range(L + 1)}
    expected |= {"product": r.product, f"delta_{L}": r.deltas[-1]}
    expected |= {f"factor_{l}": r.step_factors[l - 1] for l in range(1, L)}
    expected |= {f"area_{k}": a for k, a in enumerate(r.rectangle.areas)}
    expected |= {f"multiplier_{k}": m for k, m in enumerate(r.rectangle.multipliers, start=1)}
    expected |= {"sigma_prime_max": Fraction(1, 4), "weight_limit": Fraction(4)}
    expected |= {"log_decades": [float(d) for d in decades(list(r.deltas))], "ratio": r.first_over_output}
    expected |= {f"bar_{l}": r.deltas[l - 1] for l in range(1, L + 1)}
    expected |= {"large_weight": r.large_weight, "band_z": r.band_z, "band_width": r.band_width}
    assert scene.shown == expected


@pytest.mark.parametrize("name", list(LESSONS))
def test_numbers_match_a_chain_computed_by_hand(rendered: dict[str, ForwardBackProp], name: str) -> None:
    scene = rendered[name]
    shown, r = scene.shown, experiment(scene.lesson)
    hand = _by_hand(scene.lesson.seed)
    np.testing.assert_allclose(r.weights, hand["w"], rtol=1e-15)
    np.testing.assert_allclose(r.biases, hand["b"], rtol=1e-15)
    np.testing.assert_allclose([shown[f"a_{l}"] for l in range(6)], hand["acts"], rtol=1e-12)
    np.testing.assert_allclose([shown[f"factor_{l}"] for l in range(1, 5)], hand["factors"], rtol=1e-12)
    np.testing.assert_allclose([shown[f"bar_{l}"] for l in range(1, 6)], hand["deltas"], rtol=1e-12)
    assert shown["delta_5"] == pytest.approx(hand["deltas"][-1], rel=1e-12)
    assert shown["cost"] == pytest.approx(hand["cost"][0], rel=1e-12)
    assert shown["a_0"] == 1.0 and shown["y"] == 0.0
    # the product of the factors as written, δ_5 last, is ∂C/∂b_1 = δ_1
    assert math.prod([shown[f"factor_{l}"] for l in range(1, 5)] + [shown["delta_5"]]) == pytest.approx(
        shown["product"], rel=1e-12)
    assert shown["product"] == shown["bar_1"]


@pytest.mark.parametrize("name", list(LESSONS))
def test_product_is_backwards_dC_db1(rendered: dict[str, ForwardBackProp], name: str) -> None:
    shown, seed = rendered[name].shown, rendered[name].lesson.seed
    net = Network.create([1] * 6, "sigmoid", init="nielsen", bias_init="normal", seed=seed)
    grads = net.backward(np.array([[1.0]]), np.array([[0.0]]), "quadratic")
    r = experiment(rendered[name].lesson)
    assert shown["product"] == pytest.approx(float(grads.nabla_b[0][0]), rel=1e-12)
    assert r.backward_dC_db1 == float(grads.nabla_b[0][0])
    for l in range(1, 6):  # ∂C/∂b_l = δ_l and ∂C/∂w_l = δ_l a_(l-1), as the screen writes
        assert shown[f"bar_{l}"] == pytest.approx(float(grads.nabla_b[l - 1][0]), rel=1e-12)
        assert r.dC_dw[l - 1] == pytest.approx(shown[f"bar_{l}"] * shown[f"a_{l - 1}"], rel=1e-12)
    assert grads.cost == pytest.approx(shown["cost"], rel=1e-12)


@pytest.mark.parametrize("name", list(LESSONS))
def test_signs_follow_the_weights(rendered: dict[str, ForwardBackProp], name: str) -> None:
    """σ' > 0, so each step left keeps δ's sign or flips it with w's; the bars show |δ_l|, the labels the sign."""
    shown, r = rendered[name].shown, experiment(rendered[name].lesson)
    for l in range(1, r.layers):
        assert np.sign(shown[f"bar_{l}"]) == np.sign(shown[f"bar_{l + 1}"]) * np.sign(r.weights[l])
    lo, hi = shown["log_decades"]
    sizes = [abs(shown[f"bar_{l}"]) for l in range(1, 6)]
    assert 10**lo * 10**0.5 <= min(sizes) and max(sizes) <= 10**hi  # the smallest bar at least half a step tall


# ---------- the words ----------

@pytest.mark.parametrize("name", list(LESSONS))
def test_captions_say_the_numbers(rendered: dict[str, ForwardBackProp], name: str) -> None:
    scene = rendered[name]
    text, r = _text(scene), experiment(scene.lesson)
    L = r.layers
    assert L == 5 and f"A chain of {L} sigmoid neurons, one per layer" in text
    assert f"chapter {number_of('cost')}'s cost C = ½(a_{L} − y)²" in text
    assert f"Back prop starts at the output: ∂C/∂a_{L} = a_{L} − y; times the slope σ'(z_{L}), it gives layer {L}'s " \
        f"error δ_{L} = ∂C/∂z_{L}, how much C changes with z_{L}." in text
    # the product is the chain rule, said where the steps left are formed, once
    assert text.count("By the chain rule, one derivative per link of the chain, each step left multiplies by a "
                      "weight and a slope") == 1
    assert f"δ_{L - 1} = δ_{L} w_{L} σ'(z_{L - 1})" in text
    assert "at every layer ∂C/∂b_l = δ_l, ∂C/∂w_l = δ_l a_(l−1)" in text
    assert f"So ∂C/∂b_1 = δ_1 is a product: δ_{L} times one factor w σ'(z) per layer" in text
    # back prop's direction, said once
    assert text.count("starts at the output") == 1
    assert "starts at the left" not in text
    # σ' <= ¼ (chapter 3) and the |w| < 4 it gives
    limit = 1 / Fraction(float(sigmoid_prime(np.array(0.0))))
    assert limit == 4 and f"σ' is at most ¼ (chapter {number_of('neuron')})" in text
    assert f"at most |w|/{limit}: below 1 while |w| < {limit}" in text
    assert f"With |w| > {limit} factors can exceed 1 and the product grow" in text
    assert "exceed 1, and the product grows" not in text  # one factor above 1 does not make it grow
    assert f"the exploding gradient (chapter {number_of('exploding')})" in text
    assert "tiny, except in a narrow band of a" in text
    assert "dC/d" not in text and "sigma" not in text and "delta" not in text


def test_the_rectangle_is_exact(rendered: dict[str, ForwardBackProp]) -> None:
    shown, text = rendered["default"].shown, _text(rendered["default"])
    quarter, third = Fraction(1, 4), Fraction(1, 3)
    assert [shown[f"multiplier_{k}"] for k in (1, 2, 3)] == [quarter, third, quarter]
    assert [shown[f"area_{k}"] for k in range(4)] == [1, quarter, Fraction(1, 12), Fraction(1, 48)]
    assert all(isinstance(shown[f"area_{k}"], Fraction) for k in range(4))
    # the caption's multipliers and what is left are the experiment's, as the screen shows them
    words = ", then ".join(frac_words(shown[f"multiplier_{k}"]) for k in (1, 2, 3))
    left = shown["area_3"]
    assert left == math.prod(shown[f"multiplier_{k}"] for k in (1, 2, 3))
    assert f"a square of area {shown['area_0']} by {words}: {frac_words(left)} is left." in text
    assert words == "¼, then 1/3, then ¼" and frac_words(left) == "1/48"
    assert shrinking_factors().areas == (1, quarter, Fraction(1, 12), Fraction(1, 48))


@pytest.mark.parametrize("name", list(LESSONS))
def test_e_notation_is_explained_once_with_a_number_of_the_chain(rendered: dict[str, ForwardBackProp],
                                                                  name: str) -> None:
    scene = rendered[name]
    text = _text(scene)
    assert text.count("e-notation") == 1
    key = scene.e_explained
    assert key is not None and key == next(k for k, v in scene.shown.items()
                                           if isinstance(v, float) and "e" in fmt_value(v))
    shown = fmt_value(scene.shown[key])
    mantissa, power, plain = e_notation(shown)
    assert f"{shown} means {mantissa} × 10{superscript(power)} = {plain}." in text
    assert Decimal(plain) == Decimal(mantissa) * Decimal(10) ** power
    assert float(plain) == pytest.approx(scene.shown[key], rel=5e-3)
    # no caption says a number in e-notation before the explanation
    before = text[: text.index("e-notation")]
    assert not any(e_notation(w.strip(".,:;")) for w in before.split())


@pytest.mark.parametrize("name", list(LESSONS))
def test_the_log_scale_words_follow_the_numbers(rendered: dict[str, ForwardBackProp], name: str) -> None:
    scene = rendered[name]
    text, r = _text(scene), experiment(scene.lesson)
    assert text.count("each step up is ×10") == 1
    deltas = [abs(scene.shown[f"bar_{l}"]) for l in range(1, 6)]
    shrinks = all(a < b for a, b in zip(deltas, deltas[1:]))
    assert ("shrinks at every layer" in text) == shrinks
    assert ("Here every |w| < 1." in text) == (max(abs(w) for w in r.weights) < 1)
    ratio = deltas[0] / deltas[-1]
    assert scene.shown["ratio"] == pytest.approx(ratio, rel=1e-12)
    assert f"|δ_1| is {fmt_ratio(ratio)} of |δ_5|." in text
    # the default chain: small weights, each factor below ¼ in size, the gradient shrinking leftwards
    if name == "default":
        assert shrinks and ratio < 1e-3
        assert all(abs(f) < 0.25 for f in r.step_factors)


def test_a_weight_above_4_is_said_as_it_is(big_weight: ForwardBackProp) -> None:
    r = experiment(big_weight.lesson)
    text = _text(big_weight)
    sizes = [abs(w) for w in r.weights]
    k = sizes.index(max(sizes)) + 1
    assert max(sizes) > 4 and all(f < 1 for f in r.factor_sizes)  # the caveat at work: z is not near 0
    assert f"Here w_{k} = {fmt_value(r.weights[k - 1])}, yet every factor is below 1." in text
    assert big_weight.shown["big_weight"] == r.weights[k - 1]
    assert "Here every |w|" not in text
    assert ("shrinks at every layer" in text) == r.shrinks_every_layer


def _drawn(scene: ForwardBackProp) -> list[object]:
    """Every text the chapter drew (kept on the scene after its closing fade)."""
    from manim import MathTex, Mobject, Text

    roots: list[Mobject] = []
    for v in vars(scene).values():
        roots += [m for m in (v.values() if isinstance(v, dict) else [v]) if isinstance(m, Mobject)]
    out: dict[int, object] = {}
    for root in roots:
        for m in root.get_family():
            if isinstance(m, (Text, MathTex)):
                out[id(m)] = m
    return list(out.values())


@pytest.mark.parametrize("name", list(LESSONS))
def test_every_text_is_legible(rendered: dict[str, ForwardBackProp], name: str) -> None:
    """At 480p: no text below SIZE.small (MathTex runs 1.4 times Text's size), formulas in the
    theme's text colour, not the forward pass's blue, and no subscript typed into a Text."""
    from manim import MathTex, Text

    from scenes.engine.style import SIZE

    scene = rendered[name]
    drawn = _drawn(scene)
    texts = [m for m in drawn if isinstance(m, Text)]
    maths = [m for m in drawn if isinstance(m, MathTex)]
    assert len(texts) > 20 and len(maths) > 20
    for m in texts:
        assert m.font_size >= SIZE.small - 1e-6, (m.text, m.font_size)
        assert "_" not in m.text, m.text
    for m in maths:
        assert m.font_size >= 1.4 * SIZE.small - 1e-6, (m.tex_string, m.font_size)
    text_colour = scene.theme.text.lower()
    for formula in (*scene.forward_rules, *scene.rules, scene.product[0]):
        assert formula.get_color().to_hex().lower() == text_colour
    # the w_l and b_l labels, the factors' values and the bars' values are no smaller than a label
    for m in (*scene.w_labels, *scene.b_labels):
        assert m.font_size >= 1.4 * SIZE.label - 1e-6
    for m in (*scene.product[1], scene.product[2], *scene.bars[4], *scene.a_values):
        assert m.font_size >= SIZE.label - 1e-6


@pytest.mark.parametrize("name", list(LESSONS))
def test_the_caveat_shows_the_band(rendered: dict[str, ForwardBackProp], name: str) -> None:
    scene = rendered[name]
    r = experiment(scene.lesson)
    shown = scene.shown
    assert (shown["large_weight"], shown["band_z"], shown["band_width"]) == (r.large_weight, r.band_z, r.band_width)
    # (a Text keeps its words without their spaces)
    words = "".join(getattr(m, "text", None) or getattr(m, "tex_string", "") for m in scene.caveat).replace(" ", "")
    assert f"w={fmt_value(r.large_weight)}" in words and f"|z|<{fmt_value(r.band_z)}" in words
    assert f"inaband{fmt_value(r.band_width)}wide" in words
    # the band is narrow: far less than the range 0..1 of a sigmoid's input a
    assert r.band_width < 0.1 and r.band_z > 0


def test_relu_lesson_still_shows_the_sigmoid_chain(rendered: dict[str, ForwardBackProp]) -> None:
    relu = rendered["relu-he"]
    assert relu.lesson.activation == "relu"
    assert relu.shown == rendered["default"].shown  # same seed, and the chain is always sigmoid


def test_heading_is_the_chapters_title() -> None:
    assert by_slug("backprop").title == "Back prop: a product of factors"
    assert by_slug("backprop").scene == ForwardBackProp.__name__


# ---------- the science behind the words ----------

def test_sigma_prime_bounds_every_factor() -> None:
    z = np.linspace(-30, 30, 60_001)
    slope = sigmoid_prime(z)
    assert slope.max() <= 0.25 and float(sigmoid_prime(np.array(0.0))) == 0.25
    for w in (-3.99, -1.0, 0.5, 2.0, 3.99):  # |w| < 4: every factor below 1, whatever z
        assert np.abs(w * slope).max() < 1
    assert 4.01 * 0.25 > 1  # |w| > 4 with z = 0: above 1


def test_a_large_weight_gives_a_factor_above_1_only_in_a_narrow_band() -> None:
    r = backprop_chain()
    w = r.large_weight
    z = np.linspace(-20, 20, 400_001)
    above = np.abs(w * sigmoid_prime(z)) > 1
    inside = np.abs(z) < r.band_z
    assert np.array_equal(above[np.abs(np.abs(z) - r.band_z) > 1e-6], inside[np.abs(np.abs(z) - r.band_z) > 1e-6])
    assert w * float(sigmoid_prime(np.array(r.band_z))) == pytest.approx(1.0, rel=1e-9)
    # inputs a in [0, 1] with z = w a + b: the band is 2 z* / w wide, whatever b
    a = np.linspace(0, 1, 1_000_001)
    for b in (-50.0, -30.0, -70.0):
        hit = a[np.abs(w * sigmoid_prime(w * a + b)) > 1]
        assert hit.max() - hit.min() == pytest.approx(r.band_width, abs=1e-5)
    assert r.band_width == pytest.approx(2 * r.band_z / w, rel=1e-15) and r.band_width < 0.1


@pytest.mark.parametrize(("hidden", "L"), [(2, 3), (4, 5), (5, 6), (12, 6)])
def test_the_chain_has_a_neuron_per_layer_of_the_lessons_net(hidden: int, L: int) -> None:
    """One neuron per layer of the lesson's net (at most six), drawn from its seed whatever its
    activation and start: the default lessons' chain of 5 is the chain of their net."""
    net = NetSpec((64,) + (30,) * hidden + (10,), activation="relu", init="he", bias_init="zeros", seed=3)
    r = backprop_chain(net)
    assert r.layers == chain_layers(net) == L and len(r.deltas) == L and r.seed == 3
    assert r.net == NetSpec((1,) * (L + 1), seed=3)  # sigmoid, Nielsen's start
    hand = _by_hand(3, L)
    np.testing.assert_allclose(r.weights, hand["w"], rtol=1e-15)
    np.testing.assert_allclose(r.deltas, hand["deltas"], rtol=1e-12)
    assert backprop_chain(net, layers=2).layers == 2


def test_result_is_frozen_and_complete() -> None:
    r = backprop_chain()
    assert isinstance(r, BackpropChain)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.product = 1.0  # type: ignore[misc]
    assert r.layers == 5 and len(r.deltas) == 5 and len(r.step_factors) == 4
    assert r.output == r.activations[-1] and r.dC_da == r.output - r.y
    assert r.product == r.deltas[0] and r.dC_db[0] == pytest.approx(r.product, rel=1e-12)
    assert r.sigma_prime_max == Fraction(1, 4) and r.weight_limit == 4
    assert r.factor_sizes == tuple(abs(f) for f in r.step_factors)


def test_helpers() -> None:
    assert e_notation("3.11e-04") == ("3.11", -4, "0.000311")
    assert e_notation("-9.86e-06") == ("-9.86", -6, "-0.00000986")
    assert e_notation("1.40e+05") == ("1.40", 5, "140000")
    assert e_notation("0.00115") is None and e_notation("0.12") is None
    assert [frac_words(f) for f in (Fraction(1, 4), Fraction(1, 3), Fraction(1, 12), Fraction(1))] == \
        ["¼", "1/3", "1/12", "1"]
    assert decades([2.02e-07, 0.0291]) == (-8, -1)  # 2.02e-07 is within half a step of 1e-07: one step more
    assert decades([5e-07, 0.0291]) == (-7, -1)
    assert decades([0.5, 0.5]) == (-1, 0)
    assert superscript(-7) == "^-7" and superscript(12) == "^12" and superscript(0) == "^0"


# ---------- bad input ----------

@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seed": -1}, "seed -1 must be an integer >= 0"),
        ({"seed": 1.5}, "seed 1.5 must be an integer"),
        ({"layers": 1}, "layers = 1 is out of range; allowed: 2 to 6"),
        ({"layers": 7}, "layers = 7 is out of range"),
        ({"layers": 4.0}, "layers 4.0 must be a whole number"),
        ({"x": float("nan")}, "x = nan must be a finite number"),
        ({"x": "1"}, "x = '1' must be a finite number"),
        ({"y": float("inf")}, "y = inf must be a finite number"),
        ({"y": 2.0}, "y = 2.0 is out of range"),
        ({"large_weight": 3.0}, "large_weight = 3.0 is too small"),
        ({"large_weight": float("inf")}, "large_weight = inf must be a finite number"),
    ],
)
def test_bad_input_raises(kwargs: dict, message: str) -> None:
    with pytest.raises(NetsimError, match=message.replace("(", r"\(")):
        with_net(backprop_chain, kwargs)


@pytest.mark.parametrize(
    ("multipliers", "message"),
    [([Fraction(3, 2)], "strictly between 0 and 1"), ([0.5], "exact fraction"), ([], "at least one factor"),
     ([Fraction(0)], "strictly between 0 and 1"), ([True], "exact fraction")],
)
def test_bad_rectangle_raises(multipliers: list, message: str) -> None:
    with pytest.raises(NetsimError, match=message):
        shrinking_factors(multipliers)


def test_the_experiment_modules_are_listed() -> None:
    import netsim.experiments as experiments

    doc = experiments.__doc__ or ""
    assert "netsim.experiments.backprop" in doc and "netsim.experiments.rectangle" in doc
    assert not (Path(__file__).parent / "test_rectangle.py").exists()
