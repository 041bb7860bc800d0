"""Customers (decision page): RFM segments, monthly cohort retention, and who is overdue to reorder."""

import streamlit as st

from dashboards.lib import customer_charts, customer_marts, decision_page, formatting, session
from dashboards.lib.navigation import CUSTOMERS

session.require_page(CUSTOMERS.path)
settings = session.settings()
locale = settings.locale

st.title("Customers")
published = decision_page.published_or_stop(settings)

with decision_page.stop_if_unreadable():
    rfm = customer_marts.rfm(published.path, published.version)
    cohorts = customer_marts.cohorts(published.path, published.version)

if rfm.is_empty():
    st.info("The published data has no customer orders yet.")
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

segments_col, grid_col = st.columns(2)
segments_col.plotly_chart(customer_charts.segment_treemap(rfm), key="customers_segment_treemap")
grid_col.plotly_chart(customer_charts.rfm_grid(rfm), key="customers_rfm_grid")
st.plotly_chart(customer_charts.cohort_heatmap(cohorts), key="customers_cohort_heatmap")

st.subheader("Churn risk: overdue for their usual reorder")
decision_page.table_with_download(
    churn,
    key="customers_churn",
    empty="No customer is overdue for their usual reorder.",
    download_label="Download churn-risk list (CSV)",
    file_name="churn_risk_customers.csv",
)
