"""One router per resource or domain; `ROUTERS` is the order `create_app` includes them in."""

from __future__ import annotations

from fastapi import APIRouter

from execdash.api.routes import (
    alert_rules,
    alerts,
    ask,
    at_risk,
    auth,
    bands,
    compat,
    customers,
    dashboard,
    delivery,
    domains,
    events,
    insights,
    kpis,
    meetings,
    messages,
    plans,
    profile,
    risks,
    search,
    seed,
)

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    dashboard.router,
    domains.router,
    kpis.router,
    plans.router,
    insights.router,
    alerts.router,
    alert_rules.router,
    bands.router,
    risks.router,
    at_risk.router,
    customers.router,
    compat.router,
    ask.router,
    events.router,
    *seed.ROUTERS,
    search.router,
    messages.router,
    meetings.router,
    profile.router,
    delivery.router,
)
