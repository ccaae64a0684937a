"""Validated rows between pass one and the load: in memory up to a bound, then spilled to disk.

A typical import (a few hundred thousand rows) stays in memory and is loaded without being
serialised at all; beyond `MEMORY_CELLS` cells the further chunks go to a temporary file as
marshal blobs, so a multi-million-row file never sits in memory as Python objects. The budget
is in bytes, estimated from a few sample rows per chunk, so wide text rows count for what they
weigh.
"""

from __future__ import annotations

import marshal
import sys
import tempfile
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from execdash.ingest.leftovers import SPILL_PREFIX, owned_prefix

Row = tuple[object, ...]

MEMORY_BYTES = 8 << 20
"""Typed rows kept in memory (about 30,000 orders); further chunks are spilled to disk, so a
1,000,000-row import stays under 150 MB resident (docs/performance.md)."""


def row_bytes(rows: list[Row]) -> int:
    """Estimated memory of `rows`: the tuple and every value of the first, middle and last row."""
    sample = [rows[0], rows[len(rows) // 2], rows[-1]]
    size = sum(sys.getsizeof(row) + sum(map(sys.getsizeof, row)) for row in sample)
    return size * len(rows) // len(sample)


class RowStore:
    """Chunks of typed rows in file order: the first ones in memory, the rest in a spill file."""

    def __init__(self, memory_bytes: int = MEMORY_BYTES) -> None:
        self._budget = memory_bytes
        self._bytes = 0
        self._memory: deque[list[Row]] = deque()
        self._spill: IO[bytes] | None = None
        self.rows = 0

    @property
    def spill_path(self) -> Path | None:
        """The spill file, if any chunk had to go to disk."""
        return None if self._spill is None else Path(self._spill.name)

    def add(self, rows: list[Row]) -> None:
        """Keep one chunk of rows, in memory while the budget lasts, on disk after."""
        if not rows:
            return
        self.rows += len(rows)
        size = row_bytes(rows)
        if self._spill is None and self._bytes + size <= self._budget:
            self._memory.append(rows)
            self._bytes += size
            return
        if self._spill is None:
            self._spill = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed by close())
                prefix=owned_prefix(SPILL_PREFIX), suffix=".spill", delete=False
            )
        blob = marshal.dumps(rows)
        self._spill.write(len(blob).to_bytes(8, "little"))
        self._spill.write(blob)

    def discard(self) -> None:
        """Drop every row (the file has problems, nothing will be loaded)."""
        self._memory.clear()
        self._bytes = self.rows = 0
        self.close()

    def chunks(self) -> Iterator[list[Row]]:
        """Every chunk in the order added, handed over once: a chunk kept in memory is released
        as it is read, so the load never holds the rows it has already written (a second read
        finds nothing)."""
        while self._memory:
            chunk = self._memory.popleft()
            yield chunk
        if self._spill is None:
            return
        self._spill.flush()
        with Path(self._spill.name).open("rb") as handle:
            while size := handle.read(8):
                blob = handle.read(int.from_bytes(size, "little"))
                yield marshal.loads(blob)  # noqa: S302 (our own spill file, written above)
        self.close()

    def close(self) -> None:
        """Delete the spill file (safe to call more than once)."""
        if self._spill is not None:
            self._spill.close()
            Path(self._spill.name).unlink(missing_ok=True)
            self._spill = None
