"""Amending an order (a new version of it) and reading any earlier version."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from oms_ops import contracts as c
from oms_ops.api.deps import DB, CurrentActor
from oms_ops.api.respond import model_response
from oms_ops.api.routes import ERRORS
from oms_ops.api.routes_fulfilment import NO_SUCH_ORDER
from oms_ops.domain.amendments import AmendedLine, HeaderChange
from oms_ops.services import amendments

router = APIRouter(prefix="/api/v1/orders/{order_number}", tags=["amendments"], responses={**ERRORS, **NO_SUCH_ORDER})


@router.post("/amendments", status_code=status.HTTP_201_CREATED, response_model=c.OrderOut)
def amend_order(order_number: str, body: c.AmendmentIn, actor: CurrentActor, db: DB) -> Response:
    """Make `lines` the order's lines (left out: kept as they are) and change the header fields given, as its
    next version; stock reservations follow in the same transaction."""
    lines = (
        None
        if body.lines is None
        else [
            AmendedLine(line.sku, line.quantity, line.warehouse, line.unit_price, line.discount_pct, line.line_no)
            for line in body.lines
        ]
    )
    header = HeaderChange(body.requested_delivery_date, body.note, body.customer_po, body.clear_requested_delivery_date)
    amended = amendments.amend_order(db, actor, order_number, lines, body.reason, header)
    return model_response(c.OrderOut, amended, status.HTTP_201_CREATED)  # validated and serialised once


@router.get("/versions/{version}")
def order_version(order_number: str, version: int, actor: CurrentActor, db: DB) -> c.OrderVersionOut:
    return c.OrderVersionOut.model_validate(amendments.order_version(db, actor, order_number, version))
