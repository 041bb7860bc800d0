"""An EDIFACT order file read with the server's help: it names buyers by GLN and items by GTIN."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from oms_ops.adapters.edifact.orders import is_edifact, read_edifact_orders
from oms_ops.client import OmsClient

__all__ = ["is_edifact", "read_with_client"]


def read_with_client(path: Path, client: OmsClient, timezone: str) -> pl.DataFrame:
    """Canonical rows of the interchange, customers and SKUs looked up on the server by GLN and GTIN."""

    def identify(glns: list[str], gtins: list[str]) -> tuple[dict[str, str], dict[str, str]]:
        found = client.identify(glns, gtins)
        return found.customers, found.products

    return read_edifact_orders(path, identify, timezone)
