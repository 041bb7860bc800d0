"""A server whose three SKUs in Shanghai are scarce, so concurrent orders must compete for them."""

from __future__ import annotations

import pytest

from tests.conftest import RunningServer
from tests.integration.shop import load_catalogue

SCARCE_STOCK = {("SH", "BOLT-M8"): 40, ("SH", "LAMP-LED-9W"): 30, ("SH", "CABLE-CAT6"): 20}


@pytest.fixture
def scarce(server: RunningServer) -> RunningServer:
    load_catalogue(server, SCARCE_STOCK)
    return server
