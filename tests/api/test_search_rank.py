"""Search ranking without a database: exact before prefix before word prefix before substring."""

from __future__ import annotations

from execdash.api.search.rank import (
    EXACT,
    KEYWORD,
    PREFIX,
    SUBSTRING,
    WORD_PREFIX,
    Candidate,
    normalise,
    rank,
    tier,
)


def _c(title: str, kind: str = "customer", keywords: str = "", description: str = "") -> Candidate:
    return Candidate(f"{kind}:{title}", kind, title, description, "", "/", "/", keywords)


def test_normalise_folds_case_accents_and_spaces() -> None:
    assert normalise("  Café   ROYAL ") == "cafe royal"


def test_tiers_from_exact_to_keyword() -> None:
    assert tier("revenue", _c("Revenue")) == EXACT
    assert tier("rev", _c("Revenue forecast")) == PREFIX
    assert tier("retention", _c("Net revenue retention (NRR)")) == WORD_PREFIX
    assert tier("nrr", _c("Net revenue retention (NRR)")) == WORD_PREFIX  # after "("
    assert tier("venue", _c("Revenue")) == SUBSTRING
    assert tier("margin gm", _c("Gross margin", keywords="gm")) == KEYWORD
    assert tier("churn", _c("Revenue")) is None


def test_every_word_must_match_somewhere() -> None:
    assert tier("fenwick hotels", _c("Fenwick Hotels LLP")) == PREFIX
    assert tier("hotels fenwick", _c("Fenwick Hotels LLP")) == KEYWORD
    assert tier("hotels leeds", _c("Fenwick Hotels LLP")) is None


def test_rank_orders_by_tier_then_kind_then_shorter_title() -> None:
    found = rank(
        "rev",
        [
            _c("Prevention Ltd"),
            _c("Revenue forecast", "kpi"),
            _c("Revel Bars", "customer"),
            _c("Revenue", "kpi"),
            _c("Net revenue retention", "kpi"),
        ],
        limit=10,
    )
    assert [c.title for c in found] == [
        "Revenue", "Revenue forecast", "Revel Bars", "Net revenue retention", "Prevention Ltd",
    ]  # fmt: skip


def test_rank_limits_and_drops_duplicates() -> None:
    same = [_c("Acme"), _c("Acme"), _c("Acme Two"), _c("Acme Three")]
    assert [c.title for c in rank("acme", same, limit=2)] == ["Acme", "Acme Two"]
    assert rank("   ", same, limit=5) == []
