"""Chapter 7: one digit's forward and backward pass through a deep net.

A net (a :class:`~netsim.spec.NetSpec`, e.g. [64, 30, 30, 30, 30, 10]: layers 1 .. L-1
hidden, layer L the output) gets one real digit x = a_0 from scikit-learn's bundled set, with
the cross-entropy cost C against its one-hot label y:

Forward:   z_l = W_l a_(l-1) + b_l,   a_l = g(z_l) (l < L),   a_L = σ(z_L)
Backward:  δ_L = a_L − y          (sigmoid output, cross-entropy: no σ' factor)
           δ_l = (W_(l+1)^T δ_(l+1)) ⊙ g'(z_l)
           ∂C/∂b_l = δ_l,   ∂C/∂W_l[j, k] = δ_l[j] a_(l-1)[k]

where δ_l = ∂C/∂z_l. The result holds the numbers the fading scene shows: the digit, every a_l,
every |∂C/∂W_l| in full, the per-layer sizes ‖∂C/∂b_l‖ = ‖δ_l‖ and ‖∂C/∂W_l‖
(‖v‖ = √(Σ_i v_i²)), and the headline comparison of layer 1 with the last HIDDEN layer L-1,
for this one digit and this one random start. Which neurons a diagram draws, and the colour
scale of the drawn edges, are the picture's choice, made from these numbers by the scenes'
engine (``scenes/engine/drawn.py``), never here. Hidden layers
are compared with hidden layers, as Nielsen does: the output layer's error δ_L = a_L − y
carries no σ' factor, so including it would mix two different things.

Nielsen's published numbers (a citation, not a netsim result) are kept here with the set-up
they come from, so that the scene names it and says why ours differ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from netsim.data import Dataset, digits
from netsim.errors import require
from netsim.experiments.shared import MIN_BAR_DECADES as MIN_BAR_DECADES  # the bars' axis; kept importable here
from netsim.experiments.shared import (
    bar_decades,
    digits_sizes,
    is_whole,
    round_significant,
    verdict,
)
from netsim.experiments.training import SETUP
from netsim.network import Gradients
from netsim.spec import NetSpec, OfNet

Array = np.ndarray

#: Nielsen, "Neural Networks and Deep Learning", ch. 5: ‖∂C/∂b_l‖ of the four hidden layers
#: of a [784, 30, 30, 30, 30, 10] sigmoid net on MNIST, at its random start, from the
#: gradient over 1,000 training images. A citation, not a netsim result.
BOOK_HIDDEN_NORMS: tuple[float, ...] = (0.003, 0.017, 0.070, 0.285)
#: The net those norms are of (784 = 28 x 28 pixels in, 4 hidden layers of 30, 10 outputs).
BOOK_SIZES: tuple[int, ...] = (784, 30, 30, 30, 30, 10)
#: How many training images Nielsen's gradient is taken over.
BOOK_IMAGES = 1000
#: The book's training set those 1,000 are taken from: 50,000 MNIST digits (MNIST's 60,000
#: training digits less the 10,000 the book keeps for validation), each 28 x 28 pixels.
BOOK_TRAINING_IMAGES = 50_000
MNIST_SIDE = 28

#: Nielsen's last-hidden over first-hidden ratio, 0.285 / 0.003 (from the citation above).
BOOK_HIDDEN_RATIO: float = BOOK_HIDDEN_NORMS[-1] / BOOK_HIDDEN_NORMS[0]
#: Significant figures the book's ratio can be said to: its layer-1 norm, 0.003, has one.
BOOK_RATIO_FIGURES = 1


def _book_ratio_said(figures: int = BOOK_RATIO_FIGURES) -> float:
    """0.285 / 0.003 from the printed decimals (exactly 95, where binary floats give
    94.999...), rounded half up to ``figures`` significant figures: 100."""
    ratio = Decimal(str(BOOK_HIDDEN_NORMS[-1])) / Decimal(str(BOOK_HIDDEN_NORMS[0]))
    shift = ratio.adjusted() - figures + 1
    return float(ratio.scaleb(-shift).quantize(Decimal(1), rounding=ROUND_HALF_UP).scaleb(shift))


#: The book's last-hidden over first-hidden ratio as the video says it ("about 1/100").
BOOK_RATIO_SAID: float = _book_ratio_said()

@dataclass(frozen=True, eq=False)
class FadingResult(OfNet):
    """One digit through a deep net (``net``), forward and backward.

    Lists are indexed like netsim's: ``activations[l]`` is a_l (l = 0 .. L, a_0 = pixels),
    ``grad_w[l - 1]`` is |∂C/∂W_l| of shape (n_l, n_(l-1)), ``bias_norms[l - 1]`` is
    ‖∂C/∂b_l‖, ``weight_norms[l - 1]`` is ‖∂C/∂W_l‖.
    ``ratio`` = ‖∂C/∂b_(L-1)‖ / ‖∂C/∂b_1‖: the last hidden layer's norm over the first
    hidden layer's (the output layer L is left out: its δ_L = a_L − y has no σ' factor);
    :attr:`first_over_last` is its inverse, the form the chapter writes (1/120).
    ``ratio_rounded`` is ``ratio`` to two significant figures, ``orders`` its log10
    (``orders_rounded`` to one decimal). ``regime`` is "vanishing" (ratio >= 10),
    "exploding" (ratio <= 1/10) or "level"; ``factor`` is how many times smaller
    (ratio >= 1) or larger (ratio < 1) layer 1's norm is than layer L-1's, to two
    significant figures. ``book_factor``: the same ratio of Nielsen's published norms, to
    two significant figures. ``probe_first_over_last``: ‖∂C/∂b_1‖ / ‖∂C/∂b_(L-1)‖ of the
    same net with C averaged over chapter 8's probe digits (the first 1,000 of its training
    set), measured as Nielsen measured his (his 1,000 MNIST training images): the like-for-like
    figure beside his. ``bar_decades`` = (lo, hi): the log axis of the per-layer
    bars, whole powers of ten covering every ‖∂C/∂b_l‖, at least ``MIN_BAR_DECADES`` wide
    so that level bars look level.
    """

    sample: int
    pixels: Array
    label: int
    target: Array
    net: NetSpec
    activations: tuple[Array, ...]
    cost: float
    grad_w: tuple[Array, ...]
    bias_norms: Array
    weight_norms: Array
    ratio: float
    ratio_rounded: float
    orders: float
    bar_decades: tuple[int, int]
    regime: str
    factor: float
    orders_rounded: float
    book_factor: float
    probe_first_over_last: float
    book_norms: tuple[float, ...] = BOOK_HIDDEN_NORMS

    @property
    def last_hidden(self) -> int:
        """L - 1, the last hidden layer (the headline ratio compares it with layer 1)."""
        return len(self.sizes) - 2

    @property
    def first_over_last(self) -> float:
        """‖∂C/∂b_1‖ / ‖∂C/∂b_(L-1)‖: layer 1's size next to the last hidden layer's (the
        chapter writes it 1/120). 0 when only layer 1's is 0, inf when only layer L-1's is,
        1 when both are (equal)."""
        first, last = float(self.bias_norms[0]), float(self.bias_norms[-2])
        if last == 0.0:
            return 1.0 if first == 0.0 else math.inf
        return first / last

    @property
    def weights_first_over_last(self) -> float | None:
        """‖∂C/∂W_1‖ / ‖∂C/∂W_(L-1)‖: how hard layer 1's weights are pushed, all together, next
        to the last hidden layer's (chapter 1's headline, on the same digit and start); None
        when either size is 0 or overflowed, where the ratio says nothing."""
        first, last = float(self.weight_norms[0]), float(self.weight_norms[-2])
        if not (0 < first < math.inf and 0 < last < math.inf):
            return None
        return first / last

    @property
    def hidden_spread(self) -> float:
        """The largest hidden layer's ‖∂C/∂b_l‖ over the smallest (inf if one is 0 and another
        is not, 1 if all are 0): how far apart the hidden layers' bars are."""
        hidden = [float(v) for v in self.bias_norms[:-1]]
        top, bottom = max(hidden), min(hidden)
        if bottom == 0.0:
            return 1.0 if top == 0.0 else math.inf
        return top / bottom

    @property
    def book_first_over_last(self) -> float:
        """Nielsen's layer 1 next to his layer 4: 0.003 / 0.285."""
        return self.book_norms[0] / self.book_norms[-1]

    @property
    def prediction(self) -> int:
        """The digit the (untrained) net picks: the index of the largest output a_L."""
        return int(np.argmax(self.activations[-1]))


