"""Watching available stock after every change: safety-stock alerts, raised once per crossing.

Every service that changes on hand or reserved calls `after_stock_change` in the same transaction
with the (warehouse, sku) pairs it touched (placing, amending, cancelling orders; receipts,
adjustments, transfers; setting a safety stock). An alert opens when available falls below the
safety stock and no alert is open for that location; it closes when available is back at or above
it, so the next fall alerts again: one alert and one outbox message per crossing, never a flood.

The suggested reorder quantity is `domain.stock_ops.suggested_reorder`: enough to bring available
plus inbound (open expected receipts, transfers in transit) up to max(reorder point, 2 x safety stock).

Placing an order calls this on its hot path: locations without a stock policy cannot cross (the
set of policy locations is remembered between transactions), so for them it reads nothing; else one read
when nothing crosses.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import duckdb

from oms_ops.domain.stock_ops import suggested_reorder
from oms_ops.store import stock_ops_queries as q

TOPIC = "safety_stock_alert"
RECIPIENT = "role:warehouse"


def after_stock_change(cur: duckdb.DuckDBPyConnection, locations: Collection[tuple[str, str]], now: datetime) -> None:
    """Open an alert (and an outbox message to the warehouse) where available fell below safety stock."""
    if not locations:
        return
    watched = q.policy_locations(cur)
    locations = [(wh, sku) for wh, sku in locations if (wh, sku) in watched]
    if not locations:
        return
    crossings = q.crossings(cur, locations)
    if not crossings:
        return
    to_close = [c["alert_id"] for c in crossings if c["alert_id"] is not None]
    if to_close:
        q.close_alerts(cur, to_close, now)
    opening = [c for c in crossings if c["alert_id"] is None]
    if opening:
        inbound = q.inbound_totals(cur, [(c["warehouse_code"], c["sku"]) for c in opening])
        alerts = []
        for c in opening:
            on_way = inbound.get((c["warehouse_code"], c["sku"]), 0)
            suggestion = suggested_reorder(c["safety_stock"], c["reorder_point"], c["available"], on_way)
            alerts.append({**c, "inbound": on_way, "suggested_reorder": suggestion})
        for alert in q.open_alerts(cur, alerts, now):
            payload = {
                "alert_id": alert["alert_id"],
                "warehouse": alert["warehouse_code"],
                "sku": alert["sku"],
                "available": alert["available"],
                "safety_stock": alert["safety_stock"],
                "reorder_point": alert["reorder_point"],
                "inbound": alert["inbound"],
                "suggested_reorder": alert["suggested_reorder"],
                "opened_at": now.isoformat(),
            }
            q.insert_outbox(cur, TOPIC, RECIPIENT, payload, now)
