"""Chapter 10: the way out. Two other activation functions, the fan-in argument (with a
simulation of random sums), the starting-weight rules it gives, and the same deep net with
one change at a time.

Notation (Nielsen's): z_l = W_l a_(l-1) + b_l, a_l = g(z_l), delta_l = dC/dz_l; g is a
general activation function and g' its slope (sigma is the sigmoid only).

**Two activation functions** (:func:`activation_curves`): tanh, with slope
g'(z) = 1 - tanh(z)^2, which is 1 at z = 0 (four times the sigmoid's peak sigma'(0) = 1/4);
and ReLU(z) = max(0, z), with slope 1 for z > 0 and 0 for z < 0 (0 at z = 0 itself, as
:mod:`netsim.activations` takes it). Both sampled on one grid of z, with sigma' beside them.

**Random sums** (:func:`random_sums`): for n = 1, 2, 4, ..., ``max_n``, ``trials`` sums
S = sum_{k=1}^{n} w_k delta_k with every w_k and delta_k drawn independently from the
standard normal distribution (mean 0, mean square 1; generator ``default_rng([seed, n])``).
Each product has mean 0 and mean square 1, so S has mean square n: the root mean square of
the sums, rms(S) = sqrt(mean of S^2), should be sqrt(n), not n.

**The fan-in argument.** Back prop gives neuron j of hidden layer l

    delta_{l,j} = g'(z_{l,j}) sum_{k=1}^{n_out} w_{kj} delta_{l+1,k},

one term per neuron k of layer l + 1 (the n_out neurons it feeds: its fan-out). With
starting weights drawn independently around 0 with spread Var(w) (their mean square), the
sum has mean square n_out Var(w) E[delta_{l+1}^2], so

    rms(delta_l) ~ sqrt(n Var(w) E[g'^2]) rms(delta_{l+1}),

E[g'^2] the mean of g'(z)^2 over neurons and digits. That square root is the **predicted
per-layer factor**. The chapter's net has hidden layers of one width n, so between hidden
layers n_in = n_out = n (:func:`way_out` requires equal hidden widths); layer 1 has 64
inputs.

**The bars.** For hidden layer l (l = 1 .. L-1) of one net (one start): the root mean
square over the digits of one digit's ||delta_l||, sqrt(mean over digits x of
||delta_l(x)||^2) (delta_l(x) = dC_x/dz_l of digit x alone; ||.|| the square root of the
sum of squares). A bar is the median of that over the starts (seeds), with the quartiles.
The **measured per-layer factor** is read off the bars: the geometric mean of the ratios of
successive bars, bar_l / bar_(l+1) for l = 1 .. L-2, which is
(bar_1 / bar_(L-1))^(1 / (L-2)). Because the hidden widths are equal, the ratio of two bars
is also the ratio of rms(delta) per neuron, which the predicted factor is about.

**The rules** keep the factor near 1 (Var(w) for a layer of n_in inputs and n_out outputs):

- LeCun et al. 1998: Var(w) = 1 / n_in (slopes near 1, as tanh's near 0);
- Glorot and Bengio 2010 ("Xavier"): Var(w) = 2 / (n_in + n_out), between the forward
  pass (which wants 1 / n_in) and back prop (1 / n_out); netsim's ``xavier-normal``;
- He et al. 2015: Var(w) = 2 / n_in for ReLU, whose slope is 0 for about half the inputs,
  so that E[g'^2] is about 1/2.

Nielsen's start, w ~ N(0, 1/n_in) and b ~ N(0, 1), has LeCun's variance. Between the
hidden layers (n_in = n_out = n) Xavier's 2/(n + n) = 1/n is LeCun's too: Xavier's start
differs from Nielsen's only in layer 1 (64 inputs), the output layer and the biases (0).
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
from netsim.init import BIAS_INITS
from netsim.spec import DEFAULT_NET, NetSpec, OfNet, Setting

Array = np.ndarray

#: Nets (starts) per setting: seeds lesson.seed .. lesson.seed + DEFAULT_SEED_COUNT - 1.
DEFAULT_SEED_COUNT = 20
#: Digits the bars are taken over (Nielsen used 1000 training images).
DEFAULT_SAMPLES = 1000
#: Significant figures of the factors and of E[g'^2] as the chapter writes them: three, so that
#: the predicted factor can be checked against sqrt(n Var(w) E[g'^2]) from the numbers shown.
FACTOR_DIGITS = 3
#: Predicted and measured factors "agree" when measured / predicted is within this of 1.
AGREE_TOLERANCE = 0.10
#: The bars are "level" when the last hidden layer's bar over layer 1's is within this of 1.
LEVEL_TOLERANCE = 0.10
COST = "cross-entropy"

#: The activation curves' grid: z from -CURVE_Z_MAX to CURVE_Z_MAX in CURVE_SAMPLES steps.
CURVE_Z_MAX = 4.0
CURVE_SAMPLES = 161
#: Random sums: the largest n (n = 1, 2, 4, ... up to it), sums per n, and sums kept per n.
DEFAULT_MAX_N = 256
DEFAULT_TRIALS = 5000
DEFAULT_KEPT = 100
#: The sums' root mean square "follows sqrt(n)" when within this of sqrt(n) at every n.
SQRT_N_TOLERANCE = 0.05
MAX_TRIALS = 100_000
MAX_SUM_N = 4096


# ---------- two activation functions ----------

@dataclass(frozen=True)
class ActivationCurves:
    """tanh, ReLU and their slopes g'(z) sampled at ``zs`` (z = 0 among them), with the
    sigmoid sigma and its slope sigma' for comparison. ``tanh_peak`` = tanh'(0) = 1,
    ``sigmoid_peak`` = sigma'(0) = 1/4, ``peak_ratio`` their ratio (4); ``*_peak_is_max``: no sample is higher.
    ``tanh_centre`` = tanh(0) = 0 and ``sigmoid_centre`` = sigma(0) = 1/2: the middle of each
    curve's range, about which its outputs lie (tanh is odd; sigma(z) > 0 for every z).
    ``relu_slope_values``: the values ReLU's slope takes on the grid left and right of 0."""

    zs: tuple[float, ...]
    tanh: tuple[float, ...]
    tanh_slope: tuple[float, ...]
    relu: tuple[float, ...]
    relu_slope: tuple[float, ...]
    sigmoid: tuple[float, ...]
    sigmoid_slope: tuple[float, ...]
    tanh_peak: float
    sigmoid_peak: float
    peak_ratio: float
    tanh_peak_is_max: bool
    tanh_centre: float
    sigmoid_centre: float
    sigmoid_peak_is_max: bool
    relu_slope_left: float
    relu_slope_right: float


