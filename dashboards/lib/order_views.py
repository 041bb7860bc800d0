"""Orders as tables and timelines for the Orders page: plain rows of formatted text, no Streamlit here."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dashboards.lib import formatting
from oms_ops.contracts import OrderEventOut, OrderOut, OrderPage
from oms_ops.domain.lifecycle import Status

PAGE_SIZE = 25
STATUSES: list[str] = [s.value for s in Status]


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
