"""Class slides: the lesson as a deck a teacher advances beat by beat (manim-slides).

Every chapter is rendered as a manim-slides ``Slide`` without a line of per-slide code: at
render time a class is made that inherits from the chapter's scene class and from
``manim_slides.Slide`` (in that order, so the chapter's and ``LessonScene``'s methods come
first; both end in manim's ``Scene``) and overrides ``LessonScene.beat_boundary`` -- which the
beat engine calls after every captioned beat -- with ``next_slide()``. So each beat is one
slide: it plays its animations and holds on its last frame until the teacher moves on.
The beat's caption (in the lesson's language) is the slide's speaker note. A chapter's
closing fade to the background is left out, so its last slide holds on its key picture.

Outputs, under the lesson's media folder (``media/`` or ``media/<lesson>/``, or ``--out``):

- ``slides/lesson.html`` with ``slides/lesson_assets/`` (one video per slide) and
  ``slides/revealjs/`` (reveal.js, shipped with this project in ``scenes/episode/revealjs``):
  a reveal.js deck that works opened from disk with no network (manim-slides' HTML loads
  reveal.js from a CDN; here the deck points at the local copy). Arrow keys or space move
  on, ``S`` opens the speaker view with the notes.
- ``slides/lesson.pptx``: the same slides for PowerPoint, each a video that plays on entry,
  with the caption in the slide's notes.

manim-slides 5.7 needs a small bridge to run on manim 0.22: :mod:`scenes.episode.slides_compat`.

    python -m scenes.episode.slides [--lesson FILE] [--chapters a,b] [--preview] [--out DIR] [--jobs N]

Each chapter renders in a process of its own (chapter modules read their lesson when they
are imported), started by the project's one unit renderer (:func:`scenes.engine.unit.render_unit`,
which runs this module's hidden ``--render-scene``); a re-run reuses a chapter whose
fingerprint (the episode command's, plus this module's and manim-slides' version) has not
changed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib
import importlib.metadata
import io
import json
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

from scenes.engine.atomic import atomic_path, write_atomically
from scenes.engine.chapters import CHAPTERS, Chapter, by_slug
from scenes.engine.i18n import Words
from scenes.engine.lesson import Lesson, LessonError, load_lesson
from scenes.engine.unit import Output, Quality, Unit, render_unit
from scenes.episode.builds import MEDIA, chapter_key, output_dir

#: reveal.js as shipped with the deck: the files manim-slides' template loads, from the npm
#: package reveal.js@REVEAL_VERSION (the version manim-slides 5.7 asks for), and its LICENSE.
REVEALJS_DIR = Path(__file__).resolve().parent / "revealjs"
REVEAL_VERSION = "6.0.1"
#: A dark reveal.js theme with no web fonts (``black`` embeds 0.5 MB of them; most others
#: import Google Fonts, which would be a network request).
REVEAL_THEME = "dracula"
DECK = "lesson"
#: manim's quality flags and the config value each stands for.
QUALITIES = {"-ql": "low_quality", "-qm": "medium_quality", "-qh": "high_quality",
             "-qp": "production_quality", "-qk": "fourk_quality"}
_URL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


class SlidesError(Exception):
    """A bad argument or an output folder that cannot be written, in one line (exit 2)."""


class ChapterFailedError(SlidesError):
    """A chapter's render failed: named with the path of its log (exit 1)."""


# -- the slide class, made at render time ----------------------------------------------


