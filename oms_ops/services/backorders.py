"""Imported orders that wait for stock: created On hold, reserving nothing, until their stock is there.

An import whose channel says `on_shortage: hold` or `backorder` creates an order it cannot fully serve
on hold and lists it in `awaiting_stock`. Everywhere else the system holds that an order's reserved
stock is what is left to ship of it; a waiting order is the one exception, so:

- `fill_in` (after every import, and `fill_backorders`) reserves, first come first served, the whole of
  each `backorder` order that now fits, and moves it on through the gate like a typed order;
- `reserve_on_release` reserves a waiting order's stock when a person releases it (refusing, with the
  shortages, when it is still not there); the release then proceeds as for any held order;
- `forget_on_cancel` tells a cancellation that a waiting order has no stock to give back.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import duckdb

from oms_ops.domain.errors import InsufficientStock
from oms_ops.domain.lifecycle import Status
from oms_ops.domain.roles import Action, require
from oms_ops.domain.stock import shortages
from oms_ops.services import gate, stock_watch
from oms_ops.services.actor import Actor
from oms_ops.store import queries
from oms_ops.store.database import Database


def fill_backorders(db: Database, actor: Actor) -> dict[str, Any]:
    """Reserve and move on every waiting backorder that stock now allows; returns {"filled": [order numbers]}."""
    require(actor.roles, Action.IMPORT_ORDERS)
    with db.transaction() as cur:
        return {"filled": fill_in(cur, actor, datetime.now(UTC))}


def fill_in(cur: duckdb.DuckDBPyConnection, actor: Actor, now: datetime) -> list[str]:
    """In the caller's transaction: fill waiting backorders in order date order, each whole or not at all."""
    waiting = cur.execute(
        "select a.order_number from awaiting_stock a join orders o using (order_number)"
        " where a.policy = 'backorder' and o.status = ? and not exists ("
        "  select 1 from (select warehouse_code, sku, sum(quantity) as quantity from order_lines l"
        "   where l.order_number = a.order_number group by all) d"
        "  left join stock_levels s using (warehouse_code, sku)"
        "  where coalesce(s.on_hand - s.reserved, 0) < d.quantity)"
        " order by o.ordered_at, o.order_number",
        [Status.ON_HOLD.value],
    ).fetchall()
    filled = []
    for (order_number,) in waiting:
        demand = _demand(cur, order_number)
        if shortages(demand, queries.available(cur, list(demand))):
            continue  # an earlier backorder took what this one needed
        _take(cur, order_number, demand, actor, now, "backorder filled")
        status, reason = gate.route_confirmed(cur, _facts(cur, order_number, actor), actor, now)
        queries.insert_event(cur, order_number, Status.ON_HOLD, status, actor.username, f"stock arrived; {reason}", now)
        cur.execute("update orders set status = ?, updated_at = ? where order_number = ?", [status, now, order_number])
        filled.append(order_number)
    return filled


def reserve_on_release(cur: duckdb.DuckDBPyConnection, order_number: str, actor: Actor, now: datetime) -> None:
    """Before a held order is released: reserve a waiting order's stock, or refuse naming what is short."""
    if not is_waiting(cur, order_number):
        return
    demand = _demand(cur, order_number)
    short = shortages(demand, queries.available(cur, list(demand)))
    if short:
        raise InsufficientStock(short)
    _take(cur, order_number, demand, actor, now, "released with its stock")


def forget_on_cancel(cur: duckdb.DuckDBPyConnection, order_number: str) -> bool:
    """True when the order was waiting for stock (it holds none to release); it waits no more."""
    if not is_waiting(cur, order_number):
        return False
    cur.execute("delete from awaiting_stock where order_number = ?", [order_number])
    return True


def is_waiting(cur: duckdb.DuckDBPyConnection, order_number: str) -> bool:
    """Whether the order is an import on hold waiting for stock (reserving none)."""
    return bool(cur.execute("select 1 from awaiting_stock where order_number = ?", [order_number]).fetchall())


def _demand(cur: duckdb.DuckDBPyConnection, order_number: str) -> dict[tuple[str, str], int]:
    rows = cur.execute(
        "select warehouse_code, sku, sum(quantity) from order_lines where order_number = ? group by all",
        [order_number],
    ).fetchall()
    return {(wh, sku): int(qty) for wh, sku, qty in rows}


def _take(
    cur: duckdb.DuckDBPyConnection,
    order_number: str,
    demand: dict[tuple[str, str], int],
    actor: Actor,
    now: datetime,
    reason: str,
) -> None:
    if queries.reserve(cur, demand, now) != len(demand):  # checked just before, under the write lock
        raise InsufficientStock(shortages(demand, queries.available(cur, list(demand))))
    queries.write_ledger(cur, now, "reservation", demand, 0, 1, order_number, actor.username, reason)
    cur.execute("delete from awaiting_stock where order_number = ?", [order_number])
    stock_watch.after_stock_change(cur, demand, now)


def _facts(cur: duckdb.DuckDBPyConnection, order_number: str, actor: Actor) -> gate.OrderFacts:
    head = cur.execute("select customer_code, total from orders where order_number = ?", [order_number]).fetchall()
    code, total = head[0]
    customer = queries.customer(cur, code)
    assert customer is not None
    lines: dict[str, list[gate.LineFacts]] = defaultdict(list)
    for sku, wh, qty, list_price, unit_price, discount, cost, net in cur.execute(
        "select l.sku, l.warehouse_code, l.quantity, p.list_price, l.unit_price, l.discount_pct, l.unit_cost,"
        " l.line_net from order_lines l join products p using (sku) where l.order_number = ? order by l.line_no",
        [order_number],
    ).fetchall():
        lines[order_number].append(gate.LineFacts(sku, wh, int(qty), list_price, unit_price, discount, cost, net))
    return gate.OrderFacts(
        order_number=order_number,
        customer=customer,
        created_by=actor.username,
        lines=lines[order_number],
        subtotal=sum((line.line_net for line in lines[order_number]), Decimal(0)),
        total=Decimal(total),
    )
