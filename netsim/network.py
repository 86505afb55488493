"""A fully-connected network: forward pass keeping z and a, backward pass giving delta.

Notation (Nielsen's, and the storyboard's). Layers are numbered l = 1 .. L; a_0 = x.

    z_l = W_l a_{l-1} + b_l        a_l = sigma_l(z_l)
    delta_L = dC/da_L * sigma_L'(z_L)      (the cost's own output error, ``Cost.delta``)
    delta_l = (W_{l+1}^T delta_{l+1}) * sigma_l'(z_l)
    dC/db_l = delta_l              dC/dW_l = delta_l a_{l-1}^T

Residual (skip-connection) layers. A hidden layer l whose input and output widths are equal
(n_l = n_{l-1}) may add its input back to its output:

    a_l = a_{l-1} + sigma_l(z_l)          (z_l = W_l a_{l-1} + b_l as before)

so a_{l-1} reaches a_l along two paths, the identity and the layer. Back prop adds them:
with g_l = dC/da_l,

    delta_l = g_l * sigma_l'(z_l)
    g_{l-1} = W_l^T delta_l + g_l          if layer l has the skip connection
    g_{l-1} = W_l^T delta_l                otherwise

For one neuron per layer the factor that carries dC/da_l back to dC/da_{l-1} is therefore
1 + w_l sigma'(z_l) instead of w_l sigma'(z_l): a product of such factors need not shrink,
even where every w_l sigma'(z_l) is small. The output layer L never has a skip connection.

Shapes: a batch holds one sample per row, so a_l and z_l have shape (n_samples, n_l);
W_l has shape (n_l, n_{l-1}); b_l has shape (n_l,). Python lists are 0-based, so
``weights[l - 1]`` is W_l and ``activations[l]`` is a_l.

The cost of a batch is the mean of the per-sample costs; ``deltas`` are per sample
(dC_x/dz_l), and ``nabla_w``/``nabla_b`` are the gradients of the mean cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from netsim import fp
from netsim.activations import Activation, get_activation
from netsim.costs import Cost, get_cost
from netsim.errors import NetsimError, require
from netsim.init import init_biases, init_weights

Array = np.ndarray

#: Guards against requests that would run for hours or exhaust memory.
MAX_LAYERS = 10_000
MAX_WIDTH = 100_000
MAX_PARAMETERS = 20_000_000


def check_sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    """Validate a sizes list such as [64, 30, 30, 10]; return it as a tuple of ints."""
    sizes = tuple(sizes)
    require(len(sizes) >= 2, f"sizes {list(sizes)} need at least an input and an output layer")
    for n in sizes:
        ok = isinstance(n, (int, np.integer)) and not isinstance(n, bool)
        require(ok, f"layer size {n!r} must be a whole number")
        require(n >= 1, f"layer size {n} must be at least 1")
        require(n <= MAX_WIDTH, f"layer size {n} is above the limit of {MAX_WIDTH}")
    require(
        len(sizes) - 1 <= MAX_LAYERS,
        f"depth {len(sizes) - 1} is above the limit of {MAX_LAYERS} layers",
    )
    n_params = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    require(
        n_params <= MAX_PARAMETERS,
        f"a net of {n_params} parameters is above the limit of {MAX_PARAMETERS}",
    )
    return tuple(int(n) for n in sizes)


@dataclass(frozen=True)
class ForwardPass:
    """z_l for l = 1..L (``zs[l - 1]``) and a_l for l = 0..L (``activations[l]``)."""

    zs: list[Array]
    activations: list[Array]

    @property
    def output(self) -> Array:
        """a_L, shape (n_samples, n_L)."""
        return self.activations[-1]


@dataclass(frozen=True)
class Gradients:
    """The result of a backward pass over a batch.

    ``deltas[l - 1]``: delta_l = dC_x/dz_l per sample, shape (n_samples, n_l).
    ``nabla_w[l - 1]``: dC/dW_l of the mean cost, shape (n_l, n_{l-1}).
    ``nabla_b[l - 1]``: dC/db_l of the mean cost, shape (n_l,).
    ``cost``: the mean cost C of the batch. ``forward``: the pass it came from.
    """

    deltas: list[Array]
    nabla_w: list[Array]
    nabla_b: list[Array]
    cost: float
    forward: ForwardPass

    def bias_gradient_norms(self) -> Array:
        """||dC/db_l|| for l = 1..L: Nielsen's "speed of learning" of each layer."""
        return np.array([fp.norm(g) for g in self.nabla_b])

    def weight_gradient_norms(self) -> Array:
        """||dC/dW_l|| (Frobenius) for l = 1..L."""
        return np.array([fp.norm(g) for g in self.nabla_w])


