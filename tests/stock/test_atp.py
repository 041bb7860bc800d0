"""Available to promise: per warehouse now, what arrives when, the earliest date, the automatic choice, a split."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from oms_ops.domain.errors import InvalidInput
from oms_ops.domain.stock_ops import Inbound, earliest_promise, split_now
from oms_ops.services.orders import LineRequest, place_order
from oms_ops.services.stock_ops import add_expected_receipt, available_to_promise, receive_expected
from oms_ops.services.transfers import request_transfer, ship_transfer
from tests.stock.conftest import SALES, WAREHOUSE

TODAY = datetime.now(UTC).date()
IN_2_DAYS, IN_5_DAYS = TODAY + timedelta(days=2), TODAY + timedelta(days=5)


def by_warehouse(atp: dict) -> dict:
    return {row["warehouse"]: row for row in atp["warehouses"]}


def test_a_warehouse_with_the_quantity_can_promise_it_today(db):
    rows = by_warehouse(available_to_promise(db, SALES, "WIDGET-BLUE", 60))

    assert (rows["SH"]["available"], rows["SH"]["earliest_date"]) == (100, TODAY)
    assert (rows["BJ"]["available"], rows["BJ"]["earliest_date"]) == (40, None)


def test_available_now_leaves_out_what_is_reserved(db):
    place_order(db, SALES, "C-ACME", [LineRequest("WIDGET-BLUE", 30, "BJ")])

    assert by_warehouse(available_to_promise(db, SALES, "WIDGET-BLUE", 1))["BJ"]["available"] == 10


def test_inbound_transfers_and_expected_receipts_show_by_date(db):
    transfer = request_transfer(db, WAREHOUSE, "SH", "BJ", [("WIDGET-BLUE", 25)], IN_5_DAYS)
    ship_transfer(db, WAREHOUSE, transfer["transfer_id"])
    add_expected_receipt(db, WAREHOUSE, "BJ", "WIDGET-BLUE", 10, IN_2_DAYS, "PO-77")

    bj = by_warehouse(available_to_promise(db, SALES, "WIDGET-BLUE", 70))["BJ"]

    assert bj["inbound"] == [
        {"arrives_on": IN_2_DAYS, "quantity": 10, "source": "receipt PO-77"},
        {"arrives_on": IN_5_DAYS, "quantity": 25, "source": f"transfer {transfer['transfer_id']} from SH"},
    ]
    assert bj["earliest_date"] == IN_5_DAYS  # 40 now + 10 + 25 >= 70 only once the transfer is in


def test_a_transfer_not_yet_shipped_is_not_counted_as_inbound(db):
    request_transfer(db, WAREHOUSE, "SH", "BJ", [("WIDGET-BLUE", 25)], IN_5_DAYS)

    assert by_warehouse(available_to_promise(db, SALES, "WIDGET-BLUE", 50))["BJ"]["inbound"] == []


def test_what_has_arrived_of_an_expected_receipt_counts_as_available_not_inbound(db):
    receipt = add_expected_receipt(db, WAREHOUSE, "BJ", "WIDGET-BLUE", 10, IN_2_DAYS, "PO-78")
    receive_expected(db, WAREHOUSE, receipt["receipt_id"], 4)

    bj = by_warehouse(available_to_promise(db, SALES, "WIDGET-BLUE", 50))["BJ"]

    assert (bj["available"], bj["inbound_total"]) == (44, 6)
    assert bj["earliest_date"] == IN_2_DAYS


def test_the_automatic_choice_is_the_customers_region_when_it_can_serve(db):
    atp = available_to_promise(db, SALES, "WIDGET-BLUE", 30, "C-GLOBEX")  # Globex is in the North: BJ

    assert (atp["customer_region"], atp["automatic_choice"]) == ("North", "BJ")


def test_the_automatic_choice_falls_back_to_the_most_available(db):
    atp = available_to_promise(db, SALES, "WIDGET-BLUE", 41, "C-GLOBEX")

    assert atp["automatic_choice"] == "SH"
    assert "customer's region" in atp["automatic_rule"]


def test_a_quantity_no_warehouse_has_alone_gets_a_split_most_available_first(db):
    atp = available_to_promise(db, SALES, "WIDGET-BLUE", 130)

    assert atp["split"] == [{"warehouse": "SH", "quantity": 100}, {"warehouse": "BJ", "quantity": 30}]
    assert atp["short_after_split"] == 0


def test_no_split_is_suggested_when_one_warehouse_can_serve(db):
    assert available_to_promise(db, SALES, "WIDGET-BLUE", 100)["split"] == []


def test_atp_of_an_unknown_sku_is_refused(db):
    with pytest.raises(InvalidInput, match="Unknown SKU"):
        available_to_promise(db, SALES, "NO-SUCH", 1)


def test_the_earliest_promise_is_never_before_today_even_for_late_inbound():
    late = [Inbound(TODAY - timedelta(days=3), 5, "receipt overdue")]

    assert earliest_promise(2, late, 6, TODAY) == TODAY


def test_a_split_names_what_stays_short():
    assert split_now({"SH": 3, "BJ": 0, "GZ": 4}, 10) == ([("GZ", 4), ("SH", 3)], 3)
