"""Class slides (scenes/episode/slides.py): manim-slides on manim 0.22, one slide per beat.

The bridge for manim-slides 5.7 on manim 0.22 is checked name by name without rendering.
One short chapter is then rendered as slides at 480p15, as a teacher would make them, and
used as a teacher would: the HTML deck is opened from disk in headless Chromium (no console
message, no request to the network, one slide per captioned beat, every slide's video
plays), and the PowerPoint file is opened with python-pptx (one slide per beat, each with
its video and its caption as the speaker's note).
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import manim
import pytest
from manim import tempconfig

from scenes.engine.chapters import by_slug
from scenes.engine.lesson import DEFAULT_LESSON
from tests.conftest import ROOT, dry_scene

SLIDES_CHAPTERS = ("opening", "neuron")  # two: a deck of several chapters, as a lesson is
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


# ---------- the compatibility layer (no rendering) ----------


def test_manim_022_lacks_what_manim_slides_57_uses():
    """Why the bridge exists; when manim takes these back, the bridge can go."""
    with pytest.raises(AttributeError):
        manim.config["write_to_movie"]
    with pytest.raises(AttributeError):
        manim.config["flush_cache"]
    with tempconfig({}), pytest.raises(ValueError):
        manim.config["max_files_cached"] = float("inf")


def test_compat_bridges_the_three_config_names():
    from manim_slides.slide import manim as slide_module

    from scenes.episode import slides_compat

    bridged = slide_module.config
    assert isinstance(bridged, slides_compat.BridgedConfig)
    assert slides_compat.BRIDGED == ("write_to_movie", "max_files_cached", "flush_cache")
    with tempconfig({}):
        bridged["write_to_movie"] = True  # what Slide.__init__ does
        assert bridged["write_to_movie"] is True
        manim.config.format = "png"
        assert bridged["write_to_movie"] is False
        bridged["write_to_movie"] = True
        assert manim.config.format == "auto"
        manim.config.dry_run = True
        assert bridged["write_to_movie"] is False
        bridged["write_to_movie"] = True  # a dry run stays one
        assert manim.config.dry_run and bridged["write_to_movie"] is False

    with tempconfig({}):
        bridged["max_files_cached"] = float("inf")  # what Slide.render does
        assert manim.config.max_files_cached == -1 and bridged["max_files_cached"] == -1
        bridged["max_files_cached"] = 100
        assert manim.config.max_files_cached == 100
    with tempconfig({}):
        assert bridged["flush_cache"] is False
        bridged["flush_cache"] = False  # what Slide.render does when it was true
        with pytest.raises(ValueError, match="flush_cache"):
            bridged["flush_cache"] = True
    assert bridged["frame_rate"] == manim.config.frame_rate  # every other name passes through
    assert bridged.pixel_height == manim.config.pixel_height
    slides_compat.install()  # idempotent
    assert slide_module.config is bridged


def test_a_slide_scene_renders_and_keeps_every_animation(tmp_path):
    """A small Slide renders on manim 0.22 through the bridge; its file writer is made with an
    unlimited cache (manim 0.22 freezes the limit when the scene is created and prunes before
    manim-slides saves its slides), and the user's limit is left as it was."""
    from manim_slides import Slide

    from scenes.episode import slides_compat  # noqa: F401

    class Three(Slide):
        def construct(self):
            dot = manim.Dot()
            self.play(manim.FadeIn(dot), run_time=0.2)
            self.next_slide()
            self.play(dot.animate.shift(manim.RIGHT), run_time=0.2)
            self.next_slide()
            self.play(manim.FadeOut(dot), run_time=0.2)

    with tempconfig({"quality": "low_quality", "media_dir": str(tmp_path / "media"), "progress_bar": "none",
                     "max_files_cached": 1, "verbosity": "WARNING"}):
        scene = Three(output_folder=tmp_path / "slides")
        assert scene.renderer.file_writer.settings.max_files_cached == -1
        assert manim.config.max_files_cached == 1
        scene.render()
        assert manim.config.max_files_cached == 1
    deck = json.loads((tmp_path / "slides" / "Three.json").read_text())
    assert len(deck["slides"]) == 3
    assert all(Path(s["file"]).is_file() for s in deck["slides"])


