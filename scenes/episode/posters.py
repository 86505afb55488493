"""``python -m scenes.episode.posters``: the pictures README shows, regenerated.

Renders the back-prop and fading chapters at preview quality with the episode command (into
``media/posters/.build``, so a re-run with nothing changed is quick) and copies their
posters and the looping preview GIF into ``media/posters/``, the only renders committed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from scenes.engine.chapters import by_slug
from scenes.episode.builds import MEDIA, ROOT

POSTERS = MEDIA / "posters"
CHAPTERS = ("backprop", "fading")


def main() -> int:
    build = POSTERS / ".build"
    cmd = [sys.executable, "-m", "scenes.render", "--preview", "--chapters", ",".join(CHAPTERS), "--out", str(build)]
    if subprocess.run(cmd, cwd=ROOT).returncode != 0:
        return 1
    for slug in CHAPTERS:
        name = by_slug(slug).name
        shutil.copyfile(build / "chapters" / f"{name}.png", POSTERS / f"{slug}.png")
    shutil.copyfile(build / "preview.gif", POSTERS / "preview.gif")
    for p in sorted(q for q in POSTERS.glob("*.*") if q.is_file()):
        sys.stdout.write(f"{p.relative_to(ROOT)}  {p.stat().st_size / 1e3:.0f} kB\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
