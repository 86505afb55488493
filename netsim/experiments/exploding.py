"""Chapter 9: exploding (and vanishing) values in a deep linear net.

The net of :func:`netsim.linear.linear_net`: linear, g(z) = z, and b = 0 in every layer, so
with a_0 = x

    a_l = W_l a_{l-1},   a_L = W_L W_{L-1} ... W_1 x.

Every layer has the same W_l = s I (one case per scale s, e.g. 1.5, 0.9 and 0.5), so
a_l = s^l x: the first number of a_l is s^l x_1, and on a log scale the layers lie on a straight
line of slope log10 s. Back prop, from C = the sum of the outputs (so dC/da_L = (1, ..., 1)),
runs right to left with delta_{l-1} = W_l^T delta_l (g' = 1; W^T is W with rows and columns
swapped), so the first number of delta_l = dC/da_l is s^(L-l), and layer 1's weight gradient
dC/dW_1 = delta_1 x^T has size 2 s^(L-1) for x = (1, 1).

For a general W what decides is not its entries but how much it stretches a vector, and
that depends on the direction. The example W = 0.9 in every entry has entries below 1, yet
maps u = (1, 1) to 1.8 u (u is an eigenvector), so after l layers a_l = 1.8^l u; and it maps
v = (1, -1) to 0 (v is the other eigenvector, with eigenvalue 0).

Three runs per case:

- a plotted run of ``depth`` layers (150): the exact log10 ||a_l|| and log10 ||delta_l|| of
  every layer, the first number's log10 |a_l[0]| and log10 |delta_l[0]| (W = s I keeps the direction
  of x, and of dC/da_L, so these are the norms shifted by a constant), float64 values
  a_l[0] at the ``marks`` (150), delta_1[0] and ||dC/dW_1||;
- a float32 run of ``f32_depth`` layers (300), float32 being what practice uses: 1.5^l
  overflows to inf at layer 219, the next layer's W a forms 1.5 * inf + 0 * inf = NaN (220:
  0 * inf is NaN, while 1.5 * inf is inf),
  and 0.5^l underflows to 0 at layer 150 (the flags of linear_net with dtype float32);
- a deep float64 run of ``deep_depth`` layers (2000): float64 lasts until layer 1751
  (overflow) and 1075 (underflow); the exact log10 of every layer stays finite.

And one bounded net, to show that the gradient can explode while the activations cannot: a
sigmoid chain (one neuron per layer, Nielsen's construction of chapter 6) with every w = 100 and
b = -w/2, from a_0 = 1/2, so every z_l = 0: a_l = sigma(0) = 1/2 at every layer, while back prop
multiplies delta by w sigma'(0) = 25 per layer (:class:`BoundedExample`, from a real pass).

No manim here: the scene only turns this result into pictures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from netsim import fp
from netsim.chain import chain_factors, chain_network
from netsim.errors import NetsimError, require
from netsim.experiments.backprop import DEFAULT_LARGE_WEIGHT
from netsim.linear import MAX_LINEAR_DEPTH, LinearNetResult, linear_net

#: The storyboard's three cases: slightly above the identity, slightly below, and half.
DEFAULT_SCALES: tuple[float, ...] = (1.5, 0.9, 0.5)
DEFAULT_DEPTH = 150
DEFAULT_DEEP_DEPTH = 2000
DEFAULT_MARKS: tuple[int, ...] = (150,)
DEFAULT_X: tuple[float, ...] = (1.0, 1.0)
#: Layers whose values the opening table lists (a_1 .. a_FIRST_LAYERS).
FIRST_LAYERS = 3
#: Layers of the float32 run (what practice uses).
DEFAULT_F32_DEPTH = 300
#: The general-W example: every entry the same value below 1, and the layer it is followed to.
EXAMPLE_ENTRY = 0.9
EXAMPLE_LAYER = 10
#: The bounded example: its input a_0 (every z_l = 0 then needs b = -w a_0) and its layers.
BOUNDED_INPUT = 0.5
#: Its right answer y, for chapter 6's quadratic cost C = ½(a_L − y)² (it sets delta_L, not the ratio).
BOUNDED_TARGET = 0.0
BOUNDED_LAYERS = 5


@dataclass(frozen=True)
class ExplodingCase:
    """One W = ``scale`` * I, layers l = 0..depth (plotted) and 0..deep_depth (deep run).

    Plotted run: ``log10_norms[l]`` = log10 ||a_l|| (exact, from linear_net),
    ``log10_unit[l]`` = log10 |a_l[0]|, ``log10_delta_norms[l - 1]`` = log10 ||delta_l||,
    ``log10_delta_unit[l - 1]`` = log10 |delta_l[0]|, ``log10_grad_w_norms[l - 1]`` =
    log10 ||dC/dW_l||. ``first_values[l - 1]`` = a_l[0] in float64 for l = 1..FIRST_LAYERS;
    ``mark_values[k]`` = a_l[0] in float64 at l = marks[k]; ``delta_1`` = delta_1[0] and
    ``grad_w_1`` = ||dC/dW_1|| (layer 1's weight gradient, C = the sum of the outputs) in float64.
    Deep run: ``deep_log10_unit[l]`` = log10 |a_l[0]| (exact), ``deep_value`` = a_L[0] in
    float64 at l = deep_depth (inf or 0 where float64 gave up), and linear_net's flags: the
    first forward layer that overflowed/underflowed and the first back-prop layer (counted
    from the output) that did; ``limit_layer`` is the forward one that happened (or None) and
    ``limit_true_log10`` the exact log10 |a_l[0]| there. Float32 run of f32_depth layers:
    ``f32_log10_unit`` (exact), ``f32_value`` = a_L[0] in float32 (inf or 0 where it gave up;
    never NaN), and the first layers where float32 overflowed, underflowed, or formed NaN
    (inf * 0).
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
    f32_log10_unit: tuple[float, ...]
    f32_value: float
    f32_overflow_layer: int | None
    f32_underflow_layer: int | None
    f32_nan_layer: int | None

    @property
    def f32_limit_layer(self) -> int | None:
        """The first layer where float32 gave up in the forward pass (overflow or underflow)."""
        return self.f32_overflow_layer if self.f32_overflow_layer is not None else self.f32_underflow_layer

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
class StretchExample:
    """A general W whose entries are all below 1 and which still stretches: W = entry * ones.

    W maps ``vector`` u = (1, ..., 1) to ``image`` W u = ``stretch`` * u (n * entry: u is an
    eigenvector), so a_l = stretch^l u. How much W stretches depends on the direction: it maps
    ``across`` v = (1, -1, 0, ..., 0) to ``across_image`` W v = ``across_stretch`` * v (0: v
    is squashed to nothing); for n = 1 there is no other direction and these are empty / None.
    ``layer``: the layer followed; ``value``: the first number of a_layer = W^layer u
    (float64); ``log10_unit``: its exact log10 for l = 0 .. layer.
    """

    entry: float
    weight: tuple[tuple[float, ...], ...]
    vector: tuple[float, ...]
    image: tuple[float, ...]
    stretch: float
    across: tuple[float, ...]
    across_image: tuple[float, ...]
    across_stretch: float | None
    layer: int
    value: float
    log10_unit: tuple[float, ...]


@dataclass(frozen=True)
class BoundedExample:
    """A sigmoid chain of ``layers`` neurons, every w_l = ``weight``, b_l = ``bias`` (= -w a_0),
    a_0 = ``input``, C = ½(a_L − y)² with y = ``target``: every z_l = 0, so every a_l =
    ``activation`` (sigma(0) = 1/2), while back prop multiplies delta_l = dC/dz_l by ``factor`` =
    w sigma'(0) per layer toward the input (the ratios of the chain's dC/db_l, equal at every
    layer). ``f32_overflow_back``: in float32, starting from the chain's delta_L, how many such
    layers back delta first passes the largest float32 and is written inf (a chain as long as it
    needs). ``log10_delta``: log10 |delta_l| of this chain for l = 1..layers (float64): the
    dashed line chapter 9 draws on its 150-layer axis."""

    weight: float
    bias: float
    input: float
    target: float
    layers: int
    activation: float
    factor: float
    f32_overflow_back: int
    log10_delta: tuple[float, ...]


def bounded_example(weight: float = DEFAULT_LARGE_WEIGHT, a0: float = BOUNDED_INPUT,
                    layers: int = BOUNDED_LAYERS, y: float = BOUNDED_TARGET) -> BoundedExample:
    """Run the bounded chain forward and back; its activations and delta ratios, each one value."""
    layers = _whole(layers, "layers")
    require(layers >= 2, f"layers {layers}: the bounded example needs at least 2")
    net = chain_network([weight] * layers, "zero-z", a0=a0)
    res = chain_factors(net, a0, y)  # chapter 6's quadratic cost
    acts = np.array(res.activations[1:])
    ratios = np.array(res.dC_db[:-1]) / np.array(res.dC_db[1:])
    require(bool(np.all(acts == acts[0])) and bool(np.allclose(ratios, ratios[0], rtol=1e-12)),
            f"w = {weight}, a_0 = {a0}: the activations or the delta ratios differ between layers")
    biases = {float(b[0]) for b in net.biases}
    require(len(biases) == 1, f"w = {weight}, a_0 = {a0}: the layers' biases differ")
    require(abs(float(ratios[0])) > 1, f"w = {weight}: delta does not grow (factor {float(ratios[0])})")
    return BoundedExample(weight=float(weight), bias=biases.pop(), input=float(a0), target=float(y), layers=layers,
                          activation=float(acts[0]), factor=float(ratios[0]),
                          f32_overflow_back=_f32_layers_to_inf(res.dC_db[-1], float(ratios[0])),
                          log10_delta=_floats(fp.log10(np.abs(np.array(res.dC_db)))))


def _f32_layers_to_inf(delta_last: float, factor: float) -> int:
    """Back prop's delta_(l-1) = factor * delta_l in float32 from delta_L: the first k with delta_(L-k) = inf."""
    delta, step = np.float32(delta_last), np.float32(factor)
    with np.errstate(over="ignore"):
        for k in range(1, MAX_LINEAR_DEPTH + 1):
            delta = delta * step
            if np.isinf(delta):
                return k
    raise NetsimError(f"delta {delta_last} x {factor} per layer stayed finite for {MAX_LINEAR_DEPTH} layers")


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
    f32_depth: int
    float32_max: float
    float32_min: float
    log10_float32_max: float
    log10_float32_min: float
    example: StretchExample
    bounded: BoundedExample

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


def _case(scale: float, x: np.ndarray, depth: int, deep_depth: int, marks: tuple[int, ...],
          f32_depth: int) -> ExplodingCase:
    shallow: LinearNetResult = linear_net(scale, depth, tuple(x))
    deep: LinearNetResult = linear_net(scale, deep_depth, tuple(x))
    f32: LinearNetResult = linear_net(scale, f32_depth, tuple(x), dtype=np.float32)
    n = x.size
    # W = s I keeps a_l along x and delta_l along dC/da_L = (1, ..., 1): the first number is a fixed share.
    unit_shift = math.log10(abs(x[0]) / float(fp.norm(x)))
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
        f32_log10_unit=_floats(f32.log10_activation_norms + unit_shift),
        f32_value=float(f32.activations[-1, 0]),
        f32_overflow_layer=f32.forward_overflow_layer,
        f32_underflow_layer=f32.forward_underflow_layer,
        f32_nan_layer=f32.forward_nan_layer,
    )


