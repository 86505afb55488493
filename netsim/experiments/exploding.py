"""Chapter 9: exploding (and vanishing) values in a deep linear net.

The net of :func:`netsim.linear.linear_net`: g(z) = z and b = 0 in every layer, so

    a_l = W a_{l-1},   y_hat = a_L = W^[L] W^[L-1] ... W^[1] x = W^L x.

Every layer has the same W = s I (one case per scale s, e.g. 1.5, 0.9 and 0.5), so
a_l = s^l x: one unit's activation a_l[0] is s^l x[0], and on a log scale the layers lie on
a straight line of slope log10 s. Back prop, from C = sum of the outputs (dC/da_L = 1), runs
right to left with delta_l = W^T delta_{l+1}, so delta_l[0] = s^(L-l): the gradient grows or
shrinks in the same way.

Two runs per case:

- a plotted run of ``depth`` layers (150): the exact log10 ||a_l|| and log10 ||delta_l|| of
  every layer, one unit's log10 |a_l[0]| and log10 |delta_l[0]| (W = s I keeps the direction
  of x, and of dC/da_L, so these are the norms shifted by a constant), and float64 values
  a_l[0] at the ``marks`` (10 and 150) and delta_1[0];
- a deep run of ``deep_depth`` layers (2000), where float64 gives up: linear_net names the
  first layer where a value became inf (1.5^n overflows from n = 1751) or 0 although it is
  not (0.5^n underflows from n = 1075), and the exact log10 of every layer stays finite.

No manim here: the scene only turns this result into pictures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from netsim.errors import require
from netsim.linear import MAX_LINEAR_DEPTH, LinearNetResult, linear_net

#: The storyboard's three cases: slightly above the identity, slightly below, and half.
DEFAULT_SCALES: tuple[float, ...] = (1.5, 0.9, 0.5)
DEFAULT_DEPTH = 150
DEFAULT_DEEP_DEPTH = 2000
DEFAULT_MARKS: tuple[int, ...] = (10, 150)
DEFAULT_X: tuple[float, ...] = (1.0, 1.0)
#: Layers whose values the opening table lists (a_1 .. a_FIRST_LAYERS).
FIRST_LAYERS = 3


@dataclass(frozen=True)
class ExplodingCase:
    """One W = ``scale`` * I, layers l = 0..depth (plotted) and 0..deep_depth (deep run).

    Plotted run: ``log10_norms[l]`` = log10 ||a_l|| (exact, from linear_net),
    ``log10_unit[l]`` = log10 |a_l[0]|, ``log10_delta_norms[l - 1]`` = log10 ||delta_l||,
    ``log10_delta_unit[l - 1]`` = log10 |delta_l[0]|, ``log10_grad_w_norms[l - 1]`` =
    log10 ||dC/dW_l||. ``first_values[l - 1]`` = a_l[0] in float64 for l = 1..FIRST_LAYERS;
    ``mark_values[k]`` = a_l[0] in float64 at l = marks[k]; ``delta_1`` = delta_1[0] in float64.
    Deep run: ``deep_log10_unit[l]`` = log10 |a_l[0]| (exact), ``deep_value`` = a_L[0] in
    float64 at l = deep_depth (inf or 0 where float64 gave up), and linear_net's flags: the
    first forward layer that overflowed/underflowed and the first back-prop layer (counted
    from the output) that did; ``limit_layer`` is the forward one that happened (or None) and
    ``limit_true_log10`` the exact log10 |a_l[0]| there.
    """

    scale: float
    log10_norms: tuple[float, ...]
    log10_unit: tuple[float, ...]
    log10_delta_norms: tuple[float, ...]
    log10_delta_unit: tuple[float, ...]
    log10_grad_w_norms: tuple[float, ...]
    first_values: tuple[float, ...]
    mark_values: tuple[float, ...]
    delta_1: float
    grad_w_1: float
    deep_log10_unit: tuple[float, ...]
    deep_value: float
    deep_true_log10: float
    overflow_layer: int | None
    underflow_layer: int | None
    backward_overflow_layer: int | None
    backward_underflow_layer: int | None

    @property
    def limit_layer(self) -> int | None:
        """The first layer where float64 gave up in the forward pass (overflow or underflow)."""
        return self.overflow_layer if self.overflow_layer is not None else self.underflow_layer

    @property
    def limit_true_log10(self) -> float | None:
        """The exact log10 |a_l[0]| at :attr:`limit_layer`."""
        layer = self.limit_layer
        return None if layer is None else self.deep_log10_unit[layer]


@dataclass(frozen=True)
class ExplodingResult:
    """Every number chapter 9 shows: one :class:`ExplodingCase` per scale, same x and depths.

    ``float64_max`` is the largest finite float64 (about 1.8e308), ``float64_min`` the
    smallest positive one (about 4.9e-324, a subnormal); ``log10_*`` are their logarithms,
    the edges of the band of magnitudes a float64 can hold.
    """

    x: tuple[float, ...]
    depth: int
    deep_depth: int
    marks: tuple[int, ...]
    cases: tuple[ExplodingCase, ...]
    float64_max: float
    float64_min: float
    log10_float64_max: float
    log10_float64_min: float

    @property
    def scales(self) -> tuple[float, ...]:
        return tuple(c.scale for c in self.cases)

    def case(self, scale: float) -> ExplodingCase:
        """The case of W = ``scale`` * I."""
        for c in self.cases:
            if c.scale == scale:
                return c
        raise KeyError(scale)


def _whole(value: object, name: str) -> int:
    require(isinstance(value, (int, np.integer)) and not isinstance(value, bool),
            f"{name} {value!r} must be a whole number")
    return int(value)  # type: ignore[arg-type]


def _check_scales(scales: Sequence[float]) -> tuple[float, ...]:
    require(len(scales) >= 1, "scales: give at least one scale s (W = s I)")
    out = []
    for s in scales:
        require(isinstance(s, (int, float, np.floating, np.integer)) and not isinstance(s, bool),
                f"scale {s!r} must be a number")
        require(math.isfinite(float(s)) and float(s) > 0, f"scale {s!r} must be a finite number above 0")
        out.append(float(s))
    require(len(set(out)) == len(out), f"scales {out} must all differ")
    return tuple(out)


def _floats(values: np.ndarray) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


def _case(scale: float, x: np.ndarray, depth: int, deep_depth: int, marks: tuple[int, ...]) -> ExplodingCase:
    shallow: LinearNetResult = linear_net(scale, depth, tuple(x))
    deep: LinearNetResult = linear_net(scale, deep_depth, tuple(x))
    n = x.size
    # W = s I keeps a_l along x and delta_l along dC/da_L = (1, ..., 1): unit 0 is a fixed share.
    unit_shift = math.log10(abs(x[0]) / float(np.linalg.norm(x)))
    delta_shift = math.log10(1.0 / math.sqrt(n))
    return ExplodingCase(
        scale=scale,
        log10_norms=_floats(shallow.log10_activation_norms),
        log10_unit=_floats(shallow.log10_activation_norms + unit_shift),
        log10_delta_norms=_floats(shallow.log10_delta_norms),
        log10_delta_unit=_floats(shallow.log10_delta_norms + delta_shift),
        log10_grad_w_norms=_floats(shallow.log10_grad_w_norms),
        first_values=_floats(shallow.activations[1:FIRST_LAYERS + 1, 0]),
        mark_values=tuple(float(shallow.activations[m, 0]) for m in marks),
        delta_1=float(shallow.deltas[0, 0]),
        grad_w_1=float(shallow.grad_w_norms[0]),
        deep_log10_unit=_floats(deep.log10_activation_norms + unit_shift),
        deep_value=float(deep.activations[-1, 0]),
        deep_true_log10=float(deep.log10_activation_norms[-1] + unit_shift),
        overflow_layer=deep.forward_overflow_layer,
        underflow_layer=deep.forward_underflow_layer,
        backward_overflow_layer=deep.backward_overflow_layer,
        backward_underflow_layer=deep.backward_underflow_layer,
    )


def exploding(
    scales: Sequence[float] = DEFAULT_SCALES,
    depth: int = DEFAULT_DEPTH,
    deep_depth: int = DEFAULT_DEEP_DEPTH,
    marks: Sequence[int] = DEFAULT_MARKS,
    x: Sequence[float] = DEFAULT_X,
) -> ExplodingResult:
    """Compute chapter 9 for W = s I, s in ``scales``, input ``x``.

    ``depth`` layers are plotted, ``marks`` are the layers whose float64 values are listed,
    ``deep_depth`` layers show where float64 gives up. Bad input raises :class:`NetsimError`
    with one line naming the field.
    """
    scales_ = _check_scales(scales)
    depth = _whole(depth, "depth")
    deep_depth = _whole(deep_depth, "deep_depth")
    require(depth >= FIRST_LAYERS, f"depth {depth} must be at least {FIRST_LAYERS}")
    require(deep_depth >= depth, f"deep_depth {deep_depth} must be at least depth {depth}")
    require(deep_depth <= MAX_LINEAR_DEPTH, f"deep_depth {deep_depth} is above the limit of {MAX_LINEAR_DEPTH}")
    require(len(marks) >= 1, "marks: give at least one layer")
    marks_ = tuple(_whole(m, "mark") for m in marks)
    for m in marks_:
        require(1 <= m <= depth, f"mark {m} must be a layer from 1 to depth {depth}")
    x_arr = np.asarray(x, dtype=float).ravel()
    require(x_arr.size >= 1 and bool(np.all(np.isfinite(x_arr))), f"x {tuple(x)!r} must hold finite numbers")
    require(x_arr[0] != 0, f"x[0] = {x_arr[0]} must not be 0: the scene follows unit 0")
    info = np.finfo(np.float64)
    tiny = float(np.nextafter(0.0, 1.0))
    return ExplodingResult(
        x=_floats(x_arr),
        depth=depth,
        deep_depth=deep_depth,
        marks=marks_,
        cases=tuple(_case(s, x_arr, depth, deep_depth, marks_) for s in scales_),
        float64_max=float(info.max),
        float64_min=tiny,
        log10_float64_max=math.log10(float(info.max)),
        log10_float64_min=math.log10(tiny),
    )
