"""Fixtures: the `server` fixture with the memorable catalogue loaded, fresh or shared by a module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import RunningServer, serving
from tests.integration.shop import load_catalogue


@pytest.fixture
def shop(server: RunningServer) -> RunningServer:
    """A fresh server with users per role and the catalogue; for tests that change state."""
    load_catalogue(server)
    return server


@pytest.fixture(scope="module")
def shared_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server per module with the catalogue, for tests that only read or add their own rows."""
    with serving(tmp_path_factory.mktemp("shared-shop"), load_catalogue) as running:
        yield running
