"""The netsim benchmark: its inline floor does netsim's arithmetic, and it prints what README quotes."""

from __future__ import annotations

import numpy as np
import pytest

from netsim import bench
from netsim.data import digits
from netsim.network import Network

pytestmark = pytest.mark.netsim  # netsim's own tests: pytest -m netsim runs them alone


def test_the_inline_floor_is_netsims_pass_to_the_bit():
    d = digits().head(300)
    net = Network.create(bench.SIZES, seed=1)
    g = net.backward(d.x, d.y)
    nabla_w, nabla_b, cost = bench.same_arithmetic_inline(d.x, d.y, net.weights, net.biases)()
    assert cost == g.cost
    for mine, theirs in zip(nabla_w + nabla_b, g.nabla_w + g.nabla_b):
        assert mine.tobytes() == theirs.tobytes()


def test_bench_prints_ratios_and_the_machine(capsys, monkeypatch):
    monkeypatch.setattr(bench, "nielsen_ch5", lambda seeds: None)  # the ch. 5 timing is not under test
    assert bench.main(["--repeats", "3", "--seeds", "0"]) == 0
    text = capsys.readouterr().out
    assert "ratio netsim / bare arithmetic: " in text
    assert "ratio netsim / the same arithmetic inline: " in text
    assert f"NumPy {np.__version__}" in text and "cores" in text
    assert "ratio netsim's products / BLAS's" in text
    readme = [line for line in text.splitlines() if line.startswith("README: A netsim pass takes ")]
    assert len(readme) == 1 and "times the bare arithmetic" in readme[0]
    if bench._torch_pass(np.zeros((1, 64)), np.zeros((1, 10)), Network.create(bench.SIZES)) is not None:
        assert "ratio netsim / PyTorch on one thread: " in text and "times PyTorch" in readme[0]


def test_without_pytorch_the_bench_says_so(capsys, monkeypatch):
    monkeypatch.setattr(bench, "nielsen_ch5", lambda seeds: None)
    monkeypatch.setattr(bench, "_torch_pass", lambda x, y, net: None)
    assert bench.main(["--repeats", "2", "--seeds", "0"]) == 0
    text = capsys.readouterr().out
    assert "PyTorch is not installed here" in text and "ratio netsim / PyTorch" not in text
    readme = next(line for line in text.splitlines() if line.startswith("README: "))
    assert "PyTorch is not installed here, so there is no comparison with it" in readme and "cores" in readme
