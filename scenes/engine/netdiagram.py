"""A reusable drawing of a fully-connected net, built from a netsim Network (or its sizes).

Layers are numbered like netsim's: layer 0 is the input, layer L the output; the edges
between layer l - 1 and layer l carry the weights W_l, and the edge from neuron k of layer
l - 1 to neuron j of layer l carries W_l[j, k]. Every :class:`Neuron` knows its incoming
and outgoing :class:`Edge` s, and every edge knows the two neurons it joins.

Wide layers are elided: only some neurons are drawn (by default the first and last few, or
any indices the caller picks, e.g. from :mod:`scenes.engine.drawn`, which decides what a
chapter's picture shows), with a vertical ellipsis where the others are left out.
The diagram only draws; its ``*_animation`` methods return Animations (they never play
them), so scenes compose them with ``self.play``. Colours of edges are changed in place,
so a sweep over the net costs one AnimationGroup per layer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    Animation,
    AnimationGroup,
    Circle,
    Dot,
    Line,
    ManimColor,
    VGroup,
)

from netsim.network import Network
from scenes.engine.drawn import MAX_SHOWN, elided_indices
from scenes.engine.style import Theme

__all__ = ["Edge", "NetDiagram", "Neuron", "elided_indices"]


class _Linked:
    """Mixin: graph links (neuron <-> edge) are shared by copies, never deep-copied.

    ``.animate`` deep-copies the mobject it animates; copying the links too would copy the
    whole net for every neuron animated.
    """

    _links: tuple[str, ...] = ()

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        saved = {k: self.__dict__.pop(k) for k in self._links if k in self.__dict__}
        try:
            result = super().__deepcopy__(memo)  # type: ignore[misc]
        finally:
            self.__dict__.update(saved)
        result.__dict__.update(saved)
        return result


class Neuron(_Linked, Circle):
    """Neuron ``index`` of layer ``layer``, with its incoming and outgoing edges."""

    _links = ("in_edges", "out_edges")

    def __init__(self, layer: int, index: int, radius: float, theme: Theme, **kw: Any) -> None:
        super().__init__(radius=radius, stroke_color=theme.neuron_stroke, stroke_width=2,
                         fill_color=theme.neuron_fill, fill_opacity=1, **kw)
        self.layer = layer
        self.index = index
        self.in_edges: list[Edge] = []
        self.out_edges: list[Edge] = []


class Edge(_Linked, Line):
    """The edge carrying W_l[j, k]: from neuron k of layer l - 1 to neuron j of layer l."""

    _links = ("source", "target")

    def __init__(self, source: Neuron, target: Neuron, theme: Theme, width: float = 1.0) -> None:
        start = source.get_center() + RIGHT * source.width / 2
        end = target.get_center() - RIGHT * target.width / 2
        super().__init__(start, end, stroke_color=theme.edge, stroke_width=width)
        self.source = source
        self.target = target
        self.layer = target.layer
        self.j = target.index
        self.k = source.index
        source.out_edges.append(self)
        target.in_edges.append(self)


class NetDiagram(VGroup):
    """Neurons in columns, edges between neighbouring columns, ellipses for elided neurons.

    ``sizes``: neurons per layer, input first. ``shown``: per layer, the neuron indices to
    draw (in increasing order); default: :func:`elided_indices` with ``max_shown``.
    The diagram is ``width`` wide (centre of the first column to centre of the last) and at
    most ``height`` tall, centred on the origin; move it afterwards.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        theme: Theme,
        *,
        shown: Sequence[Sequence[int]] | None = None,
        max_shown: int = MAX_SHOWN,
        width: float = 7.0,
        height: float = 3.0,
        radius: float = 0.12,
        edge_width: float = 1.0,
    ) -> None:
        super().__init__()
        self.sizes = tuple(int(n) for n in sizes)
        if len(self.sizes) < 2:
            raise ValueError(f"a net diagram needs at least two layers, got sizes {list(self.sizes)}")
        self.theme = theme
        if shown is None:
            shown = [elided_indices(n, max_shown) for n in self.sizes]
        if len(shown) != len(self.sizes):
            raise ValueError(f"shown has {len(shown)} layers, sizes has {len(self.sizes)}")
        self.shown = tuple(tuple(int(i) for i in s) for s in shown)
        for l, (n, s) in enumerate(zip(self.sizes, self.shown)):
            if not s or list(s) != sorted(set(s)) or s[0] < 0 or s[-1] >= n:
                raise ValueError(f"layer {l}: shown indices {list(s)} must be increasing, within 0..{n - 1}")

        slots = max(len(s) + (1 if len(s) < n else 0) for n, s in zip(self.sizes, self.shown))
        step = height / max(slots - 1, 1)
        self.radius = min(radius, 0.4 * step)
        gap = width / (len(self.sizes) - 1)

        self.layers: list[VGroup] = []
        self.ellipses: list[VGroup | None] = []
        self._neurons: list[dict[int, Neuron]] = []
        for l, (n, s) in enumerate(zip(self.sizes, self.shown)):
            x = -width / 2 + l * gap
            elided = len(s) < n
            count = len(s) + (1 if elided else 0)
            ys = [(count - 1) / 2 * step - i * step for i in range(count)]
            split = (len(s) + 1) // 2 if elided else len(s)  # the ellipsis sits after the first half
            column = VGroup()
            lookup: dict[int, Neuron] = {}
            for pos, idx in enumerate(s):
                slot = pos if pos < split else pos + 1
                neuron = Neuron(l, idx, self.radius, theme).move_to([x, ys[slot], 0])
                column.add(neuron)
                lookup[idx] = neuron
            ellipsis = None
            if elided:
                ellipsis = VGroup(*[Dot(radius=0.028, color=theme.muted) for _ in range(3)])
                ellipsis.arrange(DOWN, buff=0.06).move_to([x, ys[split], 0])
            self.layers.append(column)
            self.ellipses.append(ellipsis)
            self._neurons.append(lookup)

        self.edges: list[VGroup] = [VGroup()]  # edges[l] carries W_l; edges[0] stays empty
        self._edges: dict[tuple[int, int, int], Edge] = {}
        for l in range(1, len(self.sizes)):
            group = VGroup()
            for target in self.layers[l]:
                for source in self.layers[l - 1]:
                    edge = Edge(source, target, theme, edge_width)
                    group.add(edge)
                    self._edges[(l, target.index, source.index)] = edge
            self.edges.append(group)

        self.add(*self.edges[1:], *self.layers, *[e for e in self.ellipses if e is not None])

    @classmethod
    def from_network(cls, net: Network, theme: Theme, **kw: Any) -> NetDiagram:
        """The diagram of a netsim Network (its sizes; weights are not drawn)."""
        return cls(net.sizes, theme, **kw)

    @property
    def depth(self) -> int:
        """L, the number of weight layers."""
        return len(self.sizes) - 1

    def neuron(self, layer: int, index: int) -> Neuron:
        """The drawn neuron ``index`` of ``layer`` (KeyError if it is elided)."""
        return self._neurons[layer][index]

    def edge(self, layer: int, j: int, k: int) -> Edge:
        """The drawn edge of W_layer[j, k] (KeyError if either end is elided)."""
        return self._edges[(layer, j, k)]

    def layer_x(self, layer: int) -> float:
        """The x of a layer's column."""
        return float(self.layers[layer].get_center()[0])

    def column(self, layer: int) -> VGroup:
        """A layer's neurons and its ellipsis (for positioning labels)."""
        ell = self.ellipses[layer]
        return VGroup(self.layers[layer], *([ell] if ell is not None else []))

    def activation_animation(self, layer: int, values: Sequence[float] | np.ndarray,
                             color: str | ManimColor, floor: float = 0.08, **kw: Any) -> AnimationGroup:
        """Light layer ``layer``'s drawn neurons by their activation a (full vector, by index).

        A neuron's fill opacity is a / max(1, max a) of its layer, at least ``floor``.
        """
        a = np.asarray(values, dtype=float)
        top = max(1.0, float(np.max(a))) if a.size else 1.0
        anims: list[Animation] = []
        for neuron in self.layers[layer]:
            level = float(np.clip(a[neuron.index] / top, 0.0, 1.0))
            anims.append(neuron.animate.set_fill(color, opacity=max(floor, level)))
        return AnimationGroup(*anims, **kw)

    def edge_style_animation(self, layer: int, styles: Mapping[tuple[int, int], tuple[ManimColor, float]],
                             **kw: Any) -> AnimationGroup:
        """Recolour W_layer's drawn edges in place; ``styles[(j, k)] = (colour, stroke width)``."""
        anims: list[Animation] = []
        for edge in self.edges[layer]:
            color, width = styles[(edge.j, edge.k)]
            anims.append(edge.animate.set_stroke(color=color, width=width))
        return AnimationGroup(*anims, **kw)

    def layer_flash(self, layer: int, color: str | ManimColor) -> AnimationGroup:
        """Outline a layer's drawn neurons in ``color`` (e.g. the backward colour)."""
        return AnimationGroup(*[n.animate.set_stroke(color=color, width=3) for n in self.layers[layer]])