def residual_layers(sizes: Sequence[int], residual: bool | Sequence[int] | None) -> tuple[int, ...]:
    """The layers l (1-based) that get a skip connection a_l = a_{l-1} + sigma(z_l).

    ``residual`` is False/None (none), True (every hidden layer with n_l = n_{l-1}) or the
    layer numbers themselves; a layer of unequal widths, the output layer or a number out of
    range raises :class:`NetsimError` with one line.
    """
    sizes = check_sizes(sizes)
    L = len(sizes) - 1
    if residual is None or residual is False:
        return ()
    if residual is True:
        layers = tuple(l for l in range(1, L) if sizes[l] == sizes[l - 1])
        require(bool(layers), f"no hidden layer of {list(sizes)} has equal input and output widths, "
                              "so none can have a skip connection")
        return layers
    if isinstance(residual, (str, bytes)) or not isinstance(residual, Sequence):
        raise NetsimError(f"residual {residual!r} must be True, False or a list of layer numbers")
    layers = []
    for l in residual:
        ok = isinstance(l, (int, np.integer)) and not isinstance(l, bool)
        require(ok, f"residual layer {l!r} must be a whole number")
        require(1 <= l <= L, f"residual layer {l} is out of range; allowed: 1 to {L - 1} (hidden layers)")
        require(l < L, f"layer {l} is the output layer; only hidden layers can have a skip connection")
        require(sizes[l] == sizes[l - 1],
                f"layer {l} maps {sizes[l - 1]} to {sizes[l]} neurons; a skip connection "
                f"a_l = a_(l-1) + sigma(z_l) needs equal widths")
        layers.append(int(l))
    return tuple(sorted(set(layers)))


