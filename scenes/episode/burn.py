"""``python -m scenes.episode.burn VIDEO SRT OUT [LANG]``: burn one clip's captions into its picture.

The burning itself is :func:`scenes.engine.burn.burn_captions`, which the vertical short shares.
"""

from __future__ import annotations

from pathlib import Path

from scenes.engine.burn import burn_captions


def main(argv: list[str] | None = None) -> None:
    """``python -m scenes.episode.burn VIDEO SRT OUT [LANG]``: burn one clip's captions."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (3, 4):
        raise SystemExit("usage: python -m scenes.episode.burn VIDEO SRT OUT [en|zh]")
    burn_captions(Path(args[0]), Path(args[1]), Path(args[2]), args[3] if len(args) == 4 else "en")


if __name__ == "__main__":
    main()
