"""Chapter 8, the cost of fading: a real training run of a deep net and a shallow one.

Both nets learn scikit-learn's 8x8 digits (:func:`netsim.data.digits_split`) by mini-batch
SGD (:func:`netsim.train.sgd`) with the cross-entropy cost, the same step size eta, the same
hidden activation sigma, initialisation and seed:

- the deep net, e.g. [64, 30, 30, 30, 30, 10] (the lesson's ``sizes``);
- the shallow net [64, width, 10]: one hidden layer of the same width.

After every epoch (and once before the first) ``sgd`` records, on a fixed probe set of
training images, each layer's "speed of learning" ||dC/db_l|| = ||mean over x of delta_l||
(Nielsen's measure), the mean cost C on the training set, and the accuracy on held-out
images (the fraction whose largest output a_L is the true digit).

How much slower the first hidden layer learns than the last: per epoch e,

    r_e = ||dC/db_{L-1}|| / ||dC/db_1||     (hidden layers only; layer L is the output)

and the summary ``ratio`` is their geometric mean over the epochs, 10^(mean of log10 r_e),
which is the average vertical gap between the two lines on a log-scale plot.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from netsim.activations import ACTIVATIONS
from netsim.data import digits_split
from netsim.errors import NetsimError, require
from netsim.experiments.fading import REGIME_THRESHOLD, round_significant
from netsim.init import BIAS_INITS, WEIGHT_INITS
from netsim.network import Network
from netsim.train import TrainingRun, sgd

Array = np.ndarray

COST = "cross-entropy"
OUTPUT_ACTIVATION = "sigmoid"
BATCH_SIZE = 10
MAX_EPOCHS = 1000

#: The held-out accuracy a net must reach to count as trained (see ``epochs_to_target``).
DEFAULT_TARGET_ACCURACY = 0.9


@dataclass(frozen=True, eq=False)
class TrainingComparison:
    """The deep and the shallow net's training records, epoch by epoch (row 0: untrained).

    ``speeds[e, l - 1]`` is ||dC/db_l|| of the deep net after epoch e, l = 1 .. L (the last
    column is the output layer); ``hidden_speeds`` drops that column. ``ratios[e]`` is
    r_e = ||dC/db_{L-1}|| / ||dC/db_1||, ``ratio`` their geometric mean, ``ratio_rounded``
    it to two significant figures. ``regime``: "vanishing" (ratio >= 10), "exploding"
    (ratio <= 1/10) or "level"; ``factor``: how many times slower (ratio >= 1) or faster
    (ratio < 1) layer 1 learns than layer L-1, to two significant figures.
    ``*_accuracy`` / ``*_cost``: held-out accuracy and mean training cost per epoch.
    ``deep_epochs_to_target`` / ``shallow_epochs_to_target``: the first epoch whose accuracy
    is at least ``target_accuracy`` (None: not within ``epochs``). ``chance`` = 1 / n_L,
    the accuracy of guessing. ``decades`` = (lo, hi): whole powers of ten covering the hidden
    layers' speeds.
    """

    deep_sizes: tuple[int, ...]
    shallow_sizes: tuple[int, ...]
    activation: str
    init: str
    bias_init: str
    seed: int
    eta: float
    epochs: int
    batch_size: int
    speeds: Array
    ratios: Array
    ratio: float
    ratio_rounded: float
    regime: str
    factor: float
    deep_accuracy: Array
    shallow_accuracy: Array
    deep_cost: Array
    shallow_cost: Array
    target_accuracy: float
    deep_epochs_to_target: int | None
    shallow_epochs_to_target: int | None
    chance: float
    decades: tuple[int, int]

    @property
    def hidden_speeds(self) -> Array:
        """||dC/db_l|| of the hidden layers l = 1 .. L-1, shape (epochs + 1, L - 1)."""
        return self.speeds[:, :-1]

    @property
    def hidden_layers(self) -> int:
        """L - 1, the number of hidden layers of the deep net."""
        return len(self.deep_sizes) - 2

    @property
    def deep_final_accuracy(self) -> float:
        """The deep net's held-out accuracy after the last epoch."""
        return float(self.deep_accuracy[-1])

    @property
    def shallow_final_accuracy(self) -> float:
        """The shallow net's held-out accuracy after the last epoch."""
        return float(self.shallow_accuracy[-1])


def epochs_to_target(accuracy: Array, target: float) -> int | None:
    """The first epoch e with accuracy[e] >= target, or None if there is none."""
    hits = np.flatnonzero(np.asarray(accuracy) >= target)
    return int(hits[0]) if hits.size else None


def speed_ratios(hidden_speeds: Array) -> tuple[Array, float]:
    """Per-epoch r_e = last hidden / first hidden speed, and their geometric mean.

    A first layer that stopped learning altogether (speed 0) makes r_e infinite; the mean
    is then infinite too (shown as "overflow"), never NaN.
    """
    first, last = hidden_speeds[:, 0], hidden_speeds[:, -1]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratios = np.where(first > 0, last / np.where(first > 0, first, 1.0), np.inf)
        ratios = np.where((first == 0) & (last == 0), 1.0, ratios)
        logs = np.log10(ratios)
    mean_log = float(np.mean(logs))
    if math.isnan(mean_log):  # +inf and -inf epochs together: no meaningful average
        raise NetsimError("the speed ratio has no average: layer 1 and layer L-1 both stopped learning")
    if mean_log > 300:
        return ratios, math.inf
    return ratios, float(10.0**mean_log) if mean_log > -300 else 0.0


