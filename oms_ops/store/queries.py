"""The SQL the services need, parameterised, on a cursor inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import duckdb

from oms_ops.domain.pricing import PricedLine
from oms_ops.store.database import remembered, rows_as_dicts

WAREHOUSES = "warehouse_regions"  # remembered between transactions; forgotten by the bulk load of warehouses


def _placeholders(count: int, width: int) -> str:
    row = "(" + ", ".join(["?"] * width) + ")"
    return ", ".join([row] * count)


def order_number_by_external_ref(cur: duckdb.DuckDBPyConnection, channel: str, external_ref: str) -> str | None:
    row = cur.execute(
        "select order_number from orders where channel = ? and external_ref = ?", [channel, external_ref]
    ).fetchone()
    return row[0] if row else None


def customer(cur: duckdb.DuckDBPyConnection, customer_code: str) -> dict[str, Any] | None:
    cur.execute("select * from customers where customer_code = ?", [customer_code])
    found = rows_as_dicts(cur)
    return found[0] if found else None


def products_by_sku(cur: duckdb.DuckDBPyConnection, skus: list[str]) -> dict[str, dict[str, Any]]:
    cur.execute("select * from products where list_contains(?, sku)", [sorted(set(skus))])  # cheaper than in (unnest)
    return {row["sku"]: row for row in rows_as_dicts(cur)}


def warehouse_regions(cur: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """Every warehouse and its region, in code order: read once, then remembered until warehouses are loaded."""

    def load() -> tuple[tuple[str, str | None], ...]:
        return tuple(cur.execute("select warehouse_code, region from warehouses order by warehouse_code").fetchall())

    return dict(remembered(WAREHOUSES, load))


def default_warehouse(cur: duckdb.DuckDBPyConnection, sku: str, quantity: int, region: str | None) -> str | None:
    """The customer's region's warehouse when it can serve the line, else the one with most available."""
    row = cur.execute(
        "select w.warehouse_code from warehouses w"
        " left join stock_levels s on s.warehouse_code = w.warehouse_code and s.sku = ?"
        " order by (coalesce(s.on_hand - s.reserved, 0) >= ? and w.region is not distinct from ?) desc,"
        " coalesce(s.on_hand - s.reserved, 0) desc, w.warehouse_code limit 1",
        [sku, quantity, region],
    ).fetchone()
    return row[0] if row else None


def available(cur: duckdb.DuckDBPyConnection, locations: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    if not locations:
        return {}
    rows = cur.execute(
        "select s.warehouse_code, s.sku, s.on_hand - s.reserved from stock_levels s"
        f" join (values {_placeholders(len(locations), 2)}) w(warehouse_code, sku) using (warehouse_code, sku)",
        [v for loc in locations for v in loc],
    ).fetchall()
    return {(wh, sku): int(avail) for wh, sku, avail in rows}


def reserve(cur: duckdb.DuckDBPyConnection, demand: Mapping[tuple[str, str], int], now: datetime) -> int:
    """Reserve every (warehouse, sku, quantity) that is available, in one guarded statement; returns rows hit."""
    row = cur.execute(
        "update stock_levels s set reserved = s.reserved + d.quantity, updated_at = ?"
        f" from (values {_placeholders(len(demand), 3)}) d(warehouse_code, sku, quantity)"
        " where s.warehouse_code = d.warehouse_code and s.sku = d.sku and s.on_hand - s.reserved >= d.quantity",
        [now, *[v for (wh, sku), qty in demand.items() for v in (wh, sku, qty)]],
    ).fetchone()
    return int(row[0]) if row else 0


def receive(cur: duckdb.DuckDBPyConnection, warehouse: str, sku: str, quantity: int, now: datetime) -> None:
    cur.execute(
        "insert into stock_levels (warehouse_code, sku, on_hand, reserved, updated_at) values (?, ?, ?, 0, ?)"
        " on conflict (warehouse_code, sku) do update set on_hand = stock_levels.on_hand + excluded.on_hand,"
        " updated_at = excluded.updated_at",
        [warehouse, sku, quantity, now],
    )


def write_ledger(
    cur: duckdb.DuckDBPyConnection,
    now: datetime,
    movement: str,
    quantities: Mapping[tuple[str, str], int],
    on_hand_sign: int,
    reserved_sign: int,
    order_number: str | None,
    actor: str,
    reason: str | None,
) -> None:
    rows = [
        (now, wh, sku, movement, on_hand_sign * qty, reserved_sign * qty, order_number, actor, reason)
        for (wh, sku), qty in quantities.items()
    ]
    cur.execute(
        "insert into stock_ledger (occurred_at, warehouse_code, sku, movement, on_hand_delta, reserved_delta,"
        f" order_number, actor, reason) values {_placeholders(len(rows), 9)}",
        [v for row in rows for v in row],
    )


def next_order_number(cur: duckdb.DuckDBPyConnection) -> str:
    row = cur.execute("update counters set value = value + 1 where name = 'order_number' returning value").fetchone()
    assert row is not None
    return format_order_number(int(row[0]))


def format_order_number(sequence: int) -> str:
    return f"SO{sequence:08d}"


def insert_order_lines(
    cur: duckdb.DuckDBPyConnection, lines: Iterable[tuple[str, int, str, str, int, PricedLine, Decimal]]
) -> None:
    rows = [
        (
            number,
            line_no,
            sku,
            wh,
            qty,
            p.unit_price,
            p.discount_pct,
            p.tax_rate,
            cost,
            p.line_net,
            p.line_tax,
            p.line_total,
        )
        for number, line_no, sku, wh, qty, p, cost in lines
    ]
    cur.execute(
        "insert into order_lines (order_number, line_no, sku, warehouse_code, quantity, unit_price, discount_pct,"
        f" tax_rate, unit_cost, line_net, line_tax, line_total) values {_placeholders(len(rows), 12)}",
        [v for row in rows for v in row],
    )


def insert_event(
    cur: duckdb.DuckDBPyConnection,
    order_number: str,
    from_status: str | None,
    to_status: str,
    actor: str,
    reason: str | None,
    now: datetime,
) -> None:
    cur.execute(
        "insert into order_events (order_number, from_status, to_status, actor, reason, occurred_at)"
        " values (?, ?, ?, ?, ?, ?)",
        [order_number, from_status, to_status, actor, reason, now],
    )


def stock_rows(
    cur: duckdb.DuckDBPyConnection, sku: str | None = None, warehouse: str | None = None
) -> list[dict[str, Any]]:
    cur.execute(
        "select warehouse_code as warehouse, sku, on_hand, reserved, on_hand - reserved as available"
        " from stock_levels where (? is null or sku = ?) and (? is null or warehouse_code = ?)"
        " order by sku, warehouse_code",
        [sku, sku, warehouse, warehouse],
    )
    return rows_as_dicts(cur)
