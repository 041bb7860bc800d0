"""Small readers of what the stock services wrote."""

from __future__ import annotations

import json
from typing import Any

from oms_ops.store.database import Database


def level(db: Database, warehouse: str, sku: str) -> tuple[int, int]:
    """(on hand, reserved) of one location; (0, 0) when it has never held stock."""
    with db.reading() as cur:
        row = cur.execute(
            "select on_hand, reserved from stock_levels where warehouse_code = ? and sku = ?", [warehouse, sku]
        ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def ledger(db: Database, movement: str) -> list[tuple[str, str, int, int, str | None]]:
    with db.reading() as cur:
        return cur.execute(
            "select warehouse_code, sku, on_hand_delta, reserved_delta, reason from stock_ledger"
            " where movement = ? order by entry_id",
            [movement],
        ).fetchall()


def alerts_outbox(db: Database) -> list[tuple[str | None, dict[str, Any]]]:
    with db.reading() as cur:
        rows = cur.execute(
            "select recipient, payload from outbox where topic = 'safety_stock_alert' order by id"
        ).fetchall()
    return [(recipient, json.loads(payload)) for recipient, payload in rows]


def alert_rows(db: Database) -> list[tuple[str, str, bool]]:
    """(warehouse, sku, still open) of every alert, oldest first."""
    with db.reading() as cur:
        return cur.execute(
            "select warehouse_code, sku, closed_at is null from stock_alerts order by alert_id"
        ).fetchall()
