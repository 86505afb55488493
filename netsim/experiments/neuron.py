"""Chapter 3: one neuron, an activation function g, the sigmoid σ and its slope σ'.

One neuron with one input (Nielsen's notation, one neuron per layer):

    z = w a + b          output g(z); here g = σ, the sigmoid: σ(z) = 1 / (1 + e^(−z))

``a`` comes from the previous layer. The neuron is neuron ``layer`` of a one-neuron-per-layer
sigmoid chain ``[1] * (layer + 1)`` (:func:`netsim.experiments.shared.chain_net`) drawn from
the lesson's seed, ``nielsen`` weights (N(0, 1)/√n_in = N(0, 1) for n_in = 1) and ``normal``
biases (N(0, 1)); the chain reads x = a_0 and its forward pass gives the neuron's input
a_(layer − 1). The chain is always sigmoid, whatever the lesson's activation: this chapter
is about the sigmoid, the classic case.

The chapter writes w, a and b with :data:`DECIMALS` decimals, and its arithmetic is exact:
the three are rounded to those decimals FIRST, and z = w a + b is computed from the rounded
values, exactly (in units of 10^(−2·DECIMALS)), so z has at most 2·DECIMALS decimals and
``fmt_value(z, Z_DIGITS)`` writes all of them. σ(z) and σ'(z) are then computed from that z,
and rounded once, when they are written.

The slope (from :mod:`netsim.activations`):

    σ'(z) = σ(z) (1 − σ(z)) = p (1 − p),   p = σ(z)
          = ¼ − (p − ½)² ≤ ¼,

largest at p = ½, i.e. z = 0, where it is exactly ¼. Saturation: for large |z| the curve is
flat and σ' is near 0 (at z = 5, σ'(5) = e^(−5)/(1 + e^(−5))²).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from netsim.activations import sigmoid, sigmoid_prime
from netsim.errors import require
from netsim.experiments.shared import chain_net
from netsim.spec import DEFAULT_NET, NetSpec, OfNet

#: The neuron is the fifth of the chain: its input comes from a neuron, and its weight is negative.
DEFAULT_LAYER = 5
#: Decimals of the neuron's w, a and b, as the chapter shows them (and computes with).
DECIMALS = 2
#: Significant figures that write z = w a + b exactly (at most 2·DECIMALS decimals, |z| < 10^4).
Z_DIGITS = 2 * DECIMALS + 1
#: The z where the chapter shows saturation.
DEFAULT_SATURATED_Z = 5.0
MAX_SAMPLES = 10_001
MAX_LAYER = 50


@dataclass(frozen=True)
class NeuronResult(OfNet):
    """Everything chapter 3 shows.

    ``net``: the chain's spec, [1] * (``layer`` + 1) drawn from the lesson's seed; its last
    neuron is the one shown. The neuron: input ``a`` (a_(layer−1) of the chain fed with ``x``), weight ``w`` and bias
    ``b``, each rounded to :data:`DECIMALS` decimals (``a_drawn``, ``w_drawn``, ``b_drawn``:
    the values before rounding); ``z`` = w a + b of the rounded values, exact to its
    2·DECIMALS decimals; output ``a_out`` = σ(z), slope ``slope`` = σ'(z).
    Curves: ``zs`` samples [-z_max, z_max] (z = 0 among them), ``sigma`` and ``sigma_prime``
    the sigmoid and its slope there. Peak: sigma'(``peak_z`` = 0) = ``peak`` (float)
    = ``peak_fraction`` (exact, 1/4), where p = sigma(0) = ``peak_p`` (1/2); ``peak_is_max``
    says no sample of the curve is higher. Saturation: at ``saturated_z`` the sigmoid is
    ``saturated_sigma`` and its slope ``saturated_slope``.
    """

    net: NetSpec
    x: float
    a: float
    w: float
    b: float
    a_drawn: float
    w_drawn: float
    b_drawn: float
    z: float
    a_out: float
    slope: float
    zs: tuple[float, ...]
    sigma: tuple[float, ...]
    sigma_prime: tuple[float, ...]
    peak_z: float
    peak: float
    peak_fraction: Fraction
    peak_p: float
    peak_is_max: bool
    saturated_z: float
    saturated_sigma: float
    saturated_slope: float

    @property
    def layer(self) -> int:
        """The neuron's layer in the chain (its last)."""
        return self.net.depth


