"""Render-speed benchmark: ``python -m scenes.episode.bench``.

Renders every chapter from a cold cache (a fresh media folder) at 480p15 and at 1080p60,
exactly as the episode command does, and prints per chapter and for the whole episode the
render seconds per second of video (rs/vs) and the peak memory of the manim process; then
times an unchanged re-run of the episode command. It also prints netsim's own benchmark.
Ratios, not seconds, are what compare across machines.

Goals on a 2-core machine (issue 7): 1080p60 episode <= 1.2 rs/vs with no chapter above
1.6; 480p15 episode <= 0.3 rs/vs; unchanged re-run under 10 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from scenes.chapters import CHAPTERS, Chapter, by_slug
from scenes.episode.media import clip_info
from scenes.episode.render import ROOT
from scenes.episode.units import FULL, PREVIEW, Quality, manim_command
from scenes.lesson import LESSON_ENV, load_lesson

QUALITIES = {"480p15": PREVIEW, "1080p60": FULL}


@dataclass(frozen=True)
class Measure:
    """One chapter rendered once."""

    chapter: Chapter
    quality: Quality
    seconds: float
    video_seconds: float
    peak_mb: float
    size_mb: float

    @property
    def ratio(self) -> float:
        """Render seconds per video second."""
        return self.seconds / self.video_seconds


def render_once(chapter: Chapter, quality: Quality, media: Path) -> Measure:
    """Render a chapter into a fresh media folder; time it and read the process's peak RSS."""
    env = {**os.environ, LESSON_ENV: str(load_lesson().source)}
    cmd = manim_command(chapter, quality, media)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"bench: {chapter.name} failed: {proc.stderr.read().decode()[-500:] if proc.stderr else ''}")
    video = next(p for p in media.rglob(f"{chapter.name}.mp4") if "partial_movie_files" not in p.parts)
    return Measure(chapter, quality, seconds, clip_info(video).duration, usage.ru_maxrss / 1024,
                   video.stat().st_size / 1e6)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scenes.episode.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--qualities", default="480p15,1080p60", help="comma-separated: 480p15, 1080p60")
    parser.add_argument("--chapters", default=None, help="only these chapters (default: all)")
    parser.add_argument("--skip-rerun", action="store_true", help="do not time the unchanged episode re-run")
    args = parser.parse_args(argv)
    out = sys.stdout.write
    chapters = [by_slug(s) for s in args.chapters.split(",")] if args.chapters else list(CHAPTERS)
    for qname in args.qualities.split(","):
        quality = QUALITIES[qname.strip()]
        out(f"\n{quality.label}, cold cache, one chapter at a time\n")
        out(f"{'chapter':<16}{'video s':>9}{'render s':>10}{'rs/vs':>8}{'peak MB':>9}{'file MB':>9}\n")
        measures = []
        for c in chapters:
            with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
                m = render_once(c, quality, Path(tmp))
            measures.append(m)
            out(f"{c.name:<16}{m.video_seconds:>9.1f}{m.seconds:>10.1f}{m.ratio:>8.2f}{m.peak_mb:>9.0f}"
                f"{m.size_mb:>9.1f}\n")
        total_v = sum(m.video_seconds for m in measures)
        total_r = sum(m.seconds for m in measures)
        out(f"{'episode':<16}{total_v:>9.1f}{total_r:>10.1f}{total_r / total_v:>8.2f}"
            f"{max(m.peak_mb for m in measures):>9.0f}{sum(m.size_mb for m in measures):>9.1f}\n")
    if not args.skip_rerun:
        with tempfile.TemporaryDirectory(prefix="bench-episode-") as tmp:
            cmd = [sys.executable, "-m", "scenes.render", "--preview", "--out", tmp]
            if args.chapters:
                cmd += ["--chapters", args.chapters]
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
            first = time.perf_counter() - t0
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
            again = time.perf_counter() - t0
        out(f"\nepisode command at 480p15: first run {first:.1f} s (chapters in parallel), "
            f"unchanged re-run {again:.1f} s\n")
    out("\nnetsim\n")
    from netsim.bench import main as netsim_bench

    netsim_bench(["--repeats", "20"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
