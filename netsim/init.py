"""Weight and bias initialisers.

A weight matrix W of layer l has shape (n_l, n_{l-1}) = (n_out, n_in), so that
z_l = W_l a_{l-1} + b_l. Every initialiser draws from the ``numpy.random.Generator`` it is
given, so one seed fixes every number bit for bit.

Weights:
- ``normal``: N(0, std^2) with a given ``std``.
- ``nielsen``: N(0, 1) / sqrt(n_in), the default of Nielsen's ``network2.py``.
- ``xavier-normal``: N(0, 2 / (n_in + n_out)) (Glorot and Bengio, 2010).
- ``xavier-uniform``: U(-r, r) with r = sqrt(6 / (n_in + n_out)), the same variance.
- ``he``: N(0, 2 / n_in) (He et al., 2015), for ReLU.
- ``identity``: ``scale`` * I (rectangular eye when n_out != n_in).
Biases: ``zeros``, ``normal`` (N(0, 1)).
Explicit weights and biases bypass these (see :meth:`netsim.network.Network.create`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from netsim.errors import NetsimError, require

Array = np.ndarray
WeightInit = Callable[[np.random.Generator, int, int, float], Array]


def _normal(rng: np.random.Generator, n_in: int, n_out: int, param: float) -> Array:
    return rng.standard_normal((n_out, n_in)) * param


def _nielsen(rng: np.random.Generator, n_in: int, n_out: int, param: float) -> Array:
    return rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)


def _xavier_normal(rng: np.random.Generator, n_in: int, n_out: int, param: float) -> Array:
    return rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / (n_in + n_out))


def _xavier_uniform(rng: np.random.Generator, n_in: int, n_out: int, param: float) -> Array:
    r = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-r, r, size=(n_out, n_in))


def _he(rng: np.random.Generator, n_in: int, n_out: int, param: float) -> Array:
    return rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)


def _identity(rng: np.random.Generator, n_in: int, n_out: int, param: float) -> Array:
    return param * np.eye(n_out, n_in)


WEIGHT_INITS: dict[str, WeightInit] = {
    "normal": _normal,
    "nielsen": _nielsen,
    "xavier-normal": _xavier_normal,
    "xavier-uniform": _xavier_uniform,
    "he": _he,
    "identity": _identity,
}
BIAS_INITS: tuple[str, ...] = ("zeros", "normal")

#: What the one numeric parameter of a weight initialiser means, and its default.
WEIGHT_PARAM_DEFAULTS: dict[str, float] = {"normal": 1.0, "identity": 1.0}


def weight_param(name: str, param: float | None = None) -> float:
    """The numeric parameter the initialiser ``name`` draws with (its default when ``param`` is
    None); an unknown name, a parameter that is not finite or a negative std raises
    :class:`NetsimError` with one line."""
    if name not in WEIGHT_INITS:
        allowed = ", ".join(WEIGHT_INITS)
        raise NetsimError(f"init {name!r} is unknown; allowed: {allowed}")
    value = WEIGHT_PARAM_DEFAULTS.get(name, 0.0) if param is None else float(param)
    require(bool(np.isfinite(value)), f"init parameter {param!r} must be a finite number")
    if name == "normal":
        require(value >= 0, f"weight std {value} must be >= 0")
    return value


def init_weights(
    rng: np.random.Generator, sizes: tuple[int, ...], name: str, param: float | None = None
) -> list[Array]:
    """Draw W_1 .. W_L for a net of the given sizes with the named initialiser.

    ``param`` is the std for ``normal`` and the scale a for ``identity``; others ignore it.
    """
    value = weight_param(name, param)
    draw = WEIGHT_INITS[name]
    return [draw(rng, n_in, n_out, value) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def init_biases(rng: np.random.Generator, sizes: tuple[int, ...], name: str) -> list[Array]:
    """Draw b_1 .. b_L: all zeros, or N(0, 1) as in Nielsen's book."""
    if name == "zeros":
        return [np.zeros(n) for n in sizes[1:]]
    if name == "normal":
        return [rng.standard_normal(n) for n in sizes[1:]]
    raise NetsimError(f"bias init {name!r} is unknown; allowed: {', '.join(BIAS_INITS)}")
