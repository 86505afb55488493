"""README's "netsim from Python" examples run as written and print what they say."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

pytestmark = pytest.mark.netsim  # netsim's own tests: pytest -m netsim runs them alone

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_examples() -> None:
    result = doctest.testfile(str(README), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 8, "README lost its netsim examples"
    assert result.failed == 0
