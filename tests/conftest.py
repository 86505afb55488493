"""Shared test set-up.

manim's ``frames_comparison`` skips every cairo test when the system cairo is older than
1.18 (Debian 12 ships 1.16). Our golden frames are recorded with the same cairo they are
checked with, so the skip is lifted here and those tests really run. The ``--set_test``
and ``--show_diff`` options are the ones manim's own test suite defines for recording
control frames: ``pytest tests/test_golden.py --set_test`` writes them.
"""

from __future__ import annotations

import pytest
from manim.utils.testing import frames_comparison as _fc

_fc.MIN_CAIRO_VERSION = 0


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--set_test", action="store_true", default=False,
                     help="record the golden frames instead of comparing against them")
    parser.addoption("--show_diff", action="store_true", default=False,
                     help="show a picture of the difference when a golden frame differs")
