"""Real `dbt build` runs of dbt_project/ over hand-made lakes in temporary data folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.dbt.lake import build_lake

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


@dataclass
class Build:
    data_dir: Path
    success: bool
    statuses: dict[str, str]  # unique_id -> pass, fail, error, skipped, success

    def warehouse(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.data_dir / "warehouse.duckdb"), read_only=True)

    def failed(self) -> set[str]:
        return {node for node, status in self.statuses.items() if status in ("fail", "error")}


def dbt_build(data_dir: Path, *args: str, command: str = "build") -> Build:
    """`dbt build` of the whole project, reading data_dir/lake/oms and writing data_dir/warehouse.duckdb.

    `args` narrow it (e.g. "--select", ...); command="run" builds the models without their tests.

    A child process, as Dagster runs it: dbt-duckdb keeps its database open for the life of the process.
    """
    target = data_dir / "dbt_target"
    completed = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"), command, *args,
            "--project-dir", str(DBT_PROJECT_DIR),
            "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(target),
            "--log-path", str(data_dir / "dbt_logs"),
            "--vars", json.dumps({"data_dir": str(data_dir)}),
        ],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        capture_output=True,
        text=True,
    )  # fmt: skip
    results_file = target / "run_results.json"
    assert results_file.exists(), completed.stdout + completed.stderr
    results = json.loads(results_file.read_text())["results"]
    statuses = {r["unique_id"]: r["status"] for r in results}
    return Build(data_dir, completed.returncode == 0, statuses)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    """The memorable lake of tests/dbt/lake.py, built once for the module."""
    data_dir = tmp_path_factory.mktemp("dbt_data")
    build_lake(data_dir).close()
    yield dbt_build(data_dir)
