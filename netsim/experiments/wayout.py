"""Chapter 10: the way out (a preview). Careful initialisation and slopes near 1.

Back prop multiplies the gradient, layer by layer from the output leftwards, by factors
w * sigma'(z). The sigmoid's slope is at most sigma'(0) = 1/4; tanh's reaches tanh'(0) = 1,
and ReLU's is exactly 1 wherever the neuron is on (z > 0). With slopes near 1 the weights'
size decides whether the factors stay near 1, hence the initialisation rules, for a layer
with n_in inputs and n_out outputs:

- Var(w) = 1 / n_in              (tanh; often called Xavier)
- Var(w) = 2 / n_in              (ReLU; He et al.)
- Var(w) = 2 / (n_in + n_out)    (Glorot and Bengio; netsim's ``xavier-normal``)

The same deep net as chapter 7 is then measured three ways with
:func:`netsim.experiments.nielsen.layer_gradient_norms` (||dC/db_l|| for l = 1 .. L at
initialisation, on the first ``n_samples`` digits, cross-entropy cost, sigmoid output, one
net per seed; median and quartiles over seeds):

- the problem: sigmoid, Nielsen's w ~ N(0, 1) / sqrt(n_in), b ~ N(0, 1);
- tanh with Xavier (Glorot) weights and b = 0;
- ReLU with He weights and b = 0.

``ratio`` = median ||dC/db_L|| / median ||dC/db_1||: last layer over first, as in chapter 7.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from netsim.activations import ACTIVATIONS, relu_prime, sigmoid_prime, tanh_prime
from netsim.data import digits
from netsim.errors import NetsimError, require
from netsim.experiments.fading import MIN_BAR_DECADES, round_significant
from netsim.experiments.nielsen import LayerNorms, layer_gradient_norms, parse_seeds
from netsim.init import BIAS_INITS, WEIGHT_INITS
from netsim.network import check_sizes

Array = np.ndarray

#: History (a citation, not a netsim result): three breakthrough papers of 2006 and 2007, by
#: Hinton, LeCun and Bengio, made deep nets trainable; the next episode starts with the RBM.
BREAKTHROUGH_YEARS: tuple[int, ...] = (2006, 2007)
BREAKTHROUGH_AUTHORS: tuple[str, ...] = ("Hinton", "LeCun", "Bengio")
NEXT_EPISODE = "the Restricted Boltzmann Machine"

#: Nets per setting (seeds lesson.seed .. lesson.seed + DEFAULT_SEED_COUNT - 1).
DEFAULT_SEED_COUNT = 20
#: Digits the gradient is averaged over (Nielsen used 1000 training images).
DEFAULT_SAMPLES = 1000
#: Points of the slope curves sigma'(z), tanh'(z), relu'(z) on [-Z_MAX, Z_MAX].
CURVE_POINTS = 161
Z_MAX = 5.0
#: Significant figures of the ratios on screen.
RATIO_DIGITS = 3


@dataclass(frozen=True)
class Setting:
    """One way to build the net: hidden activation, weight init and bias init (netsim names)."""

    key: str
    activation: str
    init: str
    bias_init: str


PROBLEM = Setting("sigmoid", "sigmoid", "nielsen", "normal")
TANH_XAVIER = Setting("tanh", "tanh", "xavier-normal", "zeros")
RELU_HE = Setting("relu", "relu", "he", "zeros")
#: The problem first, then the two fixes.
SETTINGS: tuple[Setting, ...] = (PROBLEM, TANH_XAVIER, RELU_HE)


@dataclass(frozen=True)
class VarianceRule:
    """Var(w) = numerator / denominator for the lesson's layer widths.

    ``formula`` names the denominator: "n_in" or "n_in + n_out"; ``activation`` is the one
    the rule is made for ("tanh", "relu", or "any" for Glorot and Bengio's compromise).
    """

    key: str
    activation: str
    formula: str
    numerator: int
    denominator: int

    @property
    def value(self) -> float:
        """The variance as a float."""
        return self.numerator / self.denominator

    @property
    def fraction(self) -> Fraction:
        """The variance as an exact (reduced) fraction."""
        return Fraction(self.numerator, self.denominator)


@dataclass(frozen=True, eq=False)
class SettingNorms:
    """||dC/db_l|| of one setting: ``median[l - 1]``, ``q25``, ``q75`` over seeds.

    ``ratio`` = median ||dC/db_L|| / median ||dC/db_1||; ``ratio_rounded`` is it to
    ``RATIO_DIGITS`` significant figures (what the screen shows).
    """

    setting: Setting
    norms: LayerNorms
    median: Array
    q25: Array
    q75: Array
    ratio: float
    ratio_rounded: float

    @property
    def first(self) -> float:
        """Median ||dC/db_1||, the first hidden layer."""
        return float(self.median[0])

    @property
    def last(self) -> float:
        """Median ||dC/db_L||, the output layer."""
        return float(self.median[-1])


@dataclass(frozen=True, eq=False)
class WayOutResult:
    """Everything the way-out scene shows.

    ``settings`` follow :data:`SETTINGS` (problem, tanh + Xavier, ReLU + He). ``rules`` are
    the three variance rules for a layer of ``n_in`` inputs and ``n_out`` outputs (the first
    hidden-to-hidden layer of ``sizes``). ``z`` and ``slopes`` (name -> sigma'(z)) are the
    slope curves; ``peaks`` their largest values: sigma'(0) = 1/4, tanh'(0) = 1, and ReLU's
    slope where it is on. ``bar_decades`` = (lo, hi): one log axis, whole powers of ten, that
    covers every setting's medians and quartiles, at least ``MIN_BAR_DECADES`` wide.
    """

    sizes: tuple[int, ...]
    seeds: tuple[int, ...]
    n_samples: int
    cost: str
    settings: tuple[SettingNorms, ...]
    n_in: int
    n_out: int
    rules: tuple[VarianceRule, ...]
    z: Array
    slopes: dict[str, Array]
    peaks: dict[str, float]
    bar_decades: tuple[int, int]

    @property
    def depth(self) -> int:
        """L, the number of weight layers (bars per setting)."""
        return len(self.sizes) - 1

    def by_key(self, key: str) -> SettingNorms:
        """The setting called ``key`` ("sigmoid", "tanh" or "relu")."""
        for s in self.settings:
            if s.setting.key == key:
                return s
        raise NetsimError(f"setting {key!r} is unknown; allowed: {', '.join(s.setting.key for s in self.settings)}")


def _frozen(a: Array) -> Array:
    """A read-only float copy of a."""
    out = np.array(a, dtype=float, copy=True)
    out.setflags(write=False)
    return out


def last_over_first(median: Array) -> float:
    """median[-1] / median[0]; inf when the first is 0 (and the last is not), 1 when both are."""
    first, last = float(median[0]), float(median[-1])
    if first == 0.0:
        return 1.0 if last == 0.0 else math.inf
    with np.errstate(over="ignore"):
        return last / first


def bar_decades(values: Array) -> tuple[int, int]:
    """Whole powers of ten covering the finite positive values, at least MIN_BAR_DECADES wide."""
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return -MIN_BAR_DECADES, 0
    hi = math.ceil(np.log10(v.max()))
    lo = min(math.floor(np.log10(v.min())), hi - MIN_BAR_DECADES)
    return int(lo), int(hi)


def variance_rules(n_in: int, n_out: int) -> tuple[VarianceRule, ...]:
    """Xavier 1/n_in (tanh), He 2/n_in (ReLU), Glorot and Bengio 2/(n_in + n_out)."""
    for name, n in (("n_in", n_in), ("n_out", n_out)):
        ok = isinstance(n, (int, np.integer)) and not isinstance(n, bool)
        require(ok and n >= 1, f"{name} = {n!r} must be a whole number >= 1")
    return (
        VarianceRule("xavier", "tanh", "n_in", 1, int(n_in)),
        VarianceRule("he", "relu", "n_in", 2, int(n_in)),
        VarianceRule("glorot", "any", "n_in + n_out", 2, int(n_in + n_out)),
    )


def _check_setting(s: Setting) -> None:
    require(isinstance(s, Setting), f"setting {s!r} must be a Setting")
    require(s.activation in ACTIVATIONS,
            f"setting {s.key!r}: activation {s.activation!r} is unknown; allowed: {', '.join(ACTIVATIONS)}")
    require(s.init in WEIGHT_INITS,
            f"setting {s.key!r}: init {s.init!r} is unknown; allowed: {', '.join(WEIGHT_INITS)}")
    require(s.bias_init in BIAS_INITS,
            f"setting {s.key!r}: bias init {s.bias_init!r} is unknown; allowed: {', '.join(BIAS_INITS)}")


def way_out(
    sizes: Sequence[int] = (64, 30, 30, 30, 30, 10),
    seeds: str | Sequence[int] | int = f"0-{DEFAULT_SEED_COUNT - 1}",
    n_samples: int = DEFAULT_SAMPLES,
    settings: Sequence[Setting] = SETTINGS,
) -> WayOutResult:
    """Per-layer gradient norms of the deep net of ``sizes`` for each setting, and the rules.

    The net takes the 64 pixels of an 8x8 digit and gives 10 outputs (sigmoid), with at
    least two hidden layers; the cost is cross-entropy on the first ``n_samples`` digits.
    """
    sizes = check_sizes(sizes)
    require(len(sizes) >= 4, f"sizes {list(sizes)} need at least two hidden layers (a deep net)")
    require(sizes[0] == 64, f"sizes {list(sizes)} must start with 64 (the 8x8 digits' pixels)")
    require(sizes[-1] == 10, f"sizes {list(sizes)} must end with 10 (one output per digit)")
    n_data = len(digits())
    ok = isinstance(n_samples, (int, np.integer)) and not isinstance(n_samples, bool)
    require(ok and 1 <= n_samples <= n_data, f"n_samples = {n_samples!r} must be a whole number from 1 to {n_data}")
    seed_list = parse_seeds(seeds)
    settings = tuple(settings)
    require(len(settings) >= 1, "settings: give at least one setting")
    for s in settings:
        _check_setting(s)
    keys = [s.key for s in settings]
    require(len(set(keys)) == len(keys), f"settings {keys} must have different keys")

    measured = []
    for s in settings:
        ln = layer_gradient_norms(sizes, s.activation, "sigmoid", s.init, None, s.bias_init,
                                  "cross-entropy", "digits", int(n_samples), seed_list)
        measured.append(SettingNorms(
            setting=s, norms=ln, median=_frozen(ln.median), q25=_frozen(ln.q25), q75=_frozen(ln.q75),
            ratio=float(last_over_first(ln.median)),
            ratio_rounded=round_significant(float(last_over_first(ln.median)), RATIO_DIGITS),
        ))
    every = np.concatenate([np.concatenate([m.median, m.q25, m.q75]) for m in measured])

    z = np.linspace(-Z_MAX, Z_MAX, CURVE_POINTS)
    slopes = {"sigmoid": _frozen(sigmoid_prime(z)), "tanh": _frozen(tanh_prime(z)), "relu": _frozen(relu_prime(z))}
    peaks = {
        "sigmoid": float(sigmoid_prime(np.zeros(1))[0]),
        "tanh": float(tanh_prime(np.zeros(1))[0]),
        "relu": float(relu_prime(np.ones(1))[0]),
    }
    n_in, n_out = sizes[1], sizes[2]
    return WayOutResult(
        sizes=sizes,
        seeds=seed_list,
        n_samples=int(n_samples),
        cost="cross-entropy",
        settings=tuple(measured),
        n_in=int(n_in),
        n_out=int(n_out),
        rules=variance_rules(n_in, n_out),
        z=_frozen(z),
        slopes=slopes,
        peaks=peaks,
        bar_decades=bar_decades(every),
    )