def slide_class(scene_cls: type) -> type:
    """``scene_cls`` (a chapter's LessonScene) as a manim-slides Slide: one slide per beat.

    The class keeps the chapter's name, so its heading still finds the chapter's number and
    manim-slides names its files after the chapter's scene.
    """
    from manim import ManimColor
    from manim_slides import Slide

    from scenes.episode import slides_compat  # noqa: F401  (manim-slides 5.7 on manim 0.22)

    def beat_boundary(self: Any) -> None:
        # the slide that ends here is this beat's: its caption is the speaker's note
        self._base_slide_config.notes = self.translated_captions[-1]
        self.next_slide()

    def end_chapter(self: Any, caption: Words | None = None, run_time: float = 0.8) -> None:
        if caption:  # the closing line is a beat (a slide) of its own; no fade-out after it
            with self.beat(caption):
                pass

    def _add_last_slide(self: Any) -> None:
        # animations after the last beat (if a chapter has any) join its slide: one slide per beat
        if self._slides and self._current_animation > self._slides[-1].end_animation:
            self._slides[-1].end_animation = self._current_animation
        elif not self._slides:
            Slide._add_last_slide(self)

    def _background_color(self: Any) -> str:
        # LessonScene sets the camera's background as a hex string; manim-slides expects a colour
        return ManimColor(self.renderer.camera.background_color).to_hex()

    namespace = {
        "__module__": scene_cls.__module__,
        "_background_color": property(_background_color),
        "__doc__": f"{scene_cls.__name__} as class slides: one slide per beat.",
        "beat_boundary": beat_boundary,
        "end_chapter": end_chapter,
        "_add_last_slide": _add_last_slide,
        "skip_reversing": True,  # reversed videos only serve manim-slides' own Qt player
    }
    return type(scene_cls.__name__, (scene_cls, Slide), namespace)


def _render_here(target: str, quality_flag: str, work: Path) -> int:
    """In the child :func:`scenes.engine.unit.render_unit` starts (the lesson in ``VG_LESSON``):
    render the scene ``target`` (``module:Class``, a chapter's) as slides into ``work``."""
    from manim import config

    module_name, _, scene_name = target.partition(":")
    config.quality = QUALITIES[quality_flag]
    config.media_dir = str(work / "media")
    config.progress_bar = "none"
    config.verbosity = "WARNING"
    module = importlib.import_module(module_name)
    scene = slide_class(getattr(module, scene_name))(output_folder=work / "slides")
    scene.render()
    slides = json.loads((work / "slides" / f"{scene_name}.json").read_text())["slides"]
    (work / "beats.json").write_text(json.dumps({"beats": len(scene.captions), "slides": len(slides)}))
    return 0


# -- rendering the chapters ----------------------------------------------------------


