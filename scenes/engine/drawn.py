"""Which neurons a net diagram draws, and netsim's numbers sliced for the picture.

netsim's results carry the whole net's numbers (every a_l, every |∂C/∂W_l| in full); the
picture is built from them here, as 3Blue1Brown builds his from the numeric net. A wide layer
is elided to its first and last few neurons (:func:`elided_indices`), the input layer to the
digit's brightest pixels (:func:`brightest_pixels`), and a weight the chapter singles out keeps
both its ends (:func:`nudge_drawn`). :func:`gradient_picture` slices |∂C/∂W_l| to the drawn
edges and picks the one log colour scale that covers them and the per-layer norms.

Layers are numbered like netsim's: ``drawn[l]`` are the drawn neuron indices of layer l
(0 = the input), in increasing order; ``edge_grads[l - 1]`` is |∂C/∂W_l| on the drawn rows
(layer l) and columns (layer l − 1). This module never imports manim (tests read it cheaply).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from netsim.experiments.fading import FadingResult
from netsim.experiments.shared import decades

Array = np.ndarray

__all__ = [
    "MAX_SHOWN",
    "GradientPicture",
    "brightest_pixels",
    "elided_indices",
    "fading_drawn",
    "gradient_picture",
    "nudge_drawn",
    "slice_edges",
]

#: Neurons a diagram draws of a wide layer (half from each end; pixels: the brightest).
MAX_SHOWN = 6


def elided_indices(n: int, max_shown: int = MAX_SHOWN) -> tuple[int, ...]:
    """All n indices, or the first and last few when the layer is wider than ``max_shown``
    (the extra one goes to the head: 6 of 30 are 0, 1, 2, 27, 28, 29)."""
    if isinstance(max_shown, bool) or not isinstance(max_shown, int) or max_shown < 2:
        raise ValueError(f"max_shown = {max_shown!r} must be a whole number of at least 2")
    if n <= max_shown:
        return tuple(range(n))
    head = (max_shown + 1) // 2
    return tuple(range(head)) + tuple(range(n - (max_shown - head), n))


def brightest_pixels(pixels: Array, count: int) -> tuple[int, ...]:
    """The ``count`` brightest pixels (flat indices; ties: lower index first), in index order."""
    flat = np.asarray(pixels).ravel()
    order = np.lexsort((np.arange(flat.size), -flat))
    return tuple(sorted(int(i) for i in order[:count]))


def fading_drawn(pixels: Array, sizes: Sequence[int],
                 max_shown: int = MAX_SHOWN) -> tuple[tuple[int, ...], ...]:
    """The neurons drawn per layer of a digit's net: the brightest pixels, then the first and
    last few of every other layer."""
    elided_indices(1, max_shown)  # checks max_shown
    return ((brightest_pixels(pixels, min(max_shown, int(sizes[0]))),)
            + tuple(elided_indices(int(n), max_shown) for n in sizes[1:]))


def nudge_drawn(pixels: Array, sizes: Sequence[int], weight: tuple[int, int, int],
                max_shown: int = MAX_SHOWN) -> tuple[tuple[int, ...], ...]:
    """The neurons drawn per layer when one weight W_layer[j, k] is singled out (chapter 2's
    nudge): the brightest pixels, all outputs (one bar each), the first and last few of each
    hidden layer, and always both ends of the weight (one fewer of the others makes room)."""
    layer, j, k = weight
    L = len(sizes) - 1
    drawn: list[tuple[int, ...]] = [brightest_pixels(pixels, max_shown)]
    for l, n in enumerate(sizes[1:], start=1):
        if l == L:  # all the outputs: one bar each
            drawn.append(tuple(range(int(n))))
            continue
        keep = {j} if l == layer else ({k} if l == layer - 1 else set())
        picked = set(elided_indices(int(n), max_shown))
        if not keep <= picked:
            picked = set(elided_indices(int(n), max_shown - 1)) | keep
        drawn.append(tuple(sorted(picked)))
    if layer == 1 and k not in drawn[0]:  # the weight leaves an input pixel: draw it
        drawn[0] = tuple(sorted(set(brightest_pixels(pixels, max_shown - 1)) | {k}))
    return tuple(drawn)


def slice_edges(grad_w: Sequence[Array], drawn: Sequence[Sequence[int]]) -> tuple[Array, ...]:
    """``grad_w[l - 1]`` (a full (n_l, n_(l-1)) matrix) on the drawn rows ``drawn[l]`` and
    columns ``drawn[l - 1]``, for every weight layer l."""
    return tuple(np.asarray(g)[np.ix_(drawn[l], drawn[l - 1])] for l, g in enumerate(grad_w, start=1))


@dataclass(frozen=True, eq=False)
class GradientPicture:
    """What a diagram of a digit's backward pass draws: ``drawn[l]`` the neuron indices of
    layer l, ``edge_grads[l - 1]`` |∂C/∂W_l| on the drawn edges, and ``decades`` = (lo, hi)
    the log colour scale, 10^lo to 10^hi, covering the drawn edges and every ‖∂C/∂b_l‖."""

    drawn: tuple[tuple[int, ...], ...]
    edge_grads: tuple[Array, ...]
    decades: tuple[int, int]

    @property
    def any_off(self) -> bool:
        """Whether a drawn edge carries exactly 0 (a neuron that was off passes nothing back)."""
        return any(bool(np.any(e == 0)) for e in self.edge_grads)


def gradient_picture(result: FadingResult, max_shown: int = MAX_SHOWN) -> GradientPicture:
    """The picture of chapter 7's pass (the opening and the short draw it too): the neurons
    :func:`fading_drawn` picks, the full |∂C/∂W_l| of ``result`` sliced to them, and the
    colour scale over those edges and the bars' norms."""
    drawn = fading_drawn(result.pixels, result.sizes, max_shown)
    edges = slice_edges(result.grad_w, drawn)
    lo, hi = decades(np.concatenate([e.ravel() for e in edges] + [np.asarray(result.bias_norms)]))
    return GradientPicture(drawn=drawn, edge_grads=edges, decades=(lo, hi))
