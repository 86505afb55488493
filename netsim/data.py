"""Data sets: scikit-learn's bundled digits, and a few tiny synthetic sets.

Every set is a :class:`Dataset` with inputs x of shape (n_samples, n_0), one-hot targets y
of shape (n_samples, n_L) and integer labels. Nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from netsim.errors import NetsimError, require

Array = np.ndarray


@dataclass(frozen=True)
class Dataset:
    """Inputs ``x`` (n, n_in), one-hot targets ``y`` (n, n_classes), ``labels`` (n,)."""

    name: str
    x: Array
    y: Array
    labels: Array

    def __len__(self) -> int:
        return int(self.x.shape[0])

    def head(self, n: int) -> Dataset:
        """The first n samples."""
        require(1 <= n <= len(self), f"cannot take {n} samples of {len(self)}")
        return Dataset(self.name, self.x[:n], self.y[:n], self.labels[:n])


@dataclass(frozen=True)
class Split:
    """A deterministic train/test split."""

    train: Dataset
    test: Dataset


def one_hot(labels: Array, n_classes: int) -> Array:
    """Rows of zeros with a 1 at each label."""
    y = np.zeros((labels.size, n_classes))
    y[np.arange(labels.size), labels] = 1.0
    return y


@lru_cache(maxsize=1)
def _digits_arrays() -> tuple[Array, Array]:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    x = bunch.data.astype(float) / 16.0  # pixel values 0..16 -> [0, 1]
    return x, bunch.target.astype(int)


def digits() -> Dataset:
    """All 1797 8x8 digits, pixels scaled to [0, 1], one-hot labels, in sklearn's order."""
    x, labels = _digits_arrays()
    return Dataset("digits", x.copy(), one_hot(labels, 10), labels.copy())


def digits_split(test_fraction: float = 0.25, seed: int = 0) -> Split:
    """Digits shuffled by ``seed`` and split into train and held-out test sets."""
    require(0.0 < test_fraction < 1.0, f"test fraction {test_fraction} must be between 0 and 1")
    d = digits()
    order = np.random.default_rng(seed).permutation(len(d))
    n_test = int(round(len(d) * test_fraction))
    test_idx, train_idx = order[:n_test], order[n_test:]
    def pick(idx: Array) -> Dataset:
        return Dataset("digits", d.x[idx], d.y[idx], d.labels[idx])
    return Split(pick(train_idx), pick(test_idx))


def xor() -> Dataset:
    """The four points of XOR, two classes (one-hot)."""
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    labels = np.array([0, 1, 1, 0])
    return Dataset("xor", x, one_hot(labels, 2), labels)


def blobs(n: int = 200, seed: int = 0) -> Dataset:
    """Two Gaussian blobs in 2-D around (-1, -1) and (1, 1), two classes."""
    require(n >= 2, f"blobs need at least 2 samples, not {n}")
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    centres = np.where(labels[:, None] == 1, 1.0, -1.0)
    x = centres + 0.5 * rng.standard_normal((n, 2))
    return Dataset("blobs", x, one_hot(labels, 2), labels)


def single(x: float = 1.0, y: float = 0.0) -> Dataset:
    """One scalar input and target, for one-neuron chains."""
    return Dataset("single", np.array([[float(x)]]), np.array([[float(y)]]), np.array([0]))


DATASETS = {"digits": digits, "xor": xor, "blobs": blobs}


def get_dataset(name: str) -> Dataset:
    """A data set by name: digits, xor or blobs."""
    if name not in DATASETS:
        raise NetsimError(f"data {name!r} is unknown; allowed: {', '.join(DATASETS)}")
    return DATASETS[name]()
