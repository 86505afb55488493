"""Chapter 2: the quadratic cost C of one real digit, one weight's ∂C/∂w, gradient descent.

The cost (:func:`cost_example`): a small net [64, n_1, 10] gets one labelled digit x = a_0.

    Forward:    z_l = W_l a_(l-1) + b_l,   a_l = g(z_l)   (hidden: the lesson's g; output: σ)
    Cost:       C = ½ Σ_i (a_L[i] − y[i])²                 (the quadratic cost)
    Gradient:   δ_L = (a_L − y) ⊙ σ'(z_L),   ∂C/∂W_L[j, k] = δ_L[j] a_(L-1)[k]

One weight w = W_l[j, k] (by default the one of the last layer with the largest |∂C/∂w|) is
nudged downhill by a small step, Δw = −step · sign(∂C/∂w); the real new cost C' comes from a
fresh forward pass, and ΔC = C' − C is compared with the first-order prediction ∂C/∂w · Δw.
The nudge is only a demonstration: gradient descent then starts again from the SAME net whose
cost C was shown first. Every weight and bias moves by −η ∂C/∂w and −η ∂C/∂b, over and over
(plain gradient descent on this one digit), and C and the ten outputs a_L are recorded at
checkpoints, the first of which (0 steps) is C itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from netsim.costs import quadratic
from netsim.data import Dataset, digits
from netsim.errors import NetsimError, require
from netsim.experiments.shared import digits_sizes, frozen, require_above, require_whole
from netsim.network import Gradients, Network
from netsim.spec import NetSpec, OfNet

Array = np.ndarray

#: The cost this chapter shows: C = ||a - y||^2 / 2, the sum of squared bar differences.
COST = "quadratic"

#: Defaults of the cost example: the nudge of one weight, and the descent on one digit.
STEP = 0.1
STEPS = 40
EVERY = 5


@dataclass(frozen=True, eq=False)
class CostResult(OfNet):
    """One digit through a small net (``net``): its cost, one weight's nudge and gradient, training.

    ``pixels`` (8, 8) in [0, 1]; ``target`` y is one-hot (10,); ``activations[l]`` is a_l
    (l = 0 .. L, a_0 the pixels); ``output`` a = a_L (10,);
    ``sq_diffs`` = (a - y)^2 per output; ``cost`` C = sum(sq_diffs) / 2.
    The nudged weight is W_``layer``[``j``, ``k``] (layer 1-based, j its target neuron in
    layer ``layer``, k its source neuron in layer ``layer`` - 1), of value ``w`` and gradient
    ``grad`` = dC/dw. ``delta_w`` = -step * sign(grad); ``w_new`` = w + delta_w;
    ``cost_new`` = C after the nudge (fresh forward pass), ``output_new`` its a_L;
    ``delta_cost`` = cost_new - cost; ``predicted_delta`` = grad * delta_w.
    Training: ``checkpoints`` are step counts 0, every, 2 every, ..., steps;
    ``descent_costs[i]`` and ``descent_outputs[i]`` are C and a_L after ``checkpoints[i]``
    steps of w ← w − η ∂C/∂w for every weight and bias, starting from the net whose cost
    is ``cost`` (the nudge is undone first: ``descent_costs[0]`` is ``cost``, and
    ``descent_outputs[0]`` is ``output``). Arrays are read-only. Which neurons a diagram
    draws is the picture's choice, made by the scenes' engine from these numbers.
    """

    sample: int
    pixels: Array
    label: int
    target: Array
    net: NetSpec
    cost_name: str
    activations: tuple[Array, ...]
    output: Array
    prediction: int
    sq_diffs: Array
    cost: float
    layer: int
    j: int
    k: int
    w: float
    grad: float
    step: float
    delta_w: float
    w_new: float
    cost_new: float
    output_new: Array
    delta_cost: float
    predicted_delta: float
    eta: float
    checkpoints: tuple[int, ...]
    descent_costs: tuple[float, ...]
    descent_outputs: tuple[Array, ...]

    @property
    def final_prediction(self) -> int:
        """The digit the net picks after the last training step."""
        return int(np.argmax(self.descent_outputs[-1]))

    @property
    def cost_end(self) -> float:
        """C after the last gradient-descent step."""
        return self.descent_costs[-1]

    @property
    def steps(self) -> int:
        """How many gradient-descent steps were taken."""
        return self.checkpoints[-1]

    @property
    def relative_error(self) -> float:
        """|Delta C - dC/dw Delta w| / |Delta C|: how good the first-order prediction is."""
        return abs(self.delta_cost - self.predicted_delta) / abs(self.delta_cost)


class _Nudge(NamedTuple):
    """W_layer[j, k] = w with gradient grad = dC/dw, nudged by delta_w: the new a_L and C."""

    layer: int
    j: int
    k: int
    w: float
    grad: float
    delta_w: float
    output: Array
    cost: float


class _Descent(NamedTuple):
    """Gradient descent on one digit: the step counts recorded, and C and a_L after each."""

    checkpoints: list[int]
    costs: list[float]
    outputs: list[Array]


def _check_arguments(net: NetSpec, sample: int, step: float, eta: float, steps: int,
                     every: int) -> tuple[int, float, float, int, int]:
    """A digits net with a hidden layer, the digit's index and the descent's numbers, checked and normalised."""
    digits_sizes(net.sizes)
    sample = require_whole(sample, "sample", 0, len(digits()) - 1)
    step = require_above(step, "step", 0.0)
    eta = require_above(eta, "eta", 0.0)
    steps = require_whole(steps, "steps", 1, 10_000)
    every = require_whole(every, "every", 1, steps)
    require(steps % every == 0, f"steps = {steps} must be a multiple of every = {every}")
    return sample, step, eta, steps, every


def _weight_to_nudge(weight: tuple[int, int, int] | None, sizes: tuple[int, ...],
                     grads: Gradients) -> tuple[int, int, int]:
    """(layer, j, k): the given weight, checked; or by default the entry with the largest
    |∂C/∂w| of the last layer W_L, or of the latest layer before it whose gradient is not all
    zero (a hidden layer of neurons that are all off leaves every ∂C/∂W_L at 0)."""
    L = len(sizes) - 1
    if weight is None:
        for layer in range(L, 0, -1):
            g = np.abs(grads.nabla_w[layer - 1])
            if np.max(g) > 0:
                j, k = (int(i) for i in np.unravel_index(int(np.argmax(g)), g.shape))
                return layer, j, k
        raise NetsimError("every weight's gradient ∂C/∂w is 0 on this digit: nudging one weight a little "
                          "leaves the cost C as it is")
    require(isinstance(weight, tuple) and len(weight) == 3, f"weight {weight!r} must be a tuple (layer, j, k)")
    layer = require_whole(weight[0], "weight layer", 1, L)
    j = require_whole(weight[1], "weight j", 0, sizes[layer] - 1)
    k = require_whole(weight[2], "weight k", 0, sizes[layer - 1] - 1)
    return layer, j, k


def _nudge(net: Network, grads: Gradients, x: Array, y: Array, where: tuple[int, int, int],
           step: float) -> _Nudge:
    """Move w = W_layer[j, k] by Delta w = -step * sign(dC/dw); C' and a_L from a fresh forward pass."""
    layer, j, k = where
    grad = float(grads.nabla_w[layer - 1][j, k])
    if grad == 0.0 or not math.isfinite(grad):
        raise NetsimError(f"W_{layer}[{j}, {k}] has gradient {grad}: pick a weight whose gradient is not zero")
    w = float(net.weights[layer - 1][j, k])
    delta_w = -step if grad > 0 else step
    nudged = net.copy()
    nudged.weights[layer - 1][j, k] = w + delta_w
    out_new = nudged.forward(x).output[0]
    return _Nudge(layer, j, k, w, grad, delta_w, out_new, float(quadratic(out_new, y)))


