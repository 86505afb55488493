"""``python -m scenes.episode.explore``: ``explore.html``, a page where a learner changes the net
and sees netsim's numbers for it at once.

The learner sets the depth (2 to 30 hidden layers), the width, the hidden layers' activation,
the starting weights (the lesson file's initialisers) and skip connections, and sees

- each layer's gradient size ||dC/db_l|| at initialisation as the fading chapter draws it:
  one bar per layer on a log axis of whole powers of ten (netsim's ``bar_decades``), each bar
  coloured by its size on the episode's viridis scale (``scenes.engine.style``), the output layer
  dimmed since hidden layers are compared with hidden layers, in the lesson's theme;
- the way-out chapter's measured per-layer factor, the geometric mean of the ratios of
  successive hidden bars (:func:`netsim.experiments.wayout.factor_from_bars`), beside its
  fan-in prediction sqrt(n Var(w) E[g'^2]) (:func:`netsim.experiments.wayout.way_out` for the
  same net, start and digits; the starts with a variance rule only). The chapter reads its
  factor off bars of its own (each digit's ||delta_l||, root mean square over the digits,
  median of 20 starts); the page reads it off the bars it shows, so that it can be checked
  from the numbers on the page;
- layer 1's norm next to the last hidden layer's, in words (fading chapter's wording and
  netsim's ``fmt_ratio`` and ``verdict``), in the lesson's language.

Every number on the page is netsim's: :func:`compute` runs netsim for the whole grid of
settings (:class:`Grid`) when the page is made, and the page embeds them as JSON; its script
only looks up the numbers of the settings chosen, formats and draws them. The norms are
exactly those ``netsim --json gradients`` prints for the same net (:func:`cli_args` gives its
arguments): the command's own defaults for the data, the number of digits and the cost, the
lesson's seed and bias initialiser, and the episode's sigmoid output layer. netsim takes
about half a minute on two cores for the grid, so its numbers are cached on disk
(:func:`default_cache_dir`) under a key made of the grid and every netsim source file.

The page loads nothing: no library (the chart is inline SVG drawn by a few lines of plain
JavaScript), no font, no network, so it works opened from disk. Its controls are native form
controls with labels, it reads the settings from the URL (``#depth=12&width=30&activation=tanh
&init=he&residual=1``) and writes them back there, and it writes the numbers it shows into
data attributes of ``#result`` (the browser test reads them).

    python -m scenes.episode.explore [--lesson FILE] [--out DIR] [--jobs N] [--cache DIR]

Every word the page, the gallery's block and the slides' link show is in :data:`STRINGS`,
translated with the chapters' gettext catalogue.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import fcntl
import hashlib
import html
import json
import math
import multiprocessing
import os
import string
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from netsim.activations import ACTIVATIONS
from netsim.alloc import keep_heap_pages
from netsim.cli import build_parser as netsim_parser
from netsim.errors import NetsimError
from netsim.experiments.after import residual_gradient_norms
from netsim.experiments.nielsen import layer_gradient_norms
from netsim.experiments.shared import REGIME_THRESHOLD, bar_decades, round_significant, verdict
from netsim.experiments.wayout import (
    AGREE_TOLERANCE,
    FACTOR_DIGITS,
    RULE_INITS,
    Setting,
    factor_from_bars,
    last_over_first,
    way_out,
)
from netsim.format import fmt_ratio, fmt_value
from netsim.init import BIAS_INITS, WEIGHT_INITS
from netsim.spec import DEFAULT_NET, NetSpec
from scenes.engine.atomic import write_atomically
from scenes.engine.chapters import number_of
from scenes.engine.i18n import N_, translate_template
from scenes.engine.lesson import DEFAULT_LESSON, Lesson, LessonError, load_lesson

PAGE = "explore.html"
#: The widths and depths (hidden layers) of the grid. netsim takes about 60 CPU seconds for
#: the whole grid of these two widths (every depth, activation and start, with and without
#: skips, and the predictions): about 35 s on two idle cores. Width 100 alone would take ten
#: times as long, so the grid stops at 30.
WIDTHS: tuple[int, ...] = (10, 30)
DEPTHS: tuple[int, ...] = tuple(range(2, 31))
#: `netsim gradients` with no options: the data, the number of samples and the cost it uses.
_CLI_DEFAULTS = netsim_parser().parse_args(["gradients"])
#: Bumped when the cached numbers' layout changes.
CACHE_FORMAT = 1
#: The palette the bars take their colour from: viridis at PALETTE_STEPS + 1 evenly spaced points.
PALETTE_STEPS = 100
#: Labels on the log axis at most (scenes.engine.style.log_ticks).
MOST_TICKS = 5
#: The colour of each kind of net in every chapter (``Theme.net``), by hidden activation.
NET_COLOUR = {"sigmoid": "deep", "tanh": "tanh", "relu": "relu"}

# ---------- every word the page shows, in one place ----------

#: The page's language settings (not words: nothing to translate).
PAGE_LANGUAGE: dict[str, dict[str, str]] = {
    "en": {"html_lang": "en", "sentence_gap": " "},
    "zh": {"html_lang": "zh-Hans", "sentence_gap": ""},
}
#: Every word the page, the gallery's block and the slides' link show: English templates
#: marked with ``N_`` (gettext's marker for a template translated now and filled later) and
#: translated with the chapters' catalogue (``scenes/locale``). ``{name}`` holes are filled by
#: the page's script (numbers netsim computed, layer numbers) or here (chapter numbers, the
#: lesson's title). The few left unmarked are the same in every language.
STRINGS: dict[str, str] = {
    "title": N_("{title}: explore the net"),
    "intro": N_("Change the net and see at once how big each layer's gradient is at the start of training, "
                "‖∂C/∂bₗ‖, drawn as in chapter {fading}, and chapter {wayout}'s factor per layer. Every "
                "number on this page was computed by netsim when the page was made; the page only looks "
                "them up."),
    "controls": N_("The net"),
    "depth": N_("Hidden layers (depth)"),
    "width": N_("Neurons per hidden layer (width)"),
    "activation": N_("Activation of the hidden layers"),
    "init": N_("Starting weights"),
    "residual": N_("Skip connections: a_l = a_(l−1) + g(z_l)"),
    "chart_heading": N_("‖∂C/∂bₗ‖ per layer"),
    "chart_label": N_("Bar chart on a log axis: ‖∂C/∂bₗ‖ of each layer. {summary}"),
    "layer": N_("layer"),
    "output_short": N_("out"),
    "output_note": N_("The output layer (dimmed) is left out: hidden layers are compared with hidden layers."),
    "table_caption": N_("‖∂C/∂bₗ‖ of each layer"),
    "th_layer": N_("layer"),
    "th_kind": N_("kind"),
    "th_norm": "‖∂C/∂bₗ‖",
    "kind_hidden": N_("hidden"),
    "kind_skip": N_("hidden, with a skip"),
    "kind_output": N_("output (left out)"),
    "smaller": N_("Layer 1's ‖∂C/∂b‖ is {ratio} of layer {last}'s."),
    "larger": N_("Layer 1's ‖∂C/∂b‖ is {ratio} times layer {last}'s."),
    "same": N_("Layer 1's ‖∂C/∂b‖ is the same as layer {last}'s, to two figures."),
    "first0": N_("Layer 1's ‖∂C/∂b‖ is exactly 0: no gradient reaches it."),
    "last0": N_("Layer {last}'s ‖∂C/∂b‖ is exactly 0: no gradient reaches it."),
    "both0": N_("Layers 1 and {last} get no gradient at all: ‖∂C/∂b‖ = 0."),
    "vanishing": N_("The gradient fades on its way back to layer 1: it vanishes."),
    "exploding": N_("The gradient grows on its way back to layer 1: it explodes."),
    "level": N_("The gradient holds up: layer 1 is within a factor of {threshold} of layer {last}."),
    "factors_heading": N_("The factor per layer (chapter {wayout})"),
    "measured": N_("measured, (bar 1 / bar {last})^(1/{steps})"),
    "predicted": N_("predicted, √(n Var(w) E[g′²]) = √({n_var} × {slope_sq})"),
    "predicted_skips": N_("predicted for the same layers without skips, √(n Var(w) E[g′²]) = √({n_var} × {slope_sq})"),
    "no_rule": N_("Chapter {wayout}'s rules predict no factor for this start: it has no variance rule "
                  "(Nielsen's, Xavier's and He's have)."),
    "agree": N_("They agree within {tolerance}%."),
    "differ": N_("They differ by more than {tolerance}%."),
    "skips_note": N_("A skip carries the gradient back unchanged beside each layer: a layer's factor is 1 + w "
                     "g′(z) instead of w g′(z)."),
    "factor_note": N_("Measured: the geometric mean of the ratios of successive hidden layers' bars. Predicted: "
                      "chapter {wayout}'s fan-in argument, E[g′²] being the mean of g′(z)² over the hidden "
                      "neurons and the digits."),
    "setup": N_("One random start (seed {seed}), biases {bias}, a sigmoid output layer and the "
                "cross-entropy cost; ‖∂C/∂bₗ‖ is the size of the gradient averaged over the first {samples} "
                "of scikit-learn's 8×8 digits. The same numbers, from the command line:"),
    "bias_normal": "N(0, 1)",
    "bias_zeros": "0",
    "error": N_("netsim could not compute this net: {error}"),
    "missing": N_("This page has no numbers for these settings."),
    "noscript": N_("This page draws its chart with JavaScript; turn it on to explore."),
    "back": N_("Back to the episode"),
    "act_sigmoid": "sigmoid σ",
    "act_tanh": "tanh",
    "act_relu": "ReLU",
    "act_linear": N_("linear"),
    "init_nielsen": N_("Nielsen's: N(0, 1/n_in)"),
    "init_normal": N_("normal: N(0, 1)"),
    "init_xavier-normal": N_("Xavier's (normal): N(0, 2/(n_in + n_out))"),
    "init_xavier-uniform": N_("Xavier's (uniform), same variance"),
    "init_he": N_("He's: N(0, 2/n_in)"),
    "init_identity": N_("identity: W = I"),
    "gallery_heading": N_("Explore the net"),
    "gallery_text": N_("Change the depth, the width, the activation, the starting weights and skip connections, "
                       "and see each layer's gradient at once: every number computed by netsim for this page, "
                       "which works offline."),
    "gallery_embed": N_("To embed the page, copy the snippet and put explore.html beside it:"),
    "copy": N_("Copy"),
    "slide_link": N_("Explore the net yourself: explore.html"),
}


class ExploreError(Exception):
    """A bad argument or an output folder that cannot be written, in one line."""


def words(language: str) -> dict[str, str]:
    """The page's words in ``language`` (English for a language without a catalogue), with
    its language settings."""
    return {**PAGE_LANGUAGE.get(language, PAGE_LANGUAGE["en"]),
            **{key: translate_template(text, language) for key, text in STRINGS.items()}}


# ---------- the grid and its numbers ----------

@dataclass(frozen=True)
class Grid:
    """The settings the page offers, and what every net of it shares.

    Each net has 64 inputs (the 8x8 digits), ``depth`` hidden layers of ``width`` neurons with
    the hidden ``activation`` and starting weights ``init``, with or without skip connections,
    and a ``output_activation`` output layer of 10; ``seed``, ``bias_init``, ``samples``, ``data``
    and ``cost`` are as ``netsim gradients`` takes them.
    """

    widths: tuple[int, ...] = WIDTHS
    depths: tuple[int, ...] = DEPTHS
    activations: tuple[str, ...] = tuple(ACTIVATIONS)
    inits: tuple[str, ...] = tuple(WEIGHT_INITS)
    seed: int = 0
    bias_init: str = "normal"
    output_activation: str = DEFAULT_NET.output_activation
    samples: int = _CLI_DEFAULTS.samples
    data: str = _CLI_DEFAULTS.data
    cost: str = _CLI_DEFAULTS.cost

    def net(self, width: int, depth: int, activation: str, init: str) -> NetSpec:
        """The net of ``depth`` hidden layers of ``width`` with ``activation`` and ``init``, and
        the grid's output layer, bias init and seed: the net ``netsim gradients`` builds from
        :func:`cli_args` (without skips)."""
        return NetSpec((64,) + (width,) * depth + (10,), activation=activation,
                       output_activation=self.output_activation, init=init, bias_init=self.bias_init, seed=self.seed)

    @classmethod
    def for_lesson(cls, lesson: Lesson, **changes: Any) -> Grid:
        """The default grid with the lesson's seed and bias initialiser (and any ``changes``)."""
        return dataclasses.replace(cls(seed=lesson.seed, bias_init=lesson.bias_init), **changes)

    def check(self) -> None:
        """Raise :class:`ExploreError` naming the first value netsim cannot build a net of."""
        def whole(values: tuple[int, ...], name: str, low: int, high: int) -> None:
            if not values or any(not isinstance(v, int) or isinstance(v, bool) or not low <= v <= high
                                 for v in values):
                raise ExploreError(f"{name} {list(values)} must be whole numbers from {low} to {high}")

        whole(self.widths, "widths", 1, 256)
        whole(self.depths, "depths", 2, 30)
        for name, values, allowed in (("activations", self.activations, ACTIVATIONS),
                                      ("inits", self.inits, WEIGHT_INITS)):
            bad = [v for v in values if v not in allowed]
            if not values or bad:
                raise ExploreError(f"{name} {list(values)}: {bad[0] if bad else 'none'} is not allowed; "
                                   f"allowed: {', '.join(allowed)}")
        if self.bias_init not in BIAS_INITS:
            raise ExploreError(f"bias init {self.bias_init!r} is not allowed; allowed: {', '.join(BIAS_INITS)}")

    @property
    def size(self) -> int:
        """How many nets the grid has."""
        return len(self.widths) * len(self.depths) * len(self.activations) * len(self.inits) * 2

    def key(self) -> str:
        """A fingerprint of the grid and of every netsim source file: the cache's key."""
        import netsim

        h = hashlib.sha256(f"{CACHE_FORMAT}|{self!r}".encode())
        root = Path(netsim.__file__).parent
        for p in sorted(root.rglob("*.py")):
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
        return h.hexdigest()[:20]


