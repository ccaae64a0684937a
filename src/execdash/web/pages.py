"""Page routes that render the dashboard's HTML shells; ES modules fill them from the API.

Every page shares `base.html` (header, navigation, range controls, theme toggle) and sends the
security headers of `execdash.web.security`. The numbers themselves always come from the
`/api/v1` endpoints, so the page and the API can never disagree.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import SQLAlchemyError

from execdash.api.accounts import User, user_for_session
from execdash.api.auth import SESSION_COOKIE
from execdash.config import Settings
from execdash.metrics.comparisons import COMPARISONS
from execdash.plans.store import active_plan
from execdash.web.assets.serve import ASSETS
from execdash.web.nav import DOMAIN_PAGES, NAV, NavItem
from execdash.web.security import secure

TEMPLATES = Jinja2Templates(directory=Path(__file__).with_name("templates"))
# `asset("js/app.js")` in a template gives the file's hashed, immutable URL (web/assets).
TEMPLATES.env.globals["asset"] = ASSETS.url
# `preloads([...])` gives those modules and every module they import, for `modulepreload` links.
TEMPLATES.env.globals["preloads"] = ASSETS.preloads

_KPI_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

router = APIRouter(include_in_schema=False)


def signed_in_user(request: Request) -> User | None:
    """The user of the session cookie, looked up server-side so the page needs no 401-ing call."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        return None
    with request.app.state.engine.connect() as conn:
        return user_for_session(conn, session_id)


def active_plan_name(request: Request) -> str | None:
    """ "Budget FY2026 v2", the plan the "Compare with: Plan" option uses, or None (the option is
    then shown disabled, with the reason)."""
    try:
        with request.app.state.engine.connect() as conn:
            ref = active_plan(conn)
    except SQLAlchemyError:  # no plan tables yet, or a busy database: the option says none
        return None
    return f"{ref.name} v{ref.version}" if ref is not None else None


# The page modules each page imports, preloaded in <head> so the browser fetches them at once.
PAGE_MODULES: dict[str, tuple[str, ...]] = {
    "overview": ("overview", "alerts"),
    "kpi": ("kpi", "domain", "domains", "movements"),
    "alerts": ("alerts",),
    "plans": ("plans",),
    "alert_rules": ("alert_rules", "alerts"),
    "login": ("login",),
    "delivery": ("delivery",),
}
DOMAIN_MODULES = ("domain", "domains", "movements")


def _render(request: Request, template: str, page: str, title: str, **extra: Any) -> Response:
    settings: Settings = request.app.state.settings
    context = {
        "page_modules": [f"js/pages/{m}.js" for m in PAGE_MODULES.get(page, DOMAIN_MODULES)],
        "user": signed_in_user(request),
        "title": title,
        "page": page,
        "nav": NAV,
        "currency_symbol": settings.currency_symbol,
        "currency": settings.currency,
        "comparisons": list(COMPARISONS.values()),
        "active_plan": active_plan_name(request),
        "fiscal_year_start": settings.fiscal_year_start,
        **extra,
    }
    return secure(TEMPLATES.TemplateResponse(request, template, context))


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> Response:
    """The executive overview: headline KPIs, revenue chart, alerts, risks, at-risk customers."""
    return _render(request, "overview.html", "overview", "Overview")


def _domain_route(item: NavItem) -> None:
    def domain_page(request: Request) -> Response:
        return _render(request, "domain.html", item.page, item.label, domain=item.page)

    domain_page.__doc__ = f"The {item.label} page: its KPI tiles and every chart of the domain."
    router.add_api_route(
        item.path, domain_page, methods=["GET"], response_class=HTMLResponse, name=item.page
    )


for _item in DOMAIN_PAGES:
    _domain_route(_item)


@router.get("/kpi/{key}", response_class=HTMLResponse)
def kpi_page(request: Request, key: str) -> Response:
    """The drill-down of one KPI: its series, a breakdown with a dimension switcher, the table."""
    if not _KPI_KEY.match(key):
        raise HTTPException(status_code=404, detail="No such KPI")
    return _render(request, "kpi.html", "kpi", "KPI drill-down", kpi_key=key)


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request) -> Response:
    """Alerts and risks: filters for everyone, acknowledge/close and risk edits for editors."""
    return _render(request, "alerts.html", "alerts", "Alerts & risks")


@router.get("/delivery", response_class=HTMLResponse)
def delivery_page(request: Request) -> Response:
    """Delivery (editors): channels with a test-send button, digest recipients, the log."""
    return _render(request, "delivery.html", "delivery", "Delivery")


@router.get("/plans", response_class=HTMLResponse)
def plans_page(request: Request) -> Response:
    """Plans: the active plan's targets for the window (editable by editors), versions, import."""
    return _render(request, "plans.html", "plans", "Plans")


@router.get("/alert-rules", response_class=HTMLResponse)
def alert_rules_page(request: Request) -> Response:
    """Alert rules: the list for everyone; create, edit, enable/disable, delete and backtest for
    editors."""
    return _render(request, "alert_rules.html", "alert_rules", "Alert rules")


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The API reference: Swagger UI from npm, served here, so it works with no internet."""
    context = {"openapi_url": request.app.openapi_url or "/openapi.json"}
    return secure(TEMPLATES.TemplateResponse(request, "apidocs.html", context))


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    """The sign-in form; the API's /api/v1/auth/login sets the session cookie."""
    return _render(request, "login.html", "login", "Sign in")
