"""The question box: KPI names and synonyms pick the part of the summary that answers."""

from __future__ import annotations

import pytest

from execdash.insights import ask
from execdash.insights.models import Driver, KpiDrivers
from execdash.insights.summary import AlertItem, Inputs, summarise
from execdash.metrics.models import Provenance
from execdash.metrics.tiles import make_kpi
from execdash.metrics.windows import resolve_window

NONE = Provenance(formula="", inputs=[], months=[])
SUMMARY = summarise(
    Inputs(
        window=resolve_window("3m", "month", "2025-06"),
        kpis=[
            make_kpi("revenue", "Revenue", "currency", 2_500_000, 2_000_000, NONE),
            make_kpi("gm", "Gross margin", "ratio", 0.35, 0.37, NONE),
            make_kpi("uptime", "Uptime", "ratio", 0.999, 0.999, NONE),
        ],
        alerts=[AlertItem(1, "Line 3 stopped", "high", "ops")],
    )
)


@pytest.mark.parametrize(
    ("question", "topics"),
    [
        ("Why did revenue move?", ["revenue"]),
        ("how are sales doing", ["revenue", "overview"]),
        ("How is churn?", ["mrr"]),
        ("What should I worry about?", ["risks"]),
        ("margin and book-to-bill", ["gm", "book_to_bill"]),
        ("what's our MRR", ["arr"]),
    ],
)
def test_questions_are_matched_by_kpi_names_and_synonyms(question: str, topics: list[str]) -> None:
    assert ask.topics_of(question) == topics


def test_a_kpi_question_is_answered_with_its_sentence() -> None:
    reply = ask.answer("why did revenue move?", SUMMARY, {})
    assert reply.summary == "Revenue rose 25.0% to £2.5M."
    assert reply.understood


def test_a_worry_question_gets_the_cautions_and_the_actions() -> None:
    reply = ask.answer("What should I worry about?", SUMMARY, {})
    assert reply.summary == "1 open alert, 1 of them high: «Line 3 stopped»."
    assert reply.cautions == ["Gross margin fell 2.0 pts to 35.0%."]
    assert reply.actions == ["Review the high-severity ops alert «Line 3 stopped»."]


def test_a_steady_kpi_is_answered_from_the_held_steady_sentence() -> None:
    assert ask.answer("uptime?", SUMMARY, {}).summary == "Uptime (99.9%, 0.0 pts) held steady."


def test_a_steady_kpi_whose_label_is_not_its_key_is_answered_too() -> None:
    # "Gross margin" does not contain "gm": the answer once said there was nothing about it
    steady = summarise(
        Inputs(
            window=resolve_window("3m", "month", "2025-06"),
            kpis=[
                make_kpi("gm", "Gross margin", "ratio", 0.364, 0.363, NONE),
                make_kpi("nrr", "Net revenue retention", "ratio", 1.05, 1.05, NONE),
                make_kpi("backlog", "Backlog", "currency", 100.0, 200.0, NONE),
            ],
        )
    )
    text = "Gross margin (36.4%, +0.1 pts) and Net revenue retention (105.0%, 0.0 pts) held steady."
    assert ask.answer("how is our margin?", steady, {}).summary == text
    assert ask.answer("what is NRR?", steady, {}).summary.endswith(text)
    assert ask.answer("backlog?", steady, {}).summary == "Backlog fell 50.0% to £100."


def test_an_unknown_question_says_so_and_lists_what_can_be_asked() -> None:
    reply = ask.answer("what is the meaning of life", SUMMARY, {})
    assert not reply.understood
    assert reply.summary.startswith("I did not understand the question.")
    assert "revenue" in reply.summary
    assert "churn and retention" in reply.summary


def test_a_greeting_gets_a_greeting() -> None:
    assert ask.answer("hello", SUMMARY, {}).summary.startswith("Hello. Ask me about revenue")


def test_the_whole_summary_answers_a_general_question() -> None:
    reply = ask.answer("give me the summary", SUMMARY, {})
    assert reply.summary == SUMMARY.text
    assert reply.actions == SUMMARY.actions


def test_a_why_question_names_the_biggest_contributors_to_the_change() -> None:
    def driver(name: str, contribution: float, status: str) -> Driver:
        return Driver.model_construct(name=name, contribution=contribution, status=status)

    revenue = KpiDrivers.model_construct(
        key="revenue",
        unit="currency",
        dimension="customer",
        top_up=[driver("Acme", 300_000.0, "continuing"), driver("Cobalt", 250_000.0, "new")],
        top_down=[driver("Birch", -50_000.0, "lost")],
    )  # +300K + 250K − 50K: the tile's +£500K
    reply = ask.answer("Why did revenue move?", SUMMARY, {"revenue": revenue})
    assert reply.summary == "Revenue rose 25.0% to £2.5M."
    assert reply.highlights == [
        "Acme: +£300K (customer)",
        "Cobalt (new): +£250K (customer)",
        "Birch (lost): −£50.0K (customer)",
    ]
    assert ask.answer("how is our margin?", SUMMARY, {"revenue": revenue}).highlights == []
