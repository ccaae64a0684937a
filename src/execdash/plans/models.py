"""What the plan API and CLI return: plans, their targets, and one target's edit."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class PlanInfo(BaseModel):
    """One version of a plan and what it covers."""

    model_config = ConfigDict(frozen=True)

    id: int = Field(description="Plan version id.")
    name: str = Field(description="Plan name, e.g. 'Budget FY2026'.")
    version: int = Field(description="Version number within the name, from 1.")
    active: bool = Field(description="The plan every tile is compared with.")
    source: str | None = Field(description="File it was imported from.")
    created_by: str | None = Field(description="Who imported it.")
    created_at: dt.datetime = Field(description="When (UTC).")
    targets: int = Field(description="Number of targets.")
    first_month: str | None = Field(description="First month with a target, YYYY-MM.")
    last_month: str | None = Field(description="Last month with a target, YYYY-MM.")
    kpis: list[str] = Field(description="KPIs with targets.")


class PlanTarget(BaseModel):
    """One target: a KPI in one month, for the company or one segment."""

    model_config = ConfigDict(frozen=True)

    kpi: str = Field(description="KPI key, e.g. revenue, uptime.")
    month: str = Field(description="YYYY-MM.")
    segment_kind: str = Field(default="", description="'' (company), industry or product.")
    segment: str = Field(default="", description="The industry or product; '' for the company.")
    target: float = Field(description="Target value; rates as 0–1 ratios.")
    updated_by: str | None = Field(default=None, description="Who last set it.")
    updated_at: dt.datetime | None = Field(default=None, description="When (UTC).")


class PlanDetail(BaseModel):
    """A plan version with every target."""

    plan: PlanInfo
    targets: list[PlanTarget]


class TargetEdit(BaseModel):
    """Set one target of a plan (rates as 0–1 or 0–100, like an import)."""

    model_config = ConfigDict(extra="forbid")

    kpi: str = Field(description="KPI key.", examples=["revenue"])
    month: str = Field(description="YYYY-MM.", examples=["2026-07"])
    target: float | None = Field(
        description="The target; null removes it. Rates may be 0–1 or 0–100.", examples=[1250000]
    )
    segment_kind: str = Field(default="", description="'' (company), industry or product.")
    segment: str = Field(default="", description="The industry or product.")
