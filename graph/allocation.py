"""Work that makes a great many small objects and no reference cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector left out while the block runs. A load or a dump page builds hundreds
    of thousands of small objects that live until the block ends; as they pile up, the collector
    walks the whole heap again and again and finds nothing to free (a fifth of a big load's time,
    two thirds of a dump's: BENCHMARKS.md). Reference counting still frees them; cycles made
    meanwhile wait for the next collection after the block."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