def _digest_files(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _quality(flag: str) -> Quality:
    """A manim quality flag as a unit's quality (slides keep their builds by flag)."""
    return Quality(flag, flag, flag)


def chapter_fingerprint(chapter: Chapter, lesson: Lesson, quality_flag: str) -> str:
    """The episode command's fingerprint of the chapter, plus what makes its slides."""
    import inspect

    made_by = inspect.getsource(slide_class) + inspect.getsource(_render_here)
    return "|".join((chapter_key(chapter, lesson, _quality(quality_flag)),
                     hashlib.sha256(made_by.encode()).hexdigest()[:16],
                     _digest_files(Path(__file__).with_name("slides_compat.py")),
                     importlib.metadata.version("manim-slides")))


def render_chapter(chapter: Chapter, lesson: Lesson, quality_flag: str, build: Path,
                   stop: Callable[[], bool] | None = None) -> dict[str, Any]:
    """Render one chapter's slides into ``build/<NN-name>/`` (reused when unchanged); ``stop``
    is asked once a second whether to stop its manim (the run was interrupted).

    Returns ``{"json": presentation file, "beats": n, "slides": n, "seconds": s, "reused": bool}``.
    """
    work = build / chapter.name
    key = chapter_fingerprint(chapter, lesson, quality_flag)
    result = work / "beats.json"
    if (work / "key").is_file() and (work / "key").read_text() == key and result.is_file():
        return {"json": work / "slides" / f"{chapter.scene}.json", **json.loads(result.read_text()),
                "seconds": 0.0, "reused": True}
    shutil.rmtree(work, ignore_errors=True)
    unit = Unit(chapter.path, chapter.scene, chapter.name, lesson, _quality(quality_flag), Output.SLIDES)
    done = render_unit(unit, work, cancelled=stop)
    if not done.ok:
        raise ChapterFailedError(f"chapter {chapter.name} failed ({done.failure}); its log: {done.log}")
    shutil.rmtree(work / "media", ignore_errors=True)  # manim's partial movies: each slide has its own copy
    (work / "key").write_text(key)
    return {"json": done.output, **json.loads(result.read_text()), "seconds": done.seconds, "reused": False}


# -- the deck ---------------------------------------------------------------------


def _replace_dir(src: Path, dst: Path) -> None:
    old = dst.with_name(dst.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dst.exists():
        dst.rename(old)
    src.rename(dst)
    shutil.rmtree(old, ignore_errors=True)


def write_html(configs: Sequence[Any], lesson: Lesson, dest: Path) -> None:
    """The reveal.js deck at ``dest`` with its videos in ``<stem>_assets/`` and reveal.js in
    ``revealjs/`` beside it, all local: no URL with a scheme or host is left in the page."""
    from manim_slides.convert import RevealJS

    from scenes.engine.style import THEMES
    from scenes.episode.explore import link_last_slide

    tmp = dest.parent / f".{dest.stem}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    RevealJS(presentation_configs=list(configs), cdn_url="revealjs", reveal_theme=REVEAL_THEME,
             title=lesson.title, background_color=THEMES[lesson.theme].background).convert_to(tmp / dest.name)
    page = (tmp / dest.name).read_text(encoding="utf-8")
    page = re.sub(r"<!--.*?-->", "", page, flags=re.S)  # template comments (they name web pages)
    # the slides are silent: mute every video (manim-slides mutes only the first), so the
    # browser's autoplay policy plays each one instead of pausing it
    page = re.sub(r"\s*data-background-video-muted", "", page)
    page = re.sub(r'(data-background-video="[^"]*")', r"\1 data-background-video-muted", page)
    page = link_last_slide(page, lesson.language)  # to ../explore.html, beside the gallery
    if _URL.search(page):
        raise SlidesError(f"the deck would load something from the network: {_URL.search(page).group(0)!r}")
    shutil.copytree(REVEALJS_DIR, tmp / "revealjs")
    for name in (f"{dest.stem}_assets", "revealjs"):
        _replace_dir(tmp / name, dest.parent / name)
    write_atomically(dest, page)
    shutil.rmtree(tmp, ignore_errors=True)


def write_pptx(configs: Sequence[Any], dest: Path) -> None:
    """The PowerPoint deck: one slide per beat, a video that plays on entry, notes = caption."""
    from manim_slides.convert import PowerPoint

    width, height = configs[0].resolution
    with atomic_path(dest) as tmp, contextlib.redirect_stderr(io.StringIO()):  # manim-slides' progress bars
        PowerPoint(presentation_configs=list(configs), width=width, height=height).convert_to(tmp)


def make_slides(chapters: Sequence[Chapter] | None = None, lesson_path: str | Path | None = None,
                quality_flag: str = "-qh", out_dir: Path | None = None, *, jobs: int | None = None,
                lesson: Lesson | None = None, log: Callable[[str], None] = print,
                cache_dir: Path | None = None) -> dict[str, Any]:
    """Render ``chapters`` (default: all) of the lesson as class slides and write the decks.

    ``out_dir`` is the lesson's media folder (default ``media/`` or ``media/<lesson>/``, as
    for the episode); the decks go to ``<out_dir>/slides/``. ``lesson`` overrides
    ``lesson_path`` (the episode command passes the lesson it has loaded). ``cache_dir`` keeps
    each chapter's rendered slides between runs (default ``<out_dir>/slides/.build``). Returns
    ``{"html": Path, "pptx": Path, "assets": Path, "revealjs": Path, "slides": int,
    "beats": {chapter name: beats}}``. Raises :class:`SlidesError` (or ``LessonError``).
    """
    from manim_slides.config import PresentationConfig

    if quality_flag not in QUALITIES:
        raise SlidesError(f"quality {quality_flag!r} is not allowed; allowed: {', '.join(QUALITIES)}")
    lesson = lesson or load_lesson(lesson_path)
    lesson = replace(lesson, narration=False)  # slides carry no sound: the teacher is the voice
    chapters = sorted(chapters or CHAPTERS, key=lambda c: c.number)
    deck = Path(out_dir or output_dir(lesson, MEDIA)) / "slides"
    build = cache_dir or deck / ".build"
    try:
        build.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SlidesError(f"{deck} cannot be written: {exc.strerror or exc}") from None
    jobs = max(1, jobs or os.cpu_count() or 1)
    t0 = time.monotonic()
    stop = threading.Event()  # a failed chapter or Ctrl-C stops the others' manim
    with ThreadPoolExecutor(max_workers=min(jobs, len(chapters))) as pool:
        futures = [pool.submit(render_chapter, c, lesson, quality_flag, build, stop.is_set) for c in chapters]
        results = []
        try:
            for chapter, future in zip(chapters, futures):
                r = future.result()
                how = "unchanged" if r["reused"] else f"rendered in {r['seconds']:.0f} s"
                log(f"slides: {chapter.name}: {r['slides']} slides for {r['beats']} beats ({how})")
                if r["slides"] != r["beats"]:
                    log(f"slides: warning: {chapter.name} has {r['slides']} slides for {r['beats']} beats")
                results.append(r)
        except BaseException:
            stop.set()
            raise
    configs = [PresentationConfig.from_file(r["json"]) for r in results]
    html, pptx = deck / f"{DECK}.html", deck / f"{DECK}.pptx"
    write_html(configs, lesson, html)
    write_pptx(configs, pptx)
    n = sum(len(c.slides) for c in configs)
    log(f"slides: {n} slides in {time.monotonic() - t0:.0f} s -> {html} and {pptx}")
    return {"html": html, "pptx": pptx, "assets": deck / f"{DECK}_assets", "revealjs": deck / "revealjs",
            "slides": n, "beats": {c.name: r["beats"] for c, r in zip(chapters, results)}}


# -- command line -------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m scenes.episode.slides", description=__doc__.split("\n")[0])
    p.add_argument("--lesson", type=Path, default=None, help="a lesson file (default: the default lesson)")
    p.add_argument("--chapters", default=None, help="only these chapters, e.g. neuron,rock (default: all)")
    p.add_argument("--preview", action="store_true", help="480p15 instead of 1080p60 (much faster)")
    p.add_argument("--out", type=Path, default=None,
                   help="the lesson's media folder (default: media/ or media/<lesson>/); decks go to <out>/slides/")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="chapters rendered at a time")
    p.add_argument("--render-scene", default=None, help=argparse.SUPPRESS)  # the child render_unit starts
    p.add_argument("--quality", default="-qh", help=argparse.SUPPRESS)
    p.add_argument("--work", type=Path, default=None, help=argparse.SUPPRESS)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.render_scene:
        return _render_here(args.render_scene, args.quality, args.work)
    try:
        if args.jobs < 1:
            raise SlidesError(f"--jobs {args.jobs} must be at least 1")
        names = [s.strip() for s in (args.chapters or "").split(",") if s.strip()]
        try:
            chapters = [by_slug(s) for s in names] or None
        except ValueError as exc:
            raise SlidesError(str(exc)) from None
        lesson = load_lesson(args.lesson)
        make_slides(chapters, quality_flag="-ql" if args.preview else "-qh", out_dir=args.out,
                    jobs=args.jobs, lesson=lesson)
    except (SlidesError, LessonError) as exc:
        sys.stderr.write(f"{parser.prog}: error: {exc}\n")
        return 1 if isinstance(exc, ChapterFailedError) else 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
