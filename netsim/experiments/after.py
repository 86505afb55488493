"""Chapter 12, "What came after": three of the later fixes, computed, and why deep nets
trained so slowly for so long, in chapter 10's terms.

Residual connections. The lesson's deep net (64 inputs, hidden layers of one width, 10
sigmoid outputs, the cross-entropy cost) reads one digit x = a_0, with the lesson's
activation g, initialisation and seed: chapter 7's net and digit. It is run twice from the
same W_l and b_l: plain,

    a_l = g(z_l),                 z_l = W_l a_{l-1} + b_l,

and with a skip connection in every hidden layer whose input and output widths are equal,

    a_l = a_{l-1} + g(z_l),

(layer 1, 64 -> n_1, and the output layer stay plain). Back prop through a skip adds the
identity path: dC/da_{l-1} = dC/da_l + W_l^T (g'(z_l) * dC/da_l), so for one neuron per
layer each layer's backward factor is 1 + w_l g'(z_l) instead of w_l g'(z_l). The result
holds ||dC/db_l|| = ||delta_l|| of every layer for both runs, and for each run the ratio of
the first hidden layer's norm to the last hidden layer's (hidden with hidden, as Nielsen
compares them: the output layer's delta_L = a_L - y has no g' in it).

Batch normalisation. One neuron of layer 1 over a mini-batch of the first ``BN_BATCH``
digits, with the net's starting weights W_1 and with every weight of W_1 multiplied by
``BN_FACTOR`` k: z = W_1 a_0 + b_1 (one value per digit), and the normalised
z_hat = (z - mean) / sqrt(Var) over the batch (Var: the mean of (z - mean)^2), which batch
normalisation then maps to gamma z_hat + beta with a learned gamma and beta. z - mean (b_1
cancels) and sqrt(Var) both grow k times, so z_hat is the same for W_1 and k W_1: dividing
by sqrt(Var) undoes the scaling (and back prop, dC/da_0 = W_1^T dC/dz with dC/dz k times
smaller, is unchanged too).

Gradient clipping. Chapter 9's linear net: g(z) = z, b = 0, every W_l = s I (s = 1.5),
x = (1, 1), C = the sum of the outputs (:func:`netsim.linear.linear_net`). For each depth
L = 1 .. ``depth`` the whole gradient grad C = (dC/dW_1, ..., dC/dW_L) (every dC/dw
together; the letter g is the activation function) has length

    ||grad C|| = sqrt(sum_l ||dC/dW_l||^2),

and one step w <- w - eta grad C moves the weights by eta ||grad C||. Clipping rescales
grad C to length tau when ||grad C|| > tau: grad C <- grad C tau / ||grad C||. The step is
then at most eta tau long, and it points the same way (its cosine with the unclipped step is
1): the result holds both step lengths at every depth, and that cosine computed from the
gradient arrays of the deepest net.

Why so long (:func:`period_start`). Before 2006 deep nets used sigmoid or tanh units, and
their starting weights were often smaller than LeCun's Var(w) = 1/n_in: the common
w ~ U(-1/sqrt(n_in), 1/sqrt(n_in)) (the start Glorot and Bengio, 2010, compared theirs with)
has Var(w) = r^2/3 = 1/(3 n_in) for r = 1/sqrt(n_in). Chapter 10's per-layer factor is
sqrt(n Var(w) E[g'^2]); between hidden layers of one width n = n_in, so n Var(w) = 1/3, and
E[g'^2] is at most the largest g'^2, g'(0)^2: the factor is at most sqrt(1/3) g'(0), about
0.144 for the sigmoid (sigma'(0) = 1/4) and 0.577 for tanh (tanh'(0) = 1). Every layer's
factor below 1: deep nets sat on long plateaus.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from netsim import fp
from netsim.activations import get_activation
from netsim.data import Dataset, digits
from netsim.errors import require
from netsim.experiments.nielsen import LayerNorms, layer_gradient_norms
from netsim.experiments.shared import decades, require_digits_net
from netsim.linear import linear_net
from netsim.network import residual_layers
from netsim.spec import NetSpec, OfNet

Array = np.ndarray

#: The digit of the data set both runs read.
DEFAULT_SAMPLE = 0
#: Chapter 9's linear net: W = SCALE * I on x = (1, 1), plotted to DEFAULT_CLIP_DEPTH layers.
SCALE = 1.5
DEFAULT_X: tuple[float, ...] = (1.0, 1.0)
DEFAULT_CLIP_DEPTH = 150
#: The clipping threshold tau on ||g||.
DEFAULT_THRESHOLD = 1.0
#: Batch normalisation's example: a mini-batch of the first BN_BATCH digits, and the factor k
#: every weight of layer 1 is multiplied by.
BN_BATCH = 10
BN_FACTOR = 4.0


@dataclass(frozen=True)
class ResidualComparison(OfNet):
    """One digit through the same net (``net``, plain), without and with skip connections.

    ``plain_norms[l - 1]`` and ``residual_norms[l - 1]`` are ||dC/db_l|| for l = 1..L;
    ``skip_layers`` the layers with a skip in the second run. ``plain_ratio`` and
    ``residual_ratio`` are ||dC/db_1|| / ||dC/db_{L-1}|| (first hidden over last hidden) of
    each run. ``decades`` = (lo, hi): whole powers of ten covering every hidden norm of both.
    """

    net: NetSpec
    sample: int
    label: int
    skip_layers: tuple[int, ...]
    plain_norms: tuple[float, ...]
    residual_norms: tuple[float, ...]
    plain_ratio: float
    residual_ratio: float
    decades: tuple[int, int]

    @property
    def hidden(self) -> tuple[int, ...]:
        """The hidden layers 1 .. L-1."""
        return tuple(range(1, self.depth))


@dataclass(frozen=True)
class ClippingResult:
    """One gradient step on chapter 9's linear net, without and with clipping.

    ``depths`` = 1 .. depth; ``grad_norms[i]`` = ||g|| of the net of ``depths[i]`` layers,
    ``steps[i]`` = eta ||g|| and ``clipped_steps[i]`` = eta min(||g||, tau). ``cosine``: the
    cosine of the angle between the clipped and unclipped steps of the deepest net.
    """

    scale: float
    x: tuple[float, ...]
    eta: float
    threshold: float
    depths: tuple[int, ...]
    grad_norms: tuple[float, ...]
    steps: tuple[float, ...]
    clipped_steps: tuple[float, ...]
    cosine: float

    @property
    def depth(self) -> int:
        return self.depths[-1]

    @property
    def step(self) -> float:
        """The unclipped step length of the deepest net."""
        return self.steps[-1]

    @property
    def clipped_step(self) -> float:
        """The clipped step length of the deepest net."""
        return self.clipped_steps[-1]


@dataclass(frozen=True)
class BatchNormExample:
    """One neuron of layer 1 over a mini-batch, with the starting weights W_1 and with k W_1.

    ``z[i]`` = (W_1 a_0 + b_1)[neuron] for digit i of the batch (the first ``batch`` digits),
    ``z_scaled`` the same with every weight of W_1 multiplied by ``factor`` k (b_1 kept);
    ``mean``/``var`` and ``mean_scaled``/``var_scaled`` over the batch (Var = the mean of
    (z - mean)^2). ``z_hat`` = (z - mean) / sqrt(Var) and ``z_hat_scaled`` likewise: the same
    numbers to rounding, whose largest gap is ``difference``. ``neuron`` is the first neuron
    of layer 1 whose z differs over the batch; None when no neuron's does (Var = 0 for each:
    nothing to rescale, ``z_hat`` and ``z_hat_scaled`` are empty and z is neuron 1's).
    """

    layer: int
    neuron: int | None
    batch: int
    factor: float
    labels: tuple[int, ...]
    z: tuple[float, ...]
    z_scaled: tuple[float, ...]
    mean: float
    var: float
    mean_scaled: float
    var_scaled: float
    z_hat: tuple[float, ...]
    z_hat_scaled: tuple[float, ...]
    difference: float

    @property
    def equal(self) -> bool:
        """Every z of the batch is the same (Var = 0): batch normalisation has nothing to rescale."""
        return self.neuron is None


@dataclass(frozen=True)
class PeriodStart:
    """The common start of the time, w ~ U(-r, r) with r = 1/sqrt(n_in), in chapter 10's terms.

    ``n_var`` = n Var(w) between hidden layers of one width n = n_in (r^2 n / 3 = 1/3, exact);
    ``lecun_n_var`` = n Var(w) of LeCun's 1/n_in (1). For each of ``activations`` (the units
    of the time: sigmoid and tanh), ``peak_slopes`` = g'(0), the largest slope, and ``bounds``
    = sqrt(n_var) g'(0), the most chapter 10's factor sqrt(n Var(w) E[g'^2]) can be.
    """

    n_var: Fraction
    lecun_n_var: Fraction
    activations: tuple[str, ...]
    peak_slopes: tuple[float, ...]
    bounds: tuple[float, ...]

    @property
    def share_of_lecun(self) -> Fraction:
        """Var(w) of this start over LeCun's (1/3)."""
        return self.n_var / self.lecun_n_var

    def bound(self, activation: str) -> float:
        """The largest per-layer factor for ``activation`` with this start."""
        require(activation in self.activations, f"activation {activation!r} is not one of {self.activations}")
        return self.bounds[self.activations.index(activation)]


@dataclass(frozen=True)
class AfterResult:
    """What chapter 12 shows: the residual comparison, batch normalisation's example, the
    clipped step, and the period's start (why so long)."""

    residual: ResidualComparison
    batch_norm: BatchNormExample
    clipping: ClippingResult
    period: PeriodStart


def residual_comparison(net: NetSpec, *, sample: int = DEFAULT_SAMPLE) -> ResidualComparison:
    """||dC/db_l|| of one digit through the net ``net``, plain and with skips (see the module notes)."""
    sizes = net.sizes
    require(len(sizes) >= 4, f"sizes {list(sizes)} need at least two hidden layers to compare")
    require_digits_net(sizes)
    skips = residual_layers(sizes, True)
    data = digits()
    ok = isinstance(sample, (int, np.integer)) and not isinstance(sample, bool)
    require(ok, f"sample {sample!r} must be a whole number")
    require(0 <= sample < len(data), f"sample {sample} is out of range; allowed: 0 to {len(data) - 1}")
    x, y = data.x[sample], data.y[sample]
    plain_net = net.with_(residual=())
    norms = []
    for spec in (plain_net, plain_net.with_(residual=skips)):
        norms.append(tuple(float(v) for v in spec.build().backward(x, y, "cross-entropy").bias_gradient_norms()))
    plain, skip = norms
    L = len(sizes) - 1
    with np.errstate(divide="ignore", over="ignore"):
        ratios = [float(n[0] / n[L - 2]) if n[L - 2] > 0 else math.inf for n in (plain, skip)]
    return ResidualComparison(
        net=plain_net, sample=int(sample), label=int(data.labels[sample]), skip_layers=skips, plain_norms=plain,
        residual_norms=skip, plain_ratio=ratios[0], residual_ratio=ratios[1],
        decades=decades(np.asarray(plain[:-1] + skip[:-1], dtype=float)),
    )


def _mean_var(z: Array) -> tuple[float, float]:
    """The mean of z and Var = the mean of (z - mean)^2."""
    mean = float(np.mean(z))
    return mean, float(np.mean((z - mean) ** 2))


def batch_norm_example(net: NetSpec, *, batch: int = BN_BATCH, factor: float = BN_FACTOR) -> BatchNormExample:
    """z of one neuron of layer 1 of the net ``net`` over a mini-batch, with W_1 and with
    ``factor`` W_1, normalised (see :class:`BatchNormExample`)."""
    require_digits_net(net.sizes)
    require(isinstance(batch, int) and not isinstance(batch, bool) and 2 <= batch <= 100,
            f"batch = {batch!r} must be a whole number from 2 to 100")
    require(isinstance(factor, (int, float)) and not isinstance(factor, bool) and math.isfinite(factor)
            and factor > 0, f"factor = {factor!r} must be a finite number > 0")
    data = digits()
    x = data.x[:batch]
    start = net.build()
    scaled = start.copy()
    scaled.weights[0] *= factor
    z_all, z_all_scaled = start.forward(x).zs[0], scaled.forward(x).zs[0]
    varied = [j for j in range(z_all.shape[1]) if _mean_var(z_all[:, j])[1] > 0]
    neuron = varied[0] if varied else None
    j = neuron if neuron is not None else 0
    z, z_scaled = z_all[:, j], z_all_scaled[:, j]
    (mean, var), (mean_s, var_s) = _mean_var(z), _mean_var(z_scaled)
    if neuron is None or var_s == 0:
        z_hat = z_hat_s = np.zeros(0)
    else:
        z_hat, z_hat_s = (z - mean) / np.sqrt(var), (z_scaled - mean_s) / np.sqrt(var_s)
    return BatchNormExample(
        layer=1, neuron=None if z_hat.size == 0 else neuron, batch=int(batch), factor=float(factor),
        labels=tuple(int(v) for v in data.labels[:batch]),
        z=tuple(float(v) for v in z), z_scaled=tuple(float(v) for v in z_scaled),
        mean=mean, var=var, mean_scaled=mean_s, var_scaled=var_s,
        z_hat=tuple(float(v) for v in z_hat), z_hat_scaled=tuple(float(v) for v in z_hat_s),
        difference=float(np.max(np.abs(z_hat - z_hat_s))) if z_hat.size else 0.0,
    )


def clipping(
    eta: float = 0.1,
    threshold: float = DEFAULT_THRESHOLD,
    depth: int = DEFAULT_CLIP_DEPTH,
    scale: float = SCALE,
    x: Sequence[float] = DEFAULT_X,
) -> ClippingResult:
    """The step eta ||grad C|| on the linear net W = ``scale`` I, without and with clipping at tau."""
    require(isinstance(eta, (int, float)) and math.isfinite(eta) and eta > 0,
            f"eta = {eta!r} must be a finite number > 0")
    require(isinstance(threshold, (int, float)) and math.isfinite(threshold) and threshold > 0,
            f"threshold = {threshold!r} must be a finite number > 0")
    require(isinstance(depth, int) and not isinstance(depth, bool) and 1 <= depth <= 1000,
            f"depth = {depth!r} must be a whole number from 1 to 1000")
    norms = []
    for L in range(1, depth + 1):
        r = linear_net(scale, L, tuple(x))
        require(bool(np.all(np.isfinite(r.grad_w_norms))), f"the gradient of {L} layers overflows float64")
        norms.append(float(np.sqrt(np.sum(r.grad_w_norms ** 2))))
    # The deepest net's gradient arrays (grad C): dC/dW_l = delta_l a_{l-1}^T, clipped, and the angle kept.
    g = np.concatenate([np.outer(r.deltas[l], r.activations[l]).ravel() for l in range(depth)])
    g_norm = float(fp.norm(g))
    clipped = g * (threshold / g_norm) if g_norm > threshold else g
    cosine = float(fp.matmul(g, clipped) / (g_norm * fp.norm(clipped)))
    return ClippingResult(
        scale=float(scale), x=tuple(float(v) for v in x), eta=float(eta), threshold=float(threshold),
        depths=tuple(range(1, depth + 1)), grad_norms=tuple(norms),
        steps=tuple(eta * n for n in norms), clipped_steps=tuple(eta * min(n, threshold) for n in norms),
        cosine=cosine,
    )


#: The units of deep nets before 2006.
PERIOD_ACTIVATIONS: tuple[str, ...] = ("sigmoid", "tanh")


def period_start(activations: Sequence[str] = PERIOD_ACTIVATIONS) -> PeriodStart:
    """w ~ U(-1/sqrt(n_in), 1/sqrt(n_in)): n Var(w) and the largest per-layer factor for each
    activation (see the module notes)."""
    require(len(activations) >= 1, "activations: give at least one")
    r_sq_n = Fraction(1)  # r = 1/sqrt(n_in): r^2 n_in = 1
    n_var = r_sq_n / 3  # Var(U(-r, r)) = r^2 / 3
    peaks = tuple(float(get_activation(a).df(np.zeros(1))[0]) for a in activations)
    return PeriodStart(n_var=n_var, lecun_n_var=Fraction(1), activations=tuple(str(a) for a in activations),
                       peak_slopes=peaks, bounds=tuple(math.sqrt(n_var) * p for p in peaks))


def what_came_after(net: NetSpec, *, eta: float = 0.1, sample: int = DEFAULT_SAMPLE) -> AfterResult:
    """Everything chapter 12 shows for one lesson's net ``net`` and learning rate ``eta``."""
    return AfterResult(residual_comparison(net, sample=sample), batch_norm_example(net), clipping(eta),
                       period_start())


@dataclass(frozen=True)
class ResidualNorms:
    """Per-layer ||dC/db_l|| of a net with skip connections (``norms``), over seeds."""

    norms: LayerNorms
    skip_layers: tuple[int, ...]


def residual_gradient_norms(
    net: NetSpec,
    *,
    cost: str = "cross-entropy",
    data: str | Dataset = "digits",
    n_samples: int = 1000,
    seeds: str | Sequence[int] | int | None = None,
) -> ResidualNorms:
    """Like :func:`netsim.experiments.nielsen.layer_gradient_norms`, for a net with skips: the
    net's own (``net.residual``), or, for a net without any, one on every hidden layer of equal
    widths. ||dC/db_l|| is the norm of the mean gradient over the first ``n_samples`` samples,
    one row per seed."""
    skipping = net if net.residual else net.with_(residual=True)
    result = layer_gradient_norms(skipping, cost=cost, data=data, n_samples=n_samples, seeds=seeds)
    return ResidualNorms(result, skipping.residual)
