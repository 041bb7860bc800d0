"""Fulfilment rules without I/O: what a shipment takes, what is owed back, where a released order goes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oms_ops.domain import lifecycle
from oms_ops.domain.errors import InvalidInput
from oms_ops.domain.fulfilment import LineState, backorders, check_payment, plan_shipment, refund_due, stock_taken
from oms_ops.domain.lifecycle import Status

LINES = [
    LineState(1, "WIDGET-BLUE", "SH", 10, 4, Decimal("113.00")),
    LineState(2, "WIDGET-BLUE", "SH", 2, 0, Decimal("22.60")),
    LineState(3, "SPROCKET-7", "BJ", 5, 5, Decimal("19.78")),
]


def test_a_shipment_with_no_lines_named_takes_everything_left():
    assert plan_shipment(LINES) == {1: 6, 2: 2}


def test_a_shipment_from_one_warehouse_takes_only_its_lines():
    with pytest.raises(InvalidInput, match="Nothing is left to ship from BJ"):
        plan_shipment(LINES, warehouse="BJ")


def test_lines_of_one_sku_in_one_warehouse_leave_stock_as_one_movement():
    assert stock_taken(LINES, {1: 6, 2: 2}) == {("SH", "WIDGET-BLUE"): 8}


def test_a_line_named_twice_in_one_shipment_is_refused():
    with pytest.raises(InvalidInput, match="named twice"):
        plan_shipment(LINES, [(1, 1), (1, 2)])


def test_what_is_not_shipped_is_the_backorder():
    assert backorders(LINES) == {("SH", "WIDGET-BLUE"): 8}


def test_the_refund_is_what_was_paid_beyond_the_value_shipped():
    # shipped: 4/10 of 113.00 and all of 19.78 = 64.98
    assert refund_due(Decimal("100.00"), LINES) == Decimal("35.02")
    assert refund_due(Decimal("50.00"), LINES) == Decimal(0)


def test_a_payment_in_fractions_of_a_cent_is_refused():
    with pytest.raises(InvalidInput, match="more than two decimals"):
        check_payment(Decimal("1.005"), Decimal("10.00"), Decimal(0))


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (Status.PENDING_PAYMENT, [Status.PAID, Status.TO_SHIP]),
        (Status.SHIPPED, [Status.COMPLETED]),
        (Status.PARTIALLY_SHIPPED, []),
        (Status.ON_HOLD, []),
    ],
)
def test_full_payment_moves_an_order_on_only_where_the_lifecycle_says(current, expected):
    assert lifecycle.moves_after_settlement(current, settled=True) == expected
    assert lifecycle.moves_after_settlement(current, settled=False) == []


def test_a_released_order_goes_back_where_it_was_held():
    assert lifecycle.status_after_release("partially_shipped", 30) is Status.PARTIALLY_SHIPPED
    assert lifecycle.status_after_release("paid", 0) is Status.TO_SHIP
    lifecycle.check_move(Status.ON_HOLD, Status.PARTIALLY_SHIPPED)
