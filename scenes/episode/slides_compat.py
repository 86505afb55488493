"""Make manim-slides 5.7 work on manim 0.22: import this before ``manim_slides`` is used.

manim-slides 5.7's ``Slide`` (``manim_slides/slide/manim.py``) touches three config options
that manim 0.22 changed, and stops with an AttributeError or a ValueError on each:

``write_to_movie``
    Gone from manim 0.22: what a render writes is now ``config.format`` (``auto`` picks MP4,
    or MOV when transparent; ``none`` writes nothing, as ``dry_run`` does). ``Slide.__init__``
    sets it to True to make sure the animations are written as video. Bridged: reading it
    says whether the render will write video; setting it True keeps a video format (and
    picks ``auto`` when none or a still was asked for, unless this is a dry run), setting it
    False sets ``format = none``.
``max_files_cached``
    No longer takes ``float("inf")``: -1 means unlimited. ``Slide.render`` sets infinity so
    that no partial movie file (each is one animation, and a slide is made of them) is
    deleted before it has been concatenated into its slide. Bridged: infinity is written as
    -1. And because manim 0.22 reads the limit when the scene is *created* (it is frozen in
    the file writer's settings) and prunes the cache at the end of ``Scene.render`` --
    before manim-slides saves its slides -- ``Slide.__init__`` is wrapped so the scene is
    created with the limit at -1 (the previous value is put back straight after).
``flush_cache``
    Gone from manim 0.22 (there is no ``--flush_cache`` any more; the cache is pruned by
    ``max_files_cached``), and so is ``SceneFileWriter.flush_cache_directory``, which
    ``Slide.render`` calls when it is true. Bridged: it reads False; setting it False is
    accepted, setting it True is an error that says why.

The bridge is a proxy put in place of the ``config`` name that ``manim_slides.slide.manim``
imported from manim: it translates those three keys and hands every other one to manim's
``config`` unchanged. manim's own ``config`` object and class are not modified. It is
idempotent (:func:`install` can be called any number of times) and does nothing for a
manim-slides release whose ``Slide`` no longer uses these names.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import manim

#: The three names bridged, for the record and for the test.
BRIDGED = ("write_to_movie", "max_files_cached", "flush_cache")

_STILL_OR_NONE = ("none", "png", "png-sequence")


def _format() -> str:
    return str(manim.config.format or "auto")


class BridgedConfig:
    """manim's ``config`` as manim-slides 5.7 expects it (see the module's docstring)."""

    def __getitem__(self, key: str) -> Any:
        if key == "write_to_movie":
            return not manim.config.dry_run and _format() not in _STILL_OR_NONE
        if key == "flush_cache":
            return False
        return manim.config[key]

    def __setitem__(self, key: str, value: Any) -> None:
        if key == "write_to_movie":
            if not value:
                manim.config.format = "none"
            elif not manim.config.dry_run and _format() in _STILL_OR_NONE:
                manim.config.format = "auto"
            return
        if key == "flush_cache":
            if value:
                raise ValueError("flush_cache does not exist in manim 0.22 (its cache is pruned by "
                                 "max_files_cached); manim-slides cannot flush manim's cache here")
            return
        if key == "max_files_cached" and isinstance(value, float) and math.isinf(value) and value > 0:
            value = -1
        manim.config[key] = value

    def __getattr__(self, name: str) -> Any:
        if name in BRIDGED:
            return self[name]
        return getattr(manim.config, name)

    def __contains__(self, key: object) -> bool:
        return key in BRIDGED or key in manim.config


def _unlimited_cache_while_created(init: Any) -> Any:
    """Wrap ``Slide.__init__`` so the scene's file writer never prunes a partial movie file."""

    @functools.wraps(init)
    def bridged_init(self: Any, *args: Any, **kwargs: Any) -> None:
        keep = manim.config.max_files_cached
        manim.config.max_files_cached = -1
        try:
            init(self, *args, **kwargs)
        finally:
            manim.config.max_files_cached = keep

    bridged_init._vg_bridged = True  # type: ignore[attr-defined]
    return bridged_init


def install() -> None:
    """Put the bridge in place (once) in ``manim_slides.slide.manim``."""
    from manim_slides.slide import manim as slide_module

    if not isinstance(slide_module.config, BridgedConfig):
        slide_module.config = BridgedConfig()
    init = slide_module.Slide.__init__
    if not getattr(init, "_vg_bridged", False):
        slide_module.Slide.__init__ = _unlimited_cache_while_created(init)


install()
