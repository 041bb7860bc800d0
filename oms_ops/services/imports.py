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

A file is taken in chunks of whole orders (about CHUNK_LINES lines), one transaction each, so the
order desk waits at most one chunk (~1.5 s) for the write lock. A chunk is idempotent through the unique (channel,
external ref): after a crash between chunks, importing the file again creates what is missing and counts
the rest as duplicates. The import's row is written first and its counts grow with each chunk;
`finished_at` stays empty when it was interrupted. A dry run takes every chunk in one transaction that is
rolled back.

The approval/credit gate decides a chunk's new orders at once (bulk_gate): the same decisions as
`gate.route_confirmed` would take for each in turn, in order date order, with approval requests written
in one statement.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import re
import threading
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import duckdb
import polars as pl

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
from oms_ops.services import amendments, backorders, bulk_gate, stock_watch
from oms_ops.services.actor import Actor
from oms_ops.services.bulk import _count
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
RAW_FIELDS = "raw_fields"  # see _raw_sql
RawSql = tuple[str, tuple[str, ...]]  # SQL of a row's raw JSON over `incoming i`, and its parameters
CHANNEL = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
PRECISE_ROUNDS = 50
# Lines per transaction (whole orders). Each chunk holds the write lock ~1.5 s on a 2-CPU machine, the
# longest an order desk waits during a big import; a chunk has a fixed cost of ~0.5 s, so 200,000-line
# chunks import a 1M-line file ~25 % faster than 50,000-line ones (benchmarks/README.md). Tests set a smaller one.
CHUNK_LINES = int(os.environ.get("OMS_IMPORT_CHUNK_LINES", "200000"))
POLICIES = ("quarantine", "hold", "backorder")
# DuckDB's checkpoint threshold while imports run (see _checkpoints_deferred); a DuckDB size.
IMPORT_CHECKPOINT_THRESHOLD = "1GiB"
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
        "d.disagrees",  # see _stage_rows
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
    frame, raw_sql = _read(parquet)
    return _run(db, actor, channel, file_name, frame, raw_sql, dry_run, on_shortage, None)


def _check_policy(on_shortage: str) -> None:
    if on_shortage not in POLICIES:
        raise InvalidInput(f"on_shortage is one of {', '.join(POLICIES)}, not {on_shortage!r}.", field="on_shortage")


