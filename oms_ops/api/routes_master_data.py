"""ERP master data: load an extract (customers, products, price lists, stock counts), list loads and their
quarantined rows, identify customers by GLN and products by GTIN, read a customer's price-list prices."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from oms_ops import contracts_master_data as cm
from oms_ops.api.deps import DB, CurrentActor
from oms_ops.domain.errors import InvalidInput
from oms_ops.services import master_data

router = APIRouter(prefix="/api/v1", tags=["master data"])


# Declared before /master-data/{kind}, which would otherwise take "identify" for a kind.
@router.post("/master-data/identify")
def identify(body: cm.IdentifyIn, actor: CurrentActor, db: DB) -> cm.Identified:
    return cm.Identified.model_validate(master_data.identify(db, actor, body.glns, body.gtins))


@router.post("/master-data/{kind}")
async def load_master_data(
    kind: str,
    request: Request,
    actor: CurrentActor,
    db: DB,
    file_name: Annotated[str, Query(min_length=1, max_length=255)],
    dry_run: bool = False,
) -> cm.MasterDataSummary:
    """Body: the extract's rows as Parquet, canonical column names, values as text (see oms_ops.adapters.erp)."""
    body = await request.body()
    if not body:
        raise InvalidInput("The upload is empty: send the file's rows as Parquet.", field="body")
    summary = await run_in_threadpool(master_data.load_master_data, db, actor, kind, file_name, body, dry_run)
    return cm.MasterDataSummary.model_validate(summary)


@router.get("/master-data/loads")
def list_loads(
    actor: CurrentActor, db: DB, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[cm.MasterDataLoadOut]:
    return [cm.MasterDataLoadOut.model_validate(row) for row in master_data.list_loads(db, actor, limit)]


@router.get("/master-data/loads/{load_id}/quarantine")
def load_quarantine(load_id: int, actor: CurrentActor, db: DB) -> list[cm.MasterDataQuarantined]:
    return [cm.MasterDataQuarantined.model_validate(row) for row in master_data.load_quarantine(db, actor, load_id)]


@router.get("/customers/{customer_code}/prices")
def customer_prices(
    customer_code: str,
    actor: CurrentActor,
    db: DB,
    sku: Annotated[list[str], Query(min_length=1, max_length=1000)],
    on_date: date | None = None,
) -> cm.CustomerPrices:
    day = on_date or datetime.now(UTC).date()
    prices = master_data.customer_prices(db, actor, customer_code, sku, day)
    return cm.CustomerPrices(customer_code=customer_code, on_date=day.isoformat(), prices=prices)
