"""The forward-prop, back-prop chapter: forward prop left to right, back prop right to left, on a one-neuron chain.

The chain is x = a_0 -> a_1 -> a_2 -> a_3 -> a_4 (sizes [1, 1, 1, 1, 1]) and is ALWAYS
sigmoid, whatever the lesson's activation: this chapter explains the factor sigma'(z).

Forward (left to right, input to output), for l = 1 .. L:

    z_l = w_l a_{l-1} + b_l        a_l = sigma(z_l)

Cost: quadratic, C = (a_L - y)^2 / 2, so dC/da_L = a_L - y.

Back prop (right to left, STARTING AT THE OUTPUT). The chain rule writes

    dC/db_1 = sigma'(z_1) * w_2 * sigma'(z_2) * w_3 * sigma'(z_3) * w_4 * sigma'(z_4) * dC/da_4

and back prop multiplies these factors from the right end. After the factor sigma'(z_l) the
running product is delta_l = dC/dz_l = dC/db_l (Nielsen's notation), and dC/dw_l =
delta_l a_{l-1}. The chain has a weight and a bias in every layer (2L gradients); the chapter
follows dC/db_1, the gradient farthest from the output (it collects the most factors), and
the weights' gradients back prop finds on the way, in the order dC/dw_4, dC/dw_3, dC/dw_2,
dC/dw_1, dC/db_1, each reusing the running product of the ones before it. With x = a_0 = 1,
dC/dw_1 = delta_1 a_0 = dC/db_1.

Each layer's pair of factors w_l sigma'(z_{l-1}) (l = 2 .. L) has |w_l sigma'(z_{l-1})| <= |w_l|/4
since sigma' <= 1/4: below 1 whenever |w_l| < 4 (then the product shrinks layer by layer);
larger weights can make it exceed 1 (exploding gradients). ``pair_factors`` holds them.

Where the numbers come from:
- weights and biases: ``Network.create([1] * (L + 1), "sigmoid", init="nielsen",
  bias_init="normal", seed=seed)``, i.e. w_l ~ N(0, 1)/sqrt(n_in) = N(0, 1) (n_in = 1, weights
  of ordinary size) and b_l ~ N(0, 1), all drawn from the lesson's seed; they are copied into
  :func:`netsim.chain.chain_network`.
- input and target: x = 1.0 (a fully inked pixel; the digits data are scaled to [0, 1]) and
  y = 0.0 (the neuron should stay off), so dC/da_L = a_L.
- factors, running products and gradients: :func:`netsim.chain.chain_factors`, whose
  product is checked here against :meth:`netsim.network.Network.backward`'s dC/db_1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from netsim.activations import sigmoid_prime
from netsim.chain import ChainResult, chain_factors, chain_network
from netsim.errors import NetsimError, require
from netsim.experiments.shared import is_number, is_whole
from netsim.network import Gradients, Network

#: The storyboard's chain: four neurons after the input, so 4 weights and b_1.
DEFAULT_LAYERS = 4
MIN_LAYERS, MAX_LAYERS = 2, 6
DEFAULT_X = 1.0
DEFAULT_Y = 0.0
COST = "quadratic"
#: How close the product of the factors must be to Network.backward's dC/db_1.
RTOL = 1e-12


@dataclass(frozen=True)
class BackpropChain:
    """Everything the forward-prop, back-prop chapter shows; layers are 1-based (l = 1 .. L), tuples are 0-based.

    Chain: ``weights[l - 1]`` = w_l, ``biases[l - 1]`` = b_l, ``zs[l - 1]`` = z_l,
    ``activations[l]`` = a_l (``activations[0]`` = x), ``sigma_primes[l - 1]`` = sigma'(z_l).
    ``dC_da`` = dC/da_L = a_L - y; ``cost`` = C = (a_L - y)^2 / 2.

    The product, read left to right as written: ``symbols[i]`` / ``factors[i]`` (sigma'(z1),
    w2, sigma'(z2), ..., sigma'(zL), dC/daL). Back prop visits them right to left:
    ``backprop_order`` lists the indices into ``factors`` in that order (the last one
    first), and ``partial_products[k]`` is the running product after the k-th visited factor.
    ``product`` = ``partial_products[-1]`` = dC/db_1, equal (to ``RTOL``) to ``backward_dC_db1``
    from :meth:`Network.backward`.

    The gradients, in the order back prop reaches them: ``gradient_names`` ("dC/dw4", ...,
    "dC/dw1", "dC/db1"), ``gradients`` their values, and ``gradient_steps[i]`` the index k of
    the running product each one reuses (dC/dw_l = a_{l-1} * partial_products[k],
    dC/db_1 = partial_products[k]). ``dC_dw``/``dC_db`` hold every layer's gradient from the
    backward pass, layer 1 first.

    ``deltas[l - 1]`` = delta_l = dC/dz_l, the running product right after sigma'(z_l), equal
    (to 1e-12) to the backward pass's dC/db_l. ``pair_factors[l - 2]`` = |w_l sigma'(z_{l-1})|
    for l = 2 .. L, each layer's factor in size.
    """

    seed: int
    layers: int
    x: float
    y: float
    weights: tuple[float, ...]
    biases: tuple[float, ...]
    zs: tuple[float, ...]
    activations: tuple[float, ...]
    sigma_primes: tuple[float, ...]
    dC_da: float
    cost: float
    symbols: tuple[str, ...]
    factors: tuple[float, ...]
    backprop_order: tuple[int, ...]
    partial_products: tuple[float, ...]
    product: float
    backward_dC_db1: float
    gradient_names: tuple[str, ...]
    gradients: tuple[float, ...]
    gradient_steps: tuple[int, ...]
    dC_dw: tuple[float, ...]
    dC_db: tuple[float, ...]
    sigma_prime_max: float
    deltas: tuple[float, ...]
    pair_factors: tuple[float, ...]

    @property
    def output(self) -> float:
        """a_L, the chain's output."""
        return self.activations[-1]


