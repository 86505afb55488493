"""Captions and on-screen words in the lesson's language, the way gettext does it.

English is the source. Every sentence and label is marked where it is written, with
:func:`t`, as a template whose computed parts are *named fields*::

    self.beat(t("It multiplies a by its weight w and adds its bias b: z = w a + b = {z}.", z=z))
    self.text(t("layer {l}", l=l))

:func:`t` returns a :class:`Message`, not a string: the scene that shows it translates the
template into the lesson's language first, then fills in the fields (already formatted
numbers or words, which are never translated; a field may also be another :class:`Message`,
translated in the same language). A translation may put the fields in any order.

Translations live in gettext catalogues, one per language and one domain for every chapter
(a sentence two chapters share is translated once): ``scenes/locale/<lang>/LC_MESSAGES/messages.po``,
read with Babel, edited with any PO editor. An entry's ``msgid`` is the template as written in
the code, its ``msgstr`` the translation with the same fields::

    msgid "Layer {h}'s bar is {ratio} times layer 1's."
    msgstr "第 {h} 层的柱是第 1 层的 {ratio} 倍。"

``pybabel extract -F scenes/locale/babel.cfg -k t -o messages.pot scenes`` finds every
template, and ``pybabel update`` brings the catalogues up to date (README.md, "Translations");
the tests check, with Babel's extractor (:func:`extract`), that every template has a
translation and that every entry is still used. A text with no translation (or only a fuzzy
one) stays English and is recorded in :data:`MISSING`, which the tests check is empty.

A plain string (not a :class:`Message`) is shown as it is when it has no Latin words
(numbers such as 0.0025 or 1e-3, symbols, text already in the target language); one with
words is looked up as an entry of its own, as gettext looks up a string that is only known
at run time (a lesson's title, a chapter's title).
"""

from __future__ import annotations

import logging
import re
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeAlias

from babel.messages.pofile import read_po

#: The scenes folder: the chapters, the engine and the pipeline, all of them marked templates.
SCENES_DIR = Path(__file__).parent.parent
LOCALE_DIR = SCENES_DIR / "locale"
#: The one gettext domain: every chapter's templates are in one catalogue per language.
DOMAIN = "messages"
#: Babel's extraction mapping (``pybabel extract -F``): which files hold templates.
BABEL_CFG = LOCALE_DIR / "babel.cfg"
#: The marker :func:`t` as a keyword of Babel's extractor (``pybabel extract -k t``).
KEYWORDS = {"t": None}
MISSING: set[tuple[str, str]] = set()
#: Languages that say a condition before what it conditions (只要 |w| < 4，…): a row of formulas
#: with a condition is laid out in that order for them.
CONDITION_FIRST = frozenset({"zh"})

log = logging.getLogger(__name__)

_FORMATTER = string.Formatter()


def field_names(template: str) -> list[str]:
    """The names of ``template``'s fields in order of appearance (``{{`` is a literal brace)."""
    return [name for _, name, _, _ in _FORMATTER.parse(template) if name is not None]


@dataclass(frozen=True)
class Message:
    """A marked template and the values of its named fields; ``str()`` is the English text."""

    template: str
    fields: tuple[tuple[str, Field], ...] = ()

    def __str__(self) -> str:
        return self.fill(self.template, "en")

    def fill(self, template: str, lang: str) -> str:
        """``template`` (the English one or a translation) with the fields filled in; a field
        that is a :class:`Message` is itself translated into ``lang``."""
        return template.format(**{k: translate(v, lang) if isinstance(v, Message) else v for k, v in self.fields})


#: A field's value: text or a number written by the one formatter, or a nested message.
Field: TypeAlias = "str | int | float | Message"
#: What a scene can show: a marked template, or a plain string (see the module's docstring).
Words: TypeAlias = Message | str


def t(template: str, /, **fields: Field) -> Message:
    """Mark ``template`` for translation and give its named fields their values.

    The keyword of ``pybabel extract``: write the template as a literal string (never an
    f-string), so the extractor finds it. Every field the template names must be given, and
    nothing else is needed (more are allowed, as with ``str.format``: a sentence chosen among
    several can be given the fields of all).
    """
    names = set(field_names(template))
    if any(not n.isidentifier() for n in names):
        raise ValueError(f"{template!r}: a field is named, as in {{name}}, never left empty or numbered")
    if not names <= set(fields):
        raise TypeError(f"{template!r} has the fields {sorted(names)}, but was given {sorted(fields)}")
    return Message(template, tuple((k, v) for k, v in fields.items() if k in names))


