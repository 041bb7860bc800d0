"""The refresh of the marts: snapshot -> dbt build -> publish, every hour and on request."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.dbt.assets import HOURLY_TESTS, TESTS_TAG
from pipelines.defs.oms.assets import SNAPSHOT_TABLES, table_key

REFRESH_JOB = "refresh_marts"
# dagster.yaml limits runs with this tag to one at a time: two builds would fight over warehouse.duckdb.
WAREHOUSE_TAG = {"oms/warehouse": "refresh"}

refresh_marts = dg.define_asset_job(
    REFRESH_JOB,
    selection=dg.AssetSelection.assets(*(table_key(t) for t in SNAPSHOT_TABLES)).downstream(),
    description="Snapshot the oms tables, build and test the dbt models, publish marts.duckdb.",
    tags=WAREHOUSE_TAG,
    executor_def=dg.in_process_executor,  # the steps run one after another anyway; saves a process per step
)

hourly_refresh = dg.ScheduleDefinition(
    name="refresh_marts_hourly",
    job=refresh_marts,
    cron_schedule="5 * * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=(
        "Refresh the marts five minutes past every hour, with the dbt tests of what can change"
        " (the whole-history tests run nightly)."
    ),
    tags={TESTS_TAG: HOURLY_TESTS},
)

nightly_refresh = dg.ScheduleDefinition(
    name="refresh_marts_nightly",
    job=refresh_marts,
    cron_schedule="35 3 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Refresh the marts at 03:35 with every dbt test, the whole-history ones included.",
)
