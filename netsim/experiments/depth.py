"""Chapter 5, what depth should buy: what a net's first layer learns, and how little it learns when deep.

The two nets are chapter 8's, in chapter 8's runs, looked at after :data:`~netsim.experiments.training.FIRST_LOOK`
epochs (:func:`netsim.experiments.training.progress`: one set-up, one training for both
chapters): the lesson's deep net (e.g. [64, 30, 30, 30, 30, 10]) and the shallow net
[64, n_1, 10], both with the lesson's hidden activation g, initialisation rule and seed, a
sigmoid output, trained by mini-batch SGD (batches of 10, the lesson's eta, the cross-entropy
cost, no L2) on the 1,348 training digits; accuracy is measured on the 449 held-out ones.

Row j of W_1 (shape (n_1, 64)) holds the 64 weights hidden neuron j gives the 8x8 pixels;
reshaped to 8x8 it is the picture the neuron responds to (z_1j = W_1[j] . x + b_1j). With no
L2 a weight moves only by its gradient steps, and dC/dW_1[j, p] = delta_1j x_p is 0 for a
pixel p without ink, so the weights of pixels that digits rarely ink (the left and right
columns of these 8x8 digits) keep most of their random start. The result says how much of
the picture changed where digits have ink and where they rarely do, and how smooth it is:

    inked_change = ||W_1(after) - W_1(before)|| / ||W_1(before)||  over the columns of inked pixels
    edge_change  = the same over the rarely inked pixels (inked in under RARE_INK of the digits)
    smoothness   = the correlation of horizontally or vertically neighbouring weights of W_1,
                   over every neuron and every pair of inked pixels

(noise has a smoothness near 0; broad blobs well above it).

Per layer l the run measures the relative change of the weights,

    r_l = ||W_l(after) - W_l(before)|| / ||W_l(before)||    (||W||: the root of the sum of squares),

which says how much layer l has learned. With sigmoid layers the gradient dC/dW_l shrinks
from the output towards the input (vanishing gradient): ``grad_before[l - 1]`` = ||dC/dW_l||
of the untrained deep net on the training digits increases strictly with l over the hidden
layers, and r_1, r_2 stay a few percent while r_{L-1} is several times larger, so the
first-layer pictures stay noise. r_l is not monotone in l (in the default lesson r_2 < r_1),
so the chapter claims only what the bars show. With ReLU and He's start the gradient does not
shrink and every layer moves. A net whose gradients are all exactly 0 (every unit of a layer
switched off) does not change at all: r_l = 0 for every layer, which the result reports as it is.

Which units are shown:
- shallow net: the ``units`` hidden neurons whose output a_1j varies most (largest standard
  deviation) over the held-out digits: a neuron that answers every digit the same way tells
  the next layer nothing, so these are the most informative ones;
- deep net: the ``units`` first-layer neurons whose weights changed most (largest
  ||W_1[j](after) - W_1[j](before)|| / ||W_1[j](before)||): the ones that learned most, so if
  even these still look like their starting noise, the whole layer does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netsim import fp
from netsim.errors import require
from netsim.experiments.shared import digits_sizes, frozen, is_whole
from netsim.experiments.training import FIRST_LOOK, Progress, TrainingSetup, progress, training_setup
from netsim.network import Network
from netsim.spec import DEFAULT_NET, NetSpec, OfNet

Array = np.ndarray

EPOCHS = FIRST_LOOK
UNITS = 8
#: A pixel inked in fewer than this share of the training digits is "rarely inked".
RARE_INK = 0.1
SHALLOW_RULE = "largest spread (std) of its output a over the held-out digits"
DEEP_RULE = "largest relative change of its 64 weights in training"


@dataclass(frozen=True)
class NetLearning(OfNet):
    """One net (``net``) before and after training.

    ``w1_before``/``w1_after``: W_1, shape (n_1, 64). ``units``: the shown hidden neurons, best
    first, chosen by ``unit_rule``; ``unit_scores`` their scores. ``rel_change[l - 1]``: r_l for
    l = 1..L. ``grad_before[l - 1]``: ||dC/dW_l|| of the untrained net (mean over the training
    digits). ``travelled[l - 1]``: W_l's path length in training, the sum of its steps' sizes
    (:class:`netsim.train.TrainingRun`); ``straightness[l - 1]``: ||W_l(after) - W_l(before)|| /
    travelled, 1 if every step pointed one way, near 0 if the steps mostly cancelled (0 for a
    layer that never moved). ``start_size[l - 1]``: ||W_l(before)||, the size r_l divides by and
    a path length can be set beside. ``inked_change``, ``edge_change``, ``smooth_before``, ``smooth_after``: see the
    module notes. ``accuracy_before``/``accuracy_after``: the fraction of held-out digits right.
    """

    net: NetSpec
    w1_before: Array
    w1_after: Array
    units: tuple[int, ...]
    unit_rule: str
    unit_scores: Array
    rel_change: Array
    grad_before: Array
    travelled: Array
    straightness: Array
    start_size: Array
    inked_change: float
    edge_change: float
    smooth_before: float
    smooth_after: float
    accuracy_before: float
    accuracy_after: float

    @property
    def hidden_change(self) -> Array:
        """r_l of the hidden layers l = 1 .. L-1."""
        return self.rel_change[:-1]

    @property
    def unchanged(self) -> bool:
        """Whether no weight of any layer changed at all in training."""
        return bool(np.all(self.rel_change == 0))

    @property
    def no_gradient(self) -> bool:
        """Whether every weight gradient of the untrained net is exactly 0."""
        return bool(np.all(self.grad_before == 0))


@dataclass(frozen=True)
class DepthResult:
    """Everything the "why depth matters" chapter shows.

    ``setup``: chapter 8's set-up, stopped after ``epochs`` epochs. ``chance``: the accuracy of
    guessing, 1/10. ``ink_share[p]``: the share of the training digits with ink at pixel p
    (row-major 8x8); ``inked[p]``: whether that share is at least ``rare_ink``.
    """

    setup: TrainingSetup
    epochs: int
    shallow: NetLearning
    deep: NetLearning
    chance: float
    ink_share: Array
    inked: Array
    rare_ink: float

    @property
    def seed(self) -> int:
        """The seed both nets' starting weights and mini-batch order are drawn from."""
        return self.deep.net.seed

    @property
    def gradient_shrinks(self) -> bool:
        """Whether ||dC/dW_l|| of the untrained deep net grows strictly from layer 1 to layer L - 1,
        i.e. shrinks on its way back from the output over the hidden layers."""
        g = self.deep.grad_before[: self.deep.depth - 1]
        return bool(np.all(np.diff(g) > 0))


