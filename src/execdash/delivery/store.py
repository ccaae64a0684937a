"""Channels and digest recipients: validated, stored, listed and removed (CLI and API alike)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from execdash.db.tables import (
    CHANNEL_KINDS,
    DIGEST_FREQUENCIES,
    DIGEST_ROLES,
    SEVERITIES,
    delivery_channels,
    digest_recipients,
)
from execdash.delivery import outbox, signing

C = delivery_channels
R = digest_recipients
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
RANGES = ("3m", "6m", "12m", "24m", "ytd")


class InvalidInput(ValueError):
    """A value that cannot be stored; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InvalidInput(field, f"{field} {value!r} is not one of {', '.join(allowed)}")
    return value


def email_list(field: str, value: str) -> list[str]:
    """Comma-separated email addresses, each checked."""
    addresses = [a.strip() for a in value.split(",") if a.strip()]
    if not addresses:
        raise InvalidInput(field, f"{field} holds no email address")
    for address in addresses:
        if not EMAIL.match(address):
            raise InvalidInput(field, f"{field}: {address!r} is not an email address")
    return addresses


def check_target(kind: str, target: str) -> str:
    """A channel's target in its kind's form: addresses for email, an http(s) URL otherwise."""
    if kind == "email":
        return ", ".join(email_list("target", target))
    parts = urlsplit(target.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("target", f"target {target!r} is not an http:// or https:// URL")
    return target.strip()


@dataclass(frozen=True, slots=True)
class NewChannel:
    """A channel as created; `secret` is shown once (webhooks only)."""

    id: int
    secret: str | None


def masked(target: str, kind: str) -> str:
    """What a listing shows of a target: email addresses in full, a URL up to its host (the
    path of a Slack webhook URL is its credential)."""
    if kind == "email":
        return target
    parts = urlsplit(target)
    return f"{parts.scheme}://{parts.netloc}/…" if parts.path not in ("", "/") else target


def add_channel(
    conn: sa.Connection, name: str, kind: str, target: str, min_severity: str = "low"
) -> NewChannel:
    """Store a channel; a generic webhook gets a new signing secret."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("name", "name must be 1 to 100 characters")
    _choice("kind", kind, CHANNEL_KINDS)
    _choice("min_severity", min_severity, SEVERITIES)
    clean = check_target(kind, target)
    if conn.execute(sa.select(C.c.id).where(C.c.name == name)).first():
        raise InvalidInput("name", f"a channel named {name!r} already exists")
    secret = signing.new_secret() if kind == "webhook" else None
    new_id = conn.execute(
        C.insert()
        .values(
            name=name,
            kind=kind,
            target=clean,
            secret=secret,
            min_severity=min_severity,
            enabled=True,
            created_at=outbox.utcnow(),
        )
        .returning(C.c.id)
    ).scalar_one()
    return NewChannel(int(new_id), secret)


def list_channels(conn: sa.Connection) -> list[dict[str, Any]]:
    """Every channel, targets masked, secrets never shown."""
    rows = conn.execute(sa.select(C).order_by(C.c.id))
    return [
        {
            "id": r.id,
            "name": r.name,
            "kind": r.kind,
            "target": masked(r.target, r.kind),
            "signed": bool(r.secret),
            "min_severity": r.min_severity,
            "enabled": bool(r.enabled),
            "created_at": r.created_at,
        }
        for r in rows
    ]


def find_channel(conn: sa.Connection, who: str | int) -> Any:
    """A channel row by id or name, or None."""
    text = str(who)
    condition = C.c.name == text
    if text.isdigit():
        condition = sa.or_(condition, C.c.id == int(text))
    return conn.execute(sa.select(C).where(condition).order_by(C.c.id)).first()


def set_channel(conn: sa.Connection, channel_id: int, **values: Any) -> None:
    """Change a channel's enabled flag, minimum severity or target."""
    row = conn.execute(sa.select(C).where(C.c.id == channel_id)).one()
    if "min_severity" in values:
        _choice("min_severity", values["min_severity"], SEVERITIES)
    if "target" in values:
        values["target"] = check_target(row.kind, values["target"])
    if values:
        conn.execute(C.update().where(C.c.id == channel_id).values(**values))


def remove_channel(conn: sa.Connection, channel_id: int) -> bool:
    """Delete a channel (its queued deliveries and their log go with it)."""
    return conn.execute(C.delete().where(C.c.id == channel_id)).rowcount == 1


def add_recipient(
    conn: sa.Connection,
    name: str,
    email: str,
    role: str = "ceo",
    frequency: str = "weekly",
    range_: str = "12m",
) -> int:
    """Store a digest recipient."""
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("name", "name must be 1 to 200 characters")
    (address,) = email_list("email", email)[:1]
    _choice("role", role, DIGEST_ROLES)
    _choice("frequency", frequency, DIGEST_FREQUENCIES)
    _choice("range", range_, RANGES)
    if conn.execute(sa.select(R.c.id).where(R.c.email == address)).first():
        raise InvalidInput("email", f"{address} already receives a digest")
    return int(
        conn.execute(
            R.insert()
            .values(
                name=name,
                email=address,
                role=role,
                frequency=frequency,
                range=range_,
                enabled=True,
                created_at=outbox.utcnow(),
            )
            .returning(R.c.id)
        ).scalar_one()
    )


def list_recipients(conn: sa.Connection) -> list[dict[str, Any]]:
    """Every digest recipient."""
    rows = conn.execute(sa.select(R).order_by(R.c.id))
    return [
        {
            "id": r.id,
            "name": r.name,
            "email": r.email,
            "role": r.role,
            "frequency": r.frequency,
            "range": r.range,
            "enabled": bool(r.enabled),
            "created_at": r.created_at,
        }
        for r in rows
    ]


def set_recipient(conn: sa.Connection, recipient_id: int, **values: Any) -> None:
    """Change a recipient's role, frequency, range or enabled flag."""
    for field, allowed in (
        ("role", DIGEST_ROLES),
        ("frequency", DIGEST_FREQUENCIES),
        ("range", RANGES),
    ):
        if field in values:
            _choice(field, values[field], allowed)
    if values:
        conn.execute(R.update().where(R.c.id == recipient_id).values(**values))


def remove_recipient(conn: sa.Connection, recipient_id: int) -> bool:
    """Delete a recipient (their queued digests go with them)."""
    return conn.execute(R.delete().where(R.c.id == recipient_id)).rowcount == 1
