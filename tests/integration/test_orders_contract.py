"""POST /orders and GET /orders/{number}: money, statuses, shortages, bad input and idempotency."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from oms_ops.client import Conflict
from tests.integration.shop import call, lake, login_token, stock_of

MONEY = re.compile(r"^-?\d+\.\d{2}$")


def place(server, body, user="sales"):
    return call(server, "POST", "/orders", token=login_token(server, user), json=body)


def ledger_rows(server) -> int:
    return lake(server).execute("select count(*) from stock_ledger").fetchone()[0]


def order_count(server) -> int:
    return call(server, "GET", "/orders", token=server.api_key).json()["total_count"]


def test_placing_an_order_answers_201_with_priced_lines_and_exact_totals(shared_shop):
    body = {
        "customer_code": "C-ACME",
        "lines": [
            {"sku": "BOLT-M8", "quantity": 2, "warehouse": "SH"},
            {"sku": "LAMP-LED-9W", "quantity": 3, "warehouse": "SH"},
            {"sku": "GUIDE-SAFETY", "quantity": 1, "warehouse": "GZ"},
        ],
        "note": "deliver to gate 3",
    }
    response = place(shared_shop, body)
    assert response.status_code == 201, response.text
    order = response.json()
    assert re.fullmatch(r"SO\d{8}", order["order_number"])
    assert order["customer_code"] == "C-ACME"
    assert order["customer_name"] == "Acme Trading Co."
    assert order["currency"] == "CNY"
    assert order["note"] == "deliver to gate 3"
    assert order["created_by"] == "sales"
    assert order["ordered_at"].endswith("Z")
    # Money travels as decimal strings with two places, never as floats.
    assert [
        (line["sku"], line["unit_price"], line["line_net"], line["line_tax"], line["line_total"])
        for line in order["lines"]
    ] == [
        ("BOLT-M8", "0.25", "0.50", "0.07", "0.57"),  # 0.065 tax rounds half-up
        ("LAMP-LED-9W", "12.90", "38.70", "5.03", "43.73"),
        ("GUIDE-SAFETY", "45.50", "45.50", "4.10", "49.60"),  # 9 % book tax, 4.095 -> 4.10
    ]
    assert [line["tax_rate"] for line in order["lines"]] == ["0.1300", "0.1300", "0.0900"]
    assert [line["line_no"] for line in order["lines"]] == [1, 2, 3]
    assert [line["warehouse"] for line in order["lines"]] == ["SH", "SH", "GZ"]
    assert (order["subtotal"], order["tax_total"], order["total"]) == ("84.70", "9.20", "93.90")


def test_order_totals_are_the_exact_sums_of_their_lines(shared_shop):
    body = {
        "customer_code": "C-NORTH",
        "lines": [{"sku": "BOLT-M8", "quantity": 7, "warehouse": "SH"}, {"sku": "LAMP-LED-9W", "quantity": 1}],
    }
    order = place(shared_shop, body).json()
    money = [order["subtotal"], order["tax_total"], order["total"]]
    money += [line[k] for line in order["lines"] for k in ("unit_price", "line_net", "line_tax", "line_total")]
    assert all(isinstance(m, str) and MONEY.match(m) for m in money), money
    lines = order["lines"]
    for line in lines:
        assert Decimal(line["line_total"]) == Decimal(line["line_net"]) + Decimal(line["line_tax"])
        assert Decimal(line["line_net"]) == Decimal(line["unit_price"]) * line["quantity"]
    assert Decimal(order["subtotal"]) == sum(Decimal(line["line_net"]) for line in lines)
    assert Decimal(order["tax_total"]) == sum(Decimal(line["line_tax"]) for line in lines)
    assert Decimal(order["total"]) == Decimal(order["subtotal"]) + Decimal(order["tax_total"])


def test_a_prepaid_customers_order_waits_for_payment(shared_shop):
    body = {"customer_code": "C-ACME", "lines": [{"sku": "BOLT-M8", "quantity": 1}]}
    assert place(shared_shop, body).json()["status"] == "pending_payment"


@pytest.mark.parametrize("customer", ["C-NORTH", "C-HUAXIN"])
def test_a_customer_on_payment_terms_goes_straight_to_shipping(shared_shop, customer):
    body = {"customer_code": customer, "lines": [{"sku": "BOLT-M8", "quantity": 1}]}
    assert place(shared_shop, body, user="manager").json()["status"] == "to_ship"


def test_a_line_without_a_warehouse_ships_from_the_customers_region_when_it_can(shared_shop):
    north = place(shared_shop, {"customer_code": "C-NORTH", "lines": [{"sku": "LAMP-LED-9W", "quantity": 1}]})
    acme = place(shared_shop, {"customer_code": "C-ACME", "lines": [{"sku": "LAMP-LED-9W", "quantity": 1}]})
    assert north.json()["lines"][0]["warehouse"] == "GZ"  # South
    assert acme.json()["lines"][0]["warehouse"] == "SH"  # East


def test_a_short_order_answers_409_naming_each_short_sku_and_reserves_nothing(shop):
    stock_before, ledger_before = stock_of(shop), ledger_rows(shop)
    body = {
        "customer_code": "C-NORTH",
        "lines": [
            {"sku": "BOLT-M8", "quantity": 1, "warehouse": "SH"},
            {"sku": "LAMP-LED-9W", "quantity": 60, "warehouse": "SH"},
            {"sku": "CABLE-CAT6", "quantity": 9, "warehouse": "SH"},
            {"sku": "GUIDE-SAFETY", "quantity": 1, "warehouse": "SH"},  # never received in SH
        ],
    }
    response = place(shop, body)
    assert response.status_code == 409
    error = response.json()
    assert error["code"] == "insufficient_stock"
    assert sorted(error["short"], key=lambda s: s["sku"]) == [
        {"sku": "CABLE-CAT6", "warehouse": "SH", "requested": 9, "available": 5},
        {"sku": "GUIDE-SAFETY", "warehouse": "SH", "requested": 1, "available": 0},
        {"sku": "LAMP-LED-9W", "warehouse": "SH", "requested": 60, "available": 50},
    ]
    assert "CABLE-CAT6" in error["message"] and "LAMP-LED-9W" in error["message"]
    assert stock_of(shop) == stock_before
    assert ledger_rows(shop) == ledger_before
    assert order_count(shop) == 0


def test_the_typed_client_raises_conflict_carrying_the_short_lines(shop):
    with shop.client_as("sales") as sales, pytest.raises(Conflict) as caught:
        sales.place_order("C-ACME", [{"sku": "CABLE-CAT6", "quantity": 6, "warehouse": "SH"}])
    assert [(s.sku, s.warehouse, s.requested, s.available) for s in caught.value.short] == [("CABLE-CAT6", "SH", 6, 5)]


def test_two_lines_of_the_same_sku_count_together_against_stock(shop):
    too_much = {
        "customer_code": "C-ACME",
        "lines": [
            {"sku": "CABLE-CAT6", "quantity": 3, "warehouse": "SH"},
            {"sku": "CABLE-CAT6", "quantity": 3, "warehouse": "SH"},
        ],
    }
    response = place(shop, too_much)
    assert response.status_code == 409
    assert response.json()["short"] == [{"sku": "CABLE-CAT6", "warehouse": "SH", "requested": 6, "available": 5}]
    assert stock_of(shop)[("SH", "CABLE-CAT6")] == (5, 0)

    just_enough = {**too_much, "lines": [{**too_much["lines"][0], "quantity": 2}, too_much["lines"][1]]}
    placed = place(shop, just_enough)
    assert placed.status_code == 201
    assert [line["quantity"] for line in placed.json()["lines"]] == [2, 3]
    assert stock_of(shop)[("SH", "CABLE-CAT6")] == (5, 5)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"customer_code": "C-NOBODY"}, "customer_code"),
        ({"lines": [{"sku": "BOLT-M8", "quantity": 1}, {"sku": "NO-SUCH-SKU", "quantity": 1}]}, "lines[1].sku"),
        ({"lines": [{"sku": "BOLT-M8", "quantity": 1, "warehouse": "XX"}]}, "lines[0].warehouse"),
        ({"lines": [{"sku": "BOLT-M8", "quantity": 0}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "BOLT-M8", "quantity": -1}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "BOLT-M8", "quantity": "abc"}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "BOLT-M8", "quantity": 1}, {"sku": "BOLT-M8", "quantity": 2.5}]}, "lines[1].quantity"),
        ({"lines": []}, "lines"),
        ({"customer_code": None}, "customer_code"),
    ],
    ids=[
        "unknown customer",
        "unknown sku",
        "unknown warehouse",
        "quantity 0",
        "quantity -1",
        "quantity abc",
        "fractional quantity",
        "no lines",
        "no customer",
    ],
)
def test_bad_order_input_answers_422_naming_the_field_and_writes_nothing(shared_shop, change, field):
    stock_before, orders_before = stock_of(shared_shop), order_count(shared_shop)
    body = {"customer_code": "C-ACME", "lines": [{"sku": "BOLT-M8", "quantity": 1}], **change}
    response = place(shared_shop, body)
    assert response.status_code == 422, response.text
    error = response.json()
    assert error["code"] == "invalid_input"
    assert error["field"] == field
    assert error["message"]
    assert stock_of(shared_shop) == stock_before
    assert order_count(shared_shop) == orders_before


def test_the_same_channel_and_external_ref_twice_returns_the_first_order(shop):
    body = {
        "customer_code": "C-NORTH",
        "channel": "edi",
        "external_ref": "PO-2026-0042",
        "lines": [{"sku": "LAMP-LED-9W", "quantity": 4, "warehouse": "SH"}],
    }
    first = place(shop, body)
    again = place(shop, {**body, "lines": [{"sku": "LAMP-LED-9W", "quantity": 9, "warehouse": "SH"}]}, "manager")
    assert first.status_code == 201
    assert again.status_code in (200, 201)
    assert again.json() == first.json()
    assert order_count(shop) == 1
    assert stock_of(shop)[("SH", "LAMP-LED-9W")] == (50, 4)


def test_the_same_external_ref_on_another_channel_is_another_order(shop):
    body = {"customer_code": "C-NORTH", "external_ref": "PO-7", "lines": [{"sku": "BOLT-M8", "quantity": 1}]}
    first = place(shop, {**body, "channel": "edi"}).json()
    second = place(shop, {**body, "channel": "webshop"}).json()
    assert first["order_number"] != second["order_number"]
    assert order_count(shop) == 2


def test_get_order_returns_its_lines_and_its_status_events(shared_shop):
    body = {
        "customer_code": "C-ACME",
        "channel": "phone",
        "lines": [{"sku": "BOLT-M8", "quantity": 10, "warehouse": "SH"}, {"sku": "LAMP-LED-9W", "quantity": 2}],
    }
    placed = place(shared_shop, body).json()
    response = call(shared_shop, "GET", f"/orders/{placed['order_number']}", token=login_token(shared_shop, "analyst"))
    assert response.status_code == 200
    order = response.json()
    assert order == placed
    assert order["channel"] == "phone"
    assert [(line["sku"], line["quantity"], line["product_name"]) for line in order["lines"]] == [
        ("BOLT-M8", 10, "Hex bolt M8 zinc"),
        ("LAMP-LED-9W", 2, "LED lamp 9 W warm white"),
    ]
    assert len(order["events"]) == 1
    event = order["events"][0]
    assert event["from_status"] is None
    assert event["to_status"] == "pending_payment" == order["status"]
    assert event["actor"] == "sales"
    assert event["reason"] == "order placed"
    assert event["occurred_at"] == order["ordered_at"]


def test_an_unknown_order_answers_404(shared_shop):
    response = call(shared_shop, "GET", "/orders/SO99999999", token=login_token(shared_shop, "sales"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "SO99999999" in response.json()["message"]


def test_a_placed_order_writes_one_reservation_row_per_location(shop):
    with shop.client_as("sales") as sales:
        order = sales.place_order(
            "C-ACME",
            [
                {"sku": "LAMP-LED-9W", "quantity": 2, "warehouse": "SH"},
                {"sku": "LAMP-LED-9W", "quantity": 3, "warehouse": "SH"},
                {"sku": "LAMP-LED-9W", "quantity": 1, "warehouse": "GZ"},
            ],
        )
    rows = (
        lake(shop)
        .execute(
            "select warehouse_code, sku, movement, on_hand_delta, reserved_delta, actor from stock_ledger"
            " where order_number = ? order by warehouse_code",
            [order.order_number],
        )
        .fetchall()
    )
    assert rows == [
        ("GZ", "LAMP-LED-9W", "reservation", 0, 1, "sales"),
        ("SH", "LAMP-LED-9W", "reservation", 0, 5, "sales"),
    ]


def test_an_order_carries_the_customers_po_and_requested_delivery_date_and_reads_them_back(shared_shop):
    body = {
        "customer_code": "C-ACME",
        "lines": [{"sku": "BOLT-M8", "quantity": 1, "warehouse": "SH"}],
        "customer_po": "  PO-4471  ",
        "requested_delivery_date": "2099-03-01",
    }
    placed = place(shared_shop, body)
    assert placed.status_code == 201, placed.text
    read = call(shared_shop, "GET", f"/orders/{placed.json()['order_number']}", token=shared_shop.api_key).json()
    for order in (placed.json(), read):
        assert (order["customer_po"], order["requested_delivery_date"]) == ("PO-4471", "2099-03-01")


def test_a_requested_delivery_date_in_the_past_is_refused_naming_the_field_and_reserves_nothing(shared_shop):
    before = ledger_rows(shared_shop), order_count(shared_shop)
    body = {
        "customer_code": "C-ACME",
        "lines": [{"sku": "BOLT-M8", "quantity": 1, "warehouse": "SH"}],
        "requested_delivery_date": "2001-01-01",
    }
    response = place(shared_shop, body)
    assert response.status_code == 422
    assert response.json()["field"] == "requested_delivery_date"
    assert "in the past" in response.json()["message"]
    assert (ledger_rows(shared_shop), order_count(shared_shop)) == before
