"""The narration voices: what is said, the neural voice, its pace, loudness and fallback."""

from __future__ import annotations

import logging
import time

import numpy as np
import pytest

from scenes.engine import voice
from scenes.engine.voice import EspeakService, PiperService, loudness, narration_service, read_wav, spoken

SENTENCE = ("Back prop starts at the output and multiplies the error by one factor per layer on its way back. "
            "With small weights each factor is below one quarter, so the first layer gets a tiny gradient.")


@pytest.mark.parametrize("written, said", [
    ("The product is 1/48.", "The product is one in forty-eight."),
    ("about 1e-6", "about ten to the minus six"),
    ("2.5e-03", "two point five times ten to the minus three"),
    ("616 times smaller", "six hundred and sixteen times smaller"),
    ("sigma'(z) <= 1/4", "sigma prime of z at most one in four"),
    ("σ'(0) = 1/4", "sigma prime of zero equals one in four"),
    ("dC/dw", "d C by d w"),
    ("||dC/db_1||", "the size of d C by d b one"),
    ("delta_l = dC/dz_l", "delta l equals d C by d z l"),
    ("found in 1991", "found in nineteen ninety-one"),
    ("96.7% right, eta = 0.1", "ninety-six point seven percent right, eta equals zero point one"),
    ("-0.0129", "minus zero point zero one two nine"),
])
def test_numbers_and_symbols_are_spoken_as_words(written, said):
    assert spoken(written) == said


def test_chinese_is_left_to_the_mandarin_voice():
    assert spoken("第 1 层的梯度只有 1/48", "zh") == "第 1 层的梯度只有 1/48"


@pytest.fixture(scope="module")
def syntheses(tmp_path_factory):
    """The same sentence from both voices: (service, samples, rate, synthesis seconds)."""
    out = {}
    for name, service in (("piper", PiperService()), ("espeak", EspeakService("en"))):
        folder = tmp_path_factory.mktemp(name)
        t0 = time.perf_counter()
        record = service.generate_from_text(SENTENCE, cache_dir=str(folder))
        took = time.perf_counter() - t0
        samples, rate = read_wav(folder / record["original_audio"])
        again = service.generate_from_text(SENTENCE, cache_dir=str(folder))
        assert again["original_audio"] == record["original_audio"]  # cached: not synthesised twice
        out[name] = (samples, rate, took)
    return out


@pytest.mark.parametrize("name", ["piper", "espeak"])
def test_teaching_pace_and_even_loudness(syntheses, name):
    samples, rate, _ = syntheses[name]
    minutes = len(samples) / rate / 60
    assert 135 <= len(SENTENCE.split()) / minutes <= 165  # words per minute
    assert loudness(samples, rate) == pytest.approx(voice.TARGET_LUFS, abs=0.5)
    assert 20 * np.log10(np.max(np.abs(samples))) <= voice.PEAK_DBFS + 0.05  # no clipping


def test_the_neural_voice_is_installed_and_used_for_english(monkeypatch):
    assert voice.piper_model() is not None, "bash .ci/setup.sh --voice installs the neural voice"
    monkeypatch.delenv(voice.VOICE_ENV, raising=False)
    assert isinstance(narration_service("en"), PiperService)
    assert isinstance(narration_service("zh"), EspeakService) and narration_service("zh").voice == "cmn"
    monkeypatch.setenv(voice.VOICE_ENV, "espeak")
    assert isinstance(narration_service("en"), EspeakService)
    monkeypatch.setenv(voice.VOICE_ENV, "festival")
    with pytest.raises(ValueError, match="allowed: piper, espeak"):
        narration_service("en")


def test_without_the_neural_voice_english_falls_back_with_one_line(monkeypatch, caplog):
    monkeypatch.delenv(voice.VOICE_ENV, raising=False)
    monkeypatch.setattr(voice, "piper_model", lambda: None)
    monkeypatch.setattr(voice, "_warned", set())
    with caplog.at_level(logging.WARNING, logger="scenes.engine.voice"):
        first, second = narration_service("en"), narration_service("en")
    assert isinstance(first, EspeakService) and isinstance(second, EspeakService)
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1 and "bash .ci/setup.sh --voice" in lines[0]
