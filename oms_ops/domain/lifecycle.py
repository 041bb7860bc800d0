"""Order statuses, their words for people, and the moves allowed between them."""

from __future__ import annotations

from enum import StrEnum

from oms_ops.domain.errors import InvalidTransition


class Status(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    TO_SHIP = "to_ship"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    ON_HOLD = "on_hold"


LABELS: dict[Status, tuple[str, str]] = {
    Status.DRAFT: ("Draft", "草稿"),
    Status.PENDING_APPROVAL: ("Pending approval", "待审批"),
    Status.PENDING_PAYMENT: ("Pending payment", "待支付"),
    Status.PAID: ("Paid", "已支付"),
    Status.TO_SHIP: ("To ship", "待发货"),
    Status.PARTIALLY_SHIPPED: ("Partially shipped", "部分发货"),
    Status.SHIPPED: ("Shipped", "已发货"),
    Status.COMPLETED: ("Completed", "已完成"),
    Status.CANCELLED: ("Cancelled", "已取消"),
    Status.ON_HOLD: ("On hold", "已暂停"),
}

ALLOWED_MOVES: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.PENDING_APPROVAL, Status.PENDING_PAYMENT, Status.TO_SHIP, Status.CANCELLED}),
    Status.PENDING_APPROVAL: frozenset({Status.PENDING_PAYMENT, Status.TO_SHIP, Status.CANCELLED, Status.ON_HOLD}),
    Status.PENDING_PAYMENT: frozenset({Status.PAID, Status.CANCELLED, Status.ON_HOLD}),
    Status.PAID: frozenset({Status.TO_SHIP, Status.CANCELLED, Status.ON_HOLD}),
    Status.TO_SHIP: frozenset({Status.PARTIALLY_SHIPPED, Status.SHIPPED, Status.CANCELLED, Status.ON_HOLD}),
    Status.PARTIALLY_SHIPPED: frozenset({Status.SHIPPED, Status.CANCELLED, Status.ON_HOLD}),
    Status.SHIPPED: frozenset({Status.COMPLETED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.ON_HOLD: frozenset(
        {Status.PENDING_APPROVAL, Status.PENDING_PAYMENT, Status.TO_SHIP, Status.PARTIALLY_SHIPPED, Status.CANCELLED}
    ),
}


def label(status: str, language: str = "en") -> str:
    english, chinese = LABELS[Status(status)]
    return chinese if language.startswith("zh") else english


def check_move(current: str, target: str) -> None:
    allowed = ALLOWED_MOVES[Status(current)]
    if Status(target) not in allowed:
        nexts = ", ".join(label(s) for s in sorted(allowed)) or "nothing (this is a final state)"
        raise InvalidTransition(
            f"An order that is {label(current)} cannot become {label(target)}; allowed next: {nexts}."
        )


def status_after_confirmation(payment_terms_days: int) -> Status:
    """Prepaid customers pay first; customers on credit terms ship straight away and pay later."""
    return Status.TO_SHIP if payment_terms_days > 0 else Status.PENDING_PAYMENT


def moves_after_settlement(current: str, settled: bool) -> list[Status]:
    """What full payment sets off: a prepaid order becomes paid and then to ship; a shipped one completes."""
    if not settled:
        return []
    if current == Status.PENDING_PAYMENT:
        return [Status.PAID, Status.TO_SHIP]
    if current == Status.PAID:
        return [Status.TO_SHIP]
    if current == Status.SHIPPED:
        return [Status.COMPLETED]
    return []


def status_after_shipment(remaining_after: int) -> Status:
    """Shipped once nothing is left to ship; otherwise what is left waits as a backorder."""
    return Status.SHIPPED if remaining_after == 0 else Status.PARTIALLY_SHIPPED


def status_after_release(held_from: str | None, payment_terms_days: int) -> Status:
    """A released order goes back to where it was held; a paid order (a passing state) goes on to ship."""
    if held_from is None or Status(held_from) is Status.ON_HOLD:
        return status_after_confirmation(payment_terms_days)
    return Status.TO_SHIP if held_from == Status.PAID else Status(held_from)
