"""Validated rows between pass one and the load: in memory up to a bound, then spilled to disk.

A typical import (a few hundred thousand rows) stays in memory and is loaded without being
serialised at all; beyond `MEMORY_CELLS` cells the further chunks go to a temporary file as
marshal blobs, so a multi-million-row file never sits in memory as Python objects.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

Row = tuple[object, ...]

MEMORY_CELLS = 1_500_000
"""Cells kept in memory (about 60 MB of typed values); 300,000 rows of a five-column file."""


class RowStore:
    """Chunks of typed rows in file order: the first ones in memory, the rest in a spill file."""

    def __init__(self, memory_cells: int = MEMORY_CELLS) -> None:
        self._budget = memory_cells
        self._cells = 0
        self._memory: list[list[Row]] = []
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
        cells = len(rows) * len(rows[0])
        if self._spill is None and self._cells + cells <= self._budget:
            self._memory.append(rows)
            self._cells += cells
            return
        if self._spill is None:
            self._spill = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed by close())
                prefix="execdash-import-", suffix=".spill", delete=False
            )
        blob = marshal.dumps(rows)
        self._spill.write(len(blob).to_bytes(8, "little"))
        self._spill.write(blob)

    def discard(self) -> None:
        """Drop every row (the file has problems, nothing will be loaded)."""
        self._memory.clear()
        self._cells = self.rows = 0
        self.close()

    def chunks(self) -> Iterator[list[Row]]:
        """Every chunk in the order added (spilled chunks are read back one at a time)."""
        yield from self._memory
        if self._spill is None:
            return
        self._spill.flush()
        with Path(self._spill.name).open("rb") as handle:
            while size := handle.read(8):
                blob = handle.read(int.from_bytes(size, "little"))
                yield marshal.loads(blob)  # noqa: S302 (our own spill file, written above)

    def close(self) -> None:
        """Delete the spill file (safe to call more than once)."""
        if self._spill is not None:
            self._spill.close()
            Path(self._spill.name).unlink(missing_ok=True)
            self._spill = None
