"""Amending an order that has not shipped in full: quantities, lines, prices and discounts, as a new version.

Reservations follow the change in the same transaction (more reserved only where that much is available,
the rest released), the order is repriced, the gate routes it again (approvals, credit, payment terms),
and the new version is written beside every earlier one. Version 1, the order as placed, is recorded at
the first amendment from the rows as they stood, so placing an order pays nothing for versions.

Where the order goes afterwards is `domain.amendments.status_after_amendment`; those moves re-confirm the
order, so they are written as events without the clerk-move table of `lifecycle.check_move` (a to-ship
order whose prepaid total rose goes back to pending payment, for example).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import duckdb

from oms_ops.domain import amendments as rules
from oms_ops.domain.amendments import AmendedLine, PlannedLine
from oms_ops.domain.errors import InsufficientStock, InvalidInput, InvalidTransition, NotFound
from oms_ops.domain.pricing import PricedLine, order_totals, price_line
from oms_ops.domain.roles import Action, require
from oms_ops.domain.stock import shortages
from oms_ops.services import backorders, gate, master_data, orders, stock_watch
from oms_ops.services.actor import Actor
from oms_ops.services.orders import LineRequest
from oms_ops.store import amendment_queries as aq
from oms_ops.store import fulfilment_queries as fq
from oms_ops.store import queries
from oms_ops.store.database import Database


def amend_order(
    db: Database, actor: Actor, order_number: str, lines: Sequence[AmendedLine | LineRequest], reason: str
) -> dict[str, Any]:
    """Make `lines` the order's lines, as its next version; answers the order as it now is."""
    require(actor.roles, Action.AMEND_ORDER)
    with db.transaction() as cur:
        amend_in(cur, actor, order_number, lines, reason, datetime.now(UTC))
        return orders._order(cur, order_number)


def amend_in(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    order_number: str,
    new_lines: Sequence[AmendedLine | LineRequest],
    reason: str,
    now: datetime,
) -> dict[str, Any]:
    """The amendment inside the caller's transaction (the import service uses it for a later version of an order).

    Every check comes before the first write, so a refusal (InvalidTransition when the order can no longer
    be amended, InsufficientStock, InvalidInput, PermissionDenied) leaves the transaction as it found it.
    """
    require(actor.roles, Action.AMEND_ORDER)
    reason = _reason(reason)
    head = aq.order_for_amendment(cur, order_number)
    if head is None:
        raise NotFound(f"There is no order {order_number}.", field="order_number")
    rules.check_amendable(order_number, head["status"])
    if backorders.is_waiting(cur, order_number):  # it reserves nothing yet, so there is no reservation to follow
        raise InvalidTransition(
            f"Order {order_number} is on hold waiting for stock and reserves none yet; amend it once its stock"
            " is reserved, or cancel it."
        )
    current, recorded = aq.current_lines(cur, order_number)
    planned = rules.plan_lines(current, [_amended(line) for line in new_lines])
    _check_roles(actor, planned)
    customer = queries.customer(cur, head["customer_code"]) or {"region": None, "payment_terms_days": 0}
    products = queries.products_by_sku(cur, [p.sku for p in planned])
    for i, p in enumerate(planned):
        if p.sku not in products:
            raise InvalidInput(f"Unknown SKU {p.sku}.", field=f"lines[{i}].sku")
    warehouses = orders._resolve_warehouses(
        cur, [LineRequest(p.sku, p.quantity, p.warehouse) for p in planned], customer["region"]
    )
    unpriced = [p.sku for p in planned if p.unit_price is None]
    contract = (
        master_data.price_for(cur, head["customer_code"], unpriced, now.date()) if customer.get("price_list") else {}
    )
    priced = [_price(p, products[p.sku], contract.get(p.sku)) for p in planned]
    totals = order_totals(priced)
    rules.check_total_against_paid(order_number, totals.total, head["paid_total"])
    more, less = rules.reservation_change(current, list(zip(warehouses, planned, strict=True)))
    short = shortages(more, queries.available(cur, list(more)))
    if short:
        raise InsufficientStock(rules.as_whole_order(short, current))

    version = int(head["version"]) + 1
    requests = [LineRequest(p.sku, p.quantity, wh, pr.unit_price, pr.discount_pct)
                for p, wh, pr in zip(planned, warehouses, priced, strict=True)]  # fmt: skip
    facts = orders.order_facts(
        order_number, customer, head["created_by"], requests, warehouses, priced, products, version=version
    )
    routed, routed_why = gate.route_confirmed(cur, facts, actor, now)
    label = f"amendment v{version}"
    if version == 2:  # the order as placed, before its first amendment
        placed = (head["subtotal"], head["tax_total"], head["total"])
        aq.write_version(
            cur, head, 1, head["created_by"], head["created_at"], "as placed", head["status"], recorded, placed
        )
    _move_stock(cur, order_number, more, less, actor, label, now)
    rows = _line_rows(planned, warehouses, priced, products)
    aq.replace_lines(cur, order_number, rows)
    aq.set_totals(cur, order_number, totals.subtotal, totals.tax_total, totals.total, now)
    moves = rules.status_after_amendment(head["status"], routed, head["paid_total"] >= totals.total)
    why = f"{label}: {routed_why if routed in rules.DECISIONS else reason}"
    status = head["status"]
    for target in moves:
        queries.insert_event(cur, order_number, status, target, actor.username, why, now)
        status = target
    if moves:
        fq.set_status(cur, order_number, status, now)
    new_totals = (totals.subtotal, totals.tax_total, totals.total)
    recorded = [(no, sku, wh, qty, price, discount, rate, net, tax, total)
                for no, sku, wh, qty, price, discount, rate, _, net, tax, total in rows]  # fmt: skip
    aq.write_version(cur, head, version, actor.username, now, reason, str(status), recorded, new_totals)
    return {
        "order_number": order_number,
        "version": version,
        "from_status": head["status"],
        "status": str(status),
        "total": totals.total,
        "reserved": more,
        "released": less,
    }


