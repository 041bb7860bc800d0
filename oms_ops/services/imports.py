"""Importing a channel's order file: set-based SQL in short transactions, every row accounted for.

The caller (CLI or Dagster) parses the file into canonical text columns (oms_ops.adapters.channels) and
sends them as Parquet. Here each row ends up as exactly one of: a line of a new order, a duplicate (its
(channel, external order id) exists already), or quarantined with a field and a reason. An order with
any refused line is quarantined whole. New orders are allocated stock in order date, then external id
order; nothing is oversold. An order that cannot be fully served follows the channel's `on_shortage`:

- `quarantine` (the default): its rows are quarantined, reason "insufficient stock (...)";
- `hold`: it is created On hold, reason "insufficient stock: ...", reserving nothing (see backorders.py);
- `backorder`: the same with reason "awaiting stock: ...", and it reserves its stock and moves on by
  itself once stock allows (after each import, or `backorders.fill_backorders`).

A file is taken in chunks of whole orders (about CHUNK_LINES lines), one short transaction each, so the
order desk never waits long for the write lock. A chunk is idempotent through the unique (channel,
external ref): after a crash between chunks, importing the file again creates what is missing and counts
the rest as duplicates. The import's row is written first and its counts grow with each chunk;
`finished_at` stays empty when it was interrupted. A dry run takes every chunk in one transaction that is
rolled back.

Orders a rule could touch (approval rules, credit limits) go through `gate.route_confirmed` one by one,
like a typed order; a set-based prefilter sends the others straight to their payment-terms status.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import duckdb
import polars as pl

from oms_ops.domain import approvals
from oms_ops.domain.amendments import AmendedLine
from oms_ops.domain.errors import (
    InsufficientStock,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    Shortage,
)
from oms_ops.domain.lifecycle import Status
from oms_ops.domain.roles import Action, require
from oms_ops.services import amendments, backorders, gate, stock_watch
from oms_ops.services.actor import Actor
from oms_ops.services.bulk import _count
from oms_ops.store import approval_queries, queries
from oms_ops.store.database import Database, rows_as_dicts

REQUIRED = ("external_order_id", "order_date", "customer_code", "sku", "quantity")
OPTIONAL = (
    "unit_price",
    "currency",
    "warehouse",
    "requested_date",
    "note",
    "version",
    "raw",
    "parse_problem",
    "parse_field",
)
CHANNEL = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
PRECISE_ROUNDS = 50
# Lines per transaction (whole orders): a chunk takes well under a second. Tests set a smaller one.
CHUNK_LINES = int(os.environ.get("OMS_IMPORT_CHUNK_LINES", "20000"))
POLICIES = ("quarantine", "hold", "backorder")
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
        "version_text is not null and version is null",
        "'version'",
        f"'the version must be a whole number, not ' || {_shown('version_text')}",
    ),
    (
        # min <> max: the cheap way to ask whether a column has more than one value in the order
        "min(r.customer_code) over order_rows <> max(r.customer_code) over order_rows"
        " or min(ordered_at) over order_rows <> max(ordered_at) over order_rows"
        " or min(coalesce(version, 1)) over order_rows <> max(coalesce(version, 1)) over order_rows",
        "'external_order_id'",
        "'the lines of order ' || external_ref || ' disagree on customer, order date or version'",
    ),
)


COUNTS = ("rows", "orders_created", "lines_created", "duplicates", "quarantined", "orders_amended")


class _DryRun(Exception):
    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts


def import_orders(
    db: Database,
    actor: Actor,
    channel: str,
    file_name: str,
    parquet: bytes,
    dry_run: bool = False,
    on_shortage: str = "quarantine",
) -> dict[str, Any]:
    """Import one parsed file; returns {"import_id", "file", "rows", "orders_created", "lines_created", ...}."""
    require(actor.roles, Action.IMPORT_ORDERS)
    if not CHANNEL.match(channel):
        raise InvalidInput("A channel name is 1-64 letters, digits, '_', '-' or '.'.", field="channel")
    _check_policy(on_shortage)
    return _run(db, actor, channel, file_name, _read(parquet), dry_run, on_shortage, None)


def _check_policy(on_shortage: str) -> None:
    if on_shortage not in POLICIES:
        raise InvalidInput(f"on_shortage is one of {', '.join(POLICIES)}, not {on_shortage!r}.", field="on_shortage")


def _run(
    db: Database,
    actor: Actor,
    channel: str,
    file_name: str,
    frame: pl.DataFrame,
    dry_run: bool,
    on_shortage: str,
    resubmit_of: int | None,
) -> dict[str, Any]:
    now = datetime.now(UTC)
    chunks = _chunks(frame)
    counts = dict.fromkeys(COUNTS, 0)
    summary: dict[str, Any] = {"import_id": None, "channel": channel, "file": file_name, "dry_run": dry_run}
    if dry_run:
        try:
            with db.transaction() as cur:
                for chunk in chunks:
                    _add(counts, _import_chunk(cur, actor, channel, file_name, chunk, on_shortage, None, now))
                raise _DryRun(counts)
        except _DryRun as rolled_back:
            return {**summary, **rolled_back.counts}
    with db.transaction() as cur:
        import_id = _start(cur, actor, channel, file_name, on_shortage, resubmit_of, now)
    for chunk in chunks:
        with db.transaction() as cur:
            _add(counts, _import_chunk(cur, actor, channel, file_name, chunk, on_shortage, import_id, now))
    with db.transaction() as cur:
        finished = datetime.now(UTC)
        cur.execute("update imports set finished_at = ? where import_id = ?", [finished, import_id])
        if resubmit_of is not None:
            _resolve(cur, resubmit_of, import_id, frame["row_no"].to_list())
        backorders.fill_in(cur, actor, finished)
    return {**summary, **counts, "import_id": import_id}


def _add(counts: dict[str, int], more: dict[str, int]) -> None:
    for key in COUNTS:
        counts[key] += more[key]


def _chunks(frame: pl.DataFrame) -> list[pl.DataFrame]:
    """Slices of whole orders, in order of their first row, of about CHUNK_LINES lines each."""
    if frame.is_empty():
        return []
    frame = frame.with_columns(_first=pl.col("row_no").min().over(pl.col("external_order_id").str.strip_chars()))
    sizes = (
        frame.group_by("_first")
        .agg(lines=pl.len())
        .sort("_first")
        .with_columns(_chunk=(pl.col("lines").cum_sum() - pl.col("lines")) // CHUNK_LINES)
    )
    frame = frame.join(sizes.select("_first", "_chunk"), on="_first").sort("row_no")
    return [part.drop("_first", "_chunk") for part in frame.partition_by("_chunk", maintain_order=True)]


def _start(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    channel: str,
    file_name: str,
    on_shortage: str,
    resubmit_of: int | None,
    now: datetime,
) -> int:
    row = cur.execute(
        "insert into imports (channel, file, actor, imported_at, rows, orders_created, lines_created, duplicates,"
        " quarantined, on_shortage, resubmit_of) values (?, ?, ?, ?, 0, 0, 0, 0, 0, ?, ?) returning import_id",
        [channel, file_name, actor.username, now, on_shortage, resubmit_of],
    ).fetchall()
    return int(row[0][0])


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


def _import_chunk(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    channel: str,
    file_name: str,
    chunk: pl.DataFrame,
    on_shortage: str,
    import_id: int | None,
    now: datetime,
) -> dict[str, int]:
    """One chunk of whole orders in the caller's transaction; adds its counts and quarantine to the import."""
    cur.register("incoming", chunk.to_arrow())  # gone with the cursor if the transaction fails
    try:
        _stage_rows(cur, channel)
        _quarantine_whole_orders(cur)
        _choose_warehouses(cur)
        _allocate(cur, on_shortage)
        orders_created, lines_created = _write_orders(cur, actor, channel, file_name, on_shortage, now)
        orders_amended, lines_amended = _amend_orders(cur, actor, channel, file_name, now)
        row = cur.execute(
            "select count(*), count(*) filter (where outcome = 'duplicate'),"
            " count(*) filter (where outcome = 'quarantined') from import_rows"
        ).fetchall()[0]
        counts = {
            "rows": int(row[0]),
            "orders_created": orders_created,
            "lines_created": lines_created + lines_amended,
            "duplicates": int(row[1]),
            "quarantined": int(row[2]),
            "orders_amended": orders_amended,
        }
        if import_id is not None:
            _record(cur, import_id, file_name, counts)
        for table in ("import_rows", "import_lines", "refused_orders"):
            cur.execute(f"drop table if exists {table}")
    finally:
        with contextlib.suppress(duckdb.Error):  # after a failed statement: the transaction rolls back anyway
            cur.unregister("incoming")
    return counts


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
        "   nullif(trim(requested_date), '') as requested_text, nullif(trim(version), '') as version_text"
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
        "    end as requested_at,"
        "   case when regexp_full_match(version_text, '\\d{1,9}') then cast(version_text as bigint) end as version"
        "  from cleaned),"
        " checked as ("
        "  select r.*, c.region, k.known_order,"
        "   k.known_order is not null and coalesce(r.version, 1) <= k.known_version as is_duplicate,"
        f"   {field} as field, {reason} as reason"
        "  from typed r left join customers c on c.customer_code = r.customer_code"
        "  left join products p on p.sku = r.sku left join warehouses w on w.warehouse_code = r.warehouse_code"
        "  left join (select o.external_ref as known_ref, o.order_number as known_order,"
        "    coalesce(v.version, 1) as known_version from orders o left join import_versions v"
        "    on v.channel = o.channel and v.external_ref = o.external_ref where o.channel = ?) k"
        "   on k.known_ref = r.external_ref"
        "  window order_rows as (partition by r.external_ref))"
        " select * replace (case when is_duplicate then null else field end as field,"
        "  case when is_duplicate then null else reason end as reason),"
        "  case when is_duplicate then 'duplicate' when field is not null then 'quarantined'"
        "   when known_order is not null then 'amendment' else 'candidate' end as outcome"
        " from checked",
        [WHOLE, DECIMAL, ISO_TIME, ISO_TIME, channel],
    )


