"""Voice of the customer: product feedback, NPS and CSAT scores, and free-text feedback."""

from __future__ import annotations

import random

from execdash.demo.calendar import Calendar, iso_datetime
from execdash.demo.customers import Book
from execdash.demo.names import (
    DEVICE_TYPES,
    FEEDBACK_MESSAGES,
    FEEDBACK_TYPES,
    PRODUCT_FEEDBACK_CATEGORIES,
    PRODUCT_FEEDBACK_TYPES,
    weighted,
)
from execdash.demo.writer import BulkWriter

NPS_WEIGHTS = (1, 1, 2, 3, 3, 5, 7, 11, 17, 22, 28)  # scores 0..10: NPS ≈ +28
CSAT_WEIGHTS = (4, 6, 12, 33, 45)  # scores 1..5: mean ≈ 4.1


def _stamp(rng: random.Random, cal: Calendar, d: int) -> str:
    """A time during office-ish hours (07:00–21:00) on day `d`."""
    return iso_datetime(cal.days[d], rng.randint(7 * 3600, 21 * 3600 - 1))


def write(writer: BulkWriter, rng: random.Random, cal: Calendar, book: Book) -> None:
    """Write product_feedback, feedback_scores and feedback for every day of the history."""
    product_rows: list[tuple[str, str, str]] = []
    score_rows: list[tuple[str, float, str]] = []
    text_rows: list[tuple[int, str, str, str]] = []
    nps_scores = list(range(11))
    csat_scores = [1, 2, 3, 4, 5]
    for m in range(len(cal.months)):
        known = max(book.known_before[m], 1)
        for d in cal.month_days(m):
            for _ in range(rng.randint(1, 6)):
                product_rows.append(
                    (weighted(rng, PRODUCT_FEEDBACK_CATEGORIES),
                     weighted(rng, PRODUCT_FEEDBACK_TYPES), _stamp(rng, cal, d))
                )  # fmt: skip
            for score in rng.choices(nps_scores, NPS_WEIGHTS, k=rng.randint(1, 5)):
                score_rows.append(("NPS", float(score), _stamp(rng, cal, d)))
            for score in rng.choices(csat_scores, CSAT_WEIGHTS, k=rng.randint(1, 4)):
                score_rows.append(("CSAT", float(score), _stamp(rng, cal, d)))
            if rng.random() < 0.6:
                kind = weighted(rng, FEEDBACK_TYPES)
                message = rng.choice(FEEDBACK_MESSAGES[kind]).format(
                    device=rng.choice(DEVICE_TYPES)
                )
                customer = int(rng.random() * known) + 1
                text_rows.append((customer, kind, message, _stamp(rng, cal, d)))
    writer.write("product_feedback", ("category", "type", "created_at"), product_rows)
    writer.write("feedback_scores", ("aspect", "score", "created_at"), score_rows)
    writer.write("feedback", ("customer_id", "type", "message", "created_at"), text_rows)
