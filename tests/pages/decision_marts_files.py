"""A small hand-made marts.duckdb for the Inventory and Customers pages, published the pipeline's way.

Inventory on 31 March 2026: blue widgets in SH and gadgets in BJ are at risk (gadgets named like a spreadsheet
formula), pins in BJ are excess, sprockets in SH are dead, blue widgets in BJ are healthy.
Customers: Acme is a champion, Globex (North) and "@Initech" are overdue for their usual reorder, Hooli is new;
all but Globex are in the East.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb

AS_OF = "2026-03-31"
EVIL_PRODUCT = '=HYPERLINK("http://evil.example","Gadget XL")'
EVIL_CUSTOMER = "@SUM(1+1)*cmd|' /C calc'!A0"

# warehouse, sku, name, category, abc, status, on hand, reserved, daily demand, days of supply, reorder point,
# suggested reorder, days since last movement, stock value, excess units
INVENTORY = (
    ("SH", "WIDGET-BLUE", "Blue widget", "widgets", "A", "stock-out risk", 12, 2, 2.0, 5.0, 42, 92, 0, 72.00, 0),
    ("BJ", "GADGET-XL", EVIL_PRODUCT, "gadgets", "B", "stock-out risk", 3, 0, 0.5, 6.0, 11, 24, 1, 540.00, 0),
    ("BJ", "WIDGET-BLUE", "Blue widget", "widgets", "A", "healthy", 100, 0, 1.0, 100.0, 21, 0, 2, 600.00, 0),
    ("BJ", "PIN-STEEL", "Steel pin", "parts", "C", "excess", 10000, 0, 10.0, 1000.0, 210, 0, 3, 3000.00, 8200),
    ("SH", "SPROCKET-7", "Sprocket, 7 teeth", "parts", "C", "dead", 500, 0, 0.0, None, 0, 0, 200, 600.00, 500),
)
# code, name, tier, segment, r, f, m, recency days, orders, lifetime value, usual interval, churn risk
CUSTOMERS = (
    ("C-ACME", "Acme Trading Co.", "gold", "champions", 5, 5, 5, 2, 40, 90000.00, 7.0, False),
    ("C-GLOBEX", "Globex Industrial Ltd.", "standard", "at risk", 2, 4, 4, 60, 12, 30000.00, 20.0, True),
    ("C-INITECH", EVIL_CUSTOMER, "standard", "at risk", 1, 3, 2, 90, 5, 5000.00, 30.0, True),
    ("C-HOOLI", "Hooli Ltd.", "standard", "promising", 4, 1, 1, 5, 1, 800.00, None, False),
)
REGIONS = {"C-GLOBEX": "North"}
# cohort month, months since first order, cohort customers, active customers
COHORTS = (
    ("2026-01-01", 0, 4, 4),
    ("2026-01-01", 1, 4, 2),
    ("2026-01-01", 2, 4, 1),
    ("2026-02-01", 0, 2, 2),
    ("2026-02-01", 1, 2, 1),
    ("2026-03-01", 0, 1, 1),
)


def write_tables(con: duckdb.DuckDBPyConnection, with_customers: bool) -> None:
    con.execute(
        "create table mart_inventory_health (warehouse_code varchar, sku varchar, product_name varchar,"
        " category varchar, abc_class varchar, stock_status varchar, on_hand bigint, reserved bigint,"
        " available bigint, average_daily_demand decimal(18, 4), days_of_supply decimal(18, 1),"
        " turnover decimal(18, 2), safety_stock bigint, reorder_point bigint, suggested_reorder_qty bigint,"
        " days_since_last_movement integer, stock_value decimal(18, 2), excess_units bigint,"
        " is_stockout_risk boolean, is_dead_stock boolean, is_excess_stock boolean, as_of_date date,"
        " last_movement_date date)"
    )
    for (
        w,
        sku,
        name,
        category,
        abc,
        status,
        on_hand,
        reserved,
        demand,
        dos,
        rop,
        reorder,
        idle,
        value,
        excess,
    ) in INVENTORY:
        con.execute(
            "insert into mart_inventory_health values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, 0, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?::date, ?::date - ?::integer)",
            [w, sku, name, category, abc, status, on_hand, reserved, on_hand - reserved, demand, dos, rop, reorder,
             idle, value, excess, status == "stock-out risk", status == "dead", status == "excess", AS_OF, AS_OF,
             idle],
        )  # fmt: skip
    if not with_customers:
        return
    con.execute(
        "create table mart_customer_rfm (customer_code varchar, customer_name varchar, tier varchar,"
        " region varchar, segment varchar, rfm_code varchar, recency_score integer, frequency_score integer,"
        " monetary_score integer, recency_days integer, frequency bigint, monetary decimal(18, 2),"
        " lifetime_value decimal(18, 2), usual_reorder_interval_days decimal(10, 1), is_churn_risk boolean,"
        " first_order_date date, last_order_date date, next_order_due_date date, as_of_date date)"
    )
    for code, name, tier, segment, r, f, m, recency, orders, value, interval, churn in CUSTOMERS:
        con.execute(
            "insert into mart_customer_rfm values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null,"
            " ?::date - ?::integer, ?::date - ?::integer + ?::integer, ?::date)",
            [code, name, tier, REGIONS.get(code, "East"), segment, f"{r}{f}{m}", r, f, m, recency, orders, value,
             value, interval, churn, AS_OF, recency, AS_OF, recency, None if interval is None else int(interval),
             AS_OF],
        )  # fmt: skip
    con.execute(
        "create table mart_customer_cohorts (cohort_period_id varchar, months_since_first_order integer,"
        " cohort_customers bigint, active_customers bigint, retention_rate decimal(9, 4), revenue decimal(18, 2),"
        " cohort_month date, activity_month date)"
    )
    for month, offset, size, active in COHORTS:
        con.execute(
            "insert into mart_customer_cohorts values (?, ?, ?, ?, ?, 0, ?::date, ?::date + to_months(?))",
            [f"{month[:7]}+{offset}", offset, size, active, active / size, month, month, offset],
        )


def publish_decision_marts(data_dir: Path, published_at: datetime, with_customers: bool = True) -> Path:
    """Write marts.duckdb into data_dir atomically; returns its path."""
    data_dir.mkdir(parents=True, exist_ok=True)
    final = data_dir / "marts.duckdb"
    temp = data_dir / f".marts-{os.getpid()}-{published_at.timestamp()}.duckdb"
    with duckdb.connect(str(temp)) as con:
        write_tables(con, with_customers)
        con.execute("create table publish_info (published_at timestamptz, snapshot_taken_at timestamptz)")
        con.execute("insert into publish_info values (?, ?)", [published_at, published_at - timedelta(minutes=5)])
    os.replace(temp, final)
    return final


# Sales lines. Every day of the first quarter of 2025 and of 2026 Acme (gold, East) orders 10 blue widgets by
# hand: 80.00 in 2025, 100.00 in 2026. Every Monday Globex (standard, North) sends an EDI order of a gadget
# (250.00) and 100 steel pins (80.00); 13 Mondays in each quarter. On 31 March 2026 "@Initech" (standard, East)
# orders 5 pins (4.00). So 1 Jan - 31 Mar 2026: 13,294.00 against 11,490.00 on the same days of 2025.
SALES_LINE_COLUMNS = (
    "order_line_id varchar, order_number varchar, customer_code varchar, sku varchar, warehouse_code varchar,"
    " channel varchar, region varchar, tier varchar, category varchar, customer_name varchar,"
    " product_name varchar, quantity bigint, revenue decimal(18, 2), cost decimal(18, 2), margin decimal(18, 2),"
    " sales_date date, week_start date, month_start date"
)
SALES_LAST_DAY = date(2026, 3, 31)
ACME = ("C-ACME", "Acme Trading Co.", "East", "gold")
GLOBEX = ("C-GLOBEX", "Globex Industrial Ltd.", "North", "standard")
INITECH = ("C-INITECH", EVIL_CUSTOMER, "East", "standard")
WIDGET = ("WIDGET-BLUE", "Blue widget", "widgets", Decimal("6.00"))
GADGET = ("GADGET-XL", EVIL_PRODUCT, "gadgets", Decimal("180.00"))
PIN = ("PIN-STEEL", "Steel pin", "parts", Decimal("0.30"))

SalesLine = tuple[date, str, str, tuple[str, str, str, str], tuple[str, str, str, Decimal], int, Decimal]


def quarter_days(year: int) -> list[date]:
    start = date(year, 1, 1)
    return [start + timedelta(days=n) for n in range((date(year, 3, 31) - start).days + 1)]


def sales_lines() -> list[SalesLine]:
    """(day, order number, channel, customer, product, quantity, revenue) of the story above."""
    lines: list[SalesLine] = []
    for year, widget_revenue in ((2025, Decimal("80.00")), (2026, Decimal("100.00"))):
        for day in quarter_days(year):
            lines.append((day, f"SO-A{day:%Y%m%d}", "manual", ACME, WIDGET, 10, widget_revenue))
            if day.isoweekday() == 1:
                lines.append((day, f"SO-G{day:%Y%m%d}", "edi", GLOBEX, GADGET, 1, Decimal("250.00")))
                lines.append((day, f"SO-G{day:%Y%m%d}", "edi", GLOBEX, PIN, 100, Decimal("80.00")))
    lines.append((SALES_LAST_DAY, "SO-I1", "manual", INITECH, PIN, 5, Decimal("4.00")))
    return lines


def write_sales_tables(con: duckdb.DuckDBPyConnection, lines: list[SalesLine]) -> None:
    con.execute(f"create table mart_sales_lines ({SALES_LINE_COLUMNS})")
    rows = []
    for line_no, (day, order, channel, customer, product, quantity, revenue) in enumerate(lines, start=1):
        code, name, region, tier = customer
        sku, product_name, category, unit_cost = product
        cost = unit_cost * quantity
        rows.append(
            (f"{order}-{line_no}", order, code, sku, "SH", channel, region, tier, category, name, product_name,
             quantity, revenue, cost, revenue - cost, day, day - timedelta(days=day.weekday()), day.replace(day=1))
        )  # fmt: skip
    if rows:
        con.executemany(f"insert into mart_sales_lines values ({', '.join('?' * 18)})", rows)
    con.execute(
        "create or replace table mart_sales_lines as select *,"
        " lag(order_line_id) over by_order is null as is_first_line_of_order,"
        " lag(category) over by_order is distinct from category as is_first_line_of_category,"
        " lag(sku) over by_order is distinct from sku as is_first_line_of_product"
        " from mart_sales_lines window by_order as (partition by order_number order by category, sku, order_line_id)"
        " order by sales_date, order_number"
    )
    con.execute(
        "create table mart_category_affinity (category_pair_id varchar, antecedent_category varchar,"
        " consequent_category varchar, orders_with_both bigint, orders_with_antecedent bigint,"
        " orders_with_consequent bigint, orders_in_window bigint, support decimal(9, 4),"
        " confidence decimal(9, 4), lift decimal(12, 4), window_start_date date, as_of_date date)"
    )
    con.execute(
        "insert into mart_category_affinity values"
        " ('gadgets -> parts', 'gadgets', 'parts', 13, 13, 14, 104, 0.1250, 1.0000, 7.4286, '2025-04-01', ?),"
        " ('parts -> gadgets', 'parts', 'gadgets', 13, 14, 13, 104, 0.1250, 0.9286, 7.4286, '2025-04-01', ?)",
        [SALES_LAST_DAY, SALES_LAST_DAY],
    )


def publish_sales_marts(data_dir: Path, published_at: datetime, lines: list[SalesLine] | None = None) -> Path:
    """marts.duckdb with the sales lines above (or the given ones), published atomically; returns its path."""
    data_dir.mkdir(parents=True, exist_ok=True)
    final = data_dir / "marts.duckdb"
    temp = data_dir / f".marts-{os.getpid()}-{published_at.timestamp()}.duckdb"
    with duckdb.connect(str(temp)) as con:
        write_sales_tables(con, sales_lines() if lines is None else lines)
        write_tables(con, with_customers=True)
        con.execute("create table publish_info (published_at timestamptz, snapshot_taken_at timestamptz)")
        con.execute("insert into publish_info values (?, ?)", [published_at, published_at - timedelta(minutes=5)])
    os.replace(temp, final)
    return final
