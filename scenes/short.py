"""A vertical short (1080x1920, about 50 s): the episode's headline idea for phone feeds.

Two pictures, every number computed at render time by netsim:

1. The shrinking rectangle (:func:`netsim.experiments.rectangle.shrinking_factors`): a unit
   square multiplied by 1/4, 1/3 and 1/4 keeps 1/4, 1/12, then 1/48 of its area (exact
   fractions).
2. The gradient fading across the lesson's deep net (:func:`netsim.experiments.fading.fading`,
   the same digit and net as chapter 7), drawn bottom (input) to top (output): back prop
   sweeps down, each hidden layer gets a bar of ||dC/db_l|| on a log scale, and the headline
   ratio compares the last HIDDEN layer with the first (the output layer's error a - y has no
   sigma' factor, so it is left out, as in chapter 7).

It ends on a card that points to the full episode. The frame is portrait whatever the
quality flag: the scene swaps a landscape pixel size to portrait and sets a frame 8 units
wide, so ``manim -qh scenes/short.py VerticalShort`` gives 1080x1920 (``-ql``: 480x854;
``-r 540,960`` is taken as given). Platforms play shorts muted: the captions told through
the beat API are burned into the picture by :func:`make_short` (:mod:`scenes.engine.burn`), above
the band their buttons cover, and the layout keeps that band empty. :func:`make_short` renders
through the project's one unit renderer (:func:`scenes.engine.unit.render_unit`), as the episode
and the slides do.

    .venv/bin/manim -qh scenes/short.py VerticalShort
    .venv/bin/python -m scenes.short --out media/default        # render + burn: short.mp4
"""

from __future__ import annotations

import math
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    PI,
    RIGHT,
    UP,
    AnimationGroup,
    Create,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    MathTex,
    Rectangle,
    Square,
    Succession,
    Transform,
    VGroup,
    Write,
    config,
)

from netsim.experiments.fading import FadingResult, fading
from netsim.experiments.rectangle import RectangleResult, shrinking_factors
from scenes.engine.atomic import write_atomically
from scenes.engine.chapters import CHAPTERS
from scenes.engine.common import LessonScene
from scenes.engine.drawn import gradient_picture
from scenes.engine.i18n import t
from scenes.engine.lesson import Lesson, LessonError, load_lesson, per_net
from scenes.engine.netdiagram import DEEP_NET_SAMPLE, NetDiagram, gradient_edge_styles
from scenes.engine.style import SIZE, GradientScale, cut_piece
from scenes.engine.unit import FULL, PREVIEW, Unit, render_unit, work_folder

#: The frame is this many units wide; its height follows the portrait pixel size (14.2 at 9:16).
FRAME_WIDTH = 8.0
#: Burned captions sit this share of the height above the bottom (clear of platform buttons)...
CAPTION_BOTTOM = 0.12
#: ... and nothing is drawn below this y (scene units), so they never cover the picture.
CONTENT_FLOOR = -3.9

TITLE_Y = 6.35
SQUARE_SIDE = 4.4
SQUARE_CENTER = np.array([0.0, 2.45, 0.0])
EQ_TOP = -0.55
EQ_STEP = 1.35
#: The net, drawn upright: input at NET_BOTTOM, output at NET_TOP, centred at NET_X.
NET_X = -2.3
NET_BOTTOM = -0.95
NET_TOP = 4.1
NET_ACROSS = 3.0
#: Each hidden layer's bar starts at BAR_LEFT and is at most BAR_MAX long (log scale).
BAR_LEFT = -0.3
BAR_MAX = 2.6
BAR_THICK = 0.34
RATIO_Y = -2.8


def portrait_frame() -> None:
    """Make manim's config portrait: swap a landscape pixel size, and a frame FRAME_WIDTH wide."""
    w, h = config.pixel_width, config.pixel_height
    if w > h:
        config.pixel_width, config.pixel_height = h, w
        w, h = h, w
    config.frame_width = FRAME_WIDTH
    config.frame_height = FRAME_WIDTH * h / w


def rectangle_experiment() -> RectangleResult:
    """The rectangle's exact fractions (the storyboard's factors 1/4, 1/3, 1/4)."""
    return shrinking_factors()


@per_net
def fading_experiment(lesson: Lesson) -> FadingResult:
    """The lesson's net and the chapter-7 digit, forward and backward."""
    return fading(lesson.net, sample=DEEP_NET_SAMPLE)


def frac_tex(f: Fraction) -> str:
    """A fraction as LaTeX (a full-size \\frac: legible on a phone), or an integer."""
    return str(f.numerator) if f.denominator == 1 else rf"\frac{{{f.numerator}}}{{{f.denominator}}}"


