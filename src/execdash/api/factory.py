"""`app_from_env`: the uvicorn/gunicorn application factory, settings read from the environment.

Each worker process calls it once, so N workers are N independent apps (own connection pool,
own response cache) over one database: `uvicorn --factory execdash.api.factory:app_from_env
--workers 4`, or `execdash serve --workers 4`, which migrates the database first. Each worker
runs the background jobs when `EXECDASH_SCHEDULER=true` (`execdash serve` sets it; see
`execdash.scheduler`).
"""

from __future__ import annotations

from fastapi import FastAPI

from execdash.api.app import create_app
from execdash.config import Settings
from execdash.scheduler import enabled


def app_from_env() -> FastAPI:
    """The application for the database named by EXECDASH_DATABASE_URL (and the other settings)."""
    return create_app(Settings.from_env(), scheduler=enabled(), serving=True)
