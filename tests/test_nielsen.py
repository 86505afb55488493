"""Nielsen's ch. 5 experiment on digits: the same shape as his MNIST numbers."""

from __future__ import annotations

import numpy as np
import pytest

from netsim.errors import NetsimError
from netsim.experiments.nielsen import NIELSEN_NETS, layer_gradient_norms, nielsen_ch5, parse_seeds
from netsim.spec import NetSpec

pytestmark = pytest.mark.netsim  # netsim's own tests: pytest -m netsim runs them alone


@pytest.fixture(scope="module")
def results():
    return nielsen_ch5(seeds="0-19")


def test_each_hidden_layer_several_times_smaller_than_the_next(results):
    assert [r.sizes for r in results] == list(NIELSEN_NETS)
    for r in results:
        assert r.norms.shape == (20, len(r.sizes) - 1)
        ratios = r.ratios()
        assert np.all(ratios > 3.0) and np.all(ratios < 8.0), ratios


def test_first_hidden_layer_about_two_orders_below_the_last(results):
    four = results[-1].hidden_median
    assert 50 < four[-1] / four[0] < 500
    # Nielsen on MNIST: 0.003, 0.017, 0.070, 0.285. Digits land within a factor of 2 of each.
    np.testing.assert_allclose(four, [0.003, 0.017, 0.070, 0.285], rtol=1.0)
    assert np.all(results[-1].hidden_q25 <= four) and np.all(four <= results[-1].hidden_q75)


def test_mean_over_samples_is_what_is_measured():
    from netsim.data import digits
    from netsim.network import Network

    r = layer_gradient_norms(NetSpec([64, 30, 30, 10]), n_samples=100, seeds=3)
    d = digits().head(100)
    net = Network.create([64, 30, 30, 10], seed=3)
    per_sample = [net.backward(d.x[i], d.y[i]).nabla_b[0] for i in range(100)]
    assert r.norms[0, 0] == pytest.approx(np.linalg.norm(np.mean(per_sample, axis=0)), rel=1e-12)


def test_relu_he_keeps_the_layers_level():
    r = layer_gradient_norms(NetSpec([64, 30, 30, 30, 30, 10], activation="relu", init="he", bias_init="zeros"),
                             seeds="0-9")
    h = r.hidden_median
    assert h.max() / h.min() < 5


def test_seed_specs():
    assert parse_seeds("0-3,7") == (0, 1, 2, 3, 7)
    assert parse_seeds(5) == (5,)
    for bad in ("", "a-b", "-1", "0-5000"):
        with pytest.raises(NetsimError):
            parse_seeds(bad)


def test_the_numbers_quoted_in_the_readme():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    m = re.search(r"norms of about ([\d.]+), ([\d.]+), ([\d.]+) and ([\d.]+)\s+\(median over 50 seeds\)", readme)
    assert m, "README no longer quotes the ch. 5 medians"
    quoted = [float(x) for x in m.groups()]
    medians = nielsen_ch5(seeds="0-49")[-1].hidden_median
    for q, v in zip(quoted, medians):
        assert float(f"{v:.2g}") == q, (q, v)
