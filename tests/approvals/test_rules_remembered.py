"""The gate remembers the active approval rules between orders; every admin edit makes it read them again."""

from __future__ import annotations

from decimal import Decimal

from oms_ops.services import approvals
from tests.approvals.conftest import ADMIN
from tests.approvals.test_services import large, place, set_rule


def test_a_rule_switched_off_after_orders_were_placed_matches_nothing_from_then_on(db):
    assert large(db)["status"] == "pending_approval"

    set_rule(db, "Large order", is_active=False)

    assert large(db)["status"] == "to_ship"


def test_a_rule_added_after_orders_were_placed_applies_to_the_next_order(db):
    assert place(db)["approvals"] == []

    approvals.create_rule(db, ADMIN, "Any order over 100", "order_total_over", Decimal(100), ["finance"], level=3)

    assert [a["rule_name"] for a in place(db)["approvals"]] == ["Any order over 100"]


def test_a_raised_threshold_lets_the_next_large_order_through(db):
    large(db)

    set_rule(db, "Large order", threshold=Decimal(100000))

    assert large(db)["approvals"] == []
