import itertools
from decimal import Decimal

import pytest

from oms_ops.api.errors import field_path
from oms_ops.domain import lifecycle
from oms_ops.domain.errors import InvalidTransition, PermissionDenied, Shortage
from oms_ops.domain.history import status_path
from oms_ops.domain.lifecycle import Status
from oms_ops.domain.pricing import order_totals, price_line
from oms_ops.domain.roles import Action, may, require
from oms_ops.domain.stock import demand_by_location, shortages


def test_line_price_rounds_half_up_to_the_cent():
    line = price_line(3, Decimal("0.835"), Decimal("0.13"))
    assert line.line_net == Decimal("2.51")  # 2.505 rounds up, never to even
    assert line.line_tax == Decimal("0.33")
    assert line.line_total == Decimal("2.84")


def test_discount_is_taken_before_tax():
    line = price_line(10, Decimal("100.00"), Decimal("0.13"), discount_pct=Decimal("15"))
    assert (line.line_net, line.line_tax) == (Decimal("850.00"), Decimal("110.50"))


def test_order_totals_are_the_sums_of_their_lines():
    lines = [price_line(1, Decimal("9.99"), Decimal("0.13")), price_line(2, Decimal("0.01"), Decimal("0.06"))]
    totals = order_totals(lines)
    assert totals.subtotal == Decimal("10.01")
    assert totals.total == sum(line.line_total for line in lines)


def test_prepaid_customers_pay_before_shipping_and_customers_on_terms_ship_first():
    assert lifecycle.status_after_confirmation(0) is Status.PENDING_PAYMENT
    assert lifecycle.status_after_confirmation(30) is Status.TO_SHIP


def test_an_illegal_move_says_what_is_allowed_next():
    with pytest.raises(InvalidTransition, match=r"allowed next: .*Paid"):
        lifecycle.check_move("pending_payment", "shipped")


def test_a_final_state_allows_nothing():
    with pytest.raises(InvalidTransition, match="final state"):
        lifecycle.check_move("completed", "to_ship")


def test_statuses_have_the_chinese_words_a_clerk_expects():
    assert lifecycle.label("pending_payment", "zh_CN") == "待支付"
    assert lifecycle.label("shipped", "en_US") == "Shipped"


@pytest.mark.parametrize("terms", [0, 30])
@pytest.mark.parametrize("final", ["to_ship", "shipped", "completed", "cancelled"])
def test_every_history_path_is_a_chain_of_legal_moves(terms, final):
    path = status_path(terms, Status(final))
    assert path[-1] == final
    for before, after in itertools.pairwise(path):
        lifecycle.check_move(before, after)


def test_a_customer_on_terms_never_passes_pending_payment():
    with pytest.raises(ValueError):
        status_path(30, Status.PENDING_PAYMENT)


def test_warehouse_clerks_may_not_place_orders():
    with pytest.raises(PermissionDenied, match="warehouse"):
        require(["warehouse"], Action.PLACE_ORDER)


def test_systems_may_bulk_load_but_sales_may_not():
    assert may(["system"], Action.BULK_LOAD)
    assert not may(["sales"], Action.BULK_LOAD)


def test_two_lines_of_one_sku_in_one_warehouse_count_together():
    demand = demand_by_location([("SH", "BOLT-M8", 4), ("SH", "BOLT-M8", 5), ("GZ", "BOLT-M8", 1)])
    assert demand == {("SH", "BOLT-M8"): 9, ("GZ", "BOLT-M8"): 1}


def test_shortages_name_what_was_asked_and_what_there_is():
    short = shortages({("SH", "BOLT-M8"): 9, ("SH", "LAMP"): 1}, {("SH", "BOLT-M8"): 7, ("SH", "LAMP"): 1})
    assert short == [Shortage("BOLT-M8", "SH", 9, 7)]
    assert "only 7 of SKU BOLT-M8 available in SH" in short[0].sentence()


def test_a_location_without_stock_counts_as_zero_available():
    assert shortages({("BJ", "NEW"): 1}, {}) == [Shortage("NEW", "BJ", 1, 0)]


def test_error_fields_are_named_as_a_person_reads_them():
    assert field_path(("body", "lines", 0, "quantity")) == "lines[0].quantity"
    assert field_path(("query", "page")) == "page"
