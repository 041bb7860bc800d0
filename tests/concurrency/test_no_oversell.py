"""Many clients at once, in threads and in separate processes: no oversell, one order per external ref.

Every attempt must end as a 201 order or a 409 shortage; the orders together never reserve more than
was received; reserved stock equals the ordered quantities; stock levels equal the ledger sums.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.concurrency.conftest import SCARCE_STOCK
from tests.concurrency.order_worker import run_threads
from tests.integration.shop import assert_stock_invariants, lake, login_token, stock_of

REPO = Path(__file__).resolve().parents[2]


def check_no_oversell(server, results: list[dict[str, Any]], received: dict[tuple[str, str], int]) -> Counter:
    statuses = Counter(r["status"] for r in results)
    assert set(statuses) <= {201, 409}, [r for r in results if r["status"] not in (201, 409)][:3]
    placed = [r for r in results if r["status"] == 201]
    assert placed and statuses[409], f"no contention happened: {statuses}"
    for refused in (r for r in results if r["status"] == 409):
        error = refused["error"]
        assert error["code"] == "insufficient_stock"
        assert error["short"], error
        asked = Counter()
        for line in refused["body"]["lines"]:
            asked[(line["warehouse"], line["sku"])] += line["quantity"]
        for short in error["short"]:
            assert short["requested"] == asked[(short["warehouse"], short["sku"])]
            assert short["requested"] > short["available"] >= 0
    numbers = [r["order_number"] for r in placed]
    assert len(set(numbers)) == len(numbers)

    ordered: Counter = Counter()
    for r in placed:
        for sku, warehouse, quantity in r["lines"]:
            ordered[(warehouse, sku)] += quantity
    for location, quantity in ordered.items():
        assert quantity <= received[location], f"oversold {location}: {quantity} > {received[location]}"
    stock = stock_of(server)
    for location, on_hand in received.items():
        assert stock[location] == (on_hand, ordered[location]), location

    con = lake(server)
    assert con.execute("select count(*) from orders").fetchall() == [(len(placed),)]
    in_lines = dict(
        ((wh, sku), int(q))
        for wh, sku, q in con.execute(
            "select warehouse_code, sku, sum(quantity) from order_lines group by all"
        ).fetchall()
    )
    assert in_lines == {k: v for k, v in ordered.items() if v}
    assert_stock_invariants(con)
    return statuses


def test_sixteen_threads_ordering_scarce_skus_while_goods_arrive_never_oversell(scarce):
    tokens = [login_token(scarce, user) for user in ("sales", "manager", "admin")] + [scarce.api_key]
    received = dict(SCARCE_STOCK)
    receipts: list[int] = []

    def receive_lamps() -> None:
        with scarce.client_as("warehouse") as clerk:
            for _ in range(5):
                time.sleep(0.05)
                receipts.append(clerk.receive_stock("SH", "LAMP-LED-9W", 6, reason="truck").on_hand)

    clerk = threading.Thread(target=receive_lamps)
    started = time.perf_counter()
    clerk.start()
    results = run_threads(scarce.base_url, tokens, threads=16, attempts=12, seed=1)
    clerk.join()
    elapsed = time.perf_counter() - started
    received[("SH", "LAMP-LED-9W")] += 6 * len(receipts)
    assert len(receipts) == 5
    statuses = check_no_oversell(scarce, results, received)
    assert len(results) == 16 * 12
    print(f"\n16 threads: {dict(statuses)} in {elapsed:.1f} s")


def spawn_workers(server, tokens: list[str], threads: int, attempts: int, start_at: float, same_ref: str | None):
    processes = []
    for seed, token in enumerate(tokens, start=10):
        command = [
            sys.executable, "-m", "tests.concurrency.order_worker", "--base-url", server.base_url, f"--token={token}",
            "--threads", str(threads), "--attempts", str(attempts), "--seed", str(seed), "--start-at", str(start_at),
        ]  # fmt: skip
        if same_ref:
            command += ["--same-ref", same_ref]
        processes.append(subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    return processes


def collect(processes) -> list[dict[str, Any]]:
    results = []
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err.decode()
        results += json.loads(out)
    return results


def test_three_client_processes_and_local_threads_never_oversell(scarce):
    tokens = [login_token(scarce, user) for user in ("sales", "manager")] + [scarce.api_key]
    start_at = time.time() + 3  # every process and thread begins at the same moment
    processes = spawn_workers(scarce, tokens, threads=4, attempts=10, start_at=start_at, same_ref=None)
    local = run_threads(scarce.base_url, login_token(scarce, "admin"), threads=4, attempts=10, seed=99,
                        start_at=start_at)  # fmt: skip
    results = local + collect(processes)
    assert len(results) == (3 * 4 + 4) * 10
    statuses = check_no_oversell(scarce, results, dict(SCARCE_STOCK))
    print(f"\n3 processes x 4 threads + 4 local threads: {dict(statuses)}")


def test_the_same_external_ref_sent_at_once_by_many_processes_makes_exactly_one_order(scarce):
    tokens = [login_token(scarce, user) for user in ("sales", "manager")] + [scarce.api_key]
    start_at = time.time() + 3
    processes = spawn_workers(scarce, tokens, threads=4, attempts=2, start_at=start_at, same_ref="edi/PO-RACE-1")
    same = {
        "customer_code": "C-NORTH",
        "channel": "edi",
        "external_ref": "PO-RACE-1",
        "lines": [{"sku": "LAMP-LED-9W", "quantity": 2, "warehouse": "SH"}],
    }
    local = run_threads(scarce.base_url, login_token(scarce, "admin"), 4, 2, seed=5, start_at=start_at, same=same)
    results = local + collect(processes)
    assert len(results) == (3 * 4 + 4) * 2
    assert {r["status"] for r in results} <= {200, 201}, [r for r in results if r["status"] not in (200, 201)][:3]
    assert len({r["order_number"] for r in results}) == 1
    with scarce.system_client() as system:
        assert system.list_orders(query="PO-RACE-1").total_count == 1
        assert system.list_orders().total_count == 1
    assert stock_of(scarce)[("SH", "LAMP-LED-9W")] == (90, 2)
    con = lake(scarce)
    assert con.execute("select count(*) from stock_ledger where movement = 'reservation'").fetchall() == [(1,)]
    assert con.execute("select count(*) from order_events").fetchall() == [(1,)]
    assert_stock_invariants(con)
