"""Fixtures: a real server with the page catalogue (customers with e-mail addresses), and a bare Database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from oms_ops.services.actor import Actor
from oms_ops.services.stock import receive_stock
from oms_ops.store.database import Database
from tests.conftest import RunningServer, serving
from tests.pages.conftest import load_shop, point_pages_at

ADMIN = Actor("admin", ("admin",))


@pytest.fixture(scope="package")
def fulfilment_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server for the package: tests place their own orders and check what those changed."""
    with serving(tmp_path_factory.mktemp("fulfilment"), load_shop) as running:
        yield running


@pytest.fixture
def shop(fulfilment_server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunningServer:
    """The shared server, with the pages' settings pointing at it."""
    point_pages_at(monkeypatch, fulfilment_server.port, tmp_path)
    return fulfilment_server


def seed(db: Database, stock: dict[tuple[str, str], int]) -> None:
    """Two warehouses, three SKUs, a prepaid customer and one on 30-day terms, and opening stock."""
    with db.transaction() as cur:
        cur.execute(
            "insert into warehouses (warehouse_code, name, region) values ('SH', 'Shanghai', 'East'),"
            " ('BJ', 'Beijing', 'North')"
        )
        cur.execute(
            "insert into products (sku, name, category, list_price, cost, tax_rate) values"
            " ('WIDGET-BLUE', 'Blue widget', 'widgets', 10.00, 6.00, 0.13),"
            " ('GADGET-XL', 'Gadget XL', 'gadgets', 250.00, 180.00, 0.13),"
            " ('PIN-STEEL', 'Steel pin', 'parts', 0.35, 0.10, 0.09)"
        )
        cur.execute(
            "insert into customers (customer_code, name, region, email, payment_terms_days) values"
            " ('C-ACME', 'Acme Trading Co.', 'East', 'buy@acme.example', 0),"
            " ('C-GLOBEX', 'Globex Industrial Ltd.', 'North', 'orders@globex.example', 30)"
        )
    for (warehouse, sku), quantity in stock.items():
        receive_stock(db, ADMIN, warehouse, sku, quantity, "opening stock")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A real DuckDB file with the catalogue above and a little stock."""
    database = Database(tmp_path / "oms.duckdb")
    database.migrate()
    seed(database, {("SH", "WIDGET-BLUE"): 100, ("BJ", "WIDGET-BLUE"): 40, ("SH", "GADGET-XL"): 7})
    yield database
    database.close()
