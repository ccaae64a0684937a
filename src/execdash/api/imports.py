"""`POST /api/v1/imports`: the CLI's all-or-nothing import over HTTP, for editors.

Uploaded files are streamed to a private temporary directory under their own (base) names, so
`orders.csv` loads into `orders` exactly as on the command line, and the answer is the same report
`execdash import` prints: 200 when everything was imported, 422 (nothing written) otherwise.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path, PurePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse

from execdash.api.auth import Editor
from execdash.api.deps import engine_of
from execdash.api.errors import problem_responses
from execdash.ingest import MODES, parse_mapping, run_import
from execdash.ingest.leftovers import UPLOAD_PREFIX, owned_prefix

router = APIRouter(prefix="/api/v1", tags=["imports"])

_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_. -]{0,200}$")

REPORT_EXAMPLE: dict[str, Any] = {
    "ok": False,
    "mode": "append",
    "dry_run": False,
    "rows": 2,
    "files": [
        {"file": "retention_at_risk.csv", "table": "retention_at_risk", "rows": 2,
         "checksum": "9f2c…", "notes": ["retention_at_risk.risk: read as percent, divided by 100"]}
    ],
    "problem_count": 1,
    "problems": [
        {"file": "retention_at_risk.csv", "row": 3, "column": "mrr", "value": "-100",
         "message": "is negative; this amount cannot be below zero"}
    ],
}  # fmt: skip


def _upload_name(upload: UploadFile) -> str:
    name = PurePath((upload.filename or "").replace("\\", "/")).name
    if not _SAFE_NAME.match(name):
        raise HTTPException(
            422, f"upload file name {upload.filename!r} is not a plain file name like orders.csv"
        )
    return name


@router.post(
    "/imports",
    summary="Import CSV, JSON or XLSX files (all-or-nothing)",
    responses={
        200: {
            "description": "Imported; the report.",
            "content": {
                "application/json": {
                    "example": {**REPORT_EXAMPLE, "ok": True, "problem_count": 0, "problems": []}
                }
            },
        },
        422: {
            "description": "Nothing written: the report lists the problems (application/json), "
            "or the request itself is malformed (problem+json).",
            "content": {
                "application/json": {"example": REPORT_EXAMPLE},
                **problem_responses(422)[422]["content"],
            },
        },
        **problem_responses(400, 401, 403),
    },
)
def create_import(
    request: Request,
    user: Editor,
    files: Annotated[list[UploadFile], File(description="Files named after their table.")],
    mode: Annotated[str, Form(description="append, upsert or replace")] = "append",
    table: Annotated[str | None, Form(description="Table for files named otherwise.")] = None,
    dry_run: Annotated[bool, Form(description="Validate and report; write nothing.")] = False,
    map_: Annotated[
        list[str] | None, Form(alias="map", description="Column renames old=new.")
    ] = None,
) -> JSONResponse:
    """Validate, normalise and load the uploaded files in one transaction; answer the report."""
    if mode not in MODES:
        raise HTTPException(400, f"mode {mode!r} is not one of {', '.join(MODES)}")
    try:
        mapping = parse_mapping(map_ or [])
    except ValueError as exc:
        raise HTTPException(400, str(exc).replace("--map", "map")) from None
    names = [_upload_name(upload) for upload in files]
    if len(set(names)) != len(names):
        raise HTTPException(400, "two uploaded files have the same name")
    with tempfile.TemporaryDirectory(prefix=owned_prefix(UPLOAD_PREFIX)) as folder:
        paths = []
        for upload, name in zip(files, names, strict=True):
            path = Path(folder) / name
            with path.open("wb") as out:
                shutil.copyfileobj(upload.file, out, 1 << 20)
            upload.file.close()  # its spooled copy goes now: disk holds each file once, not twice
            paths.append(path)
        report = run_import(
            engine_of(request),
            paths,
            mode=mode,
            dry_run=dry_run,
            table=table or None,
            mapping=mapping,
            user=user.username,
        )
    return JSONResponse(report.as_dict(), status_code=200 if report.ok else 422)
