"""The episode command end to end at preview quality, its gallery page in a real browser,
and what it does with bad input, failures and interruptions."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest

from scenes.engine.chapters import CHAPTERS, Chapter, by_slug
from scenes.episode import builds, media, render
from tests.conftest import interrupt_render, manims_left, own_lesson

ROOT = Path(__file__).resolve().parents[1]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def run_render(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scenes.render", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


E2E_CHAPTERS = ("opening", "neuron")  # the same as conftest's; checked in the fixture's test below


def chapters_of_run() -> list[Chapter]:
    """The chapters of the end-to-end run, in story order (whatever order they were asked in)."""
    return sorted((by_slug(s) for s in E2E_CHAPTERS), key=lambda c: c.number)


@pytest.mark.render
def test_episode_is_the_chapters_joined(episode):
    assert episode["chapters"] == E2E_CHAPTERS
    out: Path = episode["out"]
    ep = media.clip_info(out / "episode.mp4")
    clips = [media.clip_info(out / "chapters" / f"{c.name}.mp4") for c in chapters_of_run()]
    assert (ep.width, ep.height) == (854, 480)
    assert ep.duration == pytest.approx(sum(c.duration for c in clips), abs=1 / 15)
    assert ep.frames == sum(c.frames for c in clips)
    for c in clips:
        assert 30 <= c.duration <= 180


@pytest.mark.render
def test_chapter_markers(episode):
    out: Path = episode["out"]
    marks = media.read_chapters(out / "episode.mp4")
    chs = chapters_of_run()
    assert [m[2] for m in marks] == [f"{c.number}. {c.title}" for c in chs]
    start = 0.0
    for (m_start, m_end, _), c in zip(marks, chs):
        d = media.clip_info(out / "chapters" / f"{c.name}.mp4").duration
        assert m_start == pytest.approx(start, abs=1e-3) and m_end == pytest.approx(start + d, abs=1e-3)
        start += d


@pytest.mark.render
def test_captions_are_every_chapters_cues_at_the_right_offsets(episode):
    out: Path = episode["out"]
    merged = media.read_srt(out / "episode.srt")
    expected = []
    start = 0.0
    for c in chapters_of_run():
        cues = media.read_srt(out / "chapters" / f"{c.name}.srt")
        assert cues, f"{c.name} has no captions"
        expected += [(q.start + timedelta(seconds=start), q.content) for q in cues]
        start += media.clip_info(out / "chapters" / f"{c.name}.mp4").duration
    assert [q.content for q in merged] == [text for _, text in expected]
    for q, (start_expected, _) in zip(merged, expected):  # SRT keeps milliseconds
        assert abs((q.start - start_expected).total_seconds()) <= 0.001
    assert all(a.end <= b.start for a, b in zip(merged, merged[1:]))
    vtt = (out / "episode.vtt").read_text()
    assert vtt.startswith("WEBVTT") and vtt.count("-->") == len(merged)


@pytest.mark.render
def test_posters_and_preview(episode):
    from PIL import Image

    out: Path = episode["out"]
    for c in chapters_of_run():
        with Image.open(out / "chapters" / f"{c.name}.png") as im:
            assert im.size == (854, 480)
            assert len(im.convert("L").getcolors(maxcolors=256 * 256) or []) > 10  # not a blank frame
    with Image.open(out / "preview.gif") as gif:
        assert gif.n_frames > 10 and gif.info.get("loop") == 0


@pytest.mark.render
def test_unchanged_rerun_renders_nothing(episode):
    out: Path = episode["out"]
    before = (out / "episode.mp4").read_bytes()
    t0 = time.monotonic()
    p = run_render("--preview", "--chapters", ",".join(E2E_CHAPTERS), "--out", str(out))
    took = time.monotonic() - t0
    assert p.returncode == 0, p.stderr
    assert p.stderr.count("unchanged, kept") == len(E2E_CHAPTERS)
    assert "rendering ..." not in p.stderr
    assert (out / "episode.mp4").read_bytes() == before
    assert took < episode["first"] / 2


def test_only_the_changed_chapter_would_render(tmp_path):
    lesson = render.load_lesson(None)
    keys = {c.slug: builds.chapter_key(c, lesson, render.PREVIEW) for c in CHAPTERS}
    other = render.load_lesson(ROOT / "scenes" / "lessons" / "relu-he.toml")
    assert all(builds.chapter_key(c, other, render.PREVIEW) != keys[c.slug] for c in CHAPTERS)
    assert all(builds.chapter_key(c, lesson, render.FULL) != keys[c.slug] for c in CHAPTERS)
    # A chapter's key covers its own file and the shared code, not the other chapters.
    rock = by_slug("rock")
    fake = Chapter(rock.number, rock.slug, str(tmp_path / "rock_copy.py"), rock.scene, rock.title)
    (tmp_path / "rock_copy.py").write_text(rock.path.read_text() + "\n# a change\n")
    assert builds.chapter_key(fake, lesson, render.PREVIEW) != keys["rock"]
    inputs = {p.relative_to(ROOT).as_posix() for p in builds.render_inputs(rock.path)}
    assert {"scenes/rock.py", "scenes/engine/style.py", "scenes/engine/common.py", "netsim/network.py"} <= inputs
    assert not inputs & {f"scenes/{c.file}" for c in CHAPTERS if c.slug != "rock"}


def _chromium_selftest(url: str, tmp_path: Path) -> dict[str, object]:
    assert CHROMIUM, "chromium is not installed (bash .ci/setup.sh installs it)"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--mute-audio", f"--user-data-dir={tmp_path / 'chromium-profile'}", "--virtual-time-budget=15000",
           "--dump-dom", url]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    m = re.search(r'<pre id="selftest"[^>]*>(.*?)</pre>', p.stdout, re.S)
    assert m and m.group(1).strip(), f"the page did not report; chromium said: {p.stderr[-2000:]}"
    return json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def _check_report(report: dict[str, object], n_videos: int) -> None:
    assert report["errors"] == []
    videos = report["videos"]
    assert len(videos) == n_videos
    for v in videos:
        assert v["error"] is None, v
        assert v["duration"] == pytest.approx(v["expected"], abs=0.1), v
        assert v["cues"] == v["expectedCues"] > 0, v


@pytest.mark.render
def test_gallery_in_a_browser_from_disk(episode, tmp_path):
    out: Path = episode["out"]
    page = (out / "index.html").read_text()
    assert "http://" not in page and "https://" not in page  # no CDN, no network
    report = _chromium_selftest((out / "index.html").as_uri() + "#selftest", tmp_path)
    _check_report(report, 1 + len(E2E_CHAPTERS))


@pytest.mark.render
def test_gallery_in_a_browser_served(episode, tmp_path):
    out: Path = episode["out"]
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        report = _chromium_selftest(f"http://127.0.0.1:{server.server_port}/index.html#selftest", tmp_path)
    finally:
        server.shutdown()
    _check_report(report, 1 + len(E2E_CHAPTERS))


def test_bad_lesson_stops_before_anything_is_written(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[net]\ndepth = 0\n")
    out = tmp_path / "out"
    p = run_render("--preview", "--lesson", str(bad), "--out", str(out), timeout=60)
    assert p.returncode == 2
    assert p.stderr.strip().splitlines() == [
        f"render: error: {bad}: net.depth = 0 is out of range; allowed: 2 to 12"]
    assert not out.exists()


def test_unwritable_output_folder(tmp_path):
    p = run_render("--preview", "--out", "/proc/no-such-place/episode", timeout=60)
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be written" in lines[0] and "Traceback" not in p.stderr


def test_unknown_chapter(tmp_path):
    p = run_render("--chapters", "nope", "--out", str(tmp_path), timeout=60)
    assert p.returncode == 2 and "chapter 'nope' is unknown" in p.stderr


def test_missing_latex_is_named_with_the_install_command(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    assert render.main(["--preview", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "latex and dvisvgm not found" in err and "apt-get install -y texlive-latex-base" in err
    assert render.main(["--preview", "--narrate", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "narration needs espeak-ng" in err and "apt-get install -y espeak-ng sox" in err


BROKEN_SCENE = """
from scenes.engine.common import LessonScene


