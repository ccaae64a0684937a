"""`execdash digest …`, `execdash recipients …`, `execdash channels …`: the executive digest and
where alerts are delivered (docs/delivery.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from execdash.cli.context import fail, load_settings, open_engine, upgrade_database

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from execdash.delivery.settings import DeliverySettings

digest_app = typer.Typer(help="Preview and send the executive digest.", no_args_is_help=True)
recipients_app = typer.Typer(help="Who gets the digest, how often.", no_args_is_help=True)
channels_app = typer.Typer(help="Where alerts are delivered.", no_args_is_help=True)
out = Console(soft_wrap=True, highlight=False)


def _engine() -> Engine:
    engine = open_engine(load_settings())
    upgrade_database(engine)
    return engine


def _delivery_settings() -> DeliverySettings:
    from execdash.config import SettingsError
    from execdash.delivery.settings import DeliverySettings

    try:
        return DeliverySettings.from_env()
    except SettingsError as exc:
        fail(str(exc))


@digest_app.command("preview")
def preview(
    to: str | None = typer.Option(None, "--to", help="A stored recipient (id, email or name)."),
    role: str = typer.Option("ceo", help="Without --to: ceo, cfo, coo, cro or board."),
    frequency: str = typer.Option("weekly", help="Without --to: weekly or monthly."),
    range_: str = typer.Option("12m", "--range", help="Without --to: 3m, 6m, 12m, 24m or ytd."),
    as_of: str | None = typer.Option(None, "--as-of", help="End month YYYY-MM (default latest)."),
    output: str = typer.Option("digest.html", "--output", "-o", help="HTML file to write."),
) -> None:
    """Write the digest as one HTML file (charts embedded) to look at in a browser."""
    from execdash.db.tables import DIGEST_FREQUENCIES, DIGEST_ROLES
    from execdash.delivery import digests, render
    from execdash.delivery.store import RANGES

    settings = load_settings()
    delivery = _delivery_settings()
    engine = _engine()
    with engine.connect() as conn:
        try:
            if to is not None:
                who = digests.recipient(conn, to)
            else:
                for flag, value, allowed in (
                    ("--role", role, DIGEST_ROLES),
                    ("--frequency", frequency, DIGEST_FREQUENCIES),
                    ("--range", range_, RANGES),
                ):
                    if value not in allowed:
                        fail(f"{flag} {value!r} is not one of {', '.join(allowed)}", 2)
                who = digests.Recipient(
                    None, "preview", "preview@localhost", role, frequency, range_
                )
            digest = digests.build(
                conn,
                who,
                symbol=settings.currency_symbol,
                public_url=delivery.public_url,
                as_of=as_of,
                hour=delivery.digest_hour,
            )
        except digests.DigestError as exc:
            fail(str(exc))
    engine.dispose()
    page = render.html(digest, render.chart_images(digest), inline=True)
    try:
        Path(output).write_text(page, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    out.print(f"wrote {output} ({render.subject(digest)})")


@digest_app.command("send")
def send(
    to: str | None = typer.Option(
        None, "--to", help="Send this recipient's digest now (id, email or name)."
    ),
    again: bool = typer.Option(
        False, "--again", help="With --to: send even if this period's digest was already sent."
    ),
) -> None:
    """Send one recipient's digest now, or (without --to) every digest that is due."""
    from execdash.delivery import digests, worker

    settings = load_settings()
    delivery = _delivery_settings()
    engine = _engine()
    if to is not None:
        with engine.connect() as conn:
            try:
                who = digests.recipient(conn, to)
            except digests.DigestError as exc:
                fail(str(exc))
        queued = digests.queue_now(engine, who, delivery.digest_hour, force=again)
        if queued is None:
            fail(f"{who.email} already has this period's digest (use --again to send another)")
        ids = [queued]
    else:
        ids = digests.queue_due(engine, delivery.digest_hour)
        if not ids:
            out.print("no digest is due")
            return
    failed = False
    for delivery_id in ids:
        result = worker.deliver(engine, settings, delivery, only=delivery_id)
        if result is None:  # another process claimed it first: it sends it
            out.print(f"delivery {delivery_id}: being sent by another process")
            continue
        out.print(f"delivery {result.id}: {result.outcome} — {result.detail}")
        failed = failed or result.outcome != "sent"
    engine.dispose()
    if failed:
        raise typer.Exit(1)


