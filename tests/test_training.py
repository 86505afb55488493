"""SGD records: per-layer speed of learning, cost and accuracy, deep vs shallow."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from netsim.data import digits_split
from netsim.errors import NetsimError
from netsim.network import Network
from netsim.train import sgd

pytestmark = pytest.mark.netsim  # netsim's own tests: pytest -m netsim runs them alone


@pytest.fixture(scope="module")
def split():
    return digits_split(seed=0)


def test_split_is_deterministic_and_disjoint(split):
    again = digits_split(seed=0)
    np.testing.assert_array_equal(split.train.x, again.train.x)
    assert len(split.train) + len(split.test) == 1797
    assert len(split.test) == 449


def test_shallow_net_learns_and_records_per_epoch(split):
    net = Network.create([64, 30, 10], seed=0)
    run = sgd(net, split.train, split.test, epochs=5, eta=0.5, batch_size=10)
    assert run.speeds.shape == (6, 2)
    assert run.probe_cost[-1] < run.probe_cost[0]
    assert run.test_accuracy[-1] > 0.85
    # the original net is untouched
    assert np.array_equal(net.weights[0], Network.create([64, 30, 10], seed=0).weights[0])


def test_deep_sigmoid_net_first_layer_learns_slowest(split):
    deep = Network.create([64, 30, 30, 30, 30, 10], seed=0)
    run = sgd(deep, split.train, split.test, epochs=3, eta=0.1, batch_size=10)
    speeds = run.speeds[:, :-1]  # hidden layers
    assert np.all(speeds[:, 0] < speeds[:, -1] / 20)


def test_same_seed_same_run(split):
    net = Network.create([64, 20, 10], seed=1)
    a = sgd(net, split.train, split.test, epochs=2, eta=0.3, seed=4)
    b = sgd(net, split.train, split.test, epochs=2, eta=0.3, seed=4)
    assert a.speeds.tobytes() == b.speeds.tobytes()
    assert a.test_accuracy.tobytes() == b.test_accuracy.tobytes()


def test_l2_shrinks_weights(split):
    net = Network.create([64, 20, 10], seed=1)
    plain = sgd(net, split.train, split.test, epochs=1, eta=0.3)
    decayed = sgd(net, split.train, split.test, epochs=1, eta=0.3, l2=50.0)
    assert np.linalg.norm(decayed.network.weights[0]) < np.linalg.norm(plain.network.weights[0])


def test_bad_training_arguments(split):
    net = Network.create([64, 10], seed=0)
    for kwargs in ({"epochs": 0}, {"eta": 0.0}, {"batch_size": 0}, {"l2": -1.0}):
        with pytest.raises(NetsimError):
            sgd(net, split.train, split.test, **kwargs)


def test_a_diverging_run_stops_at_its_first_bad_epoch(split):
    """eta = 100 sends a wide tanh net's outputs to exactly 0 or 1, so the cost is infinite
    after one epoch: the run stops there with one line instead of 199 more epochs."""
    net = Network.create([64, 256, 256, 10], "tanh", output_activation="sigmoid", init="normal", seed=1)
    with pytest.raises(NetsimError, match=r"training diverged in epoch 1 with eta = 100.0"):
        sgd(net, split.train, split.test, epochs=200, eta=100.0)


def test_each_step_is_the_update_written_out(split):
    """One mini-batch step by hand, W <- (1 - eta lambda / n) W - eta dC/dW and b <- b - eta dC/db,
    is sgd's step to the bit (sgd updates in place; this writes each expression out)."""
    net = Network.create([64, 12, 10], seed=2)
    train = split.train.head(10)  # one mini-batch: the epoch is one step on all ten
    run = sgd(net, train, split.test, epochs=1, eta=0.5, l2=3.0, seed=0)
    order = np.random.default_rng(0).permutation(10)
    g = net.backward(train.x[order], train.y[order], "cross-entropy")
    decay = 1.0 - 0.5 * 3.0 / 10
    for l in range(2):
        assert (decay * net.weights[l] - 0.5 * g.nabla_w[l]).tobytes() == run.network.weights[l].tobytes()
        assert (net.biases[l] - 0.5 * g.nabla_b[l]).tobytes() == run.network.biases[l].tobytes()


