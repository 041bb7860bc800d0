"""How pipelines reach operations (the oms_ops server) and the shared data folder."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from oms_ops.client import OmsClient
from oms_ops.settings import Settings


class OmsResource(dg.ConfigurableResource):
    """The oms_ops server, reached with the system API key; unset fields come from the OMS_ settings."""

    base_url: str | None = None
    api_key: str | None = None
    timeout_seconds: float = 300.0

    def client(self) -> OmsClient:
        settings = Settings()
        return OmsClient(
            self.base_url or settings.base_url,
            token=self.api_key or settings.pipeline_api_key,
            timeout=self.timeout_seconds,
        )


class DataFolderResource(dg.ConfigurableResource):
    """The data folder shared with the server: lake/oms/*.parquet in, warehouse.duckdb and marts.duckdb out."""

    data_dir: str | None = None

    @property
    def path(self) -> Path:
        return Path(self.data_dir).resolve() if self.data_dir else Settings().data_dir.resolve()

    @property
    def lake_dir(self) -> Path:
        return self.path / "lake" / "oms"

    @property
    def warehouse_db(self) -> Path:
        return self.path / "warehouse.duckdb"

    @property
    def marts_db(self) -> Path:
        return self.path / "marts.duckdb"
