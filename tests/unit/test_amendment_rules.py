"""The rules of amending an order, without I/O: which lines change, what is reserved, where the order goes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oms_ops.domain.amendments import (
    AmendedLine,
    CurrentLine,
    plan_lines,
    reservation_change,
    status_after_amendment,
)
from oms_ops.domain.errors import InvalidInput
from oms_ops.domain.lifecycle import Status

LAMPS = CurrentLine(1, "LAMP-LED-9W", "SH", 10, 4, Decimal("12.90"), Decimal(0), Decimal("7.00"))
BOLTS = CurrentLine(2, "BOLT-M8", "SH", 100, 0, Decimal("0.25"), Decimal(5), Decimal("0.10"))


def test_a_line_left_out_is_removed_and_a_new_sku_is_added_with_the_next_number():
    planned = plan_lines([LAMPS, BOLTS], [AmendedLine("LAMP-LED-9W", 10), AmendedLine("CABLE-CAT6", 1, "GZ")])
    assert [(p.line_no, p.sku, p.warehouse, p.quantity) for p in planned] == [
        (1, "LAMP-LED-9W", "SH", 10),
        (3, "CABLE-CAT6", "GZ", 1),
    ]


def test_a_kept_line_keeps_its_price_and_discount_unless_they_are_given():
    [bolts] = plan_lines([BOLTS], [AmendedLine("BOLT-M8", 50, line_no=2)])
    assert (bolts.unit_price, bolts.discount_pct, bolts.price_changed, bolts.discount_changed) == (
        Decimal("0.25"),
        Decimal(5),
        False,
        False,
    )


def test_only_what_is_left_to_ship_counts_for_the_reservation():
    planned = plan_lines([LAMPS, BOLTS], [AmendedLine("LAMP-LED-9W", 6, line_no=1), AmendedLine("BOLT-M8", 120)])
    more, less = reservation_change([LAMPS, BOLTS], [("SH", p) for p in planned])
    assert (more, less) == ({("SH", "BOLT-M8"): 20}, {("SH", "LAMP-LED-9W"): 4})


def test_moving_an_unshipped_line_to_another_warehouse_releases_one_and_reserves_the_other():
    planned = plan_lines([BOLTS], [AmendedLine("BOLT-M8", 100, "GZ", line_no=2)])
    assert reservation_change([BOLTS], [("GZ", p) for p in planned]) == (
        {("GZ", "BOLT-M8"): 100},
        {("SH", "BOLT-M8"): 100},
    )


def test_leaving_nothing_to_ship_is_refused_with_a_pointer_to_cancel():
    with pytest.raises(InvalidInput, match="cancel it"):
        plan_lines([LAMPS], [AmendedLine("LAMP-LED-9W", 4, line_no=1)])


@pytest.mark.parametrize(
    ("current", "routed", "settled", "moves"),
    [
        ("to_ship", Status.PENDING_APPROVAL, False, [Status.PENDING_APPROVAL]),
        ("pending_approval", Status.PENDING_APPROVAL, False, []),
        ("on_hold", Status.TO_SHIP, False, []),
        ("to_ship", Status.ON_HOLD, False, [Status.ON_HOLD]),
        ("pending_approval", Status.TO_SHIP, False, [Status.TO_SHIP]),
        ("pending_approval", Status.PENDING_PAYMENT, True, [Status.PENDING_PAYMENT, Status.PAID, Status.TO_SHIP]),
        ("to_ship", Status.PENDING_PAYMENT, False, [Status.PENDING_PAYMENT]),
        ("partially_shipped", Status.TO_SHIP, False, []),
        ("pending_payment", Status.PENDING_PAYMENT, True, [Status.PAID, Status.TO_SHIP]),
    ],
)
def test_where_an_amended_order_goes(current, routed, settled, moves):
    assert status_after_amendment(current, routed, settled) == moves
