"""Customers (decision page): RFM segments, monthly cohort retention, and who is overdue to reorder."""

import streamlit as st

from dashboards.lib import customer_charts, customer_marts, decision_page, formatting, session
from dashboards.lib.navigation import CUSTOMERS

DRILL = "customers_drill"
SEGMENT_CHART = "customers_segment_chart"

session.require_page(CUSTOMERS.path)
settings = session.settings()
locale = settings.locale

st.title("Customers")
published = decision_page.published_or_stop(settings)

with decision_page.stop_if_unreadable():
    choices = customer_marts.choices(published.path, published.version)
    regions = decision_page.multiselect_filter("Regions", choices.regions, decision_page.REGIONS, "All regions")
    tiers = decision_page.multiselect_filter("Customer tiers", choices.tiers, decision_page.TIERS, "All tiers")
    rfm = customer_marts.rfm(published.path, published.version, regions, tiers)
    cohorts = customer_marts.cohorts(published.path, published.version)

if rfm.is_empty():
    st.info(
        "No customer of this choice has ordered yet."
        if regions or tiers
        else "The published data has no customer orders yet."
    )
    st.stop()

churn = customer_charts.churn_table(rfm)
for column, (label, value) in zip(
    st.columns(3),
    (
        ("Customers who ordered", formatting.number(len(rfm), locale)),
        ("Champions", formatting.number(int((rfm["segment"] == "champions").sum()), locale)),
        ("Churn risks", formatting.number(len(churn), locale)),
    ),
    strict=True,
):
    column.metric(label, value)

segments = customer_charts.SEGMENT_ORDER


def pick_segment() -> None:
    """A click on a segment's bar chooses it in the drill-down box below."""
    points = st.session_state[SEGMENT_CHART].selection.points
    if points and points[0].get("x") in segments:
        st.session_state[DRILL] = points[0]["x"]


segments_col, grid_col = st.columns(2)
segments_col.plotly_chart(
    customer_charts.segment_bars(rfm), key=SEGMENT_CHART, on_select=pick_segment, selection_mode="points"
)
grid_col.plotly_chart(customer_charts.rfm_grid(rfm), key="customers_rfm_grid")
segment = st.selectbox(
    "Show the customers of one segment (or click its bar)", segments, index=None, placeholder="Choose…", key=DRILL
)
if segment is not None:
    decision_page.table_with_download(
        customer_charts.segment_table(rfm, segment),
        key="customers_drill_rows",
        empty=f"No customer of this choice is in the segment {segment}.",
        download_label=f"Download the {segment} customers (CSV)",
        file_name=f"customers_{segment.replace(' ', '_')}.csv",
    )

st.plotly_chart(customer_charts.cohort_heatmap(cohorts), key="customers_cohort_heatmap")
st.caption("Cohorts count every customer, whatever the filters.")

st.subheader("Churn risk: overdue for their usual reorder")
decision_page.table_with_download(
    churn,
    key="customers_churn",
    empty="No customer is overdue for their usual reorder.",
    download_label="Download churn-risk list (CSV)",
    file_name="churn_risk_customers.csv",
)
