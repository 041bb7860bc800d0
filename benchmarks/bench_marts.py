"""The marts at scale: demo load, full and incremental `dbt build`, the same SQL straight on DuckDB, page renders.

    uv run python benchmarks/bench_marts.py [--scale 10] [--seed 7] [--keep]
    uv run python benchmarks/bench_marts.py --again /tmp/bench-marts-XXXX   # only the dbt builds, on a kept folder

Starts its own oms_ops server on a temporary data folder and a free port, loads the demo distributor at the
given scale through the API, snapshots, and then measures (see benchmarks/README.md):

1. the full `dbt build` (models and tests) on an empty warehouse, its peak memory and its slowest models;
2. the models' compiled SQL run directly in one DuckDB connection, in dependency order (no dbt), as a ratio;
3. publishing marts.duckdb and the server-side render of each decision page (Streamlit AppTest, in a process
   of its own): cold, with filters applied (one channel, region, category and tier, a year of dates), warm;
4. one more day of orders loaded through the API, a snapshot and an incremental `dbt build` as the hourly refresh
   runs it (its test selection, reusing the previous build's partial parse); twice (the first right after the load).

It asserts nothing and touches only its temporary folder (removed unless --keep). It is heavy: run it alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import httpx
import polars as pl

from oms_ops.client import OmsClient
from oms_ops.demo import generate, load_demo
from oms_ops.demo.generate import DEMAND_STATUSES
from pipelines.defs.dbt import warm
from pipelines.defs.dbt.assets import HOURLY_EXCLUDE
from pipelines.defs.dbt.project import DBT_PROJECT_DIR, dbt_executable
from pipelines.defs.publish.assets import publish_marts

API_KEY = "bench-marts-key"
PASSWORD = "bench-marts-2026"
ROOT = Path(__file__).resolve().parents[1]
PAGES = ("sales", "inventory", "customers")
AIMS = {"full build": 60.0, "incremental build": 10.0, "page": 1.0}


@dataclass
class Report:
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, what: str, value: str, note: str = "") -> None:
        self.rows.append((what, value, note))
        print(f"  {what:<46} {value:>14}  {note}", flush=True)

    def print(self) -> None:
        print("\n| measure | value | note |\n|---|---:|---|")
        for what, value, note in self.rows:
            print(f"| {what} | {value} | {note} |")
        for note in self.notes:
            print(f"\n{note}")


@contextmanager
def timed() -> Iterator[list[float]]:
    box: list[float] = []
    started = time.perf_counter()
    yield box
    box.append(time.perf_counter() - started)


def mib(kib: float) -> str:
    return f"{kib / 1024:,.0f} MiB"


# -- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **os.environ,
        "OMS_DATA_DIR": str(data_dir),
        "OMS_PORT": str(port),
        "OMS_HOST": "127.0.0.1",
        "OMS_API_KEY": API_KEY,
        "OMS_DEMO_PASSWORD": PASSWORD,
    }
    log = open(data_dir / "server.log", "ab")  # noqa: SIM115 - the child owns it
    process = subprocess.Popen([sys.executable, "-m", "oms_ops.cli", "serve"], env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited: {(data_dir / 'server.log').read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return process, port
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    sys.exit("server did not answer within 60 s")


def peak_rss_kib(pid: int) -> int:
    """The peak resident set of a running process since its exec (VmHWM), in KiB; 0 once it is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith("VmHWM:")), 0)


# -- dbt -----------------------------------------------------------------------------------------


@dataclass
class DbtRun:
    seconds: float
    peak_kib: int
    target: Path

    def results(self) -> list[dict[str, Any]]:
        return list(json.loads((self.target / "run_results.json").read_text())["results"])

    def model_seconds(self) -> dict[str, float]:
        return {
            r["unique_id"].split(".")[-1]: float(r["execution_time"])
            for r in self.results()
            if r["unique_id"].startswith("model.")
        }

    def elapsed(self) -> float:
        """dbt's own elapsed time (from its start of the run to the last node; no start-up, parse or exit)."""
        return float(json.loads((self.target / "run_results.json").read_text())["elapsed_time"])

    def node_seconds(self, prefix: str) -> dict[str, float]:
        return {
            r["unique_id"].split(".")[2]: float(r["execution_time"])
            for r in self.results()
            if r["unique_id"].startswith(prefix)
        }

    def test_seconds(self) -> float:
        return sum(float(r["execution_time"]) for r in self.results() if r["unique_id"].startswith("test."))

    def failures(self) -> list[str]:
        return [r["unique_id"] for r in self.results() if r["status"] not in ("success", "pass")]