#: The symbol of a slope factor sigma'(z_l) starts with this (then l, then ")").
_SLOPE = "sigma'(z"


def _slope_layer(symbol: str) -> int | None:
    """l if ``symbol`` is the slope factor sigma'(z_l), None for a weight w_l or dC/da_L."""
    return int(symbol[len(_SLOPE):-1]) if symbol.startswith(_SLOPE) else None


def chain_parameters(seed: int, layers: int = DEFAULT_LAYERS) -> tuple[list[float], list[float]]:
    """w_1..w_L and b_1..b_L of the chain, drawn from ``seed`` (nielsen weights, N(0, 1) biases)."""
    drawn = Network.create([1] * (layers + 1), "sigmoid", init="nielsen", bias_init="normal", seed=seed)
    return [float(w[0, 0]) for w in drawn.weights], [float(b[0]) for b in drawn.biases]


def _check_arguments(seed: int, layers: int, x: float, y: float) -> tuple[int, int, float, float]:
    """(seed, L, x, y) checked and normalised; NetsimError names the first bad one."""
    require(is_whole(seed) and seed >= 0, f"seed {seed!r} must be an integer >= 0")
    require(is_whole(layers), f"layers {layers!r} must be a whole number")
    require(MIN_LAYERS <= layers <= MAX_LAYERS,
            f"layers = {layers} is out of range; allowed: {MIN_LAYERS} to {MAX_LAYERS}")
    require(is_number(x) and math.isfinite(x), f"x = {x!r} must be a finite number")
    require(is_number(y) and math.isfinite(y), f"y = {y!r} must be a finite number")
    require(0.0 <= y <= 1.0, f"y = {y!r} is out of range; a sigmoid output's target lies in 0 to 1")
    return int(seed), int(layers), float(x), float(y)


class _Reached(NamedTuple):
    """The gradients in the order back prop reaches them: names, values, and the step k of the
    running product each reuses."""

    names: list[str]
    grads: list[float]
    steps: list[int]


def _gradients(chain: ChainResult, order: tuple[int, ...]) -> _Reached:
    """dC/dw_L, ..., dC/dw_1, dC/db_1 as back prop reaches them (dC/dw_l = a_{l-1} delta_l, dC/db_1 = delta_1)."""
    names: list[str] = []
    grads: list[float] = []
    steps: list[int] = []
    for k, i in enumerate(order):
        l = _slope_layer(chain.factors[i].symbol)
        if l is None:
            continue
        delta = chain.partial_products[k]  # after visiting sigma'(z_l) the running product is delta_l
        names.append(f"dC/dw{l}")
        grads.append(chain.activations[l - 1] * delta)
        steps.append(k)
        if l == 1:
            names.append("dC/db1")
            grads.append(delta)
            steps.append(k)
    return _Reached(names, grads, steps)


