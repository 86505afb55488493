"""Exact values the video shows, and float64's limits flagged at the right layer."""

from __future__ import annotations

import numpy as np
import pytest

from netsim.activations import sigmoid, sigmoid_prime, tanh_prime
from netsim.chain import chain_factors, chain_network
from netsim.errors import NetsimError
from netsim.linear import linear_net
from netsim.network import Network

pytestmark = pytest.mark.netsim  # netsim's own tests: pytest -m netsim runs them alone


def test_sigmoid_slope_peaks_at_one_quarter():
    assert sigmoid_prime(np.array(0.0)) == 0.25
    z = np.linspace(-20, 20, 400_001)
    s = sigmoid_prime(z)
    assert s.max() == 0.25
    assert z[np.argmax(s)] == 0.0
    assert np.all(s[z != 0] < 0.25)
    assert tanh_prime(np.array(0.0)) == 1.0


def test_sigmoid_is_stable_at_extremes():
    z = np.array([-1e6, -800.0, 800.0, 1e6])
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(sigmoid(z), [0.0, 0.0, 1.0, 1.0])
        np.testing.assert_array_equal(sigmoid_prime(z), [0.0, 0.0, 0.0, 0.0])


def test_linear_net_grows_as_powers_of_one_and_a_half():
    r = linear_net(1.5, 10, (1.0, 1.0))
    np.testing.assert_array_equal(r.output, [57.6650390625, 57.6650390625])
    for l in range(11):
        np.testing.assert_array_equal(r.activations[l], [1.5**l, 1.5**l])
    # C = sum of outputs: delta_l = 1.5^(L - l); dC/dW_l has entries 1.5^(L - l) * 1.5^(l - 1).
    np.testing.assert_array_equal(r.deltas[0], [1.5**9, 1.5**9])
    np.testing.assert_allclose(r.grad_w_norms, 2 * 1.5**9)
    assert r.notes() == []


def test_linear_net_halves():
    r = linear_net(0.5, 10, (1.0, 1.0))
    np.testing.assert_array_equal(r.output, [2.0**-10, 2.0**-10])
    assert r.output[0] == 0.0009765625


def test_linear_net_matches_a_real_network():
    net = Network.create([2] * 11, "linear", init="identity", init_param=1.5, bias_init="zeros")
    fp = net.forward(np.array([1.0, 1.0]))
    r = linear_net(1.5, 10)
    for l in range(11):
        np.testing.assert_array_equal(fp.activations[l][0], r.activations[l])
    g = net.backward(np.array([1.0, 1.0]), np.zeros(2), "quadratic")
    assert g.nabla_b[0].shape == (2,)


@pytest.mark.parametrize(("scale", "depth", "layer"), [(1.5, 2000, 1751), (1.5, 1751, 1751), (1.5, 1750, None)])
def test_overflow_flagged_at_the_right_layer(scale, depth, layer):
    r = linear_net(scale, depth)
    assert r.forward_overflow_layer == layer
    assert not np.isnan(r.activations).any() and not np.isnan(r.deltas).any()
    if layer is not None:
        assert np.isinf(r.activations[layer]).all() and np.isfinite(r.activations[layer - 1]).all()
        # the true magnitude is still known
        assert r.log10_activation_norms[layer] == pytest.approx(layer * np.log10(1.5) + np.log10(2) / 2)


def test_underflow_flagged_at_the_right_layer():
    r = linear_net(0.5, 1100)
    assert r.forward_underflow_layer == 1075
    assert r.activations[1074][0] == 2.0**-1074 and r.activations[1075][0] == 0.0
    assert r.forward_overflow_layer is None
    assert np.isfinite(r.log10_activation_norms).all()


def test_backward_overflow_layer_counts_from_the_output():
    r = linear_net(1.5, 2000)
    # delta_l = 1.5^(2000 - l) is inf once 2000 - l >= 1751, i.e. l <= 249.
    assert r.backward_overflow_layer == 249
    assert np.isinf(r.grad_w_norms).all()
    assert np.isfinite(r.log10_grad_w_norms).all()
    assert not np.isnan(r.grad_w_norms).any()


def test_mixed_signs_never_give_nan():
    w = np.array([[1e200, -1e200], [1e200, 1e200]])
    r = linear_net(None, 5, (1.0, 1.0), weight=w)
    assert not np.isnan(r.activations).any() and not np.isnan(r.deltas).any()
    assert r.forward_overflow_layer == 2


def test_linear_net_rejects_bad_input():
    for kwargs, text in [({"depth": 0}, "depth 0"), ({"depth": 10**7}, "limit"),
                         ({"scale": float("nan")}, "scale"), ({"x": ()}, "x must")]:
        with pytest.raises(NetsimError, match=text):
            linear_net(**kwargs)


def test_nielsen_exploding_chain():
    net = chain_network([100.0] * 4, "zero-z", a0=1.0)
    r = chain_factors(net, x=1.0, y=0.0, cost="quadratic")
    assert r.zs == [0.0, 0.0, 0.0, 0.0]
    assert r.dC_db == [1953.125, 78.125, 3.125, 0.125]
    assert r.product == 1953.125
    assert r.layer_factors == [25.0, 25.0, 25.0]
    assert [f.symbol for f in r.factors] == [
        "sigma'(z1)", "w2", "sigma'(z2)", "w3", "sigma'(z3)", "w4", "sigma'(z4)", "dC/da4"]


def test_unit_weights_give_a_quarter_per_layer():
    r = chain_factors(chain_network([1.0] * 4, "zero-z"), 1.0, 0.0)
    assert r.layer_factors == [0.25, 0.25, 0.25]
    assert r.dC_db == [0.125 / 64, 0.125 / 16, 0.125 / 4, 0.125]
    assert r.partial_products[-1] == r.dC_db[0]


def test_chain_product_equals_backprop_for_random_chains():
    rng = np.random.default_rng(3)
    for _ in range(20):
        w, b = rng.normal(size=5), rng.normal(size=5)
        x = float(rng.normal())
        r = chain_factors(chain_network(w, b), x, float(rng.uniform()))
        assert r.product == pytest.approx(r.dC_db[0], rel=1e-12)
        # dC/dw_1 = a_0 * dC/db_1, and each bias gradient is the running product so far.
        assert r.dC_dw[0] == pytest.approx(x * r.dC_db[0], rel=1e-12)
        assert r.partial_products[1] == pytest.approx(r.dC_db[-1], rel=1e-12)
