"""Benchmark: ``python -m netsim.bench``.

Times (1) one forward+backward pass of [64,30,30,30,30,10] over all 1797 digits and
(2) the whole ch. 5 reproduction over 50 seeds, and prints the pass against floors measured
on the same machine, in the same loop, turn about (so a busy machine slows all of them
alike), and against PyTorch's CPU build when it is installed:

* the bare arithmetic: the matrix products a W^T, delta W and delta^T a, and one tanh per
  unit, with nothing else. No pass can be faster; no pass of a sigmoid net is this fast.
* the same arithmetic inline: every operation netsim's pass does (the products, + b,
  sigma = 1 / (1 + e^-z), sigma' = a (1 - a), delta = g sigma', the sums for dC/db,
  the cross-entropy cost), written out in place with no bookkeeping. Its gradients are
  netsim's to the bit (``tests/test_bench.py`` checks), so the ratio to it is what netsim's
  own code costs.
* netsim's products alone: the 14 matrix products of the pass as netsim computes them, in
  one fixed order of sums on every CPU (``netsim.fp``, compiled by numba), beside the same
  products by NumPy's BLAS (each CPU's own kernel, fused multiply-adds, blocked sums). Their
  difference is what netsim's exactness costs; PyTorch, like BLAS, does not pay it.
* PyTorch (autograd, float64, CPU) on one thread, as netsim runs, and on its default
  threads. It is timed in blocks of its own, after: its OpenMP threads keep spinning for a
  while after each pass and would slow whichever NumPy pass came next.

Times are the fastest of many turns (the least disturbed by other work); medians are
printed beside them. The ratios compare across machines better than the milliseconds do;
every ratio is printed with the machine it ran on. The last line is the sentence README
quotes.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numba
import numpy as np

from netsim import fp
from netsim.alloc import keep_heap_pages
from netsim.costs import cross_entropy
from netsim.data import digits
from netsim.experiments.nielsen import nielsen_ch5
from netsim.network import Network

SIZES = (64, 30, 30, 30, 30, 10)
Array = np.ndarray


def best_of(fn: Callable[[], object], repeats: int) -> float:
    """The fastest of ``repeats`` runs, in seconds (the least disturbed by other work)."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def interleaved(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[float]]:
    """Seconds of each run of each function, the functions taking turns ``repeats`` times."""
    for fn in fns.values():  # warm caches and BLAS threads
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return times


def bare_arithmetic(x: Array, weights: list[Array]) -> Callable[[], object]:
    """What a forward+backward pass cannot avoid: the products a_{l-1} W_l^T, delta_l W_l
    (l >= 2) and delta_l^T a_{l-1}, and one tanh per unit, with no bookkeeping."""
    def run() -> None:
        acts = [x]
        a = x
        for w in weights:
            a = np.tanh(a @ w.T)
            acts.append(a)
        d = a
        for l in range(len(weights), 0, -1):
            _ = d.T @ acts[l - 1]
            if l > 1:  # delta_1 W_1 would be dC/da_0, which no pass needs
                d = d @ weights[l - 1]
    return run


def same_arithmetic_inline(x: Array, y: Array, weights: list[Array], biases: list[Array]
                           ) -> Callable[[], tuple[list[Array], list[Array], float]]:
    """netsim's pass for a sigmoid net with the cross-entropy cost, operation for operation,
    written inline and in place; returns (dC/dW_l, dC/db_l, C) so a test can compare."""
    n = x.shape[0]

    def run() -> tuple[list[Array], list[Array], float]:
        acts = [x]
        a = x
        for w, b in zip(weights, biases):
            z = fp.matmul(a, w.T)
            z += b
            a = fp.sigmoid(z)
            acts.append(a)
        cost = float(np.mean(cross_entropy(a, y)))
        d = a - y
        nabla_w, nabla_b = [], []
        for l in range(len(weights), 0, -1):
            gw = fp.matmul(d.T, acts[l - 1])
            gw /= n
            nabla_w.append(gw)
            nabla_b.append(d.sum(axis=0) / n)
            if l > 1:
                s = 1.0 - acts[l - 1]
                s *= acts[l - 1]
                g = fp.matmul(d, weights[l - 1])
                g *= s
                d = g
        return nabla_w[::-1], nabla_b[::-1], cost
    return run


