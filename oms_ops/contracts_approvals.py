"""The wire format of approvals and credit (v1); the order's own approvals are `contracts.ApprovalOut`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field


class InboxItem(BaseModel):
    """A request waiting for the signed-in approver, with the order it is about."""

    request_id: int
    order_number: str
    version: int
    rule_name: str
    condition_kind: str
    level: int
    roles: list[str]
    why: str
    requested_at: datetime
    customer_code: str
    customer_name: str | None = None
    total: Decimal
    currency: str
    created_by: str
    ordered_at: datetime


class DecisionIn(BaseModel):
    comment: str | None = None  # required to reject


class RuleIn(BaseModel):
    name: str
    condition_kind: str  # order_total_over, line_discount_over, margin_below, over_credit_limit, new_customer
    threshold: Decimal = Decimal(0)
    roles: list[str] = Field(min_length=1)
    level: int = 1
    mode: str = "any"  # any: one of the roles approves; all: every role must
    is_active: bool = True


class RuleOut(RuleIn):
    rule_id: int
    updated_by: str
    updated_at: datetime


class CreditHold(BaseModel):
    order_number: str
    customer_code: str
    customer_name: str | None = None
    total: Decimal
    currency: str
    created_by: str
    reason: str
    held_at: datetime


class CreditOverride(BaseModel):
    override_id: int
    order_number: str
    overridden_by: str
    reason: str
    credit_limit: Decimal
    exposure: Decimal
    order_total: Decimal
    overridden_at: datetime


class CustomerCredit(BaseModel):
    """Exposure = open_unshipped + shipped_unpaid; checked only on terms with a limit above 0."""

    customer_code: str
    name: str
    credit_limit: Decimal
    payment_terms_days: int
    open_unshipped: Decimal
    shipped_unpaid: Decimal
    exposure: Decimal
    available_credit: Decimal | None
    checked: bool
    over_limit: bool
    holds: list[CreditHold] = []
    overrides: list[CreditOverride] = []
