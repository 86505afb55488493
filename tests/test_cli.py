"""The command line: readable tables, JSON, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from netsim.cli import main

pytestmark = pytest.mark.netsim  # netsim's own tests: pytest -m netsim runs them alone


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netsim", *args], capture_output=True, text=True,
                          timeout=120)


def test_linear_table_and_json(capsys):
    assert main(["linear", "--scale", "1.5", "--depth", "10"]) == 0
    out = capsys.readouterr().out
    assert "57.66504" in out and "float64 held every value" in out
    assert main(["--json", "linear", "--scale", "1.5", "--depth", "2000"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["forward_overflow_layer"] == 1751
    assert data["output"] == ["inf", "inf"]
    assert "forward pass: float64 overflows to inf at layer 1751" in data["notes"]


def test_underflow_is_named(capsys):
    assert main(["linear", "--scale", "0.5", "--depth", "1100", "--every", "100"]) == 0
    out = capsys.readouterr().out
    assert "underflows to 0 at layer 1075" in out and "nan" not in out.lower()


def test_chain_json(capsys):
    assert main(["--json", "chain", "--weights", "100,100,100,100"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dC_db"] == [1953.125, 78.125, 3.125, 0.125]
    assert data["product"] == 1953.125


def test_gradients_and_nielsen(capsys):
    assert main(["--json", "gradients", "--seeds", "0-2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["per_seed"]) == 3 and len(data["median"]) == 5
    assert main(["nielsen", "--seeds", "0-4"]) == 0
    out = capsys.readouterr().out
    assert "0.003, 0.017, 0.070, 0.285" in out and "last hidden / first hidden" in out


def test_gradients_with_skip_connections(capsys):
    assert main(["gradients", "--residual"]) == 0
    out = capsys.readouterr().out
    assert "skip connections a_l = a_(l-1) + sigma(z_l) on layers 2, 3, 4" in out
    assert main(["--json", "gradients", "--residual", "--seeds", "0-1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["residual"] == [2, 3, 4] and len(data["per_seed"]) == 2
    # the same numbers as a residual net built by hand, on the same 1000 digits
    from netsim.data import digits
    from netsim.network import Network

    d = digits().head(1000)
    for seed, row in zip((0, 1), data["per_seed"]):
        net = Network.create([64, 30, 30, 30, 30, 10], seed=seed, residual=[2, 3, 4])
        assert row == pytest.approx(list(net.backward(d.x, d.y).bias_gradient_norms()), rel=1e-12)
    # the skips keep the first hidden layer's gradient within a factor 3 of the last's; without, ~1/100
    assert 1 / 3 < data["median"][0] / data["median"][3] < 3
    assert main(["--json", "gradients", "--seeds", "0-1"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert "residual" not in plain and plain["median"][0] / plain["median"][3] < 1 / 50
    assert main(["--json", "gradients", "--residual", "3"]) == 0
    assert json.loads(capsys.readouterr().out)["residual"] == [3]


def test_train(capsys):
    assert main(["--json", "train", "--sizes", "64,10,10", "--epochs", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["test_accuracy"]) == 3 and len(data["speeds"][0]) == 2


@pytest.mark.parametrize(("args", "message"), [
    (["gradients", "--sizes", "64,0,10"], "layer size 0 must be at least 1"),
    (["gradients", "--sizes", "64,-4,10"], "layer size -4 must be at least 1"),
    (["gradients", "--activation", "swish"], "invalid choice: 'swish'"),
    (["linear", "--depth", "0"], "depth 0 must be at least 1"),
    (["linear", "--depth", "100000000"], "above the limit"),
    (["gradients", "--sizes", "64," + "30," * 20000 + "10"], "above the limit"),
    (["chain", "--weights", "1,x"], "must be numbers"),
    (["train", "--epochs", "0"], "epochs 0 must be"),
    (["train", "--lr", "-1"], "learning rate -1.0"),
    (["nielsen", "--seeds", "0-99999"], "seeds is above the limit"),
    (["frobnicate"], "invalid choice"),
    (["gradients", "--sizes", "64,30,20,10", "--residual", "2"], "layer 2 maps 30 to 20 neurons"),
    (["gradients", "--sizes", "64,30,10", "--residual"], "no hidden layer of [64, 30, 10] has equal"),
    (["gradients", "--residual", "5"], "layer 5 is the output layer"),
    (["gradients", "--residual", "two"], "residual layers 'two' must be whole numbers"),
])
def test_bad_arguments_get_one_line_and_exit_2(args, message):
    p = run(*args)
    assert p.returncode == 2
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netsim: error:"), p.stderr
    assert message in lines[0]
    assert "Traceback" not in p.stderr
