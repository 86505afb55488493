"""Narration: a chapter rendered with its captions spoken by espeak-ng (offline), in Mandarin."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import av
import pytest
import srt
from manim import tempconfig

from scenes.engine.captions import width
from scenes.engine.lesson import load_lesson
from scenes.engine.voice import EspeakService, espeak_available
from scenes.opening import ColdOpen

ROOT = Path(__file__).resolve().parents[1]


def silent_captions(lesson: Path) -> tuple[list[str], float]:
    """The cold open's captions and length without narration (a dry run)."""
    with tempconfig({"dry_run": True, "quality": "low_quality", "disable_caching": True}):
        scene = ColdOpen(lesson=load_lesson(lesson))
        scene.render()
        return [c.content for c in scene.renderer.file_writer.subcaptions], scene.time


def test_espeak_is_installed():
    assert espeak_available(), "espeak-ng is missing: bash .ci/setup.sh installs it"


def test_espeak_service_writes_real_wav(tmp_path):
    service = EspeakService("en", cache_dir=tmp_path)
    data = service._wrap_generate_from_text("The gradient fades from right to left.")
    wav = tmp_path / data["final_audio"]
    assert wav.suffix == ".wav" and wav.read_bytes()[:4] == b"RIFF"
    again = service._wrap_generate_from_text("The gradient fades from right to left.")
    assert again["final_audio"] == data["final_audio"]  # cached, not synthesised twice
    with pytest.raises(ValueError, match="no espeak-ng voice"):
        EspeakService("fr", cache_dir=tmp_path)


@pytest.mark.render
def test_a_narrated_chapter_has_speech_as_long_as_the_video_and_its_captions(tmp_path):
    """The cold open of the zh lesson narrated by espeak-ng's Mandarin voice (the quick voice;
    tests/test_voice.py checks the neural English one): the speech lasts as long as the video,
    each beat at least as long as without narration, and the cues are the silent render's,
    cut by the same rules."""
    lesson = ROOT / "scenes" / "lessons" / "zh.toml"
    captions, silent_length = silent_captions(lesson)
    env = {**os.environ, "VG_NARRATE": "1", "VG_VOICE": "espeak", "VG_LESSON": str(lesson)}
    p = subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "--media_dir", str(tmp_path),
                        "scenes/opening.py", "ColdOpen"], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    mp4 = tmp_path / "videos" / "opening" / "480p15" / "ColdOpen.mp4"
    with av.open(str(mp4)) as c:
        video = c.streams.video[0]
        assert c.streams.audio, "no audio stream"
        audio = c.streams.audio[0]
        v_len = float(video.duration * video.time_base)
        a_len = float(audio.duration * audio.time_base)
    assert abs(a_len - v_len) < 0.5
    assert v_len >= silent_length  # beats last at least as long as their sentences
    spoken = (tmp_path / "voiceovers" / "cache.json").read_text(encoding="utf-8")
    assert '"voice": "cmn"' in spoken  # espeak-ng's Mandarin voice
    cues = list(srt.parse(mp4.with_suffix(".srt").read_text(encoding="utf-8")))
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in c.content) for c in cues)
    # Long sentences are split into cues by the same rules as without narration.
    assert [re.sub(r"\s", "", c.content) for c in cues] == [re.sub(r"\s", "", c) for c in captions]
    for c in cues:
        lines = c.content.split("\n")
        assert len(lines) <= 2 and all(width(line, "zh") <= 16 for line in lines), c.content
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:]))
