"""The backward pass against central finite differences, on random small nets."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netsim.network import Network

pytestmark = pytest.mark.netsim  # netsim's own tests: pytest -m netsim runs them alone

CASES = [
    (act, out, cost)
    for act in ("sigmoid", "tanh", "relu", "linear")
    for out, cost in (("sigmoid", "cross-entropy"), ("sigmoid", "quadratic"), (act, "quadratic"))
]


def numeric_gradient(net: Network, x: np.ndarray, y: np.ndarray, cost: str, eps: float = 1e-4):
    """dC/dW_l and dC/db_l by central differences of the mean cost, entry by entry, with
    Richardson's step: (4 D(eps/2) - D(eps)) / 3 cancels the eps^2 error of D, so eps can stay
    large enough that rounding in C (large when an output saturates: a = 0.99999 against
    y = 0.05) does not swamp the difference, as it did with one step of 1e-6."""

    def central(p: np.ndarray, idx: tuple[int, ...], h: float) -> float:
        old = p[idx]
        p[idx] = old + h
        up = net.cost(x, y, cost)
        p[idx] = old - h
        down = net.cost(x, y, cost)
        p[idx] = old
        return (up - down) / (2 * h)

    grads_w, grads_b = [], []
    for params, out in ((net.weights, grads_w), (net.biases, grads_b)):
        for p in params:
            g = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                g[idx] = (4 * central(p, idx, eps / 2) - central(p, idx, eps)) / 3
            out.append(g)
    return grads_w, grads_b


@pytest.mark.parametrize(("activation", "output_activation", "cost"), CASES)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(1, 4), min_size=2, max_size=5),
    n=st.integers(1, 5),
    seed=st.integers(0, 10_000),
)
def test_backward_matches_finite_differences(activation, output_activation, cost, sizes, n, seed):
    rng = np.random.default_rng(seed)
    net = Network.create(sizes, activation, output_activation=output_activation, init="xavier-normal", seed=seed)
    x = rng.uniform(-1, 1, size=(n, sizes[0]))
    if cost == "cross-entropy":
        y = rng.uniform(0.05, 0.95, size=(n, sizes[-1]))
    else:
        y = rng.uniform(-1, 1, size=(n, sizes[-1]))
    if activation == "relu":
        # Keep every z away from relu's kink, where the derivative is undefined.
        fp = net.forward(x)
        if any(np.min(np.abs(z)) < 1e-3 for z in fp.zs):
            return
    grads = net.backward(x, y, cost)
    num_w, num_b = numeric_gradient(net, x, y, cost)
    for analytic, numeric in zip(grads.nabla_w + grads.nabla_b, num_w + num_b):
        np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-7)


def test_deltas_are_per_sample_and_nabla_is_their_mean():
    net = Network.create([3, 4, 2], seed=1)
    x = np.random.default_rng(0).uniform(size=(5, 3))
    y = np.eye(2)[[0, 1, 1, 0, 1]]
    g = net.backward(x, y)
    for row in range(5):
        one = net.backward(x[row], y[row])
        for l in range(2):
            np.testing.assert_allclose(g.deltas[l][row], one.deltas[l][0])
    for l in range(2):
        np.testing.assert_allclose(g.nabla_b[l], g.deltas[l].mean(axis=0))
        np.testing.assert_allclose(g.nabla_w[l], g.deltas[l].T @ g.forward.activations[l] / 5)
