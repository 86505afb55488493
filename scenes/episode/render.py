"""``python -m scenes.render``: render every chapter and build the episode and its extras.

1. Checks first: the lesson (one line naming a bad field), the output folder, LaTeX and
   manim's cairo/pango libraries, each with the exact command that installs what is missing.
2. Renders each chapter with manim (1080p60, or 480p15 with ``--preview``) on Dask
   distributed: an embedded LocalCluster running as many at a time as there are cores, or
   an existing cluster (``--scheduler ADDRESS``). A chapter whose inputs (its scene file,
   the shared scene code, netsim, translations, manim.cfg, the lesson, the quality) did not
   change since the last run is not sent at all.
3. Joins the chapters into ``episode.mp4`` without re-encoding, with one chapter marker per
   chapter, and writes ``episode.srt``/``episode.vtt`` with every chapter's captions shifted
   to where it starts, one clip, caption file and poster per chapter, a short looping
   ``preview.gif``, the gallery page ``index.html`` and the explore page ``explore.html``.

Outputs go to ``media/`` for the default lesson and to ``media/<lesson name>/`` for any
other. Everything is built in a staging folder and moved into place only when all of it is
there (:mod:`scenes.episode.staging`), so an interrupted (Ctrl-C) or failed run leaves every
previous output as it was.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from scenes.engine.atomic import atomic_path, copy_atomically
from scenes.engine.chapters import CHAPTERS, Chapter, ChapterOutput, by_slug
from scenes.engine.lesson import DEFAULT_LESSON, Lesson, LessonError, load_lesson
from scenes.engine.unit import FULL, PREVIEW, Quality
from scenes.episode import progress, staging
from scenes.episode.builds import MEDIA, ROOT, ChapterRender, RenderError, output_dir

POSTER_BEFORE_END = 1.0  # seconds
APT_LATEX = "texlive-latex-base texlive-latex-extra texlive-fonts-recommended dvisvgm cm-super"
APT_CAIRO = "libcairo2-dev libpango1.0-dev pkg-config"

log = logging.getLogger("scenes.episode.render")
console = progress.console


def preflight(lesson: Lesson) -> None:
    """Stop early, with the command that fixes it, when a system piece is missing."""
    if lesson.narration and shutil.which("espeak-ng") is None:
        raise RenderError("narration needs espeak-ng, which is not installed; install with: "
                          "sudo apt-get install -y espeak-ng sox (or render without --narrate)")
    if lesson.language == "zh" and not _has_font("Noto Sans CJK SC"):
        raise RenderError("Chinese captions need a CJK font; install with: sudo apt-get install -y fonts-noto-cjk")
    missing = [tool for tool in ("latex", "dvisvgm") if shutil.which(tool) is None]
    if missing:
        raise RenderError(f"{' and '.join(missing)} not found (manim needs LaTeX for formulas); install with: "
                          f"sudo apt-get install -y {APT_LATEX}")
    try:
        import cairo  # noqa: F401
        import manimpango  # noqa: F401
    except ImportError as exc:
        raise RenderError(f"manim cannot load cairo/pango ({exc}); install with: "
                          f"sudo apt-get install -y {APT_CAIRO} and run: bash .ci/setup.sh") from None


def _has_font(family: str) -> bool:
    """Whether fontconfig knows a font family (what pango, and so manim's Text, will use)."""
    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return family in listed


def check_writable(folder: Path) -> None:
    """Make sure ``folder`` can be created and written, before any rendering."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise RenderError(f"output folder {folder} cannot be written: {exc.strerror or exc}") from None



def _fmt_size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} kB"


def render_chapters(renders: list[ChapterRender], jobs: int, scheduler: str | None = None) -> dict[str, float]:
    """Render the chapters that need it on Dask, showing progress; returns seconds per unit.

    Unchanged chapters are not sent at all. ``scheduler`` is the address of an existing Dask
    cluster; without it an embedded LocalCluster renders ``jobs`` units at a time. On the
    first failure, or Ctrl-C, every worker stops its manim and the error is raised.
    """
    todo = [r for r in renders if not r.up_to_date()]
    for r in renders:
        if r not in todo:
            progress.line(f"  {r.display}: unchanged, kept")
    if not todo:
        return {}
    from scenes.episode.cluster import run_units

    where = f"the Dask cluster at {scheduler}" if scheduler else f"{jobs} at a time"
    progress.line(f"Rendering {len(todo)} chapter(s), {where} (logs in {todo[0].log_path.parent})")
    return run_units(todo, jobs, scheduler)


def assemble(renders: list[ChapterRender], out: Path, lesson: Lesson, quality: Quality, *,
             webm: bool = False, home: Path | None = None) -> dict[str, Path]:
    """Chapter files, the joined episode with markers and captions, posters, preview, page,
    written to ``out``; ``home`` is the folder they will be published to (default ``out``),
    where the gallery also looks for the slides, the short and the other gallery it links."""
    from scenes.episode import explore, gallery, media, package

    chapters_dir = out / "chapters"
    chapters_dir.mkdir(parents=True, exist_ok=True)
    outputs: list[ChapterOutput] = []
    for r in renders:
        name = r.chapter.name
        clip, srt_path = chapters_dir / f"{name}.mp4", chapters_dir / f"{name}.srt"
        copy_atomically(r.clip, clip)
        cues = media.tidy_cues(media.read_srt(r.srt), media.clip_info(clip).duration)
        media.write_srt(cues, srt_path)
        media.write_vtt(cues, chapters_dir / f"{name}.vtt")
        if lesson.burn_captions:  # for players that ignore caption files
            from scenes.engine.burn import burn_captions

            burn_captions(clip, srt_path, clip, lesson.language, theme=lesson.theme)
        poster = chapters_dir / f"{name}.png"
        # Chapters end with a short fade to the empty background after holding their key
        # picture: the poster is taken from that hold, POSTER_BEFORE_END before the end.
        media.write_poster(clip, poster, max(0.0, media.clip_info(clip).duration - POSTER_BEFORE_END))
        outputs.append(ChapterOutput(r.chapter, clip, srt_path, chapters_dir / f"{name}.vtt", poster))
        if webm:
            media.transcode_webm(clip, clip.with_suffix(".webm"))

    episode = out / "episode.mp4"
    with atomic_path(episode) as tmp_episode:
        starts = media.concat_clips([o.clip for o in outputs], tmp_episode,
                                    [f"{o.chapter.number}. {o.chapter.title}" for o in outputs])
        cues = media.merge_captions([(media.read_srt(o.srt), s) for o, s in zip(outputs, starts)])
        media.write_srt(cues, out / "episode.srt")
        media.write_vtt(cues, out / "episode.vtt")
    if webm:
        media.transcode_webm(episode, out / "episode.webm")

    fading = next((o for o in outputs if o.chapter.slug == "fading"), outputs[-1])
    info = media.clip_info(fading.clip)
    media.write_preview_gif(fading.clip, out / "preview.gif", start=max(0.0, info.duration * 0.55),
                            length=min(6.0, info.duration))
    package.write_description(out / "description.txt", lesson, episode)
    package.write_thumbnail(out / "thumbnail.png", fading.poster, lesson.title, lesson.language, theme=lesson.theme)
    explore.write_explore(out, lesson, gallery=True)  # netsim's numbers are cached: see explore.default_cache_dir
    gallery.write_page(out / "index.html", lesson, quality.label, outputs, episode=episode,
                       episode_vtt=out / "episode.vtt", home=home)
    return {"episode": episode, "index": out / "index.html"}


def build_extras(args: argparse.Namespace, targets: Sequence[tuple[Lesson, Path]], chapters: Sequence[Chapter],
                 quality: Quality, out: Path) -> None:
    """The class slides and the vertical short, when asked for, into each lesson's staging
    folder (before the galleries, which link them)."""
    for lesson, folder in targets:
        if args.slides:
            from scenes.episode.slides import SlidesError, make_slides

            try:
                make_slides(chapters, quality_flag=quality.flag, out_dir=staging.staged(folder, out), jobs=args.jobs,
                            lesson=lesson, cache_dir=folder / ".build" / "slides",
                            log=lambda line: console.print(line, markup=False))
            except SlidesError as exc:
                raise RenderError(str(exc)) from None
        staging.check_stopped()
        if args.short:
            from scenes.short import make_short

            try:
                make_short(lesson, staging.staged(folder, out), preview=args.preview)
            except RuntimeError as exc:
                raise RenderError(f"the vertical short failed: {exc}") from None
        staging.check_stopped()


def summary(out: Path) -> str:
    """A table of the files made: name, duration, size."""
    from scenes.episode import media

    rows = []
    files = [out / "episode.mp4",
             *sorted(p for ext in ("mp4", "webm", "mov") for p in (out / "chapters").glob(f"*.{ext}"))]
    if (out / "episode.webm").exists():
        files.insert(1, out / "episode.webm")
    if (out / "short.mp4").exists():
        files.append(out / "short.mp4")
    for p in files:
        rows.append((str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p),
                     progress.fmt_seconds(media.clip_info(p).duration), _fmt_size(p.stat().st_size)))
    for name in ("episode.srt", "episode.vtt", "description.txt", "thumbnail.png", "preview.gif", "index.html",
                 "explore.html"):
        p = out / name
        rows.append((str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p), "", _fmt_size(p.stat().st_size)))
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"  {r[0].ljust(width)}  {r[1]:>6}  {r[2]:>9}" for r in rows)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m scenes.render", description=__doc__.split("\n")[0])
    p.add_argument("--preview", action="store_true", help="480p15 instead of 1080p60 (much faster)")
    p.add_argument("--lesson", type=Path, default=None,
                   help=f"a lesson file (default: {DEFAULT_LESSON.relative_to(ROOT)}); outputs go to media/<name>/")
    p.add_argument("--chapters", default=None,
                   help="only these chapters, e.g. rock,fading (default: all, in story order)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="chapters rendered at a time by the embedded Dask LocalCluster (default: the cores)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="send the chapters to an existing Dask cluster (e.g. tcp://host:8786) instead")
    p.add_argument("--webm", action="store_true", help="also write WebM (VP9) copies of the clips and episode")
    p.add_argument("--transparent", action="store_true",
                   help="also render each chapter with a transparent background (chapters/NN-name.mov, for overlays)")
    voice = p.add_mutually_exclusive_group()
    voice.add_argument("--narrate", dest="narrate", action="store_const", const=True, default=None,
                       help="speak every caption (offline: Piper's English voice, espeak-ng for Chinese), "
                            "whatever the lesson says")
    voice.add_argument("--no-narrate", dest="narrate", action="store_const", const=False,
                       help="no narration, whatever the lesson says")
    p.add_argument("--course", type=Path, default=None,
                   help="a course file: several lessons x languages, each into <out>/<lesson>/<language>/, "
                        "and a course page <out>/index.html (default out: media/<course name>/)")
    p.add_argument("--slides", action="store_true",
                   help="also make class slides: <out>/slides/lesson.html (reveal.js, works offline) and lesson.pptx, "
                        "one slide per beat")
    p.add_argument("--short", action="store_true",
                   help="also write short.mp4: a 1080x1920 vertical short (about 50 s), captions burned in")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: media/ or media/<lesson>/)")
    return p


def check_scheduler(address: str) -> None:
    """Make sure the Dask scheduler at ``address`` answers, before anything is rendered."""
    from scenes.episode.cluster import open_client

    client, _ = open_client(1, address)
    client.close()


def choose_chapters(spec: str | Sequence[str] | None) -> list[Chapter]:
    """The chapters asked for (slugs or numbers), always in story order; all when None."""
    if not spec:
        return list(CHAPTERS)
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    try:
        chosen = {by_slug(s.strip()) for s in names if s.strip()}
    except ValueError as exc:
        raise RenderError(str(exc)) from None
    return sorted(chosen, key=lambda c: c.number)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the whole job; returns 0, 1 when a chapter failed, 2 for bad input, 130 on Ctrl-C."""
    from scenes.episode.course import CourseError, lesson_dir, load_course, write_course_page

    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    course = None
    try:
        if args.jobs < 1:
            raise RenderError(f"--jobs {args.jobs} must be at least 1")
        if args.course and args.lesson:
            raise RenderError("--course and --lesson cannot be used together (a course names its lessons)")
        if args.course:
            course = load_course(args.course)
            out = args.out or MEDIA / course.name
            lessons = [replace(lsn, narration=args.narrate) if args.narrate is not None else lsn
                       for lsn in course.lessons]
            targets = [(lsn, lesson_dir(out, lsn)) for lsn in lessons]
            chapters = choose_chapters(args.chapters or course.chapters)
        else:
            lesson = load_lesson(args.lesson)
            if args.narrate is not None:
                lesson = replace(lesson, narration=args.narrate)
            out = args.out or output_dir(lesson)
            targets = [(lesson, out)]
            chapters = choose_chapters(args.chapters)
        for lesson, folder in targets:
            check_writable(folder)
            preflight(lesson)
        if args.scheduler:
            check_scheduler(args.scheduler)
    except (LessonError, RenderError, CourseError) as exc:
        console.print(f"render: error: {exc}", markup=False)
        return 2
    quality = PREVIEW if args.preview else FULL
    for lesson, folder in targets:
        console.print(f"Lesson {lesson.name!r} ({lesson.source.name}, {lesson.language}), {quality.label}, "
                      f"{len(chapters)} chapters -> {folder}", markup=False)
    renders = {id(lesson): [ChapterRender(c, lesson, quality, folder) for c in chapters] for lesson, folder in targets}
    overlays = ([ChapterRender(c, lesson, quality.with_alpha(), folder) for lesson, folder in targets for c in chapters]
                if args.transparent else [])
    t0 = time.monotonic()
    with staging.interruptible():
        try:
            render_chapters([r for rs in renders.values() for r in rs] + overlays, args.jobs, args.scheduler)
            staging.check_stopped()
            staging.stage(out)
            build_extras(args, targets, chapters, quality, out)
            for lesson, folder in targets:
                assemble(renders[id(lesson)], staging.staged(folder, out), lesson, quality, webm=args.webm,
                         home=folder)
            for r in overlays:
                copy_atomically(r.clip, staging.staged(r.out, out) / "chapters" / r.clip.name)
            if course is not None:
                write_course_page(staging.staged(out, out) / "index.html", course, quality.label)
            staging.check_stopped()
            staging.publish(out)
        except RenderError as exc:
            staging.discard(out)
            console.print(f"render: error: {exc}", markup=False)
            console.print("The previous episode, if any, is unchanged.")
            return 1
        except KeyboardInterrupt:
            staging.discard(out)
            console.print("render: interrupted; the previous outputs, if any, are unchanged.")
            return 130
    done = "\n".join(summary(folder) for _, folder in targets)
    console.print(f"Done in {progress.fmt_seconds(time.monotonic() - t0)}:\n{done}", markup=False)
    if course is not None:
        console.print(f"  course page: {out / 'index.html'}", markup=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
