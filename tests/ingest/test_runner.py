"""Import modes, load order, logging and transactions, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import versions
from execdash.db.schema import orders
from execdash.db.tables import import_log
from execdash.ingest import runner
from tests.ingest.conftest import file_fingerprint, messages, rows

CUSTOMERS = "id,name,industry\n1,Acme,Tech\n2,Beta,Retail\n"
ORDERS = (
    "id,customer_id,amount,profit,order_date,type\n"
    "1,1,100,30,2025-01-31,subscription\n2,2,50,10,2025-02-01,one-off\n"
)


def test_files_load_parents_first_whatever_the_order_given(any_engine: Engine, importer) -> None:
    report = importer(any_engine, {"orders.csv": ORDERS, "customers.csv": CUSTOMERS})
    assert report.ok, messages(report)
    assert [f.table for f in report.files] == ["customers", "orders"]
    assert [r[:3] for r in rows(any_engine, "orders")] == [(1, 1, 100.0), (2, 2, 50.0)]


def test_success_is_logged_and_bumps_the_data_version(any_engine: Engine, importer) -> None:
    report = importer(any_engine, {"customers.csv": CUSTOMERS}, user="cfo")
    assert report.ok
    with any_engine.connect() as conn:
        log = conn.execute(sa.select(import_log)).mappings().one()
        moved = versions.of(conn, ["customers", "orders"])
    assert (log["table_name"], log["rows"], log["mode"], log["username"]) == (
        "customers",
        2,
        "append",
        "cfo",
    )
    assert log["source"] == "customers.csv"
    assert len(log["checksum"]) == 64
    assert json.loads(log["report"])["files"][0]["table"] == "customers"
    assert moved["customers"] > 0
    assert moved["orders"] == 0  # answers that read only orders stay valid


def test_upsert_updates_existing_keys_and_adds_new_ones(any_engine: Engine, importer) -> None:
    assert importer(any_engine, {"customers.csv": CUSTOMERS}).ok
    report = importer(
        any_engine, {"customers.csv": "id,name\n2,Beta Ltd\n3,Gamma\n"}, mode="upsert"
    )
    assert report.ok, messages(report)
    assert [r[:3] for r in rows(any_engine, "customers")] == [
        (1, "Acme", "Tech"),
        (2, "Beta Ltd", "Retail"),  # columns not in the file keep their values
        (3, "Gamma", None),
    ]


def test_upsert_by_composite_key(any_engine: Engine, importer) -> None:
    header = "period,stage_name,value\n"
    first = importer(
        any_engine, {"pipeline_stages_daily.csv": header + "2025-01-01,Leads,5\n2025-01-01,MQL,2\n"}
    )
    assert first.ok
    report = importer(
        any_engine,
        {"pipeline_stages_daily.csv": header + "2025-01-01,MQL,3\n2025-01-02,Leads,7\n"},
        mode="upsert",
    )
    assert report.ok, messages(report)
    values = [(str(r[0]), r[1], r[2]) for r in rows(any_engine, "pipeline_stages_daily")]
    assert values == [
        ("2025-01-01", "Leads", 5),
        ("2025-01-01", "MQL", 3),
        ("2025-01-02", "Leads", 7),
    ]


def test_append_of_an_existing_composite_key_is_rejected(any_engine: Engine, importer) -> None:
    header = "period,stage_name,value\n"
    assert importer(any_engine, {"pipeline_stages_daily.csv": header + "2025-01-01,Leads,5\n"}).ok
    report = importer(any_engine, {"pipeline_stages_daily.csv": header + "2025-01-01,Leads,6\n"})
    assert [p.row for p in report.problems] == [2]
    assert "period=2025-01-01, stage_name=Leads already exists" in report.problems[0].message


def test_an_id_in_two_appended_files_of_one_table_is_refused_in_the_second(
    any_engine: Engine, importer
) -> None:
    """Each file is checked against the database and the files before it, so the second
    file's copy of id 2 is named (file, row, column) and nothing is written."""
    assert importer(any_engine, {"customers.csv": CUSTOMERS}).ok
    header = "id,customer_id,amount,profit,order_date,type\n"
    files = {
        "orders-2025.csv": header + "1,1,100,30,2025-01-31,subscription\n2,2,50,10,2025-02-01,\n",
        "orders-2026.csv": header + "3,1,70,20,2026-01-31,\n2,1,80,20,2026-02-01,\n",
    }
    report = importer(any_engine, files, table="orders")
    assert [(p.file, p.row, p.column) for p in report.problems] == [("orders-2026.csv", 3, "id")]
    assert rows(any_engine, "orders") == []


