"""Chapter 6, "Back prop: a product of factors": a chain of sigmoid neurons, forward and back.

The chain has one sigmoid neuron per layer, x = a_0 -> a_1 -> ... -> a_L, as many layers as
the lesson's deep net, so that layer L is its output as there (L = 5 in the default lessons;
at most ``MAX_LAYERS``, what one line of the screen holds: :func:`chain_layers`). It is ALWAYS
sigmoid, whatever the lesson's activation: the chapter is about the factor σ'(z).

Forward (left to right), for l = 1 .. L:

    z_l = w_l a_(l-1) + b_l        a_l = σ(z_l)

Cost: chapter 2's quadratic cost, C = ½ (a_L - y)², so ∂C/∂a_L = a_L - y.

Back prop (right to left, starting at the output), with δ_l = ∂C/∂z_l:

    δ_L = σ'(z_L) (a_L - y)
    δ_l = δ_(l+1) w_(l+1) σ'(z_l)          (l = L-1 .. 1)
    ∂C/∂b_l = δ_l                          ∂C/∂w_l = δ_l a_(l-1)

so ∂C/∂b_1 = δ_1 is a product: δ_L times one factor w_(l+1) σ'(z_l) for every layer l on the
way (``step_factors``), written

    ∂C/∂b_1 = w_2 σ'(z_1) · w_3 σ'(z_2) · ... · w_L σ'(z_(L-1)) · δ_L.

Every δ_l is checked here against :meth:`netsim.network.Network.backward`'s ∂C/∂b_l.

Since σ' <= σ'(0) = ¼, a factor has |w σ'(z)| <= |w|/4: below 1 while |w| < 4
(``weight_limit``). A larger |w| is not enough for a factor above 1: with input a, z = w a + b,
and |w σ'(z)| > 1 only while |z| < z* (``band_z``, where |w| σ'(z*) = 1), that is for inputs
a in a band 2 z* / |w| wide (``band_width``); both are computed for Nielsen's large weight
w = 100 (``large_weight``).

The chapter also multiplies a square of area 1 by ¼, ⅓, ¼ in exact arithmetic
(:mod:`netsim.experiments.rectangle`).

Where the numbers come from:
- weights and biases: :func:`netsim.experiments.shared.chain_net`, the spec
  ``NetSpec([1] * (L + 1), init="nielsen", bias_init="normal", seed=seed)`` of sigmoid layers,
  i.e. w_l ~ N(0, 1)/sqrt(n_in) = N(0, 1) (n_in = 1) and b_l ~ N(0, 1), drawn from the lesson's
  seed and copied into :func:`netsim.chain.chain_network`;
- input and target: x = 1.0 (a fully inked pixel) and y = 0.0 (the neuron should stay off);
- z_l, a_l, σ'(z_l) and the backward pass: :func:`netsim.chain.chain_factors`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from netsim import fp
from netsim.activations import sigmoid_prime
from netsim.chain import ChainResult, chain_factors, chain_network
from netsim.errors import require
from netsim.experiments.rectangle import RectangleResult, shrinking_factors
from netsim.experiments.shared import chain_net, is_number, is_whole
from netsim.spec import DEFAULT_NET, NetSpec, OfNet

__all__ = ["BackpropChain", "RectangleResult", "backprop_chain", "chain_layers", "shrinking_factors"]

#: The chain's neurons: as many as the lesson's net has layers, from MIN_LAYERS to MAX_LAYERS
#: (the most one line of the screen holds, with a factor under each).
MIN_LAYERS, MAX_LAYERS = 2, 6
DEFAULT_X = 1.0
DEFAULT_Y = 0.0
COST = "quadratic"
#: Nielsen's large weight (Neural Networks and Deep Learning, ch. 5).
DEFAULT_LARGE_WEIGHT = 100.0
#: How close every δ_l must be to Network.backward's ∂C/∂b_l.
RTOL = 1e-12


@dataclass(frozen=True)
class BackpropChain(OfNet):
    """Everything chapter 6 shows. Layers are 1-based (l = 1 .. L); tuples are 0-based.

    Chain: ``net``, its spec ([1] * (L + 1), sigmoid, drawn from the lesson's seed);
    ``weights[l - 1]`` = w_l, ``biases[l - 1]`` = b_l, ``zs[l - 1]`` = z_l,
    ``activations[l]`` = a_l (``activations[0]`` = x), ``sigma_primes[l - 1]`` = σ'(z_l);
    ``dC_da`` = ∂C/∂a_L = a_L - y, ``cost`` = C = ½ (a_L - y)².

    Back prop: ``deltas[l - 1]`` = δ_l = ∂C/∂z_l = ∂C/∂b_l; ``step_factors[l - 1]`` =
    w_(l+1) σ'(z_l) (signed, l = 1 .. L-1), so δ_l = step_factors[l - 1] δ_(l+1);
    ``product`` = δ_L times every step factor = δ_1 = ∂C/∂b_1, equal (to ``RTOL``) to
    ``backward_dC_db1``; ``dC_db``/``dC_dw`` are the backward pass's gradients, layer 1 first.

    Bounds: ``sigma_prime_max`` = σ'(0) = ¼ (exact), ``weight_limit`` = 1/σ'(0) = 4, the |w|
    below which every factor is below 1 in size. Large weights: for w = ``large_weight``,
    |w σ'(z)| > 1 only while |z| < ``band_z``, i.e. for inputs a in a band ``band_width`` wide.
    """

    net: NetSpec
    x: float
    y: float
    weights: tuple[float, ...]
    biases: tuple[float, ...]
    zs: tuple[float, ...]
    activations: tuple[float, ...]
    sigma_primes: tuple[float, ...]
    dC_da: float
    cost: float
    deltas: tuple[float, ...]
    step_factors: tuple[float, ...]
    product: float
    backward_dC_db1: float
    dC_db: tuple[float, ...]
    dC_dw: tuple[float, ...]
    sigma_prime_max: Fraction
    weight_limit: Fraction
    large_weight: float
    band_z: float
    band_width: float
    rectangle: RectangleResult

    @property
    def layers(self) -> int:
        """L, the chain's neurons after the input (layer L is its output)."""
        return self.net.depth

    @property
    def output(self) -> float:
        """a_L, the chain's output."""
        return self.activations[-1]

    @property
    def factor_sizes(self) -> tuple[float, ...]:
        """|w_(l+1) σ'(z_l)| for l = 1 .. L-1: each step's factor in size."""
        return tuple(abs(f) for f in self.step_factors)

    @property
    def shrinks_every_layer(self) -> bool:
        """Whether |δ_l| < |δ_(l+1)| at every step left (every factor below 1 in size)."""
        return all(abs(a) < abs(b) for a, b in zip(self.deltas, self.deltas[1:]))

    @property
    def first_over_output(self) -> float:
        """|δ_1| / |δ_L|: what is left of the output's error at layer 1 (inf if δ_L underflowed)."""
        top = abs(self.deltas[-1])
        return abs(self.deltas[0]) / top if top > 0 else math.inf


def chain_layers(net: NetSpec) -> int:
    """L of chapter 6's chain for the lesson's net ``net``: one neuron per layer of the net
    (``net.depth``), at most ``MAX_LAYERS``. Chapter 10 recalls the same chain."""
    return min(net.depth, MAX_LAYERS)


def _check_arguments(layers: int, x: float, y: float, large_weight: float) -> None:
    """L, x, y and the large weight; NetsimError names the first bad one."""
    require(is_whole(layers), f"layers {layers!r} must be a whole number")
    require(MIN_LAYERS <= layers <= MAX_LAYERS,
            f"layers = {layers} is out of range; allowed: {MIN_LAYERS} to {MAX_LAYERS}")
    require(is_number(x) and math.isfinite(x), f"x = {x!r} must be a finite number")
    require(is_number(y) and math.isfinite(y), f"y = {y!r} must be a finite number")
    require(0.0 <= y <= 1.0, f"y = {y!r} is out of range; a sigmoid output's target lies in 0 to 1")
    require(is_number(large_weight) and math.isfinite(large_weight),
            f"large_weight = {large_weight!r} must be a finite number")
    require(abs(large_weight) > 4.0,
            f"large_weight = {large_weight!r} is too small; |w| must exceed 4 for a factor above 1")


def _deltas(chain: ChainResult, L: int) -> list[float]:
    """δ_L = σ'(z_L) (a_L - y), then δ_l = δ_(l+1) · w_(l+1) σ'(z_l), right to left."""
    deltas = [0.0] * L
    deltas[-1] = chain.factors[-2].value * chain.factors[-1].value  # σ'(z_L) · ∂C/∂a_L
    for l in range(L - 1, 0, -1):
        deltas[l - 1] = deltas[l] * chain.layer_factors[l - 1]
    return deltas


def _band(large_weight: float) -> tuple[float, float]:
    """z* > 0 with |w| σ'(z*) = 1, and the band 2 z* / |w| of inputs a where |w σ'(w a + b)| > 1.

    With p = σ(z*), p (1 - p) = 1/|w|, so p = (1 + sqrt(1 - 4/|w|)) / 2 and z* = ln(p / (1 - p)).
    """
    w = abs(float(large_weight))
    root = float(np.sqrt(1.0 - 4.0 / w))
    p = (1.0 + root) / 2.0
    z_star = float(fp.log(np.array(p / (1.0 - p))))
    return z_star, 2.0 * z_star / w


def backprop_chain(net: NetSpec = DEFAULT_NET, *, layers: int | None = None, x: float = DEFAULT_X,
                   y: float = DEFAULT_Y, large_weight: float = DEFAULT_LARGE_WEIGHT) -> BackpropChain:
    """Run the sigmoid chain of the lesson's net ``net`` forward and backward, and split ∂C/∂b_1
    into its factors.

    The net's seed draws the weights and biases; ``layers`` = L neurons after the input (2 to
    6; None: :func:`chain_layers`, one per layer of the net), ``x`` the input a_0, ``y`` the
    target in [0, 1], ``large_weight`` the |w| > 4 whose band of inputs with a factor above 1
    is measured. Bad input raises :class:`NetsimError`.
    """
    if layers is None:
        layers = chain_layers(net)
    _check_arguments(layers, x, y, large_weight)
    L, x, y = int(layers), float(x), float(y)

    spec = chain_net(net, L)
    drawn = spec.build()
    weights = [float(w[0, 0]) for w in drawn.weights]
    biases = [float(b[0]) for b in drawn.biases]
    wired = chain_network(weights, biases, activation="sigmoid")
    chain = chain_factors(wired, x, y, COST)  # z_l, a_l, σ'(z_l) and the backward pass
    deltas = _deltas(chain, L)
    for l, d in enumerate(deltas, start=1):
        ref = chain.dC_db[l - 1]
        require(math.isclose(d, ref, rel_tol=RTOL, abs_tol=0.0), f"δ_{l} = {d!r} differs from ∂C/∂b_{l} = {ref!r}")
    peak = Fraction(float(sigmoid_prime(np.array(0.0))))  # σ'(0) = 1/4 exactly in float64
    band_z, band_width = _band(large_weight)

    return BackpropChain(
        net=spec,
        x=x,
        y=y,
        weights=tuple(weights),
        biases=tuple(biases),
        zs=tuple(chain.zs),
        activations=tuple(chain.activations),
        sigma_primes=tuple(float(f.value) for f in chain.factors if f.symbol.startswith("sigma'")),
        dC_da=float(chain.factors[-1].value),
        cost=float(chain.cost),
        deltas=tuple(deltas),
        step_factors=tuple(float(f) for f in chain.layer_factors),
        product=deltas[0],
        backward_dC_db1=float(chain.dC_db[0]),
        dC_db=tuple(chain.dC_db),
        dC_dw=tuple(chain.dC_dw),
        sigma_prime_max=peak,
        weight_limit=1 / peak,
        large_weight=float(large_weight),
        band_z=band_z,
        band_width=band_width,
        rectangle=shrinking_factors(),
    )