@dataclass(frozen=True)
class NetNumbers:
    """netsim's numbers for one net of the grid.

    ``norms[l - 1]`` is ||dC/db_l|| for l = 1 .. L (L = depth + 1, the output layer last), as
    ``netsim --json gradients`` prints it (its "median" over the one seed). ``decades``: the
    bars' log axis (``bar_decades``). ``first_over_last``: layer 1's norm over the last hidden
    layer's (0 when only layer 1's is 0, inf when only the last's is, 1 when both are);
    ``regime``: netsim's ``verdict`` on the last hidden layer's norm over layer 1's.
    ``measured``: the geometric mean of the ratios of successive hidden norms
    (``factor_from_bars``). ``predicted`` = sqrt(``n_var`` ``slope_sq``), the way-out chapter's
    fan-in prediction for the same net without skips (None for a start with no variance
    rule). ``skips``: the layers with a skip connection. ``error``: netsim's one line when it
    could not compute the net (then the numbers are empty).
    """

    width: int
    depth: int
    activation: str
    init: str
    residual: bool
    norms: tuple[float, ...] = ()
    decades: tuple[int, int] = (0, 0)
    first_over_last: float = 1.0
    regime: str = "level"
    measured: float = 0.0
    predicted: float | None = None
    n_var: float | None = None
    slope_sq: float | None = None
    skips: tuple[int, ...] = ()
    error: str | None = None

    @property
    def key(self) -> str:
        """"width/depth/activation/init/residual (0 or 1)", the page's name for the net."""
        return net_key(self.width, self.depth, self.activation, self.init, self.residual)

    @property
    def sizes(self) -> list[int]:
        """[64, width, ..., width, 10]."""
        return [64] + [self.width] * self.depth + [10]

    @property
    def hidden(self) -> tuple[float, ...]:
        """||dC/db_l|| of the hidden layers 1 .. depth."""
        return self.norms[:-1]


