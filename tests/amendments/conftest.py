"""Fixtures: a bare Database with the fulfilment catalogue, and one real server for the package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from oms_ops.store.database import Database
from tests.conftest import RunningServer, serving
from tests.fulfilment.conftest import seed
from tests.pages.conftest import load_shop, point_pages_at


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A real DuckDB file: SH has 100 WIDGET-BLUE and 7 GADGET-XL, BJ 40 WIDGET-BLUE."""
    database = Database(tmp_path / "oms.duckdb")
    database.migrate()
    seed(database, {("SH", "WIDGET-BLUE"): 100, ("BJ", "WIDGET-BLUE"): 40, ("SH", "GADGET-XL"): 7})
    yield database
    database.close()


@pytest.fixture(scope="package")
def amend_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server for the package (the pages' catalogue); tests check what their own orders changed."""
    with serving(tmp_path_factory.mktemp("amendments"), load_shop) as running:
        yield running


@pytest.fixture
def shop(amend_server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunningServer:
    """The shared server, with the pages' settings pointing at it."""
    point_pages_at(monkeypatch, amend_server.port, tmp_path)
    return amend_server
