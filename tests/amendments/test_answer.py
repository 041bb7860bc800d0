"""The answer to an amendment is built from what it wrote: it must read exactly as the order read afresh."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from oms_ops.domain.amendments import AmendedLine, HeaderChange
from oms_ops.services import amendments, fulfilment, orders
from tests.amendments.test_services import FINANCE, MANAGER, SALES, WAREHOUSE, amend, place


def afresh(db, order):
    return orders.get_order(db, SALES, order["order_number"])


def test_the_answer_to_a_first_and_a_second_amendment_is_the_order_as_read_afresh(db):
    order = place(db, ("WIDGET-BLUE", 10, "SH"), ("GADGET-XL", 2, "SH"))
    first = amend(db, order, AmendedLine("WIDGET-BLUE", 12, line_no=1), AmendedLine("GADGET-XL", 2, line_no=2))
    assert first == afresh(db, order)
    second = amend(db, order, AmendedLine("WIDGET-BLUE", 3, line_no=1), AmendedLine("WIDGET-BLUE", 5, "BJ"))
    assert second == afresh(db, order)


def test_the_answer_after_payments_shipments_and_a_refund_is_the_order_as_read_afresh(db):
    order = place(db, ("WIDGET-BLUE", 10, "SH"), ("GADGET-XL", 1, "SH"), customer="C-ACME")
    fulfilment.record_payment(db, FINANCE, order["order_number"], "cash", Decimal("395.50"))
    fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 2)])
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 4, line_no=1), AmendedLine("GADGET-XL", 1, line_no=2))
    assert amended["refunds"] and amended == afresh(db, order)


def test_the_answer_of_an_amendment_sent_to_approval_is_the_order_as_read_afresh(db):
    order = place(db)
    amended = amend(db, order, AmendedLine("GADGET-XL", 6, unit_price=Decimal(9000)), actor=MANAGER)
    assert amended["approvals"] and amended == afresh(db, order)


def test_the_answer_of_a_header_amendment_is_the_order_as_read_afresh(db):
    order = place(db)
    change = HeaderChange(date.today() + timedelta(days=9), "dock 4", "PO-77")
    amended = amendments.amend_order(db, SALES, order["order_number"], None, "customer called", change)
    assert amended == afresh(db, order)


def test_the_answer_of_an_order_amended_back_below_every_rule_is_the_order_as_read_afresh(db):
    order = place(db)
    amend(db, order, AmendedLine("GADGET-XL", 6, unit_price=Decimal(9000)), actor=MANAGER)  # asks for approval
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 3, "SH"))  # voids the requests, no new ones
    assert [a["status"] for a in amended["approvals"]] == ["void"] * len(amended["approvals"]) != []
    assert amended == afresh(db, order)


def test_the_answer_of_a_header_amendment_of_an_order_waiting_for_approval_is_the_order_as_read_afresh(db):
    order = place(db)
    amend(db, order, AmendedLine("GADGET-XL", 6, unit_price=Decimal(9000)), actor=MANAGER)
    change = HeaderChange(date.today() + timedelta(days=3), "call first", None)
    amended = amendments.amend_order(db, SALES, order["order_number"], None, "customer called", change)
    assert amended["approvals"] and amended == afresh(db, order)
