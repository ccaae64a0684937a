"""The corpus of bad files: each problem names file, row, column and value; nothing is written."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from tests.ingest.conftest import file_fingerprint, messages, rows

CUSTOMERS = (
    "id,name,industry,source,created_at\n1,Acme,Tech,web,2024-01-05\n2,Beta,Retail,,2024-02-01\n"
)


def test_wrong_type_is_reported_with_row_column_and_value(engine: Engine, importer) -> None:
    report = importer(
        engine,
        {"orders.csv": "id,amount,profit,order_date\n1,10,1,2025-01-01\n2,ten,1,2025-01-02\n"},
    )
    assert not report.ok
    problem = report.problems[0]
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "orders.csv",
        3,
        "amount",
        "ten",
    )
    assert "not a number" in problem.message
    assert rows(engine, "orders") == []


def test_missing_required_column_is_named(engine: Engine, importer) -> None:
    report = importer(engine, {"orders.csv": "id,amount,order_date\n1,10,2025-01-01\n"})
    assert messages(report) == ["orders.csv row 1 column profit: required column is missing"]


def test_extra_column_is_rejected_listing_valid_columns(engine: Engine, importer) -> None:
    report = importer(
        engine, {"orders.csv": "id,amount,profit,order_date,colour\n1,10,1,2025-01-01,red\n"}
    )
    assert len(report.problems) == 1
    assert report.problems[0].column == "colour"
    assert (
        "valid columns: id, customer_id, amount, profit, order_date, type"
        in report.problems[0].message
    )


def test_headers_are_case_insensitive_trimmed_and_mappable(engine: Engine, importer) -> None:
    report = importer(
        engine,
        {"orders.csv": " ID ,Amount, Margin ,ORDER_DATE\n1,10,2,2025-01-01\n"},
        mapping={"margin": "profit"},
    )
    assert report.ok, messages(report)
    assert rows(engine, "orders") == [(1, None, 10.0, 2.0, "2025-01-01", None)]


def test_bad_dates_are_rejected(engine: Engine, importer) -> None:
    report = importer(
        engine,
        {
            "expenses.csv": "id,cost,date\n1,5,2025-02-30\n2,5,02/03/2025\n"
            "3,5,2025-03\n4,5,2025-03-04\n"
        },
    )
    assert [(p.row, p.value) for p in report.problems] == [
        (2, "2025-02-30"),
        (3, "02/03/2025"),
        (4, "2025-03"),
    ]
    assert rows(engine, "expenses") == []


def test_monthly_period_must_be_yyyy_mm(engine: Engine, importer) -> None:
    report = importer(engine, {"ops_uptime.csv": "period,uptime\n2025-01,0.99\n2025/02,0.98\n"})
    assert [(p.row, p.column, p.value) for p in report.problems] == [(3, "period", "2025/02")]


def test_negative_mrr_is_rejected(any_engine: Engine, importer) -> None:
    report = importer(
        any_engine, {"retention_at_risk.csv": "id,customer,mrr,risk\n1,Acme,-100,0.5\n"}
    )
    assert [(p.row, p.column, p.value) for p in report.problems] == [(2, "mrr", "-100")]
    assert "negative" in report.problems[0].message


def test_risk_column_of_percents_is_divided_by_100(any_engine: Engine, importer) -> None:
    report = importer(
        any_engine,
        {"retention_at_risk.csv": "id,customer,mrr,risk\n1,Acme,100,85\n2,Beta,50,0.5\n"},
    )
    assert report.ok, messages(report)
    assert report.files[0].notes == ["retention_at_risk.risk: read as percent, divided by 100"]
    assert [r[3] for r in rows(any_engine, "retention_at_risk")] == [0.85, 0.005]


def test_risk_of_150_is_rejected_as_above_100_percent(any_engine: Engine, importer) -> None:
    report = importer(
        any_engine,
        {"retention_at_risk.csv": "id,customer,mrr,risk\n1,Acme,100,85\n2,Beta,50,150\n"},
    )
    assert [(p.row, p.column, p.value) for p in report.problems] == [(3, "risk", "150")]
    assert "above 100%" in report.problems[0].message


def test_ratio_column_stays_when_no_value_exceeds_one(engine: Engine, importer) -> None:
    report = importer(engine, {"ops_uptime.csv": "period,uptime\n2025-01,1\n2025-02,0.97\n"})
    assert report.ok
    assert report.files[0].notes == []
    assert rows(engine, "ops_uptime") == [("2025-01", 1.0), ("2025-02", 0.97)]


def test_nrr_is_percent_only_above_five(any_engine: Engine, importer) -> None:
    ratio = importer(
        any_engine,
        {"retention_nrr.csv": "period,nrr,gross_churn,expansion\n2025-01,1.12,0.02,0.04\n"},
    )
    assert ratio.ok
    assert ratio.files[0].notes == []
    percent = importer(
        any_engine, {"retention_nrr.csv": "period,nrr,gross_churn,expansion\n2025-02,112,2,4\n"}
    )
    assert percent.ok, messages(percent)
    assert percent.files[0].notes == [
        "retention_nrr.nrr: read as percent, divided by 100",
        "retention_nrr.gross_churn: read as percent, divided by 100",
        "retention_nrr.expansion: read as percent, divided by 100",
    ]
    assert rows(any_engine, "retention_nrr") == [
        ("2025-01", 1.12, 0.02, 0.04),
        ("2025-02", 1.12, 0.02, 0.04),
    ]


def test_cogs_variance_may_be_negative(engine: Engine, importer) -> None:
    report = importer(
        engine, {"supply_cogs_variance.csv": "period,variance_pct\n2025-01,-3\n2025-02,2.5\n"}
    )
    assert report.ok, messages(report)
    assert rows(engine, "supply_cogs_variance") == [("2025-01", -0.03), ("2025-02", 0.025)]


def test_unknown_stage_name_lists_allowed_values(any_engine: Engine, importer) -> None:
    report = importer(
        any_engine,
        {
            "pipeline_stages_daily.csv": "period,stage_name,value\n"
            "2025-01-01,leads,5\n2025-01-01,Prospects,3\n"
        },
    )
    assert [(p.row, p.column, p.value) for p in report.problems] == [(3, "stage_name", "Prospects")]
    assert "Leads, MQL, SQL, Won" in report.problems[0].message


def test_check_values_are_normalised_to_their_canonical_case(engine: Engine, importer) -> None:
    report = importer(engine, {"alerts.csv": "id,type,title,severity\n1,ops,Line down,HIGH\n"})
    assert report.ok
    assert rows(engine, "alerts")[0][4] == "high"


def test_orphan_customer_id_is_rejected(any_engine: Engine, importer) -> None:
    report = importer(
        any_engine,
        {
            "customers.csv": CUSTOMERS,
            "orders.csv": "id,customer_id,amount,profit,order_date\n"
            "1,1,5,1,2025-01-01\n2,9,5,1,2025-01-01\n",
        },
    )
    assert [(p.file, p.row, p.column, p.value) for p in report.problems] == [
        ("orders.csv", 3, "customer_id", "9")
    ]
    assert "customers.id" in report.problems[0].message
    assert rows(any_engine, "customers") == []


def test_duplicate_key_in_file_and_against_table(any_engine: Engine, importer) -> None:
    first = importer(any_engine, {"customers.csv": CUSTOMERS})
    assert first.ok
    report = importer(any_engine, {"customers.csv": "id,name\n2,Again\n3,New\n3,Twice\n"})
    assert [(p.row, p.value) for p in report.problems] == [(2, "2"), (4, "3")]
    assert "already exists" in report.problems[0].message
    assert "earlier in the file" in report.problems[1].message


def test_empty_file_is_an_error(engine: Engine, importer) -> None:
    report = importer(engine, {"orders.csv": ""})
    assert messages(report) == ["orders.csv: the file is empty (no header row)"]


def test_header_only_file_imports_zero_rows(engine: Engine, importer) -> None:
    report = importer(engine, {"orders.csv": "id,amount,profit,order_date\n"})
    assert report.ok
    assert report.files[0].rows == 0
    assert report.files[0].notes == ["orders.csv: header only, no rows"]


def test_row_with_wrong_number_of_cells_is_reported(engine: Engine, importer) -> None:
    report = importer(engine, {"expenses.csv": "id,cost,date\n1,5\n"})
    assert messages(report) == ["expenses.csv row 2: has 2 cells; the header has 3"]


def test_unknown_table_lists_valid_tables(engine: Engine, importer) -> None:
    report = importer(engine, {"sales.csv": "id\n1\n"})
    assert "'sales' is not a table" in report.problems[0].message
    assert "orders" in report.problems[0].message


def test_report_lists_at_most_50_problems_but_counts_all(engine: Engine, importer) -> None:
    body = "".join(f"{i},x,2025-01-01\n" for i in range(1, 121))
    report = importer(engine, {"expenses.csv": "id,cost,date\n" + body})
    assert report.problem_count == 120
    assert len(report.problems) == 50


def test_one_bad_row_among_100000_is_found_and_nothing_is_written(engine: Engine, importer) -> None:
    lines = [f"{i},{i % 97}.5,1.25,2025-01-{1 + i % 28:02d},sale\n" for i in range(1, 100_001)]
    lines[76_542] = "76543,12.5,1.25,2025-13-01,sale\n"
    before = file_fingerprint(engine)
    report = importer(engine, {"orders.csv": "id,amount,profit,order_date,type\n" + "".join(lines)})
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (76_544, "order_date", "2025-13-01")
    ]
    assert file_fingerprint(engine) == before
    assert rows(engine, "orders") == []


def test_integer_beyond_64_bits_is_rejected(engine: Engine, importer) -> None:
    report = importer(engine, {"customers.csv": "id,name\n99999999999999999999,Acme\n"})
    assert [(p.row, p.column) for p in report.problems] == [(2, "id")]
    assert "64-bit" in report.problems[0].message


def test_a_dry_run_keeps_no_rows(engine: Engine, importer, monkeypatch) -> None:
    from execdash.ingest.store import RowStore

    def refuse(self: RowStore, rows: object) -> None:
        raise AssertionError("a dry run must not keep rows")

    monkeypatch.setattr(RowStore, "add", refuse)
    report = importer(engine, {"customers.csv": CUSTOMERS}, dry_run=True)
    assert report.ok, messages(report)
    assert report.rows == 2
