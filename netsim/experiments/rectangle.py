"""Chapter 7: the shrinking rectangle, and when back prop's per-layer factors lie between 0 and 1.

Three parts, all exact or computed here:

1. A unit square multiplied by factors between 0 and 1 (exact ``Fraction`` arithmetic):
   1 -> 1/4 -> 1/12 -> 1/48 for the factors 1/4, 1/3, 1/4.
2. The sigmoid's slope sigma'(z) = sigma(z) (1 - sigma(z)), sampled on [-z_max, z_max];
   its peak is sigma'(0) = 1/4 (taken from :func:`netsim.activations.sigmoid_prime`). So a
   layer's factor w sigma'(z) has size |w sigma'(z)| <= |w| / 4: below 1 when |w| < 4
   (``unit_weight``), below 1/4 when |w| < 1, and above 1 for large |w| with z near 0. Any
   size between 0 and 1 is possible: at z = 0 the weight w = 4 m gives the factor m
   (``zero_z_weights``: w = 4/3 gives the rectangle's 1/3).
3. A one-neuron-per-layer sigmoid chain (:func:`netsim.chain.chain_network`). Back prop walks
   from the output (layer L) to layer 1 with

       dC/db_l = sigma'(z_l) * w_{l+1} * dC/db_{l+1},

   so the gradient is multiplied by the layer factor w_{l+1} sigma'(z_l) at each step (its
   sign is w_{l+1}'s, since sigma' > 0). The weights and biases are drawn from the lesson's
   seed with netsim's ``nielsen`` weight initialiser and ``normal`` biases (the default
   lesson's choices). For a neuron with one input, N(0, 1)/sqrt(n_in) is N(0, 1): weights of
   ordinary size, |w| mostly below 1. The running products start at 1 at the output and
   equal dC/db_l / dC/db_L (signed; their sizes are what shrinks).

   For contrast, Nielsen's large-weight chain: every w = ``large_weight`` (100) with biases
   b_l = -w a_{l-1} so that every z_l = 0 (``biases="zero-z"``). Then every sigma'(z_l) = 1/4
   and every factor is w / 4 = 25 > 1: the product grows, the gradient explodes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Rational
from typing import NamedTuple

import numpy as np

from netsim.activations import sigmoid_prime
from netsim.chain import ChainResult, chain_factors, chain_network
from netsim.errors import NetsimError, require
from netsim.experiments.backprop import chain_parameters
from netsim.experiments.shared import is_whole
from netsim.network import Network

Array = np.ndarray

#: The storyboard's rectangle: multiply by 1/4, by 1/3, by 1/4.
DEFAULT_MULTIPLIERS: tuple[Fraction, ...] = (Fraction(1, 4), Fraction(1, 3), Fraction(1, 4))
#: Nielsen's large weight (ch. 5): with z = 0 each factor is 100 * 1/4 = 25.
DEFAULT_LARGE_WEIGHT = 100.0
MAX_LAYERS = 12
MAX_SAMPLES = 10_001
#: Powers of ten float64 can hold with a margin (its largest value is about 1.8e308).
FLOAT64_DECADES = 300


@dataclass(frozen=True)
class RectangleResult:
    """Everything chapter 7 shows.

    Rectangle: ``areas[k]`` is the product of the first k ``multipliers`` (``areas[0]`` = 1).
    Slope: ``z`` and ``sigma_prime`` sample sigma'(z); the peak is at ``peak_z`` with value
    ``peak`` (float) = ``peak_fraction`` (exact, 1/4); ``peak_is_max`` says no sample is higher.
    Bounds: ``unit_weight`` = 1 / sigma'(0) = 4, the |w| below which every factor is below 1;
    ``zero_z_weights[k]`` = 4 m_k is the weight whose factor at z = 0 is ``multipliers[k]``.
    Chain (L = ``layers`` neurons, 1-based layers): ``weights[l - 1]`` = w_l,
    ``biases[l - 1]`` = b_l, ``zs[l - 1]`` = z_l, ``sigma_primes[l - 1]`` = sigma'(z_l).
    ``factor_layers`` lists l in back-prop order (L-1 down to 1); ``factors[k]`` is the
    signed w_{l+1} sigma'(z_l) for ``factor_layers[k]``, and ``running[k]`` the product of
    ``factors[: k + 1]`` (dC/db_l relative to the output's dC/db_L). ``dC_db`` are the
    backward pass's bias gradients (layer 1..L) the running products are checked against.
    Large weights: ``large_factors``/``large_running`` likewise for the chain with every
    w = ``large_weight`` and every z = 0.
    """

    multipliers: tuple[Fraction, ...]
    areas: tuple[Fraction, ...]
    z: tuple[float, ...]
    sigma_prime: tuple[float, ...]
    peak_z: float
    peak: float
    peak_fraction: Fraction
    peak_is_max: bool
    unit_weight: Fraction
    zero_z_weights: tuple[Fraction, ...]
    seed: int
    layers: int
    weights: tuple[float, ...]
    biases: tuple[float, ...]
    zs: tuple[float, ...]
    sigma_primes: tuple[float, ...]
    factor_layers: tuple[int, ...]
    factors: tuple[float, ...]
    running: tuple[float, ...]
    dC_db: tuple[float, ...]
    large_weight: float
    large_zs: tuple[float, ...]
    large_factors: tuple[float, ...]
    large_running: tuple[float, ...]

    @property
    def below_peak(self) -> int:
        """How many of the ordinary chain's factors are below sigma'(0) = 1/4 in size."""
        return sum(abs(f) < self.peak for f in self.factors)

    @property
    def negative(self) -> int:
        """How many of the ordinary chain's factors are negative (their weight is)."""
        return sum(f < 0 for f in self.factors)


def _check_multipliers(multipliers: Sequence[Fraction | int]) -> tuple[Fraction, ...]:
    """The rectangle's multipliers as exact fractions, each strictly between 0 and 1."""
    require(len(multipliers) >= 1, "multipliers: give at least one factor")
    out: list[Fraction] = []
    for m in multipliers:
        require(isinstance(m, Rational) and not isinstance(m, bool),
                f"multiplier {m!r} must be an exact fraction (fractions.Fraction)")
        f = Fraction(m)
        require(0 < f < 1, f"multiplier {f} must lie strictly between 0 and 1")
        out.append(f)
    return tuple(out)


class _Factors(NamedTuple):
    """A chain's layer factors in back-prop order: the layers l, w_{l+1} sigma'(z_l), running products."""

    order: list[int]
    factors: list[float]
    running: list[float]
    chain: ChainResult


def _check_arguments(seed: int, layers: int, large_weight: float, z_max: float, samples: int, x: float) -> None:
    """The seed, the chain's length L, the large weight, the slope's window and samples, and a_0."""
    require(is_whole(seed) and seed >= 0, f"seed {seed!r} must be an integer >= 0")
    require(is_whole(layers), f"layers {layers!r} must be a whole number")
    require(2 <= layers <= MAX_LAYERS, f"layers = {layers} is out of range; allowed: 2 to {MAX_LAYERS}")
    for name, value in (("large_weight", large_weight), ("z_max", z_max), ("x", x)):
        require(isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value),
                f"{name} = {value!r} must be a finite number")
    require(large_weight > 0, f"large_weight = {large_weight} must be > 0")
    require(z_max > 0, f"z_max = {z_max} must be > 0")
    require(isinstance(samples, int) and not isinstance(samples, bool) and samples % 2 == 1
            and 3 <= samples <= MAX_SAMPLES,
            f"samples = {samples!r} must be an odd whole number from 3 to {MAX_SAMPLES} (so z = 0 is one)")


