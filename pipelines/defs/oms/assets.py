"""The oms snapshot: the server copies its tables to Parquet; one asset per table, named by the table."""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
from dagster import AssetExecutionContext

from oms_ops.services.snapshot import SNAPSHOT_TABLES
from pipelines.defs.oms.resources import DataFolderResource, OmsResource

SNAPSHOT_GROUP = "oms_snapshot"


def table_key(table: str) -> dg.AssetKey:
    """The key dbt gives source('oms', table), so the dbt models hang off these assets."""
    return dg.AssetKey(["oms", table])


class SnapshotMismatch(Exception):
    """The server wrote its snapshot somewhere else than the folder dbt reads."""


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            table_key(table),
            group_name=SNAPSHOT_GROUP,
            description=f"Parquet copy of the oms `{table}` table, written by the server's snapshot.",
            kinds={"parquet"},
        )
        for table in SNAPSHOT_TABLES
    ],
    can_subset=False,
)
def oms_snapshot(
    context: AssetExecutionContext, oms: OmsResource, data_folder: DataFolderResource
) -> Iterator[dg.MaterializeResult]:
    """Ask the oms server for one consistent snapshot of its tables, written as Parquet into the lake."""
    with oms.client() as client:
        result = client.snapshot()
    written = {table.table: table for table in result.tables}
    missing = sorted(set(SNAPSHOT_TABLES) - set(written))
    if missing:
        raise SnapshotMismatch(f"The server's snapshot did not write {', '.join(missing)}.")
    for table in SNAPSHOT_TABLES:
        path = Path(written[table].path).resolve()
        if path.parent != data_folder.lake_dir:
            raise SnapshotMismatch(
                f"The server wrote {path}, but dbt reads {data_folder.lake_dir}: check OMS_DATA_DIR."
            )
        yield dg.MaterializeResult(
            asset_key=table_key(table),
            metadata={
                "dagster/row_count": written[table].rows,
                "path": dg.MetadataValue.path(str(path)),
                "snapshot_taken_at": dg.MetadataValue.timestamp(result.taken_at),
            },
        )
    context.log.info("Snapshot taken at %s: %s", result.taken_at, {t: written[t].rows for t in SNAPSHOT_TABLES})
