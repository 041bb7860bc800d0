"""The money side and the outbox: payments and refunds to list, outgoing messages to see and retry, and
where a user's role messages reach them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from oms_ops import contracts as c
from oms_ops.api.deps import DB, CurrentActor
from oms_ops.api.routes import ERRORS
from oms_ops.services import outbox, payments

router = APIRouter(prefix="/api/v1", responses=ERRORS)


@router.get("/payments", tags=["payments"])
def list_payments(
    actor: CurrentActor,
    db: DB,
    date_from: date | None = None,
    date_to: date | None = None,
    method: str | None = None,
    customer_code: str | None = None,
    order_number: str | None = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> list[c.PaymentRow]:
    rows = payments.list_payments(db, actor, date_from, date_to, method, customer_code, order_number, limit)
    return [c.PaymentRow.model_validate(row) for row in rows]


@router.get("/refunds", tags=["payments"])
def list_refunds(
    actor: CurrentActor,
    db: DB,
    status: str | None = "due",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> list[c.RefundRow]:
    return [c.RefundRow.model_validate(row) for row in payments.list_refunds(db, actor, status or None, limit)]


@router.get("/outbox", tags=["outbox"])
def list_outbox(
    actor: CurrentActor,
    db: DB,
    status: str | None = None,
    topic: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
) -> list[c.OutboxMessageOut]:
    return [c.OutboxMessageOut.model_validate(m) for m in outbox.list_messages(db, actor, status, topic, limit)]


@router.post("/outbox/{message_id}/retry", tags=["outbox"])
def retry_outbox_message(message_id: int, actor: CurrentActor, db: DB) -> c.OutboxMessageOut:
    return c.OutboxMessageOut.model_validate(outbox.retry_message(db, actor, message_id))


@router.put("/users/{username}/contact", tags=["outbox"])
def set_contact(username: str, body: c.ContactIn, actor: CurrentActor, db: DB) -> c.ContactOut:
    return c.ContactOut.model_validate(outbox.set_contact(db, actor, username, body.email, body.phone))
