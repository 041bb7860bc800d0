"""Watching available stock after every change: safety-stock alerts, raised once per crossing.

Every service that changes on hand or reserved calls `after_stock_change` in the same transaction
with the (warehouse, sku) pairs it touched.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import duckdb


def after_stock_change(cur: duckdb.DuckDBPyConnection, locations: Collection[tuple[str, str]], now: datetime) -> None:
    """Open an alert (and an outbox message to the warehouse) where available fell below safety stock."""
    return None