def test_slide_class_puts_the_chapter_first():
    import importlib

    from manim import Scene
    from manim_slides import Slide
    from manim_voiceover import VoiceoverScene

    from scenes.engine.common import LessonScene
    from scenes.episode.slides import slide_class

    chapter = by_slug("neuron")
    base = getattr(importlib.import_module(f"scenes.{chapter.path.stem}"), chapter.scene)
    cls = slide_class(base)
    assert cls.__name__ == chapter.scene  # the heading finds the chapter's number by this name
    mro = cls.__mro__
    assert mro.index(base) < mro.index(LessonScene) < mro.index(VoiceoverScene) < mro.index(Slide) < mro.index(Scene)
    assert cls.beat_boundary is not LessonScene.beat_boundary and cls.skip_reversing


# ---------- the command line ----------


def _slides_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scenes.episode.slides", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("args", "says"), [
    (("--chapters", "nope"), "chapter 'nope' is unknown"),
    (("--lesson", "no/such/lesson.toml"), "no/such/lesson.toml"),
    (("--jobs", "0"), "--jobs 0 must be at least 1"),
    (("--bogus",), "unrecognized arguments: --bogus"),
])
def test_bad_arguments_one_line_exit_2(args, says, tmp_path):
    p = _slides_cli(*args, "--out", str(tmp_path / "out"))
    lines = p.stderr.strip().splitlines()
    assert p.returncode == 2 and len(lines) == 1 and says in lines[0], p.stderr
    assert not (tmp_path / "out").exists()


# ---------- one chapter as slides, used as a teacher would ----------


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from scenes.episode.slides import make_slides

    out = tmp_path_factory.mktemp("slides")
    made = make_slides([by_slug(s) for s in SLIDES_CHAPTERS], DEFAULT_LESSON, "-ql", out, jobs=1)
    scenes = [dry_scene(s, DEFAULT_LESSON) for s in SLIDES_CHAPTERS]
    captions = [c for s in scenes for c in s.captions]
    assert all(captions)  # every recorded beat is a captioned one
    return {**made, "out": out, "captions": captions}


@pytest.mark.render
def test_outputs_are_where_the_lesson_keeps_its_media(deck):
    slides = deck["out"] / "slides"
    assert deck["html"] == slides / "lesson.html" and deck["pptx"] == slides / "lesson.pptx"
    assert deck["slides"] == len(deck["captions"]) > 5
    assert (slides / "revealjs" / "dist" / "reveal.js").is_file()
    assert len(list((slides / "lesson_assets").glob("*.mp4"))) == len(deck["captions"])
    assert not list((slides / ".build").glob("*/media"))  # manim's partial movies are not kept
    assert sum(f.stat().st_size for f in (ROOT / "scenes/episode/revealjs").rglob("*")) < 1_000_000


def _netlog_page_requests(path: Path) -> list[str]:
    """URLs the page asked the network for. The browser's own requests (update checks and
    the like) are made by no web origin ("not an origin"); a page's carry its origin ("null"
    for a file)."""
    text = path.read_text().rstrip().rstrip(",")
    if not text.endswith("}"):  # a net log of a browser that ended without closing it
        text += "]}"
    log = json.loads(text)
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [e["params"]["url"] for e in log["events"] if e["type"] == start and "url" in e.get("params", {})
            and e["params"].get("initiator") != "not an origin"]


SELFTEST_HEAD = """<script>
window.__st = {errors: []};
addEventListener('error', e => __st.errors.push(
  String(e.message || (e.target && (e.target.src || e.target.href)))), true);
addEventListener('unhandledrejection', e => __st.errors.push('rejection: ' + e.reason));
</script>"""
SELFTEST_BODY = """<script>
Reveal.on('ready', async () => {
  const videos = [];
  for (let i = 0; i < Reveal.getTotalSlides(); i++) {
    Reveal.slide(i);
    await new Promise(r => setTimeout(r, 50));
    const v = Reveal.getCurrentSlide().slideBackgroundContentElement.querySelector('video');
    if (!v) { videos.push({i, error: 'no video'}); continue; }
    // a busy machine can take a while to read a video's header: wait up to 4 x 5 s for it
    for (let t = 0; t < 4 && v.readyState < 1 && !v.error; t++)
      await new Promise(r => { v.addEventListener('loadedmetadata', r, {once: true});
        v.addEventListener('error', r, {once: true}); setTimeout(r, 5000); });
    videos.push({i, error: v.error && v.error.code, duration: v.duration, muted: v.muted, src: v.currentSrc || v.src});
  }
  const pre = document.createElement('pre'); pre.id = 'selftest';
  pre.textContent = JSON.stringify({slides: Reveal.getTotalSlides(), videos, errors: __st.errors,
    notes: [...document.querySelectorAll('aside.notes')].map(a => a.textContent.trim())});
  document.body.appendChild(pre);
});
</script>"""


