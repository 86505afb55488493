"""What the chapter experiments share: read-only arrays, argument checks (whole numbers, numbers
above a bound, the digits net's sizes), the one-neuron chain of chapters 3 and 6, log-scale
axes, the vanishing / level / exploding verdict on a ratio, and rounding to significant figures."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from netsim.errors import require
from netsim.spec import NetSpec

Array = np.ndarray

#: A last-to-first hidden-layer ratio of at least this says "vanishing"; at most its inverse
#: says "exploding"; in between the gradients are "level".
REGIME_THRESHOLD = 10.0

#: A per-layer bars' log axis spans at least this many powers of ten, so level bars look level.
MIN_BAR_DECADES = 4


def frozen(values: Array | Sequence[float]) -> Array:
    """A read-only float copy, so a cached result cannot be changed by accident."""
    out = np.array(values, dtype=float, copy=True)
    out.setflags(write=False)
    return out


def is_whole(value: object) -> bool:
    """Whether ``value`` is a whole number: a Python or NumPy integer, not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    """Whether ``value`` is a real number: a Python or NumPy int or float, not a bool."""
    return isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(value, bool)


def require_whole(value: object, name: str, low: int, high: int | None = None) -> int:
    """``value`` as an int from ``low`` to ``high`` (None: no upper bound); else NetsimError names ``name``."""
    require(is_whole(value), f"{name} {value!r} must be a whole number")
    v = int(value)  # type: ignore[call-overload]
    if high is None:
        require(v >= low, f"{name} = {v} is out of range; allowed: {low} or more")
    else:
        require(low <= v <= high, f"{name} = {v} is out of range; allowed: {low} to {high}")
    return v


def require_above(value: object, name: str, low: float) -> float:
    """``value`` as a finite float > ``low``; else NetsimError names ``name``."""
    require(is_number(value) and math.isfinite(float(value)) and float(value) > low,  # type: ignore[arg-type]
            f"{name} = {value!r} must be a finite number > {low:g}")
    return float(value)  # type: ignore[arg-type]


def require_digits_net(sizes: Sequence[int]) -> None:
    """The 8x8 digits need 64 inputs and ten outputs; NetsimError names what is wrong."""
    require(sizes[0] == 64, f"the input layer has {sizes[0]} neurons; the 8x8 digits need 64")
    require(sizes[-1] == 10, f"the output layer has {sizes[-1]} neurons; ten digits need 10")


def digits_sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    """``sizes`` as a tuple: a digits net (64 inputs, 10 outputs) with at least one hidden layer."""
    sizes = tuple(sizes)
    require(len(sizes) >= 3, f"sizes {list(sizes)} need at least one hidden layer")
    require_digits_net(sizes)
    return sizes


def chain_net(net: NetSpec, layers: int) -> NetSpec:
    """The chain of chapters 3 and 6 drawn from ``net``'s seed: [1] * (``layers`` + 1), one
    sigmoid neuron per layer, z_l = w_l a_(l-1) + b_l, with Nielsen's weights N(0, 1)/sqrt(n_in)
    = N(0, 1) (n_in = 1) and N(0, 1) biases, whatever the net's own activation and start (the
    chapters are about the sigmoid's slope)."""
    return NetSpec((1,) * (int(layers) + 1), activation="sigmoid", output_activation="sigmoid", init="nielsen",
                   bias_init="normal", seed=net.seed)


def require_known_parts(what: str, activation: str, init: str, bias_init: str) -> None:
    """The activation, weight initialiser and bias initialiser are ones netsim has; the
    NetsimError starts with ``what`` (which net or setting)."""
    from netsim.activations import ACTIVATIONS
    from netsim.init import BIAS_INITS, WEIGHT_INITS

    require(activation in ACTIVATIONS,
            f"{what}: activation {activation!r} is unknown; allowed: {', '.join(ACTIVATIONS)}")
    require(init in WEIGHT_INITS, f"{what}: init {init!r} is unknown; allowed: {', '.join(WEIGHT_INITS)}")
    require(bias_init in BIAS_INITS,
            f"{what}: bias init {bias_init!r} is unknown; allowed: {', '.join(BIAS_INITS)}")


def decades(values: Array) -> tuple[int, int]:
    """Whole powers of ten (lo, hi) covering the finite positive values, hi >= lo + 1; (-1, 0) if none."""
    v = values[np.isfinite(values) & (values > 0)]
    if v.size == 0:
        return -1, 0
    lo = math.floor(math.log10(float(v.min())))
    return int(lo), int(max(math.ceil(math.log10(float(v.max()))), lo + 1))


def bar_decades(values: Array) -> tuple[int, int]:
    """Whole powers of ten covering the finite positive values, at least MIN_BAR_DECADES wide."""
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return -MIN_BAR_DECADES, 0
    hi = math.ceil(math.log10(float(v.max())))
    lo = min(math.floor(math.log10(float(v.min()))), hi - MIN_BAR_DECADES)
    return int(lo), int(hi)


def round_significant(x: float, digits: int = 2) -> float:
    """x rounded to ``digits`` significant figures (0, inf stay as they are)."""
    if x == 0 or not math.isfinite(x):
        return float(x)
    return float(round(x, digits - 1 - math.floor(math.log10(abs(x)))))


def verdict(ratio: float) -> tuple[str, float]:
    """("vanishing" | "level" | "exploding", the factor >= 1 it is by) for a ratio
    ||later layer|| / ||earlier layer||, the factor rounded to two significant figures."""
    if ratio >= REGIME_THRESHOLD:
        regime = "vanishing"
    elif ratio <= 1.0 / REGIME_THRESHOLD:
        regime = "exploding"
    else:
        regime = "level"
    return regime, round_significant(ratio if ratio >= 1 else (1.0 / ratio if ratio > 0 else math.inf))
