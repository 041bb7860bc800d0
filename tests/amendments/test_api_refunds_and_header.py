"""Through HTTP: lowering a paid order owes a refund, header fields and a line's warehouse change as versions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from tests.amendments.test_api import place
from tests.fulfilment.test_api import as_user
from tests.integration.shop import call, login_token, stock_of

NEXT_WEEK = date.today() + timedelta(days=7)


def test_lowering_a_paid_order_answers_201_with_a_refund_due_that_finance_sees_in_the_refunds(amend_server):
    order = place(amend_server, quantity=100, customer="C-ACME")  # 90.40, prepaid
    as_user(amend_server, "finance", "record_payment", order.order_number, "card", "90.40")
    amended = as_user(amend_server, "sales", "amend_order", order.order_number,
                      [{"line_no": 1, "sku": "PIN-STEEL", "quantity": 50}], "half of it")  # fmt: skip
    assert [(r.amount, r.status) for r in amended.refunds] == [(Decimal("45.20"), "due")]
    assert amended.events[-1].reason == "amendment v2: half of it; refund due 45.20 (90.40 paid, new total 45.20)"
    due = as_user(amend_server, "finance", "refunds")
    assert (order.order_number, Decimal("45.20")) in [(r.order_number, r.amount) for r in due]


def test_a_header_amendment_without_lines_answers_201_and_version_2_keeps_the_new_fields(amend_server):
    order = place(amend_server, quantity=1)
    response = call(
        amend_server, "POST", f"/orders/{order.order_number}/amendments", token=login_token(amend_server, "sales"),
        json={"reason": "new PO", "requested_delivery_date": NEXT_WEEK.isoformat(), "customer_po": "PO-4711"},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["requested_delivery_date"], body["customer_po"], body["version"]) == (
        NEXT_WEEK.isoformat(),
        "PO-4711",
        2,
    )
    second = as_user(amend_server, "analyst", "order_version", order.order_number, 2)
    assert (second.requested_delivery_date, second.customer_po, second.lines[0].quantity) == (NEXT_WEEK, "PO-4711", 1)


def test_the_typed_client_clears_a_requested_delivery_date(amend_server):
    order = place(amend_server, quantity=1)
    as_user(amend_server, "sales", "amend_order", order.order_number, None, "date agreed",
            requested_delivery_date=NEXT_WEEK)  # fmt: skip

    cleared = as_user(amend_server, "sales", "amend_order", order.order_number, None, "no fixed date",
                      clear_requested_delivery_date=True)  # fmt: skip

    assert (cleared.requested_delivery_date, cleared.version) == (None, 3)


def test_a_delivery_date_in_the_past_answers_422_naming_the_field(amend_server):
    order = place(amend_server, quantity=1)
    response = call(
        amend_server, "POST", f"/orders/{order.order_number}/amendments", token=login_token(amend_server, "sales"),
        json={"reason": "typo", "requested_delivery_date": (date.today() - timedelta(days=2)).isoformat()},
    )  # fmt: skip
    assert (response.status_code, response.json()["field"]) == (422, "requested_delivery_date")


def test_moving_a_line_to_another_warehouse_moves_its_reservation(amend_server):
    order = as_user(amend_server, "sales", "place_order", "C-GLOBEX",
                    [{"sku": "WIDGET-BLUE", "quantity": 2, "warehouse": "SH"}])  # fmt: skip
    before = stock_of(amend_server)
    moved = [{"line_no": 1, "sku": "WIDGET-BLUE", "quantity": 2, "warehouse": "BJ"}]
    amended = as_user(amend_server, "sales", "amend_order", order.order_number, moved, "ship from Beijing")
    after = stock_of(amend_server)
    assert amended.lines[0].warehouse == "BJ"
    assert after[("SH", "WIDGET-BLUE")][1] == before[("SH", "WIDGET-BLUE")][1] - 2
    assert after[("BJ", "WIDGET-BLUE")][1] == before[("BJ", "WIDGET-BLUE")][1] + 2
