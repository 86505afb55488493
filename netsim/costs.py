"""Costs C for one sample, with dC/da of the output layer and the output error beside each.

Arrays hold one sample per row: ``a`` and ``y`` have shape (n_samples, n_L). A cost
returns one value per sample; the network's cost is their mean.

As in Nielsen's ``network2.py``, each cost carries its own output error
delta_L = dC/dz_L (:meth:`Cost.delta`), so the backward pass never asks which cost it has:

    quadratic:      delta_L = (a_L - y) * sigma'(z_L)
    cross-entropy:  delta_L = a_L - y          (sigmoid output: the sigma'(z_L) cancels)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from netsim import fp
from netsim.activations import Activation, get_activation
from netsim.errors import NetsimError

Array = np.ndarray


@dataclass(frozen=True)
class Cost:
    """A per-sample cost C(a, y), its derivative dC/da, and its output error delta_L.

    ``output_delta(z, a, y)``, when given, is delta_L = dC/dz_L written out for the output
    activation named by ``output_activation`` (the only one it is valid for); without it,
    delta_L = dC/da_L * sigma'(z_L) for any output activation.
    """

    name: str
    value: Callable[[Array, Array], Array]
    da: Callable[[Array, Array], Array]
    output_delta: Callable[[Array, Array, Array], Array] | None = None
    output_activation: str | None = None

    def check_output(self, activation: str | Activation) -> None:
        """Raise :class:`NetsimError` if this cost makes no sense for the output ``activation``."""
        act = get_activation(activation)
        if self.output_activation is not None and act.name != self.output_activation:
            raise NetsimError(
                f"the {self.name} cost needs outputs in (0, 1): use a {self.output_activation} output "
                f"layer, not {act.name}"
            )

    def delta(self, z: Array, a: Array, y: Array, activation: str | Activation = "sigmoid") -> Array:
        """delta_L = dC/dz_L of the output layer, from z_L, a_L = sigma(z_L) and the target y.

        ``activation`` is the output layer's sigma (Nielsen's network2 assumes a sigmoid).
        """
        self.check_output(activation)
        if self.output_delta is not None:
            return self.output_delta(z, a, y)
        return self.da(a, y) * get_activation(activation).df_from(z, a)


def quadratic(a: Array, y: Array) -> Array:
    """C = ||a - y||^2 / 2 per sample."""
    return 0.5 * np.sum((a - y) ** 2, axis=-1)


def quadratic_da(a: Array, y: Array) -> Array:
    """dC/da = a - y."""
    return a - y


def cross_entropy(a: Array, y: Array) -> Array:
    """C = -sum(y ln a + (1 - y) ln(1 - a)) per sample; 0 ln 0 counts as 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(y > 0, y * fp.log(a), 0.0) + np.where(y < 1, (1 - y) * fp.log1p(-a), 0.0)
    return -np.sum(terms, axis=-1)


def cross_entropy_da(a: Array, y: Array) -> Array:
    """dC/da = (a - y) / (a (1 - a)). With a sigmoid output, delta_L = dC/da * sigma'(z) = a - y."""
    return (a - y) / (a * (1.0 - a))


def cross_entropy_delta(z: Array, a: Array, y: Array) -> Array:
    """delta_L = a - y for a sigmoid output: dC/da * sigma'(z) with a (1 - a) cancelled (no 0/0)."""
    return a - y


COSTS: dict[str, Cost] = {
    "quadratic": Cost("quadratic", quadratic, quadratic_da),
    "cross-entropy": Cost("cross-entropy", cross_entropy, cross_entropy_da, cross_entropy_delta, "sigmoid"),
}


def get_cost(name: str | Cost) -> Cost:
    """Look a cost up by name; an unknown name raises :class:`NetsimError`."""
    if isinstance(name, Cost):
        return name
    try:
        return COSTS[name]
    except (KeyError, TypeError):
        raise NetsimError(f"cost {name!r} is unknown; allowed: {', '.join(COSTS)}") from None
