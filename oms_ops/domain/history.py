"""The legal path of status moves that brought a historical order to where it is now."""

from __future__ import annotations

from oms_ops.domain.lifecycle import Status, status_after_confirmation

PREPAID_PATH = [Status.PENDING_PAYMENT, Status.PAID, Status.TO_SHIP, Status.SHIPPED, Status.COMPLETED]
ON_TERMS_PATH = [Status.TO_SHIP, Status.SHIPPED, Status.COMPLETED]
HISTORY_STATUSES = frozenset(PREPAID_PATH) | {Status.CANCELLED}


def status_path(payment_terms_days: int, final: Status) -> list[Status]:
    """Statuses from confirmation to `final` inclusive, each move allowed by the lifecycle."""
    first = status_after_confirmation(payment_terms_days)
    path = PREPAID_PATH if first is Status.PENDING_PAYMENT else ON_TERMS_PATH
    if final is Status.CANCELLED:
        return [first, Status.CANCELLED]
    if final not in path:
        raise ValueError(f"a customer with {payment_terms_days} days' terms never passes {final}")
    return path[: path.index(final) + 1]
