"""Warehouse stock: levels with safety stock and alerts, transfers, expected receipts, receipts and adjustments."""

from collections.abc import Callable
from contextlib import suppress
from datetime import date, timedelta

import httpx
import streamlit as st

from dashboards.lib import catalog, session, stock_desk
from dashboards.lib.navigation import WAREHOUSE_STOCK
from dashboards.lib.stock_desk import PREFIX, REASONS
from oms_ops.client import ApiError, Unauthorized
from oms_ops.domain.roles import Action, may

OUTCOME = PREFIX + "outcome"

user = session.require_page(WAREHOUSE_STOCK.path)
settings = session.settings()
client = session.client()
locale = settings.locale


def act(done: str, call: Callable[[], object]) -> None:
    """Run one change on the server from a button; its outcome shows once at the top of the page."""
    try:
        call()
        st.session_state[OUTCOME] = (True, done)
    except Unauthorized:
        session.end_session()
    except ApiError as error:
        st.session_state[OUTCOME] = (False, error.message)
    except httpx.TransportError:
        st.session_state[OUTCOME] = (False, session.unreachable_sentence())


def value(name: str) -> object:
    return st.session_state.get(PREFIX + name)


def text(name: str) -> str:
    return str(value(name) or "").strip()


def units(name: str) -> int:
    return int(value(name) or 0)  # type: ignore[call-overload]


st.title("Warehouse stock")
outcome = st.session_state.pop(OUTCOME, None)
if outcome:
    ok, sentence = outcome
    (st.success if ok else st.error)(sentence)

with session.answering_errors():
    warehouses = [w.warehouse_code for w in catalog.warehouses(settings.base_url, user.token)]
    skus = [p.sku for p in catalog.products(settings.base_url, user.token)]

left, right = st.columns(2)
shown_warehouse = left.selectbox("Warehouse", ["All", *warehouses], key=PREFIX + "filter_warehouse")
sku_filter = right.text_input("SKU contains", key=PREFIX + "filter_sku").strip().upper()

with session.answering_errors():
    positions = client.stock_positions(warehouse=None if shown_warehouse == "All" else shown_warehouse)
    transfers = client.transfers(["requested", "in_transit", "partially_received"])
    receipts = client.expected_receipts()
positions = [p for p in positions if sku_filter in p.sku.upper()]
demand_based: dict[tuple[str, str], int] = {}
with suppress(ApiError, httpx.TransportError):  # the marts' suggestions are a help, not a need
    demand_based = stock_desk.demand_suggestions(client.list_reorder_suggestions())

below = [p for p in positions if p.alert_id is not None]
if below:
    st.subheader(f"Below safety stock ({len(below)})")
    for p in below[:20]:
        st.warning(stock_desk.alert_sentence(p, locale), icon=":material/warning:")
st.dataframe(stock_desk.position_rows(positions, demand_based, locale), hide_index=True)
st.caption(stock_desk.REORDER_RULE)

in_transit = [t for t in transfers if t.status != "requested"]
requested = [t for t in transfers if t.status == "requested"]
st.subheader("In transit")
if in_transit:
    st.dataframe(stock_desk.transfer_rows(in_transit, locale), hide_index=True)
else:
    st.caption("No transfer is on its way.")
st.subheader("Expected receipts")
if receipts:
    st.dataframe(stock_desk.receipt_rows(receipts, locale), hide_index=True)
else:
    st.caption("No goods are expected.")

if not any(may(user.roles, a) for a in (Action.RECEIVE_STOCK, Action.ADJUST_STOCK, Action.TRANSFER_STOCK)):
    st.info("Your role may look at stock here; receipts, adjustments and transfers are for the warehouse.")
    st.stop()

transfer_tab, expected_tab, receive_tab, adjust_tab, policy_tab = st.tabs(
    ["Transfers", "Expected receipts", "Receive", "Adjust", "Safety stock"]
)
tomorrow = date.today() + timedelta(days=1)

