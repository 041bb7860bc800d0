"""The SQL of fulfilment and settlement, parameterised, on a cursor inside the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb

from oms_ops.domain.fulfilment import LineState
from oms_ops.store.database import rows_as_dicts

# Shipped and completed orders have shipped everything, whether or not their shipments were recorded
# here (orders loaded as history come with their stock movements only). Shipped units are summed for
# this order only, then joined (a correlated subquery per line costs several times as much).
LINE_STATES = """
    select l.line_no, l.sku, l.warehouse_code, l.quantity,
           case when o.status in ('shipped', 'completed') then l.quantity else coalesce(s.quantity, 0) end as shipped,
           l.line_total
    from order_lines l
    join orders o on o.order_number = l.order_number
    left join (select line_no, sum(quantity) as quantity from shipment_lines where order_number = $1 group by all) s
        on s.line_no = l.line_no
    where l.order_number = $1 and o.order_number = $1
    order by l.line_no
"""
FULLY_SHIPPED = frozenset({"shipped", "completed"})
# What a shipment must know, in one statement (a union all is planned in a fraction of the time of a join):
# the order's status and total, its lines, and the units shipped per line. The shipped units are the
# shipment lines, which holds for an order that may still ship (orders loaded as shipped history have none).
SHIPPING_STATE = """
    select 'order' as kind, null as line_no, status as text, null as warehouse_code, null as quantity, total as amount
    from orders where order_number = $1
    union all
    select 'line', line_no, sku, warehouse_code, quantity, line_total from order_lines where order_number = $1
    union all
    select 'shipped', line_no, null, null, sum(quantity), null from shipment_lines where order_number = $1
    group by line_no