def products_alone(x: Array, net: Network, exact: bool = True) -> Callable[[], object]:
    """The 14 matrix products of netsim's pass on its own arrays, nothing else: in netsim's
    fixed order (``exact``, as :meth:`Network.backprop` calls them) or by NumPy's BLAS."""
    g = net.backward(x, np.zeros((x.shape[0], net.sizes[-1])))
    acts, deltas, weights = g.forward.activations, g.deltas, net.weights

    def run() -> None:
        for a, w in zip(acts[:-1], weights):
            _ = fp.matmul(a, w.T) if exact else a @ w.T
        for d, w in zip(deltas[1:], weights[1:]):
            _ = fp.matmul(d, w) if exact else d @ w
        for d, a in zip(deltas, acts[:-1]):
            _ = fp.matmul(d.T, a) if exact else d.T @ a
    return run


def cpu() -> str:
    """The CPU's model and the number of cores: what every benchmark prints its ratios with."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), model)
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores"


def machine() -> str:
    """CPU model and cores, NumPy and its BLAS (with its thread count), and numba, which
    compiles netsim's arithmetic."""
    blas = "BLAS unknown"
    try:
        from threadpoolctl import threadpool_info

        # NumPy's own BLAS: PyTorch, once imported, may bring another one
        found = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        found.sort(key=lambda i: "numpy" not in str(i.get("filepath", "")))
        if found:
            info = found[0]
            blas = f"{info.get('internal_api')} {info.get('version')}, {info.get('num_threads')} threads"
    except ImportError:
        pass
    return f"{cpu()}; NumPy {np.__version__} with {blas}; numba {numba.__version__}"


