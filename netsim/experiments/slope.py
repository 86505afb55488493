"""The rock on the slope: a real slice C(w) of a net's cost along one weight, and the
gradient-descent iterates of two "rocks" rolling down it.

The net is the lesson's digits net (``sizes`` such as [64, 30, 30, 30, 30, 10], the
lesson's hidden activation, initialisation and seed) with a sigmoid output layer and the
quadratic cost C = ||a_L - y||^2 / 2, evaluated on one digit image x with its one-hot
target y. The weight w that varies is W_L[i, j]: the weight into the output neuron i of the
image's true class from the last hidden neuron j that fires most strongly on x
(largest a_{L-1, j}); every other weight and bias stays fixed.

Why it has a steep part and a plateau: only z_{L,i} = w a_{L-1,j} + (rest) depends on w, so

    C(w) = (sigma(z_{L,i}) - 1)^2 / 2 + (the other outputs' terms, constant in w)
    dC/dw = delta_{L,i} a_{L-1,j} = (a_{L,i} - 1) sigma'(z_{L,i}) a_{L-1,j}.

For very negative z_{L,i} the output sigmoid saturates at 0: sigma'(z) is tiny, C sits on
a high flat plateau and dC/dw is close to 0. Around z_{L,i} near 0 the curve is steep. This
holds for every lesson, because the output layer is a sigmoid even when the hidden layers
are ReLU. (The cross-entropy cost cancels sigma'(z_L) and has no such plateau, which is why
the slice uses the quadratic cost.)

Each rock follows w_{k+1} = w_k - eta * g_k, where g_k = dC/dw at w_k comes from the
netsim backward pass (``Network.backward``), not from finite differences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from netsim.data import digits
from netsim.errors import NetsimError, require
from netsim.network import Network

Array = np.ndarray

COST = "quadratic"
MAX_STEPS = 1000
MAX_CURVE_POINTS = 10_000


@dataclass(frozen=True)
class RockPath:
    """The iterates of one rock: ``w[k]`` = w_k for k = 0..steps, with C_k and g_k = dC/dw_k.

    ``grad[-1]`` is the slope at the final position (where the rock rests after the last step).
    """

    name: str
    w: Array
    cost: Array
    grad: Array

    @property
    def steps(self) -> int:
        """The number of descent steps taken."""
        return int(self.w.size - 1)

    @property
    def step_sizes(self) -> Array:
        """|w_{k+1} - w_k| = eta |g_k| for k = 0..steps-1."""
        return np.abs(np.diff(self.w))

    @property
    def distance(self) -> float:
        """|w_N - w_0|: how far along w the rock travelled in all its steps."""
        return float(abs(self.w[-1] - self.w[0]))


@dataclass(frozen=True)
class SlopeResult:
    """A slice C(w) of a real net's cost and the descent of two rocks on it.

    ``curve_w``, ``curve_cost``, ``curve_grad``: samples of w, C(w) and dC/dw (backward
    pass) along the slice, w increasing. ``eta``: the learning rate of both rocks.
    ``steep`` starts on the steep part, ``plateau`` on the flat saturated part; both take
    the same number of steps. ``description`` says in words what the net and the weight are.
    ``hidden_activation`` is the lesson's hidden-layer activation (the output is sigmoid).
    ``a_prev`` is a_{L-1,j}, the activation the weight multiplies.
    """

    description: str
    sizes: tuple[int, ...]
    hidden_activation: str
    output_activation: str
    cost_name: str
    sample_index: int
    sample_label: int
    output_neuron: int
    hidden_neuron: int
    a_prev: float
    w_original: float
    eta: float
    curve_w: Array
    curve_cost: Array
    curve_grad: Array
    steep: RockPath
    plateau: RockPath

    @property
    def distance_ratio(self) -> float:
        """How many times farther the steep rock travelled than the plateau rock."""
        return self.steep.distance / self.plateau.distance


def _frozen(values: list[float] | Array) -> Array:
    a = np.array(values, dtype=float)
    a.flags.writeable = False
    return a


def _nice(x: float) -> float:
    """x rounded to two significant digits (a learning rate one can read off the screen)."""
    return float(f"{x:.2g}")


class _Slice:
    """The net with W_L[i, j] settable, giving C(w) and dC/dw from the backward pass."""

    def __init__(self, net: Network, x: Array, y: Array, i: int, j: int) -> None:
        self.net, self.x, self.y, self.i, self.j = net.copy(), x, y, i, j

    def at(self, w: float) -> tuple[float, float]:
        """(C(w), dC/dw) with W_L[i, j] = w, from one forward and backward pass."""
        self.net.weights[-1][self.i, self.j] = w
        g = self.net.backward(self.x, self.y, COST)
        return g.cost, float(g.nabla_w[-1][self.i, self.j])


def _descend(name: str, sl: _Slice, w0: float, eta: float, steps: int) -> RockPath:
    ws, cs, gs = [float(w0)], [], []
    for k in range(steps + 1):
        c, g = sl.at(ws[-1])
        require(math.isfinite(c) and math.isfinite(g), f"{name} rock: C or dC/dw not finite at step {k}")
        cs.append(c)
        gs.append(g)
        if k < steps:
            ws.append(ws[-1] - eta * g)
    return RockPath(name, _frozen(ws), _frozen(cs), _frozen(gs))


def rock_on_slope(
    sizes: tuple[int, ...] | list[int] = (64, 30, 30, 30, 30, 10),
    activation: str = "sigmoid",
    init: str = "nielsen",
    bias_init: str = "normal",
    seed: int = 0,
    sample_index: int = 0,
    steps: int = 8,
    eta: float | None = None,
    steep_z: float = -1.5,
    plateau_z: float = -7.0,
    z_window: tuple[float, float] = (-8.5, 4.0),
    curve_points: int = 241,
    step_scale: float = 12.0,
) -> SlopeResult:
    """Slice the digits net's cost along one output weight and roll two rocks down it.

    The rocks start where z_{L,i} = ``steep_z`` (steep part) and ``plateau_z`` (saturated
    output, flat plateau); the curve covers z_{L,i} in ``z_window`` (widened to hold every
    iterate). Positions are given in w: w = (z - rest) / a_{L-1,j}.

    ``eta`` defaults to ``step_scale / a_{L-1,j}^2`` rounded to two significant digits, so
    a step moves z_{L,i} by ``step_scale`` times (1 - a) sigma'(z) whatever the lesson; the
    value used is returned in the result. Raises :class:`NetsimError` on bad input.
    """
    require(isinstance(steps, int) and not isinstance(steps, bool), f"steps {steps!r} must be a whole number")
    require(1 <= steps <= MAX_STEPS, f"steps = {steps} must be between 1 and {MAX_STEPS}")
    if eta is not None:
        require(isinstance(eta, (int, float)) and not isinstance(eta, bool), f"eta {eta!r} must be a number")
        require(math.isfinite(eta) and eta > 0, f"eta = {eta} must be a finite number > 0")
    require(math.isfinite(step_scale) and step_scale > 0, f"step_scale = {step_scale} must be > 0")
    require(isinstance(curve_points, int) and 3 <= curve_points <= MAX_CURVE_POINTS,
            f"curve_points = {curve_points!r} must be a whole number from 3 to {MAX_CURVE_POINTS}")
    lo, hi = (float(v) for v in z_window)
    require(math.isfinite(lo) and math.isfinite(hi) and lo < hi, f"z_window {z_window} must be (low, high), low < high")
    for nm, z in (("steep_z", steep_z), ("plateau_z", plateau_z)):
        require(lo <= z <= hi, f"{nm} = {z} must lie inside z_window {z_window}")
    require(plateau_z < steep_z, f"plateau_z = {plateau_z} must be below steep_z = {steep_z} (the saturated side)")

    net = Network.create(list(sizes), activation=activation, output_activation="sigmoid",
                         init=init, bias_init=bias_init, seed=seed)
    require(net.sizes[-1] == 10 and net.sizes[0] == 64, f"sizes {list(sizes)} must start with 64 and end with 10")
    data = digits()
    require(isinstance(sample_index, int) and 0 <= sample_index < len(data),
            f"sample_index = {sample_index!r} must be from 0 to {len(data) - 1}")
    x, y = data.x[sample_index:sample_index + 1], data.y[sample_index:sample_index + 1]
    label = int(data.labels[sample_index])

    fp = net.forward(x)
    a_prev_row = fp.activations[-2][0]
    j = int(np.argmax(a_prev_row))
    a_prev = float(a_prev_row[j])
    if a_prev <= 0:
        raise NetsimError("no last-hidden neuron fires on this image, so no output weight changes C")
    i = label
    w_orig = float(net.weights[-1][i, j])
    rest = float(fp.zs[-1][0, i]) - w_orig * a_prev  # z_{L,i} = w a_{L-1,j} + rest

    def w_of(z: float) -> float:
        return (z - rest) / a_prev

    eta_used = float(eta) if eta is not None else _nice(step_scale / a_prev**2)
    sl = _Slice(net, x, y, i, j)
    steep = _descend("steep", sl, w_of(steep_z), eta_used, steps)
    plateau = _descend("plateau", sl, w_of(plateau_z), eta_used, steps)

    every_w = np.concatenate([steep.w, plateau.w])
    w_lo, w_hi = min(w_of(lo), float(every_w.min())), max(w_of(hi), float(every_w.max()))
    curve_w = np.linspace(w_lo, w_hi, curve_points)
    pairs = [sl.at(float(w)) for w in curve_w]
    curve_cost = [c for c, _ in pairs]
    curve_grad = [g for _, g in pairs]

    hidden = net.activations[0].name
    description = (
        f"the digits net {list(net.sizes)} ({hidden} hidden layers, sigmoid output, "
        f"{init} init, seed {seed}) on digit image #{sample_index} (a {label}), quadratic cost; "
        f"w = W_L[{i}, {j}], the weight into output neuron {i} from hidden neuron {j}; all else fixed"
    )
    return SlopeResult(
        description=description,
        sizes=tuple(net.sizes),
        hidden_activation=hidden,
        output_activation=net.activations[-1].name,
        cost_name=COST,
        sample_index=sample_index,
        sample_label=label,
        output_neuron=i,
        hidden_neuron=j,
        a_prev=a_prev,
        w_original=w_orig,
        eta=eta_used,
        curve_w=_frozen(curve_w),
        curve_cost=_frozen(curve_cost),
        curve_grad=_frozen(curve_grad),
        steep=steep,
        plateau=plateau,
    )
