"""Payments and refunds as tables for the Payments page: plain rows of formatted text, no Streamlit here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dashboards.lib import formatting
from oms_ops.contracts import PaymentRow, RefundRow
from oms_ops.domain.fulfilment import PaymentMethod, method_label

PAYMENT_METHODS: list[str] = [m.value for m in PaymentMethod]


@dataclass(frozen=True)
class PaymentFilter:
    date_from: date | None = None
    date_to: date | None = None
    method: str | None = None
    customer_code: str | None = None
    order_number: str | None = None

    @classmethod
    def from_widgets(cls, dates: object, method: str | None, customer: str, order: str) -> PaymentFilter:
        """dates is what st.date_input returns for a range: (), (start,) or (start, end)."""
        chosen = list(dates) if isinstance(dates, list | tuple) else ([dates] if isinstance(dates, date) else [])
        return cls(
            date_from=chosen[0] if chosen else None,
            date_to=chosen[1] if len(chosen) > 1 else None,
            method=method or None,
            customer_code=customer.strip().upper() or None,
            order_number=order.strip().upper() or None,
        )


def totals_by_method(payments: Iterable[PaymentRow]) -> dict[str, tuple[int, Decimal]]:
    """method -> (number of payments, amount received), in the order of PAYMENT_METHODS; unused methods left out."""
    totals: dict[str, tuple[int, Decimal]] = {}
    for payment in payments:
        count, amount = totals.get(payment.method, (0, Decimal(0)))
        totals[payment.method] = (count + 1, amount + payment.amount)
    return {m: totals[m] for m in PAYMENT_METHODS if m in totals}


def total_rows(payments: list[PaymentRow], locale: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {"Method": method_label(method), "Payments": count, "Received": formatting.money(amount, locale)}
        for method, (count, amount) in totals_by_method(payments).items()
    ]
    total = sum((p.amount for p in payments), Decimal(0))
    rows.append({"Method": "All methods", "Payments": len(payments), "Received": formatting.money(total, locale)})
    return rows


def payment_rows(payments: Iterable[PaymentRow], locale: str, timezone: str) -> list[dict[str, object]]:
    return [
        {
            "Paid on": formatting.day(p.paid_on, locale),
            "Order": p.order_number,
            "Customer": f"{p.customer_code} {p.customer_name or ''}".strip() if p.customer_code else "",
            "Method": method_label(p.method),
            "Amount": formatting.money(p.amount, locale),
            "Reference": p.reference or "",
            "Recorded by": p.recorded_by,
            "Recorded": formatting.moment(p.recorded_at, locale, timezone),
        }
        for p in payments
    ]


def refund_rows(refunds: Iterable[RefundRow], locale: str, timezone: str) -> list[dict[str, object]]:
    return [
        {
            "Order": r.order_number,
            "Customer": f"{r.customer_code} {r.customer_name or ''}".strip() if r.customer_code else "",
            "Contact": r.email or "",
            "Amount": formatting.money(r.amount, locale),
            "Reason": r.reason or "",
            "Since": formatting.moment(r.created_at, locale, timezone),
        }
        for r in refunds
    ]
