"""How many 3-line orders per second: through the oms_ops HTTP API, and straight on DuckDB.

    uv run python benchmarks/bench_orders.py [--seconds 5] [--clients 8]

Starts its own server on a temporary folder and a free port, loads a catalogue with plenty of stock,
then runs each mode for a fixed time and prints one table. Nothing outside the temporary folders is touched.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import httpx
import polars as pl

from oms_ops.client import OmsClient
from oms_ops.store.database import Database

API_KEY = "bench-key"
SKUS = [f"SKU-{i:03d}" for i in range(30)]
WAREHOUSES = ["SH", "GZ"]
LINES_PER_ORDER = 3


# -- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "OMS_DATA_DIR": str(data_dir), "OMS_PORT": str(port), "OMS_API_KEY": API_KEY}
    log = open(data_dir / "server.log", "ab")  # noqa: SIM115 - the child owns it
    process = subprocess.Popen([sys.executable, "-m", "oms_ops.cli", "serve"], env=env, stdout=log, stderr=log)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited: {(data_dir / 'server.log').read_text()}")
        try:
            if httpx.get(f"{base_url}/api/v1/health", timeout=1).status_code == 200:
                return process, base_url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.terminate()
    sys.exit("server did not answer within 30 s")


def load_catalogue(base_url: str) -> None:
    with OmsClient(base_url, token=API_KEY, timeout=120) as system:
        system.bulk_load("warehouses", pl.DataFrame({"warehouse_code": WAREHOUSES, "name": ["Shanghai", "Guangzhou"]}))
        system.bulk_load(
            "products",
            pl.DataFrame(
                {
                    "sku": SKUS,
                    "name": [f"Product {s}" for s in SKUS],
                    "category": ["bench"] * len(SKUS),
                    "list_price": [f"{10 + i}.90" for i in range(len(SKUS))],
                    "cost": ["5.00"] * len(SKUS),
                }
            ),
        )
        system.bulk_load(
            "customers", pl.DataFrame({"customer_code": ["C-BENCH"], "name": ["Bench"], "payment_terms_days": [30]})
        )
        locations = [(wh, sku) for wh in WAREHOUSES for sku in SKUS]
        system.bulk_receive(dict.fromkeys(locations, 10**9))


def random_lines(rng: random.Random) -> list[tuple[str, str, int]]:
    warehouse = rng.choice(WAREHOUSES)
    return [(warehouse, sku, rng.randint(1, 5)) for sku in rng.sample(SKUS, LINES_PER_ORDER)]


# -- one measuring loop, used by every mode ------------------------------------------------------


@dataclass
class Run:
    orders: int
    seconds: float
    latencies: list[float]
    failures: int = 0

    @property
    def rate(self) -> float:
        return self.orders / self.seconds if self.seconds else 0.0


def timed_loop(place: Callable[[], bool], seconds: float, start_at: float) -> tuple[list[float], int]:
    time.sleep(max(0.0, start_at - time.time()))
    deadline = start_at + seconds
    latencies, failures = [], 0
    while time.time() < deadline:
        t0 = time.perf_counter()
        ok = place()
        latencies.append(time.perf_counter() - t0)
        failures += not ok
    return latencies, failures


def api_worker(base_url: str, seconds: float, start_at: float, seed: int) -> tuple[list[float], int]:
    rng = random.Random(seed)
    with httpx.Client(base_url=base_url, timeout=60, headers={"Authorization": f"Bearer {API_KEY}"}) as http:
        http.get("/api/v1/health")

        def place() -> bool:
            lines = [{"sku": s, "quantity": q, "warehouse": w} for w, s, q in random_lines(rng)]
            response = http.post("/api/v1/orders", json={"customer_code": "C-BENCH", "lines": lines})
            return response.status_code == 201

        return timed_loop(place, seconds, start_at)


def api_run(base_url: str, clients: int, seconds: float, processes: bool) -> Run:
    if processes:
        with mp.get_context("spawn").Pool(clients) as pool:
            pool.map(time.sleep, [0.2] * clients * 2)  # every worker has started and imported this module
            start_at = time.time() + 0.5
            parts = pool.starmap(api_worker, [(base_url, seconds, start_at, i) for i in range(clients)])
    else:
        start_at = time.time() + 0.3
        parts = [([], 0)] * clients

        def work(i: int) -> None:
            parts[i] = api_worker(base_url, seconds, start_at, i)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    latencies = [x for lat, _ in parts for x in lat]
    failures = sum(f for _, f in parts)
    return Run(len(latencies) - failures, seconds, latencies, failures)


# -- the same transaction straight on DuckDB -----------------------------------------------------


def direct_run(seconds: float, folder: Path) -> Run:
    """The 3-line place-order transaction on one long-lived connection, on a file with the server's schema."""
    path = folder / "direct.duckdb"
    schema = Database(path)
    schema.migrate()
    schema.close()
    con = duckdb.connect(str(path))
    con.execute("set TimeZone = 'UTC'")
    con.execute("insert into warehouses (warehouse_code, name) select unnest(?), unnest(?)", [WAREHOUSES, WAREHOUSES])
    con.execute(
        "insert into products (sku, name, category, list_price, cost) select s, s, 'bench', 10.90, 5.00"
        " from unnest(?) t(s)",
        [SKUS],
    )
    con.execute("insert into customers (customer_code, name, payment_terms_days) values ('C-BENCH', 'Bench', 30)")
    con.execute(
        "insert into stock_levels (warehouse_code, sku, on_hand, reserved)"
        " select w, s, 1000000000, 0 from unnest(?) a(w) cross join unnest(?) b(s)",
        [WAREHOUSES, SKUS],
    )
    rng = random.Random(0)
    three = ", ".join(["(?, ?, ?)"] * LINES_PER_ORDER)

    def place() -> bool:
        lines = random_lines(rng)
        now = datetime.now(UTC)
        con.execute("begin transaction")
        try:
            number = con.execute(
                "update counters set value = value + 1 where name = 'order_number' returning value"
            ).fetchall()[0][0]
            order_number = f"SO{number:08d}"
            hit = con.execute(
                "update stock_levels s set reserved = s.reserved + d.q, updated_at = ?"
                f" from (values {three}) d(w, k, q)"
                " where s.warehouse_code = d.w and s.sku = d.k and s.on_hand - s.reserved >= d.q",
                [now, *[v for line in lines for v in line]],
            ).fetchall()[0][0]
            if hit != len(lines):
                con.execute("rollback")
                return False
            con.execute(
                "insert into stock_ledger (occurred_at, warehouse_code, sku, movement, on_hand_delta,"
                " reserved_delta, order_number, actor, reason) values "
                + ", ".join(["(?, ?, ?, 'reservation', 0, ?, ?, 'bench', 'order placed')"] * len(lines)),
                [v for w, k, q in lines for v in (now, w, k, q, order_number)],
            )
            net = [round(10.90 * q, 2) for _, _, q in lines]
            con.execute(
                "insert into orders (order_number, customer_code, channel, status, ordered_at, created_by,"
                " subtotal, tax_total, total, created_at, updated_at)"
                " values (?, 'C-BENCH', 'manual', 'to_ship', ?, 'bench', ?, ?, ?, ?, ?)",
                [order_number, now, sum(net), 0, sum(net), now, now],
            )
            con.execute(
                "insert into order_lines (order_number, line_no, sku, warehouse_code, quantity, unit_price,"
                " tax_rate, unit_cost, line_net, line_tax, line_total) values "
                + ", ".join(["(?, ?, ?, ?, ?, 10.90, 0.13, 5.00, ?, 0, ?)"] * len(lines)),
                [v for i, ((w, k, q), n) in enumerate(zip(lines, net, strict=True)) for v in
                 (order_number, i + 1, k, w, q, n, n)],
            )  # fmt: skip
            con.execute(
                "insert into order_events (order_number, from_status, to_status, actor, reason, occurred_at)"
                " values (?, null, 'to_ship', 'bench', 'order placed', ?)",
                [order_number, now],
            )
            con.execute("commit")
            return True
        except Exception:
            con.execute("rollback")
            raise

    latencies, failures = timed_loop(place, seconds, time.time())
    con.close()
    return Run(len(latencies) - failures, seconds, latencies, failures)


