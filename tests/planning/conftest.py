"""Fixtures: one server per module with the memorable catalogue (tests/integration/shop.py).

The tests of a module share it, so each one uses its own customers, or states the whole suggestion set first.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import RunningServer, serving
from tests.integration.shop import load_catalogue


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with serving(tmp_path_factory.mktemp("planning-shop"), load_catalogue) as running:
        yield running