class VerticalShort(LessonScene):
    """The short: the shrinking rectangle, then the gradient fading across the lesson's net.

    Every beat is given the shortest it lasts (``least=``, in seconds): the story's pace, the
    same in every language (English captions need about this long; Chinese ones, read in
    fewer characters, less).
    """

    def __init__(self, lesson: Lesson | None = None, **kwargs: Any) -> None:
        portrait_frame()  # before the camera is made: it reads the frame from config
        super().__init__(lesson, **kwargs)

    def construct(self) -> None:
        self.rect = rectangle_experiment()
        self.fade = fading_experiment(self.lesson)
        self.title_card()
        self.rectangle()
        self.net()
        self.sweep()
        self.ratio()
        self.end_card()

    # -- part 0: the title ---------------------------------------------------------------

    def title_card(self) -> None:
        th = self.theme
        title = self.text(self.lesson.title, SIZE.title)
        sub = self.text(t("why deep nets were so hard to train"), SIZE.body, color=th.muted)
        self.heading = VGroup(title, sub).arrange(DOWN, buff=0.2).move_to([0, TITLE_Y - 0.35, 0])
        self.fit(self.heading)
        # the square is drawn from the first frame on: a feed shows the first frame as the short's picture
        self.outline = Square(side_length=SQUARE_SIDE, stroke_color=th.text, stroke_width=3,
                              fill_color=th.muted, fill_opacity=0.15).move_to(SQUARE_CENTER)
        self.add(self.heading, self.outline)
        self.say(t("Why were deep nets so hard to train? The gradient fades."),
                 self.outline.animate.set_stroke(th.backward), run_time=1.0, least=4.0)

    # -- part 1: the shrinking rectangle ----------------------------------------------------

    def rectangle(self) -> None:
        th, r = self.theme, self.rect
        corner = self.outline.get_corner(UP + LEFT)
        piece = (float(corner[0]), float(corner[1]), SQUARE_SIDE, SQUARE_SIDE)
        kept = self._piece(*piece)
        self.shown["area_0"] = r.areas[0]
        area = MathTex(frac_tex(r.areas[0]), font_size=SIZE.title * 1.4, color=th.background).move_to(SQUARE_CENTER)
        self.say(t("Start with a square. Its area is {area}.", area=str(r.areas[0])),
                 self.outline.animate.set_stroke(th.text), FadeIn(kept), Write(area), run_time=1.2,
                 least=2.5)
        equations = VGroup()
        for k, m in enumerate(r.multipliers, start=1):
            before, after = r.areas[k - 1], r.areas[k]
            self.shown[f"multiplier_{k}"] = m
            self.shown[f"area_{k}"] = after
            cuts, piece = cut_piece(piece, m, k, th.text)
            eq = MathTex(frac_tex(before), r"\times", frac_tex(m), "=", frac_tex(after),
                         font_size=SIZE.heading * 1.4, color=th.text)
            eq[-1].set_color(th.backward)
            eq.move_to([0, EQ_TOP - (k - 1) * EQ_STEP, 0])
            equations.add(eq)
            caption = t("Multiply by {factor}: only {left} of the square is left.", factor=str(m), left=str(after))
            with self.beat(caption, least=3.4):
                self.play(Create(cuts), *([FadeOut(area)] if k == 1 else []), run_time=0.8)
                self.play(Transform(kept, self._piece(*piece)), FadeOut(cuts), Write(eq), run_time=1.0)
        self.say(t("Each factor between 0 and 1 shrinks the product. More factors, smaller product."),
                 equations[-1][-1].animate.scale(1.25, about_edge=DOWN), run_time=0.8, least=5.6)
        self.part1 = VGroup(self.outline, kept, equations)

    def _piece(self, x0: float, y1: float, w: float, h: float) -> Rectangle:
        r = Rectangle(width=w, height=h, stroke_width=0, fill_color=self.theme.backward, fill_opacity=0.9)
        return r.move_to([x0 + w / 2, y1 - h / 2, 0])

    # -- part 2: the net, upright ---------------------------------------------------------

    def net(self) -> None:
        th, r = self.theme, self.fade
        self.picture = gradient_picture(r)  # the neurons drawn, their edges, the colour scale
        self.diagram = NetDiagram(r.sizes, th, shown=self.picture.drawn, width=NET_TOP - NET_BOTTOM, height=NET_ACROSS,
                                  radius=0.11)
        self.diagram.rotate(PI / 2).move_to([NET_X, (NET_TOP + NET_BOTTOM) / 2, 0])
        self.shown["sizes"] = [float(n) for n in r.sizes]
        d = self.diagram
        inputs = self.text(t("{n} inputs", n=r.sizes[0]), SIZE.label, color=th.muted)
        inputs.next_to(d.column(0), DOWN, buff=0.2)
        outputs = self.text(t("{n} outputs", n=r.sizes[-1]), SIZE.label, color=th.muted)
        outputs.next_to(d.column(d.depth), UP, buff=0.2)
        names = VGroup()
        for l in range(1, d.depth):
            name = self.text(t("layer {l}", l=l), SIZE.label, color=th.muted)
            name.move_to([BAR_LEFT, self.row_y(l) - BAR_THICK / 2 - 0.22, 0], aligned_edge=LEFT)
            names.add(name)
        self.net_group = VGroup(d, inputs, outputs, names)
        hidden = d.depth - 1
        self.say(t("Back prop multiplies the gradient by one such factor per layer. Here is a real net with "
                   "{hidden} hidden layers.", hidden=hidden),
                 FadeOut(self.part1), FadeIn(self.net_group), run_time=1.4, least=7.5)

    def row_y(self, layer: int) -> float:
        return float(self.diagram.column(layer).get_center()[1])

    def sweep(self) -> None:
        """Output to input: each layer's edges take their |dC/dW| colour, each hidden bar grows."""
        th, r, d, pic = self.theme, self.fade, self.diagram, self.picture
        lo, hi = r.bar_decades
        self.scale = GradientScale(*pic.decades)
        bar_scale = GradientScale(lo, hi)
        self.bars: dict[int, Rectangle] = {}
        steps = []
        for l in range(d.depth, 0, -1):
            anims = [d.edge_style_animation(l, gradient_edge_styles(pic.edge_grads, pic.drawn, l, self.scale, th))]
            self.shown[f"edges_W{l}"] = [float(v) for v in pic.edge_grads[l - 1].ravel()]
            if l < d.depth:  # hidden layers only: the output layer is not compared
                norm = float(r.bias_norms[l - 1])
                length = max(0.05, BAR_MAX * bar_scale.position(norm))
                bar = Rectangle(width=length, height=BAR_THICK, stroke_width=0,
                                fill_color=self.scale.color(norm, th), fill_opacity=1)
                bar.move_to([BAR_LEFT + length / 2, self.row_y(l) + 0.05, 0])
                value = self.number(f"norm_{l}", norm, SIZE.label,
                                    underflow=norm == 0 and math.isfinite(norm))
                value.next_to(bar, RIGHT, buff=0.15)
                self.bars[l] = bar
                anims += [GrowFromEdge(bar, LEFT), FadeIn(value)]
            steps.append(AnimationGroup(*anims))
        self.shown["bar_decades"] = [float(lo), float(hi)]
        axis = VGroup(self.text(t("bars: ||dC/db|| per layer"), SIZE.label, color=th.muted),
                      self.text(t("log scale"), SIZE.label, color=th.muted)).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        self.fit(axis, FRAME_WIDTH / 2 - BAR_LEFT - 0.2)
        axis.move_to([BAR_LEFT, self.row_y(d.depth), 0], aligned_edge=LEFT)
        self.say(t("From the output down, each hidden layer's bar shows the size of its gradient, on a log scale."),
                 FadeIn(axis), Succession(*steps, lag_ratio=1.0), run_time=1.0 * len(steps), least=6.9)

    def ratio(self) -> None:
        """Layer 1 against the last hidden layer, in numbers and words true for the lesson."""
        th, r = self.theme, self.fade
        h = r.last_hidden
        color = th.warn if r.regime != "level" else th.good
        big, small = (h, 1) if r.ratio >= 1 else (1, h)
        line = VGroup(self.tex(rf"\frac{{\|\partial C/\partial b_{{{big}}}\|}}{{\|\partial C/\partial b_{{{small}}}\|}}"
                               r"\approx", SIZE.heading),
                      self.number("factor", r.factor, SIZE.title).set_color(color)).arrange(RIGHT, buff=0.2)
        self.shown["ratio"] = float(r.ratio_rounded)
        note = VGroup(self.text(t("the last hidden layer: layer {l}", l=h), SIZE.label, color=th.muted),
                      self.text(t("the output layer is not compared"), SIZE.label, color=th.muted))
        note.arrange(DOWN, buff=0.1)
        group = VGroup(line, note).arrange(DOWN, buff=0.2).move_to([0, RATIO_Y, 0])
        self.fit(group)
        marks = [self.bars[l].animate.set_stroke(color, width=4) for l in (1, h)]
        factor = self.inline("factor", r.factor)
        if r.regime == "vanishing":
            caption = t("Layer 1's gradient is about {factor} times smaller than layer {h}'s, the last hidden layer.",
                        factor=factor, h=h)
            moral = t("So the first layers learn slowest. That is the vanishing gradient.")
        elif r.regime == "exploding":
            caption = t("Layer 1's gradient is about {factor} times larger than layer {h}'s, the last hidden layer.",
                        factor=factor, h=h)
            moral = t("So the first layers take huge, unstable steps: the gradient explodes.")
        else:
            caption = (t("Layer 1's gradient is only {factor} times smaller than layer {h}'s, the last hidden layer: "
                         "the bars stay level.", factor=factor, h=h) if r.ratio >= 1 else
                       t("Layer 1's gradient is only {factor} times larger than layer {h}'s, the last hidden layer: "
                         "the bars stay level.", factor=factor, h=h))
            moral = t("With this lesson's fix, the first layers learn about as fast as the last.")
        self.say(caption, FadeIn(group), *marks, run_time=1.2, least=6.0)
        self.say(moral, least=4.8)

    def end_card(self) -> None:
        """The last frame: where the full episode is."""
        th = self.theme
        chapters = len(CHAPTERS)
        self.shown["chapters"] = float(chapters)
        card = VGroup(self.text(t("Full episode"), SIZE.title, color=th.muted),
                      self.text(self.lesson.title, SIZE.title * 1.25, color=th.warn),
                      self.text(t("{n} chapters", n=chapters), SIZE.title)).arrange(DOWN, buff=0.45)
        card.move_to([0, 1.2, 0])
        self.fit(card)
        self.say(t("Full episode: {title}, {n} chapters.", title=self.lesson.title, n=chapters),
                 *[FadeOut(m) for m in self.mobjects], FadeIn(card), run_time=1.0, least=5.0)

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def fit(m: Any, width: float = FRAME_WIDTH - 0.6) -> Any:
        """Shrink ``m`` to ``width`` if it is wider (long translations); never grow it."""
        if m.width > width:
            m.scale_to_fit_width(width)
        return m


