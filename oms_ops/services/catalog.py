"""Customers, products and warehouses as the order desk looks them up."""

from __future__ import annotations

from typing import Any

from oms_ops.domain.roles import Action, require
from oms_ops.services.actor import Actor
from oms_ops.store.database import Database, rows_as_dicts

MAX_LIMIT = 500


def find_customers(db: Database, actor: Actor, query: str | None, limit: int) -> list[dict[str, Any]]:
    require(actor.roles, Action.VIEW_MASTER_DATA)
    pattern = f"%{query or ''}%"
    with db.reading() as cur:
        cur.execute(
            "select * from customers where customer_code ilike ? or name ilike ? or coalesce(name_en, '') ilike ?"
            " order by customer_code limit ?",
            [pattern, pattern, pattern, min(limit, MAX_LIMIT)],
        )
        return rows_as_dicts(cur)


def find_products(db: Database, actor: Actor, query: str | None, limit: int) -> list[dict[str, Any]]:
    require(actor.roles, Action.VIEW_MASTER_DATA)
    pattern = f"%{query or ''}%"
    with db.reading() as cur:
        cur.execute(
            "select * from products where is_active and (sku ilike ? or name ilike ? or coalesce(gtin, '') = ?)"
            " order by sku limit ?",
            [pattern, pattern, query or "", min(limit, MAX_LIMIT)],
        )
        return rows_as_dicts(cur)


def list_warehouses(db: Database, actor: Actor) -> list[dict[str, Any]]:
    require(actor.roles, Action.VIEW_MASTER_DATA)
    with db.reading() as cur:
        cur.execute("select * from warehouses order by warehouse_code")
        return rows_as_dicts(cur)
