"""The gallery page: the episode and every chapter clip with its poster, captions, duration
and a snippet to copy into a lesson page.

The page is one self-contained HTML file with relative links, so it works opened from disk
and served by any static server; it loads nothing from the network. Browsers refuse caption
files from ``file://`` pages, so each ``<track>`` carries its WebVTT inline as a ``data:``
URL; the snippets point at the .vtt files beside the clips, which is what a site serves.
Opening the page with ``#selftest`` makes it report, in ``<pre id="selftest">``, each
video's duration and cue count and any script error: the browser test reads that. Its
colours are the lesson's theme (:data:`scenes.engine.style.THEMES`): a light lesson gets a light page.
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Sequence
from pathlib import Path

from scenes.engine.atomic import write_atomically
from scenes.engine.chapters import ChapterOutput
from scenes.engine.lesson import Lesson
from scenes.engine.style import FONT, THEMES, Theme
from scenes.episode.media import clip_info
from scenes.episode.progress import fmt_seconds


def css(theme: Theme) -> str:
    """The page's style sheet in ``theme``'s colours."""
    return f"""
body {{ background: {theme.background}; color: {theme.text}; font-family: "{FONT}", sans-serif; margin: 0 auto;
       max-width: 980px; padding: 24px; line-height: 1.45; }}
a {{ color: {theme.forward}; }}
h1 {{ font-size: 1.8em; margin-bottom: 0.2em; }}
.meta {{ color: {theme.muted}; }}
ol.chapters {{ list-style: none; padding-left: 0; }}
.item {{ margin: 28px 0; padding-top: 12px; border-top: 1px solid {theme.edge}; }}
video {{ width: 100%; background: {theme.panel}; border-radius: 6px; }}
pre {{ background: {theme.panel}; padding: 10px; overflow-x: auto; border-radius: 6px; font-size: 0.85em; }}
button {{ background: {theme.panel}; color: {theme.text}; border: 1px solid {theme.muted}; border-radius: 4px;
         padding: 4px 10px; cursor: pointer; }}
"""

SCRIPT = """
const errors = [];
window.addEventListener('error', e => errors.push(String(e.message || e)));
const origError = console.error;
console.error = (...a) => { errors.push(a.join(' ')); origError(...a); };
document.querySelectorAll('a[data-seek]').forEach(a => a.addEventListener('click', e => {
  e.preventDefault();
  const v = document.getElementById('episode');
  v.currentTime = Number(a.dataset.seek);
  v.play().catch(() => {});
}));
document.querySelectorAll('button[data-copy]').forEach(b => b.addEventListener('click', () => {
  const text = document.getElementById(b.dataset.copy).textContent;
  (navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject()).then(
    () => { b.textContent = 'Copied'; }, () => { b.textContent = 'Select the text and copy it'; });
}));
if (location.hash === '#selftest') {
  const videos = [...document.querySelectorAll('video')];
  const ready = v => new Promise(res => {
    const done = () => res();
    if (v.readyState >= 1) done();
    else { v.addEventListener("loadedmetadata", done); v.addEventListener("error", done); }
  });
  const cues = t => new Promise(res => {
    const n = () => (t.track.cues ? t.track.cues.length : 0);
    t.track.mode = 'hidden';
    if (t.readyState === 2) res(n()); else {
      t.addEventListener('load', () => res(n())); t.addEventListener('error', () => res(-1));
      setTimeout(() => res(n()), 4000);
    }
  });
  Promise.all(videos.map(async v => {
    await ready(v);
    const t = v.querySelector('track');
    return { id: v.id, duration: v.duration, expected: Number(v.dataset.duration),
             error: v.error ? v.error.code : null, cues: t ? await cues(t) : 0,
             expectedCues: Number(v.dataset.cues) };
  })).then(r => {
    const out = document.getElementById('selftest');
    out.textContent = JSON.stringify({ videos: r, errors });
  });
}
"""


def _data_url(vtt: Path) -> str:
    return "data:text/vtt;base64," + base64.b64encode(vtt.read_bytes()).decode()


def _cue_count(vtt: Path) -> int:
    return sum(1 for line in vtt.read_text(encoding="utf-8").splitlines() if "-->" in line)


#: The caption track's language code and name, per lesson language.
TRACKS = {"en": ("en", "English"), "zh": ("zh-Hans", "简体中文")}


def _video_block(vid: str, title: str, clip: Path, vtt: Path, poster: Path | None, page_dir: Path,
                 note: str, lang: str = "en") -> str:
    rel = lambda p: html.escape(os.path.relpath(p, page_dir))  # noqa: E731
    code, name = TRACKS.get(lang, TRACKS["en"])
    info = clip_info(clip)
    poster_attr = f' poster="{rel(poster)}"' if poster else ""
    snippet = (f'<video controls preload="metadata" width="{info.width}"{poster_attr} src="{rel(clip)}">\n'
               f'  <track kind="captions" srclang="{code}" label="{name}" src="{rel(vtt)}" default>\n'
               f'</video>')
    return f"""