@dataclass
class Network:
    """Weights, biases and one activation per layer of a fully-connected net.

    ``residual[l - 1]`` is True when layer l has a skip connection (see the module notes);
    left empty, no layer has one.
    """

    sizes: tuple[int, ...]
    weights: list[Array]
    biases: list[Array]
    activations: tuple[Activation, ...]
    description: dict[str, object] = field(default_factory=dict)
    residual: tuple[bool, ...] = ()

    def __post_init__(self) -> None:
        self.sizes = check_sizes(self.sizes)
        depth = len(self.sizes) - 1
        if not self.residual:
            self.residual = (False,) * depth
        self.residual = tuple(bool(r) for r in self.residual)
        require(len(self.residual) == depth, f"need {depth} residual flags, got {len(self.residual)}")
        residual_layers(self.sizes, [l for l, r in enumerate(self.residual, start=1) if r])
        require(len(self.weights) == depth, f"need {depth} weight matrices, got {len(self.weights)}")
        require(len(self.biases) == depth, f"need {depth} bias vectors, got {len(self.biases)}")
        require(len(self.activations) == depth, f"need {depth} activations")
        for l, (w, b) in enumerate(zip(self.weights, self.biases), start=1):
            shape = (self.sizes[l], self.sizes[l - 1])
            require(w.shape == shape, f"W_{l} has shape {w.shape}, expected {shape}")
            require(b.shape == (self.sizes[l],), f"b_{l} has shape {b.shape}, expected ({self.sizes[l]},)")
            require(bool(np.all(np.isfinite(w))), f"W_{l} holds a value that is not finite")
            require(bool(np.all(np.isfinite(b))), f"b_{l} holds a value that is not finite")

    @classmethod
    def create(
        cls,
        sizes: Sequence[int],
        activation: str | Activation = "sigmoid",
        *,
        output_activation: str | Activation | None = None,
        init: str = "nielsen",
        init_param: float | None = None,
        bias_init: str = "normal",
        seed: int = 0,
        weights: Sequence[Array] | None = None,
        biases: Sequence[Array] | None = None,
        residual: bool | Sequence[int] = False,
    ) -> Network:
        """Build a net; the same arguments and seed give bit-identical weights.

        ``activation`` is used in layers 1..L-1, ``output_activation`` (default: the same)
        in layer L. ``weights``/``biases``, when given, are used as they are (explicit
        initialisation) and the corresponding initialiser is not drawn. ``residual``: True
        gives every hidden layer with n_l = n_{l-1} a skip connection, a list of layer
        numbers gives exactly those (see :func:`residual_layers`); the weights drawn do not
        depend on it, so a net with and without skips starts from the same W_l and b_l.
        """
        sizes = check_sizes(sizes)
        skips = residual_layers(sizes, residual)
        hidden = get_activation(activation)
        out = hidden if output_activation is None else get_activation(output_activation)
        require(isinstance(seed, (int, np.integer)) and seed >= 0, f"seed {seed!r} must be an integer >= 0")
        rng = np.random.default_rng(int(seed))
        if weights is None:
            w_list = init_weights(rng, sizes, init, init_param)
        else:
            w_list = [np.array(w, dtype=float, ndmin=2) for w in weights]
        if biases is None:
            b_list = init_biases(rng, sizes, bias_init)
        else:
            b_list = [np.array(b, dtype=float, ndmin=1) for b in biases]
        acts = (hidden,) * (len(sizes) - 2) + (out,)
        description = {
            "sizes": list(sizes),
            "activation": hidden.name,
            "output_activation": out.name,
            "init": "explicit" if weights is not None else init,
            "init_param": init_param,
            "bias_init": "explicit" if biases is not None else bias_init,
            "seed": int(seed),
        }
        if skips:
            description["residual"] = list(skips)
        flags = tuple(l in skips for l in range(1, len(sizes)))
        return cls(sizes, w_list, b_list, acts, description, flags)

    @property
    def depth(self) -> int:
        """L, the number of layers with weights (the input layer is not counted)."""
        return len(self.sizes) - 1

    def forward(self, x: Array) -> ForwardPass:
        """Run x (shape (n_samples, n_0), or (n_0,) for one sample) through the net."""
        a = _as_batch(np.asarray(x, dtype=float), self.sizes[0], "input")
        zs: list[Array] = []
        acts: list[Array] = [a]
        for w, b, act, skip in zip(self.weights, self.biases, self.activations, self.residual):
            z = fp.matmul(a, w.T)  # W_l a_{l-1}, one sample per row (the same bits on every CPU)
            z += b  # + b_l, in place: the same sum as z + b without a second array
            a = a + act.f(z) if skip else act.f(z)
            zs.append(z)
            acts.append(a)
        return ForwardPass(zs, acts)

    def cost(self, x: Array, y: Array, cost: str | Cost = "cross-entropy") -> float:
        """The mean cost C over the batch."""
        c = get_cost(cost)
        out = self.forward(x).output
        return float(np.mean(c.value(out, _as_batch(np.asarray(y, float), self.sizes[-1], "target"))))

    def backward(self, x: Array, y: Array, cost: str | Cost = "cross-entropy") -> Gradients:
        """Forward then backward pass; returns delta, dC/dW and dC/db of every layer, and C."""
        c = get_cost(cost)
        c.check_output(self.activations[-1])
        x = _as_batch(np.asarray(x, dtype=float), self.sizes[0], "input")
        y = _as_batch(np.asarray(y, dtype=float), self.sizes[-1], "target")
        require(y.shape[0] == x.shape[0], "inputs and targets need the same number of rows")
        fwd, deltas, nabla_w, nabla_b = self.backprop(x, y, c)
        mean_cost = float(np.mean(c.value(fwd.output, y)))
        return Gradients(deltas, nabla_w, nabla_b, mean_cost, fwd)

    def backprop(self, x: Array, y: Array, cost: Cost) -> tuple[ForwardPass, list[Array], list[Array], list[Array]]:
        """The pass itself: (forward pass, [delta_l], [dC/dW_l], [dC/db_l]) of the mean cost.

        No checks and no cost value: this is the inner step of a training loop that checked
        its data and its cost once (:func:`netsim.train.sgd`); :meth:`backward` is the
        checked call. ``x`` and ``y`` are float arrays of shape (n, n_0) and (n, n_L).
        """
        fwd = self.forward(x)
        a_out, z_out = fwd.output, fwd.zs[-1]
        delta = cost.delta(z_out, a_out, y, self.activations[-1])  # delta_L: each cost carries its own
        n = a_out.shape[0]
        deltas: list[Array] = [delta]
        g = None  # g_{l+1} = dC/da_{l+1}, kept only where layer l+1 has a skip connection
        for l in range(self.depth - 1, 0, -1):  # l is the 1-based layer whose delta we compute
            act, z_l = self.activations[l - 1], fwd.zs[l - 1]
            # a_l = sigma(z_l) unless layer l has a skip (then a_l = a_{l-1} + sigma(z_l)).
            sigma_prime = act.df(z_l) if self.residual[l - 1] else act.df_from(z_l, fwd.activations[l])
            g_l = fp.matmul(delta, self.weights[l])  # W_{l+1}^T delta_{l+1}, a new array
            if self.residual[l]:  # layer l+1 skips: the identity path adds dC/da_{l+1}
                g_l += g
            if self.residual[l - 1]:  # g_l is needed again for g_{l-1}: keep it
                delta = g_l * sigma_prime
            else:  # g_l is not needed again: delta_l overwrites it (same bits, no new array)
                delta = np.multiply(g_l, sigma_prime, out=g_l)
            g = g_l
            deltas.append(delta)
        deltas.reverse()
        # Means over the n samples. d.sum(axis=0) / n is exactly what d.mean(axis=0) computes,
        # without its Python-level bookkeeping; the products delta^T a are divided in place.
        nabla_b = [d.sum(axis=0) / n for d in deltas]
        nabla_w = [_divide_in_place(fp.matmul(d.T, a_prev), n) for d, a_prev in zip(deltas, fwd.activations[:-1])]
        return fwd, deltas, nabla_w, nabla_b

    def copy(self) -> Network:
        """A deep copy (training changes weights and biases in place)."""
        return Network(
            self.sizes,
            [w.copy() for w in self.weights],
            [b.copy() for b in self.biases],
            self.activations,
            dict(self.description),
            self.residual,
        )

    @property
    def skip_layers(self) -> tuple[int, ...]:
        """The layers l (1-based) with a skip connection a_l = a_{l-1} + sigma(z_l)."""
        return tuple(l for l, r in enumerate(self.residual, start=1) if r)


def _divide_in_place(m: Array, n: int) -> Array:
    """m / n written into m (a fresh product here), sparing one more array per layer."""
    m /= n
    return m


def _as_batch(x: Array, width: int, what: str) -> Array:
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2 or x.shape[1] != width:
        raise NetsimError(f"{what} has shape {x.shape}; expected rows of {width} values")
    return x
