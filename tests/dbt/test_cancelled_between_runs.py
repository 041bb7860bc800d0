"""An order cancelled between two incremental runs: it leaves the sold lines, and the customer's orders are
numbered again, exactly as a full refresh of the same snapshot has them.

The lake of tests/dbt/lake.py plus a later order SO-5 of C-ACME (its second) is built; then SO-1 (C-ACME, paid,
its first order) is cancelled (reservations released, updated_at moved on). SO-5 itself does not change, yet it
becomes C-ACME's first order once SO-1 no longer counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from tests.dbt.conftest import Build, dbt_build
from tests.dbt.lake import ORDERS, Line, Order, build_lake, ledger, write_lake

CANCELLED_AT = datetime(2026, 4, 2, 1, tzinfo=UTC)
LATER = (Order("SO-5", "C-ACME", "manual", "paid", datetime(2026, 4, 2, 2, tzinfo=UTC), (Line("BOLT-M8", "SH", 10),)),)
MODELS = "+mart_sales_lines +fct_orders"


def cancel_the_first_order(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("update orders set status = 'cancelled', updated_at = ? where order_number = 'SO-1'", [CANCELLED_AT])
    ledger(con, CANCELLED_AT, "SH", "BOLT-M8", "release", 0, -100, "SO-1")
    ledger(con, CANCELLED_AT, "SH", "LAMP-LED-9W", "release", 0, -2, "SO-1")
    con.execute("delete from stock_levels")
    con.execute(
        "insert into stock_levels (warehouse_code, sku, on_hand, reserved, updated_at)"
        " select warehouse_code, sku, sum(on_hand_delta), sum(reserved_delta), max(occurred_at)"
        " from stock_ledger group by all"
    )


def lake_after_the_cancellation(data_dir: Path) -> None:
    con = build_lake(data_dir, ORDERS + LATER)
    cancel_the_first_order(con)
    write_lake(con, data_dir / "lake" / "oms")
    con.close()


@dataclass
class Builds:
    incremental: Build
    full: Build


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    at_once = tmp_path_factory.mktemp("full")
    lake_after_the_cancellation(at_once)
    with ThreadPoolExecutor(max_workers=1) as beside:
        full = beside.submit(dbt_build, at_once, "--select", MODELS, command="run")
        stepwise = tmp_path_factory.mktemp("incremental")
        build_lake(stepwise, ORDERS + LATER).close()
        first = dbt_build(stepwise, "--select", MODELS, command="run")
        assert first.success, first.failed()
        lake_after_the_cancellation(stepwise)
        second = dbt_build(stepwise, "--select", MODELS, command="run")
        assert second.success, second.failed()
        yield Builds(second, full.result())


def rows(build: Build, query: str) -> list[tuple[object, ...]]:
    with build.warehouse() as con:
        return con.execute(query).fetchall()


def test_an_order_cancelled_between_two_runs_leaves_the_sold_lines(builds: Builds) -> None:
    sold = rows(builds.incremental, "select distinct order_number from mart_sales_lines order by 1")
    assert sold == [("SO-2",), ("SO-5",)]


def test_after_a_cancellation_the_customers_next_order_is_numbered_first(builds: Builds) -> None:
    acme = rows(
        builds.incremental,
        "select order_number, customer_order_seq, is_first_order from fct_orders"
        " where customer_code = 'C-ACME' order by order_number",
    )
    assert acme == [("SO-1", None, False), ("SO-3", None, False), ("SO-5", 1, True)]


@pytest.mark.parametrize(("model", "key"), [("mart_sales_lines", "order_line_id"), ("fct_orders", "order_number")])
def test_after_a_cancellation_the_incremental_run_equals_a_full_refresh(builds: Builds, model: str, key: str) -> None:
    query = f"select * exclude (loaded_at) from {model} order by {key}"
    assert rows(builds.incremental, query) == rows(builds.full, query)
