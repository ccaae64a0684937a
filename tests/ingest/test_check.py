"""Chunks: the column fast path stores what row by row would, and problems keep their place."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.ingest import run_import
from execdash.ingest.check import ChunkChecker
from execdash.ingest.columns import table_spec
from execdash.ingest.keys import IntKeySet, PlainKeys
from execdash.ingest.readers import CHUNK_ROWS
from execdash.ingest.report import ImportReport
from tests.ingest.conftest import messages, rows, write

HEADER = "customer_id,amount,profit,order_date,type\n"
CUSTOMERS = "id,name\n1,Acme\n2,Beta\n"


def checker(names: list[str], customers: set[int] | None = None) -> ChunkChecker:
    """A checker for orders whose parent customers are `customers`."""
    parents = {"customers": IntKeySet(customers or {1, 2})}
    return ChunkChecker(
        table_spec("orders"),
        names,
        "orders.csv",
        ImportReport("append", False),
        parents,
        PlainKeys(),
    )


def test_a_clean_chunk_comes_back_as_typed_tuples() -> None:
    check = checker(["id", "customer_id", "amount", "profit", "order_date", "type"])
    cells = [
        ["7", "", "£1,250.50", "-3", "2025-01-31T00:00:00", ""],
        ["8", "2", "1e2", "0", "2025-02-01", "x"],
    ]
    assert check.check([2, 3], cells) == [
        (7, None, 1250.5, -3.0, "2025-01-31", None),
        (8, 2, 100.0, 0.0, "2025-02-01", "x"),
    ]
    assert 7 in check.seen
    assert 8 in check.seen


def test_every_problem_of_a_chunk_is_reported_in_file_order() -> None:
    check = checker(["id", "customer_id", "amount", "profit", "order_date"])
    cells = [
        ["1", "1", "10", "1", "2025-01-01"],
        ["2", "9", "ten", "1", "2025-13-01"],  # two bad cells, then nothing else of this row
        ["3", "9", "10", "1", "2025-01-01"],  # unknown customer
        ["1", "2", "10", "1", "2025-01-01"],  # duplicate id
        ["4", "2", "10"],  # short row
    ]
    assert check.check([2, 3, 4, 5, 6], cells) is None
    assert [(p.row, p.column, p.value) for p in check.report.problems] == [
        (3, "amount", "ten"),
        (3, "order_date", "2025-13-01"),
        (4, "customer_id", "9"),
        (5, "id", "1"),
        (6, None, None),
    ]
    assert check.report.problems[3].message == "duplicate key id=1 (appears earlier in the file)"
    assert check.report.problems[4].message == "has 3 cells; the header has 5"


def test_a_key_seen_in_an_earlier_chunk_is_a_duplicate() -> None:
    check = checker(["id", "amount", "profit", "order_date"])
    assert check.check([2], [["5", "1", "1", "2025-01-01"]]) is not None
    assert check.check([3], [["5", "1", "1", "2025-01-01"]]) is None
    assert [p.row for p in check.report.problems] == [3]


def orders_file(count: int, bad: dict[int, str] | None = None) -> str:
    """`count` orders with NULLs, negatives, money text and repeated dates; `bad` rows replaced."""
    lines = []
    for i in range(count):
        customer = "" if i % 7 == 0 else str(1 + i % 2)
        amount = f'"£{1 + i // 1000},{i % 1000:03d}.50"' if i % 11 == 0 else f"{i * 0.37 - 50:.2f}"
        kind = ["", "booked", "recognized"][i % 3]
        lines.append(f"{customer},{amount},{-i % 13},2025-{1 + i % 12:02d}-{1 + i % 28:02d},{kind}")
    for number, text in (bad or {}).items():
        lines[number - 2] = text
    return HEADER + "\n".join(lines) + "\n"


def test_fast_path_stores_exactly_what_row_by_row_stores(
    any_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = CHUNK_ROWS + 500  # two chunks
    data = write(tmp_path, "orders.csv", orders_file(count))
    customers = write(tmp_path, "customers.csv", CUSTOMERS)
    assert run_import(any_engine, [customers, data]).ok
    fast = rows(any_engine, "orders")
    with any_engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM orders"))
    monkeypatch.setattr(ChunkChecker, "_fast", lambda self, cells: None)
    report = run_import(any_engine, [data], mode="append")
    assert report.ok, messages(report)
    slow = rows(any_engine, "orders")
    assert len(fast) == count
    assert [r[1:] for r in fast] == [r[1:] for r in slow]  # all but the assigned id
    assert fast[0][1:4] == (None, 1000.5, 0.0)
    assert (str(fast[0][4]), fast[0][5]) == ("2025-01-01", None)


def test_problems_in_a_later_chunk_name_their_rows(engine: Engine, tmp_path: Path) -> None:
    late = CHUNK_ROWS + 1000
    bad = {5: "1,10,1,2025-02-30,booked", late: "3,10,1,2025-01-01,booked"}
    data = write(tmp_path, "orders.csv", orders_file(CHUNK_ROWS + 2000, bad))
    report = run_import(engine, [write(tmp_path, "customers.csv", CUSTOMERS), data])
    assert messages(report) == [
        "orders.csv row 5 column order_date: value '2025-02-30' is not a valid date (YYYY-MM-DD)",
        f"orders.csv row {late} column customer_id: value '3' "
        "customer_id 3 is not a customers.id (no such row)",
    ]
    assert rows(engine, "orders") == []
