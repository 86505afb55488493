"""Every lesson the validator accepts builds every chapter, never a traceback.

Two random lessons (scenes/sweep.py; ``python -m scenes.sweep --lessons 50`` runs a longer
sweep) and the two lessons a careless user found crashing chapters, on every chapter."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from scenes.chapters import CHAPTERS, Chapter, by_slug
from scenes.lesson import load_lesson
from scenes.sweep import dry_run, random_lesson, write_lesson

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
}


@pytest.mark.parametrize("slug", list(FOUND))
def test_lessons_that_crashed_before_now_build(slug: str, tmp_path: Path) -> None:
    outcome = dry_run(by_slug(slug), load_lesson(write_lesson(FOUND[slug], tmp_path)))
    assert outcome.verdict != "crashed", outcome.detail


def test_the_sweep_draws_edges_and_every_kind() -> None:
    rng = random.Random(1)
    drawn = [random_lesson(rng, i) for i in range(200)]
    nets = [d["net"] for d in drawn]
    assert {n["width"] for n in nets} >= {1, 256} and {n["depth"] for n in nets} >= {2, 12}
    assert {d["training"]["learning_rate"] for d in drawn} >= {1e-6, 100.0}
    assert len({n["activation"] for n in nets}) == 4 and len({n["init"] for n in nets}) >= 5