with transfer_tab, st.form(PREFIX + "transfer_form", clear_on_submit=True):
    st.markdown("**Request a transfer**")
    a, b = st.columns(2)
    a.selectbox("From", warehouses, key=PREFIX + "transfer_from")
    b.selectbox("To", warehouses, index=min(1, len(warehouses) - 1), key=PREFIX + "transfer_to")
    a.selectbox("SKU", skus, key=PREFIX + "transfer_sku")
    b.number_input("Quantity", min_value=1, step=1, key=PREFIX + "transfer_qty")
    a.date_input("Expected arrival", value=tomorrow, key=PREFIX + "transfer_arrival")
    b.text_input("Note", key=PREFIX + "transfer_note")
    st.form_submit_button(
        "Request transfer",
        key=PREFIX + "transfer_submit",
        on_click=lambda: act(
            "Transfer requested.",
            lambda: client.request_transfer(
                text("transfer_from"),
                text("transfer_to"),
                {text("transfer_sku"): units("transfer_qty")},
                value("transfer_arrival"),  # type: ignore[arg-type]
                text("transfer_note") or None,
            ),
        ),
    )
with transfer_tab:
    if requested:
        labels = {t.transfer_id: stock_desk.transfer_label(t) for t in requested}
        st.selectbox("Requested transfer", list(labels), format_func=labels.__getitem__, key=PREFIX + "to_ship")
        ship_col, cancel_col = st.columns(2)
        ship_col.button(
            "Ship it",
            key=PREFIX + "ship",
            on_click=lambda: act(
                "Transfer shipped: the goods are in transit.", lambda: client.ship_transfer(units("to_ship"))
            ),
        )
        cancel_col.button(
            "Cancel it",
            key=PREFIX + "cancel_transfer",
            on_click=lambda: act("Transfer cancelled.", lambda: client.cancel_transfer(units("to_ship"))),
        )
    if in_transit:
        labels = {t.transfer_id: stock_desk.transfer_label(t) for t in in_transit}
        chosen = st.selectbox(
            "Transfer arriving", list(labels), format_func=labels.__getitem__, key=PREFIX + "to_receive"
        )
        lines = next(t.lines for t in in_transit if t.transfer_id == chosen)
        st.selectbox("SKU", [ln.sku for ln in lines], key=PREFIX + "receive_transfer_sku")
        st.number_input("Units arrived", min_value=1, step=1, key=PREFIX + "receive_transfer_qty")
        part_col, all_col = st.columns(2)
        part_col.button(
            "Receive these units",
            key=PREFIX + "receive_part",
            on_click=lambda: act(
                "Transfer received in part.",
                lambda: client.receive_transfer(
                    units("to_receive"), {text("receive_transfer_sku"): units("receive_transfer_qty")}
                ),
            ),
        )
        all_col.button(
            "Receive everything in transit",
            key=PREFIX + "receive_all",
            on_click=lambda: act("Transfer received.", lambda: client.receive_transfer(units("to_receive"))),
        )

with expected_tab, st.form(PREFIX + "expect_form", clear_on_submit=True):
    st.markdown("**Goods on order from a supplier**")
    a, b = st.columns(2)
    a.selectbox("Warehouse", warehouses, key=PREFIX + "expect_warehouse")
    b.selectbox("SKU", skus, key=PREFIX + "expect_sku")
    a.number_input("Quantity", min_value=1, step=1, key=PREFIX + "expect_qty")
    b.date_input("Expected on", value=tomorrow, key=PREFIX + "expect_on")
    a.text_input("Reference (purchase order)", key=PREFIX + "expect_reference")
    st.form_submit_button(
        "Add expected receipt",
        key=PREFIX + "expect_submit",
        on_click=lambda: act(
            "Expected receipt added.",
            lambda: client.add_expected_receipt(
                text("expect_warehouse"),
                text("expect_sku"),
                units("expect_qty"),
                value("expect_on"),  # type: ignore[arg-type]
                text("expect_reference") or None,
            ),
        ),
    )
