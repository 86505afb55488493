"""``python -m scenes.sweep``: valid lessons over the whole schema, every chapter dry-run on each.

Every lesson the validator accepts must build every chapter: either the chapter makes its
point, or it says on screen in one beat why the lesson's net cannot (a
:class:`~netsim.errors.NetsimError` from its experiment), never a traceback. The lessons cover
the documented schema (:func:`covering_lessons`): every activation x initialiser x bias
initialiser once, each with depth, width and learning rate taken in turn from their edges
(depth 2 and 12, width 1, 2 and 256, learning rates 1e-6 and 100) and from random values
between; ``--lessons`` beyond that count adds random lessons. Each chapter is dry-run on each
lesson; one line per lesson and chapter, exit status 1 if any chapter crashed. The test
suite runs a few of them.
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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from netsim.activations import ACTIVATIONS
from netsim.init import BIAS_INITS, WEIGHT_INITS
from scenes.engine.chapters import CHAPTERS, Chapter, by_slug
from scenes.engine.lesson import LANGUAGES, MAX_DEPTH, MAX_WIDTH, MIN_DEPTH, THEMES, Lesson, load_lesson

#: The edges of the schema the covering lessons take in turn (scenes.engine.lesson's limits).
DEPTH_EDGES = (MIN_DEPTH, MAX_DEPTH)
WIDTH_EDGES = (1, 2, MAX_WIDTH)
RATE_EDGES = (1e-6, 100.0)


def _fields(index: int, rng: random.Random, net: dict[str, object], learning_rate: float) -> dict[str, object]:
    """A lesson's fields around ``net``, with a random language, theme and seed."""
    return {
        "name": f"sweep-{index}",
        "title": "sweep",
        "language": rng.choice(sorted(LANGUAGES)),
        "theme": rng.choice(sorted(THEMES)),
        "narration": False,
        "net": {**net, "seed": rng.randrange(2**32)},
        "training": {"learning_rate": float(learning_rate)},
    }


def covering_lessons(seed: int = 0) -> list[dict[str, object]]:
    """One lesson per activation x initialiser x bias initialiser (48), in an order shuffled by
    ``seed``; lesson i takes depth, width and learning rate from the edges in turn (an edge,
    or every third time a random value between them), so every edge meets many kinds of net."""
    rng = random.Random(seed)
    kinds = list(itertools.product(sorted(ACTIVATIONS), sorted(WEIGHT_INITS), sorted(BIAS_INITS)))
    rng.shuffle(kinds)
    depths = [*DEPTH_EDGES, None]
    widths = [*WIDTH_EDGES, None]
    rates = [*RATE_EDGES, None]
    lessons = []
    for i, (activation, init, bias_init) in enumerate(kinds):
        depth, width, rate = depths[i % len(depths)], widths[i % len(widths)], rates[(i // 3) % len(rates)]
        net = {
            "depth": depth if depth is not None else rng.randint(MIN_DEPTH + 1, MAX_DEPTH - 1),
            "width": width if width is not None else rng.choice([5, 10, 30, 64, 100]),
            "activation": activation, "init": init, "bias_init": bias_init,
        }
        lessons.append(_fields(i, rng, net, rate if rate is not None else 10 ** rng.uniform(-3, 1)))
    return lessons


def random_lesson(rng: random.Random, index: int) -> dict[str, object]:
    """One valid lesson's fields; each numeric field is at an edge a third of the time."""

    def edge_or(edges: tuple[float, ...], draw: float) -> float:
        return rng.choice(edges) if rng.random() < 1 / 3 else draw

    net = {
        "depth": int(edge_or(DEPTH_EDGES, rng.randint(MIN_DEPTH, MAX_DEPTH))),
        "width": int(edge_or(WIDTH_EDGES, rng.choice([2, 5, 10, 30, 64, 100]))),
        "activation": rng.choice(sorted(ACTIVATIONS)),
        "init": rng.choice(sorted(WEIGHT_INITS)),
        "bias_init": rng.choice(sorted(BIAS_INITS)),
    }
    return _fields(index, rng, net, edge_or(RATE_EDGES, 10 ** rng.uniform(-3, 1)))


def lessons(n: int, seed: int) -> list[dict[str, object]]:
    """The first ``n`` covering lessons, then random ones (named on from there)."""
    out = covering_lessons(seed)[:n]
    rng = random.Random(seed + 1)
    out += [random_lesson(rng, i) for i in range(len(out), n)]
    return out


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


def dry_run(chapter: Chapter, lesson: Lesson, every_frame: bool = True) -> Outcome:
    """``chapter`` dry-run on ``lesson`` (nothing written): stepping through every frame and
    drawing one in :data:`DRAW_EVERY`, or (``every_frame=False``, several times faster)
    skipping each animation to its end and drawing the last picture only."""
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
                         "progress_bar": "none", "verbosity": "ERROR", "skip_animations": not every_frame}), \
                mock.patch.object(Camera, "capture_mobjects", sometimes):
            scene = getattr(module, chapter.scene)(lesson=lesson)
            scene.render()
            if not every_frame:
                scene.renderer.update_frame(scene, ignore_skipping=True)
    except Exception as exc:  # the sweep reports every crash rather than stopping at one
        return Outcome(chapter.slug, "crashed", "".join(traceback.format_exception_only(exc)).strip())
    reason = getattr(scene, "cannot_show_reason", None)
    return Outcome(chapter.slug, "cannot show" if reason else "shown", reason or "")


def sweep(n: int, seed: int, chapters: tuple[Chapter, ...] = CHAPTERS,
          every_frame: bool = True) -> Iterator[tuple[dict[str, object], Outcome]]:
    """``n`` lessons from ``seed`` (:func:`lessons`), every chapter of ``chapters`` on each."""
    with tempfile.TemporaryDirectory() as tmp:
        for fields in lessons(n, seed):
            lesson = load_lesson(write_lesson(fields, Path(tmp)))
            for c in chapters:
                yield fields, dry_run(c, lesson, every_frame)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scenes.sweep", description=__doc__.split("\n")[0])
    p.add_argument("--lessons", type=int, default=len(covering_lessons()),
                   help=f"how many lessons (default {len(covering_lessons())}: the whole covering set)")
    p.add_argument("--seed", type=int, default=0, help="the seed that draws them (default 0)")
    p.add_argument("--chapters", default=None, help="only these chapters, e.g. rock,depth (default: all)")
    p.add_argument("--quick", action="store_true",
                   help="skip each animation to its end and draw only the last picture (several times faster)")
    args = p.parse_args(argv)
    if args.lessons < 1:
        p.error("--lessons must be at least 1")
    try:
        chapters = tuple(by_slug(s.strip()) for s in args.chapters.split(",")) if args.chapters else CHAPTERS
    except ValueError as exc:
        p.error(str(exc))
    crashed = 0
    for fields, outcome in sweep(args.lessons, args.seed, chapters, every_frame=not args.quick):
        crashed += outcome.verdict == "crashed"
        sys.stdout.write(f"{fields['name']} {json.dumps(fields['net'])} eta={fields['training']['learning_rate']:.3g} "
                         f"{fields['language']}  {outcome.chapter}: {outcome.verdict} {outcome.detail}\n")
    sys.stdout.write(f"{crashed} crashed\n")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
