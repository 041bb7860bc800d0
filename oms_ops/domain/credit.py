"""Credit exposure of a customer and the decision it leads to."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from oms_ops.domain.errors import InvalidTransition


@dataclass(frozen=True)
class Exposure:
    """What a customer owes or will owe: open orders not yet shipped plus goods shipped and not paid.

    Payments on an order pay for what was shipped first, then for what is still to ship, and never
    exceed its total; so exposure is the sum over open orders of total - paid, and a prepaid order
    paid in full counts for nothing.
    """

    credit_limit: Decimal
    payment_terms_days: int
    total: Decimal

    @property
    def checked(self) -> bool:
        """Only customers buying on terms with a limit set: prepaid customers pay before they get
        anything, and a limit of 0 means no limit was set (make a customer prepaid to stop credit)."""
        return self.payment_terms_days > 0 and self.credit_limit > 0

    @property
    def over_limit(self) -> bool:
        return self.checked and self.total > self.credit_limit

    @property
    def available(self) -> Decimal | None:
        return self.credit_limit - self.total if self.checked else None

    def hold_reason(self) -> str:
        return f"credit: exposure {self.total} over limit {self.credit_limit}"


class CreditLimitExceeded(InvalidTransition):
    code = "credit_limit_exceeded"


CREDIT_HOLD_PREFIX = "credit:"


def is_credit_hold(reason: str | None) -> bool:
    return bool(reason) and str(reason).startswith(CREDIT_HOLD_PREFIX)
