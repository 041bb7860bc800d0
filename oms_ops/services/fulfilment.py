"""Moving an order on after it is placed: payments, shipments, cancellation, hold and release.

Every status move is checked by the lifecycle and written as an event row in the same transaction
as the stock, money and outbox rows that go with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import duckdb

from oms_ops.domain import fulfilment as f
from oms_ops.domain import lifecycle
from oms_ops.domain.errors import InsufficientStock, InvalidInput, InvalidTransition, NotFound
from oms_ops.domain.lifecycle import Status
from oms_ops.domain.roles import Action, require
from oms_ops.domain.stock import shortages
from oms_ops.services import backorders, gate, stock_watch
from oms_ops.services.actor import Actor
from oms_ops.services.orders import _order as order_view
from oms_ops.store import approval_queries, queries
from oms_ops.store import fulfilment_queries as fq
from oms_ops.store.database import Database

SHIPPABLE = frozenset({Status.TO_SHIP, Status.PARTIALLY_SHIPPED})


def record_payment(
    db: Database,
    actor: Actor,
    order_number: str,
    method: str,
    amount: Decimal,
    paid_on: date | None = None,
    reference: str | None = None,
) -> dict[str, Any]:
    """Money received against an order; the payment that settles it moves it on (paid, or completed)."""
    require(actor.roles, Action.RECORD_PAYMENT)
    f.check_method(method)
    with db.transaction() as cur:
        head = _head(cur, order_number)
        if head["status"] == Status.CANCELLED:
            raise InvalidTransition(
                f"Order {order_number} is cancelled and takes no payments; any refund due is shown on it."
            )
        paid = fq.paid_total(cur, order_number)
        f.check_payment(amount, head["total"], paid)
        now = datetime.now(UTC)
        fq.insert_payment(cur, order_number, method, amount, paid_on or now.date(), reference, actor.username, now)
        settled = paid + amount >= head["total"]
        reason = f"payment of {amount} by {f.method_label(method)}" + (f" (ref {reference})" if reference else "")
        _move(
            cur,
            order_number,
            head["status"],
            lifecycle.moves_after_settlement(head["status"], settled),
            actor,
            reason,
            now,
        )
        return order_view(cur, order_number)


def ship_order(
    db: Database,
    actor: Actor,
    order_number: str,
    lines: Sequence[tuple[int, int]] = (),
    warehouse: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Ship (line_no, quantity) pairs, or everything left (from one warehouse); the rest stays reserved.

    Answers the shipment it made: its lines, the order's status after it and the units still to ship.
    Inside the write lock it reads, in one statement, only the order's status and total and its lines'
    shipped units (and what was paid, when the shipment ships the last unit), then writes: the order is
    not read back.
    """
    require(actor.roles, Action.SHIP_ORDER)
    with db.transaction() as cur:
        found = fq.shipping_state(cur, order_number)
        if found is None:
            raise NotFound(f"There is no order {order_number}.", field="order_number")
        status, total, states = found
        if status not in SHIPPABLE:
            lifecycle.check_move(status, Status.SHIPPED)  # says what the order may do instead
        plan = f.plan_shipment(states, lines, warehouse)
        taken = f.stock_taken(states, plan)
        now = datetime.now(UTC)
        if fq.take_shipped_stock(cur, taken, now) != len(taken):
            raise InsufficientStock(shortages(taken, fq.reserved(cur, list(taken))))
        shipment_id = fq.insert_shipment(cur, order_number, states, plan, actor.username, note, now)
        reason = f"shipment {shipment_id}" + (f": {note}" if note else "")
        queries.write_ledger(cur, now, "shipment", taken, -1, -1, order_number, actor.username, reason)
        backorder = f.remaining_total(states) - sum(plan.values())
        target = lifecycle.status_after_shipment(backorder)
        moves = [] if target == status else [target]
        if target is Status.SHIPPED:
            moves += lifecycle.moves_after_settlement(target, fq.paid_total(cur, order_number) >= total)
        _move(cur, order_number, status, moves, actor, reason, now)
    return {
        "shipment_id": shipment_id,
        "order_number": order_number,
        "status": moves[-1].value if moves else status,
        "shipped_at": now,
        "shipped_by": actor.username,
        "note": note,
        "lines": [
            {"line_no": ln.line_no, "sku": ln.sku, "warehouse": ln.warehouse, "quantity": plan[ln.line_no]}
            for ln in states
            if ln.line_no in plan
        ],
        "backorder_units": backorder,
    }