def cost_of_fading(
    sizes: Sequence[int],
    activation: str = "sigmoid",
    init: str = "nielsen",
    bias_init: str = "normal",
    seed: int = 0,
    eta: float = 0.1,
    epochs: int = 100,
    batch_size: int = BATCH_SIZE,
    target_accuracy: float = DEFAULT_TARGET_ACCURACY,
) -> TrainingComparison:
    """Train the deep net of ``sizes`` and the shallow net [64, sizes[1], 10] side by side.

    ``sizes`` must be a digits net (64 inputs, 10 outputs) with at least two hidden layers,
    so that a first and a last hidden layer exist. BLAS runs on one thread: the matrices are
    small, and threads fighting over two shared cores made training ten times slower.
    """
    sizes = tuple(sizes)
    require(all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 1 for n in sizes),
            f"sizes {list(sizes)} must be whole numbers >= 1")
    require(len(sizes) >= 4, f"sizes {list(sizes)} need at least two hidden layers (a first and a last)")
    require(sizes[0] == 64, f"the input layer has {sizes[0]} neurons; the 8x8 digits need 64")
    require(sizes[-1] == 10, f"the output layer has {sizes[-1]} neurons; ten digits need 10")
    require(activation in ACTIVATIONS, f"activation {activation!r} is unknown; allowed: {', '.join(ACTIVATIONS)}")
    require(init in WEIGHT_INITS, f"init {init!r} is unknown; allowed: {', '.join(WEIGHT_INITS)}")
    require(bias_init in BIAS_INITS, f"bias_init {bias_init!r} is unknown; allowed: {', '.join(BIAS_INITS)}")
    require(isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0,
            f"seed {seed!r} must be a whole number >= 0")
    require(isinstance(eta, (int, float)) and not isinstance(eta, bool) and math.isfinite(eta) and eta > 0,
            f"learning rate eta = {eta!r} must be a positive number")
    require(isinstance(epochs, int) and not isinstance(epochs, bool) and 1 <= epochs <= MAX_EPOCHS,
            f"epochs = {epochs!r} must be a whole number from 1 to {MAX_EPOCHS}")
    require(isinstance(batch_size, int) and not isinstance(batch_size, bool) and batch_size >= 1,
            f"batch_size = {batch_size!r} must be a whole number >= 1")
    require(isinstance(target_accuracy, (int, float)) and 0 < target_accuracy <= 1,
            f"target_accuracy = {target_accuracy!r} must be in (0, 1]")

    shallow_sizes = (sizes[0], sizes[1], sizes[-1])
    split = digits_split()

    def train(layer_sizes: tuple[int, ...]) -> TrainingRun:
        net = Network.create(layer_sizes, activation, OUTPUT_ACTIVATION, init, None, bias_init, seed)
        with threadpool_limits(limits=1):
            return sgd(net, split.train, split.test, epochs=epochs, eta=float(eta), batch_size=batch_size,
                       cost=COST, seed=seed)

    deep, shallow = train(sizes), train(shallow_sizes)
    if not (np.all(np.isfinite(deep.speeds)) and np.all(np.isfinite(deep.train_cost))
            and np.all(np.isfinite(shallow.train_cost))):
        raise NetsimError(f"training diverged with eta = {eta}: pick a smaller learning rate")

    hidden = deep.speeds[:, :-1]
    ratios, ratio = speed_ratios(hidden)
    if ratio >= REGIME_THRESHOLD:
        regime = "vanishing"
    elif ratio <= 1.0 / REGIME_THRESHOLD:
        regime = "exploding"
    else:
        regime = "level"
    factor = round_significant(ratio if ratio >= 1 else (1.0 / ratio if ratio > 0 else math.inf))

    positive = hidden[hidden > 0]
    if positive.size == 0:
        lo, hi = -1, 0
    else:
        lo = math.floor(np.log10(positive.min()))
        hi = max(math.ceil(np.log10(positive.max())), lo + 1)

    return TrainingComparison(
        deep_sizes=tuple(int(n) for n in sizes),
        shallow_sizes=tuple(int(n) for n in shallow_sizes),
        activation=str(activation),
        init=str(init),
        bias_init=str(bias_init),
        seed=int(seed),
        eta=float(eta),
        epochs=int(epochs),
        batch_size=int(batch_size),
        speeds=_frozen(deep.speeds),
        ratios=_frozen(ratios),
        ratio=float(ratio),
        ratio_rounded=round_significant(float(ratio)),
        regime=regime,
        factor=float(factor),
        deep_accuracy=_frozen(deep.test_accuracy),
        shallow_accuracy=_frozen(shallow.test_accuracy),
        deep_cost=_frozen(deep.train_cost),
        shallow_cost=_frozen(shallow.train_cost),
        target_accuracy=float(target_accuracy),
        deep_epochs_to_target=epochs_to_target(deep.test_accuracy, target_accuracy),
        shallow_epochs_to_target=epochs_to_target(shallow.test_accuracy, target_accuracy),
        chance=1.0 / sizes[-1],
        decades=(int(lo), int(hi)),
    )


def _frozen(a: Array) -> Array:
    """A read-only copy, so a cached result cannot be changed by accident."""
    out = np.array(a, dtype=float)
    out.flags.writeable = False
    return out
