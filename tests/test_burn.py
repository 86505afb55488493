"""Burned-in captions (scenes/engine/burn.py) on a tiny synthetic clip made here with PyAV.

The clip is 2 s of a smooth moving gradient at 10 fps with a tone track; two cues. The
burned copy keeps the size, the frame count, the timestamps and the audio; during a cue
the picture changes inside the cue's box (and, beyond codec noise, nowhere else); outside
every cue it does not change at all beyond codec noise.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from scenes.engine.burn import burn_captions, cue_patch, font_file

W, H, FPS, FRAMES = 320, 240, 10, 20
#: A cue's box is blended over a frame; outside it only codec noise may differ (x264 at
#: CRF 18 on a smooth picture: a few levels, larger just at block edges near the box).
NOISE = 6.0
#: ... and its mean over a frame (the larger of the three channels), in levels of 255.
MEAN_NOISE = 2.5
SRT = """1
00:00:00,300 --> 00:00:00,800
First cue

2
00:00:01,200 --> 00:00:01,600
Second cue,
two lines
"""


def picture(i: int) -> np.ndarray:
    y, x = np.mgrid[0:H, 0:W]
    r = x * 200 / W + i * 2  # smooth, no hard edges: codec noise stays small
    g = y * 255 / H
    b = np.full_like(r, 90.0)
    return np.stack([r, g, b], axis=-1).astype(np.uint8)


def make_clip(path: Path, audio: bool = True) -> None:
    with av.open(str(path), "w", format="mp4") as c:
        s = c.add_stream("libx264", rate=FPS)
        s.width, s.height, s.pix_fmt = W, H, "yuv420p"
        s.options = {"crf": "10"}
        a = c.add_stream("aac", rate=44100) if audio else None
        for i in range(FRAMES):
            f = av.VideoFrame.from_ndarray(picture(i), format="rgb24")
            f.pts, f.time_base = i, Fraction(1, FPS)
            for p in s.encode(f):
                c.mux(p)
        for p in s.encode(None):
            c.mux(p)
        if a is not None:
            t = np.arange(2 * 44100) / 44100
            tone = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
            for k in range(0, tone.size, 1024):
                chunk = tone[k:k + 1024]
                af = av.AudioFrame.from_ndarray(chunk[None, :], format="fltp", layout="mono")
                af.sample_rate, af.pts, af.time_base = 44100, k, Fraction(1, 44100)
                for p in a.encode(af):
                    c.mux(p)
            for p in a.encode(None):
                c.mux(p)


def frames(path: Path) -> list[tuple[float, np.ndarray]]:
    with av.open(str(path)) as c:
        return [(f.time, f.to_ndarray(format="rgb24").astype(np.int16)) for f in c.decode(c.streams.video[0])]


@pytest.fixture(scope="module")
def burned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("burn")
    clip, srt, out = d / "clip.mp4", d / "clip.srt", d / "out.mp4"
    make_clip(clip)
    srt.write_text(SRT, encoding="utf-8")
    burn_captions(clip, srt, out, "en")
    return {"clip": clip, "srt": srt, "out": out, "dir": d}


def test_same_size_frames_timestamps_and_audio(burned: dict[str, Path]) -> None:
    before, after = frames(burned["clip"]), frames(burned["out"])
    assert len(after) == len(before) == FRAMES
    assert [t for t, _ in after] == pytest.approx([t for t, _ in before])
    assert after[0][1].shape == (H, W, 3)
    with av.open(str(burned["out"])) as c:
        assert len(c.streams.audio) == 1
        assert c.streams.video[0].codec_context.name == "h264"
        assert Fraction(c.streams.video[0].average_rate) == FPS
    assert sorted(p.name for p in burned["dir"].iterdir()) == ["clip.mp4", "clip.srt", "out.mp4"], \
        "the temporary file is left behind"


def test_pixels_change_inside_the_box_during_cues_only(burned: dict[str, Path]) -> None:
    boxes = {0: cue_patch("First cue", W, H, "en").box, 1: cue_patch("Second cue,\ntwo lines", W, H, "en").box}
    cue_times = {0: (0.3, 0.8), 1: (1.2, 1.6)}
    seen = {0: 0, 1: 0}
    for (t, a), (_, b) in zip(frames(burned["clip"]), frames(burned["out"])):
        diff = np.abs(a - b).max(axis=-1)
        cue = next((k for k, (s, e) in cue_times.items() if s - 1e-6 <= t < e - 1e-6), None)
        if cue is None:
            assert diff.mean() < MEAN_NOISE and np.percentile(diff, 99.9) <= NOISE, f"frame at {t} s changed"
            continue
        seen[cue] += 1
        x0, y0, x1, y1 = boxes[cue]
        inside = np.zeros_like(diff, dtype=bool)
        inside[y0:y1, x0:x1] = True
        assert diff[inside].mean() > 40, f"cue {cue} not drawn at {t} s"
        # outside the box, allowing the codec a margin of one 16-pixel block around it
        near = np.zeros_like(diff, dtype=bool)
        near[max(0, y0 - 16):y1 + 16, max(0, x0 - 16):x1 + 16] = True
        assert np.percentile(diff[~near], 99.9) <= NOISE and diff[~near].mean() < MEAN_NOISE
    assert seen == {0: 5, 1: 4}


def test_the_box_is_bottom_centre_and_keeps_the_cue_lines() -> None:
    one = cue_patch("one line", 1920, 1080, "en")
    two = cue_patch("first line\nsecond line", 1920, 1080, "en")
    for p in (one, two):
        x0, y0, x1, y1 = p.box
        assert abs((x0 + x1) / 2 - 960) <= 1 and y1 == 1080 - round(1080 * 0.06)
    assert two.image.shape[0] > 1.7 * one.image.shape[0] - 10  # two lines of text, not one
    portrait = cue_patch("A caption of forty-two characters or so, ok\nand a second line of about the same size", 1080,
                         1920, "en")
    assert portrait.box[2] - portrait.box[0] <= 1080


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_colours_are_the_lesson_themes(theme: str) -> None:
    """Text and box take the theme's caption colours (the box partly transparent)."""
    from PIL import ImageColor

    from scenes.engine.style import THEMES

    image = cue_patch("I", 1920, 1080, "en", theme=theme).image
    box = image[2, image.shape[1] // 2]  # inside the box, above the letter
    assert tuple(box[:3]) == ImageColor.getrgb(THEMES[theme].caption_box) and 0 < box[3] < 255
    opaque = image[image[..., 3] == 255]
    assert len(opaque) and (opaque[:, :3] == ImageColor.getrgb(THEMES[theme].caption_text)).all()


def test_chinese_uses_the_cjk_font() -> None:
    path, _ = font_file("zh")
    assert "CJK" in Path(path).name
    p = cue_patch("梯度在深层网络里\n一层层变小", 1080, 1920, "zh")
    assert p.image[..., 3].max() == 255  # glyphs drawn, not boxes of missing characters only


def test_no_audio_and_no_cues(tmp_path: Path) -> None:
    clip, srt, out = tmp_path / "c.mp4", tmp_path / "c.srt", tmp_path / "o.mp4"
    make_clip(clip, audio=False)
    srt.write_text("", encoding="utf-8")
    burn_captions(clip, srt, out, "en")
    before, after = frames(clip), frames(out)
    assert len(after) == FRAMES
    assert max(np.abs(a - b).max() for (_, a), (_, b) in zip(before, after)) <= 2 * NOISE
    with av.open(str(out)) as c:
        assert not c.streams.audio


def test_burn_in_place(tmp_path: Path) -> None:
    """``out`` may be the input itself (the episode command burns a chapter's clip in place)."""
    clip, srt = tmp_path / "c.mp4", tmp_path / "c.srt"
    make_clip(clip)
    before = frames(clip)
    srt.write_text(SRT, encoding="utf-8")
    burn_captions(clip, srt, clip, "en")
    after = frames(clip)
    assert len(after) == FRAMES
    assert np.abs(before[4][1] - after[4][1]).max() > 100  # 0.4 s: the first cue is drawn
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.mp4", "c.srt"]
