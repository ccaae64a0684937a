"""Remove what a killed import left in the temporary directory: spill files and upload folders.

An import spills rows to `execdash-import-<pid>-*.spill` and the API stages uploads in
`execdash-upload-<pid>-*/`; both are removed when the import ends, but a `kill -9` ends nothing.
The next import and the next `execdash serve` call `sweep()`, which removes every such entry
whose process is gone (files from versions that did not record the process id are removed once
they have not been touched for an hour).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SPILL_PREFIX = "execdash-import-"
UPLOAD_PREFIX = "execdash-upload-"
LEGACY_AGE_SECONDS = 3600

_OWNED = re.compile(rf"^(?:{SPILL_PREFIX}|{UPLOAD_PREFIX})(\d+)-")
log = logging.getLogger("execdash.ingest")


def owned_prefix(prefix: str) -> str:
    """The temporary-file prefix naming this process as the owner, e.g. execdash-import-123-."""
    return f"{prefix}{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _abandoned(entry: Path, now: float) -> bool:
    owner = _OWNED.match(entry.name)
    if owner is not None:
        return not _alive(int(owner.group(1)))
    try:
        return now - entry.stat().st_mtime > LEGACY_AGE_SECONDS
    except OSError:
        return False


@dataclass(frozen=True, slots=True)
class Swept:
    """What one sweep removed."""

    entries: int
    bytes: int


def _size(entry: Path) -> int:
    if entry.is_dir():
        return sum(p.stat().st_size for p in entry.rglob("*") if p.is_file())
    return entry.stat().st_size


def sweep(directory: Path | None = None) -> Swept:
    """Delete abandoned spill files and upload folders in `directory` (default: the temp dir)."""
    folder = Path(directory or tempfile.gettempdir())
    now = time.time()
    entries = removed = 0
    candidates = [*folder.glob(f"{SPILL_PREFIX}*.spill"), *folder.glob(f"{UPLOAD_PREFIX}*")]
    for entry in candidates:
        if not _abandoned(entry, now):
            continue
        try:
            size = _size(entry)
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError as exc:
            log.warning("could not remove the leftover %s: %s", entry, exc)
            continue
        entries += 1
        removed += size
    if entries:
        log.warning(
            "removed %d leftovers of killed imports (%d bytes) from %s", entries, removed, folder
        )
    return Swept(entries, removed)
