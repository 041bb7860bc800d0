"""Load demo data into a running server: demo users first, then master data, stock and history."""

from __future__ import annotations

from typing import Protocol

import polars as pl

from oms_ops import contracts as c
from oms_ops.client import Conflict
from oms_ops.demo.generate import DemoData

# username -> display name; each user has the one role named like the user
DEMO_USERS: dict[str, str] = {
    "admin": "系统管理员 / Administrator",
    "sales": "王芳 (销售) / Wang Fang, sales",
    "warehouse": "李强 (仓库) / Li Qiang, warehouse",
    "finance": "陈静 (财务) / Chen Jing, finance",
    "manager": "张伟 (经理) / Zhang Wei, manager",
    "analyst": "刘洋 (分析) / Liu Yang, analyst",
}

# Orders per order_history request: one transaction each, all lines of an order in the same one.
HISTORY_CHUNK_ORDERS = 25_000
# Payments per request (each pays one order).
PAYMENT_CHUNK_ROWS = 100_000


class DemoClient(Protocol):
    def create_user(
        self, username: str, password: str, roles: list[str], display_name: str | None = None
    ) -> c.UserOut: ...

    def bulk_load(self, entity: str, frame: pl.DataFrame) -> c.BulkResult: ...


def load_demo(client: DemoClient, data: DemoData, demo_password: str) -> dict[str, int]:
    """Create the demo users (skipping existing ones) and bulk-load every frame; returns counts.

    Counts: `users_created`, `users_existing`, then per entity the rows the server reports
    (for order_history: orders created; orders already present are skipped by the server; for payments:
    payments recorded; an order already paid in full gets none).
    Stock receipts are not idempotent on the server: load a data set into a given database once.
    """
    counts = {"users_created": 0, "users_existing": 0}
    for username, display_name in DEMO_USERS.items():
        try:
            client.create_user(username, demo_password, [username], display_name=display_name)
            counts["users_created"] += 1
        except Conflict:
            counts["users_existing"] += 1
    for entity, frame in data.frames().items():
        if entity == "order_history":
            chunks = history_chunks(frame)
        elif entity == "payments":
            chunks = [frame.slice(start, PAYMENT_CHUNK_ROWS) for start in range(0, frame.height, PAYMENT_CHUNK_ROWS)]
        else:
            chunks = [frame]
        counts[entity] = sum(client.bulk_load(entity, chunk).rows for chunk in chunks)
    counts["order_history_lines"] = data.order_history.height
    return counts


def history_chunks(history: pl.DataFrame, orders_per_chunk: int = HISTORY_CHUNK_ORDERS) -> list[pl.DataFrame]:
    """Split order lines into slices of whole orders, in order of first appearance, keeping row order."""
    if history.is_empty():
        return []
    first_row = pl.col("_row").min().over("channel", "external_ref")
    chunk = (first_row.rank("dense") - 1) // orders_per_chunk
    marked = history.with_row_index("_row").with_columns(_chunk=chunk).drop("_row")
    return [part.drop("_chunk") for part in marked.partition_by("_chunk", maintain_order=True)]
