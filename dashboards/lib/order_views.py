"""Orders as tables and timelines for the Orders page: plain rows of formatted text, no Streamlit here."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from dashboards.lib import formatting
from oms_ops.contracts import OrderEventOut, OrderOut, OrderPage, OrderVersionOut
from oms_ops.domain.amendments import AMENDABLE
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


# -- amending an order, and its versions ---------------------------------------------------------


def may_amend(roles: Iterable[str], order: OrderOut) -> bool:
    return may(list(roles), Action.AMEND_ORDER) and Status(order.status) in AMENDABLE


@dataclass(frozen=True)
class LineEdit:
    """What the clerk typed for one current line: quantity (0 removes it), and price and discount as text."""

    line_no: int
    quantity: int
    unit_price: str | None = None  # None: the role may not change it
    discount_pct: str | None = None
    warehouse: str | None = None  # None: where it is


def amendment_lines(
    order: OrderOut, edits: list[LineEdit], add_sku: str = "", add_quantity: int = 0, add_warehouse: str = ""
) -> list[dict[str, object]]:
    """The amended order's lines for the client: kept lines by number (price and discount only where changed),
    plus the added SKU. Raises ValueError with a sentence for text that is not a number."""
    current = {line.line_no: line for line in order.lines}
    lines: list[dict[str, object]] = []
    for edit in edits:
        if edit.quantity <= 0:
            continue
        line = current[edit.line_no]
        amended: dict[str, object] = {"line_no": edit.line_no, "sku": line.sku, "quantity": edit.quantity}
        price = _number(edit.unit_price, f"The unit price of line {edit.line_no}")
        if price is not None and price != line.unit_price:
            amended["unit_price"] = str(price)
        discount = _number(edit.discount_pct, f"The discount of line {edit.line_no}")
        if discount is not None and discount != line.discount_pct:
            amended["discount_pct"] = str(discount)
        if edit.warehouse and edit.warehouse != line.warehouse:
            amended["warehouse"] = edit.warehouse
        lines.append(amended)
    if add_sku.strip() and add_quantity > 0:
        added: dict[str, object] = {"sku": add_sku.strip().upper(), "quantity": add_quantity}
        if add_warehouse.strip():
            added["warehouse"] = add_warehouse.strip().upper()
        lines.append(added)
    return lines


def lines_unchanged(order: OrderOut, lines: list[dict[str, object]]) -> bool:
    """Whether the amended lines are the order's lines as they are (then only the header changes)."""
    unchanged = [{"line_no": ln.line_no, "sku": ln.sku, "quantity": ln.quantity} for ln in order.lines]
    return lines == unchanged


@dataclass(frozen=True)
class HeaderEdit:
    """Header fields to change (None keeps one; an empty note or PO reference clears it)."""

    requested_delivery_date: date | None = None
    note: str | None = None
    customer_po: str | None = None
    clear_requested_delivery_date: bool = False

    def __bool__(self) -> bool:
        given = (self.requested_delivery_date, self.note, self.customer_po)
        return self.clear_requested_delivery_date or any(v is not None for v in given)


def header_changes(order: OrderOut, delivery: date | None, note: str | None, customer_po: str | None) -> HeaderEdit:
    """The header fields the clerk changed: a new delivery date (an emptied one clears it), or a note or PO
    reference that differs from the order's (an emptied one is sent empty, which clears it)."""

    def changed(typed: str | None, current: str | None) -> str | None:
        return typed.strip() if typed is not None and typed.strip() != (current or "") else None

    return HeaderEdit(
        delivery if delivery is not None and delivery != order.requested_delivery_date else None,
        changed(note, order.note),
        changed(customer_po, order.customer_po),
        clear_requested_delivery_date=delivery is None and order.requested_delivery_date is not None,
    )


def header_caption(order: OrderOut | OrderVersionOut) -> str:
    """'Requested delivery 2026-12-04 · customer PO PO-118', or '' when neither is set."""
    parts = []
    if order.requested_delivery_date:
        parts.append(f"Requested delivery {order.requested_delivery_date.isoformat()}")
    if order.customer_po:
        parts.append(f"customer PO {order.customer_po}")
    return " · ".join(parts)


def _number(text: str | None, what: str) -> Decimal | None:
    if text is None or not text.strip():
        return None
    amount = parse_amount(text.replace("%", ""))
    if amount is None:
        raise ValueError(f"{what} must be a number, such as 12.50, not {text!r}.")
    return amount


def version_rows(order: OrderOut, locale: str, timezone: str) -> list[dict[str, object]]:
    return [
        {
            "Version": v.version,
            "When": formatting.moment(v.created_at, locale, timezone),
            "By": v.created_by,
            "Why": v.reason or "",
            "Status": formatting.status_label(v.status),
            "Total": formatting.money(v.total, locale, order.currency),
        }
        for v in order.versions
    ]


def version_line_rows(version: OrderVersionOut, locale: str) -> list[dict[str, object]]:
    def money(amount: Decimal) -> str:
        return formatting.money(amount, locale, version.currency)

    return [
        {
            "#": line.line_no,
            "SKU": line.sku,
            "Warehouse": line.warehouse,
            "Quantity": formatting.number(line.quantity, locale),
            "Unit price": money(line.unit_price),
            "Discount": formatting.percent(line.discount_pct / 100, locale),
            "Total": money(line.line_total),
        }
        for line in version.lines
    ]