class Broken(LessonScene):
    def construct(self):
        raise RuntimeError("this chapter is broken on purpose")
"""


def test_failing_chapter_is_named_and_the_old_episode_stays(monkeypatch, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "episode.mp4").write_bytes(b"the previous episode")
    scene = tmp_path / "broken.py"
    scene.write_text(BROKEN_SCENE)
    broken = Chapter(99, "broken", str(scene), "Broken", "Broken")
    monkeypatch.setattr(render, "CHAPTERS", (broken,))
    assert render.main(["--preview", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    log = out / "logs" / "99-broken.log"
    assert ("chapter 99-broken of lesson 'default' failed on worker inproc://" in " ".join(err.split())
            and f"(manim exit 1); log: {log}" in " ".join(err.split()))
    assert "this chapter is broken on purpose" in log.read_text()
    assert (out / "episode.mp4").read_bytes() == b"the previous episode"
    assert not list(out.rglob("*.part"))


@pytest.mark.render
def test_ctrl_c_stops_manim_and_keeps_every_old_output(tmp_path):
    """Ctrl-C on a loaded machine: manim stops within seconds, nothing new is written (not
    even in a staging folder), the command says so in one line and exits 130."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "episode.mp4").write_bytes(b"the previous episode")
    lesson = own_lesson(tmp_path, "ctrlc-local")
    marker = f"vg-ctrlc-local-{by_slug('rock').name}-"
    code, err, seconds = interrupt_render(["--preview", "--lesson", str(lesson), "--chapters", "rock",
                                           "--out", str(out)], marker)
    assert code == 130, err
    assert seconds < 10, f"took {seconds:.1f} s to stop"
    assert err.strip().splitlines()[-1] == "render: interrupted; the previous outputs, if any, are unchanged."
    assert "Traceback" not in err
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == [Path("episode.mp4")]
    assert (out / "episode.mp4").read_bytes() == b"the previous episode"
    assert manims_left(marker) == 0


