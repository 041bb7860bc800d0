"""Read-only queries for the Sales page over mart_sales_lines and mart_category_affinity (published marts.duckdb).

Every filter and aggregate runs inside DuckDB with bound parameters; the page only ever receives one row per
period, per bar or per drilled-into line (at most DRILL_LIMIT). Results are cached per file version and filter.

Last year: a day of last year counts towards the date one year later (DuckDB's `+ interval 1 year`), so
29 February 2024 counts towards 28 February 2025 and 29 February 2024 itself has no day last year. The same rule
serves the totals and the trend, so last year's trend always adds up to last year's total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal, TypeVar

import polars as pl
import streamlit as st

from dashboards.lib.marts import CACHE_TTL_SECONDS, Grain, Totals, _reading

Measure = Literal["revenue", "orders", "units", "margin"]
MEASURES: tuple[Measure, ...] = ("revenue", "orders", "units", "margin")
Breakdown = Literal["channel", "region", "category", "tier", "product"]
BREAKDOWNS: tuple[Breakdown, ...] = ("channel", "region", "category", "tier", "product")
BREAKDOWN_COLUMNS: dict[Breakdown, str] = {
    "channel": "channel",
    "region": "region",
    "category": "category",
    "tier": "tier",
    "product": "sku",
}
_Name = TypeVar("_Name", bound=str)
TOP_PRODUCTS = 20
DRILL_LIMIT = 1000

SUMS_SQL = (
    "coalesce(sum(revenue), 0) as revenue, coalesce(sum(quantity), 0)::bigint as units,"
    " coalesce(sum(margin), 0) as margin"
)
FILTER_COLUMNS = {"channels": "channel", "regions": "region", "categories": "category", "tiers": "tier"}
IN_RANGE = "sales_date between $first_day and $last_day"
# last year's days that count towards the chosen range; the first condition lets DuckDB skip blocks by date
LAST_YEAR = (
    "sales_date between ($first_day - interval 1 year - interval 1 day)::date"
    " and ($last_day - interval 1 year)::date + 1"
    " and (sales_date + interval 1 year)::date between $first_day and $last_day"
)
DRILL_COLUMNS = (
    "sales_date, order_number, customer_code, customer_name, region, tier, channel, sku, product_name, category,"
    " warehouse_code, quantity, revenue, margin"
)


@dataclass(frozen=True)
class SalesFilter:
    """What the global filters chose; an empty tuple means all."""

    first_day: date
    last_day: date
    channels: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()

    def params(self) -> dict[str, object]:
        """The bound values of where_sql() (only the filters in use: DuckDB refuses unused parameters)."""
        chosen = {name: list(getattr(self, name)) for name in FILTER_COLUMNS if getattr(self, name)}
        return {"first_day": self.first_day, "last_day": self.last_day, **chosen}

    def where_sql(self) -> str:
        """The filters in use as SQL over bound parameters; none means every line."""
        used = [f"list_contains(${name}, {column})" for name, column in FILTER_COLUMNS.items() if getattr(self, name)]
        return " and ".join(used) or "true"

    def measures_sql(self, by: Breakdown | None = None) -> str:
        """Revenue, orders, units, margin. Orders by summing a first-line flag of the mart (a distinct count is
        the slow part at scale), except across two or more chosen categories, where an order may hold both."""
        if by == "product":
            orders = "count(*) filter (where is_first_line_of_product)"
        elif by == "category" or len(self.categories) == 1:
            orders = "count(*) filter (where is_first_line_of_category)"
        elif self.categories:
            orders = "count(distinct order_number)"
        else:
            orders = "count(*) filter (where is_first_line_of_order)"
        return f"{SUMS_SQL}, {orders} as orders"


@dataclass(frozen=True)
class SalesChoices:
    first_day: date | None  # None when nothing was sold
    last_day: date | None
    channels: tuple[str, ...]
    regions: tuple[str, ...]
    categories: tuple[str, ...]
    tiers: tuple[str, ...]


@dataclass(frozen=True)
class PeriodTotals:
    current: Totals
    last_year: Totals | None  # None when the data does not reach back a year before the range


@dataclass(frozen=True)
class DrillRows:
    rows: pl.DataFrame  # at most DRILL_LIMIT lines, newest first
    total: int  # how many lines are behind the chosen bar


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=32, show_spinner=False)
def choices(path: str, version: str) -> SalesChoices:
    """The date bounds and the values of each filter in the sold lines."""
    with _reading(path) as con:
        bounds = _one(con.execute("select min(sales_date), max(sales_date) from mart_sales_lines").fetchall())
        values = _one(
            con.execute(
                "select list(distinct channel order by channel), list(distinct region order by region),"
                " list(distinct category order by category), list(distinct tier order by tier) from mart_sales_lines"
            ).fetchall()
        )
    first_day, last_day = bounds if bounds else (None, None)
    channels, regions, categories, tiers = (tuple(v or ()) for v in values) if values else ((), (), (), ())
    return SalesChoices(first_day, last_day, channels, regions, categories, tiers)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=64, show_spinner=False)
def totals(path: str, version: str, chosen: SalesFilter, first_sale: date | None) -> PeriodTotals:
    """Revenue, orders, units and margin in the chosen range, and in the same days last year (None when the
    sales, which start on first_sale, do not reach back that far)."""
    measures, where = chosen.measures_sql(), chosen.where_sql()
    with _reading(path) as con:
        rows = con.execute(
            f"select true, revenue, orders, units, margin from (select {measures} from mart_sales_lines"
            f" where {IN_RANGE} and {where}) union all select false, revenue, orders, units, margin from"
            f" (select {measures} from mart_sales_lines where {LAST_YEAR} and {where})",
            chosen.params(),
        ).fetchall()
    by_period = {row[0]: _totals(row[1:5]) for row in rows}
    reaches_back = first_sale is not None and _one_year_later(first_sale) <= chosen.first_day
    return PeriodTotals(
        current=by_period.get(True, Totals(Decimal(0), 0, 0, Decimal(0))),
        last_year=by_period.get(False, Totals(Decimal(0), 0, 0, Decimal(0))) if reaches_back else None,
    )


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=64, show_spinner=False)
def trend(path: str, version: str, chosen: SalesFilter, grain: Grain) -> pl.DataFrame:
    """Per period of the range: period (date), revenue, orders, units, margin, and each again as ..._last_year."""
    measures, where = chosen.measures_sql(), chosen.where_sql()
    with _reading(path) as con:
        return con.sql(
            f"with this_year as (select date_trunc($grain, sales_date)::date as period, {measures}"
            f"  from mart_sales_lines where {IN_RANGE} and {where} group by all),"
            f" last_year as (select date_trunc($grain, (sales_date + interval 1 year)::date)::date as period,"
            f"  {measures} from mart_sales_lines where {LAST_YEAR} and {where} group by all),"
            " periods as (select distinct date_trunc($grain, day)::date as period"
            "  from generate_series($first_day::timestamp, $last_day::timestamp, interval 1 day) as days(day))"
            " select periods.period,"
            " coalesce(this_year.revenue, 0) as revenue, coalesce(this_year.orders, 0) as orders,"
            " coalesce(this_year.units, 0) as units, coalesce(this_year.margin, 0) as margin,"
            " coalesce(last_year.revenue, 0) as revenue_last_year, coalesce(last_year.orders, 0) as orders_last_year,"
            " coalesce(last_year.units, 0) as units_last_year, coalesce(last_year.margin, 0) as margin_last_year"
            " from periods left join this_year using (period) left join last_year using (period)"
            " order by periods.period",
            params={**chosen.params(), "grain": _checked(grain, ("day", "week", "month"))},
        ).pl()


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=64, show_spinner=False)
def breakdown(path: str, version: str, chosen: SalesFilter, by: Breakdown, measure: Measure) -> pl.DataFrame:
    """One row per value of `by` (products: the top TOP_PRODUCTS), largest `measure` first: label, measures."""
    column = BREAKDOWN_COLUMNS[_checked(by, BREAKDOWNS)]
    order = _checked(measure, MEASURES)
    limit = TOP_PRODUCTS if by == "product" else 1000
    with _reading(path) as con:
        return con.sql(
            f"select {column} as label, {chosen.measures_sql(by)} from mart_sales_lines"
            f" where {IN_RANGE} and {chosen.where_sql()}"
            f" group by all order by {order} desc, label limit {limit}",
            params=chosen.params(),
        ).pl()


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=64, show_spinner=False)
def drill(
    path: str, version: str, chosen: SalesFilter, by: Breakdown | None = None, value: str | None = None
) -> DrillRows:
    """The sold lines behind a bar of the breakdown (`by` = `value`) or behind the chosen range (a period of the
    trend), newest first (at most DRILL_LIMIT of them)."""
    params = chosen.params()
    where = f"{IN_RANGE} and {chosen.where_sql()}"
    if by is not None and value is not None:
        where += f" and {BREAKDOWN_COLUMNS[_checked(by, BREAKDOWNS)]} = $value"
        params["value"] = value
    with _reading(path) as con:
        counted = _one(con.execute(f"select count(*) from mart_sales_lines where {where}", params).fetchall())
        rows = con.sql(
            f"select {DRILL_COLUMNS} from mart_sales_lines where {where}"
            f" order by sales_date desc, order_number, sku limit {DRILL_LIMIT}",
            params=params,
        ).pl()
    return DrillRows(rows, int(counted[0]) if counted else 0)


def period_end(start: date, grain: Grain) -> date:
    """The last day of the day, week or month that starts on `start`."""
    if grain == "day":
        return start
    if grain == "week":
        return start + timedelta(days=6)
    next_month = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return next_month - timedelta(days=1)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=32, show_spinner=False)
def affinity(path: str, version: str, min_orders: int = 1) -> pl.DataFrame:
    """Category pairs bought together, highest lift first (pairs seen in at least `min_orders` orders)."""
    with _reading(path) as con:
        return con.sql(
            "select antecedent_category, consequent_category, orders_with_both, orders_with_antecedent, support,"
            " confidence, lift, window_start_date, as_of_date from mart_category_affinity"
            " where orders_with_both >= $min_orders"
            " order by lift desc, orders_with_both desc, antecedent_category, consequent_category",
            params={"min_orders": min_orders},
        ).pl()


def _checked(value: _Name, allowed: tuple[_Name, ...]) -> _Name:
    """Names that end up in SQL text come only from the page's fixed choices."""
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {allowed}")
    return value


def _one(rows: list[tuple[Any, ...]]) -> tuple[Any, ...] | None:
    """The first row of a fully fetched result (DuckDB 2 wants a result finished before the next query)."""
    return rows[0] if rows else None


def _one_year_later(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return date(day.year + 1, 2, 28)


def _totals(row: tuple[object, ...]) -> Totals:
    revenue, orders, units, margin = row
    return Totals(Decimal(str(revenue)), int(str(orders)), int(str(units)), Decimal(str(margin)))
