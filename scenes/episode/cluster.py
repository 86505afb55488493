"""Rendering units on Dask distributed: an embedded LocalCluster by default, or an existing
cluster given by its scheduler's address.

The client sends each unit (:class:`~scenes.engine.unit.Unit`) to a worker with
:func:`~scenes.episode.units.render_on_worker`, stores what comes back (atomically), and shows
progress. On a failure or Ctrl-C it sets the run's cancel event, so every worker stops its
manim, waits until the workers are idle, and re-raises: the previous outputs stay intact.

Each unit is a Dask task of its own key (the lesson, its language, the chapter and the run),
fetched straight from the worker that rendered it (not through the scheduler) and released
as soon as it is stored, so workers hold no finished clips.

With ``VG_DASK_REPORT=DIR`` in the environment, a run also writes what Dask saw of it to
``DIR``: ``run.json`` (a :class:`RunRecord`: which worker rendered which unit when, the
manim process's CPU seconds, bytes to and from the worker, the client's and the scheduler's
CPU seconds), ``task-stream.txt`` (the same as a table) and, when bokeh is installed, Dask's
performance report ``report.html``.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import pickle
import time
import uuid
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scenes.engine.unit import Unit
from scenes.episode.progress import Display
from scenes.episode.staging import check_stopped
from scenes.episode.units import UnitResult, cancel_event, progress_path, render_on_worker

if TYPE_CHECKING:
    from scenes.episode.builds import ChapterRender

#: Seconds between looks at the workers' progress.
TICK = 0.5
#: Seconds the client waits, after cancelling, for the workers to stop their manim.
STOP_WAIT = 20.0
#: The environment variable naming a folder where a run writes what Dask saw of it.
REPORT_ENV = "VG_DASK_REPORT"


@dataclass
class UnitRecord:
    """One unit as Dask ran it; times are seconds after the run's first submission."""

    unit: str
    worker: str
    start: float
    stop: float
    seconds: float
    cpu: float
    bytes_in: int
    bytes_out: int


@dataclass
class RunRecord:
    """One run on Dask: where it ran, how long the parts took, and every unit."""

    scheduler: str | None
    workers: int
    threads: int
    #: seconds to open the client (for the embedded cluster: to start it)
    startup: float
    #: seconds from the first submission to the last result stored
    render: float
    #: CPU seconds of the client's process while rendering (for the embedded cluster: with its workers)
    client_cpu: float
    #: CPU seconds of the scheduler's process while rendering (None for the embedded cluster)
    scheduler_cpu: float | None
    units: list[UnitRecord] = field(default_factory=list)


def open_client(jobs: int, scheduler: str | None) -> tuple[Any, Any | None]:
    """A Dask client: to ``scheduler``, or to a new LocalCluster of ``jobs`` threads.

    A client to a scheduler fetches results straight from the workers (Dask's
    ``distributed.client.direct-to-workers``, on unless set to false), falling back to the
    scheduler when a worker cannot be reached.
    """
    import dask
    from distributed import Client, LocalCluster

    from scenes.episode.builds import RenderError

    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if scheduler:
        # Dask's own setting (DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s to change it)
        timeout = dask.config.get("distributed.comm.timeouts.connect")
        direct = dask.config.get("distributed.client.direct-to-workers")
        try:
            return Client(scheduler, timeout=timeout, direct_to_workers=direct is not False), None
        except (OSError, TimeoutError) as exc:
            raise RenderError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    # Threads, not processes: each unit's work happens in its own manim process anyway.
    cluster = LocalCluster(n_workers=1, threads_per_worker=jobs, processes=False, dashboard_address=None)
    return Client(cluster), cluster


def unit_labels(renders: list[ChapterRender]) -> list[str]:
    """What each unit is called in progress lines: its name, with the language when a run
    has one lesson in several languages (the names would be the same)."""
    names = [r.unit().label for r in renders]
    if len(set(names)) == len(names):
        return names
    return [f"{r.lesson.name}/{r.lesson.language}/{r.display}" for r in renders]


def _scheduler_cpu(client: Any) -> float:
    return float(client.run_on_scheduler(time.process_time))


