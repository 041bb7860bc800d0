"""Plotly figures, KPI wording and readable tables for the Sales page."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go
import polars as pl

from dashboards.lib import formatting
from dashboards.lib.marts import Grain, Totals

MEASURE_LABELS = {"revenue": "Revenue", "orders": "Orders", "units": "Units", "margin": "Margin"}
BREAKDOWN_LABELS = {
    "channel": "Channel",
    "region": "Region",
    "category": "Category",
    "tier": "Customer tier",
    "product": "Product",
}
DRILL_COLUMNS = {
    "sales_date": "Day",
    "order_number": "Order",
    "customer_code": "Customer",
    "customer_name": "Customer name",
    "region": "Region",
    "tier": "Tier",
    "channel": "Channel",
    "sku": "SKU",
    "product_name": "Product",
    "category": "Category",
    "warehouse_code": "Warehouse",
    "quantity": "Units",
    "revenue": "Revenue",
    "margin": "Margin",
}
AFFINITY_COLUMNS = {
    "antecedent_category": "Basket with",
    "consequent_category": "Also holds",
    "orders_with_both": "Orders with both",
    "support": "Support",
    "confidence": "Confidence",
    "lift": "Lift",
}
LAST_YEAR_COLOUR = "#9aa5b1"
THIS_YEAR_COLOUR = "#1f77b4"


def trend_figure(trend: pl.DataFrame, measure: str, grain: Grain) -> go.Figure:
    """This period's line and last year's (dashed) per day, week or month; amounts as floats for drawing only."""
    label = MEASURE_LABELS[measure]
    periods = trend["period"].to_list()
    figure = go.Figure(
        [
            go.Scatter(
                x=periods,
                y=trend[measure].cast(pl.Float64).to_list(),
                name="This period",
                mode="lines+markers",
                line={"color": THIS_YEAR_COLOUR},
            ),
            go.Scatter(
                x=periods,
                y=trend[f"{measure}_last_year"].cast(pl.Float64).to_list(),
                name="Same days last year",
                mode="lines",
                line={"color": LAST_YEAR_COLOUR, "dash": "dash"},
            ),
        ]
    )
    figure.update_layout(
        title=f"{label} by {grain}, with last year",
        xaxis_title=None,
        yaxis_title=None,
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.15},
    )
    return figure


def breakdown_figure(frame: pl.DataFrame, measure: str, by: str) -> go.Figure:
    """One horizontal bar per value, the largest on top; click a bar to see the lines behind it."""
    labels = frame["label"].to_list()
    figure = go.Figure(
        go.Bar(
            x=frame[measure].cast(pl.Float64).to_list(),
            y=labels,
            orientation="h",
            marker={"color": THIS_YEAR_COLOUR},
            hovertemplate="%{y}: %{x:,.2f}<extra></extra>" if measure in ("revenue", "margin") else None,
        )
    )
    figure.update_layout(
        title=f"{MEASURE_LABELS[measure]} by {BREAKDOWN_LABELS[by].lower()}",
        yaxis={"categoryorder": "array", "categoryarray": list(reversed(labels)), "type": "category"},
        xaxis_title=None,
        yaxis_title=None,
        height=max(250, 28 * len(labels) + 120),
        clickmode="event+select",
    )
    return figure


def affinity_figure(affinity: pl.DataFrame) -> go.Figure:
    """Lift per pair of categories: rows are what the basket holds, columns what it also holds."""
    categories = sorted(set(affinity["antecedent_category"].to_list()) | set(affinity["consequent_category"].to_list()))
    lift = {
        (row[0], row[1]): float(row[2])
        for row in affinity.select("antecedent_category", "consequent_category", "lift").iter_rows()
    }
    z = [[lift.get((a, b)) for b in categories] for a in categories]
    text = [["" if value is None else f"{value:.2f}" for value in row] for row in z]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=categories,
            y=categories,
            colorscale="RdBu",
            zmid=1,
            text=text,
            texttemplate="%{text}",
            hovertemplate="Baskets with %{y} also hold %{x}: lift %{z:.2f}<extra></extra>",
        )
    )
    figure.update_layout(
        title="Basket affinity between categories (lift)",
        xaxis_title="Also holds",
        yaxis_title="Basket with",
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis={"type": "category"},
    )
    return figure


def change(current: Decimal | int, previous: Decimal | int | None, locale: str) -> str | None:
    """'+12.5%' against the previous period, None when there is nothing to compare with."""
    if previous is None or previous == 0:
        return None
    ratio = (Decimal(current) - Decimal(previous)) / Decimal(previous)
    sign = "+" if ratio >= 0 else ""
    return sign + formatting.percent(ratio, locale)


def kpi_values(current: Totals, previous: Totals | None, locale: str) -> list[tuple[str, str, str | None]]:
    """(label, value, change) for revenue, orders, units and margin rate."""
    rate = current.margin_rate
    before = previous or Totals(Decimal(0), 0, 0, Decimal(0))  # zero means "nothing to compare with"
    previous_rate = previous.margin_rate if previous else None
    rate_change = None
    if rate is not None and previous_rate is not None:
        points = (rate - previous_rate) * 100
        rate_change = f"{formatting.signed(points, locale)} pts"
    return [
        (
            "Revenue",
            formatting.money(current.revenue, locale),
            change(current.revenue, before.revenue, locale),
        ),
        (
            "Orders",
            formatting.number(current.orders, locale),
            change(current.orders, before.orders, locale),
        ),
        ("Units", formatting.number(current.units, locale), change(current.units, before.units, locale)),
        ("Margin", formatting.percent(rate, locale) if rate is not None else "–", rate_change),
    ]


def drill_table(rows: pl.DataFrame) -> pl.DataFrame:
    return rows.select(list(DRILL_COLUMNS)).rename(DRILL_COLUMNS)


def affinity_table(affinity: pl.DataFrame) -> pl.DataFrame:
    return affinity.select(list(AFFINITY_COLUMNS)).rename(AFFINITY_COLUMNS)
