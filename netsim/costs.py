"""Costs C for one sample, with dC/da of the output layer beside each.

Arrays hold one sample per row: ``a`` and ``y`` have shape (n_samples, n_L). A cost
returns one value per sample; the network's cost is their mean.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from netsim.errors import NetsimError

Array = np.ndarray


@dataclass(frozen=True)
class Cost:
    """A per-sample cost C(a, y) and its derivative dC/da."""

    name: str
    value: Callable[[Array, Array], Array]
    da: Callable[[Array, Array], Array]


def quadratic(a: Array, y: Array) -> Array:
    """C = ||a - y||^2 / 2 per sample."""
    return 0.5 * np.sum((a - y) ** 2, axis=-1)


def quadratic_da(a: Array, y: Array) -> Array:
    """dC/da = a - y."""
    return a - y


def cross_entropy(a: Array, y: Array) -> Array:
    """C = -sum(y ln a + (1 - y) ln(1 - a)) per sample; 0 ln 0 counts as 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(y > 0, y * np.log(a), 0.0) + np.where(y < 1, (1 - y) * np.log1p(-a), 0.0)
    return -np.sum(terms, axis=-1)


def cross_entropy_da(a: Array, y: Array) -> Array:
    """dC/da = (a - y) / (a (1 - a)). With a sigmoid output, delta_L = dC/da * sigma'(z) = a - y."""
    return (a - y) / (a * (1.0 - a))


COSTS: dict[str, Cost] = {
    "quadratic": Cost("quadratic", quadratic, quadratic_da),
    "cross-entropy": Cost("cross-entropy", cross_entropy, cross_entropy_da),
}


def get_cost(name: str | Cost) -> Cost:
    """Look a cost up by name; an unknown name raises :class:`NetsimError`."""
    if isinstance(name, Cost):
        return name
    try:
        return COSTS[name]
    except (KeyError, TypeError):
        raise NetsimError(f"cost {name!r} is unknown; allowed: {', '.join(COSTS)}") from None