class _Recorder:
    """What Dask saw of one run, written to a folder (see the module's docstring)."""

    def __init__(self, folder: Path, client: Any, scheduler: str | None, startup: float) -> None:
        self.folder = folder
        self.client = client
        self.scheduler = scheduler
        self.startup = startup
        folder.mkdir(parents=True, exist_ok=True)
        client.get_task_stream()  # starts the scheduler's recording
        self.units: dict[str, tuple[str, int, UnitResult | None, int]] = {}
        self.t0 = time.time()
        self.cpu0 = time.process_time()
        self.sched0 = _scheduler_cpu(client) if scheduler else None

    def report(self) -> Any:
        """Dask's performance report (HTML) when bokeh is installed, else nothing."""
        if importlib.util.find_spec("bokeh") is None:
            return nullcontext()
        from distributed import performance_report

        return performance_report(filename=str(self.folder / "report.html"))

    def sent(self, key: str, label: str, unit: Unit) -> None:
        self.units[key] = (label, len(pickle.dumps(unit)), None, 0)

    def received(self, key: str, result: UnitResult) -> None:
        label, size_in, _, _ = self.units[key]
        self.units[key] = (label, size_in, result, len(pickle.dumps(result)))

    def write(self) -> RunRecord:
        render = time.time() - self.t0
        client_cpu = time.process_time() - self.cpu0
        sched = _scheduler_cpu(self.client) - self.sched0 if self.sched0 is not None else None
        stream = self.client.get_task_stream(start=self.t0)
        info = self.client.scheduler_info()["workers"]
        computed = {}
        for task in stream:
            for span in task.get("startstops", ()):
                if span["action"] == "compute":
                    computed[task["key"]] = (task["worker"], span["start"] - self.t0, span["stop"] - self.t0)
        record = RunRecord(self.scheduler, len(info), sum(w["nthreads"] for w in info.values()), self.startup,
                           render, client_cpu, sched)
        for key, (label, size_in, result, size_out) in self.units.items():
            worker, start, stop = computed.get(key, ("", 0.0, 0.0))
            record.units.append(UnitRecord(label, worker or (result.worker if result else ""), start, stop,
                                           result.seconds if result else 0.0, result.cpu if result else 0.0,
                                           size_in, size_out))
        (self.folder / "run.json").write_text(json.dumps(asdict(record), indent=1) + "\n", encoding="utf-8")
        rows = [f"{'worker':<24}{'start':>8}{'stop':>8}{'cpu':>7}{'in kB':>8}{'out kB':>8}  unit"]
        for u in sorted(record.units, key=lambda u: (u.start, u.worker)):
            rows.append(f"{u.worker:<24}{u.start:>8.1f}{u.stop:>8.1f}{u.cpu:>7.1f}{u.bytes_in / 1e3:>8.1f}"
                        f"{u.bytes_out / 1e3:>8.1f}  {u.unit}")
        (self.folder / "task-stream.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
        return record


def _threads(client: Any) -> int:
    """How many units the cluster's workers can render at once now."""
    return sum(client.nthreads().values())


def run_units(renders: list[ChapterRender], jobs: int, scheduler: str | None) -> dict[str, float]:
    """Render every one of ``renders`` on Dask; returns the seconds each took.

    Units are handed out as worker threads free up, never more at once than the cluster has
    threads (a worker that joins later gets work as soon as it is connected): a unit sent
    early would wait on the worker Dask placed it on while another worker idles.
    """
    from distributed import Event, wait

    t_open = time.monotonic()
    client, cluster = open_client(jobs, scheduler)
    startup = time.monotonic() - t_open
    run = uuid.uuid4().hex[:12]
    event = display = None
    running: dict[Any, tuple[ChapterRender, str]] = {}
    times: dict[str, float] = {}
    folder = os.environ.get(REPORT_ENV)
    try:
        recorder = _Recorder(Path(folder), client, scheduler, startup) if folder else None
        event = Event(cancel_event(run), client=client)
        labels = unit_labels(renders)
        display = Display([(label, r.previous_length()) for label, r in zip(labels, renders)])
        queue = list(zip(labels, renders))
        with recorder.report() if recorder else nullcontext():
            while queue or running:
                for label, r in queue[:max(0, _threads(client) - len(running))]:
                    unit = r.unit()
                    key = f"render-{label}-{run}"
                    running[client.submit(render_on_worker, unit, r.ident, run, key=key, pure=False)] = (r, label)
                    if recorder:
                        recorder.sent(key, label, unit)
                    queue.pop(0)
                try:
                    done = wait(list(running), timeout=TICK, return_when="FIRST_COMPLETED").done if running else set()
                except TimeoutError:
                    done = set()
                if not running:
                    time.sleep(TICK)  # no worker yet
                for fut in [f for f in running if f in done]:
                    r, label = running.pop(fut)
                    result = fut.result()
                    fut.release()  # the worker drops the clip: it is stored here
                    if recorder:
                        recorder.received(fut.key, result)
                    r.store(result)  # raises RenderError naming the lesson, chapter, worker and log
                    times[r.display] = result.seconds
                    display.finish(label, result.seconds)
                check_stopped()  # a signal may have come while a Dask call swallowed its KeyboardInterrupt
                seen = client.get_metadata(progress_path(run), default={}) if running else {}
                for r, label in running.values():
                    if r.ident in seen:
                        display.advance(label, float(seen[r.ident]))
        if recorder:
            recorder.write()
    except BaseException:
        if event is not None:  # every worker stops its manim; wait (a while) until they have
            event.set()
            client.cancel(list(running))
            deadline = time.monotonic() + STOP_WAIT
            while time.monotonic() < deadline and any(client.processing().values()):
                time.sleep(0.2)
        raise
    finally:
        if display is not None:
            display.close()
        client.close()
        if cluster is not None:
            cluster.close()
    return times
