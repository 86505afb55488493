"""Readable captions: a beat's sentence split into cues, and how long each cue must stay up.

The rules are those professional subtitlers use (and the tests check every chapter against):

- English: at most two lines of 42 characters a cue; at most 20 characters per second for
  any cue and at most 15 for the median one; every cue at least 1.2 s on screen.
- Simplified Chinese: at most two lines of 16 characters; at most 9 characters per second.

A long sentence is split at the strongest boundary that works: between sentences first,
then after a clause (a comma, semicolon, colon or dash), then between words (between
characters in Chinese, never inside a number, symbol or Latin word). Line breaks are
explicit (``\\n``), and each line break is balanced so the two lines are of similar length.

Characters are counted as subtitlers count them: every character of the cue but its line
breaks (in Chinese, spaces are not counted either).

This module knows nothing of manim: :class:`scenes.common.LessonScene` times its beats with
:func:`reading_time` and writes the cues of :func:`split_cues`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class CaptionRules:
    """The limits for one language, and the pace the beat engine times cues at."""

    line_width: int
    lines: int
    max_cps: float
    median_cps: float
    #: the pace cues are timed at: a little under the limits, so rounding never breaks them
    pace_cps: float
    min_seconds: float = 1.2

    @property
    def cue_width(self) -> int:
        return self.line_width * self.lines


RULES: dict[str, CaptionRules] = {
    "en": CaptionRules(line_width=42, lines=2, max_cps=20.0, median_cps=15.0, pace_cps=14.0),
    "zh": CaptionRules(line_width=16, lines=2, max_cps=9.0, median_cps=9.0, pace_cps=8.0),
}

#: Seconds between one cue's end and the next one's start, so cues never overlap.
CUE_GAP = 0.1

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Chinese punctuation that must not start a line.
_NO_LINE_START = set("，。、；：！？）》」』”’%")


def rules_for(lang: str) -> CaptionRules:
    """The rules of ``lang`` (languages without rules of their own use English's)."""
    return RULES.get(lang, RULES["en"])


def count_chars(cue: str, lang: str) -> int:
    """Characters a viewer reads in ``cue``: all but line breaks (and, in Chinese, spaces)."""
    if lang == "zh":
        return len(re.sub(r"\s", "", cue))
    return len(cue.replace("\n", " ").strip())


def reading_time(cue: str, lang: str) -> float:
    """Seconds ``cue`` must be on screen to be read at the language's pace (at least 1.2 s)."""
    r = rules_for(lang)
    return max(r.min_seconds, count_chars(cue, lang) / r.pace_cps)


# ---------- break opportunities ----------

def _atoms(text: str, lang: str) -> list[str]:
    """``text`` cut into pieces that are never split: words (and their spaces) in English;
    single Chinese characters, and runs of Latin letters, digits and symbols, in Chinese."""
    if lang == "zh":
        cjk = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
        return re.findall(rf"\s+|[{cjk}]|[^\s{cjk}]+", text)
    return re.findall(r"\s+|\S+", text)


def _join(atoms: list[str]) -> str:
    return "".join(atoms).strip()


def _width(text: str) -> int:
    return len(text)


def _line_breaks(atoms: list[str]) -> list[int]:
    """Indices i where a line may break before atoms[i] (the break drops whitespace)."""
    out = []
    for i in range(1, len(atoms)):
        a = atoms[i]
        if a.isspace() or atoms[i - 1].isspace():
            out.append(i)
        elif _CJK.match(a) or _CJK.match(atoms[i - 1][-1]):
            if a[0] not in _NO_LINE_START:
                out.append(i)
    return out


def _break_penalty(before: str, lang: str) -> float:
    """How much worse a line break after ``before`` reads than one after a punctuation mark."""
    if before[-1] in "，。；：、！？,.;:!?":
        return 0.0
    if lang == "zh":
        return 3.0 if not _CJK.match(before[-1]) else 8.0
    return 3.0


def wrap(text: str, lang: str) -> list[str] | None:
    """``text`` as at most the language's number of lines within its line width, each break
    balanced; None when it does not fit."""
    r = rules_for(lang)
    text = " ".join(text.split()) if lang != "zh" else text.strip()
    if _width(text) <= r.line_width:
        return [text]
    atoms = _atoms(text, lang)
    best: list[str] | None = None
    best_score = math.inf
    # two lines (the only case the rules allow beyond one): the most balanced break that fits
    for i in _line_breaks(atoms):
        a, b = _join(atoms[:i]), _join(atoms[i:])
        if not a or not b or _width(a) > r.line_width or _width(b) > r.line_width:
            continue
        score = abs(_width(a) - _width(b)) + _break_penalty(a, lang)
        if score < best_score:
            best, best_score = [a, b], score
    return best if r.lines >= 2 else None


def fits(text: str, lang: str) -> bool:
    """Whether ``text`` fits one cue of the language."""
    return wrap(text, lang) is not None


# ---------- splitting into cues ----------

_SENTENCE_END = {"en": r"(?<=[.!?])\s+(?=\S)", "zh": r"(?<=[。！？])\s*(?=\S)"}
_CLAUSE_END = {"en": r"(?<=[,;:])\s+(?=\S)|\s+(?=[—–]\s)", "zh": r"(?<=[，；：、])\s*(?=\S)|(?<=[,;:])\s+"}


def _split_at(text: str, pattern: str) -> list[str]:
    return [p.strip() for p in re.split(pattern, text) if p.strip()]


def _split_words(text: str, lang: str) -> list[str]:
    """A phrase too long for one cue, cut between words into the fewest balanced pieces."""
    r = rules_for(lang)
    atoms = _atoms(text, lang)
    n = math.ceil(_width(text) / (r.cue_width * 0.9))
    while True:
        target = _width(text) / n
        pieces: list[str] = []
        current: list[str] = []
        for atom in atoms:
            trial = _join(current + [atom])
            if current and (_width(trial) > target * 1.15 or not fits(trial, lang)) and not atom.isspace() \
                    and atom[0] not in _NO_LINE_START:
                pieces.append(_join(current))
                current = [atom]
            else:
                current.append(atom)
        if current:
            pieces.append(_join(current))
        if all(fits(p, lang) for p in pieces):
            return pieces
        n += 1
        if n > len(atoms):  # a single unbreakable atom wider than a cue: keep it whole
            return pieces


def _pack(pieces: list[str], lang: str) -> list[str]:
    """Consecutive pieces joined into one cue while the cue still fits."""
    sep = "" if lang == "zh" else " "
    out: list[str] = []
    for p in pieces:
        if out and fits(out[-1] + sep + p, lang):
            out[-1] = out[-1] + sep + p
        else:
            out.append(p)
    return out


def _pieces(text: str, lang: str) -> list[str]:
    key = "zh" if lang == "zh" else "en"
    if fits(text, lang):
        return [text]
    out: list[str] = []
    for sentence in _split_at(text, _SENTENCE_END[key]):
        if fits(sentence, lang):
            out.append(sentence)
            continue
        clauses: list[str] = []
        for clause in _split_at(sentence, _CLAUSE_END[key]):
            clauses.extend([clause] if fits(clause, lang) else _split_words(clause, lang))
        out.extend(_pack(clauses, lang))
    return out


def split_cues(text: str, lang: str) -> list[str]:
    """``text`` as cues that each fit the language's lines, line breaks written as ``\\n``."""
    text = text.strip()
    if not text:
        return []
    if lang != "zh":
        text = " ".join(text.split())
    cues = []
    for piece in _pack(_pieces(text, lang), lang):
        lines = wrap(piece, lang)
        cues.append("\n".join(lines) if lines else piece)
    return cues


@dataclass(frozen=True)
class CueCheck:
    """How one cue measures against its language's rules."""

    text: str
    seconds: float
    chars: int
    cps: float
    lines: int
    widest: int


def measure(text: str, seconds: float, lang: str) -> CueCheck:
    """One written cue (with its ``\\n`` line breaks) as the rules measure it."""
    chars = count_chars(text, lang)
    lines = text.split("\n")
    return CueCheck(text, seconds, chars, chars / seconds if seconds > 0 else math.inf, len(lines),
                    max(_width(line) for line in lines))


def problems(cues: list[tuple[str, float]], lang: str) -> list[str]:
    """Every way the cues ``(text, seconds on screen)`` break the language's rules."""
    r = rules_for(lang)
    out = []
    measured = [measure(t, s, lang) for t, s in cues]
    for c in measured:
        where = repr(c.text)
        if c.lines > r.lines:
            out.append(f"{where}: {c.lines} lines (at most {r.lines})")
        if c.widest > r.line_width:
            out.append(f"{where}: a line of {c.widest} characters (at most {r.line_width})")
        if c.seconds < r.min_seconds - 1e-3:
            out.append(f"{where}: on screen {c.seconds:.2f} s (at least {r.min_seconds})")
        if c.cps > r.max_cps + 1e-3:
            out.append(f"{where}: {c.cps:.1f} characters/s (at most {r.max_cps})")
    if measured:
        rates = sorted(c.cps for c in measured)
        median = rates[len(rates) // 2] if len(rates) % 2 else (rates[len(rates) // 2 - 1] + rates[len(rates) // 2]) / 2
        if median > r.median_cps + 1e-3:
            out.append(f"median {median:.1f} characters/s (at most {r.median_cps})")
    return out
