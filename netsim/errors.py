"""The one error type netsim raises for bad input.

Every check that rejects a value raises :class:`NetsimError` with a single line that names
the field, the value and what is allowed, so a command line or a render can show it as is.
"""

from __future__ import annotations


class NetsimError(ValueError):
    """A value given to netsim is not allowed; the message says which and why."""


def require(condition: bool, message: str) -> None:
    """Raise :class:`NetsimError` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise NetsimError(message)
