"""A server whose three SKUs in Shanghai are scarce, so concurrent orders must compete for them."""

from __future__ import annotations

import pytest

from tests.conftest import RunningServer
from tests.integration.shop import load_catalogue

SCARCE_STOCK = {("SH", "BOLT-M8"): 120, ("SH", "LAMP-LED-9W"): 90, ("SH", "CABLE-CAT6"): 60}


@pytest.fixture
def scarce(server: RunningServer) -> RunningServer:
    load_catalogue(server, SCARCE_STOCK)
    return server
