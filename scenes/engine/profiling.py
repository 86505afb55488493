"""Where a chapter's render time goes: ``VG_PROFILE=DIR manim ...`` writes the split to DIR.

The render benchmark (:mod:`scenes.episode.bench`) sets ``VG_PROFILE`` for each chapter it
renders; :mod:`scenes.engine.common` then calls :func:`install` before the scene is built. manim draws
each frame with cairo in the main thread and hands it to an encoder thread per animation
(a "segment": one partial movie per ``play`` or ``wait``), which converts it and encodes it
with x264; at the end the segments are joined into the chapter's video. The split, in
seconds of wall time:

- ``draw``: cairo drawing of frames (main thread);
- ``encode_moving`` / ``encode_held``: the encoder threads converting and encoding the
  frames of animations, and of held pictures (a frame written with ``repeat`` > 1);
- ``segments``: opening and closing the segments' encoders and files (x264's start-up and
  flush for every animation);
- ``wait_encoder``: the main thread blocked on a full encoder queue or joining segments;
- ``join``: joining the segments into the chapter's video;
- ``build``: everything else since :func:`install` (building the scene: netsim, text and
  LaTeX, mobjects, Python), that total less the main thread's parts above;
- ``startup``: starting Python and importing manim and the scene's modules, before that.

The encoder threads run beside the main thread, so ``encode_*`` and ``segments`` overlap
``build`` and ``draw``; ``wait_encoder`` is what that overlap failed to hide.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ENV = "VG_PROFILE"

_totals: dict[str, float] = defaultdict(float)
_counts: dict[str, int] = defaultdict(int)
_lock = threading.Lock()
_start = time.perf_counter()


def _process_age() -> float:
    """Seconds since this process started (Linux's /proc; 0 where it cannot be read)."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(uptime - ticks / os.sysconf("SC_CLK_TCK"), 0.0)
    except (OSError, ValueError, IndexError):
        return 0.0


#: Starting Python and importing manim and the scene's modules, before the split begins.
_startup = _process_age()


def _add(name: str, seconds: float, count: int = 1) -> None:
    with _lock:
        _totals[name] += seconds
        _counts[name] += count


def _timed(owner: type, method: str, name: str | Callable[..., str], count: Callable[..., int] | None = None) -> None:
    """Wrap ``owner.method`` so its wall time accumulates under ``name`` (or name(*args))."""
    inner = getattr(owner, method)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            key = name(*args, **kwargs) if callable(name) else name
            _add(key, time.perf_counter() - t0, count(*args, **kwargs) if count else 1)

    setattr(owner, method, wrapper)


def install(folder: str) -> None:
    """Time manim's drawing, encoding and joining from now on; at exit, write the split as
    JSON to ``folder/<output name>.json`` (the name manim's ``-o`` gives, else the process id)."""
    from manim.camera.camera import Camera
    from manim.scene import scene_file_writer as sfw
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    _timed(Camera, "capture_mobjects", "draw")
    _timed(VideoSegmentEncoder, "write_frame",
           lambda self, pixels, *, repeat=1: "encode_held" if repeat > 1 else "encode_moving",
           count=lambda self, pixels, *, repeat=1: repeat)
    _timed(VideoSegmentEncoder, "__init__", "segments")
    _timed(VideoSegmentEncoder, "finish", "segments")
    _timed(sfw._PartialMovieEncodeJob, "put", "wait_encoder")
    _timed(sfw.SceneFileWriter, "join_all_encode_jobs", "wait_encoder")
    _timed(sfw.SceneFileWriter, "combine_to_movie", "join")
    atexit.register(_write, Path(folder))


def split() -> dict[str, Any]:
    """The seconds per part so far (see the module notes), and the frames counted."""
    total = time.perf_counter() - _start
    main = sum(_totals[k] for k in ("draw", "wait_encoder", "join"))
    parts = {k: round(_totals[k], 3) for k in ("draw", "encode_moving", "encode_held", "segments", "wait_encoder",
                                               "join")}
    return {"startup": round(_startup, 3), "total": round(total, 3), "build": round(max(total - main, 0.0), 3), **parts,
            "frames_moving": _counts["encode_moving"], "frames_held": _counts["encode_held"],
            "segment_count": _counts["segments"] // 2}


def _write(folder: Path) -> None:
    argv = sys.argv
    name = argv[argv.index("-o") + 1] if "-o" in argv[:-1] else str(os.getpid())
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(split()), encoding="utf-8")
