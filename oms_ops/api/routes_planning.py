"""Planning write-back from the marts: customer tiers and reorder suggestions (set-based, system/admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from oms_ops import contracts as c
from oms_ops.api.deps import DB, CurrentActor
from oms_ops.services import planning

router = APIRouter(prefix="/api/v1/planning", tags=["planning"])


@router.put("/customer-tiers")
async def put_customer_tiers(body: c.CustomerTiersIn, actor: CurrentActor, db: DB) -> c.CustomerTiersResult:
    """Set the tier of each listed customer; each change is kept in the tier history with its source and as-of."""
    pairs = [(row.customer_code, row.tier) for row in body.tiers]
    result = await run_in_threadpool(planning.put_customer_tiers, db, actor, pairs, body.as_of, body.source)
    return c.CustomerTiersResult.model_validate(result)


@router.put("/reorder-suggestions")
async def put_reorder_suggestions(
    body: c.ReorderSuggestionsIn, actor: CurrentActor, db: DB
) -> c.ReorderSuggestionsResult:
    """Replace the current reorder suggestions with this set, atomically."""
    rows = [row.model_dump() for row in body.suggestions]
    result = await run_in_threadpool(planning.put_reorder_suggestions, db, actor, rows, body.as_of)
    return c.ReorderSuggestionsResult.model_validate(result)


@router.get("/reorder-suggestions")
def list_reorder_suggestions(
    actor: CurrentActor, db: DB, warehouse: Annotated[str | None, Query(max_length=32)] = None
) -> list[c.ReorderSuggestionOut]:
    return [
        c.ReorderSuggestionOut.model_validate(row) for row in planning.list_reorder_suggestions(db, actor, warehouse)
    ]


@router.get("/customer-tiers/{customer_code}/history")
def customer_tier_history(customer_code: str, actor: CurrentActor, db: DB) -> list[c.TierChangeOut]:
    return [c.TierChangeOut.model_validate(row) for row in planning.tier_history(db, actor, customer_code)]
