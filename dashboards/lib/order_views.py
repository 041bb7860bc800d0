"""Orders as tables and timelines for the Orders page: plain rows of formatted text, no Streamlit here."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from dashboards.lib import formatting
from oms_ops.contracts import OrderEventOut, OrderOut, OrderPage
from oms_ops.domain.fulfilment import PaymentMethod, method_label
from oms_ops.domain.lifecycle import ALLOWED_MOVES, Status
from oms_ops.domain.roles import Action, may

PAGE_SIZE = 25
STATUSES: list[str] = [s.value for s in Status]
PAYMENT_METHODS: list[str] = [m.value for m in PaymentMethod]


@dataclass(frozen=True)
class OrderFilter:
    query: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_widgets(cls, query: str, status: str | None, dates: object) -> OrderFilter:
        """dates is what st.date_input returns for a range: (), (start,) or (start, end)."""
        chosen = list(dates) if isinstance(dates, list | tuple) else ([dates] if isinstance(dates, date) else [])
        return cls(
            query=query.strip() or None,
            status=status or None,
            date_from=chosen[0] if chosen else None,
            date_to=chosen[1] if len(chosen) > 1 else None,
        )


def page_count(found: OrderPage) -> int:
    return max(1, math.ceil(found.total_count / found.page_size))


def summary_rows(found: OrderPage, locale: str, timezone: str) -> list[dict[str, object]]:
    return [
        {
            "Order": o.order_number,
            "Ordered": formatting.moment(o.ordered_at, locale, timezone),
            "Customer": f"{o.customer_code} · {o.customer_name or ''}".rstrip(" ·"),
            "Channel": o.channel,
            "Status": formatting.status_label(o.status),
            "Lines": o.line_count,
            "Total": formatting.money(o.total, locale, o.currency),
        }
        for o in found.items
    ]


def line_rows(order: OrderOut, locale: str) -> list[dict[str, object]]:
    def money(amount: Decimal) -> str:
        return formatting.money(amount, locale, order.currency)

    return [
        {
            "#": line.line_no,
            "SKU": line.sku,
            "Product": line.product_name or "",
            "Warehouse": line.warehouse,
            "Quantity": formatting.number(line.quantity, locale),
            "Shipped": formatting.number(line.shipped_quantity, locale),
            "Unit price": money(line.unit_price),
            "Discount": formatting.percent(line.discount_pct / 100, locale),
            "Net": money(line.line_net),
            "Tax": money(line.line_tax),
            "Total": money(line.line_total),
        }
        for line in order.lines
    ]


def event_sentence(event: OrderEventOut, locale: str, timezone: str) -> str:
    """'Jan 5, 2026, 10:02:11 AM — placed as Pending payment by sales: order placed'."""
    when = formatting.moment(event.occurred_at, locale, timezone)
    to = formatting.status_label(event.to_status)
    move = f"{formatting.status_label(event.from_status)} → {to}" if event.from_status else f"placed as {to}"
    reason = f": {event.reason}" if event.reason else ""
    return f"{when} — {move} by {event.actor}{reason}"


def payment_rows(order: OrderOut, locale: str, timezone: str) -> list[dict[str, object]]:
    return [
        {
            "Paid on": formatting.day(p.paid_on, locale),
            "Method": method_label(p.method),
            "Amount": formatting.money(p.amount, locale, order.currency),
            "Reference": p.reference or "",
            "Recorded": f"{formatting.moment(p.recorded_at, locale, timezone)} by {p.recorded_by}",
        }
        for p in order.payments
    ]


def actions_for(roles: Iterable[str], order: OrderOut) -> list[str]:
    """What this person may do to this order now: pay, ship, cancel, hold, release (the server checks again)."""
    roles = list(roles)
    status = Status(order.status)
    allowed = ALLOWED_MOVES[status]
    offered = {
        "pay": may(roles, Action.RECORD_PAYMENT) and status is not Status.CANCELLED and order.balance_due > 0,
        "ship": may(roles, Action.SHIP_ORDER) and status in (Status.TO_SHIP, Status.PARTIALLY_SHIPPED),
        "cancel": may(roles, Action.CANCEL_ORDER) and Status.CANCELLED in allowed,
        "hold": may(roles, Action.HOLD_ORDER) and Status.ON_HOLD in allowed,
        "release": may(roles, Action.HOLD_ORDER) and status is Status.ON_HOLD,
    }
    return [action for action, ok in offered.items() if ok]


def warehouses_to_ship_from(order: OrderOut) -> list[str]:
    return sorted({line.warehouse for line in order.lines if line.quantity > line.shipped_quantity})


def parse_amount(text: str) -> Decimal | None:
    """'1,250.50' -> Decimal('1250.50'); None when it is not an amount."""
    try:
        amount = Decimal(text.replace(",", "").replace("¥", "").strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None
