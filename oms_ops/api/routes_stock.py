"""Stock operations: positions, adjustments, safety stock, alerts, ATP, transfers, expected receipts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from oms_ops import contracts as c
from oms_ops.api.deps import DB, CurrentActor
from oms_ops.api.routes import ERRORS
from oms_ops.services import stock_ops, transfers

router = APIRouter(prefix="/api/v1/stock", tags=["stock operations"], responses=ERRORS)


@router.get("/positions")
def stock_positions(
    actor: CurrentActor, db: DB, sku: str | None = None, warehouse: str | None = None
) -> list[c.StockPositionOut]:
    rows = stock_ops.stock_positions(db, actor, sku, warehouse)
    return [c.StockPositionOut.model_validate(row) for row in rows]


@router.post("/adjustments", status_code=status.HTTP_201_CREATED)
def adjust_stock(body: c.AdjustmentIn, actor: CurrentActor, db: DB) -> c.StockPositionOut:
    row = stock_ops.adjust_stock(db, actor, body.warehouse, body.sku, body.change, body.reason, body.note)
    return c.StockPositionOut.model_validate(row)


@router.put("/policies")
def set_stock_policy(body: c.StockPolicyIn, actor: CurrentActor, db: DB) -> c.StockPositionOut:
    row = stock_ops.set_stock_policy(
        db, actor, body.warehouse, body.sku, body.safety_stock, body.reorder_point, body.lead_time_days
    )
    return c.StockPositionOut.model_validate(row)


@router.get("/alerts")
def stock_alerts(
    actor: CurrentActor, db: DB, open_only: bool = True, warehouse: str | None = None
) -> list[c.StockAlertOut]:
    return [c.StockAlertOut.model_validate(row) for row in stock_ops.stock_alerts(db, actor, open_only, warehouse)]


@router.get("/atp")
def available_to_promise(
    actor: CurrentActor, db: DB, sku: str, quantity: int = 1, customer_code: str | None = None
) -> c.AtpOut:
    return c.AtpOut.model_validate(stock_ops.available_to_promise(db, actor, sku, quantity, customer_code))


@router.post("/transfers", status_code=status.HTTP_201_CREATED)
def request_transfer(body: c.TransferIn, actor: CurrentActor, db: DB) -> c.TransferOut:
    lines = [(line.sku, line.quantity) for line in body.lines]
    transfer = transfers.request_transfer(
        db, actor, body.from_warehouse, body.to_warehouse, lines, body.expected_arrival, body.note
    )
    return c.TransferOut.model_validate(transfer)


@router.get("/transfers")
def list_transfers(
    actor: CurrentActor, db: DB, status: Annotated[list[str] | None, Query()] = None
) -> list[c.TransferOut]:
    return [c.TransferOut.model_validate(t) for t in transfers.list_transfers(db, actor, status)]


@router.get("/transfers/{transfer_id}")
def get_transfer(transfer_id: int, actor: CurrentActor, db: DB) -> c.TransferOut:
    return c.TransferOut.model_validate(transfers.get_transfer(db, actor, transfer_id))


@router.post("/transfers/{transfer_id}/ship")
def ship_transfer(transfer_id: int, actor: CurrentActor, db: DB) -> c.TransferOut:
    return c.TransferOut.model_validate(transfers.ship_transfer(db, actor, transfer_id))


@router.post("/transfers/{transfer_id}/receive")
def receive_transfer(transfer_id: int, body: c.TransferReceiptIn, actor: CurrentActor, db: DB) -> c.TransferOut:
    lines = [(line.sku, line.quantity) for line in body.lines]
    return c.TransferOut.model_validate(transfers.receive_transfer(db, actor, transfer_id, lines))


@router.post("/transfers/{transfer_id}/cancel")
def cancel_transfer(transfer_id: int, actor: CurrentActor, db: DB) -> c.TransferOut:
    return c.TransferOut.model_validate(transfers.cancel_transfer(db, actor, transfer_id))


@router.post("/expected-receipts", status_code=status.HTTP_201_CREATED)
def add_expected_receipt(body: c.ExpectedReceiptIn, actor: CurrentActor, db: DB) -> c.ExpectedReceiptOut:
    receipt = stock_ops.add_expected_receipt(
        db, actor, body.warehouse, body.sku, body.quantity, body.expected_on, body.reference
    )
    return c.ExpectedReceiptOut.model_validate(receipt)


@router.get("/expected-receipts")
def expected_receipts(
    actor: CurrentActor,
    db: DB,
    status: str | None = "open",
    warehouse: str | None = None,
    sku: str | None = None,
) -> list[c.ExpectedReceiptOut]:
    rows = stock_ops.expected_receipts(db, actor, status or None, warehouse, sku)
    return [c.ExpectedReceiptOut.model_validate(row) for row in rows]


@router.patch("/expected-receipts/{receipt_id}")
def change_expected_receipt(
    receipt_id: int, body: c.ExpectedReceiptChange, actor: CurrentActor, db: DB
) -> c.ExpectedReceiptOut:
    receipt = stock_ops.change_expected_receipt(db, actor, receipt_id, body.quantity, body.expected_on, body.reference)
    return c.ExpectedReceiptOut.model_validate(receipt)


@router.post("/expected-receipts/{receipt_id}/cancel")
def cancel_expected_receipt(receipt_id: int, actor: CurrentActor, db: DB) -> c.ExpectedReceiptOut:
    return c.ExpectedReceiptOut.model_validate(stock_ops.cancel_expected_receipt(db, actor, receipt_id))


@router.post("/expected-receipts/{receipt_id}/receive")
def receive_expected(receipt_id: int, body: c.ReceiveAgainstIn, actor: CurrentActor, db: DB) -> c.ExpectedReceiptOut:
    return c.ExpectedReceiptOut.model_validate(stock_ops.receive_expected(db, actor, receipt_id, body.quantity))
