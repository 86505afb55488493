"""The engine the chapters share: everything a scene file imports from this project.

The chapters (``scenes/<chapter>.py``, run as ``manim scenes/<chapter>.py <Scene>``) and the
vertical short import only this package and netsim; this package never imports a chapter, the
short or the episode pipeline (:mod:`scenes.episode`), which renders the chapters through it.

- the look: :mod:`~scenes.engine.style` (themes, fonts, number formats, log axes),
  :mod:`~scenes.engine.netdiagram` (the drawn net), :mod:`~scenes.engine.drawn` (which of
  its neurons a chapter draws, and netsim's numbers sliced for them),
  :mod:`~scenes.engine.plots` (pieces of the charts several chapters draw), :mod:`~scenes.engine.common` (the beat API,
  :class:`~scenes.engine.common.LessonScene`, every chapter's base);
- words: :mod:`~scenes.engine.captions` (cues and their timing), :mod:`~scenes.engine.i18n`
  (templates and their translations), :mod:`~scenes.engine.voice` (narration),
  :mod:`~scenes.engine.burn` (captions burned into a clip);
- the lesson and the story: :mod:`~scenes.engine.lesson` (a lesson file, its net),
  :mod:`~scenes.engine.chapters` (the chapters in story order);
- rendering: :mod:`~scenes.engine.unit` (the one unit renderer: manim in a process of its
  own), :mod:`~scenes.engine.profiling` (where a render's time goes),
  :mod:`~scenes.engine.atomic` (writing a file all at once).
"""
