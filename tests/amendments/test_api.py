"""Amendments and versions through HTTP: status codes, refusals as sentences, stock that follows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oms_ops.client import Conflict, Forbidden, NotFound
from oms_ops.contracts import OrderOut
from tests.conftest import RunningServer
from tests.fulfilment.test_api import as_user
from tests.integration.shop import call, login_token, stock_of

PINS = ("SH", "PIN-STEEL")


def place(server: RunningServer, quantity: int = 100, customer: str = "C-GLOBEX") -> OrderOut:
    lines = [{"sku": "PIN-STEEL", "quantity": quantity, "warehouse": "SH"}]
    return as_user(server, "sales", "place_order", customer, lines)


def test_an_amendment_answers_201_with_the_new_version_and_moves_the_reservation(amend_server):
    order = place(amend_server)
    before = stock_of(amend_server)[PINS]
    response = call(
        amend_server,
        "POST",
        f"/orders/{order.order_number}/amendments",
        token=login_token(amend_server, "sales"),
        json={"lines": [{"line_no": 1, "sku": "PIN-STEEL", "quantity": 150}], "reason": "customer wants more"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["version"], body["lines"][0]["quantity"], body["total"]) == (2, 150, "135.60")
    assert [v["version"] for v in body["versions"]] == [1, 2]
    assert stock_of(amend_server)[PINS] == (before[0], before[1] + 50)


def test_sales_changing_a_price_gets_403(amend_server):
    order = place(amend_server)
    with pytest.raises(Forbidden, match="may not change prices"):
        as_user(
            amend_server, "sales", "amend_order", order.order_number,
            [{"line_no": 1, "sku": "PIN-STEEL", "quantity": 100, "unit_price": "0.50"}], "price match",
        )  # fmt: skip


def test_a_manager_changes_a_price_and_the_total_follows(amend_server):
    order = place(amend_server)
    amended = as_user(
        amend_server, "manager", "amend_order", order.order_number,
        [{"line_no": 1, "sku": "PIN-STEEL", "quantity": 100, "unit_price": "0.50"}], "price match",
    )  # fmt: skip
    assert (amended.lines[0].unit_price, amended.total) == (Decimal("0.50"), Decimal("56.50"))


def test_more_than_is_available_answers_409_naming_the_short_sku(amend_server):
    order = place(amend_server)
    with pytest.raises(Conflict) as refused:
        as_user(
            amend_server, "sales", "amend_order", order.order_number,
            [{"line_no": 1, "sku": "PIN-STEEL", "quantity": 100},
             {"sku": "GADGET-XL", "quantity": 500, "warehouse": "SH"}],
            "big project",
        )  # fmt: skip
    assert refused.value.code == "insufficient_stock"
    assert [(s.sku, s.warehouse, s.requested) for s in refused.value.short] == [("GADGET-XL", "SH", 500)]
    assert as_user(amend_server, "sales", "get_order", order.order_number).version == 1


def test_amending_a_shipped_order_answers_409_with_what_is_allowed_next(amend_server):
    order = place(amend_server)
    as_user(amend_server, "warehouse", "ship_order", order.order_number)
    with pytest.raises(Conflict, match="can no longer be amended; allowed next: Completed"):
        as_user(amend_server, "sales", "amend_order", order.order_number,
                [{"line_no": 1, "sku": "PIN-STEEL", "quantity": 1}], "too late")  # fmt: skip


def test_an_earlier_version_is_readable_in_full(amend_server):
    order = place(amend_server, quantity=40)
    as_user(amend_server, "sales", "amend_order", order.order_number,
            [{"line_no": 1, "sku": "PIN-STEEL", "quantity": 60}], "more")  # fmt: skip
    first = as_user(amend_server, "analyst", "order_version", order.order_number, 1)
    second = as_user(amend_server, "analyst", "order_version", order.order_number, 2)
    assert (first.lines[0].quantity, first.total, first.reason) == (40, Decimal("36.16"), "as placed")
    assert (second.lines[0].quantity, second.created_by, second.reason) == (60, "sales", "more")


def test_a_version_that_does_not_exist_answers_404(amend_server):
    order = place(amend_server, quantity=1)
    with pytest.raises(NotFound, match="has no version 5; it has not been amended"):
        as_user(amend_server, "sales", "order_version", order.order_number, 5)


def test_an_amendment_with_no_lines_answers_422_naming_the_field(amend_server):
    order = place(amend_server, quantity=1)
    response = call(
        amend_server,
        "POST",
        f"/orders/{order.order_number}/amendments",
        token=login_token(amend_server, "sales"),
        json={"lines": [], "reason": "nothing"},
    )
    assert (response.status_code, response.json()["field"]) == (422, "lines")
