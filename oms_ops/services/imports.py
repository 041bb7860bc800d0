"""Importing a channel's order file: set-based SQL in one transaction, every row accounted for.

The caller (CLI or Dagster) parses the file into canonical text columns (oms_ops.adapters.channels) and
sends them as Parquet. Here each row ends up as exactly one of: a line of a new order, a duplicate (its
(channel, external order id) exists already), or quarantined with a field and a reason. An order with
any refused line is quarantined whole. New orders are allocated stock in order date, then external id
order; an order that cannot be fully served is quarantined ("insufficient stock"). Nothing is oversold.
"""

from __future__ import annotations

import io
import itertools
import re
from datetime import UTC, datetime
from typing import Any

import duckdb
import polars as pl

from oms_ops.domain.errors import InvalidInput, NotFound
from oms_ops.domain.lifecycle import Status
from oms_ops.domain.roles import Action, require
from oms_ops.services.actor import Actor
from oms_ops.services.bulk import _count, _rebuild_levels
from oms_ops.store.database import Database, rows_as_dicts

REQUIRED = ("external_order_id", "order_date", "customer_code", "sku", "quantity")
OPTIONAL = ("unit_price", "currency", "warehouse", "requested_date", "note", "raw", "parse_problem", "parse_field")
CHANNEL = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
PRECISE_ROUNDS = 50
ISO_TIME = r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?"
WHOLE = r"\+?(\d{1,3}(,\d{3})+|\d+)"  # 1200 or 1,200
DECIMAL = r"(\d{1,3}(,\d{3})+|\d+)(\.\d+)?"  # 1234.5 or 1,234.50


def _shown(column: str) -> str:
    """SQL for a value as a reason shows it: quoted, cut at 60 characters, or 'empty'."""
    return f"coalesce('\"' || left({column}, 60) || '\"', 'empty')"


# (condition, field, reason) in the order they are checked; the first that holds names the row's problem.
ROW_CHECKS: tuple[tuple[str, str, str], ...] = (
    ("parse_problem is not null", "coalesce(parse_field, 'row')", "parse_problem"),
    ("external_ref is null", "'external_order_id'", "'the external order id is empty'"),
    ("ordered_at is null", "'order_date'", f"'not a date: ' || {_shown('order_date_text')}"),
    ("c.customer_code is null", "'customer_code'", f"'unknown customer ' || {_shown('r.customer_code')}"),
    ("p.sku is null", "'sku'", f"'unknown SKU ' || {_shown('r.sku')}"),
    (
        "quantity is null or quantity <= 0",
        "'quantity'",
        f"'quantity must be a positive whole number, not ' || {_shown('quantity_text')}",
    ),
    ("price_text is not null and unit_price is null", "'unit_price'", f"'not a price: ' || {_shown('price_text')}"),
    (
        "r.warehouse_code is not null and w.warehouse_code is null",
        "'warehouse'",
        f"'unknown warehouse ' || {_shown('r.warehouse_code')}",
    ),
    (
        "requested_text is not null and requested_at is null",
        "'requested_date'",
        f"'not a date: ' || {_shown('requested_text')}",
    ),
    (
        "count(distinct r.customer_code) over order_rows > 1 or count(distinct ordered_at) over order_rows > 1",
        "'external_order_id'",
        "'the lines of order ' || external_ref || ' disagree on customer or order date'",
    ),
)


class _DryRun(Exception):
    def __init__(self, summary: dict[str, Any]) -> None:
        self.summary = summary


def import_orders(
    db: Database, actor: Actor, channel: str, file_name: str, parquet: bytes, dry_run: bool = False
) -> dict[str, Any]:
    """Import one parsed file; returns {"import_id", "file", "rows", "orders_created", "lines_created", ...}."""
    require(actor.roles, Action.IMPORT_ORDERS)
    if not CHANNEL.match(channel):
        raise InvalidInput("A channel name is 1-64 letters, digits, '_', '-' or '.'.", field="channel")
    frame = _read(parquet)
    try:
        with db.transaction() as cur:
            cur.register("incoming", frame.to_arrow())  # gone with the cursor if the transaction fails
            summary = _import(cur, actor, channel, file_name, dry_run)
            cur.unregister("incoming")
            if dry_run:
                raise _DryRun(summary)
    except _DryRun as rolled_back:
        return rolled_back.summary
    return summary


