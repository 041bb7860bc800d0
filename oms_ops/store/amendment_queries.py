"""The SQL of amendments and order versions, parameterised, on a cursor inside the caller's transaction."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import duckdb

from oms_ops.domain.amendments import CurrentLine
from oms_ops.store.database import rows_as_dicts

# Amendable orders are never shipped or completed, so what has shipped of a line is its shipment lines.
CURRENT_LINES = """
    select l.line_no, l.sku, l.warehouse_code, l.quantity, coalesce(s.shipped, 0) as shipped, l.unit_price,
           l.discount_pct, l.unit_cost, l.tax_rate, l.line_net, l.line_tax, l.line_total
    from order_lines l left join (
        select line_no, sum(quantity) as shipped from shipment_lines where order_number = ? group by line_no
    ) s using (line_no)
    where l.order_number = ?
    order by l.line_no
"""
VERSION_LINE_KEYS = ("line_no", "sku", "warehouse", "quantity", "unit_price", "discount_pct", "tax_rate",
                     "line_net", "line_tax", "line_total")  # fmt: skip
MONEY_KEYS = frozenset(VERSION_LINE_KEYS[4:])


def order_for_amendment(cur: duckdb.DuckDBPyConnection, order_number: str) -> dict[str, Any] | None:
    cur.execute(
        "select *, coalesce((select max(version) from order_versions where order_number = ?), 1) as version,"
        " coalesce((select sum(amount) from payments where order_number = ?), 0) as paid_total"
        " from orders where order_number = ?",
        [order_number] * 3,
    )
    found = rows_as_dicts(cur)
    return found[0] if found else None


def current_lines(cur: duckdb.DuckDBPyConnection, order_number: str) -> tuple[list[CurrentLine], list[tuple[Any, ...]]]:
    """The lines as rules see them, and as a version records them (VERSION_LINE_KEYS order)."""
    rows = cur.execute(CURRENT_LINES, [order_number, order_number]).fetchall()
    lines = [
        CurrentLine(int(no), sku, wh, int(qty), int(shipped), price, discount, cost)
        for no, sku, wh, qty, shipped, price, discount, cost, *_ in rows
    ]
    recorded = [(no, sku, wh, qty, price, discount, *rest) for no, sku, wh, qty, _, price, discount, _, *rest in rows]
    return lines, recorded


def replace_lines(cur: duckdb.DuckDBPyConnection, order_number: str, rows: list[tuple[Any, ...]]) -> None:
    """rows: (line_no, sku, warehouse, quantity, unit_price, discount_pct, tax_rate, unit_cost, net, tax, total)."""
    cur.execute("delete from order_lines where order_number = ?", [order_number])
    cur.execute(
        "insert into order_lines (order_number, line_no, sku, warehouse_code, quantity, unit_price, discount_pct,"
        " tax_rate, unit_cost, line_net, line_tax, line_total) values "
        + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(rows)),
        [v for row in rows for v in (order_number, *row)],
    )


def set_totals(
    cur: duckdb.DuckDBPyConnection, order_number: str, subtotal: Decimal, tax: Decimal, total: Decimal, now: datetime
) -> None:
    cur.execute(
        "update orders set subtotal = ?, tax_total = ?, total = ?, updated_at = ? where order_number = ?",
        [subtotal, tax, total, now, order_number],
    )


def write_version(
    cur: duckdb.DuckDBPyConnection,
    order: dict[str, Any],
    version: int,
    created_by: str,
    created_at: datetime,
    reason: str | None,
    status: str,
    lines: list[tuple[Any, ...]],
    totals: tuple[Decimal, Decimal, Decimal],
) -> None:
    """Record the order's header, `lines` (VERSION_LINE_KEYS order) and totals as version `version`."""
    header = {k: order[k] for k in ("customer_code", "channel", "external_ref", "note", "currency")}
    recorded = [
        {k: str(v) if k in MONEY_KEYS else v for k, v in zip(VERSION_LINE_KEYS, line, strict=True)} for line in lines
    ]
    cur.execute(
        "insert into order_versions (order_number, version, created_by, created_at, reason, status, header, lines,"
        " subtotal, tax_total, total) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [order["order_number"], version, created_by, created_at, reason, status, json.dumps(header),
         json.dumps(recorded), *totals],
    )  # fmt: skip


def versions(cur: duckdb.DuckDBPyConnection, order_number: str) -> list[dict[str, Any]]:
    cur.execute(
        "select version, created_by, created_at, reason, status, total from order_versions where order_number = ?"
        " order by version",
        [order_number],
    )
    return rows_as_dicts(cur)


def version(cur: duckdb.DuckDBPyConnection, order_number: str, number: int) -> dict[str, Any] | None:
    cur.execute(
        "select order_number, version, created_by, created_at, reason, status, header, lines, subtotal, tax_total,"
        " total from order_versions where order_number = ? and version = ?",
        [order_number, number],
    )
    found = rows_as_dicts(cur)
    if not found:
        return None
    row = found[0]
    header = json.loads(row.pop("header"))
    lines = [
        {k: Decimal(v) if k in MONEY_KEYS else v for k, v in line.items()} for line in json.loads(row.pop("lines"))
    ]
    return {**header, **row, "lines": lines}


def add_versions(cur: duckdb.DuckDBPyConnection, order: dict[str, Any]) -> dict[str, Any]:
    """Add to an order view its version number and the list of its versions (empty until amended)."""
    order["versions"] = versions(cur, order["order_number"])
    order["version"] = order["versions"][-1]["version"] if order["versions"] else 1
    return order