def order_version(db: Database, actor: Actor, order_number: str, version: int) -> dict[str, Any]:
    """One version of an order in full: header, lines and totals as they stood."""
    require(actor.roles, Action.VIEW_ORDERS)
    with db.reading() as cur:
        found = aq.version(cur, order_number, version)
        if found is not None:
            return found
        order = orders._order(cur, order_number)  # NotFound when there is no such order
        if version == 1 and not order["versions"]:
            return _unamended(order)
        last = order["version"]
        raise NotFound(
            f"Order {order_number} has no version {version}; its versions are 1 to {last}."
            if last > 1
            else f"Order {order_number} has no version {version}; it has not been amended.",
            field="version",
        )


def _amended(line: AmendedLine | LineRequest) -> AmendedLine:
    if isinstance(line, AmendedLine):
        return line
    return AmendedLine(line.sku, line.quantity, line.warehouse, line.unit_price, line.discount_pct)


def _check_roles(actor: Actor, planned: Sequence[PlannedLine]) -> None:
    """A price other than the line's own needs the right to change prices; a changed discount, to give them."""
    for line in planned:
        if line.price_changed:
            require(actor.roles, Action.CHANGE_PRICES)
        if line.discount_changed:
            require(actor.roles, Action.GIVE_DISCOUNT)


def _price(line: PlannedLine, product: dict[str, Any], contract_price: Decimal | None) -> PricedLine:
    """The line's own price, else the customer's price-list price, else the list price."""
    if line.unit_price is not None:
        unit_price = line.unit_price
    else:
        unit_price = product["list_price"] if contract_price is None else contract_price
    return price_line(line.quantity, unit_price, product["tax_rate"], line.discount_pct)


def _line_rows(
    planned: Sequence[PlannedLine],
    warehouses: Sequence[str],
    priced: Sequence[PricedLine],
    products: dict[str, dict[str, Any]],
) -> list[tuple[Any, ...]]:
    return [
        (
            p.line_no,
            p.sku,
            wh,
            p.quantity,
            pr.unit_price,
            pr.discount_pct,
            pr.tax_rate,
            p.current.unit_cost if p.current else products[p.sku]["cost"],
            pr.line_net,
            pr.line_tax,
            pr.line_total,
        )
        for p, wh, pr in zip(planned, warehouses, priced, strict=True)
    ]


def _move_stock(
    cur: duckdb.DuckDBPyConnection,
    order_number: str,
    more: dict[tuple[str, str], int],
    less: dict[tuple[str, str], int],
    actor: Actor,
    reason: str,
    now: datetime,
) -> None:
    """Release what the new version no longer needs, reserve what it needs more; both in the ledger."""
    if less:
        if fq.release_reserved(cur, less, now) != len(less):
            raise InsufficientStock(shortages(less, fq.reserved(cur, list(less))))
        queries.write_ledger(cur, now, "release", less, 0, -1, order_number, actor.username, reason)
    if more:
        if queries.reserve(cur, more, now) != len(more):  # checked above; the write lock keeps it so
            raise InsufficientStock(shortages(more, queries.available(cur, list(more))))
        queries.write_ledger(cur, now, "reservation", more, 0, 1, order_number, actor.username, reason)
    if more or less:
        stock_watch.after_stock_change(cur, [*less, *more], now)


def _reason(reason: str | None) -> str:
    if not reason or not reason.strip():
        raise InvalidInput("Say why the order changes, in a few words.", field="reason")
    return reason.strip()


def _unamended(order: dict[str, Any]) -> dict[str, Any]:
    """Version 1 of an order never amended: the order as it stands."""
    keep = ("order_number", "customer_code", "channel", "external_ref", "note", "currency", "status")
    lines = [
        {k: v for k, v in line.items() if k not in ("product_name", "shipped_quantity")} for line in order["lines"]
    ]
    return {
        **{k: order[k] for k in keep},
        "version": 1,
        "created_by": order["created_by"],
        "created_at": order["created_at"],
        "reason": "as placed",
        "subtotal": order["subtotal"],
        "tax_total": order["tax_total"],
        "total": order["total"],
        "lines": lines,
    }
