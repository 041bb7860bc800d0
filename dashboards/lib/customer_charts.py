"""The RFM segment grid, the cohort heatmap and the churn-risk list of the Customers page."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

SCORES = [1, 2, 3, 4, 5]
CHURN_COLUMNS = {
    "customer_code": "Customer",
    "customer_name": "Name",
    "tier": "Tier",
    "region": "Region",
    "segment": "Segment",
    "last_order_date": "Last order",
    "usual_reorder_interval_days": "Usual days between orders",
    "recency_days": "Days since last order",
    "next_order_due_date": "Next order was due",
    "lifetime_value": "Lifetime value",
}


def rfm_grid(rfm: pl.DataFrame) -> go.Figure:
    """How many customers have each recency (rows) and frequency (columns) score; 5 is best."""
    counts = {(r, f): 0 for r in SCORES for f in SCORES}
    for row in rfm.group_by("recency_score", "frequency_score").len().iter_rows():
        counts[row[0], row[1]] = row[2]
    z = [[counts[r, f] for f in SCORES] for r in SCORES]
    figure = go.Figure(
        go.Heatmap(z=z, x=SCORES, y=SCORES, colorscale="Blues", text=z, texttemplate="%{text}", hoverongaps=False)
    )
    figure.update_layout(
        title="Customers by recency and frequency score",
        xaxis_title="Frequency score",
        yaxis_title="Recency score",
    )
    return figure


def cohort_heatmap(cohorts: pl.DataFrame) -> go.Figure:
    """Share of each monthly cohort that ordered again, per month since its first order."""
    months = sorted(set(cohorts["cohort_month"].to_list()))
    offsets = sorted(set(cohorts["months_since_first_order"].to_list()))
    rate = {
        (row[0], row[1]): float(row[2]) * 100
        for row in cohorts.select("cohort_month", "months_since_first_order", "retention_rate").iter_rows()
    }
    z = [[rate.get((month, offset)) for offset in offsets] for month in months]
    text = [["" if value is None else f"{value:.0f}%" for value in row] for row in z]  # months still to come: blank
    labels = [month.strftime("%Y-%m") for month in months]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=offsets,
            y=labels,
            colorscale="Greens",
            zmin=0,
            zmax=100,
            text=text,
            texttemplate="%{text}",
            hovertemplate="Cohort %{y}, month %{x}: %{z:.1f}%<extra></extra>",
        )
    )
    figure.update_layout(
        title="Cohort retention (% ordering again)",
        xaxis_title="Months since first order",
        yaxis_title="First order in",
        yaxis={"autorange": "reversed", "type": "category"},
    )
    return figure


def churn_table(rfm: pl.DataFrame) -> pl.DataFrame:
    """Customers overdue for their usual reorder, the most valuable first."""
    overdue = rfm.filter(pl.col("is_churn_risk")).sort(["lifetime_value", "customer_code"], descending=[True, False])
    return overdue.select(list(CHURN_COLUMNS)).rename(CHURN_COLUMNS)


SEGMENT_ORDER = ("champions", "loyal", "promising", "needs attention", "at risk", "lost")
CUSTOMER_COLUMNS = {
    "customer_code": "Customer",
    "customer_name": "Name",
    "tier": "Tier",
    "region": "Region",
    "segment": "Segment",
    "rfm_code": "RFM",
    "frequency": "Orders",
    "recency_days": "Days since last order",
    "last_order_date": "Last order",
    "lifetime_value": "Lifetime value",
    "is_churn_risk": "Churn risk",
}


def segment_bars(rfm: pl.DataFrame) -> go.Figure:
    """Lifetime value per segment with its number of customers; click a bar to list the customers."""
    segments = rfm.group_by("segment").agg(
        pl.len().alias("customers"), pl.col("lifetime_value").sum().cast(pl.Float64).alias("lifetime_value")
    )
    present = [s for s in SEGMENT_ORDER if s in set(segments["segment"].to_list())]
    by_segment = {row[0]: row[1:] for row in segments.iter_rows()}
    figure = go.Figure(
        go.Bar(
            x=present,
            y=[by_segment[s][1] for s in present],
            text=[f"{by_segment[s][0]} customers" for s in present],
            textposition="auto",
            marker={"color": "#1f77b4"},
            hovertemplate="%{x}: %{y:,.2f}, %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        title="Lifetime value by segment",
        xaxis={"type": "category", "title": None},
        yaxis_title=None,
        clickmode="event+select",
    )
    return figure


def segment_table(rfm: pl.DataFrame, segment: str) -> pl.DataFrame:
    """The customers of one segment, the most valuable first."""
    chosen = rfm.filter(pl.col("segment") == segment).sort(
        ["lifetime_value", "customer_code"], descending=[True, False]
    )
    return chosen.select(list(CUSTOMER_COLUMNS)).rename(CUSTOMER_COLUMNS)
