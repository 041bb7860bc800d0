"""Fixtures: a real DuckDB file with a catalogue made to trip each approval rule, and a real server with it.

CRANE-ARM sells at 30,000.00 (two make a large order), THIN-FOIL at a 5 % margin, WIDGET-BLUE at a
comfortable one. C-CASH pays up front; C-TERMS buys on 30-day terms with a 1,000.00 credit limit;
C-OPEN buys on terms with no limit set (0).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from oms_ops.services.actor import Actor
from oms_ops.services.stock import receive_stock
from oms_ops.store.database import Database
from tests.conftest import RunningServer, serving

ADMIN = Actor("admin", ("admin",))
STOCK = {("SH", "CRANE-ARM"): 50, ("SH", "THIN-FOIL"): 5000, ("SH", "WIDGET-BLUE"): 5000}

CATALOGUE = [
    "insert into warehouses (warehouse_code, name, region) values ('SH', 'Shanghai', 'East')",
    "insert into products (sku, name, category, list_price, cost, tax_rate) values"
    " ('CRANE-ARM', 'Crane arm', 'machines', 30000.00, 20000.00, 0.13),"
    " ('THIN-FOIL', 'Thin foil', 'parts', 10.00, 9.50, 0.13),"
    " ('WIDGET-BLUE', 'Blue widget', 'widgets', 10.00, 6.00, 0.13)",
    "insert into customers (customer_code, name, region, email, credit_limit, payment_terms_days) values"
    " ('C-CASH', 'Cash & Carry Ltd.', 'East', 'buy@cash.example', 0, 0),"
    " ('C-TERMS', 'Terms Trading Co.', 'East', 'ap@terms.example', 1000.00, 30),"
    " ('C-OPEN', 'Open Account Inc.', 'East', 'ap@open.example', 0, 30)",
]


def seed(db: Database) -> None:
    with db.transaction() as cur:
        for statement in CATALOGUE:
            cur.execute(statement)
    for (warehouse, sku), quantity in STOCK.items():
        receive_stock(db, ADMIN, warehouse, sku, quantity, "opening stock")


def seeded_database(folder: Path) -> Database:
    """A migrated database in `folder` holding the seeded catalogue, customers and stock."""
    database = Database(folder / "oms.duckdb")
    database.migrate()
    seed(database)
    return database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = seeded_database(tmp_path)
    yield database
    database.close()


def load(server: RunningServer) -> None:
    """The same catalogue through the bulk API of a running server."""
    with server.system_client() as system:
        system.bulk_load(
            "warehouses", pl.DataFrame({"warehouse_code": ["SH"], "name": ["Shanghai"], "region": ["East"]})
        )
        system.bulk_load(
            "products",
            pl.DataFrame(
                {
                    "sku": ["CRANE-ARM", "THIN-FOIL", "WIDGET-BLUE"],
                    "name": ["Crane arm", "Thin foil", "Blue widget"],
                    "category": ["machines", "parts", "widgets"],
                    "list_price": ["30000.00", "10.00", "10.00"],
                    "cost": ["20000.00", "9.50", "6.00"],
                    "tax_rate": ["0.13", "0.13", "0.13"],
                }
            ),
        )
        system.bulk_load(
            "customers",
            pl.DataFrame(
                {
                    "customer_code": ["C-CASH", "C-TERMS", "C-OPEN"],
                    "name": ["Cash & Carry Ltd.", "Terms Trading Co.", "Open Account Inc."],
                    "region": ["East", "East", "East"],
                    "email": ["buy@cash.example", "ap@terms.example", "ap@open.example"],
                    "credit_limit": ["0", "1000.00", "0"],
                    "payment_terms_days": [0, 30, 30],
                }
            ),
        )
        system.bulk_receive(STOCK)


@pytest.fixture(scope="package")
def approvals_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server for the package's API tests: each places its own orders."""
    with serving(tmp_path_factory.mktemp("approvals"), load) as running:
        yield running
