"""The explore page: its numbers are netsim's, read in headless Chromium after the page has
moved its controls to random settings, and compared with ``netsim --json gradients``; its
language, theme, offline use, command and links."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from netsim.activations import ACTIVATIONS
from netsim.cli import build_parser
from netsim.experiments.wayout import RULE_INITS, Setting, factor_from_bars, way_out
from netsim.format import fmt_ratio, fmt_value
from netsim.init import WEIGHT_INITS
from netsim.spec import NetSpec
from scenes.engine import i18n
from scenes.engine.lesson import load_lesson
from scenes.episode import explore
from scenes.episode.explore import STRINGS, Grid, cli_args, figures, first_over_last, words, write_explore

pytestmark = pytest.mark.xdist_group("explore")  # the pages are made once, on one worker

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NETSIM = Path(sys.executable).with_name("netsim")
#: Random settings the browser test reads per run.
SETTINGS_PER_RUN = 3
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_NETWORK = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|https?://""", re.I)


class _Dom(HTMLParser):
    """The explore page's parts the tests read: ``#result``'s attributes, the text of the
    elements with an id, and the norms in the table (in layer order)."""

    def __init__(self) -> None:
        super().__init__()
        self.attrs: dict[str, dict[str, str]] = {}
        self.text: dict[str, str] = {}
        self.norms: list[str] = []
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        key = a.get("id") or ("norm" if a.get("class") == "norm" else None)
        if a.get("id"):
            self.attrs[a["id"]] = a
            self.text.setdefault(a["id"], "")
        if key == "norm":
            self.norms.append("")
        if tag not in _VOID:
            self._open.append((tag, key))

    def handle_endtag(self, tag: str) -> None:
        if any(t == tag for t, _ in self._open):
            while self._open.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        for _, key in self._open:
            if key == "norm":
                self.norms[-1] += data
            elif key is not None:
                self.text[key] += data


def _open(url: str, tmp_path: Path, name: str) -> tuple[_Dom, list[str]]:
    """The page's DOM after its script ran in headless Chromium, and the console's messages."""
    assert CHROMIUM, "chromium is not installed: bash .ci/setup.sh installs it (Debian's chromium package)"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync", "--mute-audio",
           f"--user-data-dir={tmp_path / ('profile-' + name)}", "--virtual-time-budget=5000",
           "--enable-logging=stderr", "--v=0", "--dump-dom", url]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    dom = _Dom()
    dom.feed(p.stdout)
    ready = dom.attrs.get("result", {}).get("data-ready")
    assert ready == "1", f"the page's script did not run; chromium said: {p.stderr[-2000:]}"
    return dom, [line for line in p.stderr.splitlines() if ":CONSOLE" in line]


