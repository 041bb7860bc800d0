"""SQL of the stock operations: policies, alerts, transfers, expected receipts, stock positions, inbound."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import duckdb

from oms_ops.store.database import forget, remembered, rows_as_dicts
from oms_ops.store.fulfilment_queries import insert_outbox

__all__ = ["insert_outbox"]

INBOUND = """
    select warehouse_code, sku, expected_on as arrives_on, quantity - received as quantity,
           'receipt ' || coalesce(reference, '#' || receipt_id) as source
    from expected_receipts where status = 'open' and quantity > received
    union all
    select t.to_warehouse, l.sku, t.expected_arrival, l.shipped - l.received,
           'transfer ' || t.transfer_id || ' from ' || t.from_warehouse
    from transfers t join transfer_lines l using (transfer_id)
    where t.status in ('in_transit', 'partially_received') and l.shipped > l.received
"""


# Locations bound as two lists rather than a VALUES row each: one import may touch thousands.
LOCATIONS = "(select unnest(?::varchar[]) as warehouse_code, unnest(?::varchar[]) as sku)"


def _columns(locations: list[tuple[str, str]]) -> list[list[str]]:
    unique = sorted(set(locations))
    return [[wh for wh, _ in unique], [sku for _, sku in unique]]


def _values(rows: Sequence[Sequence[Any]]) -> tuple[str, list[Any]]:
    width = len(rows[0])
    row = "(" + ", ".join(["?"] * width) + ")"
    return ", ".join([row] * len(rows)), [v for r in rows for v in r]


# -- alerts -------------------------------------------------------------------------------


POLICY_LOCATIONS = "stock_policy_locations"  # remembered between transactions; forgotten by upsert_policy


def policy_locations(cur: duckdb.DuckDBPyConnection) -> frozenset[tuple[str, str]]:
    """The (warehouse, sku) pairs with a stock policy: the only ones an alert can open or close on."""

    def load() -> frozenset[tuple[str, str]]:
        return frozenset(cur.execute("select warehouse_code, sku from stock_policies").fetchall())

    return remembered(POLICY_LOCATIONS, load)


def crossings(cur: duckdb.DuckDBPyConnection, locations: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Locations whose alert state must change: below safety stock with no open alert, or back up with one."""
    cur.execute(
        "select l.warehouse_code, l.sku, coalesce(s.on_hand - s.reserved, 0) as available, p.safety_stock,"
        " p.reorder_point, a.alert_id"
        f" from {LOCATIONS} l"
        " join stock_policies p on p.warehouse_code = l.warehouse_code and p.sku = l.sku"
        " left join stock_levels s on s.warehouse_code = l.warehouse_code and s.sku = l.sku"
        " left join stock_alerts a on a.warehouse_code = l.warehouse_code and a.sku = l.sku and a.closed_at is null"
        " where (coalesce(s.on_hand - s.reserved, 0) < p.safety_stock) = (a.alert_id is null)",
        _columns(locations),
    )
    return rows_as_dicts(cur)


def close_alerts(cur: duckdb.DuckDBPyConnection, alert_ids: list[int], now: datetime) -> None:
    cur.execute("update stock_alerts set closed_at = ? where alert_id in (select unnest(?))", [now, alert_ids])


