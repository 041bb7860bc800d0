"""The marts computed by a real `dbt build` from a hand-made lake (see tests/dbt/lake.py for its story)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from tests.dbt.conftest import Build, dbt_build
from tests.dbt.lake import build_lake, write_lake


def daily(build: Build) -> dict[tuple[date, str], tuple[int, int, int, Decimal, Decimal, Decimal]]:
    with build.warehouse() as con:
        rows = con.execute(
            "select sales_date, channel, orders, order_lines, units, revenue, cost, margin from mart_sales_daily"
        ).fetchall()
    return {(row[0], row[1]): tuple(row[2:]) for row in rows}


def test_the_build_passes_every_data_test_and_unit_test(built):
    assert built.success, built.failed()
    unit_tests = [node for node in built.statuses if node.startswith("unit_test.")]
    assert len(unit_tests) >= 3
    assert set(built.statuses.values()) <= {"pass", "success"}


def test_a_days_sales_are_the_net_amounts_units_and_costs_of_its_lines(built):
    # SO-1: 100 bolts at 0.25 + 2 lamps at 12.90 = 50.80; cost 100 x 0.10 + 2 x 7.00 = 24.00
    assert daily(built)[(date(2026, 3, 31), "manual")] == (
        1, 2, 102, Decimal("50.80"), Decimal("24.00"), Decimal("26.80"),
    )  # fmt: skip


def test_an_order_placed_at_20_utc_is_sold_on_the_next_day_in_shanghai(built):
    # SO-2: 10 lamps at 12.90 less 10 % = 116.10; cost 10 x 7.00
    assert daily(built)[(date(2026, 4, 1), "edi")] == (
        1, 1, 10, Decimal("116.10"), Decimal("70.00"), Decimal("46.10"),
    )  # fmt: skip


def test_cancelled_orders_are_left_out_of_daily_sales(built):
    assert set(daily(built)) == {(date(2026, 3, 31), "manual"), (date(2026, 4, 1), "edi")}
    assert sum(day[0] for day in daily(built).values()) == 2  # SO-3 was cancelled


def test_order_facts_keep_cancelled_orders_flagged(built):
    with built.warehouse() as con:
        rows = con.execute(
            "select order_number, is_cancelled, revenue, customer_order_seq from fct_orders order by order_number"
        ).fetchall()
    assert rows == [
        ("SO-1", False, Decimal("50.80"), 1),
        ("SO-2", False, Decimal("116.10"), 1),
        ("SO-3", True, Decimal("64.50"), None),
    ]


def test_customer_and_product_dimensions_carry_lifetime_sales_and_stock(built):
    with built.warehouse() as con:
        customers = dict(con.execute("select customer_code, lifetime_revenue from dim_customers").fetchall())
        stock = con.execute("select sku, on_hand, reserved, available from dim_products order by sku").fetchall()
    assert customers == {"C-ACME": Decimal("50.80"), "C-NORTH": Decimal("116.10")}
    assert stock == [("BOLT-M8", 1000, 100, 900), ("LAMP-LED-9W", 60, 2, 58)]


def test_an_order_header_that_disagrees_with_its_lines_fails_the_build_and_stops_what_depends_on_it(tmp_path: Path):
    con = build_lake(tmp_path)
    con.execute("update orders set subtotal = subtotal + 1, total = total + 1 where order_number = 'SO-1'")
    write_lake(con, tmp_path / "lake" / "oms")

    build = dbt_build(tmp_path)

    assert not build.success
    assert {node.rsplit(".", 1)[0] for node in build.failed()} == {
        "test.oms_analytics.expression_is_true_fct_orders_total_revenue_tax"
    }
    assert build.statuses["model.oms_analytics.dim_customers"] == "skipped"
