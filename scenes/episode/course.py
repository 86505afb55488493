"""Courses: several lessons in several languages, rendered as one job.

A course is a small TOML file::

    name = "vanishing-gradient-course"
    title = "The vanishing gradient: the lesson and its fix"
    lessons = ["scenes/lessons/default.toml", "scenes/lessons/relu-he.toml"]
    languages = ["en", "zh"]
    chapters = ["rock", "fading"]          # optional: a subset, in story order

Lesson paths are relative to the course file (or absolute). Every lesson is rendered in
every language, each into ``<out>/<lesson name>/<language>/`` with its own gallery page, and
``<out>/index.html`` links every episode. All their chapters are one batch of units for
Dask, so a cluster works on the whole course at once.
"""

from __future__ import annotations

import html
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from scenes.engine.atomic import write_atomically
from scenes.engine.lesson import LANGUAGES, Lesson, LessonError, load_lesson

_FIELDS = {"name": str, "title": str, "lessons": list, "languages": list, "chapters": list}


class CourseError(ValueError):
    """A course file is unreadable or holds a value that is not allowed (one line)."""


@dataclass(frozen=True)
class Course:
    """A validated course: its lessons, each already set to one of the course's languages."""

    name: str
    title: str
    lessons: tuple[Lesson, ...]
    chapters: tuple[str, ...] | None
    source: Path


def load_course(path: Path) -> Course:
    """Read and validate a course file and every lesson it names."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CourseError(f"course file {path} cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise CourseError(f"course file {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise CourseError(f"course file {path} is not valid TOML: {exc}") from None
    for key, value in data.items():
        if key not in _FIELDS:
            raise CourseError(f"{path}: unknown field {key!r}; allowed: {', '.join(_FIELDS)}")
        if not isinstance(value, _FIELDS[key]):
            raise CourseError(f"{path}: {key} = {value!r} must be a {_FIELDS[key].__name__}")
    for key in ("name", "lessons", "languages"):
        if key not in data:
            raise CourseError(f"{path}: {key} is missing")
    name = data["name"]
    if not name or not all(c.isalnum() or c in "-_" for c in name):
        raise CourseError(f"{path}: name = {name!r} must be letters, digits, - or _ (it names a folder)")
    languages = data["languages"]
    if not languages or any(lang not in LANGUAGES for lang in languages) or len(set(languages)) < len(languages):
        raise CourseError(f"{path}: languages = {languages!r} must be distinct values of: {', '.join(LANGUAGES)}")
    if not data["lessons"] or not all(isinstance(p, str) for p in data["lessons"]):
        raise CourseError(f"{path}: lessons = {data['lessons']!r} must be a list of lesson file paths")
    lessons: list[Lesson] = []
    names: set[str] = set()
    for entry in data["lessons"]:
        lesson_path = Path(entry) if os.path.isabs(entry) else path.parent / entry
        if not lesson_path.exists() and Path(entry).exists():  # relative to where the command runs
            lesson_path = Path(entry)
        try:
            lesson = load_lesson(lesson_path)
        except LessonError as exc:
            raise CourseError(f"{path}: lesson {entry}: {exc}") from None
        if lesson.name in names:
            raise CourseError(f"{path}: two lessons are named {lesson.name!r}; each names a folder")
        names.add(lesson.name)
        lessons += [replace(lesson, language=lang) for lang in languages]
    chapters = data.get("chapters")
    if chapters is not None and not all(isinstance(c, str) for c in chapters):
        raise CourseError(f"{path}: chapters = {chapters!r} must be a list of chapter names")
    return Course(name, data.get("title", name), tuple(lessons), tuple(chapters) if chapters else None, path)


def lesson_dir(out: Path, lesson: Lesson) -> Path:
    """Where one lesson in one language goes inside a course's folder."""
    return out / lesson.name / lesson.language


def write_course_page(page: Path, course: Course, quality: str) -> None:
    """One page linking every lesson's episode in every language, written atomically."""
    rows = []
    for lesson in course.lessons:
        rel = f"{lesson.name}/{lesson.language}"
        rows.append(f'<li><a href="{rel}/index.html">{html.escape(lesson.title)}</a> '
                    f'({html.escape(lesson.name)}, {lesson.language}) · '
                    f'<a href="{rel}/episode.mp4">episode.mp4</a> · <a href="{rel}/episode.srt">captions</a></li>')
    text = f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(course.title)}</title>
<style>body{{font-family:sans-serif;max-width:56rem;margin:2rem auto;line-height:1.5}}</style></head>
<body>
<h1>{html.escape(course.title)}</h1>
<p>Course <code>{html.escape(course.name)}</code> · {html.escape(quality)} · every lesson in every language,
each with its own gallery of chapters.</p>
<ol id="episodes">{''.join(rows)}</ol>
</body>
</html>
"""
    write_atomically(page, text)
