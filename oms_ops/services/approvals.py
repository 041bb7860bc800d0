"""Approving orders: the approver's inbox, decisions level by level, and the rules an admin edits.

A rule that matches opens one request (mode 'any': any holder of its roles decides) or one per role
(mode 'all'). Levels run in order: an approver sees a request only once every lower level is
approved. Nobody decides on an order they placed. The last approval moves the order on through the
credit check and the payment terms; a rejection cancels the order (its stock is released, the
customer is told) with the approver's comment as the reason, so the order desk sees who said no
and why, and places a new order if the customer still wants one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import duckdb

from oms_ops.domain import approvals as rules_domain
from oms_ops.domain import lifecycle
from oms_ops.domain.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from oms_ops.domain.lifecycle import Status
from oms_ops.domain.roles import Action, require
from oms_ops.services import fulfilment, gate
from oms_ops.services.actor import Actor
from oms_ops.services.orders import _order as order_view
from oms_ops.store import approval_queries as aq
from oms_ops.store import fulfilment_queries as fq
from oms_ops.store import queries
from oms_ops.store.database import Database


def inbox(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """What waits for the actor: requests at their order's current level, for a role they hold, not their own orders."""
    require(actor.roles, Action.APPROVE_ORDERS)
    with db.reading() as cur:
        return aq.inbox(cur, actor.roles, actor.username)


def approve(db: Database, actor: Actor, request_id: int, comment: str | None = None) -> dict[str, Any]:
    """Approve one request; the last one of the order moves it on (credit check, then payment terms)."""
    require(actor.roles, Action.APPROVE_ORDERS)
    with db.transaction() as cur:
        request = _decidable(cur, actor, request_id)
        number = request["order_number"]
        now = datetime.now(UTC)
        aq.decide(cur, request_id, "approved", actor.username, _clean(comment), now)
        if aq.current_level(cur, number) is None:
            _move_on(cur, actor, number, now)
        return order_view(cur, number)


def reject(db: Database, actor: Actor, request_id: int, comment: str) -> dict[str, Any]:
    """Say no, with a comment: the order is cancelled and its stock released."""
    require(actor.roles, Action.APPROVE_ORDERS)
    comment = _clean(comment) or ""
    if not comment:
        raise InvalidInput("Say why you reject the order, in a few words.", field="comment")
    with db.transaction() as cur:
        request = _decidable(cur, actor, request_id)
        number = request["order_number"]
        now = datetime.now(UTC)
        aq.decide(cur, request_id, "rejected", actor.username, comment, now)
        aq.void_pending(cur, number, actor.username, now, "void: order rejected")
        fulfilment.cancel_in(
            cur, actor, number, f"rejected by {actor.username} ({request['rule_name']}): {comment}", now
        )
        return order_view(cur, number)


def _decidable(cur: duckdb.DuckDBPyConnection, actor: Actor, request_id: int) -> dict[str, Any]:
    request = aq.request(cur, request_id)
    if request is None:
        raise NotFound(f"There is no approval request {request_id}.", field="request_id")
    number, roles = request["order_number"], list(request["roles"])
    if not set(roles) & set(actor.roles):
        raise PermissionDenied(
            f"This approval of order {number} waits for {' or '.join(roles)}; your role"
            f" ({', '.join(actor.roles)}) may not decide it."
        )
    if request["order_created_by"] == actor.username:
        raise PermissionDenied(f"You placed order {number}, so someone else must approve it.")
    if request["status"] != "pending":
        by = f" by {request['decided_by']}" if request["decided_by"] else ""
        raise InvalidTransition(
            f"This approval of order {number} is already {request['status']}{by}"
            + ("; the order changed since it was asked for." if request["status"] == "void" else ".")
        )
    if request["order_status"] != Status.PENDING_APPROVAL:
        raise InvalidTransition(
            f"Order {number} is {lifecycle.label(request['order_status'])}, not waiting for approval."
        )
    level = aq.current_level(cur, number)
    if level is not None and request["level"] != level:
        raise InvalidTransition(f"Order {number} waits for its level {level} approvals first.")
    if aq.approved_by(cur, number, request["rule_id"], actor.username):
        raise InvalidTransition(
            f"You already approved {request['rule_name']} on order {number}; that rule needs someone else too."
        )
    return request


def _move_on(cur: duckdb.DuckDBPyConnection, actor: Actor, number: str, now: datetime) -> None:
    head = fq.order_head(cur, number)
    customer = queries.customer(cur, head["customer_code"]) if head else None
    if head is None or customer is None:
        raise NotFound(f"There is no order {number}.", field="order_number")
    target, reason = gate.route_approved(cur, customer, number, f"approved by {actor.username}")
    settled = target is not Status.ON_HOLD and fq.paid_total(cur, number) >= head["total"]
    current = head["status"]
    for status in [target, *lifecycle.moves_after_settlement(target, settled)]:
        lifecycle.check_move(current, status)
        queries.insert_event(cur, number, current, status, actor.username, reason, now)
        current = status
    fq.set_status(cur, number, current, now)


def _clean(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


# -- the rules -----------------------------------------------------------------------------------


def rules(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """Every rule, active or not, by level; approvers may read them, only admins change them."""
    require(actor.roles, Action.VIEW_ORDERS)
    with db.reading() as cur:
        return aq.rules(cur)


def create_rule(
    db: Database,
    actor: Actor,
    name: str,
    condition_kind: str,
    threshold: Decimal,
    roles: list[str],
    level: int = 1,
    mode: str = "any",
    is_active: bool = True,
) -> dict[str, Any]:
    values = _checked_rule(actor, name, condition_kind, threshold, roles, level, mode, is_active)
    with db.transaction() as cur:
        rule_id = aq.insert_rule(cur, values)
        return _rule(cur, rule_id)


def update_rule(
    db: Database,
    actor: Actor,
    rule_id: int,
    name: str,
    condition_kind: str,
    threshold: Decimal,
    roles: list[str],
    level: int,
    mode: str,
    is_active: bool,
) -> dict[str, Any]:
    """Replace a rule; orders already waiting keep the requests they have (switch a rule off to stop new ones)."""
    values = _checked_rule(actor, name, condition_kind, threshold, roles, level, mode, is_active)
    with db.transaction() as cur:
        _rule(cur, rule_id)
        aq.update_rule(cur, rule_id, values)
        return _rule(cur, rule_id)


def _checked_rule(
    actor: Actor,
    name: str,
    condition_kind: str,
    threshold: Decimal,
    roles: list[str],
    level: int,
    mode: str,
    is_active: bool,
) -> dict[str, Any]:
    """The rule's row as an admin may write it, or PermissionDenied / InvalidInput naming the field."""
    require(actor.roles, Action.MANAGE_APPROVAL_RULES)
    rules_domain.check_rule(name, condition_kind, threshold, level, roles, mode)
    values = {
        "name": name.strip(),
        "condition_kind": condition_kind,
        "threshold": threshold,
        "level": level,
        "roles": list(roles),
        "mode": mode,
        "is_active": is_active,
        "updated_by": actor.username,
        "updated_at": datetime.now(UTC),
    }
    return values


def _rule(cur: duckdb.DuckDBPyConnection, rule_id: int) -> dict[str, Any]:
    found = aq.rule(cur, rule_id)
    if found is None:
        raise NotFound(f"There is no approval rule {rule_id}.", field="rule_id")
    return found
