"""The Chinese (Simplified) version of the episode: templates, catalogue, every chapter, a render.

1. The mechanism of :mod:`scenes.engine.i18n`: a template marked with ``t`` is translated, then its
   named fields are filled in, in any order; a field may be a message of its own; a plain
   string is shown as it is or looked up whole; untranslated text is recorded in ``MISSING``.
2. The gettext catalogue ``scenes/locale/zh/LC_MESSAGES/messages.po`` is complete and has
   nothing else: every template Babel's extractor finds in the scenes (with the mapping
   ``scenes/locale/babel.cfg``) has a translation with the same fields, and every entry is
   a template the scenes still use. Captions and labels are written as marked templates,
   never as f-strings.
3. Every chapter dry-runs with the zh lesson, and with a zh lesson on relu-he's net (whose
   captions carry other numbers and other sentences), leaving ``MISSING`` empty; its captions
   are Chinese, and any Latin word in them is one the catalogue itself uses (a name such as
   Nielsen or a symbol such as dC/dw), never a leftover English word.
4. One short chapter's poster (``-s``) by the real ``manim`` command with ``VG_LESSON`` set to
   the zh lesson. (The chapter's whole render in Chinese is checked by tests/test_course.py,
   narrated by tests/test_narration.py.)
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import scenes.engine.i18n as i18n
from scenes.engine.chapters import CHAPTERS, Chapter, by_slug
from scenes.engine.i18n import t
from scenes.engine.lesson import LESSONS_DIR, load_lesson
from tests.conftest import dry_scene

ROOT = Path(__file__).resolve().parents[1]
ZH_LESSON = LESSONS_DIR / "zh.toml"
#: Chinese characters and full-width punctuation.
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
DRY_RUN = {"dry_run": True, "quality": "low_quality", "disable_caching": True, "progress_bar": "none"}
#: The shortest chapter at -ql, rendered for real (the whole clip, then its poster).
RENDERED = "opening"


# ---------- 1. the mechanism ----------

@pytest.fixture
def toy_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A made-up language ``xx`` with a catalogue of three entries."""
    po = tmp_path / "xx" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "layer {l} learned {ratio} times slower than layer {last}"
msgstr "[{last}] > [{l}] x{ratio}"

msgid "layer {l}"
msgstr "第 {l} 层"

msgid "{part} of {whole}"
msgstr "{whole} 的 {part}"

msgid "the output"
msgstr "输出"

