"""Moving stock between warehouses: request, ship (stock leaves and is in transit), receive all or part, cancel.

Shipping takes only what is available in the source warehouse: stock reserved for orders never leaves.
Every movement is a ledger row (transfer_out at the source, transfer_in at the destination).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import duckdb

from oms_ops.domain import stock_ops as so
from oms_ops.domain.errors import InsufficientStock, InvalidInput, NotFound
from oms_ops.domain.roles import Action, require
from oms_ops.domain.stock import shortages
from oms_ops.services import backorders, stock_watch
from oms_ops.services.actor import Actor
from oms_ops.store import queries
from oms_ops.store import stock_ops_queries as q
from oms_ops.store.database import Database

OPEN = ("requested", "in_transit", "partially_received")


def request_transfer(
    db: Database,
    actor: Actor,
    from_warehouse: str,
    to_warehouse: str,
    lines: Sequence[tuple[str, int]],
    expected_arrival: date,
    note: str | None = None,
) -> dict[str, Any]:
    """Ask for (sku, quantity) lines to move from one warehouse to another, arriving on a date."""
    require(actor.roles, Action.TRANSFER_STOCK)
    _check_lines(lines)
    if from_warehouse == to_warehouse:
        raise InvalidInput("A transfer must go to another warehouse than it comes from.", field="to_warehouse")
    if expected_arrival < datetime.now(UTC).date():
        raise InvalidInput(f"The expected arrival {expected_arrival} is in the past.", field="expected_arrival")
    with db.transaction() as cur:
        regions = queries.warehouse_regions(cur)
        for field, code in (("from_warehouse", from_warehouse), ("to_warehouse", to_warehouse)):
            if code not in regions:
                raise InvalidInput(f"Unknown warehouse {code}.", field=field)
        known = queries.products_by_sku(cur, [sku for sku, _ in lines])
        for i, (sku, _) in enumerate(lines):
            if sku not in known:
                raise InvalidInput(f"Unknown SKU {sku}.", field=f"lines[{i}].sku")
        now = datetime.now(UTC)
        transfer_id = q.insert_transfer(
            cur, from_warehouse, to_warehouse, lines, expected_arrival, note, actor.username, now
        )
        return _transfer(cur, transfer_id)


def ship_transfer(db: Database, actor: Actor, transfer_id: int) -> dict[str, Any]:
    """The goods leave the source warehouse: on hand down there, in transit until received."""
    require(actor.roles, Action.TRANSFER_STOCK)
    with db.transaction() as cur:
        transfer = _transfer(cur, transfer_id)
        so.check_transfer_step(transfer_id, transfer["status"], "ship")
        source = transfer["from_warehouse"]
        taken = {(source, line["sku"]): line["quantity"] for line in transfer["lines"]}
        now = datetime.now(UTC)
        if q.take_available(cur, taken, now) != len(taken):
            raise InsufficientStock(shortages(taken, queries.available(cur, list(taken))))
        q.mark_shipped(cur, transfer_id, actor.username, now)
        why = f"transfer {transfer_id} to {transfer['to_warehouse']}"
        queries.write_ledger(cur, now, "transfer_out", taken, -1, 0, None, actor.username, why)
        stock_watch.after_stock_change(cur, list(taken), now)
        return _transfer(cur, transfer_id)


def receive_transfer(
    db: Database, actor: Actor, transfer_id: int, lines: Sequence[tuple[str, int]] = ()
) -> dict[str, Any]:
    """Goods of a transfer arrive at the destination: (sku, quantity) pairs, or everything still in transit."""
    require(actor.roles, Action.TRANSFER_STOCK)
    with db.transaction() as cur:
        transfer = _transfer(cur, transfer_id)
        so.check_transfer_step(transfer_id, transfer["status"], "receive")
        by_line = _plan_receipt(transfer, lines)
        destination = transfer["to_warehouse"]
        sku_of = {line["line_no"]: line["sku"] for line in transfer["lines"]}
        arrived: Counter[tuple[str, str]] = Counter()
        for line_no, quantity in by_line.items():
            arrived[(destination, sku_of[line_no])] += quantity
        now = datetime.now(UTC)
        q.add_on_hand(cur, arrived, now)
        q.mark_received(cur, transfer_id, by_line)
        why = f"transfer {transfer_id} from {transfer['from_warehouse']}"
        queries.write_ledger(cur, now, "transfer_in", arrived, 1, 0, None, actor.username, why)
        outstanding = sum(line["shipped"] - line["received"] for line in transfer["lines"]) - sum(by_line.values())
        q.set_received(cur, transfer_id, so.status_after_receipt(outstanding).value, now)
        stock_watch.after_stock_change(cur, list(arrived), now)
        backorders.fill_in(cur, actor, now)  # stock came in: waiting backorders take it, oldest first
        return _transfer(cur, transfer_id)


def cancel_transfer(db: Database, actor: Actor, transfer_id: int) -> dict[str, Any]:
    """Drop a transfer that has not shipped yet; once shipped it can only be received."""
    require(actor.roles, Action.TRANSFER_STOCK)
    with db.transaction() as cur:
        transfer = _transfer(cur, transfer_id)
        so.check_transfer_step(transfer_id, transfer["status"], "cancel")
        q.cancel_transfer(cur, transfer_id, actor.username, datetime.now(UTC))
        return _transfer(cur, transfer_id)


def list_transfers(db: Database, actor: Actor, statuses: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Transfers, newest first; by default every one, or only those in the given statuses."""
    require(actor.roles, Action.VIEW_STOCK)
    for status in statuses or ():
        if status not in so.TransferStatus.__members__.values():
            allowed = ", ".join(so.TransferStatus)
            raise InvalidInput(f"Unknown transfer status {status!r}; use one of: {allowed}.", field="status")
    with db.reading() as cur:
        return q.transfers(cur, list(statuses) if statuses else None)


