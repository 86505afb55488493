"""Speech-synthesis benchmark: ``python -m scenes.episode.voicebench``.

Synthesises the captions of a chapter (the cold open by default) with each installed voice
into a fresh cache and prints synthesis seconds per second of speech, words per minute and
loudness.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from manim import tempconfig

from scenes.engine.chapters import by_slug
from scenes.engine.voice import EspeakService, PiperService, loudness, piper_model, read_wav


def captions_of(slug: str) -> list[str]:
    """The English captions of a chapter, from a dry run."""
    import importlib

    chapter = by_slug(slug)
    module = importlib.import_module(f"scenes.{chapter.path.stem}")
    with tempconfig({"dry_run": True, "quality": "low_quality", "disable_caching": True, "progress_bar": "none",
                     "verbosity": "ERROR"}):
        scene = getattr(module, chapter.scene)()
        scene.render()
    return [c for c in scene.captions if c]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scenes.episode.voicebench", description=__doc__.split("\n")[0])
    p.add_argument("--chapter", default="opening")
    args = p.parse_args(argv)
    sentences = captions_of(args.chapter)
    services = [("espeak-ng", EspeakService("en"))]
    if piper_model() is not None:
        services.insert(0, ("piper joe-medium", PiperService()))
    out = sys.stdout.write
    out(f"{len(sentences)} sentences of chapter {args.chapter}\n")
    out(f"{'voice':<18}{'speech s':>9}{'synth s':>9}{'s/s':>7}{'wpm':>6}{'LUFS':>7}\n")
    words = sum(len(s.split()) for s in sentences)
    for name, service in services:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            speech, levels = 0.0, []
            for s in sentences:
                record = service.generate_from_text(s, cache_dir=tmp)
                samples, rate = read_wav(Path(tmp) / record["original_audio"])
                speech += len(samples) / rate
                levels.append(loudness(samples, rate))
            took = time.perf_counter() - t0
        out(f"{name:<18}{speech:>9.1f}{took:>9.1f}{took / speech:>7.2f}{words / speech * 60:>6.0f}"
            f"{sum(levels) / len(levels):>7.1f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
