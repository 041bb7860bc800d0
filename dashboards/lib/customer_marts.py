"""Read-only queries for the Customers page over mart_customer_rfm and mart_customer_cohorts."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards.lib.marts import CACHE_TTL_SECONDS, _reading


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=32, show_spinner=False)
def rfm(path: str, version: str) -> pl.DataFrame:
    """One row per customer who has ordered, with scores, segment, lifetime value and churn risk."""
    with _reading(path) as con:
        return con.sql(
            "select customer_code, customer_name, tier, region, segment, rfm_code, recency_score, frequency_score,"
            " monetary_score, recency_days, frequency, lifetime_value, usual_reorder_interval_days, is_churn_risk,"
            " last_order_date, next_order_due_date, as_of_date"
            " from mart_customer_rfm order by customer_code"
        ).pl()


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=32, show_spinner=False)
def cohorts(path: str, version: str) -> pl.DataFrame:
    """Retention per monthly cohort and month since the first order."""
    with _reading(path) as con:
        return con.sql(
            "select cohort_month, months_since_first_order, cohort_customers, active_customers, retention_rate"
            " from mart_customer_cohorts order by cohort_month, months_since_first_order"
        ).pl()
