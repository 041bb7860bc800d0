"""New order: customer, warehouse, lines with live available stock, then place it."""

from datetime import date

import streamlit as st

from dashboards.lib import atp_panel, catalog, order_entry, session
from dashboards.lib.navigation import NEW_ORDER
from dashboards.lib.order_entry import (
    CUSTOMER,
    CUSTOMER_PO,
    CUSTOMER_QUERY,
    DELIVERY_DATE,
    NOTE,
    OUTCOME,
    WAREHOUSE,
    qty_key,
    sku_key,
)
from oms_ops.client import Unauthorized

user = session.require_page(NEW_ORDER.path)
settings = session.settings()
client = session.client()

st.title("New order")

outcome = st.session_state.pop(OUTCOME, None)
if isinstance(outcome, order_entry.Outcome):
    if outcome.placed:
        st.success(" ".join(outcome.sentences))
    else:
        for sentence in outcome.sentences:
            st.error(sentence)

with session.answering_errors():
    warehouses = {w.warehouse_code: w for w in catalog.warehouses(settings.base_url, user.token)}
    products = {p.sku: p for p in catalog.products(settings.base_url, user.token)}
    query = st.text_input("Find customer", key=CUSTOMER_QUERY, placeholder="Code or name")
    customers = {c.customer_code: c for c in catalog.customers(settings.base_url, user.token, query.strip())}

left, right = st.columns(2)
chosen = left.selectbox(
    "Customer",
    list(customers),
    index=None,
    format_func=lambda code: f"{code} · {customers[code].name}",
    placeholder="Choose a customer" if customers else "No customer matches",
    key=CUSTOMER,
)
if chosen in customers:
    left.caption(order_entry.customer_note(customers[chosen]))
warehouse = right.selectbox(
    "Ship from", list(warehouses), format_func=lambda code: f"{code} · {warehouses[code].name}", key=WAREHOUSE
)

st.subheader("Lines")
for i in range(order_entry.line_count(st.session_state)):
    product_col, qty_col, stock_col = st.columns([4, 1, 2], vertical_alignment="bottom")
    sku = product_col.selectbox(
        f"Product {i + 1}",
        list(products),
        index=None,
        format_func=lambda s: f"{s} · {products[s].name}",
        placeholder="Choose a product",
        key=sku_key(i),
    )
    quantity = qty_col.number_input("Quantity", min_value=1, step=1, value=1, key=qty_key(i))
    if sku and warehouse:
        with session.answering_errors():
            available = catalog.available(client, sku, warehouse)
        if quantity > available:
            stock_col.warning(f"Only {available} available in {warehouse}")
        else:
            stock_col.caption(f"{available} available in {warehouse}")
    if sku:
        with session.answering_errors():
            atp_panel.show(client, sku, int(quantity), st.session_state.get(CUSTOMER), warehouse, settings.locale)

add_col, remove_col, _ = st.columns([1, 1, 4])
add_col.button(
    "Add line", key="new_order_add_line", icon=":material/add:", on_click=order_entry.add_line, args=(st.session_state,)
)
remove_col.button(
    "Remove last line",
    key="new_order_remove_line",
    disabled=order_entry.line_count(st.session_state) <= 1,
    on_click=order_entry.remove_last_line,
    args=(st.session_state,),
)
po_col, date_col, note_col = st.columns([1, 1, 2])
po_col.text_input("Customer PO (optional)", key=CUSTOMER_PO, max_chars=64)
date_col.date_input(
    "Requested delivery (optional)", key=DELIVERY_DATE, value=None, min_value=date.today(), format="YYYY-MM-DD"
)
note_col.text_input("Note (optional)", key=NOTE)


def place_order() -> None:
    try:
        st.session_state[OUTCOME] = order_entry.place(st.session_state, client, warehouses, settings.locale)
    except Unauthorized:
        session.end_session()


st.button("Place order", key="new_order_submit", type="primary", on_click=place_order)
