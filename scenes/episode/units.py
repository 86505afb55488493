"""The unit of rendering work, and the function a Dask worker runs on it.

A :class:`Unit` is one chapter of one lesson at one quality. It carries everything a worker
needs and nothing that lives only on the client's disk: the lesson is sent as the text of a
complete lesson file, and the worker renders in a temporary folder of its own and sends back
the clip, the captions and the log as bytes (:class:`UnitResult`). So workers need the
project installed (the same version as the client), but no shared filesystem.

While manim runs, the worker publishes how many seconds of video are rendered so far (in
the scheduler's metadata, under the run and the unit), and stops manim as soon as the
client sets the run's cancel ``Event`` (Ctrl-C, or another unit failed).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from scenes.chapters import SCENES_DIR, Chapter
from scenes.lesson import LESSON_ENV, NARRATE_ENV

#: The scene writes the seconds of video rendered so far to the file this names.
PROGRESS_ENV = "VG_PROGRESS"
#: How often (seconds) a worker checks for cancellation and publishes progress: each is a
#: message to the scheduler, whose load grows with the busy workers times this rate.
POLL = 1.0
#: How often (seconds) a worker looks whether manim has finished (a system call, no message).
REAP = 0.05
#: Set by Dask's Nanny for its worker process (``distributed.nanny.pre-spawn-environ``) and
#: kept from manim: glibc returning memory at every 64 kB freed costs manim about 5% more CPU
#: (system time), for nothing in a process that lives one chapter.
NOT_FOR_MANIM = ("MALLOC_TRIM_THRESHOLD_",)


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


@dataclass(frozen=True)
class Unit:
    """One chapter of one lesson at one quality; ``key`` is its render fingerprint."""

    chapter: Chapter
    lesson_name: str
    lesson_toml: str
    narration: bool
    quality: Quality
    key: str

    @property
    def name(self) -> str:
        """How the unit is named in progress lines and errors."""
        alpha = " (transparent)" if self.quality.transparent else ""
        return f"{self.lesson_name}/{self.chapter.name}{alpha}"

    @property
    def ident(self) -> str:
        """Unique among a run's units: the name and the fingerprint (one lesson in two
        languages gives two units of the same name, and different fingerprints)."""
        return f"{self.name}@{self.key[:16]}"


@dataclass(frozen=True)
class UnitResult:
    """What a worker sends back: the clip and captions (when manim succeeded) and the log."""

    unit: Unit
    worker: str
    exit_code: int
    seconds: float
    log: bytes
    clip: bytes = b""
    srt: bytes | None = None
    cancelled: bool = False
    #: CPU seconds (user + system) of the manim process and the children it waited for.
    cpu: float = 0.0

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and bool(self.clip) and not self.cancelled


def manim_command(chapter: Chapter, quality: Quality, media_dir: Path) -> list[str]:
    """The manim command line that renders one chapter (the benchmark runs the same one)."""
    return [sys.executable, "-m", "manim", "render", quality.flag, *(["-t"] if quality.transparent else []),
            "--media_dir", str(media_dir), "--progress_bar", "none", "-o", chapter.name, str(chapter.path),
            chapter.scene]


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except ValueError:  # not on a Dask worker (called directly)
        return "local"


class _Run:
    """The Dask side of one run, seen from a worker: its cancel Event and the client's
    metadata store, where the worker publishes the seconds of video rendered so far."""

    def __init__(self, unit: Unit, run: str | None) -> None:
        self.unit = unit
        self.run = run
        self.event = self.client = None
        if run is not None:
            from distributed import Event, get_client

            self.client = get_client()
            self.event = Event(cancel_event(run), client=self.client)

    def cancelled(self) -> bool:
        return self.event is not None and self.event.is_set()

    def publish(self, seconds: float) -> None:
        if self.client is not None:
            self.client.set_metadata(progress_path(self.run, self.unit), seconds)


def cancel_event(run: str) -> str:
    """The name of the run's cancel Event."""
    return f"vg-cancel-{run}"


def progress_path(run: str | None, unit: Unit | None = None) -> list[str]:
    """Where, in the scheduler's metadata, the run's (or one unit's) progress is kept."""
    return ["vg-progress", str(run)] + ([unit.ident] if unit is not None else [])


def _reap(proc: subprocess.Popen[bytes]) -> float | None:
    """``None`` while ``proc`` runs; once it has exited, reap it (setting its return code)
    and return the CPU seconds it and the children it waited for used."""
    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
    if pid == 0:
        return None
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


def render_unit(unit: Unit, run: str | None = None) -> UnitResult:
    """Render ``unit`` with manim in a temporary folder of this machine; return its files.

    ``run`` names the Dask run this unit belongs to: when its cancel Event is set, manim and
    everything it started is stopped and the result says ``cancelled``. Without it (called
    directly, not on a worker) the unit just renders.
    """
    worker = _worker_address()
    dask_run = _Run(unit, run)
    t0 = time.monotonic()
    root = SCENES_DIR.parent
    with tempfile.TemporaryDirectory(prefix=f"vg-{unit.lesson_name}-{unit.chapter.name}-") as tmp:
        tmpdir = Path(tmp)
        lesson_file = tmpdir / "lesson.toml"
        lesson_file.write_text(unit.lesson_toml, encoding="utf-8")
        progress_file = tmpdir / "progress"
        media = tmpdir / "manim"
        env = {**{k: v for k, v in os.environ.items() if k not in NOT_FOR_MANIM}, LESSON_ENV: str(lesson_file),
               NARRATE_ENV: "1" if unit.narration else "0", PROGRESS_ENV: str(progress_file)}
        cmd = manim_command(unit.chapter, unit.quality, media)
        log_path = tmpdir / "log"
        cancelled = False
        cpu = None
        with log_path.open("wb") as logfile:
            logfile.write(f"$ {' '.join(cmd)}\n# worker {worker}\n".encode())
            logfile.flush()
            proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=logfile, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            try:
                polled = 0.0
                while (cpu := _reap(proc)) is None:
                    if time.monotonic() - polled >= POLL:
                        polled = time.monotonic()
                        if dask_run.cancelled():
                            cancelled = True
                            break
                        if progress_file.exists():
                            try:
                                dask_run.publish(float(progress_file.read_text() or 0))
                            except ValueError:  # caught mid-write: next time
                                pass
                    time.sleep(REAP)
            finally:
                if proc.poll() is None:
                    try:
                        os.killpg(proc.pid, signal.SIGTERM)
                    except ProcessLookupError:
                        pass
                    proc.wait()
        log = log_path.read_bytes()
        code = proc.returncode if not cancelled else -signal.SIGTERM
        seconds = time.monotonic() - t0
        if code != 0 or cancelled:
            return UnitResult(unit, worker, code, seconds, log, cancelled=cancelled)
        found = [p for p in media.rglob(f"{unit.chapter.name}{unit.quality.suffix}")
                 if "partial_movie_files" not in p.parts]
        if not found:
            return UnitResult(unit, worker, code, seconds, log + b"\nmanim wrote no video\n")
        srt_file = found[0].with_suffix(".srt")
        return UnitResult(unit, worker, code, seconds, log, found[0].read_bytes(),
                          srt_file.read_bytes() if srt_file.exists() else None, cpu=cpu or 0.0)