@recipients_app.command("add")
def add_recipient(
    name: str = typer.Argument(..., help="Who, e.g. 'Dana Smith'."),
    email: str = typer.Argument(..., help="Their email address."),
    role: str = typer.Option("ceo", help="ceo, cfo, coo, cro or board: what comes first."),
    frequency: str = typer.Option("weekly", help="weekly or monthly."),
    range_: str = typer.Option("12m", "--range", help="3m, 6m, 12m, 24m or ytd."),
) -> None:
    """Add a digest recipient."""
    from execdash.db.engine import begin_write
    from execdash.delivery import store

    engine = _engine()
    try:
        with begin_write(engine) as conn:
            new_id = store.add_recipient(conn, name, email, role, frequency, range_)
    except store.InvalidInput as exc:
        fail(f"--{exc.field.replace('_', '-')}: {exc}" if exc.field != "email" else str(exc))
    out.print(f"recipient {new_id} added: {name} <{email}>, {frequency}, {role}")


@recipients_app.command("list")
def list_recipients() -> None:
    """List the digest recipients."""
    from execdash.delivery import store

    engine = _engine()
    with engine.connect() as conn:
        rows = store.list_recipients(conn)
    table = Table("id", "name", "email", "role", "frequency", "range", "enabled")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["name"],
            r["email"],
            r["role"],
            r["frequency"],
            r["range"],
            "yes" if r["enabled"] else "no",
        )
    out.print(table)


@recipients_app.command("remove")
def remove_recipient(who: str = typer.Argument(..., help="Id, email or name.")) -> None:
    """Remove a digest recipient."""
    from execdash.db.engine import begin_write
    from execdash.delivery import digests, store

    engine = _engine()
    with begin_write(engine) as conn:
        try:
            found = digests.recipient(conn, who)
        except digests.DigestError as exc:
            fail(str(exc))
        assert found.id is not None
        store.remove_recipient(conn, found.id)
    out.print(f"recipient {found.email} removed")


@channels_app.command("add")
def add_channel(
    name: str = typer.Argument(..., help="A name, e.g. ops-slack."),
    kind: str = typer.Option(..., help="email, slack or webhook (signed JSON)."),
    target: str = typer.Option(..., help="Email addresses (comma-separated) or the URL."),
    min_severity: str = typer.Option("low", help="low, medium or high: alerts below it skip."),
) -> None:
    """Add a channel; a webhook's signing secret is shown once."""
    from execdash.db.engine import begin_write
    from execdash.delivery import store

    engine = _engine()
    try:
        with begin_write(engine) as conn:
            made = store.add_channel(conn, name, kind, target, min_severity)
    except store.InvalidInput as exc:
        fail(f"--{exc.field.replace('_', '-')}: {exc}" if exc.field != "name" else str(exc))
    out.print(f"channel {made.id} added: {name} ({kind})")
    if made.secret:
        out.print(f"signing secret (shown once; HMAC-SHA256 key of the signature): {made.secret}")


@channels_app.command("list")
def list_channels() -> None:
    """List the channels (webhook URLs shortened: their path is a credential)."""
    from execdash.delivery import store

    engine = _engine()
    with engine.connect() as conn:
        rows = store.list_channels(conn)
    table = Table("id", "name", "kind", "target", "min severity", "enabled")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["name"],
            r["kind"],
            r["target"],
            r["min_severity"],
            "yes" if r["enabled"] else "no",
        )
    out.print(table)


@channels_app.command("remove")
def remove_channel(who: str = typer.Argument(..., help="Id or name.")) -> None:
    """Remove a channel and its queued deliveries."""
    from execdash.db.engine import begin_write
    from execdash.delivery import store

    engine = _engine()
    with begin_write(engine) as conn:
        row = store.find_channel(conn, who)
        if row is None:
            fail(f"no channel {who!r} (see `execdash channels list`)")
        store.remove_channel(conn, row.id)
    out.print(f"channel {row.name} removed")


@channels_app.command("test")
def send_test_message(who: str = typer.Argument(..., help="Id or name.")) -> None:
    """Send a test message to a channel now and say what happened."""
    from execdash.delivery import testsend as test_send

    settings = load_settings()
    delivery = _delivery_settings()
    engine = _engine()
    try:
        result = test_send.send_test(engine, settings, delivery, who, "execdash channels test")
    except LookupError as exc:
        fail(str(exc))
    out.print(f"delivery {result.id}: {result.outcome} — {result.detail}")
    if result.outcome != "sent":
        raise typer.Exit(1)
