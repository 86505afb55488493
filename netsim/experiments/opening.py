"""Chapter 1, the cold open: the puzzle, and a preview of chapter 8's fading net.

The preview is the lesson's deep net and one digit, forward and backward, exactly as the
fading chapter computes it (:func:`netsim.experiments.fading.fading`):

    Forward:   z_l = W_l a_{l-1} + b_l,   a_l = sigma(z_l)           (l = 1 .. L)
    Backward:  delta_L = a_L - y (cross-entropy), delta_l = (W_{l+1}^T delta_{l+1}) * sigma'(z_l)
               dC/db_l = delta_l,   dC/dW_l[j, k] = delta_l[j] a_{l-1}[k]

Its headline number compares hidden layers with hidden layers: ||dC/db_1|| against
||dC/db_{L-1}|| (the last hidden layer), on that one digit and that one random start.

Two years are citations, not netsim results: 2006, the first of the papers that trained deep
fully-connected nets well (Hinton, Osindero and Teh, "A fast learning algorithm for deep
belief nets"), and 1998, when convolutional nets (LeCun, Bottou, Bengio and Haffner's
LeNet-5) were already trained by back prop: the puzzle is about deep fully-connected nets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from netsim.experiments.fading import FadingResult, fading

#: The year of the first of the breakthrough papers on training deep fully-connected nets
#: (Hinton, Osindero and Teh, "A fast learning algorithm for deep belief nets", 2006). A citation.
BREAKTHROUGH_YEAR = 2006

#: LeNet-5, a convolutional net trained by back prop (LeCun, Bottou, Bengio and Haffner,
#: "Gradient-based learning applied to document recognition", 1998). A citation.
CONVNET_YEAR = 1998


@dataclass(frozen=True, eq=False)
class ColdOpenResult:
    """What the cold open shows: the fading chapter's pass (``fading``), the years, the sweep.

    ``sweep`` lists the weight layers in the order back prop colours them: L, L-1, ..., 1.
    The headline is ``fading.factor``: how many times smaller (or larger) ||dC/db_1|| is
    than ||dC/db_{L-1}||, the last hidden layer's.
    """

    fading: FadingResult
    year: int
    convnet_year: int
    sweep: tuple[int, ...]


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
    return ColdOpenResult(fading=result, year=BREAKTHROUGH_YEAR, convnet_year=CONVNET_YEAR,
                          sweep=tuple(range(result.depth, 0, -1)))
