"""The one way the project writes a file all at once (scenes.engine.atomic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenes.engine.atomic import atomic_path, copy_atomically, write_atomically


def test_text_bytes_and_copies(tmp_path: Path) -> None:
    write_atomically(tmp_path / "a.txt", "∂C/∂w\n")
    write_atomically(tmp_path / "b.bin", b"\x00\x01")
    copy_atomically(tmp_path / "b.bin", tmp_path / "c.bin")
    assert (tmp_path / "a.txt").read_bytes() == "∂C/∂w\n".encode()
    assert (tmp_path / "c.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin", "c.bin"]


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(page) as tmp:
        tmp.write_text("half", encoding="utf-8")
        assert tmp.parent == tmp_path and tmp.name.endswith(".part") and page.read_text() == "old"
        raise RuntimeError("interrupted")
    assert page.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


def test_nothing_written_means_nothing_replaced(tmp_path: Path) -> None:
    """A writer that made no file leaves ``path`` as it was (os.replace fails, loudly)."""
    page = tmp_path / "index.html"
    page.write_text("old", encoding="utf-8")
    with pytest.raises(FileNotFoundError), atomic_path(page):
        pass
    assert page.read_text(encoding="utf-8") == "old"
