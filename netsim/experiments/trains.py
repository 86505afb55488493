"""Chapter 11: the fixed nets train. Four nets under chapter 8's set-up, side by side.

Every net learns scikit-learn's 8x8 digits by mini-batch SGD under one
:class:`netsim.experiments.training.TrainingSetup` (the same split, mini-batch size, eta,
epochs, the cross-entropy cost of chapter 7), through
:func:`netsim.experiments.training.train_under` (:func:`netsim.train.sgd`, each run kept once
per process, so a net chapter 8 has trained is not trained again here), all with the same
seed, which draws each net's starting weights by its own rule and orders its mini-batches:

- ``shallow``: [64, width, 10], sigmoid, Nielsen's start (chapter 8's shallow net);
- ``sigmoid``: the lesson's deep net's sizes, sigmoid, Nielsen's start (chapter 8's deep net);
- ``tanh``: the same deep net with tanh and Xavier's start (Glorot and Bengio), biases 0;
- ``relu``: the same deep net with ReLU and He's start, biases 0;
- ``xavier``: the deep sigmoid net with Xavier's start, biases 0 (only the start changed,
  so it separates the start's share of the fix from the activation's).

Per net and epoch e (row 0: untrained) the run records the held-out accuracy and each
layer's speed of learning ||dC/db_l|| on the probe set. Per deep net,

    r_e = ||dC/db_{L-1}|| / ||dC/db_1||      (last hidden layer over the first)

and ``speed_ratio`` is their geometric mean over the result's ``window`` of epochs, the same
for every net (the average height of the r_e line over it on a log plot): the deep sigmoid
net's plateau, epochs 1 .. its catch-up epoch - 1, as chapter 8 averages it (all epochs 1 .. E
if it never catches up, or has no sigmoid net). r_e < 1 means layer 1 learns faster than
layer L-1.
``epochs_to_target`` is the first epoch whose accuracy is at least ``target_accuracy``
(None: not within the run).

"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from netsim.errors import NetsimError, require
from netsim.experiments.shared import decades, frozen, require_known_parts, round_significant
from netsim.experiments.training import (
    TrainingSetup,
    catch_up_epoch,
    ratio_window,
    require_deep_digits_net,
    speed_ratios,
    train_under,
    training_setup,
)
from netsim.spec import DEFAULT_NET, NetSpec, OfNet, Setting
from netsim.train import TrainingRun

Array = np.ndarray

#: The held-out accuracy a net must reach to count as trained.
DEFAULT_TARGET_ACCURACY = 0.9
#: Significant figures of the speed ratios on screen.
RATIO_DIGITS = 2


#: The five nets, each a :class:`~netsim.spec.Setting` of the lesson's deep net: a key, the
#: hidden activation, weight and bias init, and whether it is the deep net or its shallow one.
SHALLOW = Setting("shallow", "sigmoid", "nielsen", "normal", deep=False)
DEEP_SIGMOID = Setting("sigmoid", "sigmoid", "nielsen", "normal")
DEEP_TANH = Setting("tanh", "tanh", "xavier-normal", "zeros")
DEEP_RELU = Setting("relu", "relu", "he", "zeros")
SIGMOID_XAVIER = Setting("xavier", "sigmoid", "xavier-normal", "zeros")
NETS: tuple[Setting, ...] = (SHALLOW, DEEP_SIGMOID, DEEP_TANH, DEEP_RELU, SIGMOID_XAVIER)


@dataclass(frozen=True, eq=False)
class NetRun(OfNet):
    """One net's training record: ``setting`` applied to the lesson's net gives ``net``, the
    net trained. ``accuracy[e]``: held-out accuracy after epoch e;
    ``speeds[e, l - 1]``: ||dC/db_l|| after epoch e, l = 1 .. L (the last column is the output
    layer). ``ratios[e]``: r_e (deep nets; empty for the shallow one), ``speed_ratio`` their
    geometric mean over the result's window and ``speed_ratio_rounded`` to ``RATIO_DIGITS`` figures
    (nan for the shallow net, which has one hidden layer)."""

    setting: Setting
    net: NetSpec
    accuracy: Array
    speeds: Array
    ratios: Array
    speed_ratio: float
    speed_ratio_rounded: float
    epochs_to_target: int | None

    @property
    def final_accuracy(self) -> float:
        """Held-out accuracy after the last epoch."""
        return float(self.accuracy[-1])

    @property
    def hidden_speeds(self) -> Array:
        """||dC/db_l|| of the hidden layers l = 1 .. L-1, shape (epochs + 1, L - 1)."""
        return self.speeds[:, :-1]


@dataclass(frozen=True, eq=False)
class FixedNetsResult(OfNet):
    """The runs (in :data:`NETS` order) of the lesson's deep net ``net`` changed one
    setting at a time, the set-up they share, and the plot's decades.

    ``decades`` = (lo, hi): whole powers of ten covering every deep net's r_e (epochs 0 .. E)
    and 1 (the line where layer 1 and layer L-1 learn equally fast), at least one decade wide.
    ``window`` = (first, last): the epochs every deep net's ``speed_ratio`` averages.
    """

    setup: TrainingSetup
    net: NetSpec
    target_accuracy: float
    runs: tuple[NetRun, ...]
    decades: tuple[int, int]
    window: tuple[int, int]

    def by_key(self, key: str) -> NetRun:
        """The run called ``key`` ("shallow", "sigmoid", "tanh", "relu" or "xavier")."""
        for r in self.runs:
            if r.setting.key == key:
                return r
        raise NetsimError(f"net {key!r} is unknown; allowed: {', '.join(r.setting.key for r in self.runs)}")

    @property
    def epochs(self) -> int:
        """E, the number of epochs every net trained for."""
        return self.setup.epochs



def epochs_to_target(accuracy: Array, target: float) -> int | None:
    """The first epoch e with accuracy[e] >= target, or None if there is none."""
    hits = np.flatnonzero(np.asarray(accuracy) >= target)
    return int(hits[0]) if hits.size else None


def shared_window(runs: Sequence[TrainingRun], settings: Sequence[Setting], epochs: int) -> tuple[int, int]:
    """The epochs every deep net's ratio averages: the first deep sigmoid net's plateau, as
    chapter 8 finds it (:func:`catch_up_epoch`, :func:`ratio_window`); 1 .. ``epochs`` without one."""
    for run, setting in zip(runs, settings):
        if setting.deep and setting.activation == "sigmoid":
            ratios, _ = speed_ratios(run.speeds[:, :-1])
            return ratio_window(catch_up_epoch(ratios), epochs)
    return 1, epochs


def fixed_nets_train(
    net: NetSpec = DEFAULT_NET,
    *,
    eta: float = 0.1,
    epochs: int | None = None,
    target_accuracy: float = DEFAULT_TARGET_ACCURACY,
    nets: Sequence[Setting] = NETS,
) -> FixedNetsResult:
    """Train ``nets``, each a setting of the lesson's deep net ``net``, on the digits under
    chapter 8's set-up with learning rate ``eta``.

    ``net`` is the deep net (64 inputs, at least two hidden layers, 10 outputs; its sizes and
    seed are what the settings keep); a shallow setting trains [64, n_1, 10]. ``epochs``
    defaults to chapter 8's.
    """
    require_deep_digits_net(net)
    require(isinstance(target_accuracy, (int, float)) and 0 < target_accuracy <= 1,
            f"target_accuracy = {target_accuracy!r} must be in (0, 1]")
    nets = tuple(nets)
    require(len(nets) >= 1, "nets: give at least one net")
    keys = [n.key for n in nets]
    require(len(set(keys)) == len(keys), f"nets {keys} must have different keys")
    for n in nets:
        require(isinstance(n, Setting), f"net {n!r} must be a Setting")
        require_known_parts(f"net {n.key!r}", n.activation, n.init, n.bias_init)
    setup = training_setup(eta) if epochs is None else training_setup(eta, epochs)

    trained_runs = []
    for setting in nets:
        try:
            trained_runs.append(train_under(setup, setting.of(net)))
        except NetsimError as exc:  # sgd stops a diverging run: say which of the nets it was
            raise NetsimError(f"the {setting.key} net: {exc}") from None
    window = shared_window(trained_runs, nets, setup.epochs)

    runs = []
    for setting, run in zip(nets, trained_runs):
        trained = setting.of(net)
        if setting.deep:
            try:
                ratios, ratio = speed_ratios(run.speeds[:, :-1], window)
            except NetsimError as exc:
                raise NetsimError(f"the {setting.key} net: {exc}") from None
        else:
            ratios, ratio = np.zeros(0), math.nan
        runs.append(NetRun(
            setting=setting, net=trained, accuracy=frozen(run.test_accuracy),
            speeds=frozen(run.speeds), ratios=frozen(ratios), speed_ratio=float(ratio),
            speed_ratio_rounded=round_significant(float(ratio), RATIO_DIGITS) if setting.deep else math.nan,
            epochs_to_target=epochs_to_target(run.test_accuracy, target_accuracy),
        ))

    lo, hi = decades(np.concatenate([np.ones(1), *[r.ratios for r in runs if r.setting.deep]]))
    return FixedNetsResult(setup=setup, net=net, target_accuracy=float(target_accuracy), runs=tuple(runs),
                           decades=(int(lo), int(hi)), window=window)