@dataclass(frozen=True)
class ExploreNumbers:
    """Every net of a grid, keyed by :attr:`NetNumbers.key`; ``seconds`` it took (0 if cached)."""

    grid: Grid
    nets: dict[str, NetNumbers]
    seconds: float
    cached: bool


@dataclass(frozen=True)
class ExplorePage:
    """A written page: where, how big, how many nets, and how long netsim took."""

    path: Path
    size: int
    nets: int
    seconds: float
    cached: bool


def net_key(width: int, depth: int, activation: str, init: str, residual: bool) -> str:
    """The page's name for one net: "30/12/tanh/he/1"."""
    return f"{width}/{depth}/{activation}/{init}/{int(bool(residual))}"


def cli_args(grid: Grid, *, width: int, depth: int, activation: str, init: str, residual: bool) -> list[str]:
    """The arguments of ``netsim --json gradients`` that print this net's norms."""
    args = ["--json", "gradients", "--sizes", ",".join(map(str, [64] + [width] * depth + [10])),
            "--activation", activation, "--output-activation", grid.output_activation, "--init", init,
            "--bias-init", grid.bias_init, "--seeds", str(grid.seed), "--samples", str(grid.samples),
            "--data", grid.data, "--cost", grid.cost]
    return args + (["--residual"] if residual else [])


def first_over_last(hidden: Sequence[float]) -> float:
    """Layer 1's norm over the last hidden layer's, as the fading chapter writes it (1/120):
    0 when only layer 1's is 0, inf when only the last's is, 1 when both are."""
    first, last = float(hidden[0]), float(hidden[-1])
    if last == 0.0:
        return 1.0 if first == 0.0 else math.inf
    return first / last


def prediction(grid: Grid, width: int, depth: int, activation: str, init: str) -> tuple[float, float, float] | None:
    """(predicted factor, n Var(w), E[g'^2]) of the way-out chapter for this net without skips,
    from :func:`~netsim.experiments.wayout.way_out` with the grid's seed and digits; None for a
    start with no variance rule."""
    if init not in RULE_INITS:
        return None
    r = way_out(grid.net(width, depth, activation, init), seeds=[grid.seed], n_samples=grid.samples,
                settings=(Setting("explore", activation, init, grid.bias_init),))
    s = r.settings[0]
    return s.predicted, float(s.n_var), s.mean_slope_sq


