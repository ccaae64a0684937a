"""`execdash alerts evaluate` / `execdash alerts rules`: evaluate the alert rules now, list them."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from execdash.cli.context import load_settings, open_engine, upgrade_database

app = typer.Typer(help="Alert rules: evaluate them now, list them.", no_args_is_help=True)
out = Console()


@app.command("evaluate")
def evaluate() -> None:
    """Evaluate every enabled rule on the latest month (what the server does after each data
    change and on its schedule), raising, updating or resolving alerts."""
    from execdash.alerts.evaluate import evaluate as run
    from execdash.db.changes import lock_derived_tables
    from execdash.db.engine import begin_write

    engine = open_engine(load_settings())
    upgrade_database(engine)
    with begin_write(engine) as conn:
        lock_derived_tables(conn)
        outcomes = run(conn)
    table = Table("rule", "result", "month", "alert", title="alert rules evaluated")
    for o in outcomes:
        table.add_row(str(o.rule_id), o.action, o.period or "—", str(o.alert_id or "—"))
    out.print(table if outcomes else "No enabled alert rules.")
    engine.dispose()


@app.command("rules")
def rules() -> None:
    """List the alert rules and whether each is firing."""
    from execdash.alerts import describe, store
    from execdash.alerts.catalog import METRICS

    settings = load_settings()
    engine = open_engine(settings)
    upgrade_database(engine)
    with engine.connect() as conn:
        found = store.rules(conn)
        firing = store.open_firings(conn, [r.id for r in found])
    table = Table("id", "name", "rule", "severity", "state", title="alert rules")
    for r in found:
        metric = METRICS.get(r.spec.metric)
        words = describe.rule_sentence(metric, r.spec, settings.currency_symbol) if metric else ""
        state = "disabled" if not r.enabled else "firing" if r.id in firing else "quiet"
        table.add_row(str(r.id), r.name, words, r.severity, state)
    out.print(table if found else "No alert rules.")
    engine.dispose()
