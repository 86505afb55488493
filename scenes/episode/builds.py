"""A chapter's render on the client's side: its fingerprint and the record of where it is built.

:func:`chapter_key` fingerprints everything a chapter's picture depends on, so an unchanged
chapter is not rendered again (by the episode command, and by the class slides with their
own parts added); :class:`ChapterRender` is one chapter of one lesson at one quality: where its
files go, whether they are current, the unit a worker renders and storing what came back.
The episode command (:mod:`scenes.episode.render`), the Dask client
(:mod:`scenes.episode.cluster`), the slides and the explore page share these, and this
module imports none of them.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import threading
from collections.abc import Sequence
from pathlib import Path

from scenes.engine.atomic import write_atomically
from scenes.engine.chapters import SCENES_DIR, Chapter
from scenes.engine.lesson import Lesson
from scenes.engine.unit import Quality, Unit
from scenes.episode.units import UnitResult

ROOT = SCENES_DIR.parent
MEDIA = ROOT / "media"


class RenderError(Exception):
    """A problem that stops the run; its message is the one line the user sees."""


def _digest(paths: Sequence[Path], extra: str) -> str:
    h = hashlib.sha256(extra.encode())
    for p in sorted(paths):
        h.update(str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:20]


#: CPython 3.11's parser is not safe to run from two threads at once ("AST constructor
#: recursion depth mismatch"), and chapters are fingerprinted from parallel threads.
_PARSE_LOCK = threading.Lock()


def _local_imports(path: Path) -> set[Path]:
    """The files of this project (scenes.*, netsim.*) that ``path`` imports, directly."""
    found: set[Path] = set()
    source = path.read_text(encoding="utf-8")
    with _PARSE_LOCK:
        tree = ast.parse(source)
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] not in ("scenes", "netsim"):
                continue
            base = ROOT.joinpath(*parts)
            for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                if candidate.is_file():
                    found.add(candidate)
    return found


def render_inputs(scene_file: Path) -> set[Path]:
    """The scene file and every project file it imports, followed transitively."""
    seen: set[Path] = set()
    todo = [scene_file]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        todo.extend(_local_imports(p) - seen)
    return seen


MANIM_CFG = ROOT / "manim.cfg"


def chapter_key(chapter: Chapter, lesson: Lesson, quality: Quality) -> str:
    """A fingerprint of everything a chapter's picture depends on.

    Its scene file and every file of this project it imports (so a change to one chapter,
    or to netsim code another chapter uses, leaves the other chapters alone), ``manim.cfg``
    and the translations of the lesson's language, the lesson's values, the quality and
    manim's version.
    """
    # burn_captions is applied when the episode is assembled, not in the chapter's render
    values = repr(sorted((k, str(v)) for k, v in vars(lesson).items() if k not in ("source", "burn_captions")))
    extra = f"{chapter.name}|{quality.flag}|manim {importlib.metadata.version('manim')}|{values}"
    return _digest(sorted(render_inputs(chapter.path) | data_inputs(lesson)), extra)


def data_inputs(lesson: Lesson) -> set[Path]:
    """Files that change a chapter's frames, captions or encoding without being imported:
    manim's configuration (encoder, quality settings) and the lesson language's translations."""
    from scenes.engine.i18n import catalogue_files

    return {MANIM_CFG, *catalogue_files(lesson.language)}


def output_dir(lesson: Lesson, base: Path = MEDIA) -> Path:
    """``media/`` for the default lesson, ``media/<name>/`` for any other; the narrated
    episode is a gallery of its own in the ``narrated/`` folder inside that."""
    folder = base if lesson.name == "default" else base / lesson.name
    return folder / "narrated" if lesson.narration else folder


class ChapterRender:
    """One chapter of the episode on the client's side: where its files go, its fingerprint,
    the unit of work sent to a worker, and storing what the worker sent back."""

    def __init__(self, chapter: Chapter, lesson: Lesson, quality: Quality, out: Path) -> None:
        self.chapter = chapter
        self.lesson = lesson
        self.quality = quality
        self.out = out
        self.build = out / ".build" / quality.folder / chapter.name
        self.log_path = out / "logs" / f"{chapter.name}{'-alpha' if quality.transparent else ''}.log"
        self.key = chapter_key(chapter, lesson, quality)
        self.display = chapter.name + (" (transparent)" if quality.transparent else "")

    @property
    def clip(self) -> Path:
        return self.build / f"{self.chapter.name}{self.quality.suffix}"

    @property
    def srt(self) -> Path:
        return self.build / f"{self.chapter.name}.srt"

    def up_to_date(self) -> bool:
        stamp = self.build / "key"
        return self.clip.exists() and stamp.exists() and stamp.read_text() == self.key

    def previous_length(self) -> float | None:
        """Seconds of the clip rendered last time (stale or not): the expected length now."""
        from scenes.episode import media

        try:
            return media.clip_info(self.clip).duration if self.clip.exists() else None
        except Exception:  # a damaged old clip only means no estimate
            return None

    def unit(self) -> Unit:
        """What a worker renders: the chapter's scene, of this lesson, at this quality."""
        return Unit(self.chapter.path, self.chapter.scene, self.chapter.name, self.lesson, self.quality)

    @property
    def ident(self) -> str:
        """Unique among a run's units: the unit's label and the fingerprint (one lesson in two
        languages gives two units of the same label, and different fingerprints)."""
        return f"{self.unit().label}@{self.key[:16]}"

    def store(self, result: UnitResult) -> None:
        """Write the log, and the clip and captions when they came back; raise RenderError
        naming the lesson, the chapter, the worker and the log when manim failed."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.log_path, result.log)
        if not result.ok:
            raise RenderError(f"chapter {self.chapter.name} of lesson {self.lesson.name!r} failed on worker "
                              f"{result.worker} ({result.failure}); log: {self.log_path}")
        self.build.mkdir(parents=True, exist_ok=True)
        (self.build / "key").unlink(missing_ok=True)
        write_atomically(self.clip, result.clip)
        if result.srt is not None:
            write_atomically(self.srt, result.srt)
        else:
            self.srt.unlink(missing_ok=True)
        (self.build / "key").write_text(self.key)

