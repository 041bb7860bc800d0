"""The fulfilment services on a real DuckDB file: payments, shipments, cancellation, hold and release."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from oms_ops.domain.errors import InsufficientStock, InvalidInput, InvalidTransition, NotFound
from oms_ops.services import fulfilment
from oms_ops.services.actor import Actor
from oms_ops.services.orders import LineRequest, get_order, place_order
from oms_ops.store import fulfilment_queries
from oms_ops.store.database import Database

SALES = Actor("sales", ("sales",))
FINANCE = Actor("finance", ("finance",))
WAREHOUSE = Actor("warehouse", ("warehouse",))


def place(db: Database, customer: str = "C-ACME", *lines: tuple[str, int, str]) -> dict[str, Any]:
    requested = [LineRequest(sku, qty, wh) for sku, qty, wh in lines or [("WIDGET-BLUE", 10, "SH")]]
    return place_order(db, SALES, customer, requested)


def pay(db: Database, order: dict[str, Any], amount: Decimal | str | None = None) -> dict[str, Any]:
    return fulfilment.record_payment(
        db, FINANCE, order["order_number"], "bank_transfer", Decimal(amount or order["total"])
    )


def stock(db: Database, warehouse: str, sku: str) -> tuple[int, int]:
    with db.reading() as cur:
        row = cur.execute(
            "select on_hand, reserved from stock_levels where warehouse_code = ? and sku = ?", [warehouse, sku]
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def ledger(db: Database, order_number: str, movement: str) -> list[tuple[str, str, int, int]]:
    with db.reading() as cur:
        return cur.execute(
            "select warehouse_code, sku, on_hand_delta, reserved_delta from stock_ledger"
            " where order_number = ? and movement = ? order by warehouse_code, sku",
            [order_number, movement],
        ).fetchall()


def moves(order: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(e["from_status"], e["to_status"]) for e in order["events"]]


def outbox(db: Database) -> list[tuple[str, str | None, dict[str, Any]]]:
    with db.reading() as cur:
        rows = cur.execute("select topic, recipient, payload from outbox order by id").fetchall()
    return [(topic, recipient, json.loads(payload)) for topic, recipient, payload in rows]


def test_a_prepaid_order_paid_in_full_becomes_paid_and_then_to_ship(db):
    order = pay(db, place(db))
    assert order["status"] == "to_ship"
    assert moves(order)[1:] == [("pending_payment", "paid"), ("paid", "to_ship")]
    assert order["events"][1]["actor"] == "finance"
    assert "bank transfer" in order["events"][1]["reason"].lower()


def test_a_partial_payment_leaves_a_prepaid_order_pending_payment(db):
    order = pay(db, place(db), "50.00")  # of 113.00
    assert order["status"] == "pending_payment"
    assert (order["paid_total"], order["balance_due"]) == (Decimal("50.00"), Decimal("63.00"))
    assert order["status"] == pay(db, order, "60.00")["status"]
    assert pay(db, order, "3.00")["status"] == "to_ship"


def test_paying_more_than_is_outstanding_is_refused_naming_the_balance(db):
    order = pay(db, place(db), "100.00")
    with pytest.raises(InvalidInput, match=r"Only 13\.00 is outstanding") as refused:
        pay(db, order, "20.00")
    assert refused.value.field == "amount"


def test_a_payment_by_an_unknown_method_is_refused_listing_the_known_ones(db):
    order = place(db)
    with pytest.raises(InvalidInput, match="WeChat Pay"):
        fulfilment.record_payment(db, FINANCE, order["order_number"], "barter", Decimal("1.00"))


def test_shipping_part_of_a_line_keeps_the_rest_reserved_as_a_backorder(db):
    order = pay(db, place(db))
    before = stock(db, "SH", "WIDGET-BLUE")

    shipped = fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 4)])

    assert (shipped["status"], shipped["backorder_units"]) == ("partially_shipped", 6)
    assert get_order(db, WAREHOUSE, order["order_number"])["lines"][0]["shipped_quantity"] == 4
    assert stock(db, "SH", "WIDGET-BLUE") == (before[0] - 4, before[1] - 4)
    assert before[1] - 4 == 6  # the six not shipped are still reserved


def test_a_shipment_writes_one_ledger_row_per_location(db):
    order = pay(db, place(db, "C-ACME", ("WIDGET-BLUE", 2, "SH"), ("WIDGET-BLUE", 3, "SH"), ("WIDGET-BLUE", 1, "BJ")))
    fulfilment.ship_order(db, WAREHOUSE, order["order_number"])
    assert ledger(db, order["order_number"], "shipment") == [
        ("BJ", "WIDGET-BLUE", -1, -1),
        ("SH", "WIDGET-BLUE", -5, -5),
    ]


def test_shipping_everything_of_a_settled_order_completes_it(db):
    number = pay(db, place(db))["order_number"]
    assert fulfilment.ship_order(db, WAREHOUSE, number)["status"] == "completed"
    assert moves(get_order(db, WAREHOUSE, number))[-2:] == [("to_ship", "shipped"), ("shipped", "completed")]


def test_an_order_on_terms_ships_first_and_completes_when_paid(db):
    order = place(db, "C-GLOBEX")
    assert order["status"] == "to_ship"
    shipped = fulfilment.ship_order(db, WAREHOUSE, order["order_number"])
    assert shipped["status"] == "shipped"
    assert pay(db, order, "13.00")["status"] == "shipped"
    assert pay(db, order, "100.00")["status"] == "completed"


def test_shipping_from_one_warehouse_ships_only_its_lines(db):
    order = place(db, "C-GLOBEX", ("WIDGET-BLUE", 2, "SH"), ("WIDGET-BLUE", 3, "BJ"))
    shipped = fulfilment.ship_order(db, WAREHOUSE, order["order_number"], warehouse="BJ")
    assert [(line["line_no"], line["warehouse"], line["quantity"]) for line in shipped["lines"]] == [(2, "BJ", 3)]
    assert shipped["status"] == "partially_shipped"
    after = get_order(db, WAREHOUSE, order["order_number"])
    assert [line["shipped_quantity"] for line in after["lines"]] == [0, 3]


def test_shipping_more_than_is_left_on_a_line_is_refused(db):
    order = place(db, "C-GLOBEX")
    fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 8)])
    with pytest.raises(InvalidInput, match="has 2 left to ship, not 3"):
        fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 3)])


def test_an_unpaid_prepaid_order_cannot_ship_and_is_told_what_may_come_next(db):
    order = place(db)
    with pytest.raises(InvalidTransition, match=r"Pending payment cannot become Shipped; allowed next: .*Paid"):
        fulfilment.ship_order(db, WAREHOUSE, order["order_number"])


def test_shipping_an_order_that_does_not_exist_is_refused_naming_it(db):
    with pytest.raises(NotFound, match="There is no order SO99999999"):
        fulfilment.ship_order(db, WAREHOUSE, "SO99999999")


def test_a_shipment_whose_reserved_stock_is_gone_is_refused_and_writes_nothing(db):
    order = place(db, "C-GLOBEX")  # 10 widgets reserved in SH
    with db.transaction() as cur:
        cur.execute("update stock_levels set reserved = 3 where warehouse_code = 'SH' and sku = 'WIDGET-BLUE'")
    before = stock(db, "SH", "WIDGET-BLUE")

    with pytest.raises(InsufficientStock):
        fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 4)])

    assert stock(db, "SH", "WIDGET-BLUE") == before
    assert ledger(db, order["order_number"], "shipment") == []
    assert get_order(db, WAREHOUSE, order["order_number"])["status"] == "to_ship"


def test_cancelling_releases_every_reservation_with_release_rows(db):
    before = stock(db, "SH", "GADGET-XL")
    order = place(db, "C-ACME", ("GADGET-XL", 5, "SH"), ("WIDGET-BLUE", 1, "BJ"))

    cancelled = fulfilment.cancel_order(db, SALES, order["order_number"], "customer changed their mind")

    assert cancelled["status"] == "cancelled"
    assert stock(db, "SH", "GADGET-XL") == before
    assert ledger(db, order["order_number"], "release") == [("BJ", "WIDGET-BLUE", 0, -1), ("SH", "GADGET-XL", 0, -5)]
    assert cancelled["events"][-1]["reason"] == "customer changed their mind"


def test_cancelling_a_paid_order_records_the_refund_due(db):
    order = pay(db, place(db))
    cancelled = fulfilment.cancel_order(db, SALES, order["order_number"], "duplicate order")
    assert [(r["amount"], r["status"]) for r in cancelled["refunds"]] == [(Decimal("113.00"), "due")]


def test_cancelling_an_unpaid_order_records_no_refund(db):
    cancelled = fulfilment.cancel_order(db, SALES, place(db)["order_number"], "no longer needed")
    assert cancelled["refunds"] == []


def test_cancelling_a_partially_shipped_order_cancels_only_the_rest(db):
    order = pay(db, place(db))  # 10 widgets, 113.00 paid
    fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 4)])
    before = stock(db, "SH", "WIDGET-BLUE")

    cancelled = fulfilment.cancel_order(db, SALES, order["order_number"], "rest out of season")

    assert cancelled["lines"][0]["shipped_quantity"] == 4
    assert stock(db, "SH", "WIDGET-BLUE") == (before[0], before[1] - 6)
    assert [r["amount"] for r in cancelled["refunds"]] == [Decimal("67.80")]  # 113.00 - 4/10 of it


def test_cancelling_writes_a_message_to_the_customer_in_the_outbox(db):
    order = place(db)
    fulfilment.cancel_order(db, SALES, order["order_number"], "customer changed their mind")
    [(topic, recipient, payload)] = outbox(db)
    assert (topic, recipient) == ("order_cancelled", "buy@acme.example")
    assert payload["order_number"] == order["order_number"]
    assert payload["reason"] == "customer changed their mind"


def test_a_cancellation_that_fails_half_way_leaves_no_trace(db, monkeypatch):
    order = place(db, "C-ACME", ("GADGET-XL", 5, "SH"))
    before = stock(db, "SH", "GADGET-XL")

    def broken_outbox(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(fulfilment_queries, "insert_outbox", broken_outbox)
    with pytest.raises(RuntimeError):
        fulfilment.cancel_order(db, SALES, order["order_number"], "customer changed their mind")

    assert get_order(db, SALES, order["order_number"])["status"] == "pending_payment"
    assert stock(db, "SH", "GADGET-XL") == before
    assert ledger(db, order["order_number"], "release") == []


def test_a_shipped_order_can_no_longer_be_cancelled(db):
    order = place(db, "C-GLOBEX")
    fulfilment.ship_order(db, WAREHOUSE, order["order_number"])
    with pytest.raises(InvalidTransition, match="Shipped cannot become Cancelled; allowed next: Completed"):
        fulfilment.cancel_order(db, SALES, order["order_number"], "too late")


def test_a_cancelled_order_takes_no_payment(db):
    order = place(db)
    fulfilment.cancel_order(db, SALES, order["order_number"], "customer changed their mind")
    with pytest.raises(InvalidTransition, match="cancelled and takes no payments"):
        pay(db, order)


def test_a_held_order_keeps_its_stock_and_cannot_ship(db):
    order = place(db, "C-GLOBEX")
    before = stock(db, "SH", "WIDGET-BLUE")
    held = fulfilment.hold_order(db, SALES, order["order_number"], "address unclear")
    assert (held["status"], held["events"][-1]["reason"]) == ("on_hold", "address unclear")
    assert stock(db, "SH", "WIDGET-BLUE") == before
    with pytest.raises(InvalidTransition, match="On hold cannot become Shipped"):
        fulfilment.ship_order(db, WAREHOUSE, order["order_number"])


def test_release_takes_a_held_order_back_to_where_it_was(db):
    order = place(db)
    fulfilment.hold_order(db, SALES, order["order_number"], "address unclear")
    released = fulfilment.release_order(db, SALES, order["order_number"], "address confirmed")
    assert released["status"] == "pending_payment"
    assert moves(released)[-1] == ("on_hold", "pending_payment")


def test_an_order_paid_in_full_while_on_hold_goes_on_to_ship_when_released(db):
    order = place(db)
    fulfilment.hold_order(db, SALES, order["order_number"], "address unclear")
    assert pay(db, order)["status"] == "on_hold"
    released = fulfilment.release_order(db, SALES, order["order_number"], "address confirmed")
    assert released["status"] == "to_ship"
    assert moves(released)[-3:] == [("on_hold", "pending_payment"), ("pending_payment", "paid"), ("paid", "to_ship")]


def test_a_partially_shipped_order_is_released_back_to_partially_shipped(db):
    order = place(db, "C-GLOBEX")
    fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 1)])
    fulfilment.hold_order(db, SALES, order["order_number"], "count the rest again")
    released = fulfilment.release_order(db, SALES, order["order_number"], "counted")
    assert released["status"] == "partially_shipped"


def test_only_an_order_on_hold_can_be_released(db):
    with pytest.raises(InvalidTransition, match="not On hold"):
        fulfilment.release_order(db, SALES, place(db)["order_number"], "why not")


def test_holding_needs_a_reason(db):
    with pytest.raises(InvalidInput, match="Say why") as refused:
        fulfilment.hold_order(db, SALES, place(db)["order_number"], "  ")
    assert refused.value.field == "reason"
