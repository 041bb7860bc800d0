"""Read-only queries for the Inventory page over mart_inventory_health in the published marts.duckdb."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import streamlit as st

from dashboards.lib.marts import CACHE_TTL_SECONDS, _reading

HEALTH_COLUMNS = (
    "warehouse_code, sku, product_name, category, abc_class, stock_status, on_hand, reserved, available,"
    " average_daily_demand, days_of_supply, turnover, safety_stock, reorder_point, suggested_reorder_qty,"
    " days_since_last_movement, stock_value, excess_units, is_stockout_risk, is_dead_stock, is_excess_stock,"
    " as_of_date, last_movement_date"
)


@dataclass(frozen=True)
class Choices:
    warehouses: tuple[str, ...]
    categories: tuple[str, ...]


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=32, show_spinner=False)
def choices(path: str, version: str) -> Choices:
    """The warehouses and categories present in the inventory mart, for the filters."""
    with _reading(path) as con:
        warehouses = con.execute("select distinct warehouse_code from mart_inventory_health order by 1").fetchall()
        categories = con.execute(
            "select distinct category from mart_inventory_health where category is not null order by 1"
        ).fetchall()
    return Choices(tuple(row[0] for row in warehouses), tuple(row[0] for row in categories))


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=64, show_spinner=False)
def health(path: str, version: str, warehouses: tuple[str, ...] = (), categories: tuple[str, ...] = ()) -> pl.DataFrame:
    """Inventory health rows in the chosen warehouses and categories (all of them when none is chosen)."""
    with _reading(path) as con:
        return con.sql(
            f"select {HEALTH_COLUMNS} from mart_inventory_health"
            " where (len($warehouses) = 0 or list_contains($warehouses, warehouse_code))"
            " and (len($categories) = 0 or list_contains($categories, category))"
            " order by warehouse_code, sku",
            params={"warehouses": list(warehouses), "categories": list(categories)},
        ).pl()
