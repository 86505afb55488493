"""Lesson files: defaults, the shipped examples, and one clear line for every bad value."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scenes.engine.lesson import DEFAULT_LESSON, LESSONS_DIR, LessonError, load_lesson

ROOT = Path(__file__).resolve().parents[1]


def test_default_and_shipped_lessons():
    d = load_lesson()
    assert d.sizes == [64, 30, 30, 30, 30, 10] and d.activation == "sigmoid" and d.init == "nielsen"
    fix = load_lesson(LESSONS_DIR / "relu-he.toml")
    assert (fix.activation, fix.init, fix.bias_init) == ("relu", "he", "zeros")
    assert load_lesson(DEFAULT_LESSON) == d


def test_partial_lesson_takes_defaults(tmp_path):
    p = tmp_path / "short.toml"
    p.write_text('name = "short"\n[net]\ndepth = 2\n')
    lesson = load_lesson(p)
    assert lesson.sizes == [64, 30, 30, 10] and lesson.name == "short"


@pytest.mark.parametrize(("body", "message"), [
    ("[net]\ndepth = 0\n", "net.depth = 0 is out of range; allowed: 2 to 12"),
    ("[net]\ndepth = 'four'\n", "net.depth = 'four' must be a int"),
    ("[net]\nwidth = -3\n", "net.width = -3 is out of range"),
    ("[net]\nactivation = 'swish'\n", "net.activation = 'swish' is not allowed; allowed: sigmoid, tanh, relu, linear"),
    ("[net]\ninit = 'lecun'\n", "net.init = 'lecun' is not allowed"),
    ("[net]\nseed = -1\n", "net.seed = -1 is out of range"),
    ("[net]\ncolour = 'red'\n", "unknown field net.colour"),
    ("[training]\nlearning_rate = 0\n", "training.learning_rate = 0.0 is out of range"),
    ("theme = 'neon'\n", "theme = 'neon' is not allowed; allowed: dark, light"),
    ("language = 'fr'\n", "language = 'fr' is not allowed; allowed: en, zh"),
    ("name = 'a b'\n", "name = 'a b' must be letters"),
    ("[extra]\nx = 1\n", "unknown section [extra]"),
    ("depth = = 3\n", "is not valid TOML"),
])
def test_bad_values_name_field_value_and_what_is_allowed(tmp_path, body, message):
    p = tmp_path / "bad.toml"
    p.write_text(body)
    with pytest.raises(LessonError) as info:
        load_lesson(p)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(LessonError, match="cannot be read"):
        load_lesson(tmp_path / "nope.toml")


SCENE_FILES = sorted(p.name for p in (ROOT / "scenes").glob("*.py")
                     if "class " in p.read_text() and "LessonScene)" in p.read_text())


def test_there_are_scenes_to_check():
    assert SCENE_FILES, "no scene files found"


#: The scene files run through manim with a bad lesson (a manim process each costs seconds): the first
#: chapter, the one with the most module-level code, and the short; the rest are held to the same
#: order of statements by the test after it.
MANIM_CHECKED = ("opening.py", "wayout.py", "short.py")


@pytest.mark.parametrize("scene_file", MANIM_CHECKED)
def test_manim_stops_on_a_bad_lesson_before_writing_anything(tmp_path, scene_file):
    bad = tmp_path / "bad.toml"
    bad.write_text("[net]\nactivation = 'swish'\n")
    media = tmp_path / "media"
    env = {**os.environ, "VG_LESSON": str(bad)}
    p = subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "--media_dir", str(media),
                        f"scenes/{scene_file}"], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 2
    assert p.stderr.strip().splitlines() == [
        f"lesson error: {bad}: net.activation = 'swish' is not allowed; allowed: sigmoid, tanh, relu, linear"]
    assert "Traceback" not in p.stdout + p.stderr
    assert not media.exists() or not any(media.rglob("*"))


@pytest.mark.parametrize("scene_file", SCENE_FILES)
def test_every_scene_file_checks_the_lesson_before_it_does_anything(scene_file):
    """The lesson is validated when ``scenes.engine.common`` is imported (``current_lesson()``), so a
    scene file stops on a bad lesson before doing anything if everything above that import is
    imports: what the manim runs above show for three files holds for every one."""
    tree = ast.parse((ROOT / "scenes" / scene_file).read_text(encoding="utf-8"))
    where = [i for i, node in enumerate(tree.body)
             if isinstance(node, ast.ImportFrom) and node.module == "scenes.engine.common"]
    assert where, f"{scene_file} does not import scenes.engine.common"
    before = tree.body[:where[0]]
    assert all(isinstance(node, (ast.Import, ast.ImportFrom)) or
               (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)) for node in before), scene_file
    assert set(MANIM_CHECKED) <= set(SCENE_FILES)


def test_narration_without_espeak_stops_with_the_install_command(monkeypatch, capsys):
    from scenes.engine import lesson as lesson_module

    monkeypatch.setenv("VG_NARRATE", "1")
    monkeypatch.delenv("VG_LESSON", raising=False)
    monkeypatch.setattr(lesson_module.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit) as info:
        lesson_module.lesson_from_env()
    assert info.value.code == 2
    assert capsys.readouterr().err == ("lesson error: narration needs espeak-ng, which is not installed; "
                                       "install it with: sudo apt-get install -y espeak-ng sox\n")


def test_narration_switch(monkeypatch):
    from scenes.engine import lesson as lesson_module

    monkeypatch.delenv("VG_LESSON", raising=False)
    monkeypatch.setenv("VG_NARRATE", "1")
    assert lesson_module.lesson_from_env().narration is True
    monkeypatch.setenv("VG_NARRATE", "0")
    assert lesson_module.lesson_from_env().narration is False
    monkeypatch.setenv("VG_NARRATE", "yes")
    with pytest.raises(SystemExit):
        lesson_module.lesson_from_env()


def test_chinese_lesson():
    zh = load_lesson(LESSONS_DIR / "zh.toml")
    assert zh.language == "zh" and zh.sizes == load_lesson().sizes


@pytest.mark.parametrize("content", [b"[net]\nactivation = 'sigmo\xefd'\n", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe"],
                         ids=["latin-1", "binary"])
def test_a_lesson_that_is_not_utf8_is_one_line(tmp_path, content):
    bad = tmp_path / "bad.toml"
    bad.write_bytes(content)
    with pytest.raises(LessonError, match="is not UTF-8 text"):
        load_lesson(bad)
    media = tmp_path / "media"
    env = {**os.environ, "VG_LESSON": str(bad)}
    p = subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "--media_dir", str(media),
                        "scenes/cost.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "Traceback" not in p.stdout + p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and "not UTF-8" in p.stderr
    assert not media.exists() or not any(media.rglob("*"))
    out = tmp_path / "out"
    p = subprocess.run([sys.executable, "-m", "scenes.render", "--preview", "--lesson", str(bad), "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "Traceback" not in p.stdout + p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and "not UTF-8" in p.stderr
    assert not out.exists()


def test_per_net_computes_once_per_net_and_learning_rate() -> None:
    """A lesson in another language (same net) reuses the result; another net does not."""
    import dataclasses

    from scenes.engine.lesson import per_net

    calls: list[str] = []

    @per_net
    def compute(lesson):  # noqa: ANN001, ANN202 - a toy experiment
        calls.append(lesson.name)
        return len(calls)

    en = load_lesson(DEFAULT_LESSON)
    zh = dataclasses.replace(en, name="zh", language="zh", title="t")
    assert compute(en) == compute(zh) == 1
    assert compute(dataclasses.replace(en, learning_rate=0.5)) == 2
    assert compute(dataclasses.replace(en, width=12)) == 3 and calls == [en.name, en.name, en.name]


def test_a_lessons_net_is_one_value() -> None:
    """The net every experiment takes: the lesson's sizes, activation, start and seed, a sigmoid output."""
    from netsim.spec import DEFAULT_NET, NetSpec

    assert load_lesson(DEFAULT_LESSON).net == DEFAULT_NET
    relu = load_lesson(LESSONS_DIR / "relu-he.toml")
    assert relu.net == NetSpec((64, 30, 30, 30, 30, 10), activation="relu", output_activation="sigmoid", init="he",
                               bias_init="zeros", seed=0)
    assert relu.net.sizes == tuple(relu.sizes) and relu.net.depth == relu.depth + 1