# -- the report ----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="how long each mode runs")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients in the concurrent modes")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="oms-bench-") as tmp:
        folder = Path(tmp)
        (folder / "server").mkdir()
        print(f"DuckDB {duckdb.__version__}, {os.cpu_count()} CPUs; each mode runs {args.seconds:g} s", flush=True)
        process, base_url = start_server(folder / "server")
        try:
            load_catalogue(base_url)
            runs: dict[str, Run] = {}
            runs["API, 1 client"] = api_run(base_url, 1, args.seconds, processes=False)
            runs[f"API, {args.clients} client threads"] = api_run(base_url, args.clients, args.seconds, False)
            runs[f"API, {args.clients} client processes"] = api_run(base_url, args.clients, args.seconds, True)
            with OmsClient(base_url, token=API_KEY) as system:
                stored = system.list_orders(page_size=1).total_count
        finally:
            process.terminate()
            process.wait(timeout=30)
        runs["DuckDB direct, 1 long-lived connection"] = direct_run(args.seconds, folder)

    direct = runs["DuckDB direct, 1 long-lived connection"].rate
    print()
    print(f"{'mode':<40} {'orders':>7} {'failed':>6} {'orders/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'vs direct':>9}")
    for name, run in runs.items():
        print(
            f"{name:<40} {run.orders:>7} {run.failures:>6} {run.rate:>9.1f}"
            f" {statistics.median(run.latencies) * 1000:>7.1f} {percentile(run.latencies, 0.99) * 1000:>7.1f}"
            f" {run.rate / direct:>9.2f}"
        )
    api_orders = sum(run.orders for name, run in runs.items() if name.startswith("API"))
    print(f"\nOrders the server holds: {stored} (the API runs reported {api_orders} placed)")


if __name__ == "__main__":
    main()