def _ratio(num: float, den: float) -> float:
    """num / den for sizes: 0 when both are 0, inf (never a warning or NaN) when only den is."""
    if den > 0:
        return float(num / den)
    return 0.0 if num == 0 else float("inf")


def relative_changes(before: Network, after: Network) -> Array:
    """r_l = ||W_l(after) - W_l(before)|| / ||W_l(before)|| for l = 1..L."""
    return np.array([_ratio(float(fp.norm(wa - wb)), float(fp.norm(wb)))
                     for wb, wa in zip(before.weights, after.weights)])


def unit_changes(w_before: Array, w_after: Array) -> Array:
    """||W[j](after) - W[j](before)|| / ||W[j](before)|| for every row j (a neuron's weights)."""
    num, den = fp.norm(w_after - w_before, axis=1), fp.norm(w_before, axis=1)
    return np.array([_ratio(float(a), float(b)) for a, b in zip(num, den)])


def smoothness(w1: Array, inked: Array) -> float:
    """The correlation of horizontally or vertically neighbouring weights of ``w1`` (rows are
    8x8 pictures) over every row and every pair of neighbouring inked pixels; 0 if either side
    does not vary."""
    grids, mask = np.asarray(w1, dtype=float).reshape(-1, 8, 8), np.asarray(inked, dtype=bool).reshape(8, 8)
    left, right = [], []
    for here, there in (((slice(None), slice(None, -1)), (slice(None), slice(1, None))),
                        ((slice(None, -1), slice(None)), (slice(1, None), slice(None)))):
        pairs = mask[here] & mask[there]
        left.append(grids[:, here[0], here[1]][:, pairs].ravel())
        right.append(grids[:, there[0], there[1]][:, pairs].ravel())
    a, b = np.concatenate(left), np.concatenate(right)
    a, b = a - a.mean(), b - b.mean()
    den = float(fp.norm(a)) * float(fp.norm(b))
    return float(np.sum(a * b) / den) if den > 0 else 0.0


