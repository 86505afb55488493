"""The episode's chapters in story order: which file and scene renders each one.

The numbers are the storyboard's (``shared/STORYBOARD.md``); chapters not yet written as
scenes are simply absent, and the episode is made of those listed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SCENES_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Chapter:
    """One chapter: its storyboard number, a short slug, the scene file and class, a title."""

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


CHAPTERS: tuple[Chapter, ...] = (
    Chapter(1, "opening", "opening.py", "ColdOpen", "A puzzle"),
    Chapter(2, "cost", "cost.py", "TheCost", "The cost"),
    Chapter(3, "rock", "rock.py", "RockOnSlope", "The rock on the slope"),
    Chapter(4, "depth", "depth.py", "WhyDepthMatters", "Why depth matters"),
    Chapter(5, "backprop", "backprop.py", "ForwardBackProp", "Forward prop, back prop"),
    Chapter(6, "rectangle", "rectangle.py", "ShrinkingRectangle", "The shrinking rectangle"),
    Chapter(7, "fading", "fading.py", "GradientsFading", "Gradients fading across a deep net"),
    Chapter(8, "training", "training.py", "CostOfFading", "The cost of fading"),
    Chapter(9, "exploding", "exploding.py", "ExplodingGradients", "Exploding gradients"),
    Chapter(10, "wayout", "wayout.py", "TheWayOut", "The way out"),
)


def by_slug(slug: str) -> Chapter:
    """The chapter with this slug or number; ValueError names the ones that exist."""
    for c in CHAPTERS:
        if slug in (c.slug, str(c.number), c.name):
            return c
    raise ValueError(f"chapter {slug!r} is unknown; allowed: {', '.join(c.slug for c in CHAPTERS)}")
