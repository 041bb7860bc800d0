"""Small hand-made marts.duckdb files, published the way the pipeline does it (temp file, then os.replace)."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb

LAST_DAY = date(2026, 3, 31)
# per day and channel in the 30 days before the last 30 days: (orders, units, revenue, cost)
EARLIER = {"manual": (2, 10, Decimal("100.00"), Decimal("60.00")), "edi": (1, 5, Decimal("50.00"), Decimal("35.00"))}
# ... and in the last 30 days: revenue up 20 %, same orders and units
LATER = {"manual": (2, 10, Decimal("120.00"), Decimal("72.00")), "edi": (1, 5, Decimal("60.00"), Decimal("42.00"))}


def sales_rows(days: int = 60, last_day: date = LAST_DAY) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for back in range(days):
        day = last_day - timedelta(days=back)
        for channel, (orders, units, revenue, cost) in (LATER if back < 30 else EARLIER).items():
            rows.append((day, channel, orders, orders, units, revenue, cost, revenue - cost))
    return rows


def publish_marts(data_dir: Path, published_at: datetime, rows: list[tuple[object, ...]] | None = None) -> Path:
    """Write marts.duckdb into data_dir atomically; returns its path."""
    data_dir.mkdir(parents=True, exist_ok=True)
    final = data_dir / "marts.duckdb"
    temp = data_dir / f".marts-{os.getpid()}-{published_at.timestamp()}.duckdb"
    with duckdb.connect(str(temp)) as con:
        con.execute(
            "create table mart_sales_daily (sales_date date, channel varchar, orders bigint, order_lines bigint,"
            " units bigint, revenue decimal(18, 2), cost decimal(18, 2), margin decimal(18, 2))"
        )
        rows = sales_rows() if rows is None else rows
        if rows:
            con.executemany("insert into mart_sales_daily values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute("create table publish_info (published_at timestamptz, snapshot_taken_at timestamptz)")
        con.execute("insert into publish_info values (?, ?)", [published_at, published_at - timedelta(minutes=5)])
    os.replace(temp, final)
    return final
