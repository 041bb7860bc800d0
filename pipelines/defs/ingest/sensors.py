"""Watch data/inbox/<channel>/ and start one import run per complete new file."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.ingest.inbox import InboxFile, complete_files, next_run_key
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
    requests = []
    for f in ready:
        run_key = next_run_key(f, _earlier_runs_failed(context, f))
        if run_key is not None:
            requests.append(
                dg.RunRequest(
                    run_key=run_key,
                    run_config={"ops": {"import_order_file": {"config": {"path": str(f.path), "channel": f.channel}}}},
                    tags={"channel": f.channel, "file": f.path.name, FILE_TAG: f.run_key},
                )
            )
    return dg.SensorResult(run_requests=requests, cursor=cursor)


FILE_TAG = "oms/inbox_file"


def _earlier_runs_failed(context: dg.SensorEvaluationContext, file: InboxFile) -> list[bool]:
    """Per run already started for this file (same size and time), oldest first: did it fail?"""
    try:
        instance = context.instance
    except dg.DagsterInvariantViolationError:  # a bare test context has no instance: no history either
        return []
    runs = instance.get_runs(filters=dg.RunsFilter(tags={FILE_TAG: file.run_key}))
    return [run.status == dg.DagsterRunStatus.FAILURE for run in reversed(runs)]
