"""Chapter 11: the way out. The fan-in argument, the starting-weight rules it gives, and the
same deep net with one change at a time.

**The fan-in argument.** Back prop computes, for a hidden layer l (Nielsen's notation),

    delta_l = sigma'(z_l) * (W_{l+1}^T delta_{l+1}),   i.e.
    delta_{l,j} = sigma'(z_{l,j}) * sum_{k=1}^{n_{l+1}} w_{l+1,kj} delta_{l+1,k}.

Neuron j's delta sums one term per neuron k of the next layer: n = n_{l+1} terms, the fan-out
of neuron j (the n_in of W_{l+1} is n_l; for equal hidden widths n_in = n_out = n). With the
starting weights drawn independently with mean 0 and variance Var(w) (their mean square
around 0), a sum of n such terms has mean square n Var(w) E[delta_{l+1}^2], so

    rms(delta_l) ~ sqrt(n_{l+1} Var(w_{l+1}) E[sigma'(z_l)^2]) * rms(delta_{l+1})

where rms(delta_l) is the root mean square of delta_l's entries over the neurons of layer l
and the digits, and E[sigma'(z_l)^2] the mean of sigma'(z_l)^2 over the same. That square
root is the **predicted per-layer factor**; the **measured per-layer factor** is
rms(delta_l) / rms(delta_{l+1}) itself. Both are taken for the hidden layers only
(l = 1 .. L-2 over l + 1 = 2 .. L-1: the output's delta_L = a - y carries no sigma'),
per net, then summarised per net as their geometric mean over those layer pairs, and over
nets as the median over seeds.

**The rules** keep that factor near 1 (Var(w) for a layer of n_in inputs and n_out outputs):

- LeCun et al. 1998: Var(w) = 1 / n_in (slope near 1, as tanh's near 0);
- Glorot and Bengio 2010 ("Xavier"): Var(w) = 2 / (n_in + n_out), a compromise between the
  forward pass (which wants 1 / n_in) and the backward pass (1 / n_out); netsim's
  ``xavier-normal``;
- He et al. 2015: Var(w) = 2 / n_in for ReLU, whose slope is 0 for about half the inputs, so
  E[sigma'^2] is about 1/2: hence the 2.

Nielsen's start, w ~ N(0, 1/n_in) and b ~ N(0, 1), already has LeCun's variance.

**One change at a time** on the same deep net (:data:`SETTINGS`): sigmoid with Nielsen's
start (the problem), sigmoid with Xavier's start (only the start changes), tanh with
Xavier's start (then the activation), ReLU with He's start. For each, the per-layer
||dC/db_l|| at initialisation (as :func:`netsim.experiments.nielsen.layer_gradient_norms`: the
cross-entropy cost on the first ``n_samples`` digits, median and quartiles over seeds) and
``ratio`` = median ||dC/db_{L-1}|| / median ||dC/db_1||: the last hidden layer over the
first, hidden layers only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from netsim import fp
from netsim.activations import get_activation
from netsim.data import digits
from netsim.errors import NetsimError, require
from netsim.experiments.nielsen import parse_seeds
from netsim.experiments.shared import bar_decades, frozen, is_whole, require_known_parts, round_significant
from netsim.network import Network, check_sizes

Array = np.ndarray

#: Nets per setting (seeds lesson.seed .. lesson.seed + DEFAULT_SEED_COUNT - 1).
DEFAULT_SEED_COUNT = 20
#: Digits the gradient is averaged over (Nielsen used 1000 training images).
DEFAULT_SAMPLES = 1000
#: Significant figures of the ratios on screen, and of the per-layer factors.
RATIO_DIGITS = 3
FACTOR_DIGITS = 2
COST = "cross-entropy"
OUTPUT_ACTIVATION = "sigmoid"


@dataclass(frozen=True)
class Setting:
    """One way to build the net: hidden activation, weight init and bias init (netsim names)."""

    key: str
    activation: str
    init: str
    bias_init: str


PROBLEM = Setting("sigmoid", "sigmoid", "nielsen", "normal")
SIGMOID_XAVIER = Setting("sigmoid-xavier", "sigmoid", "xavier-normal", "zeros")
TANH_XAVIER = Setting("tanh", "tanh", "xavier-normal", "zeros")
RELU_HE = Setting("relu", "relu", "he", "zeros")
#: The problem, then one change at a time: the start, the activation, ReLU with its own start.
SETTINGS: tuple[Setting, ...] = (PROBLEM, SIGMOID_XAVIER, TANH_XAVIER, RELU_HE)


#: The initialisers with a variance rule (see :func:`weight_variance`).
RULE_INITS: tuple[str, ...] = ("nielsen", "xavier-normal", "xavier-uniform", "he")


def weight_variance(init: str, n_in: int, n_out: int) -> Fraction:
    """Var(w) of netsim's initialiser ``init`` for a layer of n_in inputs and n_out outputs.

    nielsen 1/n_in, xavier-normal and xavier-uniform 2/(n_in + n_out), he 2/n_in; the others
    (normal, identity) have no rule of this kind.
    """
    for name, n in (("n_in", n_in), ("n_out", n_out)):
        ok = isinstance(n, (int, np.integer)) and not isinstance(n, bool)
        require(ok and n >= 1, f"{name} = {n!r} must be a whole number >= 1")
    if init == "nielsen":
        return Fraction(1, int(n_in))
    if init in ("xavier-normal", "xavier-uniform"):
        return Fraction(2, int(n_in + n_out))
    if init == "he":
        return Fraction(2, int(n_in))
    raise NetsimError(f"init {init!r} has no variance rule; allowed: nielsen, xavier-normal, xavier-uniform, he")


@dataclass(frozen=True)
class VarianceRule:
    """Var(w) = numerator / denominator for the lesson's layer widths, and who proposed it.

    ``formula`` names the denominator: "n_in" or "n_in + n_out"; ``activation`` is the one
    the rule is made for ("tanh", "relu", or "any" for Glorot and Bengio's compromise).
    """

    key: str
    authors: str
    year: int
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
    """One setting on the deep net: gradient norms and the per-layer factor.

    ``norms[s, l - 1]``: ||dC/db_l|| of seed s, l = 1 .. L; ``median[l - 1]``, ``q25``, ``q75``
    over seeds. ``ratio`` =
    median ||dC/db_{L-1}|| / median ||dC/db_1|| (hidden layers), ``ratio_rounded`` to
    ``RATIO_DIGITS`` significant figures. ``n_var[i]``: n_{l+1} Var(w_{l+1}) for l = i + 1
    (exact). ``sigma_prime_sq[s, i]``: E[sigma'(z_l)^2] of seed s; ``predicted[s, i]`` and
    ``measured[s, i]``: the predicted and measured factor rms(delta_l) / rms(delta_{l+1}),
    for the hidden pairs l = 1 .. L-2. ``predicted_factor``, ``measured_factor``: per seed
    the geometric mean over those pairs, then the median over seeds; ``*_rounded`` to
    ``FACTOR_DIGITS`` significant figures. ``mean_sigma_prime_sq``: per seed the mean over
    the pairs, then the median over seeds (``mean_sq_rounded`` to ``FACTOR_DIGITS`` figures).
    """

    setting: Setting
    norms: Array
    median: Array
    q25: Array
    q75: Array
    ratio: float
    ratio_rounded: float
    n_var: tuple[Fraction, ...]
    sigma_prime_sq: Array
    predicted: Array
    measured: Array
    predicted_factor: float
    measured_factor: float
    predicted_rounded: float
    measured_rounded: float
    mean_sigma_prime_sq: float
    mean_sq_rounded: float

    @property
    def first(self) -> float:
        """Median ||dC/db_1||."""
        return float(self.median[0])

    @property
    def last_hidden(self) -> float:
        """Median ||dC/db_{L-1}||, the last hidden layer."""
        return float(self.median[-2])

    @property
    def hidden_median(self) -> Array:
        """Median ||dC/db_l|| of the hidden layers l = 1 .. L-1."""
        return self.median[:-1]


@dataclass(frozen=True, eq=False)
class WayOutResult:
    """Everything the way-out scene shows.

    ``settings`` follow the settings given (by default :data:`SETTINGS`). ``rules`` are the
    three variance rules for a layer of ``n_in`` inputs and ``n_out`` outputs (the first
    hidden-to-hidden layer of ``sizes``). ``bar_decades`` = (lo, hi): one log axis, whole
    powers of ten, that covers every setting's hidden-layer medians and quartiles, at least
    ``MIN_BAR_DECADES`` wide.
    """

    sizes: tuple[int, ...]
    seeds: tuple[int, ...]
    n_samples: int
    cost: str
    settings: tuple[SettingNorms, ...]
    n_in: int
    n_out: int
    rules: tuple[VarianceRule, ...]
    bar_decades: tuple[int, int]

    @property
    def depth(self) -> int:
        """L, the number of weight layers."""
        return len(self.sizes) - 1

    @property
    def hidden(self) -> int:
        """L - 1, the number of hidden layers (bars per setting)."""
        return len(self.sizes) - 2

    def by_key(self, key: str) -> SettingNorms:
        """The setting called ``key`` (e.g. "sigmoid", "sigmoid-xavier", "tanh" or "relu")."""
        for s in self.settings:
            if s.setting.key == key:
                return s
        raise NetsimError(f"setting {key!r} is unknown; allowed: {', '.join(s.setting.key for s in self.settings)}")



def last_over_first(median: Array) -> float:
    """median[-1] / median[0]; inf when the first is 0 (and the last is not), 1 when both are."""
    first, last = float(median[0]), float(median[-1])
    if first == 0.0:
        return 1.0 if last == 0.0 else math.inf
    with np.errstate(over="ignore"):
        return last / first


def variance_rules(n_in: int, n_out: int) -> tuple[VarianceRule, ...]:
    """LeCun 1998 1/n_in, Glorot and Bengio 2010 2/(n_in + n_out), He 2015 2/n_in."""
    for name, n in (("n_in", n_in), ("n_out", n_out)):
        ok = isinstance(n, (int, np.integer)) and not isinstance(n, bool)
        require(ok and n >= 1, f"{name} = {n!r} must be a whole number >= 1")
    return (
        VarianceRule("lecun", "LeCun", 1998, "tanh", "n_in", 1, int(n_in)),
        VarianceRule("glorot", "Glorot, Bengio", 2010, "any", "n_in + n_out", 2, int(n_in + n_out)),
        VarianceRule("he", "He", 2015, "relu", "n_in", 2, int(n_in)),
    )


def fan_in_factors(net: Network, x: Array, y: Array, cost: str = COST) -> tuple[Array, Array, Array, Array]:
    """Per hidden pair l = 1 .. L-2: E[sigma'(z_l)^2], the measured factor rms(delta_l) /
    rms(delta_{l+1}), and n_{l+1} Var(w_{l+1}) of the initialiser's rule (or, for an
    initialiser without one, of the drawn weights' mean square); and ||dC/db_l|| for l = 1 .. L.

    Returns (sigma_prime_sq, measured, n_var) as float arrays of length L - 2, then the norms.
    """
    g = net.backward(x, y, cost)
    rms = [float(np.sqrt(np.mean(d * d))) for d in g.deltas]
    sq, measured, n_var = [], [], []
    init = str(net.description.get("init"))
    for l in range(1, net.depth - 1):  # 1-based hidden layer l, over l + 1
        z = g.forward.zs[l - 1]
        sp = net.activations[l - 1].df(z)
        sq.append(float(np.mean(sp * sp)))
        with np.errstate(divide="ignore", invalid="ignore"):
            measured.append(rms[l - 1] / rms[l] if rms[l] > 0 else math.inf)
        fan_out, n_l = net.sizes[l + 1], net.sizes[l]
        try:
            var = float(weight_variance(init, n_l, fan_out))
        except NetsimError:
            var = float(np.mean(net.weights[l] ** 2))
        n_var.append(fan_out * var)
    return np.array(sq), np.array(measured), np.array(n_var), g.bias_gradient_norms()


def _geomean_rows(a: Array) -> Array:
    """Per row, the geometric mean (0 if any entry is 0)."""
    with np.errstate(divide="ignore"):
        return fp.exp(np.mean(fp.log(a), axis=1))


def _check_setting(s: Setting) -> None:
    """``s`` is a :class:`Setting` whose activation and initialisers netsim has."""
    require(isinstance(s, Setting), f"setting {s!r} must be a Setting")
    require_known_parts(f"setting {s.key!r}", s.activation, s.init, s.bias_init)


def _check_arguments(sizes: Sequence[int], seeds: str | Sequence[int] | int, n_samples: int,
                     settings: Sequence[Setting]) -> tuple[tuple[int, ...], tuple[int, ...], tuple[Setting, ...]]:
    """(sizes, seeds, settings): a deep digits net, the seeds parsed, and settings with different keys."""
    sizes = check_sizes(sizes)
    require(len(sizes) >= 5, f"sizes {list(sizes)} need at least three hidden layers (a deep net)")
    require(sizes[0] == 64, f"sizes {list(sizes)} must start with 64 (the 8x8 digits' pixels)")
    require(sizes[-1] == 10, f"sizes {list(sizes)} must end with 10 (one output per digit)")
    n_data = len(digits())
    require(is_whole(n_samples) and 1 <= n_samples <= n_data,
            f"n_samples = {n_samples!r} must be a whole number from 1 to {n_data}")
    seed_list = parse_seeds(seeds)
    settings = tuple(settings)
    require(len(settings) >= 1, "settings: give at least one setting")
    for s in settings:
        _check_setting(s)
    keys = [s.key for s in settings]
    require(len(set(keys)) == len(keys), f"settings {keys} must have different keys")
    return sizes, seed_list, settings


def _measure(s: Setting, sizes: tuple[int, ...], seeds: tuple[int, ...], x: Array,
             y: Array) -> tuple[Array, Array, Array, Array]:
    """Per seed (rows): E[sigma'(z_l)^2], the measured factor and ||dC/db_l||; then n_{l+1} Var(w_{l+1})."""
    sq_rows, meas_rows, norm_rows, n_var = [], [], [], None
    for seed in seeds:
        net = Network.create(sizes, s.activation, OUTPUT_ACTIVATION, s.init, None, s.bias_init, seed)
        sq, meas, nv, norms = fan_in_factors(net, x, y)
        sq_rows.append(sq)
        meas_rows.append(meas)
        norm_rows.append(norms)
        n_var = nv
    return np.array(sq_rows), np.array(meas_rows), np.array(norm_rows), np.asarray(n_var)


def _exact_n_var(s: Setting, sizes: tuple[int, ...], n_var: Array) -> tuple[Fraction, ...]:
    """n_{l+1} Var(w_{l+1}) per hidden pair, exact by the initialiser's rule (else the nearest fraction)."""
    return tuple(
        Fraction(sizes[l + 1]) * weight_variance(s.init, sizes[l], sizes[l + 1]) if s.init in RULE_INITS
        else Fraction(float(v)).limit_denominator()
        for l, v in zip(range(1, len(sizes) - 2), n_var)
    )


def _setting_norms(s: Setting, sizes: tuple[int, ...], seeds: tuple[int, ...], x: Array, y: Array) -> SettingNorms:
    """One setting's :class:`SettingNorms`: its nets' norms and factors, summarised over seeds."""
    sq_a, meas_a, norms_a, n_var = _measure(s, sizes, seeds, x, y)
    median = np.median(norms_a, axis=0)
    pred_a = np.sqrt(n_var[None, :] * sq_a)
    predicted = float(np.median(_geomean_rows(pred_a)))
    measured = float(np.median(_geomean_rows(meas_a)))
    mean_sq = float(np.median(sq_a.mean(axis=1)))
    ratio = float(last_over_first(median[:-1]))  # hidden layers only
    return SettingNorms(
        setting=s, norms=frozen(norms_a), median=frozen(median),
        q25=frozen(np.quantile(norms_a, 0.25, axis=0)), q75=frozen(np.quantile(norms_a, 0.75, axis=0)),
        ratio=ratio, ratio_rounded=round_significant(ratio, RATIO_DIGITS),
        n_var=_exact_n_var(s, sizes, n_var), sigma_prime_sq=frozen(sq_a), predicted=frozen(pred_a),
        measured=frozen(meas_a), predicted_factor=predicted, measured_factor=measured,
        predicted_rounded=round_significant(predicted, FACTOR_DIGITS),
        measured_rounded=round_significant(measured, FACTOR_DIGITS),
        mean_sigma_prime_sq=mean_sq,
        mean_sq_rounded=round_significant(mean_sq, FACTOR_DIGITS),
    )


def _summarise(sizes: tuple[int, ...], seeds: tuple[int, ...], n_samples: int,
               measured: tuple[SettingNorms, ...]) -> WayOutResult:
    """The frozen :class:`WayOutResult`: the settings, the variance rules, and one log axis for all bars."""
    every = np.concatenate([np.concatenate([m.median[:-1], m.q25[:-1], m.q75[:-1]]) for m in measured])
    n_in, n_out = sizes[1], sizes[2]
    return WayOutResult(
        sizes=sizes,
        seeds=seeds,
        n_samples=int(n_samples),
        cost=COST,
        settings=measured,
        n_in=int(n_in),
        n_out=int(n_out),
        rules=variance_rules(n_in, n_out),
        bar_decades=bar_decades(every),
    )


def way_out(
    sizes: Sequence[int] = (64, 30, 30, 30, 30, 10),
    seeds: str | Sequence[int] | int = f"0-{DEFAULT_SEED_COUNT - 1}",
    n_samples: int = DEFAULT_SAMPLES,
    settings: Sequence[Setting] = SETTINGS,
) -> WayOutResult:
    """Per-layer gradient norms and per-layer factors of the deep net of ``sizes`` for each setting.

    The net takes the 64 pixels of an 8x8 digit and gives 10 outputs (sigmoid), with at
    least three hidden layers (so that two hidden pairs exist); the cost is cross-entropy on
    the first ``n_samples`` digits.
    """
    sizes, seed_list, settings = _check_arguments(sizes, seeds, n_samples, settings)

    data = digits()
    x, y = data.x[:n_samples], data.y[:n_samples]
    measured = tuple(_setting_norms(s, sizes, seed_list, x, y) for s in settings)

    return _summarise(sizes, seed_list, n_samples, measured)


def sigma_prime_bound(activation: str) -> float:
    """The largest slope of a hidden activation on a fine grid: 1/4 for the sigmoid, 1 for tanh and ReLU."""
    z = np.linspace(-6.0, 6.0, 1201)
    return float(np.max(get_activation(activation).df(z)))
