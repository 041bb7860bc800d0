"""Transfers: request, ship (stock leaves, in transit), receive part or all, cancel; the ledger keeps up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from oms_ops.domain.errors import InsufficientStock, InvalidInput, InvalidTransition, PermissionDenied
from oms_ops.services.orders import LineRequest, place_order
from oms_ops.services.transfers import (
    cancel_transfer,
    list_transfers,
    receive_transfer,
    request_transfer,
    ship_transfer,
)
from oms_ops.store.database import Database
from tests.stock.conftest import SALES, WAREHOUSE
from tests.stock.helpers import ledger, level

IN_THREE_DAYS = datetime.now(UTC).date() + timedelta(days=3)


def requested(db: Database, quantity: int = 30, sku: str = "WIDGET-BLUE") -> int:
    transfer = request_transfer(db, WAREHOUSE, "SH", "BJ", [(sku, quantity)], IN_THREE_DAYS, "rebalance")
    return int(transfer["transfer_id"])


def test_a_requested_transfer_moves_no_stock_yet(db):
    transfer_id = requested(db)

    assert list_transfers(db, WAREHOUSE, ["requested"])[0]["transfer_id"] == transfer_id
    assert level(db, "SH", "WIDGET-BLUE") == (100, 0)
    assert ledger(db, "transfer_out") == []


def test_shipping_a_transfer_takes_stock_out_of_the_source_and_shows_it_in_transit(db):
    transfer = ship_transfer(db, WAREHOUSE, requested(db))

    assert transfer["status"] == "in_transit"
    assert level(db, "SH", "WIDGET-BLUE") == (70, 0)
    assert level(db, "BJ", "WIDGET-BLUE") == (40, 0)
    assert [t["transfer_id"] for t in list_transfers(db, WAREHOUSE, ["in_transit"])] == [transfer["transfer_id"]]
    assert ledger(db, "transfer_out") == [("SH", "WIDGET-BLUE", -30, 0, f"transfer {transfer['transfer_id']} to BJ")]


def test_a_transfer_never_ships_stock_reserved_for_orders(db):
    place_order(db, SALES, "C-ACME", [LineRequest("WIDGET-BLUE", 80, "SH")])

    with pytest.raises(InsufficientStock, match="only 20 of SKU WIDGET-BLUE available in SH"):
        ship_transfer(db, WAREHOUSE, requested(db, 21))

    assert level(db, "SH", "WIDGET-BLUE") == (100, 80)


def test_receiving_part_of_a_transfer_leaves_the_rest_in_transit(db):
    transfer_id = requested(db)
    ship_transfer(db, WAREHOUSE, transfer_id)

    transfer = receive_transfer(db, WAREHOUSE, transfer_id, [("WIDGET-BLUE", 12)])

    assert transfer["status"] == "partially_received"
    assert transfer["lines"][0]["received"] == 12
    assert level(db, "BJ", "WIDGET-BLUE") == (52, 0)
    assert ledger(db, "transfer_in") == [("BJ", "WIDGET-BLUE", 12, 0, f"transfer {transfer_id} from SH")]


def test_receiving_the_rest_completes_the_transfer(db):
    transfer_id = requested(db)
    ship_transfer(db, WAREHOUSE, transfer_id)
    receive_transfer(db, WAREHOUSE, transfer_id, [("WIDGET-BLUE", 12)])

    transfer = receive_transfer(db, WAREHOUSE, transfer_id)

    assert transfer["status"] == "received"
    assert level(db, "BJ", "WIDGET-BLUE") == (70, 0)
    assert (level(db, "SH", "WIDGET-BLUE")[0] + level(db, "BJ", "WIDGET-BLUE")[0]) == 140


def test_receiving_more_than_is_on_its_way_is_refused(db):
    transfer_id = requested(db)
    ship_transfer(db, WAREHOUSE, transfer_id)

    with pytest.raises(InvalidInput, match="Only 30 of SKU WIDGET-BLUE are still on their way"):
        receive_transfer(db, WAREHOUSE, transfer_id, [("WIDGET-BLUE", 31)])


def test_a_transfer_not_yet_shipped_cannot_be_received(db):
    with pytest.raises(InvalidTransition, match=r"is requested; it cannot receive\. Next: ship it or cancel it"):
        receive_transfer(db, WAREHOUSE, requested(db))


def test_a_requested_transfer_can_be_cancelled_but_a_shipped_one_cannot(db):
    first, second = requested(db), requested(db, 5)
    ship_transfer(db, WAREHOUSE, second)

    assert cancel_transfer(db, WAREHOUSE, first)["status"] == "cancelled"
    with pytest.raises(InvalidTransition, match="is in transit; it cannot cancel"):
        cancel_transfer(db, WAREHOUSE, second)


def test_a_transfer_to_the_warehouse_it_comes_from_is_refused(db):
    with pytest.raises(InvalidInput, match="another warehouse") as refused:
        request_transfer(db, WAREHOUSE, "SH", "SH", [("WIDGET-BLUE", 1)], IN_THREE_DAYS)

    assert refused.value.field == "to_warehouse"


def test_a_transfer_expected_in_the_past_is_refused(db):
    yesterday = datetime.now(UTC).date() - timedelta(days=1)

    with pytest.raises(InvalidInput, match="in the past"):
        request_transfer(db, WAREHOUSE, "SH", "BJ", [("WIDGET-BLUE", 1)], yesterday)


def test_sales_may_not_move_stock_between_warehouses(db):
    with pytest.raises(PermissionDenied, match="transfer stock"):
        request_transfer(db, SALES, "SH", "BJ", [("WIDGET-BLUE", 1)], IN_THREE_DAYS)
