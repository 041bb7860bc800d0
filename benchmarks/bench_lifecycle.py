"""Orders placed, amended and shipped per second: through the oms_ops HTTP API, and straight on DuckDB.

    uv run python benchmarks/bench_lifecycle.py [--seconds 4] [--clients 8] [--rounds 1]

Starts its own server on a temporary folder and a free port (the catalogue of bench_orders.py: 2
warehouses, 30 SKUs with 10^9 units each, one customer on 30-day terms), then, for each operation, runs
one API client, N API client threads, and the same transaction on one long-lived DuckDB connection to a
separate file with the server's schema, and prints rates and the API / direct ratio per operation.
With --rounds N the three modes alternate N times per operation and are added up, so that on a
busy machine each ratio compares runs made under the same load.

- place: a 3-line order (as bench_orders.py).
- amend: line 1 of an order placed before goes one unit up or down (a new version; one unit reserved
  or released; the order repriced; version 1 recorded at the first amendment).
- ship: one unit of one line of an order placed before (a shipment, stock out of on hand and reserved;
  the API answers the shipment, not the whole order).

Not a test; asserts nothing; touches only temporary folders.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_orders as bo  # the sibling benchmark's server and catalogue

from oms_ops.domain.amendments import AMENDABLE
from oms_ops.domain.lifecycle import Status
from oms_ops.store.database import Database

PRICE = Decimal("10.90")
TAX = Decimal("0.13")

Op = Callable[[random.Random, int], bool]  # one attempt by client `index`; True when it succeeded


class Pool:
    """Orders placed so far, with their lines, shared by the modes that amend and ship them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.orders: list[tuple[str, list[dict[str, Any]]]] = []
        self.to_ship: list[tuple[str, int]] = []  # (order_number, line_no), one unit each
        self.bumped: dict[str, bool] = {}

    def add(self, number: str, lines: list[dict[str, Any]]) -> None:
        with self.lock:
            self.orders.append((number, lines))
            self.to_ship += [(number, no) for no in range(1, len(lines) + 1)]

    def amendment(self, index: int, clients: int, rng: random.Random) -> tuple[str, list[dict[str, Any]]]:
        """An order only this client amends, with line 1 one unit up (or back down)."""
        mine = self.orders[index::clients]
        number, lines = mine[rng.randrange(len(mine))]
        with self.lock:
            up = not self.bumped.get(number, False)
            self.bumped[number] = up
        first = {**lines[0], "quantity": lines[0]["quantity"] + (1 if up else 0)}
        return number, [first, *lines[1:]]

    def next_shipment(self) -> tuple[str, int] | None:
        with self.lock:
            return self.to_ship.pop() if self.to_ship else None


def timed(op: Op, clients: int, seconds: float) -> bo.Run:
    """Run `op` from `clients` threads at once for `seconds`."""
    start_at = time.time() + 0.3
    parts: list[tuple[list[float], int]] = [([], 0)] * clients

    def work(index: int) -> None:
        rng = random.Random(index)
        parts[index] = bo.timed_loop(lambda: op(rng, index), seconds, start_at)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies = [x for lat, _ in parts for x in lat]
    failures = sum(f for _, f in parts)
    return bo.Run(len(latencies) - failures, seconds, latencies, failures)


# -- through the API -------------------------------------------------------------------------------


class Api:
    def __init__(self, base_url: str, clients: int, pool: Pool) -> None:
        headers = {"Authorization": f"Bearer {bo.API_KEY}"}
        self.http = [httpx.Client(base_url=base_url, timeout=60, headers=headers) for _ in range(clients)]
        self.clients = clients
        self.pool = pool

    def close(self) -> None:
        for http in self.http:
            http.close()

    def place(self, rng: random.Random, index: int) -> bool:
        lines = [{"sku": s, "quantity": q, "warehouse": w} for w, s, q in bo.random_lines(rng)]
        response = self.http[index].post("/api/v1/orders", json={"customer_code": "C-BENCH", "lines": lines})
        if response.status_code != 201:
            return False
        self.pool.add(response.json()["order_number"], [{**ln, "line_no": i + 1} for i, ln in enumerate(lines)])
        return True

    def amend(self, rng: random.Random, index: int) -> bool:
        number, lines = self.pool.amendment(index, self.clients, rng)
        body = {"lines": lines, "reason": "bench"}
        return self.http[index].post(f"/api/v1/orders/{number}/amendments", json=body).status_code == 201

    def ship(self, rng: random.Random, index: int) -> bool:
        found = self.pool.next_shipment()
        if found is None:
            return False
        number, line_no = found
        body = {"lines": [{"line_no": line_no, "quantity": 1}]}
        return self.http[index].post(f"/api/v1/orders/{number}/shipments", json=body).status_code == 201