def _descend(net: Network, start: Gradients, x: Array, y: Array, eta: float, steps: int,
             every: int) -> _Descent:
    """``steps`` steps of W_l ← W_l − η ∂C/∂W_l, b_l ← b_l − η ∂C/∂b_l from ``net`` (the net
    whose cost and outputs ``start`` holds, not the hand-nudged one)."""
    trained = net.copy()
    checkpoints, costs, outputs = [0], [float(start.cost)], [start.forward.output[0].copy()]
    for n in range(1, steps + 1):
        g = trained.backward(x, y, COST)
        for l in range(trained.depth):
            trained.weights[l] -= eta * g.nabla_w[l]
            trained.biases[l] -= eta * g.nabla_b[l]
        if n % every == 0:
            out = trained.forward(x).output[0]
            checkpoints.append(n)
            costs.append(float(quadratic(out, y)))
            outputs.append(out.copy())
    return _Descent(checkpoints, costs, outputs)


def _summarise(data: Dataset, sample: int, net: NetSpec, grads: Gradients, nudge: _Nudge, step: float,
               eta: float, descent: _Descent) -> CostResult:
    """The frozen :class:`CostResult` of the digit's pass, the nudge and the descent."""
    x, y = data.x[sample], data.y[sample]
    a = grads.forward.output[0]
    return CostResult(
        sample=sample,
        pixels=frozen(x.reshape(8, 8)),
        label=int(data.labels[sample]),
        target=frozen(y),
        net=net,
        cost_name=COST,
        activations=tuple(frozen(v[0]) for v in grads.forward.activations),
        output=frozen(a),
        prediction=int(np.argmax(a)),
        sq_diffs=frozen((a - y) ** 2),
        cost=float(grads.cost),
        layer=nudge.layer,
        j=nudge.j,
        k=nudge.k,
        w=nudge.w,
        grad=nudge.grad,
        step=step,
        delta_w=nudge.delta_w,
        w_new=nudge.w + nudge.delta_w,
        cost_new=nudge.cost,
        output_new=frozen(nudge.output),
        delta_cost=nudge.cost - float(grads.cost),
        predicted_delta=nudge.grad * nudge.delta_w,
        eta=eta,
        checkpoints=tuple(descent.checkpoints),
        descent_costs=tuple(descent.costs),
        descent_outputs=tuple(frozen(o) for o in descent.outputs),
    )


def cost_example(
    net: NetSpec,
    *,
    sample: int = 0,
    weight: tuple[int, int, int] | None = None,
    step: float = STEP,
    eta: float = 0.1,
    steps: int = STEPS,
    every: int = EVERY,
) -> CostResult:
    """Digit number ``sample`` through a fresh net of the spec ``net`` with the quadratic cost.

    ``weight`` = (layer, j, k) picks W_layer[j, k] to nudge; by default the weight of the
    last layer with the largest |dC/dw|. ``step``: the size of its nudge. ``eta``, ``steps``,
    ``every``: the learning rate, the number of gradient-descent steps on this digit, and
    how often C and a_L are recorded.
    """
    sample, step, eta, steps, every = _check_arguments(net, sample, step, eta, steps, every)

    data = digits()
    x, y = data.x[sample], data.y[sample]
    fresh = net.build()
    grads = fresh.backward(x, y, COST)  # a_l, C and every dC/dW_l of the fresh net
    nudge = _nudge(fresh, grads, x, y, _weight_to_nudge(weight, net.sizes, grads), step)
    descent = _descend(fresh, grads, x, y, eta, steps, every)  # from the net whose cost is C

    return _summarise(data, sample, net, grads, nudge, step, eta, descent)
