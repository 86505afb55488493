"""Chapter 8, the cost of fading: a real training run of a deep net and a shallow one.

Both nets learn scikit-learn's 8x8 digits (:func:`netsim.data.digits_split`) by mini-batch
SGD (:func:`netsim.train.sgd`) under one :class:`TrainingSetup` (the split, mini-batch size,
eta, epochs, the cross-entropy cost of chapter 7, no weight decay), with the same hidden activation g,
initialisation rule and seed:

- the deep net, e.g. [64, 30, 30, 30, 30, 10] (the lesson's net, a :class:`~netsim.spec.NetSpec`);
- the shallow net [64, width, 10]: one hidden layer of the same width.

Chapters 5, 8 and 11 all train under this one set-up, through :func:`train_under` and
:func:`progress`, which keep every run once per process: chapter 5 reads these very runs
after :data:`FIRST_LOOK` epochs, and a longer run goes on from those first epochs exactly as
one uninterrupted run would (the mini-batch shuffler continues where it stopped), so the two
chapters' numbers agree and each net is trained once.

After every epoch (and once before the first) ``sgd`` records, on a fixed probe set of
training images, each layer's "speed of learning" ||dC/db_l|| = ||mean over x of delta_l||
(Nielsen's measure), the mean cost C on the training set, and the accuracy on held-out
images (the fraction whose largest output a_L is the true digit).

How much slower the first hidden layer learns than the last: per epoch e,

    r_e = ||dC/db_{L-1}|| / ||dC/db_1||     (hidden layers only; layer L is the output)

The deep sigmoid net first sits on a plateau near chance while r_e is large; the plateau ends
at the ``catch_up_epoch``, the first epoch e >= 1 with r_e <= 1 (layer 1 learns at least as
fast as layer L-1). The summary ``ratio`` is the geometric mean of r_e over the epochs before
it (the ``window``, epochs 1 .. catch_up_epoch - 1; all epochs 1 .. E if layer 1 never catches
up, or already does at epoch 1), 10^(mean of log10 r_e): the average vertical gap between the
two lines on a log-scale plot over those epochs.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
from threadpoolctl import threadpool_limits

from netsim import fp
from netsim.data import Split, digits_split
from netsim.errors import NetsimError, require
from netsim.experiments.shared import decades, frozen, is_whole, require_digits_net, round_significant, verdict
from netsim.network import Network
from netsim.spec import NetSpec, OfNet
from netsim.train import TrainingRun, sgd

Array = np.ndarray

COST = "cross-entropy"
BATCH_SIZE = 10
MAX_EPOCHS = 1000

#: Epochs chapter 8 trains for: long enough that the default deep sigmoid net's plateau near
#: chance AND its end (where it has caught up) are both on the plot.
EPOCHS = 200

#: Chapter 5 looks at chapter 8's nets after this many epochs: a run of more epochs goes on from
#: the kept run of this many, so both chapters show one training.
FIRST_LOOK = 10

#: The share of the 1797 digits held out for testing, and the seed of the shuffle.
TEST_FRACTION = 0.25
SPLIT_SEED = 0

#: How many training images the per-epoch speed of learning ||dC/db_l|| is measured on.
PROBE_SIZE = 1000


@dataclass(frozen=True)
class TrainingSetup:
    """Chapter 8's training set-up, shared by every chapter that trains (chapters 5, 8 and 11).

    ``data``: the data set's name on screen; ``n_train`` / ``n_test``: the sizes of the training
    set and of the held-out test set (from :func:`netsim.data.digits_split` with ``test_fraction``
    and ``split_seed``); ``batch_size``: images per mini-batch; ``eta``: the learning rate in
    w <- w - eta dC/dw; ``epochs``: passes over the training set; ``cost``: the cost C (the
    cross-entropy cost of chapter 7); ``l2``: the weight decay, none; ``probe_size``: the
    training images ||dC/db_l|| is measured on after each epoch. The nets themselves (their
    output layer's sigma among the rest) are :class:`~netsim.spec.NetSpec` values.
    """

    data: str = "scikit-learn's 8x8 digits"
    n_train: int = 1348
    n_test: int = 449
    test_fraction: float = TEST_FRACTION
    split_seed: int = SPLIT_SEED
    batch_size: int = BATCH_SIZE
    eta: float = 0.1
    epochs: int = EPOCHS
    cost: str = COST
    l2: float = 0.0
    probe_size: int = PROBE_SIZE

    @property
    def updates_per_epoch(self) -> int:
        """Mini-batch steps in one epoch: ceil(n_train / batch_size)."""
        return -(-self.n_train // self.batch_size)

    def split(self) -> Split:
        """The train / test split this set-up uses."""
        return digits_split(self.test_fraction, self.split_seed)


def training_setup(eta: float = 0.1, epochs: int = EPOCHS, batch_size: int = BATCH_SIZE) -> TrainingSetup:
    """Chapter 8's set-up for a lesson's learning rate ``eta`` (``lesson.learning_rate``).

    The split sizes are counted from the data, so they are always the ones training uses.
    """
    require(isinstance(eta, (int, float)) and not isinstance(eta, bool) and math.isfinite(eta) and eta > 0,
            f"learning rate eta = {eta!r} must be a positive number")
    require(isinstance(epochs, int) and not isinstance(epochs, bool) and 1 <= epochs <= MAX_EPOCHS,
            f"epochs = {epochs!r} must be a whole number from 1 to {MAX_EPOCHS}")
    require(isinstance(batch_size, int) and not isinstance(batch_size, bool) and batch_size >= 1,
            f"batch_size = {batch_size!r} must be a whole number >= 1")
    split = digits_split(TEST_FRACTION, SPLIT_SEED)
    return TrainingSetup(n_train=len(split.train), n_test=len(split.test), batch_size=batch_size,
                         eta=float(eta), epochs=epochs)


#: The default lesson's set-up (eta = 0.1).
SETUP = training_setup()


@dataclass(frozen=True, eq=False)
class Progress:
    """A net trained under a set-up for ``run.epochs`` epochs: ``start`` the untrained net,
    ``run`` the records of epochs 0 .. ``run.epochs`` and the net after the last, ``shuffle``
    the state of the mini-batch shuffler then, so that training can go on exactly as one longer
    run would. The arrays are read-only: a kept run cannot be changed by accident."""

    start: Network
    run: TrainingRun
    shuffle: dict[str, Any]

    @property
    def epochs(self) -> int:
        """Epochs trained so far."""
        return self.run.epochs


def _read_only(net: Network) -> Network:
    """``net`` with read-only weights and biases (sgd trains a copy, never the net it is given)."""
    for a in (*net.weights, *net.biases):
        a.setflags(write=False)
    return net


def _kept(run: TrainingRun) -> TrainingRun:
    """``run`` with read-only records and net."""
    return TrainingRun(run.sizes, run.epochs, frozen(run.speeds), frozen(run.probe_cost), frozen(run.test_accuracy),
                       _read_only(run.network), frozen(run.near_floor), frozen(run.near_ceiling), frozen(run.travelled))


def _shuffler(state: dict[str, Any]) -> np.random.Generator:
    """A fresh generator in ``state`` (the one sgd would have after the epochs so far)."""
    bits = np.random.PCG64()
    bits.state = state
    return np.random.Generator(bits)


def _train(setup: TrainingSetup, net: Network, epochs: int, shuffle: np.random.Generator, done: int,
           step_scales: Sequence[float] | None = None) -> TrainingRun:
    """sgd on ``net`` for ``epochs`` epochs under ``setup``, shuffling with ``shuffle`` (advanced in
    place); a run that diverges names its epoch counted from the start (``done`` epochs before).
    ``step_scales``: per layer, what eta is multiplied by (see :func:`netsim.train.sgd`)."""
    split = setup.split()
    try:
        with threadpool_limits(limits=1):
            # sgd draws its shuffles from np.random.default_rng(seed), which hands a Generator
            # back as it is: this one goes on where the epochs before stopped.
            return sgd(net, split.train, split.test, epochs=epochs, eta=setup.eta, batch_size=setup.batch_size,
                       l2=setup.l2, cost=setup.cost, seed=shuffle,  # type: ignore[arg-type]
                       probe_size=setup.probe_size, step_scales=step_scales)
    except NetsimError as exc:
        if not done:
            raise
        text = re.sub(r"in epoch (\d+)", lambda m: f"in epoch {int(m.group(1)) + done}", str(exc), count=1)
        raise NetsimError(text) from None


def continue_training(before: Progress, setup: TrainingSetup, epochs: int) -> Progress:
    """``before`` trained ``epochs`` epochs more under ``setup``: the same bits as one run of
    ``before.epochs + epochs`` epochs (row ``before.epochs`` is not recorded twice)."""
    require(is_whole(epochs) and epochs >= 1, f"epochs = {epochs!r} must be a whole number >= 1")
    shuffle = _shuffler(before.shuffle)
    more = _train(setup, before.run.network, int(epochs), shuffle, before.epochs)
    old = before.run
    run = TrainingRun(old.sizes, old.epochs + more.epochs, np.concatenate([old.speeds, more.speeds[1:]]),
                      np.concatenate([old.probe_cost, more.probe_cost[1:]]),
                      np.concatenate([old.test_accuracy, more.test_accuracy[1:]]), more.network,
                      np.concatenate([old.near_floor, more.near_floor[1:]]),
                      np.concatenate([old.near_ceiling, more.near_ceiling[1:]]),
                      np.concatenate([old.travelled, old.travelled[-1] + more.travelled[1:]]))
    return Progress(before.start, _kept(run), shuffle.bit_generator.state)


def start_training(setup: TrainingSetup, net: NetSpec) -> Progress:
    """A fresh net of the spec ``net`` (:meth:`NetSpec.build`) trained for ``setup.epochs``
    epochs; SGD shuffles with the net's seed. Not kept: see :func:`progress`."""
    fresh = net.build()
    shuffle = np.random.default_rng(net.seed)
    run = _train(setup, fresh, setup.epochs, shuffle, 0)
    return Progress(_read_only(fresh), _kept(run), shuffle.bit_generator.state)


@lru_cache(maxsize=24)
def progress(setup: TrainingSetup, net: NetSpec) -> Progress:
    """The net ``net`` trained under ``setup`` (see :func:`start_training`), kept once per
    process: a run of more than :data:`FIRST_LOOK` epochs goes on from the kept run of
    ``FIRST_LOOK``, so chapter 5 (which stops there) and chapters 8 and 11 share one training."""
    if setup.epochs <= FIRST_LOOK:
        return start_training(setup, net)
    first = progress(dataclasses.replace(setup, epochs=FIRST_LOOK), net)
    return continue_training(first, setup, setup.epochs - FIRST_LOOK)


def train_under(setup: TrainingSetup, net: NetSpec) -> TrainingRun:
    """The records of a fresh net of the spec ``net`` trained under ``setup`` (:func:`progress`):
    ||dC/db_l||, the mean training cost and the held-out accuracy per epoch (row 0: untrained),
    and the net after the last epoch. BLAS runs on one thread (small matrices, two shared cores)."""
    return progress(setup, net).run


#: The held-out accuracy a net must reach to count as trained (see ``epochs_to_target``).
DEFAULT_TARGET_ACCURACY = 0.9

#: The held-out accuracy at which the deep net counts as having left its plateau.
CLIMB_ACCURACY = 0.5

#: Epochs at each end of the plateau whose r_e are compared (``gap_narrowing``).
GAIN_EPOCHS = 10


@dataclass(frozen=True)
class PublishedRun:
    """Nielsen's chapter-5 runs on MNIST ("Why are deep neural networks hard to train?").

    Nets [784, 30, ..., 30, 10] with 1 to 4 hidden layers of ``width``, trained for ``epochs`` epochs with
    mini-batches of ``batch_size``, eta = ``eta``, the cross-entropy cost and L2 strength
    ``l2``, on ``train_images`` MNIST images of ``side`` x ``side`` pixels; ``accuracy[k - 1]``
    is the reported test accuracy with k hidden layers.
    """

    train_images: int = 50_000
    side: int = 28
    width: int = 30
    epochs: int = 30
    batch_size: int = 10
    eta: float = 0.1
    l2: float = 5.0
    accuracy: tuple[float, ...] = (0.9648, 0.9690, 0.9657, 0.9653)

    @property
    def updates_per_epoch(self) -> int:
        """Mini-batch steps in one MNIST epoch."""
        return -(-self.train_images // self.batch_size)


NIELSEN_MNIST = PublishedRun()


@dataclass(frozen=True, eq=False)
class TrainingComparison(OfNet):
    """The deep net's (``net``'s) and the shallow net's training records, epoch by epoch (row
    0: untrained); the shallow net is ``net.shallow()``, [n_0, n_1, n_L].

    ``setup``: the :class:`TrainingSetup` both nets trained under (``eta``, ``epochs`` and
    ``batch_size`` repeat it). ``speeds[e, l - 1]`` is ||dC/db_l|| of the deep net after
    epoch e, l = 1 .. L (the last column is the output layer); ``hidden_speeds`` drops that
    column. ``ratios[e]`` is r_e = ||dC/db_{L-1}|| / ||dC/db_1||. ``catch_up_epoch``: the first
    epoch e >= 1 with r_e <= 1 (None: never). ``window`` = (first, last): the epochs the
    summary ``ratio`` (geometric mean of r_e) is taken over; ``ratio_rounded`` is it to two
    significant figures. ``regime``: "vanishing" (ratio >= 10), "exploding" (ratio <= 1/10)
    or "level"; ``factor``: how many times slower (ratio >= 1) or faster (ratio < 1) layer 1
    learns than layer L-1 over the window, to two significant figures.
    ``*_accuracy`` / ``*_cost``: held-out accuracy, and mean cost on the probe set, per epoch.
    ``*_epochs_to_target``: the first epoch whose accuracy is at least ``target_accuracy``;
    ``deep_epochs_to_climb``: the first epoch the deep net's is at least ``climb_accuracy``;
    ``deep_epochs_to_leave_chance``: the first epoch from which it stays at least twice ``chance``
    to the end (:func:`epochs_to_stay_above`: a lone spike above it on the plateau does not count; None: not
    within ``epochs``). ``chance`` = 1 / n_L, the accuracy of guessing.
    ``decades`` = (lo, hi): whole powers of ten covering the hidden layers' speeds.
    ``deep_near_floor[e, l - 1]`` / ``deep_near_ceiling[e, l - 1]``: the share of the deep net's
    a_l on the probe set below :data:`netsim.train.FLOOR` / above 1 - FLOOR after epoch e (a sigmoid
    layer saturated near 0 / near 1).
    """

    net: NetSpec
    setup: TrainingSetup
    eta: float
    epochs: int
    batch_size: int
    speeds: Array
    ratios: Array
    catch_up_epoch: int | None
    window: tuple[int, int]
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
    climb_accuracy: float
    deep_epochs_to_climb: int | None
    deep_epochs_to_leave_chance: int | None
    chance: float
    decades: tuple[int, int]
    deep_near_floor: Array
    deep_near_ceiling: Array

    @property
    def plateau_saturated_share(self) -> float:
        """The largest share of the last hidden layer's outputs saturated (below
        :data:`netsim.train.FLOOR` or above 1 - FLOOR) in any epoch of the ``window``: Glorot and
        Bengio's account of sigmoid plateaus is that layer saturating near 0."""
        first, last = self.window
        top = self.hidden_layers - 1
        both = self.deep_near_floor[first:last + 1, top] + self.deep_near_ceiling[first:last + 1, top]
        return float(np.max(both))

    @property
    def deep_sizes(self) -> tuple[int, ...]:
        """The deep net's sizes [n_0, n_1, ..., n_L]."""
        return self.net.sizes

    @property
    def shallow_sizes(self) -> tuple[int, ...]:
        """The shallow net's sizes [n_0, n_1, n_L]."""
        return self.net.shallow().sizes

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

    @property
    def plateau(self) -> bool:
        """Whether layer 1 lagged far behind and then caught up: a plateau with a visible end."""
        return self.regime == "vanishing" and self.catch_up_epoch is not None and self.window[1] < self.epochs

    @property
    def plateau_updates(self) -> int:
        """Mini-batch steps before the catch-up epoch (the plateau's length counted in updates)."""
        return self.window[1] * self.setup.updates_per_epoch

    @property
    def gap_narrowing(self) -> float:
        """How much layer 1 gained on layer L-1 over the plateau: the geometric mean of r_e over the
        window's first ``GAIN_EPOCHS`` epochs over that over its last ones (half the window each if
        it is shorter); 1.0 without a plateau. Above 1: the gap narrowed, as one number for the
        trend the summary ``ratio`` averages over."""
        if not self.plateau:
            return 1.0
        first, last = self.window
        k = max(1, min(GAIN_EPOCHS, (last - first + 1) // 2))
        _, early = speed_ratios(self.hidden_speeds, (first, first + k - 1))
        _, late = speed_ratios(self.hidden_speeds, (last - k + 1, last))
        if late == 0.0 or math.isinf(early):
            return math.inf
        return float(early / late) if math.isfinite(late) else 0.0


def epochs_to_target(accuracy: Array, target: float) -> int | None:
    """The first epoch e with accuracy[e] >= target, or None if there is none."""
    hits = np.flatnonzero(np.asarray(accuracy) >= target)
    return int(hits[0]) if hits.size else None


def epochs_to_stay_above(accuracy: Array, level: float) -> int | None:
    """The first epoch e from which accuracy stays >= level to the end of the run (spikes above it
    before falling back do not count), or None if the last epoch is below it."""
    below = np.flatnonzero(np.asarray(accuracy) < level)
    if not below.size:
        return 0
    last = int(below[-1])
    return last + 1 if last + 1 < len(accuracy) else None


def catch_up_epoch(ratios: Array) -> int | None:
    """The first epoch e >= 1 with r_e <= 1 (layer 1 as fast as layer L-1), or None."""
    hits = np.flatnonzero(np.asarray(ratios)[1:] <= 1.0)
    return int(hits[0]) + 1 if hits.size else None


def ratio_window(catch_up: int | None, epochs: int) -> tuple[int, int]:
    """The epochs (first, last) the summary ratio averages: the plateau 1 .. catch_up - 1, or all."""
    if catch_up is None or catch_up <= 1:
        return 1, epochs
    return 1, catch_up - 1


def speed_ratios(hidden_speeds: Array, window: tuple[int, int] | None = None) -> tuple[Array, float]:
    """Per-epoch r_e = last hidden / first hidden speed, and their geometric mean over ``window``.

    ``window`` = (first, last) epochs, both included (None: every row). A first layer that
    stopped learning altogether (speed 0) makes r_e infinite; the mean is then infinite too
    (shown as "overflow"), never NaN.
    """
    first, last = hidden_speeds[:, 0], hidden_speeds[:, -1]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratios = np.where(first > 0, last / np.where(first > 0, first, 1.0), np.inf)
        ratios = np.where((first == 0) & (last == 0), 1.0, ratios)
        logs = fp.log10(ratios)
    if window is not None:
        logs = logs[window[0]:window[1] + 1]
    mean_log = float(np.mean(logs))
    if math.isnan(mean_log):  # +inf and -inf epochs together: no meaningful average
        raise NetsimError("the speed ratio has no average: layer 1 and layer L-1 both stopped learning")
    if mean_log > 300:
        return ratios, math.inf
    return ratios, float(fp.exp10(mean_log)) if mean_log > -300 else 0.0


class _Lag(NamedTuple):
    """How much slower layer 1 learns than layer L-1: per-epoch r_e, the catch-up epoch, the
    window the summary ratio averages over, and that geometric mean."""

    ratios: Array
    catch_up: int | None
    window: tuple[int, int]
    ratio: float


def require_deep_digits_net(net: NetSpec) -> None:
    """``net`` reads the 8x8 digits, gives ten outputs and has at least two hidden layers (a
    first and a last to compare); else NetsimError names what is wrong."""
    require(len(net.sizes) >= 4, f"sizes {list(net.sizes)} need at least two hidden layers (a first and a last)")
    require_digits_net(net.sizes)


def _check_arguments(net: NetSpec, eta: float, epochs: int, batch_size: int, target_accuracy: float,
                     climb_accuracy: float) -> TrainingSetup:
    """A deep digits net, the accuracy marks, and the set-up."""
    require_deep_digits_net(net)
    for name, value in (("target_accuracy", target_accuracy), ("climb_accuracy", climb_accuracy)):
        require(isinstance(value, (int, float)) and 0 < value <= 1, f"{name} = {value!r} must be in (0, 1]")
    return training_setup(eta, epochs, batch_size)


def _train_both(setup: TrainingSetup, net: NetSpec) -> tuple[TrainingRun, TrainingRun]:
    """The deep net ``net`` and its shallow net [n_0, n_1, n_L], trained under ``setup`` (sgd
    stops with a NetsimError if either diverges)."""
    return train_under(setup, net), train_under(setup, net.shallow())


def _lag(hidden_speeds: Array, epochs: int) -> _Lag:
    """r_e per epoch, the catch-up epoch, and the geometric mean of r_e over the plateau before it."""
    ratios, _ = speed_ratios(hidden_speeds)
    catch_up = catch_up_epoch(ratios)
    window = ratio_window(catch_up, epochs)
    _, ratio = speed_ratios(hidden_speeds, window)
    return _Lag(ratios, catch_up, window, ratio)


def _summarise(net: NetSpec, setup: TrainingSetup, deep: TrainingRun, shallow: TrainingRun, lag: _Lag,
               target_accuracy: float, climb_accuracy: float) -> TrainingComparison:
    """The frozen :class:`TrainingComparison` of the two runs and layer 1's lag."""
    regime, factor = verdict(lag.ratio)
    chance = 1.0 / net.sizes[-1]
    return TrainingComparison(
        net=net,
        setup=setup,
        eta=setup.eta,
        epochs=setup.epochs,
        batch_size=setup.batch_size,
        speeds=frozen(deep.speeds),
        ratios=frozen(lag.ratios),
        catch_up_epoch=lag.catch_up,
        window=lag.window,
        ratio=float(lag.ratio),
        ratio_rounded=round_significant(float(lag.ratio)),
        regime=regime,
        factor=float(factor),
        deep_accuracy=frozen(deep.test_accuracy),
        shallow_accuracy=frozen(shallow.test_accuracy),
        deep_cost=frozen(deep.probe_cost),
        shallow_cost=frozen(shallow.probe_cost),
        target_accuracy=float(target_accuracy),
        deep_epochs_to_target=epochs_to_target(deep.test_accuracy, target_accuracy),
        shallow_epochs_to_target=epochs_to_target(shallow.test_accuracy, target_accuracy),
        climb_accuracy=float(climb_accuracy),
        deep_epochs_to_climb=epochs_to_target(deep.test_accuracy, climb_accuracy),
        deep_epochs_to_leave_chance=epochs_to_stay_above(deep.test_accuracy, 2.0 * chance),
        chance=chance,
        decades=decades(deep.speeds[:, :-1]),
        deep_near_floor=frozen(deep.near_floor),
        deep_near_ceiling=frozen(deep.near_ceiling),
    )


def cost_of_fading(
    net: NetSpec,
    *,
    eta: float = 0.1,
    epochs: int = EPOCHS,
    batch_size: int = BATCH_SIZE,
    target_accuracy: float = DEFAULT_TARGET_ACCURACY,
    climb_accuracy: float = CLIMB_ACCURACY,
) -> TrainingComparison:
    """Train the deep net ``net`` and its shallow net [64, n_1, 10] side by side.

    ``net`` must be a digits net (64 inputs, 10 outputs) with at least two hidden layers, so
    that a first and a last hidden layer exist. Both train under
    ``training_setup(eta, epochs, batch_size)``.
    """
    setup = _check_arguments(net, eta, epochs, batch_size, target_accuracy, climb_accuracy)

    deep, shallow = _train_both(setup, net)
    lag = _lag(deep.speeds[:, :-1], setup.epochs)  # hidden layers only: layer L is the output

    return _summarise(net, setup, deep, shallow, lag, target_accuracy, climb_accuracy)


@dataclass(frozen=True, eq=False)
class StepTest:
    """Does layer 1's slow learning hold the deep net on its plateau? The deep net of a
    :class:`TrainingComparison` with a plateau, trained again from the same start, on the same
    mini-batches in the same order, under the same set-up, with one layer's step eta multiplied
    by ``boost``, the plateau's ``factor`` (how many times slower layer 1 learned than layer L-1
    there): once layer 1's (``first``), once, as the control, layer L-1's (``last``), and once each
    of the layers between (``middle``: layers 2 .. L-2, which lag too). If the lagging layers'
    slowness is what holds the net back, boosting them should shorten the plateau, and boosting
    layer L-1 should not.

    ``*_accuracy``: held-out accuracy per epoch (row 0: untrained). ``*_leave_chance``: the first
    epoch from which it stays at least twice chance, as the comparison's ``deep_epochs_to_leave_chance``;
    ``*_target``: at least its ``target_accuracy`` (None: not within its epochs).
    ``middle_accuracy[i]`` / ``middle_leave_chance[i]``: the same for layer i + 2's boost.
    ``last_floor_share``: in layer L-1's boosted run, the largest share of layer L-1's outputs
    below :data:`netsim.train.FLOOR` (saturated near 0) in any epoch of the plateau's ``window``.
    """

    boost: float
    last_layer: int
    first_accuracy: Array
    last_accuracy: Array
    first_leave_chance: int | None
    last_leave_chance: int | None
    first_target: int | None
    last_target: int | None
    middle_accuracy: tuple[Array, ...]
    middle_leave_chance: tuple[int | None, ...]
    last_floor_share: float


@lru_cache(maxsize=8)
def _boosted_runs(setup: TrainingSetup, net: NetSpec, boost: float) -> tuple[tuple[Array, Array], ...]:
    """(held-out accuracy, near_floor) per epoch with hidden layer l's step multiplied by ``boost``,
    l = 1 .. L-1."""
    start = progress(setup, net).start
    layers = net.depth
    runs = []
    for layer in range(1, layers):
        scales = tuple(boost if l == layer else 1.0 for l in range(1, layers + 1))
        run = _train(setup, start, setup.epochs, np.random.default_rng(net.seed), 0, scales)
        runs.append((frozen(run.test_accuracy), frozen(run.near_floor)))
    return tuple(runs)


def step_test(r: TrainingComparison) -> StepTest:
    """The deep net of ``r`` retrained with one hidden layer's step at a time eta times ``r.factor``;
    ``r`` must show a plateau (``r.plateau``). Each run is kept once per process."""
    require(r.plateau, "the step test needs a run whose deep net has a plateau")
    runs = _boosted_runs(r.setup, r.net, float(r.factor))
    first, last = runs[0][0], runs[-1][0]
    middle = tuple(acc for acc, _ in runs[1:-1])
    twice = 2.0 * r.chance
    lo, hi = r.window
    return StepTest(
        boost=float(r.factor),
        last_layer=r.hidden_layers,
        first_accuracy=first,
        last_accuracy=last,
        first_leave_chance=epochs_to_stay_above(first, twice),
        last_leave_chance=epochs_to_stay_above(last, twice),
        first_target=epochs_to_target(first, r.target_accuracy),
        last_target=epochs_to_target(last, r.target_accuracy),
        middle_accuracy=middle,
        middle_leave_chance=tuple(epochs_to_stay_above(m, twice) for m in middle),
        last_floor_share=float(np.max(runs[-1][1][lo:hi + 1, r.hidden_layers - 1])),
    )
