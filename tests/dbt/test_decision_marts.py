"""Inventory and customer marts from a real `dbt build`, and the incremental models against a full refresh.

The lake of tests/dbt/lake.py plus one more day: SO-4, C-NORTH, edi, completed, 2026-04-02 02:00 UTC
(10:00 in Shanghai): 8 lamps shipped from GZ, which leaves GZ with 2 lamps against 18 ordered in 90 days.
On that day SO-1 is amended: its lamp line is removed and it now takes 120 bolts instead of 100; and the
writeback moves C-NORTH to the gold tier, which its earlier sold lines (SO-2) must follow.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from oms_ops.domain.pricing import price_line
from tests.dbt.conftest import Build, dbt_build
from tests.dbt.lake import ORDERS, Line, Order, build_lake, ledger, write_lake

NEXT_DAY = (
    Order("SO-4", "C-NORTH", "edi", "completed", datetime(2026, 4, 2, 2, tzinfo=UTC), (Line("LAMP-LED-9W", "GZ", 8),)),
)
INCREMENTAL_MODELS = {
    "fct_stock_movements": "entry_id",
    "fct_daily_stock": "stock_level_id, stock_date",
    "fct_order_lines": "order_line_id",
    "fct_orders": "order_number",
    "mart_sales_lines": "order_line_id",
}
STAMPED_MODELS = ("fct_order_lines", "fct_orders", "mart_sales_lines", "fct_stock_movements", "fct_daily_stock")
AMENDED_AT = datetime(2026, 4, 2, 3, tzinfo=UTC)


def amend_first_order(con: duckdb.DuckDBPyConnection) -> None:
    """SO-1 loses its lamp line and takes 120 bolts; its reservations and totals follow, updated_at moves on."""
    con.execute("delete from order_lines where order_number = 'SO-1' and line_no = 2")
    price = price_line(120, Decimal("0.25"), Decimal("0.13"), Decimal(0))
    con.execute(
        "update order_lines set quantity = 120, line_net = ?, line_tax = ?, line_total = ?"
        " where order_number = 'SO-1' and line_no = 1",
        [price.line_net, price.line_tax, price.line_total],
    )
    con.execute(
        "update orders set subtotal = ?, tax_total = ?, total = ?, updated_at = ? where order_number = 'SO-1'",
        [price.line_net, price.line_tax, price.line_total, AMENDED_AT],
    )
    ledger(con, AMENDED_AT, "SH", "BOLT-M8", "reservation", 0, 20, "SO-1")
    ledger(con, AMENDED_AT, "SH", "LAMP-LED-9W", "release", 0, -2, "SO-1")
    con.execute("delete from stock_levels")
    con.execute(
        "insert into stock_levels (warehouse_code, sku, on_hand, reserved, updated_at)"
        " select warehouse_code, sku, sum(on_hand_delta), sum(reserved_delta), max(occurred_at)"
        " from stock_ledger group by all"
    )


def lake_after_the_next_day(data_dir: Path) -> None:
    con = build_lake(data_dir, ORDERS + NEXT_DAY)
    amend_first_order(con)
    con.execute("update customers set tier = 'gold' where customer_code = 'C-NORTH'")
    write_lake(con, data_dir / "lake" / "oms")
    con.close()


@dataclass
class Builds:
    incremental: Build  # built on the first three orders, then again after SO-4 was added
    full: Build  # built once on all four orders


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    at_once = tmp_path_factory.mktemp("full")
    lake_after_the_next_day(at_once)
    with ThreadPoolExecutor(max_workers=1) as beside:  # the full refresh builds while the stepwise runs do
        full = beside.submit(dbt_build, at_once, command="run")
        stepwise = tmp_path_factory.mktemp("incremental")
        build_lake(stepwise, ORDERS).close()
        first = dbt_build(stepwise, command="run")  # models only: the tests run with the second build
        assert first.success, first.failed()
        lake_after_the_next_day(stepwise)
        incremental = dbt_build(stepwise)
        yield Builds(incremental, full.result())


def rows(build: Build, query: str) -> list[tuple[object, ...]]:
    with build.warehouse() as con:
        return con.execute(query).fetchall()


def health(build: Build, stock_level_id: str) -> dict[str, object]:
    with build.warehouse() as con:
        cursor = con.execute("select * from mart_inventory_health where stock_level_id = ?", [stock_level_id])
        names = [column[0] for column in cursor.description]
        row = cursor.fetchone()
    assert row is not None
    return dict(zip(names, row, strict=True))


def test_an_incremental_build_with_the_decision_marts_passes_every_test(builds: Builds) -> None:
    assert builds.incremental.success, builds.incremental.failed()
    unit_tests = {node.split(".")[2] for node in builds.incremental.statuses if node.startswith("unit_test.")}
    assert {
        "mart_inventory_health", "mart_customer_rfm", "mart_customer_cohorts", "dim_products", "mart_category_affinity",
    } <= unit_tests  # fmt: skip
    assert set(builds.incremental.statuses.values()) <= {"pass", "success"}


@pytest.mark.parametrize(("model", "key"), INCREMENTAL_MODELS.items())
def test_an_incremental_run_gives_the_same_rows_as_a_full_refresh(builds: Builds, model: str, key: str) -> None:
    # both lakes number their ledger entries alike; loaded_at is when a run wrote the line, so it differs
    columns = "* exclude (loaded_at)" if model in STAMPED_MODELS else "*"
    query = f"select {columns} from {model} order by {key}"
    assert rows(builds.incremental, query) == rows(builds.full, query)
    assert rows(builds.incremental, f"select count(*) from {model}")[0][0] > 0


def test_the_incremental_run_added_the_new_day_for_every_stock_level(builds: Builds) -> None:
    last_days = rows(builds.incremental, "select stock_level_id, max(stock_date) from fct_daily_stock group by all")
    assert {day for _, day in last_days} == {date(2026, 4, 2)}


def test_daily_stock_carries_each_days_closing_balance_forward(builds: Builds) -> None:
    gz = rows(
        builds.full,
        "select stock_date, on_hand, units_out from fct_daily_stock where stock_level_id = 'GZ:LAMP-LED-9W'"
        " and stock_date >= '2026-03-31' order by stock_date",
    )
    assert gz == [(date(2026, 3, 31), 20, 0), (date(2026, 4, 1), 10, 10), (date(2026, 4, 2), 2, 8)]
    days = rows(builds.full, "select count(*) from fct_daily_stock where stock_level_id = 'SH:BOLT-M8'")
    assert days == [(92,)]  # 1 January to 2 April


def test_a_short_stock_level_is_at_risk_with_a_reorder_suggestion(builds: Builds) -> None:
    # 18 lamps in 90 days = 0.2 a day; reorder point ceil(0.2 x 14) + ceil(0.2 x 7) = 3 + 2 = 5 >= 2 available
    gz = health(builds.full, "GZ:LAMP-LED-9W")
    assert (gz["available"], gz["average_daily_demand"], gz["days_of_supply"]) == (
        2,
        Decimal("0.2000"),
        Decimal("10.0"),
    )
    assert (gz["stock_status"], gz["reorder_point"], gz["suggested_reorder_qty"]) == ("stock-out risk", 5, 9)


def test_stock_for_years_of_demand_is_excess(builds: Builds) -> None:
    bolts = health(builds.full, "SH:BOLT-M8")  # 880 available against 120 bolts in 90 days: 660 days
    assert (bolts["stock_status"], bolts["days_of_supply"], bolts["suggested_reorder_qty"]) == (
        "excess", Decimal("660.0"), 0,
    )  # fmt: skip


def test_products_are_classed_by_their_share_of_revenue(builds: Builds) -> None:
    classes = rows(builds.full, "select sku, lifetime_revenue, abc_class from dim_products order by sku")
    assert classes == [("BOLT-M8", Decimal("30.00"), "B"), ("LAMP-LED-9W", Decimal("219.30"), "A")]


def test_the_second_run_read_only_the_orders_changed_since_the_first(builds: Builds) -> None:
    compiled = builds.incremental.data_dir / "dbt_target" / "compiled" / "oms_analytics" / "models" / "marts"
    assert "anti join" in (compiled / "fct_order_lines.sql").read_text()
    assert "anti join" in (compiled / "fct_orders.sql").read_text()
    assert "where loaded_at >" in (compiled / "mart_sales_lines.sql").read_text()


def test_after_an_incremental_run_the_line_tests_read_the_lines_it_wrote_and_the_key_test_reads_all(
    builds: Builds,
) -> None:
    tests = builds.incremental.data_dir / "dbt_target" / "compiled" / "oms_analytics" / "models" / "marts"
    scope = "where (loaded_at = (select max(loaded_at) from fct_order_lines))"
    assert scope in (tests / "_marts__models.yml" / "not_null_fct_order_lines_sku.sql").read_text()
    key_scope = "where (order_line_id in (select order_line_id from"  # every row with a key the run wrote
    assert key_scope in (tests / "_marts__models.yml" / "unique_fct_order_lines_order_line_id.sql").read_text()


def test_a_duplicate_key_pairing_a_line_the_run_wrote_with_an_older_one_fails_the_key_test(
    builds: Builds, tmp_path: Path
) -> None:
    copy = tmp_path / "data"
    shutil.copytree(builds.incremental.data_dir, copy, ignore=shutil.ignore_patterns("dbt_target", "dbt_logs"))
    with duckdb.connect(str(copy / "warehouse.duckdb")) as con:  # SO-4-1 again, as if an earlier run wrote it
        con.execute(
            "insert into fct_order_lines select * replace (loaded_at - interval 1 day as loaded_at)"
            " from fct_order_lines where order_line_id = 'SO-4-1'"
        )

    key_test = dbt_build(copy, "--select", "fct_order_lines,test_name:unique", command="test")

    assert {node.split(".")[2] for node in key_test.failed()} == {"unique_fct_order_lines_order_line_id"}


def test_an_amended_order_keeps_only_its_new_lines_after_an_incremental_run(builds: Builds) -> None:
    lines = rows(
        builds.incremental,
        "select order_line_id, quantity, revenue, order_updated_at from fct_order_lines where order_number = 'SO-1'",
    )
    assert lines == [("SO-1-1", 120, Decimal("30.00"), AMENDED_AT)]


def test_a_customers_reorder_interval_comes_from_the_days_between_orders(builds: Builds) -> None:
    customers = rows(
        builds.full,
        "select customer_code, frequency, lifetime_value, usual_reorder_interval_days, is_churn_risk"
        " from mart_customer_rfm order by customer_code",
    )
    assert customers == [
        ("C-ACME", 1, Decimal("30.00"), None, False),
        ("C-NORTH", 2, Decimal("219.30"), Decimal("1.0"), False),
    ]


def test_cohorts_list_every_month_since_the_first_order(builds: Builds) -> None:
    cohorts = rows(
        builds.full,
        "select cohort_month, months_since_first_order, active_customers, retention_rate from mart_customer_cohorts"
        " order by cohort_month, months_since_first_order",
    )
    assert cohorts == [
        (date(2026, 3, 1), 0, 1, Decimal("1.0000")),
        (date(2026, 3, 1), 1, 0, Decimal("0.0000")),
        (date(2026, 4, 1), 0, 1, Decimal("1.0000")),
    ]


def test_stock_levels_that_disagree_with_the_ledger_fail_the_daily_stock_reconciliation(tmp_path: Path) -> None:
    con = build_lake(tmp_path)
    con.execute("update stock_levels set on_hand = on_hand + 5 where sku = 'BOLT-M8'")
    write_lake(con, tmp_path / "lake" / "oms")

    build = dbt_build(tmp_path, "--select", "+daily_stock_on_its_last_day_equals_stock_levels")

    assert "test.oms_analytics.daily_stock_on_its_last_day_equals_stock_levels" in build.failed()


def test_the_calendar_knows_iso_weeks_last_year_and_the_spring_festival(builds: Builds) -> None:
    days = rows(
        builds.full,
        "select date_day, iso_year_week, week_start, same_day_last_year, is_chinese_new_year, is_spring_festival"
        " from dim_dates where date_day in ('2025-12-29', '2026-02-15', '2026-02-17', '2026-02-24')"
        " order by date_day",
    )
    assert days == [
        (date(2025, 12, 29), "2026-W01", date(2025, 12, 29), date(2024, 12, 29), False, False),
        (date(2026, 2, 15), "2026-W07", date(2026, 2, 9), date(2025, 2, 15), False, False),
        (date(2026, 2, 17), "2026-W08", date(2026, 2, 16), date(2025, 2, 17), True, True),
        (date(2026, 2, 24), "2026-W09", date(2026, 2, 23), date(2025, 2, 24), False, False),
    ]
    assert rows(builds.full, "select min(date_day), max(date_day) from dim_dates") == [
        (date(2025, 1, 1), date(2026, 12, 31))
    ]


def test_warehouses_carry_their_region_and_stock(builds: Builds) -> None:
    warehouses = rows(builds.full, "select warehouse_code, region, on_hand, reserved from dim_warehouses order by 1")
    assert warehouses == [("GZ", "South", 2, 0), ("SH", "East", 1050, 120)]


def test_sold_lines_carry_the_customers_region_and_tier_and_the_products_category(builds: Builds) -> None:
    lines = rows(
        builds.full,
        "select order_line_id, sales_date, week_start, month_start, channel, region, tier, category, revenue"
        " from mart_sales_lines order by order_line_id",
    )
    assert lines == [  # SO-3 was cancelled
        ("SO-1-1", date(2026, 3, 31), date(2026, 3, 30), date(2026, 3, 1), "manual", "East", "standard", "hardware",
         Decimal("30.00")),
        ("SO-2-1", date(2026, 4, 1), date(2026, 3, 30), date(2026, 4, 1), "edi", "South", "gold", "lighting",
         Decimal("116.10")),
        ("SO-4-1", date(2026, 4, 2), date(2026, 3, 30), date(2026, 4, 1), "edi", "South", "gold", "lighting",
         Decimal("103.20")),
    ]  # fmt: skip
