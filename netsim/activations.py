"""Activation functions sigma, each with its derivative sigma' beside it.

Every function takes z (any shape) and returns an array of the same shape. The derivative
is written out by hand next to its function, as micrograd keeps each local derivative next
to its forward rule; the tests check each one against finite differences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from netsim import fp
from netsim.errors import NetsimError

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    """An activation sigma and its derivative sigma'.

    ``df_from(z, a)`` is sigma'(z) again, computed from z and a = sigma(z) when that is
    cheaper (the backward pass has both): sigma' = a (1 - a) needs no second exponential.
    ``output_range`` is the open interval of values sigma can take, used to check that a
    cost makes sense for an output layer (cross-entropy needs outputs in (0, 1)).
    """

    name: str
    f: Callable[[Array], Array]
    df: Callable[[Array], Array]
    output_range: tuple[float, float]
    df_from: Callable[[Array, Array], Array]

    def __call__(self, z: Array) -> Array:
        return self.f(z)


def sigmoid(z: Array) -> Array:
    """sigma(z) = 1 / (1 + e^-z), computed so that large |z| never overflows and every CPU
    gives the same bits (:func:`netsim.fp.sigmoid`)."""
    return fp.sigmoid(z)


def sigmoid_prime(z: Array) -> Array:
    """sigma'(z) = sigma(z) (1 - sigma(z)); its maximum is sigma'(0) = 1/4."""
    s = sigmoid(z)
    return s * (1.0 - s)


def sigmoid_prime_from(z: Array, a: Array) -> Array:
    """sigma'(z) = a (1 - a) from a = sigma(z): no second exponential, one new array."""
    s = 1.0 - np.asarray(a, dtype=float)  # 1 - a
    s *= a  # (1 - a) a, the same bits as a (1 - a)
    return s


def tanh(z: Array) -> Array:
    """tanh(z), the same bits on every CPU (:func:`netsim.fp.tanh`)."""
    return fp.tanh(z)


def tanh_prime(z: Array) -> Array:
    """tanh'(z) = 1 - tanh(z)^2; its maximum is 1 at z = 0."""
    t = fp.tanh(z)
    return 1.0 - t * t


def relu(z: Array) -> Array:
    """relu(z) = max(z, 0)."""
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_prime(z: Array) -> Array:
    """relu'(z) = 1 where z > 0, else 0 (the value at exactly z = 0 is taken as 0)."""
    return (np.asarray(z, dtype=float) > 0.0).astype(float)


def linear(z: Array) -> Array:
    """g(z) = z, the identity of the exploding/vanishing lecture."""
    return np.array(z, dtype=float, copy=True)


def linear_prime(z: Array) -> Array:
    """g'(z) = 1 everywhere."""
    return np.ones_like(np.asarray(z, dtype=float))


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime, (0.0, 1.0), sigmoid_prime_from),
    "tanh": Activation("tanh", tanh, tanh_prime, (-1.0, 1.0), lambda z, a: 1.0 - a * a),
    "relu": Activation("relu", relu, relu_prime, (0.0, np.inf), lambda z, a: relu_prime(z)),
    "linear": Activation("linear", linear, linear_prime, (-np.inf, np.inf), lambda z, a: linear_prime(z)),
}


def get_activation(name: str | Activation) -> Activation:
    """Look an activation up by name; an unknown name raises :class:`NetsimError`."""
    if isinstance(name, Activation):
        return name
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        allowed = ", ".join(ACTIVATIONS)
        raise NetsimError(f"activation {name!r} is unknown; allowed: {allowed}") from None