def _read(parquet: bytes) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(io.BytesIO(parquet))
    except Exception as exc:  # polars raises several kinds for a damaged file
        raise InvalidInput(f"The upload is not a readable Parquet file: {exc}", field="body") from exc
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InvalidInput(
            f"The file lacks the required column(s) {', '.join(missing)}; nothing was imported.", field=missing[0]
        )
    if "row_no" not in frame.columns:
        frame = frame.with_row_index("row_no", offset=1)
    extra = [pl.lit(None, pl.Utf8).alias(c) for c in OPTIONAL if c not in frame.columns]
    texts = [pl.col(c).cast(pl.Utf8) for c in (*REQUIRED, *OPTIONAL) if c in frame.columns]
    return frame.with_columns(*texts, *extra).with_columns(pl.col("row_no").cast(pl.Int64))


def _import(
    cur: duckdb.DuckDBPyConnection, actor: Actor, channel: str, file_name: str, dry_run: bool
) -> dict[str, Any]:
    now = datetime.now(UTC)
    _stage_rows(cur, channel)
    _quarantine_whole_orders(cur)
    _choose_warehouses(cur)
    _allocate(cur)
    orders_created, lines_created = _write_orders(cur, actor, channel, file_name, now)
    counts = cur.execute(
        "select count(*), count(*) filter (where outcome = 'duplicate'),"
        " count(*) filter (where outcome = 'quarantined') from import_rows"
    ).fetchall()[0]
    summary: dict[str, Any] = {
        "import_id": None,
        "channel": channel,
        "file": file_name,
        "rows": int(counts[0]),
        "orders_created": orders_created,
        "lines_created": lines_created,
        "duplicates": int(counts[1]),
        "quarantined": int(counts[2]),
        "dry_run": dry_run,
    }
    if not dry_run:
        summary["import_id"] = _record(cur, actor, summary, now)
    for table in ("import_rows", "import_lines", "refused_orders"):
        cur.execute(f"drop table if exists {table}")
    return summary


def _stage_rows(cur: duckdb.DuckDBPyConnection, channel: str) -> None:
    """One row per file row with typed values and its outcome: duplicate, quarantined (field, reason) or candidate."""
    field = "case " + " ".join(f"when {cond} then {f}" for cond, f, _ in ROW_CHECKS) + " end"
    reason = "case " + " ".join(f"when {cond} then {r}" for cond, _, r in ROW_CHECKS) + " end"
    cur.execute(
        "create or replace temp table import_rows as"
        " with cleaned as ("
        "  select row_no, raw, parse_problem, parse_field, note,"
        "   nullif(trim(external_order_id), '') as external_ref, nullif(trim(order_date), '') as order_date_text,"
        "   nullif(trim(customer_code), '') as customer_code, nullif(trim(sku), '') as sku,"
        "   nullif(trim(quantity), '') as quantity_text, nullif(trim(unit_price), '') as price_text,"
        "   nullif(upper(trim(currency)), '') as currency, nullif(trim(warehouse), '') as warehouse_code,"
        "   nullif(trim(requested_date), '') as requested_text"
        "  from incoming),"
        " typed as ("
        "  select *,"
        "   case when regexp_full_match(quantity_text, ?) then try_cast(replace(quantity_text, ',', '') as bigint)"
        "    end as quantity,"
        "   case when regexp_full_match(price_text, ?) then try_cast(replace(price_text, ',', '') as decimal(18, 2))"
        "    end as unit_price,"
        "   case when regexp_full_match(order_date_text, ?) then try_cast(order_date_text as timestamptz)"
        "    end as ordered_at,"
        "   case when regexp_full_match(requested_text, ?) then try_cast(requested_text as timestamptz)"
        "    end as requested_at"
        "  from cleaned)"
        " select r.*, c.region,"
        "  exists (select 1 from orders o where o.channel = ? and o.external_ref = r.external_ref) as is_duplicate,"
        f"  {field} as field, {reason} as reason"
        " from typed r left join customers c on c.customer_code = r.customer_code"
        " left join products p on p.sku = r.sku left join warehouses w on w.warehouse_code = r.warehouse_code"
        " window order_rows as (partition by r.external_ref)",
        [WHOLE, DECIMAL, ISO_TIME, ISO_TIME, channel],
    )
    cur.execute("alter table import_rows add column outcome varchar;")
    cur.execute(
        "update import_rows set outcome = case when is_duplicate then 'duplicate'"
        " when field is not null then 'quarantined' else 'candidate' end,"
        " field = case when is_duplicate then null else field end,"
        " reason = case when is_duplicate then null else reason end"
    )


def _quarantine_whole_orders(cur: duckdb.DuckDBPyConnection) -> None:
    """A refused line refuses its whole order: half an order is worse than none."""
    cur.execute(
        "update import_rows r set outcome = 'quarantined', field = 'external_order_id',"
        " reason = concat('another line of this order was refused (row ', bad.row_no, ': ', bad.reason, ')')"
        " from (select external_ref, min(row_no) as row_no, arg_min(reason, row_no) as reason from import_rows"
        "  where outcome = 'quarantined' and external_ref is not null group by external_ref) bad"
        " where r.external_ref = bad.external_ref and r.outcome = 'candidate'"
    )


