"""Tables and the days-of-supply chart of the Inventory page, from mart_inventory_health rows."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import polars as pl

REORDER_COLUMNS = {
    "warehouse_code": "Warehouse",
    "sku": "SKU",
    "product_name": "Product",
    "category": "Category",
    "abc_class": "ABC",
    "available": "Available",
    "average_daily_demand": "Daily demand",
    "days_of_supply": "Days of supply",
    "reorder_point": "Reorder point",
    "suggested_reorder_qty": "Suggested reorder",
}
SURPLUS_COLUMNS = {
    "warehouse_code": "Warehouse",
    "sku": "SKU",
    "product_name": "Product",
    "category": "Category",
    "stock_status": "Status",
    "on_hand": "On hand",
    "days_of_supply": "Days of supply",
    "days_since_last_movement": "Days since last movement",
    "excess_units": "Excess units",
    "stock_value": "Stock value",
}
CHART_LIMIT = 25


def reorder_table(health: pl.DataFrame) -> pl.DataFrame:
    """Stock levels at risk of running out, the shortest cover first, with what to reorder."""
    at_risk = health.filter(pl.col("is_stockout_risk")).sort(["days_of_supply", "sku"], nulls_last=True)
    return at_risk.select(list(REORDER_COLUMNS)).rename(REORDER_COLUMNS)


def surplus_table(health: pl.DataFrame) -> pl.DataFrame:
    """Dead and excess stock, the most valuable first."""
    surplus = health.filter(pl.col("is_dead_stock") | pl.col("is_excess_stock"))
    return (
        surplus.sort(["stock_value", "sku"], descending=[True, False])
        .select(list(SURPLUS_COLUMNS))
        .rename(SURPLUS_COLUMNS)
    )


def days_of_supply_figure(health: pl.DataFrame, limit: int = CHART_LIMIT) -> go.Figure:
    """The stock levels with the least cover (that still sell), one bar each, coloured by warehouse."""
    selling = health.filter(pl.col("days_of_supply").is_not_null()).with_columns(
        pl.col("days_of_supply").cast(pl.Float64),
        (pl.col("sku") + " @ " + pl.col("warehouse_code")).alias("stock_level"),
    )
    shortest = selling.sort(["days_of_supply", "stock_level"]).head(limit)
    figure = px.bar(
        shortest,
        x="days_of_supply",
        y="stock_level",
        color="warehouse_code",
        orientation="h",
        title="Days of supply (shortest first)",
        hover_data={"product_name": True, "available": True, "average_daily_demand": True},
    )
    figure.update_layout(
        xaxis_title="Days of supply at recent demand",
        yaxis_title=None,
        legend_title_text="Warehouse",
        yaxis={"categoryorder": "array", "categoryarray": list(reversed(shortest["stock_level"].to_list()))},
    )
    return figure


STATUS_ORDER = ("stock-out risk", "excess", "dead", "healthy")
STATUS_COLOURS = {"stock-out risk": "#d62728", "excess": "#ff7f0e", "dead": "#7f7f7f", "healthy": "#2ca02c"}
STATUS_COLUMNS = {
    "warehouse_code": "Warehouse",
    "sku": "SKU",
    "product_name": "Product",
    "category": "Category",
    "abc_class": "ABC",
    "stock_status": "Status",
    "on_hand": "On hand",
    "available": "Available",
    "days_of_supply": "Days of supply",
    "turnover": "Turnover",
    "suggested_reorder_qty": "Suggested reorder",
    "stock_value": "Stock value",
}


def status_figure(health: pl.DataFrame) -> go.Figure:
    """Stock levels per warehouse and status (stacked); click a segment to list its stock levels."""
    counts = health.group_by("warehouse_code", "stock_status").len().sort("warehouse_code")
    warehouses = sorted(set(counts["warehouse_code"].to_list()))
    figure = go.Figure()
    for status in STATUS_ORDER:
        per_warehouse = dict(
            counts.filter(pl.col("stock_status") == status).select("warehouse_code", "len").iter_rows()
        )
        figure.add_trace(
            go.Bar(
                name=status,
                x=warehouses,
                y=[per_warehouse.get(w, 0) for w in warehouses],
                marker={"color": STATUS_COLOURS[status]},
                customdata=[status] * len(warehouses),
                hovertemplate="%{x}, " + status + ": %{y}<extra></extra>",
            )
        )
    figure.update_layout(
        title="Stock levels by status",
        barmode="stack",
        xaxis={"type": "category", "title": None},
        yaxis_title="Stock levels",
        legend_title_text="Status",
        clickmode="event+select",
    )
    return figure


def status_table(health: pl.DataFrame, status: str, warehouse: str | None = None) -> pl.DataFrame:
    """The stock levels of one status (in one warehouse when given), the most valuable first."""
    chosen = health.filter(pl.col("stock_status") == status)
    if warehouse is not None:
        chosen = chosen.filter(pl.col("warehouse_code") == warehouse)
    return (
        chosen.sort(["stock_value", "sku"], descending=[True, False])
        .select(list(STATUS_COLUMNS))
        .rename(STATUS_COLUMNS)
    )
