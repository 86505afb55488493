"""Lesson files: the parameters of one variant of the video, read and validated once.

A lesson is a TOML file (see ``scenes/lessons/default.toml``). Fields left out take the
default lesson's value; a field that is unknown or has a wrong value stops everything with
one line naming the field, the value and what is allowed, before anything renders.

Scenes find their lesson through the environment variable ``VG_LESSON`` (a path), since
``manim`` has no flags of its own for a scene; ``VG_NARRATE=1`` (or ``0``) turns narration on
(or off) whatever the lesson says.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from netsim.activations import ACTIVATIONS
from netsim.init import BIAS_INITS, WEIGHT_INITS
from netsim.spec import NetSpec

LESSON_ENV = "VG_LESSON"
LESSONS_DIR = Path(__file__).parent.parent / "lessons"
DEFAULT_LESSON = LESSONS_DIR / "default.toml"

LANGUAGES = ("en", "zh")
NARRATE_ENV = "VG_NARRATE"  # "1" or "0": overrides the lesson's narration field
THEMES = ("dark", "light")
MIN_DEPTH = 2  # a "deep" net: at least two hidden layers to compare
MAX_DEPTH = 12  # hidden layers a scene can draw legibly
MAX_WIDTH = 256

log = logging.getLogger(__name__)


class LessonError(ValueError):
    """A lesson file is missing, unreadable or holds a value that is not allowed."""


@dataclass(frozen=True)
class Lesson:
    """The validated parameters of one lesson.

    ``sizes`` is the digits net: 64 inputs, ``depth`` hidden layers of ``width``, 10 outputs;
    ``net`` is that net as the one value every experiment takes.
    """

    name: str
    title: str
    language: str
    theme: str
    narration: bool
    burn_captions: bool
    depth: int
    width: int
    activation: str
    init: str
    bias_init: str
    seed: int
    learning_rate: float
    source: Path

    @property
    def sizes(self) -> list[int]:
        """[64, width, ..., width, 10] with ``depth`` hidden layers."""
        return [64] + [self.width] * self.depth + [10]

    @property
    def net(self) -> NetSpec:
        """The lesson's net: ``sizes``, the hidden ``activation`` g, a sigmoid output layer, the
        ``init`` and ``bias_init`` start, drawn from ``seed``."""
        return NetSpec(tuple(self.sizes), activation=self.activation, output_activation="sigmoid", init=self.init,
                       bias_init=self.bias_init, seed=self.seed)


T = TypeVar("T")


def per_net(compute: Callable[[Lesson], T]) -> Callable[[Lesson], T]:
    """``compute(lesson)``, computed once per process for each net and learning rate (what a
    lesson's experiments depend on): lessons that differ only in language, title or theme
    share the result. Every chapter gets its experiment through this one cache."""
    done: dict[tuple[NetSpec, float], T] = {}

    @functools.wraps(compute)
    def cached(lesson: Lesson) -> T:
        key = (lesson.net, lesson.learning_rate)
        if key not in done:
            done[key] = compute(lesson)
        return done[key]
    return cached


_SCHEMA: dict[str, dict[str, type]] = {
    "": {"name": str, "title": str, "language": str, "theme": str, "narration": bool, "burn_captions": bool},
    "net": {"depth": int, "width": int, "activation": str, "init": str, "bias_init": str, "seed": int},
    "training": {"learning_rate": float},
}


def _flatten(data: dict[str, Any], path: Path) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            if key not in _SCHEMA or key == "":
                raise LessonError(f"{path}: unknown section [{key}]; allowed: [net], [training]")
            for sub, subvalue in value.items():
                if sub not in _SCHEMA[key]:
                    allowed = ", ".join(_SCHEMA[key])
                    raise LessonError(f"{path}: unknown field {key}.{sub}; allowed: {allowed}")
                flat[f"{key}.{sub}"] = subvalue
        else:
            if key not in _SCHEMA[""]:
                raise LessonError(f"{path}: unknown field {key!r}; allowed: {', '.join(_SCHEMA[''])}")
            flat[key] = value
    return flat


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LessonError(f"lesson file {path} cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise LessonError(f"lesson file {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    try:
        return _flatten(tomllib.loads(text), path)
    except tomllib.TOMLDecodeError as exc:
        raise LessonError(f"lesson file {path} is not valid TOML: {exc}") from None


def _check(path: Path, field: str, value: Any, kind: type) -> Any:
    if kind is bool:
        if not isinstance(value, bool):
            raise LessonError(f"{path}: {field} = {value!r} must be true or false")
        return value
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise LessonError(f"{path}: {field} = {value!r} must be a {kind.__name__}")
    return value


def _one_of(path: Path, field: str, value: str, allowed: tuple[str, ...] | list[str]) -> str:
    if value not in allowed:
        raise LessonError(f"{path}: {field} = {value!r} is not allowed; allowed: {', '.join(allowed)}")
    return value


def _in_range(path: Path, field: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise LessonError(f"{path}: {field} = {value!r} is out of range; allowed: {low} to {high}")


def load_lesson(path: str | Path | None = None) -> Lesson:
    """Read and validate a lesson; ``None`` gives the default lesson."""
    merged = _read(DEFAULT_LESSON)
    source = DEFAULT_LESSON
    if path is not None:
        source = Path(path)
        merged.update(_read(source))
    p = source
    fields = {f"{sec}.{k}" if sec else k: t for sec, keys in _SCHEMA.items() for k, t in keys.items()}
    v = {name: _check(p, name, merged[name], kind) for name, kind in fields.items()}
    _one_of(p, "language", v["language"], LANGUAGES)
    _one_of(p, "theme", v["theme"], THEMES)
    _in_range(p, "net.depth", v["net.depth"], MIN_DEPTH, MAX_DEPTH)
    _in_range(p, "net.width", v["net.width"], 1, MAX_WIDTH)
    _one_of(p, "net.activation", v["net.activation"], list(ACTIVATIONS))
    _one_of(p, "net.init", v["net.init"], list(WEIGHT_INITS))
    _one_of(p, "net.bias_init", v["net.bias_init"], list(BIAS_INITS))
    _in_range(p, "net.seed", v["net.seed"], 0, 2**32 - 1)
    _in_range(p, "training.learning_rate", v["training.learning_rate"], 1e-6, 100.0)
    if not v["name"] or not all(c.isalnum() or c in "-_" for c in v["name"]):
        raise LessonError(f"{p}: name = {v['name']!r} must be letters, digits, - or _ (it names a folder)")
    return Lesson(
        name=v["name"],
        title=v["title"],
        language=v["language"],
        theme=v["theme"],
        narration=v["narration"],
        burn_captions=v["burn_captions"],
        depth=v["net.depth"],
        width=v["net.width"],
        activation=v["net.activation"],
        init=v["net.init"],
        bias_init=v["net.bias_init"],
        seed=v["net.seed"],
        learning_rate=v["training.learning_rate"],
        source=source,
    )


def lesson_toml(lesson: Lesson) -> str:
    """``lesson`` written out as a complete lesson file (every field), so that another process
    or machine reads back exactly this lesson with :func:`load_lesson`."""
    import json

    top = {"name": lesson.name, "title": lesson.title, "language": lesson.language, "theme": lesson.theme,
           "narration": lesson.narration, "burn_captions": lesson.burn_captions}
    net = {"depth": lesson.depth, "width": lesson.width, "activation": lesson.activation, "init": lesson.init,
           "bias_init": lesson.bias_init, "seed": lesson.seed}
    lines = [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in top.items()]
    lines += ["[net]", *(f"{k} = {json.dumps(v)}" for k, v in net.items())]
    lines += ["[training]", f"learning_rate = {lesson.learning_rate!r}"]
    return "\n".join(lines) + "\n"


def lesson_from_env() -> Lesson:
    """The lesson named by ``VG_LESSON``, or the default one.

    On a bad lesson this ends the process with the one-line reason and exit status 2, so
    that ``manim`` stops before it renders or writes anything.
    """
    path = os.environ.get(LESSON_ENV) or None
    try:
        lesson = load_lesson(path)
        narrate = os.environ.get(NARRATE_ENV)
        if narrate not in (None, "", "0", "1"):
            raise LessonError(f"{NARRATE_ENV} = {narrate!r} is not allowed; allowed: 0, 1")
        if narrate:
            lesson = replace(lesson, narration=narrate == "1")
        if lesson.narration and shutil.which("espeak-ng") is None:
            raise LessonError("narration needs espeak-ng, which is not installed; install it with: "
                              "sudo apt-get install -y espeak-ng sox")
        return lesson
    except LessonError as exc:
        log.debug("lesson rejected", exc_info=True)
        sys.stderr.write(f"lesson error: {exc}\n")
        raise SystemExit(2) from None