def open_alerts(cur: duckdb.DuckDBPyConnection, alerts: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    rows = [
        (
            a["warehouse_code"],
            a["sku"],
            now,
            a["available"],
            a["safety_stock"],
            a["reorder_point"],
            a["inbound"],
            a["suggested_reorder"],
        )
        for a in alerts
    ]
    values, params = _values(rows)
    cur.execute(
        "insert into stock_alerts (warehouse_code, sku, opened_at, available_at_open, safety_stock, reorder_point,"
        f" inbound_at_open, suggested_reorder) values {values}"
        " returning alert_id, warehouse_code, sku, available_at_open as available, safety_stock, reorder_point,"
        " inbound_at_open as inbound, suggested_reorder",
        params,
    )
    return rows_as_dicts(cur)


def alerts(
    cur: duckdb.DuckDBPyConnection, open_only: bool, warehouse: str | None, limit: int = 500
) -> list[dict[str, Any]]:
    cur.execute(
        "select alert_id, warehouse_code as warehouse, sku, opened_at, closed_at, available_at_open, safety_stock,"
        " reorder_point, inbound_at_open, suggested_reorder from stock_alerts"
        " where (not ? or closed_at is null) and (? is null or warehouse_code = ?)"
        " order by opened_at desc, alert_id desc limit ?",
        [open_only, warehouse, warehouse, limit],
    )
    return rows_as_dicts(cur)


# -- inbound ------------------------------------------------------------------------------


def inbound_totals(cur: duckdb.DuckDBPyConnection, locations: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    rows = cur.execute(
        f"select i.warehouse_code, i.sku, sum(i.quantity) from ({INBOUND}) i"
        f" join {LOCATIONS} w using (warehouse_code, sku) group by all",
        _columns(locations),
    ).fetchall()
    return {(wh, sku): int(qty) for wh, sku, qty in rows}


def inbound_of_sku(cur: duckdb.DuckDBPyConnection, sku: str) -> list[dict[str, Any]]:
    cur.execute(f"select * from ({INBOUND}) i where sku = ? order by arrives_on, warehouse_code, source", [sku])
    return rows_as_dicts(cur)


# -- policies and positions ---------------------------------------------------------------


def upsert_policy(
    cur: duckdb.DuckDBPyConnection,
    warehouse: str,
    sku: str,
    safety_stock: int,
    reorder_point: int,
    lead_time_days: int,
    actor: str,
    now: datetime,
) -> None:
    cur.execute(
        "insert into stock_policies (warehouse_code, sku, safety_stock, reorder_point, lead_time_days, updated_by,"
        " updated_at) values (?, ?, ?, ?, ?, ?, ?) on conflict (warehouse_code, sku) do update set"
        " safety_stock = excluded.safety_stock, reorder_point = excluded.reorder_point,"
        " lead_time_days = excluded.lead_time_days, updated_by = excluded.updated_by,"
        " updated_at = excluded.updated_at",
        [warehouse, sku, safety_stock, reorder_point, lead_time_days, actor, now],
    )
    forget(POLICY_LOCATIONS)


def positions(cur: duckdb.DuckDBPyConnection, sku: str | None, warehouse: str | None) -> list[dict[str, Any]]:
    """Per warehouse and SKU with stock or a policy: on hand, reserved, available, policy, inbound, open alert."""
    cur.execute(
        "with keys as (select warehouse_code, sku from stock_levels union select warehouse_code, sku"
        " from stock_policies), inbound as ("
        f" select warehouse_code, sku, sum(quantity) as inbound from ({INBOUND}) i group by all)"
        " select k.warehouse_code as warehouse, k.sku, coalesce(s.on_hand, 0) as on_hand,"
        " coalesce(s.reserved, 0) as reserved, coalesce(s.on_hand - s.reserved, 0) as available,"
        " coalesce(p.safety_stock, 0) as safety_stock, coalesce(p.reorder_point, 0) as reorder_point,"
        " coalesce(p.lead_time_days, 7) as lead_time_days, coalesce(i.inbound, 0) as inbound,"
        " a.alert_id, a.opened_at as alert_opened_at, a.suggested_reorder"
        " from keys k"
        " left join stock_levels s using (warehouse_code, sku)"
        " left join stock_policies p using (warehouse_code, sku)"
        " left join inbound i using (warehouse_code, sku)"
        " left join stock_alerts a on a.warehouse_code = k.warehouse_code and a.sku = k.sku and a.closed_at is null"
        " where (? is null or k.sku = ?) and (? is null or k.warehouse_code = ?)"
        " order by k.sku, k.warehouse_code",
        [sku, sku, warehouse, warehouse],
    )
    return rows_as_dicts(cur)


def level(cur: duckdb.DuckDBPyConnection, warehouse: str, sku: str) -> tuple[int, int]:
    row = cur.execute(
        "select on_hand, reserved from stock_levels where warehouse_code = ? and sku = ?", [warehouse, sku]
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def adjust(cur: duckdb.DuckDBPyConnection, warehouse: str, sku: str, change: int, now: datetime) -> int:
    """Change on hand by `change` unless that leaves less than is reserved; returns rows changed (0 or 1)."""
    if change > 0:
        cur.execute(
            "insert into stock_levels (warehouse_code, sku, on_hand, reserved, updated_at) values (?, ?, ?, 0, ?)"
            " on conflict (warehouse_code, sku) do update set on_hand = stock_levels.on_hand + excluded.on_hand,"
            " updated_at = excluded.updated_at",
            [warehouse, sku, change, now],
        )
        return 1
    row = cur.execute(
        "update stock_levels set on_hand = on_hand + ?, updated_at = ?"
        " where warehouse_code = ? and sku = ? and on_hand + ? >= reserved",
        [change, now, warehouse, sku, change],
    ).fetchone()
    return int(row[0]) if row else 0


def take_available(cur: duckdb.DuckDBPyConnection, quantities: Mapping[tuple[str, str], int], now: datetime) -> int:
    """Take units out of on hand only from what is not reserved, all or nothing per row; returns rows hit."""
    values, params = _values([(wh, sku, qty) for (wh, sku), qty in quantities.items()])
    row = cur.execute(
        "update stock_levels s set on_hand = s.on_hand - d.quantity, updated_at = ?"
        f" from (values {values}) d(warehouse_code, sku, quantity)"
        " where s.warehouse_code = d.warehouse_code and s.sku = d.sku and s.on_hand - s.reserved >= d.quantity",
        [now, *params],
    ).fetchone()
    return int(row[0]) if row else 0


def add_on_hand(cur: duckdb.DuckDBPyConnection, quantities: Mapping[tuple[str, str], int], now: datetime) -> None:
    values, params = _values([(wh, sku, qty, now) for (wh, sku), qty in quantities.items()])
    cur.execute(
        f"insert into stock_levels (warehouse_code, sku, on_hand, updated_at) values {values}"
        " on conflict (warehouse_code, sku) do update set on_hand = stock_levels.on_hand + excluded.on_hand,"
        " updated_at = excluded.updated_at",
        params,
    )


# -- transfers ----------------------------------------------------------------------------


def insert_transfer(
    cur: duckdb.DuckDBPyConnection,
    from_warehouse: str,
    to_warehouse: str,
    lines: Sequence[tuple[str, int]],
    expected_arrival: date,
    note: str | None,
    actor: str,
    now: datetime,
) -> int:
    row = cur.execute(
        "insert into transfers (from_warehouse, to_warehouse, status, expected_arrival, note, requested_by,"
        " requested_at) values (?, ?, 'requested', ?, ?, ?, ?) returning transfer_id",
        [from_warehouse, to_warehouse, expected_arrival, note, actor, now],
    ).fetchone()
    assert row is not None
    transfer_id = int(row[0])
    values, params = _values([(transfer_id, i + 1, sku, qty) for i, (sku, qty) in enumerate(lines)])
    cur.execute(f"insert into transfer_lines (transfer_id, line_no, sku, quantity) values {values}", params)
    return transfer_id


TRANSFER_COLUMNS = (
    "transfer_id, from_warehouse, to_warehouse, status, expected_arrival, note, requested_by, requested_at,"
    " shipped_by, shipped_at, received_at, cancelled_by, cancelled_at"
)


def transfers(
    cur: duckdb.DuckDBPyConnection, statuses: Sequence[str] | None, transfer_id: int | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    cur.execute(
        f"select {TRANSFER_COLUMNS} from transfers where (? is null or transfer_id = ?)"
        " and (? is null or list_contains(?, status)) order by transfer_id desc limit ?",
        [transfer_id, transfer_id, statuses, statuses, limit],
    )
    heads = rows_as_dicts(cur)
    if not heads:
        return []
    cur.execute(
        "select transfer_id, line_no, sku, quantity, shipped, received from transfer_lines"
        " where transfer_id in (select unnest(?)) order by transfer_id, line_no",
        [[h["transfer_id"] for h in heads]],
    )
    lines: dict[int, list[dict[str, Any]]] = {}
    for line in rows_as_dicts(cur):
        lines.setdefault(line.pop("transfer_id"), []).append(line)
    for head in heads:
        head["lines"] = lines.get(head["transfer_id"], [])
    return heads


def mark_shipped(cur: duckdb.DuckDBPyConnection, transfer_id: int, actor: str, now: datetime) -> None:
    cur.execute("update transfer_lines set shipped = quantity where transfer_id = ?", [transfer_id])
    cur.execute(
        "update transfers set status = 'in_transit', shipped_by = ?, shipped_at = ? where transfer_id = ?",
        [actor, now, transfer_id],
    )


def mark_received(cur: duckdb.DuckDBPyConnection, transfer_id: int, by_line: Mapping[int, int]) -> None:
    values, params = _values([(line_no, qty) for line_no, qty in by_line.items()])
    cur.execute(
        "update transfer_lines t set received = t.received + r.quantity"
        f" from (values {values}) r(line_no, quantity) where t.transfer_id = ? and t.line_no = r.line_no",
        [*params, transfer_id],
    )


def set_received(cur: duckdb.DuckDBPyConnection, transfer_id: int, status: str, now: datetime) -> None:
    cur.execute("update transfers set status = ?, received_at = ? where transfer_id = ?", [status, now, transfer_id])


def cancel_transfer(cur: duckdb.DuckDBPyConnection, transfer_id: int, actor: str, now: datetime) -> None:
    cur.execute(
        "update transfers set status = 'cancelled', cancelled_by = ?, cancelled_at = ? where transfer_id = ?",
        [actor, now, transfer_id],
    )


# -- expected receipts --------------------------------------------------------------------

RECEIPT_COLUMNS = (
    "receipt_id, warehouse_code as warehouse, sku, quantity, received, quantity - received as outstanding,"
    " expected_on, reference, status, created_by, created_at, closed_at"
)


def insert_expected_receipt(
    cur: duckdb.DuckDBPyConnection,
    warehouse: str,
    sku: str,
    quantity: int,
    expected_on: date,
    reference: str | None,
    actor: str,
    now: datetime,
) -> int:
    row = cur.execute(
        "insert into expected_receipts (warehouse_code, sku, quantity, expected_on, reference, created_by,"
        " created_at) values (?, ?, ?, ?, ?, ?, ?) returning receipt_id",
        [warehouse, sku, quantity, expected_on, reference, actor, now],
    ).fetchone()
    assert row is not None
    return int(row[0])


def expected_receipts(
    cur: duckdb.DuckDBPyConnection,
    status: str | None,
    warehouse: str | None,
    sku: str | None,
    receipt_id: int | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    cur.execute(
        f"select {RECEIPT_COLUMNS} from expected_receipts where (? is null or status = ?)"
        " and (? is null or warehouse_code = ?) and (? is null or sku = ?) and (? is null or receipt_id = ?)"
        " order by expected_on, receipt_id limit ?",
        [status, status, warehouse, warehouse, sku, sku, receipt_id, receipt_id, limit],
    )
    return rows_as_dicts(cur)


def update_expected_receipt(
    cur: duckdb.DuckDBPyConnection, receipt_id: int, quantity: int, expected_on: date, reference: str | None
) -> None:
    cur.execute(
        "update expected_receipts set quantity = ?, expected_on = ?, reference = ? where receipt_id = ?",
        [quantity, expected_on, reference, receipt_id],
    )


def receive_against(cur: duckdb.DuckDBPyConnection, receipt_id: int, quantity: int, now: datetime) -> None:
    cur.execute(
        "update expected_receipts set received = received + ?,"
        " status = case when received + ? >= quantity then 'received' else status end,"
        " closed_at = case when received + ? >= quantity then ? else closed_at end where receipt_id = ?",
        [quantity, quantity, quantity, now, receipt_id],
    )


def close_expected_receipt(cur: duckdb.DuckDBPyConnection, receipt_id: int, status: str, now: datetime) -> None:
    cur.execute(
        "update expected_receipts set status = ?, closed_at = ? where receipt_id = ?", [status, now, receipt_id]
    )
