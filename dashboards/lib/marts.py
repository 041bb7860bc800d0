"""Read-only queries over the published marts.duckdb.

The file is swapped whole by the publish step (os.replace), so each query opens it read-only, reads,
and closes it; results are cached per file version (inode + mtime), which makes a newly published
file show up at the next run without reopening anything by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Literal

import duckdb
import polars as pl
import streamlit as st

Grain = Literal["day", "week", "month"]
GRAINS: tuple[Grain, ...] = ("day", "week", "month")
STALE_AFTER = timedelta(hours=2)
CACHE_TTL_SECONDS = 600


class MartsUnavailable(Exception):
    """The published file is there but cannot answer (a table is missing, or it is not a DuckDB file)."""


@dataclass(frozen=True)
class Published:
    path: str
    version: str  # changes whenever a new file is swapped in; part of every cache key


@dataclass(frozen=True)
class PublishInfo:
    published_at: datetime
    snapshot_taken_at: datetime | None


@dataclass(frozen=True)
class Totals:
    revenue: Decimal
    orders: int
    units: int
    margin: Decimal

    @property
    def margin_rate(self) -> Decimal | None:
        return self.margin / self.revenue if self.revenue else None


@dataclass(frozen=True)
class SalesKpis:
    first_day: date
    last_day: date
    current: Totals
    previous: Totals | None  # the same number of days just before, when the data reaches back that far


def published(path: Path) -> Published | None:
    """None while nothing has been published yet."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return Published(str(path), f"{stat.st_ino}:{stat.st_mtime_ns}")


def is_stale(published_at: datetime, now: datetime, limit: timedelta = STALE_AFTER) -> bool:
    return now - published_at > limit


@contextmanager
def _reading(path: str) -> Iterator[duckdb.DuckDBPyConnection]:
    try:
        con = duckdb.connect(path, read_only=True)
    except duckdb.Error as exc:
        raise MartsUnavailable(f"The published data cannot be opened: {exc}") from exc
    try:
        yield con
    except duckdb.CatalogException as exc:
        raise MartsUnavailable(f"The published data is incomplete: {exc}") from exc
    finally:
        con.close()


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=32, show_spinner=False)
def publish_info(path: str, version: str) -> PublishInfo | None:
    with _reading(path) as con:
        row = con.execute(
            "select published_at, snapshot_taken_at from publish_info order by published_at desc limit 1"
        ).fetchone()
    return PublishInfo(row[0], row[1]) if row else None


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=64, show_spinner=False)
def sales_trend(path: str, version: str, grain: Grain) -> pl.DataFrame:
    """Revenue and orders per period and channel: period (date), channel, revenue (decimal), orders."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, not {grain!r}")
    with _reading(path) as con:
        return con.sql(
            f"select date_trunc('{grain}', sales_date)::date as period, channel,"
            " sum(revenue) as revenue, sum(orders)::bigint as orders"
            " from mart_sales_daily group by all order by period, channel"
        ).pl()


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=32, show_spinner=False)
def sales_kpis(path: str, version: str, days: int = 30) -> SalesKpis | None:
    """Totals of the last `days` days of published sales, and of the `days` before them; None when empty."""
    with _reading(path) as con:
        rows = con.execute(
            "with bounds as (select max(sales_date) as last_day, min(sales_date) as first_day from mart_sales_daily)"
            " select sales_date > last_day - $days as is_current, min(first_day), max(last_day),"
            " coalesce(sum(revenue), 0), coalesce(sum(orders), 0), coalesce(sum(units), 0), coalesce(sum(margin), 0)"
            " from mart_sales_daily, bounds where sales_date > last_day - 2 * $days"
            " group by is_current",
            {"days": days},
        ).fetchall()
    by_period = {row[0]: row for row in rows}
    if True not in by_period:
        return None
    current = by_period[True]
    first_day: date = current[1]
    last_day: date = current[2]
    previous = by_period.get(False)
    complete_previous = previous is not None and first_day <= last_day - timedelta(days=2 * days - 1)
    return SalesKpis(
        first_day=max(first_day, last_day - timedelta(days=days - 1)),
        last_day=last_day,
        current=_totals(current),
        previous=_totals(previous) if previous is not None and complete_previous else None,
    )


def _totals(row: tuple[object, ...]) -> Totals:
    revenue, orders, units, margin = row[3:7]
    return Totals(Decimal(str(revenue)), int(str(orders)), int(str(units)), Decimal(str(margin)))
