"""Shipping and settling an order: what is left to ship, what a shipment takes, what is paid and owed back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from oms_ops.domain.errors import InvalidInput
from oms_ops.domain.pricing import to_cents
from oms_ops.domain.stock import demand_by_location


class PaymentMethod(StrEnum):
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    CASH = "cash"
    CHEQUE = "cheque"
    ALIPAY = "alipay"
    WECHAT_PAY = "wechat_pay"
    BANK_ACCEPTANCE_BILL = "bank_acceptance_bill"


METHOD_LABELS: dict[PaymentMethod, tuple[str, str]] = {
    PaymentMethod.BANK_TRANSFER: ("Bank transfer", "银行转账"),
    PaymentMethod.CARD: ("Card", "刷卡"),
    PaymentMethod.CASH: ("Cash", "现金"),
    PaymentMethod.CHEQUE: ("Cheque", "支票"),
    PaymentMethod.ALIPAY: ("Alipay", "支付宝"),
    PaymentMethod.WECHAT_PAY: ("WeChat Pay", "微信支付"),
    PaymentMethod.BANK_ACCEPTANCE_BILL: ("Bank acceptance bill", "银行承兑汇票"),
}


def method_label(method: str, language: str = "en") -> str:
    english, chinese = METHOD_LABELS[PaymentMethod(method)]
    return chinese if language.startswith("zh") else english


@dataclass(frozen=True)
class LineState:
    """One order line as fulfilment sees it."""

    line_no: int
    sku: str
    warehouse: str
    quantity: int
    shipped: int
    line_total: Decimal

    @property
    def remaining(self) -> int:
        return self.quantity - self.shipped


def remaining_total(lines: Iterable[LineState]) -> int:
    return sum(line.remaining for line in lines)


def plan_shipment(
    lines: Sequence[LineState], requested: Sequence[tuple[int, int]] = (), warehouse: str | None = None
) -> dict[int, int]:
    """line_no -> units to ship: the (line_no, quantity) asked for, else everything left (from one warehouse)."""
    by_no = {line.line_no: line for line in lines}
    if not requested:
        plan = {ln.line_no: ln.remaining for ln in lines if ln.remaining and warehouse in (None, ln.warehouse)}
        if not plan:
            where = f" from {warehouse}" if warehouse else ""
            raise InvalidInput(f"Nothing is left to ship{where} on this order.", field="warehouse")
        return plan
    plan = {}
    for i, (line_no, quantity) in enumerate(requested):
        line = by_no.get(line_no)
        if line is None:
            raise InvalidInput(f"This order has no line {line_no}.", field=f"lines[{i}].line_no")
        if line_no in plan:
            raise InvalidInput(f"Line {line_no} is named twice in one shipment.", field=f"lines[{i}].line_no")
        if quantity <= 0:
            raise InvalidInput(f"Ship a positive whole number of units, not {quantity}.", field=f"lines[{i}].quantity")
        if quantity > line.remaining:
            raise InvalidInput(
                f"Line {line_no} ({line.sku}) has {line.remaining} left to ship, not {quantity}.",
                field=f"lines[{i}].quantity",
            )
        if warehouse is not None and line.warehouse != warehouse:
            raise InvalidInput(f"Line {line_no} ships from {line.warehouse}, not {warehouse}.", field="warehouse")
        plan[line_no] = quantity
    return plan


def stock_taken(lines: Sequence[LineState], plan: dict[int, int]) -> dict[tuple[str, str], int]:
    """(warehouse, sku) -> units a shipment takes out of stock (and out of reservation)."""
    by_no = {line.line_no: line for line in lines}
    return demand_by_location((by_no[no].warehouse, by_no[no].sku, qty) for no, qty in plan.items())


def backorders(lines: Iterable[LineState]) -> dict[tuple[str, str], int]:
    """(warehouse, sku) -> units still reserved for this order, waiting to ship."""
    return {
        loc: qty for loc, qty in demand_by_location((ln.warehouse, ln.sku, ln.remaining) for ln in lines).items() if qty
    }


def check_payment(amount: Decimal, total: Decimal, paid: Decimal) -> None:
    if amount <= 0:
        raise InvalidInput(f"A payment must be a positive amount, not {amount}.", field="amount")
    if amount != to_cents(amount):
        raise InvalidInput(f"A payment is in whole cents; {amount} has more than two decimals.", field="amount")
    outstanding = total - paid
    if outstanding <= 0:
        raise InvalidInput("This order is already fully paid.", field="amount")
    if amount > outstanding:
        raise InvalidInput(f"Only {outstanding} is outstanding on this order; {amount} is more.", field="amount")


def check_method(method: str) -> None:
    if method not in PaymentMethod.__members__.values():
        known = ", ".join(label for label, _ in METHOD_LABELS.values())
        raise InvalidInput(f"Unknown payment method {method!r}; use one of: {known}.", field="method")


def shipped_value(lines: Iterable[LineState]) -> Decimal:
    """What the goods already shipped are worth, tax included, pro rata per line."""
    return sum((to_cents(line.line_total * line.shipped / line.quantity) for line in lines), Decimal(0))


def refund_due(paid: Decimal, lines: Iterable[LineState]) -> Decimal:
    """On cancellation: what was paid beyond the value of what was shipped (never negative)."""
    return max(Decimal(0), to_cents(paid - shipped_value(lines)))
