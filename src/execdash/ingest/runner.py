"""Run one import: resolve files, validate all (pass one), then load all in one transaction."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import rollups, schema, triggers
from execdash.db.changes import record_data_change
from execdash.db.engine import begin_write
from execdash.db.tables import import_log
from execdash.ingest import load as loader
from execdash.ingest.columns import table_spec
from execdash.ingest.dbkeys import existing_keys
from execdash.ingest.gcpause import paused_gc
from execdash.ingest.keys import KeyLookup, KeyUnion, PlainKeys
from execdash.ingest.leftovers import sweep
from execdash.ingest.readers import ReadError, open_table
from execdash.ingest.report import FileReport, ImportReport
from execdash.ingest.sources import Source, checksum, resolve
from execdash.ingest.validate import Batch, resolve_header, validate

MODES = ("append", "upsert", "replace")
log = logging.getLogger("execdash.ingest")
Progress = Callable[[str, int, int], None]
"""Called with (file name, bytes done, bytes total) while files are read and loaded."""


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """`--map old=new` pairs, split at the last `=`, keyed by lower-cased old header."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        old, sep, new = pair.rpartition("=")
        if not sep or not old.strip() or not new.strip():
            raise ValueError(f"--map {pair!r} is not of the form old=new")
        mapping[old.strip().lower()] = new.strip().lower()
    return mapping


def run_import(
    engine: Engine,
    paths: list[Path],
    *,
    mode: str = "append",
    dry_run: bool = False,
    table: str | None = None,
    mapping: dict[str, str] | None = None,
    user: str | None = None,
    progress: Progress | None = None,
    names: dict[Path, str] | None = None,
) -> ImportReport:
    """Import `paths` all-or-nothing; the report says what happened (nothing written if not ok)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    sweep()  # spill files and uploads of imports killed earlier
    report = ImportReport(mode=mode, dry_run=dry_run)
    sources = resolve(paths, table, report)
    if names:
        sources = [Source(s.path, names.get(s.path, s.name), s.table, s.fmt) for s in sources]
    if not report.ok:
        return report
    batches: list[Batch] = []
    try:
        with paused_gc():
            with engine.connect() as conn:
                _check_all(conn, sources, mode, mapping or {}, report, batches, progress, dry_run)
                if report.ok:
                    _check_replace_orphans(conn, batches, mode, report)
                conn.rollback()
            if report.ok and not dry_run:
                _write(engine, batches, mode, report, user, progress)
    finally:
        for batch in batches:
            batch.rows.close()
    return report


def _check_all(
    conn: sa.Connection,
    sources: list[Source],
    mode: str,
    mapping: dict[str, str],
    report: ImportReport,
    batches: list[Batch],
    progress: Progress | None,
    dry_run: bool,
) -> None:
    """Pass one over every file, parents first, so children's foreign keys see new parents."""
    replaced = {s.table for s in sources} if mode == "replace" else set()
    db_keys: dict[str, KeyLookup] = {}

    def keys_in_db(name: str) -> KeyLookup:
        if name not in db_keys:
            db_keys[name] = existing_keys(conn, table_spec(name))
        return db_keys[name]

    for source in sources:
        spec = table_spec(source.table)
        file_report = FileReport(source.name, source.table, checksum=checksum(source.path))
        report.files.append(file_report)
        parents: dict[str, KeyLookup] = {}
        for _col, parent, _pcol in spec.foreign_keys:
            new = [b.keys for b in batches if b.spec.name == parent]
            parents[parent] = KeyUnion(new if parent in replaced else [keys_in_db(parent), *new])
        existing: KeyLookup = PlainKeys()
        if mode == "append":
            existing = keys_in_db(spec.name)
        try:
            opened = open_table(source.path, source.fmt)
        except ReadError as exc:
            report.problem(source.name, str(exc), row=exc.row)
            continue
        except UnicodeDecodeError as exc:
            report.problem(source.name, f"not UTF-8 text: {exc.reason}")
            continue
        try:
            names = resolve_header(source, opened.header, mapping, mode, report)
            if names is None:
                continue
            size = source.path.stat().st_size
            tick = None
            if progress is not None:
                tick = lambda s=source, o=opened, n=size: progress(s.name, o.progress(), 2 * n)  # noqa: E731
            batch = validate(
                source,
                names,
                opened.chunks,
                parents=parents,
                existing=existing,
                report=report,
                file_report=file_report,
                tick=tick,
                keep=not dry_run,
            )
            batches.append(batch)
            if mode == "append" and spec.name in db_keys:
                db_keys[spec.name] = KeyUnion([db_keys[spec.name], batch.keys])  # a second file
        finally:
            opened.close()


