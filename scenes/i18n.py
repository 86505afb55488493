"""Captions and on-screen words in the lesson's language.

English is the source. Other languages live in ``scenes/locale/<lang>.toml``, one entry per
English text::

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


@cache
def catalogue(lang: str) -> Catalogue:
    """The entries of one language (empty for English)."""
    path = LOCALE_DIR / f"{lang}.toml"
    if lang == "en" or not path.exists():
        return Catalogue({}, ())
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    exact = {k: v for k, v in data.items() if "{}" not in k}
    templates = tuple((_compile(k), v) for k, v in data.items() if "{}" in k)
    return Catalogue(exact, templates)


_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e[+-]?\d+")


def _has_words(text: str) -> bool:
    """Whether ``text`` holds Latin letters other than the e of 2.5e-03."""
    return re.search(r"[A-Za-z]", _SCIENTIFIC.sub("", text)) is not None


def translate(text: str, lang: str) -> str:
    """``text`` in ``lang``; English (and anything untranslated) comes back as it is."""
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
    if (lang, norm) not in MISSING:
        MISSING.add((lang, norm))
        log.warning("no %s translation for %r", lang, norm)
    return text