def _open_in_chromium(page: Path, tmp_path: Path) -> tuple[dict[str, object] | None, list[str], list[str]]:
    """Open ``page`` from disk; returns its self-test report (None if it made none), the
    console messages Chromium logged, and the URLs the page asked the network for."""
    assert CHROMIUM, "chromium is not installed (bash .ci/setup.sh installs it)"
    netlog = tmp_path / f"{page.stem}.netlog.json"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync", "--mute-audio",
           f"--user-data-dir={tmp_path / ('profile-' + page.stem)}", "--virtual-time-budget=120000",
           "--enable-logging=stderr", "--v=0", f"--log-net-log={netlog}", "--dump-dom", page.as_uri()]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    console = [line for line in p.stderr.splitlines() if ":CONSOLE" in line]
    m = re.search(r'<pre id="selftest"[^>]*>(.*?)</pre>', p.stdout, re.S)
    report = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&")) if m else None
    return report, console, _netlog_page_requests(netlog)


@pytest.mark.render
def test_html_deck_offline_in_a_browser(deck, tmp_path):
    html: Path = deck["html"]
    page = html.read_text(encoding="utf-8")
    assert not re.search(r"https?://", page)  # no CDN: reveal.js and the videos are local
    # the deck as shipped, with a self-test added (a copy beside it, so relative paths hold)
    probe = html.with_name("selftest.html")
    page = page.replace("<head>", "<head>" + SELFTEST_HEAD, 1).replace("</body>", SELFTEST_BODY + "</body>", 1)
    probe.write_text(page, encoding="utf-8")
    try:
        report, console, requests = _open_in_chromium(probe, tmp_path)
    finally:
        probe.unlink()
    assert report is not None, "the deck did not start (reveal.js not loaded?)"
    assert console == [] and report["errors"] == []
    assert requests == []
    assert report["slides"] == len(deck["captions"])  # one slide per captioned beat
    assert report["notes"] == deck["captions"]  # each beat's caption is its slide's note
    from urllib.parse import unquote, urlparse

    from scenes.episode.media import clip_info

    loaded = [v for v in report["videos"] if v["duration"] is not None]
    assert loaded, "no slide's video loaded in Chromium"
    for v in report["videos"]:
        assert v["error"] is None and v["muted"], v
        # Chromium's clock here is virtual: on a busy machine it can give up on reading a
        # video's header before the header is read. Those it read must be right, and every
        # file the deck plays must be a real clip.
        assert v["duration"] is None or v["duration"] > 0.5, v
        assert clip_info(Path(unquote(urlparse(v["src"]).path))).duration > 0.5, v


@pytest.mark.render
def test_the_offline_check_catches_a_cdn(tmp_path):
    """The same probe on a page that loads reveal.js from a CDN reports the request."""
    page = tmp_path / "cdn.html"
    page.write_text('<html><head><link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/reveal.js@6.0.1/dist/'
                    'reveal.css"></head><body></body></html>')
    _, _, requests = _open_in_chromium(page, tmp_path)
    assert requests == ["https://cdn.jsdelivr.net/npm/reveal.js@6.0.1/dist/reveal.css"]


@pytest.mark.render
def test_pptx_opens_with_one_slide_per_beat(deck):
    from pptx import Presentation

    prs = Presentation(str(deck["pptx"]))
    assert len(prs.slides) == len(deck["captions"])
    for slide, caption in zip(prs.slides, deck["captions"]):
        movies = [s for s in slide.shapes if s.shape_type is not None and "MEDIA" in str(s.shape_type)]
        assert len(movies) == 1
        assert slide.notes_slide.notes_text_frame.text == caption
    assert math.isclose(prs.slide_width / prs.slide_height, 16 / 9, rel_tol=0.01)


@pytest.mark.render
def test_rerun_reuses_the_chapter(deck):
    from scenes.episode.slides import make_slides

    lines: list[str] = []
    again = make_slides([by_slug(s) for s in SLIDES_CHAPTERS], DEFAULT_LESSON, "-ql", deck["out"], log=lines.append)
    assert again["slides"] == deck["slides"] and any("(unchanged)" in line for line in lines)
