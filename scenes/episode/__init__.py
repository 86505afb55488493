"""The episode pipeline: render the chapters, join them, and make the extras around them.

It needs no manim of its own (each chapter is rendered by a ``manim`` process):
:mod:`~scenes.episode.render` schedules and joins, :mod:`~scenes.episode.media` reads and writes
video and captions with PyAV, :mod:`~scenes.episode.gallery` writes the gallery page, and
:mod:`~scenes.episode.bench` measures render speed. ``python -m scenes.render`` is its entry.
"""
