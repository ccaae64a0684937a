"""Build the FastAPI application for one database; nothing is opened until this is called."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from execdash import __version__
from execdash.api import health
from execdash.api.responses import OrjsonResponse
from execdash.config import Settings
from execdash.db.engine import create_engine
from execdash.web import pages
from execdash.web.pages import STATIC_DIR


def create_app(settings: Settings) -> FastAPI:
    """Return the API + web app serving the database named by `settings.database_url`."""
    app = FastAPI(
        title="execdash",
        version=__version__,
        summary="Executive dashboard API: KPIs, domain overviews, drill-downs, alerts and risks.",
        default_response_class=OrjsonResponse,
    )
    app.state.settings = settings
    app.state.engine = create_engine(settings.database_url)
    app.include_router(health.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
