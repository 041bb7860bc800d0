"""Planning data written back from the marts: customer tiers and reorder suggestions, set-based.

Each write is one transaction over the whole batch: it validates every row first (naming the first bad
ones) and writes nothing unless all are valid. Re-sending the same batch changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import duckdb
import polars as pl

from oms_ops.domain.errors import InvalidInput
from oms_ops.domain.roles import Action, require
from oms_ops.services.actor import Actor
from oms_ops.store.database import Database, rows_as_dicts

TIERS = ("key", "gold", "silver", "standard")
SOURCES = ("rfm", "manual")
SHOWN_PROBLEMS = 5
MAX_REASON = 200


def _fail_on(cur: duckdb.DuckDBPyConnection, sql: str, field: str, problem: str) -> None:
    """Raise naming the rows `sql` returns (row_no, value), if any."""
    rows = cur.execute(sql + f" order by row_no limit {SHOWN_PROBLEMS}").fetchall()
    if rows:
        where = "; ".join(f"row {row_no}: {value!r}" for row_no, value in rows)
        raise InvalidInput(f"{problem} in field {field} ({where}).", field=field)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise InvalidInput("as_of needs a time zone (UTC).", field="as_of")
    return value.astimezone(UTC)


def put_customer_tiers(
    db: Database, actor: Actor, tiers: list[tuple[str, str]], as_of: datetime, source: str = "rfm"
) -> dict[str, int]:
    """Set each (customer_code, tier); a change also writes a customer_tier_history row. Returns counts."""
    require(actor.roles, Action.WRITE_PLANNING)
    if source not in SOURCES:
        raise InvalidInput(f"Unknown tier source {source!r}; known: {', '.join(SOURCES)}.", field="source")
    as_of = _utc(as_of)
    incoming = pl.DataFrame(
        {"customer_code": [code for code, _ in tiers], "tier": [tier for _, tier in tiers]},
        schema={"customer_code": pl.String, "tier": pl.String},
    ).with_row_index("row_no", offset=1)
    now = datetime.now(UTC)
    with db.transaction() as cur:
        cur.register("incoming_tiers", incoming.to_arrow())
        try:
            _fail_on(
                cur,
                "select row_no, customer_code from incoming_tiers"
                " qualify count(*) over (partition by customer_code) > 1",
                "customer_code",
                "The same customer appears more than once",
            )
            _fail_on(
                cur,
                "select row_no, tier from incoming_tiers where tier is null or tier not in "
                f"({', '.join(repr(t) for t in TIERS)})",
                "tier",
                f"Not a tier ({', '.join(TIERS)})",
            )
            _fail_on(
                cur,
                "select row_no, customer_code from incoming_tiers i"
                " where not exists (select 1 from customers c where c.customer_code = i.customer_code)",
                "customer_code",
                "Unknown customer",
            )
            cur.execute(
                "create or replace temp table tier_changes as"
                " select c.customer_code, c.tier as from_tier, i.tier as to_tier"
                " from incoming_tiers i join customers c using (customer_code) where c.tier <> i.tier"
            )
            changed = _scalar(cur, "select count(*) from tier_changes")
            cur.execute(
                "insert into customer_tier_history (customer_code, from_tier, to_tier, source, as_of, changed_at,"
                " actor) select customer_code, from_tier, to_tier, ?, ?, ?, ? from tier_changes"
                " order by customer_code",
                [source, as_of, now, actor.username],
            )
            cur.execute(
                "update customers set tier = t.to_tier from tier_changes t"
                " where customers.customer_code = t.customer_code"
            )
            cur.execute("drop table tier_changes")
        finally:
            cur.unregister("incoming_tiers")
    return {"received": incoming.height, "changed": changed, "unchanged": incoming.height - changed}


def tier_history(db: Database, actor: Actor, customer_code: str) -> list[dict[str, Any]]:
    require(actor.roles, Action.VIEW_MASTER_DATA)
    with db.reading() as cur:
        cur.execute(
            "select customer_code, from_tier, to_tier, source, as_of, changed_at, actor"
            " from customer_tier_history where customer_code = ? order by change_id",
            [customer_code],
        )
        return rows_as_dicts(cur)


def put_reorder_suggestions(
    db: Database, actor: Actor, suggestions: list[dict[str, Any]], as_of: datetime
) -> dict[str, int]:
    """Replace the whole suggestion set with `suggestions` (warehouse, sku, suggested_qty, days_of_supply, reason)."""
    require(actor.roles, Action.WRITE_PLANNING)
    as_of = _utc(as_of)
    incoming = pl.DataFrame(
        {
            "warehouse_code": [s["warehouse"] for s in suggestions],
            "sku": [s["sku"] for s in suggestions],
            "suggested_qty": [s["suggested_qty"] for s in suggestions],
            "days_of_supply": [_decimal(s.get("days_of_supply")) for s in suggestions],
            "reason": [(s.get("reason") or None) for s in suggestions],
        },
        schema={
            "warehouse_code": pl.String,
            "sku": pl.String,
            "suggested_qty": pl.Int64,
            "days_of_supply": pl.Decimal(18, 1),
            "reason": pl.String,
        },
    ).with_row_index("row_no", offset=1)
    now = datetime.now(UTC)
    with db.transaction() as cur:
        cur.register("incoming_suggestions", incoming.to_arrow())
        try:
            _fail_on(
                cur,
                "select row_no, concat_ws('/', warehouse_code, sku) from incoming_suggestions"
                " qualify count(*) over (partition by warehouse_code, sku) > 1",
                "sku",
                "The same warehouse and SKU appear more than once",
            )
            _fail_on(
                cur,
                "select row_no, suggested_qty from incoming_suggestions"
                " where suggested_qty is null or suggested_qty <= 0",
                "suggested_qty",
                "Not a positive quantity",
            )
            _fail_on(
                cur,
                f"select row_no, reason from incoming_suggestions where length(reason) > {MAX_REASON}",
                "reason",
                f"Longer than {MAX_REASON} characters",
            )
            _fail_on(
                cur,
                "select row_no, warehouse_code from incoming_suggestions i"
                " where not exists (select 1 from warehouses w where w.warehouse_code = i.warehouse_code)",
                "warehouse",
                "Unknown warehouse",
            )
            _fail_on(
                cur,
                "select row_no, sku from incoming_suggestions i"
                " where not exists (select 1 from products p where p.sku = i.sku)",
                "sku",
                "Unknown SKU",
            )
            counts = cur.execute(
                "select"
                " count(*) filter (where o.sku is null),"
                " count(*) filter (where i.sku is null),"
                " count(*) filter (where i.sku is not null and o.sku is not null and ("
                "  i.suggested_qty <> o.suggested_qty or i.days_of_supply is distinct from o.days_of_supply"
                "  or i.reason is distinct from o.reason))"
                " from incoming_suggestions i"
                " full join reorder_suggestions o using (warehouse_code, sku)"
            ).fetchall()[0]
            cur.execute("delete from reorder_suggestions")
            cur.execute(
                "insert into reorder_suggestions (warehouse_code, sku, suggested_qty, days_of_supply, reason, as_of,"
                " received_at) select warehouse_code, sku, suggested_qty, days_of_supply, reason, ?, ?"
                " from incoming_suggestions order by warehouse_code, sku",
                [as_of, now],
            )
        finally:
            cur.unregister("incoming_suggestions")
    added, removed, updated = (int(n) for n in counts)
    return {"received": incoming.height, "added": added, "removed": removed, "updated": updated}


def list_reorder_suggestions(db: Database, actor: Actor, warehouse: str | None = None) -> list[dict[str, Any]]:
    """The current suggestions, largest first within each warehouse; everyone who sees stock sees them."""
    require(actor.roles, Action.VIEW_STOCK)
    with db.reading() as cur:
        cur.execute(
            "select r.warehouse_code as warehouse, r.sku, p.name as product_name, r.suggested_qty,"
            " r.days_of_supply, r.reason, r.as_of"
            " from reorder_suggestions r left join products p using (sku)"
            " where cast(? as varchar) is null or r.warehouse_code = ?"
            " order by r.warehouse_code, r.days_of_supply nulls last, r.suggested_qty desc, r.sku",
            [warehouse, warehouse],
        )
        return rows_as_dicts(cur)


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"))


def _scalar(cur: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = next(iter(cur.execute(sql).fetchall()), None)
    return int(row[0]) if row else 0
