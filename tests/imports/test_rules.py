"""Imported orders meet the same rules as typed ones: approval rules and credit limits, through the gate."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunningServer
from tests.imports.conftest import csv_feed, run_import, write
from tests.integration.shop import lake


def first_event(server: RunningServer, channel: str, external_ref: str) -> tuple[str, str]:
    found = lake(server).execute(
        "select o.status, e.reason from orders o join order_events e using (order_number)"
        " where o.channel = ? and o.external_ref = ? order by e.event_id limit 1",
        [channel, external_ref],
    )
    return found.fetchall()[0]


def test_an_imported_order_over_the_large_order_threshold_waits_for_approval(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    feed = csv_feed("G-1,2026-03-01,C-ACME,GUIDE-SAFETY,1,60000.00,", "G-2,2026-03-01,C-ACME,GUIDE-SAFETY,1,,")

    run_import(shared_shop, write(tmp_path, "big.csv", feed), channel)

    status, reason = first_event(shared_shop, channel, "G-1")
    assert status == "pending_approval" and "Large order" in reason
    assert first_event(shared_shop, channel, "G-2")[0] == "pending_payment"


def test_an_imported_order_over_the_customers_credit_limit_is_held_with_the_figures(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    feed = csv_feed("G-3,2026-03-01,C-HUAXIN,GUIDE-SAFETY,1,30000.00,")  # limit 20,000

    run_import(shared_shop, write(tmp_path, "credit.csv", feed), channel)

    status, reason = first_event(shared_shop, channel, "G-3")
    assert status == "on_hold" and "20000" in reason.replace(",", "")
