"""`POST /api/ai-summary`: the seed front end's "Ask AI" panel, answered from our own summary.

Deterministic and offline: the question is matched to KPI names and synonyms
(`execdash.insights.ask`) and answered with that part of the written summary and its drivers.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from execdash.api.auth import Reader
from execdash.api.deps import ReadConn, settings_of
from execdash.api.errors import problem_responses
from execdash.api.onethread import ReadRoute
from execdash.api.routes.insights import gather
from execdash.insights import ask
from execdash.insights.summary import summarise
from execdash.metrics.comparisons import COMPARISONS, DEFAULT_COMPARISON
from execdash.metrics.models import Timeframe
from execdash.metrics.queries import latest_month
from execdash.metrics.windows import RANGES, Window, WindowError, resolve_window

router = APIRouter(
    route_class=ReadRoute, prefix="/api", tags=["compat"], responses=problem_responses(401, 422)
)


class Question(BaseModel):
    """What the "Ask AI" panel sends."""

    provider: str | None = Field(default="auto", description="Ignored: no external model.")
    question: str = Field(
        min_length=1,
        max_length=ask.MAX_QUESTION,
        pattern=r"\S",
        description="The question, in English (not blank).",
    )
    data: Any = Field(
        default=None,
        description="The executive dashboard answer the panel holds (or null); only its "
        "timeframe is read, to answer for the window the person is looking at.",
    )


class AiAnswer(BaseModel):
    """The panel's chat bubble: a summary and three lists."""

    source: str = Field(description="Always 'execdash-rules': answered by rules, not a model.")
    summary: str = Field(description="The answer.")
    highlights: list[str] = Field(description="Good news and the drivers asked about.")
    cautions: list[str] = Field(description="Bad news, alerts and risks.")
    actions: list[str] = Field(description="What to act on.")
    meta: dict[str, Any] = Field(description="Topics matched, window, what can be asked.")


def _window_of(data: Any, latest: Any, fiscal_start: int) -> Window:
    """The window named by the panel's dashboard data, else the default 12 months."""
    frame = data.get("timeframe") if isinstance(data, dict) else None
    range_key, as_of, compare = "12m", None, DEFAULT_COMPARISON
    if isinstance(frame, dict):
        if frame.get("range") in RANGES:
            range_key = str(frame["range"])
        end = frame.get("end_date")
        if isinstance(end, str) and len(end) >= 7:
            as_of = end[:7]
        if frame.get("compare") in COMPARISONS:
            compare = str(frame["compare"])
    try:
        return resolve_window(
            range_key, "month", as_of, latest, fiscal_start=fiscal_start, compare=compare
        )
    except WindowError:
        return resolve_window(
            range_key, "month", None, latest, fiscal_start=fiscal_start, compare=compare
        )


@router.post(
    "/ai-summary",
    response_model=AiAnswer,
    # A read sent as POST: credentials are optional, as for every read (see `Reader`), so the
    # body guard must not ask for them before the body.
    openapi_extra={"security": [{}]},
    description="Answer a question about the dashboard from its own numbers: recognises "
    "questions about revenue, margin, ARR/MRR, book-to-bill, churn and retention, backlog, "
    "payback, uptime, the forecast, alerts and risks, or the whole summary; says plainly when a "
    "question is not understood and lists what can be asked.",
)
def ai_summary(body: Question, request: Request, conn: ReadConn, _user: Reader) -> AiAnswer:
    """Answer one question."""
    question = body.question.strip()
    settings = settings_of(request)
    window = _window_of(body.data, latest_month(conn), settings.fiscal_year_start)
    symbol = settings.currency_symbol
    inputs = gather(conn, window, symbol)
    summary = summarise(inputs)
    reply = ask.answer(question, summary, inputs.drivers, symbol)
    return AiAnswer(
        source="execdash-rules",
        summary=reply.summary,
        highlights=reply.highlights,
        cautions=reply.cautions,
        actions=reply.actions,
        meta={
            "provider": "none",
            "deterministic": True,
            "understood": reply.understood,
            "topics": reply.topics,
            "can_ask": ask.can_ask(),
            "timeframe": Timeframe.of(window).model_dump(mode="json"),
        },
    )
