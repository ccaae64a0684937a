"""The alert-rules API: CRUD for editors, validation naming the field, backtest, bands, links."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.db import schema as s
from tests.api.conftest import bearer

FLOOR = {"name": "Revenue floor", "metric": "revenue", "kind": "threshold",
         "direction": "below", "value": 1000, "severity": "high"}  # fmt: skip


def months(engine: Engine, values: dict[str, float]) -> None:
    with engine.begin() as conn:
        conn.execute(
            s.revenue_trend.insert(), [{"period": p, "recognized": v} for p, v in values.items()]
        )


def create(client: TestClient, token: str, **values: Any) -> Any:
    return client.post("/api/v1/alert-rules", json={**FLOOR, **values}, headers=bearer(token))


def test_an_editor_creates_a_rule_that_fires_at_once_with_links(
    client: TestClient, tokens: dict[str, str], engine: Engine
) -> None:
    months(engine, {"2026-09": 1200, "2026-10": 900})
    response = create(client, tokens["editor"])
    assert response.status_code == 201, response.text
    rule = response.json()
    assert rule["summary"] == "Fires when Revenue is below £1.0K in a month."
    assert (rule["status"], rule["firing_since"], rule["created_by"]) == (
        "firing", "2026-10", "editor",
    )  # fmt: skip
    assert rule["drilldown_url"] == "/kpi/revenue?as_of=2026-10"
    [alert] = client.get("/api/v1/alerts").json()["items"]
    assert alert["title"] == "Revenue below £1.0K in Oct 2026"
    assert alert["rule_id"] == rule["id"]
    assert alert["rule_url"] == f"/alert-rules#rule-{rule['id']}"
    assert alert["drilldown_url"] == "/kpi/revenue?as_of=2026-10"
    listed = client.get("/api/v1/alert-rules").json()
    assert listed["total"] == 1
    assert listed["items"][0]["alert_id"] == alert["id"]


def test_viewers_cannot_write_rules(client: TestClient, tokens: dict[str, str]) -> None:
    assert create(client, tokens["viewer"]).status_code == 403
    assert client.post("/api/v1/alert-rules", json=FLOOR).status_code == 401


def test_validation_names_each_bad_field(client: TestClient, tokens: dict[str, str]) -> None:
    response = create(client, tokens["editor"], metric="ebitda", value=None, direction="either")
    assert response.status_code == 422
    fields = {e["name"]: e["message"] for e in response.json()["errors"]}
    assert set(fields) == {"metric", "value", "direction"}
    assert "no metric 'ebitda'" in fields["metric"]
    assert "needs the value of its line" in fields["value"]
    bad = create(client, tokens["editor"], kind="change", value=-0.1, sensitivity=2)
    assert {e["name"] for e in bad.json()["errors"]} == {"value", "sensitivity"}
    low = create(client, tokens["editor"], hysteresis=0.9)
    assert low.status_code == 422
    assert low.json()["errors"][0]["name"] == "hysteresis"


PLAN = "kpi,month,target\n" + "".join(f"revenue,2026-{m:02d},1000\n" for m in range(5, 11))
OFF_PLAN = {"name": "Revenue vs plan", "kind": "off_plan", "direction": "below", "value": 0.05}


def import_plan(client: TestClient, token: str, text: str = PLAN) -> Any:
    response = client.post(
        "/api/v1/plans/import",
        files={"file": ("budget.csv", text.encode(), "text/csv")},
        data={"name": "Budget 2026", "activate": "true"},
        headers=bearer(token),
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_off_plan_rule_needs_an_active_plan(client: TestClient, tokens: dict[str, str]) -> None:
    response = create(client, tokens["editor"], **OFF_PLAN)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["name"] == "kind"
    assert "there is none: import a plan and mark it active" in error["message"]
    backtest = client.post("/api/v1/alert-rules/backtest", json={**FLOOR, **OFF_PLAN},
                           headers=bearer(tokens["editor"]))  # fmt: skip
    assert backtest.status_code == 422
    assert backtest.json()["errors"][0]["name"] == "kind"


def test_off_plan_rule_names_an_unplannable_metric_and_a_missing_gap(
    client: TestClient, tokens: dict[str, str]
) -> None:
    import_plan(client, tokens["editor"])
    response = create(
        client, tokens["editor"], **{**OFF_PLAN, "metric": "gross_churn", "value": None}
    )
    assert response.status_code == 422
    fields = {e["name"]: e["message"] for e in response.json()["errors"]}
    assert set(fields) == {"metric", "value"}
    assert fields["metric"].startswith("Gross churn has no plan: an off-plan rule watches a KPI")
    assert "Revenue" in fields["metric"]
    assert "needs the gap to plan that fires" in fields["value"]


def test_off_plan_alert_carries_the_drilldowns_numbers(
    client: TestClient, tokens: dict[str, str], engine: Engine
) -> None:
    months(engine, {"2026-05": 1000, "2026-06": 1010, "2026-07": 990, "2026-08": 1000,
                    "2026-09": 1020, "2026-10": 930})  # fmt: skip
    import_plan(client, tokens["editor"])
    response = create(client, tokens["editor"], **OFF_PLAN)
    assert response.status_code == 201, response.text
    rule = response.json()
    assert rule["summary"] == "Fires when Revenue is more than 5.0% below plan in a month."
    assert (rule["status"], rule["firing_since"]) == ("firing", "2026-10")
    [alert] = client.get("/api/v1/alerts").json()["items"]
    assert alert["title"] == "Revenue 7.0% below plan in Oct 2026"
    assert alert["description"].startswith(
        "Revenue was £930 in Oct 2026 against a plan of £1.0K (Budget 2026 v1): −£70 (−7.0%)"
    )
    assert alert["drilldown_url"] == "/kpi/revenue?as_of=2026-10"
    drill = client.get("/api/v1/kpis/revenue?range=6m&as_of=2026-10").json()
    worst = drill["off_plan"][0]
    assert (worst["period"], worst["actual"], worst["plan"]) == ("2026-10", 930.0, 1000.0)
    assert (worst["variance"], worst["variance_pct"]) == (-70.0, pytest.approx(-0.07))
    backtest = client.post("/api/v1/alert-rules/backtest", json={**FLOOR, **OFF_PLAN},
                           headers=bearer(tokens["editor"])).json()  # fmt: skip
    assert backtest["alerts"] == 1
    assert [e["start"] for e in backtest["episodes"]] == ["2026-10"]
    planned = [(m["period"], m["plan"]) for m in backtest["months"] if m["plan"] is not None]
    assert planned == [(f"2026-{m:02d}", 1000.0) for m in range(5, 11)]


def test_edit_disable_and_delete(
    client: TestClient, tokens: dict[str, str], engine: Engine
) -> None:
    months(engine, {"2026-10": 900})
    auth = bearer(tokens["editor"])
    rule = create(client, tokens["editor"]).json()
    url = f"/api/v1/alert-rules/{rule['id']}"
    off = client.patch(url, json={"enabled": False}, headers=auth)
    assert off.status_code == 200, off.text
    assert off.json()["status"] == "disabled"
    [alert] = client.get("/api/v1/alerts?status=closed").json()["items"]
    assert alert["description"].endswith("Resolved: the rule was disabled.")
    on = client.patch(url, json={"enabled": True, "value": 800}, headers=auth).json()
    assert (on["status"], on["value"]) == ("quiet", 800)
    assert client.patch(url, json={"kind": None}, headers=auth).status_code == 422
    assert client.patch(url, json={"direction": "either"}, headers=auth).status_code == 422
    assert client.delete(url, headers=auth).status_code == 204
    assert client.get(url).status_code == 404
    assert client.delete(url, headers=auth).status_code == 404


def test_metrics_lists_kpis_and_domain_metrics(client: TestClient) -> None:
    metrics = {m["key"]: m for m in client.get("/api/v1/alert-rules/metrics").json()}
    assert metrics["revenue"]["executive"] is True
    assert metrics["win_rate"] == {
        "key": "win_rate", "label": "Win rate", "unit": "ratio", "domain": "sales",
        "executive": False, "plannable": False,
    }  # fmt: skip
    assert "forecast" not in metrics


def test_backtest_replays_a_draft_without_saving_it(
    client: TestClient, tokens: dict[str, str], engine: Engine
) -> None:
    values = [1200, 900, 1020, 1100, 1200, 800] + [1200] * 18
    months(engine, {f"{2025 + (i + 1) // 12}-{(i + 1) % 12 + 1:02d}": v
                    for i, v in enumerate(values)})  # fmt: skip
    response = client.post(
        "/api/v1/alert-rules/backtest", json=FLOOR, headers=bearer(tokens["editor"])
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["first"], body["last"]) == ("2025-02", "2027-01")
    assert body["alerts"] == 2
    assert body["firing_months"] == 3  # 900, 1,020 (inside the margin), then 800
    assert [e["start"] for e in body["episodes"]] == ["2025-03", "2025-07"]
    assert body["summary"] == (
        "Would have raised 2 alerts in the last 24 months (firing in 3 of them), starting "
        "2025-03, 2025-07."
    )
    assert client.get("/api/v1/alert-rules").json()["total"] == 0


def test_band_endpoint_gives_the_band_per_month(client: TestClient, engine: Engine) -> None:
    history = {f"{y}-{m:02d}": 100.0 * (1.1 if y == 2025 else 1.0)
               for y in (2024, 2025) for m in range(1, 13)}  # fmt: skip
    history["2026-01"] = 150.0
    months(engine, history)
    body = client.get("/api/v1/bands/revenue?range=3m&as_of=2026-01").json()
    assert body["sensitivity"] == 3
    assert body["method"] == "ratio"
    assert [p["period"] for p in body["points"]] == ["2025-11", "2025-12", "2026-01"]
    last = body["points"][-1]
    assert last["expected"] == pytest.approx(121)  # Jan 2025 (110) × typical growth 1.1
    assert last["outside"] is True
    # Nov 2025: Nov 2024 (100) × 1.1 from the ten changes Jan–Oct 2025; inside its band
    assert body["points"][0]["expected"] == pytest.approx(110)
    assert body["points"][0]["outside"] is False
    early = client.get("/api/v1/bands/revenue?range=3m&as_of=2025-03").json()
    assert [p["expected"] for p in early["points"]] == [None, None, None]  # under 6 changes
    assert client.get("/api/v1/bands/ebitda").status_code == 404
    quarter = client.get("/api/v1/bands/revenue?granularity=quarter")
    assert quarter.status_code == 422
    assert quarter.json()["errors"][0]["name"] == "granularity"


def test_rule_writes_move_the_rules_version(
    client: TestClient, tokens: dict[str, str], engine: Engine
) -> None:
    first = client.get("/api/v1/alert-rules")
    create(client, tokens["editor"])
    again = client.get("/api/v1/alert-rules", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 200
    assert again.json()["total"] == 1
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(s.alerts)).scalar() == 0
