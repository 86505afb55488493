"""Mini-batch stochastic gradient descent, recording each layer's speed of learning.

One step on a mini-batch B:  W_l <- (1 - eta*lambda/n) W_l - eta dC_B/dW_l,
b_l <- b_l - eta dC_B/db_l,  where n is the training-set size and lambda the L2 strength
(Nielsen's network2 convention). After every epoch (and once before the first) the run
records, on a fixed probe set of training images, ||dC/db_l|| of each layer (Nielsen's "speed
of learning") and the mean cost C there (from the same pass), and the accuracy on held-out data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from netsim import fp
from netsim.costs import get_cost
from netsim.data import Dataset
from netsim.errors import NetsimError, require
from netsim.network import Network

Array = np.ndarray

#: Below this a sigmoid's output counts as saturated near 0 (Glorot and Bengio's top hidden layer),
#: above 1 - FLOOR as saturated near 1: at either, sigma' = a (1 - a) < 0.0475.
FLOOR = 0.05


@dataclass(frozen=True)
class TrainingRun:
    """Per-epoch records; row 0 is before training, row e after epoch e.

    ``speeds[e, l - 1]``: ||dC/db_l|| on the probe set after epoch e.
    ``probe_cost[e]``: mean cost C on the probe set. ``test_accuracy[e]``: fraction right.
    ``near_floor[e, l - 1]``: the share of a_l's values on the probe set (over digits and
    neurons) below :data:`FLOOR`: for a sigmoid layer, outputs saturated near 0, where
    sigma' = a (1 - a) < 0.05. ``near_ceiling[e, l - 1]``: the same above 1 - :data:`FLOOR`
    (saturated near 1). ``travelled[e, l - 1]``: the path length of W_l so far, the sum over
    every step of ||step||, where a step is eta dC/dW_l on one mini-batch (so
    ||W_l(e) - W_l(0)|| <= travelled[e, l - 1], equal only if every step points one way;
    weight decay, if any, is not counted).
    """

    sizes: tuple[int, ...]
    epochs: int
    speeds: Array
    probe_cost: Array
    test_accuracy: Array
    network: Network
    near_floor: Array
    near_ceiling: Array
    travelled: Array


def accuracy(net: Network, data: Dataset) -> float:
    """Fraction of samples whose largest output is the right label."""
    pred = np.argmax(net.forward(data.x).output, axis=1)
    return float(np.mean(pred == data.labels))


def sgd(
    net: Network,
    train: Dataset,
    test: Dataset,
    *,
    epochs: int = 10,
    eta: float = 0.1,
    batch_size: int = 10,
    l2: float = 0.0,
    cost: str = "cross-entropy",
    seed: int = 0,
    probe_size: int = 1000,
    step_scales: Sequence[float] | None = None,
) -> TrainingRun:
    """Train a copy of ``net``; the original is left as it was.

    ``step_scales``: one number per layer l = 1 .. L multiplying eta in that layer's update
    (0 freezes the layer at its start; None: every layer steps by eta). It is how chapter 8
    tests what one layer's speed of learning does to the whole net.

    A run whose cost or gradients stop being finite (a learning rate too large for the net)
    stops at the end of that epoch with a :class:`NetsimError` naming the epoch, rather than
    training on through infinities.
    """
    require(isinstance(epochs, int) and 1 <= epochs <= 10_000, f"epochs {epochs!r} must be 1..10000")
    require(np.isfinite(eta) and eta > 0, f"learning rate {eta!r} must be a positive number")
    require(isinstance(batch_size, int) and batch_size >= 1, f"batch size {batch_size!r} must be >= 1")
    require(np.isfinite(l2) and l2 >= 0, f"L2 strength {l2!r} must be >= 0")
    scales = [1.0] * (len(net.sizes) - 1) if step_scales is None else [float(m) for m in step_scales]
    require(len(scales) == len(net.sizes) - 1 and all(np.isfinite(m) and m >= 0 for m in scales),
            f"step scales {step_scales!r} must be one number >= 0 for each of the {len(net.sizes) - 1} layers")
    c = get_cost(cost)
    c.check_output(net.activations[-1])
    net = net.copy()
    rng = np.random.default_rng(seed)
    probe = train.head(min(probe_size, len(train)))
    n = len(train)
    decay = 1.0 - eta * l2 / n
    x_all = np.asarray(train.x, dtype=float)
    y_all = np.asarray(train.y, dtype=float)
    speeds, costs, accs, floors, ceilings = [], [], [], [], []
    path = np.zeros(len(net.weights))
    travelled = []

    def record() -> None:
        g = net.backward(probe.x, probe.y, c)
        speeds.append(g.bias_gradient_norms())
        floors.append([float(np.mean(a < FLOOR)) for a in g.forward.activations[1:]])
        ceilings.append([float(np.mean(a > 1.0 - FLOOR)) for a in g.forward.activations[1:]])
        costs.append(g.cost)
        accs.append(accuracy(net, test))
        travelled.append(path.copy())

    record()
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            _, _, nabla_w, nabla_b = net.backprop(x_all[idx], y_all[idx], c)
            # W_l <- decay W_l - eta dC/dW_l and b_l <- b_l - eta dC/db_l, written in place
            # into this copy's own arrays (the same bits as the expressions written out)
            for layer, (w, b, gw, gb, scale) in enumerate(zip(net.weights, net.biases, nabla_w, nabla_b, scales)):
                if scale == 0.0:  # a frozen layer keeps its start
                    continue
                step = eta if scale == 1.0 else eta * scale
                if decay != 1.0:
                    w *= decay
                gw *= step
                path[layer] += float(fp.norm(gw))
                w -= gw
                gb *= step
                b -= gb
        record()
        if not (np.all(np.isfinite(speeds[-1])) and np.isfinite(costs[-1])):
            raise NetsimError(f"training diverged in epoch {epoch} with eta = {eta}: pick a smaller learning rate")
    return TrainingRun(net.sizes, epochs, np.array(speeds), np.array(costs), np.array(accs), net, np.array(floors),
                       np.array(ceilings), np.array(travelled))
