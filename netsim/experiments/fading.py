"""Chapter 7: one digit's forward and backward pass through a deep net.

A net of ``sizes`` (e.g. [64, 30, 30, 30, 30, 10]) gets one real digit x = a_0 from
scikit-learn's bundled set, with the cross-entropy cost C against its one-hot label y.

Forward:   z_l = W_l a_{l-1} + b_l,   a_l = sigma(z_l)           (l = 1 .. L)
Backward:  delta_L = a_L - y          (sigmoid output, cross-entropy)
           delta_l = (W_{l+1}^T delta_{l+1}) * sigma'(z_l)
           dC/db_l = delta_l,   dC/dW_l[j, k] = delta_l[j] * a_{l-1}[k]

The result holds what the fading scene draws: the digit, every a_l, every |dC/dW_l|, the
neurons a diagram draws of each layer (wide layers are elided), the per-layer norms
||dC/db_l|| = ||delta_l|| and ||dC/dW_l|| (||v|| = sqrt(sum_i v_i^2), the size of a vector),
one log scale (whole powers of ten) covering the drawn edges and the norms, and the headline
ratio: the last HIDDEN layer's ||dC/db_{L-1}|| over the first's ||dC/db_1||, for this one
digit and this one random start. Hidden layers are compared with hidden layers, as Nielsen
does: the output layer's error delta_L = a_L - y carries no sigma' factor, so including it
would mix two different things.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from netsim.data import Dataset, digits
from netsim.errors import NetsimError, require
from netsim.experiments.shared import MIN_BAR_DECADES as MIN_BAR_DECADES  # the bars' axis; kept importable here
from netsim.experiments.shared import (
    bar_decades,
    decades,
    digits_net,
    digits_sizes,
    is_whole,
    round_significant,
    verdict,
)
from netsim.network import Gradients

Array = np.ndarray

#: Nielsen, "Neural Networks and Deep Learning", ch. 5: ||dC/db_l|| of the four hidden layers
#: of a [784, 30, 30, 30, 30, 10] sigmoid net on MNIST. A citation, not a netsim result.
BOOK_HIDDEN_NORMS: tuple[float, ...] = (0.003, 0.017, 0.070, 0.285)

#: Nielsen's last-hidden over first-hidden ratio, 0.285 / 0.003 (from the citation above).
BOOK_HIDDEN_RATIO: float = BOOK_HIDDEN_NORMS[-1] / BOOK_HIDDEN_NORMS[0]

#: Neurons a diagram draws of a wide layer (half from each end; pixels: the brightest).
DEFAULT_MAX_SHOWN = 6


@dataclass(frozen=True, eq=False)
class FadingResult:
    """One digit through a deep net, forward and backward.

    Lists are indexed like netsim's: ``activations[l]`` is a_l (l = 0 .. L, a_0 = pixels),
    ``grad_w[l - 1]`` is |dC/dW_l| of shape (n_l, n_{l-1}), ``bias_norms[l - 1]`` is
    ||dC/db_l||. ``drawn[l]`` are the neuron indices of layer l a diagram shows, and
    ``edge_grads[l - 1]`` is |dC/dW_l| restricted to drawn rows (layer l) and columns
    (layer l - 1). ``decades`` = (lo, hi): the log scale runs from 10^lo to 10^hi.
    ``ratio`` = ||dC/db_{L-1}|| / ||dC/db_1||: the last hidden layer's norm over the first
    hidden layer's (the output layer L is left out: its delta_L = a_L - y has no sigma'
    factor); ``ratio_rounded`` is it to two significant figures, ``orders`` its log10
    (``orders_rounded`` to one decimal). ``regime`` is "vanishing" (ratio >= 10),
    "exploding" (ratio <= 1/10) or "level"; ``factor`` is how many times smaller
    (ratio >= 1) or larger (ratio < 1) layer 1's norm is than layer L-1's, to two
    significant figures. ``book_factor``: the same ratio of Nielsen's published norms, to
    two significant figures. ``bar_decades`` = (lo, hi): the log axis of the per-layer
    bars, whole powers of ten covering every ||dC/db_l||, at least ``MIN_BAR_DECADES`` wide
    so that level bars look level.
    """

    sample: int
    pixels: Array
    label: int
    target: Array
    sizes: tuple[int, ...]
    activation: str
    activations: tuple[Array, ...]
    cost: float
    grad_w: tuple[Array, ...]
    drawn: tuple[tuple[int, ...], ...]
    edge_grads: tuple[Array, ...]
    bias_norms: Array
    weight_norms: Array
    decades: tuple[int, int]
    ratio: float
    ratio_rounded: float
    orders: float
    bar_decades: tuple[int, int]
    regime: str
    factor: float
    orders_rounded: float
    book_factor: float
    book_norms: tuple[float, ...] = BOOK_HIDDEN_NORMS

    @property
    def depth(self) -> int:
        """L, the number of weight layers."""
        return len(self.sizes) - 1

    @property
    def last_hidden(self) -> int:
        """L - 1, the last hidden layer (the headline ratio compares it with layer 1)."""
        return len(self.sizes) - 2

    @property
    def prediction(self) -> int:
        """The digit the (untrained) net picks: the index of the largest output a_L."""
        return int(np.argmax(self.activations[-1]))



def drawn_indices(n: int, max_shown: int = DEFAULT_MAX_SHOWN) -> tuple[int, ...]:
    """The neurons a diagram draws of a layer of n: all of them, or the first and last few."""
    require(max_shown >= 2, f"max_shown = {max_shown} must be at least 2")
    if n <= max_shown:
        return tuple(range(n))
    head = (max_shown + 1) // 2
    tail = max_shown - head
    return tuple(range(head)) + tuple(range(n - tail, n))


def brightest_pixels(pixels: Array, count: int) -> tuple[int, ...]:
    """The ``count`` brightest pixels (ties: lower index first), in index order."""
    order = np.lexsort((np.arange(pixels.size), -pixels))
    return tuple(sorted(int(i) for i in order[:count]))


def _check_arguments(sizes: Sequence[int], sample: int, max_shown: int) -> tuple[int, ...]:
    """The digits net's sizes (as a tuple), the digit's index and how many neurons a layer shows."""
    sizes = digits_sizes(sizes)
    n_data = len(digits())
    require(is_whole(sample), f"sample {sample!r} must be a whole number")
    require(0 <= sample < n_data, f"sample {sample} is out of range; allowed: 0 to {n_data - 1}")
    if not (isinstance(max_shown, int) and max_shown >= 2):
        raise NetsimError(f"max_shown = {max_shown!r} must be a whole number of at least 2")
    return sizes


def _drawn(x: Array, sizes: tuple[int, ...], max_shown: int) -> tuple[tuple[int, ...], ...]:
    """The neurons a diagram draws per layer: the brightest pixels, then the first and last few."""
    return (brightest_pixels(x, min(max_shown, sizes[0])),) + tuple(drawn_indices(n, max_shown) for n in sizes[1:])


def _hidden_ratio(bias_norms: Array) -> float:
    """||dC/db_{L-1}|| / ||dC/db_1||, the last hidden layer over the first (inf if the first is 0)."""
    first, last = float(bias_norms[0]), float(bias_norms[-2])  # hidden layers 1 and L-1
    if first == 0.0:
        return math.inf
    with np.errstate(over="ignore"):
        return last / first


def _summarise(data: Dataset, sample: int, sizes: tuple[int, ...], activation: str, grads: Gradients,
               bias_norms: Array, drawn: tuple[tuple[int, ...], ...], ratio: float) -> FadingResult:
    """The frozen :class:`FadingResult` of the pass, the drawn neurons and the headline ratio."""
    grad_w = tuple(np.abs(g) for g in grads.nabla_w)
    edge_grads = tuple(g[np.ix_(drawn[l], drawn[l - 1])] for l, g in enumerate(grad_w, start=1))
    orders = math.log10(ratio) if 0 < ratio < math.inf else (math.inf if ratio > 0 else -math.inf)
    regime, factor = verdict(ratio)
    return FadingResult(
        sample=int(sample),
        pixels=data.x[sample].reshape(8, 8).copy(),
        label=int(data.labels[sample]),
        target=data.y[sample].copy(),
        sizes=tuple(int(n) for n in sizes),
        activation=str(activation),
        activations=tuple(a[0].copy() for a in grads.forward.activations),
        cost=float(grads.cost),
        grad_w=grad_w,
        drawn=drawn,
        edge_grads=edge_grads,
        bias_norms=bias_norms,
        weight_norms=grads.weight_gradient_norms(),
        decades=decades(np.concatenate([e.ravel() for e in edge_grads] + [bias_norms])),
        ratio=float(ratio),
        ratio_rounded=round_significant(float(ratio)),
        orders=float(orders),
        bar_decades=bar_decades(bias_norms),
        regime=regime,
        factor=float(factor),
        orders_rounded=float(round(orders, 1) if math.isfinite(orders) else orders),
        book_factor=round_significant(BOOK_HIDDEN_RATIO),
    )


def fading(
    sizes: Sequence[int],
    activation: str = "sigmoid",
    init: str = "nielsen",
    bias_init: str = "normal",
    seed: int = 0,
    sample: int = 0,
    max_shown: int = DEFAULT_MAX_SHOWN,
) -> FadingResult:
    """Run digit number ``sample`` forward and backward through a fresh net of ``sizes``.

    Hidden layers use ``activation``, the output layer a sigmoid, the cost is cross-entropy.
    The net must take 64 inputs (8x8 pixels) and give 10 outputs (one per digit).
    """
    sizes = _check_arguments(sizes, sample, max_shown)

    data = digits()
    x, y = data.x[sample], data.y[sample]
    net = digits_net(sizes, activation, init, bias_init, seed)
    grads = net.backward(x, y, "cross-entropy")  # z_l, a_l, delta_l, dC/dW_l and dC/db_l
    bias_norms = grads.bias_gradient_norms()  # ||dC/db_l|| = ||delta_l||, l = 1 .. L
    ratio = _hidden_ratio(bias_norms)

    return _summarise(data, sample, sizes, activation, grads, bias_norms, _drawn(x, sizes, max_shown), ratio)
