"""A run's outputs are built aside and published at the end, all at once; Ctrl-C stops it.

Everything a run makes (clips, captions, the episode, posters, the gallery, slides, the short,
a course page) is written under ``<out>/.staging/``, laid out as it will be in ``<out>``. Only
when all of it is there does :func:`publish` move the files into place, with SIGINT and SIGTERM
held back for those few renames. A run that is interrupted or fails discards its staging
folder, so the previous run's outputs stay as they were, all of them.

:func:`interruptible` makes SIGINT (Ctrl-C, to the command or to its process group) and
SIGTERM raise :class:`KeyboardInterrupt` in the main thread, whatever the parent set them to
(a shell starts a background job with SIGINT ignored), and sets :data:`STOPPED`, which the
render loop also checks, in case a library swallowed the exception. Only the first signal
raises: a second Ctrl-C does not cut short the stopping of the workers' manim.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

STAGING = ".staging"
#: Set by the first SIGINT or SIGTERM while :func:`interruptible` is active.
STOPPED = threading.Event()
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _on_signal(signum: int, frame: object) -> None:
    first = not STOPPED.is_set()
    STOPPED.set()
    if first:
        raise KeyboardInterrupt


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM stop the run (see the module notes); the old handlers come back after."""
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield
        return
    STOPPED.clear()
    old = {s: signal.signal(s, _on_signal) for s in _SIGNALS}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def check_stopped() -> None:
    """Raise KeyboardInterrupt if a signal asked the run to stop."""
    if STOPPED.is_set():
        raise KeyboardInterrupt


def stage(out: Path) -> Path:
    """A new, empty staging folder for outputs that will go to ``out``."""
    folder = out / STAGING
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def staged(folder: Path, out: Path) -> Path:
    """Where ``folder`` (``out`` or a folder inside it) is built while staging."""
    return out / STAGING / folder.relative_to(out)


def discard(out: Path) -> None:
    """Remove the staging folder of ``out``, whatever is in it."""
    shutil.rmtree(out / STAGING, ignore_errors=True)


def publish(out: Path) -> None:
    """Move every staged file to its place in ``out`` (replacing what was there), signals held.

    A SIGINT or SIGTERM that arrives meanwhile is taken and dropped: the run has finished.
    """
    folder = out / STAGING
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        for src in sorted(p for p in folder.rglob("*") if p.is_file()):
            dst = out / src.relative_to(folder)
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
        shutil.rmtree(folder, ignore_errors=True)
        pending = signal.sigpending() & set(_SIGNALS)
        for s in pending:
            signal.sigtimedwait([s], 0)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
