"""Who may do what. Services check these; pages only use them to decide what to show."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from oms_ops.domain.errors import PermissionDenied


class Role(StrEnum):
    ADMIN = "admin"
    SALES = "sales"
    WAREHOUSE = "warehouse"
    FINANCE = "finance"
    MANAGER = "manager"
    ANALYST = "analyst"
    SYSTEM = "system"  # pipelines and outside systems, signing in with the API key


class Action(StrEnum):
    MANAGE_USERS = "manage users"
    PLACE_ORDER = "place orders"
    VIEW_ORDERS = "view orders"
    VIEW_STOCK = "view stock"
    RECEIVE_STOCK = "receive stock"
    VIEW_MASTER_DATA = "view customers and products"
    BULK_LOAD = "bulk-load data"
    TAKE_SNAPSHOT = "take snapshots"
    RUN_PIPELINE = "run the pipeline"
    IMPORT_ORDERS = "import channel orders"
    RECORD_PAYMENT = "record payments"
    SHIP_ORDER = "ship orders"
    CANCEL_ORDER = "cancel orders"
    AMEND_ORDER = "amend orders"
    HOLD_ORDER = "hold and release orders"
    CHANGE_PRICES = "change prices on order lines"
    GIVE_DISCOUNT = "give discounts on order lines"
    APPROVE_ORDERS = "approve or reject orders"
    MANAGE_APPROVAL_RULES = "edit approval rules"
    VIEW_CREDIT = "view customer credit"
    OVERRIDE_CREDIT = "override a credit hold"
    ADJUST_STOCK = "adjust stock"
    TRANSFER_STOCK = "transfer stock between warehouses"
    PLAN_STOCK = "set safety stock, reorder points and expected receipts"
    WRITE_PLANNING = "write back planning data (customer tiers, reorder suggestions)"
    VIEW_PAYMENTS = "view payments and refunds"
    MANAGE_OUTBOX = "see and retry outgoing messages"
    LOAD_MASTER_DATA = "load ERP master data (customers, products, price lists, stock counts)"


EVERYONE = frozenset(Role)

ALLOWED: dict[Action, frozenset[Role]] = {
    Action.MANAGE_USERS: frozenset({Role.ADMIN, Role.SYSTEM}),
    Action.PLACE_ORDER: frozenset({Role.SALES, Role.MANAGER, Role.ADMIN, Role.SYSTEM}),
    Action.VIEW_ORDERS: EVERYONE,
    Action.VIEW_STOCK: EVERYONE,
    Action.RECEIVE_STOCK: frozenset({Role.WAREHOUSE, Role.ADMIN, Role.SYSTEM}),
    Action.VIEW_MASTER_DATA: EVERYONE,
    Action.BULK_LOAD: frozenset({Role.ADMIN, Role.SYSTEM}),
    Action.TAKE_SNAPSHOT: frozenset({Role.ADMIN, Role.SYSTEM}),
    Action.RUN_PIPELINE: frozenset({Role.ADMIN, Role.MANAGER, Role.ANALYST, Role.SYSTEM}),
    Action.IMPORT_ORDERS: frozenset({Role.ADMIN, Role.SYSTEM}),
    Action.RECORD_PAYMENT: frozenset({Role.FINANCE, Role.ADMIN, Role.SYSTEM}),
    Action.SHIP_ORDER: frozenset({Role.WAREHOUSE, Role.ADMIN, Role.SYSTEM}),
    Action.CANCEL_ORDER: frozenset({Role.SALES, Role.MANAGER, Role.ADMIN, Role.SYSTEM}),
    Action.AMEND_ORDER: frozenset({Role.SALES, Role.MANAGER, Role.ADMIN, Role.SYSTEM}),
    Action.HOLD_ORDER: frozenset({Role.SALES, Role.MANAGER, Role.ADMIN, Role.SYSTEM}),
    Action.CHANGE_PRICES: frozenset({Role.MANAGER, Role.ADMIN, Role.SYSTEM}),
    Action.GIVE_DISCOUNT: frozenset({Role.SALES, Role.MANAGER, Role.ADMIN, Role.SYSTEM}),
    # Whether a person may decide one request is checked against the roles that request names.
    Action.APPROVE_ORDERS: frozenset({Role.MANAGER, Role.FINANCE, Role.ADMIN}),
    Action.MANAGE_APPROVAL_RULES: frozenset({Role.ADMIN}),
    Action.VIEW_CREDIT: frozenset({Role.FINANCE, Role.MANAGER, Role.SALES, Role.ADMIN, Role.SYSTEM}),
    Action.OVERRIDE_CREDIT: frozenset({Role.FINANCE, Role.ADMIN}),
    Action.ADJUST_STOCK: frozenset({Role.WAREHOUSE, Role.ADMIN, Role.SYSTEM}),
    Action.TRANSFER_STOCK: frozenset({Role.WAREHOUSE, Role.ADMIN, Role.SYSTEM}),
    Action.PLAN_STOCK: frozenset({Role.WAREHOUSE, Role.ADMIN, Role.SYSTEM}),
    Action.WRITE_PLANNING: frozenset({Role.ADMIN, Role.SYSTEM}),
    Action.VIEW_PAYMENTS: frozenset({Role.FINANCE, Role.MANAGER, Role.ADMIN, Role.SYSTEM}),
    Action.MANAGE_OUTBOX: frozenset({Role.ADMIN, Role.SYSTEM}),
    Action.LOAD_MASTER_DATA: frozenset({Role.ADMIN, Role.SYSTEM}),
}

HUMAN_ROLES = [r.value for r in Role if r is not Role.SYSTEM]


def may(roles: Iterable[str], action: Action) -> bool:
    return any(role in ALLOWED[action] for role in roles)


def require(roles: Iterable[str], action: Action) -> None:
    roles = list(roles)
    if not may(roles, action):
        raise PermissionDenied(f"Your role ({', '.join(roles) or 'none'}) may not {action.value}.")
