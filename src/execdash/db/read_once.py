"""Facts that cannot change within one read snapshot, read once per answer.

An answer's connection (`api.deps.read_conn`) reads one snapshot of the database: SQLite's read
transaction, PostgreSQL's REPEATABLE READ. Within it the ready marks, the stale periods and the
month spans of the derived tables cannot change, yet every query of a summary asked for them
again (45 of its 87 statements on PostgreSQL, a loopback round trip each). A connection marked
with the `SNAPSHOT` execution option remembers each such fact for its current transaction; any
other connection (a writer, whose own writes change them) reads them every time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar, cast

import sqlalchemy as sa

SNAPSHOT = "execdash_snapshot"
"""Execution option: this connection only reads, each transaction one snapshot."""
_MEMO = "execdash_snapshot_memo"

T = TypeVar("T")


def once(conn: sa.Connection, key: Hashable, read: Callable[[], T]) -> T:
    """`read()`, remembered under `key` for the rest of the connection's transaction when the
    connection reads one snapshot; read every time otherwise."""
    if not conn.get_execution_options().get(SNAPSHOT):
        return read()
    memo: tuple[sa.RootTransaction, dict[Hashable, object]] | None = conn.info.get(_MEMO)
    transaction = conn.get_transaction()
    if memo is not None and transaction is not None and memo[0] is transaction and key in memo[1]:
        return cast(T, memo[1][key])
    value = read()
    transaction = conn.get_transaction()  # the read may have begun it
    if transaction is not None:
        if memo is None or memo[0] is not transaction:
            memo = (transaction, {})
            conn.info[_MEMO] = memo
        memo[1][key] = value
    return value