# ---------- the deep net of the opening and of the fading chapter ----------
# Both chapters draw the same net in the same place with the same colours (the opening
# previews the fading chapter); chapters never import each other, so it lives here.

#: The digit of the data set both chapters send through the deep net.
DEEP_NET_SAMPLE = 0
#: Where the deep net sits, how wide and tall it is drawn, and the side of one input pixel.
DEEP_NET_CENTER = np.array([-0.3, 1.25, 0.0])
DEEP_NET_WIDTH = 7.0
DEEP_NET_HEIGHT = 2.9
DIGIT_PIXEL = 0.17
#: The x of the digit's centre, left of the net.
DIGIT_X = -5.95


def gradient_edge_styles(edge_grads: Sequence[np.ndarray], drawn: Sequence[Sequence[int]], l: int,
                         scale: Any, theme: Theme) -> dict[tuple[int, int], tuple[ManimColor, float]]:
    """(colour, width) of every drawn edge into layer l, from its own |dC/dW_l[j, k]|.

    ``edge_grads[l - 1]`` is |dC/dW_l| restricted to the drawn rows ``drawn[l]`` and columns
    ``drawn[l - 1]`` (a :class:`scenes.engine.drawn.GradientPicture` holds both); ``scale`` a
    :class:`scenes.engine.style.GradientScale`. An entry that is exactly zero (a neuron that is
    off) is drawn in the plain edge colour, not as the darkest gradient: it has not faded, it
    is switched off.
    """
    styles: dict[tuple[int, int], tuple[ManimColor, float]] = {}
    grads = edge_grads[l - 1]
    for a, j in enumerate(drawn[l]):
        for b, k in enumerate(drawn[l - 1]):
            g = float(grads[a, b])
            if g == 0.0:
                styles[(j, k)] = (ManimColor(theme.edge), scale.min_width)
            else:
                styles[(j, k)] = (scale.color(g, theme), scale.width(g))
    return styles


def digit_picture(pixels: np.ndarray, outlined: Sequence[int], theme: Theme,
                  pixel: float = DIGIT_PIXEL) -> tuple[VGroup, VGroup]:
    """An 8x8 digit as squares (brightness = pixel value in [0, 1]) and outlines of the
    pixels ``outlined`` (flat indices, e.g. the input neurons a diagram draws).

    Returns (squares, picture): ``squares[k]`` is pixel k, ``picture`` squares and outlines
    together, centred on the origin; move it afterwards.
    """
    from manim import Square

    squares = VGroup()
    for row in range(8):
        for col in range(8):
            v = float(pixels[row, col])
            sq = Square(pixel, stroke_color=theme.muted, stroke_width=0.5,
                        fill_color=theme.text, fill_opacity=0.04 + 0.96 * v)
            squares.add(sq.move_to([col * pixel, -row * pixel, 0]))
    outlines = VGroup(*[Square(pixel, stroke_color=theme.forward, stroke_width=2.5).move_to(squares[k])
                        for k in outlined])
    picture = VGroup(squares, outlines)
    picture.move_to([0, 0, 0])
    return squares, picture
