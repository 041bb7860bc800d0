"""Adjustments: a reason code from the list, up or down, never below what is reserved, one ledger row each."""

from __future__ import annotations

import pytest

from oms_ops.domain.errors import InsufficientStock, InvalidInput, PermissionDenied
from oms_ops.services.orders import LineRequest, place_order
from oms_ops.services.stock_ops import adjust_stock, set_stock_policy
from tests.stock.conftest import SALES, WAREHOUSE
from tests.stock.helpers import ledger, level


def test_a_damage_adjustment_lowers_on_hand_and_writes_an_adjustment_row_with_its_reason(db):
    position = adjust_stock(db, WAREHOUSE, "SH", "WIDGET-BLUE", -3, "damage", "crushed pallet")

    assert (position["on_hand"], position["available"]) == (97, 97)
    assert ledger(db, "adjustment") == [("SH", "WIDGET-BLUE", -3, 0, "damage: crushed pallet")]


def test_found_stock_raises_on_hand_even_where_the_sku_was_never_stocked(db):
    adjust_stock(db, WAREHOUSE, "BJ", "GADGET-XL", 2, "found")

    assert level(db, "BJ", "GADGET-XL") == (2, 0)


def test_an_unknown_reason_code_is_refused_naming_the_codes_allowed(db):
    with pytest.raises(InvalidInput, match="count, damage, loss, found, expiry, correction") as refused:
        adjust_stock(db, WAREHOUSE, "SH", "WIDGET-BLUE", -1, "theft?")

    assert refused.value.field == "reason"
    assert level(db, "SH", "WIDGET-BLUE") == (100, 0)


def test_an_adjustment_never_takes_stock_reserved_for_orders(db):
    place_order(db, SALES, "C-ACME", [LineRequest("WIDGET-BLUE", 90, "SH")])

    with pytest.raises(InsufficientStock, match="of which 90 are reserved for orders, so at most 10 can go"):
        adjust_stock(db, WAREHOUSE, "SH", "WIDGET-BLUE", -11, "count")

    assert level(db, "SH", "WIDGET-BLUE") == (100, 90)
    assert ledger(db, "adjustment") == []


def test_an_adjustment_may_take_exactly_what_is_not_reserved(db):
    place_order(db, SALES, "C-ACME", [LineRequest("WIDGET-BLUE", 90, "SH")])

    adjust_stock(db, WAREHOUSE, "SH", "WIDGET-BLUE", -10, "expiry")

    assert level(db, "SH", "WIDGET-BLUE") == (90, 90)


def test_an_adjustment_of_nothing_is_refused(db):
    with pytest.raises(InvalidInput, match="other than 0"):
        adjust_stock(db, WAREHOUSE, "SH", "WIDGET-BLUE", 0, "count")


def test_sales_may_not_adjust_stock_nor_set_safety_stock(db):
    with pytest.raises(PermissionDenied, match="may not adjust stock"):
        adjust_stock(db, SALES, "SH", "WIDGET-BLUE", -1, "loss")
    with pytest.raises(PermissionDenied, match="safety stock"):
        set_stock_policy(db, SALES, "SH", "WIDGET-BLUE", 10, 20)
