"""Chapter 4, the rock on the slope: the vanishing gradient seen as a slope.

The net is the lesson's deep digits net (a :class:`~netsim.spec.NetSpec` such as
[64, 30, 30, 30, 30, 10]: layers 1 .. L-1 hidden, layer L the output; the lesson's hidden
activation g, initialisation and seed, a sigmoid output layer) with chapter 2's quadratic
cost on one digit image x = a_0 with its one-hot target y:

    z_l = W_l a_(l-1) + b_l,   a_l = g(z_l) (a_L = σ(z_L)),   C = ½ Σ_j (a_L,j − y_j)².

Two slices of that one cost through the same starting point (the freshly initialised net): C as
a function of one layer-1 weight w = W_1[j, k], and of one weight w = W_m[j, k] of layer m, the
last hidden layer L − 1 (m = L when layer 1 is the only hidden one), every other weight and bias
fixed (the other chapters, too, compare layer 1 with layer L − 1). The weight of each layer is
chosen by one stated rule: the entry of W_l whose |∂C/∂w| is largest at the start, the layer's
steepest weight (single weights: chapter 1's ratio weighs whole layers).

On each slice a "rock" takes the same number of gradient-descent steps with the same η,

    w_(i+1) = w_i − η ∂C/∂w(w_i),

with ∂C/∂w = ∂C/∂W_l[j, k] from netsim's backward pass (``Network.backward``) at w_i.
In a deep sigmoid net the gradient reaching layer 1 is small (back prop multiplies it by a
factor per layer on the way), so the layer-1 slice is nearly flat and its rock barely
moves, while the layer-m rock races. A layer whose every ∂C/∂w is exactly 0 (its neurons,
or all of a later layer's, switched off) has a flat slice: its rock stays where it starts,
which the result says rather than raising.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from netsim.data import digits
from netsim.errors import require
from netsim.experiments.shared import (
    REGIME_THRESHOLD,
    frozen,
    require_above,
    require_digits_net,
    require_whole,
    round_significant,
)
from netsim.network import Gradients, Network
from netsim.spec import DEFAULT_NET, NetSpec, OfNet

Array = np.ndarray

#: The cost both slices show: chapter 2's C = ½ Σ_j (a_j − y_j)².
COST = "quadratic"
STEPS = 12
MAX_STEPS = 1000
CURVE_POINTS = 81
MAX_CURVE_POINTS = 10_000
#: Each slice covers w_0 ± MARGIN times the longer of the two rocks' journeys.
MARGIN = 1.25
#: The half-width of the slices when neither rock moves at all (a change of w by ±1).
STILL_HALF_WIDTH = 1.0
#: Both panels show C_0 ± this many times the largest |C − C_0| on either slice.
COST_HEADROOM = 1.2
#: The half-height of the panels when both slices are exactly flat (C_0 ± 1).
FLAT_COST_HALF_WIDTH = 1.0


@dataclass(frozen=True, eq=False)
class SliceRock:
    """One slice C(w) along w = W_``layer``[``j``, ``k``] and the rock's iterates on it.

    ``layer`` is 1-based (W_1 takes the pixels a_0); ``j`` indexes the neuron of layer
    ``layer`` the weight feeds, ``k`` the neuron of layer ``layer`` − 1 it comes from.
    ``w[i]``, ``cost[i]``, ``grad[i]``: w_i, C(w_i) and ∂C/∂w at w_i, i = 0 .. steps.
    ``curve_w``, ``curve_cost``: the slice sampled evenly over the shown window.
    Arrays are read-only.
    """

    layer: int
    j: int
    k: int
    w: Array
    cost: Array
    grad: Array
    curve_w: Array
    curve_cost: Array

    @property
    def steps(self) -> int:
        """The number of descent steps taken."""
        return int(self.w.size - 1)

    @property
    def moved(self) -> Array:
        """|w_i − w_0| for i = 0 .. steps: how far the rock has travelled after i steps."""
        return np.abs(self.w - self.w[0])

    @property
    def distance(self) -> float:
        """|w_steps − w_0|: how far the weight moved in all the steps."""
        return float(abs(self.w[-1] - self.w[0]))

    @property
    def flat(self) -> bool:
        """Whether ∂C/∂w is exactly 0 at the start: every weight of this layer has no gradient."""
        return bool(self.grad[0] == 0.0)


@dataclass(frozen=True, eq=False)
class RockResult(OfNet):
    """Two slices of the lesson's net's (``net``'s) quadratic cost on one digit, and a rock on each.

    ``first`` slices along a weight of layer 1, ``last`` along a weight of layer m (``other``: L − 1,
    the last hidden layer, or L when layer 1 is the only hidden one); both start at the same net (C
    = ``cost0``), take ``steps`` steps with the same ``eta``, and are drawn over w_0 ±
    ``half_width`` and C_0 ± ``cost_half_width`` (the same for both, so distances and slopes compare
    on one scale). ``w_tick`` and ``cost_tick`` are the axes' labelled ticks (Δw = ±``w_tick``, ΔC =
    ±``cost_tick``, and 0): one significant figure, 1, 2 or 5 times a power of ten, the largest
    within each half-width.
    """

    description: str
    net: NetSpec
    sample: int
    label: int
    cost_name: str
    eta: float
    steps: int
    cost0: float
    half_width: float
    cost_half_width: float
    w_tick: float
    cost_tick: float
    first: SliceRock
    last: SliceRock

    @property
    def hidden(self) -> int:
        """L − 1, the number of hidden layers (the layers between the input and the output)."""
        return len(self.sizes) - 2

    @property
    def other(self) -> int:
        """m, the layer compared with layer 1: L − 1, or L when layer 1 is the only hidden layer."""
        return self.last.layer

    @property
    def distance_ratio(self) -> float:
        """How many times as far the layer-m weight moved as the layer-1 weight: inf when only
        the layer-m weight moved, 0 when only the layer-1 weight did, 1 when neither did."""
        first, last = self.first.distance, self.last.distance
        if first == 0.0:
            return 1.0 if last == 0.0 else math.inf
        return last / first

    @property
    def ratio_rounded(self) -> float:
        """``distance_ratio`` to two significant figures: the one number the chapter compares."""
        return round_significant(self.distance_ratio)

    @property
    def slope_ratio(self) -> float:
        """|∂C/∂w| at the start along the layer-m weight over that along the layer-1 one (inf
        when layer 1's is 0, 1 when both are)."""
        first, last = abs(float(self.first.grad[0])), abs(float(self.last.grad[0]))
        if first == 0.0:
            return 1.0 if last == 0.0 else math.inf
        return last / first

    @property
    def verdict(self) -> str:
        """What the rocks did, in one word the captions follow: "vanishing" (the layer-m weight
        moved at least ``REGIME_THRESHOLD`` times as far as the layer-1 weight), "exploding"
        (the layer-1 weight moved that much farther), "both" (each within that factor of the
        other), or "first still" / "last still" / "neither" (a weight that did not move at all)."""
        first, last = self.first.distance, self.last.distance
        if first == 0.0:
            return "neither" if last == 0.0 else "first still"
        if last == 0.0:
            return "last still"
        ratio = last / first
        if ratio >= REGIME_THRESHOLD:
            return "vanishing"
        if ratio <= 1.0 / REGIME_THRESHOLD:
            return "exploding"
        return "both"


def tick_within(half_width: float) -> float:
    """The largest 1, 2 or 5 × 10^k that is at most ``half_width`` (> 0, finite): an axis's
    labelled tick. Written as a decimal and parsed, so it is the double nearest to 0.1, 0.02, ..."""
    require(math.isfinite(half_width) and half_width > 0, f"half-width {half_width!r} must be a finite number > 0")
    top = math.floor(math.log10(half_width))
    for k in (top + 1, top, top - 1):  # log10 may be off by one next to a power of ten
        for m in (5, 2, 1):
            tick = float(f"{m}e{k}")
            if tick <= half_width:
                return tick
    raise AssertionError("unreachable: 1e(k-1) <= half_width")  # pragma: no cover


class _Slice:
    """The net with W_layer[j, k] settable: C(w) and ∂C/∂w from one backward pass."""

    def __init__(self, net: Network, x: Array, y: Array, layer: int, j: int, k: int) -> None:
        self.net, self.x, self.y = net.copy(), x, y
        self.layer, self.j, self.k = layer, j, k

    def at(self, w: float) -> tuple[float, float]:
        """(C(w), ∂C/∂w) with W_layer[j, k] = w."""
        self.net.weights[self.layer - 1][self.j, self.k] = w
        g = self.net.backward(self.x, self.y, COST)
        return g.cost, float(g.nabla_w[self.layer - 1][self.j, self.k])


def _descend(sl: _Slice, w0: float, eta: float, steps: int) -> tuple[list[float], list[float], list[float]]:
    """w_0 .. w_steps of w_(i+1) = w_i − η ∂C/∂w_i on the slice, with C(w_i) and ∂C/∂w_i."""
    ws, cs, gs = [float(w0)], [], []
    for i in range(steps + 1):
        c, g = sl.at(ws[-1])
        require(math.isfinite(c) and math.isfinite(g),
                f"layer {sl.layer}'s rock: C or ∂C/∂w is not finite at step {i}; try a smaller eta")
        cs.append(c)
        gs.append(g)
        if i < steps:
            ws.append(ws[-1] - eta * g)
    return ws, cs, gs


class _Path(NamedTuple):
    """A rock's path on the slice along W_layer[j, k]: w_i, C(w_i) and ∂C/∂w_i."""

    sl: _Slice
    ws: list[float]
    cs: list[float]
    gs: list[float]

    @property
    def distance(self) -> float:
        """|w_steps − w_0|."""
        return abs(self.ws[-1] - self.ws[0])


def compared_layer(net: NetSpec) -> int:
    """The layer whose rock races layer 1's: L − 1, the last hidden layer, as every other
    chapter compares layer 1 with it; L, the output layer, when layer 1 is the only hidden one."""
    return net.depth - 1 if net.depth >= 3 else net.depth


def _check_arguments(net: NetSpec, sample: int, eta: float, steps: int, curve_points: int,
                     margin: float) -> tuple[int, float, int, int, float]:
    """A digits net with a hidden layer (so that layer 1 is not layer L), the digit's index, the
    descent and the slices' sampling, checked and normalised."""
    sizes = net.sizes
    require(len(sizes) >= 3, f"sizes {list(sizes)} need at least one hidden layer, so that layer 1 is not layer L")
    require_digits_net(sizes)
    sample = require_whole(sample, "sample", 0, len(digits()) - 1)
    eta = require_above(eta, "eta", 0.0)
    steps = require_whole(steps, "steps", 1, MAX_STEPS)
    curve_points = require_whole(curve_points, "curve_points", 3, MAX_CURVE_POINTS)
    margin = require_above(margin, "margin", 1.0)
    return sample, eta, steps, curve_points, margin


def _roll(net: Network, x: Array, y: Array, start: Gradients, layer: int, eta: float, steps: int) -> _Path:
    """The rock on layer ``layer``'s slice along its steepest weight (the largest |∂C/∂w| at
    the start; the first weight when every one is 0, whose rock then stays put)."""
    g = start.nabla_w[layer - 1]
    j, k = (int(i) for i in np.unravel_index(int(np.argmax(np.abs(g))), g.shape))
    sl = _Slice(net, x, y, layer, j, k)
    ws, cs, gs = _descend(sl, float(net.weights[layer - 1][j, k]), eta, steps)
    return _Path(sl, ws, cs, gs)


def _slice_rock(path: _Path, half_width: float, curve_points: int) -> SliceRock:
    """The :class:`SliceRock` of a path, its slice sampled at ``curve_points`` w over w_0 ± half_width."""
    sl, ws = path.sl, path.ws
    curve_w = np.linspace(ws[0] - half_width, ws[0] + half_width, curve_points)
    curve_cost = [sl.at(float(w))[0] for w in curve_w]
    return SliceRock(sl.layer, sl.j, sl.k, frozen(ws), frozen(path.cs), frozen(path.gs), frozen(curve_w),
                     frozen(curve_cost))


def _cost_half_width(cost0: float, first: SliceRock, last: SliceRock) -> float:
    """The panels' shared half-height: ``COST_HEADROOM`` times the largest |C − C_0| drawn
    (``FLAT_COST_HALF_WIDTH`` when both slices are exactly flat)."""
    spread = max(float(np.max(np.abs(s.curve_cost - cost0))) for s in (first, last))
    return COST_HEADROOM * spread if spread > 0 else FLAT_COST_HALF_WIDTH


def _summarise(net: NetSpec, sample: int, eta: float, steps: int, start: Gradients, half_width: float,
               first: SliceRock, last: SliceRock) -> RockResult:
    """The frozen :class:`RockResult` of the two rocks, with a one-sentence description of the set-up."""
    label = int(digits().labels[sample])
    cost_half = _cost_half_width(float(start.cost), first, last)
    description = (
        f"the digits net {list(net.sizes)} ({net.activation} hidden layers, {net.output_activation} output, "
        f"{net.init} init, {net.bias_init} biases, seed {net.seed}) on digit image #{sample} (a {label}), "
        f"quadratic cost; w = W_1[{first.j}, {first.k}] and w = W_{last.layer}[{last.j}, {last.k}], in each layer "
        f"the weight with the largest |∂C/∂w| at the start; {steps} steps of eta = {eta:g}; all else fixed"
    )
    return RockResult(
        description=description,
        net=net,
        sample=sample,
        label=label,
        cost_name=COST,
        eta=eta,
        steps=steps,
        cost0=float(start.cost),
        half_width=float(half_width),
        cost_half_width=cost_half,
        w_tick=tick_within(float(half_width)),
        cost_tick=tick_within(cost_half),
        first=first,
        last=last,
    )


def rock_on_slope(
    net: NetSpec = DEFAULT_NET,
    *,
    sample: int = 0,
    eta: float = 0.1,
    steps: int = STEPS,
    curve_points: int = CURVE_POINTS,
    margin: float = MARGIN,
) -> RockResult:
    """Slice the lesson's net's quadratic cost on digit ``sample`` along a layer-1 and a layer-m
    weight (m = ``compared_layer(net)``), and roll a rock down each: ``steps`` steps of
    w ← w − ``eta`` ∂C/∂w.

    ``curve_points`` samples per slice, over w_0 ± ``margin`` times the longer journey (±
    ``STILL_HALF_WIDTH`` when neither rock moves). Raises :class:`NetsimError` on bad input,
    or when C or ∂C/∂w stops being finite along a rock's path.
    """
    sample, eta, steps, curve_points, margin = _check_arguments(net, sample, eta, steps, curve_points, margin)

    data = digits()
    x, y = data.x[sample:sample + 1], data.y[sample:sample + 1]
    fresh = net.build()
    start = fresh.backward(x, y, COST)  # C and every ∂C/∂W_l at the fresh net
    paths = [_roll(fresh, x, y, start, layer, eta, steps) for layer in (1, compared_layer(net))]
    longest = max(p.distance for p in paths)
    half_width = margin * longest if longest > 0 else STILL_HALF_WIDTH  # one scale for both slices
    first, last = (_slice_rock(p, half_width, curve_points) for p in paths)

    return _summarise(net, sample, eta, steps, start, half_width, first, last)
