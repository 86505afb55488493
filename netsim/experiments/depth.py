"""Why depth matters: what a net's first layer learns, and how little it learns when deep.

Two nets are trained with :func:`netsim.train.sgd` on :func:`netsim.data.digits_split`
(mini-batch SGD, batches of 10, cross-entropy cost) for the same number of epochs:

- A shallow reference net [64, 30, 10] (sigmoid, ``nielsen`` init N(0, 1/n_in), N(0, 1)
  biases). Row j of its W_1 (shape (30, 64)) holds the 64 weights hidden neuron j gives the
  8x8 pixels; reshaped to 8x8 it is the picture the neuron responds to (z_1j = W_1[j] . x + b_1j).
  After training these pictures are blobs and strokes; before, they are noise. It is
  trained with a little L2 weight decay (lambda = 2): pixels that are blank in every digit
  (much of the border) get no gradient, so without decay they would keep their random
  starting values and blur the pictures; with it they fade and only what was learned stays.
- The lesson's deep net (e.g. [64, 30, 30, 30, 30, 10], the lesson's activation, init,
  bias init and seed, sigmoid output), trained with the lesson's learning rate and no L2,
  so that its weights change only through the gradient.

Per layer l the run measures the relative change of the weights,

    r_l = ||W_l(after) - W_l(before)|| / ||W_l(before)||   (Frobenius norms),

which says how much layer l has learned. The deep net has no L2, so W_l moves only by its
gradient steps -eta dC/dW_l. With sigmoid layers the gradient dC/dW_l shrinks from the
output towards the input (vanishing gradient): ``grad_before[l - 1]`` = ||dC/dW_l|| of the
untrained deep net on the training digits increases strictly with l over the hidden layers,
and r_1, r_2 stay a few percent while r_{L-1} is several times larger, so the first-layer
pictures stay noise. r_l is not monotone in l (in the default lesson r_2 < r_1 for every
seed 0-9 tried: layer 1's inputs are the pixels, and its small, noisy mini-batch steps add
up to a little more than layer 2's), so the chapter claims only what the bars show. With
ReLU and He initialisation the gradient does not shrink and every layer moves.

Why the shallow recipe ([64, 30, 10], eta = 1.0, lambda = 2, 10 epochs): measured on this
data, one hidden layer of 30 gives the clearest stroke-like pictures of the sizes tried
([64, 16, 10], [64, 30, 10], [64, 100, 10], [64, 30, 30, 10]); eta 0.1 leaves the pictures
half noise after 10 epochs (r_1 about 2), eta 0.5 to 1.0 lets the learned part dominate
(r_1 about 4 to 5, test accuracy 96%), eta 3 starts to lose accuracy; lambda = 2 cleans the
border at no cost in accuracy (96%), lambda = 5 cleans it too but drops to 93%. Training
both nets takes about 1 to 3 s.

Which units are shown:
- shallow net: the ``units`` hidden neurons whose output a_1j varies most (largest standard
  deviation) over the held-out test digits: a neuron that answers every digit the same way
  tells the next layer nothing, so these are the most informative ones;
- deep net: the ``units`` first-layer neurons whose weights changed most (largest
  ||W_1[j](after) - W_1[j](before)|| / ||W_1[j](before)||): the ones that learned most, so
  if even these still look like their starting noise, the whole layer does.

The "pieces to digit" example: a test digit that the shallow net gets right, and the hidden
neurons that push the right output up most, ranked by a_1j * W_2[label, j].
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from netsim import fp
from netsim.data import Split, digits_split
from netsim.errors import require
from netsim.experiments.shared import digits_net, frozen, is_whole
from netsim.network import Network
from netsim.train import TrainingRun, sgd

Array = np.ndarray

SHALLOW_WIDTH = 30
SHALLOW_ETA = 1.0
SHALLOW_L2 = 2.0
EPOCHS = 10
UNITS = 8
PIECES = 3
MAX_EPOCHS = 200
SHALLOW_RULE = "largest spread (std) of its output a over the test digits"
DEEP_RULE = "largest relative change of its 64 weights in training"


@dataclass(frozen=True)
class NetLearning:
    """One net before and after training.

    ``eta``, ``l2``: the learning rate and L2 strength it was trained with.
    ``w1_before``/``w1_after``: W_1, shape (n_1, 64). ``units``: the shown hidden neurons,
    best first, chosen by ``unit_rule``; ``unit_scores`` their scores. ``rel_change[l - 1]``:
    r_l for l = 1..L. ``accuracy_before``/``accuracy_after``: fraction of test digits right.
    """

    sizes: tuple[int, ...]
    activation: str
    eta: float
    l2: float
    w1_before: Array
    w1_after: Array
    units: tuple[int, ...]
    unit_rule: str
    unit_scores: Array
    rel_change: Array
    accuracy_before: float
    accuracy_after: float

    @property
    def depth(self) -> int:
        """L, the number of weight layers."""
        return len(self.sizes) - 1


@dataclass(frozen=True)
class Pieces:
    """A test digit and the shallow net's hidden neurons that build the right answer.

    ``image``: its 64 pixels in [0, 1]. ``units``: hidden neurons ranked by
    a_1j * W_2[label, j] (largest first); ``contributions`` those products.
    ``prediction``: the shallow net's answer (largest output), equal to ``label``.
    """

    test_index: int
    image: Array
    label: int
    prediction: int
    units: tuple[int, ...]
    contributions: Array


@dataclass(frozen=True)
class DepthResult:
    """Everything the "why depth matters" chapter shows.

    ``ratio``: r_{L-1} / r_1 of the deep net, how many times more its last hidden layer's
    weights changed than its first layer's. ``chance``: the accuracy of guessing, 1/10.
    ``grad_before[l - 1]``: ||dC/dW_l|| (Frobenius, cross-entropy cost, mean over the
    training digits) of the deep net before training, l = 1..L.
    """

    epochs: int
    seed: int
    train_seed: int
    shallow: NetLearning
    deep: NetLearning
    pieces: Pieces
    ratio: float
    chance: float
    grad_before: Array

    @property
    def gradient_shrinks(self) -> bool:
        """Whether ||dC/dW_l|| of the untrained deep net grows strictly from layer 1 to layer L - 1,
        i.e. shrinks on its way back from the output over the hidden layers."""
        g = self.grad_before[: self.deep.depth - 1]
        return bool(np.all(np.diff(g) > 0))



def relative_changes(before: Network, after: Network) -> Array:
    """r_l = ||W_l(after) - W_l(before)|| / ||W_l(before)|| for l = 1..L."""
    return np.array([fp.norm(wa - wb) / fp.norm(wb)
                     for wb, wa in zip(before.weights, after.weights)])


def _learning(net: Network, run: TrainingRun, units: tuple[int, ...], rule: str,
              scores: Array, eta: float, l2: float) -> NetLearning:
    """The :class:`NetLearning` of ``net`` before and after ``run``, showing ``units``."""
    return NetLearning(
        sizes=tuple(net.sizes),
        activation=net.activations[0].name,
        eta=float(eta),
        l2=float(l2),
        w1_before=frozen(net.weights[0]),
        w1_after=frozen(run.network.weights[0]),
        units=units,
        unit_rule=rule,
        unit_scores=frozen(scores),
        rel_change=frozen(relative_changes(net, run.network)),
        accuracy_before=float(run.test_accuracy[0]),
        accuracy_after=float(run.test_accuracy[-1]),
    )


def _top(scores: Array, k: int) -> tuple[int, ...]:
    """Indices of the k largest scores, largest first (ties: lower index first)."""
    return tuple(int(i) for i in np.argsort(-scores, kind="stable")[:k])


def _pieces(net: Network, split: Split, start: int, k: int) -> Pieces:
    """The first test digit from ``start`` on that ``net`` gets right, and its ``k`` strongest hidden neurons."""
    test = split.test
    fp = net.forward(test.x)
    predictions = np.argmax(fp.output, axis=1)
    right = [i for i in range(start, len(test)) if predictions[i] == test.labels[i]]
    require(bool(right), f"the shallow net gets no test digit from #{start} on right")
    i = right[0]
    label = int(test.labels[i])
    contrib = fp.activations[1][i] * net.weights[1][label]
    units = _top(contrib, k)
    return Pieces(i, frozen(test.x[i]), label, int(predictions[i]), units,
                  frozen([contrib[u] for u in units]))


def _check_arguments(deep_sizes: Sequence[int], epochs: int, shallow_width: int, units: int, pieces: int,
                     probe_index: int, train_seed: int, deep_eta: float, shallow_eta: float,
                     shallow_l2: float) -> tuple[int, ...]:
    """The deep digits net's sizes (as a tuple), checked with the training and display numbers."""
    deep_sizes = tuple(deep_sizes)
    require(len(deep_sizes) >= 4, f"deep_sizes {list(deep_sizes)} need at least two hidden layers")
    require(deep_sizes[0] == 64 and deep_sizes[-1] == 10,
            f"deep_sizes {list(deep_sizes)} must start with 64 (8x8 pixels) and end with 10 (digits)")
    for name, value in (("epochs", epochs), ("shallow_width", shallow_width), ("units", units),
                        ("pieces", pieces), ("probe_index", probe_index), ("train_seed", train_seed)):
        require(is_whole(value), f"{name} {value!r} must be a whole number")
    require(1 <= epochs <= MAX_EPOCHS, f"epochs = {epochs} must be from 1 to {MAX_EPOCHS}")
    require(1 <= shallow_width <= 1000, f"shallow_width = {shallow_width} must be from 1 to 1000")
    narrowest = min(shallow_width, deep_sizes[1])
    require(1 <= units <= narrowest, f"units = {units} must be from 1 to {narrowest} (the first layer's width)")
    require(1 <= pieces <= shallow_width, f"pieces = {pieces} must be from 1 to {shallow_width}")
    require(probe_index >= 0, f"probe_index = {probe_index} must be >= 0")
    for name, eta in (("deep_eta", deep_eta), ("shallow_eta", shallow_eta)):
        require(isinstance(eta, (int, float)) and not isinstance(eta, bool) and math.isfinite(eta) and eta > 0,
                f"{name} = {eta!r} must be a finite number > 0")
    require(isinstance(shallow_l2, (int, float)) and not isinstance(shallow_l2, bool)
            and math.isfinite(shallow_l2) and shallow_l2 >= 0,
            f"shallow_l2 = {shallow_l2!r} must be a finite number >= 0")
    n_test = len(digits_split().test)
    require(probe_index < n_test, f"probe_index = {probe_index} must be below {n_test}")
    return deep_sizes


