"""The code's shape, in layers: netsim (never imports manim) under the engine (scenes/engine:
what the chapters share) under the chapters and the short (scenes/*.py, which import only the
engine and netsim, never each other) under the episode pipeline (scenes/episode, which renders
the chapters as separate ``manim`` runs and imports none of them); and no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scenes.engine.chapters import CHAPTERS

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
    assert not others, f"{chapter.file} imports the chapters {sorted(others)}: move what they share to scenes/engine"


def test_the_episode_pipeline_never_imports_a_chapter() -> None:
    for path in sorted((ROOT / "scenes" / "episode").rglob("*.py")):
        chapters = imported(path) & CHAPTER_MODULES
        assert not chapters, f"{path.relative_to(ROOT)} imports {sorted(chapters)}"


# ---------- the import graph ----------

#: Modules outside scenes/episode that may import the pipeline: the entry of ``python -m
#: scenes.render``, which is the episode command itself (kept where users run it).
PIPELINE_ENTRIES = {"scenes.render"}


def project_modules(root: Path) -> dict[str, Path]:
    """Every module of scenes/ and netsim/ under ``root`` by its dotted name (a package by its own)."""
    modules = {}
    for top in ("scenes", "netsim"):
        for path in (root / top).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def project_imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of ``modules`` that a file imports, at any depth of the file (in a function,
    under ``if TYPE_CHECKING``): ``from a import b`` gives ``a.b`` when that is a module, else ``a``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                     for a in node.names]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Each project module under ``root`` and the project modules it imports (itself left out)."""
    modules = project_modules(root)
    return {m: project_imports(p, modules) - {m} for m, p in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as ``[a, b, ..., a]``, or None when it has none."""
    done: set[str] = set()
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        if m in path:
            return path[path.index(m):] + [m]
        if m in done:
            return None
        path.append(m)
        for n in sorted(graph.get(m, ())):
            if (cycle := visit(n)) is not None:
                return cycle
        path.pop()
        done.add(m)
        return None

    for m in sorted(graph):
        if (cycle := visit(m)) is not None:
            return cycle
    return None


def test_the_cycle_check_sees_lazy_and_type_only_imports(tmp_path: Path) -> None:
    (tmp_path / "scenes" / "pkg").mkdir(parents=True)
    (tmp_path / "scenes" / "pkg" / "__init__.py").write_text("")
    (tmp_path / "scenes" / "pkg" / "a.py").write_text("def f():\n    from scenes.pkg.b import g\n")
    (tmp_path / "scenes" / "pkg" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from scenes.pkg import c\n")
    (tmp_path / "scenes" / "pkg" / "c.py").write_text("import scenes.pkg.a as a\nfrom scenes.pkg.a import f\n")
    graph = import_graph(tmp_path)
    assert graph["scenes.pkg.b"] == {"scenes.pkg.c"} and graph["scenes.pkg.c"] == {"scenes.pkg.a"}
    assert find_cycle(graph) == ["scenes.pkg.a", "scenes.pkg.b", "scenes.pkg.c", "scenes.pkg.a"]
    (tmp_path / "scenes" / "pkg" / "c.py").write_text("import scenes.pkg\n")
    assert find_cycle(import_graph(tmp_path)) is None


def test_the_import_graph_has_no_cycle() -> None:
    """No module of scenes/ or netsim/ imports, through others, a module that imports it: each
    can be read (and tested) knowing only what it imports."""
    cycle = find_cycle(import_graph(ROOT))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_only_the_pipeline_imports_the_pipeline() -> None:
    """A scene, or the engine scenes share, never imports the episode pipeline (scenes/episode):
    the pipeline renders scenes, not the other way round."""
    outside = {m: imports for m, imports in import_graph(ROOT).items()
               if m.startswith("scenes.") and not m.startswith("scenes.episode") and m not in PIPELINE_ENTRIES}
    bad = {m: sorted(n for n in imports if n.startswith("scenes.episode")) for m, imports in outside.items()}
    assert not any(bad.values()), {m: n for m, n in bad.items() if n}


# ---------- the layers ----------

ENGINE = "scenes.engine"
#: The modules of scenes/ beside the chapters, each a command users run: the vertical short
#: (``python -m scenes.short``), the episode's entry (``python -m scenes.render``) and the
#: lesson sweep (``python -m scenes.sweep``, which dry-runs the chapters).
COMMANDS = {"scenes.short", "scenes.render", "scenes.sweep"}


def in_engine(module: str) -> bool:
    return module == ENGINE or module.startswith(ENGINE + ".")


def test_scenes_holds_only_chapters_and_commands() -> None:
    """A file of scenes/ itself is a chapter (listed in scenes/engine/chapters.py) or one of the
    commands; what scenes share goes into scenes/engine, not beside the chapters."""
    top = {f"scenes.{p.stem}" for p in (ROOT / "scenes").glob("*.py") if p.stem != "__init__"}
    assert top == CHAPTER_MODULES | COMMANDS, f"not a chapter nor a command: {sorted(top - CHAPTER_MODULES - COMMANDS)}"


@pytest.mark.parametrize("module", sorted(CHAPTER_MODULES | {"scenes.short"}))
def test_a_scene_imports_only_the_engine(module: str) -> None:
    """A chapter (and the short) imports, of this project, only the engine and netsim."""
    graph = import_graph(ROOT)
    bad = {n for n in graph[module] if not (in_engine(n) or n.split(".")[0] == "netsim")}
    assert not bad, f"{module} imports {sorted(bad)}: scenes import only scenes.engine and netsim"


def test_the_engine_imports_no_scene_and_no_pipeline() -> None:
    """The engine imports, of this project, only itself and netsim: never a chapter, the short,
    a command or the episode pipeline (lazily or for types only, neither)."""
    graph = import_graph(ROOT)
    engine = {m for m in graph if in_engine(m)}
    assert {"scenes.engine.common", "scenes.engine.style", "scenes.engine.lesson"} <= engine
    bad = {m: sorted(n for n in graph[m] if not (in_engine(n) or n.split(".")[0] == "netsim")) for m in engine}
    assert not any(bad.values()), {m: n for m, n in bad.items() if n}


def test_the_pipeline_imports_no_chapter_at_any_depth() -> None:
    """Not even lazily: the pipeline renders a chapter by its file, in a manim process."""
    graph = import_graph(ROOT)
    bad = {m: sorted(graph[m] & CHAPTER_MODULES) for m in graph if m.startswith("scenes.episode")}
    assert not any(bad.values()), {m: n for m, n in bad.items() if n}