# -- the same transactions straight on DuckDB -------------------------------------------------------


class Direct:
    """The place / amend / ship transactions as plain SQL on one long-lived connection."""

    def __init__(self, folder: Path, pool: Pool) -> None:
        path = folder / "direct.duckdb"
        schema = Database(path)
        schema.migrate()
        schema.close()
        self.con = duckdb.connect(str(path))
        self.con.execute("set TimeZone = 'UTC'")
        self.pool = pool
        con = self.con
        con.execute("insert into warehouses (warehouse_code, name) select unnest(?), unnest(?)",
                    [bo.WAREHOUSES, bo.WAREHOUSES])  # fmt: skip
        con.execute(
            "insert into products (sku, name, category, list_price, cost) select s, s, 'bench', 10.90, 5.00"
            " from unnest(?) t(s)",
            [bo.SKUS],
        )
        con.execute("insert into customers (customer_code, name, payment_terms_days) values ('C-BENCH', 'Bench', 30)")
        con.execute(
            "insert into stock_levels (warehouse_code, sku, on_hand, reserved)"
            " select w, s, 1000000000, 0 from unnest(?) a(w) cross join unnest(?) b(s)",
            [bo.WAREHOUSES, bo.SKUS],
        )

    def close(self) -> None:
        self.con.close()

    def _transaction(self, body: Callable[[duckdb.DuckDBPyConnection], bool]) -> bool:
        con = self.con
        con.execute("begin transaction")
        try:
            ok = body(con)
        except Exception:
            con.execute("rollback")
            raise
        con.execute("commit" if ok else "rollback")
        return ok

    def place(self, rng: random.Random, index: int) -> bool:
        lines = bo.random_lines(rng)
        now = datetime.now(UTC)

        def body(con: duckdb.DuckDBPyConnection) -> bool:
            seq = con.execute(
                "update counters set value = value + 1 where name = 'order_number' returning value"
            ).fetchall()[0][0]
            number = f"SO{seq:08d}"
            if _reserve(con, [(w, s, q) for w, s, q in lines], now) != len(lines):
                return False
            _ledger(con, now, "reservation", [(w, s, 0, q) for w, s, q in lines], number)
            net = [PRICE * q for _, _, q in lines]
            con.execute(
                "insert into orders (order_number, customer_code, channel, status, ordered_at, created_by,"
                " subtotal, tax_total, total, created_at, updated_at)"
                " values (?, 'C-BENCH', 'manual', 'to_ship', ?, 'bench', ?, ?, ?, ?, ?)",
                [number, now, sum(net), sum(net) * TAX, sum(net) * (1 + TAX), now, now],
            )
            _insert_lines(con, number, [(i + 1, s, w, q) for i, (w, s, q) in enumerate(lines)])
            con.execute(
                "insert into order_events (order_number, from_status, to_status, actor, reason, occurred_at)"
                " values (?, null, 'to_ship', 'bench', 'order placed', ?)",
                [number, now],
            )
            self.pool.add(number, [{"line_no": i + 1, "sku": s, "warehouse": w, "quantity": q}
                                   for i, (w, s, q) in enumerate(lines)])  # fmt: skip
            return True

        return self._transaction(body)

    def amend(self, rng: random.Random, index: int) -> bool:
        number, lines = self.pool.amendment(index, 1, rng)
        now = datetime.now(UTC)

        def body(con: duckdb.DuckDBPyConnection) -> bool:
            # What the service must know first, in one statement as it reads it: the order's status (may it
            # still be amended?), its lines and its last version.
            rows = con.execute(
                "select 'order', null, status, null, null from orders where order_number = $1"
                " union all select 'line', line_no, sku, warehouse_code, quantity from order_lines"
                " where order_number = $1"
                " union all select 'version', max(version), null, null, null from order_versions"
                " where order_number = $1",
                [number],
            ).fetchall()
            if Status(next(row[2] for row in rows if row[0] == "order")) not in AMENDABLE:
                return False
            current = {no: (sku, wh, qty) for kind, no, sku, wh, qty in rows if kind == "line"}
            version = next(row[1] for row in rows if row[0] == "version") or 1
            if version == 1:
                _write_version(con, number, 1, now)
            wanted = {ln["line_no"]: ln["quantity"] for ln in lines}
            deltas = [(current[no][1], current[no][0], wanted[no] - current[no][2]) for no in current]
            more = [(w, s, d) for w, s, d in deltas if d > 0]
            less = [(w, s, -d) for w, s, d in deltas if d < 0]
            if more and _reserve(con, more, now) != len(more):
                return False
            if less:
                _release(con, less, now)
            _ledger(con, now, "reservation", [(w, s, 0, q) for w, s, q in more], number)
            _ledger(con, now, "release", [(w, s, 0, -q) for w, s, q in less], number)
            con.execute("delete from order_lines where order_number = ?", [number])
            _insert_lines(con, number, [(no, current[no][0], current[no][1], wanted[no]) for no in sorted(current)])
            net = sum(PRICE * q for q in wanted.values())
            con.execute(
                "update orders set subtotal = ?, tax_total = ?, total = ?, updated_at = ? where order_number = ?",
                [net, net * TAX, net * (1 + TAX), now, number],
            )
            _write_version(con, number, version + 1, now)
            return True

        return self._transaction(body)

    def ship(self, rng: random.Random, index: int) -> bool:
        found = self.pool.next_shipment()
        if found is None:
            return False
        number, line_no = found
        now = datetime.now(UTC)

        def body(con: duckdb.DuckDBPyConnection) -> bool:
            # What the service must know before shipping, in one statement as the service reads it: the
            # order's status (may it ship?) and total, and each line's ordered and shipped units (never ship
            # more than ordered; does this shipment complete the order?).
            rows = con.execute(
                "select 'order', null, status, null, null, total from orders where order_number = $1"
                " union all select 'line', line_no, sku, warehouse_code, quantity, null from order_lines"
                " where order_number = $1"
                " union all select 'shipped', line_no, null, null, sum(quantity), null from shipment_lines"
                " where order_number = $1 group by line_no",
                [number],
            ).fetchall()
            status, total = next((row[2], row[5]) for row in rows if row[0] == "order")
            if status not in ("to_ship", "partially_shipped"):
                return False
            shipped = {row[1]: row[4] for row in rows if row[0] == "shipped"}
            left = {row[1]: row[4] - shipped.get(row[1], 0) for row in rows if row[0] == "line"}
            sku, wh = next((row[2], row[3]) for row in rows if row[0] == "line" and row[1] == line_no)
            if left[line_no] < 1:
                return False
            hit = con.execute(
                "update stock_levels set on_hand = on_hand - 1, reserved = reserved - 1, updated_at = ?"
                " where warehouse_code = ? and sku = ? and reserved >= 1",
                [now, wh, sku],
            ).fetchall()[0][0]
            if hit != 1:
                return False
            shipment = con.execute(
                "insert into shipments (order_number, shipped_by, shipped_at) values (?, 'bench', ?)"
                " returning shipment_id",
                [number, now],
            ).fetchall()[0][0]
            con.execute(
                "insert into shipment_lines (shipment_id, order_number, line_no, sku, warehouse_code, quantity)"
                " values (?, ?, ?, ?, ?, 1)",
                [shipment, number, line_no, sku, wh],
            )
            _ledger(con, now, "shipment", [(wh, sku, -1, -1)], number)
            target = "shipped" if sum(left.values()) == 1 else "partially_shipped"
            moves = [] if status == target else [(status, target)]
            if target == "shipped":  # the last unit: settled orders complete
                paid = con.execute(
                    "select coalesce((select sum(amount) from payments where order_number = $n), 0)"
                    " - coalesce((select sum(amount) from refunds where order_number = $n), 0)",
                    {"n": number},
                ).fetchall()[0][0]
                if paid >= total:
                    moves.append(("shipped", "completed"))
            if moves:
                con.execute("update orders set status = ?, updated_at = ? where order_number = ?",
                            [moves[-1][1], now, number])  # fmt: skip
                for before, after in moves:
                    con.execute(
                        "insert into order_events (order_number, from_status, to_status, actor, reason, occurred_at)"
                        " values (?, ?, ?, 'bench', 'shipment', ?)",
                        [number, before, after, now],
                    )
            return True

        return self._transaction(body)