def _train_shallow(net: Network, split: Split, epochs: int, eta: float, l2: float, train_seed: int,
                   units: int) -> tuple[TrainingRun, NetLearning]:
    """Train the shallow reference net with L2; show the hidden neurons whose output a_1j varies most."""
    run = sgd(net, split.train, split.test, epochs=epochs, eta=float(eta), l2=float(l2), seed=train_seed)
    spread = run.network.forward(split.test.x).activations[1].std(axis=0)
    shown = _top(spread, units)
    return run, _learning(net, run, shown, SHALLOW_RULE, spread[list(shown)], eta, l2)


def _train_deep(net: Network, split: Split, epochs: int, eta: float, train_seed: int, units: int) -> NetLearning:
    """Train the deep net without L2; show the first-layer neurons whose weights changed most."""
    run = sgd(net, split.train, split.test, epochs=epochs, eta=float(eta), seed=train_seed)
    w0, w1 = net.weights[0], run.network.weights[0]
    unit_change = fp.norm(w1 - w0, axis=1) / fp.norm(w0, axis=1)
    shown = _top(unit_change, units)
    return _learning(net, run, shown, DEEP_RULE, unit_change[list(shown)], eta, 0.0)


def why_depth_matters(
    deep_sizes: Sequence[int] = (64, 30, 30, 30, 30, 10),
    activation: str = "sigmoid",
    init: str = "nielsen",
    bias_init: str = "normal",
    seed: int = 0,
    deep_eta: float = 0.1,
    epochs: int = EPOCHS,
    shallow_eta: float = SHALLOW_ETA,
    shallow_width: int = SHALLOW_WIDTH,
    shallow_l2: float = SHALLOW_L2,
    units: int = UNITS,
    pieces: int = PIECES,
    probe_index: int = 0,
    train_seed: int = 0,
) -> DepthResult:
    """Train the shallow reference net and the lesson's deep net for ``epochs`` epochs each.

    ``seed`` draws both nets' initial weights; ``train_seed`` the mini-batch order.
    ``probe_index``: the "pieces" example is the first test digit from this index on that the
    shallow net gets right. Raises :class:`NetsimError` on bad input.
    """
    deep_sizes = _check_arguments(deep_sizes, epochs, shallow_width, units, pieces, probe_index, train_seed,
                                  deep_eta, shallow_eta, shallow_l2)

    split = digits_split()
    deep = digits_net(deep_sizes, activation, init, bias_init, seed)
    shallow = Network.create([64, shallow_width, 10], "sigmoid", "sigmoid", "nielsen", None, "normal", seed)
    run_s, shallow_res = _train_shallow(shallow, split, epochs, shallow_eta, shallow_l2, train_seed, units)
    deep_res = _train_deep(deep, split, epochs, deep_eta, train_seed, units)
    grad_before = deep.backward(split.train.x, split.train.y, "cross-entropy").weight_gradient_norms()

    r = deep_res.rel_change
    return DepthResult(epochs=int(epochs), seed=int(seed), train_seed=int(train_seed), shallow=shallow_res,
                       deep=deep_res, pieces=_pieces(run_s.network, split, probe_index, pieces),
                       ratio=float(r[-2] / r[0]), chance=1.0 / deep_sizes[-1], grad_before=frozen(grad_before))
