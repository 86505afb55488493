"""The shrinking rectangle of chapter 6 (and of the vertical short): a product of factors
between 0 and 1, in exact arithmetic.

A square of area 1 is multiplied by each factor m_k in turn; what is left after k factors is
the product m_1 m_2 ... m_k. With the storyboard's factors 1/4, 1/3, 1/4 the areas are
1 -> 1/4 -> 1/12 -> 1/48. Every number is a :class:`fractions.Fraction`, so nothing is rounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Rational

from netsim.errors import require

#: The storyboard's rectangle: multiply by 1/4, by 1/3, by 1/4.
DEFAULT_MULTIPLIERS: tuple[Fraction, ...] = (Fraction(1, 4), Fraction(1, 3), Fraction(1, 4))


@dataclass(frozen=True)
class RectangleResult:
    """The rectangle: ``areas[k]`` is the product of the first k ``multipliers`` (``areas[0]`` = 1)."""

    multipliers: tuple[Fraction, ...]
    areas: tuple[Fraction, ...]


def _check_multipliers(multipliers: Sequence[Fraction | int]) -> tuple[Fraction, ...]:
    """The multipliers as exact fractions, each strictly between 0 and 1."""
    require(len(multipliers) >= 1, "multipliers: give at least one factor")
    out: list[Fraction] = []
    for m in multipliers:
        require(isinstance(m, Rational) and not isinstance(m, bool),
                f"multiplier {m!r} must be an exact fraction (fractions.Fraction)")
        f = Fraction(m)
        require(0 < f < 1, f"multiplier {f} must lie strictly between 0 and 1")
        out.append(f)
    return tuple(out)


def shrinking_factors(multipliers: Sequence[Fraction | int] = DEFAULT_MULTIPLIERS) -> RectangleResult:
    """The exact areas left of a unit square multiplied by ``multipliers`` (each in (0, 1)).

    Bad input raises :class:`~netsim.errors.NetsimError`.
    """
    mults = _check_multipliers(multipliers)
    areas = [Fraction(1)]
    for m in mults:
        areas.append(areas[-1] * m)
    return RectangleResult(multipliers=mults, areas=tuple(areas))
