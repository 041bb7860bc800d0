"""POST /stock/receipts: goods in, with a ledger row for every change."""

from __future__ import annotations

import pytest

from tests.integration.shop import call, lake, login_token, stock_of


def test_receiving_stock_increases_on_hand_and_writes_a_receipt_row(shop):
    before = stock_of(shop)[("SH", "LAMP-LED-9W")]
    body = {"warehouse": "SH", "sku": "LAMP-LED-9W", "quantity": 25, "reason": "container MSKU-1"}
    response = call(shop, "POST", "/stock/receipts", token=login_token(shop, "warehouse"), json=body)
    assert response.status_code == 201
    assert response.json() == {
        "warehouse": "SH",
        "sku": "LAMP-LED-9W",
        "on_hand": before[0] + 25,
        "reserved": before[1],
        "available": before[0] + 25 - before[1],
    }
    rows = (
        lake(shop)
        .execute(
            "select movement, on_hand_delta, reserved_delta, actor, reason, occurred_at is not null from stock_ledger"
            " where warehouse_code = 'SH' and sku = 'LAMP-LED-9W' and actor = 'warehouse'"
        )
        .fetchall()
    )
    assert rows == [("receipt", 25, 0, "warehouse", "container MSKU-1", True)]


def test_receiving_a_sku_new_to_a_warehouse_creates_its_stock_row(shop):
    with shop.client_as("admin") as admin:
        row = admin.receive_stock("GZ", "CABLE-CAT6", 8)
    assert (row.warehouse, row.sku, row.on_hand, row.reserved, row.available) == ("GZ", "CABLE-CAT6", 8, 0, 8)
    assert stock_of(shop)[("GZ", "CABLE-CAT6")] == (8, 0)


def test_received_stock_can_be_ordered_at_once(shop):
    with shop.client_as("warehouse") as clerk, shop.client_as("sales") as sales:
        clerk.receive_stock("SH", "CABLE-CAT6", 10)
        order = sales.place_order("C-NORTH", [{"sku": "CABLE-CAT6", "quantity": 15, "warehouse": "SH"}])
    assert order.status == "to_ship"
    assert stock_of(shop)[("SH", "CABLE-CAT6")] == (15, 15)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"warehouse": "SH", "sku": "BOLT-M8", "quantity": 0}, "quantity"),
        ({"warehouse": "SH", "sku": "BOLT-M8", "quantity": -5}, "quantity"),
        ({"warehouse": "SH", "sku": "BOLT-M8", "quantity": "ten"}, "quantity"),
        ({"warehouse": "XX", "sku": "BOLT-M8", "quantity": 5}, "warehouse"),
        ({"warehouse": "SH", "sku": "NO-SUCH-SKU", "quantity": 5}, "sku"),
    ],
    ids=["zero", "negative", "not a number", "unknown warehouse", "unknown sku"],
)
def test_a_bad_receipt_answers_422_naming_the_field_and_changes_nothing(shared_shop, body, field):
    before = stock_of(shared_shop)
    response = call(shared_shop, "POST", "/stock/receipts", token=login_token(shared_shop, "warehouse"), json=body)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert stock_of(shared_shop) == before
