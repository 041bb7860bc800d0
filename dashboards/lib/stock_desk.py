"""What the Warehouse stock page and the New order page show of stock operations, as plain rows and sentences."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dashboards.lib import formatting
from oms_ops.contracts import AtpOut, ExpectedReceiptOut, ReorderSuggestionOut, StockPositionOut, TransferOut

PREFIX = "stock_"
REASONS = {
    "count": "Stock count",
    "damage": "Damaged",
    "loss": "Lost",
    "found": "Found",
    "expiry": "Expired",
    "correction": "Booking correction",
}
REORDER_RULE = (
    "Suggested reorder = max(reorder point, 2 × safety stock) − (available + inbound), never below 0;"
    " inbound is open expected receipts plus transfers in transit."
)


def position_rows(
    positions: Iterable[StockPositionOut], demand_based: Mapping[tuple[str, str], int], locale: str
) -> list[dict[str, object]]:
    rows = []
    for p in positions:
        row: dict[str, object] = {
            "Warehouse": p.warehouse,
            "SKU": p.sku,
            "On hand": p.on_hand,
            "Reserved": p.reserved,
            "Available": p.available,
            "Safety stock": p.safety_stock,
            "Reorder point": p.reorder_point,
            "Inbound": p.inbound,
            "Alert": f"⚠ below safety stock: reorder {formatting.number(p.suggested_reorder or 0, locale)}"
            if p.alert_id is not None
            else "",
        }
        if demand_based:
            row["Demand-based suggestion"] = demand_based.get((p.warehouse, p.sku))
        rows.append(row)
    return rows


def demand_suggestions(suggestions: Iterable[ReorderSuggestionOut]) -> dict[tuple[str, str], int]:
    return {(s.warehouse, s.sku): s.suggested_qty for s in suggestions}


def alert_sentence(p: StockPositionOut, locale: str) -> str:
    return (
        f"{p.sku} in {p.warehouse}: {formatting.number(p.available, locale)} available, below the safety stock of"
        f" {formatting.number(p.safety_stock, locale)}; {formatting.number(p.inbound, locale)} inbound."
        f" Suggested reorder: {formatting.number(p.suggested_reorder or 0, locale)}."
    )


def transfer_label(t: TransferOut) -> str:
    lines = ", ".join(f"{line.quantity} × {line.sku}" for line in t.lines)
    return f"#{t.transfer_id} {t.from_warehouse} → {t.to_warehouse}: {lines} ({t.status.replace('_', ' ')})"


def transfer_rows(transfers: Iterable[TransferOut], locale: str) -> list[dict[str, object]]:
    return [
        {
            "Transfer": t.transfer_id,
            "From": t.from_warehouse,
            "To": t.to_warehouse,
            "Status": t.status.replace("_", " "),
            "Expected arrival": formatting.day(t.expected_arrival, locale),
            "Lines": ", ".join(f"{ln.sku}: {ln.received}/{ln.shipped or ln.quantity}" for ln in t.lines),
            "Note": t.note or "",
        }
        for t in transfers
    ]


def receipt_label(r: ExpectedReceiptOut) -> str:
    return f"#{r.receipt_id} {r.reference or ''} {r.outstanding} × {r.sku} → {r.warehouse} on {r.expected_on}"


def receipt_rows(receipts: Iterable[ExpectedReceiptOut], locale: str) -> list[dict[str, object]]:
    return [
        {
            "Receipt": r.receipt_id,
            "Reference": r.reference or "",
            "Warehouse": r.warehouse,
            "SKU": r.sku,
            "Expected on": formatting.day(r.expected_on, locale),
            "Quantity": r.quantity,
            "Received": r.received,
            "Still expected": r.outstanding,
        }
        for r in receipts
    ]


def atp_rows(atp: AtpOut, locale: str) -> list[dict[str, object]]:
    """One row per warehouse: now, what arrives when, and from when the quantity can be promised."""
    return [
        {
            "Warehouse": w.warehouse + (" (automatic choice)" if w.warehouse == atp.automatic_choice else ""),
            "Available now": w.available,
            "Arriving": "; ".join(
                f"{formatting.number(i.quantity, locale)} on {formatting.day(i.arrives_on, locale)} ({i.source})"
                for i in w.inbound
            )
            or "nothing expected",
            f"Can promise {atp.quantity} from": "today"
            if w.can_serve_now
            else (formatting.day(w.earliest_date, locale) if w.earliest_date else "not with what is known"),
        }
        for w in atp.warehouses
    ]


def split_sentence(atp: AtpOut, locale: str) -> str | None:
    """How to serve the quantity today across warehouses, when none has it alone."""
    if not atp.split:
        return None
    parts = " + ".join(f"{formatting.number(p.quantity, locale)} from {p.warehouse}" for p in atp.split)
    short = f"; {formatting.number(atp.short_after_split, locale)} still short" if atp.short_after_split else ""
    return f"No warehouse has {formatting.number(atp.quantity, locale)} alone today. Split: {parts}{short}."
