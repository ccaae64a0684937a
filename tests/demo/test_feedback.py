"""Feedback: NPS 0–10 and CSAT 1–5 integer scores, typed product feedback, customer messages."""

from __future__ import annotations

from typing import Any


def test_nps_scores_are_integers_from_0_to_10_and_csat_from_1_to_5(q: Any) -> None:
    ranges = {
        aspect: (low, high, n)
        for aspect, low, high, n in q(
            "SELECT aspect, MIN(score), MAX(score), COUNT(*) FROM feedback_scores GROUP BY aspect"
        )
    }
    assert set(ranges) == {"NPS", "CSAT"}
    assert ranges["NPS"][:2] == (0, 10)
    assert ranges["CSAT"][:2] == (1, 5)
    assert q("SELECT COUNT(*) FROM feedback_scores WHERE score <> ROUND(score)") == [(0,)]


def test_nps_is_positive_but_not_perfect(q: Any) -> None:
    ((promoters, detractors, n),) = q(
        "SELECT SUM(CASE WHEN score >= 9 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN score <= 6 THEN 1 ELSE 0 END), COUNT(*) "
        "FROM feedback_scores WHERE aspect = 'NPS'"
    )
    assert 10 < 100 * (promoters - detractors) / n < 50


def test_product_feedback_has_categories_and_types_every_month(q: Any) -> None:
    assert len(q("SELECT DISTINCT category FROM product_feedback")) == 5
    assert len(q("SELECT DISTINCT type FROM product_feedback")) == 4
    months = q("SELECT DISTINCT substr(CAST(created_at AS TEXT), 1, 7) FROM product_feedback")
    assert len(months) == 36


def test_free_text_feedback_comes_from_customers_who_existed_then(q: Any) -> None:
    assert q("SELECT COUNT(*) FROM feedback WHERE customer_id IS NULL OR message IS NULL") == [(0,)]
    early = q(
        "SELECT COUNT(*) FROM feedback f JOIN customers c ON c.id = f.customer_id "
        "WHERE substr(CAST(f.created_at AS TEXT), 1, 10) < CAST(c.created_at AS TEXT)"
    )
    assert early == [(0,)]
    assert {t for (t,) in q("SELECT DISTINCT type FROM feedback")} == {
        "complaint", "praise", "suggestion", "question",
    }  # fmt: skip
