"""An import killed mid-way (the server process, kill -9) and run again ends as if it had run once."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from oms_ops.client import OmsClient
from tests.conftest import RunningServer, create_role_users, start_server
from tests.imports.conftest import csv_feed, run_import, write
from tests.integration.shop import assert_stock_invariants, lake, load_catalogue

ORDERS = 1200  # two lines each, in chunks of 120 lines: 20 transactions


def feed() -> str:
    rows = []
    for i in range(ORDERS):
        rows.append(f"K-{i:05d},2026-03-01 10:{i % 60:02d},C-NORTH,BOLT-M8,1,,")
        sku = "NO-SUCH-SKU" if i % 200 == 7 else "BOLT-M8"  # 6 orders quarantined
        rows.append(f"K-{i:05d},2026-03-01 10:{i % 60:02d},C-NORTH,{sku},1,,")
    return csv_feed(*rows)


def first_chunk_committed(server: RunningServer, deadline: float) -> bool:
    with OmsClient(server.base_url, token=server.api_key, timeout=5) as client:
        while time.monotonic() < deadline:
            if any(i.rows for i in client.imports()):
                return True
            time.sleep(0.05)
    return False


@pytest.fixture
def chunked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMS_IMPORT_CHUNK_LINES", "120")


def test_an_import_killed_mid_way_and_run_again_creates_every_order_once(chunked: None, tmp_path: Path) -> None:
    server = start_server(tmp_path)
    try:
        create_role_users(server)
        load_catalogue(server, {("SH", "BOLT-M8"): 10_000})
        path = write(tmp_path, "big.csv", feed())
        threading.Thread(target=lambda: _ignore_errors(server, path), daemon=True).start()
        assert first_chunk_committed(server, time.monotonic() + 60), "no chunk was committed"

        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
        interrupted = start_server(tmp_path)
        with interrupted.system_client() as client:
            before = client.imports()[0]
        summary = run_import(interrupted, path, "web")

        con = lake(interrupted)
        refs = con.execute("select external_ref, count(*) from orders where channel = 'web' group by 1").fetchall()
        reserved = con.execute("select reserved from stock_levels where sku = 'BOLT-M8'").fetchall()[0][0]
        interrupted.stop()
    finally:
        server.stop()
    assert 0 < before.rows < 2 * ORDERS and before.finished_at is None  # it was stopped mid-way
    assert len(refs) == ORDERS - 6 and all(n == 1 for _, n in refs)
    assert summary.rows == 2 * ORDERS == summary.lines_created + summary.duplicates + summary.quarantined
    assert summary.duplicates == before.lines_created and summary.quarantined == 12
    assert reserved == 2 * (ORDERS - 6)
    assert_stock_invariants(con)


def _ignore_errors(server: RunningServer, path: Path) -> None:
    try:
        run_import(server, path, "web")
    except Exception:  # the server is killed under it: that is the point
        return
