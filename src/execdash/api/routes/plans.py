"""Plans: list and read versions, import one (all-or-nothing), activate one, set one target,
download the template for a window, and the active plan's lines for charts."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from execdash.api.auth import Editor, Reader
from execdash.api.deps import ReadConn, WriteConn, write_gate_of
from execdash.api.errors import problem_responses
from execdash.api.fields import RowId
from execdash.api.imports import _upload_name
from execdash.api.listing import FormatParam, csv_response, wants_csv
from execdash.api.onethread import ReadRoute
from execdash.api.window import WindowParam, invalid_parameter, window_slug
from execdash.ingest import values as cells
from execdash.ingest.leftovers import UPLOAD_PREFIX, owned_prefix
from execdash.metrics.models import Series, Timeframe
from execdash.plans import store
from execdash.plans.attach import active_targets, plan_lines
from execdash.plans.importer import check_name, read_plan
from execdash.plans.models import PlanDetail, PlanInfo, PlanTarget, TargetEdit
from execdash.plans.template import COLUMNS, template_rows
from execdash.plans.values import kpi_of, percent_scale, ratio_of, segment_of, target_of

router = APIRouter(route_class=ReadRoute, prefix="/api/v1/plans", tags=["plans"])
WRITE_ERRORS = problem_responses(401, 403, 404, 422)


class PlanLines(BaseModel):
    """The active plan per period of a window, one series per KPI with targets."""

    timeframe: Timeframe
    plan: PlanInfo | None = Field(description="The active plan, null when none is active.")
    series: list[Series] = Field(description="Plan per period, key plan_<kpi>.")


@router.get("", response_model=list[PlanInfo], responses=problem_responses(401))
def list_plans(conn: ReadConn, _user: Reader) -> list[PlanInfo]:
    """Every plan version, by name, newest version first; `active` marks the one in use."""
    return store.list_plans(conn)


@router.get("/lines", response_model=PlanLines, responses=problem_responses(401, 422))
def lines(conn: ReadConn, _user: Reader, window: WindowParam) -> PlanLines:
    """The active plan of every KPI per period of the window (what the charts draw)."""
    ref = store.active_plan(conn)
    info = store.get_plan(conn, ref.id) if ref else None
    return PlanLines(timeframe=Timeframe.of(window), plan=info, series=plan_lines(conn, window))


@router.get(
    "/template",
    responses={
        200: {"content": {"text/csv": {}}, "description": "The template CSV."},
        **problem_responses(401, 422),
    },
    response_class=Response,
)
def template(conn: ReadConn, _user: Reader, window: WindowParam) -> Response:
    """A CSV with a row per KPI and month of the window, holding the active plan's targets
    where it has them: fill it in and import it as a new plan or version."""
    found = active_targets(conn)
    rows = template_rows(window, found[1] if found else None)
    return csv_response(f"plan-template-{window_slug(window)}.csv", COLUMNS, rows)


def _plan_or_404(conn: Any, plan_id: int) -> PlanInfo:
    info = store.get_plan(conn, plan_id)
    if info is None:
        raise HTTPException(404, f"No plan with id {plan_id}.")
    return info


@router.get(
    "/{plan_id}",
    response_model=PlanDetail,
    responses=problem_responses(401, 404),
    description="One plan version with every target; `?format=csv` downloads the targets in "
    "the import format.",
)
def plan_detail(
    plan_id: RowId, request: Request, conn: ReadConn, _user: Reader, format: FormatParam = "json"
) -> PlanDetail | Response:
    """One plan version and its targets."""
    info = _plan_or_404(conn, plan_id)
    targets = store.targets_of(conn, plan_id)
    if wants_csv(request, format):
        slug = "".join(c if c.isalnum() else "-" for c in info.name.lower()).strip("-")
        return csv_response(
            f"plan-{slug}-v{info.version}.csv", COLUMNS, [t.model_dump() for t in targets]
        )
    return PlanDetail(plan=info, targets=targets)


@router.post("/{plan_id}/activate", response_model=PlanInfo, responses=WRITE_ERRORS)
def activate(plan_id: RowId, conn: WriteConn, _user: Editor) -> PlanInfo:
    """Make this plan version the one every tile and chart compares with."""
    if not store.activate(conn, plan_id):
        raise HTTPException(404, f"No plan with id {plan_id}.")
    return _plan_or_404(conn, plan_id)


def _checked(edit: TargetEdit) -> tuple[str, str, str, str, float | None]:
    """The edit as a stored row (rates as 0–1), or a 422 naming the bad field."""
    try:
        spec = kpi_of(edit.kpi)
    except ValueError as exc:
        raise invalid_parameter("kpi", f"{edit.kpi!r} {exc}", "body") from None
    try:
        month = cells.parse_month(edit.month)
    except ValueError as exc:
        raise invalid_parameter("month", f"{edit.month!r} {exc}", "body") from None
    try:
        kind, segment = segment_of(spec, edit.segment_kind, edit.segment)
    except ValueError as exc:
        raise invalid_parameter("segment_kind", str(exc), "body") from None
    if edit.target is None:
        return spec.key, month, kind, segment, None
    try:
        raw = target_of(spec, repr(float(edit.target)))
        value = ratio_of(spec, raw, percent_scale(spec, [raw]))
    except ValueError as exc:
        raise invalid_parameter("target", f"{edit.target!r} {exc}", "body") from None
    return spec.key, month, kind, segment, value


@router.put("/{plan_id}/targets", response_model=PlanTarget | None, responses=WRITE_ERRORS)
def set_target(
    plan_id: RowId, edit: TargetEdit, conn: WriteConn, user: Editor
) -> PlanTarget | None:
    """Set one target of a plan version (a null target removes it); rates may be written as
    0–1 or 0–100, as in an import. Answers the target as stored (null when removed)."""
    _plan_or_404(conn, plan_id)
    row = _checked(edit)
    store.set_target(conn, plan_id, row, user.username)
    for target in store.targets_of(conn, plan_id):
        if (target.kpi, target.month, target.segment_kind, target.segment) == row[:4]:
            return target
    return None


@router.post(
    "/import",
    summary="Import a plan file as a new plan or a new version (all-or-nothing)",
    responses={
        200: {"description": "Imported: the report and the new plan version."},
        422: {"description": "Nothing written: the report lists every problem."},
        **problem_responses(400, 401, 403),
    },
)
async def import_plan(
    request: Request,
    user: Editor,
    file: Annotated[UploadFile, File(description="CSV, JSON or XLSX with kpi, month, target.")],
    name: Annotated[str, Form(description="Plan name; an existing name gets a new version.")],
    activate: Annotated[bool, Form(description="Make it the active plan.")] = False,
    dry_run: Annotated[bool, Form(description="Check and report; write nothing.")] = False,
) -> JSONResponse:
    """Check the file like a data import and store it as the next version of plan `name`."""
    shown = _upload_name(file)
    try:
        plan_name = check_name(name)
    except ValueError as exc:
        raise invalid_parameter("name", str(exc), "body") from None
    with tempfile.TemporaryDirectory(prefix=owned_prefix(UPLOAD_PREFIX)) as folder:
        path = Path(folder) / shown
        with path.open("wb") as out:
            await anyio.to_thread.run_sync(shutil.copyfileobj, file.file, out, 1 << 20)
        checked = await anyio.to_thread.run_sync(read_plan, path, shown)
    report = checked.report
    report.dry_run = dry_run
    body: dict[str, Any] = report.as_dict()
    body["plan"] = None
    if report.ok and not dry_run:
        async with write_gate_of(request).transaction() as conn:
            ref = await anyio.to_thread.run_sync(
                lambda: store.create_plan(
                    conn,
                    plan_name,
                    checked.rows,
                    source=shown,
                    user=user.username,
                    activate=activate,
                )
            )
            info = await anyio.to_thread.run_sync(store.get_plan, conn, ref.id)
        body["plan"] = info.model_dump(mode="json") if info else None
    return JSONResponse(body, status_code=200 if report.ok else 422)