"""


def _rows(values: Mapping[tuple[str, str], int]) -> tuple[str, list[object]]:
    row = "(?, ?, ?)"
    return ", ".join([row] * len(values)), [v for (wh, sku), qty in values.items() for v in (wh, sku, qty)]


def order_head(cur: duckdb.DuckDBPyConnection, order_number: str) -> dict[str, Any] | None:
    cur.execute(
        "select o.order_number, o.status, o.total, o.customer_code, c.email, coalesce(c.payment_terms_days, 0)"
        " as payment_terms_days from orders o left join customers c using (customer_code) where order_number = ?",
        [order_number],
    )
    found = rows_as_dicts(cur)
    return found[0] if found else None


def line_states(cur: duckdb.DuckDBPyConnection, order_number: str) -> list[LineState]:
    rows = cur.execute(LINE_STATES, [order_number]).fetchall()
    return [LineState(int(no), sku, wh, int(qty), int(shipped), total) for no, sku, wh, qty, shipped, total in rows]


def shipping_state(cur: duckdb.DuckDBPyConnection, order_number: str) -> tuple[str, Decimal, list[LineState]] | None:
    """The order's status and total and its lines with their shipped units (None when there is no such order);
    the shipped units hold only while the order may still ship (to ship, partially shipped)."""
    rows = cur.execute(SHIPPING_STATE, [order_number]).fetchall()
    head = next((row for row in rows if row[0] == "order"), None)
    if head is None:
        return None
    shipped = {int(row[1]): int(row[4]) for row in rows if row[0] == "shipped"}
    lines = sorted((row[1:] for row in rows if row[0] == "line"), key=lambda line: int(line[0]))
    states = [
        LineState(int(no), sku, wh, int(qty), shipped.get(int(no), 0), total) for no, sku, wh, qty, total in lines
    ]
    return str(head[2]), Decimal(head[5]), states


def paid_total(cur: duckdb.DuckDBPyConnection, order_number: str) -> Decimal:
    """What the customer has paid, net of refunds due or paid back (an amendment that lowers a paid order's
    total records one)."""
    row = cur.execute(
        "select coalesce((select sum(amount) from payments where order_number = $n), 0)"
        " - coalesce((select sum(amount) from refunds where order_number = $n), 0)",
        {"n": order_number},
    ).fetchone()
    return Decimal(row[0]) if row else Decimal(0)


def take_shipped_stock(cur: duckdb.DuckDBPyConnection, taken: Mapping[tuple[str, str], int], now: datetime) -> int:
    """Goods leave: on hand and reserved both go down, only where that much is reserved; returns rows hit."""
    if len(taken) == 1:  # one location: a keyed update, planned in a fraction of the join on VALUES
        [((warehouse, sku), quantity)] = taken.items()
        row = cur.execute(
            "update stock_levels set on_hand = on_hand - $q, reserved = reserved - $q, updated_at = $now"
            " where warehouse_code = $wh and sku = $sku and reserved >= $q",
            {"q": quantity, "now": now, "wh": warehouse, "sku": sku},
        ).fetchone()
        return int(row[0]) if row else 0
    values, params = _rows(taken)
    row = cur.execute(
        "update stock_levels s set on_hand = s.on_hand - d.quantity, reserved = s.reserved - d.quantity,"
        f" updated_at = ? from (values {values}) d(warehouse_code, sku, quantity)"
        " where s.warehouse_code = d.warehouse_code and s.sku = d.sku and s.reserved >= d.quantity",
        [now, *params],
    ).fetchone()
    return int(row[0]) if row else 0


def release_reserved(cur: duckdb.DuckDBPyConnection, released: Mapping[tuple[str, str], int], now: datetime) -> int:
    values, params = _rows(released)
    row = cur.execute(
        f"update stock_levels s set reserved = s.reserved - d.quantity, updated_at = ?"
        f" from (values {values}) d(warehouse_code, sku, quantity)"
        " where s.warehouse_code = d.warehouse_code and s.sku = d.sku and s.reserved >= d.quantity",
        [now, *params],
    ).fetchone()
    return int(row[0]) if row else 0


def reserved(cur: duckdb.DuckDBPyConnection, locations: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    rows = cur.execute(
        "select warehouse_code, sku, reserved from stock_levels where (warehouse_code, sku) in"
        " (select unnest(?), unnest(?))",
        [[wh for wh, _ in locations], [sku for _, sku in locations]],
    ).fetchall()
    return {(wh, sku): int(qty) for wh, sku, qty in rows}


def set_status(cur: duckdb.DuckDBPyConnection, order_number: str, status: str, now: datetime) -> None:
    cur.execute("update orders set status = ?, updated_at = ? where order_number = ?", [status, now, order_number])


def held_from(cur: duckdb.DuckDBPyConnection, order_number: str) -> str | None:
    """The status an order had when it was last put on hold."""
    row = cur.execute(
        "select from_status from order_events where order_number = ? and to_status = 'on_hold'"
        " order by occurred_at desc, event_id desc limit 1",
        [order_number],
    ).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def insert_payment(
    cur: duckdb.DuckDBPyConnection,
    order_number: str,
    method: str,
    amount: Decimal,
    paid_on: date,
    reference: str | None,
    actor: str,
    now: datetime,
) -> None:
    cur.execute(
        "insert into payments (order_number, method, amount, paid_on, reference, recorded_by, recorded_at)"
        " values (?, ?, ?, ?, ?, ?, ?)",
        [order_number, method, amount, paid_on, reference, actor, now],
    )


def insert_shipment(
    cur: duckdb.DuckDBPyConnection,
    order_number: str,
    lines: list[LineState],
    plan: Mapping[int, int],
    actor: str,
    note: str | None,
    now: datetime,
) -> int:
    row = cur.execute(
        "insert into shipments (order_number, shipped_by, shipped_at, note) values (?, ?, ?, ?) returning shipment_id",
        [order_number, actor, now, note],
    ).fetchone()
    assert row is not None
    shipment_id = int(row[0])
    rows = [
        (shipment_id, order_number, ln.line_no, ln.sku, ln.warehouse, plan[ln.line_no])
        for ln in lines
        if ln.line_no in plan
    ]
    cur.execute(
        "insert into shipment_lines (shipment_id, order_number, line_no, sku, warehouse_code, quantity) values "
        + ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(rows)),
        [v for r in rows for v in r],
    )
    return shipment_id


def insert_refund(
    cur: duckdb.DuckDBPyConnection, order_number: str, amount: Decimal, reason: str, actor: str, now: datetime
) -> None:
    cur.execute(
        "insert into refunds (order_number, amount, reason, created_by, created_at) values (?, ?, ?, ?, ?)",
        [order_number, amount, reason, actor, now],
    )


def insert_outbox(
    cur: duckdb.DuckDBPyConnection, topic: str, recipient: str | None, payload: Mapping[str, Any], now: datetime
) -> None:
    cur.execute(
        "insert into outbox (topic, recipient, payload, created_at) values (?, ?, ?, ?)",
        [topic, recipient, json.dumps(payload, default=str, ensure_ascii=False), now],
    )


def add_settlement(
    cur: duckdb.DuckDBPyConnection,
    order: dict[str, Any],
    shipped: Mapping[int, int] | None = None,
    has_payments: bool = True,
    has_refunds: bool = True,
) -> dict[str, Any]:
    """Add to an order view its payments, refunds, amounts paid and due, and units shipped per line.

    `shipped` (line_no -> units) and whether there are payments or refunds at all may be given by a
    caller that read them already; lists known to be empty are not read.
    """
    number = order["order_number"]
    if shipped is None:
        shipped = dict(
            cur.execute(
                "select line_no, sum(quantity) from shipment_lines where order_number = ? group by all", [number]
            ).fetchall()
        )
    for line in order.get("lines", []):
        everything = order["status"] in FULLY_SHIPPED
        line["shipped_quantity"] = line["quantity"] if everything else int(shipped.get(line["line_no"], 0))
    order["payments"] = []
    if has_payments:
        cur.execute(
            "select payment_id, method, amount, paid_on, reference, recorded_by, recorded_at from payments"
            " where order_number = ? order by recorded_at, payment_id",
            [number],
        )
        order["payments"] = rows_as_dicts(cur)
    order["refunds"] = []
    if has_refunds:
        cur.execute(
            "select refund_id, amount, status, reason, created_by, created_at from refunds"
            " where order_number = ? order by created_at, refund_id",
            [number],
        )
        order["refunds"] = rows_as_dicts(cur)
    paid = sum((p["amount"] for p in order["payments"]), Decimal("0.00"))
    order["paid_total"] = paid
    # What is due counts refunds owed back as not paid (an amendment that lowers a paid total records one).
    refunded = sum((r["amount"] for r in order["refunds"]), Decimal("0.00"))
    order["balance_due"] = (
        max(Decimal("0.00"), order["total"] - paid + refunded) if order["status"] != "cancelled" else Decimal("0.00")
    )
    return order