def _run(
    db: Database,
    actor: Actor,
    channel: str,
    file_name: str,
    frame: pl.DataFrame,
    raw_sql: RawSql,
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
                    _add(counts, _import_chunk(cur, actor, channel, file_name, chunk, on_shortage, None, now, raw_sql))
                raise _DryRun(counts)
        except _DryRun as rolled_back:
            return {**summary, **rolled_back.counts}
    with db.transaction() as cur:
        import_id = _start(cur, actor, channel, file_name, on_shortage, resubmit_of, now)
    with _checkpoints_deferred(db):
        for chunk in chunks:
            with db.transaction() as cur:
                _add(counts, _import_chunk(cur, actor, channel, file_name, chunk, on_shortage, import_id, now, raw_sql))
    with db.transaction() as cur:  # its commit checkpoints once what the chunks wrote (see _checkpoints_deferred)
        finished = datetime.now(UTC)
        cur.execute("update imports set finished_at = ? where import_id = ?", [finished, import_id])
        if resubmit_of is not None:
            _resolve(cur, resubmit_of, import_id, frame["row_no"].to_list())
        backorders.fill_in(cur, actor, finished)
    return {**summary, **counts, "import_id": import_id}


_deferring = threading.Lock()
_deferred: dict[str, Any] = {"imports": 0, "usual": None}


@contextlib.contextmanager
def _checkpoints_deferred(db: Database) -> Iterator[None]:
    """While chunks commit, DuckDB does not checkpoint: one checkpoint after the import instead of one every ~16 MB.

    A checkpoint writes the tables' changed row groups and their indexes back to the file; with the default
    threshold (16 MiB of WAL) a big import would do that every two chunks, ever larger (at 1 M lines, a fifth
    of the import's time). The threshold is DuckDB-wide, so it is raised while any import is running and put
    back after the last one ends; the import's closing transaction, over the usual threshold, then checkpoints.
    The WAL keeps everything committed meanwhile (crash-safe as before; a restart replays it).
    """
    with _deferring:
        if _deferred["imports"] == 0:
            with db.reading() as cur:
                _deferred["usual"] = cur.execute("select current_setting('checkpoint_threshold')").fetchall()[0][0]
                cur.execute(f"set global checkpoint_threshold = '{IMPORT_CHECKPOINT_THRESHOLD}'")
        _deferred["imports"] += 1
    try:
        yield
    finally:
        with _deferring:
            _deferred["imports"] -= 1
            if _deferred["imports"] == 0:
                with db.reading() as cur:
                    cur.execute(f"set global checkpoint_threshold = '{_deferred['usual']}'")


def _add(counts: dict[str, int], more: dict[str, int]) -> None:
    for key in COUNTS:
        counts[key] += more[key]


def _chunks(frame: pl.DataFrame) -> list[pl.DataFrame]:
    """Slices of whole orders, in order of their first row, of about CHUNK_LINES lines each.

    Sorted by (the order's first row, row), an order's lines are together and the lines before its first
    one are those of the orders before it: a chunk number is that position // CHUNK_LINES. No join, and
    the sort costs little when the file keeps each order's rows together, as files do.
    """
    if frame.is_empty():
        return []
    refs = frame["external_order_id"].str.strip_chars()
    run_starts = refs.ne_missing(refs.shift())
    if frame["row_no"].is_sorted() and int(run_starts.sum()) == refs.n_unique():
        # each order's rows together in row order, as files have them: no window, no sort (~0.5 s a million rows)
        frame = frame.with_columns(_first=run_starts)
        starts = pl.when(pl.col("_first")).then(pl.int_range(pl.len())).otherwise(0)
    else:
        first = pl.col("row_no").min().over(pl.col("external_order_id").str.strip_chars())
        frame = frame.with_columns(_first=first).sort("_first", "row_no")
        starts = pl.when(pl.col("_first") != pl.col("_first").shift()).then(pl.int_range(pl.len())).otherwise(0)
    frame = frame.with_columns(_chunk=starts.cum_max() // CHUNK_LINES)
    sizes = frame.group_by("_chunk", maintain_order=True).len()["len"].to_list()
    frame = frame.drop("_first", "_chunk")
    offsets = itertools.accumulate(sizes, initial=0)
    return [frame.slice(offset, size) for offset, size in zip(offsets, sizes, strict=False)]  # views, no copies


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


def _read(parquet: bytes) -> tuple[pl.DataFrame, RawSql]:
    """The rows as text columns, and the SQL (over `incoming i`) of a row's `raw` JSON with its parameters."""
    try:
        names = list(pl.read_parquet_schema(io.BytesIO(parquet)))
        fields = pl.read_parquet(io.BytesIO(parquet), columns=[RAW_FIELDS], n_rows=1) if RAW_FIELDS in names else None
        frame = pl.read_parquet(io.BytesIO(parquet), columns=[n for n in names if n != RAW_FIELDS])
    except Exception as exc:  # polars raises several kinds for a damaged file
        raise InvalidInput(f"The upload is not a readable Parquet file: {exc}", field="body") from exc
    frame, raw_sql = _raw_sql(frame, fields)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InvalidInput(
            f"The file lacks the required column(s) {', '.join(missing)}; nothing was imported.", field=missing[0]
        )
    if "row_no" not in frame.columns:
        frame = frame.with_row_index("row_no", offset=1)
    extra = [pl.lit(None, pl.Utf8).alias(c) for c in OPTIONAL if c not in frame.columns]
    texts = [pl.col(c).cast(pl.Utf8) for c in (*REQUIRED, *OPTIONAL) if c in frame.columns]
    return frame.with_columns(*texts, *extra).with_columns(pl.col("row_no").cast(pl.Int64)), raw_sql


def _raw_sql(frame: pl.DataFrame, fields: pl.DataFrame | None) -> tuple[pl.DataFrame, RawSql]:
    """`i.raw` as sent; or, when the upload has `raw_fields` instead (a big regular CSV file, see
    adapters/channels/parse.py), the JSON object of the file's headers and values built in SQL, so only
    quarantined rows pay for it. Its `raw:<header>` columns become `_raw_<n>`: no file text in the SQL.
    """
    if "raw" in frame.columns or fields is None or fields.is_empty():
        return frame, ("i.raw", ())
    try:
        pairs = [(str(header), str(column)) for header, column in json.loads(fields[RAW_FIELDS][0])]
    except (TypeError, ValueError) as exc:
        problem = f"raw_fields is not a JSON list of [header, column] pairs: {exc}"
        raise InvalidInput(problem, field="raw_fields") from exc
    renamed = {column: f"_raw_{n}" for n, column in enumerate(c for _, c in pairs if c.startswith("raw:"))}
    known = {*REQUIRED, *OPTIONAL} - {"raw", "parse_problem", "parse_field"}
    missing = [c for _, c in pairs if (c not in known and c not in renamed) or c not in frame.columns]
    if missing:
        raise InvalidInput(f"raw_fields names column(s) the upload lacks: {', '.join(missing[:5])}", field="raw_fields")
    values = ", ".join(f"?, coalesce(cast(i.{renamed.get(c, c)} as varchar), '')" for _, c in pairs)
    return frame.rename(renamed), (f"json_object({values})" if pairs else "'{}'", tuple(h for h, _ in pairs))


def _import_chunk(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    channel: str,
    file_name: str,
    chunk: pl.DataFrame,
    on_shortage: str,
    import_id: int | None,
    now: datetime,
    raw_sql: RawSql = ("i.raw", ()),
) -> dict[str, int]:
    """One chunk of whole orders in the caller's transaction; adds its counts and quarantine to the import."""
    # string views as polars holds them: no copy (the default conversion copies every string, ~1.5 s a million rows)
    cur.register("incoming", chunk.to_arrow(compat_level=pl.CompatLevel.newest()))  # gone with the cursor
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
            _record(cur, import_id, file_name, counts, raw_sql)
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
        "  select row_no, parse_problem, parse_field, note,"
        "   nullif(trim(external_order_id), '') as external_ref, nullif(trim(order_date), '') as order_date_text,"
        "   nullif(trim(customer_code), '') as customer_code, nullif(trim(sku), '') as sku,"
        "   nullif(trim(quantity), '') as quantity_text, nullif(trim(unit_price), '') as price_text,"
        "   nullif(upper(trim(currency)), '') as currency, nullif(trim(warehouse), '') as warehouse_code,"
        "   nullif(trim(requested_date), '') as requested_text, nullif(trim(version), '') as version_text"
        "  from incoming),"
        " typed as materialized ("
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
        # min <> max: the cheap way to ask whether a column has more than one value in the order; a grouping
        # joined back costs a fraction of a window over the wide rows
        " disagreeing as ("
        "  select external_ref as disagreeing_ref, min(customer_code) <> max(customer_code)"
        "   or min(ordered_at) <> max(ordered_at) or min(coalesce(version, 1)) <> max(coalesce(version, 1))"
        "   as disagrees"
        "  from typed where external_ref is not null group by external_ref),"
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
        "  left join disagreeing d on d.disagreeing_ref = r.external_ref)"
        # what the later steps need: the texts and parse columns only made the reasons
        " select * exclude (parse_problem, parse_field, order_date_text, quantity_text, price_text, requested_text,"
        "  version_text, requested_at, is_duplicate)"
        " replace (case when is_duplicate then null else field end as field,"
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

    Chosen once per (SKU, region) the file asks for, not per row: the region's warehouse with most available
    (it serves the line when any of the region's does), and the one with most available anywhere.
    """
    cur.execute(
        "create or replace temp table import_lines as"
        " with asked as ("
        "  select distinct sku, region from import_rows"
        "  where outcome = 'candidate' and warehouse_code is null),"
        " places as ("
        "  select a.sku, a.region, w.warehouse_code, w.region is not distinct from a.region as home,"
        "   coalesce(s.on_hand - s.reserved, 0) as available"
        "  from asked a cross join warehouses w"
        "  left join stock_levels s on s.warehouse_code = w.warehouse_code and s.sku = a.sku),"
        " best as ("
        "  select sku, region, arg_min(warehouse_code, (-available, warehouse_code)) filter (where home) as home,"
        "   max(available) filter (where home) as home_available,"
        "   arg_min(warehouse_code, (-available, warehouse_code)) as anywhere"
        "  from places group by sku, region)"
        " select r.row_no, r.external_ref, r.customer_code, r.ordered_at, r.sku, r.quantity, r.unit_price,"
        "  r.currency, r.note, coalesce(r.warehouse_code,"
        "   case when best.home_available >= r.quantity then best.home else best.anywhere end) as warehouse_code"
        " from import_rows r left join best on r.warehouse_code is null and best.sku = r.sku"
        "  and best.region is not distinct from r.region"
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
                " with wanted as ("
                "  select external_ref, any_value(ordered_at) as ordered_at, warehouse_code, sku,"
                "   sum(quantity) as quantity from import_lines"
                "  where external_ref not in (select external_ref from refused_orders)"
                "  group by external_ref, warehouse_code, sku),"
                # only where all the chunk wants is more than is available can a running sum overrun
                " short as ("
                "  select w.warehouse_code, w.sku, any_value(coalesce(s.on_hand - s.reserved, 0)) as available"
                "  from wanted w left join stock_levels s on s.warehouse_code = w.warehouse_code and s.sku = w.sku"
                "  group by w.warehouse_code, w.sku having sum(w.quantity) > available)"
                " select external_ref, min(shortage) from ("
                "  select d.external_ref, concat(d.sku, ' in ', d.warehouse_code, ': ',"
                "    d.available, ' available, earlier orders and this one need ',"
                "    d.needed_so_far) as shortage,"
                "   d.needed_so_far > d.available as overruns,"
                "   row_number() over (partition by d.warehouse_code, d.sku, overruns"
                "    order by d.ordered_at, d.external_ref) as nth"
                "  from ("
                "   select w.external_ref, w.ordered_at, w.warehouse_code, w.sku, s.available,"
                "    sum(w.quantity) over (partition by w.warehouse_code, w.sku order by w.ordered_at, w.external_ref"
                "     rows between unbounded preceding and current row) as needed_so_far"
                "   from wanted w join short s on s.warehouse_code = w.warehouse_code and s.sku = w.sku) d)"
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
        "create or replace temp table import_priced as"
        # An empty unit price takes the customer's price-list price valid on the order date, else the list price.
        " with contract as ("
        "  select o.external_ref, i.sku, arg_max(pi.price, pi.valid_from) as price"
        "  from import_lines i join import_orders o using (external_ref)"
        "  join customers c on c.customer_code = o.customer_code"
        "  join price_list_items pi on pi.price_list_code = c.price_list and pi.sku = i.sku"
        "  where i.unit_price is null and pi.valid_from <= cast(o.ordered_at as date)"
        "   and (pi.valid_to is null or pi.valid_to >= cast(o.ordered_at as date))"
        "  group by all),"
        " priced as ("
        "  select o.order_number, row_number() over (partition by o.order_number order by i.row_no) as line_no,"
        "   i.sku, i.warehouse_code, i.quantity, coalesce(i.unit_price, k.price, p.list_price) as unit_price,"
        "   p.tax_rate, p.cost,"
        "   cast(round(coalesce(i.unit_price, k.price, p.list_price) * i.quantity, 2) as decimal(18, 2)) as line_net"
        "  from import_lines i join import_orders o using (external_ref) join products p using (sku)"
        "  left join contract k on k.external_ref = i.external_ref and k.sku = i.sku)"
        " select order_number, line_no, sku, warehouse_code, quantity, unit_price, cast(0 as decimal(5, 2))"
        "  as discount_pct, tax_rate, cost as unit_cost, line_net,"
        "  cast(round(line_net * tax_rate, 2) as decimal(18, 2)) as line_tax,"
        "  line_net + cast(round(line_net * tax_rate, 2) as decimal(18, 2)) as line_total"
        " from priced"
    )
    # the chunk's lines from here on, not order_lines: a join with that table would read all of it
    cur.execute(
        "insert into order_lines (order_number, line_no, sku, warehouse_code, quantity, unit_price, discount_pct,"
        " tax_rate, unit_cost, line_net, line_tax, line_total)"
        " select order_number, line_no, sku, warehouse_code, quantity, unit_price, discount_pct, tax_rate, unit_cost,"
        "  line_net, line_tax, line_total from import_priced"
    )
    _route_through_gate(cur, actor, file_name, now)
    cur.execute(
        "insert into orders (order_number, customer_code, channel, external_ref, status, currency, note, ordered_at,"
        " created_by, subtotal, tax_total, total, created_at, updated_at)"
        " select o.order_number, o.customer_code, ?, o.external_ref, o.status,"
        "  o.currency, o.note, o.ordered_at, ?, l.subtotal, l.tax_total, l.total, ?, ?"
        " from import_orders o join (select order_number, sum(line_net) as subtotal, sum(line_tax) as tax_total,"
        "  sum(line_total) as total from import_priced group by order_number) l using (order_number)",
        [channel, actor.username, now, now],
    )
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
    cur.execute("drop table import_priced")
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


def _route_through_gate(cur: duckdb.DuckDBPyConnection, actor: Actor, file_name: str, now: datetime) -> None:
    """The approval/credit gate for the chunk's new orders at once, deciding as it would one by one (bulk_gate)."""
    stopped = [
        (o.order_number, o.status.value, f"{o.reason} (imported from {file_name})")
        for o in bulk_gate.route_new_orders(cur, actor, "import_orders", now, lines="import_priced").values()
        if o.status in (Status.PENDING_APPROVAL, Status.ON_HOLD)  # the others keep their payment-terms status
    ]
    if stopped:
        cur.execute(
            "update import_orders o set status = g.status, reason = g.reason"
            " from (select unnest(?) as order_number, unnest(?) as status, unnest(?) as reason) g"
            " where o.order_number = g.order_number",
            [[n for n, _, _ in stopped], [s for _, s, _ in stopped], [r for _, _, r in stopped]],
        )


def _reserve(cur: duckdb.DuckDBPyConnection, actor: Actor, file_name: str, now: datetime) -> None:
    """Ledger rows and stock levels for the orders that are served; the allocation made sure it fits."""
    # from the priced lines, which carry the order number: no join on the external id (~1 s a million lines)
    served = "from import_priced where order_number not in (select order_number from import_orders where waiting)"
    cur.execute(
        "insert into stock_ledger (occurred_at, warehouse_code, sku, movement, on_hand_delta, reserved_delta,"
        " order_number, actor, reason)"
        f" select ?, warehouse_code, sku, 'reservation', 0, sum(quantity), order_number, ?, ? {served}"
        " group by warehouse_code, sku, order_number order by order_number",
        [now, actor.username, f"imported from {file_name}"],
    )
    cur.execute(
        "create or replace temp table reserved_now as"
        f" select warehouse_code, sku, sum(quantity) as quantity {served} group by all"
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


def _record(
    cur: duckdb.DuckDBPyConnection, import_id: int, file_name: str, counts: dict[str, int], raw_sql: RawSql
) -> None:
    cur.execute(
        "update imports set rows = rows + ?, orders_created = orders_created + ?, lines_created = lines_created + ?,"
        " duplicates = duplicates + ?, quarantined = quarantined + ?, orders_amended = orders_amended + ?"
        " where import_id = ?",
        [*(counts[key] for key in COUNTS), import_id],
    )
    if not counts["quarantined"]:
        return  # the join below reads the chunk's raw rows
    raw, raw_params = raw_sql
    cur.execute(
        "insert into quarantined_rows (import_id, file, row_no, field, reason, raw)"
        f" select ?, ?, r.row_no, r.field, r.reason, {raw} from import_rows r join incoming i using (row_no)"
        " where r.outcome = 'quarantined' order by r.row_no",
        [import_id, file_name, *raw_params],
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
    frame, raw_sql = _read(parquet)
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
    return _run(db, actor, channel, name, frame, raw_sql, dry_run, on_shortage or "quarantine", import_id)


def _resolve(cur: duckdb.DuckDBPyConnection, original: int, resubmitted: int, row_nos: list[int]) -> None:
    """Rows of the original import that the re-submission did not quarantine again are resolved by it."""
    cur.execute(
        "update quarantined_rows q set resolved_by = ? where q.import_id = ? and q.resolved_by is null"
        " and q.row_no in (select unnest(?)) and q.row_no not in"
        " (select row_no from quarantined_rows where import_id = ?)",
        [resubmitted, original, row_nos, resubmitted],
    )