with expected_tab:
    if receipts:
        labels = {r.receipt_id: stock_desk.receipt_label(r) for r in receipts}
        st.selectbox("Expected receipt", list(labels), format_func=labels.__getitem__, key=PREFIX + "receipt")
        st.number_input("Units arrived (0 = all still expected)", min_value=0, step=1, key=PREFIX + "receipt_qty")
        got_col, drop_col = st.columns(2)
        got_col.button(
            "Receive against it",
            key=PREFIX + "receive_expected",
            on_click=lambda: act(
                "Goods received against the expected receipt.",
                lambda: client.receive_expected(units("receipt"), units("receipt_qty") or None),
            ),
        )
        drop_col.button(
            "Cancel the rest",
            key=PREFIX + "cancel_expected",
            on_click=lambda: act(
                "Expected receipt cancelled.", lambda: client.cancel_expected_receipt(units("receipt"))
            ),
        )

with receive_tab, st.form(PREFIX + "receive_form", clear_on_submit=True):
    st.markdown("**Goods arrived without an expected receipt**")
    a, b = st.columns(2)
    a.selectbox("Warehouse", warehouses, key=PREFIX + "receive_warehouse")
    b.selectbox("SKU", skus, key=PREFIX + "receive_sku")
    a.number_input("Quantity", min_value=1, step=1, key=PREFIX + "receive_qty")
    b.text_input("Reason", value="delivery", key=PREFIX + "receive_reason")
    st.form_submit_button(
        "Receive",
        key=PREFIX + "receive_submit",
        on_click=lambda: act(
            "Goods received.",
            lambda: client.receive_stock(
                text("receive_warehouse"), text("receive_sku"), units("receive_qty"), text("receive_reason") or None
            ),
        ),
    )

with adjust_tab, st.form(PREFIX + "adjust_form", clear_on_submit=True):
    st.markdown("**Adjust stock** (never below what is reserved for orders)")
    a, b = st.columns(2)
    a.selectbox("Warehouse", warehouses, key=PREFIX + "adjust_warehouse")
    b.selectbox("SKU", skus, key=PREFIX + "adjust_sku")
    a.number_input("Change (+ adds, − takes out)", step=1, value=0, key=PREFIX + "adjust_change")
    b.selectbox("Reason", list(REASONS), format_func=REASONS.__getitem__, key=PREFIX + "adjust_reason")
    st.text_input("Note", key=PREFIX + "adjust_note")
    st.form_submit_button(
        "Adjust",
        key=PREFIX + "adjust_submit",
        on_click=lambda: act(
            "Stock adjusted.",
            lambda: client.adjust_stock(
                text("adjust_warehouse"),
                text("adjust_sku"),
                units("adjust_change"),
                text("adjust_reason"),
                text("adjust_note") or None,
            ),
        ),
    )

with policy_tab, st.form(PREFIX + "policy_form"):
    st.markdown("**Safety stock and reorder point**")
    a, b = st.columns(2)
    a.selectbox("Warehouse", warehouses, key=PREFIX + "policy_warehouse")
    b.selectbox("SKU", skus, key=PREFIX + "policy_sku")
    a.number_input("Safety stock", min_value=0, step=1, key=PREFIX + "policy_safety")
    b.number_input("Reorder point", min_value=0, step=1, key=PREFIX + "policy_reorder")
    a.number_input("Lead time (days)", min_value=0, step=1, value=7, key=PREFIX + "policy_lead")
    st.form_submit_button(
        "Save",
        key=PREFIX + "policy_submit",
        on_click=lambda: act(
            "Safety stock saved.",
            lambda: client.set_stock_policy(
                text("policy_warehouse"),
                text("policy_sku"),
                units("policy_safety"),
                units("policy_reorder"),
                units("policy_lead"),
            ),
        ),
    )
