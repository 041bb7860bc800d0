"""Sales (decision page): what sells, where and to whom, against the same days last year, from the published marts."""

from dataclasses import replace
from datetime import date

import httpx
import streamlit as st

from dashboards.lib import decision_page, formatting, marts, sales_charts, sales_marts, session
from dashboards.lib.navigation import SALES, may_run_pipeline
from oms_ops.client import ApiError, Unauthorized

DRILL = "sales_drill"
PERIOD = "sales_drill_period"
BREAKDOWN_CHART = "sales_breakdown_chart"
TREND_CHART = "sales_trend_chart"

user = session.require_page(SALES.path)
settings = session.settings()
locale = settings.locale

title_col, button_col = st.columns([4, 1], vertical_alignment="bottom")
title_col.title("Sales")
if may_run_pipeline(user.roles) and button_col.button(
    "Run pipeline", key="sales_run_pipeline", icon=":material/refresh:"
):
    try:
        run = session.client().run_pipeline()
        st.success(
            f"Pipeline run {run.run_id} started ({run.job_name}). New figures appear here once it has published."
        )
    except Unauthorized:
        session.session_ended()
    except ApiError as error:
        st.error(error.message)
    except httpx.TransportError:
        st.error(session.unreachable_sentence())

published = decision_page.published_or_stop(settings)
with decision_page.stop_if_unreadable():
    choices = sales_marts.choices(published.path, published.version)
if choices.first_day is None or choices.last_day is None:
    st.info("The published data has no sales yet.")
    st.stop()

first_day, last_day = decision_page.date_range_filter(choices.first_day, choices.last_day, locale)
chosen = sales_marts.SalesFilter(
    first_day=first_day,
    last_day=last_day,
    channels=decision_page.multiselect_filter("Channels", choices.channels, decision_page.CHANNELS, "All channels"),
    regions=decision_page.multiselect_filter("Regions", choices.regions, decision_page.REGIONS, "All regions"),
    categories=decision_page.multiselect_filter(
        "Categories", choices.categories, decision_page.CATEGORIES, "All categories"
    ),
    tiers=decision_page.multiselect_filter("Customer tiers", choices.tiers, decision_page.TIERS, "All tiers"),
)

with decision_page.stop_if_unreadable():
    totals = sales_marts.totals(published.path, published.version, chosen, choices.first_day)
period = f"{formatting.day(first_day, locale)} – {formatting.day(last_day, locale)}"
versus = "against the same days last year" if totals.last_year else "(no sales a year earlier to compare with)"
st.markdown(f"**{period}**, {versus}")
for column, (label, value, delta) in zip(
    st.columns(4), sales_charts.kpi_values(totals.current, totals.last_year, locale), strict=True
):
    column.metric(label, value, delta)

measure_col, grain_col = st.columns(2)
measure = measure_col.radio(
    "Measure",
    sales_marts.MEASURES,
    format_func=sales_charts.MEASURE_LABELS.__getitem__,
    horizontal=True,
    key="sales_measure",
)
grain = grain_col.radio("Show by", marts.GRAINS, index=1, format_func=str.title, horizontal=True, key="sales_grain")
trend = sales_marts.trend(published.path, published.version, chosen, grain)
periods = trend["period"].to_list()
if st.session_state.get(PERIOD) not in periods:
    st.session_state[PERIOD] = None  # a period of another grain or range


def pick_period() -> None:
    """A click on a point of the trend chooses its period in the drill-down box below."""
    points = st.session_state[TREND_CHART].selection.points
    if points:
        clicked = date.fromisoformat(str(points[0].get("x"))[:10])
        if clicked in periods:
            st.session_state[PERIOD] = clicked


st.plotly_chart(
    sales_charts.trend_figure(trend, measure, grain), key=TREND_CHART, on_select=pick_period, selection_mode="points"
)
st.caption(f"The first and last {grain} may be partial. Last year: each day counts on the date one year later.")

st.subheader("Breakdown")
by = st.radio(
    "Break down by",
    sales_marts.BREAKDOWNS,
    format_func=sales_charts.BREAKDOWN_LABELS.__getitem__,
    horizontal=True,
    key="sales_breakdown",
)
bars = sales_marts.breakdown(published.path, published.version, chosen, by, measure)
labels = bars["label"].to_list()
if st.session_state.get(DRILL) not in labels:
    st.session_state[DRILL] = None  # a bar of another breakdown or of other filters


def pick_bar() -> None:
    """A click on a bar chooses it in the drill-down box below."""
    points = st.session_state[BREAKDOWN_CHART].selection.points
    if points and points[0].get("y") in labels:
        st.session_state[DRILL] = points[0]["y"]


if bars.is_empty():
    st.info("No sales match these filters.")
    st.stop()
st.plotly_chart(
    sales_charts.breakdown_figure(bars, measure, by),
    key=BREAKDOWN_CHART,
    on_select=pick_bar,
    selection_mode="points",
)
value_col, period_col = st.columns(2)
picked = value_col.selectbox(
    f"Show the order lines of one {sales_charts.BREAKDOWN_LABELS[by].lower()} (or click its bar)",
    labels,
    index=None,
    placeholder="Choose…",
    key=DRILL,
)
picked_period: date | None = period_col.selectbox(
    f"… in one {grain} (or click its point on the trend)",
    periods,
    index=None,
    format_func=lambda day: formatting.day(day, locale),
    placeholder="The whole range",
    key=PERIOD,
)
if picked is not None or picked_period is not None:
    narrowed = chosen
    if picked_period is not None:
        end = sales_marts.period_end(picked_period, grain)
        narrowed = replace(chosen, first_day=max(picked_period, first_day), last_day=min(end, last_day))
    behind = sales_marts.drill(published.path, published.version, narrowed, by, picked)
    shown = formatting.number(len(behind.rows), locale)
    st.caption(
        f"{formatting.number(behind.total, locale)} order lines, newest first"
        + (f" (the first {shown} of them)" if behind.total > len(behind.rows) else "")
    )
    decision_page.table_with_download(
        sales_charts.drill_table(behind.rows),
        key="sales_drill_rows",
        empty="No order lines.",
        download_label="Download these order lines (CSV)",
        file_name=f"sales_{by}.csv" if picked is not None else f"sales_{grain}.csv",
    )

st.subheader("Bought together")
with decision_page.stop_if_unreadable():
    affinity = sales_marts.affinity(published.path, published.version)
if affinity.is_empty():
    st.info("No two categories were bought in the same order yet.")
else:
    window = (
        f"{formatting.day(affinity['window_start_date'][0], locale)} – "
        f"{formatting.day(affinity['as_of_date'][0], locale)}"
    )
    st.caption(
        f"Orders of {window}, all channels. Confidence: share of baskets with the first category that also hold "
        "the second; lift above 1: bought together more often than chance."
    )
    st.plotly_chart(sales_charts.affinity_figure(affinity), key="sales_affinity_chart")
    decision_page.table_with_download(
        sales_charts.affinity_table(affinity),
        key="sales_affinity",
        empty="No category pairs.",
        download_label="Download category pairs (CSV)",
        file_name="category_affinity.csv",
    )