def _quarantine_whole_orders(cur: duckdb.DuckDBPyConnection) -> None:
    """A refused line refuses its whole order: half an order is worse than none."""
    cur.execute(
        "update import_rows r set outcome = 'quarantined', field = 'external_order_id',"
        " reason = concat('another line of this order was refused (row ', bad.row_no, ': ', bad.reason, ')')"
        " from (select external_ref, min(row_no) as row_no, arg_min(reason, row_no) as reason from import_rows"
        "  where outcome = 'quarantined' and external_ref is not null group by external_ref) bad"
        " where r.external_ref = bad.external_ref and r.outcome in ('candidate', 'amendment')"
    )


def _choose_warehouses(cur: duckdb.DuckDBPyConnection) -> None:
    """The line's own warehouse, else the customer's region's when it can serve the line, else most available.

    Chosen once per (SKU, quantity, region) the file asks for, not per row: a big file repeats them a lot.
    """
    cur.execute(
        "create or replace temp table import_lines as"
        " with asked as ("
        "  select distinct sku, quantity, region from import_rows"
        "  where outcome = 'candidate' and warehouse_code is null),"
        " best as ("
        "  select a.sku, a.quantity, a.region, arg_min(w.warehouse_code, ("
        "    not (coalesce(s.on_hand - s.reserved, 0) >= a.quantity and w.region is not distinct from a.region),"
        "    -coalesce(s.on_hand - s.reserved, 0), w.warehouse_code)) as warehouse_code"
        "  from asked a cross join warehouses w"
        "  left join stock_levels s on s.warehouse_code = w.warehouse_code and s.sku = a.sku"
        "  group by a.sku, a.quantity, a.region)"
        " select r.row_no, r.external_ref, r.customer_code, r.ordered_at, r.sku, r.quantity, r.unit_price,"
        "  r.currency, r.note, coalesce(r.warehouse_code, best.warehouse_code) as warehouse_code"
        " from import_rows r left join best on r.warehouse_code is null and best.sku = r.sku"
        "  and best.quantity = r.quantity and best.region is not distinct from r.region"
        " where r.outcome = 'candidate'"
    )