def net_numbers(grid: Grid, *, width: int, depth: int, activation: str, init: str, residual: bool,
                predicted: tuple[float, float, float] | None = None) -> NetNumbers:
    """netsim's numbers for one net: what ``netsim gradients`` computes for it (the same calls,
    with the same arguments), and the factors and words read off them."""
    base = NetNumbers(width, depth, activation, init, residual)
    common = {"cost": grid.cost, "data": grid.data, "n_samples": grid.samples, "seeds": grid.seed}
    try:
        net = grid.net(width, depth, activation, init)
        if residual:
            rr = residual_gradient_norms(net.with_(residual=True), **common)
            result, skips = rr.norms, rr.skip_layers
        else:
            result, skips = layer_gradient_norms(net, **common), ()
    except NetsimError as exc:
        return dataclasses.replace(base, error=str(exc))
    norms = tuple(float(v) for v in result.median)
    hidden = result.hidden_median
    p = predicted or (None, None, None)
    return dataclasses.replace(
        base, norms=norms, decades=bar_decades(result.median), first_over_last=first_over_last(hidden),
        regime=verdict(last_over_first(hidden))[0], measured=factor_from_bars(hidden),
        predicted=p[0], n_var=p[1], slope_sq=p[2], skips=tuple(skips))


def _block(grid: Grid, width: int, activation: str, init: str) -> list[NetNumbers]:
    """Every depth of one width, activation and start, without and with skips."""
    out = []
    for depth in grid.depths:
        try:
            pred = prediction(grid, width, depth, activation, init)
        except NetsimError:
            pred = None
        out += [net_numbers(grid, width=width, depth=depth, activation=activation, init=init, residual=residual,
                            predicted=pred) for residual in (False, True)]
    return out


def _block_args(args: tuple[Grid, int, str, str]) -> list[NetNumbers]:
    return _block(*args)


def _to_cache(n: NetNumbers) -> dict[str, Any]:
    return dataclasses.asdict(n)


def _from_cache(d: dict[str, Any]) -> NetNumbers:
    d = dict(d)
    for name in ("norms", "decades", "skips"):
        d[name] = tuple(d[name])
    return NetNumbers(**d)


_DONE: dict[str, ExploreNumbers] = {}
#: Cached grids kept in the cache folder (the newest; netsim's sources change the key).
KEEP_CACHED = 6
CACHE_ENV = "VG_EXPLORE_CACHE"


