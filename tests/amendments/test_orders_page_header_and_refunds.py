"""The Amend section of the Orders page: delivery date, customer PO and note, a line's warehouse, and the
refund due after lowering a paid order."""

from __future__ import annotations

from datetime import date, timedelta

from oms_ops.contracts import OrderOut
from tests.amendments.test_orders_page import place
from tests.fulfilment.test_api import as_user
from tests.fulfilment.test_orders_page import opened
from tests.integration.shop import stock_of
from tests.pages.conftest import texts

NEXT_WEEK = date.today() + timedelta(days=7)


def submit(at, reason: str = "customer called"):
    at.text_input(key="orders_amend_reason").input(reason)
    return at.button(key="orders_amend_submit").click().run()


def test_sales_sets_a_delivery_date_and_a_po_reference_and_the_order_shows_them_without_moving_stock(shop):
    order = place(shop)
    before = stock_of(shop)[("SH", "PIN-STEEL")]
    at = opened(shop, "sales", order)

    at.date_input(key=f"orders_amend_delivery_{order.order_number}").set_value(NEXT_WEEK)
    at.text_input(key=f"orders_amend_po_{order.order_number}").input("PO-2026-118")
    at = submit(at, "customer sent a PO")

    assert not at.exception
    assert f"Requested delivery {NEXT_WEEK.isoformat()} · customer PO PO-2026-118" in texts(at)
    again = as_user(shop, "sales", "get_order", order.order_number)
    assert (again.version, again.customer_po, again.requested_delivery_date) == (2, "PO-2026-118", NEXT_WEEK)
    assert stock_of(shop)[("SH", "PIN-STEEL")] == before


def test_sales_clears_a_delivery_date_the_customer_no_longer_asks_for(shop):
    order = place(shop)
    as_user(shop, "sales", "amend_order", order.order_number, None, "date agreed", requested_delivery_date=NEXT_WEEK)
    at = opened(shop, "sales", order)

    at.checkbox(key=f"orders_amend_clear_delivery_{order.order_number}").check()
    at = submit(at, "no fixed date")

    assert not at.exception
    assert f"Requested delivery {NEXT_WEEK.isoformat()}" not in " ".join(texts(at))
    again = as_user(shop, "sales", "get_order", order.order_number)
    assert (again.version, again.requested_delivery_date) == (3, None)


def test_an_order_without_a_delivery_date_offers_nothing_to_clear(shop):
    order = place(shop)
    at = opened(shop, "sales", order)

    assert f"orders_amend_clear_delivery_{order.order_number}" not in {str(box.key) for box in at.checkbox}


def test_sales_moves_a_line_to_another_warehouse_and_the_reservation_follows(shop):
    order: OrderOut = as_user(shop, "sales", "place_order", "C-GLOBEX",
                              [{"sku": "WIDGET-BLUE", "quantity": 1, "warehouse": "SH"}])  # fmt: skip
    before = stock_of(shop)
    at = opened(shop, "sales", order)

    at.selectbox(key=f"orders_amend_warehouse_{order.order_number}_1").select("BJ")
    at = submit(at, "ship from Beijing")

    assert not at.exception
    after = stock_of(shop)
    assert after[("SH", "WIDGET-BLUE")][1] == before[("SH", "WIDGET-BLUE")][1] - 1
    assert after[("BJ", "WIDGET-BLUE")][1] == before[("BJ", "WIDGET-BLUE")][1] + 1


def test_lowering_a_paid_order_shows_the_refund_due_and_why_in_the_history(shop):
    order: OrderOut = as_user(shop, "sales", "place_order", "C-ACME",
                              [{"sku": "PIN-STEEL", "quantity": 20, "warehouse": "SH"}])  # fmt: skip  # 18.08 prepaid
    as_user(shop, "finance", "record_payment", order.order_number, "cash", "18.08")
    at = opened(shop, "sales", order)

    at.number_input(key=f"orders_amend_qty_{order.order_number}_1").set_value(10)
    at = submit(at, "half of it")

    assert not at.exception
    assert [w.value for w in at.warning if "Refund due" in w.value] == ["Refund due to the customer: CN¥9.04."]
    assert "refund due 9.04 (18.08 paid, new total 9.04)" in texts(at)
