"""The dbt models as assets: staging views and mart tables over the oms snapshot, tests as asset checks."""

import json
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipelines.defs.dbt.project import oms_dbt_project
from pipelines.defs.oms.resources import DataFolderResource

KEEP_TARGETS = 10  # dbt artifacts (manifest, run results, log) of the last runs, for looking into a failure
MART_MODELS = ("fct_order_lines", "fct_orders", "dim_customers", "dim_products", "mart_sales_daily")


class OmsDbtTranslator(DagsterDbtTranslator):
    """Models go in the group of their top folder under models/ (staging, marts)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props["resource_type"] == "source" or len(fqn) < 3:
            return super().get_group_name(dbt_resource_props)
        return str(fqn[1])


def build_args(data_folder: DataFolderResource) -> list[str]:
    """`dbt build` against the data folder the rest of the pipeline uses."""
    return ["build", "--vars", json.dumps({"data_dir": str(data_folder.path)})]


@dbt_assets(manifest=oms_dbt_project.manifest_path, project=oms_dbt_project, dagster_dbt_translator=OmsDbtTranslator())
def oms_dbt_models(
    context: AssetExecutionContext, dbt: DbtCliResource, data_folder: DataFolderResource
) -> Iterator[Any]:
    """Build and test the dbt models (staging -> marts) into warehouse.duckdb."""
    yield from dbt.cli(build_args(data_folder), context=context).stream()
    prune_old_targets(oms_dbt_project.project_dir / oms_dbt_project.target_path, context.op_def.name)


def prune_old_targets(target_dir: Path, prefix: str, keep: int = KEEP_TARGETS) -> None:
    """Dagster gives every dbt invocation its own target folder; keep only the newest few."""
    runs = sorted(
        (p for p in target_dir.glob(f"{prefix}-*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in runs[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def mart_keys() -> list[dg.AssetKey]:
    return [dg.AssetKey(model) for model in MART_MODELS]