def _top(scores: Array, k: int) -> tuple[int, ...]:
    """Indices of the k largest scores, largest first (ties: lower index first)."""
    return tuple(int(i) for i in np.argsort(-scores, kind="stable")[:k])


def _learning(net: NetSpec, p: Progress, units: tuple[int, ...], rule: str, scores: Array, inked: Array,
              x_train: Array, y_train: Array, cost: str) -> NetLearning:
    """The :class:`NetLearning` of the net ``net`` trained (``p``), showing ``units``."""
    before, after = p.start, p.run.network
    w0, w1 = before.weights[0], after.weights[0]
    rare = ~inked
    travelled = p.run.travelled[-1]
    moved = np.array([float(fp.norm(a - b)) for a, b in zip(after.weights, before.weights)])
    straight = np.divide(moved, travelled, out=np.zeros_like(moved), where=travelled > 0)
    return NetLearning(
        net=net,
        w1_before=frozen(w0),
        w1_after=frozen(w1),
        units=units,
        unit_rule=rule,
        unit_scores=frozen(scores),
        rel_change=frozen(relative_changes(before, after)),
        grad_before=frozen(before.backward(x_train, y_train, cost).weight_gradient_norms()),
        travelled=frozen(travelled),
        straightness=frozen(straight),
        start_size=frozen(np.array([float(fp.norm(b)) for b in before.weights])),
        inked_change=_ratio(float(fp.norm(w1[:, inked] - w0[:, inked])), float(fp.norm(w0[:, inked]))),
        edge_change=_ratio(float(fp.norm(w1[:, rare] - w0[:, rare])), float(fp.norm(w0[:, rare]))),
        smooth_before=smoothness(w0, inked),
        smooth_after=smoothness(w1, inked),
        accuracy_before=float(p.run.test_accuracy[0]),
        accuracy_after=float(p.run.test_accuracy[-1]),
    )


def why_depth_matters(net: NetSpec = DEFAULT_NET, *, eta: float = 0.1, epochs: int = EPOCHS,
                      units: int = UNITS) -> DepthResult:
    """Chapter 8's deep net ``net`` and its shallow net [64, n_1, 10] after ``epochs`` epochs of
    chapter 8's runs (learning rate ``eta``; the net's seed draws the starting weights and the
    mini-batch order). Raises :class:`NetsimError` on bad input, or if training diverges."""
    deep_sizes = digits_sizes(net.sizes)
    require(len(deep_sizes) >= 4, f"sizes {list(deep_sizes)} need at least two hidden layers")
    require(is_whole(units) and 1 <= units <= deep_sizes[1],
            f"units = {units!r} must be a whole number from 1 to {deep_sizes[1]} (the first layer's width)")
    setup = training_setup(eta, epochs)  # checks eta and epochs

    split = setup.split()
    share = np.mean(split.train.x > 0, axis=0)
    inked = share >= RARE_INK
    inked.setflags(write=False)
    shallow_net = net.shallow()
    deep, shallow = progress(setup, net), progress(setup, shallow_net)
    x, y = split.train.x, split.train.y

    spread = shallow.run.network.forward(split.test.x).activations[1].std(axis=0)
    shown_s = _top(spread, units)
    change = unit_changes(deep.start.weights[0], deep.run.network.weights[0])
    shown_d = _top(change, units)
    return DepthResult(
        setup=setup, epochs=int(epochs),
        shallow=_learning(shallow_net, shallow, shown_s, SHALLOW_RULE, spread[list(shown_s)], inked, x, y,
                          setup.cost),
        deep=_learning(net, deep, shown_d, DEEP_RULE, change[list(shown_d)], inked, x, y, setup.cost),
        chance=1.0 / deep_sizes[-1], ink_share=frozen(share), inked=inked, rare_ink=RARE_INK,
    )
