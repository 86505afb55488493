"""The held-picture shortcut (scenes.engine.common._encode_held_frames_once): a frame written with
``repeat = n`` decodes to exactly the pictures of the same frame written n times one by one."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from manim._config.video_encoder import VideoEncoderSpec
from manim.scene.video_segment_encoder import VideoSegmentEncoder

import scenes.engine.common  # noqa: F401  (applies the shortcut to manim's encoder)

SPEC = VideoEncoderSpec(container_format="mp4", codec="libx264", pixel_format="yuv420p", width=320, height=180,
                        frame_rate=Fraction(15), options=(("preset", "veryfast"), ("crf", "20")))


def picture(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pixels = np.zeros((SPEC.height, SPEC.width, 4), np.uint8)
    pixels[..., :3] = rng.integers(0, 256, (SPEC.height, SPEC.width, 3), dtype=np.uint8)
    pixels[..., 3] = 255
    return pixels


def decoded(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24").tobytes() for f in container.decode(video=0)]


def test_a_held_frame_encodes_like_the_same_frame_written_again_and_again(tmp_path: Path) -> None:
    held, copies = VideoSegmentEncoder(target=tmp_path / "held.mp4", spec=SPEC), \
        VideoSegmentEncoder(target=tmp_path / "copies.mp4", spec=SPEC)
    held.write_frame(picture(0))
    held.write_frame(picture(1), repeat=6)
    held.write_frame(picture(2))
    copies.write_frame(picture(0))
    for _ in range(6):
        copies.write_frame(picture(1))
    copies.write_frame(picture(2))
    held.finish()
    copies.finish()
    a, b = decoded(tmp_path / "held.mp4"), decoded(tmp_path / "copies.mp4")
    assert len(a) == len(b) == 8
    assert a == b
    assert len(set(a[1:7])) == 1 and a[0] != a[1] != a[7]
