"""`execdash serve`: run the API and the web page with uvicorn."""

from __future__ import annotations

import typer

from execdash.cli.context import load_settings, open_engine, upgrade_database


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port."),
    workers: int = typer.Option(
        1, min=1, max=64, help="Worker processes, each with its own cache (docs/performance.md)."
    ),
    header_timeout: float | None = typer.Option(
        None,
        min=0.1,
        max=3600,
        help="Seconds a client has to send a whole request header "
        "[default: EXECDASH_HEADER_TIMEOUT or 10].",
    ),
    body_timeout: float | None = typer.Option(
        None,
        min=0.1,
        max=3600,
        help="Seconds a request body may pause, averaging 1 KiB/s after that "
        "[default: EXECDASH_BODY_TIMEOUT or 30].",
    ),
    schedule: bool = typer.Option(
        True,
        "--schedule/--no-schedule",
        help="Run the background jobs: digests, alert and webhook deliveries (docs/delivery.md).",
    ),
) -> None:
    """Serve the dashboard and its API for EXECDASH_DATABASE_URL."""
    # Imported here: the web stack is a second of start-up every other command need not pay.
    import os

    import uvicorn

    from execdash.api import create_app
    from execdash.api.guard import deadlines
    from execdash.ingest.leftovers import sweep
    from execdash.scheduler import ENABLE_VARIABLE

    settings = load_settings()
    if schedule:  # the background jobs read these; a bad one is named now, not in a worker
        from execdash.config import SettingsError
        from execdash.delivery.settings import DeliverySettings

        try:
            DeliverySettings.from_env()
        except SettingsError as exc:
            raise typer.BadParameter(str(exc)) from None
    # Read by the protocol in this process and in every worker process started below.
    if header_timeout is not None:
        os.environ[deadlines.HEADER_TIMEOUT_VARIABLE] = str(header_timeout)
    if body_timeout is not None:
        os.environ[deadlines.BODY_TIMEOUT_VARIABLE] = str(body_timeout)
    try:
        deadlines.timeouts()
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    os.environ[ENABLE_VARIABLE] = "true" if schedule else "false"  # read by every worker
    sweep()  # spill files and uploads of imports killed earlier
    engine = open_engine(settings)
    upgrade_database(engine)
    engine.dispose()
    if workers == 1:
        uvicorn.run(
            create_app(settings, scheduler=schedule, serving=True),
            host=host,
            port=port,
            log_level="info",
            http=deadlines.PROTOCOL,
        )
        return
    # Several processes: each builds its app from the environment (already checked above).
    uvicorn.run(
        "execdash.api.factory:app_from_env",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
        http=deadlines.PROTOCOL,
    )