def default_cache_dir() -> Path:
    """Where the grid's numbers are kept between runs: ``$VG_EXPLORE_CACHE``, else
    ``vanishing-gradient/explore`` in the user's cache folder (``$XDG_CACHE_HOME`` or
    ``~/.cache``). One folder for every output folder and lesson, so that a render, a course
    and a test session compute a grid once for each version of netsim."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vanishing-gradient" / "explore"


def _read_cache(cache: Path, grid: Grid) -> ExploreNumbers | None:
    """The grid's numbers from ``cache``; None when it is missing, damaged or incomplete."""
    try:
        nets = [_from_cache(d) for d in json.loads(cache.read_text(encoding="utf-8"))["nets"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    found = ExploreNumbers(grid, {n.key: n for n in nets}, 0.0, True)
    return found if len(found.nets) == grid.size else None


@contextlib.contextmanager
def _locked(folder: Path | None) -> Iterator[None]:
    """Hold ``folder``'s lock, so that processes making the same page at once (a course's
    lessons, parallel tests) compute a grid once; no lock without a folder or where none can
    be made."""
    handle = None
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle = open(folder / ".lock", "a")  # held until the end of the block
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:
            handle = None
    try:
        yield
    finally:
        if handle is not None:
            handle.close()  # closing releases the lock


def _prune(folder: Path) -> None:
    """Keep the ``KEEP_CACHED`` newest cached grids."""
    try:
        old = sorted(folder.glob("explore-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP_CACHED:]
        for p in old:
            p.unlink(missing_ok=True)
    except OSError:
        pass


def _run(grid: Grid, jobs: int | None) -> dict[str, NetNumbers]:
    """netsim on every net of ``grid``, a width, activation and start per task."""
    blocks = [(grid, w, a, i) for w in sorted(grid.widths, reverse=True) for a in grid.activations
              for i in grid.inits]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(blocks)))
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    if main_file and not Path(main_file).exists():  # a script read from stdin: spawn cannot start workers
        jobs = 1
    if jobs == 1:
        keep_heap_pages()
        results = [_block(*b) for b in blocks]
    else:  # spawn: the workers import netsim only, and nothing of a parent's threads
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=keep_heap_pages) as pool:
            results = list(pool.map(_block_args, blocks))
    return {n.key: n for block in results for n in block}


def compute(grid: Grid, jobs: int | None = None, cache_dir: Path | None = None) -> ExploreNumbers:
    """netsim's numbers for every net of ``grid``, on ``jobs`` processes (default: the cores).

    A grid already computed in this process, or cached in ``cache_dir`` under the same
    :meth:`Grid.key` (which changes with any of netsim's source files), is not computed
    again; ``cache_dir`` None: no cache on disk."""
    grid.check()
    key = grid.key()
    if key in _DONE:
        return dataclasses.replace(_DONE[key], cached=True, seconds=0.0)
    cache = cache_dir / f"explore-{key}.json" if cache_dir else None
    with _locked(cache_dir):
        found = _read_cache(cache, grid) if cache is not None else None
        if found is None:
            t0 = time.monotonic()
            nets = _run(grid, jobs)
            found = ExploreNumbers(grid, nets, time.monotonic() - t0, False)
            if cache is not None and cache_dir is not None:
                try:
                    write_atomically(cache, json.dumps({"key": key, "nets": [_to_cache(n) for n in nets.values()]}))
                    _prune(cache_dir)
                except OSError:
                    pass  # no cache: the next page computes the numbers again
    _DONE[key] = found
    return found


# ---------- the page ----------

def figures(x: float, digits: int = FACTOR_DIGITS) -> str:
    """x to ``digits`` significant figures as the way-out chapter writes its factors: netsim's
    ``fmt_value`` of the rounded value with the trailing zeros kept (0.200, not 0.2); "—" for
    a value that is not finite."""
    if not math.isfinite(x):
        return "—"
    x = round_significant(x, digits)
    text = fmt_value(x, digits)
    if x == 0 or "e" in text:
        return text
    shown = len(text.lstrip("−").replace(".", "").lstrip("0"))
    if shown >= digits:
        return text
    return text + ("" if "." in text else ".") + "0" * (digits - shown)


def _finite(x: float) -> float | str:
    """A float as JSON takes it: inf as the string "inf", as ``netsim --json`` writes it."""
    return x if math.isfinite(x) else ("inf" if x > 0 else "-inf")


def ratio_case(n: NetNumbers) -> str:
    """Which sentence says layer 1's norm next to the last hidden layer's (a key of STRINGS)."""
    first, last = n.hidden[0] == 0.0, n.hidden[-1] == 0.0
    if first or last:
        return "both0" if first and last else ("first0" if first else "last0")
    text = fmt_ratio(n.first_over_last)
    if text in ("1", "1/1"):
        return "same"
    return "smaller" if n.first_over_last < 1 else "larger"


def page_record(n: NetNumbers) -> dict[str, Any]:
    """One net as the page holds it: ``n`` the norms (exact, "inf" for overflow), ``d`` the log
    axis, ``w`` which sentence, ``r`` the ratio as written, ``g`` the regime, ``m`` the measured
    factor, ``p``, ``v``, ``s`` the prediction, n Var(w) and E[g'^2] (null without a rule),
    ``a`` whether they agree, ``k`` the layers with skips, ``e`` netsim's error."""
    if n.error is not None:
        return {"e": n.error}
    rec: dict[str, Any] = {"n": [_finite(v) for v in n.norms], "d": list(n.decades), "w": ratio_case(n),
                           "r": fmt_ratio(n.first_over_last) if 0 < n.first_over_last < math.inf else "",
                           "g": n.regime, "m": figures(n.measured)}
    if n.predicted is not None and n.n_var is not None and n.slope_sq is not None:
        rec.update(p=figures(n.predicted), v=fmt_value(n.n_var), s=figures(n.slope_sq))
        if math.isfinite(n.measured) and n.predicted > 0:
            rec["a"] = abs(n.measured / n.predicted - 1.0) <= AGREE_TOLERANCE
    if n.skips:
        rec["k"] = list(n.skips)
    return rec


def _nearest(value: int, options: Sequence[int]) -> int:
    return min(options, key=lambda o: (abs(o - value), o))


def _page_config(numbers: ExploreNumbers, lesson: Lesson) -> dict[str, Any]:
    """Everything the page's script needs: the grid, the words, the colours, every net's numbers."""
    from scenes.engine.style import THEMES, viridis

    grid, theme = numbers.grid, THEMES[lesson.theme]
    s = words(lesson.language)
    chapters = {"fading": number_of("fading"), "wayout": number_of("wayout")}
    text = {k: v.replace("{fading}", str(chapters["fading"])).replace("{wayout}", str(chapters["wayout"]))
            for k, v in s.items()}
    # the dark theme leaves out viridis's darkest part too, as the episode's colour scale does
    palette = [viridis(i / PALETTE_STEPS).to_hex() for i in range(PALETTE_STEPS + 1)]
    colours = {a: theme.net(NET_COLOUR[a]) if a in NET_COLOUR else theme.text for a in grid.activations}
    start = {"depth": _nearest(lesson.depth, grid.depths), "width": _nearest(lesson.width, grid.widths),
             "activation": lesson.activation if lesson.activation in grid.activations else grid.activations[0],
             "init": lesson.init if lesson.init in grid.inits else grid.inits[0], "residual": False}
    # the page fills in the net chosen
    args = cli_args(grid, width=1, depth=2, activation="{activation}", init="{init}", residual=False)
    args[args.index("--sizes") + 1] = "{sizes}"
    command = " ".join(["netsim", *args])
    return {
        "grid": {"widths": list(grid.widths), "depths": list(grid.depths), "activations": list(grid.activations),
                 "inits": list(grid.inits), "seed": grid.seed, "bias_init": grid.bias_init,
                 "samples": grid.samples},
        "start": start, "text": text, "palette": palette, "net_colours": colours, "skips_colour": theme.net("skips"),
        "theme": {"text": theme.text, "muted": theme.muted, "edge": theme.edge, "overflow": theme.overflow},
        "threshold": fmt_value(REGIME_THRESHOLD), "tolerance": fmt_value(100 * AGREE_TOLERANCE),
        "most_ticks": MOST_TICKS, "command": command,
        "nets": {k: page_record(n) for k, n in sorted(numbers.nets.items())},
    }


CSS = """
:root { --bg: $background; --text: $text; --muted: $muted; --edge: $edge; --panel: $panel;
        --accent: $accent; color-scheme: $scheme; }
* { box-sizing: border-box; }
body { background: var(--bg); color: var(--text); margin: 0; line-height: 1.45;
       font-family: "DejaVu Sans", "Noto Sans CJK SC", sans-serif; }
header, main, footer { max-width: 1120px; margin: 0 auto; padding: 0 16px; }
h1 { font-size: 1.6em; margin: 18px 0 6px; }
h2 { font-size: 1.15em; margin: 0 0 8px; }
a { color: var(--accent); }
.muted, .note { color: var(--muted); }
main { display: grid; grid-template-columns: minmax(230px, 300px) minmax(0, 1fr); gap: 24px; align-items: start; }
@media (max-width: 760px) { main { grid-template-columns: minmax(0, 1fr); gap: 12px; } h1 { font-size: 1.3em; } }
form { background: var(--panel); border: 1px solid var(--edge); border-radius: 8px; padding: 4px 14px 14px; }
fieldset { border: 0; margin: 0; padding: 0; }
legend { font-weight: bold; padding: 10px 0 0; }
label { display: block; margin: 14px 0 4px; }
label.check { display: flex; gap: 10px; align-items: center; }
select, input[type=range] { width: 100%; min-height: 40px; font: inherit; }
select { background: var(--bg); color: var(--text); border: 1px solid var(--muted); border-radius: 4px; padding: 4px; }
input[type=range] { accent-color: var(--accent); }
input[type=checkbox] { width: 22px; height: 22px; accent-color: var(--accent); flex: none; }
output { font-weight: bold; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
svg { display: block; width: 100%; height: auto; }
#words { font-size: 1.1em; margin: 8px 0; }
dl { margin: 8px 0; } dt { color: var(--muted); margin-top: 6px; } dd { margin: 0 0 0 1em; font-size: 1.1em; }
table { border-collapse: collapse; margin: 8px 0; } caption { text-align: left; color: var(--muted); }
th, td { padding: 2px 10px; text-align: right; border-bottom: 1px solid var(--edge); }
th:nth-child(2), td:nth-child(2) { text-align: left; }
tr.output td { color: var(--muted); }
code { background: var(--panel); border-radius: 4px; padding: 6px; display: block; overflow-wrap: anywhere;
       font-size: 0.85em; }
.error { color: $overflow; }
footer { padding-bottom: 24px; }
"""

SCRIPT = r"""
'use strict';
const D = JSON.parse(document.getElementById('explore-data').textContent);
const T = D.text;
const $ = id => document.getElementById(id);
const controls = {depth: $('depth'), width: $('width'), activation: $('activation'), init: $('init'),
                  residual: $('residual')};
const esc = s => String(s).replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
const fill = (t, v) => t.replace(/\{(\w+)\}/g, (m, k) => (k in v ? v[k] : m));
const num = v => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
// a number as netsim.format.fmt_value(x, 3) writes it (the numbers themselves are netsim's)
function fmt(x) {
  if (x === Infinity) return 'overflow';
  if (x === -Infinity) return '\u2212overflow';
  if (x === 0) return '0';
  const ax = Math.abs(x);
  let t;
  if (ax >= 1e-3 && ax < 1e4) {
    t = ax < 1 ? String(Number(ax.toPrecision(3))) : ax.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
  } else {
    t = ax.toExponential(2).replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return x > 0 ? t : '\u2212' + t;
}
// the labelled exponents of a log axis from 10^lo to 10^hi (scenes.engine.style.log_ticks)
function ticks(lo, hi, most) {
  for (const step of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]) {
    const t = [];
    for (let k = lo; k <= hi; k++) if (k % step === 0) t.push(k);
    if (t.length <= most) return t;
  }
  return [lo, hi];
}
function settings() {
  return {depth: Number(controls.depth.value), width: Number(controls.width.value),
          activation: controls.activation.value, init: controls.init.value, residual: controls.residual.checked};
}
const keyOf = s => [s.width, s.depth, s.activation, s.init, s.residual ? 1 : 0].join('/');

const text = (x, y, s, colour, size, anchor) =>
  `<text x="${x}" y="${y}" text-anchor="${anchor}" fill="${colour}" font-size="${size}">${esc(s)}</text>`;

// the chart is drawn in units of about a screen pixel (its width follows the page's), so its
// words stay legible on a phone
function chart(net, colour) {
  const svg = $('chart');
  const norms = net.n.map(num), L = norms.length, h = L - 1, [lo, hi] = net.d;
  const W = Math.round(Math.min(Math.max(svg.getBoundingClientRect().width || 640, 300), 720)), H = 300;
  const x0 = 56, x1 = W - 10, yb = 250, yt = 30;
  const slot = (x1 - x0) / L, bw = Math.min(30, slot * 0.7);
  const pos = v => (v === 0 ? 0 : v === Infinity ? 1 : Math.min(Math.max((Math.log10(v) - lo) / (hi - lo), 0), 1));
  const y = k => yb - (yb - yt) * (k - lo) / (hi - lo);
  const out = [];
  for (let k = lo + 1; k <= hi; k++) {
    out.push(`<line x1="${x0 - 6}" x2="${x1}" y1="${y(k)}" y2="${y(k)}" stroke="${D.theme.edge}" ` +
             'stroke-dasharray="4 4"/>');
  }
  for (const k of ticks(lo, hi, D.most_ticks)) {
    const e = k < 0 ? '\u2212' + (-k) : String(k);
    out.push(`<text x="${x0 - 10}" y="${y(k) + 5}" text-anchor="end" fill="${D.theme.muted}" font-size="15">10` +
             `<tspan dy="-8" font-size="11">${e}</tspan></text>`);
  }
  out.push(`<line x1="${x0 - 6}" x2="${x1}" y1="${yb}" y2="${yb}" stroke="${D.theme.muted}" stroke-width="1.5"/>`);
  const every = slot >= 24 ? 1 : slot >= 12 ? 2 : 5;
  let lastLabel = -Infinity;
  norms.forEach((v, i) => {
    const l = i + 1, p = pos(v), bh = Math.max(0.03, p) * (yb - yt), cx = x0 + slot * (i + 0.5);
    const fillc = v === Infinity ? D.theme.overflow : D.palette[Math.round(p * (D.palette.length - 1))];
    const ends = l === 1 || l === h;
    const stroke = ends ? ` stroke="${colour}" stroke-width="2.5"` : '';
    const op = l === L ? ' opacity="0.3"' : '';
    out.push(`<rect x="${cx - bw / 2}" y="${yb - bh}" width="${bw}" height="${bh}" fill="${fillc}"${stroke}${op}>` +
             `<title>${esc(T.layer)} ${l}: ${fmt(v)}</title></rect>`);
    const name = l === L ? T.output_short : String(l);
    if ((l === 1 || l === h || l === L || l % every === 0) && cx - lastLabel >= 8 + 8 * name.length) {
      out.push(text(cx, yb + 20, name, D.theme.muted, 14, 'middle'));
      lastLabel = cx;
    }
  });
  out.push(text(x0 - 6, 16, T.chart_heading, D.theme.text, 15, 'start'));
  out.push(text((x0 + x1) / 2, H - 8, T.layer, D.theme.muted, 14, 'middle'));
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.innerHTML = out.join('');
}

let drawn = null;
function update() {
  const s = settings(), net = D.nets[keyOf(s)], root = $('result');
  $('depth-value').value = s.depth;
  const params = new URLSearchParams({depth: s.depth, width: s.width, activation: s.activation, init: s.init,
                                      residual: s.residual ? 1 : 0});
  try { history.replaceState(null, '', '#' + params.toString()); } catch (err) { /* a sandboxed frame */ }
  for (const [k, v] of Object.entries(s)) root.dataset[k] = String(v);
  const sizes = [64].concat(Array(s.depth).fill(s.width), [10]).join(',');
  $('command').textContent = fill(D.command, {sizes, activation: s.activation, init: s.init}) +
                             (s.residual ? ' --residual' : '');
  const problem = !net ? T.missing : net.e ? fill(T.error, {error: net.e}) : '';
  $('problem').textContent = problem;
  $('problem').hidden = !problem;
  $('numbers').hidden = Boolean(problem);
  if (problem) { root.dataset.norms = '[]'; return; }
  const colour = s.residual ? D.skips_colour : (D.net_colours[s.activation] || D.theme.text);
  const norms = net.n.map(num), L = norms.length, h = L - 1;
  root.dataset.norms = JSON.stringify(net.n);
  chart(net, colour);
  drawn = [net, colour];
  const v = {last: h, ratio: net.r, threshold: D.threshold, steps: h - 1, tolerance: D.tolerance};
  let said = fill(T[net.w], v);
  if (['smaller', 'larger', 'same'].includes(net.w)) said += T.sentence_gap + fill(T[net.g], v);
  $('words').textContent = said;
  $('words').style.borderLeft = `6px solid ${colour}`;
  $('words').style.paddingLeft = '10px';
  $('chart').setAttribute('aria-label', fill(T.chart_label, {summary: said}));
  $('measured-name').textContent = fill(T.measured, v);
  $('measured').textContent = net.m;
  root.dataset.measured = net.m;
  const pn = $('predicted-name'), pv = $('predicted'), agree = $('agree');
  if (net.p !== undefined) {
    pn.textContent = fill(s.residual ? T.predicted_skips : T.predicted, {n_var: net.v, slope_sq: net.s});
    pv.textContent = net.p;
    root.dataset.predicted = net.p;
    agree.textContent = net.a === undefined || s.residual ? '' : fill(net.a ? T.agree : T.differ, v);
  } else {
    pn.textContent = T.no_rule;
    pv.textContent = '—';
    root.dataset.predicted = '';
    agree.textContent = '';
  }
  $('skips-note').hidden = !s.residual;
  root.dataset.words = said;
  const rows = norms.map((x, i) => {
    const l = i + 1, kind = l === L ? T.kind_output : (net.k || []).includes(l) ? T.kind_skip : T.kind_hidden;
    return `<tr class="${l === L ? 'output' : 'hidden'}" data-layer="${l}"><td>${l}</td><td>${esc(kind)}</td>` +
           `<td class="norm">${fmt(x)}</td></tr>`;
  });
  $('rows').innerHTML = rows.join('');
}

function applyHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  const set = (c, value) => { if (value !== null) { c.value = value; } };
  if (/^\d+$/.test(p.get('depth') || '')) set(controls.depth, p.get('depth'));
  for (const name of ['width', 'activation', 'init']) {
    const value = p.get(name), c = controls[name];
    if (value !== null && [...c.options].some(o => o.value === value)) set(c, value);
  }
  if (p.get('residual') !== null) controls.residual.checked = p.get('residual') === '1';
  // as if the learner had moved the controls
  for (const c of Object.values(controls)) c.dispatchEvent(new Event(c.type === 'checkbox' ? 'change' : 'input'));
}

for (const c of Object.values(controls)) {
  c.addEventListener('input', update);
  c.addEventListener('change', update);
}
window.addEventListener('hashchange', applyHash);
window.addEventListener('resize', () => { if (drawn) chart(...drawn); });
applyHash();
update();
$('result').dataset.ready = '1';
"""


def page_html(numbers: ExploreNumbers, lesson: Lesson, gallery: bool = False) -> str:
    """The whole page for ``lesson``'s language and theme; ``gallery``: link back to index.html."""
    from scenes.engine.style import THEMES

    config = _page_config(numbers, lesson)
    text, grid, start = config["text"], numbers.grid, config["start"]
    theme = THEMES[lesson.theme]
    e = html.escape
    css = string.Template(CSS).substitute(
        background=theme.background, text=theme.text, muted=theme.muted, edge=theme.edge, panel=theme.neuron_fill,
        accent=theme.forward, overflow=theme.overflow, scheme="dark" if theme.name == "dark" else "light")

    def options(values: Sequence[object], chosen: object, label: str = "") -> str:
        return "".join(f'<option value="{e(str(v))}"{" selected" if v == chosen else ""}>'
                       f'{e(text.get(f"{label}{v}", str(v)))}</option>' for v in values)

    data = json.dumps(config, ensure_ascii=False, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    title = text["title"].format(title=lesson.title)
    setup = text["setup"].format(seed=grid.seed, bias=text[f"bias_{grid.bias_init}"], samples=grid.samples)
    back = f'<footer><p><a href="index.html">{e(text["back"])}</a></p></footer>' if gallery else ""
    return f"""<!doctype html>
<html lang="{e(text['html_lang'])}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="{'dark' if theme.name == 'dark' else 'light'}">
<meta name="theme-color" content="{theme.background}">
<title>{e(title)}</title>
<style>{css}</style>
</head>
<body>
<header>
<h1>{e(title)}</h1>
<p class="muted">{e(text['intro'])}</p>
</header>
<main>
<form id="controls" onsubmit="return false">
<fieldset>
<legend>{e(text['controls'])}</legend>
<label for="depth">{e(text['depth'])}: <output id="depth-value" for="depth">{start['depth']}</output></label>
<input type="range" id="depth" name="depth" min="{min(grid.depths)}" max="{max(grid.depths)}" step="1"
       value="{start['depth']}">
<label for="width">{e(text['width'])}</label>
<select id="width" name="width">{options(grid.widths, start['width'])}</select>
<label for="activation">{e(text['activation'])}</label>
<select id="activation" name="activation">{options(grid.activations, start['activation'], 'act_')}</select>
<label for="init">{e(text['init'])}</label>
<select id="init" name="init">{options(grid.inits, start['init'], 'init_')}</select>
<label class="check" for="residual"><input type="checkbox" id="residual" name="residual">{e(text['residual'])}</label>
</fieldset>
</form>
<section id="result">
<p id="problem" class="error" hidden></p>
<div id="numbers">
<svg id="chart" role="img" aria-label="{e(text['chart_heading'])}"></svg>
<p class="note">{e(text['output_note'])}</p>
<p id="words" aria-live="polite"></p>
<h2>{e(text['factors_heading'])}</h2>
<dl>
<dt id="measured-name"></dt><dd id="measured"></dd>
<dt id="predicted-name"></dt><dd id="predicted"></dd>
</dl>
<p id="agree"></p>
<p id="skips-note" class="note" hidden>{e(text['skips_note'])}</p>
<p class="note">{e(text['factor_note'])}</p>
<table>
<caption>{e(text['table_caption'])}</caption>
<thead><tr><th scope="col">{e(text['th_layer'])}</th><th scope="col">{e(text['th_kind'])}</th>
<th scope="col">{e(text['th_norm'])}</th></tr></thead>
<tbody id="rows"></tbody>
</table>
</div>
<p class="note">{e(setup)}</p>
<code id="command"></code>
<noscript><p>{e(text['noscript'])}</p></noscript>
</section>
</main>
{back}
<script type="application/json" id="explore-data">{data}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""


def write_explore(out_dir: Path, lesson: Lesson, grid: Grid | None = None, *, jobs: int | None = None,
                  cache_dir: Path | None | bool = True, gallery: bool = False) -> ExplorePage:
    """Compute the grid's numbers (or read them from ``cache_dir``: True for
    :func:`default_cache_dir`, None for no cache) and write ``out_dir/explore.html``
    atomically; ``gallery``: the page links back to the gallery ``index.html`` beside it."""
    grid = grid or Grid.for_lesson(lesson)
    cache = default_cache_dir() if cache_dir is True else cache_dir or None
    numbers = compute(grid, jobs, cache)
    page = out_dir / PAGE
    text = page_html(numbers, lesson, gallery)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_atomically(page, text)
    return ExplorePage(page, len(text.encode()), len(numbers.nets), numbers.seconds, numbers.cached)


# ---------- links from the gallery and the slides ----------

def gallery_block(language: str) -> str:
    """The gallery's section on the explore page: a link, and an iframe snippet to copy."""
    s, e = words(language), html.escape
    snippet = (f'<iframe src="{PAGE}" title="{e(s["gallery_heading"])}" width="100%" height="900" '
               'loading="lazy"></iframe>')
    return f"""
<section class="item" id="explore">
  <h2><a href="{PAGE}">{e(s['gallery_heading'])}</a></h2>
  <p>{e(s['gallery_text'])}</p>
  <p>{e(s['gallery_embed'])} <button data-copy="explore-snippet">{e(s['copy'])}</button></p>
  <pre id="explore-snippet">{e(snippet)}</pre>
</section>"""


def link_last_slide(deck: str, language: str, href: str = f"../{PAGE}") -> str:
    """The reveal.js deck with a link to the explore page on its last slide (inside the last
    ``</section>``): in the slide's top right corner, over its video, on a dark backing (the
    last chapter's key picture leaves that corner empty). The deck's slides are as big as the
    window and centred, so a box of 92% of the window's height spans the slide."""
    at = deck.rfind("</section>")
    if at < 0:
        return deck
    link = ('<div style="height:92vh;display:flex;align-items:flex-start;justify-content:flex-end;'
            'pointer-events:none"><p style="margin:0;padding:4px 12px;font-size:0.4em;pointer-events:auto;'
            'background:rgba(16,19,24,0.8);border-radius:6px">'
            f'<a href="{html.escape(href)}">{html.escape(words(language)["slide_link"])}</a></p></div>\n')
    return deck[:at] + link + deck[at:]


# ---------- the command ----------

class _Parser(argparse.ArgumentParser):
    """Errors are one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"explore: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m scenes.episode.explore",
                description="Write explore.html: change the net, see netsim's numbers at once.")
    p.add_argument("--lesson", type=Path, default=None,
                   help=f"a lesson file (default: scenes/lessons/{DEFAULT_LESSON.name}): its language, theme, "
                        "seed, bias initialiser and starting net")
    p.add_argument("--out", type=Path, default=None,
                   help="the folder explore.html goes to (default: the lesson's media folder)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="processes netsim runs on (default: the cores)")
    p.add_argument("--cache", type=Path, default=None,
                   help=f"keep netsim's numbers here between runs (default: ${CACHE_ENV}, else "
                        "vanishing-gradient/explore in the user's cache folder)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Write explore.html; returns 0, or 2 with one line on stderr for a bad argument."""
    args = build_parser().parse_args(argv)
    try:
        if args.jobs < 1:
            raise ExploreError(f"--jobs {args.jobs} must be at least 1")
        lesson = load_lesson(args.lesson)
        if args.out is None:
            from scenes.episode.builds import output_dir

            args.out = output_dir(lesson)
        if args.out.exists() and not args.out.is_dir():
            raise ExploreError(f"--out {args.out} is not a folder")
        try:
            args.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExploreError(f"--out {args.out} cannot be made: {exc.strerror or exc}") from None
        if not os.access(args.out, os.W_OK):
            raise ExploreError(f"--out {args.out} cannot be written")
        page = write_explore(args.out, lesson, jobs=args.jobs, cache_dir=args.cache or True,
                             gallery=(args.out / "index.html").exists())
    except (ExploreError, LessonError) as exc:
        sys.stderr.write(f"explore: error: {exc}\n")
        return 2
    how = "from the cache" if page.cached else f"netsim took {page.seconds:.0f} s"
    sys.stdout.write(f"{page.path}: {page.nets} nets, {page.size / 1e3:.0f} kB ({how})\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
