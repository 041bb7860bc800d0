"""Read-only queries for the Customers page over mart_customer_rfm and mart_customer_cohorts."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import streamlit as st

from dashboards.lib.marts import CACHE_TTL_SECONDS, _reading


@dataclass(frozen=True)
class Choices:
    regions: tuple[str, ...]
    tiers: tuple[str, ...]


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=32, show_spinner=False)
def choices(path: str, version: str) -> Choices:
    """The regions and tiers of the customers who ordered, for the filters."""
    with _reading(path) as con:
        rows = con.execute(
            "select list(distinct coalesce(region, 'unknown') order by coalesce(region, 'unknown')),"
            " list(distinct tier order by tier) from mart_customer_rfm"
        ).fetchall()
    regions, tiers = rows[0] if rows else ((), ())
    return Choices(tuple(regions or ()), tuple(tiers or ()))


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=64, show_spinner=False)
def rfm(path: str, version: str, regions: tuple[str, ...] = (), tiers: tuple[str, ...] = ()) -> pl.DataFrame:
    """One row per customer who has ordered (in the chosen regions and tiers; all when none is chosen)."""
    with _reading(path) as con:
        return con.sql(
            "select customer_code, customer_name, tier, region, segment, rfm_code, recency_score, frequency_score,"
            " monetary_score, recency_days, frequency, lifetime_value, usual_reorder_interval_days, is_churn_risk,"
            " last_order_date, next_order_due_date, as_of_date"
            " from mart_customer_rfm"
            " where (len($regions) = 0 or list_contains($regions, coalesce(region, 'unknown')))"
            " and (len($tiers) = 0 or list_contains($tiers, tier))"
            " order by customer_code",
            params={"regions": list(regions), "tiers": list(tiers)},
        ).pl()


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=32, show_spinner=False)
def cohorts(path: str, version: str) -> pl.DataFrame:
    """Retention per monthly cohort and month since the first order."""
    with _reading(path) as con:
        return con.sql(
            "select cohort_month, months_since_first_order, cohort_customers, active_customers, retention_rate"
            " from mart_customer_cohorts order by cohort_month, months_since_first_order"
        ).pl()
