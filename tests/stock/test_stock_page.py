"""The Warehouse stock page against a real server: what it shows, and what its forms change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from streamlit.testing.v1 import AppTest

from tests.conftest import RunningServer
from tests.pages.conftest import page, signed_in, texts

NEXT_WEEK = datetime.now(UTC).date() + timedelta(days=7)


def opened(server: RunningServer, role: str) -> AppTest:
    return signed_in(page("stock"), server, role).run()


def on_hand(server: RunningServer, warehouse: str, sku: str) -> int:
    with server.system_client() as system:
        return sum(row.on_hand for row in system.stock(sku=sku, warehouse=warehouse))


def test_a_location_below_safety_stock_is_highlighted_with_its_suggested_reorder(shop):
    with shop.system_client() as system:
        system.set_stock_policy("SH", "GADGET-XL", 1000, 1500)

    at = opened(shop, "warehouse")

    assert not at.exception
    assert any("GADGET-XL in SH" in w.value and "Suggested reorder" in w.value for w in at.warning)


def test_an_adjustment_with_a_reason_code_changes_on_hand(shop):
    before = on_hand(shop, "BJ", "SPROCKET-7")
    at = opened(shop, "warehouse")
    at.selectbox(key="stock_adjust_warehouse").select("BJ")
    at.selectbox(key="stock_adjust_sku").select("SPROCKET-7")
    at.number_input(key="stock_adjust_change").set_value(-4)
    at.selectbox(key="stock_adjust_reason").select("damage")
    at.button(key="stock_adjust_submit").click().run()

    assert not at.exception
    assert [s.value for s in at.success] == ["Stock adjusted."]
    assert on_hand(shop, "BJ", "SPROCKET-7") == before - 4


def test_an_adjustment_below_reserved_is_refused_in_a_sentence(shop):
    at = opened(shop, "warehouse")
    at.selectbox(key="stock_adjust_warehouse").select("BJ")
    at.selectbox(key="stock_adjust_sku").select("GADGET-XL")  # BJ holds none
    at.number_input(key="stock_adjust_change").set_value(-1)
    at.button(key="stock_adjust_submit").click().run()

    assert "at most 0 can go" in at.error[0].value


def test_a_transfer_requested_on_the_page_can_be_shipped_and_received_there(shop):
    source, destination = on_hand(shop, "SH", "PIN-STEEL"), on_hand(shop, "BJ", "PIN-STEEL")
    at = opened(shop, "warehouse")
    at.selectbox(key="stock_transfer_from").select("SH")
    at.selectbox(key="stock_transfer_to").select("BJ")
    at.selectbox(key="stock_transfer_sku").select("PIN-STEEL")
    at.number_input(key="stock_transfer_qty").set_value(25)
    at.button(key="stock_transfer_submit").click().run()
    with shop.system_client() as system:
        [transfer] = [t for t in system.transfers(["requested"]) if t.lines[0].sku == "PIN-STEEL"]

    at.selectbox(key="stock_to_ship").select(transfer.transfer_id)
    at.button(key="stock_ship").click().run()
    assert "in transit" in texts(at)
    at.selectbox(key="stock_to_receive").select(transfer.transfer_id)
    at.button(key="stock_receive_all").click().run()

    assert not at.exception
    assert [s.value for s in at.success] == ["Transfer received."]
    assert (on_hand(shop, "SH", "PIN-STEEL"), on_hand(shop, "BJ", "PIN-STEEL")) == (source - 25, destination + 25)


def test_goods_expected_on_the_page_can_be_received_against(shop):
    at = opened(shop, "warehouse")
    at.selectbox(key="stock_expect_warehouse").select("SH")
    at.selectbox(key="stock_expect_sku").select("SPROCKET-7")
    at.number_input(key="stock_expect_qty").set_value(12)
    at.date_input(key="stock_expect_on").set_value(NEXT_WEEK)
    at.text_input(key="stock_expect_reference").input("PO-PAGE-1")
    at.button(key="stock_expect_submit").click().run()
    with shop.system_client() as system:
        [receipt] = [r for r in system.expected_receipts() if r.reference == "PO-PAGE-1"]
    before = on_hand(shop, "SH", "SPROCKET-7")

    at.selectbox(key="stock_receipt").select(receipt.receipt_id)
    at.button(key="stock_receive_expected").click().run()

    assert not at.exception
    assert on_hand(shop, "SH", "SPROCKET-7") == before + 12


def test_sales_sees_stock_but_no_forms(shop):
    at = opened(shop, "sales")

    assert not at.exception
    assert "Your role may look at stock here" in texts(at)
    assert not [b for b in at.button if b.key == "stock_adjust_submit"]


def test_finance_may_not_open_the_page(shop):
    at = opened(shop, "finance")

    assert "may not open this page" in at.warning[0].value


def test_the_demand_based_suggestion_from_the_marts_shows_beside_the_stock(shop):
    with shop.system_client() as system:
        system.put_reorder_suggestions(
            [{"warehouse": "BJ", "sku": "SPROCKET-7", "suggested_qty": 321}], datetime.now(UTC)
        )

    at = opened(shop, "warehouse")

    table = at.dataframe[0].value
    row = table[(table["Warehouse"] == "BJ") & (table["SKU"] == "SPROCKET-7")]
    assert list(row["Demand-based suggestion"]) == [321]