@pytest.mark.render
def test_optional_transparent_and_webm_outputs(tmp_path):
    import av
    import numpy as np

    p = run_render("--preview", "--chapters", "opening", "--transparent", "--webm", "--out", str(tmp_path))
    assert p.returncode == 0, p.stderr[-2000:]
    mp4 = media.clip_info(tmp_path / "chapters" / "01-opening.mp4")
    mov = tmp_path / "chapters" / "01-opening.mov"
    with av.open(str(mov)) as c:
        s = c.streams.video[0]
        assert "a" in s.codec_context.pix_fmt  # an alpha channel
        frames = [f.to_ndarray(format="rgba") for _, f in zip(range(200), c.decode(s))]
    alpha = np.stack([f[..., 3] for f in frames])
    assert alpha[0].max() == 0  # the empty background is see-through
    assert alpha.max() == 255  # and what is drawn is opaque
    assert media.clip_info(mov).duration == pytest.approx(mp4.duration, abs=1 / 15)
    for webm in (tmp_path / "episode.webm", tmp_path / "chapters" / "01-opening.webm"):
        info = media.clip_info(webm)
        assert info.duration == pytest.approx(mp4.duration, abs=0.1) and info.width == 854


def test_translations_and_encoder_settings_are_in_the_fingerprint(tmp_path, monkeypatch):
    """A changed translation or manim.cfg re-renders the chapter (it is not "unchanged, kept")."""
    from scenes.engine import i18n

    zh = render.load_lesson(ROOT / "scenes" / "lessons" / "zh.toml")
    en = render.load_lesson(None)
    rock = by_slug("rock")
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    cfg = tmp_path / "manim.cfg"
    shutil.copy(builds.MANIM_CFG, cfg)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setattr(builds, "MANIM_CFG", cfg)
    before_zh, before_en = builds.chapter_key(rock, zh, render.PREVIEW), builds.chapter_key(rock, en, render.PREVIEW)
    po = locale / "zh" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "x y z"\nmsgstr "新"\n', encoding="utf-8")
    assert builds.chapter_key(rock, zh, render.PREVIEW) != before_zh
    assert builds.chapter_key(rock, en, render.PREVIEW) == before_en  # English has no catalogue
    cfg.write_text(cfg.read_text() + "\n# another encoder setting\n")
    assert builds.chapter_key(rock, en, render.PREVIEW) != before_en


@pytest.mark.render
def test_video_platform_package(episode):
    """description.txt's chapter timestamps are the episode's chapter markers; the thumbnail
    is 1280x720, under 2 MB."""
    from PIL import Image

    from scenes.episode.progress import fmt_seconds

    out: Path = episode["out"]
    text = (out / "description.txt").read_text(encoding="utf-8").splitlines()
    assert text[0] == "The vanishing gradient" and text[1] == "" and len(text[2]) > 100
    stamps = text[text.index("Chapters:") + 1:]
    marks = media.read_chapters(out / "episode.mp4")
    assert stamps == [f"{fmt_seconds(start)} {title}" for start, _, title in marks]
    assert stamps[0].startswith("0:00 ") and all(end - start >= 10 for start, end, _ in marks)
    thumb = out / "thumbnail.png"
    assert thumb.stat().st_size < 2_000_000
    with Image.open(thumb) as im:
        assert im.size == (1280, 720)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="description.txt"' in page and 'href="thumbnail.png"' in page


