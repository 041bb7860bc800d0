"""The dbt command line, from this virtual environment: through the warm dbt that `oms up` keeps, when it runs."""

from __future__ import annotations

from dagster_dbt import DbtCliResource

from pipelines.defs.dbt.project import dbt_executable, oms_dbt_project


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=oms_dbt_project, dbt_executable=dbt_executable("oms-dbt"))
