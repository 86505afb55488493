"""netsim: a small NumPy simulator of deep fully-connected nets whose every number can be
checked: forward and backward passes, the chain view, training records, the linear net of
the exploding/vanishing lecture, and Nielsen's ch. 5 experiment.

Notation follows Nielsen's book: z_l = W_l a_{l-1} + b_l, a_l = sigma(z_l),
delta_l = dC/dz_l.
"""

from netsim.activations import ACTIVATIONS, Activation, get_activation
from netsim.chain import ChainResult, chain_factors, chain_network
from netsim.costs import COSTS, get_cost
from netsim.errors import NetsimError
from netsim.linear import LinearNetResult, linear_net
from netsim.network import ForwardPass, Gradients, Network
from netsim.train import TrainingRun, sgd

__all__ = [
    "ACTIVATIONS",
    "COSTS",
    "Activation",
    "ChainResult",
    "ForwardPass",
    "Gradients",
    "LinearNetResult",
    "NetsimError",
    "Network",
    "TrainingRun",
    "chain_factors",
    "chain_network",
    "get_activation",
    "get_cost",
    "linear_net",
    "sgd",
]
