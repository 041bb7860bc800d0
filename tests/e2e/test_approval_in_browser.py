"""The approval flow as people meet it in a browser: sales places a large order, a manager approves it
in their inbox, the order moves on. Runs the server and the web app only (no Dagster)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from oms_ops.client import OmsClient
from tests.approvals.conftest import load
from tests.conftest import TEST_API_KEY, RunningServer, free_port, serving
from tests.e2e.browser import choose, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[RunningServer, str]]:
    """A server with the approvals catalogue and the Streamlit app pointed at it, on free ports."""
    with serving(tmp_path, load) as server:
        port = free_port()
        env = {**server.env, "OMS_STREAMLIT_PORT": str(port), "OMS_LOCALE": "en_US"}
        log = open(tmp_path / "streamlit.log", "wb")  # noqa: SIM115 - the child process owns it
        app = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboards/app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/_stcore/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.3)
            else:
                raise RuntimeError(f"streamlit did not answer: {(tmp_path / 'streamlit.log').read_text()}")
            yield server, url
        finally:
            app.terminate()
            app.wait(timeout=20)
            log.close()


def test_a_large_order_approved_by_a_manager_in_the_browser_moves_on(web, browser_page: Page):
    server, url = web
    page = browser_page

    sign_in(page, url, "sales")
    page.get_by_role("heading", name="New order").wait_for()
    choose(page, "Customer", "C-OPEN")
    choose(page, "Ship from", "SH")
    choose(page, "Product 1", "CRANE-ARM")
    expect(page.get_by_text(re.compile(r"\d+ available in SH"))).to_be_visible()
    page.get_by_role("spinbutton", name="Quantity").first.fill("2")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Place order").click()
    placed = page.get_by_text(re.compile(r"Order SO\d+ placed: .*pending approval"))
    expect(placed).to_be_visible()
    order_number = re.search(r"SO\d+", placed.inner_text()).group(0)  # type: ignore[union-attr]
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, url, "manager")
    page.get_by_role("link", name="Approvals").click()
    expect(page.get_by_text(order_number)).to_be_visible()
    expect(page.get_by_text("order total 67800.00 over 50000.00")).to_be_visible()
    page.get_by_label("Comment (needed to reject)").fill("known customer")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text(f"You approved order {order_number}: it is now To ship.")).to_be_visible()
    expect(page.get_by_text("Nothing waits for your approval.")).to_be_visible()

    with OmsClient(server.base_url, token=TEST_API_KEY) as api:
        order = api.get_order(order_number)
    assert order.status == "to_ship"
    assert [(a.decided_by, a.comment) for a in order.approvals] == [("manager", "known customer")]
