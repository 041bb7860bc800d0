"""The ways in: `oms load-master`, the HTTP API (admin or system only), and inbox/erp_<kind>/ through Dagster."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from oms_ops.client import Forbidden
from pipelines.defs.ingest.jobs import import_channel_file_job
from pipelines.defs.oms.resources import DataFolderResource, OmsResource
from tests.conftest import RunningServer
from tests.master_data.cli import run_cli
from tests.master_data.conftest import write


def oms(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    return run_cli(server, monkeypatch, capsys, "load-master", *args)


def test_oms_load_master_prints_the_summary_as_json(
    shop: RunningServer, tag: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "cust.csv", "customer_code,name", f"C-CLI{tag},CLI Co", ",Nameless")

    status, out, err = oms(shop, monkeypatch, capsys, "customers", str(path))

    assert status == 0, err
    summary = json.loads(out)
    assert {k: summary[k] for k in ("file", "rows", "created", "updated", "unchanged", "quarantined")} == {
        "file": "cust.csv",
        "rows": 2,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "quarantined": 1,
    }


def test_oms_load_master_dry_run_changes_nothing(
    shop: RunningServer, tag: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "cust.csv", "customer_code,name", f"C-DRY{tag},Dry Co")

    status, out, err = oms(shop, monkeypatch, capsys, "customers", str(path), "--dry-run")

    assert status == 0, err
    assert json.loads(out)["created"] == 1
    with shop.system_client() as client:
        assert client.customers(query=f"C-DRY{tag}") == []


def test_oms_load_master_of_a_file_missing_columns_names_them_and_fails(
    shop: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "count.csv", "warehouse,counted", "SH,3")

    status, _, err = oms(shop, monkeypatch, capsys, "stock-counts", str(path))

    assert status != 0
    assert "lacks the required column(s) sku" in err


def test_a_sales_clerk_may_not_load_master_data(shop: RunningServer, tag: str, tmp_path: Path) -> None:
    from oms_ops.adapters.erp import load_file

    path = write(tmp_path, "cust.csv", "customer_code,name", f"C-NO{tag},No Co")
    with shop.client_as("sales") as sales, pytest.raises(Forbidden):
        load_file(sales, path, "customers")


def test_an_unknown_kind_is_refused_naming_the_field(shop: RunningServer) -> None:
    response = httpx.post(
        f"{shop.base_url}/api/v1/master-data/suppliers",
        params={"file_name": "x.csv"},
        content=b"not parquet",
        headers={"Authorization": f"Bearer {shop.api_key}"},
    )

    assert response.status_code == 422
    assert response.json()["field"] == "kind"


def test_a_file_in_the_erp_customers_inbox_is_loaded_by_the_dagster_job_and_moved_aside(
    shop: RunningServer, tag: str, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox" / "erp_customers"
    inbox.mkdir(parents=True)
    path = write(inbox, "cust.csv", "customer_code,name", f"C-DAG{tag},Dagster Co")

    result = import_channel_file_job.execute_in_process(
        run_config={"ops": {"import_order_file": {"config": {"path": str(path), "channel": "erp_customers"}}}},
        resources={
            "oms": OmsResource(base_url=shop.base_url, api_key=shop.api_key),
            "data_folder": DataFolderResource(data_dir=str(tmp_path)),
        },
        raise_on_error=False,
    )

    assert result.success
    assert result.output_for_node("import_order_file")["created"] == 1
    assert (inbox / "processed" / "cust.csv").exists()
