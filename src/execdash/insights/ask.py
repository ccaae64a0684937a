"""Answer a question about the dashboard from the written summary: match KPI names and synonyms.

No model and no network: a question is lower-cased, split into words and matched against each
topic's words; the answer is that topic's part of the summary plus its drivers. A question that
matches nothing gets a plain "not understood" and the list of what can be asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from execdash.insights import wording as w
from execdash.insights.models import KpiDrivers, Summary

TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "revenue": ("revenue", ("revenue", "revenues", "sales", "turnover", "income", "top line",
                            "topline", "billing", "billings")),
    "gm": ("gross margin", ("margin", "margins", "gross margin", "gm", "profit", "profitability",
                            "profitable")),
    "arr": ("ARR / MRR", ("arr", "mrr", "recurring", "subscription", "subscriptions",
                          "annual recurring")),
    "book_to_bill": ("book-to-bill", ("book-to-bill", "book to bill", "bookings", "booking",
                                      "booked", "orders")),
    "mrr": ("churn and retention", ("churn", "churned", "churning", "retention", "nrr",
                                     "net revenue retention", "expansion", "contraction",
                                     "reactivation", "lost customers", "losing customers")),
    "backlog": ("backlog and coverage", ("backlog", "coverage", "runway")),
    "payback": ("CAC payback", ("payback", "cac", "acquisition cost")),
    "uptime": ("uptime", ("uptime", "downtime", "availability", "outage", "outages")),
    "forecast": ("forecast", ("forecast", "next month", "predict", "prediction", "projection")),
    "alerts": ("alerts", ("alert", "alerts", "incident", "incidents")),
    "risks": ("risks (what to worry about)", ("risk", "risks", "worry", "worried", "concern",
                                                "concerns", "threat", "threats", "problem",
                                                "problems", "issues", "at risk", "act on",
                                                "should i do", "action", "actions")),
    "overview": ("the overall summary", ("summary", "summarise", "summarize", "overall",
                                         "overview", "how are we doing", "how is business",
                                         "what changed", "what moved", "update", "status",
                                         "highlights", "doing")),
}  # fmt: skip
GREETINGS = frozenset({"hi", "hello", "hey", "hiya", "morning", "thanks", "thank you"})
STATEMENT_TOPICS = {
    "revenue": ("revenue",),
    "gm": ("gm",),
    "arr": ("arr", "mrr"),
    "book_to_bill": ("book_to_bill",),
    "mrr": ("mrr", "nrr", "at_risk"),
    "backlog": ("backlog", "coverage_months"),
    "payback": ("payback",),
    "uptime": ("uptime",),
    "forecast": ("forecast",),
    "alerts": ("alerts",),
    "risks": ("risks", "alerts", "at_risk"),
}
MAX_QUESTION = 2000


@dataclass(slots=True)
class Answer:
    """What the "Ask AI" panel shows: a summary line and three lists."""

    summary: str
    highlights: list[str] = field(default_factory=list)
    cautions: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    understood: bool = True


def can_ask() -> list[str]:
    """What the question box understands, one phrase per topic."""
    return [label for label, _ in TOPICS.values()]


def topics_of(question: str) -> list[str]:
    """The topics a question is about, in the order of TOPICS."""
    text = " " + re.sub(r"[^a-z0-9\- ]+", " ", question.lower()) + " "
    text = re.sub(r"\s+", " ", text)
    return [
        topic for topic, (_, words) in TOPICS.items() if any(f" {word} " in text for word in words)
    ]


def _drivers_lines(drivers: KpiDrivers, symbol: str) -> list[str]:
    lines = []
    for d in [*drivers.top_up[:3], *drivers.top_down[:3]]:
        amount = w.signed(d.contribution, drivers.unit, drivers.key, symbol)
        tag = " (new)" if d.status == "new" else " (lost)" if d.status == "lost" else ""
        lines.append(f"{d.name}{tag}: {amount} ({drivers.dimension})")
    return lines


def _kpi_text(summary: Summary, keys: tuple[str, ...]) -> list[str]:
    chosen = [s.text for s in summary.statements if s.topic in keys]
    steady = next((s for s in summary.statements if s.topic == "steady"), None)
    # the steady sentence names KPIs by label ("Gross margin"); its figures link to them by key
    links = [p.href for p in steady.parts if p.href] if steady is not None else []
    if (
        not chosen
        and steady is not None
        and any(link.startswith(f"/kpi/{k}?") for link in links for k in keys)
    ):
        chosen.append(steady.text)
    return chosen


def answer(
    question: str, summary: Summary, drivers: dict[str, KpiDrivers], symbol: str = "£"
) -> Answer:
    """The part of the summary (and the drivers) that answers `question` (pure)."""
    words = set(re.findall(r"[a-z]+", question.lower()))
    topics = topics_of(question)
    if not topics and words and words <= GREETINGS | {"there", "you", "all", "good"}:
        return Answer(
            summary="Hello. Ask me about " + w.listed(can_ask()) + ".",
            topics=["greeting"],
        )
    if not topics:
        return Answer(
            summary="I did not understand the question. I answer from this dashboard's own "
            "numbers; you can ask about " + w.listed(can_ask()) + ".",
            actions=["Try: “why did revenue move?”, “how is churn?”, “what should I worry about?”"],
            understood=False,
        )
    if "overview" in topics and len(topics) == 1:
        return Answer(
            summary=summary.text,
            highlights=summary.highlights,
            cautions=summary.cautions,
            actions=summary.actions,
            topics=topics,
        )
    lines: list[str] = []
    highlights: list[str] = []
    for topic in topics:
        if topic == "overview":
            continue
        for text in _kpi_text(summary, STATEMENT_TOPICS[topic]):
            if text not in lines:
                lines.append(text)
        kpi_drivers = drivers.get(topic)
        if kpi_drivers is not None:
            highlights += _drivers_lines(kpi_drivers, symbol)
    worry = bool({"risks", "alerts", "mrr"} & set(topics))
    cautions = [c for c in summary.cautions if c not in lines] if "risks" in topics else []
    if not lines:
        lines.append("There is nothing in this window's data about " + w.listed(
            [TOPICS[t][0] for t in topics if t != "overview"]) + ".")  # fmt: skip
    return Answer(
        summary=" ".join(lines),
        highlights=highlights,
        cautions=cautions,
        actions=summary.actions if worry else [],
        topics=topics,
    )
