"""EDIFACT ORDERS (D.96A and later) read into canonical order rows; see orders.py for what is taken."""

from oms_ops.adapters.edifact.orders import (
    EdifactRefused,
    OrderMessage,
    is_edifact,
    parse_interchange,
    read_edifact_orders,
)

__all__ = ["EdifactRefused", "OrderMessage", "is_edifact", "parse_interchange", "read_edifact_orders"]
