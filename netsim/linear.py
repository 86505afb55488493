"""The deep linear net of the exploding/vanishing-gradient lecture.

g(z) = z and b = 0 in every layer, and every layer has the same weight matrix W (by default
W = a*I), so  a_l = W a_{l-1}  and  y_hat = a_L = W^L x.  With C = sum of the outputs,
dC/da_L = 1 and, since g' = 1,  delta_l = W^T delta_{l+1}  and  dC/dW_l = delta_l a_{l-1}^T.

Two records are kept side by side:

- what floating-point arithmetic gives, layer by layer, exactly as a computer running the
  net would get it (float64 by default, or float32, what practice uses, with
  ``dtype=np.float32``): it overflows to inf (1.5^n from n = 1751 in float64, n = 219 in
  float32) or underflows to 0 (0.5^n from n = 1075 in float64, n = 150 in float32); once a
  unit is inf, the next product W a_{l-1} forms 1.5 * inf + 0 * inf = NaN;
- the true magnitudes as base-10 logarithms, computed with a running scale factor so they
  stay finite at any depth.

The result names the first layer where the arithmetic overflowed, underflowed or produced
NaN. No NaN is ever returned: where it formed inf * 0, the value is rebuilt from its
logarithm (and is inf again), and the layer is recorded in ``forward_nan_layer``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from netsim import fp
from netsim.errors import NetsimError, require

Array = np.ndarray

MAX_LINEAR_DEPTH = 100_000


@dataclass(frozen=True)
class LinearNetResult:
    """Per-layer numbers of the linear net; layers are numbered l = 1..L.

    ``activations[l]``: a_l as float64 computes it (``activations[0]`` = x), shape (L+1, n).
    ``log10_activation_norms[l]``: log10 ||a_l||, exact (-inf only if a_l is truly 0).
    ``deltas[l - 1]``: delta_l = dC/dz_l as float64 computes it, shape (L, n).
    ``log10_delta_norms[l - 1]``: log10 ||delta_l||, exact.
    ``grad_w_norms[l - 1]``: ||dC/dW_l|| in float64 (inf on overflow, 0 on underflow).
    ``log10_grad_w_norms[l - 1]``: log10 ||dC/dW_l||, exact.
    ``*_overflow_layer``/``*_underflow_layer``: the first layer l where the arithmetic
    (``dtype``) gave inf, or 0 for a value that is not 0; None if it never did. Back prop runs
    from l = L down, so its "first" layer is the highest l where it happened.
    ``forward_nan_layer`` / ``backward_nan_layer``: the first layer where it formed NaN
    (inf * 0); those values are returned rebuilt from the exact logarithm, never as NaN.
    """

    weight: Array
    depth: int
    x: Array
    activations: Array
    log10_activation_norms: Array
    deltas: Array
    log10_delta_norms: Array
    grad_w_norms: Array
    log10_grad_w_norms: Array
    forward_overflow_layer: int | None
    forward_underflow_layer: int | None
    backward_overflow_layer: int | None
    backward_underflow_layer: int | None
    forward_nan_layer: int | None = None
    backward_nan_layer: int | None = None
    dtype: str = "float64"

    @property
    def output(self) -> Array:
        """y_hat = a_L as float64 computes it."""
        return self.activations[-1]

    def notes(self) -> list[str]:
        """One plain sentence per place where float64 gave up."""
        out = []
        if self.forward_overflow_layer is not None:
            out.append(f"forward pass: float64 overflows to inf at layer {self.forward_overflow_layer}")
        if self.forward_underflow_layer is not None:
            out.append(f"forward pass: float64 underflows to 0 at layer {self.forward_underflow_layer}")
        if self.backward_overflow_layer is not None:
            out.append(f"back prop: float64 overflows to inf at layer {self.backward_overflow_layer}")
        if self.backward_underflow_layer is not None:
            out.append(f"back prop: float64 underflows to 0 at layer {self.backward_underflow_layer}")
        return out


def _log10_norm(v: Array) -> float:
    """log10 ||v|| (-inf for the zero vector)."""
    with np.errstate(divide="ignore"):
        return float(fp.log10(fp.norm(v)))


def _first(flags: Sequence[bool], layers: Sequence[int]) -> int | None:
    """The layer of the first true flag, or None."""
    for flag, layer in zip(flags, layers):
        if flag:
            return layer
    return None


class _Track(NamedTuple):
    """One pass through the linear net: the values in the chosen arithmetic (NaN rebuilt from the
    exact track), the exact track as unit vectors and log10 norms, and where NaN formed."""

    values: Array
    unit: Array
    log10_norm: Array
    nan: Array


def _check_arguments(scale: float | None, depth: int, x: Sequence[float], weight: Array | None,
                     dtype: type) -> tuple[Array, Array]:
    """(x, W): the input as a flat float array and the square weight matrix, checked with depth and dtype."""
    require(dtype in (np.float64, np.float32), f"dtype {dtype!r} must be np.float64 or np.float32")
    require(isinstance(depth, (int, np.integer)) and not isinstance(depth, bool),
            f"depth {depth!r} must be a whole number")
    require(depth >= 1, f"depth {depth} must be at least 1")
    require(depth <= MAX_LINEAR_DEPTH, f"depth {depth} is above the limit of {MAX_LINEAR_DEPTH}")
    x = np.asarray(x, dtype=float).ravel()
    require(x.size >= 1 and bool(np.all(np.isfinite(x))), "x must hold finite numbers")
    n = x.size
    if weight is None:
        require(scale is not None and bool(np.isfinite(scale)), f"scale {scale!r} must be a finite number")
        return x, float(scale) * np.eye(n)
    w = np.asarray(weight, dtype=float)
    if w.shape != (n, n) or not np.all(np.isfinite(w)):
        raise NetsimError(f"weight must be a finite {n}x{n} matrix, got shape {w.shape}")
    return x, w


def _propagate(m: Array, m_cast: Array, values: Array, unit: Array, log_norm: Array,
               steps: Iterable[tuple[int, int]]) -> None:
    """For each (i, j): values[i] = m values[j] in the arithmetic of ``m_cast``, and exactly as
    unit[i] times 10^log_norm[i] (the unit vector renormalised at every step)."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for i, j in steps:
            values[i] = fp.matmul(m_cast, values[j])
            u = fp.matmul(m, unit[j])
            norm = fp.norm(u)
            unit[i] = u / norm if norm > 0 else u
            log_norm[i] = log_norm[j] + (fp.log10(norm) if norm > 0 else -np.inf)


