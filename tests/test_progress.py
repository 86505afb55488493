"""The episode command's progress: live bars on a terminal, one plain line per event elsewhere."""

from __future__ import annotations

import io

from rich.console import Console

from scenes.episode import progress


def run_display(monkeypatch, terminal: bool) -> str:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=terminal, width=100, highlight=False)
    monkeypatch.setattr(progress, "console", console)
    d = progress.Display([("default/04-rock", 60.0), ("default/06-backprop", None)])
    d.advance("default/04-rock", 12.0)
    d.advance("default/06-backprop", 5.0)
    if d.bars is not None:
        d.bars.refresh()
    d.finish("default/04-rock", 30.0)
    d.finish("default/06-backprop", 20.0)
    d.close()
    return buf.getvalue()


def test_live_bars_on_a_terminal(monkeypatch):
    out = run_display(monkeypatch, terminal=True)
    assert "12/60 s of video" in out and "5 s of video" in out  # a bar per running chapter
    assert "episode" in out and "0/2 chapters" in out             # and the overall bar
    assert "[2/2] default/06-backprop: done in 0:20" in out


def test_plain_lines_in_a_log(monkeypatch):
    out = run_display(monkeypatch, terminal=False)
    assert out.splitlines() == [
        "  default/04-rock: rendering ...",
        "  default/06-backprop: rendering ...",
        "  [1/2] default/04-rock: done in 0:30; about 0:00 left",
        "  [2/2] default/06-backprop: done in 0:20; about 0:00 left",
    ]
