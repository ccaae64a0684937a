"""One router per resource or domain; `ROUTERS` is the order `create_app` includes them in."""

from __future__ import annotations

from fastapi import APIRouter

from execdash.api.routes import alerts, at_risk, auth, customers, events, risks

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    alerts.router,
    risks.router,
    at_risk.router,
    customers.router,
    events.router,
)
