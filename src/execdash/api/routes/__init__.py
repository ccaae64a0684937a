"""One router per resource or domain; `ROUTERS` is the order `create_app` includes them in."""

from __future__ import annotations

from fastapi import APIRouter

from execdash.api.routes import alerts, auth

ROUTERS: tuple[APIRouter, ...] = (auth.router, alerts.router)
