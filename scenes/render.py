"""``python -m scenes.render``: the episode command (it lives in :mod:`scenes.episode.render`)."""

import sys

from scenes.episode.render import main

if __name__ == "__main__":
    sys.exit(main())