def activation_curves(z_max: float = CURVE_Z_MAX, samples: int = CURVE_SAMPLES) -> ActivationCurves:
    """tanh, ReLU, their slopes and sigma' on ``samples`` points from -z_max to z_max."""
    ok = isinstance(z_max, (int, float)) and not isinstance(z_max, bool) and math.isfinite(z_max)
    require(ok and 0 < z_max <= 50, f"z_max = {z_max!r} must be a number above 0 and at most 50")
    require(is_whole(samples) and samples % 2 == 1 and 3 <= samples <= 10_001,
            f"samples = {samples!r} must be an odd whole number from 3 to 10001 (so z = 0 is one)")
    zs = np.linspace(-float(z_max), float(z_max), int(samples))
    zs[int(samples) // 2] = 0.0
    tanh, relu, sig = (get_activation(n) for n in ("tanh", "relu", "sigmoid"))
    t_slope, s_slope, r_slope = tanh.df(zs), sig.df(zs), relu.df(zs)
    zero = np.array([0.0])
    t_peak, s_peak = float(tanh.df(zero)[0]), float(sig.df(zero)[0])
    left, right = r_slope[zs < 0], r_slope[zs > 0]
    require(bool(np.all(left == left[0]) and np.all(right == right[0])), "ReLU's slope is not constant on a side")

    def tup(a: Array) -> tuple[float, ...]:
        return tuple(float(v) for v in a)

    return ActivationCurves(
        zs=tup(zs), tanh=tup(tanh.f(zs)), tanh_slope=tup(t_slope), relu=tup(relu.f(zs)), relu_slope=tup(r_slope),
        sigmoid=tup(sig.f(zs)), sigmoid_slope=tup(s_slope), tanh_peak=t_peak, sigmoid_peak=s_peak,
        peak_ratio=t_peak / s_peak, tanh_peak_is_max=bool(np.all(t_slope <= t_peak)),
        sigmoid_peak_is_max=bool(np.all(s_slope <= s_peak)), tanh_centre=float(tanh.f(zero)[0]),
        sigmoid_centre=float(sig.f(zero)[0]),
        relu_slope_left=float(left[0]), relu_slope_right=float(right[0]),
    )


# ---------- random sums ----------

@dataclass(frozen=True, eq=False)
class RandomSums:
    """Sums S = sum_{k=1}^{n} w_k delta_k of random products (see the module's docstring).

    ``ns``: n = 1, 2, 4, ...; ``rms[i]``: the root mean square of the ``trials`` sums of
    ``ns[i]`` products; ``sqrt_n[i]`` = sqrt(ns[i]); ``kept[i]``: the first ``len(kept[i])``
    of those sums (signed), the ones a picture draws. ``tolerance``: how close to sqrt(n)
    the rms must be (relative, at every n) for :attr:`follows_sqrt_n`.

    Why sqrt(n): S^2 = sum_k (w_k delta_k)^2 + sum_{j != k} w_j delta_j w_k delta_k, n squares
    of mean 1 and cross terms of mean 0. ``squares[i]`` and ``cross[i]`` are those two parts'
    means over the ``trials`` sums of ``ns[i]`` products (their sum is ``rms[i]**2``).
    """

    seed: int
    trials: int
    ns: tuple[int, ...]
    rms: Array
    sqrt_n: Array
    kept: Array
    tolerance: float
    squares: Array
    cross: Array

    @property
    def worst(self) -> float:
        """The largest |rms / sqrt(n) - 1| over the n."""
        return float(np.max(np.abs(self.rms / self.sqrt_n - 1.0)))

    @property
    def follows_sqrt_n(self) -> bool:
        """Whether the rms is within ``tolerance`` of sqrt(n) at every n."""
        return self.worst <= self.tolerance

    @property
    def growth(self) -> float:
        """rms at the largest n over rms at n = 1 (sqrt(max n) if it follows sqrt(n))."""
        return float(self.rms[-1] / self.rms[0])


def random_sums(seed: int = 0, max_n: int = DEFAULT_MAX_N, trials: int = DEFAULT_TRIALS,
                kept: int = DEFAULT_KEPT) -> RandomSums:
    """``trials`` sums of n random products w_k delta_k for n = 1, 2, 4, ..., ``max_n`` (a
    power of 2); w_k, delta_k independent standard normal, generator ``default_rng([seed, n])``."""
    require(is_whole(seed) and seed >= 0, f"seed {seed!r} must be a whole number >= 0")
    require(is_whole(max_n) and 1 <= max_n <= MAX_SUM_N and (int(max_n) & (int(max_n) - 1)) == 0,
            f"max_n = {max_n!r} must be a power of 2 from 1 to {MAX_SUM_N}")
    require(is_whole(trials) and 2 <= trials <= MAX_TRIALS,
            f"trials = {trials!r} must be a whole number from 2 to {MAX_TRIALS}")
    require(is_whole(kept) and 1 <= kept <= trials, f"kept = {kept!r} must be a whole number from 1 to trials")
    ns = tuple(1 << i for i in range(int(max_n).bit_length()))
    rms, keep, squares, cross = [], [], [], []
    for n in ns:
        rng = np.random.default_rng([int(seed), n])
        w = rng.standard_normal((int(trials), n))
        d = rng.standard_normal((int(trials), n))
        p = w * d
        s = np.add.reduce(p, axis=1)
        mean_sq = float(np.mean(s * s))
        rms.append(float(np.sqrt(mean_sq)))
        keep.append(s[: int(kept)])
        squares.append(float(np.mean(np.add.reduce(p * p, axis=1))))
        cross.append(mean_sq - squares[-1])  # S^2 minus its n squares: the cross terms
    return RandomSums(seed=int(seed), trials=int(trials), ns=ns, rms=frozen(rms),
                      sqrt_n=frozen(np.sqrt(np.array(ns, dtype=float))), kept=frozen(np.array(keep)),
                      tolerance=SQRT_N_TOLERANCE, squares=frozen(squares), cross=frozen(cross))


# ---------- the starting-weight rules ----------

#: The ways to build the deep net chapter 10 compares, each a :class:`~netsim.spec.Setting`:
#: hidden activation, weight init and bias init (netsim names).
PROBLEM = Setting("sigmoid", "sigmoid", "nielsen", "normal")
SIGMOID_XAVIER = Setting("sigmoid-xavier", "sigmoid", "xavier-normal", "zeros")
TANH_XAVIER = Setting("tanh", "tanh", "xavier-normal", "zeros")
RELU_HE = Setting("relu", "relu", "he", "zeros")
#: The problem, then one change at a time: the start, the activation, ReLU with its own start.
SETTINGS: tuple[Setting, ...] = (PROBLEM, SIGMOID_XAVIER, TANH_XAVIER, RELU_HE)

#: The initialisers with a variance rule (see :func:`weight_variance`).
RULE_INITS: tuple[str, ...] = ("nielsen", "xavier-normal", "xavier-uniform", "he")


def _require_width(name: str, n: object) -> int:
    require(is_whole(n) and int(n) >= 1, f"{name} = {n!r} must be a whole number >= 1")  # type: ignore[call-overload]
    return int(n)  # type: ignore[call-overload]


def weight_variance(init: str, n_in: int, n_out: int) -> Fraction:
    """Var(w) of netsim's initialiser ``init`` for a layer of n_in inputs and n_out outputs:
    nielsen 1/n_in, xavier-normal and xavier-uniform 2/(n_in + n_out), he 2/n_in."""
    n_in, n_out = _require_width("n_in", n_in), _require_width("n_out", n_out)
    if init == "nielsen":
        return Fraction(1, n_in)
    if init in ("xavier-normal", "xavier-uniform"):
        return Fraction(2, n_in + n_out)
    if init == "he":
        return Fraction(2, n_in)
    raise NetsimError(f"init {init!r} has no variance rule; allowed: {', '.join(RULE_INITS)}")


def bias_variance(bias_init: str) -> Fraction:
    """Var(b) of netsim's bias initialiser: 1 for ``normal`` (N(0, 1), Nielsen's), 0 for ``zeros``."""
    if bias_init == "normal":
        return Fraction(1)
    if bias_init == "zeros":
        return Fraction(0)
    raise NetsimError(f"bias init {bias_init!r} is unknown; allowed: {', '.join(BIAS_INITS)}")


@dataclass(frozen=True)
class VarianceRule:
    """Var(w) = numerator / denominator for a layer of n_in inputs and n_out outputs, and who
    proposed it. ``formula`` names the denominator ("n_in" or "n_in + n_out"); the fraction is
    kept as written (2/60, not 1/30), so the widths plugged in show."""

    key: str
    authors: str
    year: int
    formula: str
    n_in: int
    n_out: int
    numerator: int
    denominator: int

    @property
    def fraction(self) -> Fraction:
        """The variance as an exact (reduced) fraction."""
        return Fraction(self.numerator, self.denominator)


def variance_rules(n_in: int, n_out: int) -> tuple[VarianceRule, ...]:
    """LeCun 1998 1/n_in, Glorot and Bengio 2010 2/(n_in + n_out), He 2015 2/n_in."""
    n_in, n_out = _require_width("n_in", n_in), _require_width("n_out", n_out)
    return (
        VarianceRule("lecun", "LeCun", 1998, "n_in", n_in, n_out, 1, n_in),
        VarianceRule("glorot", "Glorot, Bengio", 2010, "n_in + n_out", n_in, n_out, 2, n_in + n_out),
        VarianceRule("he", "He", 2015, "n_in", n_in, n_out, 2, n_in),
    )


# ---------- the deep net, one change at a time ----------

@dataclass(frozen=True, eq=False)
class SettingBars:
    """One setting on the deep net: its bars and its per-layer factor.

    ``per_start[s, l - 1]``: start s's rms over the digits of one digit's ||delta_l||, hidden
    layers l = 1 .. L-1; ``bars``, ``q25``, ``q75``: its median and quartiles over the starts.
    ``ratio`` = bars[L-2] / bars[0], the last hidden layer's bar over layer 1's.
    ``slope_sq[l - 1]``: the mean of g'(z_l)^2 over starts, neurons and digits, l = 1 .. L-2
    (the layers whose delta comes from a hidden layer); ``mean_slope_sq`` their mean, E[g'^2].
    ``n_var``: n Var(w) of the hidden-to-hidden weights (exact); ``bias_var``: Var(b) of the
    starting biases (exact: 1 for Nielsen's N(0, 1), 0 for zeros). ``predicted`` =
    sqrt(n_var E[g'^2]); ``measured``: the geometric mean of bars[l-1] / bars[l] over
    l = 1 .. L-2. ``on_fraction``: the share of hidden z_l above 0 (starts, neurons, digits).
    ``dead_starts``: how many starts give layer 1 no gradient at all (its bar is 0: delta_1 = 0
    for every digit, as when every ReLU of some layer is switched off).
    ``*_rounded``: to ``FACTOR_DIGITS`` significant figures, as the chapter writes them.
    """

    setting: Setting
    per_start: Array
    bars: Array
    q25: Array
    q75: Array
    ratio: float
    slope_sq: Array
    mean_slope_sq: float
    n_var: Fraction
    bias_var: Fraction
    predicted: float
    measured: float
    on_fraction: float
    dead_starts: int

    @property
    def dead(self) -> bool:
        """Whether no gradient reaches layer 1 in the median start (bar 1 is 0)."""
        return float(self.bars[0]) == 0.0

    @property
    def predicted_rounded(self) -> float:
        return round_significant(self.predicted, FACTOR_DIGITS)

    @property
    def measured_rounded(self) -> float:
        return round_significant(self.measured, FACTOR_DIGITS)

    @property
    def slope_sq_rounded(self) -> float:
        return round_significant(self.mean_slope_sq, FACTOR_DIGITS)

    @property
    def agrees(self) -> bool:
        """Whether measured / predicted is within ``AGREE_TOLERANCE`` of 1."""
        if self.predicted == 0 or not math.isfinite(self.measured):
            return self.measured == self.predicted
        return abs(self.measured / self.predicted - 1.0) <= AGREE_TOLERANCE

    @property
    def level(self) -> bool:
        """Whether the last hidden layer's bar is within ``LEVEL_TOLERANCE`` of layer 1's (both non-zero)."""
        alive = float(self.bars[0]) > 0.0 and float(self.bars[-1]) > 0.0  # no gradient at all is not "level"
        return alive and math.isfinite(self.ratio) and abs(self.ratio - 1.0) <= LEVEL_TOLERANCE


@dataclass(frozen=True, eq=False)
class WayOutResult(OfNet):
    """Everything the way-out chapter shows of the deep net ``net`` (its sizes; each setting
    gives the activation and start, ``seeds`` the starts).

    ``settings`` follow the settings given (by default :data:`SETTINGS`). ``width``: the
    hidden layers' one width n (so n_in = n_out = n between hidden layers); ``n_first``:
    layer 1's inputs (64). ``hidden_rules`` are the three variance rules for a
    hidden-to-hidden layer (n in, n out), ``first_rules`` for layer 1 (64 in, n out).
    ``bar_decades`` = (lo, hi): one log axis, whole powers of ten, covering every setting's
    bars and quartiles.
    """

    net: NetSpec
    seeds: tuple[int, ...]
    n_samples: int
    cost: str
    settings: tuple[SettingBars, ...]
    width: int
    n_first: int
    hidden_rules: tuple[VarianceRule, ...]
    first_rules: tuple[VarianceRule, ...]
    bar_decades: tuple[int, int]

    @property
    def hidden(self) -> int:
        """L - 1, the number of hidden layers (bars per setting)."""
        return len(self.sizes) - 2

    def by_key(self, key: str) -> SettingBars:
        """The setting called ``key`` (e.g. "sigmoid", "sigmoid-xavier", "tanh" or "relu")."""
        for s in self.settings:
            if s.setting.key == key:
                return s
        raise NetsimError(f"setting {key!r} is unknown; allowed: {', '.join(s.setting.key for s in self.settings)}")


def last_over_first(values: Array) -> float:
    """values[-1] / values[0]; inf when the first is 0 (and the last is not), 1 when both are."""
    first, last = float(values[0]), float(values[-1])
    if first == 0.0:
        return 1.0 if last == 0.0 else math.inf
    with np.errstate(over="ignore"):
        return last / first


def factor_from_bars(bars: Array) -> float:
    """The geometric mean of bars[i] / bars[i + 1] over successive bars, which telescopes to
    (bars[0] / bars[-1])^(1 / (len - 1)): 0 when the first bar is 0 (no gradient reaches
    layer 1), inf when only the last is."""
    require(len(bars) >= 2, "a factor needs at least two bars")
    first, last = float(bars[0]), float(bars[-1])
    if first == 0.0:
        return 0.0
    if last == 0.0:
        return math.inf
    logs = fp.log(np.array([first, last]))
    return float(fp.exp(np.array([(logs[0] - logs[1]) / (len(bars) - 1)]))[0])


def digit_delta_rms(delta: Array) -> float:
    """sqrt(mean over the digits (rows) of ||delta(x)||^2): the rms over digits of one digit's size."""
    return float(np.sqrt(np.mean(np.add.reduce(delta * delta, axis=1))))


def _check_setting(s: Setting) -> None:
    """``s`` is a :class:`Setting` whose activation and initialisers netsim has, with a variance rule."""
    require(isinstance(s, Setting), f"setting {s!r} must be a Setting")
    require(s.deep, f"setting {s.key!r} is a shallow net; the way out compares deep nets")
    require_known_parts(f"setting {s.key!r}", s.activation, s.init, s.bias_init)
    require(s.init in RULE_INITS, f"setting {s.key!r}: init {s.init!r} has no variance rule; "
            f"allowed: {', '.join(RULE_INITS)}")


def _check_arguments(net: NetSpec, seeds: str | Sequence[int] | int | None, n_samples: int,
                     settings: Sequence[Setting]) -> tuple[tuple[int, ...], tuple[Setting, ...]]:
    """(seeds, settings): a deep digits net with hidden layers of one width, the seeds parsed
    (None: ``DEFAULT_SEED_COUNT`` of them from the net's seed on), and settings with different keys."""
    sizes = net.sizes
    require(len(sizes) >= 4, f"sizes {list(sizes)} need at least two hidden layers (a deep net)")
    require(sizes[0] == 64, f"sizes {list(sizes)} must start with 64 (the 8x8 digits' pixels)")
    require(sizes[-1] == 10, f"sizes {list(sizes)} must end with 10 (one output per digit)")
    require(len(set(sizes[1:-1])) == 1, f"sizes {list(sizes)}: the hidden layers must all have one width")
    n_data = len(digits())
    require(is_whole(n_samples) and 1 <= n_samples <= n_data,
            f"n_samples = {n_samples!r} must be a whole number from 1 to {n_data}")
    if seeds is None:
        seeds = list(range(net.seed, net.seed + DEFAULT_SEED_COUNT))
    seed_list = parse_seeds(seeds)
    settings = tuple(settings)
    require(len(settings) >= 1, "settings: give at least one setting")
    for s in settings:
        _check_setting(s)
    keys = [s.key for s in settings]
    require(len(set(keys)) == len(keys), f"settings {keys} must have different keys")
    return seed_list, settings


def _setting_bars(s: Setting, net: NetSpec, seeds: tuple[int, ...], x: Array, y: Array) -> SettingBars:
    """One setting of the deep net ``net``: each start's bars, then the summary over the starts."""
    sizes, changed = net.sizes, s.of(net)
    hidden = len(sizes) - 2
    per_start, sq_sum, on_count = [], np.zeros(hidden - 1), 0.0
    for seed in seeds:
        start = changed.with_(seed=seed).build()
        g = start.backward(x, y, COST)
        per_start.append([digit_delta_rms(g.deltas[l]) for l in range(hidden)])
        for l in range(hidden - 1):  # layers 1 .. L-2, 0-based
            slope = start.activations[l].df(g.forward.zs[l])
            sq_sum[l] += float(np.mean(slope * slope))
        on_count += sum(float(np.mean(g.forward.zs[l] > 0.0)) for l in range(hidden))
    per = np.array(per_start)
    bars = np.median(per, axis=0)
    slope_sq = sq_sum / len(seeds)
    mean_sq = float(np.mean(slope_sq))  # every layer has the same width: the mean over all of them
    n = sizes[1]
    n_var = Fraction(n) * weight_variance(s.init, n, n)
    return SettingBars(
        setting=s, per_start=frozen(per), bars=frozen(bars), q25=frozen(np.quantile(per, 0.25, axis=0)),
        q75=frozen(np.quantile(per, 0.75, axis=0)), ratio=float(last_over_first(bars)), slope_sq=frozen(slope_sq),
        mean_slope_sq=mean_sq, n_var=n_var, bias_var=bias_variance(s.bias_init),
        predicted=float(np.sqrt(float(n_var) * mean_sq)),
        measured=factor_from_bars(bars), on_fraction=on_count / (len(seeds) * hidden),
        dead_starts=int(np.sum(per[:, 0] == 0.0)),
    )


def way_out(
    net: NetSpec = DEFAULT_NET,
    *,
    seeds: str | Sequence[int] | int | None = None,
    n_samples: int = DEFAULT_SAMPLES,
    settings: Sequence[Setting] = SETTINGS,
) -> WayOutResult:
    """The bars and per-layer factors of the deep net ``net`` at its start, per setting (each
    setting gives the net its activation and start; ``seeds`` the starts, by default
    ``DEFAULT_SEED_COUNT`` seeds from the net's own on).

    The net takes the 64 pixels of an 8x8 digit and gives 10 outputs (the net's output layer,
    a sigmoid in every lesson), with at least two hidden layers of one width (so that a factor
    between them exists); the cost is the cross-entropy, each digit's delta_l taken alone, on
    the first ``n_samples`` digits.
    """
    seed_list, settings = _check_arguments(net, seeds, n_samples, settings)
    data = digits()
    x, y = data.x[:n_samples], data.y[:n_samples]
    measured = tuple(_setting_bars(s, net, seed_list, x, y) for s in settings)
    every = np.concatenate([np.concatenate([m.bars, m.q25, m.q75]) for m in measured])
    sizes = net.sizes
    width = sizes[1]
    return WayOutResult(
        net=net, seeds=seed_list, n_samples=int(n_samples), cost=COST, settings=measured, width=int(width),
        n_first=int(sizes[0]), hidden_rules=variance_rules(width, width), first_rules=variance_rules(sizes[0], width),
        bar_decades=bar_decades(every),
    )


@dataclass(frozen=True, eq=False)
class WayOutChapter:
    """Everything chapter 10 shows for one lesson's net: the activation curves, the random sums
    (drawn from the net's seed) and the deep net's bars (:func:`way_out`)."""

    curves: ActivationCurves
    sums: RandomSums
    bars: WayOutResult


def the_way_out(net: NetSpec = DEFAULT_NET) -> WayOutChapter:
    """Chapter 10's numbers for the lesson's net ``net``: tanh and ReLU sampled, the random sums
    from its seed, and its bars from ``DEFAULT_SEED_COUNT`` starts from its seed on."""
    bars = way_out(net)
    return WayOutChapter(curves=activation_curves(), sums=random_sums(seed=net.seed), bars=bars)