def get_transfer(db: Database, actor: Actor, transfer_id: int) -> dict[str, Any]:
    require(actor.roles, Action.VIEW_STOCK)
    with db.reading() as cur:
        return _transfer(cur, transfer_id)


def _transfer(cur: duckdb.DuckDBPyConnection, transfer_id: int) -> dict[str, Any]:
    found = q.transfers(cur, None, transfer_id)
    if not found:
        raise NotFound(f"There is no transfer {transfer_id}.")
    return found[0]


def _check_lines(lines: Sequence[tuple[str, int]]) -> None:
    if not lines:
        raise InvalidInput("A transfer needs at least one line.", field="lines")
    seen = set()
    for i, (sku, quantity) in enumerate(lines):
        if quantity <= 0:
            raise InvalidInput(
                f"Quantity of line {i + 1} must be a positive whole number, not {quantity}.",
                field=f"lines[{i}].quantity",
            )
        if sku in seen:
            raise InvalidInput(f"SKU {sku} is on the transfer twice; put it on one line.", field=f"lines[{i}].sku")
        seen.add(sku)


def _plan_receipt(transfer: dict[str, Any], lines: Sequence[tuple[str, int]]) -> dict[int, int]:
    """{line_no: units} to receive; nothing given means all still in transit. Never more than is on its way."""
    waiting = {line["sku"]: (line["line_no"], line["shipped"] - line["received"]) for line in transfer["lines"]}
    if not lines:
        return {line_no: left for line_no, left in waiting.values() if left > 0}
    plan: dict[int, int] = {}
    for i, (sku, quantity) in enumerate(lines):
        if sku not in waiting:
            raise InvalidInput(f"SKU {sku} is not on transfer {transfer['transfer_id']}.", field=f"lines[{i}].sku")
        line_no, left = waiting[sku]
        if not 1 <= quantity <= left - plan.get(line_no, 0):
            raise InvalidInput(
                f"Only {left - plan.get(line_no, 0)} of SKU {sku} are still on their way; cannot receive {quantity}.",
                field=f"lines[{i}].quantity",
            )
        plan[line_no] = plan.get(line_no, 0) + quantity
    return plan
