"""`oms import PATH --channel NAME [--dry-run]` prints the summary as JSON, through the sensor's code path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import RunningServer
from tests.imports.conftest import csv_feed, external_refs, write

FEED = csv_feed("CLI-1,2026-03-01,C-ACME,BOLT-M8,1,,", "CLI-2,2026-03-01,C-NOBODY,BOLT-M8,1,,")


def oms_import(server: RunningServer, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oms_ops.cli", "import", *args], env=server.env, capture_output=True, text=True
    )


def test_oms_import_prints_the_summary_as_json(shared_shop: RunningServer, channel: str, tmp_path: Path) -> None:
    result = oms_import(shared_shop, str(write(tmp_path, "cli.csv", FEED)), "--channel", channel)

    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert {
        k: summary[k] for k in ("file", "rows", "orders_created", "lines_created", "duplicates", "quarantined")
    } == {
        "file": "cli.csv",
        "rows": 2,
        "orders_created": 1,
        "lines_created": 1,
        "duplicates": 0,
        "quarantined": 1,
    }


def test_oms_import_dry_run_changes_nothing(shared_shop: RunningServer, channel: str, tmp_path: Path) -> None:
    result = oms_import(shared_shop, str(write(tmp_path, "cli.csv", FEED)), "--channel", channel, "--dry-run")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["orders_created"] == 1
    assert external_refs(shared_shop, channel) == []


def test_oms_import_of_a_file_missing_columns_names_them_and_fails(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "short.csv", "external_order_id,sku\nM-1,BOLT-M8\n")

    result = oms_import(shared_shop, str(path), "--channel", channel)

    assert result.returncode != 0
    assert "order_date, customer_code, quantity" in result.stderr


def test_oms_import_uses_a_channel_mapping_from_the_data_folder(shared_shop: RunningServer, tmp_path: Path) -> None:
    mappings = shared_shop.data_dir / "mappings"
    mappings.mkdir(exist_ok=True)
    (mappings / "erp_b.yaml").write_text(
        "columns:\n  external_order_id: PO\n  order_date: Date\n  customer_code: Buyer\n  sku: Item\n  quantity: Qty\n"
        'date_formats: ["%d.%m.%Y"]\n'
    )
    path = write(tmp_path, "po.csv", "PO,Date,Buyer,Item,Qty\nPO-77,01.03.2026,C-NORTH,BOLT-M8,3\n")

    result = oms_import(shared_shop, str(path), "--channel", "erp_b")

    assert json.loads(result.stdout)["orders_created"] == 1, result.stderr
