"""Course-rendering benchmark on Dask: ``python -m scenes.episode.coursebench``.

Renders one course (by default 4 lessons x 2 languages at 480p15: the default, relu-he and
two variants of them with other seeds; ``--chapters`` for a subset) from a cold cache three
ways, and prints the throughput in units (one chapter of one lesson in one language) per
minute and the scaling ratio against one worker:

- the embedded LocalCluster with 1 worker thread (``--jobs 1``);
- the embedded LocalCluster with 2 (``--jobs 2``);
- a real ``dask scheduler`` with two ``dask worker`` processes on this machine (``--scheduler``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scenes.episode.render import ROOT
from scenes.lesson import LESSONS_DIR

VARIANTS = [("default", 0), ("relu-he", 0), ("default", 1), ("relu-he", 1)]


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
    from scenes.chapters import CHAPTERS

    return course, len(paths) * 2 * (len(chapters) if chapters else len(CHAPTERS))


def run(course: Path, out: Path, *extra: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "scenes.render", "--preview", "--course", str(course), "--out", str(out),
                    *extra], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t0


def with_local_cluster(folder: Path, course: Path) -> float:
    """The same course through a scheduler and two single-thread worker processes."""
    dask = str(Path(sys.executable).with_name("dask"))
    info = folder / "scheduler.json"
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(info)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        while not info.exists():
            time.sleep(0.2)
        for _ in range(2):
            procs.append(subprocess.Popen([dask, "worker", "--scheduler-file", str(info), "--nthreads", "1",
                                           "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(3)
        return run(course, folder / "out-remote", "--scheduler", json.loads(info.read_text())["address"])
    finally:
        for p in procs:
            p.terminate()
            p.wait()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scenes.episode.coursebench", description=__doc__.split("\n")[0])
    p.add_argument("--lessons", type=int, default=4, choices=range(1, len(VARIANTS) + 1))
    p.add_argument("--chapters", default=None, help="a subset of chapters, e.g. neuron,backprop (default: all)")
    args = p.parse_args(argv)
    chapters = args.chapters.split(",") if args.chapters else None
    out = sys.stdout.write
    with tempfile.TemporaryDirectory(prefix="coursebench-") as tmp:
        folder = Path(tmp)
        course, units = write_course(folder, args.lessons, chapters)
        out(f"course: {args.lessons} lessons x 2 languages, {units} units at 480p15\n")
        rows = [("LocalCluster, 1 worker thread", run(course, folder / "out1", "--jobs", "1")),
                ("LocalCluster, 2 worker threads", run(course, folder / "out2", "--jobs", "2")),
                ("scheduler + 2 worker processes", with_local_cluster(folder, course))]
    base = rows[0][1]
    out(f"{'engine':<34}{'seconds':>9}{'units/min':>11}{'scaling':>9}\n")
    for name, seconds in rows:
        out(f"{name:<34}{seconds:>9.1f}{units / seconds * 60:>11.2f}{base / seconds:>9.2f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