def N_(template: str, /) -> str:  # noqa: N802 - gettext's own name for this marker
    """Mark ``template`` for translation where its fields are filled later, by code that is not
    Python (the explore page's script): gettext's no-op marker, which ``pybabel extract`` finds
    by default. :func:`translate_template` translates it."""
    return template


def translate_template(template: str, lang: str) -> str:
    """A template marked with :func:`N_` in ``lang``, its fields left for later; English (and
    recorded in :data:`MISSING`) when the catalogue has no entry for it."""
    if lang == "en":
        return template
    found = catalogue(lang).get(template)
    if found is None and (lang, template) not in MISSING:
        MISSING.add((lang, template))
        log.warning("no %s translation for %r", lang, template)
    return template if found is None else found


def extract() -> dict[str, list[str]]:
    """Every template marked in the scenes, as ``pybabel extract -F scenes/locale/babel.cfg -k t``
    finds them (Babel's own extractor, with its mapping file): each with the files it is in."""
    from babel.messages import frontend
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
    with BABEL_CFG.open(encoding="utf-8") as f:
        method_map, options_map = parse(f)
    found: dict[str, list[str]] = {}
    for path, _line, message, _comments, _context in extract_from_dir(
            SCENES_DIR, method_map, options_map, keywords={**DEFAULT_KEYWORDS, **KEYWORDS}):
        if isinstance(message, str):
            where = found.setdefault(message, [])
            if path not in where:
                where.append(path)
    return found


def catalogue_path(lang: str) -> Path:
    """The gettext catalogue of ``lang`` (it need not exist: English has none)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_files(lang: str) -> list[Path]:
    """The files that hold ``lang``'s translations (none for English)."""
    path = catalogue_path(lang)
    return [path] if path.exists() else []


@cache
def catalogue(lang: str) -> dict[str, str]:
    """``lang``'s translations, template to translation; fuzzy and empty entries are left
    out, as gettext leaves them out. Empty for English."""
    path = catalogue_path(lang)
    if not path.exists():
        return {}
    with path.open("rb") as f:
        po = read_po(f, locale=lang, domain=DOMAIN)
    return {m.id: m.string for m in po if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e[+-]?\d+")


def _has_words(text: str) -> bool:
    """Whether ``text`` holds Latin letters other than the e of 2.5e-03."""
    return re.search(r"[A-Za-z]", _SCIENTIFIC.sub("", text)) is not None


def lookup(words: Words, lang: str) -> str | None:
    """``words`` in ``lang``, or None when the catalogue has no entry for it (or for a
    message among its fields)."""
    if lang == "en":
        return str(words)
    if isinstance(words, str):
        if not _has_words(words):  # numbers, symbols, or text already in the target script
            return words
        return catalogue(lang).get(words)
    if any(isinstance(v, Message) and lookup(v, lang) is None for _, v in words.fields):
        return None
    found = catalogue(lang).get(words.template)
    return None if found is None else words.fill(found, lang)


def missing(words: Words, lang: str) -> list[str]:
    """The templates (or plain strings) of ``words`` that ``lang``'s catalogue lacks."""
    if lang == "en" or (isinstance(words, str) and not _has_words(words)):
        return []
    if isinstance(words, str):
        return [] if lookup(words, lang) is not None else [" ".join(words.split())]
    nested = [m for _, v in words.fields if isinstance(v, Message) for m in missing(v, lang)]
    return nested + ([] if words.template in catalogue(lang) else [words.template])


def translate(words: Words, lang: str) -> str:
    """``words`` in ``lang``; English (and anything untranslated) comes back in English."""
    found = lookup(words, lang)
    if found is not None:
        return found
    for m in missing(words, lang):
        if (lang, m) not in MISSING:
            MISSING.add((lang, m))
            log.warning("no %s translation for %r", lang, m)
    return str(words) if isinstance(words, Message) else words

