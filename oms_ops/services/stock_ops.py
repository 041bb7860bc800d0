"""Stock operations in a warehouse: adjustments with a reason, safety stock and reorder points, expected
receipts (what arrives when), safety-stock alerts, and available-to-promise across warehouses."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import duckdb

from oms_ops.domain import stock_ops as so
from oms_ops.domain.errors import InvalidInput, InvalidTransition, NotFound
from oms_ops.domain.roles import Action, require
from oms_ops.services import backorders, stock_watch
from oms_ops.services.actor import Actor
from oms_ops.store import queries
from oms_ops.store import stock_ops_queries as q
from oms_ops.store.database import Database

AUTOMATIC_CHOICE_RULE = (
    "When the clerk picks no warehouse, a line ships from the warehouse in the customer's region if it has"
    " the whole quantity available; otherwise from the warehouse with the most available (ties: by code)."
)


def check_location(cur: duckdb.DuckDBPyConnection, warehouse: str, sku: str) -> None:
    if warehouse not in queries.warehouse_regions(cur):
        raise InvalidInput(f"Unknown warehouse {warehouse}.", field="warehouse")
    if not queries.products_by_sku(cur, [sku]):
        raise InvalidInput(f"Unknown SKU {sku}.", field="sku")


def _whole(value: int, field: str, what: str, minimum: int = 0) -> None:
    if value < minimum:
        bound = "a positive whole number" if minimum > 0 else "zero or more"
        raise InvalidInput(f"{what} must be {bound}, not {value}.", field=field)


# -- positions, adjustments, policies ------------------------------------------------------


def stock_positions(
    db: Database, actor: Actor, sku: str | None = None, warehouse: str | None = None
) -> list[dict[str, Any]]:
    """Per warehouse and SKU: on hand, reserved, available, safety stock, reorder point, inbound, open alert."""
    require(actor.roles, Action.VIEW_STOCK)
    with db.reading() as cur:
        return q.positions(cur, sku, warehouse)


def adjust_stock(
    db: Database, actor: Actor, warehouse: str, sku: str, change: int, reason: str, note: str | None = None
) -> dict[str, Any]:
    """Correct on hand up or down for a reason code; never below what is reserved for orders."""
    require(actor.roles, Action.ADJUST_STOCK)
    code = so.check_reason(reason)
    if change == 0:
        raise InvalidInput("An adjustment must change the stock: give a quantity other than 0.", field="change")
    with db.transaction() as cur:
        check_location(cur, warehouse, sku)
        now = datetime.now(UTC)
        if q.adjust(cur, warehouse, sku, change, now) != 1:
            raise so.BelowReserved(warehouse, sku, change, *q.level(cur, warehouse, sku))
        why = code.value + (f": {note}" if note else "")
        queries.write_ledger(cur, now, "adjustment", {(warehouse, sku): change}, 1, 0, None, actor.username, why)
        stock_watch.after_stock_change(cur, [(warehouse, sku)], now)
        backorders.fill_in(cur, actor, now)  # stock came in: waiting backorders take it, oldest first
        return q.positions(cur, sku, warehouse)[0]


def set_stock_policy(
    db: Database,
    actor: Actor,
    warehouse: str,
    sku: str,
    safety_stock: int,
    reorder_point: int,
    lead_time_days: int = 7,
) -> dict[str, Any]:
    """Set safety stock, reorder point and lead time; an alert opens at once if available is already below."""
    require(actor.roles, Action.PLAN_STOCK)
    _whole(safety_stock, "safety_stock", "Safety stock")
    _whole(reorder_point, "reorder_point", "Reorder point")
    _whole(lead_time_days, "lead_time_days", "Lead time in days")
    with db.transaction() as cur:
        check_location(cur, warehouse, sku)
        now = datetime.now(UTC)
        q.upsert_policy(cur, warehouse, sku, safety_stock, reorder_point, lead_time_days, actor.username, now)
        stock_watch.after_stock_change(cur, [(warehouse, sku)], now)
        return q.positions(cur, sku, warehouse)[0]


def stock_alerts(
    db: Database, actor: Actor, open_only: bool = True, warehouse: str | None = None
) -> list[dict[str, Any]]:
    require(actor.roles, Action.VIEW_STOCK)
    with db.reading() as cur:
        return q.alerts(cur, open_only, warehouse)


# -- expected receipts --------------------------------------------------------------------


def add_expected_receipt(
    db: Database,
    actor: Actor,
    warehouse: str,
    sku: str,
    quantity: int,
    expected_on: date,
    reference: str | None = None,
) -> dict[str, Any]:
    """Goods on order from a supplier: they count as inbound on their date until received."""
    require(actor.roles, Action.PLAN_STOCK)
    _whole(quantity, "quantity", "Quantity expected", minimum=1)
    with db.transaction() as cur:
        check_location(cur, warehouse, sku)
        now = datetime.now(UTC)
        receipt_id = q.insert_expected_receipt(
            cur, warehouse, sku, quantity, expected_on, reference, actor.username, now
        )
        return _receipt(cur, receipt_id)


def expected_receipts(
    db: Database,
    actor: Actor,
    status: str | None = "open",
    warehouse: str | None = None,
    sku: str | None = None,
) -> list[dict[str, Any]]:
    require(actor.roles, Action.VIEW_STOCK)
    with db.reading() as cur:
        return q.expected_receipts(cur, status, warehouse, sku)


def change_expected_receipt(
    db: Database,
    actor: Actor,
    receipt_id: int,
    quantity: int | None = None,
    expected_on: date | None = None,
    reference: str | None = None,
) -> dict[str, Any]:
    """Move the date, change the quantity (not below what already arrived) or the reference of an open receipt."""
    require(actor.roles, Action.PLAN_STOCK)
    with db.transaction() as cur:
        current = _open_receipt(cur, receipt_id)
        quantity = current["quantity"] if quantity is None else quantity
        if quantity < max(current["received"], 1):
            raise InvalidInput(
                f"Quantity expected must be at least {max(current['received'], 1)}"
                f" ({current['received']} have already arrived).",
                field="quantity",
            )
        q.update_expected_receipt(
            cur,
            receipt_id,
            quantity,
            expected_on or current["expected_on"],
            current["reference"] if reference is None else reference,
        )
        if quantity == current["received"]:
            q.close_expected_receipt(cur, receipt_id, "received", datetime.now(UTC))
        return _receipt(cur, receipt_id)


def cancel_expected_receipt(db: Database, actor: Actor, receipt_id: int) -> dict[str, Any]:
    """The rest of this receipt will not come: it stops counting as inbound."""
    require(actor.roles, Action.PLAN_STOCK)
    with db.transaction() as cur:
        _open_receipt(cur, receipt_id)
        q.close_expected_receipt(cur, receipt_id, "cancelled", datetime.now(UTC))
        return _receipt(cur, receipt_id)


def receive_expected(db: Database, actor: Actor, receipt_id: int, quantity: int | None = None) -> dict[str, Any]:
    """Goods of an expected receipt arrive, all that is outstanding or part: on hand up, a receipt in the ledger."""
    require(actor.roles, Action.RECEIVE_STOCK)
    with db.transaction() as cur:
        current = _open_receipt(cur, receipt_id)
        outstanding = current["outstanding"]
        quantity = outstanding if quantity is None else quantity
        if not 1 <= quantity <= outstanding:
            raise InvalidInput(
                f"Quantity received must be between 1 and the {outstanding} still expected, not {quantity}.",
                field="quantity",
            )
        now = datetime.now(UTC)
        location = (current["warehouse"], current["sku"])
        q.add_on_hand(cur, {location: quantity}, now)
        why = f"expected receipt {current['reference'] or receipt_id}"
        queries.write_ledger(cur, now, "receipt", {location: quantity}, 1, 0, None, actor.username, why)
        q.receive_against(cur, receipt_id, quantity, now)
        stock_watch.after_stock_change(cur, [location], now)
        backorders.fill_in(cur, actor, now)  # stock came in: waiting backorders take it, oldest first
        return _receipt(cur, receipt_id)


def _receipt(cur: duckdb.DuckDBPyConnection, receipt_id: int) -> dict[str, Any]:
    found = q.expected_receipts(cur, None, None, None, receipt_id)
    if not found:
        raise NotFound(f"There is no expected receipt {receipt_id}.")
    return found[0]


def _open_receipt(cur: duckdb.DuckDBPyConnection, receipt_id: int) -> dict[str, Any]:
    receipt = _receipt(cur, receipt_id)
    if receipt["status"] != "open":
        raise InvalidTransition(f"Expected receipt {receipt_id} is {receipt['status']}; only open receipts change.")
    return receipt


# -- available to promise -----------------------------------------------------------------


def available_to_promise(
    db: Database, actor: Actor, sku: str, quantity: int, customer_code: str | None = None
) -> dict[str, Any]:
    """Per warehouse: available now, what arrives when, and the earliest date it can promise the quantity;
    the warehouse the automatic rule would choose; and a split across warehouses when none can serve alone."""
    require(actor.roles, Action.VIEW_STOCK)
    _whole(quantity, "quantity", "Quantity", minimum=1)
    today = datetime.now(UTC).date()
    with db.reading() as cur:
        if not queries.products_by_sku(cur, [sku]):
            raise InvalidInput(f"Unknown SKU {sku}.", field="sku")
        region = None
        if customer_code:
            customer = queries.customer(cur, customer_code)
            if customer is None:
                raise InvalidInput(f"Unknown customer {customer_code}.", field="customer_code")
            region = customer["region"]
        regions = queries.warehouse_regions(cur)
        now_available = {row["warehouse"]: row["available"] for row in queries.stock_rows(cur, sku)}
        inbound = q.inbound_of_sku(cur, sku)
        automatic = queries.default_warehouse(cur, sku, quantity, region)
    rows: list[dict[str, Any]] = []
    now_by_warehouse: dict[str, int] = {}
    for warehouse, wh_region in regions.items():
        arrivals = [
            so.Inbound(i["arrives_on"], int(i["quantity"]), i["source"])
            for i in inbound
            if i["warehouse_code"] == warehouse
        ]
        available = now_by_warehouse[warehouse] = int(now_available.get(warehouse, 0))
        rows.append(
            {
                "warehouse": warehouse,
                "region": wh_region,
                "available": available,
                "inbound": [a.__dict__ for a in arrivals],
                "inbound_total": sum(a.quantity for a in arrivals),
                "can_serve_now": available >= quantity,
                "earliest_date": so.earliest_promise(available, arrivals, quantity, today),
            }
        )
    split, short = ([], 0)
    if not any(r["can_serve_now"] for r in rows):
        parts, short = so.split_now(now_by_warehouse, quantity)
        split = [{"warehouse": wh, "quantity": units} for wh, units in parts]
    return {
        "sku": sku,
        "quantity": quantity,
        "as_of": today,
        "customer_region": region,
        "warehouses": rows,
        "automatic_choice": automatic,
        "automatic_rule": AUTOMATIC_CHOICE_RULE,
        "split": split,
        "short_after_split": short,
    }