def _allocate(cur: duckdb.DuckDBPyConnection, on_shortage: str) -> None:
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
    if on_shortage != "quarantine":
        return  # refused orders are created on hold, reserving nothing (see _write_orders)
    cur.execute(
        "update import_rows r set outcome = 'quarantined', field = 'quantity',"
        " reason = 'insufficient stock (' || f.shortage || ')'"
        " from refused_orders f where r.external_ref = f.external_ref and r.outcome = 'candidate'"
    )
    cur.execute("delete from import_lines where external_ref in (select external_ref from refused_orders)")
    cur.execute("delete from refused_orders")


def _write_orders(
    cur: duckdb.DuckDBPyConnection, actor: Actor, channel: str, file_name: str, on_shortage: str, now: datetime
) -> tuple[int, int]:
    lines = _count(cur.execute("select count(*) from import_lines"))
    if lines == 0:
        return 0, 0
    base = cur.execute("select value from counters where name = 'order_number'").fetchall()[0][0]
    waiting_reason = "awaiting stock: " if on_shortage == "backorder" else "insufficient stock: "
    cur.execute(
        "create or replace temp table import_orders as"
        " select external_ref, i.customer_code, any_value(ordered_at) as ordered_at,"
        "  coalesce(max(currency), 'CNY') as currency, arg_min(note, row_no) filter (where note is not null) as note,"
        "  f.shortage is not null as waiting, f.shortage,"
        "  case when f.shortage is not null then ? when any_value(c.payment_terms_days) > 0 then ? else ? end"
        "   as status,"
        "  case when f.shortage is not null then ? || f.shortage else ? end as reason,"
        "  'SO' || lpad(cast(? + row_number() over (order by any_value(ordered_at), external_ref) as varchar), 8, '0')"
        "   as order_number"
        " from import_lines i join customers c using (customer_code) left join refused_orders f using (external_ref)"
        " group by external_ref, i.customer_code, f.shortage",
        [
            Status.ON_HOLD.value,
            Status.TO_SHIP.value,
            Status.PENDING_PAYMENT.value,
            waiting_reason,
            f"imported from {file_name}",
            base,
        ],
    )
    created = _count(cur.execute("select count(*) from import_orders"))
    cur.execute("update counters set value = value + ? where name = 'order_number'", [created])
    cur.execute(
        "insert into order_lines (order_number, line_no, sku, warehouse_code, quantity, unit_price, discount_pct,"
        " tax_rate, unit_cost, line_net, line_tax, line_total)"
        # An empty unit price takes the customer's price-list price valid on the order date, else the list price.
        " with contract as ("
        "  select o.external_ref, i.sku, arg_max(pi.price, pi.valid_from) as price"
        "  from import_lines i join import_orders o using (external_ref)"
        "  join customers c on c.customer_code = o.customer_code"
        "  join price_list_items pi on pi.price_list_code = c.price_list and pi.sku = i.sku"
        "  where pi.valid_from <= cast(o.ordered_at as date)"
        "   and (pi.valid_to is null or pi.valid_to >= cast(o.ordered_at as date))"
        "  group by all),"
        " priced as ("
        "  select o.order_number, row_number() over (partition by o.order_number order by i.row_no) as line_no,"
        "   i.sku, i.warehouse_code, i.quantity, coalesce(i.unit_price, k.price, p.list_price) as unit_price,"
        "   p.tax_rate, p.cost,"
        "   cast(round(coalesce(i.unit_price, k.price, p.list_price) * i.quantity, 2) as decimal(18, 2)) as line_net"
        "  from import_lines i join import_orders o using (external_ref) join products p using (sku)"
        "  left join contract k on k.external_ref = i.external_ref and k.sku = i.sku)"
        " select order_number, line_no, sku, warehouse_code, quantity, unit_price, 0, tax_rate, cost, line_net,"
        "  cast(round(line_net * tax_rate, 2) as decimal(18, 2)),"
        "  line_net + cast(round(line_net * tax_rate, 2) as decimal(18, 2))"
        " from priced"
    )
    gated = _gate_candidates(cur)
    cur.execute(
        "insert into orders (order_number, customer_code, channel, external_ref, status, currency, note, ordered_at,"
        " created_by, subtotal, tax_total, total, created_at, updated_at)"
        " select o.order_number, o.customer_code, ?, o.external_ref,"
        "  case when o.order_number in (select unnest(?)) then 'draft' else o.status end,"
        "  o.currency, o.note, o.ordered_at, ?, sum(l.line_net), sum(l.line_tax), sum(l.line_total), ?, ?"
        " from import_orders o join order_lines l using (order_number)"
        " group by all",
        [channel, gated, actor.username, now, now],
    )
    if gated:
        _route_through_gate(cur, actor, gated, file_name, now)
    cur.execute(
        "insert into order_events (order_number, from_status, to_status, actor, reason, occurred_at)"
        " select order_number, null, status, ?, reason, ? from import_orders order by order_number",
        [actor.username, now],
    )
    _reserve(cur, actor, file_name, now)
    cur.execute(
        "insert into awaiting_stock (order_number, policy, shortage, since)"
        " select order_number, ?, shortage, ? from import_orders where waiting",
        [on_shortage, now],
    )
    cur.execute(
        "insert into import_versions (channel, external_ref, version)"
        " select ?, external_ref, max(version) from import_rows where outcome = 'candidate' and version is not null"
        "  and external_ref in (select external_ref from import_orders) group by external_ref",
        [channel],
    )
    cur.execute("drop table import_orders")
    return created, lines


