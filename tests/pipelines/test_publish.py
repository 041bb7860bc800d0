"""Publishing marts.duckdb: a whole new file swapped in, or nothing at all."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from pipelines.defs.publish.assets import publish_marts

TABLES = ("fct_orders", "mart_sales_daily")
TAKEN = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)
PUBLISHED = datetime(2026, 4, 1, 8, 5, tzinfo=UTC)


def warehouse(path: Path, orders: int, tables: tuple[str, ...] = TABLES) -> Path:
    with duckdb.connect(str(path)) as con:
        for table in tables:
            con.execute(f"create or replace table {table} as select range as n from range({orders})")
    return path


def rows_in(marts: Path, table: str) -> int:
    with duckdb.connect(str(marts), read_only=True) as con:
        row = con.execute(f"select count(*) from {table}").fetchone()
    assert row is not None
    return int(row[0])


def test_publishing_copies_the_mart_tables_and_records_the_snapshot_time(tmp_path: Path):
    marts = tmp_path / "marts.duckdb"

    counts = publish_marts(warehouse(tmp_path / "warehouse.duckdb", 3), marts, TAKEN, PUBLISHED, TABLES)

    assert counts == {"fct_orders": 3, "mart_sales_daily": 3}
    with duckdb.connect(str(marts), read_only=True) as con:
        assert con.execute("select published_at, snapshot_taken_at from publish_info").fetchall() == [
            (PUBLISHED, TAKEN)
        ]


def test_a_reader_of_the_old_file_keeps_its_view_while_the_next_opener_sees_the_new_one(tmp_path: Path):
    marts = tmp_path / "marts.duckdb"
    publish_marts(warehouse(tmp_path / "w1.duckdb", 3), marts, TAKEN, PUBLISHED, TABLES)
    with duckdb.connect(str(marts), read_only=True) as dashboard:
        publish_marts(warehouse(tmp_path / "w2.duckdb", 5), marts, TAKEN, PUBLISHED, TABLES)
        assert dashboard.execute("select count(*) from fct_orders").fetchone() == (3,)
    assert rows_in(marts, "fct_orders") == 5


def test_a_failed_publish_leaves_the_published_file_as_it_was_and_no_temporary_file(tmp_path: Path):
    marts = tmp_path / "marts.duckdb"
    publish_marts(warehouse(tmp_path / "good.duckdb", 3), marts, TAKEN, PUBLISHED, TABLES)
    half_built = warehouse(tmp_path / "half.duckdb", 7, tables=("fct_orders",))

    with pytest.raises(duckdb.CatalogException):
        publish_marts(half_built, marts, TAKEN, PUBLISHED, TABLES)

    assert rows_in(marts, "fct_orders") == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.duckdb", "half.duckdb", "marts.duckdb"]
