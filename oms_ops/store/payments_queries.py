"""The SQL of the payments ledger view: payments and refunds with their orders' customers."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from oms_ops.store.database import rows_as_dicts


def payments(
    cur: duckdb.DuckDBPyConnection,
    date_from: date | None,
    date_to: date | None,
    method: str | None,
    customer_code: str | None,
    order_number: str | None,
    limit: int,
) -> list[dict[str, Any]]:
    where, params = _filters(
        ("p.paid_on >= ?", date_from),
        ("p.paid_on <= ?", date_to),
        ("p.method = ?", method),
        ("o.customer_code = ?", customer_code),
        ("p.order_number = ?", order_number),
    )
    cur.execute(
        "select p.payment_id, p.order_number, o.customer_code, c.name as customer_name, p.method, p.amount,"
        " p.paid_on, p.reference, p.recorded_by, p.recorded_at"
        " from payments p left join orders o using (order_number) left join customers c on c.customer_code ="
        f" o.customer_code where {where} order by p.paid_on desc, p.payment_id desc limit ?",
        [*params, limit],
    )
    return rows_as_dicts(cur)


def refunds(cur: duckdb.DuckDBPyConnection, status: str | None, limit: int) -> list[dict[str, Any]]:
    where, params = _filters(("r.status = ?", status))
    cur.execute(
        "select r.refund_id, r.order_number, o.customer_code, c.name as customer_name, c.email, r.amount,"
        " r.status, r.reason, r.created_by, r.created_at"
        " from refunds r left join orders o using (order_number) left join customers c on c.customer_code ="
        f" o.customer_code where {where} order by r.created_at desc, r.refund_id desc limit ?",
        [*params, limit],
    )
    return rows_as_dicts(cur)


def _filters(*conditions: tuple[str, object]) -> tuple[str, list[object]]:
    """The conditions whose value is given, and-ed; each condition has exactly one placeholder."""
    used = [(sql, value) for sql, value in conditions if value is not None]
    return " and ".join(["true", *(sql for sql, _ in used)]), [value for _, value in used]
