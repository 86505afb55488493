"""One unit of rendering: a scene of a lesson at a quality, made by manim in a process of its own.

Every render of this project goes through :func:`render_unit`: a chapter of the episode (on a
Dask worker, :mod:`scenes.episode.units`), a chapter's class slides
(:mod:`scenes.episode.slides`) and the vertical short (:mod:`scenes.short`). A :class:`Unit`
names the scene (its file and class), the lesson, the quality and what to make of it
(:class:`Output`: a clip with its captions, or manim-slides' slides). manim runs in a child
process -- a scene reads its lesson when its module is imported, and a worker must be able to
stop it -- in a session of its own, so stopping it stops everything it started.

The lesson reaches the child one way: as a complete lesson file
(:func:`scenes.engine.lesson.lesson_toml`, made once per lesson in a process) in the unit's work
folder, named by ``VG_LESSON``, with ``VG_NARRATE`` set to the lesson's own narration (so a
``VG_NARRATE`` in the caller's environment cannot change the lesson it chose). The scene reads
it back with :func:`scenes.engine.lesson.lesson_from_env`, as a hand-run ``manim`` does.

While the child runs, :func:`render_unit` asks ``cancelled()`` once a second (and stops the
child when it says so) and hands ``progress()`` the seconds of video rendered so far; it keeps
everything the child prints in the work folder's ``render.log``, headed by the command and
where it ran; and :attr:`Rendered.failure` says in a few words what went wrong, if anything.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from scenes.engine.chapters import SCENES_DIR
from scenes.engine.lesson import LESSON_ENV, NARRATE_ENV, Lesson, lesson_toml

ROOT = SCENES_DIR.parent
#: The scene writes the seconds of video rendered so far to the file this names.
PROGRESS_ENV = "VG_PROGRESS"
#: How often (seconds) :func:`render_unit` asks whether to stop and reports progress: on a Dask
#: worker each is a message to the scheduler, whose load grows with the busy workers times this rate.
POLL = 1.0
#: How often (seconds) it looks whether the child has finished (a system call, no message).
REAP = 0.05
#: Set by Dask's Nanny for its worker process (``distributed.nanny.pre-spawn-environ``) and
#: kept from manim: glibc returning memory at every 64 kB freed costs manim about 5% more CPU
#: (system time), for nothing in a process that lives one unit.
NOT_FOR_MANIM = ("MALLOC_TRIM_THRESHOLD_",)
#: The child that renders a scene as manim-slides slides (run by its module name, never imported here).
SLIDES_ENTRY = "scenes.episode.slides"
#: The tail of a failed unit's log that :meth:`Rendered.log_tail` gives.
TAIL = 3000


@dataclass(frozen=True)
class Quality:
    """A manim quality: its flag, its folder name and what it is called.

    ``transparent`` renders with an alpha channel (manim's ``-t``): a .mov clip for
    overlays instead of an .mp4.
    """

    flag: str
    folder: str
    label: str
    transparent: bool = False

    @property
    def suffix(self) -> str:
        return ".mov" if self.transparent else ".mp4"

    def with_alpha(self) -> Quality:
        return Quality(self.flag, self.folder + "-alpha", self.label + " transparent", True)


FULL = Quality("-qh", "1080p60", "1080p60")
PREVIEW = Quality("-ql", "480p15", "480p15 preview")


class Output(Enum):
    """What a unit makes in its work folder."""

    #: ``media/**/<name>.mp4`` (``.mov`` when transparent) and the captions beside it, by ``manim render``.
    CLIP = "clip"
    #: ``slides/<Scene>.json`` with a video per slide, and ``beats.json``, by :data:`SLIDES_ENTRY`.
    SLIDES = "slides"


@dataclass(frozen=True)
class Unit:
    """A scene (the class ``scene`` of the file ``scene_file``) of ``lesson`` at ``quality``,
    made into ``output``; ``name`` names the clip (a chapter's ``NN-slug``, or ``short``)."""

    scene_file: Path
    scene: str
    name: str
    lesson: Lesson
    quality: Quality
    output: Output = Output.CLIP

    @property
    def label(self) -> str:
        """How the unit is named in progress lines and errors: ``<lesson>/<name>``."""
        alpha = " (transparent)" if self.quality.transparent else ""
        return f"{self.lesson.name}/{self.name}{alpha}"

    def command(self, work: Path) -> list[str]:
        """The command line of the child that renders this unit into ``work``."""
        if self.output is Output.SLIDES:
            module = ".".join(self.scene_file.resolve().relative_to(ROOT).with_suffix("").parts)
            return [sys.executable, "-m", SLIDES_ENTRY, "--render-scene", f"{module}:{self.scene}",
                    f"--quality={self.quality.flag}", "--work", str(work)]
        return [sys.executable, "-m", "manim", "render", self.quality.flag,
                *(["-t"] if self.quality.transparent else []), "--media_dir", str(work / "media"),
                "--progress_bar", "none", "-o", self.name, str(self.scene_file), self.scene]


@dataclass(frozen=True)
class Rendered:
    """What came of a unit: the child's exit status, its log and, when it succeeded, what it made.

    ``output`` is the clip (:attr:`Output.CLIP`) or the presentation file
    (:attr:`Output.SLIDES`); ``captions`` the clip's .srt, when the scene captioned anything.
    ``cpu`` is the CPU seconds (user + system) of the child and the children it waited for.
    """

    unit: Unit
    exit_code: int
    seconds: float
    log: Path
    output: Path | None = None
    captions: Path | None = None
    cancelled: bool = False
    cpu: float = 0.0

    @property
    def failure(self) -> str | None:
        """What went wrong, in a few words (``manim exit 1``); None when the unit rendered."""
        if self.cancelled:
            return "stopped"
        if self.exit_code != 0:
            return f"manim exit {self.exit_code}"
        if self.output is None:
            return f"manim exit 0 but wrote no {self.unit.output.value}"
        return None

    @property
    def ok(self) -> bool:
        return self.failure is None

    def log_tail(self, size: int = TAIL) -> str:
        """The end of the log (where manim says why it failed)."""
        return self.log.read_text(encoding="utf-8", errors="replace")[-size:]


@functools.cache
def _lesson_file_text(lesson: Lesson) -> str:
    return lesson_toml(lesson)


@contextmanager
def work_folder(unit: Unit) -> Iterator[Path]:
    """A temporary work folder for ``unit`` (``vg-<lesson>-<name>-...``), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"vg-{unit.lesson.name}-{unit.name}-") as tmp:
        yield Path(tmp)


def _reap(proc: subprocess.Popen[bytes]) -> float | None:
    """``None`` while ``proc`` runs; once it has exited, reap it (setting its return code)
    and return the CPU seconds it and the children it waited for used."""
    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
    if pid == 0:
        return None
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


def _report(progress_file: Path, progress: Callable[[float], None]) -> None:
    try:
        progress(float(progress_file.read_text() or 0))
    except (FileNotFoundError, ValueError):  # nothing played yet, or caught mid-write: next time
        pass


def _made(unit: Unit, work: Path) -> tuple[Path | None, Path | None]:
    """The unit's output and captions in ``work``, each None when it is not there."""
    if unit.output is Output.SLIDES:
        deck = work / "slides" / f"{unit.scene}.json"
        return (deck if deck.is_file() and (work / "beats.json").is_file() else None), None
    found = [p for p in (work / "media").rglob(f"{unit.name}{unit.quality.suffix}")
             if "partial_movie_files" not in p.parts]
    if not found:
        return None, None
    captions = found[0].with_suffix(".srt")
    return found[0], captions if captions.is_file() else None


def render_unit(unit: Unit, work: Path, *, cancelled: Callable[[], bool] | None = None,
                progress: Callable[[float], None] | None = None, where: str = "local") -> Rendered:
    """Render ``unit`` into the folder ``work`` (made if missing) with manim in a child process.

    ``work`` receives ``lesson.toml``, ``render.log``, manim's ``media/`` and what the unit
    makes. ``cancelled`` is asked once a second: when it answers True the child and all it
    started are stopped, and so they are if this call is interrupted (Ctrl-C) or fails.
    ``progress`` is given the seconds of video rendered so far, once a second. ``where`` names
    the machine in the log (a Dask worker's address).
    """
    t0 = time.monotonic()
    work.mkdir(parents=True, exist_ok=True)
    lesson_file = work / "lesson.toml"
    lesson_file.write_text(_lesson_file_text(unit.lesson), encoding="utf-8")
    progress_file = work / "progress"
    env = {**{k: v for k, v in os.environ.items() if k not in NOT_FOR_MANIM}, LESSON_ENV: str(lesson_file),
           NARRATE_ENV: "1" if unit.lesson.narration else "0", PROGRESS_ENV: str(progress_file)}
    cmd = unit.command(work)
    log = work / "render.log"
    stopped = False
    cpu = None
    with log.open("wb") as logfile:
        logfile.write(f"$ {' '.join(cmd)}\n# worker {where}\n".encode())
        logfile.flush()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            polled = 0.0
            while (cpu := _reap(proc)) is None:
                if time.monotonic() - polled >= POLL:
                    polled = time.monotonic()
                    if cancelled is not None and cancelled():
                        stopped = True
                        break
                    if progress is not None:
                        _report(progress_file, progress)
                time.sleep(REAP)
        finally:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                proc.wait()
    seconds = time.monotonic() - t0
    if stopped:
        return Rendered(unit, -signal.SIGTERM, seconds, log, cancelled=True)
    output, captions = _made(unit, work) if proc.returncode == 0 else (None, None)
    done = Rendered(unit, proc.returncode, seconds, log, output, captions, cpu=cpu or 0.0)
    if proc.returncode == 0 and output is None:
        with log.open("a", encoding="utf-8") as f:
            f.write(f"\n{done.failure}\n")
    return done
