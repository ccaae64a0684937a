"""The ten KPIs of the default window, kept as written by the last data change.

`record_data_change` already computes the default window's KPIs to rewrite the seed's
`executive_kpis` table; keeping the full answer (values, provenance, warnings, forecast) beside
it lets the first dashboard after an import skip the computation. The stored answer names its
window exactly, and is only ever written in the transaction that changed the data, so it can
never describe other data than a reader in a later transaction sees.
"""

from __future__ import annotations

import orjson
import sqlalchemy as sa
from pydantic import TypeAdapter

from execdash.db.tables import app_meta
from execdash.metrics.models import Kpi
from execdash.metrics.windows import Window

PREFIX = "kpis:"
_KPIS = TypeAdapter(list[Kpi])


def key(window: Window) -> str:
    """The app_meta key of one window's stored KPIs."""
    w = window
    return f"{PREFIX}{w.range_key}:{w.granularity}:{w.start_month}:{w.end_month}"


def store(conn: sa.Connection, window: Window, kpis: list[Kpi]) -> None:
    """Replace every stored KPI answer with this window's, in the caller's transaction."""
    conn.execute(app_meta.delete().where(app_meta.c.key.startswith(PREFIX, autoescape=True)))
    value = _KPIS.dump_json(kpis).decode()
    conn.execute(app_meta.insert().values(key=key(window), value=value))


def stored(conn: sa.Connection, window: Window) -> list[Kpi] | None:
    """The KPIs stored for exactly this window, or None when there are none."""
    text = conn.execute(
        sa.select(app_meta.c.value).where(app_meta.c.key == key(window))
    ).scalar_one_or_none()
    if text is None:
        return None
    kpis = _KPIS.validate_python(orjson.loads(text))
    # An answer stored by an older execdash lacks coverage: recompute rather than serve it.
    return None if any(k.coverage is None for k in kpis) else kpis
