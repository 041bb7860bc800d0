"""Set-based loading of master data, stock movements and order history (the demo generator's path).

Each call is one transaction: it validates every row first, names the row and field of the first
problems found, and writes nothing unless everything is valid.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import polars as pl

from oms_ops.domain.errors import InsufficientStock, InvalidInput, Shortage
from oms_ops.domain.fulfilment import PaymentMethod
from oms_ops.domain.history import HISTORY_STATUSES, status_path
from oms_ops.domain.lifecycle import Status
from oms_ops.domain.roles import Action, require
from oms_ops.services import stock_watch
from oms_ops.services.actor import Actor
from oms_ops.store import queries
from oms_ops.store.database import Database, forget

MOVEMENTS = ("receipt", "shipment", "adjustment", "transfer_out", "transfer_in")
SHOWN_PROBLEMS = 5


@dataclass(frozen=True)
class Entity:
    key: tuple[str, ...]
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


ENTITIES: dict[str, Entity] = {
    "warehouses": Entity(("warehouse_code",), ("warehouse_code", "name"), ("region", "city")),
    "products": Entity(("sku",), ("sku", "name", "category", "list_price", "cost"), ("unit", "tax_rate", "gtin")),
    "customers": Entity(
        ("customer_code",),
        ("customer_code", "name"),
        ("name_en", "tier", "region", "city", "email", "phone", "gln", "credit_limit", "payment_terms_days"),
    ),
    "stock_movements": Entity(
        (),
        ("occurred_at", "warehouse_code", "sku", "movement", "on_hand_delta"),
        ("reserved_delta", "order_number", "reason"),
    ),
    "order_history": Entity(
        (),
        ("channel", "external_ref", "customer_code", "ordered_at", "status", "sku", "warehouse_code", "quantity"),
        ("unit_price", "discount_pct"),
    ),
    # Payments of loaded orders, found by (channel, external_ref); an empty amount pays the balance due.
    "payments": Entity((), ("channel", "external_ref", "method", "paid_on"), ("amount", "reference")),
}


def bulk_load(db: Database, actor: Actor, entity: str, parquet: bytes) -> dict[str, Any]:
    require(actor.roles, Action.BULK_LOAD)
    if entity not in ENTITIES:
        raise InvalidInput(f"Unknown bulk entity {entity}; known: {', '.join(ENTITIES)}.", field="entity")
    frame = _read(parquet, entity, ENTITIES[entity])
    with db.transaction() as cur:
        cur.register("incoming", frame.to_arrow())
        try:
            _check_keys_unique(cur, ENTITIES[entity])
            rows = LOADERS[entity](cur, actor)
        finally:
            cur.unregister("incoming")
    return {"entity": entity, "rows": rows}


def _read(parquet: bytes, entity: str, spec: Entity) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(io.BytesIO(parquet))
    except Exception as exc:  # polars raises several kinds for a damaged file
        raise InvalidInput(f"The {entity} upload is not a readable Parquet file: {exc}", field="body") from exc
    missing = [c for c in spec.required if c not in frame.columns]
    if missing:
        raise InvalidInput(f"The {entity} upload lacks the column(s) {', '.join(missing)}.", field=missing[0])
    extra = [pl.lit(None).alias(c) for c in spec.optional if c not in frame.columns]
    return frame.with_columns(extra).with_row_index("row_no", offset=1)


def _fail_on(cur: duckdb.DuckDBPyConnection, sql: str, field: str, problem: str) -> None:
    """Raise naming the rows `sql` returns (row_no, value), if any."""
    rows = cur.execute(sql + f" order by row_no limit {SHOWN_PROBLEMS}").fetchall()
    if rows:
        where = "; ".join(f"row {row_no}: {value!r}" for row_no, value in rows)
        raise InvalidInput(f"{problem} in field {field} ({where}).", field=field)


def _check_keys_unique(cur: duckdb.DuckDBPyConnection, spec: Entity) -> None:
    if not spec.key:
        return
    key = ", ".join(spec.key)
    _fail_on(
        cur,
        f"select row_no, concat_ws('/', {key}) from incoming qualify count(*) over (partition by {key}) > 1",
        spec.key[0],
        "The same key appears more than once",
    )
    _fail_on(cur, f"select row_no, null from incoming where {spec.key[0]} is null", spec.key[0], "Empty key")


def _load_warehouses(cur: duckdb.DuckDBPyConnection, actor: Actor) -> int:
    loaded = _count(
        cur.execute(
            "insert into warehouses (warehouse_code, name, region, city)"
            " select warehouse_code, name, region, city from incoming"
            " on conflict (warehouse_code) do update set name = excluded.name, region = excluded.region,"
            " city = excluded.city"
        )
    )
    forget(queries.WAREHOUSES)
    return loaded


def _load_products(cur: duckdb.DuckDBPyConnection, actor: Actor) -> int:
    _fail_on(
        cur,
        "select row_no, list_price from incoming where try_cast(list_price as decimal(18, 2)) is null"
        " or cast(list_price as decimal(18, 2)) < 0",
        "list_price",
        "Not a price",
    )
    _fail_on(
        cur,
        "select row_no, cost from incoming where try_cast(cost as decimal(18, 2)) is null"
        " or cast(cost as decimal(18, 2)) < 0",
        "cost",
        "Not a cost",
    )
    return _count(
        cur.execute(
            "insert into products (sku, name, category, unit, list_price, cost, tax_rate, gtin)"
            " select sku, name, category, coalesce(unit, 'pcs'), cast(list_price as decimal(18, 2)),"
            " cast(cost as decimal(18, 2)), coalesce(cast(tax_rate as decimal(5, 4)), 0.13), gtin from incoming"
            " on conflict (sku) do update set name = excluded.name, category = excluded.category,"
            " unit = excluded.unit, list_price = excluded.list_price, cost = excluded.cost,"
            " tax_rate = excluded.tax_rate, gtin = excluded.gtin"
        )
    )


def _load_customers(cur: duckdb.DuckDBPyConnection, actor: Actor) -> int:
    return _count(
        cur.execute(
            "insert into customers (customer_code, name, name_en, tier, region, city, email, phone, gln,"
            " credit_limit, payment_terms_days)"
            " select customer_code, name, name_en, coalesce(tier, 'standard'), region, city, email, phone,"
            " cast(gln as varchar), coalesce(cast(credit_limit as decimal(18, 2)), 0),"
            " coalesce(cast(payment_terms_days as integer), 0) from incoming"
            " on conflict (customer_code) do update set name = excluded.name, name_en = excluded.name_en,"
            " tier = excluded.tier, region = excluded.region, city = excluded.city, email = excluded.email,"
            " phone = excluded.phone, gln = excluded.gln, credit_limit = excluded.credit_limit,"
            " payment_terms_days = excluded.payment_terms_days"
        )
    )


def _check_known_locations(cur: duckdb.DuckDBPyConnection) -> None:
    _fail_on(
        cur,
        "select row_no, warehouse_code from incoming i"
        " where not exists (select 1 from warehouses w where w.warehouse_code = i.warehouse_code)",
        "warehouse_code",
        "Unknown warehouse",
    )
    _fail_on(
        cur,
        "select row_no, sku from incoming i where not exists (select 1 from products p where p.sku = i.sku)",
        "sku",
        "Unknown SKU",
    )


def _load_stock_movements(cur: duckdb.DuckDBPyConnection, actor: Actor) -> int:
    _check_known_locations(cur)
    _fail_on(
        cur,
        f"select row_no, movement from incoming where movement not in {MOVEMENTS}",
        "movement",
        "Unknown movement",
    )
    _fail_on(
        cur,
        "select row_no, occurred_at from incoming where try_cast(occurred_at as timestamptz) is null",
        "occurred_at",
        "Not a time",
    )
    inserted = _count(
        cur.execute(
            "insert into stock_ledger (occurred_at, warehouse_code, sku, movement, on_hand_delta, reserved_delta,"
            " order_number, actor, reason)"
            " select cast(occurred_at as timestamptz), warehouse_code, sku, movement, cast(on_hand_delta as bigint),"
            " coalesce(cast(reserved_delta as bigint), 0), order_number, ?, reason from incoming order by row_no",
            [actor.username],
        )
    )
    _rebuild_levels(cur, "select distinct warehouse_code, sku from incoming")
    return inserted


def _path_table() -> list[tuple[bool, str, int, str | None, str]]:
    """(prepaid, final status, step, from, to) for every final status a historical order may have."""
    rows = []
    for prepaid, terms in ((True, 0), (False, 30)):
        for final in HISTORY_STATUSES:
            try:
                path = status_path(terms, Status(final))
            except ValueError:
                continue
            previous: list[str | None] = [None, *path[:-1]]
            rows += [(prepaid, final.value, i, previous[i], status.value) for i, status in enumerate(path)]
    return rows


def _load_order_history(cur: duckdb.DuckDBPyConnection, actor: Actor) -> int:
    _check_known_locations(cur)
    _fail_on(
        cur,
        "select row_no, customer_code from incoming i"
        " where not exists (select 1 from customers c where c.customer_code = i.customer_code)",
        "customer_code",
        "Unknown customer",
    )
    _fail_on(
        cur,
        "select row_no, quantity from incoming where coalesce(try_cast(quantity as bigint), 0) <= 0",
        "quantity",
        "Quantity is not a positive whole number",
    )
    _fail_on(
        cur,
        "select min(row_no) as row_no, concat(channel, '/', external_ref) from incoming"
        " group by channel, external_ref having count(distinct customer_code) > 1"
        " or count(distinct ordered_at) > 1 or count(distinct status) > 1",
        "external_ref",
        "Lines of one order disagree on customer, time or status",
    )
    cur.execute(
        "create or replace temp table history_paths (prepaid boolean, final varchar, step integer,"
        " from_status varchar, to_status varchar)"
    )
    cur.executemany("insert into history_paths values (?, ?, ?, ?, ?)", _path_table())
    _fail_on(
        cur,
        "select i.row_no, i.status from incoming i join customers c using (customer_code)"
        " where not exists (select 1 from history_paths p"
        " where p.final = i.status and p.prepaid = (c.payment_terms_days = 0))",
        "status",
        "Not a status this customer's order can have reached",
    )
    now = datetime.now(UTC)
    base = cur.execute("select value from counters where name = 'order_number'").fetchone()
    cur.execute(
        "create or replace temp table new_orders as"
        " select channel, external_ref, customer_code, cast(ordered_at as timestamptz) as ordered_at, status,"
        " c.payment_terms_days = 0 as prepaid,"
        " 'SO' || lpad(cast(? + row_number() over (order by min(cast(ordered_at as timestamptz)), channel,"
        " external_ref) as varchar), 8, '0') as order_number"
        " from incoming i join customers c using (customer_code)"
        " where not exists (select 1 from orders o where o.channel = i.channel and o.external_ref = i.external_ref)"
        " group by channel, external_ref, customer_code, ordered_at, status, c.payment_terms_days",
        [base[0] if base else 0],
    )
    created = _count(cur.execute("select count(*) from new_orders"))
    if created == 0:
        return 0
    cur.execute("update counters set value = value + ? where name = 'order_number'", [created])
    cur.execute(
        "create or replace temp table new_lines as"
        " with priced as ("
        "  select n.order_number, i.row_no, i.sku, i.warehouse_code, cast(i.quantity as bigint) as quantity,"
        "   coalesce(cast(i.unit_price as decimal(18, 2)), p.list_price) as unit_price,"
        "   coalesce(cast(i.discount_pct as decimal(5, 2)), 0) as discount_pct, p.tax_rate, p.cost as unit_cost"
        "  from incoming i join new_orders n using (channel, external_ref) join products p using (sku))"
        " select *, row_number() over (partition by order_number order by row_no) as line_no,"
        "  cast(round(unit_price * quantity * (100 - discount_pct) * 0.01, 2) as decimal(18, 2)) as line_net"
        " from priced"
    )
    cur.execute(
        "insert into order_lines (order_number, line_no, sku, warehouse_code, quantity, unit_price, discount_pct,"
        " tax_rate, unit_cost, line_net, line_tax, line_total)"
        " select order_number, line_no, sku, warehouse_code, quantity, unit_price, discount_pct, tax_rate,"
        "  unit_cost, line_net, cast(round(line_net * tax_rate, 2) as decimal(18, 2)),"
        "  line_net + cast(round(line_net * tax_rate, 2) as decimal(18, 2))"
        " from new_lines"
    )
    cur.execute(
        "insert into orders (order_number, customer_code, channel, external_ref, status, ordered_at, created_by,"
        " subtotal, tax_total, total, created_at, updated_at)"
        " select n.order_number, n.customer_code, n.channel, n.external_ref, n.status, n.ordered_at, ?,"
        "  sum(l.line_net), sum(l.line_tax), sum(l.line_total), ?, ?"
        " from new_orders n join order_lines l using (order_number)"
        " group by n.order_number, n.customer_code, n.channel, n.external_ref, n.status, n.ordered_at",
        [actor.username, now, now],
    )
    cur.execute(
        "insert into order_events (order_number, from_status, to_status, actor, reason, occurred_at)"
        " select n.order_number, p.from_status, p.to_status, ?, 'history import',"
        "  least(n.ordered_at + p.step * interval 1 day, ?)"
        " from new_orders n join history_paths p on p.final = n.status and p.prepaid = n.prepaid"
        " order by n.order_number, p.step",
        [actor.username, now],
    )
    cur.execute(
        "insert into stock_ledger (occurred_at, warehouse_code, sku, movement, on_hand_delta, reserved_delta,"
        " order_number, actor, reason)"
        " select e.occurred_at, l.warehouse_code, l.sku, 'shipment', -l.quantity, 0, l.order_number, ?,"
        "  'history import'"
        " from new_lines l join order_events e on e.order_number = l.order_number and e.to_status = 'shipped'"
        " union all"
        " select n.ordered_at, l.warehouse_code, l.sku, 'reservation', 0, l.quantity, l.order_number, ?,"
        "  'history import'"
        " from new_lines l join new_orders n using (order_number)"
        " where n.status in ('pending_payment', 'paid', 'to_ship')",
        [actor.username, actor.username],
    )
    _rebuild_levels(cur, "select distinct warehouse_code, sku from new_lines")
    for table in ("new_lines", "new_orders", "history_paths"):
        cur.execute(f"drop table {table}")
    return created


def _load_payments(cur: duckdb.DuckDBPyConnection, actor: Actor) -> int:
    """Record payments of existing orders without moving their status (history: the status is final already).

    A row without an amount pays what the order still owes after the payments before it (so loading the same
    rows twice records nothing the second time); rows that would pay more than an order's total are refused.
    """
    methods = tuple(m.value for m in PaymentMethod)
    _fail_on(
        cur,
        f"select row_no, method from incoming where method is null or method not in {methods}",
        "method",
        "Unknown payment method",
    )
    _fail_on(
        cur, "select row_no, paid_on from incoming where try_cast(paid_on as date) is null", "paid_on", "Not a date"
    )
    _fail_on(
        cur,
        "select row_no, amount from incoming"
        " where amount is not null and coalesce(try_cast(amount as decimal(18, 2)), 0) <= 0",
        "amount",
        "Not a positive amount",
    )
    _fail_on(
        cur,
        "select row_no, concat(channel, '/', external_ref) from incoming i where not exists"
        " (select 1 from orders o where o.channel = i.channel and o.external_ref = i.external_ref)",
        "external_ref",
        "Unknown order",
    )
    _fail_on(
        cur,
        "select row_no, concat(channel, '/', external_ref) from incoming i"
        " join orders o using (channel, external_ref) where o.status = 'cancelled'",
        "external_ref",
        "A cancelled order takes no payments",
    )
    cur.execute(
        "create or replace temp table new_payments as"
        " with given as ("
        "  select i.row_no, o.order_number, o.total, i.method, try_cast(i.amount as decimal(18, 2)) as given,"
        "   cast(i.paid_on as date) as paid_on, cast(i.reference as varchar) as reference"
        "  from incoming i join orders o using (channel, external_ref)),"
        " earlier as ("
        "  select order_number, sum(amount) as paid from payments"
        "  where order_number in (select order_number from given) group by order_number),"
        " running as ("
        "  select given.*, coalesce(earlier.paid, 0) as paid_earlier,"
        "   coalesce(earlier.paid, 0) + coalesce(sum(given) over (partition by given.order_number"
        "   order by row_no rows between unbounded preceding and 1 preceding), 0) as paid_before"
        "  from given left join earlier using (order_number))"
        " select *, coalesce(given, total - paid_before) as amount from running"
    )
    _fail_on(
        cur,
        "select min(row_no) as row_no, order_number from new_payments where amount > 0"
        " group by order_number, total, paid_earlier having paid_earlier + sum(amount) > total",
        "amount",
        "More than the order's total",
    )
    inserted = _count(
        cur.execute(
            "insert into payments (order_number, method, amount, paid_on, reference, recorded_by, recorded_at)"
            " select order_number, method, amount, paid_on, reference, ?, ? from new_payments where amount > 0"
            " order by row_no",
            [actor.username, datetime.now(UTC)],
        )
    )
    cur.execute("drop table new_payments")
    return inserted


def _rebuild_levels(cur: duckdb.DuckDBPyConnection, affected_sql: str) -> None:
    """Set stock levels of the affected locations to their ledger sums, refusing any that would break."""
    cur.execute(
        "create or replace temp table rebuilt as"
        " select warehouse_code, sku, sum(on_hand_delta) as on_hand, sum(reserved_delta) as reserved"
        f" from stock_ledger where (warehouse_code, sku) in ({affected_sql}) group by warehouse_code, sku"
    )
    broken = cur.execute(
        "select warehouse_code, sku, on_hand, reserved from rebuilt where on_hand < 0 or reserved < 0"
        f" or reserved > on_hand order by warehouse_code, sku limit {SHOWN_PROBLEMS}"
    ).fetchall()
    if broken:
        raise InsufficientStock([Shortage(sku, wh, int(res), int(on_hand)) for wh, sku, on_hand, res in broken])
    now = datetime.now(UTC)
    cur.execute(
        "insert into stock_levels (warehouse_code, sku, on_hand, reserved, updated_at)"
        " select warehouse_code, sku, on_hand, reserved, ? from rebuilt"
        " on conflict (warehouse_code, sku) do update set on_hand = excluded.on_hand,"
        " reserved = excluded.reserved, updated_at = excluded.updated_at",
        [now],
    )
    # Safety-stock alerts open (or close) after a load as after any other stock change; only the
    # locations with a stock policy are looked at, in one statement.
    stock_watch.after_stock_change(cur, cur.execute("select warehouse_code, sku from rebuilt").fetchall(), now)
    cur.execute("drop table rebuilt")


def _count(result: duckdb.DuckDBPyConnection) -> int:
    row = next(iter(result.fetchall()), None)  # fetchone leaves the result open: unregister then fails
    return int(row[0]) if row else 0


LOADERS = {
    "warehouses": _load_warehouses,
    "products": _load_products,
    "customers": _load_customers,
    "stock_movements": _load_stock_movements,
    "order_history": _load_order_history,
    "payments": _load_payments,
}
