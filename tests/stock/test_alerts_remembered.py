"""Alerts stay right when the watched locations change between orders, and after bulk stock loads.

The safety-stock watch remembers which locations have a stock policy between transactions (placing an
order then reads nothing for the others); setting a policy must make it look again, and a bulk load
of stock movements must open and close alerts like any other stock change.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import polars as pl

from oms_ops.services import bulk
from oms_ops.services.actor import Actor
from oms_ops.store.database import Database
from tests.stock.helpers import alert_rows, alerts_outbox
from tests.stock.test_alerts import sell, watched

SYSTEM = Actor("system", ("system",))


def load_movements(db: Database, *movements: tuple[str, str, str, int]) -> None:
    """(warehouse, sku, movement, on-hand delta) rows through the bulk stock-movement load."""
    frame = pl.DataFrame(
        {
            "occurred_at": [datetime.now(UTC)] * len(movements),
            "warehouse_code": [m[0] for m in movements],
            "sku": [m[1] for m in movements],
            "movement": [m[2] for m in movements],
            "on_hand_delta": [m[3] for m in movements],
            "reason": ["bulk"] * len(movements),
        }
    )
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    bulk.bulk_load(db, SYSTEM, "stock_movements", buffer.getvalue())


def test_a_safety_stock_set_after_orders_were_placed_alerts_on_the_next_fall(db):
    sell(db, 10)  # the watch has looked (and remembered no policy) before the policy exists

    sell(watched(db), 50)  # available 90 -> 40, safety stock 50

    assert alert_rows(db) == [("SH", "WIDGET-BLUE", True)]


def test_a_bulk_adjustment_below_safety_stock_opens_one_alert_and_one_message(db):
    load_movements(watched(db), ("SH", "WIDGET-BLUE", "adjustment", -60))  # available 100 -> 40

    assert alert_rows(db) == [("SH", "WIDGET-BLUE", True)]
    assert [payload["available"] for _, payload in alerts_outbox(db)] == [40]


def test_a_bulk_receipt_back_above_safety_stock_closes_the_alert(db):
    sell(watched(db), 60)

    load_movements(db, ("SH", "WIDGET-BLUE", "receipt", 30), ("BJ", "WIDGET-BLUE", "receipt", 5))

    assert alert_rows(db) == [("SH", "WIDGET-BLUE", False)]
