"""The v1 endpoints. Each is a thin translation to one service call."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool

from oms_ops import contracts as c
from oms_ops.api.deps import DB, AppSettings, CurrentActor, bearer_token
from oms_ops.api.respond import model_response
from oms_ops.domain.errors import InvalidInput
from oms_ops.domain.roles import Action, require
from oms_ops.services import auth, bulk, catalog, orders, pipeline, snapshot, stock

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": c.ErrorBody, "description": meaning}
    for code, meaning in (
        (401, "No valid session token or API key"),
        (403, "The caller's role may not do this"),
        (409, "A conflict of state or stock; `short` names each short SKU"),
        (422, "Bad input; `field` names it"),
    )
}
router = APIRouter(prefix="/api/v1", responses=ERRORS)


@router.get("/health", tags=["system"])
def health(db: DB) -> dict[str, Any]:
    with db.reading() as cur:
        cur.execute("select 1").fetchone()
    return {"status": "ok"}


@router.post("/auth/login", tags=["auth"])
def login(body: c.LoginRequest, db: DB, settings: AppSettings) -> c.LoginResponse:
    token, actor = auth.login(db, body.username, body.password, settings.session_hours)
    return c.LoginResponse(token=token, user=c.UserOut(username=actor.username, roles=list(actor.roles)))


@router.post("/auth/logout", tags=["auth"], status_code=status.HTTP_204_NO_CONTENT)
def logout(actor: CurrentActor, db: DB, token: Annotated[str | None, Depends(bearer_token)]) -> None:
    auth.logout(db, token or "")


@router.get("/auth/me", tags=["auth"])
def me(actor: CurrentActor) -> c.UserOut:
    return c.UserOut(username=actor.username, roles=list(actor.roles))


@router.post("/users", tags=["users"], status_code=status.HTTP_201_CREATED)
def create_user(body: c.NewUser, actor: CurrentActor, db: DB) -> c.UserOut:
    user = auth.create_user(db, actor, body.username, body.password, body.roles, body.display_name)
    return c.UserOut.model_validate(user)


@router.post("/orders", tags=["orders"], status_code=status.HTTP_201_CREATED, response_model=c.OrderOut)
def place_order(body: c.NewOrder, actor: CurrentActor, db: DB) -> Response:
    lines = [
        orders.LineRequest(line.sku, line.quantity, line.warehouse, line.unit_price, line.discount_pct)
        for line in body.lines
    ]
    placed = orders.place_order(
        db,
        actor,
        body.customer_code,
        lines,
        body.channel,
        body.external_ref,
        body.note,
        body.requested_delivery_date,
        body.customer_po,
    )
    return model_response(c.OrderOut, placed, status.HTTP_201_CREATED)


@router.get("/orders", tags=["orders"])
def list_orders(
    actor: CurrentActor,
    db: DB,
    settings: AppSettings,
    query: str | None = None,
    status: str | None = None,
    customer_code: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> c.OrderPage:
    found = orders.list_orders(
        db, actor, query, status, customer_code, date_from, date_to, page, page_size, settings.timezone
    )
    return c.OrderPage.model_validate(found)


@router.get("/orders/{order_number}", tags=["orders"])
def get_order(order_number: str, actor: CurrentActor, db: DB) -> c.OrderOut:
    return c.OrderOut.model_validate(orders.get_order(db, actor, order_number))


@router.get("/stock", tags=["stock"])
def stock_levels(actor: CurrentActor, db: DB, sku: str | None = None, warehouse: str | None = None) -> list[c.StockRow]:
    return [c.StockRow.model_validate(row) for row in stock.stock_levels(db, actor, sku, warehouse)]


@router.post("/stock/receipts", tags=["stock"], status_code=status.HTTP_201_CREATED)
def receive_stock(body: c.ReceiveStock, actor: CurrentActor, db: DB) -> c.StockRow:
    row = stock.receive_stock(db, actor, body.warehouse, body.sku, body.quantity, body.reason)
    return c.StockRow.model_validate(row)


@router.get("/customers", tags=["master data"])
def customers(
    actor: CurrentActor, db: DB, query: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 20
) -> list[c.CustomerOut]:
    return [c.CustomerOut.model_validate(row) for row in catalog.find_customers(db, actor, query, limit)]


@router.get("/products", tags=["master data"])
def products(
    actor: CurrentActor, db: DB, query: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 20
) -> list[c.ProductOut]:
    return [c.ProductOut.model_validate(row) for row in catalog.find_products(db, actor, query, limit)]


@router.get("/warehouses", tags=["master data"])
def warehouses(actor: CurrentActor, db: DB) -> list[c.WarehouseOut]:
    return [c.WarehouseOut.model_validate(row) for row in catalog.list_warehouses(db, actor)]


@router.post("/bulk/{entity}", tags=["system"])
async def bulk_load(entity: str, request: Request, actor: CurrentActor, db: DB) -> c.BulkResult:
    body = await request.body()
    if not body:
        raise InvalidInput("The upload is empty: send the rows as a Parquet file.", field="body")
    result = await run_in_threadpool(bulk.bulk_load, db, actor, entity, body)
    return c.BulkResult.model_validate(result)


@router.post("/snapshots", tags=["system"])
def take_snapshot(actor: CurrentActor, db: DB, settings: AppSettings) -> c.SnapshotResult:
    return c.SnapshotResult.model_validate(snapshot.take_snapshot(db, actor, settings.lake_dir))


@router.post("/pipeline/runs", tags=["system"], status_code=status.HTTP_201_CREATED)
def run_pipeline(actor: CurrentActor, settings: AppSettings) -> c.PipelineRun:
    """Start the refresh of the marts in Dagster (snapshot, dbt build, publish)."""
    require(actor.roles, Action.RUN_PIPELINE)
    return c.PipelineRun.model_validate(pipeline.launch_refresh(settings))
