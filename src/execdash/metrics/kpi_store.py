"""The ten KPIs of the default window, kept as written by the last data change.

`record_data_change` already computes the default window's KPIs to rewrite the seed's
`executive_kpis` table; keeping the full answer (values, provenance, warnings, forecast) beside
it lets the first dashboard after an import skip the computation. The stored answer names its
window exactly, and is only ever written in the transaction that changed the data, so it can
never describe other data than a reader in a later transaction sees; its key carries the
versions of the tables it was computed from, so a write by another program (seen by the triggers
of `db.triggers`) makes it unused until the next refresh.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson
import sqlalchemy as sa
from pydantic import TypeAdapter

from execdash.db import versions
from execdash.db.tables import app_meta
from execdash.metrics.models import Kpi
from execdash.metrics.windows import Window

PREFIX = "kpis:"
_KPIS = TypeAdapter(list[Kpi])


def key(window: Window, data: dict[str, int]) -> str:
    """The app_meta key of one window's KPIs computed from tables at versions `data` (the
    fiscal start and the comparison are part of it: they change the previous values)."""
    w = window
    stamp = ",".join(f"{name}={version}" for name, version in sorted(data.items()))
    shape = f"{w.range_key}:{w.granularity}:{w.start_month}:{w.end_month}"
    return f"{PREFIX}{shape}:fy{w.fiscal_start}:{w.comparison}@{stamp}"


def store(conn: sa.Connection, window: Window, kpis: list[Kpi], tables: Iterable[str]) -> None:
    """Replace every stored KPI answer with this window's, read from `tables` as they are now."""
    conn.execute(app_meta.delete().where(app_meta.c.key.startswith(PREFIX, autoescape=True)))
    value = _KPIS.dump_json(kpis).decode()
    conn.execute(app_meta.insert().values(key=key(window, versions.of(conn, tables)), value=value))


def stored(conn: sa.Connection, window: Window, tables: Iterable[str]) -> list[Kpi] | None:
    """The KPIs stored for exactly this window and the current versions of `tables`, or None
    (none stored, or another program wrote one of the tables since)."""
    text = conn.execute(
        sa.select(app_meta.c.value).where(app_meta.c.key == key(window, versions.of(conn, tables)))
    ).scalar_one_or_none()
    if text is None:
        return None
    kpis = _KPIS.validate_python(orjson.loads(text))
    # An answer stored by an older execdash lacks coverage: recompute rather than serve it.
    return None if any(k.coverage is None for k in kpis) else kpis
