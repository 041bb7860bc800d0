"""The stock operations through the HTTP API of a real server: status codes, sentences, and the books."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from oms_ops.client import Conflict, Forbidden, InvalidInput
from oms_ops.contracts import OrderLineIn
from tests.conftest import RunningServer
from tests.integration.shop import assert_stock_invariants, lake

TODAY = datetime.now(UTC).date()
NEXT_WEEK = TODAY + timedelta(days=7)


def on_hand(server: RunningServer, warehouse: str, sku: str) -> int:
    with server.system_client() as system:
        return sum(row.on_hand for row in system.stock(sku=sku, warehouse=warehouse))


def test_a_transfer_goes_from_request_to_in_transit_to_received_through_the_api(stock_server, clerk):
    before = on_hand(stock_server, "BJ", "SPROCKET-7"), on_hand(stock_server, "SH", "SPROCKET-7")
    transfer = clerk.request_transfer("BJ", "SH", {"SPROCKET-7": 20}, NEXT_WEEK, "for the east")
    assert clerk.ship_transfer(transfer.transfer_id).status == "in_transit"
    assert transfer.transfer_id in [t.transfer_id for t in clerk.transfers(["in_transit"])]
    assert clerk.receive_transfer(transfer.transfer_id, {"SPROCKET-7": 5}).status == "partially_received"
    done = clerk.receive_transfer(transfer.transfer_id)

    assert (done.status, done.lines[0].received) == ("received", 20)
    after = on_hand(stock_server, "BJ", "SPROCKET-7"), on_hand(stock_server, "SH", "SPROCKET-7")
    assert after == (before[0] - 20, before[1] + 20)
    assert_stock_invariants(lake(stock_server))


def test_shipping_a_transfer_beyond_what_is_available_answers_409_naming_the_shortage(clerk):
    transfer = clerk.request_transfer("SH", "BJ", {"GADGET-XL": 1000}, NEXT_WEEK)
    with pytest.raises(Conflict) as refused:
        clerk.ship_transfer(transfer.transfer_id)

    assert refused.value.short
    assert refused.value.short[0].sku == "GADGET-XL"


def test_an_adjustment_below_reserved_answers_409_with_a_sentence(stock_server, clerk, sales):
    sales.place_order("C-ACME", [OrderLineIn(sku="GADGET-XL", quantity=1, warehouse="SH")])
    available = next(r.available for r in stock_server.system_client().stock(sku="GADGET-XL", warehouse="SH"))
    with pytest.raises(Conflict) as refused:
        clerk.adjust_stock("SH", "GADGET-XL", -(available + 1), "count", "cycle count")

    assert "reserved for orders" in refused.value.message


def test_an_unknown_reason_code_answers_422_naming_the_field(clerk):
    with pytest.raises(InvalidInput) as refused:
        clerk.adjust_stock("SH", "PIN-STEEL", 1, "gift")

    assert refused.value.field == "reason"


def test_an_adjustment_answers_the_new_position(stock_server, clerk):
    before = on_hand(stock_server, "SH", "PIN-STEEL")
    position = clerk.adjust_stock("SH", "PIN-STEEL", -2, "loss")

    assert position.on_hand == before - 2


@pytest.mark.parametrize(
    "attempt",
    [
        lambda c: c.adjust_stock("SH", "PIN-STEEL", -1, "loss"),
        lambda c: c.set_stock_policy("SH", "PIN-STEEL", 5, 10),
        lambda c: c.request_transfer("SH", "BJ", {"PIN-STEEL": 1}, NEXT_WEEK),
        lambda c: c.add_expected_receipt("SH", "PIN-STEEL", 5, NEXT_WEEK),
    ],
    ids=["adjust", "policy", "transfer", "expected receipt"],
)
def test_sales_may_read_stock_but_not_change_it(sales, attempt):
    assert sales.stock_positions(sku="PIN-STEEL")
    with pytest.raises(Forbidden):
        attempt(sales)


def test_a_safety_stock_crossing_shows_as_an_open_alert_with_its_suggestion(clerk):
    position = clerk.set_stock_policy("BJ", "GADGET-XL", 5, 12)  # BJ holds no gadgets
    alerts = [a for a in clerk.stock_alerts(warehouse="BJ") if a.sku == "GADGET-XL"]

    assert position.alert_id == alerts[0].alert_id
    assert (alerts[0].available_at_open, alerts[0].suggested_reorder) == (0, 12)


def test_expected_receipts_can_be_added_moved_received_in_part_and_cancelled(clerk):
    receipt = clerk.add_expected_receipt("BJ", "PIN-STEEL", 50, NEXT_WEEK, "PO-API-1")
    moved = clerk.change_expected_receipt(receipt.receipt_id, expected_on=NEXT_WEEK + timedelta(days=1))
    part = clerk.receive_expected(receipt.receipt_id, 20)
    cancelled = clerk.cancel_expected_receipt(receipt.receipt_id)
    still_open = [r.receipt_id for r in clerk.expected_receipts()]

    assert moved.expected_on == NEXT_WEEK + timedelta(days=1)
    assert (part.received, part.outstanding, part.status) == (20, 30, "open")
    assert cancelled.status == "cancelled"
    assert receipt.receipt_id not in still_open


def test_atp_through_the_api_shows_inbound_and_the_earliest_date(clerk, sales):
    arrives = TODAY + timedelta(days=4)
    clerk.add_expected_receipt("BJ", "WIDGET-BLUE", 1000, arrives, "PO-API-2")
    atp = sales.available_to_promise("WIDGET-BLUE", 1000, customer_code="C-GLOBEX")

    bj = next(row for row in atp.warehouses if row.warehouse == "BJ")
    assert ("receipt PO-API-2", arrives) in [(i.source, i.arrives_on) for i in bj.inbound]
    assert bj.earliest_date == arrives
    assert atp.split  # nobody has 1000 today


def test_the_stock_operations_are_in_the_openapi_schema(stock_server):
    paths = httpx.get(f"{stock_server.base_url}/openapi.json").json()["paths"]

    for path in ("/api/v1/stock/atp", "/api/v1/stock/transfers/{transfer_id}/receive", "/api/v1/stock/adjustments"):
        assert path in paths
