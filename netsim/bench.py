"""Benchmark: ``python -m netsim.bench``.

Times (1) one forward+backward pass of [64,30,30,30,30,10] over all 1797 digits and
(2) the whole ch. 5 reproduction over 50 seeds, and prints each against a floor measured
on the same machine: the bare arithmetic the pass cannot avoid (the same matrix products
and one sigmoid per unit, in NumPy with nothing else). The ratio "netsim / bare arithmetic"
compares across machines; the milliseconds do not.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import numpy as np

from netsim.alloc import keep_heap_pages
from netsim.data import digits
from netsim.experiments.nielsen import nielsen_ch5
from netsim.network import Network

SIZES = (64, 30, 30, 30, 30, 10)


def best_of(fn: Callable[[], object], repeats: int) -> float:
    """The fastest of ``repeats`` runs, in seconds (the least disturbed by other work)."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bare_arithmetic(x: np.ndarray, weights: list[np.ndarray]) -> Callable[[], object]:
    """What a forward+backward pass cannot avoid: the products a W^T, delta W and delta^T a,
    and one sigmoid per unit (tanh, as netsim computes it), with no bookkeeping."""
    def run() -> None:
        acts = [x]
        a = x
        for w in weights:
            a = np.tanh(a @ w.T)
            acts.append(a)
        d = a
        for w, a_prev in zip(reversed(weights), reversed(acts[:-1])):
            _ = d.T @ a_prev
            d = d @ w
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m netsim.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--seeds", default="0-49")
    args = parser.parse_args(argv)
    out = sys.stdout.write
    d = digits()
    net = Network.create(SIZES, seed=0)
    t_default = best_of(lambda: net.backward(d.x, d.y), args.repeats)
    kept = keep_heap_pages()
    t_pass = best_of(lambda: net.backward(d.x, d.y), args.repeats)
    t_floor = best_of(bare_arithmetic(d.x, net.weights), args.repeats)
    out(f"forward+backward, {list(SIZES)}, {len(d)} digits: {1e3 * t_pass:.2f} ms\n")
    if kept:
        out(f"  (with glibc's default allocator, before netsim.alloc.keep_heap_pages: {1e3 * t_default:.2f} ms, "
            f"ratio {t_default / t_pass:.2f})\n")
    out(f"  bare arithmetic (same products and sigmoids): {1e3 * t_floor:.2f} ms\n")
    out(f"  ratio netsim / bare arithmetic: {t_pass / t_floor:.2f}\n")
    t_ch5 = best_of(lambda: nielsen_ch5(args.seeds), 3)
    n_passes = 3 * len(range(50)) if args.seeds == "0-49" else None
    out(f"ch. 5 reproduction (3 nets, seeds {args.seeds}, 1000 digits): {t_ch5:.3f} s\n")
    if n_passes:
        out(f"  per forward+backward pass: {1e3 * t_ch5 / n_passes:.2f} ms\n")
    try:
        import torch  # noqa: F401  (optional: only compared when installed)
    except ImportError:
        out("PyTorch not installed: no side-by-side comparison\n")
    else:
        out(_torch_ratio(d.x, d.y, net, args.repeats, t_pass))
    return 0


def _torch_ratio(x: np.ndarray, y: np.ndarray, net: Network, repeats: int, t_pass: float) -> str:
    """The same forward+backward in PyTorch (autograd, float64, CPU), as a ratio."""
    import torch

    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    ws = [torch.tensor(w, requires_grad=True) for w in net.weights]
    bs = [torch.tensor(b, requires_grad=True) for b in net.biases]

    def run() -> None:
        a = xt
        for w, b in zip(ws, bs):
            a = torch.sigmoid(a @ w.T + b)
        cost = torch.nn.functional.binary_cross_entropy(a, yt, reduction="sum") / xt.shape[0]
        torch.autograd.grad(cost, ws + bs)

    t_torch = best_of(run, repeats)
    return (f"PyTorch {torch.__version__} same pass: {1e3 * t_torch:.2f} ms; "
            f"ratio netsim / PyTorch: {t_pass / t_torch:.2f}\n")


if __name__ == "__main__":
    sys.exit(main())
