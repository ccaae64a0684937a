"""Build the FastAPI application for one database; nothing is opened until this is called."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.utils import get_openapi

from execdash import __version__
from execdash.alerts import hook as alert_hook
from execdash.api import health, imports
from execdash.api.cache import ResponseCache
from execdash.api.errors import (
    PROBLEM_JSON,
    Problem,
    install_error_handlers,
    seed_contract_path,
)
from execdash.api.eventbatch import EventBatcher
from execdash.api.eventguard import EventLimits
from execdash.api.guard.bodies import BodyGuard
from execdash.api.guard.headers import SecurityHeaders
from execdash.api.guard.logins import LoginGuard
from execdash.api.guard.methods import CompleteAllow
from execdash.api.partcache import PartCache
from execdash.api.readlayer import ReadLayer
from execdash.api.responses import OrjsonResponse
from execdash.api.routes import ROUTERS
from execdash.api.specfixes import compare_where_offered, document_body_errors, kpi_paths_per_key
from execdash.api.versionprobe import probe_for
from execdash.api.window import PLAN_COMPARED
from execdash.api.writes import WriteGate
from execdash.config import Settings
from execdash.db.engine import create_engine
from execdash.metrics.comparisons import PLAN
from execdash.web import pages
from execdash.web.assets import serve as static_files


def _openapi_with_problem(app: FastAPI) -> dict[str, Any]:
    """The generated spec plus the Problem schema that error responses refer to."""
    if app.openapi_schema is None:
        spec = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(problem.pop("$defs", {}))
        schemas["Problem"] = problem
        _reads_work_without_credentials(spec)
        document_body_errors(spec)
        compare_where_offered(spec, PLAN_COMPARED, PLAN)
        kpi_paths_per_key(spec)
        _errors_are_problems(spec)
        app.openapi_schema = spec
    return app.openapi_schema


def _reads_work_without_credentials(spec: dict[str, Any]) -> None:
    """Mark bearer auth optional on GETs (reads are open unless locked); document CSV answers."""
    for operations in spec.get("paths", {}).values():
        read = operations.get("get")
        if read is None:
            continue
        if read.get("security"):
            read["security"] = [*read["security"], {}]
        if any(p.get("name") == "format" for p in read.get("parameters", [])):
            content = read["responses"]["200"].setdefault("content", {})
            content["text/csv"] = {"schema": {"type": "string"}}


def _errors_are_problems(spec: dict[str, Any]) -> None:
    """Every 4xx/5xx is served as problem+json (plain JSON on the seed's routes; errors.py)."""
    schema = {"schema": {"$ref": "#/components/schemas/Problem"}}
    for path, operations in spec.get("paths", {}).items():
        kind = "application/json" if seed_contract_path(path) else PROBLEM_JSON
        problem = {kind: schema}
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status[:1] in ("4", "5") and content.keys() & {"application/json", PROBLEM_JSON}:
                    response["content"] = problem


def _lifespan(settings: Settings, *, scheduler: bool, serving: bool) -> Any:
    """A lifespan that, for a server, builds the OpenAPI document before the first request
    (the write guards need it: built on the first write, it cost that write ~0.5 s of CPU
    beside the readers) and, with `scheduler`, runs the background jobs while the app serves."""
    if not scheduler and not serving:
        return None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if serving:
            await anyio.to_thread.run_sync(app.openapi)
        if not scheduler:
            yield
            return
        from execdash.scheduler import Scheduler

        jobs = await anyio.to_thread.run_sync(Scheduler, settings)
        app.state.scheduler = jobs
        jobs.start()
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(jobs.shutdown)

    return lifespan


def create_app(settings: Settings, *, scheduler: bool = False, serving: bool = False) -> FastAPI:
    """Return the API + web app serving the database named by `settings.database_url`; with
    `scheduler`, the background jobs (digests, deliveries, …) run while it serves; `serving`
    (a real server, not a test client) prepares what the first requests would otherwise pay."""
    app = FastAPI(
        lifespan=_lifespan(settings, scheduler=scheduler, serving=serving),
        title="execdash",
        version=__version__,
        summary="Executive dashboard API: KPIs, domain overviews, drill-downs, alerts and risks.",
        default_response_class=OrjsonResponse,
        docs_url=None,  # /docs is execdash.web's own page: Swagger UI from npm, no CDN
        redoc_url=None,
    )
    app.state.settings = settings
    alert_hook.install()  # rules are evaluated after every data change this process makes
    app.state.engine = create_engine(settings.database_url, server=True)
    app.state.login_guard = LoginGuard()
    app.state.write_gate = WriteGate(app.state.engine, settings.write_wait_seconds)
    app.state.event_limits = EventLimits.from_settings(settings)
    app.state.event_batcher = EventBatcher(app.state.write_gate)
    app.state.part_cache = PartCache()
    install_error_handlers(app)
    # Inner: GZip compresses what the read layer does not (writes, pages, locked reads).
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    # Outer: tagged reads are answered (304, cached plain or gzip body) before anything else
    # runs; their misses reach GZip without Accept-Encoding and are compressed once, when stored.
    app.state.response_cache = None if settings.read_requires_login else ResponseCache()
    app.state.version_probe = probe_for(app.state.engine)
    app.add_middleware(
        ReadLayer,
        probe=app.state.version_probe,
        cache=app.state.response_cache,
        engine=app.state.engine,
        salt=f"fy{settings.fiscal_year_start}|{settings.currency}",
        concurrency=settings.read_concurrency,
    )
    # Writes: credentials checked and body caps applied before any body byte is read.
    app.add_middleware(BodyGuard, settings=settings)
    app.add_middleware(CompleteAllow)
    # Outermost: every answer (cached, 304, 401/413 from the guard, static) gets nosniff + CSP.
    app.add_middleware(SecurityHeaders)
    app.include_router(health.router)
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(imports.router)
    app.include_router(pages.router)
    app.include_router(static_files.router)
    app.openapi = lambda: _openapi_with_problem(app)  # type: ignore[method-assign]
    return app
