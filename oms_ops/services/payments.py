"""Reading the money side: payments received, and refunds owed back to customers."""

from __future__ import annotations

from datetime import date
from typing import Any

from oms_ops.domain import fulfilment as f
from oms_ops.domain.errors import InvalidInput
from oms_ops.domain.roles import Action, require
from oms_ops.services.actor import Actor
from oms_ops.store import payments_queries as q
from oms_ops.store.database import Database

REFUND_STATUSES = ("due", "paid")


def list_payments(
    db: Database,
    actor: Actor,
    date_from: date | None = None,
    date_to: date | None = None,
    method: str | None = None,
    customer_code: str | None = None,
    order_number: str | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Payments, newest first, narrowed by date paid, method, customer and order."""
    require(actor.roles, Action.VIEW_PAYMENTS)
    if method is not None:
        f.check_method(method)
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidInput("The start date is after the end date.", field="date_from")
    with db.reading() as cur:
        return q.payments(cur, date_from, date_to, method, customer_code, order_number, limit)


def list_refunds(db: Database, actor: Actor, status: str | None = "due", limit: int = 1000) -> list[dict[str, Any]]:
    """Refunds owed back (status 'due') or all of them (status None), newest first."""
    require(actor.roles, Action.VIEW_PAYMENTS)
    if status is not None and status not in REFUND_STATUSES:
        raise InvalidInput(f"Status must be one of {', '.join(REFUND_STATUSES)}.", field="status")
    with db.reading() as cur:
        return q.refunds(cur, status, limit)
