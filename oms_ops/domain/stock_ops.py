"""Stock operations without I/O: adjustment reasons, transfer states, the reorder suggestion, promises."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from oms_ops.domain.errors import InsufficientStock, InvalidInput, InvalidTransition, Shortage


class AdjustmentReason(StrEnum):
    COUNT = "count"  # a stock count found a different number
    DAMAGE = "damage"
    LOSS = "loss"
    FOUND = "found"
    EXPIRY = "expiry"
    CORRECTION = "correction"  # a booking error put right


def check_reason(reason: str) -> AdjustmentReason:
    try:
        return AdjustmentReason(reason)
    except ValueError:
        allowed = ", ".join(r.value for r in AdjustmentReason)
        raise InvalidInput(f"Unknown reason code {reason!r}; use one of: {allowed}.", field="reason") from None


class BelowReserved(InsufficientStock):
    """An adjustment would leave less on hand than is reserved for orders."""

    def __init__(self, warehouse: str, sku: str, change: int, on_hand: int, reserved: int) -> None:
        super().__init__([Shortage(sku=sku, warehouse=warehouse, requested=-change, available=on_hand - reserved)])
        self.message = (
            f"Cannot take {-change} of SKU {sku} out of {warehouse}: on hand {on_hand}, of which {reserved} are"
            f" reserved for orders, so at most {max(on_hand - reserved, 0)} can go."
        )
        self.args = (self.message,)


class TransferStatus(StrEnum):
    REQUESTED = "requested"
    IN_TRANSIT = "in_transit"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


_NEXT: dict[TransferStatus, str] = {
    TransferStatus.REQUESTED: "ship it or cancel it",
    TransferStatus.IN_TRANSIT: "receive it, all or part",
    TransferStatus.PARTIALLY_RECEIVED: "receive the rest",
    TransferStatus.RECEIVED: "nothing: it is complete",
    TransferStatus.CANCELLED: "nothing: it is cancelled",
}

_ALLOWED: dict[str, frozenset[TransferStatus]] = {
    "ship": frozenset({TransferStatus.REQUESTED}),
    "receive": frozenset({TransferStatus.IN_TRANSIT, TransferStatus.PARTIALLY_RECEIVED}),
    "cancel": frozenset({TransferStatus.REQUESTED}),
}


def check_transfer_step(transfer_id: int, status: str, step: str) -> None:
    """Refuse a step the transfer's status does not allow, saying what it may do next."""
    current = TransferStatus(status)
    if current not in _ALLOWED[step]:
        label = current.value.replace("_", " ")
        raise InvalidTransition(f"Transfer {transfer_id} is {label}; it cannot {step}. Next: {_NEXT[current]}.")


def status_after_receipt(outstanding: int) -> TransferStatus:
    return TransferStatus.RECEIVED if outstanding == 0 else TransferStatus.PARTIALLY_RECEIVED


def suggested_reorder(safety_stock: int, reorder_point: int, available: int, inbound: int) -> int:
    """Order enough to bring available plus inbound back up to max(reorder point, 2 x safety stock).

    Inbound is what is already on its way: open expected receipts and transfers in transit to the
    warehouse. Twice the safety stock is the floor of the target so that a reorder point left at 0
    still yields a useful quantity.
    """
    target = max(reorder_point, 2 * safety_stock)
    return max(target - available - inbound, 0)


@dataclass(frozen=True)
class Inbound:
    arrives_on: date
    quantity: int
    source: str  # e.g. "transfer 12 from BJ", "receipt PO-778"


def earliest_promise(available: int, inbound: Iterable[Inbound], quantity: int, today: date) -> date | None:
    """The first day available plus what has arrived by then covers the quantity; None if it never does."""
    if available >= quantity:
        return today
    covered = available
    for arrival in sorted(inbound, key=lambda i: i.arrives_on):
        covered += arrival.quantity
        if covered >= quantity:
            return max(arrival.arrives_on, today)
    return None


def split_now(available: Mapping[str, int], quantity: int) -> tuple[list[tuple[str, int]], int]:
    """Serve the quantity from today's stock, most available first: [(warehouse, units)] and what is left short."""
    parts = []
    left = quantity
    for warehouse, units in sorted(available.items(), key=lambda kv: (-kv[1], kv[0])):
        if left <= 0 or units <= 0:
            break
        take = min(units, left)
        parts.append((warehouse, take))
        left -= take
    return parts, left
