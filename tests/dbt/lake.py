"""A hand-made oms lake: the server's schema (its migrations), a few memorable rows, one Parquet file per table.

Two warehouses (SH, GZ), bolts and lamps, two customers; three orders:

- SO-1, C-ACME, manual, paid, 2026-03-31 02:00 UTC (10:00 in Shanghai): 100 bolts + 2 lamps;
- SO-2, C-NORTH, edi, completed, 2026-03-31 20:00 UTC (04:00 on 1 April in Shanghai): 10 lamps at 10 % off;
- SO-3, C-ACME, manual, cancelled, 2026-03-31 03:00 UTC: 5 lamps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from oms_ops.domain.pricing import price_line
from oms_ops.services.snapshot import SNAPSHOT_TABLES

MIGRATIONS = Path(__file__).resolve().parents[2] / "oms_ops" / "store" / "migrations"
CREATED = datetime(2026, 1, 1, tzinfo=UTC)

# sku -> (name, category, list price, unit cost, tax rate)
PRODUCTS = {
    "BOLT-M8": ("Hex bolt M8 zinc", "hardware", Decimal("0.25"), Decimal("0.10"), Decimal("0.13")),
    "LAMP-LED-9W": ("LED lamp 9 W warm white", "lighting", Decimal("12.90"), Decimal("7.00"), Decimal("0.13")),
}
RECEIPTS = {("SH", "BOLT-M8"): 1000, ("SH", "LAMP-LED-9W"): 50, ("GZ", "LAMP-LED-9W"): 20}


@dataclass(frozen=True)
class Line:
    sku: str
    warehouse: str
    quantity: int
    discount_pct: Decimal = Decimal(0)


@dataclass(frozen=True)
class Order:
    number: str
    customer: str
    channel: str
    status: str
    ordered_at: datetime
    lines: tuple[Line, ...]


ORDERS = (
    Order("SO-1", "C-ACME", "manual", "paid", datetime(2026, 3, 31, 2, tzinfo=UTC),
          (Line("BOLT-M8", "SH", 100), Line("LAMP-LED-9W", "SH", 2))),
    Order("SO-2", "C-NORTH", "edi", "completed", datetime(2026, 3, 31, 20, tzinfo=UTC),
          (Line("LAMP-LED-9W", "GZ", 10, Decimal(10)),)),
    Order("SO-3", "C-ACME", "manual", "cancelled", datetime(2026, 3, 31, 3, tzinfo=UTC),
          (Line("LAMP-LED-9W", "SH", 5),)),
)  # fmt: skip


def schema_database() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the server's tables, built from its own migration files."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for migration in sorted(MIGRATIONS.glob("*.sql")):
        code = "\n".join(line for line in migration.read_text().splitlines() if not line.strip().startswith("--"))
        for statement in code.split(";"):
            if statement.strip():
                con.execute(statement)
    return con


def fill(con: duckdb.DuckDBPyConnection, orders: tuple[Order, ...] = ORDERS) -> None:
    con.execute(
        "insert into warehouses (warehouse_code, name, region, city, created_at) values"
        " ('SH', 'Shanghai DC', 'East', 'Shanghai', $t), ('GZ', 'Guangzhou DC', 'South', 'Guangzhou', $t)",
        {"t": CREATED},
    )
    con.execute(
        "insert into customers (customer_code, name, region, city, credit_limit, payment_terms_days, created_at)"
        " values ('C-ACME', 'Acme Trading Co.', 'East', 'Shanghai', 0, 0, $t),"
        " ('C-NORTH', 'Northwind Industrial Ltd.', 'South', 'Guangzhou', 50000, 30, $t)",
        {"t": CREATED},
    )
    for sku, (name, category, price, cost, tax_rate) in PRODUCTS.items():
        con.execute(
            "insert into products (sku, name, category, list_price, cost, tax_rate, created_at)"
            " values (?, ?, ?, ?, ?, ?, ?)",
            [sku, name, category, price, cost, tax_rate, CREATED],
        )
    for (warehouse, sku), quantity in RECEIPTS.items():
        ledger(con, CREATED, warehouse, sku, "receipt", quantity, 0, None)
    for order in orders:
        place(con, order)
    con.execute(
        "insert into stock_levels (warehouse_code, sku, on_hand, reserved, updated_at)"
        " select warehouse_code, sku, sum(on_hand_delta), sum(reserved_delta), max(occurred_at)"
        " from stock_ledger group by all"
    )


def place(con: duckdb.DuckDBPyConnection, order: Order) -> None:
    priced = []
    for line_no, line in enumerate(order.lines, start=1):
        _, _, price, cost, tax_rate = PRODUCTS[line.sku]
        p = price_line(line.quantity, price, tax_rate, line.discount_pct)
        priced.append(p)
        con.execute(
            "insert into order_lines values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [order.number, line_no, line.sku, line.warehouse, line.quantity, price, line.discount_pct, tax_rate,
             cost, p.line_net, p.line_tax, p.line_total],
        )  # fmt: skip
        ledger(con, order.ordered_at, line.warehouse, line.sku, "reservation", 0, line.quantity, order.number)
        if order.status == "cancelled":
            ledger(con, order.ordered_at, line.warehouse, line.sku, "release", 0, -line.quantity, order.number)
        if order.status == "completed":
            ledger(con, order.ordered_at, line.warehouse, line.sku, "shipment", -line.quantity, -line.quantity,
                   order.number)  # fmt: skip
    subtotal = sum((p.line_net for p in priced), Decimal(0))
    tax = sum((p.line_tax for p in priced), Decimal(0))
    con.execute(
        "insert into orders (order_number, customer_code, channel, status, ordered_at, created_by, subtotal,"
        " tax_total, total, created_at, updated_at) values (?, ?, ?, ?, ?, 'sales', ?, ?, ?, ?, ?)",
        [order.number, order.customer, order.channel, order.status, order.ordered_at, subtotal, tax,
         subtotal + tax, order.ordered_at, order.ordered_at],
    )  # fmt: skip
    con.execute(
        "insert into order_events (order_number, from_status, to_status, actor, occurred_at)"
        " values (?, null, ?, 'sales', ?)",
        [order.number, order.status, order.ordered_at],
    )


def ledger(
    con: duckdb.DuckDBPyConnection,
    at: datetime,
    warehouse: str,
    sku: str,
    movement: str,
    on_hand: int,
    reserved: int,
    order_number: str | None,
) -> None:
    con.execute(
        "insert into stock_ledger (occurred_at, warehouse_code, sku, movement, on_hand_delta, reserved_delta,"
        " order_number, actor) values (?, ?, ?, ?, ?, ?, ?, 'warehouse')",
        [at, warehouse, sku, movement, on_hand, reserved, order_number],
    )


def write_lake(con: duckdb.DuckDBPyConnection, lake_dir: Path) -> None:
    """One Parquet file per snapshot table, as the server's snapshot writes them."""
    lake_dir.mkdir(parents=True, exist_ok=True)
    for table in SNAPSHOT_TABLES:
        target = str(lake_dir / f"{table}.parquet").replace("'", "''")
        con.execute(f"copy (select * from {table}) to '{target}' (format parquet)")


def build_lake(data_dir: Path, orders: tuple[Order, ...] = ORDERS) -> duckdb.DuckDBPyConnection:
    """Write the lake under data_dir/lake/oms and return the in-memory source for further changes."""
    con = schema_database()
    fill(con, orders)
    write_lake(con, data_dir / "lake" / "oms")
    return con
