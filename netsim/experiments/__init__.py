"""Named experiments: each returns a frozen result dataclass holding the numbers one chapter
shows, and is named after that chapter.

- :mod:`netsim.experiments.opening`: the cold open's preview of a deep net's fading gradients.
- :mod:`netsim.experiments.cost`: one digit's cost, one nudged weight, and its gradient.
- :mod:`netsim.experiments.neuron`: one neuron, z = w a + b, the sigmoid and its slope.
- :mod:`netsim.experiments.rock`: two slices of one cost (a layer-1 and a last-layer weight) and a
  descent rock on each.
- :mod:`netsim.experiments.depth`: first-layer filters of a trained net, and per-layer weight change.
- :mod:`netsim.experiments.backprop`: a chain of sigmoid neurons forward and back: δ_l, and ∂C/∂b_1 as a
  product of one factor w σ'(z) per layer; the bound |w σ'(z)| <= |w|/4.
- :mod:`netsim.experiments.rectangle`: the shrinking rectangle's exact areas (chapter 6 and the short).
- :mod:`netsim.experiments.fading`: one digit's forward and backward pass through a deep net.
- :mod:`netsim.experiments.training`: a deep and a shallow net trained side by side.
- :mod:`netsim.experiments.exploding`: the deep linear net W = a I, in float64 and float32.
- :mod:`netsim.experiments.wayout`: the fan-in argument, and one change at a time on the deep net.
- :mod:`netsim.experiments.trains`: the fixed deep nets trained under chapter 8's set-up.
- :mod:`netsim.experiments.after`: residual connections, batch normalisation and gradient clipping.
- :mod:`netsim.experiments.nielsen`: Nielsen's ch. 5 per-layer gradient norms on digits.
"""
