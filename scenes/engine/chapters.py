"""The episode's chapters in story order: which file and scene renders each one.

The numbers are the story's order; the episode is made of the chapters listed here, and
captions that refer to another chapter get its number from here (:func:`number_of`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The folder of the chapter files (``scenes/``), where users run them from.
SCENES_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Chapter:
    """One chapter: its number in the story, a short slug, the scene file and class, a title."""

    number: int
    slug: str
    file: str
    scene: str
    title: str

    @property
    def path(self) -> Path:
        return SCENES_DIR / self.file

    @property
    def name(self) -> str:
        """``03-rock``: the file name stem of this chapter's outputs."""
        return f"{self.number:02d}-{self.slug}"


@dataclass(frozen=True)
class ChapterOutput:
    """Where one chapter's finished files are (the record the episode command hands to the gallery)."""

    chapter: Chapter
    clip: Path
    srt: Path
    vtt: Path
    poster: Path


CHAPTERS: tuple[Chapter, ...] = (
    Chapter(1, "opening", "opening.py", "ColdOpen", "A puzzle"),
    Chapter(2, "cost", "cost.py", "TheCost", "The cost"),
    Chapter(3, "neuron", "neuron.py", "OneNeuron", "One neuron"),
    Chapter(4, "rock", "rock.py", "RockOnSlope", "The rock on the slope"),
    Chapter(5, "depth", "depth.py", "WhyDepthMatters", "What depth should buy"),
    Chapter(6, "backprop", "backprop.py", "ForwardBackProp", "Back prop: a product of factors"),
    Chapter(7, "fading", "fading.py", "GradientsFading", "Gradients fading across a deep net"),
    Chapter(8, "training", "training.py", "CostOfFading", "The cost of fading"),
    Chapter(9, "exploding", "exploding.py", "ExplodingGradients", "Exploding gradients"),
    Chapter(10, "wayout", "wayout.py", "TheWayOut", "The way out"),
    Chapter(11, "trains", "trains.py", "FixedNetTrains", "The fixed nets train"),
    Chapter(12, "after", "after.py", "WhatCameAfter", "Other fixes, and the history"),
)


def number_of(slug: str) -> int:
    """The number of the chapter ``slug``: captions that refer to another chapter
    say its number through this, so renumbering never leaves a stale reference."""
    return by_slug(slug).number


def by_slug(slug: str) -> Chapter:
    """The chapter with this slug or number; ValueError names the ones that exist."""
    for c in CHAPTERS:
        if slug in (c.slug, str(c.number), c.name):
            return c
    raise ValueError(f"chapter {slug!r} is unknown; allowed: {', '.join(c.slug for c in CHAPTERS)}")