def _amend_orders(
    cur: duckdb.DuckDBPyConnection, actor: Actor, channel: str, file_name: str, now: datetime
) -> tuple[int, int]:
    """A later version of a known order amends it (as a clerk's amendment would), or is quarantined saying why."""
    rows = cur.execute(
        "select known_order, external_ref, version, row_no, sku, quantity, warehouse_code, unit_price"
        " from import_rows where outcome = 'amendment' order by known_order, row_no"
    ).fetchall()
    by_order: dict[tuple[str, str, int], list[AmendedLine]] = defaultdict(list)
    for number, ref, version, _, sku, quantity, warehouse, price in rows:
        by_order[number, ref, int(version)].append(AmendedLine(sku, int(quantity), warehouse, price))
    amended, refused, lines_amended = [], [], 0
    for (number, ref, version), lines in by_order.items():
        if backorders.is_waiting(cur, number):  # it reserves nothing yet: an amendment would move stock it lacks
            refused.append((ref, f"version {version} cannot amend order {number}: it is on hold waiting for stock"))
            continue
        try:
            amendments.amend_in(cur, actor, number, lines, f"version {version} from {file_name}", now)
        except (InvalidTransition, InsufficientStock, InvalidInput, PermissionDenied) as exc:
            refused.append((ref, f"version {version} cannot amend order {number}: {exc}"))
            continue
        amended.append((ref, version))
        lines_amended += len(lines)
    if refused:
        cur.execute(
            "update import_rows r set outcome = 'quarantined', field = 'version', reason = f.reason"
            " from (select unnest(?) as external_ref, unnest(?) as reason) f"
            " where r.external_ref = f.external_ref and r.outcome = 'amendment'",
            [[ref for ref, _ in refused], [why for _, why in refused]],
        )
    if amended:
        cur.execute(
            "insert into import_versions (channel, external_ref, version)"
            " select ?, unnest(?), unnest(?)"
            " on conflict (channel, external_ref) do update set version = excluded.version",
            [channel, [ref for ref, _ in amended], [v for _, v in amended]],
        )
    return len(amended), lines_amended


