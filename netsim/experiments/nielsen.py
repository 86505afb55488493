"""Per-layer gradient norms at initialisation, and Nielsen's ch. 5 reproduction on digits.

Nielsen ("Neural Networks and Deep Learning", ch. 5, "Why are deep neural networks hard to
train?") builds sigmoid nets with weights N(0,1)/sqrt(n_in) and biases N(0,1), takes 1000
training images, and reports for each hidden layer l the norm ||dC/db_l|| of the
cross-entropy gradient averaged over those images. On MNIST with [784,30,30,30,30,10] he
gets 0.003, 0.017, 0.070, 0.285 (first to last hidden layer). Here the input is
scikit-learn's 8x8 digits, so the nets start with 64 inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from netsim.data import Dataset, digits, get_dataset
from netsim.errors import require
from netsim.spec import NetSpec, OfNet

Array = np.ndarray

#: Nielsen's published hidden-layer norms on MNIST, [784, 30, 30, 30, 30, 10].
NIELSEN_MNIST_4_HIDDEN = (0.003, 0.017, 0.070, 0.285)
#: The three nets of the reproduction, on 8x8 digits.
NIELSEN_NETS: tuple[tuple[int, ...], ...] = (
    (64, 30, 30, 10),
    (64, 30, 30, 30, 10),
    (64, 30, 30, 30, 30, 10),
)
MAX_SEEDS = 1000


@dataclass(frozen=True)
class LayerNorms(OfNet):
    """||dC/db_l|| for l = 1..L of the net ``net`` over several seeds (each replacing its own).

    ``norms[s, l - 1]`` is the norm for seed ``seeds[s]``; ``median``, ``q25`` and ``q75``
    are taken over seeds. ``hidden_*`` drop the output layer.
    """

    net: NetSpec
    cost: str
    data: str
    n_samples: int
    seeds: tuple[int, ...]
    norms: Array
    median: Array
    q25: Array
    q75: Array

    @property
    def hidden_median(self) -> Array:
        return self.median[:-1]

    @property
    def hidden_q25(self) -> Array:
        return self.q25[:-1]

    @property
    def hidden_q75(self) -> Array:
        return self.q75[:-1]

    def ratios(self) -> Array:
        """median_{l+1} / median_l for consecutive hidden layers (> 1 means fading)."""
        m = self.hidden_median
        return m[1:] / m[:-1]


def parse_seeds(spec: str | Sequence[int] | int) -> tuple[int, ...]:
    """Seeds from 7, [1, 2], "0-49" or "1,5,9"; each >= 0, at most ``MAX_SEEDS`` of them."""
    if isinstance(spec, (int, np.integer)):
        seeds = [int(spec)]
    elif isinstance(spec, str):
        seeds = []
        for part in filter(None, (p.strip() for p in spec.split(","))):
            lo, sep, hi = part.partition("-")
            require(lo.isdigit() and (not sep or hi.isdigit()),
                    f"seeds {spec!r}: write them as 7, 0-49 or 1,5,9")
            seeds.extend(range(int(lo), int(hi) + 1) if sep else [int(lo)])
    else:
        seeds = [int(s) for s in spec]
    require(len(seeds) >= 1, f"seeds {spec!r}: give at least one seed")
    require(len(seeds) <= MAX_SEEDS, f"{len(seeds)} seeds is above the limit of {MAX_SEEDS}")
    require(all(s >= 0 for s in seeds), f"seeds {spec!r} must be >= 0")
    return tuple(seeds)


def layer_gradient_norms(
    net: NetSpec,
    *,
    cost: str = "cross-entropy",
    data: str | Dataset = "digits",
    n_samples: int = 1000,
    seeds: str | Sequence[int] | int | None = None,
) -> LayerNorms:
    """||dC/db_l|| of each layer of the net ``net`` at initialisation (skip connections and
    all), one row per seed (None: the net's own), on ``n_samples`` samples."""
    sizes = net.sizes
    dataset = get_dataset(data) if isinstance(data, str) else data
    require(sizes[0] == dataset.x.shape[1],
            f"data {dataset.name!r} has {dataset.x.shape[1]} inputs, but sizes start with {sizes[0]}")
    require(sizes[-1] == dataset.y.shape[1],
            f"data {dataset.name!r} has {dataset.y.shape[1]} classes, but sizes end with {sizes[-1]}")
    require(isinstance(n_samples, int) and n_samples >= 1, f"samples {n_samples!r} must be >= 1")
    batch = dataset.head(min(n_samples, len(dataset)))
    seed_list = parse_seeds(net.seed if seeds is None else seeds)
    rows = []
    for seed in seed_list:
        start = net.with_(seed=seed).build()
        rows.append(start.backward(batch.x, batch.y, cost).bias_gradient_norms())
    norms = np.array(rows)
    return LayerNorms(
        net=net,
        cost=cost,
        data=dataset.name,
        n_samples=len(batch),
        seeds=seed_list,
        norms=norms,
        median=np.median(norms, axis=0),
        q25=np.quantile(norms, 0.25, axis=0),
        q75=np.quantile(norms, 0.75, axis=0),
    )


def nielsen_ch5(seeds: str | Sequence[int] | int = "0-49", n_samples: int = 1000) -> list[LayerNorms]:
    """Nielsen's ch. 5 set-up on digits for the nets with 2, 3 and 4 hidden layers."""
    data = digits()
    return [layer_gradient_norms(NetSpec(sizes), cost="cross-entropy", data=data, n_samples=n_samples, seeds=seeds)
            for sizes in NIELSEN_NETS]
