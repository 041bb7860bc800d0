"""Which pages each role sees, grouped as the sidebar shows them. Pure data: the server still checks every call."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from oms_ops.domain.roles import Action, may

SALES_DASHBOARD_ROLES = frozenset({"manager", "analyst", "admin", "finance"})
INVENTORY_DASHBOARD_ROLES = frozenset({"manager", "analyst", "admin", "warehouse"})
CUSTOMER_DASHBOARD_ROLES = frozenset({"manager", "analyst", "admin"})
WAREHOUSE_STOCK_ROLES = frozenset({"warehouse", "manager", "admin", "sales"})  # sales reads it for promises


@dataclass(frozen=True)
class PageSpec:
    group: str
    path: str  # relative to dashboards/app.py
    title: str
    icon: str

    def visible_to(self, roles: Iterable[str]) -> bool:
        return can_open(self.path, roles)


SIGN_IN = PageSpec("", "views/sign_in.py", "Sign in", ":material/login:")
NEW_ORDER = PageSpec("Ops", "views/new_order.py", "New order", ":material/add_shopping_cart:")
ORDERS = PageSpec("Ops", "views/orders.py", "Orders", ":material/receipt_long:")
SALES = PageSpec("Decisions", "views/sales.py", "Sales", ":material/trending_up:")
INVENTORY = PageSpec("Decisions", "views/inventory.py", "Inventory", ":material/inventory_2:")
CUSTOMERS = PageSpec("Decisions", "views/customers.py", "Customers", ":material/groups:")
IMPORTS = PageSpec("Ops", "views/imports.py", "Imports", ":material/upload_file:")
WAREHOUSE_STOCK = PageSpec("Ops", "views/stock.py", "Warehouse stock", ":material/warehouse:")
PAYMENTS = PageSpec("Ops", "views/payments.py", "Payments", ":material/payments:")
OUTBOX = PageSpec("Admin", "views/outbox.py", "Outbox", ":material/outbox:")
APPROVALS = PageSpec("Ops", "views/approvals.py", "Approvals", ":material/approval:")
CREDIT = PageSpec("Ops", "views/credit.py", "Customer credit", ":material/credit_score:")
APPROVAL_RULES = PageSpec("Admin", "views/approval_rules.py", "Approval rules", ":material/rule:")
SIGNED_IN_PAGES = (
    NEW_ORDER,
    ORDERS,
    APPROVALS,
    WAREHOUSE_STOCK,
    PAYMENTS,
    CREDIT,
    IMPORTS,
    SALES,
    INVENTORY,
    CUSTOMERS,
    APPROVAL_RULES,
    OUTBOX,
)


def can_open(path: str, roles: Iterable[str]) -> bool:
    roles = list(roles)
    if path == NEW_ORDER.path:
        return may(roles, Action.PLACE_ORDER)
    if path == ORDERS.path:
        return may(roles, Action.VIEW_ORDERS)
    if path == SALES.path:
        return any(role in SALES_DASHBOARD_ROLES for role in roles)
    if path == INVENTORY.path:
        return any(role in INVENTORY_DASHBOARD_ROLES for role in roles)
    if path == CUSTOMERS.path:
        return any(role in CUSTOMER_DASHBOARD_ROLES for role in roles)
    if path == IMPORTS.path:
        return may(roles, Action.IMPORT_ORDERS)
    if path == WAREHOUSE_STOCK.path:
        return any(role in WAREHOUSE_STOCK_ROLES for role in roles)
    if path == PAYMENTS.path:
        return may(roles, Action.VIEW_PAYMENTS)
    if path == OUTBOX.path:
        return may(roles, Action.MANAGE_OUTBOX)
    if path == APPROVALS.path:
        return may(roles, Action.APPROVE_ORDERS)
    if path == CREDIT.path:
        return may(roles, Action.VIEW_CREDIT)
    if path == APPROVAL_RULES.path:
        return may(roles, Action.MANAGE_APPROVAL_RULES)
    return path == SIGN_IN.path


def may_run_pipeline(roles: Iterable[str]) -> bool:
    return may(roles, Action.RUN_PIPELINE)


def pages_by_group(roles: Iterable[str]) -> dict[str, list[PageSpec]]:
    """{'Ops': [...], 'Decisions': [...]} with only the pages these roles may open, groups in sidebar order."""
    roles = list(roles)
    groups: dict[str, list[PageSpec]] = {}
    for page in SIGNED_IN_PAGES:
        if page.visible_to(roles):
            groups.setdefault(page.group, []).append(page)
    return groups
