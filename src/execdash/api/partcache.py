"""Parts of answers kept while the tables they read are unchanged, so an alert acknowledged
does not make the overview recompute its KPIs.

The response cache (`api.cache`) keys a whole answer by the version of every table it reads:
the overview reads the KPIs' tables and the alerts, so each acknowledgement used to recompute
all ten KPIs (a second or more on a large company) although only the alert list had changed.
An endpoint now asks for its expensive part by name, the tables that part reads and its own
parameters; the part is computed once per version of those tables and shared by every answer
built on it (the overview, the seed system's dashboard, …). The read layer puts the versions
it read for the request in the scope, so a part and its answer agree on what they saw.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from fastapi import Request

from execdash.api.versionprobe import DataVersions

VERSIONS = "execdash.versions"
"""Scope key of the `DataVersions` the read layer read for this request."""
MAX_PARTS = 256

T = TypeVar("T")


class PartCache:
    """A bounded, thread-safe map from (part, table version, parameters) to a computed part."""

    def __init__(self, max_parts: int = MAX_PARTS) -> None:
        self._parts: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_parts
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The part stored under `key`, computing (outside the lock) and storing it if absent."""
        with self._lock:
            if key in self._parts:
                self._parts.move_to_end(key)
                self.hits += 1
                return self._parts[key]  # type: ignore[return-value]
            self.misses += 1
        value = compute()
        with self._lock:
            self._parts[key] = value
            self._parts.move_to_end(key)
            while len(self._parts) > self._max:
                self._parts.popitem(last=False)
        return value


def part(
    request: Request,
    name: str,
    tables: frozenset[str],
    params: Hashable,
    compute: Callable[[], T],
) -> T:
    """The part `name` of this request's answer for `params`, computed at most once per version
    of `tables`; computed afresh when the request carries no versions (nothing to key it by).
    The value is shared between requests: callers must not modify it."""
    versions = request.scope.get(VERSIONS)
    cache: PartCache | None = getattr(request.app.state, "part_cache", None)
    if not isinstance(versions, DataVersions) or cache is None:
        return compute()
    return cache.get_or_compute((name, versions.version(tables), params), compute)
