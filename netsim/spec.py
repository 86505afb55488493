"""A net as one value: what every experiment takes and every lesson gives.

A :class:`NetSpec` says everything :meth:`netsim.network.Network.create` needs to draw a
fully-connected net, layers l = 1 .. L with a_0 = x:

    z_l = W_l a_{l-1} + b_l,    a_l = g(z_l) for the hidden layers l < L,   a_L = sigma_L(z_L)

(``activation`` is g, ``output_activation`` is sigma_L), W_l drawn by ``init`` (with
``init_param``), b_l by ``bias_init``, both from ``seed``; ``residual`` lists the hidden
layers with a skip connection a_l = a_{l-1} + g(z_l). The same spec always builds the same
weights, bit for bit, so a spec is also a cache key for whatever is computed from its net.

A spec checks itself when it is made: a value netsim cannot build a net of raises
:class:`~netsim.errors.NetsimError` with one line naming it. :class:`Setting` is a named
change to a spec's activation and start (one of the nets chapters 10 and 11 compare).
"""

from __future__ import annotations

import dataclasses
from dataclasses import KW_ONLY, dataclass
from typing import Any

import numpy as np

from netsim.activations import ACTIVATIONS
from netsim.errors import require
from netsim.init import BIAS_INITS, WEIGHT_INITS, weight_param
from netsim.network import Network, check_sizes, residual_layers

__all__ = ["DEFAULT_NET", "NetSpec", "OfNet", "Setting"]


def _known(field: str, value: object, allowed: Any) -> None:
    """``value`` is one of ``allowed`` (names); else one line naming the field and what is allowed."""
    require(isinstance(value, str) and value in allowed,
            f"{field} {value!r} is unknown; allowed: {', '.join(allowed)}")


@dataclass(frozen=True)
class NetSpec:
    """A fully-connected net: layer sizes [n_0, n_1, ..., n_L], the hidden layers' activation
    g, the output layer's sigma_L, the weight and bias initialisers and the seed they draw
    from, and the hidden layers with a skip connection (see the module notes).

    ``sizes`` is positional, every other field keyword-only. ``residual`` may be given as
    True (every hidden layer with n_l = n_{l-1}), False or layer numbers; it is kept as the
    sorted layer numbers. ``init_param`` is the std of ``normal`` and the scale of
    ``identity`` (None: their default); other initialisers ignore it.
    """

    sizes: tuple[int, ...]
    _: KW_ONLY
    activation: str = "sigmoid"
    output_activation: str = "sigmoid"
    init: str = "nielsen"
    init_param: float | None = None
    bias_init: str = "normal"
    seed: int = 0
    residual: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: the checked values are written once, here
        sizes = check_sizes(self.sizes)
        set_(self, "sizes", sizes)
        _known("activation", self.activation, ACTIVATIONS)
        _known("output_activation", self.output_activation, ACTIVATIONS)
        _known("init", self.init, WEIGHT_INITS)
        if self.init_param is not None:
            ok = isinstance(self.init_param, (int, float, np.integer, np.floating)) and not isinstance(
                self.init_param, bool)
            require(ok, f"init parameter {self.init_param!r} must be a finite number")
            set_(self, "init_param", float(self.init_param))
        weight_param(self.init, self.init_param)
        _known("bias_init", self.bias_init, BIAS_INITS)
        seed = self.seed
        require(isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0,
                f"seed {seed!r} must be an integer >= 0")
        set_(self, "seed", int(seed))
        set_(self, "residual", residual_layers(sizes, self.residual))

    @property
    def depth(self) -> int:
        """L, the number of layers with weights (the input layer is not counted)."""
        return len(self.sizes) - 1

    @property
    def hidden_sizes(self) -> tuple[int, ...]:
        """n_1 .. n_(L-1), the widths of the hidden layers."""
        return self.sizes[1:-1]

    def with_(self, **changes: Any) -> NetSpec:
        """This spec with ``changes`` (field = value), checked again."""
        return dataclasses.replace(self, **changes)

    def shallow(self) -> NetSpec:
        """The shallow net [n_0, n_1, n_L] with the same parts and seed (no skip connections):
        the one hidden layer of this net's first width."""
        require(self.depth >= 2, f"sizes {list(self.sizes)} have no hidden layer to keep")
        return self.with_(sizes=(self.sizes[0], self.sizes[1], self.sizes[-1]), residual=())

    def build(self) -> Network:
        """A fresh :class:`~netsim.network.Network` of this spec (the same spec, the same bits)."""
        return Network.create(self.sizes, self.activation, output_activation=self.output_activation,
                              init=self.init, init_param=self.init_param, bias_init=self.bias_init, seed=self.seed,
                              residual=list(self.residual))


#: The default lesson's net: Nielsen's [64, 30, 30, 30, 30, 10] sigmoid net on the 8x8 digits,
#: weights N(0, 1)/sqrt(n_in), biases N(0, 1), seed 0.
DEFAULT_NET = NetSpec((64, 30, 30, 30, 30, 10))


class OfNet:
    """Read-only views of a result's ``net`` (a :class:`NetSpec`), for result dataclasses that
    hold the net they were computed for."""

    net: NetSpec

    @property
    def sizes(self) -> tuple[int, ...]:
        """[n_0, n_1, ..., n_L], the net's layer sizes."""
        return self.net.sizes

    @property
    def depth(self) -> int:
        """L, the number of weight layers."""
        return self.net.depth

    @property
    def activation(self) -> str:
        """The hidden layers' activation g."""
        return self.net.activation

    @property
    def init(self) -> str:
        """The weight initialiser's name."""
        return self.net.init

    @property
    def bias_init(self) -> str:
        """The bias initialiser's name."""
        return self.net.bias_init

    @property
    def seed(self) -> int:
        """The seed the net's starting weights and biases are drawn from."""
        return self.net.seed


@dataclass(frozen=True)
class Setting:
    """A named change to a net: its hidden activation, weight init and bias init (netsim's
    names), on the deep net itself or (``deep`` False) on its shallow net [n_0, n_1, n_L].
    Checked where it is used (:func:`netsim.experiments.shared.require_known_parts`)."""

    key: str
    activation: str
    init: str
    bias_init: str
    deep: bool = True

    def of(self, net: NetSpec) -> NetSpec:
        """``net`` with this setting's activation and start (and shallow unless ``deep``)."""
        changed = net.with_(activation=self.activation, init=self.init, bias_init=self.bias_init)
        return changed if self.deep else changed.shallow()
