"""``python -m netsim`` / ``netsim``: print netsim's numbers as tables, or JSON with --json.

Subcommands: ``gradients`` (per-layer ||dC/db_l|| at initialisation; ``--residual`` adds skip
connections a_l = a_{l-1} + sigma(z_l) to hidden layers of equal widths), ``nielsen`` (the ch. 5
reproduction), ``linear`` (the deep linear net), ``chain`` (the factors of dC/db_1),
``train`` (per-layer learning speed and accuracy over epochs), ``report`` (a short tour).
Bad arguments print one line on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import numpy as np

from netsim.activations import ACTIVATIONS
from netsim.alloc import keep_heap_pages
from netsim.chain import chain_factors, chain_network
from netsim.costs import COSTS
from netsim.data import DATASETS, digits_split
from netsim.errors import NetsimError, require
from netsim.experiments.after import residual_gradient_norms
from netsim.experiments.nielsen import (
    NIELSEN_MNIST_4_HIDDEN,
    LayerNorms,
    layer_gradient_norms,
    nielsen_ch5,
)
from netsim.format import fmt_log10, fmt_value
from netsim.init import BIAS_INITS, WEIGHT_INITS
from netsim.linear import linear_net
from netsim.spec import NetSpec
from netsim.train import sgd


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"netsim: error: {message}\n")


def _sizes(text: str) -> list[int]:
    try:
        return [int(p) for p in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes {text!r} must be whole numbers like 64,30,30,10") from None


def _floats(text: str) -> list[float]:
    try:
        values = [float(p) for p in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} must be numbers separated by commas") from None
    if not all(math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError(f"{text!r} must be finite numbers")
    return values


def _jsonable(value: Any) -> Any:
    """numpy and non-finite floats made JSON-safe: inf becomes the string "inf"."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, (np.floating, float)):
        f = float(value)
        if math.isnan(f):
            raise NetsimError("a NaN reached the output: this is a bug in netsim")
        return f if math.isfinite(f) else ("inf" if f > 0 else "-inf")
    if isinstance(value, np.integer):
        return int(value)
    return value


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _residual(text: str) -> bool | list[int]:
    """``--residual`` alone (every hidden layer of equal widths) or ``--residual 2,3``."""
    if text == "all":
        return True
    try:
        return [int(p) for p in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"residual layers {text!r} must be whole numbers like 2,3,4") from None


def _norms_table(r: LayerNorms, skips: Sequence[int] | None = None) -> str:
    rows = []
    L = len(r.sizes) - 1
    for l in range(1, L + 1):
        kind = "output" if l == L else "hidden"
        row: list[object] = [l, kind, r.sizes[l]]
        if skips is not None:
            row.append("yes" if l in skips else "-")
        rows.append(row + [fmt_value(r.median[l - 1], 3), fmt_value(r.q25[l - 1], 3), fmt_value(r.q75[l - 1], 3)])
    head = (f"net {list(r.sizes)}  activation {r.activation}  init {r.init}  biases {r.bias_init}  "
            f"cost {r.cost}  data {r.data} ({r.n_samples} samples)  seeds {len(r.seeds)}")
    headers = ["layer", "kind", "width", "median ||dC/db||", "q25", "q75"]
    if skips is not None:
        head += (f"\nskip connections a_l = a_(l-1) + sigma(z_l) on layers {', '.join(map(str, skips))}; "
                 "each carries dC/da_l back unchanged beside W_l^T delta_l")
        headers.insert(3, "skip")
    table = _table(headers, rows)
    hidden = r.hidden_median
    tail = ""
    if hidden.size >= 2:
        tail = (f"\nlast hidden / first hidden = {fmt_value(hidden[-1] / hidden[0], 3)}; "
                f"next / this: {', '.join(fmt_value(x, 3) for x in r.ratios())}")
    return f"{head}\n{table}{tail}"


def _norms_json(r: LayerNorms) -> dict[str, Any]:
    return {
        "sizes": r.sizes, "activation": r.activation, "init": r.init, "bias_init": r.bias_init,
        "cost": r.cost, "data": r.data, "n_samples": r.n_samples, "seeds": r.seeds,
        "median": r.median, "q25": r.q25, "q75": r.q75, "per_seed": r.norms,
    }


def _net(a: argparse.Namespace, seed: int = 0, residual: bool | list[int] | None = None) -> NetSpec:
    """The net the ``--sizes``, ``--activation``, ``--output-activation`` (default: the same),
    ``--init``, ``--init-param`` and ``--bias-init`` flags describe."""
    return NetSpec(a.sizes, activation=a.activation, output_activation=a.output_activation or a.activation,
                   init=a.init, init_param=a.init_param, bias_init=a.bias_init, seed=seed,
                   residual=residual or ())


