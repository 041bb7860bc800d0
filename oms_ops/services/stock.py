"""Looking at stock and receiving goods."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from oms_ops.domain.errors import InvalidInput
from oms_ops.domain.roles import Action, require
from oms_ops.services import backorders, stock_watch
from oms_ops.services.actor import Actor
from oms_ops.store import queries
from oms_ops.store.database import Database


def stock_levels(
    db: Database, actor: Actor, sku: str | None = None, warehouse: str | None = None
) -> list[dict[str, Any]]:
    require(actor.roles, Action.VIEW_STOCK)
    with db.reading() as cur:
        return queries.stock_rows(cur, sku, warehouse)


def receive_stock(
    db: Database, actor: Actor, warehouse: str, sku: str, quantity: int, reason: str | None = None
) -> dict[str, Any]:
    """Goods arrive in a warehouse: on hand goes up, with a receipt row in the ledger."""
    require(actor.roles, Action.RECEIVE_STOCK)
    if quantity <= 0:
        raise InvalidInput(f"Quantity received must be a positive whole number, not {quantity}.", field="quantity")
    with db.transaction() as cur:
        if warehouse not in queries.warehouse_regions(cur):
            raise InvalidInput(f"Unknown warehouse {warehouse}.", field="warehouse")
        if not queries.products_by_sku(cur, [sku]):
            raise InvalidInput(f"Unknown SKU {sku}.", field="sku")
        now = datetime.now(UTC)
        queries.receive(cur, warehouse, sku, quantity, now)
        queries.write_ledger(cur, now, "receipt", {(warehouse, sku): quantity}, 1, 0, None, actor.username, reason)
        stock_watch.after_stock_change(cur, [(warehouse, sku)], now)
        backorders.fill_in(cur, actor, now)  # stock came in: waiting backorders take it, oldest first
        return queries.stock_rows(cur, sku, warehouse)[0]
