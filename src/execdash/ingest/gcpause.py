"""Pause Python's cyclic garbage collector while an import churns through millions of objects.

Pass one and the load allocate a few container objects per row (cell lists, row tuples) and keep
hundreds of thousands alive, so the collector would otherwise walk that growing heap again and
again and take about half the CPU time. None of these objects form cycles: reference counting
frees them all. Nested or concurrent imports share one pause: collection resumes when the last
ends, and only if it was on before the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_state = {"depth": 0, "was_enabled": False}


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the body with automatic garbage collection off, restoring it afterwards."""
    with _lock:
        if _state["depth"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] -= 1
            if _state["depth"] == 0 and _state["was_enabled"]:
                gc.enable()
