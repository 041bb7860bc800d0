"""Orders: search and filter, page through the list, open one order to see its lines, totals and history,
and move it on (record a payment, ship, cancel, hold or release) as far as the signed-in role may."""

from collections.abc import Callable
from datetime import date

import streamlit as st

from dashboards.lib import formatting, order_views, session
from dashboards.lib.navigation import ORDERS
from dashboards.lib.order_views import PAGE_SIZE, PAYMENT_METHODS, STATUSES, OrderFilter
from oms_ops.client import ApiError, Unauthorized
from oms_ops.domain.fulfilment import method_label

PAGE_KEY = "orders_page"
OPEN_KEY = "orders_open"
NOTICE_KEY = "orders_notice"

user = session.require_page(ORDERS.path)
settings = session.settings()
client = session.client()


def back_to_first_page() -> None:
    st.session_state.pop(PAGE_KEY, None)
    st.session_state.pop(OPEN_KEY, None)


def act(done: str, call: Callable[[], object], clear: tuple[str, ...] = ()) -> None:
    """Run one action on the server from a button's callback; keep its outcome to show after the rerun."""
    try:
        call()
    except Unauthorized:
        session.end_session()
        return
    except ApiError as error:
        st.session_state[NOTICE_KEY] = ("error", error.message)
        return
    st.session_state[NOTICE_KEY] = ("success", done)
    for key in clear:
        st.session_state[key] = ""


def record_payment(number: str) -> None:
    amount = order_views.parse_amount(st.session_state.get("orders_pay_amount", ""))
    if amount is None:
        st.session_state[NOTICE_KEY] = ("error", "Enter the amount as a number, such as 1250.00.")
        return
    method = st.session_state["orders_pay_method"]
    paid_on = st.session_state.get("orders_pay_date") or None
    reference = st.session_state.get("orders_pay_reference", "").strip() or None
    act(
        f"Payment of {amount} recorded on {number}.",
        lambda: client.record_payment(number, method, amount, paid_on, reference),
        ("orders_pay_amount", "orders_pay_reference"),
    )


def ship(number: str) -> None:
    warehouse = st.session_state.get("orders_ship_warehouse")
    act(f"Shipped what was left on {number}.", lambda: client.ship_order(number, warehouse=warehouse))


def cancel(number: str) -> None:
    reason = st.session_state.get("orders_cancel_reason", "")
    act(f"Order {number} is cancelled.", lambda: client.cancel_order(number, reason), ("orders_cancel_reason",))


def hold_or_release(number: str, release: bool) -> None:
    reason = st.session_state.get("orders_hold_reason", "")
    if release:
        act(f"Order {number} is released.", lambda: client.release_order(number, reason), ("orders_hold_reason",))
    else:
        act(f"Order {number} is on hold.", lambda: client.hold_order(number, reason), ("orders_hold_reason",))


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
if order.payments or order.refunds:
    st.markdown(
        f"**Payments** · paid {formatting.money(order.paid_total, settings.locale, order.currency)},"
        f" due {formatting.money(order.balance_due, settings.locale, order.currency)}"
    )
    if order.payments:
        st.dataframe(order_views.payment_rows(order, settings.locale, settings.timezone), hide_index=True)
    for refund in order.refunds:
        st.warning(f"Refund due to the customer: {formatting.money(refund.amount, settings.locale, order.currency)}.")

notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    kind, text = notice
    (st.success if kind == "success" else st.error)(text)

actions = order_views.actions_for(user.roles, order)
if actions:
    st.markdown("**Actions**")
if "pay" in actions:
    with st.form("orders_pay", border=True):
        st.markdown(f"Record a payment (due {formatting.money(order.balance_due, settings.locale, order.currency)})")
        method_col, amount_col, date_col, reference_col = st.columns(4)
        method_col.selectbox("Method", PAYMENT_METHODS, format_func=method_label, key="orders_pay_method")
        amount_col.text_input("Amount", key="orders_pay_amount", placeholder=str(order.balance_due))
        date_col.date_input("Paid on", value=date.today(), key="orders_pay_date", format="YYYY-MM-DD")
        reference_col.text_input("Reference", key="orders_pay_reference")
        st.form_submit_button(
            "Record payment", key="orders_pay_submit", on_click=record_payment, args=(order.order_number,)
        )
if "ship" in actions:
    with st.form("orders_ship", border=True):
        st.selectbox(
            "Ship from",
            order_views.warehouses_to_ship_from(order),
            index=None,
            placeholder="Every warehouse",
            key="orders_ship_warehouse",
        )
        st.form_submit_button("Ship remaining", key="orders_ship_submit", on_click=ship, args=(order.order_number,))
if "cancel" in actions:
    with st.form("orders_cancel", border=True):
        st.text_input("Why cancel?", key="orders_cancel_reason")
        st.form_submit_button("Cancel order", key="orders_cancel_submit", on_click=cancel, args=(order.order_number,))
if "hold" in actions or "release" in actions:
    releasing = "release" in actions
    with st.form("orders_hold", border=True):
        st.text_input("Why release?" if releasing else "Why hold?", key="orders_hold_reason")
        st.form_submit_button(
            "Release order" if releasing else "Put on hold",
            key="orders_hold_submit",
            on_click=hold_or_release,
            args=(order.order_number, releasing),
        )

st.markdown("**History**")
st.markdown("\n".join(f"- {order_views.event_sentence(e, settings.locale, settings.timezone)}" for e in order.events))
