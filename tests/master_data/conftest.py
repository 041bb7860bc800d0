"""Fixtures for ERP master data: one server with the memorable catalogue, extracts written to disk."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from oms_ops.adapters.erp import load_file
from oms_ops.contracts_master_data import MasterDataSummary
from tests.conftest import RunningServer, serving
from tests.integration.shop import load_catalogue

_names = itertools.count(1)


@pytest.fixture(scope="package")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server for the master data tests; each test loads codes of its own, so they do not meet."""
    with serving(tmp_path_factory.mktemp("master-data-shop"), load_catalogue) as running:
        yield running


@pytest.fixture
def tag() -> str:
    """A unique suffix for the codes a test creates."""
    return f"{next(_names)}"


def write(folder: Path, name: str, *lines: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def load(server: RunningServer, kind: str, path: Path, mapping: str | None = None) -> MasterDataSummary:
    with server.system_client() as client:
        return load_file(client, path, kind, mapping)


def counts(summary: MasterDataSummary) -> tuple[int, int, int, int, int]:
    return summary.rows, summary.created, summary.updated, summary.unchanged, summary.quarantined
