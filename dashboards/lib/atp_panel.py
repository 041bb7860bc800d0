"""Available to promise for one line of the New order page: each warehouse now and what arrives when."""

from __future__ import annotations

import streamlit as st

from dashboards.lib import stock_desk
from oms_ops.client import OmsClient


def show(
    client: OmsClient, sku: str, quantity: int, customer_code: str | None, warehouse: str | None, locale: str
) -> None:
    """An expander, open when the chosen warehouse cannot serve the line today: promise a date or split."""
    atp = client.available_to_promise(sku, quantity, customer_code)
    chosen = next((w for w in atp.warehouses if w.warehouse == warehouse), None)
    short_here = chosen is not None and not chosen.can_serve_now
    with st.expander(f"When can we promise {quantity} × {sku}?", expanded=short_here):
        st.dataframe(stock_desk.atp_rows(atp, locale), hide_index=True)
        split = stock_desk.split_sentence(atp, locale)
        if split:
            st.markdown(split + " Enter one line per warehouse to split the order.")
        if atp.automatic_choice:
            st.markdown(f"Automatic choice: **{atp.automatic_choice}**. {atp.automatic_rule}")
