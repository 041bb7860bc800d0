"""The Orders page moves an opened order on: each role sees its own actions, and refusals read as sentences."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from oms_ops.contracts import OrderOut
from tests.conftest import RunningServer
from tests.fulfilment.test_api import as_user
from tests.integration.shop import stock_of
from tests.pages.conftest import page, signed_in, texts


def place(server: RunningServer, customer: str = "C-GLOBEX", quantity: int = 3) -> OrderOut:
    lines = [{"sku": "WIDGET-BLUE", "quantity": quantity, "warehouse": "SH"}]
    return as_user(server, "sales", "place_order", customer, lines)


def opened(server: RunningServer, username: str, order: OrderOut) -> AppTest:
    at = signed_in(page("orders"), server, username).run()
    at.text_input(key="orders_query").input(order.order_number)
    at.button(key="orders_apply").click().run()
    return at.selectbox(key="orders_open").select(order.order_number).run()


def buttons(at: AppTest) -> set[str]:
    return {str(b.key) for b in at.button if b.key and str(b.key).startswith("orders_") and b.key != "orders_apply"}


def test_the_warehouse_ships_what_is_left_and_sees_the_order_shipped(shop):
    order = place(shop, quantity=3)
    before = stock_of(shop)[("SH", "WIDGET-BLUE")]
    at = opened(shop, "warehouse", order)

    at.button(key="orders_ship_submit").click().run()

    assert not at.exception
    assert at.subheader[0].value == f"Order {order.order_number} · Shipped"
    assert f"Shipped 3 units of {order.order_number}; it is now Shipped." in [s.value for s in at.success]
    assert list(at.dataframe[1].value["Shipped"]) == ["3"]
    assert stock_of(shop)[("SH", "WIDGET-BLUE")] == (before[0] - 3, before[1] - 3)


def test_shipping_from_one_warehouse_says_how_many_units_are_still_to_ship(shop):
    lines = [
        {"sku": "WIDGET-BLUE", "quantity": 2, "warehouse": "SH"},
        {"sku": "WIDGET-BLUE", "quantity": 1, "warehouse": "BJ"},
    ]
    order = as_user(shop, "sales", "place_order", "C-GLOBEX", lines)
    at = opened(shop, "warehouse", order)

    at.selectbox(key="orders_ship_warehouse").select("SH")
    at.button(key="orders_ship_submit").click().run()

    assert not at.exception
    notice = f"Shipped 2 units of {order.order_number}; it is now Partially shipped, 1 still to ship."
    assert notice in [s.value for s in at.success]
    assert at.subheader[0].value == f"Order {order.order_number} · Partially shipped"


def test_sales_cancels_an_order_with_a_reason_that_lands_in_its_history(shop):
    order = place(shop, quantity=2)
    before = stock_of(shop)[("SH", "WIDGET-BLUE")]
    at = opened(shop, "sales", order)

    at.text_input(key="orders_cancel_reason").input("customer found it cheaper")
    at.button(key="orders_cancel_submit").click().run()

    assert not at.exception
    assert at.subheader[0].value == f"Order {order.order_number} · Cancelled"
    assert "by sales: customer found it cheaper" in at.markdown[-1].value
    assert stock_of(shop)[("SH", "WIDGET-BLUE")] == (before[0], before[1] - 2)


def test_cancelling_without_a_reason_is_refused_in_a_sentence(shop):
    order = place(shop)
    at = opened(shop, "manager", order)

    at.button(key="orders_cancel_submit").click().run()

    assert not at.exception
    assert [e.value for e in at.error] == ["Say why, in a few words."]
    assert at.subheader[0].value == f"Order {order.order_number} · To ship"


def test_finance_records_a_payment_that_settles_a_prepaid_order(shop):
    order = place(shop, customer="C-ACME", quantity=1)  # 11.30
    at = opened(shop, "finance", order)

    at.selectbox(key="orders_pay_method").select("alipay")
    at.text_input(key="orders_pay_amount").input("11.30")
    at.text_input(key="orders_pay_reference").input("ALI-2026-0042")
    at.button(key="orders_pay_submit").click().run()

    assert not at.exception
    assert at.subheader[0].value == f"Order {order.order_number} · To ship"
    assert list(at.dataframe[2].value["Method"]) == ["Alipay"]
    assert "Pending payment → Paid by finance" in at.markdown[-1].value


def test_each_role_is_offered_only_the_actions_it_may_take(shop):
    order = place(shop)
    assert buttons(opened(shop, "warehouse", order)) == {"orders_ship_submit"}
    assert buttons(opened(shop, "finance", order)) == {"orders_pay_submit"}
    sales = {"orders_cancel_submit", "orders_hold_submit", "orders_amend_submit"}
    assert buttons(opened(shop, "sales", order)) == sales
    assert buttons(opened(shop, "analyst", order)) == set()


def test_a_held_order_offers_release_instead_of_hold(shop):
    order = place(shop)
    as_user(shop, "sales", "hold_order", order.order_number, "checking the address")
    at = opened(shop, "sales", order)

    at.text_input(key="orders_hold_reason").input("address confirmed")
    at.button(key="orders_hold_submit").click().run()

    assert at.subheader[0].value == f"Order {order.order_number} · To ship"
    assert "Order " + order.order_number + " is released." in texts(at)
