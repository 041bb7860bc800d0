"""Customer credit: a customer's limit, terms and exposure (open unshipped + shipped not paid), the
credit still available, the orders held for credit, and finance's override of a hold with a reason."""

from decimal import Decimal

import streamlit as st

from dashboards.lib import formatting, session
from dashboards.lib.navigation import CREDIT
from oms_ops.client import ApiError, Unauthorized
from oms_ops.domain.roles import Action, may

NOTICE_KEY = "credit_notice"

user = session.require_page(CREDIT.path)
settings = session.settings()
client = session.client()


def money(amount: Decimal) -> str:
    return formatting.money(amount, settings.locale)


def override() -> None:
    number = st.session_state.get("credit_override_order")
    reason = st.session_state.get("credit_override_reason", "")
    if not number:
        st.session_state[NOTICE_KEY] = ("error", "Choose the order on credit hold to let go on.")
        return
    try:
        order = client.override_credit(number, reason)
    except Unauthorized:
        session.end_session()
        return
    except ApiError as error:
        st.session_state[NOTICE_KEY] = ("error", error.message)
        return
    st.session_state[NOTICE_KEY] = (
        "success",
        f"Credit hold on {number} overridden: it is now {formatting.status_label(order.status)}.",
    )
    st.session_state["credit_override_reason"] = ""


st.title("Customer credit")

notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    kind, text = notice
    (st.success if kind == "success" else st.error)(text)

with session.answering_errors():
    holds = client.credit_holds()

st.subheader("Orders on credit hold")
if holds:
    st.dataframe(
        [
            {
                "Order": h.order_number,
                "Customer": h.customer_name or h.customer_code,
                "Total": money(h.total),
                "Held since": formatting.moment(h.held_at, settings.locale, settings.timezone),
                "Why": h.reason,
            }
            for h in holds
        ],
        hide_index=True,
        key="credit_holds",
    )
else:
    st.success("No order is on hold for credit.")

if holds and may(user.roles, Action.OVERRIDE_CREDIT):
    with st.form("credit_override", border=True):
        st.markdown("**Override a credit hold** (logged with your name and reason)")
        st.selectbox("Order", [h.order_number for h in holds], key="credit_override_order")
        st.text_input("Reason", key="credit_override_reason")
        st.form_submit_button("Override and let the order go on", key="credit_override_submit", on_click=override)

st.subheader("One customer")
with st.form("credit_lookup"):
    st.text_input("Customer code", key="credit_customer", placeholder="C-ACME")
    st.form_submit_button("Show", key="credit_show")

code = st.session_state.get("credit_customer", "").strip().upper()
if code:
    with session.answering_errors():
        view = client.customer_credit(code)
    st.markdown(f"**{view.name}** ({view.customer_code})")
    terms = f"{view.payment_terms_days} days" if view.payment_terms_days else "prepaid"
    limit_col, terms_col, exposure_col, available_col = st.columns(4)
    limit_col.metric("Credit limit", money(view.credit_limit) if view.credit_limit else "none set")
    terms_col.metric("Payment terms", terms)
    exposure_col.metric("Exposure", money(view.exposure))
    available_col.metric(
        "Available credit", money(view.available_credit) if view.available_credit is not None else "not checked"
    )
    unshipped, unpaid = money(view.open_unshipped), money(view.shipped_unpaid)
    st.caption(f"Open orders not yet shipped: {unshipped}; shipped and not paid: {unpaid}.")
    if not view.checked:
        st.info("This customer's orders are not credit-checked: they pay up front, or no credit limit is set (0).")
    elif view.over_limit:
        st.warning(f"{view.name} is over the credit limit: new orders go on hold until paid or overridden.")
    if view.overrides:
        st.markdown("**Overrides**")
        st.dataframe(
            [
                {
                    "Order": o.order_number,
                    "By": o.overridden_by,
                    "When": formatting.moment(o.overridden_at, settings.locale, settings.timezone),
                    "Exposure": money(o.exposure),
                    "Limit": money(o.credit_limit),
                    "Reason": o.reason,
                }
                for o in view.overrides
            ],
            hide_index=True,
            key="credit_overrides",
        )
