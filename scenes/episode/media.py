"""Media plumbing for the episode, all through PyAV, the library manim itself renders with:
reading durations, joining clips without re-encoding, chapter markers, caption files
(SRT and WebVTT, through the ``srt`` package manim uses for its captions), posters and a
short looping preview.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import av
import srt
from PIL import Image

from scenes.engine.atomic import atomic_path, write_atomically


@dataclass(frozen=True)
class ClipInfo:
    """What the episode needs to know of one rendered clip."""

    path: Path
    duration: float
    width: int
    height: int
    frames: int
    fps: Fraction


def clip_info(path: Path) -> ClipInfo:
    """Duration (from the video stream), size, frame count and frame rate of an mp4."""
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        if s.duration is not None and s.time_base is not None:
            duration = float(s.duration * s.time_base)
        else:
            duration = float(c.duration or 0) / av.time_base
        return ClipInfo(path, duration, s.codec_context.width, s.codec_context.height,
                        int(s.frames), Fraction(s.average_rate or 0))


def concat_clips(clips: Sequence[Path], out: Path, chapter_titles: Sequence[str] | None = None) -> list[float]:
    """Join mp4 clips of the same encoding into ``out`` without re-encoding.

    Packets are copied and shifted by the running duration of the video; a narration track,
    when the clips have one, is copied the same way (audio past a clip's last video frame is
    dropped, so chapters never overlap). With ``chapter_titles``, one chapter marker per
    clip is written. Returns the start time of each clip. The caller writes to a temporary
    name (:func:`scenes.engine.atomic.atomic_path`), so ``out`` is never half-written.
    """
    starts: list[float] = []
    with av.open(str(clips[0])) as first:
        template = first.streams.video[0]
        time_base = template.time_base
        has_audio = bool(first.streams.audio)
        with av.open(str(out), "w", format="mp4") as dst:
            ostream = dst.add_stream_from_template(template)
            astream = dst.add_stream_from_template(first.streams.audio[0]) if has_audio else None
            offset = 0  # in the video time base
            chapters = []
            for i, clip in enumerate(clips):
                starts.append(float(offset * time_base))
                with av.open(str(clip)) as src:
                    s = src.streams.video[0]
                    if s.time_base != time_base or s.codec_context.name != template.codec_context.name:
                        raise ValueError(f"{clip.name} is encoded differently from {clips[0].name}")
                    if bool(src.streams.audio) != has_audio:
                        raise ValueError(f"{clip.name} and {clips[0].name} differ in having narration")
                    length = _copy_packets(src, dst, ostream, astream, offset)
                if chapter_titles is not None:
                    chapters.append({"id": i + 1, "start": offset, "end": offset + length,
                                     "time_base": time_base, "metadata": {"title": chapter_titles[i]}})
                offset += length
            if chapters:
                dst.set_chapters(chapters)
    return starts


def _copy_packets(src: av.container.InputContainer, dst: av.container.OutputContainer,
                  ostream: av.stream.Stream, astream: av.stream.Stream | None, offset: int) -> int:
    """Copy one clip's packets, video shifted by ``offset`` (video time base) and audio by the
    same time; audio past the clip's video is dropped. Returns the clip's video length."""
    v = src.streams.video[0]
    a = src.streams.audio[0] if astream is not None else None
    v_length = int(v.duration) if v.duration else None
    start_s = float(offset * v.time_base)
    wanted = [v] if a is None else [v, a]
    end = 0
    for pkt in src.demux(*wanted):
        if pkt.dts is None or pkt.pts is None:
            continue
        if pkt.stream.type == "video":
            pkt.pts += offset
            pkt.dts += offset
            end = max(end, pkt.pts + (pkt.duration or 0) - offset)
            pkt.stream = ostream
        else:
            assert a is not None and astream is not None
            limit = v_length * v.time_base if v_length else None
            if limit is not None and (pkt.pts + (pkt.duration or 0)) * a.time_base > limit:
                continue
            shift = round(start_s / a.time_base)
            pkt.pts += shift
            pkt.dts += shift
            pkt.stream = astream
        dst.mux(pkt)
    return v_length if v_length else end


def read_chapters(path: Path) -> list[tuple[float, float, str]]:
    """(start, end, title) of every chapter marker in a media file."""
    with av.open(str(path)) as c:
        return [(float(ch["start"] * ch["time_base"]), float(ch["end"] * ch["time_base"]),
                 ch["metadata"].get("title", "")) for ch in c.chapters()]


def read_srt(path: Path) -> list[srt.Subtitle]:
    """The cues of an .srt file (an empty list when the file does not exist)."""
    if not path.exists():
        return []
    return list(srt.parse(path.read_text(encoding="utf-8")))


def tidy_cues(cues: Sequence[srt.Subtitle], duration: float | None = None) -> list[srt.Subtitle]:
    """Cues in order, each ending no later than the next one starts (and than the clip ends).

    manim times a caption by its animation's nominal run time, while the video advances in
    whole frames, so consecutive captions can overlap by a fraction of a frame; players would
    then show two lines at once.
    """
    ordered = sorted(cues, key=lambda c: c.start)
    tidy = []
    for i, c in enumerate(ordered):
        end = c.end
        if i + 1 < len(ordered):
            end = min(end, ordered[i + 1].start)
        if duration is not None:
            end = min(end, timedelta(seconds=duration))
        if end > c.start:
            tidy.append(srt.Subtitle(len(tidy) + 1, c.start, end, c.content))
    return tidy


def merge_captions(parts: Sequence[tuple[list[srt.Subtitle], float]]) -> list[srt.Subtitle]:
    """Cues of several clips, each shifted by its clip's start time, numbered anew."""
    merged = []
    for cues, start in parts:
        shift = timedelta(seconds=start)
        merged.extend(srt.Subtitle(0, c.start + shift, c.end + shift, c.content) for c in cues)
    return list(srt.sort_and_reindex(merged))


