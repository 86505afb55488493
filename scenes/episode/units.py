"""A chapter rendered on a Dask worker: the function the worker runs, and what it sends back.

The client sends a :class:`scenes.engine.unit.Unit` (the chapter's scene, the lesson as a value, the
quality): everything a worker needs and nothing that lives only on the client's disk. The
worker renders it with :func:`scenes.engine.unit.render_unit` in a temporary folder of its own and
sends back the clip, the captions and the log as bytes (:class:`UnitResult`). So workers need
the project installed (the same version as the client), but no shared filesystem.

While manim runs, the worker publishes how many seconds of video are rendered so far (in the
scheduler's metadata, under the run and the unit), and stops manim as soon as the client sets
the run's cancel ``Event`` (Ctrl-C, or another unit failed).
"""

from __future__ import annotations

from dataclasses import dataclass

from scenes.engine.unit import Unit, render_unit, work_folder


@dataclass(frozen=True)
class UnitResult:
    """What a worker sends back: the clip and captions (when manim succeeded) and the log.

    ``failure`` says what went wrong (:attr:`scenes.engine.unit.Rendered.failure`), None when nothing did.
    """

    worker: str
    exit_code: int
    seconds: float
    log: bytes
    clip: bytes = b""
    srt: bytes | None = None
    cancelled: bool = False
    #: CPU seconds (user + system) of the manim process and the children it waited for.
    cpu: float = 0.0
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except ValueError:  # not on a Dask worker (called directly)
        return "local"


class _Run:
    """The Dask side of one run, seen from a worker: its cancel Event and the client's
    metadata store, where the worker publishes the seconds of video rendered so far."""

    def __init__(self, ident: str, run: str | None) -> None:
        self.ident = ident
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
            self.client.set_metadata(progress_path(self.run, self.ident), seconds)


def cancel_event(run: str) -> str:
    """The name of the run's cancel Event."""
    return f"vg-cancel-{run}"


def progress_path(run: str | None, ident: str | None = None) -> list[str]:
    """Where, in the scheduler's metadata, the run's (or one unit's) progress is kept."""
    return ["vg-progress", str(run)] + ([ident] if ident is not None else [])


def render_on_worker(unit: Unit, ident: str, run: str | None = None) -> UnitResult:
    """Render ``unit`` in a temporary folder of this machine; return its files as bytes.

    ``ident`` names the unit in the run's progress (unique among its units). ``run`` names the
    Dask run this unit belongs to: when its cancel Event is set, manim and everything it
    started is stopped and the result says ``cancelled``. Without it (called directly, not on
    a worker) the unit just renders.
    """
    worker = _worker_address()
    dask_run = _Run(ident, run)
    with work_folder(unit) as work:
        done = render_unit(unit, work, cancelled=dask_run.cancelled, progress=dask_run.publish, where=worker)
        clip = done.output.read_bytes() if done.ok and done.output else b""
        srt = done.captions.read_bytes() if done.ok and done.captions else None
        return UnitResult(worker, done.exit_code, done.seconds, done.log.read_bytes(), clip, srt,
                          cancelled=done.cancelled, cpu=done.cpu, failure=done.failure)
