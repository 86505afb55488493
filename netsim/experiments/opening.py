"""Chapter 1, the cold open: the puzzle, and a preview of chapter 7's fading net.

The preview is the lesson's deep net and one digit, forward and backward, exactly as the
fading chapter computes it (:func:`netsim.experiments.fading.fading`):

    Forward:   z_l = W_l a_(l-1) + b_l,   a_l = σ(z_l)                  (l = 1 .. L)
    Backward:  δ_L = a_L − y (cross-entropy),  δ_l = (W_(l+1)^T δ_(l+1)) ⊙ σ'(z_l)
               ∂C/∂b_l = δ_l,   ∂C/∂W_l[j, k] = δ_l[j] a_(l-1)[k]

The chapter shows each drawn weight's |∂C/∂W_l[j, k]| as a colour ("how strongly training
pushes it"), and one headline number about the same weights: how hard layer 1's weights are
pushed, all together, next to those of layer L − 1, the last hidden layer,

    pushed = ‖∂C/∂W_1‖ / ‖∂C/∂W_(L-1)‖      (‖M‖ = √(Σ M_jk²), the size of a table of numbers)

on that one digit and that one random start. (Chapter 7's headline, ‖∂C/∂b_1‖ / ‖∂C/∂b_(L-1)‖,
is about the biases; for one digit ‖∂C/∂W_l‖ = ‖δ_l‖ ‖a_(l-1)‖, so the two differ by the
factor ‖a_0‖ / ‖a_(L-2)‖.) Hidden layers are compared with hidden layers: the output layer's
δ_L = a_L − y has no σ' factor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from netsim.experiments.fading import FadingResult, fading
from netsim.experiments.shared import verdict
from netsim.spec import NetSpec

#: What the headline says about layer 1's weights next to those of the last hidden layer L − 1:
#: "vanishing" (pushed at most 1/10 as hard), "exploding" (at least 10 times as hard, or only
#: layer 1's are pushed), "level" (in between), "stuck" (layer 1's not at all, layer L − 1's
#: are), "dead" (neither is).
REGIMES = ("vanishing", "level", "exploding", "stuck", "dead")


@dataclass(frozen=True, eq=False)
class ColdOpenResult:
    """What the cold open shows: the fading chapter's pass (``fading``), the sweep, and the
    headline.

    ``sweep`` lists the weight layers in the order back prop colours them: L, L − 1, ..., 1.
    ``weight_norms[l - 1]`` = ‖∂C/∂W_l‖, all of layer l's weight pushes together;
    ``first_norm`` = ‖∂C/∂W_1‖ and ``last_hidden_norm`` = ‖∂C/∂W_(L-1)‖ (the last hidden
    layer); ``pushed`` = first_norm / last_hidden_norm, how hard layer 1's weights are pushed
    next to layer L − 1's (0.0 when neither is pushed at all: ``regime`` is then "dead"; inf
    when only layer 1's are). ``regime`` is one of :data:`REGIMES`.
    """

    fading: FadingResult
    sweep: tuple[int, ...]
    weight_norms: tuple[float, ...]
    first_norm: float
    last_hidden_norm: float
    pushed: float
    regime: str

    @property
    def last_hidden(self) -> int:
        """L − 1, the last hidden layer (the headline compares layer 1 with it)."""
        return self.fading.last_hidden


def _headline(weight_norms: Sequence[float]) -> tuple[float, float, float, str]:
    """(‖∂C/∂W_1‖, ‖∂C/∂W_(L-1)‖, their ratio, the regime), hidden layer against hidden layer.

    Never NaN: when both sizes overflowed to inf, the two are not told apart ("level", 1.0)."""
    first, last = float(weight_norms[0]), float(weight_norms[-2])
    if first == 0.0:
        return first, last, 0.0, ("dead" if last == 0.0 else "stuck")
    if last == 0.0:
        return first, last, math.inf, "exploding"
    if math.isinf(first) and math.isinf(last):
        return first, last, 1.0, "level"
    with np.errstate(over="ignore"):
        pushed = first / last
    regime, _ = verdict(last / first)  # chapter 7's verdict on the same two layers
    return first, last, pushed, regime


def cold_open(net: NetSpec, *, sample: int = 0) -> ColdOpenResult:
    """The fading chapter's experiment for the preview: digit ``sample`` through the net ``net``
    (as :func:`fading` takes them)."""
    result = fading(net, sample=sample)
    norms = tuple(float(v) for v in result.weight_norms)  # ‖∂C/∂W_l‖, as chapter 7 has them
    first, last, pushed, regime = _headline(norms)
    return ColdOpenResult(fading=result, sweep=tuple(range(result.depth, 0, -1)), weight_norms=norms,
                          first_norm=first, last_hidden_norm=last, pushed=pushed, regime=regime)
