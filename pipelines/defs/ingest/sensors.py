"""Watch data/inbox/<channel>/ and start one import run per complete new file."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.ingest.inbox import complete_files
from pipelines.defs.ingest.jobs import import_channel_file_job
from pipelines.defs.oms.resources import DataFolderResource


@dg.sensor(
    job=import_channel_file_job,
    minimum_interval_seconds=15,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="A file is imported once its size and time stayed the same between two ticks.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, data_folder: DataFolderResource) -> dg.SensorResult:
    ready, cursor = complete_files(data_folder.path / "inbox", context.cursor)
    requests = [
        dg.RunRequest(
            run_key=f.run_key,
            run_config={"ops": {"import_order_file": {"config": {"path": str(f.path), "channel": f.channel}}}},
            tags={"channel": f.channel, "file": f.path.name},
        )
        for f in ready
    ]
    return dg.SensorResult(run_requests=requests, cursor=cursor)
