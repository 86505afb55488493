"""Offline narration: a manim-voiceover speech service around espeak-ng.

manim-voiceover's own offline service (pyttsx3) writes WAV data into files named .mp3 on
Debian and then cannot read them back; this service asks espeak-ng for a WAV file and calls
it one. Audio is cached by text, voice and speed through manim-voiceover's cache, so an
unchanged re-render synthesises nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from manim_voiceover.helper import remove_bookmarks
from manim_voiceover.services.base import PathLike, SpeechService, initialize_speech_service, path_to_string

#: espeak-ng voice for each caption language.
VOICES = {"en": "en-us", "zh": "cmn"}
INSTALL = "sudo apt-get install -y espeak-ng sox"


def espeak_available() -> bool:
    """Whether the espeak-ng program is on PATH."""
    return shutil.which("espeak-ng") is not None


class EspeakService(SpeechService):
    """Speech from espeak-ng, fully offline (Debian package ``espeak-ng``)."""

    def __init__(self, lang: str = "en", words_per_minute: int = 160, **kwargs: object) -> None:
        initialize_speech_service(self, kwargs)
        if lang not in VOICES:
            raise ValueError(f"no espeak-ng voice for language {lang!r}; allowed: {', '.join(VOICES)}")
        self.voice = VOICES[lang]
        self.words_per_minute = words_per_minute

    def generate_from_text(self, text: str, cache_dir: PathLike | None = None, path: PathLike | None = None,
                           **kwargs: object) -> dict:
        """Synthesise ``text`` to a WAV file in the cache; return manim-voiceover's record."""
        cache = Path(self.cache_dir if cache_dir is None else cache_dir)
        spoken = remove_bookmarks(text)
        input_data = {"input_text": spoken, "service": "espeak-ng", "voice": self.voice,
                      "wpm": self.words_per_minute}
        cached = self.get_cached_result(input_data, cache)
        if cached is not None:
            return cached
        audio = path_to_string(path) if path is not None else self.get_audio_basename(input_data) + ".wav"
        if not espeak_available():
            raise RuntimeError(f"narration needs espeak-ng; install it with: {INSTALL}")
        subprocess.run(["espeak-ng", "-v", self.voice, "-s", str(self.words_per_minute), "-w",
                        str(cache / audio), spoken], check=True, capture_output=True)
        return {"input_text": text, "input_data": input_data, "original_audio": audio}
