"""Page routes that render the dashboard's HTML."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

STATIC_DIR = Path(__file__).with_name("static")
TEMPLATES = Jinja2Templates(directory=Path(__file__).with_name("templates"))

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    """The executive overview page."""
    return TEMPLATES.TemplateResponse(request, "overview.html", {"title": "Overview"})
