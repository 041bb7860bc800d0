"""Amending an order that has not shipped in full: quantities, lines, prices and discounts, as a new version.

Reservations follow the change in the same transaction (more reserved only where that much is available,
the rest released), the order is repriced, the gate routes it again (approvals, credit, payment terms),
and the new version is written beside every earlier one. Version 1, the order as placed, is recorded at
the first amendment from the rows as they stood, so placing an order pays nothing for versions.

Where the order goes afterwards is `domain.amendments.status_after_amendment`; those moves re-confirm the
order, so they are written as events without the clerk-move table of `lifecycle.check_move` (a to-ship
order whose prepaid total rose goes back to pending payment, for example). A total lowered below what was
paid (net of earlier refunds) records a refund due for the difference, as cancelling does, and the event
says so (a same-status event when the status stays). Header fields (requested delivery date, note,
customer PO) change with the lines or alone; alone, nothing else moves and no approval is asked.

Cost: two reads (the order's row, then one union of single-table selects) joined in Python, and set-based
writes, none that would change nothing (see `store/amendment_queries.py`); the answer is built from what was
read and written, with approvals read after the commit, outside the lock, only when the order has any.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import duckdb

from oms_ops.domain import amendments as rules
from oms_ops.domain.amendments import AmendedLine, CurrentLine, HeaderChange, PlannedLine
from oms_ops.domain.errors import InsufficientStock, InvalidInput, InvalidTransition, NotFound
from oms_ops.domain.lifecycle import Status
from oms_ops.domain.pricing import PricedLine, order_totals, price_line
from oms_ops.domain.roles import Action, require
from oms_ops.domain.stock import shortages
from oms_ops.services import backorders, gate, master_data, orders, stock_watch
from oms_ops.services.actor import Actor
from oms_ops.services.orders import LineRequest
from oms_ops.store import amendment_queries as aq
from oms_ops.store import approval_queries, queries
from oms_ops.store import fulfilment_queries as fq
from oms_ops.store.database import Database


def amend_order(
    db: Database,
    actor: Actor,
    order_number: str,
    lines: Sequence[AmendedLine | LineRequest] | None,
    reason: str,
    header: HeaderChange | None = None,
) -> dict[str, Any]:
    """Make `lines` the order's lines (None keeps them) and apply `header`, as its next version.

    Answers the order as it now is: as read and written, plus what it did not write (approvals, payments,
    refunds) read after the commit outside the write lock, when the order has any."""
    require(actor.roles, Action.AMEND_ORDER)
    with db.transaction() as cur:
        done = amend_in(cur, actor, order_number, lines, reason, datetime.now(UTC), header=header)
    return _answer(db, done)


def amend_in(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    order_number: str,
    new_lines: Sequence[AmendedLine | LineRequest] | None,
    reason: str,
    now: datetime,
    header: HeaderChange | None = None,
) -> dict[str, Any]:
    """The amendment inside the caller's transaction (the import service uses it for a later version of an order).

    Every check comes before the first write, so a refusal (InvalidTransition when the order can no longer
    be amended, InsufficientStock, InvalidInput, PermissionDenied) leaves the transaction as it found it.
    Lines None keeps the lines as they are: a header-only amendment moves no stock and asks no approval.
    """
    require(actor.roles, Action.AMEND_ORDER)
    reason = _reason(reason)
    head = aq.amendment_head(cur, order_number)
    if head is None:
        raise NotFound(f"There is no order {order_number}.", field="order_number")
    rules.check_amendable(order_number, head["status"])
    # An import waiting for stock is created on hold and leaves the list when it is released or cancelled.
    if head["status"] == Status.ON_HOLD and backorders.is_waiting(cur, order_number):
        raise InvalidTransition(
            f"Order {order_number} is on hold waiting for stock and reserves none yet; amend it once its stock"
            " is reserved, or cancel it."
        )
    changes = rules.header_changes(head, header, now.date())
    aq.add_amendment_facts(cur, head, [] if new_lines is None else [line.sku for line in new_lines])
    version = int(head["version"]) + 1
    label = f"amendment v{version}"
    if new_lines is None:
        if not changes:
            raise InvalidInput("Nothing to change: give the order's lines or a header field to amend.", field="lines")
        return _amend_header(cur, actor, head, changes, version, reason, now)
    current = aq.current_lines(head)
    planned = rules.plan_lines(current, [_amended(line) for line in new_lines])
    _check_roles(actor, planned)
    customer = head["customer"] or {"region": None, "payment_terms_days": 0}
    products = _products(cur, planned, head["products"])
    warehouses = _warehouses(cur, head, planned, customer)
    unpriced = [p.sku for p in planned if p.unit_price is None]
    contract = (
        master_data.price_for(cur, head["customer_code"], unpriced, now.date())
        if unpriced and customer.get("price_list")
        else {}
    )
    priced = [_price(p, products[p.sku], contract.get(p.sku)) for p in planned]
    totals = order_totals(priced)
    paid = head["paid"] - head["refunded"]  # net of refunds already due
    refund = rules.overpaid(totals.total, paid)
    more, less = rules.reservation_change(current, list(zip(warehouses, planned, strict=True)))
    change = {**{loc: -qty for loc, qty in less.items()}, **more}
    if more and len(change) > 1:  # one location is checked by its own guarded update, the first write below
        short = shortages(more, aq.available(cur, list(more)))
        if short:
            raise InsufficientStock(rules.as_whole_order(short, current))

    requests = [LineRequest(p.sku, p.quantity, wh, pr.unit_price, pr.discount_pct)
                for p, wh, pr in zip(planned, warehouses, priced, strict=True)]  # fmt: skip
    facts = orders.order_facts(
        order_number, customer, head["created_by"], requests, warehouses, priced, products, version=version
    )
    _move_stock(cur, order_number, change, more, less, current, actor, label, now)  # the first write
    # Approvals given or asked for earlier versions are void; with none pending or approved, nothing to write.
    routed, routed_why = gate.route_confirmed(cur, facts, actor, now, void_earlier=head["approvals_open"] > 0)
    rows = _line_rows(planned, warehouses, priced, products)
    aq.rewrite_lines(cur, order_number, head["lines"], rows)
    moves = rules.status_after_amendment(head["status"], routed, paid >= totals.total)
    why = f"{label}: {routed_why if routed in rules.DECISIONS else reason}"
    if refund:
        why += f"; refund due {refund} ({paid} paid, new total {totals.total})"
        fq.insert_refund(cur, order_number, refund, f"{label}: total lowered to {totals.total}", actor.username, now)
    targets = [str(move) for move in moves]
    status = targets[-1] if targets else head["status"]
    steps = list(zip([head["status"], *targets], targets, strict=False))  # (from, to) per move
    if refund and not steps:  # the refund is told on the timeline even when the status stays
        steps = [(status, status)]
    if steps:
        aq.insert_events(cur, order_number, steps, actor.username, why, now)
        head["events"] += [{"from_status": before, "to_status": after, "actor": actor.username, "reason": why,
                            "occurred_at": now} for before, after in steps]  # fmt: skip
    new_totals = (totals.subtotal, totals.tax_total, totals.total)
    aq.update_order(cur, order_number, new_totals, status, changes, now)
    recorded = [(no, sku, wh, qty, price, discount, rate, net, tax, total)
                for no, sku, wh, qty, price, discount, rate, _, net, tax, total in rows]  # fmt: skip
    _write_versions(cur, actor, head, version, reason, status, recorded, new_totals, changes, now)
    order = {**head, **changes, "status": status, "updated_at": now, "subtotal": totals.subtotal,
             "tax_total": totals.tax_total, "total": totals.total}  # fmt: skip
    shipped = {p.line_no: p.shipped for p in planned}
    names = {sku: product.get("name") for sku, product in products.items()}
    order["lines"] = [
        {"line_no": no, "sku": sku, "product_name": names.get(sku), "warehouse": wh, "quantity": qty,
         "unit_price": price, "discount_pct": discount, "tax_rate": rate, "line_net": net, "line_tax": tax,
         "line_total": total, "shipped_quantity": shipped[no]}
        for no, sku, wh, qty, price, discount, rate, _, net, tax, total in rows
    ]  # fmt: skip
    return _done(order, version, head["status"], more, less, refund, asked=routed == Status.PENDING_APPROVAL)


def _amend_header(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    head: dict[str, Any],
    changes: dict[str, Any],
    version: int,
    reason: str,
    now: datetime,
) -> dict[str, Any]:
    """A new version that changes header fields only: the lines, totals, stock and status stay as they are."""
    totals = (head["subtotal"], head["tax_total"], head["total"])
    aq.update_order(cur, head["order_number"], totals, head["status"], changes, now)
    lines = aq.recorded_lines(head)
    _write_versions(cur, actor, head, version, reason, head["status"], lines, totals, changes, now)
    order = {**head, **changes, "updated_at": now}
    names = aq.products(cur, [ln["sku"] for ln in head["lines"]])
    order["lines"] = [
        {**{k: ln[k] for k in ("line_no", "sku", "quantity", "unit_price", "discount_pct", "tax_rate", "line_net",
                               "line_tax", "line_total")},
         "warehouse": ln["warehouse_code"], "product_name": names.get(ln["sku"], {}).get("name"),
         "shipped_quantity": ln["shipped"]}
        for ln in head["lines"]
    ]  # fmt: skip
    return _done(order, version, head["status"], {}, {}, Decimal(0))


def _done(
    order: dict[str, Any],
    version: int,
    from_status: str,
    more: dict[tuple[str, str], int],
    less: dict[tuple[str, str], int],
    refund: Decimal,
    asked: bool = False,
) -> dict[str, Any]:
    """What an amendment did, and the order's header and lines as written (for the answer); `asked`: it opened
    approval requests (the answer then reads them, as it does when the order had any before)."""
    order["approvals_unread"] = asked or bool(order["approvals_any"])
    return {
        "order_number": order["order_number"],
        "version": version,
        "from_status": from_status,
        "status": order["status"],
        "total": order["total"],
        "reserved": more,
        "released": less,
        "refund_due": refund,
        "order": order,
    }


ORDER_KEYS = ("order_id", "order_number", "customer_code", "channel", "external_ref", "status", "currency", "note",
              "ordered_at", "created_by", "subtotal", "tax_total", "total", "created_at", "updated_at",
              "requested_delivery_date", "customer_po")  # fmt: skip


def _answer(db: Database, done: dict[str, Any]) -> dict[str, Any]:
    """The order as `orders.get_order` shows it: the header, lines, events and versions as the amendment read
    and wrote them, and read back after the commit what it did not write (approvals when the order has any;
    payments and refunds when any)."""
    written = done["order"]
    number = written["order_number"]
    order = {k: written.get(k) for k in ORDER_KEYS}
    order["customer_name"] = (written.get("customer") or {}).get("name")
    order["lines"] = written["lines"]
    order["events"] = written["events"]  # read with the order, and the ones it wrote
    order["versions"] = written["versions"]  # read with the order, and the ones it wrote
    order["version"] = done["version"]
    paid, refunded = written["paid"], written["refunded"] + done["refund_due"]
    order.update(approvals=[], payments=[], refunds=[])
    if written["approvals_unread"] or paid or refunded:
        with db.reading() as cur:
            if written["approvals_unread"]:
                order["approvals"] = approval_queries.requests_of_order(cur, number)
            if paid:
                order["payments"] = aq.payments(cur, number)
            if refunded:
                order["refunds"] = aq.refunds(cur, number)
    order["paid_total"] = sum((p["amount"] for p in order["payments"]), Decimal("0.00"))
    order["balance_due"] = max(Decimal("0.00"), order["total"] - order["paid_total"] + refunded)
    return order


def _write_versions(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    head: dict[str, Any],
    version: int,
    reason: str,
    status: str,
    lines: list[tuple[Any, ...]],
    totals: tuple[Decimal, Decimal, Decimal],
    changes: dict[str, Any],
    now: datetime,
) -> None:
    """The new version, and before it version 1 (the order as placed) at the first amendment."""
    rows = []
    if version == 2:
        placed = (head["subtotal"], head["tax_total"], head["total"])
        by, at, status_then = head["created_by"], head["created_at"], head["status"]
        rows.append(aq.version_row(head, 1, by, at, "as placed", status_then, aq.recorded_lines(head), placed))
        head["versions"].append(_summary(1, by, at, "as placed", status_then, placed))
    rows.append(aq.version_row({**head, **changes}, version, actor.username, now, reason, status, lines, totals))
    aq.write_versions(cur, rows)
    head["versions"].append(_summary(version, actor.username, now, reason, status, totals))


def _summary(
    version: int, by: str, at: datetime, reason: str, status: str, totals: tuple[Decimal, Decimal, Decimal]
) -> dict[str, Any]:
    return {"version": version, "created_by": by, "created_at": at, "reason": reason, "status": status,
            "total": totals[2]}  # fmt: skip


def _products(
    cur: duckdb.DuckDBPyConnection, planned: Sequence[PlannedLine], read: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """What pricing, the gate and the answer need of each SKU (`read` with the order; any other is read now);
    an unknown SKU is refused."""
    missing = [p.sku for p in planned if p.sku not in read]
    found = {**read, **aq.products(cur, missing)} if missing else read
    for i, p in enumerate(planned):
        if p.sku not in found:
            raise InvalidInput(f"Unknown SKU {p.sku}.", field=f"lines[{i}].sku")
    return found


def _warehouses(
    cur: duckdb.DuckDBPyConnection, head: dict[str, Any], planned: Sequence[PlannedLine], customer: dict[str, Any]
) -> list[str]:
    """Each line's warehouse: a line's own stays; a new or moved one is checked (or chosen) as when placing."""
    own = {ln["warehouse_code"] for ln in head["lines"]}
    if all(p.warehouse in own for p in planned):
        return [str(p.warehouse) for p in planned]
    return orders._resolve_warehouses(
        cur, [LineRequest(p.sku, p.quantity, p.warehouse) for p in planned], customer.get("region")
    )


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
    change: dict[tuple[str, str], int],
    more: dict[tuple[str, str], int],
    less: dict[tuple[str, str], int],
    current: Sequence[CurrentLine],
    actor: Actor,
    reason: str,
    now: datetime,
) -> None:
    """Release what the new version no longer needs, reserve what it needs more: one guarded statement, one
    ledger insert. The amendment's first write: one location refused (not that much available) writes nothing
    and is refused as the check of several locations before it is; several were checked before."""
    if not change:
        return
    if aq.move_reservations(cur, change, now) != len(change):
        if len(change) == 1 and more:
            raise InsufficientStock(rules.as_whole_order(shortages(more, aq.available(cur, list(more))), current))
        short = shortages(more, queries.available(cur, list(more))) + shortages(less, fq.reserved(cur, list(less)))
        raise InsufficientStock(short)
    aq.write_ledger(cur, now, change, order_number, actor.username, reason)
    stock_watch.after_stock_change(cur, [*less, *more], now)


def _reason(reason: str | None) -> str:
    if not reason or not reason.strip():
        raise InvalidInput("Say why the order changes, in a few words.", field="reason")
    return reason.strip()


def _unamended(order: dict[str, Any]) -> dict[str, Any]:
    """Version 1 of an order never amended: the order as it stands."""
    keep = (
        "order_number",
        "customer_code",
        "channel",
        "external_ref",
        "note",
        "currency",
        "status",
        "requested_delivery_date",
        "customer_po",
    )
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
