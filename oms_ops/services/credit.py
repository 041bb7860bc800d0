"""Customer credit: the exposure view, orders on credit hold, and finance's logged override.

Exposure = open unshipped orders + shipped-not-paid amounts (payments pay for shipped goods first).
It is checked when an order is confirmed or amended (`gate.route_confirmed`) and when an order is
released from hold (`fulfilment.release_order`), for customers on payment terms with a credit
limit above 0; a limit of 0 means none was set, and prepaid customers pay before they get anything.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from oms_ops.domain.errors import InvalidInput, InvalidTransition, NotFound
from oms_ops.domain.lifecycle import Status
from oms_ops.domain.roles import Action, require
from oms_ops.services import fulfilment, gate
from oms_ops.services.actor import Actor
from oms_ops.services.orders import _order as order_view
from oms_ops.store import approval_queries as aq
from oms_ops.store import fulfilment_queries as fq
from oms_ops.store import queries
from oms_ops.store.database import Database


def customer_credit(db: Database, actor: Actor, customer_code: str) -> dict[str, Any]:
    """Limit, terms, exposure split, credit still available, orders on credit hold and past overrides."""
    require(actor.roles, Action.VIEW_CREDIT)
    with db.reading() as cur:
        customer = queries.customer(cur, customer_code)
        if customer is None:
            raise NotFound(f"There is no customer {customer_code}.", field="customer_code")
        exposure, _ = gate.credit_exposure(cur, customer, "", Decimal(0))
        open_unshipped, shipped_unpaid = aq.credit_split(cur, customer_code)
        return {
            "customer_code": customer_code,
            "name": customer["name"],
            "credit_limit": exposure.credit_limit,
            "payment_terms_days": exposure.payment_terms_days,
            "open_unshipped": open_unshipped,
            "shipped_unpaid": shipped_unpaid,
            "exposure": exposure.total,
            "available_credit": exposure.available,
            "checked": exposure.checked,
            "over_limit": exposure.over_limit,
            "holds": aq.credit_holds(cur, customer_code),
            "overrides": aq.overrides(cur, customer_code),
        }


def credit_holds(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """Every order on hold for credit, oldest hold first: finance's work list."""
    require(actor.roles, Action.VIEW_CREDIT)
    with db.reading() as cur:
        return aq.credit_holds(cur)


def override_credit(db: Database, actor: Actor, order_number: str, reason: str) -> dict[str, Any]:
    """Finance lets an order on hold go on despite the credit limit; who, why and the figures are logged."""
    require(actor.roles, Action.OVERRIDE_CREDIT)
    if not reason or not reason.strip():
        raise InvalidInput("Say why the order may go on despite the credit limit.", field="reason")
    reason = reason.strip()
    with db.transaction() as cur:
        head = fq.order_head(cur, order_number)
        if head is None:
            raise NotFound(f"There is no order {order_number}.", field="order_number")
        if head["status"] != Status.ON_HOLD:
            raise InvalidTransition(f"Order {order_number} is not on hold, so there is no credit hold to override.")
        customer = queries.customer(cur, head["customer_code"])
        assert customer is not None
        exposure, _ = gate.credit_exposure(cur, customer, order_number, head["total"])
        now = datetime.now(UTC)
        aq.insert_override(
            cur,
            {
                "order_number": order_number,
                "customer_code": head["customer_code"],
                "overridden_by": actor.username,
                "reason": reason,
                "credit_limit": exposure.credit_limit,
                "exposure": exposure.total,
                "order_total": head["total"],
                "overridden_at": now,
            },
        )
        why = (
            f"credit override by {actor.username} (exposure {exposure.total}, limit {exposure.credit_limit}): {reason}"
        )
        fulfilment.release_in(cur, actor, order_number, why, now, check_credit=False)
        return order_view(cur, order_number)
