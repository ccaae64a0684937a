"""Plans in the database: list, read, create a version, activate one, set one target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from execdash.db.changes import record_data_change
from execdash.db.tables import plan_targets, plans
from execdash.memo import kept
from execdash.plans.compare import PlanRef
from execdash.plans.models import PlanInfo, PlanTarget

TABLES = (plans.name, plan_targets.name)
"""The tables a plan lives in (what readers of plans declare, and writers bump)."""

Row = tuple[str, str, str, str, float]
"""(kpi, month, segment_kind, segment, target)."""

P, T = plans, plan_targets


def _info(row: sa.Row[tuple[object, ...]]) -> PlanInfo:
    m = row._mapping
    kpis = str(m["kpis"] or "")
    return PlanInfo(
        id=int(m["id"]),
        name=str(m["name"]),
        version=int(m["version"]),
        active=bool(m["active"]),
        source=m["source"],
        created_by=m["created_by"],
        created_at=m["created_at"],
        targets=int(m["targets"] or 0),
        first_month=m["first_month"],
        last_month=m["last_month"],
        kpis=sorted(set(kpis.split(","))) if kpis else [],
    )


def _info_query() -> sa.Select[tuple[object, ...]]:
    stats = (
        sa.select(
            T.c.plan_id,
            sa.func.count().label("targets"),
            sa.func.min(T.c.month).label("first_month"),
            sa.func.max(T.c.month).label("last_month"),
        )
        .group_by(T.c.plan_id)
        .subquery()
    )
    kpis = sa.select(T.c.plan_id, T.c.kpi).distinct().subquery()
    names = (
        sa.select(kpis.c.plan_id, sa.func.aggregate_strings(kpis.c.kpi, ",").label("kpis"))
        .group_by(kpis.c.plan_id)
        .subquery()
    )
    return (
        sa.select(P, stats.c.targets, stats.c.first_month, stats.c.last_month, names.c.kpis)
        .select_from(
            P.outerjoin(stats, stats.c.plan_id == P.c.id).outerjoin(
                names, names.c.plan_id == P.c.id
            )
        )
        .order_by(P.c.name, P.c.version.desc())
    )


def list_plans(conn: sa.Connection) -> list[PlanInfo]:
    """Every plan version, by name then newest version first."""
    return [_info(r) for r in conn.execute(_info_query())]


def get_plan(conn: sa.Connection, plan_id: int) -> PlanInfo | None:
    """One plan version, or None."""
    row = conn.execute(_info_query().where(P.c.id == plan_id)).first()
    return _info(row) if row is not None else None


def active_plan(conn: sa.Connection) -> PlanRef | None:
    """The active plan version, or None when no plan is active."""
    row = conn.execute(_active_query()).first()
    return PlanRef(int(row.id), str(row.name), int(row.version)) if row is not None else None


@kept(1)
def _active_query() -> sa.Select[int, str, int]:
    """The select of `active_plan`, built once (every answer with a plan comparison runs it)."""
    return sa.select(P.c.id, P.c.name, P.c.version).where(P.c.active.is_(True)).limit(1)


def find_plan(conn: sa.Connection, name: str, version: int | None = None) -> PlanRef | None:
    """The plan called `name` (its newest version unless `version`), or None."""
    query = sa.select(P.c.id, P.c.name, P.c.version).where(P.c.name == name)
    if version is not None:
        query = query.where(P.c.version == version)
    row = conn.execute(query.order_by(P.c.version.desc()).limit(1)).first()
    return PlanRef(int(row.id), str(row.name), int(row.version)) if row is not None else None


def rows_of(conn: sa.Connection, plan_id: int) -> list[Row]:
    """Every target of a plan as (kpi, month, segment_kind, segment, target)."""
    query = (
        sa.select(T.c.kpi, T.c.month, T.c.segment_kind, T.c.segment, T.c.target)
        .where(T.c.plan_id == plan_id)
        .order_by(T.c.kpi, T.c.month, T.c.segment_kind, T.c.segment)
    )
    return [
        (str(k), str(m), str(sk or ""), str(s or ""), float(v))
        for k, m, sk, s, v in conn.execute(query)
    ]


def targets_of(conn: sa.Connection, plan_id: int) -> list[PlanTarget]:
    """Every target of a plan, with who set it and when."""
    query = sa.select(T).where(T.c.plan_id == plan_id).order_by(T.c.kpi, T.c.month, T.c.segment)
    return [
        PlanTarget(
            kpi=r.kpi,
            month=r.month,
            segment_kind=r.segment_kind or "",
            segment=r.segment or "",
            target=float(r.target),
            updated_by=r.updated_by,
            updated_at=r.updated_at,
        )
        for r in conn.execute(query)
    ]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def create_plan(
    conn: sa.Connection,
    name: str,
    rows: Sequence[Row],
    *,
    source: str | None = None,
    user: str | None = None,
    activate: bool = False,
) -> PlanRef:
    """A new version of plan `name` holding `rows` (version 1 for a new name), in the caller's
    transaction; `activate` makes it the active plan."""
    current = conn.execute(sa.select(sa.func.max(P.c.version)).where(P.c.name == name)).scalar()
    version = int(current or 0) + 1
    now = _now()
    new_id = conn.execute(
        P.insert().values(
            name=name, version=version, active=False, source=source, created_by=user, created_at=now
        )
    ).inserted_primary_key
    assert new_id is not None
    plan_id = int(new_id[0])
    if rows:
        conn.execute(
            T.insert(),
            [
                {
                    "plan_id": plan_id,
                    "kpi": kpi,
                    "month": month,
                    "segment_kind": segment_kind,
                    "segment": segment,
                    "target": target,
                    "updated_by": user,
                    "updated_at": now,
                }
                for kpi, month, segment_kind, segment, target in rows
            ],
        )
    if activate:
        _set_active(conn, plan_id)
    record_data_change(conn, TABLES)
    return PlanRef(plan_id, name, version)


def _set_active(conn: sa.Connection, plan_id: int) -> None:
    conn.execute(P.update().where(P.c.active.is_(True)).values(active=False))
    conn.execute(P.update().where(P.c.id == plan_id).values(active=True))


def activate(conn: sa.Connection, plan_id: int) -> bool:
    """Make plan version `plan_id` the active one; False when there is no such plan."""
    if conn.execute(sa.select(P.c.id).where(P.c.id == plan_id)).first() is None:
        return False
    _set_active(conn, plan_id)
    record_data_change(conn, TABLES)
    return True


def set_target(
    conn: sa.Connection,
    plan_id: int,
    row: tuple[str, str, str, str, float | None],
    user: str | None,
) -> None:
    """Set (or with a None target remove) one target of a plan, in the caller's transaction."""
    kpi, month, segment_kind, segment, target = row
    key = (
        T.c.plan_id == plan_id,
        T.c.kpi == kpi,
        T.c.month == month,
        T.c.segment_kind == segment_kind,
        T.c.segment == segment,
    )
    if target is None:
        conn.execute(T.delete().where(*key))
    else:
        values = {"target": target, "updated_by": user, "updated_at": _now()}
        if conn.execute(T.update().where(*key).values(**values)).rowcount == 0:
            conn.execute(
                T.insert().values(
                    plan_id=plan_id,
                    kpi=kpi,
                    month=month,
                    segment_kind=segment_kind,
                    segment=segment,
                    **values,
                )
            )
    record_data_change(conn, TABLES)
