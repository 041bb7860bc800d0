"""Sales (decision page): revenue and orders over time by channel, from the published marts."""

import httpx
import streamlit as st

from dashboards.lib import decision_page, formatting, marts, sales_charts, session
from dashboards.lib.navigation import SALES, may_run_pipeline
from oms_ops.client import ApiError, Unauthorized

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
    kpis = marts.sales_kpis(published.path, published.version)

if kpis is None:
    st.info("The published data has no sales yet.")
    st.stop()

period = f"{formatting.day(kpis.first_day, locale)} – {formatting.day(kpis.last_day, locale)}"
st.markdown(f"**Last 30 days** ({period}), change against the 30 days before")
for column, (label, value, delta) in zip(
    st.columns(4), sales_charts.kpi_values(kpis.current, kpis.previous, locale), strict=True
):
    column.metric(label, value, delta)

grain = st.radio("Show by", marts.GRAINS, index=1, format_func=str.title, horizontal=True, key="sales_grain")
trend = marts.sales_trend(published.path, published.version, grain)
st.plotly_chart(sales_charts.trend_figure(trend, "revenue", "Revenue by channel"), key="sales_revenue_chart")
st.plotly_chart(sales_charts.trend_figure(trend, "orders", "Orders by channel"), key="sales_orders_chart")
st.caption(f"The first and last {grain} may be partial.")
st.subheader(f"Latest {grain}s")
st.table(sales_charts.latest_periods(trend, locale), hide_index=True)