def stretch_example(n: int = len(DEFAULT_X), entry: float = EXAMPLE_ENTRY,
                    layer: int = EXAMPLE_LAYER) -> StretchExample:
    """W = ``entry`` in every entry (n x n), followed for ``layer`` layers from u = (1, ..., 1)."""
    require(isinstance(n, int) and n >= 1, f"n {n!r} must be a whole number of at least 1")
    require(isinstance(entry, (int, float)) and math.isfinite(entry) and entry != 0,
            f"entry {entry!r} must be a finite number other than 0")
    layer = _whole(layer, "layer")
    require(layer >= 1, f"layer {layer} must be at least 1")
    u = np.ones(n)
    w = entry * np.ones((n, n))
    image = fp.matmul(w, u)
    run = linear_net(None, layer, tuple(u), weight=w)
    across = np.zeros(n)
    if n >= 2:
        across[:2] = (1.0, -1.0)
    across_image = fp.matmul(w, across) if n >= 2 else np.zeros(0)
    return StretchExample(
        entry=float(entry),
        weight=tuple(tuple(float(v) for v in row) for row in w),
        vector=_floats(u),
        image=_floats(image),
        stretch=float(image[0] / u[0]),  # every number of W u is the same multiple of u's
        across=_floats(across) if n >= 2 else (),
        across_image=_floats(across_image),
        across_stretch=float(across_image[0] / across[0]) if n >= 2 else None,
        layer=int(layer),
        value=float(run.activations[-1, 0]),
        log10_unit=_floats(run.log10_activation_norms + math.log10(1.0 / math.sqrt(n))),
    )