def _choose_warehouses(cur: duckdb.DuckDBPyConnection) -> None:
    """The line's own warehouse, else the customer's region's when it can serve the line, else most available."""
    cur.execute(
        "create or replace temp table import_lines as"
        " select r.row_no, r.external_ref, r.customer_code, r.ordered_at, r.sku, r.quantity, r.unit_price,"
        "  r.currency, r.note, coalesce(r.warehouse_code, best.warehouse_code) as warehouse_code"
        " from import_rows r left join ("
        "  select r.row_no, w.warehouse_code,"
        "   row_number() over (partition by r.row_no order by"
        "    (coalesce(s.on_hand - s.reserved, 0) >= r.quantity and w.region is not distinct from r.region) desc,"
        "    coalesce(s.on_hand - s.reserved, 0) desc, w.warehouse_code) as preference"
        "  from import_rows r cross join warehouses w"
        "  left join stock_levels s on s.warehouse_code = w.warehouse_code and s.sku = r.sku"
        "  where r.outcome = 'candidate' and r.warehouse_code is null"
        " ) best on best.row_no = r.row_no and best.preference = 1"
        " where r.outcome = 'candidate'"
    )


def _allocate(cur: duckdb.DuckDBPyConnection) -> None:
    """Serve orders by (order date, external id) with a running sum per location; refuse those that overrun.

    Each round refuses, per location, the first order whose running sum overruns what is available (all
    before it fit), then takes the sums again without it, until every remaining order fits: what stays is
    never more than is available (no oversell), and for one-location orders this is exactly first come,
    first served with later small orders filling what is left. After PRECISE_ROUNDS rounds (a heavily
    oversubscribed file) a round refuses every overrunning order at once, which is safe but may refuse an
    order that would have fitted. An order refused for one location is not reconsidered when another
    refusal later frees stock it needed elsewhere.
    """
    cur.execute("create or replace temp table refused_orders (external_ref varchar primary key, shortage varchar)")
    for round_no in itertools.count():
        refused = _count(
            cur.execute(
                "insert into refused_orders"
                " select external_ref, min(shortage) from ("
                "  select d.external_ref, concat(d.sku, ' in ', d.warehouse_code, ': ',"
                "    coalesce(s.on_hand - s.reserved, 0), ' available, earlier orders and this one need ',"
                "    d.needed_so_far) as shortage,"
                "   d.needed_so_far > coalesce(s.on_hand - s.reserved, 0) as overruns,"
                "   row_number() over (partition by d.warehouse_code, d.sku, overruns"
                "    order by d.ordered_at, d.external_ref) as nth"
                "  from ("
                "   select external_ref, ordered_at, warehouse_code, sku,"
                "    sum(quantity) over (partition by warehouse_code, sku order by ordered_at, external_ref"
                "     rows between unbounded preceding and current row) as needed_so_far"
                "   from (select external_ref, any_value(ordered_at) as ordered_at, warehouse_code, sku,"
                "     sum(quantity) as quantity from import_lines"
                "     where external_ref not in (select external_ref from refused_orders)"
                "     group by external_ref, warehouse_code, sku)) d"
                "  left join stock_levels s on s.warehouse_code = d.warehouse_code and s.sku = d.sku)"
                " where overruns and (nth = 1 or ?) group by external_ref",
                [round_no >= PRECISE_ROUNDS],
            )
        )
        if refused == 0:
            break
    cur.execute(
        "update import_rows r set outcome = 'quarantined', field = 'quantity',"
        " reason = 'insufficient stock (' || f.shortage || ')'"
        " from refused_orders f where r.external_ref = f.external_ref and r.outcome = 'candidate'"
    )
    cur.execute("delete from import_lines where external_ref in (select external_ref from refused_orders)")


