"""Amending an order: which lines the new version keeps, adds and drops, what that does to its reservations,
and where the order stands afterwards. No I/O here.

An amendment names the order's lines as they should be: a line with a `line_no` changes that line, one
without is matched to a current line of the same SKU (and warehouse, when given) or else added, and a
current line not named is removed. A line never goes below what has already shipped from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from oms_ops.domain import lifecycle
from oms_ops.domain.errors import InvalidInput, InvalidTransition, Shortage
from oms_ops.domain.lifecycle import Status
from oms_ops.domain.stock import demand_by_location

AMENDABLE = frozenset(
    {
        Status.DRAFT,
        Status.PENDING_APPROVAL,
        Status.PENDING_PAYMENT,
        Status.PAID,
        Status.TO_SHIP,
        Status.ON_HOLD,
        Status.PARTIALLY_SHIPPED,
    }
)
# Where an order waits for people to decide; an amendment routed there goes there, whatever it was.
DECISIONS = frozenset({Status.PENDING_APPROVAL, Status.ON_HOLD})


@dataclass(frozen=True)
class AmendedLine:
    """One line of the order as it should be. None for price or discount keeps the line's own
    (or, for a new line, the list price and no discount)."""

    sku: str
    quantity: int
    warehouse: str | None = None
    unit_price: Decimal | None = None
    discount_pct: Decimal | None = None
    line_no: int | None = None


@dataclass(frozen=True)
class CurrentLine:
    line_no: int
    sku: str
    warehouse: str
    quantity: int
    shipped: int
    unit_price: Decimal
    discount_pct: Decimal
    unit_cost: Decimal


@dataclass(frozen=True)
class PlannedLine:
    """A line of the new version: `current` is the line it changes, None for a new line."""

    line_no: int
    sku: str
    warehouse: str | None  # None: a new line whose warehouse the service chooses
    quantity: int
    unit_price: Decimal | None  # None: the product's list price
    discount_pct: Decimal
    current: CurrentLine | None

    @property
    def shipped(self) -> int:
        return self.current.shipped if self.current else 0

    @property
    def price_changed(self) -> bool:
        if self.current is None:
            return self.unit_price is not None
        return self.unit_price != self.current.unit_price

    @property
    def discount_changed(self) -> bool:
        return self.discount_pct != (self.current.discount_pct if self.current else Decimal(0))


def check_amendable(order_number: str, status: str) -> None:
    if Status(status) in AMENDABLE:
        return
    allowed = lifecycle.ALLOWED_MOVES[Status(status)]
    nexts = ", ".join(lifecycle.label(s) for s in sorted(allowed)) or "nothing (this is a final state)"
    raise InvalidTransition(
        f"Order {order_number} is {lifecycle.label(status)} and can no longer be amended; allowed next: {nexts}."
    )


def plan_lines(current: Sequence[CurrentLine], requested: Sequence[AmendedLine]) -> list[PlannedLine]:
    """The lines of the new version, each tied to the current line it changes (if any)."""
    if not requested:
        raise InvalidInput("An amended order needs at least one line; to drop all of it, cancel it.", field="lines")
    by_no = {line.line_no: line for line in current}
    taken: set[int] = set()
    for i, line in enumerate(requested):
        if line.line_no is not None:
            if line.line_no not in by_no:
                raise InvalidInput(f"This order has no line {line.line_no}.", field=f"lines[{i}].line_no")
            if line.line_no in taken:
                raise InvalidInput(f"Line {line.line_no} is named twice.", field=f"lines[{i}].line_no")
            taken.add(line.line_no)
    next_no = max([0, *by_no]) + 1
    planned = []
    for i, line in enumerate(requested):
        _check_quantity(i, line)
        now = by_no[line.line_no] if line.line_no is not None else _match(current, line, taken)
        if now is None:
            discount = line.discount_pct if line.discount_pct is not None else Decimal(0)
            planned.append(
                PlannedLine(next_no, line.sku, line.warehouse, line.quantity, line.unit_price, discount, None)
            )
            next_no += 1
            continue
        taken.add(now.line_no)
        _check_against(i, now, line)
        planned.append(
            PlannedLine(
                now.line_no,
                now.sku,
                line.warehouse or now.warehouse,
                line.quantity,
                now.unit_price if line.unit_price is None else line.unit_price,
                now.discount_pct if line.discount_pct is None else line.discount_pct,
                now,
            )
        )
    for kept in current:
        if kept.line_no not in taken and kept.shipped:
            raise InvalidInput(
                f"Line {kept.line_no} ({kept.sku}) has {kept.shipped} shipped and cannot be removed;"
                f" it can go down to {kept.shipped}.",
                field="lines",
            )
    if not any(p.quantity > p.shipped for p in planned):
        raise InvalidInput("Nothing would be left to ship; to stop the rest of the order, cancel it.", field="lines")
    return planned


def _check_quantity(i: int, line: AmendedLine) -> None:
    if line.quantity <= 0:
        raise InvalidInput(
            f"Quantity of line {i + 1} must be a positive whole number, not {line.quantity};"
            " leave a line out to remove it.",
            field=f"lines[{i}].quantity",
        )
    if line.unit_price is not None and line.unit_price < 0:
        raise InvalidInput(
            f"Unit price of line {i + 1} cannot be negative ({line.unit_price}).", field=f"lines[{i}].unit_price"
        )
    if line.discount_pct is not None and not Decimal(0) <= line.discount_pct <= Decimal(100):
        raise InvalidInput(
            f"Discount of line {i + 1} must be between 0 and 100 percent, not {line.discount_pct}.",
            field=f"lines[{i}].discount_pct",
        )


def _match(current: Sequence[CurrentLine], line: AmendedLine, taken: set[int]) -> CurrentLine | None:
    """The first current line not yet named with the same SKU (and warehouse, when the line gives one)."""
    for now in current:
        if now.line_no not in taken and now.sku == line.sku and line.warehouse in (None, now.warehouse):
            return now
    return None


def _check_against(i: int, now: CurrentLine, line: AmendedLine) -> None:
    if line.sku != now.sku:
        raise InvalidInput(
            f"Line {now.line_no} is {now.sku}; to order {line.sku} instead, remove the line and add a new one.",
            field=f"lines[{i}].sku",
        )
    if line.quantity < now.shipped:
        raise InvalidInput(
            f"Line {now.line_no} ({now.sku}) has {now.shipped} shipped already; it cannot go below {now.shipped}.",
            field=f"lines[{i}].quantity",
        )
    if line.warehouse not in (None, now.warehouse) and now.shipped:
        raise InvalidInput(
            f"Line {now.line_no} has shipped from {now.warehouse} and stays there; add a new line for"
            f" {line.warehouse}.",
            field=f"lines[{i}].warehouse",
        )


def reservation_change(
    current: Sequence[CurrentLine], planned: Sequence[tuple[str, PlannedLine]]
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """(to reserve, to release) per (warehouse, sku): what is left to ship after the change, minus before.

    `planned` pairs each new line with the warehouse it ships from.
    """
    before = demand_by_location((ln.warehouse, ln.sku, ln.quantity - ln.shipped) for ln in current)
    after = demand_by_location((wh, ln.sku, ln.quantity - ln.shipped) for wh, ln in planned)
    change = {loc: after.get(loc, 0) - before.get(loc, 0) for loc in {*before, *after}}
    more = {loc: qty for loc, qty in sorted(change.items()) if qty > 0}
    less = {loc: -qty for loc, qty in sorted(change.items()) if qty < 0}
    return more, less


def as_whole_order(short: Sequence[Shortage], current: Sequence[CurrentLine]) -> list[Shortage]:
    """Shortages of the extra units, restated for the whole order: what it would hold against what it could."""
    held = demand_by_location((ln.warehouse, ln.sku, ln.quantity - ln.shipped) for ln in current)
    return [
        Shortage(s.sku, s.warehouse, s.requested + held.get((s.warehouse, s.sku), 0),
                 s.available + held.get((s.warehouse, s.sku), 0))
        for s in short
    ]  # fmt: skip


def overpaid(total: Decimal, paid: Decimal) -> Decimal:
    """What the customer paid beyond the amended total (never negative): a refund due, as on cancellation."""
    return max(Decimal(0), paid - total)


@dataclass(frozen=True)
class HeaderChange:
    """Header fields an amendment changes besides the lines. None keeps the field; an empty text clears it, and
    `clear_requested_delivery_date` the date (the customer no longer asks for one)."""

    requested_delivery_date: date | None = None
    note: str | None = None
    customer_po: str | None = None
    clear_requested_delivery_date: bool = False


NOTE_MAX = 500
PO_MAX = 64


def header_changes(current: Mapping[str, Any], change: HeaderChange | None, today: date) -> dict[str, Any]:
    """The header fields that change, with their new values (None clears a text); checked first."""
    if change is None:
        return {}
    wanted: dict[str, Any] = {}
    if change.clear_requested_delivery_date:
        if change.requested_delivery_date is not None:
            raise InvalidInput(
                "Give a new requested delivery date or clear it, not both.", field="requested_delivery_date"
            )
        wanted["requested_delivery_date"] = None
    if change.requested_delivery_date is not None:
        if change.requested_delivery_date < today:
            raise InvalidInput(
                f"The requested delivery date {change.requested_delivery_date.isoformat()} is in the past;"
                f" give {today.isoformat()} or a later day.",
                field="requested_delivery_date",
            )
        wanted["requested_delivery_date"] = change.requested_delivery_date
    for name, text, most in (("note", change.note, NOTE_MAX), ("customer_po", change.customer_po, PO_MAX)):
        if text is None:
            continue
        text = text.strip()
        if len(text) > most:
            what = "A note" if name == "note" else "A customer PO reference"
            raise InvalidInput(f"{what} has at most {most} characters, not {len(text)}.", field=name)
        wanted[name] = text or None
    return {k: v for k, v in wanted.items() if v != current.get(k)}


def status_after_amendment(current: str, routed: Status, settled: bool) -> list[Status]:
    """The statuses an amended order moves through (empty: it stays where it is).

    `routed` is where the gate sends the order as it now stands (approvals, credit, payment terms);
    `settled` says whether what is paid covers the new total.

    - routed to a decision (pending approval, on hold): it goes there.
    - on hold, and no new decision needed: it stays on hold; releasing it moves it on.
    - pending approval, and the new version needs none: it goes where a confirmed order goes.
    - a prepaid order (routed to pending payment) whose paid total no longer covers it goes back to pending
      payment for the difference; one still pending payment that is now covered moves on to paid and to ship.
    - otherwise it stays where it is (to ship, partially shipped, paid, draft).
    """
    status = Status(current)
    if routed in DECISIONS:
        return [] if status is routed else [routed]
    if status is Status.ON_HOLD or status is Status.DRAFT:
        return []
    if status is Status.PENDING_APPROVAL:
        return [routed, *lifecycle.moves_after_settlement(routed, settled)]
    if routed is Status.PENDING_PAYMENT:
        if not settled and status is not Status.PENDING_PAYMENT:
            return [Status.PENDING_PAYMENT]
        return lifecycle.moves_after_settlement(status, settled) if status is Status.PENDING_PAYMENT else []
    return []
