"""One gap, measured several ways: the layer-1-against-layer-(L-1) ratios the episode states for
the deep sigmoid net up to chapter 11, side by side, with what each compares.

The episode says how far layer 1 trails the last hidden layer L-1 in seven chapters, and each
number measures something else: chapter 1 all of a layer's weight gradients together on one
digit (1/110), chapter 4 how far each layer's steepest weight moved in its steps on one digit,
under the quadratic cost, chapter 5 how much each layer's weights changed, relative to their
start, in 10 epochs of training on the 1,348 digits (r_1 / r_(L-1), 1/8.4), chapter 7 the bias
gradients ||dC/db_l|| = ||delta_l|| on one digit (1/120) and with C averaged over chapter 8's
1,000 probe digits (1/140), Nielsen's book the same on MNIST (about 1/100), chapter 8 that
average's geometric mean over the plateau's epochs (1/37), and chapter 10 the rms over the
digits of each digit's ||delta_l||, the median over 20 starts (1/124). :func:`layer_gaps`
computes them all from the very experiments those chapters run, so the side-by-side card
(chapter 11's last beat) shows the same numbers.

Every value is written ``first_over_last``: layer 1's over layer L-1's, the way round the
episode writes each ratio (below 1: layer 1 trails).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from netsim.errors import require
from netsim.experiments.depth import why_depth_matters
from netsim.experiments.fading import BOOK_RATIO_SAID, fading
from netsim.experiments.opening import cold_open
from netsim.experiments.rock import rock_on_slope
from netsim.experiments.training import SETUP, cost_of_fading
from netsim.experiments.wayout import FACTOR_DIGITS, PROBLEM, way_out
from netsim.spec import NetSpec

#: What a row compares (the scene words each one): all of a layer's weight gradients together;
#: how far its steepest weight moved; ||dC/db_l|| with C of one digit; the same with C averaged;
#: that average's geometric mean over epochs; the rms over digits of one digit's ||delta_l||; a
#: layer's relative change in training, r_l = ||W_l(after) - W_l(before)|| / ||W_l(before)||.
QUANTITIES = ("weights", "moved", "biases", "biases-averaged", "averaged-over-epochs", "digit-rms", "changed")


@dataclass(frozen=True)
class Gap:
    """One ratio of the episode: ``first_over_last`` (layer 1's over layer L-1's), the chapter
    that states it (``source``: a chapter's slug, or "nielsen" for his book), what it compares
    (``quantity``, one of :data:`QUANTITIES`), under which ``cost``, on how many ``digits``
    (``mnist``: Nielsen's MNIST digits, else scikit-learn's 8x8 ones), ``epochs`` = (first, last)
    it averages over (None: the untrained net), ``trained``: after how many epochs of training
    (0: none), ``steps``: how many descent steps a weight moved from the start (0: none) and
    over how many random ``starts`` (its median); ``about``: a published figure,
    said to one significant figure as the chapter says it; ``figures``: the significant figures
    its chapter writes it to."""

    source: str
    first_over_last: float
    quantity: str
    cost: str
    digits: int
    mnist: bool = False
    epochs: tuple[int, int] | None = None
    trained: int = 0
    steps: int = 0
    starts: int = 1
    about: bool = False
    figures: int = 2


@dataclass(frozen=True)
class LayerGaps:
    """The episode's ratios for one deep sigmoid net, in the order its chapters state them, and
    the last hidden layer they all compare layer 1 with."""

    last_hidden: int
    gaps: tuple[Gap, ...]


def _inverse(ratio: float) -> float:
    """1 / ratio, with 0 and inf swapped (a layer with no gradient at all)."""
    if ratio == 0.0:
        return math.inf
    return 0.0 if math.isinf(ratio) else 1.0 / ratio


def is_problem_net(net: NetSpec) -> bool:
    """Whether ``net`` is a deep sigmoid net with Nielsen's start (N(0, 1/n) weights, N(0, 1)
    biases), two hidden layers or more, and no skips: the net whose ratios the episode states."""
    return (net.activation == "sigmoid" and net.init == "nielsen" and net.bias_init == "normal"
            and not net.residual and net.depth >= 3)


def layer_gaps(net: NetSpec, *, eta: float = 0.1, sample: int = 0) -> LayerGaps:
    """Every ratio the episode states for ``net`` (a deep digits net with sigmoid layers, trained
    at ``eta``), its chapters' experiments run again with their own arguments (each is kept once
    per process, so nothing is computed twice in one render): chapters 1, 4 and 7 on digit
    ``sample``, chapter 5's and chapter 8's runs at ``eta``, and chapter 10's bars for chapter 7's
    start (``net``'s own).
    A net of another kind gets a NetsimError: the chapters showed its numbers, not these."""
    require(is_problem_net(net), "the episode's ratios are stated for a deep sigmoid net with Nielsen's start "
            "(two hidden layers or more, no skips)")
    opening = cold_open(net, sample=sample)
    rock = rock_on_slope(net, sample=sample, eta=eta)
    depth = why_depth_matters(net, eta=eta)
    changed = depth.deep.rel_change
    fade = fading(net, sample=sample)
    train = cost_of_fading(net, eta=eta)
    bars = way_out(net)
    sigmoid = bars.by_key(PROBLEM.key)  # chapter 7's start: the net the other chapters train
    probe = SETUP.probe_size
    gaps = (
        Gap("opening", opening.pushed, "weights", "cross-entropy", 1),
        Gap("rock", _inverse(rock.distance_ratio), "moved", "quadratic", 1, steps=rock.first.steps),
        Gap("depth", float(changed[0] / changed[-2]), "changed", depth.setup.cost, depth.setup.n_train,
            trained=depth.epochs),
        Gap("fading", fade.first_over_last, "biases", "cross-entropy", 1),
        Gap("fading", fade.probe_first_over_last, "biases-averaged", "cross-entropy", probe),
        Gap("nielsen", 1.0 / BOOK_RATIO_SAID, "biases-averaged", "cross-entropy", 1000, mnist=True, about=True),
        Gap("training", _inverse(train.ratio), "averaged-over-epochs", train.setup.cost, probe, epochs=train.window),
        Gap("wayout", _inverse(sigmoid.ratio), "digit-rms", bars.cost, bars.n_samples, starts=len(bars.seeds),
            figures=FACTOR_DIGITS),
    )
    return LayerGaps(last_hidden=len(net.sizes) - 2, gaps=gaps)