def exploding(
    *,
    scales: Sequence[float] = DEFAULT_SCALES,
    depth: int = DEFAULT_DEPTH,
    deep_depth: int = DEFAULT_DEEP_DEPTH,
    marks: Sequence[int] = DEFAULT_MARKS,
    x: Sequence[float] = DEFAULT_X,
    f32_depth: int = DEFAULT_F32_DEPTH,
) -> ExplodingResult:
    """Compute chapter 9 for W = s I, s in ``scales``, input ``x``.

    ``depth`` layers are plotted, ``marks`` are the layers whose float64 values are listed,
    ``deep_depth`` layers show where float64 gives up, ``f32_depth`` where float32 does. Bad
    input raises :class:`NetsimError` with one line naming the field.
    """
    scales_ = _check_scales(scales)
    depth = _whole(depth, "depth")
    deep_depth = _whole(deep_depth, "deep_depth")
    require(depth >= FIRST_LAYERS, f"depth {depth} must be at least {FIRST_LAYERS}")
    require(deep_depth >= depth, f"deep_depth {deep_depth} must be at least depth {depth}")
    f32_depth = _whole(f32_depth, "f32_depth")
    require(depth <= f32_depth <= MAX_LINEAR_DEPTH, f"f32_depth {f32_depth} must be from depth {depth} "
            f"to {MAX_LINEAR_DEPTH}")
    require(deep_depth <= MAX_LINEAR_DEPTH, f"deep_depth {deep_depth} is above the limit of {MAX_LINEAR_DEPTH}")
    require(len(marks) >= 1, "marks: give at least one layer")
    marks_ = tuple(_whole(m, "mark") for m in marks)
    for m in marks_:
        require(1 <= m <= depth, f"mark {m} must be a layer from 1 to depth {depth}")
    x_arr = np.asarray(x, dtype=float).ravel()
    require(x_arr.size >= 1 and bool(np.all(np.isfinite(x_arr))), f"x {tuple(x)!r} must hold finite numbers")
    require(x_arr[0] != 0, f"x[0] = {x_arr[0]} must not be 0: the scene follows the first number")
    info = np.finfo(np.float64)
    tiny = float(np.nextafter(0.0, 1.0))
    info32 = np.finfo(np.float32)
    tiny32 = float(np.nextafter(np.float32(0.0), np.float32(1.0)))
    return ExplodingResult(
        x=_floats(x_arr),
        depth=depth,
        deep_depth=deep_depth,
        marks=marks_,
        cases=tuple(_case(s, x_arr, depth, deep_depth, marks_, f32_depth) for s in scales_),
        float64_max=float(info.max),
        float64_min=tiny,
        log10_float64_max=math.log10(float(info.max)),
        log10_float64_min=math.log10(tiny),
        f32_depth=f32_depth,
        float32_max=float(info32.max),
        float32_min=tiny32,
        log10_float32_max=math.log10(float(info32.max)),
        log10_float32_min=math.log10(tiny32),
        example=stretch_example(x_arr.size),
        bounded=bounded_example(layers=depth),
    )