def _write_orders(
    cur: duckdb.DuckDBPyConnection, actor: Actor, channel: str, file_name: str, now: datetime
) -> tuple[int, int]:
    lines = _count(cur.execute("select count(*) from import_lines"))
    if lines == 0:
        return 0, 0
    base = cur.execute("select value from counters where name = 'order_number'").fetchall()[0][0]
    cur.execute(
        "create or replace temp table import_orders as"
        " select external_ref, i.customer_code, any_value(ordered_at) as ordered_at,"
        "  coalesce(max(currency), 'CNY') as currency, arg_min(note, row_no) filter (where note is not null) as note,"
        "  case when any_value(c.payment_terms_days) > 0 then ? else ? end as status,"
        "  'SO' || lpad(cast(? + row_number() over (order by any_value(ordered_at), external_ref) as varchar), 8, '0')"
        "   as order_number"
        " from import_lines i join customers c using (customer_code) group by external_ref, i.customer_code",
        [Status.TO_SHIP.value, Status.PENDING_PAYMENT.value, base],
    )
    created = _count(cur.execute("select count(*) from import_orders"))
    cur.execute("update counters set value = value + ? where name = 'order_number'", [created])
    cur.execute(
        "insert into order_lines (order_number, line_no, sku, warehouse_code, quantity, unit_price, discount_pct,"
        " tax_rate, unit_cost, line_net, line_tax, line_total)"
        " with priced as ("
        "  select o.order_number, row_number() over (partition by o.order_number order by i.row_no) as line_no,"
        "   i.sku, i.warehouse_code, i.quantity, coalesce(i.unit_price, p.list_price) as unit_price, p.tax_rate,"
        "   p.cost, cast(round(coalesce(i.unit_price, p.list_price) * i.quantity, 2) as decimal(18, 2)) as line_net"
        "  from import_lines i join import_orders o using (external_ref) join products p using (sku))"
        " select order_number, line_no, sku, warehouse_code, quantity, unit_price, 0, tax_rate, cost, line_net,"
        "  cast(round(line_net * tax_rate, 2) as decimal(18, 2)),"
        "  line_net + cast(round(line_net * tax_rate, 2) as decimal(18, 2))"
        " from priced"
    )
    cur.execute(
        "insert into orders (order_number, customer_code, channel, external_ref, status, currency, note, ordered_at,"
        " created_by, subtotal, tax_total, total, created_at, updated_at)"
        " select o.order_number, o.customer_code, ?, o.external_ref, o.status, o.currency, o.note, o.ordered_at, ?,"
        "  sum(l.line_net), sum(l.line_tax), sum(l.line_total), ?, ?"
        " from import_orders o join order_lines l using (order_number)"
        " group by all",
        [channel, actor.username, now, now],
    )
    cur.execute(
        "insert into order_events (order_number, from_status, to_status, actor, reason, occurred_at)"
        " select order_number, null, status, ?, ?, ? from import_orders order by order_number",
        [actor.username, f"imported from {file_name}", now],
    )
    cur.execute(
        "insert into stock_ledger (occurred_at, warehouse_code, sku, movement, on_hand_delta, reserved_delta,"
        " order_number, actor, reason)"
        " select ?, i.warehouse_code, i.sku, 'reservation', 0, sum(i.quantity), o.order_number, ?, ?"
        " from import_lines i join import_orders o using (external_ref)"
        " group by i.warehouse_code, i.sku, o.order_number order by o.order_number",
        [now, actor.username, f"imported from {file_name}"],
    )
    _rebuild_levels(cur, "select distinct warehouse_code, sku from import_lines")
    cur.execute("drop table import_orders")
    return created, lines


def _record(cur: duckdb.DuckDBPyConnection, actor: Actor, summary: dict[str, Any], now: datetime) -> int:
    row = cur.execute(
        "insert into imports (channel, file, actor, imported_at, rows, orders_created, lines_created, duplicates,"
        " quarantined) values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning import_id",
        [
            summary["channel"],
            summary["file"],
            actor.username,
            now,
            summary["rows"],
            summary["orders_created"],
            summary["lines_created"],
            summary["duplicates"],
            summary["quarantined"],
        ],
    ).fetchall()
    import_id = int(row[0][0])
    cur.execute(
        "insert into quarantined_rows (import_id, file, row_no, field, reason, raw)"
        " select ?, ?, row_no, field, reason, raw from import_rows where outcome = 'quarantined' order by row_no",
        [import_id, summary["file"]],
    )
    return import_id


def list_imports(db: Database, actor: Actor, limit: int = 50) -> list[dict[str, Any]]:
    require(actor.roles, Action.VIEW_ORDERS)
    with db.reading() as cur:
        cur.execute(
            "select import_id, channel, file, actor, imported_at, rows, orders_created, lines_created, duplicates,"
            " quarantined from imports order by import_id desc limit ?",
            [limit],
        )
        return rows_as_dicts(cur)


def quarantined_rows(db: Database, actor: Actor, import_id: int) -> list[dict[str, Any]]:
    require(actor.roles, Action.VIEW_ORDERS)
    with db.reading() as cur:
        if not cur.execute("select 1 from imports where import_id = ?", [import_id]).fetchall():
            raise NotFound(f"There is no import {import_id}.", field="import_id")
        cur.execute(
            "select import_id, file, row_no, field, reason, raw from quarantined_rows where import_id = ?"
            " order by row_no",
            [import_id],
        )
        return rows_as_dicts(cur)
