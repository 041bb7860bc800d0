"""What goes back to operations from the published marts: customer tiers and reorder suggestions.

Customer tier (when the RFM mart has no `computed_tier` column of its own), from lifetime value and the RFM
segment, over the customers who have ordered (customers who never ordered keep the tier they have):

1. base tier by lifetime value rank: the top 3% `key`, the next ones up to 15% `gold`, up to 40% `silver`,
   the rest `standard` (the shares of tiers a distributor like the demo one has);
2. a customer whose segment is `lost` or `at risk` drops one tier (never below `standard`): a key account that
   stopped ordering should no longer get key-account treatment;
3. a `champions` customer (recent and frequent) is at least `silver`.

Reorder suggestions: every warehouse and SKU of mart_inventory_health with a suggested reorder quantity above
zero, with its days of supply and a reason a buyer can read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

TIER_ORDER = ("key", "gold", "silver", "standard")
KEY_SHARE = 0.03
GOLD_SHARE = 0.15
SILVER_SHARE = 0.40
DEMOTED_SEGMENTS = ("lost", "at risk")
PROMOTED_SEGMENT = "champions"

# rank 0 = key ... 3 = standard
_TIER_SQL = f"""
with ranked as (
    select
        customer_code,
        segment,
        cume_dist() over (order by lifetime_value desc) as ltv_share
    from mart_customer_rfm
),
based as (
    select
        customer_code,
        segment,
        case
            when ltv_share <= {KEY_SHARE} then 0
            when ltv_share <= {GOLD_SHARE} then 1
            when ltv_share <= {SILVER_SHARE} then 2
            else 3
        end as base_rank
    from ranked
),
adjusted as (
    select
        customer_code,
        case
            when segment in {DEMOTED_SEGMENTS} then least(base_rank + 1, 3)
            when segment = '{PROMOTED_SEGMENT}' then least(base_rank, 2)
            else base_rank
        end as tier_rank
    from based
)
select customer_code, list_extract({list(TIER_ORDER)}, tier_rank + 1) as tier
from adjusted
order by customer_code
"""

_SUGGESTIONS_SQL = """
select
    warehouse_code as warehouse,
    sku,
    cast(suggested_reorder_qty as bigint) as suggested_qty,
    days_of_supply,
    'available ' || available || ' at or below reorder point ' || reorder_point
    || coalesce('; ' || days_of_supply || ' days of supply', '; no recent demand') as reason
from mart_inventory_health
where suggested_reorder_qty > 0
order by warehouse_code, sku
"""


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute("select column_name from information_schema.columns where table_name = ?", [table]).fetchall()
    return {row[0] for row in rows}


def computed_tiers(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{customer_code: tier} for every customer in mart_customer_rfm (see the module's rule)."""
    if "computed_tier" in _columns(con, "mart_customer_rfm"):
        sql = "select customer_code, computed_tier from mart_customer_rfm where computed_tier is not null"
    else:
        sql = _TIER_SQL
    return {str(code): str(tier) for code, tier in con.execute(sql).fetchall()}


def reorder_suggestions(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cursor = con.execute(_SUGGESTIONS_SQL)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def data_as_of(con: duckdb.DuckDBPyConnection) -> datetime:
    """The time of the data in the marts: the snapshot they were built from, else when they were published."""
    row = con.execute("select coalesce(snapshot_taken_at, published_at) from publish_info").fetchone()
    if row is None or row[0] is None:
        raise ValueError("The published marts have no publish_info time.")
    value: datetime = row[0]
    return value.astimezone(UTC)


def read_planning(marts_db: Path) -> tuple[datetime, dict[str, str], list[dict[str, Any]]]:
    """(as_of, tiers, suggestions) from the published marts file, opened read-only."""
    with duckdb.connect(str(marts_db), read_only=True) as con:
        return data_as_of(con), computed_tiers(con), reorder_suggestions(con)