def test_an_upsert_without_the_key_column_is_refused_naming_it(
    any_engine: Engine, importer
) -> None:
    report = importer(any_engine, {"customers.csv": "name,industry\nAcme,Tech\n"}, mode="upsert")
    assert [(p.file, p.row, p.column) for p in report.problems] == [("customers.csv", 1, "id")]
    assert "upsert needs the primary key column" in report.problems[0].message
    assert rows(any_engine, "customers") == []


def test_replace_swaps_the_tables_rows(any_engine: Engine, importer) -> None:
    assert importer(
        any_engine, {"expenses.csv": "id,cost,date\n1,5,2025-01-01\n2,6,2025-01-02\n"}
    ).ok
    report = importer(
        any_engine, {"expenses.csv": "id,cost,date\n7,9,2025-03-01\n"}, mode="replace"
    )
    assert report.ok
    assert [(r[0], r[1]) for r in rows(any_engine, "expenses")] == [(7, 9.0)]


def test_replacing_customers_that_orders_still_use_is_refused(any_engine: Engine, importer) -> None:
    assert importer(any_engine, {"customers.csv": CUSTOMERS, "orders.csv": ORDERS}).ok
    report = importer(any_engine, {"customers.csv": "id,name\n1,Acme\n"}, mode="replace")
    assert len(report.problems) == 1
    assert "would detach orders rows whose customer_id is not in the file (2)" in (
        report.problems[0].message
    )
    assert len(rows(any_engine, "customers")) == 2


def test_dry_run_validates_but_writes_nothing(any_engine: Engine, importer) -> None:
    report = importer(any_engine, {"customers.csv": CUSTOMERS}, dry_run=True)
    assert report.ok
    assert report.rows == 2
    assert rows(any_engine, "customers") == []
    assert rows(any_engine, "execdash_import_log") == []


def test_postgres_sequence_moves_past_imported_ids(any_engine: Engine, importer) -> None:
    assert importer(any_engine, {"customers.csv": CUSTOMERS, "orders.csv": ORDERS}).ok
    with any_engine.begin() as conn:
        new_id = conn.execute(
            orders.insert()
            .values(amount=1, profit=0, order_date=sa.func.current_date())
            .returning(orders.c.id)
        ).scalar_one()
    assert new_id == 3


def test_rows_without_id_get_one_from_the_database(any_engine: Engine, importer) -> None:
    report = importer(any_engine, {"expenses.csv": "cost,date\n5,2025-01-01\n6,2025-01-02\n"})
    assert report.ok
    assert [(r[0], r[1]) for r in rows(any_engine, "expenses")] == [(1, 5.0), (2, 6.0)]


def test_datetimes_are_stored_like_sqlalchemy_stores_them(any_engine: Engine, importer) -> None:
    report = importer(
        any_engine, {"user_events.csv": "id,event_type,event_time\n1,login,2025-01-02T03:04:05Z\n"}
    )
    assert report.ok
    with any_engine.connect() as conn:
        value = conn.execute(sa.text("SELECT event_time FROM user_events")).scalar_one()
    if any_engine.dialect.name == "sqlite":
        assert value == "2025-01-02 03:04:05.000000"
    else:
        assert str(value) == "2025-01-02 03:04:05"


