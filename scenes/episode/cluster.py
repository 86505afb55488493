"""Rendering units on Dask distributed: an embedded LocalCluster by default, or an existing
cluster given by its scheduler's address.

The client sends each unit (:class:`~scenes.episode.units.Unit`) to a worker with
:func:`~scenes.episode.units.render_unit`, stores what comes back (atomically), and shows
progress. On a failure or Ctrl-C it sets the run's cancel event, so every worker stops its
manim, waits until the workers are idle, and re-raises: the previous outputs stay intact.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import TYPE_CHECKING

from scenes.episode.progress import Display
from scenes.episode.staging import check_stopped
from scenes.episode.units import cancel_event, progress_path, render_unit

if TYPE_CHECKING:
    from scenes.episode.render import ChapterRender

#: Seconds between looks at the workers' progress.
TICK = 0.5
#: Seconds the client waits, after cancelling, for the workers to stop their manim.
STOP_WAIT = 20.0


def open_client(jobs: int, scheduler: str | None) -> tuple[object, object | None]:
    """A Dask client: to ``scheduler``, or to a new LocalCluster of ``jobs`` threads."""
    from distributed import Client, LocalCluster

    from scenes.episode.render import RenderError

    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if scheduler:
        import dask

        # Dask's own setting (DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s to change it)
        timeout = dask.config.get("distributed.comm.timeouts.connect")
        try:
            return Client(scheduler, timeout=timeout), None
        except (OSError, TimeoutError) as exc:
            raise RenderError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    # Threads, not processes: each unit's work happens in its own manim process anyway.
    cluster = LocalCluster(n_workers=1, threads_per_worker=jobs, processes=False, dashboard_address=None)
    return Client(cluster), cluster


def run_units(renders: list[ChapterRender], jobs: int, scheduler: str | None) -> dict[str, float]:
    """Render every one of ``renders`` on Dask; returns the seconds each took."""
    from distributed import Event

    client, cluster = open_client(jobs, scheduler)
    run = uuid.uuid4().hex[:12]
    event = display = None
    futures = {}
    times: dict[str, float] = {}
    try:
        event = Event(cancel_event(run), client=client)
        display = Display([(r.unit().name, r.previous_length()) for r in renders])
        for r in renders:
            unit = r.unit()
            fut = client.submit(render_unit, unit, run, key=f"render-{unit.name}-{run}", pure=False)
            futures[fut] = (r, unit)
        pending = dict(futures)
        while pending:
            for fut in [f for f in pending if f.done()]:
                r, unit = pending.pop(fut)
                result = fut.result()
                r.store(result)  # raises RenderError naming the lesson, chapter, worker and log
                times[r.display] = result.seconds
                display.finish(unit.name, result.seconds)
            check_stopped()  # a signal may have come while a Dask call swallowed its KeyboardInterrupt
            seen = client.get_metadata(progress_path(run), default={}) if pending else {}
            for _, unit in pending.values():
                if unit.name in seen:
                    display.advance(unit.name, float(seen[unit.name]))
            if pending:
                time.sleep(TICK)
    except BaseException:
        if event is not None:  # every worker stops its manim; wait (a while) until they have
            event.set()
            client.cancel(list(futures))
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
