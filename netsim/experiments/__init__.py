"""Named experiments: each returns a result dataclass holding the numbers one chapter shows.

- :mod:`netsim.experiments.cost`: one digit's cost, one nudged weight, and its gradient.
- :mod:`netsim.experiments.nielsen`: Nielsen's ch. 5 per-layer gradient norms on digits.
- :mod:`netsim.experiments.slope`: a real slice C(w) of a net's cost and its descent iterates.
- :mod:`netsim.experiments.factors`: the shrinking product of per-layer factors.
- :mod:`netsim.experiments.backprop`: the factors of dC/db_1 in a one-neuron chain, in back-prop order.
- :mod:`netsim.experiments.fading`: one digit's forward and backward pass through a deep net.
- :mod:`netsim.experiments.training`: a deep and a shallow net trained side by side.
- :mod:`netsim.experiments.exploding`: the deep linear net W = a I for a = 1.5, 0.9, 0.5.
- :mod:`netsim.experiments.depth`: first-layer filters of a trained net, and per-layer weight change.
- :mod:`netsim.experiments.wayout`: the same deep net with sigmoid, tanh + Xavier and ReLU + He.
"""
