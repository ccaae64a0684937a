"""The seed front end's domain pages and search, served from execdash's own metric functions."""

from __future__ import annotations

from fastapi import APIRouter

from execdash.api.routes.seed import finance, manufacturing, marketing, sales, supply

ROUTERS: tuple[APIRouter, ...] = (
    finance.router,
    sales.router,
    marketing.router,
    supply.router,
    manufacturing.router,
)
