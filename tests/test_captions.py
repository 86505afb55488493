"""Every cue of every chapter, in English and in Chinese, is readable in time.

The rules (scenes/captions.py): English at most 20 characters/s for any cue and 15 for the
median, two lines of 42; Chinese at most 9 characters/s, two lines of 16; every cue at least
1.2 s; cues never overlap. The chapters are dry-run (nothing rendered) and their own
subcaptions, as manim writes them to the .srt, are measured.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenes.captions import CUE_GAP, measure, problems, reading_time, rules_for, split_cues, wrap
from scenes.chapters import CHAPTERS, Chapter
from scenes.lesson import LESSONS_DIR
from tests.conftest import dry_scene

LESSONS = {"en": LESSONS_DIR / "default.toml", "zh": LESSONS_DIR / "zh.toml"}
MEDIAN_CPS = rules_for("en").median_cps


def cues_of(chapter: Chapter, lang: str) -> list[tuple[str, float, float]]:
    scene = dry_scene(chapter.slug, LESSONS[lang])
    return [(c.content, c.start.total_seconds(), c.end.total_seconds())
            for c in scene.renderer.file_writer.subcaptions]


@pytest.mark.parametrize("lang", list(LESSONS))
@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.slug for c in CHAPTERS])
def test_every_cue_is_readable(chapter: Chapter, lang: str) -> None:
    cues = cues_of(chapter, lang)
    assert cues, f"{chapter.name} has no captions"
    found = problems([(text, end - start) for text, start, end in cues], lang)
    assert not found, f"{chapter.name} ({lang}): " + "; ".join(found)
    for (_, _, end), (text, start, _) in zip(cues, cues[1:]):
        assert start >= end, f"{chapter.name} ({lang}): {text!r} starts before the previous cue ends"
    if lang == "en":  # the whole episode's median, checked one chapter at a time (see below)
        slow = [t for t, s, e in cues if measure(t, e - s, lang).cps <= MEDIAN_CPS + 1e-3]
        assert 2 * len(slow) > len(cues), f"{chapter.name}: only {len(slow)} of {len(cues)} cues at most {MEDIAN_CPS}/s"


def _chapter_rates(slow: int) -> st.SearchStrategy[list[float]]:
    """A chapter's cue rates, ``slow`` of them at most 15/s and fewer than that above it."""
    return st.tuples(st.lists(st.floats(0.5, MEDIAN_CPS), min_size=slow, max_size=slow),
                     st.lists(st.floats(MEDIAN_CPS + 0.01, 40.0), max_size=slow - 1)).map(lambda t: t[0] + t[1])


@given(st.lists(st.integers(1, 15).flatmap(_chapter_rates), min_size=1, max_size=13))
def test_the_whole_episode_median_follows_from_each_chapter(chapters: list[list[float]]) -> None:
    """The median English cue of the whole episode is at most 15 characters/s.

    Each chapter is checked on its own worker, above: more than half of its cues are at
    most 15/s. Then more than half of all the episode's cues are, so both middle values of
    the whole episode, and the median, are at most 15/s. This checks that step on chapters
    of any rates, with ``problems``' own median (no dry run of all 13 chapters is needed).
    """
    def cues(rates: list[float]) -> list[tuple[str, float]]:
        return [("x" * 30, 30 / r) for r in rates]  # 30 characters at r characters/s

    every = [c for rates in chapters for c in cues(rates)]
    assert not [p for p in problems(every, "en") if p.startswith("median")]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.slug for c in CHAPTERS])
def test_chapters_caption_only_through_beats(chapter: Chapter) -> None:
    """One beat API: no chapter writes captions or reading speeds of its own."""
    source = Path(chapter.path).read_text(encoding="utf-8")
    for pattern in (r"subcaption", r"add_subcaption", r"READING_SPEED", r"CUE_MARGIN", r"def say\b",
                    r"def beat\b"):
        assert not re.search(pattern, source), f"{chapter.file} uses {pattern}"


# ---------- the splitter itself ----------

def test_a_short_caption_is_one_line() -> None:
    assert split_cues("Forward goes left to right.", "en") == ["Forward goes left to right."]


def test_a_long_sentence_splits_at_phrases_into_two_line_cues() -> None:
    text = ("Back prop starts at the output, with the error of the ten outputs, and multiplies it "
            "by one factor per layer on its way back to the first layer, where little is left.")
    cues = split_cues(text, "en")
    assert len(cues) >= 2
    assert " ".join(" ".join(c.split("\n")) for c in cues) == text
    for c in cues:
        lines = c.split("\n")
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines)
    assert cues[0].endswith(",")  # the first break is at a clause, not mid-phrase


def test_chinese_splits_at_punctuation_and_keeps_numbers_whole() -> None:
    text = "训练就像石头滚下山坡：它逆着斜率迈步，每一步是学习率 η 乘以斜率 dC/dw。第 1 层的梯度只有第 4 层的 1/120。"
    cues = split_cues(text, "zh")
    assert "".join(c.replace("\n", "") for c in cues).replace(" ", "") == text.replace(" ", "")
    for c in cues:
        lines = c.split("\n")
        assert len(lines) <= 2 and all(len(line) <= 16 for line in lines)
        assert "1/1\n20" not in c and "dC/\ndw" not in c
    assert cues[0].replace("\n", "").endswith(("：", "，", "。"))


def test_wrap_balances_two_lines() -> None:
    lines = wrap("The slope is highest at z = 0, and even there it is only one quarter.", "en")
    assert lines is not None and len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) < 15


def test_reading_time_is_the_pace_with_a_floor() -> None:
    assert reading_time("Hi.", "en") == 1.2
    assert reading_time("x" * 70, "en") == pytest.approx(5.0)
    assert reading_time("梯度" * 8, "zh") == pytest.approx(2.0)
    assert CUE_GAP > 0


def test_problems_names_what_is_wrong() -> None:
    assert problems([("a" * 30, 1.0)], "en") and problems([("a\nb\nc", 2.0)], "en")
    assert problems([("梯度" * 6, 1.2)], "zh")
    assert not problems([("Forward goes left to right.", 2.0)], "en")
