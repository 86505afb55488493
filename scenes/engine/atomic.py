"""Files written all at once: whoever reads one never sees it half-written.

Every output the project writes for someone else to read (clips, captions, pages, posters,
narration audio) goes through :func:`atomic_path`: it is written under a temporary name in
the same folder (so on the same file system) and renamed over its real name when complete,
which POSIX makes atomic. When the writing fails or is interrupted, the temporary file is
removed and the old file, if any, stays as it was.

    write_atomically(Path("page.html"), text)
    copy_atomically(Path("render.mp4"), Path("chapters/01-opening.mp4"))
    with atomic_path(Path("poster.png")) as tmp:
        image.save(tmp, format="PNG")

Temporary names end in ``.part`` (the writer is told the format where it would guess it from
the suffix). Only the standard library is imported, so chapters, the engine and the episode
pipeline can all use it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "copy_atomically", "write_atomically"]


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to, renamed to ``path`` when the block ends
    without an exception; removed (and ``path`` left alone) when it raises."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` all at once."""
    with atomic_path(path) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)


def copy_atomically(src: Path, dst: Path) -> None:
    """Copy the file ``src`` to ``dst`` all at once."""
    with atomic_path(dst) as tmp:
        shutil.copyfile(src, tmp)