def dbt(
    command: str,
    data_dir: Path,
    target: Path,
    parsed: Path | None = None,
    extra_args: list[str] | None = None,
    warm_socket: Path | None = None,
) -> DbtRun:
    """Run one dbt command in a process of its own; its wall time and its own peak RSS (wait4).

    `parsed`: a target folder of an earlier run whose partial-parse file is reused, as a pipeline whose
    project has not changed since the last run would (dbt then skips most of its parsing).
    `warm_socket`: run it as the pipelines do under `oms up`, through `oms-dbt` and the warm dbt listening there
    (the peak RSS is then that of `oms-dbt`, not of the build).
    """
    if parsed is not None and (parsed / "partial_parse.msgpack").exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(parsed / "partial_parse.msgpack", target / "partial_parse.msgpack")
    args = [
        dbt_executable("oms-dbt" if warm_socket else "dbt"),
        command,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target),
        "--vars",
        json.dumps({"data_dir": str(data_dir)}),
        *(extra_args or []),
    ]
    env = {
        **os.environ,
        "DBT_LOG_PATH": str(target / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    if warm_socket:
        env[warm.SOCKET_ENV] = str(warm_socket)
    with open(target.with_suffix(".log"), "wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(args, cwd=DBT_PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        peak = 0
        while process.poll() is None:  # VmHWM of dbt's own memory (wait4's maxrss would count the fork of us)
            peak = max(peak, peak_rss_kib(process.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):  # 1: some model or test failed; the results say which
        sys.exit(f"dbt {command} failed to run: see {target.with_suffix('.log')}")
    return DbtRun(seconds, peak, target)


def run_direct(compiled: Path, database: Path) -> tuple[float, int]:
    """The models' compiled SQL in dependency order on one DuckDB connection; (seconds, models)."""
    manifest = json.loads((compiled / "manifest.json").read_text())
    models = {uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] == "model"}
    order: list[str] = []
    seen: set[str] = set()

    def visit(uid: str) -> None:
        if uid in seen or uid not in models:
            return
        seen.add(uid)
        for parent in models[uid]["depends_on"]["nodes"]:
            visit(parent)
        order.append(uid)

    for uid in sorted(models):
        visit(uid)
    database.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database)) as con, timed() as took:
        for uid in order:
            node = models[uid]
            kind = node["config"]["materialized"]
            if kind == "ephemeral":
                continue
            sql = node.get("compiled_code") or ""
            verb = "view" if kind == "view" else "table"
            con.execute(f"create or replace {verb} {node['relation_name']} as {sql}")
    return took[0], len([u for u in order if models[u]["config"]["materialized"] != "ephemeral"])


# -- one more day of orders ----------------------------------------------------------------------


def next_day_of_orders(
    history: pl.DataFrame, now: datetime, rank: int = 1, tag: str = ""
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rank-th busiest of the last 14 days again, moved to today (or yesterday if that would be in the
    future), with new external references (suffix -N<rank><tag>); plus the receipts that cover its demand."""
    days = history.with_columns(day=pl.col("ordered_at").dt.date())
    recent = days.filter(pl.col("day") >= now.date() - timedelta(days=14))
    by_size = recent.group_by("day").agg(pl.col("external_ref").n_unique().alias("orders")).sort("orders")
    busiest = by_size.row(-rank)[0]
    shift = timedelta(days=(now.date() - busiest).days)
    chosen = days.filter(pl.col("day") == busiest)
    if chosen["ordered_at"].max() + shift > now - timedelta(minutes=1):  # type: ignore[operator]
        shift -= timedelta(days=1)
    orders = chosen.drop("day").with_columns(
        pl.col("ordered_at") + shift, external_ref=pl.col("external_ref") + f"-N{rank}{tag}"
    )
    first = orders["ordered_at"].min()
    receipts = (
        orders.filter(pl.col("status").is_in(DEMAND_STATUSES))
        .group_by("warehouse_code", "sku")
        .agg(on_hand_delta=pl.col("quantity").sum())
        .select(
            occurred_at=pl.lit(first - timedelta(hours=1), dtype=pl.Datetime("us", "UTC")),  # type: ignore[operator]
            warehouse_code="warehouse_code",
            sku="sku",
            movement=pl.lit("receipt"),
            on_hand_delta=pl.col("on_hand_delta").cast(pl.Int64),
            reason=pl.lit("benchmark: next day's replenishment"),
        )
    )
    return orders, receipts


# -- pages (in a process of their own) -----------------------------------------------------------


def render_pages(port: int, data_dir: Path) -> dict[str, Any]:
    """Child mode: render each decision page as a manager; seconds per step (see README) and peak RSS."""
    os.environ.update(
        {"OMS_HOST": "127.0.0.1", "OMS_PORT": str(port), "OMS_DATA_DIR": str(data_dir), "OMS_LOCALE": "en_US"}
    )
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboards.lib import session

    with OmsClient(f"http://127.0.0.1:{port}") as client:
        login = client.login("manager", PASSWORD)

    def fresh(name: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboards" / "views" / f"{name}.py"), default_timeout=300)
        session.remember(at.session_state, login)
        return at

    out: dict[str, Any] = {}
    for name in PAGES:
        with timed() as first:  # the first render also imports the page's modules
            fresh(name).run()
        st.cache_data.clear()
        st.cache_resource.clear()
        at = fresh(name)
        with timed() as cold:  # empty caches, default filters (the last 90 days)
            at.run()
        problems = [str(e.value) for e in at.exception]
        applied: list[str] = []
        for picker in at.date_input:
            value = picker.value
            if isinstance(value, tuple | list) and len(value) == 2:
                picker.set_value((value[1] - timedelta(days=364), value[1]))
                applied.append(f"{picker.label}=365 days")
        with timed() as year:  # a year of dates, nothing else chosen: the widest query
            at.run()
        for box in at.multiselect:
            if box.options:
                box.select(box.options[0])
                applied.append(f"{box.label}={box.options[0]}")
        with timed() as filtered:  # and one value of every other filter
            at.run()
        with timed() as warm:
            at.run()
        problems += [str(e.value) for e in at.exception]
        out[name] = {
            "first": first[0],
            "cold": cold[0],
            "year": year[0],
            "filtered": filtered[0],
            "warm": warm[0],
            "filters": applied,
            "problems": problems,
            "errors": [str(e.value) for e in at.error],
        }
    out["peak_kib"] = peak_rss_kib(os.getpid())
    return out


def pages_in_child(port: int, data_dir: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--render-pages", str(port), str(data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"rendering the pages failed:\n{result.stderr[-4000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


# -- the run -------------------------------------------------------------------------------------


def more_days(report: Report, history: pl.DataFrame, base_url: str, data_dir: Path, work: Path, tag: str) -> None:
    """Two more days of orders, each loaded through the API, snapshotted and built incrementally as the hourly
    refresh does (its test selection, reusing the previous build's partial parse). The first comes right after the bulk
    load, when every order's updated_at is minutes old.

    Each day is built twice from the same warehouse (a copy is put back in between): in a fresh dbt process, and
    through the warm dbt as the pipelines run it under `oms up` (pipelines/defs/dbt/warm.py)."""
    parsed = work / "target-full"
    socket_dir = Path(tempfile.mkdtemp(prefix="bench-warm-"))  # short: a Unix socket path has 107 bytes at most
    warm_dbt = warm.start(socket_dir / "dbt.sock", work / f"warm-dbt{tag}.log")
    try:
        for rank in (1, 2):
            parsed = one_more_day(report, history, base_url, data_dir, work, tag, rank, parsed, socket_dir / "dbt.sock")
    finally:
        os.killpg(warm_dbt.pid, signal.SIGTERM)
        warm_dbt.wait(timeout=60)
        shutil.rmtree(socket_dir, ignore_errors=True)


def one_more_day(
    report: Report,
    history: pl.DataFrame,
    base_url: str,
    data_dir: Path,
    work: Path,
    tag: str,
    rank: int,
    parsed: Path,
    warm_socket: Path,
) -> Path:
    """Load, snapshot and build one more day (fresh dbt, then warm dbt); the target folder the next day reuses."""
    day, receipts = next_day_of_orders(history, datetime.now(UTC), rank, tag)
    with OmsClient(base_url, token=API_KEY, timeout=1800) as system:
        with timed() as took:
            system.bulk_load("stock_movements", receipts)
            added = system.bulk_load("order_history", day).rows
        report.add(f"day {rank} of new orders through the API", f"{took[0]:.1f} s", f"{added:,} orders")
        with timed() as took:
            system.snapshot()
        report.add("  snapshot again", f"{took[0]:.1f} s")
    warehouse = data_dir / "warehouse.duckdb"
    before = work / "warehouse-before-the-day.duckdb"
    shutil.copy2(warehouse, before)
    cold = dbt("build", data_dir, work / f"target-incremental-{rank}{tag}-fresh", parsed, HOURLY_EXCLUDE)
    os.replace(before, warehouse)
    target = work / f"target-incremental-{rank}{tag}"
    incremental = dbt("build", data_dir, target, parsed, HOURLY_EXCLUDE, warm_socket=warm_socket)
    inc_models = incremental.model_seconds()
    report.add(
        f"incremental dbt build, day {rank}, warm dbt",
        f"{incremental.seconds:.1f} s",
        f"aim < {AIMS['incremental build']:.0f} s; dbt elapsed {incremental.elapsed():.1f} s;"
        f" models {sum(inc_models.values()):.1f} s, tests {incremental.test_seconds():.1f} s;"
        f" failed: {incremental.failures() or 'none'}",
    )
    report.add(
        f"  the same in a fresh dbt process, day {rank}",
        f"{cold.seconds:.1f} s",
        f"dbt elapsed {cold.elapsed():.1f} s; warm / fresh = {incremental.seconds / cold.seconds:.2f};"
        f" failed: {cold.failures() or 'none'}",
    )
    report.add("  peak RSS of dbt (incremental, fresh process)", mib(cold.peak_kib))
    slowest = sorted(inc_models.items(), key=lambda kv: kv[1], reverse=True)[:6]
    report.notes.append(f"Slowest models (incremental, day {rank}): " + ", ".join(f"{m} {s:.1f} s" for m, s in slowest))
    slowest_tests = sorted(incremental.node_seconds("test.").items(), key=lambda kv: kv[1], reverse=True)[:6]
    report.notes.append(
        f"Slowest tests (incremental, day {rank}): " + ", ".join(f"{m} {s:.2f} s" for m, s in slowest_tests)
    )
    return target


def full_build(report: Report, data_dir: Path, work: Path) -> DbtRun:
    """The full `dbt build` into an empty warehouse, reported with its slowest models."""
    full = dbt("build", data_dir, work / "target-full", parsed=work / "target-compile")
    models = full.model_seconds()
    report.add(
        "full dbt build (models + tests)",
        f"{full.seconds:.1f} s",
        f"aim < {AIMS['full build']:.0f} s; dbt elapsed {full.elapsed():.1f} s; {len(models)} models"
        f" {sum(models.values()):.1f} s, tests {full.test_seconds():.1f} s; failed: {full.failures() or 'none'}",
    )
    report.add("  peak RSS of dbt (full build)", mib(full.peak_kib))
    slowest = sorted(models.items(), key=lambda kv: kv[1], reverse=True)[:6]
    report.notes.append("Slowest models (full build): " + ", ".join(f"{m} {s:.1f} s" for m, s in slowest))
    return full


def again(work: Path, scale: float, seed: int) -> None:
    """--again: the dbt parts once more on a folder kept by an earlier --keep run (same --scale and --seed):
    a full build into a new warehouse, then two more days built incrementally. No direct run, no pages."""
    data_dir = work / "data"
    report = Report()
    print(f"bench_marts --again: scale {scale}, seed {seed}, in {work}", flush=True)
    server, port = start_server(data_dir)
    try:
        data = generate(seed=seed, scale=scale)
        with OmsClient(f"http://127.0.0.1:{port}", token=API_KEY, timeout=1800) as system:
            system.snapshot()
        (data_dir / "warehouse.duckdb").unlink(missing_ok=True)
        full_build(report, data_dir, work)
        more_days(report, data.order_history, f"http://127.0.0.1:{port}", data_dir, work, tag=f"-{int(time.time())}")
    finally:
        server.terminate()
        server.wait(timeout=60)
        report.print()


def bench(scale: float, seed: int, keep: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-marts-"))
    data_dir = work / "data"
    data_dir.mkdir()
    report = Report()
    print(f"bench_marts: scale {scale}, seed {seed}, in {work}", flush=True)
    server, port = start_server(data_dir)
    base_url = f"http://127.0.0.1:{port}"
    try:
        with timed() as took:
            data = generate(seed=seed, scale=scale)
        orders = data.order_history.n_unique(["channel", "external_ref"])
        report.add("demo generate", f"{took[0]:.1f} s", f"{orders:,} orders, {data.order_history.height:,} lines")
        with OmsClient(base_url, token=API_KEY, timeout=1800) as system:
            with timed() as took:
                counts = load_demo(system, data, PASSWORD)
            report.add("demo load through the API", f"{took[0]:.1f} s", f"{counts['payments']:,} payments")
            with timed() as took:
                snapshot = system.snapshot()
            report.add("snapshot (server -> Parquet)", f"{took[0]:.1f} s", f"{len(snapshot.tables)} tables")

        compiled = dbt("compile", data_dir, work / "target-compile")
        report.add("dbt compile (for the direct run)", f"{compiled.seconds:.1f} s")

        full = full_build(report, data_dir, work)
        models = full.model_seconds()

        direct_seconds, direct_models = run_direct(work / "target-compile", work / "direct" / "warehouse.duckdb")
        report.add(
            "same models' SQL directly in DuckDB",
            f"{direct_seconds:.1f} s",
            f"{direct_models} models; dbt build / direct = {full.seconds / direct_seconds:.1f}x,"
            f" dbt model time / direct = {sum(models.values()) / direct_seconds:.2f}x",
        )

        with timed() as took:
            published = publish_marts(
                data_dir / "warehouse.duckdb", data_dir / "marts.duckdb", snapshot.taken_at, datetime.now(UTC)
            )
        report.add("publish marts.duckdb", f"{took[0]:.1f} s", f"{sum(published.values()):,} rows")

        pages = pages_in_child(port, data_dir)
        for name in PAGES:
            page = pages[name]
            trouble = page["problems"] + page["errors"]
            report.add(
                f"page {name}: first / cold / year / filtered / warm",
                " / ".join(f"{page[k]:.2f}" for k in ("first", "cold", "year", "filtered", "warm")) + " s",
                f"aim < {AIMS['page']:.0f} s filtered; {'; '.join(page['filters'])}"
                + (f"; PROBLEMS: {trouble}" if trouble else ""),
            )
        report.add("  peak RSS of the page process", mib(pages["peak_kib"]))

        more_days(report, data.order_history, base_url, data_dir, work, tag="")
        report.add("peak RSS of the server", mib(peak_rss_kib(server.pid)))
        report.add("oms.duckdb on disk", f"{(data_dir / 'oms.duckdb').stat().st_size / 2**20:,.0f} MiB")
        report.add("warehouse.duckdb on disk", f"{(data_dir / 'warehouse.duckdb').stat().st_size / 2**20:,.0f} MiB")
    finally:
        server.terminate()
        server.wait(timeout=60)
        report.print()
        if keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (data, dbt targets, logs)")
    parser.add_argument(
        "--again", metavar="WORK", type=Path, help="only the dbt builds again, on a folder an earlier --keep kept"
    )
    parser.add_argument("--render-pages", nargs=2, metavar=("PORT", "DATA_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.render_pages:
        port, data_dir = args.render_pages
        print(json.dumps(render_pages(int(port), Path(data_dir)), default=str))
        return
    if args.again:
        again(args.again, args.scale, args.seed)
        return
    bench(args.scale, args.seed, args.keep)


if __name__ == "__main__":
    main()