def _reserve(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, int]], now: datetime) -> int:
    values = ", ".join(["(?, ?, ?)"] * len(rows))
    return int(
        con.execute(
            "update stock_levels s set reserved = s.reserved + d.q, updated_at = ?"
            f" from (values {values}) d(w, k, q)"
            " where s.warehouse_code = d.w and s.sku = d.k and s.on_hand - s.reserved >= d.q",
            [now, *[v for row in rows for v in row]],
        ).fetchall()[0][0]
    )


def _release(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, int]], now: datetime) -> int:
    values = ", ".join(["(?, ?, ?)"] * len(rows))
    return int(
        con.execute(
            "update stock_levels s set reserved = s.reserved - d.q, updated_at = ?"
            f" from (values {values}) d(w, k, q)"
            " where s.warehouse_code = d.w and s.sku = d.k and s.reserved >= d.q",
            [now, *[v for row in rows for v in row]],
        ).fetchall()[0][0]
    )


def _ledger(
    con: duckdb.DuckDBPyConnection, now: datetime, movement: str, rows: list[tuple[str, str, int, int]], number: str
) -> None:
    if not rows:
        return
    con.execute(
        "insert into stock_ledger (occurred_at, warehouse_code, sku, movement, on_hand_delta, reserved_delta,"
        " order_number, actor, reason) values " + ", ".join(["(?, ?, ?, ?, ?, ?, ?, 'bench', 'bench')"] * len(rows)),
        [v for w, s, oh, r in rows for v in (now, w, s, movement, oh, r, number)],
    )