<section class="item">
  <h2>{html.escape(title)}</h2>
  <p class="meta">{fmt_seconds(info.duration)} · {info.width}x{info.height} · {_cue_count(vtt)} captions ·
     <a href="{rel(clip)}">mp4</a> · <a href="{rel(vtt)}">captions (WebVTT)</a>{note}</p>
  <video id="{vid}" controls preload="metadata"{poster_attr} src="{rel(clip)}"
         data-duration="{info.duration:.3f}" data-cues="{_cue_count(vtt)}">
    <track kind="captions" srclang="{code}" label="{name}" src="{_data_url(vtt)}" default>
  </video>
  <p>To embed this clip, copy the snippet and the files it names:
     <button data-copy="{vid}-snippet">Copy</button></p>
  <pre id="{vid}-snippet">{html.escape(snippet)}</pre>
</section>"""


def _extras(folder: Path, home: Path) -> str:
    """Links to the other formats made beside the episode, where they exist (made in this run,
    in ``folder``, or before it, in ``home``)."""
    def made(name: str) -> bool:
        return (folder / name).exists() or (home / name).exists()

    links = []
    if made("short.mp4"):
        links.append('<a href="short.mp4">vertical short</a> (1080x1920, captions burned in)')
    if made("slides/lesson.html"):
        links.append('<a href="slides/lesson.html">class slides</a> (one slide per beat, works offline)')
    if made("slides/lesson.pptx"):
        links.append('<a href="slides/lesson.pptx">PowerPoint</a>')
    return "".join(f" · {link}" for link in links)


def _other_version(folder: Path) -> str:
    """A link between the captioned and the narrated galleries, where both exist."""
    if (folder / "narrated" / "index.html").exists():
        return ' <a href="narrated/index.html">The narrated version</a> (spoken captions).'
    if folder.name == "narrated" and (folder.parent / "index.html").exists():
        return ' <a href="../index.html">The captioned version</a> (no narration).'
    return ""


def write_page(page: Path, lesson: Lesson, quality: str, outputs: Sequence[ChapterOutput], *, episode: Path,
               episode_vtt: Path, home: Path | None = None) -> None:
    """Write the gallery page, atomically; ``home`` is the folder it will be published to
    (default: the page's own), where it looks for the formats and the other gallery it links."""
    d = page.parent
    home = home or d
    blocks = [_video_block("episode", f"{lesson.title}: the whole episode", episode, episode_vtt,
                           outputs[0].poster, d, " · <a href=\"episode.srt\">SRT</a>"
                           " · for video platforms: <a href=\"description.txt\">description</a>,"
                           " <a href=\"thumbnail.png\">thumbnail</a>" + _extras(d, home), lesson.language)]
    start = 0.0
    items = []
    for o in outputs:
        items.append(f'<li><a href="#" data-seek="{start:.3f}">{fmt_seconds(start)}</a> '
                     f'{o.chapter.number}. {html.escape(o.chapter.title)}</li>')
        start += clip_info(o.clip).duration
    blocks.insert(1, f'<p>Chapters of the episode (click to jump):</p><ol class="chapters">{"".join(items)}</ol>')
    if (d / "explore.html").exists() or (home / "explore.html").exists():
        from scenes.episode.explore import gallery_block

        blocks.insert(2, gallery_block(lesson.language))
    for o in outputs:
        blocks.append(_video_block(f"chapter-{o.chapter.number:02d}", f"{o.chapter.number}. {o.chapter.title}",
                                   o.clip, o.vtt, o.poster, d, "", lesson.language))
    text = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(lesson.title)}</title>
<style>{css(THEMES[lesson.theme])}</style>
</head>
<body>
<h1>{html.escape(lesson.title)}</h1>
<p class="meta">Lesson <code>{html.escape(lesson.name)}</code> · {html.escape(quality)} ·
  every number on screen is computed by netsim at render time, except figures quoted from
  published work (and named as such). The episode has chapter markers; each chapter
  below is also a clip of its own.{_other_version(home)}</p>
{''.join(blocks)}
<pre id="selftest" hidden></pre>
<script>{SCRIPT}</script>
</body>
</html>
"""
    write_atomically(page, text)
