"""Residual (skip-connection) layers a_l = a_{l-1} + sigma(z_l), and each cost's own output error.

The backward pass of a residual net against central finite differences, a scalar chain
whose gradient is written out by hand, the layers a skip may join, and delta_L from the cost.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from netsim.activations import get_activation
from netsim.costs import COSTS, get_cost
from netsim.errors import NetsimError
from netsim.network import Network, residual_layers
from tests.test_gradcheck import numeric_gradient

pytestmark = pytest.mark.netsim  # netsim's own tests: pytest -m netsim runs them alone


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "linear"])
@pytest.mark.parametrize("cost", ["cross-entropy", "quadratic"])
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_in=st.integers(1, 4),
    width=st.integers(1, 4),
    hidden=st.integers(1, 4),
    n_out=st.integers(1, 3),
    n=st.integers(1, 4),
    seed=st.integers(0, 10_000),
)
def test_residual_backward_matches_finite_differences(activation, cost, n_in, width, hidden, n_out, n, seed):
    sizes = [n_in] + [width] * hidden + [n_out]
    if hidden < 2 and n_in != width:
        return  # no hidden layer of equal widths: nothing to skip
    rng = np.random.default_rng(seed)
    net = Network.create(sizes, activation, output_activation="sigmoid", init="xavier-normal", seed=seed, residual=True)
    assert net.skip_layers and all(sizes[l] == sizes[l - 1] for l in net.skip_layers)
    x = rng.uniform(-1, 1, size=(n, n_in))
    y = rng.uniform(0.05, 0.95, size=(n, n_out))
    # A saturated output (|z_L| > 8: a_L within 3e-4 of 0 or 1) makes the finite differences,
    # not the backward pass, inexact: a_L = (1 + tanh(z/2)) / 2 keeps an absolute error of about
    # 1e-16, a large relative one in ln a_L, and central differences divide it by 2 eps.
    assume(np.all(np.abs(net.forward(x).zs[-1]) < 8))
    grads = net.backward(x, y, cost)
    num_w, num_b = numeric_gradient(net, x, y, cost)
    for analytic, numeric in zip(grads.nabla_w + grads.nabla_b, num_w + num_b):
        np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-7)


def test_relu_residual_net_matches_finite_differences():
    net = Network.create([3, 4, 4, 4, 2], "relu", output_activation="sigmoid", init="he", seed=0, residual=[2, 3])
    x = np.random.default_rng(1).uniform(-1, 1, size=(3, 3))
    if any(np.min(np.abs(z)) < 1e-3 for z in net.forward(x).zs):
        pytest.fail("a z sits on relu's kink: pick another seed")
    y = np.eye(2)[[0, 1, 1]]
    grads = net.backward(x, y, "cross-entropy")
    num_w, num_b = numeric_gradient(net, x, y, "cross-entropy")
    for analytic, numeric in zip(grads.nabla_w + grads.nabla_b, num_w + num_b):
        np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-7)


def test_scalar_residual_chain_by_hand():
    """Three one-neuron layers; layers 1 and 2 skip, layer 3 (the output) does not.

    x = a_0 = 1, w = 2 everywhere, biases chosen so that every z_l = 0, hence sigma(z_l) = 1/2
    and sigma'(z_l) = 1/4, with the quadratic cost C = (a_3 - y)^2 / 2 and y = 0:

        a_1 = a_0 + sigma(z_1) = 3/2,  a_2 = a_1 + sigma(z_2) = 2,  a_3 = sigma(z_3) = 1/2
        dC/db_3 = (a_3 - y) sigma'(z_3)                       = 1/2 * 1/4       = 1/8
        dC/da_2 = w_3 dC/db_3                                 = 2 * 1/8         = 1/4
        dC/db_2 = sigma'(z_2) dC/da_2                         = 1/4 * 1/4       = 1/16
        dC/da_1 = dC/da_2 + w_2 sigma'(z_2) dC/da_2 = (1 + w_2 sigma'(z_2)) dC/da_2 = 3/2 * 1/4 = 3/8
        dC/db_1 = sigma'(z_1) dC/da_1                         = 1/4 * 3/8       = 3/32
        dC/dw_l = dC/db_l a_{l-1}:  dC/dw_1 = 3/32 * 1 = 3/32,  dC/dw_2 = 1/16 * 3/2 = 3/32,  dC/dw_3 = 1/8 * 2 = 1/4

    Layer 2's backward factor is 1 + w_2 sigma'(z_2) = 3/2; without the skip it would be
    w_2 sigma'(z_2) = 1/2.
    """
    net = Network.create([1, 1, 1, 1], weights=[[[2.0]], [[2.0]], [[2.0]]],
                         biases=[[-2.0], [-3.0], [-4.0]], residual=[1, 2])
    assert net.residual == (True, True, False) and net.skip_layers == (1, 2)
    g = net.backward(np.array([1.0]), np.array([0.0]), "quadratic")
    assert [float(z[0, 0]) for z in g.forward.zs] == [0.0, 0.0, 0.0]
    assert [float(a[0, 0]) for a in g.forward.activations] == [1.0, 1.5, 2.0, 0.5]
    assert [float(b[0]) for b in g.nabla_b] == [3 / 32, 1 / 16, 1 / 8]
    assert [float(w[0, 0]) for w in g.nabla_w] == [3 / 32, 3 / 32, 1 / 4]
    assert g.cost == 1 / 8
    # The same layer-1 gradient as the product of its factors: sigma'(z_1) (1 + w_2 sigma'(z_2)) w_3 ...
    assert 0.25 * (1 + 2 * 0.25) * 2 * 0.25 * 0.5 == 3 / 32


def test_no_skip_is_bit_identical_to_before():
    """residual=False (the default) is the plain net: same weights, same numbers."""
    x = np.random.default_rng(0).uniform(size=(7, 5))
    y = np.eye(3)[[0, 1, 2, 0, 1, 2, 0]]
    plain = Network.create([5, 4, 4, 3], seed=2)
    off = Network.create([5, 4, 4, 3], seed=2, residual=False)
    assert plain.residual == (False, False, False) and plain.skip_layers == ()
    for a, b in zip(plain.backward(x, y).nabla_w, off.backward(x, y).nabla_w):
        np.testing.assert_array_equal(a, b)
    skip = Network.create([5, 4, 4, 3], seed=2, residual=True)
    for a, b in zip(plain.weights + plain.biases, skip.weights + skip.biases):
        np.testing.assert_array_equal(a, b)  # the skips change no drawn weight
    assert skip.skip_layers == (2,) and skip.description["residual"] == [2]
    assert skip.copy().residual == skip.residual


def test_residual_forward_adds_the_input():
    net = Network.create([4, 4, 4, 2], "tanh", output_activation="sigmoid", seed=5, residual=[1, 2])
    x = np.random.default_rng(2).uniform(size=(3, 4))
    fwd = net.forward(x)
    a1 = x + np.tanh(x @ net.weights[0].T + net.biases[0])
    a2 = a1 + np.tanh(a1 @ net.weights[1].T + net.biases[1])
    # NumPy's own tanh and matrix product round differently from netsim's in the last bits
    np.testing.assert_allclose(fwd.activations[1], a1, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(fwd.activations[2], a2, rtol=1e-14, atol=1e-15)


def test_which_layers_skip():
    assert residual_layers([64, 30, 30, 30, 30, 10], True) == (2, 3, 4)
    assert residual_layers([64, 64, 64, 10], True) == (1, 2)
    assert residual_layers([10, 10, 10], True) == (1,)  # never the output layer
    assert residual_layers([64, 30, 30, 10], [2]) == (2,)
    assert residual_layers([64, 30, 10], False) == ()


@pytest.mark.parametrize(("sizes", "residual", "message"), [
    ([64, 30, 20, 10], [2], "layer 2 maps 30 to 20 neurons; a skip connection"),
    ([64, 30, 30, 10], [1], "layer 1 maps 64 to 30 neurons"),
    ([64, 30, 30, 10], [3], "layer 3 is the output layer"),
    ([64, 30, 30, 10], [0], "residual layer 0 is out of range"),
    ([64, 30, 30, 10], [2.0], "residual layer 2.0 must be a whole number"),
    ([64, 30, 10], True, "no hidden layer of [64, 30, 10] has equal input and output widths"),
    ([64, 30, 30, 10], "2", "must be True, False or a list"),
])
def test_bad_residual_layers_get_one_line(sizes, residual, message):
    with pytest.raises(NetsimError, match=message.replace("[", r"\[").replace("]", r"\]")) as info:
        Network.create(sizes, residual=residual)
    assert "\n" not in str(info.value)


def test_each_cost_carries_its_output_error():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 3))
    y = np.eye(3)[[0, 1, 2, 0]]
    sig = get_activation("sigmoid")
    a = sig.f(z)
    np.testing.assert_array_equal(get_cost("cross-entropy").delta(z, a, y, sig), a - y)
    np.testing.assert_allclose(get_cost("quadratic").delta(z, a, y, sig), (a - y) * a * (1 - a), rtol=1e-15)
    tanh = get_activation("tanh")
    t = tanh.f(z)
    np.testing.assert_allclose(COSTS["quadratic"].delta(z, t, y, "tanh"), (t - y) * (1 - t * t))
    # cross-entropy's a - y is dC/da * sigma'(z) with the a (1 - a) cancelled
    np.testing.assert_allclose(COSTS["cross-entropy"].delta(z, a, y), COSTS["cross-entropy"].da(a, y) * a * (1 - a))
    with pytest.raises(NetsimError, match="cross-entropy cost needs outputs in"):
        COSTS["cross-entropy"].delta(z, t, y, "tanh")
