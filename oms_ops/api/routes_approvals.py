"""Approvals (inbox, approve, reject), the approval rules, and customer credit (view, holds, override)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from oms_ops import contracts as c
from oms_ops import contracts_approvals as ca
from oms_ops.api.deps import DB, CurrentActor
from oms_ops.api.routes import ERRORS
from oms_ops.services import approvals, credit

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": c.ErrorBody, "description": "There is no such thing"}}
router = APIRouter(prefix="/api/v1", tags=["approvals and credit"], responses={**ERRORS, **NOT_FOUND})


@router.get("/approvals/inbox")
def inbox(actor: CurrentActor, db: DB) -> list[ca.InboxItem]:
    return [ca.InboxItem.model_validate(row) for row in approvals.inbox(db, actor)]


@router.post("/approvals/{request_id}/approve")
def approve(request_id: int, body: ca.DecisionIn, actor: CurrentActor, db: DB) -> c.OrderOut:
    return c.OrderOut.model_validate(approvals.approve(db, actor, request_id, body.comment))


@router.post("/approvals/{request_id}/reject")
def reject(request_id: int, body: ca.DecisionIn, actor: CurrentActor, db: DB) -> c.OrderOut:
    return c.OrderOut.model_validate(approvals.reject(db, actor, request_id, body.comment or ""))


@router.get("/approval-rules")
def rules(actor: CurrentActor, db: DB) -> list[ca.RuleOut]:
    return [ca.RuleOut.model_validate(row) for row in approvals.rules(db, actor)]


@router.post("/approval-rules", status_code=status.HTTP_201_CREATED)
def create_rule(body: ca.RuleIn, actor: CurrentActor, db: DB) -> ca.RuleOut:
    return ca.RuleOut.model_validate(approvals.create_rule(db, actor, **body.model_dump()))


@router.put("/approval-rules/{rule_id}")
def update_rule(rule_id: int, body: ca.RuleIn, actor: CurrentActor, db: DB) -> ca.RuleOut:
    return ca.RuleOut.model_validate(approvals.update_rule(db, actor, rule_id, **body.model_dump()))


@router.get("/customers/{customer_code}/credit")
def customer_credit(customer_code: str, actor: CurrentActor, db: DB) -> ca.CustomerCredit:
    return ca.CustomerCredit.model_validate(credit.customer_credit(db, actor, customer_code))


@router.get("/credit/holds")
def credit_holds(actor: CurrentActor, db: DB) -> list[ca.CreditHold]:
    return [ca.CreditHold.model_validate(row) for row in credit.credit_holds(db, actor)]


@router.post("/orders/{order_number}/credit-override")
def override_credit(order_number: str, body: c.ReasonIn, actor: CurrentActor, db: DB) -> c.OrderOut:
    return c.OrderOut.model_validate(credit.override_credit(db, actor, order_number, body.reason))
