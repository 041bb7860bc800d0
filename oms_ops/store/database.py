"""The single long-lived DuckDB connection of the server, its transactions and its migrations.

Writes are serialised by one process-wide lock: measured here, a lock around stock-changing
transactions keeps ~170 orders/s with a bounded tail, while optimistic retries on hot SKUs
collapse to ~60/s with second-long tails (see shared/design.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import duckdb

MIGRATIONS_PACKAGE = "oms_ops.store.migrations"

T = TypeVar("T")


class Database:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._root = duckdb.connect(str(path))
        # Global, so every cursor (a connection of its own) starts in UTC without a statement of its own.
        self._root.execute("set global TimeZone = 'UTC'")
        self._write_lock = threading.Lock()
        # Slow-changing reads kept between write transactions (see `remembered`); only ever filled and
        # emptied while holding the write lock, and emptied whole on a rollback.
        self._memo: dict[str, Any] = {}

    def close(self) -> None:
        self._root.close()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._root.cursor()

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cursor = self.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One write transaction: commits when the block ends, rolls back on any exception."""
        with self._write_lock:
            cursor = self.cursor()
            token = _in_transaction.set(self)
            try:
                cursor.execute("begin transaction")
                yield cursor
                cursor.execute("commit")
            except BaseException:
                self._memo.clear()  # it may hold what this transaction wrote
                cursor.execute("rollback")
                raise
            finally:
                _in_transaction.reset(token)
                cursor.close()

    def migrate(self) -> list[str]:
        """Apply the SQL files of the migrations package not yet recorded, in name order."""
        with self.transaction() as cur:
            cur.execute(
                "create table if not exists schema_migrations ("
                " version varchar primary key, applied_at timestamptz not null default current_timestamp)"
            )
            done = {row[0] for row in cur.execute("select version from schema_migrations").fetchall()}
        applied = []
        for name, sql in _migration_files():
            if name in done:
                continue
            with self.transaction() as cur:
                for statement in _statements(sql):
                    cur.execute(statement)
                cur.execute("insert into schema_migrations (version) values (?)", [name])
            applied.append(name)
        self._memo.clear()
        return applied


_in_transaction: ContextVar[Database | None] = ContextVar("oms_write_transaction", default=None)


def remembered(name: str, load: Callable[[], T]) -> T:
    """`load()` once, then kept across write transactions until `forget(name)` (or any rollback).

    For small, rarely edited data read on hot paths (active approval rules, locations with a stock
    policy). Inside a write transaction only: every writer of that data must call `forget` in its own
    transaction; outside one (a read cursor), `load()` runs every time.
    """
    db = _in_transaction.get()
    if db is None:
        return load()
    if name not in db._memo:
        db._memo[name] = load()
    value: T = db._memo[name]
    return value


def forget(*names: str) -> None:
    """Drop remembered values after writing what they were read from (inside the write transaction)."""
    db = _in_transaction.get()
    if db is not None:
        for name in names:
            db._memo.pop(name, None)


def _migration_files() -> list[tuple[str, str]]:
    files = resources.files(MIGRATIONS_PACKAGE).iterdir()
    return sorted((f.name, f.read_text()) for f in files if f.name.endswith(".sql"))


def _statements(sql: str) -> list[str]:
    """Split a migration into statements: a multi-statement string is not atomic in DuckDB 2.x."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def rows_as_dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def query_dicts(cursor: duckdb.DuckDBPyConnection, sql: str, parameters: list[Any]) -> list[dict[str, Any]]:
    """Run a parameterised query and return its rows as dicts keyed by column name."""
    cursor.execute(sql, parameters)
    return rows_as_dicts(cursor)
