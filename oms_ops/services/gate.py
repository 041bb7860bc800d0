"""Where a just-placed or just-amended order goes next: approvals first, then credit, then payment terms.

Both `orders.place_order` and the amendment service call `route_confirmed` inside their write
transaction, with the facts of the order as it now stands, so every rule applies to every path
(order desk, API, imports). An amendment (version > 1) voids the approvals given to earlier
versions. Cost: one query for the rules, and one for the customer's credit when it is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import duckdb

from oms_ops.domain import approvals, lifecycle
from oms_ops.domain.credit import CreditLimitExceeded, Exposure
from oms_ops.domain.lifecycle import Status
from oms_ops.services.actor import Actor
from oms_ops.store import approval_queries as aq
from oms_ops.store import queries


@dataclass(frozen=True)
class LineFacts:
    sku: str
    warehouse: str
    quantity: int
    list_price: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    unit_cost: Decimal
    line_net: Decimal


@dataclass(frozen=True)
class OrderFacts:
    order_number: str
    customer: dict[str, Any]  # the customers row
    created_by: str  # who placed the order: they may not approve it
    lines: list[LineFacts]
    subtotal: Decimal
    total: Decimal
    version: int = 1  # 1 when placed; each amendment adds one


def route_confirmed(
    cur: duckdb.DuckDBPyConnection, facts: OrderFacts, actor: Actor, now: datetime, void_earlier: bool = True
) -> tuple[Status, str]:
    """The status the order moves to and the reason written on its event.

    Approval rules first (matching ones open approval requests, level by level); then credit
    (over the limit: on hold, with the figures); then the payment terms. An amended order's pending and
    approved requests are voided first; `void_earlier=False` says the caller knows it has none.
    """
    rules = aq.active_rules(cur)
    if facts.version > 1 and void_earlier:
        aq.void_requests(cur, facts.order_number, actor.username, now, f"void: order changed (version {facts.version})")
    customer = facts.customer
    exposure, earlier = None, None
    if customer.get("customer_code") and (approvals.needs_credit_figures(rules) or _credit_checked(customer)):
        exposure, earlier = credit_exposure(cur, customer, facts.order_number, facts.total)
    figures = approvals.OrderFigures(
        total=facts.total,
        net=sum((line.line_net for line in facts.lines), Decimal(0)),
        cost=sum((line.unit_cost * line.quantity for line in facts.lines), Decimal(0)),
        max_discount_pct=max((line.discount_pct for line in facts.lines), default=Decimal(0)),
        exposure=exposure.total if exposure else None,
        credit_limit=Decimal(customer.get("credit_limit") or 0),
        earlier_orders=earlier,
    )
    found = approvals.matches(rules, figures)
    if found:
        aq.insert_requests(
            cur,
            [
                (
                    facts.order_number,
                    facts.version,
                    m.rule.rule_id,
                    m.rule.name,
                    m.rule.condition_kind,
                    m.rule.level,
                    list(roles),
                    m.why,
                    actor.username,
                    now,
                )
                for m in found
                for roles in approvals.request_roles(m.rule)
            ],
        )
        return Status.PENDING_APPROVAL, "needs approval: " + "; ".join(f"{m.rule.name} ({m.why})" for m in found)
    done = "order placed" if facts.version == 1 else f"order amended (version {facts.version})"
    return credit_route(customer, exposure, done)


def credit_exposure(
    cur: duckdb.DuckDBPyConnection, customer: dict[str, Any], order_number: str, order_total: Decimal
) -> tuple[Exposure, int]:
    """The customer's exposure counting `order_number` at `order_total`, and their number of earlier orders."""
    owed, earlier = aq.exposure(cur, customer["customer_code"], order_number, order_total)
    limit = Decimal(customer.get("credit_limit") or 0)
    return Exposure(limit, int(customer.get("payment_terms_days") or 0), owed), earlier


def credit_route(customer: dict[str, Any], exposure: Exposure | None, reason: str) -> tuple[Status, str]:
    """On hold when over the credit limit (the reason shows the figures), else on by the payment terms."""
    if exposure is not None and exposure.over_limit:
        return Status.ON_HOLD, exposure.hold_reason()
    return lifecycle.status_after_confirmation(int(customer.get("payment_terms_days") or 0)), reason


def route_approved(
    cur: duckdb.DuckDBPyConnection, customer: dict[str, Any], order_number: str, reason: str
) -> tuple[Status, str]:
    """Where a fully approved order goes: the credit check (unless its credit was what was approved), then terms."""
    exposure = None
    if _credit_checked(customer) and "over_credit_limit" not in aq.approved_kinds(cur, order_number):
        exposure, _ = credit_exposure(cur, customer, order_number, aq.order_total(cur, order_number))
    return credit_route(customer, exposure, reason)


def _credit_checked(customer: dict[str, Any]) -> bool:
    return int(customer.get("payment_terms_days") or 0) > 0 and Decimal(customer.get("credit_limit") or 0) > 0


def check_credit_on_release(cur: duckdb.DuckDBPyConnection, order_number: str, customer_code: str) -> None:
    """Refuse to release an order while its customer is over the credit limit, naming the figures."""
    customer = queries.customer(cur, customer_code)
    if customer is None or not _credit_checked(customer):
        return
    exposure, _ = credit_exposure(cur, customer, order_number, aq.order_total(cur, order_number))
    if exposure.over_limit:
        raise CreditLimitExceeded(
            f"Order {order_number} stays on hold: {customer['name']} would owe {exposure.total}, over their credit"
            f" limit of {exposure.credit_limit}. Record a payment first, or finance can override with a reason."
        )