def write_srt(cues: Sequence[srt.Subtitle], path: Path) -> None:
    """Write cues as SRT, atomically."""
    write_atomically(path, srt.compose(cues))


def _vtt_time(t: timedelta) -> str:
    ms = round(t.total_seconds() * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def to_vtt(cues: Sequence[srt.Subtitle]) -> str:
    """WebVTT text of the cues (what a browser's <track> reads)."""
    blocks = ["WEBVTT", ""]
    for c in cues:
        blocks += [f"{_vtt_time(c.start)} --> {_vtt_time(c.end)}", c.content, ""]
    return "\n".join(blocks)


def write_vtt(cues: Sequence[srt.Subtitle], path: Path) -> None:
    """Write cues as WebVTT, atomically."""
    write_atomically(path, to_vtt(cues))


def frame_at(path: Path, seconds: float | None = None) -> Image.Image:
    """The frame shown at ``seconds`` (default: the last frame) as a PIL image."""
    last = None
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        for frame in c.decode(s):
            if seconds is not None and frame.time is not None and frame.time > seconds + 1e-9:
                break
            last = frame
    if last is None:
        raise ValueError(f"{path.name} has no video frames")
    return last.to_image()


def write_poster(clip: Path, png: Path, seconds: float | None = None) -> None:
    """Save one frame of the clip as a PNG poster, atomically."""
    frame = frame_at(clip, seconds)
    with atomic_path(png) as tmp:
        frame.save(tmp, format="PNG")


def write_preview_gif(clip: Path, gif: Path, *, start: float, length: float = 6.0,
                      width: int = 480, fps: int = 8) -> None:
    """A short looping GIF of the clip from ``start`` (for READMEs and pages)."""
    frames: list[Image.Image] = []
    step = 1.0 / fps
    next_t = start
    with av.open(str(clip)) as c:
        for frame in c.decode(c.streams.video[0]):
            t = frame.time or 0.0
            if t + 1e-9 < next_t:
                continue
            if t > start + length:
                break
            img = frame.to_image()
            img = img.resize((width, round(img.height * width / img.width)), Image.Resampling.LANCZOS)
            frames.append(img.convert("P", palette=Image.Palette.ADAPTIVE, colors=128))
            next_t += step
    if not frames:
        raise ValueError(f"{clip.name} has no frames after {start} s")
    with atomic_path(gif) as tmp:
        frames[0].save(tmp, format="GIF", save_all=True, append_images=frames[1:],
                       duration=round(1000 / fps), loop=0, optimize=True)


def transcode_webm(clip: Path, webm: Path) -> None:
    """Re-encode a clip as WebM (VP9), atomically; for pages that prefer open formats."""
    with atomic_path(webm) as tmp, av.open(str(clip)) as src, av.open(str(tmp), "w", format="webm") as dst:
        s = src.streams.video[0]
        rate = Fraction(s.average_rate or 15).limit_denominator(1001)
        o = dst.add_stream("libvpx-vp9", rate=rate)
        o.width, o.height, o.pix_fmt = s.codec_context.width, s.codec_context.height, "yuv420p"
        o.options = {"crf": "32", "b:v": "0", "deadline": "realtime", "cpu-used": "8", "row-mt": "1"}
        for i, frame in enumerate(src.decode(s)):
            out_frame = frame.reformat(format="yuv420p")
            out_frame.time_base = 1 / rate
            out_frame.pts = i
            for pkt in o.encode(out_frame):
                dst.mux(pkt)
        for pkt in o.encode(None):
            dst.mux(pkt)