def _check_arguments(net: NetSpec, sample: int) -> None:
    """A digits net with a hidden layer, and the digit's index."""
    digits_sizes(net.sizes)
    n_data = len(digits())
    require(is_whole(sample), f"sample {sample!r} must be a whole number")
    require(0 <= sample < n_data, f"sample {sample} is out of range; allowed: 0 to {n_data - 1}")


def _hidden_ratio(bias_norms: Array) -> float:
    """‖∂C/∂b_(L-1)‖ / ‖∂C/∂b_1‖, the last hidden layer over the first (inf if the first is 0)."""
    first, last = float(bias_norms[0]), float(bias_norms[-2])  # hidden layers 1 and L-1
    if first == 0.0:
        return math.inf
    with np.errstate(over="ignore"):
        return last / first


def _probe_first_over_last(net: NetSpec) -> float:
    """Layer 1's ‖∂C/∂b‖ over layer L-1's, C averaged over chapter 8's probe digits (the
    first ``probe_size`` of its training split), at the net's start: chapter 8's epoch 0."""
    probe = SETUP.split().train.head(SETUP.probe_size)
    norms = net.build().backward(probe.x, probe.y, "cross-entropy").bias_gradient_norms()
    first, last = float(norms[0]), float(norms[-2])
    return first / last if last > 0 else (1.0 if first == 0 else math.inf)


