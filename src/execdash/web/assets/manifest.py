"""Content-hashed names for the static files, with ES module imports rewritten to those names.

`js/app.js` is served as `js/app.<hash>.js`, where the hash covers the file and every file it
imports (directly or not), so a changed module gives it and each module importing it a new URL
while untouched files keep theirs. Import specifiers that name a static file (`"./dom.js"`,
`"../api.js"`, `import("/static/vendor/echarts.js")`) are rewritten to the hashed names, so the
browser never asks for an unhashed module and no import map (an inline script) is needed.
"""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
import re
import threading
import time
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

PREFIX = "/static/"
HASH_CHARS = 12
_SPECIFIER = re.compile(rb"""(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])([^"'\s]+?\.m?js)\2""")
_MEDIA_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css"}


@dataclass(frozen=True)
class Asset:
    """One static file as served: its bytes (imports rewritten), content hash and media type."""

    path: str
    body: bytes
    fingerprint: str
    media_type: str

    @property
    def hashed_path(self) -> str:
        """`js/app.js` -> `js/app.<hash>.js` (the hash goes before the last extension)."""
        folder, name = posixpath.split(self.path)
        stem, dot, ext = name.rpartition(".")
        if not (dot and stem):
            return posixpath.join(folder, f"{name}.{self.fingerprint}")
        return posixpath.join(folder, f"{stem}.{self.fingerprint}.{ext}")

    @property
    def url(self) -> str:
        """The immutable URL pages use, e.g. `/static/js/app.<hash>.js`."""
        return PREFIX + self.hashed_path


@dataclass(frozen=True)
class Manifest:
    """Every static file by its plain and its hashed path (the latter cacheable for ever)."""

    assets: dict[str, Asset]
    hashed: dict[str, Asset]
    static_imports: dict[str, frozenset[str]]

    def url(self, path: str) -> str:
        """The hashed URL of `path` (relative to static/); an unknown file is a KeyError."""
        try:
            return self.assets[path.lstrip("/")].url
        except KeyError:
            raise KeyError(f"no static file {path!r} under src/execdash/web/static") from None

    def preloads(self, entries: list[str]) -> list[str]:
        """Hashed URLs of `entries` and every module they import statically (not `import()`)."""
        missing = [path for path in entries if path not in self.assets]
        if missing:
            raise KeyError(f"no static file {missing[0]!r} under src/execdash/web/static")
        seen = set(entries)
        for path in entries:
            seen.update(_closure(path, self.static_imports))
        return [self.assets[path].url for path in sorted(seen)]

    def lookup(self, path: str) -> tuple[Asset, bool] | None:
        """The asset served at `path` and whether that name is immutable (hashed), or None."""
        if path in self.hashed:
            return self.hashed[path], True
        if path in self.assets:
            return self.assets[path], False
        return None


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
        if path.is_file() and not hidden:
            yield path


def _target(importer: str, specifier: str, known: dict[str, bytes]) -> str | None:
    """The static path an import specifier names, or None when it names no static file."""
    if specifier.startswith(PREFIX):
        path = specifier[len(PREFIX) :]
    elif specifier.startswith(("./", "../")):
        path = posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
    else:
        return None
    return path if path in known else None


def _imports(path: str, raw: dict[str, bytes], *, dynamic: bool = True) -> set[str]:
    if not path.endswith((".js", ".mjs")):
        return set()
    found = (
        _target(path, m.group(3).decode(), raw)
        for m in _SPECIFIER.finditer(raw[path])
        if dynamic or b"(" not in m.group(1)
    )
    return {p for p in found if p is not None}


def _closure(start: str, edges: Mapping[str, AbstractSet[str]]) -> list[str]:
    seen = {start}
    todo = [start]
    while todo:
        for nxt in edges[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return sorted(seen)


def _fingerprint(paths: list[str], raw: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.encode() + b"\0" + raw[path] + b"\0")
    return digest.hexdigest()[:HASH_CHARS]


def _media_type(path: str) -> str:
    suffix = posixpath.splitext(path)[1]
    return _MEDIA_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def build_manifest(root: Path) -> Manifest:
    """Read every file under `root`, hash it with what it imports, rewrite its imports."""
    raw = {p.relative_to(root).as_posix(): p.read_bytes() for p in _files(root)}
    edges = {path: _imports(path, raw) for path in raw}
    prints = {path: _fingerprint(_closure(path, edges), raw) for path in raw}
    assets: dict[str, Asset] = {}
    for path, body in raw.items():
        if edges[path]:
            body = _rewrite(path, body, raw, prints)
        assets[path] = Asset(path, body, prints[path], _media_type(path))
    static = {path: frozenset(_imports(path, raw, dynamic=False)) for path in raw}
    return Manifest(assets, {a.hashed_path: a for a in assets.values()}, static)


def _rewrite(path: str, body: bytes, raw: dict[str, bytes], prints: dict[str, str]) -> bytes:
    def hashed(match: re.Match[bytes]) -> bytes:
        specifier = match.group(3).decode()
        target = _target(path, specifier, raw)
        if target is None:
            return match.group(0)
        stub = Asset(target, b"", prints[target], "")
        if specifier.startswith(PREFIX):
            new = stub.url
        else:
            new = specifier[: len(specifier) - len(posixpath.basename(specifier))]
            new += posixpath.basename(stub.hashed_path)
        return match.group(1) + match.group(2) + new.encode() + match.group(2)

    return _SPECIFIER.sub(hashed, body)


class Assets:
    """The manifest of a static folder, rebuilt when a file there changes (checked every second)."""

    def __init__(self, root: Path, check_every: float = 1.0) -> None:
        self.root = root
        self.check_every = check_every
        self._lock = threading.Lock()
        self._checked = float("-inf")
        self._signature: tuple[tuple[str, int, int], ...] = ()
        self._manifest: Manifest | None = None

    def _current_signature(self) -> tuple[tuple[str, int, int], ...]:
        stats = ((p, p.stat()) for p in _files(self.root))
        return tuple((str(p), s.st_mtime_ns, s.st_size) for p, s in stats)

    def manifest(self) -> Manifest:
        """The manifest for the files as they are now (at most `check_every` seconds stale)."""
        with self._lock:
            now = time.monotonic()
            if self._manifest is None or now - self._checked >= self.check_every:
                self._checked = now
                signature = self._current_signature()
                if self._manifest is None or signature != self._signature:
                    self._manifest = build_manifest(self.root)
                    self._signature = signature
            return self._manifest

    def url(self, path: str) -> str:
        """The hashed URL of `path`: what templates put in `src` and `href` (`asset()` in Jinja)."""
        return self.manifest().url(path)

    def preloads(self, entries: list[str]) -> list[str]:
        """Hashed URLs of `entries` and all they import statically (`preloads()` in Jinja)."""
        return self.manifest().preloads(entries)