def test_failed_multi_file_import_leaves_the_file_byte_for_byte(engine: Engine, importer) -> None:
    assert importer(engine, {"customers.csv": CUSTOMERS}).ok
    before = file_fingerprint(engine)
    bad_orders = ORDERS.replace("2025-02-01", "01/02/2025")
    report = importer(engine, {"customers.csv": "id,name\n3,Gamma\n", "orders.csv": bad_orders})
    assert [(p.file, p.row, p.column) for p in report.problems] == [("orders.csv", 3, "order_date")]
    assert file_fingerprint(engine) == before


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (RuntimeError("refresh failed"),
         "rolled back, nothing was written: RuntimeError('refresh failed')"),
        (sa.exc.OperationalError("UPDATE", {}, Exception("disk I/O error")),
         "the database refused the rows, nothing was written: disk I/O error"),
    ],
    ids=["any error", "a database error"],
)  # fmt: skip
def test_failure_while_writing_rolls_every_file_back(
    engine: Engine, importer, monkeypatch: pytest.MonkeyPatch, error: Exception, said: str
) -> None:
    def broken(*args: object) -> int:
        raise error

    monkeypatch.setattr(runner, "record_data_change", broken)
    before = file_fingerprint(engine)
    report = importer(engine, {"customers.csv": CUSTOMERS, "orders.csv": ORDERS})
    assert not report.ok
    assert said in report.problems[0].message
    assert report.problems[0].file == "customers.csv, orders.csv"  # every file it rolled back
    assert rows(engine, "customers") == []
    assert rows(engine, "execdash_import_log") == []
    assert file_fingerprint(engine) == before


def test_progress_reports_bytes_over_both_passes(engine: Engine, tmp_path) -> None:
    body = "".join(f"{i},1.5,2025-01-01\n" for i in range(1, 50_001))
    path = tmp_path / "expenses.csv"
    path.write_text("id,cost,date\n" + body)
    size = path.stat().st_size
    seen: list[tuple[str, int, int]] = []
    report = runner.run_import(engine, [path], progress=lambda *a: seen.append(a))
    assert report.ok
    assert {total for _, _, total in seen} == {2 * size}
    done = [d for _, d, _ in seen]
    assert done == sorted(done)
    assert done[-1] == 2 * size
    assert any(0 < d < size for d in done)  # the checking pass reports too, not only the load
    assert any(size < d < 2 * size for d in done)


def test_bulk_load_rebuilds_the_indexes_it_dropped(engine: Engine, tmp_path) -> None:
    body = "".join(f"{i},2.5,2025-01-{1 + i % 28:02d}\n" for i in range(1, 100_001))
    path = tmp_path / "expenses.csv"
    path.write_text("id,cost,date\n" + body)
    assert runner.run_import(engine, [path]).ok
    with engine.connect() as conn:
        indexes = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'expenses'"
        ).scalars()
        assert list(indexes) == ["idx_expenses_date"]
        count, total = conn.exec_driver_sql("SELECT COUNT(*), SUM(cost) FROM expenses").one()
    assert (count, total) == (100_000, 250_000.0)


def test_an_import_waits_for_another_writer_instead_of_failing(engine: Engine, importer) -> None:
    """Another process (the server) holds the write lock as the import's write begins."""
    import sqlite3
    import threading
    import time

    assert engine.url.database
    assert importer(engine, {"customers.csv": CUSTOMERS}).ok
    other = sqlite3.connect(engine.url.database, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO user_events (event_type, event_time) VALUES ('x', '2025-01-01')")
    committer = threading.Thread(target=lambda: (time.sleep(0.3), other.execute("COMMIT")))

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _writing(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        # The import starts to write (BEGIN IMMEDIATE, or the first INSERT of a deferred
        # transaction that has already read): the other writer commits a moment later.
        writing = statement.startswith(("BEGIN IMMEDIATE", "INSERT INTO orders"))
        if writing and committer.ident is None:
            committer.start()

    report = importer(engine, {"orders.csv": ORDERS})  # reads rollup marks before it writes
    if committer.ident is None:
        committer.start()
    committer.join()
    other.close()
    assert report.ok, messages(report)
    assert len(rows(engine, "orders")) == 2


def test_map_pairs_are_read_case_and_space_insensitively() -> None:
    assert runner.parse_mapping([" Company Name = NAME ", "sector=Industry"]) == {
        "company name": "name",
        "sector": "industry",
    }
    assert runner.parse_mapping([]) == {}


def test_a_map_whose_header_holds_an_equals_sign_splits_at_the_last_one() -> None:
    # Column names never hold '=', so everything before the last one is the file's header.
    assert runner.parse_mapping(["Net=Gross=amount"]) == {"net=gross": "amount"}


@pytest.mark.parametrize("pair", ["amount", "=amount", "amount=", " = ", "  =x", "x=  "])
def test_a_malformed_map_pair_is_refused_naming_it(pair: str) -> None:
    with pytest.raises(ValueError, match="is not of the form old=new") as error:
        runner.parse_mapping(["a=b", pair])
    assert str(error.value) == f"--map {pair!r} is not of the form old=new"