@dataclass(frozen=True)
class TorchPass:
    """The same forward+backward in PyTorch, and how to set its thread count."""

    version: str
    run: Callable[[], object]
    set_threads: Callable[[int], None]
    threads: int  # its default


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m netsim.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=200, help="turns of the timing loop")
    parser.add_argument("--seeds", default="0-49")
    args = parser.parse_args(argv)
    out = sys.stdout.write
    d = digits()
    net = Network.create(SIZES, seed=0)

    def netsim_pass() -> object:
        return net.backward(d.x, d.y)

    t_default = best_of(netsim_pass, max(3, args.repeats // 10))
    kept = keep_heap_pages()
    fns: dict[str, Callable[[], object]] = {
        "netsim": netsim_pass,
        "bare": bare_arithmetic(d.x, net.weights),
        "inline": same_arithmetic_inline(d.x, d.y, net.weights, net.biases),
        "products": products_alone(d.x, net),
        "blas": products_alone(d.x, net, exact=False),
    }
    tp = _torch_pass(d.x, d.y, net)
    if tp:  # on one thread, as netsim runs, its OpenMP threads do not spin: it can take turns
        tp.set_threads(1)
        fns["torch1"] = tp.run
    with _one_blas_thread():
        times = interleaved(fns, args.repeats)
    if tp and tp.threads > 1:  # on all its threads, in a block of its own (see above)
        tp.set_threads(tp.threads)
        fns["torch"] = tp.run
        times.update(interleaved({"torch": tp.run}, args.repeats))
    best = {name: min(ts) for name, ts in times.items()}
    median = {name: statistics.median(ts) for name, ts in times.items()}

    def ratio(a: str, b: str) -> str:
        return f"{best[a] / best[b]:.2f} (medians {median[a] / median[b]:.2f})"

    here = machine()
    out(f"machine: {here}\n")
    out(f"forward+backward, {list(SIZES)}, {len(d)} digits, fastest of {args.repeats} turns "
        f"(median in brackets), on one thread (BLAS too) unless said:\n")
    threads = tp.threads if tp else 1
    labels = {"netsim": "netsim (one thread)", "bare": "bare arithmetic (BLAS products, one tanh per unit)",
              "inline": "the same arithmetic inline", "products": "netsim's 14 products alone, in its fixed order",
              "blas": "the same 14 products by NumPy's BLAS",
              "torch1": f"PyTorch {tp.version if tp else ''} (autograd, float64), one thread",
              "torch": f"PyTorch {tp.version if tp else ''} (autograd, float64), its default {threads} threads"}
    for name in fns:
        out(f"  {labels[name]}: {1e3 * best[name]:.2f} ms ({1e3 * median[name]:.2f})\n")
    if kept:
        out(f"  netsim with glibc's default allocator, before netsim.alloc.keep_heap_pages: "
            f"{1e3 * t_default:.2f} ms\n")
    out(f"  ratio netsim / bare arithmetic: {ratio('netsim', 'bare')}\n")
    out(f"  ratio netsim / the same arithmetic inline: {ratio('netsim', 'inline')}\n")
    out(f"  ratio netsim's products / BLAS's (what the same bits on every CPU cost): {ratio('products', 'blas')}\n")
    torch_part = ". PyTorch is not installed here, so there is no comparison with it"
    if tp:
        out(f"  ratio netsim / PyTorch on one thread: {ratio('netsim', 'torch1')}\n")
        if "torch" in best:
            out(f"  ratio netsim / PyTorch on {threads} threads: {ratio('netsim', 'torch')}\n")
        out(f"  ratio netsim's products alone / PyTorch's whole pass on one thread: {ratio('products', 'torch1')}\n")
        many = (f" ({best['netsim'] / best['torch']:.2f} times on its {threads} threads)" if "torch" in best else "")
        torch_part = (f", and {best['netsim'] / best['torch1']:.2f} times PyTorch {tp.version}'s CPU build doing "
                      f"the same computation on one thread, as netsim runs{many}; netsim's products alone, "
                      f"summed in one order so that every CPU gives the same bits, take "
                      f"{best['products'] / best['torch1']:.2f} times PyTorch's whole pass")
    else:
        out("  PyTorch is not installed here: no comparison with it (install its CPU build to measure one; "
            "netsim does not need it)\n")
    t_ch5 = best_of(lambda: nielsen_ch5(args.seeds), 3)
    n_passes = 3 * len(range(50)) if args.seeds == "0-49" else None
    out(f"ch. 5 reproduction (3 nets, seeds {args.seeds}, 1000 digits): {t_ch5:.3f} s\n")
    if n_passes:
        out(f"  per forward+backward pass: {1e3 * t_ch5 / n_passes:.2f} ms\n")
    out(f"README: A netsim pass takes {1e3 * best['netsim']:.1f} ms, {best['netsim'] / best['bare']:.2f} times "
        f"the bare arithmetic (BLAS products and one tanh per unit), {best['netsim'] / best['inline']:.2f} times "
        f"the same arithmetic written inline{torch_part}; its products take {best['products'] / best['blas']:.2f} "
        f"times BLAS's ({here}).\n")
    return 0


def _one_blas_thread() -> contextlib.AbstractContextManager[object]:
    """NumPy's BLAS held to one thread, as netsim runs (when threadpoolctl is there to do it)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def _torch_pass(x: Array, y: Array, net: Network) -> TorchPass | None:
    """The same forward+backward in PyTorch (autograd, float64, CPU), when it is installed."""
    try:
        import torch
    except ImportError:
        return None
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    ws = [torch.tensor(w, requires_grad=True) for w in net.weights]
    bs = [torch.tensor(b, requires_grad=True) for b in net.biases]

    def run() -> object:
        a = xt
        for w, b in zip(ws, bs):
            a = torch.sigmoid(a @ w.T + b)
        cost = torch.nn.functional.binary_cross_entropy(a, yt, reduction="sum") / xt.shape[0]
        return torch.autograd.grad(cost, ws + bs)

    return TorchPass(str(torch.__version__), run, torch.set_num_threads, torch.get_num_threads())


if __name__ == "__main__":
    sys.exit(main())
