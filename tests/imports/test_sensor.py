"""The Dagster path: the inbox sensor waits for complete files; the job imports one and moves it aside."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from pipelines.defs.ingest.inbox import RETRIES, complete_files, files_waiting, next_run_key
from pipelines.defs.ingest.jobs import import_channel_file_job
from pipelines.defs.ingest.sensors import inbox_sensor
from pipelines.defs.oms.resources import DataFolderResource, OmsResource
from tests.conftest import RunningServer
from tests.imports.conftest import csv_feed, external_refs, write


@pytest.fixture
def inbox(tmp_path: Path, channel: str) -> Path:
    folder = tmp_path / "inbox" / channel
    folder.mkdir(parents=True)
    return folder


def run_job(server: RunningServer, data_dir: Path, path: Path, channel: str) -> dg.ExecuteInProcessResult:
    return import_channel_file_job.execute_in_process(
        run_config={"ops": {"import_order_file": {"config": {"path": str(path), "channel": channel}}}},
        resources={
            "oms": OmsResource(base_url=server.base_url, api_key=server.api_key),
            "data_folder": DataFolderResource(data_dir=str(data_dir)),
        },
        raise_on_error=False,
    )


def test_a_file_is_complete_once_its_size_stayed_the_same_for_a_tick(inbox: Path) -> None:
    path = write(inbox, "growing.csv", csv_feed("S-1,2026-03-01,C-ACME,BOLT-M8,1,,"))
    first, cursor = complete_files(inbox.parent, None)
    with path.open("a") as still_writing:
        still_writing.write("S-2,2026-03-01,C-ACME,BOLT-M8,1,,\n")
    second, cursor = complete_files(inbox.parent, cursor)

    third, _ = complete_files(inbox.parent, cursor)

    assert (first, second, [f.path for f in third]) == ([], [], [path])


def test_the_sensor_asks_for_one_run_per_complete_file(inbox: Path, channel: str) -> None:
    write(inbox, "a.csv", csv_feed("S-1,2026-03-01,C-ACME,BOLT-M8,1,,"))
    write(inbox, "b.jsonl", "")
    resources = {"data_folder": DataFolderResource(data_dir=str(inbox.parent.parent))}
    first = inbox_sensor(dg.build_sensor_context(resources=resources))

    second = inbox_sensor(dg.build_sensor_context(cursor=first.cursor, resources=resources))

    assert first.run_requests == []
    assert sorted(r.tags["file"] for r in second.run_requests) == ["a.csv", "b.jsonl"]
    assert {r.tags["channel"] for r in second.run_requests} == {channel}


def test_the_job_imports_the_file_moves_it_to_processed_and_records_the_summary(
    shared_shop: RunningServer, inbox: Path, channel: str
) -> None:
    path = write(inbox, "feed.csv", csv_feed("S-1,2026-03-01,C-ACME,BOLT-M8,1,,", "S-2,2026-03-01,C-X,BOLT-M8,1,,"))

    result = run_job(shared_shop, inbox.parent.parent, path, channel)

    assert result.success
    assert not path.exists() and (inbox / "processed" / "feed.csv").exists()
    [materialization] = result.asset_materializations_for_node("import_order_file")
    assert materialization.asset_key == dg.AssetKey(["imports", channel])
    assert {k: materialization.metadata[k].value for k in ("rows", "orders_created", "quarantined")} == {
        "rows": 2,
        "orders_created": 1,
        "quarantined": 1,
    }
    assert external_refs(shared_shop, channel) == ["S-1"]


def test_a_file_the_server_refuses_whole_moves_to_failed_and_fails_the_run(
    shared_shop: RunningServer, inbox: Path, channel: str
) -> None:
    path = write(inbox, "short.csv", "external_order_id,sku\nS-1,BOLT-M8\n")

    result = run_job(shared_shop, inbox.parent.parent, path, channel)

    assert not result.success
    assert (inbox / "failed" / "short.csv").exists() and not path.exists()


def test_an_empty_file_moves_to_failed(shared_shop: RunningServer, inbox: Path, channel: str) -> None:
    path = write(inbox, "empty.csv", "")

    result = run_job(shared_shop, inbox.parent.parent, path, channel)

    assert not result.success
    assert (inbox / "failed" / "empty.csv").exists()


def test_a_second_file_of_the_same_name_is_kept_beside_the_first(
    shared_shop: RunningServer, inbox: Path, channel: str
) -> None:
    for _ in range(2):
        run_job(
            shared_shop,
            inbox.parent.parent,
            write(inbox, "daily.csv", csv_feed("S-9,2026-03-01,C-ACME,BOLT-M8,1,,")),
            channel,
        )

    assert len(list((inbox / "processed").iterdir())) == 2


def test_a_file_whose_run_failed_but_stayed_in_the_inbox_is_tried_again(inbox: Path) -> None:
    path = write(inbox, "a.csv", csv_feed("S-1,2026-03-01,C-ACME,BOLT-M8,1,,"))
    file = files_waiting(inbox.parent)[0]

    assert (next_run_key(file, []), next_run_key(file, [True])) == (file.run_key, f"{file.run_key}#retry1")
    assert file.path == path


def test_a_file_is_not_tried_again_while_its_run_is_under_way_or_done(inbox: Path) -> None:
    write(inbox, "a.csv", csv_feed("S-1,2026-03-01,C-ACME,BOLT-M8,1,,"))
    file = files_waiting(inbox.parent)[0]

    assert next_run_key(file, [True, False]) is None


def test_a_file_that_keeps_failing_is_left_after_a_few_retries(inbox: Path) -> None:
    write(inbox, "a.csv", csv_feed("S-1,2026-03-01,C-ACME,BOLT-M8,1,,"))
    file = files_waiting(inbox.parent)[0]

    assert next_run_key(file, [True] * (RETRIES + 1)) is None


def test_the_sensor_asks_again_for_a_file_whose_run_failed(inbox: Path, channel: str) -> None:
    write(inbox, "a.csv", csv_feed("S-1,2026-03-01,C-ACME,BOLT-M8,1,,"))
    resources = {"data_folder": DataFolderResource(data_dir=str(inbox.parent.parent))}
    with dg.instance_for_test() as instance:
        first = inbox_sensor(dg.build_sensor_context(resources=resources, instance=instance))
        second = inbox_sensor(dg.build_sensor_context(cursor=first.cursor, resources=resources, instance=instance))
        request = second.run_requests[0]
        instance.add_run(
            dg.DagsterRun(
                job_name="import_channel_file", run_id="r1", status=dg.DagsterRunStatus.FAILURE, tags=request.tags
            )
        )

        third = inbox_sensor(dg.build_sensor_context(cursor=second.cursor, resources=resources, instance=instance))

    assert [r.run_key for r in third.run_requests] == [f"{request.run_key}#retry1"]