def test_timestamps_are_what_platforms_read():
    """One clock for description.txt, the gallery and the summary: rounded down (a platform
    chapter starts on that second), and a float sum a hair short of a second is that second."""
    from scenes.episode.progress import fmt_seconds

    assert [fmt_seconds(s) for s in (0, 9.99, 61.5, 3725, -2)] == ["0:00", "0:09", "1:01", "1:02:05", "0:00"]
    assert fmt_seconds(346.6) == "5:46" and fmt_seconds(sum([1 / 15] * 15)) == "0:01"  # 0.9999999999999999


def _fake_gallery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme: str) -> str:
    """The gallery page of a one-chapter episode of a lesson in ``theme`` (clips not read)."""
    from dataclasses import replace
    from types import SimpleNamespace

    from scenes.engine.chapters import ChapterOutput
    from scenes.episode import gallery

    monkeypatch.setattr(gallery, "clip_info", lambda p: SimpleNamespace(duration=346.6, width=854, height=480))
    vtt = tmp_path / "a.vtt"
    vtt.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n", encoding="utf-8")
    outputs = [ChapterOutput(c, tmp_path / f"{c.name}.mp4", tmp_path / "a.srt", vtt, tmp_path / "a.png")
               for c in CHAPTERS[:2]]
    lesson = replace(render.load_lesson(None), theme=theme)
    page = tmp_path / f"{theme}.html"
    gallery.write_page(page, lesson, "preview", outputs, episode=tmp_path / "episode.mp4", episode_vtt=vtt)
    return page.read_text(encoding="utf-8")


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_gallery_takes_the_lesson_theme(tmp_path, monkeypatch, theme):
    """The page's colours are all the lesson theme's, and its times are the one clock's."""
    from scenes.engine.style import THEMES

    text = _fake_gallery(tmp_path, monkeypatch, theme)
    colours = set(re.findall(r"#[0-9A-Fa-f]{6}\b", text))
    t = THEMES[theme]
    assert colours == {t.background, t.text, t.forward, t.muted, t.edge, t.panel}
    assert f"body {{ background: {t.background}; color: {t.text};" in text
    assert '<a href="#" data-seek="346.600">5:46</a>' in text and "5:47" not in text
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))


def test_summary_lists_the_short(tmp_path, monkeypatch):
    from types import SimpleNamespace

    monkeypatch.setattr(media, "clip_info", lambda p: SimpleNamespace(duration=61.5))
    (tmp_path / "chapters").mkdir()
    for name in ("episode.mp4", "chapters/01-opening.mp4", "short.mp4", "episode.srt", "episode.vtt",
                 "description.txt", "thumbnail.png", "preview.gif", "index.html", "explore.html"):
        (tmp_path / name).write_bytes(b"x")
    rows = render.summary(tmp_path).splitlines()
    assert [r.split()[0].rsplit("/", 1)[-1] for r in rows[:3]] == ["episode.mp4", "01-opening.mp4", "short.mp4"]
    assert rows[2].split()[1] == "1:01"


def test_thumbnail_takes_the_theme_caption_colours(tmp_path):
    from PIL import Image

    from scenes.engine.style import THEMES
    from scenes.episode import package

    picture = tmp_path / "poster.png"
    Image.new("RGB", (854, 480), (90, 160, 200)).save(picture)
    for theme in ("dark", "light"):
        thumb = tmp_path / f"{theme}.png"
        package.write_thumbnail(thumb, picture, "The vanishing gradient", "en", theme=theme)
        with Image.open(thumb) as im:
            assert im.size == package.THUMB_SIZE
            box = Image.new("RGB", (1, 1), THEMES[theme].caption_box).getpixel((0, 0))
            shaded = im.convert("RGB").getpixel((1270, 10))  # the shade over the picture, no letters
            assert all(abs(s - (0.1 * p + 0.9 * b)) <= 2 for s, p, b in zip(shaded, (90, 160, 200), box))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dark.png", "light.png", "poster.png"]
