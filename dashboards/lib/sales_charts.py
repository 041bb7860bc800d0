"""Plotly figures and KPI wording for the Sales page."""

from __future__ import annotations

from decimal import Decimal

import plotly.express as px
import plotly.graph_objects as go
import polars as pl

from dashboards.lib import formatting
from dashboards.lib.marts import Totals


def trend_figure(trend: pl.DataFrame, measure: str, title: str) -> go.Figure:
    """One line per channel over the periods; amounts as floats for drawing only."""
    frame = trend.with_columns(pl.col(measure).cast(pl.Float64))
    figure = px.line(frame, x="period", y=measure, color="channel", markers=True, title=title)
    figure.update_layout(xaxis_title=None, yaxis_title=None, legend_title_text="Channel", hovermode="x unified")
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


def latest_periods(trend: pl.DataFrame, locale: str, periods: int = 8) -> pl.DataFrame:
    """The most recent periods, newest first, formatted for reading (the rows behind the charts' right edge)."""
    recent = trend.filter(pl.col("period").is_in(trend["period"].unique().sort().tail(periods).implode()))
    return pl.DataFrame(
        {
            "Period": [formatting.day(d, locale) for d in recent["period"]],
            "Channel": recent["channel"],
            "Orders": [formatting.number(n, locale) for n in recent["orders"]],
            "Revenue": [formatting.money(r, locale) for r in recent["revenue"]],
        }
    ).reverse()
