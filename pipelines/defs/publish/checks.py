"""Reconciliation: the published marts hold the orders of the snapshot they were built from."""

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.defs.oms.resources import DataFolderResource
from pipelines.defs.publish.assets import marts_publish, sql_text


@dataclass(frozen=True)
class OrderCounts:
    snapshot_orders: int
    snapshot_sold_orders: int  # not cancelled and with at least one line
    published_orders: int
    published_sold_orders: int

    @property
    def reconciled(self) -> bool:
        return self.snapshot_orders == self.published_orders and self.snapshot_sold_orders == self.published_sold_orders


def count_orders(lake_dir: Path, marts_db: Path) -> OrderCounts:
    orders = sql_text(lake_dir / "orders.parquet")
    lines = sql_text(lake_dir / "order_lines.parquet")
    with duckdb.connect() as con:
        row = con.execute(
            f"select (select count(*) from read_parquet({orders})),"
            f" (select count(*) from read_parquet({orders}) o where o.status <> 'cancelled'"
            f"  and exists (select 1 from read_parquet({lines}) l where l.order_number = o.order_number))"
        ).fetchone()
    with duckdb.connect(str(marts_db), read_only=True) as con:
        published = con.execute(
            "select (select count(*) from fct_orders), (select coalesce(sum(orders), 0) from mart_sales_daily)"
        ).fetchone()
    assert row is not None and published is not None
    return OrderCounts(int(row[0]), int(row[1]), int(published[0]), int(published[1]))


@dg.asset_check(asset=marts_publish, description="Orders in the snapshot = orders in the published marts.")
def published_orders_match_snapshot(data_folder: DataFolderResource) -> dg.AssetCheckResult:
    counts = count_orders(data_folder.lake_dir, data_folder.marts_db)
    return dg.AssetCheckResult(
        passed=counts.reconciled,
        metadata={
            "snapshot_orders": counts.snapshot_orders,
            "published_orders (fct_orders)": counts.published_orders,
            "snapshot_sold_orders": counts.snapshot_sold_orders,
            "published_sold_orders (mart_sales_daily)": counts.published_sold_orders,
        },
    )
