"""Stock arithmetic: what an order asks of each warehouse and SKU, and what is short."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from oms_ops.domain.errors import Shortage


def demand_by_location(lines: Iterable[tuple[str, str, int]]) -> dict[tuple[str, str], int]:
    """Sum the quantity an order asks per (warehouse, sku): two lines of one SKU count together."""
    demand: Counter[tuple[str, str]] = Counter()
    for warehouse, sku, quantity in lines:
        demand[(warehouse, sku)] += quantity
    return dict(demand)


def shortages(demand: Mapping[tuple[str, str], int], available: Mapping[tuple[str, str], int]) -> list[Shortage]:
    return [
        Shortage(sku=sku, warehouse=warehouse, requested=qty, available=available.get((warehouse, sku), 0))
        for (warehouse, sku), qty in sorted(demand.items())
        if available.get((warehouse, sku), 0) < qty
    ]
