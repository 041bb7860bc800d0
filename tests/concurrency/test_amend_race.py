"""Ten clients in two processes and this one place, amend and cancel orders on the same scarce SKUs at once.

Every attempt ends as a 201/200 or a 409 with its reason; afterwards no availability is negative, reserved
never exceeds on hand, stock equals the ledger, reserved equals what open orders still wait for, every
successful amendment got its own version, and each order's lines are those of its last version.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from tests.concurrency.amend_worker import run_clients
from tests.conftest import RunningServer
from tests.fulfilment.test_stateful import RESERVED_VERSUS_BACKORDERS, STATUS_VERSUS_LAST_EVENT, TOTALS_VERSUS_LINES
from tests.integration.shop import (
    BROKEN_LEVELS,
    STOCK_VERSUS_LEDGER,
    load_catalogue,
    login_token,
    open_stopped_database,
)

REPO = Path(__file__).resolve().parents[2]
REFUSALS = {
    "place": {"insufficient_stock"},
    "amend": {"insufficient_stock", "invalid_transition"},
    "cancel": {"invalid_transition"},
}


def spawn(server, tokens: list[str], threads: int, attempts: int, seed: int, start_at: float, shared: list[str]):
    command = [
        sys.executable, "-m", "tests.concurrency.amend_worker", "--base-url", server.base_url,
        *[f"--token={token}" for token in tokens], "--threads", str(threads), "--attempts", str(attempts),
        "--seed", str(seed), "--start-at", str(start_at), "--shared", ",".join(shared),
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def collect(processes) -> list[dict[str, Any]]:
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
        results += json.loads(out)
    return results


def check_accounted_for(results: list[dict[str, Any]]) -> Counter:
    """Each attempt succeeded or was refused with a 409 that names why (the short SKUs, or what is allowed)."""
    outcomes: Counter = Counter()
    for r in results:
        success = 201 if r["kind"] in ("place", "amend") else 200
        if r["status"] == success:
            outcomes[(r["kind"], "done")] += 1
            continue
        assert r["status"] == 409, r
        code = r["error"]["code"]
        assert code in REFUSALS[r["kind"]], r
        if code == "insufficient_stock":
            assert r["error"]["short"] and all(s["requested"] > s["available"] >= 0 for s in r["error"]["short"])
        else:
            assert "allowed next" in r["error"]["message"], r
        outcomes[(r["kind"], code)] += 1
    return outcomes


# Scarcer than the other concurrency tests': placements and amendments must run out.
STOCK = {("SH", "BOLT-M8"): 40, ("SH", "LAMP-LED-9W"): 30, ("SH", "CABLE-CAT6"): 20}


@pytest.fixture
def scarce(server: RunningServer) -> RunningServer:
    load_catalogue(server, STOCK)
    return server


def test_ten_clients_in_three_processes_placing_amending_and_cancelling_keep_the_books(scarce):
    system = scarce.api_key
    seeded = run_clients(scarce.base_url, [system], threads=1, attempts=4, seed=7)  # orders every client races for
    shared = [r["order_number"] for r in seeded if r["kind"] == "place" and r["status"] == 201]
    assert shared
    tokens = [login_token(scarce, user) for user in ("sales", "manager", "admin")] + [system]
    start_at = time.time() + 3
    processes = [
        spawn(scarce, tokens[:2], threads=4, attempts=12, seed=11, start_at=start_at, shared=shared),
        spawn(scarce, tokens[2:], threads=4, attempts=12, seed=12, start_at=start_at, shared=shared),
    ]
    local = run_clients(scarce.base_url, tokens, threads=2, attempts=12, seed=13, start_at=start_at, shared=shared)
    results = seeded + local + collect(processes)
    assert len(results) == 4 + (2 * 4 + 2) * 12

    outcomes = check_accounted_for(results)
    assert outcomes[("amend", "done")] and outcomes[("cancel", "done")], outcomes
    assert outcomes[("place", "insufficient_stock")] + outcomes[("amend", "insufficient_stock")], outcomes

    placed = {r["order_number"] for r in results if r["kind"] == "place" and r["status"] == 201}
    amended: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        if r["kind"] == "amend" and r["status"] == 201:
            amended[r["order_number"]].append(r)
    cancelled = Counter(r["order_number"] for r in results if r["kind"] == "cancel" and r["status"] == 200)

    con = open_stopped_database(scarce)
    for name, sql in {
        "0 <= reserved <= on hand": BROKEN_LEVELS,
        "stock equals the ledger": STOCK_VERSUS_LEDGER,
        "reserved equals what open orders wait for": RESERVED_VERSUS_BACKORDERS,
        "order totals equal their lines": TOTALS_VERSUS_LINES,
        "every order's last event is its status": STATUS_VERSUS_LAST_EVENT,
    }.items():
        assert con.execute(sql).fetchall() == [], name
    assert {n for (n,) in con.execute("select order_number from orders").fetchall()} == placed
    assert dict(con.execute("select order_number, count(*) from order_events where to_status = 'cancelled'"
                            " group by all").fetchall()) == dict(cancelled)  # fmt: skip
    assert all(count == 1 for count in cancelled.values())
    for number, done in amended.items():
        versions = sorted(r["version"] for r in done)
        assert versions == list(range(2, len(done) + 2)), (number, versions)  # no amendment lost or doubled
        stored = con.execute("select max(version) from order_versions where order_number = ?", [number]).fetchone()
        assert stored == (len(done) + 1,)
        last = max(done, key=lambda r: r["version"])
        lines = con.execute(
            "select sku, warehouse_code, quantity from order_lines where order_number = ? order by all", [number]
        ).fetchall()
        assert sorted(map(tuple, last["lines"])) == sorted(lines), number
    print(f"\n{len(results)} attempts: {dict(outcomes)}")