# ---------- render and burn: what the episode command calls ----------

def make_short(lesson_path: Lesson | Path | str | None, out_dir: Path | str, preview: bool = False) -> Path:
    """Render the short for a lesson with manim (in a temporary folder), burn its captions in,
    and write ``<out_dir>/short.mp4`` and ``short.srt`` (atomically). Returns the mp4.

    ``lesson_path``: a lesson file (None: the default lesson) or a loaded :class:`Lesson`
    (as the episode command holds it, narration already decided).

    ``preview``: 480x854 at 15 fps instead of 1080x1920 at 60. RuntimeError with the end of
    manim's log when the render fails.
    """
    from scenes.engine.burn import burn_captions

    lesson = lesson_path if isinstance(lesson_path, Lesson) else load_lesson(lesson_path)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    unit = Unit(Path(__file__).resolve(), VerticalShort.__name__, "short", lesson, PREVIEW if preview else FULL)
    with work_folder(unit) as work:
        done = render_unit(unit, work)
        if not done.ok or done.output is None:
            raise RuntimeError(f"the short did not render ({done.failure}):\n{done.log_tail()}")
        clip, srt = done.output, done.output.with_suffix(".srt")  # no .srt: no cue to burn
        out = out_dir / "short.mp4"
        burn_captions(clip, srt, out, lesson.language, bottom=CAPTION_BOTTOM)
        write_atomically(out_dir / "short.srt", srt.read_bytes() if srt.exists() else b"")
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m scenes.short [--lesson FILE] [--out DIR] [--preview]``."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m scenes.short", description=main.__doc__)
    ap.add_argument("--lesson", default=None, help="lesson file (default: scenes/lessons/default.toml)")
    ap.add_argument("--out", default=None, help="output folder (default: media/<lesson name>)")
    ap.add_argument("--preview", action="store_true", help="480x854 at 15 fps")
    a = ap.parse_args(argv)
    try:
        out = Path(a.out) if a.out else Path("media") / load_lesson(a.lesson).name
        sys.stdout.write(f"{make_short(a.lesson, out, a.preview)}\n")
    except LessonError as exc:
        sys.stderr.write(f"{ap.prog}: error: {exc}\n")
        return 2
    except OSError as exc:  # an output folder that cannot be written, a font that is not installed
        sys.stderr.write(f"{ap.prog}: error: {f'{exc.filename}: {exc.strerror}' if exc.strerror else exc}\n")
        return 2
    except RuntimeError as exc:  # manim failed: what it said last
        sys.stderr.write(f"{ap.prog}: error: {exc}\n")
        return 1
    except KeyboardInterrupt:  # manim is stopped with the render; the outputs are written whole or not at all
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