def _gate_candidates(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """The new orders (not waiting for stock) an approval rule or a credit limit could touch, first come first.

    Conservative bounds, so no order the gate would stop is missed: a customer's exposure with an order is at
    most the totals of their open orders plus this chunk's up to that one (first come first served); their
    earlier orders are at least those already stored.
    """
    conditions = ["c.payment_terms_days > 0 and c.credit_limit > 0 and b.bound > c.credit_limit"]
    params: list[Any] = []
    for rule in approval_queries.active_rules(cur):
        kind, threshold = rule.condition_kind, rule.threshold
        if kind == "order_total_over":
            conditions.append("t.total > ?")
        elif kind == "margin_below":
            conditions.append("t.net > 0 and round((t.net - t.cost) / t.net * 100, 2) < ?")
        elif kind == "over_credit_limit":
            conditions.append("c.credit_limit > 0 and b.bound > c.credit_limit * ? / 100")
        elif kind == "new_customer":
            conditions.append("coalesce(e.earlier, 0) < ?")
        elif kind == "line_discount_over":
            conditions.append("0 > ?")  # imported lines carry no discount
        else:
            conditions.append("? is not null")  # a kind this filter does not know: every order asks the gate
        params.append(threshold)
    rows = cur.execute(
        "with totals as ("
        "  select o.order_number, o.customer_code, o.ordered_at, sum(l.line_net) as net,"
        "   sum(l.unit_cost * l.quantity) as cost, sum(l.line_total) as total"
        "  from import_orders o join order_lines l using (order_number) where not o.waiting group by all),"
        " existing as ("
        "  select customer_code, count(*) filter (where status <> 'cancelled') as earlier,"
        "   coalesce(sum(total) filter (where status not in ('cancelled', 'completed', 'draft')), 0) as open_total"
        "  from orders where customer_code in (select customer_code from totals) group by customer_code),"
        " bounds as ("
        "  select t.order_number, coalesce(e.open_total, 0) + sum(t.total) over (partition by t.customer_code"
        "   order by t.ordered_at, t.order_number rows between unbounded preceding and current row) as bound"
        "  from totals t left join existing e using (customer_code))"
        " select t.order_number from totals t join customers c using (customer_code)"
        " join bounds b using (order_number) left join existing e using (customer_code)"
        f" where ({') or ('.join(conditions)}) order by t.ordered_at, t.order_number",
        params,
    ).fetchall()
    return [row[0] for row in rows]


def _route_through_gate(
    cur: duckdb.DuckDBPyConnection, actor: Actor, gated: list[str], file_name: str, now: datetime
) -> None:
    """Each order in turn, as a typed order would be: its status and reason are the gate's."""
    lines: dict[str, list[gate.LineFacts]] = defaultdict(list)
    for number, sku, wh, qty, list_price, unit_price, discount, cost, net in cur.execute(
        "select l.order_number, l.sku, l.warehouse_code, l.quantity, p.list_price, l.unit_price, l.discount_pct,"
        " l.unit_cost, l.line_net from order_lines l join products p using (sku)"
        " where l.order_number in (select unnest(?)) order by l.order_number, l.line_no",
        [gated],
    ).fetchall():
        lines[number].append(gate.LineFacts(sku, wh, int(qty), list_price, unit_price, discount, cost, net))
    heads = {
        number: (code, Decimal(total))
        for number, code, total in cur.execute(
            "select order_number, customer_code, total from orders where order_number in (select unnest(?))", [gated]
        ).fetchall()
    }
    customers: dict[str, dict[str, Any]] = {}
    outcomes = []
    credit_matters = approvals.needs_credit_figures(approval_queries.active_rules(cur))
    for number in gated:
        code, total = heads[number]
        customer = customers.get(code) or queries.customer(cur, code)
        assert customer is not None
        customers[code] = customer
        facts = gate.OrderFacts(
            order_number=number,
            customer=customer,
            created_by=actor.username,
            lines=lines[number],
            subtotal=sum((line.line_net for line in lines[number]), Decimal(0)),
            total=total,
        )
        status, reason = gate.route_confirmed(cur, facts, actor, now)
        if credit_matters or _credit_checked(customer):  # the next orders' exposure must count this one
            cur.execute("update orders set status = ? where order_number = ?", [status.value, number])
        outcomes.append((number, status.value, f"{reason} (imported from {file_name})"))
    cur.execute(
        "update orders o set status = g.status"
        " from (select unnest(?) as order_number, unnest(?) as status) g where o.order_number = g.order_number",
        [[n for n, _, _ in outcomes], [st for _, st, _ in outcomes]],
    )
    cur.execute(
        "update import_orders o set status = g.status, reason = g.reason"
        " from (select unnest(?) as order_number, unnest(?) as status, unnest(?) as reason) g"
        " where o.order_number = g.order_number",
        [[n for n, _, _ in outcomes], [s for _, s, _ in outcomes], [r for _, _, r in outcomes]],
    )


def _credit_checked(customer: dict[str, Any]) -> bool:
    return int(customer.get("payment_terms_days") or 0) > 0 and Decimal(customer.get("credit_limit") or 0) > 0


def _reserve(cur: duckdb.DuckDBPyConnection, actor: Actor, file_name: str, now: datetime) -> None:
    """Ledger rows and stock levels for the orders that are served; the allocation made sure it fits."""
    cur.execute(
        "insert into stock_ledger (occurred_at, warehouse_code, sku, movement, on_hand_delta, reserved_delta,"
        " order_number, actor, reason)"
        " select ?, i.warehouse_code, i.sku, 'reservation', 0, sum(i.quantity), o.order_number, ?, ?"
        " from import_lines i join import_orders o using (external_ref) where not o.waiting"
        " group by i.warehouse_code, i.sku, o.order_number order by o.order_number",
        [now, actor.username, f"imported from {file_name}"],
    )
    cur.execute(
        "create or replace temp table reserved_now as select i.warehouse_code, i.sku, sum(i.quantity) as quantity"
        " from import_lines i join import_orders o using (external_ref) where not o.waiting group by all"
    )
    locations = {(wh, sku) for wh, sku in cur.execute("select warehouse_code, sku from reserved_now").fetchall()}
    hit = _count(
        cur.execute(
            "update stock_levels s set reserved = s.reserved + d.quantity, updated_at = ? from reserved_now d"
            " where s.warehouse_code = d.warehouse_code and s.sku = d.sku and s.on_hand - s.reserved >= d.quantity",
            [now],
        )
    )
    if hit != len(locations):  # the allocation above makes this impossible; refuse rather than oversell
        short = cur.execute(
            "select d.sku, d.warehouse_code, d.quantity, coalesce(s.on_hand - s.reserved, 0) from reserved_now d"
            " left join stock_levels s using (warehouse_code, sku) limit 5"
        ).fetchall()
        raise InsufficientStock([Shortage(sku, wh, int(q), int(a)) for sku, wh, q, a in short])
    cur.execute("drop table reserved_now")
    if locations:
        stock_watch.after_stock_change(cur, locations, now)


def _record(cur: duckdb.DuckDBPyConnection, import_id: int, file_name: str, counts: dict[str, int]) -> None:
    cur.execute(
        "update imports set rows = rows + ?, orders_created = orders_created + ?, lines_created = lines_created + ?,"
        " duplicates = duplicates + ?, quarantined = quarantined + ?, orders_amended = orders_amended + ?"
        " where import_id = ?",
        [*(counts[key] for key in COUNTS), import_id],
    )
    cur.execute(
        "insert into quarantined_rows (import_id, file, row_no, field, reason, raw)"
        " select ?, ?, row_no, field, reason, raw from import_rows where outcome = 'quarantined' order by row_no",
        [import_id, file_name],
    )


IMPORT_COLUMNS = (
    "i.import_id, i.channel, i.file, i.actor, i.imported_at, i.finished_at, i.rows, i.orders_created,"
    " i.lines_created, i.duplicates, i.quarantined, i.orders_amended, i.on_shortage, i.resubmit_of,"
    " (select count(*) from quarantined_rows q where q.import_id = i.import_id and q.resolved_by is not null)"
    " as resolved"
)


def list_imports(db: Database, actor: Actor, limit: int = 50) -> list[dict[str, Any]]:
    require(actor.roles, Action.VIEW_ORDERS)
    with db.reading() as cur:
        cur.execute(f"select {IMPORT_COLUMNS} from imports i order by import_id desc limit ?", [limit])
        return rows_as_dicts(cur)


def quarantined_rows(db: Database, actor: Actor, import_id: int) -> list[dict[str, Any]]:
    require(actor.roles, Action.VIEW_ORDERS)
    with db.reading() as cur:
        if not cur.execute("select 1 from imports where import_id = ?", [import_id]).fetchall():
            raise NotFound(f"There is no import {import_id}.", field="import_id")
        cur.execute(
            "select import_id, file, row_no, field, reason, raw, resolved_by from quarantined_rows"
            " where import_id = ? order by row_no",
            [import_id],
        )
        return rows_as_dicts(cur)


def resubmit(db: Database, actor: Actor, import_id: int, parquet: bytes, dry_run: bool = False) -> dict[str, Any]:
    """Run corrected quarantined rows of an import (same `row_no`s) through the import again.

    The new import links to the original; each original row that now becomes a line or a duplicate is
    marked resolved by it, once: a resolved row cannot be submitted again.
    """
    require(actor.roles, Action.IMPORT_ORDERS)
    frame = _read(parquet)
    with db.reading() as cur:
        head = cur.execute("select channel, file, on_shortage from imports where import_id = ?", [import_id]).fetchall()
        if not head:
            raise NotFound(f"There is no import {import_id}.", field="import_id")
        open_rows = {
            int(row[0])
            for row in cur.execute(
                "select row_no from quarantined_rows where import_id = ? and resolved_by is null", [import_id]
            ).fetchall()
        }
    strangers = sorted(set(frame["row_no"].to_list()) - open_rows)
    if strangers:
        raise InvalidInput(
            f"Import {import_id} has no open quarantined row {', '.join(map(str, strangers[:5]))}"
            " (already resolved, or never quarantined); nothing was re-submitted.",
            field="row_no",
        )
    channel, file_name, on_shortage = head[0]
    name = f"{file_name} (re-submit of #{import_id})"
    return _run(db, actor, channel, name, frame, dry_run, on_shortage or "quarantine", import_id)


def _resolve(cur: duckdb.DuckDBPyConnection, original: int, resubmitted: int, row_nos: list[int]) -> None:
    """Rows of the original import that the re-submission did not quarantine again are resolved by it."""
    cur.execute(
        "update quarantined_rows q set resolved_by = ? where q.import_id = ? and q.resolved_by is null"
        " and q.row_no in (select unnest(?)) and q.row_no not in"
        " (select row_no from quarantined_rows where import_id = ?)",
        [resubmitted, original, row_nos, resubmitted],
    )
