"""What the episode command tells the user while it works.

On a terminal: a live bar per running chapter (seconds of video rendered, out of the
chapter's length when an earlier render says what it will be) and an overall bar with the
time left, drawn with rich. Elsewhere (a CI log, a pipe): one plain line per event.
"""

from __future__ import annotations

import math
import time

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

console = Console(stderr=True, highlight=False, soft_wrap=True)


def line(text: str) -> None:
    """One line of output (printed above the bars while they are shown)."""
    console.print(text, markup=False)


def fmt_seconds(seconds: float) -> str:
    """``m:ss`` (``h:mm:ss`` from an hour on), rounded down: the one clock of the project's
    outputs, so the gallery's chapter times, ``description.txt`` (where a platform chapter
    starts on that second) and the command's summary agree. A sum of clip durations that
    falls a hair short of a whole second (floating point) still counts as that second."""
    s = max(0, math.floor(seconds + 1e-6))
    h, m = divmod(s // 60, 60)
    return f"{h}:{m:02d}:{s % 60:02d}" if h else f"{m}:{s % 60:02d}"


class Display:
    """Progress of a set of units: :meth:`advance` as video is rendered, :meth:`finish` when done."""

    def __init__(self, units: list[tuple[str, float | None]], live: bool | None = None) -> None:
        self.expected = dict(units)
        self.total = len(units)
        self.done = 0
        self.started = time.monotonic()
        self.running: dict[str, TaskID] = {}
        self.live = console.is_terminal if live is None else live
        self.bars: Progress | None = None
        if self.live:
            self.bars = Progress(TextColumn("{task.description}"), BarColumn(),
                                 TextColumn("{task.fields[status]}"), TimeRemainingColumn(),
                                 console=console, transient=True)
            self.overall = self.bars.add_task("episode", total=self.total, status=f"0/{self.total} chapters")
            self.bars.start()

    def advance(self, name: str, seconds: float) -> None:
        """``name`` has rendered ``seconds`` of video so far."""
        if name not in self.running:
            if self.bars is not None:
                self.running[name] = self.bars.add_task(f"  {name}", total=self.expected.get(name), status="")
            else:
                self.running[name] = TaskID(0)
                line(f"  {name}: rendering ...")
        if self.bars is not None:
            known = self.expected.get(name)
            status = f"{seconds:.0f}" + (f"/{known:.0f} s" if known else " s") + " of video"
            self.bars.update(self.running[name], completed=seconds, status=status)

    def finish(self, name: str, took: float) -> None:
        """``name`` is rendered; it took ``took`` seconds."""
        self.done += 1
        elapsed = time.monotonic() - self.started
        left = elapsed / self.done * (self.total - self.done)
        task = self.running.pop(name, None)
        if self.bars is not None:
            if task is not None:
                self.bars.remove_task(task)
            self.bars.update(self.overall, completed=self.done, status=f"{self.done}/{self.total} chapters")
        line(f"  [{self.done}/{self.total}] {name}: done in {fmt_seconds(took)}; about {fmt_seconds(left)} left")

    def close(self) -> None:
        if self.bars is not None:
            self.bars.stop()
