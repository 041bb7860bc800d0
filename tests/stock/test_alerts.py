"""Safety-stock alerts: one alert and one outbox message per crossing below safety stock, never a flood."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from oms_ops.domain.stock_ops import suggested_reorder
from oms_ops.services.fulfilment import cancel_order
from oms_ops.services.orders import LineRequest, place_order
from oms_ops.services.stock import receive_stock
from oms_ops.services.stock_ops import add_expected_receipt, adjust_stock, set_stock_policy, stock_positions
from oms_ops.services.transfers import request_transfer, ship_transfer
from oms_ops.store.database import Database
from tests.stock.conftest import ADMIN, SALES, WAREHOUSE
from tests.stock.helpers import alert_rows, alerts_outbox

NEXT_WEEK = datetime.now(UTC).date() + timedelta(days=7)


def sell(db: Database, quantity: int, warehouse: str = "SH") -> str:
    order = place_order(db, SALES, "C-ACME", [LineRequest("WIDGET-BLUE", quantity, warehouse)])
    return str(order["order_number"])


def watched(db: Database, safety: int = 50, reorder: int = 80) -> Database:
    set_stock_policy(db, WAREHOUSE, "SH", "WIDGET-BLUE", safety, reorder)
    return db


def test_falling_below_safety_stock_opens_one_alert_and_one_message_to_the_warehouse(db):
    sell(watched(db), 60)  # available 100 -> 40, safety stock 50

    assert alert_rows(db) == [("SH", "WIDGET-BLUE", True)]
    [(recipient, payload)] = alerts_outbox(db)
    assert recipient == "role:warehouse"
    assert {k: payload[k] for k in ("warehouse", "sku", "available", "safety_stock")} == {
        "warehouse": "SH",
        "sku": "WIDGET-BLUE",
        "available": 40,
        "safety_stock": 50,
    }


def test_the_suggested_reorder_fills_up_to_the_reorder_point_less_what_is_available(db):
    sell(watched(db, safety=50, reorder=120), 60)

    assert alerts_outbox(db)[0][1]["suggested_reorder"] == 120 - 40


def test_the_suggested_reorder_aims_at_twice_the_safety_stock_when_the_reorder_point_is_lower(db):
    sell(watched(db, safety=50, reorder=0), 60)

    assert alerts_outbox(db)[0][1]["suggested_reorder"] == 2 * 50 - 40


def test_the_suggested_reorder_counts_what_is_already_on_its_way(db):
    add_expected_receipt(db, WAREHOUSE, "SH", "WIDGET-BLUE", 15, NEXT_WEEK, "PO-9")

    sell(watched(db, safety=50, reorder=120), 60)

    assert alerts_outbox(db)[0][1]["suggested_reorder"] == 120 - 40 - 15


def test_further_falls_while_below_raise_no_more_alerts(db):
    sell(watched(db), 60)

    sell(db, 5)
    adjust_stock(db, WAREHOUSE, "SH", "WIDGET-BLUE", -5, "damage")

    assert len(alert_rows(db)) == 1
    assert len(alerts_outbox(db)) == 1


def test_coming_back_above_safety_stock_closes_the_alert(db):
    sell(watched(db), 60)

    receive_stock(db, WAREHOUSE, "SH", "WIDGET-BLUE", 10)

    assert alert_rows(db) == [("SH", "WIDGET-BLUE", False)]
    assert stock_positions(db, WAREHOUSE, "WIDGET-BLUE", "SH")[0]["alert_id"] is None


def test_falling_again_after_recovering_opens_a_new_alert(db):
    sell(watched(db), 60)
    receive_stock(db, WAREHOUSE, "SH", "WIDGET-BLUE", 30)

    sell(db, 25)

    assert alert_rows(db) == [("SH", "WIDGET-BLUE", False), ("SH", "WIDGET-BLUE", True)]
    assert len(alerts_outbox(db)) == 2


def test_cancelling_an_order_that_caused_the_fall_closes_the_alert(db):
    number = sell(watched(db), 60)

    cancel_order(db, ADMIN, number, "customer changed mind")

    assert alert_rows(db) == [("SH", "WIDGET-BLUE", False)]


def test_shipping_a_transfer_out_can_raise_the_alert_of_its_source(db):
    transfer = request_transfer(db, WAREHOUSE, "SH", "BJ", [("WIDGET-BLUE", 60)], NEXT_WEEK)

    ship_transfer(watched(db), WAREHOUSE, transfer["transfer_id"])

    assert alert_rows(db) == [("SH", "WIDGET-BLUE", True)]


def test_setting_a_safety_stock_above_what_is_available_alerts_at_once(db):
    watched(db, safety=120, reorder=150)

    assert alert_rows(db) == [("SH", "WIDGET-BLUE", True)]
    assert stock_positions(db, WAREHOUSE, "WIDGET-BLUE", "SH")[0]["suggested_reorder"] == 240 - 100


def test_locations_without_a_safety_stock_never_alert(db):
    sell(db, 99)

    assert alert_rows(db) == []


def test_the_suggested_reorder_is_never_negative_when_enough_is_on_its_way():
    assert suggested_reorder(safety_stock=50, reorder_point=80, available=40, inbound=500) == 0
