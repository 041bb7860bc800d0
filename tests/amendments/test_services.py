"""Amending orders through the service on a real DuckDB file: reservations follow, versions stay readable."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from oms_ops.domain.amendments import AmendedLine
from oms_ops.domain.errors import InsufficientStock, InvalidInput, InvalidTransition, NotFound, PermissionDenied
from oms_ops.services import amendments, fulfilment
from oms_ops.services.actor import Actor
from oms_ops.services.orders import LineRequest, place_order
from oms_ops.store.database import Database
from tests.fulfilment.test_services import ledger, stock
from tests.integration.shop import BROKEN_LEVELS, STOCK_VERSUS_LEDGER

SALES = Actor("sales", ("sales",))
MANAGER = Actor("manager", ("manager",))
FINANCE = Actor("finance", ("finance",))
WAREHOUSE = Actor("warehouse", ("warehouse",))


def place(db: Database, *lines: tuple[str, int, str], customer: str = "C-GLOBEX") -> dict[str, Any]:
    requested = [LineRequest(sku, qty, wh) for sku, qty, wh in lines or [("WIDGET-BLUE", 10, "SH")]]
    return place_order(db, SALES, customer, requested)


def amend(db: Database, order: dict[str, Any], *lines: AmendedLine, actor: Actor = SALES) -> dict[str, Any]:
    return amendments.amend_order(db, actor, order["order_number"], list(lines), "customer called")


def books_hold(db: Database) -> bool:
    with db.reading() as cur:
        return cur.execute(STOCK_VERSUS_LEDGER).fetchall() == [] and cur.execute(BROKEN_LEVELS).fetchall() == []


def test_raising_a_quantity_reserves_the_difference_and_reprices_the_order(db):
    order = place(db)
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 25, line_no=1))
    assert stock(db, "SH", "WIDGET-BLUE") == (100, 25)
    assert (amended["lines"][0]["quantity"], amended["total"]) == (25, Decimal("282.50"))
    assert ledger(db, order["order_number"], "reservation")[-1] == ("SH", "WIDGET-BLUE", 0, 15)
    assert books_hold(db)


def test_lowering_a_quantity_releases_the_difference_in_the_ledger(db):
    order = place(db)
    amend(db, order, AmendedLine("WIDGET-BLUE", 4, line_no=1))
    assert stock(db, "SH", "WIDGET-BLUE") == (100, 4)
    assert ledger(db, order["order_number"], "release") == [("SH", "WIDGET-BLUE", 0, -6)]
    assert books_hold(db)


def test_the_ledger_rows_of_an_amendment_name_its_version(db):
    order = place(db)
    amend(db, order, AmendedLine("WIDGET-BLUE", 4, line_no=1))
    amend(db, order, AmendedLine("WIDGET-BLUE", 6, line_no=1))
    with db.reading() as cur:
        reasons = cur.execute(
            "select movement, reason from stock_ledger where order_number = ? order by entry_id",
            [order["order_number"]],
        ).fetchall()
    assert reasons == [("reservation", "order placed"), ("release", "amendment v2"), ("reservation", "amendment v3")]


def test_adding_a_line_reserves_it_and_removing_one_releases_it(db):
    order = place(db, ("WIDGET-BLUE", 10, "SH"), ("GADGET-XL", 2, "SH"))
    amended = amend(db, order, AmendedLine("GADGET-XL", 2, line_no=2), AmendedLine("WIDGET-BLUE", 5, "BJ"))
    assert [(ln["line_no"], ln["sku"], ln["warehouse"], ln["quantity"]) for ln in amended["lines"]] == [
        (2, "GADGET-XL", "SH", 2),
        (3, "WIDGET-BLUE", "BJ", 5),
    ]
    assert (stock(db, "SH", "WIDGET-BLUE"), stock(db, "BJ", "WIDGET-BLUE")) == ((100, 0), (40, 5))
    assert books_hold(db)


def test_a_line_without_a_number_changes_the_line_of_the_same_sku(db):
    order = place(db, ("WIDGET-BLUE", 10, "SH"), ("GADGET-XL", 2, "SH"))
    amended = amendments.amend_order(
        db, SALES, order["order_number"], [LineRequest("WIDGET-BLUE", 12), LineRequest("GADGET-XL", 1)], "fewer"
    )
    assert [(ln["line_no"], ln["quantity"]) for ln in amended["lines"]] == [(1, 12), (2, 1)]
    assert (stock(db, "SH", "WIDGET-BLUE"), stock(db, "SH", "GADGET-XL")) == ((100, 12), (7, 1))


def test_more_than_is_available_is_refused_naming_the_shortage_and_changes_nothing(db):
    order = place(db, ("GADGET-XL", 2, "SH"))
    with pytest.raises(InsufficientStock) as refused:
        amend(db, order, AmendedLine("GADGET-XL", 9, line_no=1))
    assert [(s.sku, s.warehouse, s.requested, s.available) for s in refused.value.shortages] == [
        ("GADGET-XL", "SH", 9, 7)
    ]
    assert stock(db, "SH", "GADGET-XL") == (7, 2)
    assert amendments.order_version(db, SALES, order["order_number"], 1)["lines"][0]["quantity"] == 2
    with pytest.raises(NotFound):
        amendments.order_version(db, SALES, order["order_number"], 2)


def test_sales_may_give_a_discount_on_an_amended_line(db):
    order = place(db)
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 10, discount_pct=Decimal(10), line_no=1))
    assert (amended["lines"][0]["discount_pct"], amended["total"]) == (Decimal("10.00"), Decimal("101.70"))


def test_sales_may_not_change_a_price_but_a_manager_may(db):
    order = place(db)
    with pytest.raises(PermissionDenied, match="change prices"):
        amend(db, order, AmendedLine("WIDGET-BLUE", 10, unit_price=Decimal("8.00"), line_no=1))
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 10, unit_price=Decimal("8.00"), line_no=1), actor=MANAGER)
    assert amended["lines"][0]["unit_price"] == Decimal("8.00")


def test_a_changed_quantity_keeps_the_price_a_manager_set(db):
    order = place(db)
    amend(db, order, AmendedLine("WIDGET-BLUE", 10, unit_price=Decimal("8.00"), line_no=1), actor=MANAGER)
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 5, line_no=1))
    assert (amended["lines"][0]["unit_price"], amended["subtotal"]) == (Decimal("8.00"), Decimal("40.00"))


def test_finance_and_warehouse_may_not_amend_orders(db):
    order = place(db)
    for actor in (FINANCE, WAREHOUSE):
        with pytest.raises(PermissionDenied, match="amend orders"):
            amend(db, order, AmendedLine("WIDGET-BLUE", 5, line_no=1), actor=actor)


def test_a_shipped_order_can_no_longer_be_amended_and_the_refusal_says_what_is_allowed_next(db):
    order = place(db)
    fulfilment.ship_order(db, WAREHOUSE, order["order_number"])
    with pytest.raises(InvalidTransition, match="is Shipped and can no longer be amended; allowed next: Completed"):
        amend(db, order, AmendedLine("WIDGET-BLUE", 5, line_no=1))


def test_a_cancelled_order_can_no_longer_be_amended(db):
    order = place(db)
    fulfilment.cancel_order(db, SALES, order["order_number"], "changed plans")
    with pytest.raises(InvalidTransition, match="is Cancelled and can no longer be amended"):
        amend(db, order, AmendedLine("WIDGET-BLUE", 5, line_no=1))


def test_a_partly_shipped_line_cannot_go_below_what_has_shipped(db):
    order = place(db)
    fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 6)])
    with pytest.raises(InvalidInput, match="6 shipped already; it cannot go below 6"):
        amend(db, order, AmendedLine("WIDGET-BLUE", 5, line_no=1))
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 8, line_no=1))
    assert (amended["status"], stock(db, "SH", "WIDGET-BLUE")) == ("partially_shipped", (94, 2))
    assert books_hold(db)


def test_a_line_with_shipped_units_cannot_be_removed(db):
    order = place(db, ("WIDGET-BLUE", 10, "SH"), ("GADGET-XL", 2, "SH"))
    fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 3)])
    with pytest.raises(InvalidInput, match=r"Line 1 \(WIDGET-BLUE\) has 3 shipped and cannot be removed"):
        amend(db, order, AmendedLine("GADGET-XL", 2, line_no=2))


def test_a_prepaid_order_paid_in_full_whose_total_rises_goes_back_to_pending_payment(db):
    order = place(db, customer="C-ACME")
    fulfilment.record_payment(db, FINANCE, order["order_number"], "alipay", order["total"])
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 12, line_no=1))
    assert (amended["status"], amended["balance_due"]) == ("pending_payment", Decimal("22.60"))
    assert amended["events"][-1]["from_status"] == "to_ship"
    assert amended["events"][-1]["reason"] == "amendment v2: customer called"
    paid = fulfilment.record_payment(db, FINANCE, order["order_number"], "alipay", Decimal("22.60"))
    assert paid["status"] == "to_ship"


def test_a_prepaid_order_lowered_to_what_was_paid_moves_on_to_ship(db):
    order = place(db, customer="C-ACME")
    fulfilment.record_payment(db, FINANCE, order["order_number"], "cash", Decimal("56.50"))
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 5, line_no=1))
    assert [(e["from_status"], e["to_status"]) for e in amended["events"][-2:]] == [
        ("pending_payment", "paid"),
        ("paid", "to_ship"),
    ]


def test_a_total_below_what_was_paid_records_a_refund_due_for_the_difference(db):
    order = place(db, customer="C-ACME")
    fulfilment.record_payment(db, FINANCE, order["order_number"], "cash", order["total"])
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 5, line_no=1))
    assert [(r["amount"], r["status"]) for r in amended["refunds"]] == [(Decimal("56.50"), "due")]
    assert (amended["total"], amended["balance_due"]) == (Decimal("56.50"), Decimal("0.00"))


def test_an_amendment_that_keeps_the_status_writes_a_version_but_no_status_event(db):
    order = place(db)
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 11, line_no=1))
    assert len(amended["events"]) == 1
    assert [(v["version"], v["reason"], v["total"]) for v in amended["versions"]] == [
        (1, "as placed", Decimal("113.00")),
        (2, "customer called", Decimal("124.30")),
    ]
    assert amended["version"] == 2


def test_an_amended_order_on_hold_stays_on_hold(db):
    order = place(db)
    fulfilment.hold_order(db, SALES, order["order_number"], "checking")
    assert amend(db, order, AmendedLine("WIDGET-BLUE", 11, line_no=1))["status"] == "on_hold"


def test_every_earlier_version_can_be_read_in_full(db):
    order = place(db)
    amend(db, order, AmendedLine("WIDGET-BLUE", 11, line_no=1))
    amend(db, order, AmendedLine("WIDGET-BLUE", 11, line_no=1), AmendedLine("GADGET-XL", 1))
    first, second, third = (amendments.order_version(db, SALES, order["order_number"], v) for v in (1, 2, 3))
    assert [[(ln["sku"], ln["quantity"]) for ln in v["lines"]] for v in (first, second, third)] == [
        [("WIDGET-BLUE", 10)],
        [("WIDGET-BLUE", 11)],
        [("WIDGET-BLUE", 11), ("GADGET-XL", 1)],
    ]
    assert (first["total"], third["total"], third["created_by"]) == (Decimal("113.00"), Decimal("406.80"), "sales")


def test_an_order_never_amended_reads_as_version_one(db):
    order = place(db)
    first = amendments.order_version(db, SALES, order["order_number"], 1)
    assert (first["version"], first["total"], first["lines"][0]["quantity"]) == (1, Decimal("113.00"), 10)


def test_an_amendment_without_a_reason_is_refused(db):
    order = place(db)
    with pytest.raises(InvalidInput, match="Say why"):
        amendments.amend_order(db, SALES, order["order_number"], [AmendedLine("WIDGET-BLUE", 5, line_no=1)], " ")


def test_changing_the_sku_of_a_numbered_line_is_refused(db):
    order = place(db)
    with pytest.raises(InvalidInput, match="remove the line and add a new one"):
        amend(db, order, AmendedLine("GADGET-XL", 1, line_no=1))


def test_amend_in_refuses_inside_the_callers_transaction_without_writing_anything(db):
    order = place(db, ("GADGET-XL", 2, "SH"), ("WIDGET-BLUE", 10, "SH"))
    with db.transaction() as cur:
        before = cur.execute("select count(*) from stock_ledger").fetchone()
        with pytest.raises(InsufficientStock):
            amendments.amend_in(
                cur, SALES, order["order_number"],
                [LineRequest("GADGET-XL", 50, "SH"), LineRequest("WIDGET-BLUE", 1, "SH")],
                "edi v2", order["ordered_at"],
            )  # fmt: skip
        assert cur.execute("select count(*) from stock_ledger").fetchone() == before
    assert (stock(db, "SH", "GADGET-XL"), stock(db, "SH", "WIDGET-BLUE")) == ((7, 2), (100, 10))


def test_an_amendment_that_needs_approval_sends_the_order_back_to_pending_approval(db):
    order = place(db)  # to ship: Globex is on 30-day terms
    amended = amend(db, order, AmendedLine("GADGET-XL", 6, unit_price=Decimal(9000)), actor=MANAGER)
    assert amended["status"] == "pending_approval"
    assert (amended["events"][-1]["from_status"], amended["events"][-1]["actor"]) == ("to_ship", "manager")
    assert amended["events"][-1]["reason"].startswith("amendment v2: needs approval")


def test_amending_an_order_pending_approval_back_below_every_rule_lets_it_go_on(db):
    order = place(db)
    amend(db, order, AmendedLine("GADGET-XL", 6, unit_price=Decimal(9000)), actor=MANAGER)
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 3, "SH"))
    assert [(e["from_status"], e["to_status"]) for e in amended["events"][-2:]] == [
        ("to_ship", "pending_approval"),
        ("pending_approval", "to_ship"),
    ]
    assert (stock(db, "SH", "GADGET-XL"), stock(db, "SH", "WIDGET-BLUE")) == ((7, 0), (100, 3))
