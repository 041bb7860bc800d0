"""Fixtures for channel imports: a server with the memorable catalogue, and order files written to disk."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from oms_ops.adapters.channels import import_file
from oms_ops.contracts import ImportSummary
from tests.conftest import RunningServer, serving
from tests.integration.shop import lake, load_catalogue

HEADER = "external_order_id,order_date,customer_code,sku,quantity,unit_price,note"
_channels = itertools.count(1)


@pytest.fixture(scope="package")
def shared_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server for the import tests; each test imports into a channel of its own, so they do not meet."""
    with serving(tmp_path_factory.mktemp("imports-shop"), load_catalogue) as running:
        yield running


@pytest.fixture
def channel() -> str:
    return f"web{next(_channels)}"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    path = folder / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def csv_feed(*rows: str) -> str:
    return "\n".join((HEADER, *rows)) + "\n"


def run_import(server: RunningServer, path: Path, channel: str, dry_run: bool = False) -> ImportSummary:
    with server.system_client() as client:
        return import_file(client, path, channel, dry_run=dry_run)


def external_refs(server: RunningServer, channel: str) -> list[str]:
    """The external order ids of the channel's orders, from a snapshot of the server's tables."""
    rows = lake(server).execute("select external_ref from orders where channel = ? order by 1", [channel]).fetchall()
    return [row[0] for row in rows]