def _deltas(chain: ChainResult, order: tuple[int, ...], L: int) -> list[float]:
    """delta_l = dC/dz_l for l = 1 .. L: the running product right after the factor sigma'(z_l)."""
    deltas = [0.0] * L
    for k, i in enumerate(order):
        l = _slope_layer(chain.factors[i].symbol)
        if l is not None:
            deltas[l - 1] = float(chain.partial_products[k])
    return deltas


def _check_against_backward(chain: ChainResult, backward: Gradients, deltas: list[float], reached: _Reached) -> None:
    """The product, every delta_l and every gradient agree with :meth:`Network.backward`'s."""
    dC_db1 = float(backward.nabla_b[0][0])
    if not math.isclose(chain.product, dC_db1, rel_tol=RTOL, abs_tol=0.0):
        raise NetsimError(f"the product of the factors {chain.product!r} differs from back prop's "
                          f"dC/db1 {dC_db1!r}")
    for l, d in enumerate(deltas, start=1):
        ref = float(backward.nabla_b[l - 1][0])
        require(math.isclose(d, ref, rel_tol=1e-12, abs_tol=0.0), f"delta_{l} = {d!r} differs from dC/db{l} {ref!r}")
    for name, g in zip(reached.names, reached.grads):
        l = int(name[-1])
        ref = chain.dC_dw[l - 1] if "dw" in name else chain.dC_db[l - 1]
        require(math.isclose(g, ref, rel_tol=1e-12, abs_tol=0.0), f"{name} = {g!r} differs from back prop's {ref!r}")


def _summarise(seed: int, x: float, y: float, weights: list[float], biases: list[float], chain: ChainResult,
               backward: Gradients, order: tuple[int, ...], reached: _Reached, deltas: list[float]) -> BackpropChain:
    """The frozen :class:`BackpropChain` of the chain, its factors and its gradients."""
    L = len(weights)
    sigma_primes = [float(sigmoid_prime(np.array(z))) for z in chain.zs]
    return BackpropChain(
        seed=seed,
        layers=L,
        x=x,
        y=y,
        weights=tuple(weights),
        biases=tuple(biases),
        zs=tuple(chain.zs),
        activations=tuple(chain.activations),
        sigma_primes=tuple(sigma_primes),
        dC_da=float(chain.factors[-1].value),
        cost=float(chain.cost),
        symbols=tuple(f.symbol for f in chain.factors),
        factors=tuple(float(f.value) for f in chain.factors),
        backprop_order=order,
        partial_products=tuple(float(p) for p in chain.partial_products),
        product=float(chain.product),
        backward_dC_db1=float(backward.nabla_b[0][0]),
        gradient_names=tuple(reached.names),
        gradients=tuple(float(g) for g in reached.grads),
        gradient_steps=tuple(reached.steps),
        dC_dw=tuple(chain.dC_dw),
        dC_db=tuple(chain.dC_db),
        sigma_prime_max=float(sigmoid_prime(np.array(0.0))),
        deltas=tuple(deltas),
        pair_factors=tuple(abs(weights[l - 1] * sigma_primes[l - 2]) for l in range(2, L + 1)),
    )


def backprop_chain(seed: int = 0, layers: int = DEFAULT_LAYERS, x: float = DEFAULT_X,
                   y: float = DEFAULT_Y) -> BackpropChain:
    """Run the sigmoid chain forward and backward and split dC/db_1 into its factors.

    ``seed`` draws the weights and biases, ``layers`` = L neurons after the input (2 to 6),
    ``x`` the input a_0, ``y`` the target in [0, 1]. Bad input raises :class:`NetsimError`.
    """
    seed, L, x, y = _check_arguments(seed, layers, x, y)

    weights, biases = chain_parameters(seed, L)
    net = chain_network(weights, biases, activation="sigmoid")
    chain = chain_factors(net, x, y, COST)  # z_l, a_l, the 2L factors and their running products
    backward = net.backward(np.array([[x]]), np.array([[y]]), COST)
    order = tuple(range(len(chain.factors) - 1, -1, -1))  # back prop: right to left
    reached = _gradients(chain, order)
    deltas = _deltas(chain, order, L)
    _check_against_backward(chain, backward, deltas, reached)

    return _summarise(seed, x, y, weights, biases, chain, backward, order, reached, deltas)