def _check_replace_orphans(
    conn: sa.Connection, batches: list[Batch], mode: str, report: ImportReport
) -> None:
    """Replacing a parent must not silently detach rows of a child table that stays."""
    if mode != "replace":
        return
    replaced = {b.spec.name for b in batches}
    for child in schema.metadata.sorted_tables:
        if child.name in replaced:
            continue
        for fk in child.foreign_keys:
            parent = fk.column.table.name
            if parent not in replaced:
                continue
            keys = KeyUnion(b.keys for b in batches if b.spec.name == parent)
            refs = conn.execute(
                sa.select(fk.parent).where(fk.parent.is_not(None)).distinct()
            ).scalars()
            lost = sorted(v for v in refs if v not in keys)
            if lost:
                report.problem(
                    next(b.source.name for b in batches if b.spec.name == parent),
                    f"replacing {parent} would detach {child.name} rows whose {fk.parent.name} "
                    f"is not in the file ({', '.join(map(str, lost[:10]))}"
                    f"{', ...' if len(lost) > 10 else ''}); replace {child.name} too",
                    column=fk.column.name,
                )


def _write(
    engine: Engine,
    batches: list[Batch],
    mode: str,
    report: ImportReport,
    user: str | None,
    progress: Progress | None,
) -> None:
    """Pass two: one transaction for every file, the import log and the data-version bump."""
    tables = [b.spec.name for b in batches]
    try:
        # IMMEDIATE: waits for the server's write, never fails; no row triggers during the load
        with begin_write(engine) as conn, triggers.suspended(conn, tables):
            if conn.dialect.name == "postgresql":
                # The server's 30 s statement cap is for requests; an uploaded import loads more.
                conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
            marks = rollups.append_marks(conn, tables) if mode == "append" else {}
            if mode == "replace":
                for name in sorted(set(tables), key=tables.index, reverse=True):
                    loader.delete_all(conn, name)
            for batch in batches:
                size = batch.source.path.stat().st_size
                rows = max(batch.file.rows, 1)
                tick = None
                if progress is not None:
                    tick = lambda done, b=batch, n=size, r=rows: progress(  # noqa: E731
                        b.source.name, n + n * done // r, 2 * n
                    )
                with loader.deferred_indexes(conn, batch.spec.name, batch.file.rows):
                    loader.load(conn, batch, "append" if mode == "replace" else mode, tick)
                loader.advance_sequence(conn, batch.spec)
            document = json.dumps(report.as_dict())
            for batch in batches:
                conn.execute(
                    import_log.insert().values(
                        table_name=batch.spec.name,
                        rows=batch.file.rows,
                        mode=mode,
                        source=batch.source.name,
                        checksum=batch.file.checksum,
                        username=user,
                        report=document,
                    )
                )
            loaded = {t: sum(b.file.rows for b in batches if b.spec.name == t) for t in tables}
            hints = rollups.appended(conn, marks, loaded)  # rollups then add just the new rows
            record_data_change(conn, sorted(set(tables)), hints)
    except (sa.exc.DBAPIError, engine.dialect.loaded_dbapi.Error) as exc:
        detail = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
        report.problem(
            ", ".join(b.source.name for b in batches),
            f"the database refused the rows, nothing was written: {detail}",
        )
    except Exception as exc:  # e.g. the derived-table refresh failed: still all-or-nothing
        log.exception("import rolled back")
        report.problem(
            ", ".join(b.source.name for b in batches),
            f"the import failed and was rolled back, nothing was written: {exc!r}",
        )
