"""The plan API: import (editors, all-or-nothing), versions, activation, single-target edits,
the template, and the plan beside every KPI of the dashboard and the drill-downs."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.api.conftest import bearer

BUDGET = "kpi,month,target\n" + "".join(f"revenue,2025-{m:02d},200\n" for m in range(1, 13))
BUDGET += "".join(f"uptime,2025-{m:02d},98\n" for m in (4, 5, 6))


def _import(client: TestClient, token: str | None, text: str, **form: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/plans/import",
        files={"file": ("budget.csv", text.encode(), "text/csv")},
        data={"name": "Budget 2025", **form},
        headers=bearer(token) if token else {},
    )


def _kpi(client: TestClient, key: str, query: str = "range=6m") -> dict:  # type: ignore[type-arg]
    body = client.get(f"/api/v1/dashboard?{query}").json()
    return next(k for k in body["kpis"] if k["key"] == key)


def test_import_needs_an_editor_and_is_all_or_nothing(
    client: TestClient, company: Engine, tokens: dict[str, str]
) -> None:
    assert _import(client, None, BUDGET).status_code == 401
    assert _import(client, tokens["viewer"], BUDGET).status_code == 403
    bad = _import(client, tokens["editor"], BUDGET + "uptime,2025-07,abc\n")
    assert bad.status_code == 422
    assert bad.json()["problems"] == [
        {"file": "budget.csv", "row": 17, "column": "target", "value": "abc",
         "message": "is not a number"}
    ]  # fmt: skip
    assert client.get("/api/v1/plans").json() == []
    assert _kpi(client, "revenue")["plan"] is None


def test_dashboard_tiles_carry_plan_variance_attainment_and_status(
    client: TestClient, company: Engine, tokens: dict[str, str]
) -> None:
    done = _import(client, tokens["editor"], BUDGET, activate="true")
    assert done.status_code == 200, done.text
    assert (done.json()["plan"]["version"], done.json()["plan"]["active"]) == (1, True)
    assert (
        "budget.csv: uptime targets read as percent, divided by 100"
        in (done.json()["files"][0]["notes"])
    )
    plan = _kpi(client, "revenue")["plan"]
    # Jan–Jun 2025 revenue 100+100+100+200+300+500 = 1300 against 6 × 200
    assert (plan["plan"], plan["actual"], plan["variance"]) == (1200.0, 1300.0, 100.0)
    assert plan["variance_pct"] == pytest.approx(100 / 1200)
    assert plan["attainment"] == pytest.approx(1300 / 1200)
    assert (plan["favourable"], plan["plan_name"], plan["months"]) == (True, "Budget 2025", 6)
    # landing: 1300 + 6 × (200 + 300 + 500) / 3 × 1.02 = 1300 + 2040 against 2400
    assert plan["period"]["landing"] == pytest.approx(3340.0)
    assert (plan["period"]["plan"], plan["status"]) == (2400.0, "on_track")
    uptime = _kpi(client, "uptime")["plan"]
    assert (uptime["start_month"], uptime["months"], uptime["window_months"]) == (
        "2025-04", 3, 6
    )  # fmt: skip
    # (0.99 × 30 + 0.96 × 31 + 0.99 × 30) / 91 against 0.98
    assert uptime["actual"] == pytest.approx(89.16 / 91)
    assert uptime["variance"] == pytest.approx(89.16 / 91 - 0.98)
    assert uptime["variance_unit"] == "points"
    assert _kpi(client, "nrr")["plan"]["plan"] is None  # no NRR targets


def test_editing_one_target_changes_the_answers(
    client: TestClient, company: Engine, tokens: dict[str, str]
) -> None:
    plan_id = _import(client, tokens["editor"], BUDGET, activate="true").json()["plan"]["id"]
    etag = client.get("/api/v1/dashboard?range=6m").headers["etag"]
    auth = bearer(tokens["editor"])
    edit = {"kpi": "revenue", "month": "2025-06", "target": 300}
    assert client.put(f"/api/v1/plans/{plan_id}/targets", json=edit).status_code == 401
    viewer = bearer(tokens["viewer"])
    assert (
        client.put(f"/api/v1/plans/{plan_id}/targets", json=edit, headers=viewer).status_code == 403
    )
    saved = client.put(f"/api/v1/plans/{plan_id}/targets", json=edit, headers=auth)
    assert saved.status_code == 200
    assert (saved.json()["target"], saved.json()["updated_by"]) == (300.0, "editor")
    assert client.get("/api/v1/dashboard?range=6m").headers["etag"] != etag
    assert _kpi(client, "revenue")["plan"]["variance"] == 0.0  # 1300 against 1300
    percent = {"kpi": "uptime", "month": "2025-07", "target": 97.5}
    assert client.put(f"/api/v1/plans/{plan_id}/targets", json=percent, headers=auth).json()[
        "target"
    ] == pytest.approx(0.975)
    removed = {"kpi": "uptime", "month": "2025-07", "target": None}
    assert client.put(f"/api/v1/plans/{plan_id}/targets", json=removed, headers=auth).json() is None


@pytest.mark.parametrize(
    ("body", "name", "message"),
    [
        ({"kpi": "sales", "month": "2025-01", "target": 1}, "kpi", "is not a KPI a plan can hold"),
        ({"kpi": "revenue", "month": "2025-1", "target": 1}, "month", "is not a month"),
        ({"kpi": "uptime", "month": "2025-01", "target": 150}, "target", "is above 100%"),
        ({"kpi": "revenue", "month": "2025-01", "target": -1}, "target", "cannot be below zero"),
        (
            {"kpi": "uptime", "month": "2025-01", "target": 1, "segment_kind": "industry",
             "segment": "Retail"},
            "segment_kind",
            "uptime has no segments",
        ),
    ],
)  # fmt: skip
def test_bad_edits_are_422_naming_the_field(
    client: TestClient,
    company: Engine,
    tokens: dict[str, str],
    body: dict,  # type: ignore[type-arg]
    name: str,
    message: str,
) -> None:
    plan_id = _import(client, tokens["editor"], BUDGET).json()["plan"]["id"]
    response = client.put(
        f"/api/v1/plans/{plan_id}/targets", json=body, headers=bearer(tokens["editor"])
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["name"] == name
    assert message in error["message"]
    missing = client.put("/api/v1/plans/99/targets", json=body, headers=bearer(tokens["editor"]))
    assert missing.status_code == 404


def test_versions_activation_detail_and_csv(
    client: TestClient, company: Engine, tokens: dict[str, str]
) -> None:
    auth = bearer(tokens["editor"])
    first = _import(client, tokens["editor"], BUDGET, activate="true").json()["plan"]
    second = _import(client, tokens["editor"], BUDGET.replace(",200\n", ",250\n")).json()["plan"]
    assert (first["version"], second["version"], second["active"]) == (1, 2, False)
    listed = client.get("/api/v1/plans").json()
    assert [(p["version"], p["active"]) for p in listed] == [(2, False), (1, True)]
    assert client.post(f"/api/v1/plans/{second['id']}/activate").status_code == 401
    assert client.post(f"/api/v1/plans/{second['id']}/activate", headers=auth).json()["active"]
    assert _kpi(client, "revenue")["plan"]["plan"] == 1500.0  # 6 × 250
    detail = client.get(f"/api/v1/plans/{first['id']}").json()
    assert (detail["plan"]["active"], len(detail["targets"])) == (False, 15)
    csv = client.get(f"/api/v1/plans/{first['id']}?format=csv")
    assert csv.headers["content-disposition"] == 'attachment; filename="plan-budget-2025-v1.csv"'
    assert csv.text.splitlines()[:2] == [
        "kpi,month,target,segment_kind,segment",
        "revenue,2025-01,200.0,,",
    ]
    assert client.get("/api/v1/plans/99").status_code == 404
    assert client.post("/api/v1/plans/99/activate", headers=auth).status_code == 404


def test_template_is_every_kpi_and_month_of_the_window(
    client: TestClient, company: Engine, tokens: dict[str, str]
) -> None:
    empty = client.get("/api/v1/plans/template?range=3m").text.splitlines()
    assert len(empty) == 1 + 9 * 3
    assert empty[1] == "revenue,2025-04,,,"
    _import(client, tokens["editor"], BUDGET, activate="true")
    response = client.get("/api/v1/plans/template?range=3m")
    assert response.headers["content-disposition"] == (
        'attachment; filename="plan-template-3m-month-2025-06.csv"'
    )
    lines = response.text.splitlines()
    assert lines[1] == "revenue,2025-04,200.0,,"
    assert "uptime,2025-06,0.98,," in lines


def test_drilldown_lists_months_furthest_off_plan(
    client: TestClient, company: Engine, tokens: dict[str, str]
) -> None:
    _import(client, tokens["editor"], BUDGET, activate="true")
    body = client.get("/api/v1/kpis/revenue?range=6m").json()
    assert [p["value"] for p in body["plan_series"]["points"]] == [200.0] * 6
    assert body["kpi"]["plan"]["plan"] == 1200.0
    # |actual − 200| / 200: Jun 1.5, May 0.5, Jan–Mar 0.5, Apr 0; worst first, ties by month
    assert [(p["period"], p["favourable"]) for p in body["off_plan"]] == [
        ("2025-06", True), ("2025-01", False), ("2025-02", False), ("2025-03", False),
        ("2025-05", True), ("2025-04", True),
    ]  # fmt: skip
    lines = client.get("/api/v1/plans/lines?range=6m&granularity=quarter").json()
    assert lines["plan"]["name"] == "Budget 2025"
    revenue = next(s for s in lines["series"] if s["key"] == "plan_recognized")
    assert [(p["period"], p["value"]) for p in revenue["points"]] == [
        ("2025-Q1", 600.0),
        ("2025-Q2", 600.0),
    ]


def test_charts_get_the_plan_line_of_their_series(
    client: TestClient, company: Engine, tokens: dict[str, str]
) -> None:
    assert client.get("/api/v1/dashboard?range=6m").json()["plan_lines"] == []
    _import(client, tokens["editor"], BUDGET, activate="true")
    dash = client.get("/api/v1/dashboard?range=6m").json()
    assert [s["key"] for s in dash["plan_lines"]] == ["plan_recognized"]
    ops = client.get("/api/v1/operations?range=6m").json()
    line = next(s for s in ops["series"] if s["key"] == "plan_uptime")
    assert [p["value"] for p in line["points"]] == [None, None, None, 0.98, 0.98, 0.98]
    assert next(k for k in ops["kpis"] if k["key"] == "uptime")["plan"]["months"] == 3
    finance = client.get("/api/v1/finance?range=6m").json()
    assert "plan_recognized" in [s["key"] for s in finance["series"]]


def test_compare_plan_without_an_active_plan_is_refused_naming_why(
    client: TestClient, company: Engine
) -> None:
    r = client.get("/api/v1/dashboard?range=6m&compare=plan")
    assert r.status_code == 409  # a valid request the installation cannot answer yet
    assert "compare=plan needs an active plan and none is active" in r.text


def test_compare_plan_measures_tiles_drilldowns_and_domains_against_the_plan(
    client: TestClient, company: Engine, tokens: dict[str, str]
) -> None:
    assert _import(client, tokens["editor"], BUDGET, activate="true").status_code == 200
    revenue = _kpi(client, "revenue", "range=6m&compare=plan")
    # Jan–Jun 2025 revenue 1300 against 6 × 200
    assert (revenue["value"], revenue["previous"], revenue["change"]) == (1300.0, 1200.0, 100.0)
    assert revenue["delta"] == pytest.approx(100 / 1200)
    assert (revenue["direction"], revenue["favourable"], revenue["comparable"]) == (
        "up", True, True
    )  # fmt: skip
    assert revenue["coverage"]["compare"] == "plan"
    coverage = revenue["coverage"]
    assert (coverage["previous_start_month"], coverage["previous_end_month"]) == (
        "2025-01",
        "2025-06",
    )
    # uptime has targets for 3 of the 6 months: the change is withheld, as for a short window
    uptime = _kpi(client, "uptime", "range=6m&compare=plan")
    assert uptime["previous"] == pytest.approx(0.98)
    assert (uptime["comparable"], uptime["favourable"]) == (False, None)
    # no NRR targets: no previous value and no change, never a change against itself
    nrr = _kpi(client, "nrr", "range=6m&compare=plan")
    assert (nrr["previous"], nrr["change"], nrr["favourable"]) == (None, None, None)
    drill = client.get("/api/v1/kpis/revenue?range=6m&compare=plan").json()
    assert (drill["kpi"]["previous"], drill["kpi"]["change"]) == (1200.0, 100.0)
    finance = client.get("/api/v1/finance?range=6m&compare=plan").json()
    tile = next(k for k in finance["kpis"] if k["key"] == "revenue")
    assert (tile["previous"], tile["change"]) == (1200.0, 100.0)
    sales = client.get("/api/v1/sales?range=6m&compare=plan").json()
    assert all(k["previous"] is None and k["change"] is None for k in sales["kpis"])
    listed = client.get("/api/v1/kpis?range=6m&compare=plan").json()["kpis"]
    assert next(k for k in listed if k["key"] == "revenue")["previous"] == 1200.0


def test_compare_plan_is_refused_where_it_is_not_offered(
    client: TestClient, company: Engine, tokens: dict[str, str]
) -> None:
    assert _import(client, tokens["editor"], BUDGET, activate="true").status_code == 200
    r = client.get("/api/v1/kpis/revenue/drivers?range=6m&compare=plan&by=customer")
    assert r.status_code == 422
    assert "not offered" in r.text


def test_the_spec_lists_plan_as_a_comparison(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    params = spec["paths"]["/api/v1/dashboard"]["get"]["parameters"]
    compare = next(p for p in params if p["name"] == "compare")
    assert compare["schema"]["enum"] == ["previous", "last_year", "plan"]
    assert "409" in spec["paths"]["/api/v1/dashboard"]["get"]["responses"]
    for path in ("/api/v1/kpis/revenue", "/api/v1/sales", "/api/v1/summary"):
        params = spec["paths"][path]["get"]["parameters"]
        assert "plan" in next(p for p in params if p["name"] == "compare")["schema"]["enum"]
    for path in ("/api/v1/kpis/revenue/drivers", "/api/executive-dashboard", "/api/kpis/{key}"):
        params = spec["paths"][path]["get"]["parameters"]
        compare = next(p for p in params if p["name"] == "compare")
        assert compare["schema"]["enum"] == ["previous", "last_year"], path


def test_the_summary_against_the_plan_says_above_or_below_plan(
    client: TestClient, company: Engine, tokens: dict[str, str]
) -> None:
    assert _import(client, tokens["editor"], BUDGET, activate="true").status_code == 200
    body = client.get("/api/v1/summary?range=6m&compare=plan").json()
    revenue = next(s for s in body["statements"] if s["topic"] == "revenue")
    # 1300 against a plan of 1200: 8.3% above plan
    assert revenue["text"].startswith("Revenue is 8.3% above plan at ")
    assert "Revenue rose" not in body["text"]
    nrr = next((s for s in body["statements"] if s["topic"] == "nrr"), None)
    assert nrr is None or "no plan to compare with" in nrr["text"]
