"""The engine's picture of netsim's numbers (scenes/engine/drawn.py): which neurons a diagram
draws, and |∂C/∂W_l| sliced to the drawn edges. netsim's results carry the full matrices; the
choice of what to draw is made here, from them."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from netsim.experiments.cost import cost_example
from netsim.experiments.fading import FadingResult, fading
from netsim.experiments.shared import decades
from netsim.spec import NetSpec
from scenes.engine import drawn as drawn_module
from scenes.engine.drawn import (
    MAX_SHOWN,
    brightest_pixels,
    elided_indices,
    fading_drawn,
    gradient_picture,
    nudge_drawn,
    slice_edges,
)


def test_elided_indices_keep_both_ends() -> None:
    assert elided_indices(30) == (0, 1, 2, 27, 28, 29) and MAX_SHOWN == 6
    assert elided_indices(30, 5) == (0, 1, 2, 28, 29)
    assert elided_indices(4) == (0, 1, 2, 3)
    for bad in (1, 0, 2.5, True):
        with pytest.raises(ValueError, match="max_shown"):
            elided_indices(30, bad)  # type: ignore[arg-type]


def test_brightest_pixels_break_ties_by_index() -> None:
    pixels = np.array([[0.5, 1.0], [1.0, 0.0]])
    assert brightest_pixels(pixels, 2) == (1, 2)
    assert brightest_pixels(pixels, 3) == (0, 1, 2)
    assert brightest_pixels(np.zeros(5), 2) == (0, 1)


def test_netsim_results_carry_no_drawing() -> None:
    """The results hold the full numbers; nothing about what a diagram draws."""
    fields = set(FadingResult.__dataclass_fields__)
    assert not fields & {"drawn", "edge_grads", "decades"}
    r = fading(NetSpec([64, 30, 30, 10]))
    assert [g.shape for g in r.grad_w] == [(30, 64), (30, 30), (10, 30)]
    assert not hasattr(cost_example(NetSpec([64, 16, 10]), steps=5, every=5), "drawn")


def test_the_picture_slices_the_full_gradients() -> None:
    r = fading(NetSpec([64, 30, 30, 10]), sample=3)
    pic = gradient_picture(r)
    assert pic.drawn == fading_drawn(r.pixels, r.sizes)
    assert pic.drawn[0] == brightest_pixels(r.pixels, 6) and pic.drawn[1:] == (elided_indices(30),) * 2 + (
        elided_indices(10),)
    for l, e in enumerate(pic.edge_grads, start=1):
        assert e.shape == (len(pic.drawn[l]), len(pic.drawn[l - 1]))
        for a, j in enumerate(pic.drawn[l]):
            for b, k in enumerate(pic.drawn[l - 1]):
                assert e[a, b] == r.grad_w[l - 1][j, k]
    assert pic.decades == decades(np.concatenate([e.ravel() for e in pic.edge_grads] + [r.bias_norms]))
    lo, hi = pic.decades
    assert 10.0 ** lo <= min(float(e[e > 0].min()) for e in pic.edge_grads) and hi > lo
    assert pic.any_off == any(bool(np.any(e == 0)) for e in pic.edge_grads)
    narrow = gradient_picture(r, max_shown=4)
    assert [len(d) for d in narrow.drawn] == [4, 4, 4, 4]
    assert slice_edges(r.grad_w, narrow.drawn)[0].shape == (4, 4)


def test_the_nudged_weight_keeps_both_ends() -> None:
    pixels = np.arange(64, dtype=float).reshape(8, 8) / 63  # brightest: the last pixels
    sizes = (64, 16, 10)
    plain = nudge_drawn(pixels, sizes, (2, 9, 0))
    assert plain[0] == tuple(range(58, 64)) and plain[1] == (0, 1, 2, 13, 14, 15) and plain[2] == tuple(range(10))
    hidden = nudge_drawn(pixels, sizes, (2, 4, 7))  # k = 7 of layer 1 is elided: one fewer makes room
    assert hidden[1] == (0, 1, 2, 7, 14, 15)
    pixel = nudge_drawn(pixels, sizes, (1, 8, 0))  # a dark input pixel and an elided hidden neuron
    assert pixel[0] == (0, 59, 60, 61, 62, 63) and pixel[1] == (0, 1, 2, 8, 14, 15)


def test_the_choice_needs_no_manim() -> None:
    """The module reads numbers only: it imports neither manim nor a chapter."""
    tree = ast.parse(Path(drawn_module.__file__).read_text(encoding="utf-8"))
    names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in names if m.split(".")[0] == "manim"}
