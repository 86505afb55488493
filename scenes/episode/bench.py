"""Render-speed benchmark: ``python -m scenes.episode.bench``.

For each quality (480p15 and 1080p60 by default), from a cold cache (fresh output and media
folders, so manim's LaTeX and text caches start empty, as on a fresh clone):

1. the whole episode, rendered by the episode command itself (``python -m scenes.render``,
   as many chapters at a time as there are cores): render seconds per second of video
   (rs/vs), wall time over video length;
2. where each chapter's time went (:mod:`scenes.engine.profiling`, measured inside that same run):
   starting Python and manim, building the scene, cairo drawing, the encoder threads on
   moving frames and on held pictures, opening and closing segment encoders, the main
   thread waiting for the encoder, joining the segments;
3. the encoder's own floor for the same frames, in the same run: the episode's frames
   decoded and encoded again in one stream with the same encoder settings (only the encoding
   is timed), and the ratio of the render to that floor;
4. an unchanged re-run of the episode command.

Ratios, not seconds, are what compare across machines; the machine is printed with them.
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
from fractions import Fraction
from pathlib import Path

from netsim.bench import cpu
from scenes.engine.chapters import by_slug
from scenes.engine.profiling import ENV as PROFILE_ENV
from scenes.episode.builds import MANIM_CFG, ROOT
from scenes.episode.media import clip_info

QUALITIES = {"480p15": ["--preview"], "1080p60": []}
#: The split's columns, in the order printed.
PARTS = ("startup", "build", "draw", "encode_moving", "encode_held", "segments", "wait_encoder", "join")


@dataclass(frozen=True)
class EpisodeRun:
    """One cold run of the episode command: its wall time, the video's length, each unit's split."""

    seconds: float
    video_seconds: float
    episode: Path
    splits: dict[str, dict[str, float]]
    chapter_seconds: dict[str, float]

    @property
    def ratio(self) -> float:
        return self.seconds / self.video_seconds


def run_episode(flags: list[str], out: Path, chapters: str | None, profile: Path) -> EpisodeRun:
    """The episode command into ``out`` with ``VG_PROFILE`` set, timed from outside."""
    cmd = [sys.executable, "-m", "scenes.render", *flags, "--out", str(out)]
    if chapters:
        cmd += ["--chapters", chapters]
    env = {**os.environ, PROFILE_ENV: str(profile)}
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"bench: the episode command failed:\n{p.stderr[-2000:]}")
    splits = {f.stem: json.loads(f.read_text()) for f in sorted(profile.glob("*.json"))}
    chapter_seconds = {p.stem: clip_info(p).duration for p in sorted((out / "chapters").glob("*.mp4"))}
    episode = out / "episode.mp4"
    return EpisodeRun(seconds, clip_info(episode).duration, episode, splits, chapter_seconds)


def encoder_options() -> dict[str, str]:
    """The encoder settings manim.cfg gives manim (the floor encodes with the same)."""
    import configparser

    cfg = configparser.ConfigParser()
    cfg.read(MANIM_CFG)
    return dict(cfg["video_encoder.options"]) if cfg.has_section("video_encoder.options") else {}


def encoder_floor(episode: Path) -> tuple[float, int]:
    """Seconds x264 takes to encode the episode's frames once more, in one stream, with the
    same settings (decoding and colour conversion untimed), and the number of frames."""
    import av

    with av.open(str(episode)) as src, tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        stream = src.streams.video[0]
        rate = stream.average_rate or Fraction(stream.base_rate)
        with av.open(str(Path(tmp) / "floor.mp4"), "w") as dst:
            out = dst.add_stream("libx264", rate=rate, options=encoder_options())
            out.pix_fmt, out.width, out.height = "yuv420p", stream.codec_context.width, stream.codec_context.height
            seconds, frames = 0.0, 0
            for i, frame in enumerate(src.decode(stream)):
                frame = frame.reformat(format="yuv420p")
                frame.pts, frame.time_base = i, Fraction(1, 1) / rate
                t0 = time.perf_counter()
                packets = out.encode(frame)
                seconds += time.perf_counter() - t0
                for packet in packets:
                    dst.mux(packet)
                frames += 1
            t0 = time.perf_counter()
            packets = out.encode()
            seconds += time.perf_counter() - t0
            for packet in packets:
                dst.mux(packet)
    return seconds, frames


def print_split(run: EpisodeRun, write: object) -> None:
    """Per chapter: rs/vs of its own manim process (from its split) and where the time went."""
    out = write
    out(f"{'chapter':<14}{'video s':>8}{'rs/vs':>7}" + "".join(f"{p:>14}" for p in PARTS) + "\n")
    sums = dict.fromkeys(PARTS, 0.0)
    for name, split in run.splits.items():
        video = run.chapter_seconds.get(name, 0.0)
        if not video:
            continue
        render = split["total"] + split["startup"]
        row = f"{name:<14}{video:>8.1f}{render / video:>7.2f}"
        for p in PARTS:
            value = split.get(p, 0.0)
            sums[p] += value
            row += f"{value:>8.1f} {value / video:>4.2f}"
        out(row + "\n")
    video = sum(run.chapter_seconds.values())
    out(f"{'all chapters':<14}{video:>8.1f}{'':>7}" + "".join(f"{sums[p]:>8.1f} {sums[p] / video:>4.2f}"
                                                              for p in PARTS) + "\n")
    out("(each part: seconds, then seconds per video second; the encoder threads run beside the\n"
        " main thread, so encode_* and segments overlap build and draw)\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scenes.episode.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--qualities", default="480p15,1080p60", help="comma-separated: 480p15, 1080p60")
    parser.add_argument("--chapters", default=None, help="only these chapters (default: all)")
    parser.add_argument("--skip-rerun", action="store_true", help="do not time the unchanged episode re-run")
    args = parser.parse_args(argv)
    if args.chapters:
        for slug in args.chapters.split(","):
            by_slug(slug.strip())  # a wrong name stops here
    out = sys.stdout.write
    out(f"machine: {cpu()}\n")
    for qname in (q.strip() for q in args.qualities.split(",")):
        if qname not in QUALITIES:
            parser.error(f"quality {qname!r} is unknown; allowed: {', '.join(QUALITIES)}")
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            folder = Path(tmp)
            run = run_episode(QUALITIES[qname], folder / "out", args.chapters, folder / "profile")
            out(f"\n{qname}, cold cache, the episode command ({os.cpu_count()} chapters at a time): "
                f"{run.seconds:.1f} s for {run.video_seconds:.1f} s of video = {run.ratio:.2f} rs/vs\n")
            print_split(run, out)
            floor, frames = encoder_floor(run.episode)
            out(f"encoder floor: x264 ({', '.join(f'{k}={v}' for k, v in encoder_options().items())}) encodes "
                f"the episode's {frames} frames in {floor:.1f} s on one stream = {floor / run.video_seconds:.2f} "
                f"rs/vs; the render takes {run.seconds / floor:.2f} times that\n")
            if not args.skip_rerun:
                t0 = time.perf_counter()
                cmd = [sys.executable, "-m", "scenes.render", *QUALITIES[qname], "--out", str(folder / "out")]
                subprocess.run(cmd + (["--chapters", args.chapters] if args.chapters else []), cwd=ROOT,
                               check=True, capture_output=True)
                out(f"unchanged re-run: {time.perf_counter() - t0:.1f} s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
