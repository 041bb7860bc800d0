"""A small, memorable catalogue loaded into a running server, and checks of the stock invariants.

Warehouses SH (Shanghai) and GZ (Guangzhou); hardware, lighting, cable and a book taxed at 9 %;
C-ACME pays up front (terms 0), C-NORTH buys on 30-day terms, C-HUAXIN has a Chinese name.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import httpx
import polars as pl

from oms_ops.client import OmsClient
from tests.conftest import TEST_PASSWORD, RunningServer

API = "/api/v1"

WAREHOUSES = pl.DataFrame(
    {
        "warehouse_code": ["SH", "GZ"],
        "name": ["Shanghai DC", "Guangzhou DC"],
        "region": ["East", "South"],
        "city": ["Shanghai", "Guangzhou"],
    }
)

PRODUCTS = pl.DataFrame(
    {
        "sku": ["BOLT-M8", "LAMP-LED-9W", "CABLE-CAT6", "GUIDE-SAFETY"],
        "name": ["Hex bolt M8 zinc", "LED lamp 9 W warm white", "Cat 6 cable 305 m", "Safety guide (printed)"],
        "category": ["hardware", "lighting", "network", "books"],
        "list_price": ["0.25", "12.90", "459.00", "45.50"],
        "cost": ["0.10", "7.00", "300.00", "20.00"],
        "tax_rate": ["0.13", "0.13", "0.13", "0.09"],
        "gtin": ["6901234500011", "6901234500028", "6901234500035", "9787111111111"],
    }
)

CUSTOMERS = pl.DataFrame(
    {
        "customer_code": ["C-ACME", "C-NORTH", "C-HUAXIN"],
        "name": ["Acme Trading Co.", "Northwind Industrial Ltd.", "华信贸易有限公司"],
        "name_en": [None, None, "Huaxin Trading"],
        "region": ["East", "South", "East"],
        "city": ["Shanghai", "Guangzhou", "Hangzhou"],
        "credit_limit": ["0", "50000", "20000"],
        "payment_terms_days": [0, 30, 60],
    }
)

# (warehouse, sku) -> units received at load time.
STOCK: dict[tuple[str, str], int] = {
    ("SH", "BOLT-M8"): 1000,
    ("SH", "LAMP-LED-9W"): 50,
    ("GZ", "LAMP-LED-9W"): 20,
    ("SH", "CABLE-CAT6"): 5,
    ("GZ", "GUIDE-SAFETY"): 30,
}


def load_catalogue(server: RunningServer, stock: Mapping[tuple[str, str], int] = STOCK) -> None:
    """Load warehouses, products, customers and opening stock receipts through the bulk API."""
    with server.system_client() as system:
        system.bulk_load("warehouses", WAREHOUSES)
        system.bulk_load("products", PRODUCTS)
        system.bulk_load("customers", CUSTOMERS)
        if stock:
            system.bulk_receive(stock)


# -- plain HTTP for exact contract checks ------------------------------------------------------


def login_token(server: RunningServer, username: str, password: str = TEST_PASSWORD) -> str:
    response = httpx.post(f"{server.base_url}{API}/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


def call(server: RunningServer, method: str, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
    headers = {**kwargs.pop("headers", {}), **({"Authorization": f"Bearer {token}"} if token else {})}
    return httpx.request(method, f"{server.base_url}{API}{path}", headers=headers, timeout=30, **kwargs)


def stock_of(server: RunningServer) -> dict[tuple[str, str], tuple[int, int]]:
    """(warehouse, sku) -> (on_hand, reserved), as the API reports it."""
    with server.system_client() as system:
        return {(r.warehouse, r.sku): (r.on_hand, r.reserved) for r in system.stock()}


def client(server: RunningServer, username: str) -> OmsClient:
    return server.client_as(username)


# -- the lake copy and the invariants ----------------------------------------------------------


def lake(server: RunningServer) -> duckdb.DuckDBPyConnection:
    """Ask the server for a snapshot and return an in-memory DuckDB with one view per Parquet file."""
    with server.system_client() as system:
        result = system.snapshot()
    con = duckdb.connect()
    for table in result.tables:
        path = table.path.replace("'", "''")
        con.execute(f"create view {table.table} as select * from read_parquet('{path}')")
    return con


def open_stopped_database(server: RunningServer) -> duckdb.DuckDBPyConnection:
    """Stop the server (it alone may hold the file) and open oms.duckdb read-only."""
    server.stop()
    return duckdb.connect(str(Path(server.data_dir) / "oms.duckdb"), read_only=True)


STOCK_VERSUS_LEDGER = """
    with ledger as (
        select warehouse_code, sku, sum(on_hand_delta) as on_hand, sum(reserved_delta) as reserved
        from stock_ledger group by warehouse_code, sku
    )
    select coalesce(s.warehouse_code, l.warehouse_code) as warehouse_code, coalesce(s.sku, l.sku) as sku,
           s.on_hand, s.reserved, l.on_hand as ledger_on_hand, l.reserved as ledger_reserved
    from stock_levels s full join ledger l on s.warehouse_code = l.warehouse_code and s.sku = l.sku
    where s.on_hand is distinct from l.on_hand or s.reserved is distinct from l.reserved
    order by 1, 2
"""

BROKEN_LEVELS = "select * from stock_levels where reserved < 0 or reserved > on_hand or on_hand < 0"


def assert_stock_invariants(con: duckdb.DuckDBPyConnection) -> None:
    """Stock levels equal the ledger sums, and 0 <= reserved <= on_hand everywhere."""
    mismatches = con.execute(STOCK_VERSUS_LEDGER).fetchall()
    assert mismatches == [], f"stock_levels differ from the ledger sums: {mismatches}"
    broken = con.execute(BROKEN_LEVELS).fetchall()
    assert broken == [], f"stock levels outside 0 <= reserved <= on_hand: {broken}"