#, fuzzy
msgid "a guess"
msgstr "猜的"
''', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    yield "xx"
    i18n.catalogue.cache_clear()


def test_template_is_translated_then_filled(toy_locale: str) -> None:
    tr = i18n.translate
    assert tr(t("layer {l}", l=3), toy_locale) == "第 3 层"
    assert tr(t("layer {l}", l=3), "en") == str(t("layer {l}", l=3)) == "layer 3"
    assert tr(t("layer {l} learned {ratio} times slower than layer {last}", l=1, ratio=19, last=4),
              toy_locale) == "[4] > [1] x19"
    # a field may be a message of its own, translated in the same language; numbers never are
    assert tr(t("{part} of {whole}", part="6.93e-06", whole=t("the output")), toy_locale) == "输出 的 6.93e-06"
    assert tr(t("{part} of {whole}", part="6.93e-06", whole=t("the output")), "en") == "6.93e-06 of the output"
    # a plain string: shown as it is without words, looked up whole with them
    assert tr("1.5e-03 −0.25", toy_locale) == "1.5e-03 −0.25"
    assert tr("the output", toy_locale) == "输出"


def test_a_template_is_given_every_field_it_names() -> None:
    with pytest.raises(TypeError, match="ratio"):
        t("layer {l} learned {ratio} times slower", l=1)
    with pytest.raises(ValueError, match="named"):
        t("layer {} of {0}")
    assert t("a brace {{ and {x}", x=1, unused=2).fields == (("x", 1),)
    assert str(t("a brace {{ and {x}", x=1)) == "a brace { and 1"


def test_untranslated_text_stays_english_and_is_recorded(toy_locale: str) -> None:
    i18n.MISSING.clear()
    assert i18n.translate(t("no such {n} words", n=2), toy_locale) == "no such 2 words"
    assert i18n.translate(t("a guess"), toy_locale) == "a guess"  # fuzzy entries are left out
    assert i18n.translate(t("{part} of {whole}", part=1, whole=t("input")), toy_locale) == "1 of input"
    assert i18n.translate("no such words", toy_locale) == "no such words"
    assert i18n.translate("no such words", "en") == "no such words"
    assert i18n.MISSING == {(toy_locale, "no such {n} words"), (toy_locale, "a guess"), (toy_locale, "input"),
                            (toy_locale, "no such words")}
    i18n.MISSING.clear()


def test_real_catalogue() -> None:
    i18n.catalogue.cache_clear()
    tr = i18n.translate
    assert tr(t("overflow"), "zh") == "上溢"


# ---------- 2. the catalogue is complete, and has nothing else ----------

@pytest.fixture(scope="module")
def extracted() -> dict[str, list[str]]:
    """Every template Babel's extractor finds in the scenes."""
    return i18n.extract()


def test_the_catalogue_translates_every_template_and_nothing_else(extracted: dict[str, list[str]]) -> None:
    with i18n.catalogue_path("zh").open("rb") as f:
        po = read_po(f, locale="zh", abort_invalid=True)
    entries = [m for m in po if m.id]
    ids = [m.id for m in entries]
    assert len(ids) == len(set(ids))
    assert set(extracted) - set(ids) == set(), "templates with no zh entry (add them to the .po)"
    assert set(ids) - set(extracted) == set(), "entries no scene uses any more (remove them from the .po)"
    for m in entries:
        assert isinstance(m.id, str) and m.string and not m.fuzzy, f"{m.id!r} is not translated"
        names = i18n.field_names(m.id)
        assert set(i18n.field_names(m.string)) == set(names), f"{m.id!r} -> {m.string!r}: fields differ"
        assert m.string.format(**dict.fromkeys(names, "x"))  # no stray braces
        # translated, unless it is a symbol, a number or a name (w = {w}, ||dC/db||, ReLU, He)
        words = re.sub(r"\{\w+\}", "", m.id)
        assert CJK.search(m.string) or not re.search(r"[A-Za-z]{3,}", words), f"{m.id!r} is not translated"


def test_each_entry_names_the_files_its_template_is_in(extracted: dict[str, list[str]]) -> None:
    """Each entry's ``#:`` comments name the files the extractor finds its template in (as
    ``pybabel extract --add-location=file`` writes them), so a translator sees where it is shown."""
    with i18n.catalogue_path("zh").open("rb") as f:
        po = read_po(f, locale="zh")
    stale = {}
    for m in po:
        if m.id in extracted:
            want = sorted(f"scenes/{p}".replace("\\", "/") for p in extracted[m.id])
            if sorted(where for where, _line in m.locations) != want:
                stale[m.id] = want
    assert stale == {}, "entries naming other files than they are in (regenerate the .po's locations)"


#: The scene methods whose first argument is a caption or a label, translated when shown.
SHOWN = {"text", "beat", "say", "chapter_heading", "end_chapter"}


def test_captions_and_labels_are_marked_templates() -> None:
    """A caption or label with words is written as ``t("... {name} ...", name=...)``: an f-string
    or a plain literal would be invisible to ``pybabel extract``, and ``t`` of anything but one
    literal template too (an f-string among its fields makes the extractor warn)."""
    bad = []
    for path in sorted((ROOT / "scenes").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first, where = node.args[0], f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(node.func, ast.Name) and node.func.id == "t":
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    bad.append(f"{where}: t() of something other than one literal template")
                if any(isinstance(n, ast.JoinedStr) for n in ast.walk(node)):  # pybabel extract warns of them
                    bad.append(f"{where}: an f-string inside t(): format the field before")
            elif isinstance(node.func, ast.Attribute) and node.func.attr in SHOWN:
                literal = [n.value for n in ast.walk(first) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
                if isinstance(first, (ast.JoinedStr, ast.Constant)) and re.search(r"[A-Za-z]", "".join(literal)):
                    bad.append(f"{where}: {node.func.attr}() of words not marked with t()")
    assert bad == []


def test_babel_mapping_is_packaged() -> None:
    """The extraction mapping and the catalogues are package data, so an installed copy translates."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    assert {"locale/babel.cfg", "locale/*/LC_MESSAGES/*.po"} <= set(data["scenes"])


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
    return {w for v in i18n.catalogue("zh").values() for w in LATIN_WORD.findall(v)}


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
        bare_formula = "=" in caption and not CJK.search(caption) and not stray
        if (LATIN_WORD.search(caption) or len(caption) > 20) and not bare_formula:
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
def test_a_chinese_poster(tmp_path: Path) -> None:
    """The chapter's last frame in Chinese (its whole render in Chinese, captions and all, is
    tests/test_course.py's course of two languages)."""
    chapter = by_slug(RENDERED)
    poster = manim(tmp_path, "-s", "--progress_bar", "none")
    assert poster.returncode == 0, poster.stderr[-3000:]
    pngs = list(tmp_path.rglob(f"{chapter.scene}*.png"))
    assert pngs and pngs[0].stat().st_size > 0


def test_a_norms_bars_keep_the_latin_font_in_chinese() -> None:
    """‖·‖ in a Chinese label is drawn in the Latin font: the CJK font's ‖ is a wide pair of strokes
    (the zh teacher read chapter 11's card's ‖∂C/∂b‖ as odd)."""
    from scenes.engine.style import FONT, FONTS, THEMES, label

    theme = next(iter(THEMES.values()))
    latin, cjk = (label("‖", theme, font=f) for f in (FONT, FONTS["zh"]))
    assert cjk.width == pytest.approx(latin.width, rel=1e-6)
    bars = label("每个数字的 ‖δ‖", theme, font=FONTS["zh"])
    assert bars.width < label("每个数字的 ‖δ‖", theme, font=FONTS["zh"], t2f={"‖": FONTS["zh"]}).width


def test_a_chinese_cell_sits_on_its_first_lines_baseline() -> None:
    """A cell whose first character stops above the line (一) is aligned as one starting with 训:
    chapter 11's card set "一层权重的变化" half a row low when 一's own bottom was taken as the line's."""
    from scenes.engine.style import THEMES, baseline_of, label

    theme = next(iter(THEMES.values()))
    one, other = label("一层权重的变化，\n相对于训练前的大小", theme), label("训练前", theme)
    assert abs((baseline_of(one) - one.get_top()[1]) - (baseline_of(other) - other.get_top()[1])) < 0.02
