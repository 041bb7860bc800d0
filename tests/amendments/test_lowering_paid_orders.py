"""Lowering the total of an order that has been (partly) paid: a refund due for what was overpaid, as on
cancellation, told on the order's timeline; a prepaid order now covered moves on."""

from __future__ import annotations

from decimal import Decimal

from oms_ops.domain.amendments import AmendedLine
from oms_ops.services import credit, fulfilment, payments
from tests.amendments.test_services import FINANCE, MANAGER, amend, books_hold, place


def pay(db, order, amount: str) -> None:
    fulfilment.record_payment(db, FINANCE, order["order_number"], "bank_transfer", Decimal(amount))


def test_a_paid_order_lowered_owes_the_customer_the_difference_on_the_payments_refunds_list(db):
    order = place(db, customer="C-ACME")  # 10 widgets: 113.00, prepaid
    pay(db, order, "113.00")
    amend(db, order, AmendedLine("WIDGET-BLUE", 4, line_no=1))  # 45.20
    due = [(r["order_number"], r["amount"], r["status"]) for r in payments.list_refunds(db, FINANCE)]
    assert (order["order_number"], Decimal("67.80"), "due") in due
    assert books_hold(db)


def test_the_event_of_an_amendment_that_owes_a_refund_says_so_with_the_figures(db):
    order = place(db)  # Globex, 30-day terms: to ship, and it stays there
    pay(db, order, "100.00")
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 5, line_no=1))  # 56.50
    last = amended["events"][-1]
    assert (last["from_status"], last["to_status"]) == ("to_ship", "to_ship")
    assert last["reason"] == "amendment v2: customer called; refund due 43.50 (100.00 paid, new total 56.50)"


def test_a_partly_paid_prepaid_order_lowered_below_what_was_paid_becomes_paid_and_goes_to_ship(db):
    order = place(db, customer="C-ACME")  # pending payment
    pay(db, order, "80.00")
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 6, line_no=1))  # 67.80
    assert [(e["from_status"], e["to_status"]) for e in amended["events"][-2:]] == [
        ("pending_payment", "paid"),
        ("paid", "to_ship"),
    ]
    assert [r["amount"] for r in amended["refunds"]] == [Decimal("12.20")]
    assert (amended["status"], amended["balance_due"]) == ("to_ship", Decimal("0.00"))


def test_a_partly_paid_order_lowered_but_still_above_what_was_paid_owes_no_refund(db):
    order = place(db, customer="C-ACME")
    pay(db, order, "30.00")
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 5, line_no=1))  # 56.50
    assert (amended["status"], amended["refunds"], amended["balance_due"]) == (
        "pending_payment",
        [],
        Decimal("26.50"),
    )


def test_raising_the_total_again_after_a_refund_asks_for_the_difference_from_what_is_left_paid(db):
    order = place(db, customer="C-ACME")
    pay(db, order, "113.00")
    amend(db, order, AmendedLine("WIDGET-BLUE", 5, line_no=1))  # 56.50 kept, 56.50 owed back
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 10, line_no=1))  # 113.00 again
    assert (amended["status"], amended["balance_due"]) == ("pending_payment", Decimal("56.50"))


def test_cancelling_after_a_refund_owes_back_only_what_is_still_paid(db):
    order = place(db, customer="C-ACME")
    pay(db, order, "113.00")
    amend(db, order, AmendedLine("WIDGET-BLUE", 5, line_no=1))
    cancelled = fulfilment.cancel_order(db, MANAGER, order["order_number"], "customer gave up")
    assert sum(r["amount"] for r in cancelled["refunds"]) == Decimal("113.00")


def test_a_refund_owed_on_a_lowered_order_does_not_count_as_paid_against_the_customers_other_orders(db):
    lowered = place(db)  # Globex, 30-day terms: 113.00
    pay(db, lowered, "113.00")
    amend(db, lowered, AmendedLine("WIDGET-BLUE", 4, line_no=1))  # 45.20 now, 67.80 owed back
    place(db)  # another 113.00, unpaid
    figures = credit.customer_credit(db, FINANCE, "C-GLOBEX")
    assert (figures["exposure"], figures["open_unshipped"]) == (Decimal("113.00"), Decimal("113.00"))
