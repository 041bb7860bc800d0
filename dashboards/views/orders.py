"""Orders: search and filter, page through the list, open one order to see its lines, totals and history,
and move it on (record a payment, ship, cancel, hold or release, amend it as a new version and see its
earlier versions) as far as the signed-in role may."""

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from dashboards.lib import catalog, formatting, order_views, session
from dashboards.lib.approval_views import approval_rows
from dashboards.lib.navigation import ORDERS
from dashboards.lib.order_views import PAGE_SIZE, PAYMENT_METHODS, STATUSES, OrderFilter
from oms_ops.client import ApiError, Unauthorized
from oms_ops.contracts import OrderOut, ShipmentOut
from oms_ops.domain.fulfilment import method_label
from oms_ops.domain.roles import Action, may

PAGE_KEY = "orders_page"
OPEN_KEY = "orders_open"
NOTICE_KEY = "orders_notice"

user = session.require_page(ORDERS.path)
settings = session.settings()
client = session.client()


def back_to_first_page() -> None:
    st.session_state.pop(PAGE_KEY, None)
    st.session_state.pop(OPEN_KEY, None)


def act(done: str | Callable[[Any], str], call: Callable[[], object], clear: tuple[str, ...] = ()) -> None:
    """Run one action on the server from a button's callback; keep its outcome to show after the rerun
    (`done` may word it from what the server answered)."""
    try:
        answer = call()
    except Unauthorized:
        session.end_session()
        return
    except ApiError as error:
        st.session_state[NOTICE_KEY] = ("error", error.message)
        return
    st.session_state[NOTICE_KEY] = ("success", done if isinstance(done, str) else done(answer))
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
    act(shipped_notice, lambda: client.ship_order(number, warehouse=warehouse))


def shipped_notice(shipment: ShipmentOut) -> str:
    units = sum(line.quantity for line in shipment.lines)
    said = f"Shipped {units} unit{'s' if units != 1 else ''} of {shipment.order_number}"
    still = f", {shipment.backorder_units} still to ship" if shipment.backorder_units else ""
    return f"{said}; it is now {formatting.status_label(shipment.status)}{still}."


def cancel(number: str) -> None:
    reason = st.session_state.get("orders_cancel_reason", "")
    act(f"Order {number} is cancelled.", lambda: client.cancel_order(number, reason), ("orders_cancel_reason",))


def hold_or_release(number: str, release: bool) -> None:
    reason = st.session_state.get("orders_hold_reason", "")
    if release:
        act(f"Order {number} is released.", lambda: client.release_order(number, reason), ("orders_hold_reason",))
    else:
        act(f"Order {number} is on hold.", lambda: client.hold_order(number, reason), ("orders_hold_reason",))


def amend(order: OrderOut) -> None:
    """Send the lines as the clerk left them as the order's next version."""
    number = order.order_number
    state = st.session_state
    edits = [
        order_views.LineEdit(
            line.line_no,
            int(state.get(f"orders_amend_qty_{number}_{line.line_no}", line.quantity)),
            state.get(f"orders_amend_price_{number}_{line.line_no}"),
            state.get(f"orders_amend_discount_{number}_{line.line_no}"),
            state.get(f"orders_amend_warehouse_{number}_{line.line_no}"),
        )
        for line in order.lines
    ]
    header = order_views.header_changes(
        order,
        None
        if state.get(f"orders_amend_clear_delivery_{number}")
        else state.get(f"orders_amend_delivery_{number}", order.requested_delivery_date),
        state.get(f"orders_amend_note_{number}"),
        state.get(f"orders_amend_po_{number}"),
    )
    try:
        lines = order_views.amendment_lines(
            order,
            edits,
            state.get("orders_amend_add_sku", ""),
            int(state.get("orders_amend_add_qty", 0) or 0),
            state.get("orders_amend_add_warehouse", ""),
        )
    except ValueError as error:
        state[NOTICE_KEY] = ("error", str(error))
        return
    if not lines:
        state[NOTICE_KEY] = ("error", "An order needs at least one line; to drop all of it, cancel it.")
        return
    reason = state.get("orders_amend_reason", "")
    # Only the header changed: send no lines, so the lines, stock and approvals stay as they are.
    sent = None if header and order_views.lines_unchanged(order, lines) else lines
    act(
        f"Order {number} is amended.",
        lambda: client.amend_order(
            number,
            sent,
            reason,
            requested_delivery_date=header.requested_delivery_date,
            note=header.note,
            customer_po=header.customer_po,
            clear_requested_delivery_date=header.clear_requested_delivery_date,
        ),
        ("orders_amend_reason", "orders_amend_add_sku"),
    )
    if state.get(NOTICE_KEY, ("",))[0] == "success":
        state["orders_amend_add_qty"] = 0


