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
    readme = [line for line in text.splitlines() if line.startswith("README: A netsim pass takes ")]
    assert len(readme) == 1 and "times the bare arithmetic" in readme[0]