def cancel_order(db: Database, actor: Actor, order_number: str, reason: str) -> dict[str, Any]:
    """Cancel what is not shipped: release its stock, owe back what was paid beyond what shipped, tell the customer."""
    require(actor.roles, Action.CANCEL_ORDER)
    reason = _reason(reason)
    with db.transaction() as cur:
        cancel_in(cur, actor, order_number, reason, datetime.now(UTC))
        return order_view(cur, order_number)


def cancel_in(cur: duckdb.DuckDBPyConnection, actor: Actor, order_number: str, reason: str, now: datetime) -> None:
    """The cancellation itself, inside the caller's transaction (also used when an approver rejects)."""
    head = _head(cur, order_number)
    lifecycle.check_move(head["status"], Status.CANCELLED)
    states = fq.line_states(cur, order_number)
    # An imported order still waiting for stock holds none to give back (services/backorders.py).
    held = {} if backorders.forget_on_cancel(cur, order_number) else f.backorders(states)
    if held:
        if fq.release_reserved(cur, held, now) != len(held):
            raise InsufficientStock(shortages(held, fq.reserved(cur, list(held))))
        queries.write_ledger(cur, now, "release", held, 0, -1, order_number, actor.username, f"cancelled: {reason}")
        stock_watch.after_stock_change(cur, held, now)
    refund = f.refund_due(fq.paid_total(cur, order_number), states)
    if refund > 0:
        fq.insert_refund(cur, order_number, refund, reason, actor.username, now)
    payload = {
        "order_number": order_number,
        "customer_code": head["customer_code"],
        "reason": reason,
        "units_cancelled": f.remaining_total(states),
        "units_shipped": sum(ln.shipped for ln in states),
        "refund_due": str(refund),
        "cancelled_at": now.isoformat(),
    }
    fq.insert_outbox(cur, "order_cancelled", head["email"], payload, now)
    approval_queries.void_pending(cur, order_number, actor.username, now, "void: order cancelled")
    _move(cur, order_number, head["status"], [Status.CANCELLED], actor, reason, now)


def hold_order(db: Database, actor: Actor, order_number: str, reason: str) -> dict[str, Any]:
    """Stop an order where it is; its stock stays reserved."""
    require(actor.roles, Action.HOLD_ORDER)
    reason = _reason(reason)
    with db.transaction() as cur:
        head = _head(cur, order_number)
        _move(cur, order_number, head["status"], [Status.ON_HOLD], actor, reason, datetime.now(UTC))
        return order_view(cur, order_number)


def release_order(db: Database, actor: Actor, order_number: str, reason: str) -> dict[str, Any]:
    """Back to where it was held (and on, if it was paid in full meanwhile); refused while over the credit limit."""
    require(actor.roles, Action.HOLD_ORDER)
    reason = _reason(reason)
    with db.transaction() as cur:
        release_in(cur, actor, order_number, reason, datetime.now(UTC))
        return order_view(cur, order_number)


def release_in(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    order_number: str,
    reason: str,
    now: datetime,
    check_credit: bool = True,
) -> None:
    """The release itself, inside the caller's transaction; a finance override skips the credit check."""
    head = _head(cur, order_number)
    if head["status"] != Status.ON_HOLD:
        raise InvalidTransition(
            f"Order {order_number} is {lifecycle.label(head['status'])}, not On hold; only an order on hold"
            " can be released."
        )
    backorders.reserve_on_release(cur, order_number, actor, now)  # an import waiting for stock takes it now
    target = lifecycle.status_after_release(fq.held_from(cur, order_number), head["payment_terms_days"])
    if check_credit and target is not Status.PENDING_APPROVAL:
        gate.check_credit_on_release(cur, order_number, head["customer_code"])
    settled = fq.paid_total(cur, order_number) >= head["total"]
    moves = [target, *lifecycle.moves_after_settlement(target, settled)]
    _move(cur, order_number, head["status"], moves, actor, reason, now)


def _head(cur: duckdb.DuckDBPyConnection, order_number: str) -> dict[str, Any]:
    head = fq.order_head(cur, order_number)
    if head is None:
        raise NotFound(f"There is no order {order_number}.", field="order_number")
    return head


def _reason(reason: str | None) -> str:
    if not reason or not reason.strip():
        raise InvalidInput("Say why, in a few words.", field="reason")
    return reason.strip()


def _move(
    cur: duckdb.DuckDBPyConnection,
    order_number: str,
    current: str,
    targets: Sequence[Status],
    actor: Actor,
    reason: str | None,
    now: datetime,
) -> None:
    """Each move checked by the lifecycle and written as an event; the order keeps the last status."""
    for target in targets:
        lifecycle.check_move(current, target)
        queries.insert_event(cur, order_number, current, target, actor.username, reason, now)
        current = target
    if targets:
        fq.set_status(cur, order_number, current, now)
