"""Dagster definitions by area: oms (snapshot of the operational tables), dbt (the models), publish (marts.duckdb)."""
