"""Everything Dagster loads: `dagster dev -m pipelines.definitions`."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.dbt.assets import oms_dbt_models
from pipelines.defs.dbt.resources import dbt_resource
from pipelines.defs.ingest.jobs import import_channel_file_job
from pipelines.defs.ingest.sensors import inbox_sensor
from pipelines.defs.oms.assets import oms_snapshot
from pipelines.defs.oms.resources import DataFolderResource, OmsResource
from pipelines.defs.publish.assets import marts_publish
from pipelines.defs.publish.checks import published_orders_match_snapshot
from pipelines.defs.publish.schedules import hourly_refresh, nightly_refresh, refresh_marts
from pipelines.defs.writeback.assets import planning_writeback


def resources() -> dict[str, object]:
    """Defaults from the OMS_ settings of the process; tests pass their own."""
    return {"oms": OmsResource(), "data_folder": DataFolderResource(), "dbt": dbt_resource()}


defs = dg.Definitions(
    assets=[oms_snapshot, oms_dbt_models, marts_publish, planning_writeback],
    asset_checks=[published_orders_match_snapshot],
    jobs=[refresh_marts, import_channel_file_job],
    schedules=[hourly_refresh, nightly_refresh],
    sensors=[inbox_sensor],
    resources=resources(),
)