def amend_form(order: OrderOut) -> None:
    number = order.order_number
    prices, discounts = may(user.roles, Action.CHANGE_PRICES), may(user.roles, Action.GIVE_DISCOUNT)
    codes = [w.warehouse_code for w in catalog.warehouses(settings.base_url, user.token)]
    with st.form("orders_amend", border=True):
        st.markdown(f"Amend the order (version {order.version + 1}); a quantity of 0 removes the line")
        for line in order.lines:
            label_col, qty_col, warehouse_col, price_col, discount_col = st.columns([3, 2, 2, 2, 2])
            shipped = f", {line.shipped_quantity} shipped" if line.shipped_quantity else ""
            label_col.markdown(f"{line.line_no}. {line.sku}{shipped}")
            qty_col.number_input(
                "Quantity", min_value=0, value=line.quantity, step=1, key=f"orders_amend_qty_{number}_{line.line_no}"
            )
            choices = codes if line.warehouse in codes else [line.warehouse, *codes]
            warehouse_col.selectbox(
                "Ships from",
                choices,
                index=choices.index(line.warehouse),
                disabled=bool(line.shipped_quantity),  # a line that has shipped stays where it shipped from
                help="Another warehouse reserves the line there and releases it here, if it has the stock.",
                key=f"orders_amend_warehouse_{number}_{line.line_no}",
            )
            if prices:
                price_col.text_input(
                    "Unit price", value=str(line.unit_price), key=f"orders_amend_price_{number}_{line.line_no}"
                )
            if discounts:
                discount_col.text_input(
                    "Discount %", value=str(line.discount_pct), key=f"orders_amend_discount_{number}_{line.line_no}"
                )
        sku_col, add_qty_col, warehouse_col = st.columns([3, 2, 2])
        sku_col.text_input("Add SKU", key="orders_amend_add_sku")
        add_qty_col.number_input("Quantity to add", min_value=0, value=0, step=1, key="orders_amend_add_qty")
        warehouse_col.text_input("From warehouse", key="orders_amend_add_warehouse", placeholder="Automatic")
        delivery_col, po_col, note_col = st.columns([2, 2, 3])
        delivery_col.date_input(
            "Requested delivery",
            value=order.requested_delivery_date,
            min_value=min(date.today(), order.requested_delivery_date or date.today()),
            format="YYYY-MM-DD",
            key=f"orders_amend_delivery_{number}",
        )
        if order.requested_delivery_date is not None:
            delivery_col.checkbox("No date any more", key=f"orders_amend_clear_delivery_{number}")
        po_col.text_input("Customer PO", value=order.customer_po or "", key=f"orders_amend_po_{number}")
        note_col.text_input("Note", value=order.note or "", key=f"orders_amend_note_{number}")
        st.text_input("Why amend?", key="orders_amend_reason")
        st.form_submit_button("Save amendment", key="orders_amend_submit", on_click=amend, args=(order,))


def versions_section(order: OrderOut) -> None:
    if not order.versions:
        return
    st.markdown(f"**Versions** · this is version {order.version}")
    st.dataframe(order_views.version_rows(order, settings.locale, settings.timezone), hide_index=True)
    chosen = st.selectbox(
        "See an earlier version",
        [v.version for v in order.versions],
        index=None,
        format_func=lambda v: f"Version {v}",
        placeholder="Choose a version",
        key=f"orders_version_{order.order_number}",
    )
    if chosen is None:
        return
    with session.answering_errors():
        version = client.order_version(order.order_number, chosen)
    st.caption(
        f"Version {version.version} — {formatting.moment(version.created_at, settings.locale, settings.timezone)}"
        f" by {version.created_by}: {version.reason or ''} · total"
        f" {formatting.money(version.total, settings.locale, version.currency)}"
    )
    st.dataframe(order_views.version_line_rows(version, settings.locale), hide_index=True)


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
if order_views.header_caption(order):
    st.markdown(order_views.header_caption(order))
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

if order_views.may_amend(user.roles, order):
    amend_form(order)
versions_section(order)

if order.approvals:
    st.markdown("**Approvals**")
    st.dataframe(approval_rows(order.approvals, settings.locale, settings.timezone), hide_index=True)

st.markdown("**History**")
st.markdown("\n".join(f"- {order_views.event_sentence(e, settings.locale, settings.timezone)}" for e in order.events))
