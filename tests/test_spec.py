"""NetSpec: a net as one value. It checks itself with one-line errors, builds the same bits as
Network.create, and is a cache key (equal specs hash equal)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from netsim.errors import NetsimError
from netsim.network import Network
from netsim.spec import DEFAULT_NET, NetSpec, Setting

pytestmark = pytest.mark.netsim  # netsim's own tests: pytest -m netsim runs them alone


def _same_bits(a: Network, b: Network) -> bool:
    return all(x.tobytes() == y.tobytes() for x, y in zip(a.weights + a.biases, b.weights + b.biases))


@pytest.mark.parametrize("fields", [
    {},
    {"activation": "relu", "init": "he", "bias_init": "zeros", "seed": 7},
    {"activation": "tanh", "output_activation": "tanh", "init": "normal", "init_param": 0.5, "seed": 3},
    {"activation": "linear", "init": "identity", "init_param": 1.5, "bias_init": "zeros"},
])
def test_build_is_network_create(fields: dict[str, object]) -> None:
    """z_l = W_l a_{l-1} + b_l with the same W_l and b_l, bit for bit, as the loose arguments gave."""
    sizes = (64, 30, 30, 10)
    spec = NetSpec(sizes, **fields)
    loose = Network.create(sizes, spec.activation, output_activation=spec.output_activation, init=spec.init,
                           init_param=spec.init_param, bias_init=spec.bias_init, seed=spec.seed)
    built = spec.build()
    assert _same_bits(built, loose) and built.description == loose.description
    assert [a.name for a in built.activations] == [spec.activation] * 2 + [spec.output_activation]


def test_fields_are_normalised_and_the_spec_is_a_cache_key() -> None:
    spec = NetSpec([64, 30, 30, 10], seed=np.int64(3), init="normal", init_param=1)
    assert spec.sizes == (64, 30, 30, 10) and type(spec.seed) is int and spec.init_param == 1.0
    assert spec == NetSpec((64, 30, 30, 10), seed=3, init="normal", init_param=1.0)
    assert hash(spec) == hash(NetSpec((64, 30, 30, 10), seed=3, init="normal", init_param=1.0))
    assert len({DEFAULT_NET, NetSpec((64, 30, 30, 30, 30, 10)), DEFAULT_NET.with_(seed=1)}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.seed = 4  # type: ignore[misc]
    with pytest.raises(TypeError):
        NetSpec((64, 30, 10), "relu")  # type: ignore[misc]  # every field but the sizes is keyword-only


def test_helpers() -> None:
    assert DEFAULT_NET.sizes == (64, 30, 30, 30, 30, 10) and DEFAULT_NET.depth == 5
    assert DEFAULT_NET.hidden_sizes == (30, 30, 30, 30)
    assert (DEFAULT_NET.activation, DEFAULT_NET.output_activation, DEFAULT_NET.init, DEFAULT_NET.bias_init,
            DEFAULT_NET.seed) == ("sigmoid", "sigmoid", "nielsen", "normal", 0)
    relu = DEFAULT_NET.with_(activation="relu", init="he", bias_init="zeros")
    assert relu.sizes == DEFAULT_NET.sizes and relu.activation == "relu" and DEFAULT_NET.activation == "sigmoid"
    assert relu.shallow() == NetSpec((64, 30, 10), activation="relu", init="he", bias_init="zeros")
    with pytest.raises(NetsimError, match=r"sizes \[64, 10\] have no hidden layer to keep"):
        NetSpec((64, 10)).shallow()


def test_a_setting_changes_the_activation_and_the_start() -> None:
    """Chapters 10 and 11 change one net one setting at a time; sizes and seed stay the net's."""
    net = DEFAULT_NET.with_(seed=5)
    tanh = Setting("tanh", "tanh", "xavier-normal", "zeros").of(net)
    assert tanh == net.with_(activation="tanh", init="xavier-normal", bias_init="zeros")
    shallow = Setting("shallow", "sigmoid", "nielsen", "normal", deep=False).of(net)
    assert shallow.sizes == (64, 30, 10) and shallow.seed == 5


def test_skip_connections_are_kept_as_layer_numbers() -> None:
    """a_l = a_{l-1} + g(z_l) on hidden layers of equal widths: True names them all."""
    assert NetSpec((64, 30, 30, 30, 10), residual=True).residual == (2, 3)
    assert NetSpec((64, 30, 30, 30, 10), residual=[3, 2, 3]).residual == (2, 3)
    assert NetSpec((64, 30, 30, 30, 10), residual=False).residual == ()
    skip = NetSpec((5, 4, 4, 3), seed=2, residual=True)
    net = skip.build()
    assert net.skip_layers == (2,) and _same_bits(net, Network.create([5, 4, 4, 3], seed=2, residual=True))
    assert skip.with_(residual=()).build().skip_layers == ()


@pytest.mark.parametrize(("fields", "message"), [
    ({"sizes": (64,)}, "need at least an input and an output layer"),
    ({"sizes": (64, 0, 10)}, "layer size 0 must be at least 1"),
    ({"sizes": (64, 2.5, 10)}, "layer size 2.5 must be a whole number"),
    ({"activation": "swish"}, "activation 'swish' is unknown; allowed: sigmoid, tanh, relu, linear"),
    ({"output_activation": "softmax"}, "output_activation 'softmax' is unknown"),
    ({"init": "lecun"}, "init 'lecun' is unknown; allowed: normal, nielsen"),
    ({"init": "normal", "init_param": -1.0}, "weight std -1.0 must be >= 0"),
    ({"init_param": float("nan")}, "init parameter nan must be a finite number"),
    ({"init_param": "1"}, "init parameter '1' must be a finite number"),
    ({"bias_init": "ones"}, "bias_init 'ones' is unknown; allowed: zeros, normal"),
    ({"seed": -1}, "seed -1 must be an integer >= 0"),
    ({"seed": 1.5}, "seed 1.5 must be an integer >= 0"),
    ({"seed": True}, "seed True must be an integer >= 0"),
    ({"sizes": (64, 30, 20, 10), "residual": True}, "no hidden layer of \\[64, 30, 20, 10\\] has equal"),
    ({"residual": [5]}, "layer 5 is the output layer"),
])
def test_bad_values_raise_one_line(fields: dict[str, object], message: str) -> None:
    fields = dict(fields)
    sizes = fields.pop("sizes", (64, 30, 30, 30, 30, 10))
    with pytest.raises(NetsimError, match=message) as info:
        NetSpec(sizes, **fields)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)
    with pytest.raises(NetsimError, match=message):  # with_ checks again
        DEFAULT_NET.with_(sizes=sizes, **fields)
