"""The chain view of a net with one neuron per layer.

For sizes [1, 1, ..., 1] with L layers, one input x = a_0 and a target y, the chain rule
writes the gradient of the first bias as a product of factors, one pair per layer:

    dC/db_1 = sigma'(z_1) * w_2 * sigma'(z_2) * w_3 * ... * w_L * sigma'(z_L) * dC/da_L

Read from the right, each gradient reuses the one before it: dC/db_L = sigma'(z_L) dC/da_L,
dC/db_{l-1} = sigma'(z_{l-1}) w_l dC/db_l, and dC/dw_l = a_{l-1} dC/db_l.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from netsim.costs import get_cost
from netsim.errors import require
from netsim.network import Network


@dataclass(frozen=True)
class ChainFactor:
    """One factor of dC/db_1: its symbol (e.g. "sigma'(z2)", "w3", "dC/da4") and value."""

    symbol: str
    value: float


@dataclass(frozen=True)
class ChainResult:
    """Factors of dC/db_1 in order (left to right), their product, and every gradient.

    ``partial_products[k]`` is the product of the last k+1 factors: the running product as
    back prop walks from the output towards layer 1. ``dC_db[l-1]``/``dC_dw[l-1]`` are the
    gradients of layer l from the backward pass; ``dC_db[0]`` equals ``product``.
    """

    factors: list[ChainFactor]
    product: float
    partial_products: list[float]
    dC_db: list[float]
    dC_dw: list[float]
    zs: list[float]
    activations: list[float]
    cost: float
    layer_factors: list[float]


def chain_network(
    weights: Sequence[float],
    biases: Sequence[float] | str = "zero-z",
    a0: float = 1.0,
    activation: str = "sigmoid",
) -> Network:
    """A one-neuron-per-layer net with the given weights w_1..w_L.

    ``biases="zero-z"`` chooses b_l = -w_l a_{l-1} so that every z_l = 0 for input ``a0``
    (Nielsen's construction, where every sigma'(z_l) = 1/4).
    """
    weights = [float(w) for w in weights]
    require(len(weights) >= 1, "a chain needs at least one weight")
    net = Network.create([1] * (len(weights) + 1), activation=activation,
                         weights=[np.array([[w]]) for w in weights],
                         biases=[np.zeros(1) for _ in weights])
    if isinstance(biases, str):
        require(biases == "zero-z", f"chain biases {biases!r}: give numbers or 'zero-z'")
        a = float(a0)
        for l, w in enumerate(weights):
            net.biases[l] = np.array([-w * a])
            a = float(net.activations[l].f(np.zeros(1))[0])
    else:
        require(len(biases) == len(weights), "a chain needs one bias per weight")
        net.biases = [np.array([float(b)]) for b in biases]
    net.description.update({"init": "explicit", "bias_init": "explicit"})
    return net


def chain_factors(net: Network, x: float, y: float, cost: str = "quadratic") -> ChainResult:
    """Split dC/db_1 of a one-neuron chain into its factors, checked against backprop."""
    require(all(n == 1 for n in net.sizes),
            f"the chain view needs one neuron per layer, not {list(net.sizes)}")
    grads = net.backward(np.array([[x]], float), np.array([[y]], float), cost)
    fp = grads.forward
    L = net.depth
    zs = [float(z[0, 0]) for z in fp.zs]
    acts = [float(a[0, 0]) for a in fp.activations]
    sig_p = [float(net.activations[l].df(np.array(zs[l]))) for l in range(L)]
    a_L = acts[-1]
    dC_da = float(get_cost(cost).da(np.array([a_L]), np.array([y]))[0])
    factors: list[ChainFactor] = []
    for l in range(1, L + 1):
        if l > 1:
            factors.append(ChainFactor(f"w{l}", float(net.weights[l - 1][0, 0])))
        factors.append(ChainFactor(f"sigma'(z{l})", sig_p[l - 1]))
    factors.append(ChainFactor(f"dC/da{L}", dC_da))
    partial: list[float] = []
    running = 1.0
    for f in reversed(factors):
        running *= f.value
        partial.append(running)
    layer_factors = [float(net.weights[l][0, 0]) * sig_p[l - 1] for l in range(1, L)]
    return ChainResult(
        factors=factors,
        product=partial[-1],
        partial_products=partial,
        dC_db=[float(g[0]) for g in grads.nabla_b],
        dC_dw=[float(g[0, 0]) for g in grads.nabla_w],
        zs=zs,
        activations=acts,
        cost=grads.cost,
        layer_factors=layer_factors,
    )