def _forward(w: Array, x: Array, depth: int, dtype: type) -> _Track:
    """a_l = W a_{l-1} for l = 1 .. L from a_0 = x, as the arithmetic gives it and exactly."""
    n = x.size
    acts = np.empty((depth + 1, n), dtype=dtype)
    acts[0] = x.astype(dtype)
    log_a = np.empty(depth + 1)
    log_a[0] = _log10_norm(x)
    unit_a = np.empty((depth + 1, n))
    unit_a[0] = x / fp.norm(x) if np.any(x) else x
    _propagate(w, w.astype(dtype), acts, unit_a, log_a, ((l, l - 1) for l in range(1, depth + 1)))
    nan_a = np.isnan(acts[1:]).any(axis=1)
    return _Track(_no_nan(acts, unit_a, log_a), unit_a, log_a, nan_a)


def _backward(w: Array, n: int, depth: int, dtype: type) -> _Track:
    """delta_l = W^T delta_{l+1} for l = L-1 .. 1 from delta_L = dC/da_L = 1 (C = sum of outputs)."""
    deltas = np.empty((depth, n), dtype=dtype)
    unit_d = np.empty((depth, n))
    log_d = np.empty(depth)
    ones = np.ones(n)
    deltas[-1] = ones
    unit_d[-1] = ones / np.sqrt(n)
    log_d[-1] = _log10_norm(ones)
    _propagate(w.T, w.astype(dtype).T, deltas, unit_d, log_d, ((i, i + 1) for i in range(depth - 2, -1, -1)))
    nan_d = np.isnan(deltas).any(axis=1)
    return _Track(_no_nan(deltas, unit_d, log_d), unit_d, log_d, nan_d)


