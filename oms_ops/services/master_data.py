"""ERP master data, set-based: customers, products, price lists and stock counts, every row accounted for.

The caller (CLI `oms load-master` or the Dagster inbox sensor) reads the ERP extract with a mapping
(oms_ops.adapters.erp) and sends its rows as Parquet, every value text. Here, in one transaction, each
row ends up as exactly one of: created, updated, unchanged, or quarantined with a field and a reason
(kept with the load and listed by `load_quarantine`). An empty cell keeps what is stored; a column the
file lacks is left alone.

- customers and products are upserted by code / SKU; a GLN or GTIN must carry a valid GS1 check digit
  and belong to no other customer / product.
- price-list rows (price list, SKU, price, valid from/to) create the list when new; a customer follows
  the list named in its `price_list`, and `price_for` is what orders use.
- a stock count never overwrites: the difference to on hand becomes a ledger adjustment with reason
  "count"; a count below what is reserved for orders is quarantined instead.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import duckdb
import polars as pl

from oms_ops.domain.errors import InvalidInput, NotFound
from oms_ops.domain.master_data import KINDS, Kind
from oms_ops.domain.roles import Action, require
from oms_ops.services import stock_watch
from oms_ops.services.actor import Actor
from oms_ops.store.database import Database, rows_as_dicts

DECIMAL = r"(\d{1,3}(,\d{3})+|\d+)(\.\d+)?"  # 1234.5 or 1,234.50, never negative
WHOLE = r"\+?(\d{1,3}(,\d{3})+|\d+)"
ISO_DATE = r"\d{4}-\d{2}-\d{2}"
EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s]+"
OPEN_START = date(1970, 1, 1)  # a price without valid_from has always applied


COUNTS = ("rows", "created", "updated", "unchanged", "quarantined")


def _shown(column: str) -> str:
    """SQL for a value as a reason shows it: quoted, cut at 60 characters, or 'empty'."""
    return f"coalesce('\"' || left({column}, 60) || '\"', 'empty')"


def _amount(text: str) -> str:
    number = f"try_cast(replace({text}, ',', '') as decimal(18, 2))"
    return f"case when regexp_full_match({text}, '{DECIMAL}') then {number} end"


def _gs1_ok(code: str) -> str:
    """SQL: `code` is 8, 12, 13 or 14 digits whose last is the GS1 mod-10 check digit of the others."""
    return (
        f"(regexp_full_match({code}, '\\d{{8}}|\\d{{12,14}}') and (10 - list_sum([cast(substr({code}, p, 1) as integer)"
        f" * case when (length({code}) - p) % 2 = 1 then 3 else 1 end for p in range(1, length({code}))]) % 10) % 10"
        f" = cast(right({code}, 1) as integer))"
    )


class _DryRun(Exception):
    def __init__(self, summary: dict[str, Any]) -> None:
        self.summary = summary


def load_master_data(
    db: Database, actor: Actor, kind: str, file_name: str, parquet: bytes, dry_run: bool = False
) -> dict[str, Any]:
    """Load one ERP extract; returns {"load_id", "kind", "file", "rows", "created", "updated", "unchanged", ...}."""
    require(actor.roles, Action.LOAD_MASTER_DATA)
    if kind not in KINDS:
        raise InvalidInput(f"Unknown master data kind {kind!r}; known: {', '.join(KINDS)}.", field="kind")
    frame = _read(parquet, kind, KINDS[kind])
    now = datetime.now(UTC)
    try:
        with db.transaction() as cur:
            cur.register("incoming", frame.to_arrow())
            try:
                STAGE[kind](cur)
                _outcome(cur, KINDS[kind])
                counts = _counts(cur)
                APPLY[kind](cur, actor, now)
                summary: dict[str, Any] = {"load_id": None, "kind": kind, "file": file_name, "dry_run": dry_run}
                summary.update(counts)
                if dry_run:
                    raise _DryRun(summary)
                summary["load_id"] = _record(cur, actor, kind, file_name, counts, now)
                cur.execute("drop table md_rows")
            finally:
                cur.unregister("incoming")
    except _DryRun as rolled_back:
        return rolled_back.summary
    return summary


def _read(parquet: bytes, kind: str, spec: Kind) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(io.BytesIO(parquet))
    except Exception as exc:  # polars raises several kinds for a damaged file
        raise InvalidInput(f"The upload is not a readable Parquet file: {exc}", field="body") from exc
    missing = [c for c in spec.required if c not in frame.columns]
    if missing:
        raise InvalidInput(
            f"The {kind} file lacks the required column(s) {', '.join(missing)}; nothing was loaded.",
            field=missing[0],
        )
    if "row_no" not in frame.columns:
        frame = frame.with_row_index("row_no", offset=1)
    if "raw" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.Utf8).alias("raw"))
    present = [pl.col(c).cast(pl.Utf8).str.strip_chars().replace("", None).alias(c) for c in spec.columns if c in frame]
    absent = [pl.lit(None, pl.Utf8).alias(c) for c in spec.columns if c not in frame.columns]
    return frame.select(pl.col("row_no").cast(pl.Int64), pl.col("raw").cast(pl.Utf8), *present, *absent)


def _stage(
    cur: duckdb.DuckDBPyConnection,
    typed_sql: str,
    joins: str,
    checks: list[tuple[str, str, str]],
    existing: str,
    same: str,
    key: tuple[str, ...],
    extra: str = "",
) -> None:
    """md_rows: one row per file row with its typed values, the first problem (field, reason), whether its key
    is stored (`existing`) and whether it would change nothing stored (`same`)."""
    field = "case " + " ".join(f"when {cond} then '{f}'" for cond, f, _ in checks) + " end"
    reason = "case " + " ".join(f"when {cond} then {r}" for cond, _, r in checks) + " end"
    cur.execute(
        f"create or replace temp table md_rows as with typed as ({typed_sql}), ranked as ("
        f" select *, row_number() over (partition by {', '.join(key)} order by row_no) as key_rank,"
        f"  min(row_no) over (partition by {', '.join(key)}) as first_row from typed)"
        f" select r.*, {field} as field, {reason} as reason, {existing} as existing, coalesce({same}, false) as same"
        f" {extra} from ranked r {joins}"
    )


def _duplicate(key: tuple[str, ...], label: str) -> tuple[str, str, str]:
    """A row whose key an earlier row of the file has (key_rank and first_row come from _stage)."""
    return (
        "r.key_rank > 1",
        key[0],
        f"'{label} ' || concat_ws(' / ', {', '.join(f'r.{k}' for k in key)}) || ' appears earlier in the file"
        " (row ' || r.first_row || ')'",
    )


def _stage_customers(cur: duckdb.DuckDBPyConnection) -> None:
    typed = (
        "select *, "
        f"{_amount('credit_limit')} as credit_limit_value,"
        f" case when regexp_full_match(payment_terms_days, '{WHOLE}') then"
        "  try_cast(replace(payment_terms_days, ',', '') as integer) end as terms_value"
        " from incoming"
    )
    joins = (
        "left join customers c on c.customer_code = r.customer_code"
        " left join (select gln, min(customer_code) as customer_code from customers group by gln) g"
        "  on g.gln = r.gln and g.customer_code <> r.customer_code"
        " left join price_lists l on l.price_list_code = r.price_list"
    )
    checks = [
        ("r.customer_code is null", "customer_code", "'the customer code is empty'"),
        _duplicate(("customer_code",), "customer"),
        ("c.customer_code is null and r.name is null", "name", "'a new customer needs a name'"),
        (
            "r.credit_limit is not null and r.credit_limit_value is null",
            "credit_limit",
            f"'not an amount of 0 or more: ' || {_shown('r.credit_limit')}",
        ),
        (
            "r.payment_terms_days is not null and r.terms_value is null",
            "payment_terms_days",
            f"'payment terms are whole days, 0 or more, not ' || {_shown('r.payment_terms_days')}",
        ),
        (
            f"r.gln is not null and not {_gs1_ok('r.gln')}",
            "gln",
            f"'not a GLN (13 digits, the last a GS1 check digit): ' || {_shown('r.gln')}",
        ),
        ("g.customer_code is not null", "gln", "'GLN ' || r.gln || ' belongs to customer ' || g.customer_code"),
        (
            "r.gln is not null and count(*) over (partition by r.gln) > 1",
            "gln",
            "'GLN ' || r.gln || ' is given to more than one customer in the file'",
        ),
        (
            f"r.email is not null and not regexp_full_match(r.email, '{EMAIL}')",
            "email",
            f"'not an email address: ' || {_shown('r.email')}",
        ),
        (
            "r.price_list is not null and l.price_list_code is null",
            "price_list",
            f"'unknown price list ' || {_shown('r.price_list')} || ' (load the price list first)'",
        ),
    ]
    same = " and ".join(
        f"(r.{new} is null or r.{new} is not distinct from c.{old})"
        for new, old in (
            ("name", "name"),
            ("name_en", "name_en"),
            ("region", "region"),
            ("city", "city"),
            ("email", "email"),
            ("phone", "phone"),
            ("gln", "gln"),
            ("tier", "tier"),
            ("credit_limit_value", "credit_limit"),
            ("terms_value", "payment_terms_days"),
            ("price_list", "price_list"),
        )
    )
    _stage(cur, typed, joins, checks, "c.customer_code is not null", same, ("customer_code",))


def _stage_products(cur: duckdb.DuckDBPyConnection) -> None:
    typed = (
        "select *, "
        f"{_amount('cost')} as cost_value, {_amount('list_price')} as list_price_value,"
        f" case when regexp_full_match(tax_rate, '{DECIMAL}%')"
        "  then try_cast(rtrim(tax_rate, '%') as decimal(9, 4)) / 100"
        f"  when regexp_full_match(tax_rate, '{DECIMAL}') then try_cast(tax_rate as decimal(9, 4)) end as tax_value"
        " from incoming"
    )
    joins = (
        "left join products p on p.sku = r.sku"
        " left join (select gtin, min(sku) as sku from products group by gtin) g on g.gtin = r.gtin and g.sku <> r.sku"
    )
    checks = [
        ("r.sku is null", "sku", "'the SKU is empty'"),
        _duplicate(("sku",), "SKU"),
        ("p.sku is null and r.name is null", "name", "'a new product needs a name'"),
        ("p.sku is null and r.category is null", "category", "'a new product needs a category'"),
        ("p.sku is null and r.list_price is null", "list_price", "'a new product needs a list price'"),
        ("p.sku is null and r.cost is null", "cost", "'a new product needs a cost'"),
        (
            "r.list_price is not null and r.list_price_value is null",
            "list_price",
            f"'not a price of 0 or more: ' || {_shown('r.list_price')}",
        ),
        ("r.cost is not null and r.cost_value is null", "cost", f"'not a cost of 0 or more: ' || {_shown('r.cost')}"),
        (
            "r.tax_rate is not null and (r.tax_value is null or r.tax_value >= 1)",
            "tax_rate",
            f"'a tax rate is a fraction below 1 (0.13) or a percentage (13%), not ' || {_shown('r.tax_rate')}",
        ),
        (
            f"r.gtin is not null and not {_gs1_ok('r.gtin')}",
            "gtin",
            f"'not a GTIN (8, 12, 13 or 14 digits, the last a GS1 check digit): ' || {_shown('r.gtin')}",
        ),
        ("g.sku is not null", "gtin", "'GTIN ' || r.gtin || ' belongs to product ' || g.sku"),
        (
            "r.gtin is not null and count(*) over (partition by r.gtin) > 1",
            "gtin",
            "'GTIN ' || r.gtin || ' is given to more than one product in the file'",
        ),
    ]
    same = " and ".join(
        f"(r.{new} is null or r.{new} is not distinct from p.{old})"
        for new, old in (
            ("name", "name"),
            ("category", "category"),
            ("unit", "unit"),
            ("cost_value", "cost"),
            ("list_price_value", "list_price"),
            ("tax_value", "tax_rate"),
            ("gtin", "gtin"),
        )
    )
    _stage(cur, typed, joins, checks, "p.sku is not null", same, ("sku",))


def _stage_price_lists(cur: duckdb.DuckDBPyConnection) -> None:
    typed = (
        f"select * replace (coalesce(valid_from, '{OPEN_START.isoformat()}') as valid_from), "
        f"{_amount('price')} as price_value,"
        f" case when regexp_full_match(coalesce(valid_from, '{OPEN_START.isoformat()}'), '{ISO_DATE}') then"
        f"  try_cast(coalesce(valid_from, '{OPEN_START.isoformat()}') as date) end as from_value,"
        f" case when regexp_full_match(valid_to, '{ISO_DATE}') then try_cast(valid_to as date) end as to_value"
        " from incoming"
    )
    joins = (
        "left join products p on p.sku = r.sku left join price_list_items i"
        " on i.price_list_code = r.price_list and i.sku = r.sku and i.valid_from = r.from_value"
    )
    checks = [
        ("r.price_list is null", "price_list", "'the price list code is empty'"),
        ("r.sku is null or p.sku is null", "sku", f"'unknown SKU ' || {_shown('r.sku')}"),
        ("r.price_value is null", "price", f"'not a price of 0 or more: ' || {_shown('r.price')}"),
        ("r.from_value is null", "valid_from", f"'not a date: ' || {_shown('r.valid_from')}"),
        ("r.valid_to is not null and r.to_value is null", "valid_to", f"'not a date: ' || {_shown('r.valid_to')}"),
        (
            "r.to_value < r.from_value",
            "valid_to",
            "'valid to ' || r.valid_to || ' is before valid from ' || r.valid_from",
        ),
        _duplicate(("price_list", "sku", "from_value"), "price"),
    ]
    same = "r.price_value = i.price and r.to_value is not distinct from i.valid_to"
    _stage(cur, typed, joins, checks, "i.sku is not null", same, ("price_list", "sku", "from_value"))


def _stage_stock_counts(cur: duckdb.DuckDBPyConnection) -> None:
    typed = (
        "select *, "
        f"case when regexp_full_match(counted, '{WHOLE}') then try_cast(replace(counted, ',', '') as bigint) end"
        " as counted_value from incoming"
    )
    joins = (
        "left join warehouses w on w.warehouse_code = r.warehouse left join products p on p.sku = r.sku"
        " left join stock_levels s on s.warehouse_code = r.warehouse and s.sku = r.sku"
    )
    checks = [
        (
            "r.warehouse is null or w.warehouse_code is null",
            "warehouse",
            f"'unknown warehouse ' || {_shown('r.warehouse')}",
        ),
        ("r.sku is null or p.sku is null", "sku", f"'unknown SKU ' || {_shown('r.sku')}"),
        (
            "r.counted_value is null",
            "counted",
            f"'a counted quantity is a whole number, 0 or more, not ' || {_shown('r.counted')}",
        ),
        _duplicate(("warehouse", "sku"), "location"),
        (
            "r.counted_value < coalesce(s.reserved, 0)",
            "counted",
            "'counted ' || r.counted_value || ' is below the ' || s.reserved || ' units reserved for orders'"
            " || ' (count again, or release orders first)'",
        ),
    ]
    existing = "s.on_hand is not null or r.counted_value = 0"  # counting 0 where nothing was is no change
    same = "coalesce(s.on_hand, 0) = r.counted_value"
    _stage(cur, typed, joins, checks, existing, same, ("warehouse", "sku"), ", s.on_hand")


def _outcome(cur: duckdb.DuckDBPyConnection, spec: Kind) -> None:
    cur.execute("alter table md_rows add column outcome varchar")
    cur.execute(
        "update md_rows set outcome = case when field is not null then 'quarantined'"
        " when not existing then 'created' when same then 'unchanged' else 'updated' end"
    )


def _counts(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    row = cur.execute(
        "select count(*), count(*) filter (where outcome = 'created'), count(*) filter (where outcome = 'updated'),"
        " count(*) filter (where outcome = 'unchanged'), count(*) filter (where outcome = 'quarantined') from md_rows"
    ).fetchall()[0]
    return dict(zip(COUNTS, (int(v) for v in row), strict=True))


def _apply_customers(cur: duckdb.DuckDBPyConnection, actor: Actor, now: datetime) -> None:
    cur.execute(
        "insert into customers (customer_code, name, name_en, tier, region, city, email, phone, gln, credit_limit,"
        " payment_terms_days, price_list, created_at)"
        " select customer_code, name, name_en, coalesce(tier, 'standard'), region, city, email, phone, gln,"
        "  coalesce(credit_limit_value, 0), coalesce(terms_value, 0), price_list, ?"
        " from md_rows where outcome = 'created' order by row_no",
        [now],
    )
    cur.execute(
        "update customers c set name = coalesce(r.name, c.name), name_en = coalesce(r.name_en, c.name_en),"
        " tier = coalesce(r.tier, c.tier), region = coalesce(r.region, c.region), city = coalesce(r.city, c.city),"
        " email = coalesce(r.email, c.email), phone = coalesce(r.phone, c.phone), gln = coalesce(r.gln, c.gln),"
        " credit_limit = coalesce(r.credit_limit_value, c.credit_limit),"
        " payment_terms_days = coalesce(r.terms_value, c.payment_terms_days),"
        " price_list = coalesce(r.price_list, c.price_list)"
        " from md_rows r where r.outcome = 'updated' and c.customer_code = r.customer_code"
    )


def _apply_products(cur: duckdb.DuckDBPyConnection, actor: Actor, now: datetime) -> None:
    cur.execute(
        "insert into products (sku, name, category, unit, list_price, cost, tax_rate, gtin, created_at)"
        " select sku, name, category, coalesce(unit, 'pcs'), list_price_value, cost_value,"
        "  coalesce(tax_value, 0.13), gtin, ?"
        " from md_rows where outcome = 'created' order by row_no",
        [now],
    )
    cur.execute(
        "update products p set name = coalesce(r.name, p.name), category = coalesce(r.category, p.category),"
        " unit = coalesce(r.unit, p.unit), list_price = coalesce(r.list_price_value, p.list_price),"
        " cost = coalesce(r.cost_value, p.cost), tax_rate = coalesce(r.tax_value, p.tax_rate),"
        " gtin = coalesce(r.gtin, p.gtin)"
        " from md_rows r where r.outcome = 'updated' and p.sku = r.sku"
    )


def _apply_price_lists(cur: duckdb.DuckDBPyConnection, actor: Actor, now: datetime) -> None:
    cur.execute(
        "insert into price_lists (price_list_code, currency, created_at)"
        " select price_list, coalesce(upper(any_value(currency)), 'CNY'), ? from md_rows"
        " where outcome = 'created' group by price_list on conflict do nothing",
        [now],
    )
    cur.execute(
        "insert into price_list_items (price_list_code, sku, valid_from, valid_to, price, updated_at)"
        " select price_list, sku, from_value, to_value, price_value, ? from md_rows where outcome = 'created'",
        [now],
    )
    cur.execute(
        "update price_list_items i set price = r.price_value, valid_to = r.to_value, updated_at = ?"
        " from md_rows r where r.outcome = 'updated' and i.price_list_code = r.price_list and i.sku = r.sku"
        " and i.valid_from = r.from_value",
        [now],
    )


def _apply_stock_counts(cur: duckdb.DuckDBPyConnection, actor: Actor, now: datetime) -> None:
    """The difference to on hand as a ledger adjustment (reason "count"); the count check kept reserved covered."""
    cur.execute(
        "insert into stock_ledger (occurred_at, warehouse_code, sku, movement, on_hand_delta, reserved_delta,"
        " actor, reason)"
        " select ?, warehouse, sku, 'adjustment', counted_value - coalesce(on_hand, 0), 0, ?, 'count'"
        " from md_rows where outcome in ('created', 'updated') order by row_no",
        [now, actor.username],
    )
    cur.execute(
        "update stock_levels s set on_hand = r.counted_value, updated_at = ? from md_rows r"
        " where r.outcome = 'updated' and s.warehouse_code = r.warehouse and s.sku = r.sku",
        [now],
    )
    cur.execute(
        "insert into stock_levels (warehouse_code, sku, on_hand, reserved, updated_at)"
        " select warehouse, sku, counted_value, 0, ? from md_rows where outcome = 'created'",
        [now],
    )
    locations = cur.execute("select warehouse, sku from md_rows where outcome in ('created', 'updated')").fetchall()
    stock_watch.after_stock_change(cur, {(wh, sku) for wh, sku in locations}, now)


STAGE = {
    "customers": _stage_customers,
    "products": _stage_products,
    "price-lists": _stage_price_lists,
    "stock-counts": _stage_stock_counts,
}
APPLY = {
    "customers": _apply_customers,
    "products": _apply_products,
    "price-lists": _apply_price_lists,
    "stock-counts": _apply_stock_counts,
}


def _record(
    cur: duckdb.DuckDBPyConnection, actor: Actor, kind: str, file_name: str, counts: dict[str, int], now: datetime
) -> int:
    load_id = int(
        cur.execute(
            "insert into master_data_loads (kind, file, actor, loaded_at, rows, created, updated, unchanged,"
            " quarantined) values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning load_id",
            [kind, file_name, actor.username, now, *(counts[k] for k in COUNTS)],
        ).fetchall()[0][0]
    )
    cur.execute(
        "insert into master_data_quarantine (load_id, file, row_no, field, reason, raw)"
        " select ?, ?, row_no, field, reason, raw from md_rows where outcome = 'quarantined' order by row_no",
        [load_id, file_name],
    )
    return load_id


# -- reading ---------------------------------------------------------------------------------


def list_loads(db: Database, actor: Actor, limit: int = 50) -> list[dict[str, Any]]:
    require(actor.roles, Action.VIEW_MASTER_DATA)
    with db.reading() as cur:
        cur.execute(
            "select load_id, kind, file, actor, loaded_at, rows, created, updated, unchanged, quarantined"
            " from master_data_loads order by load_id desc limit ?",
            [limit],
        )
        return rows_as_dicts(cur)


def load_quarantine(db: Database, actor: Actor, load_id: int) -> list[dict[str, Any]]:
    require(actor.roles, Action.VIEW_MASTER_DATA)
    with db.reading() as cur:
        if not cur.execute("select 1 from master_data_loads where load_id = ?", [load_id]).fetchall():
            raise NotFound(f"There is no master data load {load_id}.", field="load_id")
        cur.execute(
            "select load_id, file, row_no, field, reason, raw from master_data_quarantine where load_id = ?"
            " order by row_no",
            [load_id],
        )
        return rows_as_dicts(cur)


def identify(db: Database, actor: Actor, glns: list[str], gtins: list[str]) -> dict[str, dict[str, str]]:
    """Customer codes by GLN and SKUs by GTIN, for the ones known (EDIFACT names parties and items so)."""
    require(actor.roles, Action.VIEW_MASTER_DATA)
    with db.reading() as cur:
        customers = cur.execute(
            "select gln, min(customer_code) from customers where gln in (select unnest(?)) group by gln",
            [sorted(set(glns))],
        ).fetchall()
        products = cur.execute(
            "select gtin, min(sku) from products where gtin in (select unnest(?)) group by gtin",
            [sorted(set(gtins))],
        ).fetchall()
    return {"customers": dict(customers), "products": dict(products)}


def price_for(cur: duckdb.DuckDBPyConnection, customer_code: str, skus: list[str], on_date: date) -> dict[str, Decimal]:
    """The customer's price-list price of each SKU that has one on `on_date` (the latest valid_from wins)."""
    if not skus:
        return {}
    rows = cur.execute(
        "select i.sku, arg_max(i.price, i.valid_from) from customers c"
        " join price_list_items i on i.price_list_code = c.price_list"
        " where c.customer_code = ? and i.sku in (select unnest(?)) and i.valid_from <= ?"
        " and (i.valid_to is null or i.valid_to >= ?) group by i.sku",
        [customer_code, sorted(set(skus)), on_date, on_date],
    ).fetchall()
    return {sku: Decimal(price) for sku, price in rows}


def customer_prices(
    db: Database, actor: Actor, customer_code: str, skus: list[str], on_date: date
) -> dict[str, Decimal]:
    require(actor.roles, Action.VIEW_MASTER_DATA)
    with db.reading() as cur:
        return price_for(cur, customer_code, skus, on_date)
