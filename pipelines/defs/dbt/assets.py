"""The dbt models as assets: staging views and mart tables over the oms snapshot, tests as asset checks."""

import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipelines.defs.dbt.project import oms_dbt_project
from pipelines.defs.oms.resources import DataFolderResource

PARTIAL_PARSE = "partial_parse.msgpack"
KEEP_TARGETS = 10  # dbt artifacts (manifest, run results, log) of the last runs, for looking into a failure
MART_MODELS = ("fct_order_lines", "fct_orders", "dim_customers", "dim_products", "mart_sales_daily")


class OmsDbtTranslator(DagsterDbtTranslator):
    """Models go in the group of their top folder under models/ (staging, marts)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props["resource_type"] == "source" or len(fqn) < 3:
            return super().get_group_name(dbt_resource_props)
        return str(fqn[1])


# A run tagged TESTS_TAG=HOURLY_TESTS (the hourly schedule) leaves out the tests tagged whole_history in
# dbt_project/dbt_project.yml (the staging views' keys and rules over the whole snapshot); every other run (the
# nightly schedule, a run started from a page or by hand) runs every test.
TESTS_TAG = "oms/dbt_tests"
HOURLY_TESTS = "hourly"
# dbt's unit tests check the models' SQL, which an hourly run does not change: full builds and CI run them.
HOURLY_EXCLUDE = ["--exclude", "tag:whole_history", "--exclude-resource-type", "unit_test"]


def build_args(data_folder: DataFolderResource, every_test: bool = True) -> list[str]:
    """`dbt build` against the data folder the rest of the pipeline uses.

    Every test, on every row (`test_every_row`: see dbt_project/macros/get_where_subquery.sql); or, hourly, the
    tests of what can change, those of the incremental models on the rows the run wrote.
    """
    if not every_test:
        return ["build", "--vars", json.dumps({"data_dir": str(data_folder.path)}), *HOURLY_EXCLUDE]
    return ["build", "--vars", json.dumps({"data_dir": str(data_folder.path), "test_every_row": True})]


@dbt_assets(manifest=oms_dbt_project.manifest_path, project=oms_dbt_project, dagster_dbt_translator=OmsDbtTranslator())
def oms_dbt_models(
    context: AssetExecutionContext, dbt: DbtCliResource, data_folder: DataFolderResource
) -> Iterator[Any]:
    """Build and test the dbt models (staging -> marts) into warehouse.duckdb."""
    every_test = context.run.tags.get(TESTS_TAG) != HOURLY_TESTS
    invocation = dbt.cli(build_args(data_folder, every_test), context=context)
    yield from invocation.stream()
    target_dir = oms_dbt_project.project_dir / oms_dbt_project.target_path
    keep_partial_parse(invocation.target_path, target_dir)
    prune_old_targets(target_dir, context.op_def.name)


def keep_partial_parse(run_target: Path, target_dir: Path) -> None:
    """Put the run's partial_parse.msgpack where dagster-dbt copies it from into the next run's folder.

    Each invocation gets a folder of its own, so without this every run parses the whole project again (seconds
    at every hourly refresh); dbt itself re-parses what changed (files, vars) since the file was written.
    """
    written = run_target / PARTIAL_PARSE
    if not written.exists():
        return
    target_dir.mkdir(parents=True, exist_ok=True)
    temp = target_dir / f".{PARTIAL_PARSE}-{uuid.uuid4().hex}"
    shutil.copy2(written, temp)
    os.replace(temp, target_dir / PARTIAL_PARSE)


def prune_old_targets(target_dir: Path, prefix: str, keep: int = KEEP_TARGETS) -> None:
    """Dagster gives every dbt invocation its own target folder; keep only the newest few."""
    runs = sorted(
        (p for p in target_dir.glob(f"{prefix}-*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in runs[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def mart_keys() -> list[dg.AssetKey]:
    return [dg.AssetKey(model) for model in MART_MODELS]
