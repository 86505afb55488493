"""Manim scenes of the vanishing-gradient explainer; every number comes from netsim."""
