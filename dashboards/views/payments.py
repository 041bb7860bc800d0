"""Payments: money received (filtered by date, method, customer and order) with totals by method,
recording a payment against an order, and the refunds owed back to customers."""

from datetime import date, timedelta

import streamlit as st

from dashboards.lib import formatting, order_views, payment_views, session
from dashboards.lib.navigation import PAYMENTS
from dashboards.lib.payment_views import PAYMENT_METHODS, PaymentFilter
from oms_ops.client import ApiError, Unauthorized
from oms_ops.domain.fulfilment import method_label
from oms_ops.domain.roles import Action, may

NOTICE_KEY = "payments_notice"

user = session.require_page(PAYMENTS.path)
settings = session.settings()
client = session.client()


def record_payment() -> None:
    number = st.session_state.get("payments_pay_order", "").strip().upper()
    amount = order_views.parse_amount(st.session_state.get("payments_pay_amount", ""))
    if not number:
        st.session_state[NOTICE_KEY] = ("error", "Enter the number of the order that was paid.")
        return
    if amount is None:
        st.session_state[NOTICE_KEY] = ("error", "Enter the amount as a number, such as 1250.00.")
        return
    method = st.session_state["payments_pay_method"]
    paid_on = st.session_state.get("payments_pay_date") or None
    reference = st.session_state.get("payments_pay_reference", "").strip() or None
    try:
        order = client.record_payment(number, method, amount, paid_on, reference)
    except Unauthorized:
        session.end_session()
        return
    except ApiError as error:
        st.session_state[NOTICE_KEY] = ("error", error.message)
        return
    due = formatting.money(order.balance_due, settings.locale, order.currency)
    st.session_state[NOTICE_KEY] = (
        "success",
        f"Payment of {amount} recorded on {number}: it is now {formatting.status_label(order.status)},"
        f" {due} still due.",
    )
    for key in ("payments_pay_order", "payments_pay_amount", "payments_pay_reference"):
        st.session_state[key] = ""


st.title("Payments")

notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    kind, text = notice
    (st.success if kind == "success" else st.error)(text)

with st.form("payments_filter"):
    dates_col, method_col, customer_col, order_col = st.columns(4)
    today = date.today()
    dates = dates_col.date_input(
        "Paid between", value=(today - timedelta(days=30), today), key="payments_dates", format="YYYY-MM-DD"
    )
    method = method_col.selectbox(
        "Method", [None, *PAYMENT_METHODS], format_func=lambda m: "Any" if m is None else method_label(m),
        key="payments_method",
    )  # fmt: skip
    customer = customer_col.text_input("Customer code", key="payments_customer")
    order_number = order_col.text_input("Order", key="payments_order")
    st.form_submit_button("Show", key="payments_show")
chosen = PaymentFilter.from_widgets(dates, method, customer, order_number)

with session.answering_errors():
    payments = client.payments(
        chosen.date_from, chosen.date_to, chosen.method, chosen.customer_code, chosen.order_number
    )

st.subheader("Received, by method")
st.dataframe(payment_views.total_rows(payments, settings.locale), hide_index=True, key="payments_totals")
if payments:
    st.dataframe(
        payment_views.payment_rows(payments, settings.locale, settings.timezone), hide_index=True, key="payments_list"
    )
else:
    st.info("No payment matches these filters.")

if may(user.roles, Action.RECORD_PAYMENT):
    with st.form("payments_record", border=True):
        st.markdown("**Record a payment**")
        order_col, method_col, amount_col, date_col, reference_col = st.columns(5)
        order_col.text_input("Order", key="payments_pay_order", placeholder="SO00000001")
        method_col.selectbox("Method", PAYMENT_METHODS, format_func=method_label, key="payments_pay_method")
        amount_col.text_input("Amount", key="payments_pay_amount")
        date_col.date_input("Paid on", value=today, key="payments_pay_date", format="YYYY-MM-DD")
        reference_col.text_input("Reference", key="payments_pay_reference")
        st.form_submit_button("Record payment", key="payments_pay_submit", on_click=record_payment)

st.subheader("Refunds due")
with session.answering_errors():
    refunds = client.refunds(status="due")
if refunds:
    st.dataframe(
        payment_views.refund_rows(refunds, settings.locale, settings.timezone), hide_index=True, key="payments_refunds"
    )
else:
    st.success("No refund is owed to any customer.")
