"""The episode pipeline: render the chapters, join them, and make the extras around them.

Each chapter is rendered by a ``manim`` process of its own. The pipeline's own process draws
nothing, though it needs manim installed too (it reads the lesson theme's colours and the
fonts from :mod:`scenes.engine.style`, which imports manim): :mod:`~scenes.episode.render` schedules
and joins, :mod:`~scenes.episode.media` reads and writes video and captions with PyAV,
:mod:`~scenes.episode.gallery` writes the gallery page, and :mod:`~scenes.episode.bench`
measures render speed. ``python -m scenes.render`` is its entry.
"""
