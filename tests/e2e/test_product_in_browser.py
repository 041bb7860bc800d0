"""The whole product as a person meets it: `oms up`, a browser, an order, the pipeline, the dashboard, Ctrl-C."""

from __future__ import annotations

import csv
import re
import time
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboards.lib import formatting
from oms_ops.client import OmsClient
from tests.conftest import TEST_API_KEY
from tests.e2e.browser import choose, sign_in
from tests.e2e.product import RunningProduct, start_product

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def product(tmp_path):
    running = start_product(tmp_path / "data")
    yield running
    if running.process.poll() is None:
        running.interrupt()


def test_an_order_typed_in_the_browser_reaches_the_sales_dashboard(product: RunningProduct, browser_page: Page):
    page = browser_page
    api = OmsClient(product.api_url, token=TEST_API_KEY)
    in_shanghai = sorted(api.stock(warehouse="SH"), key=lambda row: -row.available)
    plenty = [row.sku for row in in_shanghai[:2]]
    scarce = min((row for row in in_shanghai if row.available > 0), key=lambda row: row.available)
    customer = api.customers(limit=1)[0].customer_code

    # Only the sign-in page is reachable without a session.
    page.goto(product.web_url + "/orders")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    sign_in(page, product.web_url, "sales")
    page.get_by_role("heading", name="New order").wait_for()
    choose(page, "Customer", customer)
    choose(page, "Ship from", "SH")
    choose(page, "Product 1", plenty[0])
    expect(page.get_by_text(re.compile(r"\d+ available in SH"))).to_be_visible()
    page.get_by_role("button", name="Add line").click()
    choose(page, "Product 2", plenty[1])
    expect(page.get_by_text(re.compile(r"\d+ available in SH"))).to_have_count(2)  # its rerun is done
    page.get_by_role("spinbutton", name="Quantity").nth(1).fill("3")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Place order").click()
    placed = page.get_by_text(re.compile(r"Order SO\d+ placed"))
    expect(placed).to_be_visible()
    order_number = re.search(r"SO\d+", placed.inner_text()).group(0)  # type: ignore[union-attr]

    choose(page, "Customer", customer)
    choose(page, "Product 1", scarce.sku)
    expect(page.get_by_text(f"{scarce.available} available in SH", exact=True)).to_be_visible()
    page.get_by_role("spinbutton", name="Quantity").first.fill(str(scarce.available + 5))
    page.keyboard.press("Tab")
    expect(page.get_by_text(f"Only {scarce.available} available in SH", exact=True)).to_be_visible()
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_text(f"Only {scarce.available} of SKU {scarce.sku} available in SH")).to_be_visible()

    page.get_by_role("link", name="Orders").click()
    page.get_by_label("Search").fill(order_number)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("1 orders")).to_be_visible()
    choose(page, "Open order", order_number)
    expect(page.get_by_role("heading", name=re.compile(f"Order {order_number}"))).to_be_visible()

    order = api.get_order(order_number)
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    page.get_by_role("button", name="Sign out").click()
    # `oms up` starts the first pipeline run itself once Dagster answers.
    assert "started" in product.wait_for_output("Pipeline run", timeout=180)
    sign_in(page, product.web_url, "manager")
    page.get_by_role("link", name="Sales").click()
    page.get_by_role("button", name="Run pipeline").click()
    expect(page.get_by_text(re.compile(r"Pipeline run \S+ started"))).to_be_visible(timeout=60_000)

    # The Sales page drills from the channel "manual" and today's point to the order lines behind them;
    # the table is a canvas, so the lines are read from its CSV download.
    today_label = formatting.day(today, "en_US")
    deadline = time.monotonic() + 240
    while True:
        assert time.monotonic() < deadline, f"the order never reached the Sales page; see {product.data_dir}/logs"
        page.get_by_role("link", name="Orders").click()  # a reload would start a new, signed-out session
        page.get_by_role("heading", name="Orders").wait_for()
        page.get_by_role("link", name="Sales").click()
        try:
            page.get_by_text("Day", exact=True).click(timeout=10_000)
            choose(page, "Show the order lines of one channel", "manual")
            choose(page, "in one day", today_label)
            expect(page.get_by_role("combobox", name="in one day")).to_have_value(today_label, timeout=5_000)
            # The box shows the day at once; the download button is only the narrowed one once the rerun ends.
            lines_today = f"{len(order.lines)} order lines, newest first"
            expect(page.get_by_text(lines_today, exact=True)).to_be_visible(timeout=10_000)
            with page.expect_download(timeout=10_000) as download:
                page.get_by_role("button", name="Download these order lines (CSV)").click(timeout=10_000)
        except (AssertionError, PlaywrightTimeout):
            continue
        with open(download.value.path(), encoding="utf-8-sig", newline="") as file:
            lines = list(csv.DictReader(file))
        break

    assert {line["Order"] for line in lines} == {order_number}
    assert sum(Decimal(line["Revenue"]) for line in lines) == order.subtotal
    # The pipeline's dbt builds ran in children of the warm dbt `oms up` keeps (pipelines/defs/dbt/warm.py).
    assert "dbt build exited 0" in (product.data_dir / "logs" / "dbt.log").read_text()

    assert product.interrupt() == 0
    assert "All stopped." in "".join(product.output)
    assert product.processes_left() == []
