"""Course-rendering benchmark on Dask: ``python -m scenes.episode.coursebench``.

Renders one course (by default 4 lessons x 2 languages at 480p15: the default, relu-he and
two variants of them with other seeds; ``--chapters`` for a subset) from a cold cache three
ways, and prints for each the start-up (until every worker is connected), the rendering
(first unit sent to last clip stored), the whole command, the throughput in units (one
chapter of one lesson in one language) per minute of rendering and the scaling against one
worker thread:

- the embedded LocalCluster with 1 worker thread (``--jobs 1``);
- the embedded LocalCluster with N (``--jobs N``, ``--workers N``, default 2);
- a real ``dask scheduler`` with N ``dask worker`` processes of one thread each on this
  machine (``--scheduler``), started before the clock runs (``client.wait_for_workers``).

``--repeat R`` runs the two N-worker engines R times, turn about (a shared machine's other
work comes and goes), and compares the best of each. Then it prints the scheduler's
throughput as a fraction of the embedded cluster's with the same N, and what one unit
costs, measured in the scheduler's runs: CPU seconds of its manim process (resource
usage), bytes sent to the worker (the pickled unit) and back (the pickled result: clip,
captions, log), the worker process's, the scheduler's and the client's CPU seconds per
unit, and the scheduler's CPU per bare task (200 empty tasks); and from these, how many
worker cores keep the scheduler, the client, or a 1 Gbit/s link at the client busy.

``--report DIR`` keeps what Dask saw of each run there (``DIR/<engine>/``: ``run.json``,
``task-stream.txt``, ``report.html`` when bokeh is installed; see
:mod:`scenes.episode.cluster`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenes.engine.lesson import LESSONS_DIR
from scenes.episode.builds import ROOT
from scenes.episode.cluster import REPORT_ENV

VARIANTS = [("default", 0), ("relu-he", 0), ("default", 1), ("relu-he", 1)]
#: Bytes per second of the link assumed at the client when telling where the network limits.
LINK = 125e6
#: Empty tasks timed to measure the scheduler's CPU per task.
BARE_TASKS = 200
#: Seconds the scheduler and its workers are watched idle, before the run.
IDLE = 5.0


@dataclass
class Row:
    """One engine's run of the course."""

    engine: str
    startup: float
    render: float
    total: float
    record: dict[str, Any]
    #: CPU seconds of the worker processes while the course ran (None for the embedded cluster)
    worker_cpu: float | None = None
    #: CPU seconds per second of the scheduler and of all worker processes, idle, before the run
    idle: tuple[float, float] = (0.0, 0.0)


def write_course(folder: Path, n_lessons: int, chapters: list[str] | None) -> tuple[Path, int]:
    """A course of ``n_lessons`` lessons (seed variants of the shipped ones) in en and zh."""
    paths = []
    for base, seed in VARIANTS[:n_lessons]:
        text = (LESSONS_DIR / f"{base}.toml").read_text(encoding="utf-8")
        name = f"{base}-s{seed}"
        text = text.replace(f'name = "{base}"', f'name = "{name}"').replace("seed = 0", f"seed = {seed}")
        path = folder / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    lines = ['name = "bench"', f"lessons = {json.dumps(paths)}", 'languages = ["en", "zh"]']
    if chapters:
        lines.append(f"chapters = {json.dumps(chapters)}")
    course = folder / "course.toml"
    course.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from scenes.engine.chapters import CHAPTERS

    return course, len(paths) * 2 * (len(chapters) if chapters else len(CHAPTERS))


def run(engine: str, course: Path, out: Path, report: Path, startup: float | None, *extra: str) -> Row:
    """Render ``course`` into ``out`` with ``scenes.render``, Dask's record of it in ``report``."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "scenes.render", "--preview", "--course", str(course), "--out", str(out),
                    *extra], cwd=ROOT, check=True, capture_output=True, env={**os.environ, REPORT_ENV: str(report)})
    total = time.perf_counter() - t0
    record = json.loads((report / "run.json").read_text(encoding="utf-8"))
    return Row(engine, record["startup"] if startup is None else startup, record["render"], total, record)


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    # the interpreter running this, not the dask script beside it: a copied virtualenv's scripts
    # still name the interpreter (and so the project) it was copied from
    return subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            cwd=log.parent)


def bare_task_cpu(client: Any) -> float:
    """The scheduler's CPU seconds per empty task, over :data:`BARE_TASKS` of them."""
    from distributed import wait

    before = client.run_on_scheduler(time.process_time)
    wait(client.map(int, range(BARE_TASKS), pure=False))
    return (client.run_on_scheduler(time.process_time) - before) / BARE_TASKS


def _workers_cpu(client: Any) -> float:
    return sum(client.run(time.process_time).values())


