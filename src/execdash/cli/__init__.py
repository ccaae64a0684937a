"""The `execdash` command line: one module per group of commands, assembled here."""

from __future__ import annotations

import typer

from execdash.cli import alerts, db, delivery, demo, ingest, plan, refresh, serve, summary, users

app = typer.Typer(
    name="execdash",
    help="Self-hosted executive dashboard. The database is named by EXECDASH_DATABASE_URL "
    "(default sqlite:///./execdash.db).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(alerts.app, name="alerts")
app.add_typer(users.users_app, name="users")
app.add_typer(users.tokens_app, name="tokens")
app.add_typer(delivery.digest_app, name="digest")
app.add_typer(delivery.recipients_app, name="recipients")
app.add_typer(delivery.channels_app, name="channels")
app.add_typer(plan.plan_app, name="plan")
app.command("serve")(serve.serve)
app.command("demo")(demo.demo)
app.command("refresh")(refresh.refresh)
app.command("summary")(summary.summary)
app.command("import")(ingest.import_)
app.command("export")(ingest.export)
app.command("backup")(ingest.backup)
app.command("imports")(ingest.imports)


def main() -> None:
    """Console-script entry point."""
    app()
