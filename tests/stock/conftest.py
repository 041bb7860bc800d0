"""Fixtures: a bare Database with two warehouses and a little stock, and one real server for the API tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from oms_ops.client import OmsClient
from oms_ops.services.actor import Actor
from oms_ops.store.database import Database
from tests.conftest import RunningServer, serving
from tests.fulfilment.conftest import seed
from tests.integration.shop import assert_stock_invariants
from tests.pages.conftest import load_shop, point_pages_at

ADMIN = Actor("admin", ("admin",))
WAREHOUSE = Actor("warehouse", ("warehouse",))
SALES = Actor("sales", ("sales",))


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated and seeded once; each test gets a copy (migrating per test costs more than the test)."""
    path = tmp_path_factory.mktemp("stock-template") / "oms.duckdb"
    database = Database(path)
    database.migrate()
    seed(database, {("SH", "WIDGET-BLUE"): 100, ("BJ", "WIDGET-BLUE"): 40, ("SH", "GADGET-XL"): 7})
    database.close()
    return path


@pytest.fixture
def db(seeded_file: Path, tmp_path: Path) -> Iterator[Database]:
    """SH and BJ; 100 blue widgets in SH, 40 in BJ, 7 gadgets in SH."""
    shutil.copy(seeded_file, tmp_path / "oms.duckdb")
    database = Database(tmp_path / "oms.duckdb")
    yield database
    with database.reading() as cur:
        assert_stock_invariants(cur)  # every test leaves stock equal to its ledger
    database.close()


@pytest.fixture(scope="package")
def stock_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server for the package; tests use SKUs and locations of their own or check what they changed."""
    with serving(tmp_path_factory.mktemp("stock"), load_shop) as running:
        yield running


@pytest.fixture
def shop(stock_server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunningServer:
    """The shared server, with the pages' settings pointing at it."""
    point_pages_at(monkeypatch, stock_server.port, tmp_path)
    return stock_server


@pytest.fixture(scope="package")
def clerk(stock_server: RunningServer) -> Iterator[OmsClient]:
    """The warehouse user, signed in once (password hashing is slow on purpose)."""
    with stock_server.client_as("warehouse") as client:
        yield client


@pytest.fixture(scope="package")
def sales(stock_server: RunningServer) -> Iterator[OmsClient]:
    with stock_server.client_as("sales") as client:
        yield client
