"""Schemathesis over the OpenAPI spec: no 5xx and every response matches the documented schema."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.config import Settings
from tests.api.conftest import bearer

MAX_EXAMPLES = 8
OTHER_OWNERS = ("/api/v1/imports", "/api/v1/plans/import")
"""Multipart uploads, tested by hand with good and bad files (the upload tests under tests/,
tests/api/test_plans.py)."""
CROSS_FIELD_RULES = ("/api/meetings", "/api/events", "/api/v1/delivery", "/api/v1/alert-rules")
"""Operations with a rule a schema cannot state (a meeting ends after it starts, a date range's
end is not before its start, an event is dated 2000-01-01 to now + 1 day, a channel's target is
addresses or a URL by its kind, names and emails are unique, a rule's metric is one of the
catalogue's and its value's range depends on its kind): their 4xx for schema-valid data are
tested by hand instead (tests/api/test_alert_rules.py for rules)."""


def test_every_operation_conforms_to_its_spec(
    settings: Settings, company: Engine, tokens: dict[str, str]
) -> None:
    del company
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(settings))
    operations = [
        op for op in (result.ok() for result in schema.get_all_operations())
        if op.path not in OTHER_OWNERS
    ]  # fmt: skip
    assert len(operations) > 30
    failures = []
    for operation in operations:
        try:
            excluded = (
                [positive_data_acceptance] if operation.path.startswith(CROSS_FIELD_RULES) else []
            )
            _fuzz(operation.as_strategy(), bearer(tokens["editor"]), excluded)
        except (Exception, BaseExceptionGroup) as exc:  # report every operation's failures
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)


def _fuzz(
    strategy: st.SearchStrategy[schemathesis.Case],
    headers: dict[str, str],
    excluded: list[Any],
) -> None:
    @given(case=strategy)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    run()
