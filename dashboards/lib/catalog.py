"""Master data and stock as the order desk looks them up, through the server. Master data is cached briefly."""

from __future__ import annotations

import streamlit as st

from oms_ops.client import OmsClient
from oms_ops.contracts import CustomerOut, ProductOut, WarehouseOut

MASTER_DATA_TTL_SECONDS = 60
MAX_PRODUCTS = 500  # the server's page limit; a larger catalogue needs a search-first picker


@st.cache_data(ttl=MASTER_DATA_TTL_SECONDS, max_entries=16, show_spinner=False)
def warehouses(base_url: str, token: str) -> list[WarehouseOut]:
    with OmsClient(base_url, token=token) as client:
        return client.warehouses()


@st.cache_data(ttl=MASTER_DATA_TTL_SECONDS, max_entries=16, show_spinner=False)
def products(base_url: str, token: str) -> list[ProductOut]:
    with OmsClient(base_url, token=token) as client:
        return client.products(limit=MAX_PRODUCTS)


@st.cache_data(ttl=MASTER_DATA_TTL_SECONDS, max_entries=64, show_spinner=False)
def customers(base_url: str, token: str, query: str) -> list[CustomerOut]:
    with OmsClient(base_url, token=token) as client:
        return client.customers(query or None, limit=50)


def available(client: OmsClient, sku: str, warehouse: str) -> int:
    """What can still be promised of this SKU in this warehouse right now (never cached)."""
    rows = client.stock(sku=sku, warehouse=warehouse)
    return sum(row.available for row in rows if row.sku == sku and row.warehouse == warehouse)
