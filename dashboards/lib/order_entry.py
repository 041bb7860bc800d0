"""The New order page's draft: its widget keys, reading lines from session state, and placing the order."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from dashboards.lib import formatting
from dashboards.lib.messages import order_error_sentences
from dashboards.lib.session import State
from oms_ops.client import ApiError, OmsClient, Unauthorized
from oms_ops.contracts import CustomerOut, OrderLineIn, WarehouseOut

PREFIX = "new_order_"
CUSTOMER_QUERY = PREFIX + "customer_query"
CUSTOMER = PREFIX + "customer"
WAREHOUSE = PREFIX + "warehouse"
NOTE = PREFIX + "note"
CUSTOMER_PO = PREFIX + "customer_po"
DELIVERY_DATE = PREFIX + "requested_delivery_date"
LINE_COUNT = PREFIX + "line_count"
OUTCOME = PREFIX + "outcome"
MAX_LINES = 30


def sku_key(i: int) -> str:
    return f"{PREFIX}sku_{i}"


def qty_key(i: int) -> str:
    return f"{PREFIX}qty_{i}"


@dataclass(frozen=True)
class Outcome:
    """What the last press of "Place order" led to, shown once at the top of the page."""

    placed: bool
    sentences: list[str] = field(default_factory=list)
    order_number: str | None = None


def line_count(state: State) -> int:
    return int(state.get(LINE_COUNT, 1))


def add_line(state: State) -> None:
    state[LINE_COUNT] = min(line_count(state) + 1, MAX_LINES)


def remove_last_line(state: State) -> None:
    count = line_count(state)
    if count > 1:
        state.pop(sku_key(count - 1), None)
        state.pop(qty_key(count - 1), None)
        state[LINE_COUNT] = count - 1


def chosen_lines(state: State, warehouse: str | None) -> list[OrderLineIn]:
    """The lines with a product chosen, in the order shown."""
    lines = []
    for i in range(line_count(state)):
        sku = state.get(sku_key(i))
        if sku:
            lines.append(OrderLineIn(sku=sku, quantity=int(state.get(qty_key(i)) or 1), warehouse=warehouse))
    return lines


def problems(customer: str | None, warehouse: str | None, lines: list[OrderLineIn]) -> list[str]:
    found = []
    if not customer:
        found.append("Choose a customer.")
    if not warehouse:
        found.append("Choose the warehouse to ship from.")
    if not lines:
        found.append("Add at least one line with a product.")
    return found


def clear_draft(state: State) -> None:
    """After an order is placed: an empty order for the next customer, same warehouse."""
    for i in range(line_count(state)):
        state.pop(sku_key(i), None)
        state.pop(qty_key(i), None)
    for key in (CUSTOMER, CUSTOMER_QUERY, NOTE, CUSTOMER_PO, DELIVERY_DATE):
        state.pop(key, None)
    state[LINE_COUNT] = 1


def place(state: State, client: OmsClient, warehouses: dict[str, WarehouseOut], locale: str) -> Outcome:
    """Place the drafted order; on success the draft is cleared, on refusal it is kept for correction.

    Raises Unauthorized when the session has ended.
    """
    customer = state.get(CUSTOMER)
    warehouse = state.get(WAREHOUSE)
    lines = chosen_lines(state, warehouse)
    if found := problems(customer, warehouse, lines):
        return Outcome(placed=False, sentences=found)
    assert customer is not None
    try:
        order = client.place_order(
            customer,
            lines,
            note=state.get(NOTE) or None,
            requested_delivery_date=state.get(DELIVERY_DATE),
            customer_po=state.get(CUSTOMER_PO) or None,
        )
    except Unauthorized:
        raise
    except ApiError as error:
        return Outcome(placed=False, sentences=order_error_sentences(error, warehouses))
    except httpx.TransportError:
        return Outcome(placed=False, sentences=["The order server does not answer; the order was not placed."])
    clear_draft(state)
    total = formatting.money(order.total, locale, order.currency)
    status = formatting.status_label(order.status).lower()
    return Outcome(
        placed=True,
        order_number=order.order_number,
        sentences=[f"Order {order.order_number} placed: {total}, {status}."],
    )


def customer_note(customer: CustomerOut) -> str:
    """What the desk sees of the chosen customer: its tier (the pipeline writes it back from RFM and value)."""
    terms = "pays up front" if customer.payment_terms_days == 0 else f"{customer.payment_terms_days}-day terms"
    return f"Tier: {customer.tier} · {terms}"
