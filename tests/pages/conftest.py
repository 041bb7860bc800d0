"""Page tests: each page file run by AppTest against a real server, signed in by seeding session state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from dashboards.lib import session
from oms_ops.client import OmsClient
from oms_ops.contracts import LoginResponse, UserOut
from tests.conftest import TEST_PASSWORD, RunningServer, serving

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
APP = DASHBOARDS / "app.py"
PAGES = DASHBOARDS / "views"  # not "pages/": see dashboards/README.md
PAGE_FILES = sorted(PAGES.glob("*.py"))

WAREHOUSES = pl.DataFrame(
    {
        "warehouse_code": ["SH", "BJ"],
        "name": ["Shanghai DC", "Beijing DC"],
        "region": ["East", "North"],
        "city": ["Shanghai", "Beijing"],
    }
)
PRODUCTS = pl.DataFrame(
    {
        "sku": ["WIDGET-BLUE", "GADGET-XL", "SPROCKET-7", "PIN-STEEL"],
        "name": ["Blue widget", "Gadget XL", "Sprocket, 7 teeth", "Steel pin"],
        "category": ["widgets", "gadgets", "parts", "parts"],
        "unit": ["pcs", "pcs", "pcs", "pcs"],
        "list_price": ["10.00", "250.00", "3.50", "0.80"],
        "cost": ["6.00", "180.00", "1.20", "0.30"],
        "tax_rate": ["0.13", "0.13", "0.13", "0.13"],
        "gtin": ["6900000000017", "6900000000024", "6900000000031", "6900000000048"],
    }
)
CUSTOMERS = pl.DataFrame(
    {
        "customer_code": ["C-ACME", "C-GLOBEX"],
        "name": ["Acme Trading Co.", "Globex Industrial Ltd."],
        "name_en": [None, None],
        "tier": ["gold", "standard"],
        "region": ["East", "North"],
        "city": ["Shanghai", "Beijing"],
        "email": ["buy@acme.example", "orders@globex.example"],
        "phone": [None, None],
        "gln": [None, None],
        "credit_limit": ["100000", "50000"],
        "payment_terms_days": [0, 30],
    }
)
# (warehouse, sku) -> units received before each test
STOCK = {
    ("SH", "WIDGET-BLUE"): 100,
    ("SH", "GADGET-XL"): 7,
    ("BJ", "WIDGET-BLUE"): 40,
    ("BJ", "SPROCKET-7"): 500,
    ("SH", "PIN-STEEL"): 10_000,  # for tests that place orders through the client
}


def load_shop(server: RunningServer) -> None:
    with server.system_client() as system:
        for entity, frame in (("warehouses", WAREHOUSES), ("products", PRODUCTS), ("customers", CUSTOMERS)):
            system.bulk_load(entity, frame)
        system.bulk_receive(STOCK)


@pytest.fixture(scope="package")
def shared_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server with the catalogue above for all page tests (starting one costs ~3 s).

    Tests share it, so they check what they changed (a new order, a stock level before and after)
    rather than absolute counts.
    """
    with serving(tmp_path_factory.mktemp("oms"), load_shop) as running:
        yield running


@pytest.fixture
def shop(shared_shop: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunningServer:
    """The shared server, with the pages' settings pointing at it and at an empty data folder of this test."""
    point_pages_at(monkeypatch, shared_shop.port, tmp_path)
    return shared_shop


def point_pages_at(monkeypatch: pytest.MonkeyPatch, port: int, data_dir: Path) -> None:
    monkeypatch.setenv("OMS_HOST", "127.0.0.1")
    monkeypatch.setenv("OMS_PORT", str(port))
    monkeypatch.setenv("OMS_DATA_DIR", str(data_dir))
    monkeypatch.setenv("OMS_LOCALE", "en_US")
    monkeypatch.setenv("OMS_TIMEZONE", "Asia/Shanghai")


def page(name: str) -> AppTest:
    return AppTest.from_file(PAGES / f"{name}.py", default_timeout=20)


_logins: dict[tuple[int, str], LoginResponse] = {}


def signed_in(at: AppTest, server: RunningServer, username: str, fresh: bool = False) -> AppTest:
    """Seed the session as the sign-in page leaves it; logins are reused (password hashing is slow on purpose)."""
    login = _logins.get((server.port, username))
    if fresh or login is None:
        with OmsClient(server.base_url) as client:
            login = client.login(username, TEST_PASSWORD)
        if not fresh:  # a fresh login is for a test that may end it
            _logins[server.port, username] = login
    session.remember(at.session_state, login)
    return at


def texts(at: AppTest) -> str:
    """Everything the page says in alerts, captions and markdown, as one string to search."""
    parts = [
        el.value for kind in ("success", "error", "warning", "info", "caption", "markdown") for el in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


UNUSED_PORT = 9  # the page never calls the server


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    point_pages_at(monkeypatch, UNUSED_PORT, tmp_path)
    return tmp_path


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """What the page offers for download, by file name."""
    offered: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(
        self: MemoryMediaFileStorage, data: str | bytes, mimetype: str, kind: Any, filename: Any = None
    ) -> str:
        if filename and isinstance(data, bytes):
            offered[filename] = data
        return original(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    yield offered


def as_role(at: AppTest, role: str) -> AppTest:
    """A session seeded as signed in with one role; for pages that only read the marts file."""
    session.remember(
        at.session_state, LoginResponse(token=f"token-of-{role}", user=UserOut(username=role, roles=[role]))
    )
    return at