def _netsim(grid: Grid, s: dict[str, object]) -> dict[str, object]:
    """``netsim --json gradients`` for the net of settings ``s``, as a subprocess."""
    args = cli_args(grid, width=s["width"], depth=s["depth"], activation=s["activation"],  # type: ignore[arg-type]
                    init=s["init"], residual=s["residual"])  # type: ignore[arg-type]
    p = subprocess.run([str(NETSIM), *args], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def _random_settings(rng: random.Random, n: int) -> list[dict[str, object]]:
    g = Grid()
    return [{"depth": rng.choice(g.depths), "width": rng.choice(g.widths), "activation": rng.choice(g.activations),
             "init": rng.choice(g.inits), "residual": rng.random() < 0.5} for _ in range(n)]


@pytest.fixture(scope="module")
def random_page(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A page of the default lesson whose grid holds a few random settings of the full grid."""
    settings = _random_settings(random.Random(), SETTINGS_PER_RUN)
    lesson = load_lesson()
    grid = Grid.for_lesson(lesson, widths=tuple(sorted({s["width"] for s in settings})),  # type: ignore[type-var]
                           depths=tuple(sorted({s["depth"] for s in settings})),  # type: ignore[type-var]
                           activations=tuple(sorted({s["activation"] for s in settings})),  # type: ignore[type-var]
                           inits=tuple(sorted({s["init"] for s in settings})))  # type: ignore[type-var]
    out = tmp_path_factory.mktemp("explore")
    page = write_explore(out, lesson, grid, cache_dir=out / "cache")
    return {"page": page, "grid": grid, "settings": settings, "lesson": lesson}


def test_page_shows_netsims_numbers_for_random_settings(random_page, tmp_path):
    grid: Grid = random_page["grid"]  # type: ignore[assignment]
    page = random_page["page"].path  # type: ignore[attr-defined]
    for i, s in enumerate(random_page["settings"]):  # type: ignore[attr-defined]
        where = f"settings {s}"
        hash_ = (f"#depth={s['depth']}&width={s['width']}&activation={s['activation']}&init={s['init']}"
                 f"&residual={int(s['residual'])}")
        dom, console = _open(page.as_uri() + hash_, tmp_path, f"s{i}")
        assert not [c for c in console if "Uncaught" in c or "Error" in c], (where, console)
        r = dom.attrs["result"]
        # the page moved its controls to the settings asked for
        assert (r["data-depth"], r["data-width"], r["data-activation"], r["data-init"], r["data-residual"]) == (
            str(s["depth"]), str(s["width"]), s["activation"], s["init"], "true" if s["residual"] else "false"), where
        cli = _netsim(grid, s)
        norms = cli["median"]
        # every bar: exactly the command line's number. JavaScript writes a whole double below 1e21 without an
        # exponent ("87118048033050120000"), which Python would read as an exact int, not as that double
        assert json.loads(r["data-norms"], parse_int=float) == norms, where
        assert len(norms) == s["depth"] + 1  # type: ignore[operator]
        values = [float(v) for v in norms]
        assert dom.norms == [fmt_value(v, 3) for v in values], where
        hidden = values[:-1]
        assert dom.text["measured"] == r["data-measured"] == figures(factor_from_bars(hidden)), where
        if s["init"] in RULE_INITS:
            pred = way_out(NetSpec(cli["sizes"]), seeds=[grid.seed], n_samples=grid.samples,
                           settings=(Setting("t", s["activation"], s["init"], grid.bias_init),))
            assert dom.text["predicted"] == figures(pred.settings[0].predicted), where
        else:
            assert r["data-predicted"] == "" and dom.text["predicted"] == "—", where
        said = dom.text["words"]
        if hidden[0] > 0 and hidden[-1] > 0:
            ratio = fmt_ratio(first_over_last(hidden))
            assert f"layer {s['depth']}'s" in said, (where, said)
            assert ("the same as" in said) if ratio in ("1", "1/1") else (f" {ratio} " in said), (where, said)
        else:
            assert "exactly 0" in said or "no gradient" in said, (where, said)
        command = cli_args(grid, width=s["width"], depth=s["depth"], activation=s["activation"], init=s["init"],
                           residual=s["residual"])
        assert dom.text["command"] == " ".join(["netsim", *command]), where


def test_page_is_offline_keyboard_usable_and_responsive(random_page):
    text = random_page["page"].path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert not _NETWORK.search(text)  # no library, font or data from the network
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
    assert "@media (max-width:" in text
    for control in ("depth", "width", "activation", "init", "residual"):
        assert re.search(rf'<label [^>]*for="{control}"', text), control
        assert re.search(rf'<(select|input)[^>]* id="{control}"', text), control


def test_chinese_light_lesson(tmp_path):
    lesson_file = tmp_path / "zh-light.toml"
    lesson_file.write_text('name = "zh-light"\ntitle = "梯度消失"\nlanguage = "zh"\ntheme = "light"\n'
                           '[net]\ndepth = 3\nwidth = 10\nactivation = "tanh"\ninit = "xavier-normal"\n'
                           'bias_init = "zeros"\nseed = 2\n', encoding="utf-8")
    lesson = load_lesson(lesson_file)
    grid = Grid.for_lesson(lesson, widths=(10,), depths=(3,), activations=("tanh",), inits=("xavier-normal",))
    page = write_explore(tmp_path, lesson, grid, cache_dir=None).path
    text = page.read_text(encoding="utf-8")
    from scenes.engine.style import THEMES

    assert '<html lang="zh-Hans">' in text and THEMES["light"].background in text
    dom, _ = _open(page.as_uri(), tmp_path, "zh")
    assert dom.attrs["result"]["data-activation"] == "tanh"  # the lesson's net is where the page starts
    cli = _netsim(grid, {"width": 10, "depth": 3, "activation": "tanh", "init": "xavier-normal", "residual": False})
    assert json.loads(dom.attrs["result"]["data-norms"], parse_int=float) == cli["median"]
    assert "--seeds 2" in dom.text["command"] and "--bias-init zeros" in dom.text["command"]  # the lesson's
    zh = words("zh")
    assert dom.text["measured-name"].startswith("实测") and dom.text["predicted-name"].startswith("预测")
    assert dom.text["words"].startswith(zh["smaller"].split("{")[0]), dom.text["words"]


def test_default_grid_is_the_command_lines_defaults():
    g, cli = Grid(), build_parser().parse_args(["gradients"])
    assert g.depths == tuple(range(2, 31)) and g.widths == (10, 30)
    assert g.activations == tuple(ACTIVATIONS) and g.inits == tuple(WEIGHT_INITS)
    assert (g.samples, g.data, g.cost, g.output_activation) == (cli.samples, cli.data, cli.cost, "sigmoid")
    # every word is marked for the catalogue and translated there, but for names and symbols
    marked = set(i18n.extract())
    assert {k for k, v in STRINGS.items() if v not in marked} == {
        "bias_normal", "bias_zeros", "th_norm", "act_sigmoid", "act_tanh", "act_relu"}
    assert all(v in i18n.catalogue("zh") for v in STRINGS.values() if v in marked)


def test_numbers_are_cached_under_a_key_of_grid_and_netsim(tmp_path, monkeypatch):
    lesson = load_lesson()
    grid = Grid.for_lesson(lesson, widths=(10,), depths=(2,), activations=("relu",), inits=("he", "identity"))
    first = explore.compute(grid, jobs=1, cache_dir=tmp_path)
    assert not first.cached and len(first.nets) == grid.size == 4
    explore._DONE.clear()
    again = explore.compute(grid, jobs=1, cache_dir=tmp_path)
    assert again.cached and again.nets == first.nets
    assert grid.key() != Grid.for_lesson(lesson, widths=(10,), depths=(2,), activations=("relu",),
                                         inits=("he",)).key()


def _run_command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scenes.episode.explore", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("args, says", [
    (["--lesson", "no/such/lesson.toml"], "cannot be read"),
    (["--jobs", "0"], "--jobs 0 must be at least 1"),
    (["--depth", "3"], "unrecognized arguments"),
])
def test_bad_arguments_are_one_line_and_write_nothing(tmp_path, args, says):
    out = tmp_path / "out"
    p = _run_command(*args, "--out", str(out))
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.count("\n") == 1 and p.stderr.startswith("explore: error:") and says in p.stderr, p.stderr
    assert not out.exists()


def test_out_that_is_a_file(tmp_path):
    out = tmp_path / "file"
    out.write_text("x")
    p = _run_command("--out", str(out))
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "is not a folder" in p.stderr
    assert out.read_text() == "x"


def test_gallery_links_and_embeds_the_page(tmp_path, monkeypatch):
    from scenes.engine.chapters import CHAPTERS, ChapterOutput
    from scenes.episode import gallery

    monkeypatch.setattr(gallery, "clip_info", lambda p: SimpleNamespace(duration=3.0, width=854, height=480))
    vtt = tmp_path / "a.vtt"
    vtt.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n", encoding="utf-8")
    outputs = [ChapterOutput(CHAPTERS[0], tmp_path / "a.mp4", tmp_path / "a.srt", vtt, tmp_path / "a.png")]
    lesson = load_lesson()
    gallery.write_page(tmp_path / "index.html", lesson, "preview", outputs, episode=tmp_path / "episode.mp4",
                       episode_vtt=vtt)
    assert "explore.html" not in (tmp_path / "index.html").read_text(encoding="utf-8")  # no page, no link
    (tmp_path / "explore.html").write_text("<!doctype html>", encoding="utf-8")
    gallery.write_page(tmp_path / "index.html", lesson, "preview", outputs, episode=tmp_path / "episode.mp4",
                       episode_vtt=vtt)
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<a href="explore.html">' in text
    assert "&lt;iframe src=&quot;explore.html&quot;" in text and 'data-copy="explore-snippet"' in text


def test_last_slide_links_the_page():
    deck = "<div class='slides'><section a>one</section><section b>two</section></div>"
    linked = explore.link_last_slide(deck, "zh")
    first, last = linked.split("</section>", 1)
    assert "explore.html" not in first and '<a href="../explore.html">' in last
    assert words("zh")["slide_link"] in last
    assert explore.link_last_slide("no sections", "en") == "no sections"
