"""The code's shape: netsim never imports manim, chapters never import each other, and the
episode pipeline never imports a chapter (it renders them as separate ``manim`` runs)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scenes.chapters import CHAPTERS

ROOT = Path(__file__).resolve().parent.parent
CHAPTER_MODULES = {f"scenes.{Path(c.file).stem}" for c in CHAPTERS}


def imported(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (``from a.b import c`` gives a.b)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_scan_sees_nested_and_aliased_imports(tmp_path: Path) -> None:
    src = tmp_path / "m.py"
    src.write_text("import numpy as np\ndef f():\n    from scenes.depth import x\n    import manim.utils\n")
    assert imported(src) == {"numpy", "scenes.depth", "manim.utils"}


@pytest.mark.parametrize("path", sorted((ROOT / "netsim").rglob("*.py")), ids=lambda p: p.name)
def test_netsim_never_imports_manim(path: Path) -> None:
    bad = {m for m in imported(path) if m.split(".")[0] in ("manim", "manim_voiceover", "manim_slides", "scenes")}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.slug)
def test_chapters_never_import_each_other(chapter) -> None:
    own = f"scenes.{Path(chapter.file).stem}"
    others = {m for m in imported(ROOT / "scenes" / chapter.file) if m in CHAPTER_MODULES - {own}}
    assert not others, f"{chapter.file} imports the chapters {sorted(others)}: move what they share to a shared module"


def test_the_episode_pipeline_never_imports_a_chapter() -> None:
    for path in sorted((ROOT / "scenes" / "episode").rglob("*.py")):
        chapters = imported(path) & CHAPTER_MODULES
        assert not chapters, f"{path.relative_to(ROOT)} imports {sorted(chapters)}"
