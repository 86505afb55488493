"""Every lesson the validator accepts builds every chapter, never a traceback.

Two random lessons and the lessons users found crashing chapters, on every chapter
(``python -m scenes.sweep`` runs the whole covering set, 48 lessons x every chapter)."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest

from netsim.activations import ACTIVATIONS
from netsim.init import BIAS_INITS, WEIGHT_INITS
from scenes.engine.chapters import CHAPTERS, Chapter, by_slug
from scenes.engine.lesson import load_lesson
from scenes.sweep import (
    DEPTH_EDGES,
    RATE_EDGES,
    WIDTH_EDGES,
    covering_lessons,
    dry_run,
    lessons,
    random_lesson,
    write_lesson,
)

SWEEP_SEED = 20261130


def sweep_lessons(folder: Path) -> list[Path]:
    rng = random.Random(SWEEP_SEED)
    return [write_lesson(random_lesson(rng, i), folder) for i in range(2)]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.slug for c in CHAPTERS])
def test_random_valid_lessons_build_every_chapter(chapter: Chapter, tmp_path: Path) -> None:
    """Two random lessons between them cover every chapter (odd chapters on the first, even on
    the second), so the suite dry-runs each chapter once more; the script sweeps them all."""
    path = sweep_lessons(tmp_path)[chapter.number % 2]
    outcome = dry_run(chapter, load_lesson(path))
    assert outcome.verdict != "crashed", f"{chapter.name} on {path.read_text()}: {outcome.detail}"


FOUND = {
    "rock": {"name": "found-1", "title": "t", "language": "en", "theme": "dark", "narration": False,
             "net": {"depth": 7, "width": 1, "activation": "tanh", "init": "xavier-uniform",
                     "bias_init": "normal", "seed": 867836114}, "training": {"learning_rate": 0.1}},
    "training": {"name": "found-2", "title": "t", "language": "zh", "theme": "dark", "narration": False,
                 "net": {"depth": 3, "width": 256, "activation": "tanh", "init": "normal",
                         "bias_init": "normal", "seed": 4187932128}, "training": {"learning_rate": 100.0}},
    # every layer's change is 0 at this learning rate: chapter 5 divided by it
    "depth": {"name": "found-3", "title": "t", "language": "en", "theme": "dark", "narration": False,
              "net": {"depth": 12, "width": 2, "activation": "relu", "init": "xavier-uniform",
                      "bias_init": "zeros", "seed": 0}, "training": {"learning_rate": 1e-06}},
}


@pytest.mark.parametrize("slug", list(FOUND))
def test_lessons_that_crashed_before_now_build(slug: str, tmp_path: Path) -> None:
    outcome = dry_run(by_slug(slug), load_lesson(write_lesson(FOUND[slug], tmp_path)))
    assert outcome.verdict != "crashed", outcome.detail


def test_the_sweep_covers_the_schema() -> None:
    """Every activation x initialiser x bias initialiser once, and every edge of depth, width
    and learning rate many times among them."""
    drawn = covering_lessons()
    nets = [d["net"] for d in drawn]
    kinds = {(n["activation"], n["init"], n["bias_init"]) for n in nets}
    assert len(kinds) == len(drawn) == len(ACTIVATIONS) * len(WEIGHT_INITS) * len(BIAS_INITS)
    for field, edges in (("depth", DEPTH_EDGES), ("width", WIDTH_EDGES)):
        for edge in edges:
            assert sum(n[field] == edge for n in nets) >= 8, (field, edge)
    for edge in RATE_EDGES:
        assert sum(d["training"]["learning_rate"] == edge for d in drawn) >= 8, edge
    for d in drawn:
        load_lesson(write_lesson(d, Path(tempfile.mkdtemp())))  # every one is valid


def test_random_lessons_draw_edges_too() -> None:
    rng = random.Random(1)
    drawn = [random_lesson(rng, i) for i in range(200)]
    nets = [d["net"] for d in drawn]
    assert {n["width"] for n in nets} >= {1, 2, 256} and {n["depth"] for n in nets} >= {2, 12}
    assert {d["training"]["learning_rate"] for d in drawn} >= {1e-6, 100.0}
    assert len(lessons(60, 0)) == 60 and lessons(60, 0)[:48] == covering_lessons(0)
