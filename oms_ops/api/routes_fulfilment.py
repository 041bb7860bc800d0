"""Moving an order on: payments, shipments, cancel, hold and release.

A shipment answers the shipment it created (its lines, the order's new status, the units still to ship);
the others answer the order as it now is.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from oms_ops import contracts as c
from oms_ops.api.deps import DB, CurrentActor
from oms_ops.api.respond import model_response
from oms_ops.api.routes import ERRORS
from oms_ops.services import fulfilment

NO_SUCH_ORDER: dict[int | str, dict[str, Any]] = {404: {"model": c.ErrorBody, "description": "There is no such order"}}
router = APIRouter(prefix="/api/v1/orders/{order_number}", tags=["fulfilment"], responses={**ERRORS, **NO_SUCH_ORDER})


@router.post("/payments", status_code=status.HTTP_201_CREATED)
def record_payment(order_number: str, body: c.PaymentIn, actor: CurrentActor, db: DB) -> c.OrderOut:
    order = fulfilment.record_payment(db, actor, order_number, body.method, body.amount, body.paid_on, body.reference)
    return c.OrderOut.model_validate(order)


@router.post("/shipments", status_code=status.HTTP_201_CREATED, response_model=c.ShipmentOut)
def ship_order(order_number: str, body: c.ShipmentIn, actor: CurrentActor, db: DB) -> Response:
    lines = [(line.line_no, line.quantity) for line in body.lines]
    shipped = fulfilment.ship_order(db, actor, order_number, lines, body.warehouse, body.note)
    return model_response(c.ShipmentOut, shipped, status.HTTP_201_CREATED)


@router.post("/cancel")
def cancel_order(order_number: str, body: c.ReasonIn, actor: CurrentActor, db: DB) -> c.OrderOut:
    return c.OrderOut.model_validate(fulfilment.cancel_order(db, actor, order_number, body.reason))


@router.post("/hold")
def hold_order(order_number: str, body: c.ReasonIn, actor: CurrentActor, db: DB) -> c.OrderOut:
    return c.OrderOut.model_validate(fulfilment.hold_order(db, actor, order_number, body.reason))


@router.post("/release")
def release_order(order_number: str, body: c.ReasonIn, actor: CurrentActor, db: DB) -> c.OrderOut:
    return c.OrderOut.model_validate(fulfilment.release_order(db, actor, order_number, body.reason))