def with_scheduler(folder: Path, course: Path, workers: int, report: Path) -> tuple[Row, float]:
    """The course through a ``dask scheduler`` and ``workers`` single-thread worker processes
    (started before the clock runs); also the scheduler's CPU seconds per bare task."""
    from distributed import Client

    info = folder / f"{report.name}.json"
    procs = [_start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file",
                     str(info)], folder / f"{report.name}.log")]
    try:
        while not info.exists():
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        with Client(address) as client:
            t0 = time.perf_counter()
            procs += [_start(["worker", address, "--nthreads", "1", "--no-dashboard"],
                             folder / f"{report.name}-worker{i}.log") for i in range(workers)]
            client.wait_for_workers(workers, timeout=120)
            startup = time.perf_counter() - t0
            sched0, cpu0, t1 = client.run_on_scheduler(time.process_time), _workers_cpu(client), time.perf_counter()
            time.sleep(IDLE)
            cpu1, idle = _workers_cpu(client), time.perf_counter() - t1
            idle_rates = ((client.run_on_scheduler(time.process_time) - sched0) / idle, (cpu1 - cpu0) / idle)
            cpu0 = cpu1
            row = run(f"scheduler + {workers} worker processes", course, folder / report.name, report, startup,
                      "--scheduler", address)
            row.worker_cpu = _workers_cpu(client) - cpu0
            row.idle = idle_rates
            return row, bare_task_cpu(client)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scenes.episode.coursebench", description=__doc__.split("\n")[0])
    p.add_argument("--lessons", type=int, default=4, choices=range(1, len(VARIANTS) + 1))
    p.add_argument("--chapters", default=None, help="a subset of chapters, e.g. neuron,backprop (default: all)")
    p.add_argument("--workers", type=int, default=2, help="N: worker threads, and worker processes (default 2)")
    p.add_argument("--repeat", type=int, default=1,
                   help="run the two N-worker engines this many times, turn about (the best of each compared)")
    p.add_argument("--report", type=Path, default=None, metavar="DIR",
                   help="keep what Dask saw of each run in DIR/<engine>/ (run.json, task-stream.txt)")
    args = p.parse_args(argv)
    chapters = args.chapters.split(",") if args.chapters else None
    n = args.workers
    out = sys.stdout.write
    with tempfile.TemporaryDirectory(prefix="coursebench-") as tmp:
        folder = Path(tmp)
        reports = args.report.resolve() if args.report else folder / "report"
        course, units = write_course(folder, args.lessons, chapters)
        out(f"course: {args.lessons} lessons x 2 languages, {units} units at 480p15\n")
        rows = [run("LocalCluster, 1 worker thread", course, folder / "local-1", reports / "local-1", None,
                    "--jobs", "1")]
        local: list[Row] = []
        remote: list[Row] = []
        bare = []
        for i in range(args.repeat):
            name = f"-{n}" + (f"-{i + 1}" if args.repeat > 1 else "")
            local.append(run(f"LocalCluster, {n} worker threads", course, folder / f"local{name}",
                             reports / f"local{name}", None, "--jobs", str(n)))
            row, per_task = with_scheduler(folder, course, n, reports / f"scheduler{name}")
            remote.append(row)
            bare.append(per_task)
            rows += [local[-1], remote[-1]]
    base = rows[0].render
    out(f"{'engine':<34}{'start-up':>9}{'render':>8}{'total':>8}{'units/min':>11}{'scaling':>9}\n")
    for row in rows:
        out(f"{row.engine:<34}{row.startup:>9.1f}{row.render:>8.1f}{row.total:>8.1f}"
            f"{units / row.render * 60:>11.2f}{base / row.render:>9.2f}\n")
    best_local = min(r.render for r in local)
    best = min(remote, key=lambda r: r.render)
    out(f"scheduler / LocalCluster with {n}: {best_local / best.render:.2f} of the throughput "
        f"(rendering, start-up apart{', best of ' + str(args.repeat) + ' each' if args.repeat > 1 else ''})\n")
    done = [u for row in remote for u in row.record["units"] if u["cpu"] > 0]
    count = len(done)
    cpu = sum(u["cpu"] for u in done) / count
    b_in = sum(u["bytes_in"] for u in done) / count
    b_out = sum(u["bytes_out"] for u in done) / count
    sched = sum(r.record["scheduler_cpu"] for r in remote) / count
    client = sum(r.record["client_cpu"] for r in remote) / count
    worker = sum(r.worker_cpu or 0.0 for r in remote) / count
    # what the scheduler and the workers spend anyway, idle, apart
    sched_idle = sum(r.idle[0] for r in remote) / len(remote)
    worker_idle = sum(r.idle[1] for r in remote) / len(remote) / n
    sched_unit = sum(r.record["scheduler_cpu"] - sched_idle * r.record["render"] for r in remote) / count
    worker_unit = sum((r.worker_cpu or 0.0) - worker_idle * n * r.record["render"] for r in remote) / count
    out(f"per unit, through the scheduler: manim {cpu:.1f} CPU s; {b_in / 1e3:.1f} kB to the worker, "
        f"{b_out / 1e6:.2f} MB back; CPU of the worker process {worker * 1e3:.0f} ms, of the scheduler "
        f"{sched * 1e3:.0f} ms, of the client {client * 1e3:.0f} ms\n")
    out(f"idle, per second: a worker process {worker_idle * 1e3:.0f} ms CPU, the scheduler {sched_idle * 1e3:.0f} ms; "
        f"above idle, per unit: worker {worker_unit * 1e3:.0f} ms, scheduler {sched_unit * 1e3:.0f} ms "
        f"(a bare task {min(bare) * 1e3:.2f} ms)\n")
    out(f"worker cores that keep busy: the scheduler {cpu / max(sched_unit, min(bare)):.0f}, the client "
        f"{cpu / client:.0f}, a 1 Gbit/s link at the client {cpu * LINK / b_out:.0f}\n")
    if args.report:
        out(f"Dask's records: {reports}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
