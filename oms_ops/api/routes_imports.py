"""Channel imports: send a parsed order file, list past imports, read an import's quarantined rows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from oms_ops import contracts as c
from oms_ops.api.deps import DB, CurrentActor
from oms_ops.domain.errors import InvalidInput
from oms_ops.services import backorders, imports

router = APIRouter(prefix="/api/v1", tags=["imports"])


@router.post("/imports/{channel}")
async def import_orders(
    channel: str,
    request: Request,
    actor: CurrentActor,
    db: DB,
    file_name: Annotated[str, Query(min_length=1, max_length=255)],
    dry_run: bool = False,
    on_shortage: str = "quarantine",
) -> c.ImportSummary:
    """Body: the file's rows as Parquet, canonical column names, values as text (see oms_ops.adapters.channels).

    `on_shortage` (from the channel's mapping): quarantine, hold or backorder an order short of stock.
    """
    body = await request.body()
    if not body:
        raise InvalidInput("The upload is empty: send the file's rows as Parquet.", field="body")
    summary = await run_in_threadpool(imports.import_orders, db, actor, channel, file_name, body, dry_run, on_shortage)
    return c.ImportSummary.model_validate(summary)


@router.post("/imports/{import_id}/resubmit")
async def resubmit_rows(
    import_id: int, request: Request, actor: CurrentActor, db: DB, dry_run: bool = False
) -> c.ImportSummary:
    """Body: corrected quarantined rows of the import as Parquet, with their `row_no`; imported like a file."""
    body = await request.body()
    if not body:
        raise InvalidInput("The upload is empty: send the corrected rows as Parquet.", field="body")
    summary = await run_in_threadpool(imports.resubmit, db, actor, import_id, body, dry_run)
    return c.ImportSummary.model_validate(summary)


@router.post("/backorders/fill")
def fill_backorders(actor: CurrentActor, db: DB) -> c.BackordersFilled:
    """Reserve and move on every imported order waiting for stock that stock now allows."""
    return c.BackordersFilled.model_validate(backorders.fill_backorders(db, actor))


@router.get("/imports")
def list_imports(actor: CurrentActor, db: DB, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[c.ImportOut]:
    return [c.ImportOut.model_validate(row) for row in imports.list_imports(db, actor, limit)]


@router.get("/imports/{import_id}/quarantine")
def quarantined_rows(import_id: int, actor: CurrentActor, db: DB) -> list[c.QuarantinedRow]:
    return [c.QuarantinedRow.model_validate(row) for row in imports.quarantined_rows(db, actor, import_id)]
