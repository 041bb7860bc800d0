"""Server answers turned into sentences a clerk understands."""

from __future__ import annotations

from collections.abc import Mapping

from oms_ops.client import ApiError, Conflict
from oms_ops.contracts import ShortLine, WarehouseOut


def warehouse_label(warehouse: WarehouseOut) -> str:
    """'SH (Shanghai)': the code clerks use, and the city (else the name) for everyone else."""
    place = warehouse.city or warehouse.name
    return f"{warehouse.warehouse_code} ({place})" if place else warehouse.warehouse_code


def shortage_sentence(short: ShortLine, warehouses: Mapping[str, WarehouseOut]) -> str:
    known = warehouses.get(short.warehouse)
    where = warehouse_label(known) if known else short.warehouse
    return f"Only {short.available} of SKU {short.sku} available in {where}; {short.requested} requested."


def order_error_sentences(error: ApiError, warehouses: Mapping[str, WarehouseOut]) -> list[str]:
    """One sentence per short line for a stock conflict; otherwise the server's own sentence."""
    if isinstance(error, Conflict) and error.short:
        return [shortage_sentence(short, warehouses) for short in error.short]
    return [error.message]
