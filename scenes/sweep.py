"""``python -m scenes.sweep``: random valid lessons, every chapter dry-run on each.

Every lesson the validator accepts must build every chapter: either the chapter makes its
point, or it says on screen in one beat why the lesson's net cannot (a
:class:`~netsim.errors.NetsimError` from its experiment), never a traceback. This draws
lessons at random (seeded, edges included: width 1 and 256, depth 2 and 12, every activation
and initialiser, the extreme learning rates) and dry-runs every chapter on each; it prints one
line per lesson and chapter and exits 1 if any chapter crashed. The test suite runs a couple.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import random
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

from netsim.activations import ACTIVATIONS
from netsim.init import BIAS_INITS, WEIGHT_INITS
from scenes.chapters import CHAPTERS, Chapter
from scenes.lesson import LANGUAGES, MAX_DEPTH, MAX_WIDTH, MIN_DEPTH, THEMES, Lesson, load_lesson


def random_lesson(rng: random.Random, index: int) -> dict[str, object]:
    """One valid lesson's fields; each numeric field is at an edge a third of the time."""

    def edge_or(low: float, high: float, draw: float) -> float:
        return rng.choice([low, high]) if rng.random() < 1 / 3 else draw

    return {
        "name": f"sweep-{index}",
        "title": "sweep",
        "language": rng.choice(sorted(LANGUAGES)),
        "theme": rng.choice(sorted(THEMES)),
        "narration": False,
        "net": {
            "depth": int(edge_or(MIN_DEPTH, MAX_DEPTH, rng.randint(MIN_DEPTH, MAX_DEPTH))),
            "width": int(edge_or(1, MAX_WIDTH, rng.choice([2, 5, 10, 30, 64, 100]))),
            "activation": rng.choice(sorted(ACTIVATIONS)),
            "init": rng.choice(sorted(WEIGHT_INITS)),
            "bias_init": rng.choice(sorted(BIAS_INITS)),
            "seed": rng.randrange(2**32),
        },
        "training": {"learning_rate": float(edge_or(1e-6, 100.0, 10 ** rng.uniform(-3, 1)))},
    }


def write_lesson(fields: dict[str, object], folder: Path) -> Path:
    """The lesson as a TOML file (JSON's quoting of strings and numbers is valid TOML)."""
    lines = []
    for key, value in fields.items():
        if not isinstance(value, dict):
            lines.append(f"{key} = {json.dumps(value)}")
    for section, values in fields.items():
        if isinstance(values, dict):
            lines.append(f"[{section}]")
            lines += [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    path = folder / f"{fields['name']}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Outcome:
    """One chapter on one lesson: shown, shown as "cannot show" (with netsim's reason), or crashed."""

    chapter: str
    verdict: str
    detail: str = ""


#: The dry run steps through every frame of every animation, and draws one frame in this
#: many (one a second at -ql's 15 frames/s): drawing is most of a frame's cost, and a frame
#: that cannot be drawn shows up in the frames around it.
DRAW_EVERY = 15


def dry_run(chapter: Chapter, lesson: Lesson) -> Outcome:
    """``chapter`` dry-run on ``lesson`` (nothing written)."""
    from unittest import mock

    from manim import tempconfig
    from manim.camera.camera import Camera

    module = importlib.import_module(f"scenes.{chapter.path.stem}")
    draw, frames = Camera.capture_mobjects, itertools.count()

    def sometimes(camera: Camera, *args: object, **kwargs: object) -> None:
        if next(frames) % DRAW_EVERY == 0:
            draw(camera, *args, **kwargs)

    try:
        with tempconfig({"dry_run": True, "quality": "low_quality", "disable_caching": True,
                         "progress_bar": "none", "verbosity": "ERROR"}), \
                mock.patch.object(Camera, "capture_mobjects", sometimes):
            scene = getattr(module, chapter.scene)(lesson=lesson)
            scene.render()
    except Exception as exc:  # the sweep reports every crash rather than stopping at one
        return Outcome(chapter.slug, "crashed", "".join(traceback.format_exception_only(exc)).strip())
    reason = getattr(scene, "cannot_show_reason", None)
    return Outcome(chapter.slug, "cannot show" if reason else "shown", reason or "")


def sweep(n: int, seed: int, chapters: tuple[Chapter, ...] = CHAPTERS) -> list[tuple[dict[str, object], Outcome]]:
    """``n`` random lessons from ``seed``, every chapter of ``chapters`` on each."""
    rng = random.Random(seed)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            fields = random_lesson(rng, i)
            lesson = load_lesson(write_lesson(fields, Path(tmp)))
            out += [(fields, dry_run(c, lesson)) for c in chapters]
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scenes.sweep", description=__doc__.split("\n")[0])
    p.add_argument("--lessons", type=int, default=10, help="how many random lessons (default 10)")
    p.add_argument("--seed", type=int, default=0, help="the seed that draws them (default 0)")
    args = p.parse_args(argv)
    if args.lessons < 1:
        p.error("--lessons must be at least 1")
    crashed = 0
    for fields, outcome in sweep(args.lessons, args.seed):
        crashed += outcome.verdict == "crashed"
        sys.stdout.write(f"{fields['name']} {json.dumps(fields['net'])} eta={fields['training']['learning_rate']:.3g} "
                         f"{fields['language']}  {outcome.chapter}: {outcome.verdict} {outcome.detail}\n")
    sys.stdout.write(f"{crashed} crashed\n")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
