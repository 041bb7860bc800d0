"""How many order lines per second a channel import takes end to end, next to DuckDB's own read_csv.

    uv run python benchmarks/bench_import.py [--lines 1000000] [--stock 100000]

Starts its own server on a temporary folder and a free port, loads the demo catalogue (warehouses, 500
products, 200 customers; no history) with `--stock` units of every SKU in every warehouse, writes a
canonical CSV feed of `--lines` order lines (1-8 lines per order, SKUs and customers of that catalogue),
then imports it the way `oms import` does (parse, validate, de-duplicate, allocate, commit, in chunks)
and loads the same file with DuckDB's `read_csv` into a table of a fresh file database. Prints lines/s of
both, their ratio, the summary, and the peak memory (resident set) of the server process and of this
client process. Not a test: it asserts only that every row is accounted for.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_orders import API_KEY, start_server
from oms_ops.adapters.channels import import_file
from oms_ops.client import OmsClient
from oms_ops.demo.generate import generate


def load_catalogue(base_url: str, stock: int, all_customers: bool) -> tuple[list[str], pl.DataFrame]:
    """The demo master data with `stock` units everywhere; returns (customer codes to order for, products).

    Marketplace orders are paid up front, so by default the feed names only the prepaid demo customers;
    with `all_customers` it names customers on credit terms too, whose limits then send most of their
    orders through the approval/credit gate one by one.
    """
    demo = generate(seed=7, scale=1.0)
    with OmsClient(base_url, token=API_KEY, timeout=600) as system:
        for entity in ("warehouses", "products", "customers"):
            system.bulk_load(entity, getattr(demo, entity))
        locations = [(wh, sku) for wh in demo.warehouses["warehouse_code"] for sku in demo.products["sku"]]
        system.bulk_receive(dict.fromkeys(locations, stock))
    customers = demo.customers if all_customers else demo.customers.filter(pl.col("payment_terms_days") == 0)
    return customers["customer_code"].to_list(), demo.products


def write_feed(path: Path, lines: int, customers: list[str], products: pl.DataFrame, seed: int = 11) -> None:
    """A canonical feed: orders of 1-8 lines over 30 days, a third at 0-5% off list price, some notes."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 9, size=lines)  # more than enough orders; cut at `lines`
    order_of_line = np.repeat(np.arange(len(sizes)), sizes)[:lines]
    orders = int(order_of_line[-1]) + 1
    seconds = np.sort(rng.integers(0, 30 * 86400, size=orders))
    start = np.datetime64("2026-03-01T00:00:00")
    frame = pl.DataFrame(
        {
            "external_order_id": [f"BENCH-{i:08d}" for i in range(orders)],
            "order_date": (start + seconds.astype("timedelta64[s]")).astype(str),
            "customer_code": np.array(customers)[rng.integers(0, len(customers), size=orders)],
        }
    )[order_of_line]
    product = rng.integers(0, products.height, size=lines)
    has_price = rng.random(lines) < 0.33
    list_prices = products["list_price"].cast(pl.Float64).to_numpy()[product]
    prices = np.round(list_prices * rng.uniform(0.95, 1.0, size=lines), 2)
    frame = frame.with_columns(
        order_date=pl.col("order_date").str.replace("T", " "),
        sku=pl.Series(products["sku"].to_numpy()[product]),
        quantity=pl.Series(rng.integers(1, 20, size=lines)),
        unit_price=pl.Series([f"{p:.2f}" if h else None for p, h in zip(prices, has_price, strict=True)]),
        note=pl.when(pl.Series(rng.random(lines) < 0.05)).then(pl.lit("deliver to gate 3, call first")),
    )
    frame.write_csv(path)


def peak_rss_mb(pid: int | None = None) -> float:
    """Peak resident set: /proc VmHWM of another process, getrusage of this one."""
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def duckdb_read_csv(path: Path, folder: Path) -> float:
    """Seconds for DuckDB alone to load the same file into a table of a file database."""
    con = duckdb.connect(str(folder / "direct.duckdb"))
    started = time.perf_counter()
    con.execute("create table feed as select * from read_csv(?, all_varchar = true)", [str(path)])
    seconds = time.perf_counter() - started
    con.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--stock", type=int, default=100_000, help="units of every SKU in every warehouse")
    parser.add_argument("--all-customers", action="store_true", help="customers on credit terms order too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        (folder / "data").mkdir()
        process, base_url = start_server(folder / "data")
        try:
            customers, products = load_catalogue(base_url, args.stock, args.all_customers)
            feed = folder / "feed.csv"
            write_feed(feed, args.lines, customers, products)
            print(f"feed: {args.lines:,} lines, {feed.stat().st_size / 1e6:.0f} MB", flush=True)
            server_before = peak_rss_mb(process.pid)
            with OmsClient(base_url, token=API_KEY, timeout=3600) as client:
                started = time.perf_counter()
                summary = import_file(client, feed, "bench")
                seconds = time.perf_counter() - started
            server_peak = peak_rss_mb(process.pid)
            direct = duckdb_read_csv(feed, folder)
        finally:
            process.terminate()
            process.wait(30)
    rows = summary.rows
    assert rows == summary.lines_created + summary.duplicates + summary.quarantined, summary
    rate, direct_rate = rows / seconds, rows / direct
    print(json.dumps(summary.model_dump(), indent=None))
    print(f"{'path':<34}{'seconds':>10}{'lines/s':>14}")
    print(f"{'oms import (end to end)':<34}{seconds:>10.2f}{rate:>14,.0f}")
    print(f"{'DuckDB read_csv into a table':<34}{direct:>10.2f}{direct_rate:>14,.0f}")
    print(f"ratio (import / read_csv): {rate / direct_rate:.3f}")
    print(f"peak memory: server {server_peak:,.0f} MB (before the import {server_before:,.0f} MB),")
    print(f"             client {peak_rss_mb():,.0f} MB (feed generation included)")


if __name__ == "__main__":
    main()
