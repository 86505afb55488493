"""The Chinese (Simplified) version of the episode: catalogue, templates, every chapter, a render.

1. The template mechanism of :func:`scenes.i18n.translate`: ``{}`` holes, re-ordered
   ``{1} {0}``, exact entries before templates, untranslated text recorded in ``MISSING``.
2. The catalogue ``scenes/locale/zh.toml`` is well formed: keys are written as the scenes'
   texts are looked up (single spaces), every template puts back exactly the parts it takes.
3. Every chapter dry-runs with the zh lesson, and with a zh lesson on relu-he's net (whose
   captions carry other numbers and other sentences), leaving ``MISSING`` empty; its captions
   are Chinese, and any Latin word in them is one the catalogue itself uses (a name such as
   Nielsen or a symbol such as dC/dw), never a leftover English word.
4. One short chapter rendered by the real ``manim`` command with ``VG_LESSON`` set to the zh
   lesson: its .srt parses and its cues are Chinese, and its poster (``-s``) exists.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import srt

import scenes.i18n as i18n
from scenes.chapters import CHAPTERS, Chapter, by_slug
from scenes.lesson import LESSONS_DIR, load_lesson
from tests.conftest import dry_scene

ROOT = Path(__file__).resolve().parents[1]
ZH_LESSON = LESSONS_DIR / "zh.toml"
CATALOGUE = i18n.LOCALE_DIR / "zh.toml"
#: Chinese characters and full-width punctuation.
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
DRY_RUN = {"dry_run": True, "quality": "low_quality", "disable_caching": True, "progress_bar": "none"}
#: The shortest chapter at -ql, rendered for real (the whole clip, then its poster).
RENDERED = "opening"


# ---------- 1. the template mechanism ----------

@pytest.fixture
def toy_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A made-up language ``xx`` with one exact entry and two templates."""
    (tmp_path / "xx.toml").write_text(
        '"layer 1 gets" = "L1 BEKOMMT"\n'
        '"layer {} learned {} times slower than layer {}" = "[{2}] > [{0}] x{1}"\n'
        '"{} of {}" = "{1} 的 {0}"\n'
        '"layer {}" = "第 {0} 层"\n',
        encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    yield "xx"
    i18n.catalogue.cache_clear()


def test_template_puts_the_parts_back_in_any_order(toy_locale: str) -> None:
    t = i18n.translate
    assert t("layer 3", toy_locale) == "第 3 层"
    assert t("6.93e-06 of 1/4", toy_locale) == "1/4 的 6.93e-06"
    assert t("layer 1 learned 19 times slower than layer 4", toy_locale) == "[4] > [1] x19"
    # an exact entry wins over the template that would also match it
    assert t("layer 1 gets", toy_locale) == "L1 BEKOMMT"
    # white space is normalised before the look-up (scenes break long labels with \n)
    assert t("layer\n 12", toy_locale) == "第 12 层"


def test_untranslated_text_stays_english_and_is_recorded(toy_locale: str) -> None:
    i18n.MISSING.clear()
    assert i18n.translate("no such words", toy_locale) == "no such words"
    assert i18n.translate("no such words", "en") == "no such words"
    assert i18n.MISSING == {(toy_locale, "no such words")}
    i18n.MISSING.clear()


def test_real_catalogue_templates() -> None:
    i18n.catalogue.cache_clear()
    t = i18n.translate
    assert t("layer 3", "zh") == "第 3 层"
    assert t("Layer 1's gradient: 650 times smaller than layer 5's", "zh") == "第 1 层的梯度：比第 5 层小 650 倍"
    assert (t("Averaged over the 80 epochs, layer 1 learned 19 times slower than layer 4.", "zh")
            == "在这 80 轮里平均下来，第 1 层学得比第 4 层慢 19 倍。")
    assert t("570 times as far", "zh") == "前者是后者的 570 倍"  # a number first, then the words


# ---------- 2. the catalogue is well formed ----------

def test_catalogue_is_well_formed() -> None:
    data = i18n.load_entries("zh")
    assert len(data) > 250
    for key, value in data.items():
        assert isinstance(value, str) and value.strip(), key
        assert key == " ".join(key.split()), f"key is never looked up as written: {key!r}"
        holes = key.count("{}")
        used = {int(i) for i in re.findall(r"\{(\d+)\}", value)}
        assert used == set(range(holes)), f"{key!r} -> {value!r}: holes and {{n}} differ"
        assert value.format(*["x"] * holes)  # no stray braces
        # translated, unless it is a symbol, a number or a name (w = {}, 1e{}, ||dC/db||, ReLU, He)
        assert CJK.search(value) or not re.search(r"[A-Za-z]{3,}", key), f"{key!r} is not translated"


# ---------- 3. every chapter in Chinese ----------

@pytest.fixture(scope="module")
def zh_relu_he(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A lesson in Chinese on relu-he's net (its captions differ: other numbers, other verdicts)."""
    relu = tomllib.loads((LESSONS_DIR / "relu-he.toml").read_text(encoding="utf-8"))
    lines = ['name = "zh-relu-he"', 'title = "梯度消失（已修复）"', 'language = "zh"']
    for section in ("net", "training"):
        lines.append(f"[{section}]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in relu[section].items()]
    path = tmp_path_factory.mktemp("lessons") / "zh-relu-he.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    lesson = load_lesson(path)
    assert (lesson.language, lesson.activation, lesson.init, lesson.bias_init) == ("zh", "relu", "he", "zeros")
    return path


def catalogue_words() -> set[str]:
    """Every Latin word the translations themselves use (names, symbols, "sigmoid", ...)."""
    data = i18n.load_entries("zh")
    return {w for v in data.values() for w in LATIN_WORD.findall(v)}


def dry_run(chapter: Chapter, lesson_path: Path) -> list[str]:
    """``chapter`` rendered without writing anything; its captions (as written to the .srt)."""
    scene = dry_scene(chapter.slug, lesson_path)
    return [c.content for c in scene.renderer.file_writer.subcaptions]


@pytest.mark.parametrize("variant", ["zh", "zh-relu-he"])
@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.slug for c in CHAPTERS])
def test_chapter_is_all_chinese(chapter: Chapter, variant: str, zh_relu_he: Path) -> None:
    path = ZH_LESSON if variant == "zh" else zh_relu_he
    assert load_lesson(path).language == "zh"
    captions = dry_run(chapter, path)
    missing = sorted(dry_scene(chapter.slug, path).untranslated)
    assert missing == [], f"{chapter.name}: no zh translation for {missing}"
    assert captions, f"{chapter.name} has no captions"
    known = catalogue_words()
    for caption in captions:
        stray = set(LATIN_WORD.findall(caption)) - known
        assert not stray, f"{chapter.name}: English left in {caption!r}: {sorted(stray)}"
        if LATIN_WORD.search(caption) or len(caption) > 20:  # anything but a bare formula
            assert CJK.search(caption), f"{chapter.name}: caption is not Chinese: {caption!r}"


def test_the_opening_and_the_cost_are_chapters() -> None:
    """ColdOpen and TheCost are checked above as chapters of the episode."""
    assert {by_slug("opening").scene, by_slug("cost").scene} == {"ColdOpen", "TheCost"}


# ---------- 4. a real render ----------

def manim(media: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    chapter = by_slug(RENDERED)
    env = {**os.environ, "VG_LESSON": str(ZH_LESSON), "VG_NARRATE": "0"}
    return subprocess.run([sys.executable, "-m", "manim", "-ql", *flags, "--media_dir", str(media),
                           f"scenes/{chapter.file}", chapter.scene],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.render
def test_render_in_chinese(tmp_path: Path) -> None:
    chapter = by_slug(RENDERED)
    video = manim(tmp_path, "--progress_bar", "none")
    assert video.returncode == 0, video.stderr[-3000:]
    srts = list(tmp_path.rglob(f"{chapter.scene}.srt"))
    assert len(srts) == 1, f"no .srt under {tmp_path}"
    assert srts[0].with_suffix(".mp4").is_file()
    cues = list(srt.parse(srts[0].read_text(encoding="utf-8")))
    assert len(cues) >= 5
    for cue in cues:
        assert CJK.search(cue.content), f"cue not in Chinese: {cue.content!r}"
        assert cue.start < cue.end
    assert "no zh translation" not in video.stderr

    poster = manim(tmp_path, "-s", "--progress_bar", "none")
    assert poster.returncode == 0, poster.stderr[-3000:]
    pngs = list(tmp_path.rglob(f"{chapter.scene}*.png"))
    assert pngs and pngs[0].stat().st_size > 0
