"""Where a just-placed or just-amended order goes next: approvals first, then credit, then payment terms.

Both `orders.place_order` and the amendment service call `route_confirmed` inside their write
transaction, with the facts of the order as it now stands, so every rule applies to every path
(order desk, API, imports).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import duckdb

from oms_ops.domain import lifecycle
from oms_ops.domain.lifecycle import Status
from oms_ops.services.actor import Actor


@dataclass(frozen=True)
class LineFacts:
    sku: str
    warehouse: str
    quantity: int
    list_price: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    unit_cost: Decimal
    line_net: Decimal


@dataclass(frozen=True)
class OrderFacts:
    order_number: str
    customer: dict[str, Any]  # the customers row
    created_by: str  # who placed the order: they may not approve it
    lines: list[LineFacts]
    subtotal: Decimal
    total: Decimal
    version: int = 1  # 1 when placed; each amendment adds one


def route_confirmed(
    cur: duckdb.DuckDBPyConnection, facts: OrderFacts, actor: Actor, now: datetime
) -> tuple[Status, str]:
    """The status the order moves to and the reason written on its event."""
    return lifecycle.status_after_confirmation(facts.customer["payment_terms_days"]), "order placed"
