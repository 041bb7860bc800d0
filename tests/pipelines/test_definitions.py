"""The whole Dagster Definitions loads, and its shape is a reviewed snapshot: a rename shows up here."""

from __future__ import annotations

import json

import dagster as dg

from pipelines.definitions import defs
from pipelines.defs.dbt.assets import HOURLY_TESTS, TESTS_TAG, build_args
from pipelines.defs.oms.resources import DataFolderResource

SNAPSHOT = {
    "oms/customers": "oms_snapshot",
    "oms/approval_requests": "oms_snapshot",
    "oms/order_events": "oms_snapshot",
    "oms/order_versions": "oms_snapshot",
    "oms/order_lines": "oms_snapshot",
    "oms/orders": "oms_snapshot",
    "oms/payments": "oms_snapshot",
    "oms/products": "oms_snapshot",
    "oms/refunds": "oms_snapshot",
    "oms/shipment_lines": "oms_snapshot",
    "oms/shipments": "oms_snapshot",
    "oms/stock_alerts": "oms_snapshot",
    "oms/stock_ledger": "oms_snapshot",
    "oms/stock_policies": "oms_snapshot",
    "oms/transfer_lines": "oms_snapshot",
    "oms/transfers": "oms_snapshot",
    "oms/stock_levels": "oms_snapshot",
    "oms/warehouses": "oms_snapshot",
    "stg_oms__customers": "staging",
    "stg_oms__approval_requests": "staging",
    "stg_oms__order_events": "staging",
    "stg_oms__order_versions": "staging",
    "stg_oms__order_lines": "staging",
    "stg_oms__orders": "staging",
    "stg_oms__payments": "staging",
    "stg_oms__products": "staging",
    "stg_oms__refunds": "staging",
    "stg_oms__shipment_lines": "staging",
    "stg_oms__shipments": "staging",
    "stg_oms__stock_alerts": "staging",
    "stg_oms__stock_ledger_entries": "staging",
    "stg_oms__stock_policies": "staging",
    "stg_oms__transfer_lines": "staging",
    "stg_oms__transfers": "staging",
    "stg_oms__stock_levels": "staging",
    "stg_oms__warehouses": "staging",
    "dim_customers": "marts",
    "dim_products": "marts",
    "fct_order_lines": "marts",
    "fct_orders": "marts",
    "mart_sales_daily": "marts",
    "fct_stock_movements": "marts",
    "fct_daily_stock": "marts",
    "mart_inventory_health": "marts",
    "mart_customer_rfm": "marts",
    "mart_customer_cohorts": "marts",
    "dim_warehouses": "marts",
    "dim_dates": "marts",
    "mart_sales_lines": "marts",
    "mart_category_affinity": "marts",
    "int_inventory_positions": "intermediate",
    "marts_publish": "publish",
    "planning_writeback": "writeback",
}


def test_the_definitions_load():
    dg.Definitions.validate_loadable(defs)


def test_assets_and_their_groups_match_the_snapshot():
    graph = defs.resolve_asset_graph()
    assert {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()} == SNAPSHOT


def test_the_dbt_sources_hang_off_the_snapshot_assets_so_lineage_is_one_graph():
    graph = defs.resolve_asset_graph()
    assert graph.get(dg.AssetKey("stg_oms__orders")).parent_keys == {dg.AssetKey(["oms", "orders"])}
    assert graph.get(dg.AssetKey("marts_publish")).parent_keys == {
        dg.AssetKey(model)
        for model in (
            *("fct_order_lines", "fct_orders", "dim_customers", "dim_products", "mart_sales_daily"),
            *("fct_stock_movements", "fct_daily_stock", "mart_inventory_health"),
            *("mart_customer_rfm", "mart_customer_cohorts"),
            *("dim_warehouses", "dim_dates", "mart_sales_lines", "mart_category_affinity"),
        )
    }


def test_the_refresh_job_refreshes_every_asset_and_runs_hourly():
    jobs = {job.name for job in defs.resolve_all_job_defs() if not job.name.startswith("__")}
    assert jobs == {"refresh_marts", "import_channel_file"}
    refresh = defs.resolve_job_def("refresh_marts")
    assert refresh.asset_layer.selected_asset_keys == defs.resolve_asset_graph().get_all_asset_keys()
    schedule = defs.resolve_schedule_def("refresh_marts_hourly")
    assert (schedule.job_name, schedule.cron_schedule) == ("refresh_marts", "5 * * * *")


def test_dbt_tests_and_the_reconciliation_are_asset_checks():
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert "published_orders_match_snapshot" in checks
    assert "unique_fct_orders_order_number" in checks
    assert "expression_is_true_fct_orders_total_revenue_tax" in checks


def test_the_inbox_sensor_starts_channel_imports():
    assert defs.resolve_sensor_def("inbox_sensor").job_name == "import_channel_file"


def test_the_hourly_refresh_leaves_the_whole_history_tests_to_the_nightly_refresh():
    hourly = defs.resolve_schedule_def("refresh_marts_hourly")
    nightly = defs.resolve_schedule_def("refresh_marts_nightly")
    assert (nightly.job_name, nightly.cron_schedule) == ("refresh_marts", "35 3 * * *")
    assert hourly.tags == {TESTS_TAG: HOURLY_TESTS}
    assert TESTS_TAG not in nightly.tags
    assert build_args(DataFolderResource(data_dir="/data"), every_test=False)[-4:] == [
        "--exclude", "tag:whole_history", "--exclude-resource-type", "unit_test",
    ]  # fmt: skip
    every = build_args(DataFolderResource(data_dir="/data"))
    assert "--exclude" not in every
    assert json.loads(every[every.index("--vars") + 1]) == {"data_dir": "/data", "test_every_row": True}
