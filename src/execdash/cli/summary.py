"""`execdash summary`: the written summary of a window, or the answer to one question."""

from __future__ import annotations

import typer
from rich.console import Console

from execdash.cli.context import fail, load_settings, open_engine

out = Console(soft_wrap=True, highlight=False)


def summary(
    range_: str = typer.Option("12m", "--range", help="3m, 6m, 12m, 24m or ytd."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="End month YYYY-MM; default: the latest month with revenue data."
    ),
    compare: str = typer.Option(
        "previous",
        "--compare",
        help="What changes are measured against: previous (period), last_year or plan (the "
        "active plan).",
    ),
    ask: str | None = typer.Option(
        None, "--ask", help="Answer one question (e.g. 'why did revenue move?') instead."
    ),
) -> None:
    """Say what moved, by how much, why, and what to act on (the overview's summary)."""
    from execdash.api.routes.insights import gather
    from execdash.db import migrate
    from execdash.insights import ask as questions
    from execdash.insights.summary import summarise
    from execdash.metrics.comparisons import comparison
    from execdash.metrics.queries import latest_month
    from execdash.metrics.windows import WindowError, resolve_window
    from execdash.plans.store import active_plan

    settings = load_settings()
    engine = open_engine(settings)
    if migrate.current_revision(engine) != migrate.head_revision(engine):
        fail("the database is not at the current schema; run `execdash db upgrade` first")
    with engine.connect() as conn:
        try:
            window = resolve_window(
                range_,
                "month",
                as_of,
                latest_month(conn),
                fiscal_start=settings.fiscal_year_start,
                compare=compare,
            )
        except WindowError as exc:
            flag = {"range": "--range", "as_of": "--as-of", "compare": "--compare"}.get(
                exc.field, exc.field
            )
            fail(f"{flag} {exc.value!r} is not valid; expected {exc.expected}", 2)
        if compare == "plan" and active_plan(conn) is None:
            fail(
                "--compare plan needs an active plan and none is active; activate one with "
                "`execdash plan activate`, or compare with previous or last_year",
                2,
            )
        inputs = gather(conn, window, settings.currency_symbol)
    engine.dispose()
    written = summarise(inputs)
    first, last = window.month_keys[0], window.as_of
    if ask is not None:
        reply = questions.answer(ask, written, inputs.drivers, settings.currency_symbol)
        out.print(reply.summary)
        for title, lines in (("Drivers", reply.highlights), ("Watch", reply.cautions),
                             ("Act on", reply.actions)):  # fmt: skip
            if lines:
                out.print(f"\n[bold]{title}[/]")
                for line in lines:
                    out.print(f"- {line}")
        return
    prev = window.previous()
    against = (
        f"the {window.length} months before"
        if window.comparison == "previous"
        else "the active plan"
        if window.comparison == "plan"
        else f"the {comparison(window.comparison).against}, {prev.month_keys[0]} … {prev.as_of}"
    )
    out.print(f"[bold]{first} … {last}[/] compared with {against}\n")
    for statement in written.statements:
        out.print(f"- {statement.text}")
    if written.actions:
        out.print("\n[bold]Act on[/]")
        for i, action in enumerate(written.actions, 1):
            out.print(f"{i}. {action}")
