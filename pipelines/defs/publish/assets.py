"""Publishing the marts: a finished copy of the mart tables swapped into marts.duckdb in one step."""

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
from dagster import AssetExecutionContext

from pipelines.defs.dbt.assets import MART_MODELS
from pipelines.defs.oms.assets import table_key
from pipelines.defs.oms.resources import DataFolderResource

PUBLISH_GROUP = "publish"
# The marts of the sales page (MART_MODELS) and those of the Inventory and Customers pages.
PUBLISHED_MARTS = (
    *MART_MODELS,
    "fct_stock_movements",
    "fct_daily_stock",
    "mart_inventory_health",
    "mart_customer_rfm",
    "mart_customer_cohorts",
    # dimensions and the sales marts behind the Sales page's filters, drill-down and basket affinity
    "dim_warehouses",
    "dim_dates",
    "mart_sales_lines",
    "mart_category_affinity",
)


def sql_text(value: Path) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def publish_marts(
    warehouse_db: Path,
    marts_db: Path,
    snapshot_taken_at: datetime | None,
    published_at: datetime,
    tables: tuple[str, ...] = PUBLISHED_MARTS,
) -> dict[str, int]:
    """Copy `tables` from the warehouse into a new file beside marts_db, then os.replace it; returns row counts.

    Readers holding the old file keep reading it; the next open sees the new one. Nothing half-written is
    ever visible under the final name.
    """
    temporary = marts_db.with_name(f".{marts_db.stem}-{uuid.uuid4().hex}.duckdb")
    counts: dict[str, int] = {}
    try:
        with duckdb.connect(str(temporary)) as con:
            con.execute(f"attach {sql_text(warehouse_db)} as warehouse (read_only)")
            for table in tables:  # names from the constant above, never from a caller
                con.execute(f"create table {table} as select * from warehouse.main.{table}")
                row = con.execute(f"select count(*) from {table}").fetchone()
                counts[table] = int(row[0]) if row else 0
            con.execute("detach warehouse")
            con.execute("create table publish_info (published_at timestamptz, snapshot_taken_at timestamptz)")
            con.execute("insert into publish_info values (?, ?)", [published_at, snapshot_taken_at])
        os.replace(temporary, marts_db)
    finally:
        temporary.unlink(missing_ok=True)
        temporary.with_name(temporary.name + ".wal").unlink(missing_ok=True)
    return counts


def latest_snapshot_time(instance: dg.DagsterInstance) -> datetime | None:
    """When the snapshot the marts were built from was taken, as the oms/orders asset recorded it."""
    event = instance.get_latest_materialization_event(table_key("orders"))
    materialization = event.asset_materialization if event else None
    taken_at = materialization.metadata.get("snapshot_taken_at") if materialization else None
    if taken_at is None or not isinstance(taken_at.value, (int, float)):
        return None
    return datetime.fromtimestamp(taken_at.value, UTC)


@dg.asset(deps=[dg.AssetKey(table) for table in PUBLISHED_MARTS], group_name=PUBLISH_GROUP, kinds={"duckdb"})
def marts_publish(context: AssetExecutionContext, data_folder: DataFolderResource) -> dg.MaterializeResult:
    """Publish the mart tables to marts.duckdb, the read-only file the decision dashboards open."""
    published_at = datetime.now(UTC)
    snapshot_taken_at = latest_snapshot_time(context.instance)
    counts = publish_marts(data_folder.warehouse_db, data_folder.marts_db, snapshot_taken_at, published_at)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(data_folder.marts_db)),
            "published_at": dg.MetadataValue.timestamp(published_at),
            **({"snapshot_taken_at": dg.MetadataValue.timestamp(snapshot_taken_at)} if snapshot_taken_at else {}),
            **{f"rows/{table}": rows for table, rows in counts.items()},
        }
    )
