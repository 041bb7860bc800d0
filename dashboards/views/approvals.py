"""Approvals: what waits for the signed-in approver (the order, why it needs approval), approve or
reject each with a comment. Orders they placed themselves never show here."""

from collections.abc import Callable

import streamlit as st

from dashboards.lib import formatting, session
from dashboards.lib.navigation import APPROVALS
from oms_ops.client import ApiError, Unauthorized
from oms_ops.contracts import OrderOut
from oms_ops.contracts_approvals import InboxItem

NOTICE_KEY = "approvals_notice"

user = session.require_page(APPROVALS.path)
settings = session.settings()
client = session.client()


def decide(item: InboxItem, approve: bool) -> None:
    """Approve or reject from a button's callback; keep the outcome to show after the rerun."""
    comment = st.session_state.get(f"approvals_comment_{item.request_id}", "").strip()
    call: Callable[[], OrderOut] = (
        (lambda: client.approve(item.request_id, comment or None))
        if approve
        else (lambda: client.reject(item.request_id, comment))
    )
    try:
        order = call()
    except Unauthorized:
        session.end_session()
        return
    except ApiError as error:
        st.session_state[NOTICE_KEY] = ("error", error.message)
        return
    verb = "approved" if approve else "rejected"
    st.session_state[NOTICE_KEY] = (
        "success",
        f"You {verb} order {order.order_number}: it is now {formatting.status_label(order.status)}.",
    )


st.title("Approvals")
st.caption("Orders waiting for your decision, at the level they have reached. Rejecting an order cancels it.")

notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    kind, text = notice
    (st.success if kind == "success" else st.error)(text)

with session.answering_errors():
    inbox = client.approval_inbox()

if not inbox:
    st.info("Nothing waits for your approval.")

for item in inbox:
    with st.container(border=True):
        total = formatting.money(item.total, settings.locale, item.currency)
        placed = formatting.moment(item.ordered_at, settings.locale, settings.timezone)
        st.markdown(f"**{item.order_number}** · {item.customer_name or item.customer_code} · {total}")
        st.caption(f"Placed by {item.created_by} on {placed}")
        st.markdown(f"Needs approval: **{item.rule_name}**, {item.why} (level {item.level}, {' or '.join(item.roles)})")
        st.text_input("Comment (needed to reject)", key=f"approvals_comment_{item.request_id}")
        approve_col, reject_col = st.columns(2)
        approve_col.button(
            "Approve", key=f"approvals_approve_{item.request_id}", type="primary", on_click=decide, args=(item, True)
        )
        reject_col.button("Reject", key=f"approvals_reject_{item.request_id}", on_click=decide, args=(item, False))
