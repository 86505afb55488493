"""Chapter 1, the cold open: the puzzle, and a preview of chapter 7's fading net.

The preview is the lesson's deep net and one digit, forward and backward, exactly as the
fading chapter computes it (:func:`netsim.experiments.fading.fading`):

    Forward:   z_l = W_l a_(l-1) + b_l,   a_l = σ(z_l)                  (l = 1 .. L)
    Backward:  δ_L = a_L − y (cross-entropy),  δ_l = (W_(l+1)^T δ_(l+1)) ⊙ σ'(z_l)
               ∂C/∂b_l = δ_l,   ∂C/∂W_l[j, k] = δ_l[j] a_(l-1)[k]

The chapter shows each drawn weight's |∂C/∂W_l[j, k]| as a colour ("how strongly training
pushes it") and one headline number: how hard layer 1 is pushed next to layer L − 1, the last
hidden layer,

    pushed = ‖∂C/∂b_1‖ / ‖∂C/∂b_(L-1)‖        (‖v‖ = √(Σ v_i²), the size of a vector)

on that one digit and that one random start: the ratio chapter 7 writes as "1/120" for the
lesson's net. Hidden layers are compared with hidden layers: the output layer's δ_L = a_L − y
has no σ' factor.

Two years are citations, not netsim results: 2006, the first of the papers that trained deep
fully-connected nets well (Hinton, Osindero and Teh, "A fast learning algorithm for deep
belief nets"), and 1998, when a convolutional net (LeCun, Bottou, Bengio and Haffner's
LeNet-5) was trained well by back prop: the puzzle is about fully-connected nets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from netsim.experiments.fading import FadingResult, fading
from netsim.experiments.shared import verdict

#: The year of the first of the breakthrough papers on training deep fully-connected nets
#: (Hinton, Osindero and Teh, "A fast learning algorithm for deep belief nets", 2006). A citation.
BREAKTHROUGH_YEAR = 2006

#: LeNet-5, a convolutional net trained by back prop (LeCun, Bottou, Bengio and Haffner,
#: "Gradient-based learning applied to document recognition", 1998). A citation.
CONVNET_YEAR = 1998

#: What the headline says about layer 1 next to the last hidden layer L − 1:
#: "vanishing" (pushed at most 1/10 as hard), "exploding" (at least 10 times as hard),
#: "level" (in between), "stuck" (layer 1 not at all, layer L − 1 is), "dead" (neither is).
REGIMES = ("vanishing", "level", "exploding", "stuck", "dead")


@dataclass(frozen=True, eq=False)
class ColdOpenResult:
    """What the cold open shows: the fading chapter's pass (``fading``), the years, the sweep,
    and the headline.

    ``sweep`` lists the weight layers in the order back prop colours them: L, L − 1, ..., 1.
    ``first_norm`` = ‖∂C/∂b_1‖ and ``last_hidden_norm`` = ‖∂C/∂b_(L-1)‖ (the last hidden
    layer); ``pushed`` = first_norm / last_hidden_norm, how hard layer 1 is pushed next to
    layer L − 1 (0.0 when neither is pushed at all: ``regime`` is then "dead"; inf when only
    layer 1 is). ``regime`` is one of :data:`REGIMES`.
    """

    fading: FadingResult
    year: int
    convnet_year: int
    sweep: tuple[int, ...]
    first_norm: float
    last_hidden_norm: float
    pushed: float
    regime: str

    @property
    def last_hidden(self) -> int:
        """L − 1, the last hidden layer (the headline compares layer 1 with it)."""
        return self.fading.last_hidden


def _headline(bias_norms: np.ndarray) -> tuple[float, float, float, str]:
    """(‖∂C/∂b_1‖, ‖∂C/∂b_(L-1)‖, their ratio, the regime), hidden layer against hidden layer."""
    first, last = float(bias_norms[0]), float(bias_norms[-2])
    if first == 0.0:
        return first, last, 0.0, ("dead" if last == 0.0 else "stuck")
    if last == 0.0:
        return first, last, math.inf, "exploding"
    with np.errstate(over="ignore"):
        pushed = first / last
    regime, _ = verdict(last / first)  # chapter 7's verdict on the same two layers
    return first, last, pushed, regime


def cold_open(
    sizes: Sequence[int],
    activation: str = "sigmoid",
    init: str = "nielsen",
    bias_init: str = "normal",
    seed: int = 0,
    sample: int = 0,
) -> ColdOpenResult:
    """The fading chapter's experiment for the preview (same arguments as :func:`fading`)."""
    result = fading(sizes, activation=activation, init=init, bias_init=bias_init, seed=seed, sample=sample)
    first, last, pushed, regime = _headline(result.bias_norms)
    return ColdOpenResult(fading=result, year=BREAKTHROUGH_YEAR, convnet_year=CONVNET_YEAR,
                          sweep=tuple(range(result.depth, 0, -1)), first_norm=first, last_hidden_norm=last,
                          pushed=pushed, regime=regime)
