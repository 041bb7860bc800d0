"""The single long-lived DuckDB connection of the server, its transactions and its migrations.

Writes are serialised by one process-wide lock: measured here, a lock around stock-changing
transactions keeps ~170 orders/s with a bounded tail, while optimistic retries on hot SKUs
collapse to ~60/s with second-long tails (see shared/design.md).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

MIGRATIONS_PACKAGE = "oms_ops.store.migrations"


class Database:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._root = duckdb.connect(str(path))
        # Global, so every cursor (a connection of its own) starts in UTC without a statement of its own.
        self._root.execute("set global TimeZone = 'UTC'")
        self._write_lock = threading.Lock()

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
            try:
                cursor.execute("begin transaction")
                yield cursor
                cursor.execute("commit")
            except BaseException:
                cursor.execute("rollback")
                raise
            finally:
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
        return applied


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