def _insert_lines(con: duckdb.DuckDBPyConnection, number: str, rows: list[tuple[int, str, str, int]]) -> None:
    con.execute(
        "insert into order_lines (order_number, line_no, sku, warehouse_code, quantity, unit_price,"
        " tax_rate, unit_cost, line_net, line_tax, line_total) values "
        + ", ".join(["(?, ?, ?, ?, ?, 10.90, 0.13, 5.00, ?, ?, ?)"] * len(rows)),
        [v for no, s, w, q in rows for v in (number, no, s, w, q, PRICE * q, PRICE * q * TAX, PRICE * q * (1 + TAX))],
    )


def _write_version(con: duckdb.DuckDBPyConnection, number: str, version: int, now: datetime) -> None:
    lines = con.execute(
        "select line_no, sku, warehouse_code, quantity, cast(line_total as varchar) from order_lines"
        " where order_number = ? order by line_no",
        [number],
    ).fetchall()
    con.execute(
        "insert into order_versions (order_number, version, created_by, created_at, reason, status, header, lines,"
        " subtotal, tax_total, total) select order_number, ?, 'bench', ?, 'bench', status, '{}', ?, subtotal,"
        " tax_total, total from orders where order_number = ?",
        [version, now, json.dumps(lines), number],
    )


# -- the report ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=4.0, help="how long each mode runs")
    parser.add_argument("--clients", type=int, default=8, help="client threads in the concurrent API mode")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="alternate the API and direct modes this many times (each for --seconds) and add them up:"
        " on a busy machine the ratios then compare like with like",
    )
    args = parser.parse_args()
    runs: dict[tuple[str, str], bo.Run] = {}

    def add(key: tuple[str, str], run: bo.Run) -> None:
        before = runs.get(key)
        if before is not None:
            run = bo.Run(
                before.orders + run.orders,
                before.seconds + run.seconds,
                before.latencies + run.latencies,
                before.failures + run.failures,
            )
        runs[key] = run

    with tempfile.TemporaryDirectory(prefix="oms-bench-") as tmp:
        folder = Path(tmp)
        (folder / "server").mkdir()
        print(
            f"DuckDB {duckdb.__version__}, {os.cpu_count()} CPUs; each mode runs {args.seconds:g} s"
            f" x {args.rounds} round(s)",
            flush=True,
        )
        process, base_url = bo.start_server(folder / "server")
        pool = Pool()
        api = Api(base_url, args.clients, pool)
        direct = Direct(folder, Pool())
        try:
            bo.load_catalogue(base_url)
            for op in ("place", "amend", "ship"):
                threads = f"API, {args.clients} client threads"
                for _ in range(args.rounds):  # the server idles while the direct mode runs
                    add((op, "API, 1 client"), timed(getattr(api, op), 1, args.seconds))
                    add((op, threads), timed(getattr(api, op), args.clients, args.seconds))
                    add((op, "DuckDB direct"), timed(getattr(direct, op), 1, args.seconds))
        finally:
            api.close()
            direct.close()
            process.terminate()
            process.wait(timeout=30)

    print()
    header = ("operation", "mode", "done", "failed", "per s", "p50 ms", "p99 ms", "vs direct")
    widths = (8, 24, 6, 6, 7, 7, 7, 9)
    print(" ".join(f"{h:<{w}}" if i < 2 else f"{h:>{w}}" for i, (h, w) in enumerate(zip(header, widths, strict=True))))
    for (op, mode), run in runs.items():
        rate = runs[op, "DuckDB direct"].rate
        print(
            f"{op:<8} {mode:<24} {run.orders:>6} {run.failures:>6} {run.rate:>7.1f}"
            f" {statistics.median(run.latencies) * 1000:>7.1f} {bo.percentile(run.latencies, 0.99) * 1000:>7.1f}"
            f" {run.rate / rate if rate else float('nan'):>9.2f}"
        )


if __name__ == "__main__":
    main()
