"""The dashboard's pages in navigation order: one entry per route, used by the header nav."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NavItem:
    """One page of the dashboard: its id (also the JS page module's key), path and label."""

    page: str
    path: str
    label: str


DOMAIN_PAGES: tuple[NavItem, ...] = (
    NavItem("finance", "/finance", "Finance"),
    NavItem("sales", "/sales", "Sales"),
    NavItem("retention", "/retention", "Retention"),
    NavItem("operations", "/operations", "Operations"),
    NavItem("supply", "/supply", "Supply"),
    NavItem("telemetry", "/telemetry", "Telemetry"),
    NavItem("products", "/products", "Products"),
    NavItem("marketing", "/marketing", "Marketing & feedback"),
)

NAV: tuple[NavItem, ...] = (
    NavItem("overview", "/", "Overview"),
    *DOMAIN_PAGES,
    NavItem("alerts", "/alerts", "Alerts & risks"),
    NavItem("plans", "/plans", "Plans"),
    NavItem("alert_rules", "/alert-rules", "Alert rules"),
)
