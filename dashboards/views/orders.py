"""Orders: search and filter, page through the list, open one order to see its lines, totals and history."""

import streamlit as st

from dashboards.lib import formatting, order_views, session
from dashboards.lib.navigation import ORDERS
from dashboards.lib.order_views import PAGE_SIZE, STATUSES, OrderFilter

PAGE_KEY = "orders_page"
OPEN_KEY = "orders_open"

user = session.require_page(ORDERS.path)
settings = session.settings()
client = session.client()


def back_to_first_page() -> None:
    st.session_state.pop(PAGE_KEY, None)
    st.session_state.pop(OPEN_KEY, None)


st.title("Orders")

with st.form("orders_filters", border=False):
    query_col, status_col, dates_col = st.columns([3, 2, 2])
    query = query_col.text_input("Search", key="orders_query", placeholder="Order number, customer or reference")
    status = status_col.selectbox(
        "Status",
        STATUSES,
        index=None,
        format_func=formatting.status_label,
        placeholder="Any status",
        key="orders_status",
    )
    dates = dates_col.date_input("Ordered between", value=[], key="orders_dates", format="YYYY-MM-DD")
    st.form_submit_button("Apply filters", key="orders_apply", on_click=back_to_first_page)

chosen = OrderFilter.from_widgets(query, status, dates)
page = int(st.session_state.get(PAGE_KEY, 1))
with session.answering_errors():
    found = client.list_orders(
        chosen.query, chosen.status, None, chosen.date_from, chosen.date_to, page=page, page_size=PAGE_SIZE
    )
    if not found.items and page > order_views.page_count(found):  # fewer orders than before: show the last page
        page = order_views.page_count(found)
        found = client.list_orders(
            chosen.query, chosen.status, None, chosen.date_from, chosen.date_to, page=page, page_size=PAGE_SIZE
        )

if not found.items:
    st.info("No orders match these filters.")
    st.stop()

st.caption(
    f"{formatting.number(found.total_count, settings.locale)} orders · page {page} of {order_views.page_count(found)}"
)
st.dataframe(order_views.summary_rows(found, settings.locale, settings.timezone), hide_index=True)
if order_views.page_count(found) > 1:
    st.pagination(order_views.page_count(found), default=page, key=PAGE_KEY)

numbers = [o.order_number for o in found.items]
opened = st.selectbox("Open order", numbers, index=None, placeholder="Choose an order to see its details", key=OPEN_KEY)
if opened is None:
    st.stop()

with session.answering_errors():
    order = client.get_order(opened)

st.subheader(f"Order {order.order_number} · {formatting.status_label(order.status)}")
st.caption(
    f"{order.customer_code} · {order.customer_name or ''} — {order.channel}"
    f"{' (' + order.external_ref + ')' if order.external_ref else ''} — placed "
    f"{formatting.moment(order.ordered_at, settings.locale, settings.timezone)} by {order.created_by}"
)
subtotal_col, tax_col, total_col = st.columns(3)
subtotal_col.metric("Subtotal", formatting.money(order.subtotal, settings.locale, order.currency))
tax_col.metric("Tax", formatting.money(order.tax_total, settings.locale, order.currency))
total_col.metric("Total", formatting.money(order.total, settings.locale, order.currency))
if order.note:
    st.markdown(f"**Note:** {order.note}")
st.dataframe(order_views.line_rows(order, settings.locale), hide_index=True)
st.markdown("**History**")
st.markdown("\n".join(f"- {order_views.event_sentence(e, settings.locale, settings.timezone)}" for e in order.events))