def cmd_gradients(a: argparse.Namespace) -> tuple[str, Any]:
    common = {"cost": a.cost, "data": a.data, "n_samples": a.samples, "seeds": a.seeds}
    if a.residual is not None:
        rr = residual_gradient_norms(_net(a, residual=a.residual), **common)
        return _norms_table(rr.norms, rr.skip_layers), {**_norms_json(rr.norms), "residual": rr.skip_layers}
    r = layer_gradient_norms(_net(a), **common)
    return _norms_table(r), _norms_json(r)


def cmd_nielsen(a: argparse.Namespace) -> tuple[str, Any]:
    results = nielsen_ch5(a.seeds, a.samples)
    text = "\n\n".join(_norms_table(r) for r in results)
    ref = ", ".join(f"{x:.3f}" for x in NIELSEN_MNIST_4_HIDDEN)
    text += f"\n\nNielsen's book, MNIST [784,30,30,30,30,10], hidden layers: {ref}"
    return text, {"nets": [_norms_json(r) for r in results],
                  "nielsen_mnist_4_hidden": NIELSEN_MNIST_4_HIDDEN}


def cmd_linear(a: argparse.Namespace) -> tuple[str, Any]:
    r = linear_net(a.scale, a.depth, a.x)
    every = a.every or max(1, r.depth // 20)
    layers = sorted(set(range(every, r.depth + 1, every)) | {1, r.depth})
    rows = []
    for l in layers:
        a_l = r.activations[l]
        rows.append([l, fmt_value(float(a_l[0]), 6, underflow=bool(np.isfinite(r.log10_activation_norms[l]))),
                     fmt_log10(r.log10_activation_norms[l]), fmt_value(float(r.grad_w_norms[l - 1]), 4,
                               underflow=bool(np.isfinite(r.log10_grad_w_norms[l - 1]))),
                     fmt_log10(r.log10_grad_w_norms[l - 1])])
    x = [float(v) for v in r.x]
    head = f"linear net: W = {a.scale:g} I, x = {x}, depth {r.depth}, C = sum of outputs"
    table = _table(["layer", "a_l[0] (float64)", "||a_l|| (true)", "||dC/dW_l|| (float64)",
                    "||dC/dW_l|| (true)"], rows)
    notes = r.notes() or ["float64 held every value"]
    text = f"{head}\n{table}\n" + "\n".join(notes)
    data = {
        "scale": a.scale, "depth": r.depth, "x": r.x, "output": r.output,
        "activations": r.activations, "log10_activation_norms": r.log10_activation_norms,
        "grad_w_norms": r.grad_w_norms, "log10_grad_w_norms": r.log10_grad_w_norms,
        "forward_overflow_layer": r.forward_overflow_layer,
        "forward_underflow_layer": r.forward_underflow_layer,
        "backward_overflow_layer": r.backward_overflow_layer,
        "backward_underflow_layer": r.backward_underflow_layer, "notes": r.notes(),
    }
    return text, data


def cmd_chain(a: argparse.Namespace) -> tuple[str, Any]:
    biases: Any = a.biases if a.biases == "zero-z" else _floats(a.biases)
    net = chain_network(a.weights, biases, a.x, a.activation)
    r = chain_factors(net, a.x, a.y, a.cost)
    rows = [[f.symbol, fmt_value(f.value, 6)] for f in r.factors]
    layer_rows = [[l, fmt_value(r.dC_dw[l - 1], 6), fmt_value(r.dC_db[l - 1], 6)]
                  for l in range(1, len(r.dC_db) + 1)]
    text = (f"one-neuron chain, weights {a.weights}, x = {a.x}, y = {a.y}, cost {a.cost}\n"
            f"dC/db1 = product of these factors:\n{_table(['factor', 'value'], rows)}\n"
            f"product = {fmt_value(r.product, 8)}  (backward pass: {fmt_value(r.dC_db[0], 8)})\n\n"
            f"{_table(['layer', 'dC/dw', 'dC/db'], layer_rows)}")
    data = {"factors": [{"symbol": f.symbol, "value": f.value} for f in r.factors],
            "product": r.product, "partial_products": r.partial_products, "dC_db": r.dC_db,
            "dC_dw": r.dC_dw, "z": r.zs, "a": r.activations, "cost": r.cost,
            "layer_factors": r.layer_factors}
    return text, data


def cmd_train(a: argparse.Namespace) -> tuple[str, Any]:
    require(a.sizes[0] == 64 and a.sizes[-1] == 10,
            "train runs on digits: sizes must start with 64 and end with 10")
    split = digits_split(seed=a.seed)
    net = _net(a, a.seed).build()
    run = sgd(net, split.train, split.test, epochs=a.epochs, eta=a.lr, batch_size=a.batch_size, l2=a.l2, cost=a.cost,
              seed=a.seed)
    L = len(run.sizes) - 1
    rows = [[e, *(fmt_value(s, 3) for s in run.speeds[e]), fmt_value(run.probe_cost[e], 4),
             f"{100 * run.test_accuracy[e]:.1f}%"] for e in range(run.epochs + 1)]
    headers = ["epoch", *(f"||dC/db_{l}||" for l in range(1, L + 1)), "cost (probe)", "test acc"]
    text = (f"SGD on digits ({len(split.train)} train / {len(split.test)} test), net {list(run.sizes)}, "
            f"eta {a.lr}, batch {a.batch_size}, L2 {a.l2}\n{_table(headers, rows)}")
    data = {"sizes": run.sizes, "epochs": run.epochs, "speeds": run.speeds,
            "probe_cost": run.probe_cost, "test_accuracy": run.test_accuracy}
    return text, data


def cmd_report(a: argparse.Namespace) -> tuple[str, Any]:
    parts, data = [], {}
    for name, args in [
        ("nielsen", ["nielsen", "--seeds", a.seeds]),
        ("linear_1.5", ["linear", "--scale", "1.5", "--depth", "10"]),
        ("linear_0.5", ["linear", "--scale", "0.5", "--depth", "10"]),
        ("chain_w100", ["chain", "--weights", "100,100,100,100"]),
        ("chain_w1", ["chain", "--weights", "1,1,1,1"]),
    ]:
        ns = build_parser().parse_args(args)
        text, d = ns.func(ns)
        parts.append(f"== netsim {' '.join(args)}\n{text}")
        data[name] = d
    return "\n\n".join(parts), data


def _net_args(p: argparse.ArgumentParser, sizes: str) -> None:
    p.add_argument("--sizes", type=_sizes, default=_sizes(sizes), help=f"layer sizes (default {sizes})")
    p.add_argument("--activation", choices=list(ACTIVATIONS), default="sigmoid")
    p.add_argument("--output-activation", choices=list(ACTIVATIONS), default=None,
                   help="activation of the last layer (default: the same)")
    p.add_argument("--init", choices=list(WEIGHT_INITS), default="nielsen")
    p.add_argument("--init-param", type=float, default=None, help="std for normal, a for identity")
    p.add_argument("--bias-init", choices=list(BIAS_INITS), default="normal")
    p.add_argument("--cost", choices=list(COSTS), default="cross-entropy")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="netsim", description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("gradients", help="per-layer ||dC/db_l|| at initialisation")
    _net_args(p, "64,30,30,30,30,10")
    p.add_argument("--data", choices=list(DATASETS), default="digits")
    p.add_argument("--samples", type=int, default=1000)
    p.add_argument("--seeds", default="0", help="e.g. 0, 0-49 or 1,5,9")
    p.add_argument("--residual", type=_residual, nargs="?", const="all", default=None, metavar="LAYERS",
                   help="skip connections a_l = a_(l-1) + sigma(z_l): alone on every hidden layer of equal "
                        "widths, or on the layers given (e.g. 2,3,4)")
    p.set_defaults(func=cmd_gradients)

    p = sub.add_parser("nielsen", help="Nielsen's ch. 5 experiment on digits")
    p.add_argument("--seeds", default="0-49")
    p.add_argument("--samples", type=int, default=1000)
    p.set_defaults(func=cmd_nielsen)

    p = sub.add_parser("linear", help="the deep linear net W = a I")
    p.add_argument("--scale", type=float, default=1.5, help="a in W = a I")
    p.add_argument("--depth", type=int, default=10)
    p.add_argument("--x", type=_floats, default=[1.0, 1.0])
    p.add_argument("--every", type=int, default=0, help="print every n-th layer (default: ~20 rows)")
    p.set_defaults(func=cmd_linear)

    p = sub.add_parser("chain", help="the factors of dC/db1 in a one-neuron chain")
    p.add_argument("--weights", type=_floats, default=[100.0] * 4)
    p.add_argument("--biases", default="zero-z", help="numbers, or zero-z to make every z = 0")
    p.add_argument("--x", type=float, default=1.0)
    p.add_argument("--y", type=float, default=0.0)
    p.add_argument("--activation", choices=list(ACTIVATIONS), default="sigmoid")
    p.add_argument("--cost", choices=list(COSTS), default="quadratic")
    p.set_defaults(func=cmd_chain)

    p = sub.add_parser("train", help="SGD on digits: per-layer learning speed and accuracy")
    _net_args(p, "64,30,30,30,30,10")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--batch-size", type=int, default=10)
    p.add_argument("--l2", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("report", help="a short tour of the numbers the video shows")
    p.add_argument("--seeds", default="0-49")
    p.set_defaults(func=cmd_report)
    return parser


def _seed_of(a: argparse.Namespace) -> None:
    if getattr(a, "seed", 0) < 0:
        raise NetsimError(f"seed {a.seed} must be >= 0")


def main(argv: Sequence[str] | None = None, out: Callable[[str], Any] | None = None) -> int:
    """Run the command line; returns the exit status (0, or 2 for bad input)."""
    write = out or sys.stdout.write
    args = build_parser().parse_args(argv)
    keep_heap_pages()
    try:
        _seed_of(args)
        text, data = args.func(args)
        write((json.dumps(_jsonable(data), indent=1, allow_nan=False) if args.json else text) + "\n")
    except NetsimError as exc:
        sys.stderr.write(f"netsim: error: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
