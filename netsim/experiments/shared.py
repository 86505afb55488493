"""What the chapter experiments share: read-only arrays, the digits net's size check, the
vanishing / level / exploding verdict on a ratio, and rounding to significant figures."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from netsim.errors import require

Array = np.ndarray

#: A last-to-first hidden-layer ratio of at least this says "vanishing"; at most its inverse
#: says "exploding"; in between the gradients are "level".
REGIME_THRESHOLD = 10.0


def frozen(values: Array | Sequence[float]) -> Array:
    """A read-only float copy, so a cached result cannot be changed by accident."""
    out = np.array(values, dtype=float, copy=True)
    out.setflags(write=False)
    return out


def require_digits_net(sizes: Sequence[int]) -> None:
    """The 8x8 digits need 64 inputs and ten outputs; NetsimError names what is wrong."""
    require(sizes[0] == 64, f"the input layer has {sizes[0]} neurons; the 8x8 digits need 64")
    require(sizes[-1] == 10, f"the output layer has {sizes[-1]} neurons; ten digits need 10")


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