def test_travelled_is_the_sum_of_the_steps_sizes(split):
    """travelled[e, l - 1] adds up ||eta dC/dW_l|| over every mini-batch step to epoch e, written
    out by hand for two epochs of two steps; a frozen layer travels nowhere."""
    net = Network.create([64, 12, 8, 10], seed=3)
    train = split.train.head(20)
    run = sgd(net, train, split.test, epochs=2, eta=0.5, batch_size=10, seed=4, step_scales=[1.0, 0.0, 2.0])
    rng = np.random.default_rng(4)
    walk, path, want = net.copy(), np.zeros(3), [np.zeros(3)]
    for _ in range(2):
        order = rng.permutation(20)
        for start in (0, 10):
            idx = order[start:start + 10]
            g = walk.backward(train.x[idx], train.y[idx], "cross-entropy")
            for l, scale in enumerate((1.0, 0.0, 2.0)):
                if scale:
                    step = 0.5 * scale * g.nabla_w[l]
                    path[l] += float(np.sqrt(np.sum(step * step)))
                    walk.weights[l] -= step
                    walk.biases[l] -= 0.5 * scale * g.nabla_b[l]
        want.append(path.copy())
    np.testing.assert_allclose(run.travelled, np.array(want), rtol=1e-12)
    assert run.travelled.shape == (3, 3) and np.all(run.travelled[:, 1] == 0) and np.all(run.travelled[2, [0, 2]] > 0)
    moved = [np.linalg.norm(a - b) for a, b in zip(run.network.weights, net.weights)]
    assert all(m <= p * (1 + 1e-12) for m, p in zip(moved, run.travelled[-1]))


# -- chapter 9's set-up, shared with chapter 12 ------------------------------------------


def test_setup_states_the_split_and_the_schedule() -> None:
    from netsim.experiments.training import EPOCHS, SETUP, TrainingSetup, training_setup

    assert isinstance(SETUP, TrainingSetup)
    assert (SETUP.n_train, SETUP.n_test) == (1348, 449)
    split = SETUP.split()
    assert (len(split.train), len(split.test)) == (SETUP.n_train, SETUP.n_test)
    assert (SETUP.batch_size, SETUP.eta, SETUP.epochs, SETUP.cost) == (10, 0.1, EPOCHS, "cross-entropy")
    assert SETUP.updates_per_epoch == 135 == -(-1348 // 10)
    assert training_setup(eta=0.5, epochs=3).eta == 0.5
    with pytest.raises(dataclasses.FrozenInstanceError):
        SETUP.eta = 1.0  # type: ignore[misc]


def test_train_under_is_sgd_with_the_setup(split) -> None:
    from netsim.experiments.training import train_under, training_setup
    from netsim.spec import NetSpec

    setup = training_setup(epochs=2)
    run = train_under(setup, NetSpec([64, 20, 20, 10], seed=3))
    net = Network.create([64, 20, 20, 10], "sigmoid", output_activation="sigmoid", init="nielsen", bias_init="normal",
                         seed=3)
    again = sgd(net, split.train, split.test, epochs=2, eta=0.1, batch_size=10, cost="cross-entropy", seed=3,
                probe_size=setup.probe_size)
    np.testing.assert_array_equal(run.speeds, again.speeds)
    np.testing.assert_array_equal(run.test_accuracy, again.test_accuracy)


@pytest.mark.parametrize("kwargs", [{"eta": 0.0}, {"epochs": 0}, {"epochs": 2.5}, {"batch_size": 0}])
def test_bad_setup_is_rejected(kwargs) -> None:
    from netsim.experiments.training import training_setup

    with pytest.raises(NetsimError):
        training_setup(**kwargs)
