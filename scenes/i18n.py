"""Captions and on-screen words in the lesson's language.

English is the source. Other languages live in ``scenes/locale/<lang>.toml`` (what several
chapters share) and ``scenes/locale/<lang>/<chapter>.toml`` (one chapter's captions and
labels), one entry per English text; a chapter's file overrides the shared one, and a key
may stand in only one chapter's file::

    "The rock on the slope" = "斜坡上的石头"
    "layer 1 learned {} times slower than layer {}" = "第 1 层的学习速度比第 {1} 层慢 {0} 倍"

A ``{}`` in the English key stands for any text (a computed number, usually); ``{0}``,
``{1}``, ... in the translation put those pieces back, in any order. A text with no entry
stays English and is recorded in :data:`MISSING`, which the tests check is empty. Texts
without Latin words (numbers such as 0.0025 or 1e-3, symbols, or text already written in
the target language) are left as they are.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
MISSING: set[tuple[str, str]] = set()

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Catalogue:
    """Exact entries, and templates with ``{}`` holes compiled to regular expressions."""

    exact: dict[str, str]
    templates: tuple[tuple[re.Pattern[str], str], ...]


def _compile(key: str) -> re.Pattern[str]:
    parts = key.split("{}")
    return re.compile("^" + "(.+?)".join(re.escape(p) for p in parts) + "$", re.S)


def catalogue_files(lang: str) -> list[Path]:
    """The files that hold ``lang``'s entries: the shared one, then one per chapter."""
    return [p for p in [LOCALE_DIR / f"{lang}.toml", *sorted((LOCALE_DIR / lang).glob("*.toml"))] if p.exists()]


def load_entries(lang: str) -> dict[str, str]:
    """Every entry of ``lang``; a key in two files is an error that names both."""
    entries: dict[str, str] = {}
    where: dict[str, Path] = {}
    for path in catalogue_files(lang):
        for k, v in tomllib.loads(path.read_text(encoding="utf-8")).items():
            if k in entries and where[k].parent != LOCALE_DIR:
                raise ValueError(f"{k!r} stands in both {where[k].name} and {path.name}")
            entries[k], where[k] = v, path
    return entries


@cache
def catalogue(lang: str) -> Catalogue:
    """The entries of one language (empty for English)."""
    if lang == "en":
        return Catalogue({}, ())
    data = load_entries(lang)
    exact = {k: v for k, v in data.items() if "{}" not in k}
    # The most specific template first (the most literal text), so "layer {}" never wins
    # over "layer {}: the last hidden layer".
    keys = sorted((k for k in data if "{}" in k), key=lambda k: -len(k.replace("{}", "")))
    templates = tuple((_compile(k), data[k]) for k in keys)
    return Catalogue(exact, templates)


_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e[+-]?\d+")


def _has_words(text: str) -> bool:
    """Whether ``text`` holds Latin letters other than the e of 2.5e-03."""
    return re.search(r"[A-Za-z]", _SCIENTIFIC.sub("", text)) is not None


def lookup(text: str, lang: str) -> str | None:
    """``text`` in ``lang``, or None when the catalogue has no entry for it."""
    if lang == "en" or not text.strip():
        return text
    cat = catalogue(lang)
    norm = " ".join(text.split())
    if not _has_words(norm):  # numbers, symbols, or text already in the target script
        return text
    if norm in cat.exact:
        return cat.exact[norm]
    for pattern, target in cat.templates:
        m = pattern.match(norm)
        if m:
            return target.format(*m.groups())
    return None


def translate(text: str, lang: str) -> str:
    """``text`` in ``lang``; English (and anything untranslated) comes back as it is."""
    found = lookup(text, lang)
    if found is not None:
        return found
    norm = " ".join(text.split())
    if (lang, norm) not in MISSING:
        MISSING.add((lang, norm))
        log.warning("no %s translation for %r", lang, norm)
    return text
