"""Keep freed memory in the heap, so passes over a batch do not pay page faults.

A forward+backward pass over the 1797 digits allocates a few dozen arrays of about
0.4 MB (n_samples x width doubles). glibc hands every block above 128 KiB out as fresh
pages from the kernel and gives them back when freed, and trims the heap top eagerly, so
each pass pays for zero-filled pages again; that, not the arithmetic, was most of the time
(3.9 ms against 1.4 ms here). Raising glibc's mmap and trim thresholds keeps those pages
for reuse, as PyTorch's own caching allocator does. It changes nothing but speed.

The command line and the benchmark call :func:`keep_heap_pages`; a notebook may too.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3


def keep_heap_pages(mmap_threshold: int = 64 << 20, trim_threshold: int = 256 << 20) -> bool:
    """Ask glibc to serve blocks below ``mmap_threshold`` from the heap and to keep up to
    ``trim_threshold`` bytes of freed heap. Returns False (and does nothing) without glibc."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        log.debug("no glibc mallopt here; allocator left as it is")
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, mmap_threshold)) and bool(mallopt(M_TRIM_THRESHOLD, trim_threshold))