def _grad_w_norms(fwd: _Track, bwd: _Track, dtype: type) -> tuple[Array, Array]:
    """||dC/dW_l|| = ||delta_l|| ||a_{l-1}|| in the arithmetic (rebuilt where it wrongly gave inf or 0),
    and its exact log10."""
    log_g = bwd.log10_norm + fwd.log10_norm[:-1]
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        grad_norms = fp.norm(bwd.values, axis=1) * fp.norm(fwd.values[:-1], axis=1)
    bad = ~np.isfinite(grad_norms) | ((grad_norms == 0) & np.isfinite(log_g))
    with np.errstate(over="ignore", under="ignore"):
        rebuilt = fp.exp10(np.where(np.isfinite(log_g), log_g, -np.inf)).astype(dtype)
        grad_norms = np.where(bad, rebuilt, grad_norms)
    return grad_norms, log_g


def _summarise(w: Array, depth: int, x: Array, fwd: _Track, bwd: _Track, grad_norms: Array, log_g: Array,
               dtype: type) -> LinearNetResult:
    """The :class:`LinearNetResult`, with the first layers where the arithmetic overflowed,
    underflowed (for a value that is truly not 0) or formed NaN (back prop counts from l = L down)."""
    acts, deltas = fwd.values, bwd.values
    layers = list(range(1, depth + 1))
    true_a = np.isfinite(fwd.log10_norm[1:])[:, None] & (fwd.unit[1:] != 0)
    true_d = np.isfinite(bwd.log10_norm)[:, None] & (bwd.unit != 0)
    return LinearNetResult(
        weight=w,
        depth=int(depth),
        x=x,
        activations=acts,
        log10_activation_norms=fwd.log10_norm,
        deltas=deltas,
        log10_delta_norms=bwd.log10_norm,
        grad_w_norms=grad_norms,
        log10_grad_w_norms=log_g,
        forward_overflow_layer=_first(list(np.isinf(acts[1:]).any(axis=1)), layers),
        forward_underflow_layer=_first(list((true_a & (acts[1:] == 0)).any(axis=1)), layers),
        backward_overflow_layer=_first(list(np.isinf(deltas).any(axis=1))[::-1], layers[::-1]),
        backward_underflow_layer=_first(list((true_d & (deltas == 0)).any(axis=1))[::-1], layers[::-1]),
        forward_nan_layer=_first(list(fwd.nan), layers),
        backward_nan_layer=_first(list(bwd.nan)[::-1], layers[::-1]),
        dtype=np.dtype(dtype).name,
    )


def linear_net(
    scale: float | None = 1.5,
    depth: int = 10,
    x: Sequence[float] = (1.0, 1.0),
    weight: Array | None = None,
    dtype: type = np.float64,
) -> LinearNetResult:
    """Run the linear net W = ``scale`` * I (or the given square ``weight``) of ``depth`` layers.

    ``dtype`` (np.float64 or np.float32) is the arithmetic of the recorded values; the exact
    logarithms are always kept in float64.
    """
    x, w = _check_arguments(scale, depth, x, weight, dtype)

    fwd = _forward(w, x, depth, dtype)  # a_l = W a_{l-1}
    bwd = _backward(w, x.size, depth, dtype)  # delta_l = W^T delta_{l+1}
    grad_norms, log_g = _grad_w_norms(fwd, bwd, dtype)  # dC/dW_l = delta_l a_{l-1}^T

    return _summarise(w, depth, x, fwd, bwd, grad_norms, log_g, dtype)


def _no_nan(values: Array, unit: Array, log_norm: Array) -> Array:
    """Where float64 formed inf - inf or inf * 0, rebuild the value from its logarithm."""
    nan = np.isnan(values)
    if not nan.any():
        return values
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        rebuilt = np.where(unit == 0, 0.0, unit * fp.exp10(log_norm)[:, None]).astype(values.dtype)
    return np.where(nan, rebuilt, values)