def _areas(mults: tuple[Fraction, ...]) -> tuple[Fraction, ...]:
    """The rectangle's exact areas: 1, then the product of the first k multipliers."""
    areas = [Fraction(1)]
    for m in mults:
        areas.append(areas[-1] * m)
    return tuple(areas)


def _sigmoid_slope(z_max: float, samples: int) -> tuple[Array, Array]:
    """z evenly spaced over [-z_max, z_max] (the middle one exactly 0) and sigma'(z) there."""
    z = np.linspace(-z_max, z_max, samples)
    z[samples // 2] = 0.0
    return z, sigmoid_prime(z)


def _backprop_factors(net: Network, x: float) -> _Factors:
    """w_{l+1} sigma'(z_l) (signed) in back-prop order (l = L-1 .. 1) and their running products."""
    result = chain_factors(net, x, 0.0)
    L = net.depth
    order = list(range(L - 1, 0, -1))
    factors = [float(result.layer_factors[l - 1]) for l in order]
    running = [float(v) for v in np.cumprod(factors)]
    return _Factors(order, factors, running, result)


def _large_chain(large_weight: float, layers: int, peak: float, x: float) -> _Factors:
    """Nielsen's chain: every w = ``large_weight``, every z = 0, so every factor is w sigma'(0)."""
    # every large factor is large_weight * sigma'(0); the product of L of them must stay finite
    if layers * math.log10(max(large_weight * peak, 1.0)) > FLOAT64_DECADES:
        raise NetsimError(f"large_weight = {large_weight} overflows float64 over {layers} layers; "
                          "choose a smaller one")
    return _backprop_factors(chain_network([float(large_weight)] * int(layers), biases="zero-z", a0=x), x)


def _summarise(mults: tuple[Fraction, ...], z: Array, sp: Array, peak: float, seed: int, net: Network,
               ordinary: _Factors, large_weight: float, large: _Factors) -> RectangleResult:
    """The frozen :class:`RectangleResult` of the rectangle, the slope and the two chains."""
    peak_fraction = Fraction(peak)
    return RectangleResult(
        multipliers=mults,
        areas=_areas(mults),
        z=tuple(float(v) for v in z),
        sigma_prime=tuple(float(v) for v in sp),
        peak_z=0.0,
        peak=peak,
        peak_fraction=peak_fraction,
        peak_is_max=bool(np.all(sp <= peak)),
        unit_weight=1 / peak_fraction,
        zero_z_weights=tuple(m / peak_fraction for m in mults),
        seed=seed,
        layers=net.depth,
        weights=tuple(float(w[0, 0]) for w in net.weights),
        biases=tuple(float(b[0]) for b in net.biases),
        zs=tuple(ordinary.chain.zs),
        sigma_primes=tuple(float(sigmoid_prime(np.array(v))) for v in ordinary.chain.zs),
        factor_layers=tuple(ordinary.order),
        factors=tuple(ordinary.factors),
        running=tuple(ordinary.running),
        dC_db=tuple(ordinary.chain.dC_db),
        large_weight=float(large_weight),
        large_zs=tuple(large.chain.zs),
        large_factors=tuple(large.factors),
        large_running=tuple(large.running),
    )


def shrinking_factors(
    seed: int = 0,
    layers: int = 5,
    multipliers: Sequence[Fraction | int] = DEFAULT_MULTIPLIERS,
    large_weight: float = DEFAULT_LARGE_WEIGHT,
    z_max: float = 6.0,
    samples: int = 121,
    x: float = 1.0,
) -> RectangleResult:
    """Compute chapter 7: the rectangle's exact areas, sigma' and its peak, and two chains.

    ``seed`` draws the ordinary chain (weights and biases N(0, 1)); ``layers`` = L neurons
    gives L - 1 layer factors; ``x`` = a_0 is the chain's input. Bad input raises
    :class:`NetsimError`.
    """
    mults = _check_multipliers(multipliers)
    _check_arguments(seed, layers, large_weight, z_max, samples, x)

    z, sp = _sigmoid_slope(z_max, samples)
    peak = float(sigmoid_prime(np.array(0.0)))  # sigma'(0) = 1/4, the slope's peak
    net = chain_network(*chain_parameters(int(seed), int(layers)))  # w_l ~ N(0, 1), b_l ~ N(0, 1)
    ordinary = _backprop_factors(net, float(x))
    large = _large_chain(large_weight, layers, peak, float(x))

    return _summarise(mults, z, sp, peak, int(seed), net, ordinary, large_weight, large)
