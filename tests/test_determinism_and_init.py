"""Seeds, initialisers and input checks."""

from __future__ import annotations

import numpy as np
import pytest

from netsim.data import digits
from netsim.errors import NetsimError
from netsim.network import Network

pytestmark = pytest.mark.netsim  # netsim's own tests: pytest -m netsim runs them alone


def test_same_seed_bit_identical():
    x = digits().head(50)
    a = Network.create([64, 30, 30, 10], seed=7).backward(x.x, x.y)
    b = Network.create([64, 30, 30, 10], seed=7).backward(x.x, x.y)
    for u, v in zip(a.nabla_w + a.nabla_b, b.nabla_w + b.nabla_b):
        assert u.tobytes() == v.tobytes()
    c = Network.create([64, 30, 30, 10], seed=8).backward(x.x, x.y)
    assert not np.array_equal(a.nabla_b[0], c.nabla_b[0])


@pytest.mark.parametrize(("init", "var"), [
    ("nielsen", lambda i, o: 1 / i),
    ("xavier-normal", lambda i, o: 2 / (i + o)),
    ("xavier-uniform", lambda i, o: 2 / (i + o)),
    ("he", lambda i, o: 2 / i),
])
def test_initialiser_variances(init, var):
    net = Network.create([400, 300, 200], init=init, seed=0)
    for l, w in enumerate(net.weights):
        n_in, n_out = net.sizes[l], net.sizes[l + 1]
        assert w.var() == pytest.approx(var(n_in, n_out), rel=0.03)
        assert abs(w.mean()) < 0.01


def test_normal_identity_and_explicit():
    normal = Network.create([50, 60], init="normal", init_param=0.5, seed=0)
    assert normal.weights[0].std() == pytest.approx(0.5, rel=0.05)
    net = Network.create([3, 3, 3], init="identity", init_param=0.9, bias_init="zeros")
    np.testing.assert_array_equal(net.weights[1], 0.9 * np.eye(3))
    np.testing.assert_array_equal(net.biases[0], np.zeros(3))
    w = [np.array([[2.0]]), np.array([[3.0]])]
    net = Network.create([1, 1, 1], weights=w, biases=[np.array([1.0]), np.array([-1.0])])
    assert net.weights[1][0, 0] == 3.0 and net.biases[1][0] == -1.0
    assert Network.create([64, 30, 10], bias_init="normal", seed=0).biases[0].std() == pytest.approx(1, rel=0.4)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"sizes": [64, 0, 10]}, "layer size 0 must be at least 1"),
    ({"sizes": [64]}, "at least an input and an output"),
    ({"sizes": [64, -3, 10]}, "at least 1"),
    ({"sizes": [64, 2.5, 10]}, "whole number"),
    ({"sizes": [2] * 10_003}, "above the limit"),
    ({"sizes": [5000, 5000, 5000]}, "parameters is above the limit"),
    ({"sizes": [2, 2], "activation": "swish"}, "activation 'swish' is unknown; allowed: sigmoid"),
    ({"sizes": [2, 2], "init": "lecun"}, "init 'lecun' is unknown"),
    ({"sizes": [2, 2], "bias_init": "ones"}, "bias init 'ones' is unknown"),
    ({"sizes": [2, 2], "seed": -1}, "seed"),
    ({"sizes": [2, 2], "weights": [np.ones((3, 3))]}, "W_1 has shape"),
    ({"sizes": [2, 2], "weights": [np.full((2, 2), np.inf)]}, "not finite"),
])
def test_bad_networks_are_refused_with_one_clear_line(kwargs, message):
    with pytest.raises(NetsimError, match=message) as info:
        Network.create(**kwargs)
    assert "\n" not in str(info.value)


def test_bad_batches_and_costs():
    net = Network.create([3, 2], seed=0)
    with pytest.raises(NetsimError, match="expected rows of 3"):
        net.forward(np.ones((4, 5)))
    with pytest.raises(NetsimError, match="cost 'hinge' is unknown"):
        net.backward(np.ones(3), np.ones(2), "hinge")
    relu_out = Network.create([3, 2], "relu", seed=0)
    with pytest.raises(NetsimError, match="cross-entropy cost needs outputs in"):
        relu_out.backward(np.ones(3), np.ones(2), "cross-entropy")


def test_digits_data():
    d = digits()
    assert d.x.shape == (1797, 64) and d.y.shape == (1797, 10)
    assert d.x.min() == 0.0 and d.x.max() == 1.0
    np.testing.assert_array_equal(d.y.argmax(axis=1), d.labels)


def test_keeping_heap_pages_changes_no_number():
    from netsim.alloc import keep_heap_pages

    x = digits().head(300)
    before = Network.create([64, 30, 30, 10], seed=3).backward(x.x, x.y)
    assert keep_heap_pages() is True  # glibc, as on every machine this project runs on
    after = Network.create([64, 30, 30, 10], seed=3).backward(x.x, x.y)
    for u, v in zip(before.nabla_w + before.nabla_b, after.nabla_w + after.nabla_b):
        assert u.tobytes() == v.tobytes()
