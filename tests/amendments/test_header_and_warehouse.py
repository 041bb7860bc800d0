"""Header amendments (requested delivery date, note, customer PO) and moving an unshipped line to another
warehouse: each a new version, through the service."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from oms_ops.domain.amendments import AmendedLine, HeaderChange
from oms_ops.domain.errors import InsufficientStock, InvalidInput
from oms_ops.services import amendments, fulfilment
from tests.amendments.test_services import SALES, WAREHOUSE, amend, books_hold, place
from tests.fulfilment.test_services import ledger, stock

NEXT_WEEK = date.today() + timedelta(days=7)


def amend_header(db, order, change: HeaderChange):
    return amendments.amend_order(db, SALES, order["order_number"], None, "customer called", change)


def test_a_new_delivery_date_note_and_po_reference_are_a_new_version_and_the_old_one_keeps_none(db):
    order = place(db)
    amended = amend_header(db, order, HeaderChange(NEXT_WEEK, "deliver to dock 4", "PO-2026-118"))
    assert (amended["requested_delivery_date"], amended["note"], amended["customer_po"]) == (
        NEXT_WEEK,
        "deliver to dock 4",
        "PO-2026-118",
    )
    v1 = amendments.order_version(db, SALES, order["order_number"], 1)
    v2 = amendments.order_version(db, SALES, order["order_number"], 2)
    assert (v1["requested_delivery_date"], v1["customer_po"]) == (None, None)
    assert (v2["requested_delivery_date"], v2["customer_po"], v2["note"]) == (
        NEXT_WEEK.isoformat(),
        "PO-2026-118",
        "deliver to dock 4",
    )


def test_a_header_amendment_moves_no_stock_keeps_the_status_and_the_lines(db):
    order = place(db)
    amended = amend_header(db, order, HeaderChange(customer_po="PO-9"))
    assert (amended["status"], amended["version"]) == (order["status"], 2)
    assert [(ln["sku"], ln["quantity"]) for ln in amended["lines"]] == [("WIDGET-BLUE", 10)]
    assert stock(db, "SH", "WIDGET-BLUE") == (100, 10)
    assert ledger(db, order["order_number"], "release") == []


def test_an_empty_note_clears_it(db):
    order = place(db)
    amend_header(db, order, HeaderChange(note="ring first"))
    assert amend_header(db, order, HeaderChange(note=""))["note"] is None


def test_a_requested_delivery_date_can_be_cleared_as_a_new_version_the_earlier_one_keeping_it(db):
    order = place(db)
    amend_header(db, order, HeaderChange(NEXT_WEEK))

    cleared = amend_header(db, order, HeaderChange(clear_requested_delivery_date=True))

    assert (cleared["requested_delivery_date"], cleared["version"]) == (None, 3)
    v2 = amendments.order_version(db, SALES, order["order_number"], 2)
    assert v2["requested_delivery_date"] == NEXT_WEEK.isoformat()


def test_clearing_and_setting_the_delivery_date_at_once_is_refused_naming_the_field(db):
    order = place(db)
    with pytest.raises(InvalidInput, match="not both") as refused:
        amend_header(db, order, HeaderChange(NEXT_WEEK, clear_requested_delivery_date=True))
    assert refused.value.field == "requested_delivery_date"


def test_a_delivery_date_in_the_past_is_refused_naming_the_field(db):
    order = place(db)
    with pytest.raises(InvalidInput, match="is in the past") as refused:
        amend_header(db, order, HeaderChange(date.today() - timedelta(days=1)))
    assert refused.value.field == "requested_delivery_date"


def test_an_amendment_that_changes_nothing_is_refused(db):
    order = place(db)
    with pytest.raises(InvalidInput, match="Nothing to change"):
        amend_header(db, order, HeaderChange())


def test_moving_an_unshipped_line_to_another_warehouse_reserves_there_and_releases_the_old_one(db):
    order = place(db)  # 10 WIDGET-BLUE from SH
    amended = amend(db, order, AmendedLine("WIDGET-BLUE", 10, "BJ", line_no=1))
    assert [(ln["line_no"], ln["warehouse"]) for ln in amended["lines"]] == [(1, "BJ")]
    assert (stock(db, "SH", "WIDGET-BLUE"), stock(db, "BJ", "WIDGET-BLUE")) == ((100, 0), (40, 10))
    assert ledger(db, order["order_number"], "release") == [("SH", "WIDGET-BLUE", 0, -10)]
    assert books_hold(db)


def test_moving_a_line_to_a_warehouse_without_enough_stock_is_refused_and_keeps_the_old_reservation(db):
    order = place(db, ("WIDGET-BLUE", 50, "SH"))  # BJ has 40
    with pytest.raises(InsufficientStock, match="only 40 of SKU WIDGET-BLUE available in BJ"):
        amend(db, order, AmendedLine("WIDGET-BLUE", 50, "BJ", line_no=1))
    assert (stock(db, "SH", "WIDGET-BLUE"), stock(db, "BJ", "WIDGET-BLUE")) == ((100, 50), (40, 0))


def test_a_line_that_has_partly_shipped_stays_in_its_warehouse(db):
    order = place(db)
    fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 3)])
    with pytest.raises(InvalidInput, match="has shipped from SH and stays there"):
        amend(db, order, AmendedLine("WIDGET-BLUE", 10, "BJ", line_no=1))