def _finite(value: object, name: str) -> float:
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    require(ok and math.isfinite(float(value)), f"{name} = {value!r} must be a finite number")  # type: ignore[arg-type]
    return float(value)  # type: ignore[arg-type]


def _rounded_neuron(a: float, w: float, b: float) -> tuple[float, float, float, float]:
    """(a, w, b, z): a, w and b rounded to DECIMALS decimals, and z = w a + b computed exactly
    from the rounded values (integers of 10^(−DECIMALS), then one division)."""
    unit = 10**DECIMALS
    ia, iw, ib = (round(v * unit) for v in (a, w, b))
    z_units = iw * ia + ib * unit  # z in units of 10^(-2 DECIMALS), exactly
    return ia / unit, iw / unit, ib / unit, z_units / unit**2


def one_neuron(
    net: NetSpec = DEFAULT_NET,
    *,
    layer: int = DEFAULT_LAYER,
    x: float = 1.0,
    z_max: float = 6.0,
    samples: int = 121,
    saturated_z: float = DEFAULT_SATURATED_Z,
) -> NeuronResult:
    """Compute chapter 3: one real neuron's z = w a + b and sigma(z), and the curves sigma, sigma'.

    The lesson's net ``net`` gives the seed that draws the chain's weights and biases (the
    chain is always sigmoid); ``layer`` picks its neuron (1 reads x itself); ``x`` = a_0. Bad
    input raises :class:`netsim.errors.NetsimError`.
    """
    require(isinstance(layer, (int, np.integer)) and not isinstance(layer, bool),
            f"layer {layer!r} must be a whole number")
    require(1 <= layer <= MAX_LAYER, f"layer = {layer} is out of range; allowed: 1 to {MAX_LAYER}")
    x = _finite(x, "x")
    z_max = _finite(z_max, "z_max")
    saturated_z = _finite(saturated_z, "saturated_z")
    require(z_max > 0, f"z_max = {z_max} must be > 0")
    require(0 < abs(saturated_z) <= z_max, f"saturated_z = {saturated_z} must be non-zero and within z_max = {z_max}")
    require(isinstance(samples, int) and not isinstance(samples, bool) and samples % 2 == 1
            and 3 <= samples <= MAX_SAMPLES,
            f"samples = {samples!r} must be an odd whole number from 3 to {MAX_SAMPLES} (so z = 0 is one)")

    chain = chain_net(net, int(layer))
    drawn = chain.build()
    fp = drawn.forward(np.array([[x]], dtype=float))
    a_drawn = float(fp.activations[layer - 1][0, 0])
    w_drawn = float(drawn.weights[layer - 1][0, 0])
    b_drawn = float(drawn.biases[layer - 1][0])
    a, w, b, z = _rounded_neuron(a_drawn, w_drawn, b_drawn)
    zs = np.linspace(-z_max, z_max, samples)
    zs[samples // 2] = 0.0
    sp = sigmoid_prime(zs)
    peak = float(sigmoid_prime(np.array(0.0)))
    return NeuronResult(
        net=chain,
        x=x,
        a=a,
        w=w,
        b=b,
        a_drawn=a_drawn,
        w_drawn=w_drawn,
        b_drawn=b_drawn,
        z=z,
        a_out=float(sigmoid(np.array(z))),
        slope=float(sigmoid_prime(np.array(z))),
        zs=tuple(float(v) for v in zs),
        sigma=tuple(float(v) for v in sigmoid(zs)),
        sigma_prime=tuple(float(v) for v in sp),
        peak_z=0.0,
        peak=peak,
        peak_fraction=Fraction(peak),
        peak_p=float(sigmoid(np.array(0.0))),
        peak_is_max=bool(np.all(sp <= peak)),
        saturated_z=saturated_z,
        saturated_sigma=float(sigmoid(np.array(saturated_z))),
        saturated_slope=float(sigmoid_prime(np.array(saturated_z))),
    )
