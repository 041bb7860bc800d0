"""The refresh end to end against a real oms_ops server: orders placed through the API reach marts.duckdb."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines.defs.dbt import warm
from pipelines.defs.dbt.assets import HOURLY_TESTS, TESTS_TAG, oms_dbt_models
from pipelines.defs.dbt.resources import dbt_resource
from pipelines.defs.oms.assets import oms_snapshot
from pipelines.defs.oms.resources import DataFolderResource, OmsResource
from pipelines.defs.publish.assets import marts_publish
from pipelines.defs.publish.checks import published_orders_match_snapshot
from tests.conftest import RunningServer
from tests.pipelines.conftest import WarmDbt

pytestmark = pytest.mark.slow

WAREHOUSES = pl.DataFrame({"warehouse_code": ["SH"], "name": ["Shanghai DC"], "region": ["East"], "city": ["Shanghai"]})
PRODUCTS = pl.DataFrame(
    {
        "sku": ["BOLT-M8", "LAMP-LED-9W"],
        "name": ["Hex bolt M8 zinc", "LED lamp 9 W warm white"],
        "category": ["hardware", "lighting"],
        "unit": ["pcs", "pcs"],
        "list_price": ["0.25", "12.90"],
        "cost": ["0.10", "7.00"],
        "tax_rate": ["0.13", "0.13"],
        "gtin": ["6901234500011", "6901234500028"],
    }
)
CUSTOMERS = pl.DataFrame(
    {
        "customer_code": ["C-ACME", "C-NORTH"],
        "name": ["Acme Trading Co.", "Northwind Industrial Ltd."],
        "name_en": [None, None],
        "tier": ["standard", "key"],
        "region": ["East", "South"],
        "city": ["Shanghai", "Guangzhou"],
        "email": ["buyer@acme.example", None],
        "phone": [None, None],
        "gln": [None, None],
        "credit_limit": ["0", "50000"],
        "payment_terms_days": [0, 30],
    }
)


def load_shop(server: RunningServer) -> None:
    with server.system_client() as system:
        system.bulk_load("warehouses", WAREHOUSES)
        system.bulk_load("products", PRODUCTS)
        system.bulk_load("customers", CUSTOMERS)
        system.bulk_load(
            "stock_movements",
            pl.DataFrame(
                {
                    "occurred_at": [datetime.now(UTC)] * 2,
                    "warehouse_code": ["SH", "SH"],
                    "sku": ["BOLT-M8", "LAMP-LED-9W"],
                    "movement": ["receipt", "receipt"],
                    "on_hand_delta": [1000, 50],
                    "reserved_delta": [0, 0],
                    "order_number": [None, None],
                    "reason": ["opening stock", "opening stock"],
                },
                schema_overrides={"occurred_at": pl.Datetime("us", "UTC"), "order_number": pl.String},
            ),
        )


def test_a_refresh_publishes_the_orders_placed_through_the_server(server: RunningServer):
    load_shop(server)
    with server.system_client() as system:
        placed = [
            system.place_order("C-ACME", [{"sku": "BOLT-M8", "quantity": 100}, {"sku": "LAMP-LED-9W", "quantity": 2}]),
            system.place_order("C-NORTH", [{"sku": "LAMP-LED-9W", "quantity": 10}], channel="edi"),
            system.place_order("C-ACME", [{"sku": "LAMP-LED-9W", "quantity": 1}]),
        ]
    resources = {
        "oms": OmsResource(base_url=server.base_url, api_key=server.api_key),
        "data_folder": DataFolderResource(data_dir=str(server.data_dir)),
        "dbt": dbt_resource(),
    }

    started = time.monotonic()
    result = dg.materialize(
        [oms_snapshot, oms_dbt_models, marts_publish, published_orders_match_snapshot], resources=resources
    )
    print(f"materialize: {time.monotonic() - started:.1f} s")

    assert result.success
    assert all(check.passed for check in result.get_asset_check_evaluations())
    with duckdb.connect(str(server.data_dir / "marts.duckdb"), read_only=True) as marts:
        orders = marts.execute("select order_number, revenue from fct_orders order by order_number").fetchall()
        sales = marts.execute(
            "select channel, sum(orders), sum(units), sum(revenue) from mart_sales_daily group by channel"
        ).fetchall()
        info = marts.execute("select published_at, snapshot_taken_at from publish_info").fetchall()
    assert orders == sorted((order.order_number, order.subtotal) for order in placed)
    assert sorted(sales) == [
        ("edi", 1, 10, placed[1].subtotal),
        ("manual", 2, 103, placed[0].subtotal + placed[2].subtotal),
    ]
    assert placed[0].subtotal == Decimal("50.80")  # 100 x 0.25 + 2 x 12.90, at list price
    [(published_at, snapshot_taken_at)] = info
    assert snapshot_taken_at is not None and snapshot_taken_at <= published_at


def test_an_hourly_refresh_runs_the_mart_checks_and_leaves_the_whole_history_ones_to_the_nightly(
    server: RunningServer, warm_dbt: WarmDbt, monkeypatch: pytest.MonkeyPatch
):
    """Through the warm dbt, as under `oms up`: dagster-dbt reads its events as from dbt itself."""
    monkeypatch.setenv(warm.SOCKET_ENV, str(warm_dbt.socket))
    load_shop(server)
    with server.system_client() as system:
        system.place_order("C-ACME", [{"sku": "BOLT-M8", "quantity": 100}])
    resources = {
        "oms": OmsResource(base_url=server.base_url, api_key=server.api_key),
        "data_folder": DataFolderResource(data_dir=str(server.data_dir)),
        "dbt": dbt_resource(),
    }

    result = dg.materialize(
        [oms_snapshot, oms_dbt_models, marts_publish], resources=resources, tags={TESTS_TAG: HOURLY_TESTS}
    )

    assert result.success
    evaluations = result.get_asset_check_evaluations()
    checked = {evaluation.check_name for evaluation in evaluations}
    assert {"unique_fct_order_lines_order_line_id", "unique_mart_sales_lines_order_line_id"} <= checked
    assert not [e.check_name for e in evaluations if e.asset_key.to_user_string().startswith("stg_oms__")]
    assert "equals_sum_of_fct_orders_revenue__revenue__order_number__ref_fct_order_lines_" not in checked
    ran = [line.split(": ", 1)[1].split(" after")[0] for line in warm_dbt.commands_run()]
    assert ran[-1] == "dbt build exited 0"  # after dagster-dbt's `dbt --version`