def _summarise(data: Dataset, sample: int, net: NetSpec, grads: Gradients, bias_norms: Array,
               ratio: float) -> FadingResult:
    """The frozen :class:`FadingResult` of the pass and the headline ratio."""
    grad_w = tuple(np.abs(g) for g in grads.nabla_w)
    orders = math.log10(ratio) if 0 < ratio < math.inf else (math.inf if ratio > 0 else -math.inf)
    regime, factor = verdict(ratio)
    return FadingResult(
        sample=int(sample),
        pixels=data.x[sample].reshape(8, 8).copy(),
        label=int(data.labels[sample]),
        target=data.y[sample].copy(),
        net=net,
        activations=tuple(a[0].copy() for a in grads.forward.activations),
        cost=float(grads.cost),
        grad_w=grad_w,
        bias_norms=bias_norms,
        weight_norms=grads.weight_gradient_norms(),
        ratio=float(ratio),
        ratio_rounded=round_significant(float(ratio)),
        orders=float(orders),
        bar_decades=bar_decades(bias_norms),
        regime=regime,
        factor=float(factor),
        orders_rounded=float(round(orders, 1) if math.isfinite(orders) else orders),
        book_factor=round_significant(BOOK_HIDDEN_RATIO),
        probe_first_over_last=_probe_first_over_last(net),
    )


def fading(net: NetSpec, *, sample: int = 0) -> FadingResult:
    """Run digit number ``sample`` forward and backward through a fresh net of the spec ``net``.

    Hidden layers use the net's activation g, the output layer its sigma_L (a sigmoid in every
    lesson), the cost is cross-entropy. The net must take 64 inputs (8x8 pixels) and give 10
    outputs (one per digit), with at least one hidden layer.
    """
    _check_arguments(net, sample)

    data = digits()
    x, y = data.x[sample], data.y[sample]
    grads = net.build().backward(x, y, "cross-entropy")  # z_l, a_l, δ_l, ∂C/∂W_l and ∂C/∂b_l
    bias_norms = grads.bias_gradient_norms()  # ‖∂C/∂b_l‖ = ‖δ_l‖, l = 1 .. L
    ratio = _hidden_ratio(bias_norms)

    return _summarise(data, sample, net, grads, bias_norms, ratio)
