"""The Orders page amends an opened order as a new version and shows its earlier versions."""

from __future__ import annotations

import re
from decimal import Decimal

from streamlit.testing.v1 import AppTest

from oms_ops.contracts import OrderOut
from tests.conftest import RunningServer
from tests.fulfilment.test_api import as_user
from tests.fulfilment.test_orders_page import opened
from tests.integration.shop import stock_of
from tests.pages.conftest import texts


def place(server: RunningServer, quantity: int = 20) -> OrderOut:
    lines = [{"sku": "PIN-STEEL", "quantity": quantity, "warehouse": "SH"}]
    return as_user(server, "sales", "place_order", "C-GLOBEX", lines)


def keys(at: AppTest) -> set[str]:
    return {str(w.key) for kind in ("text_input", "number_input") for w in getattr(at, kind) if w.key}


def amend(at: AppTest, order: OrderOut, quantity: int, reason: str = "customer called") -> AppTest:
    at.number_input(key=f"orders_amend_qty_{order.order_number}_1").set_value(quantity)
    at.text_input(key="orders_amend_reason").input(reason)
    return at.button(key="orders_amend_submit").click().run()


def test_sales_raises_a_quantity_and_adds_a_line_and_the_stock_follows(shop):
    order = place(shop)
    before = stock_of(shop)
    at = opened(shop, "sales", order)

    at.text_input(key="orders_amend_add_sku").input("sprocket-7")
    at.number_input(key="orders_amend_add_qty").set_value(5)
    at = amend(at, order, 30)

    assert not at.exception
    assert f"Order {order.order_number} is amended." in [s.value for s in at.success]
    assert list(at.dataframe[1].value["SKU"]) == ["PIN-STEEL", "SPROCKET-7"]
    assert "**Versions** · this is version 2" in texts(at)
    after = stock_of(shop)
    assert after[("SH", "PIN-STEEL")][1] == before[("SH", "PIN-STEEL")][1] + 10
    assert after[("BJ", "SPROCKET-7")][1] == before[("BJ", "SPROCKET-7")][1] + 5


def test_a_quantity_beyond_the_stock_is_refused_in_a_sentence(shop):
    order = place(shop)
    at = amend(opened(shop, "sales", order), order, 1_000_000)

    assert not at.exception
    [error] = [e.value for e in at.error]
    assert re.fullmatch(r"Not enough stock: only \d+ of SKU PIN-STEEL available in SH \(requested 1000000\)\.", error)
    assert as_user(shop, "sales", "get_order", order.order_number).version == 1


def test_an_amendment_without_a_reason_is_refused_in_a_sentence(shop):
    order = place(shop)
    at = amend(opened(shop, "sales", order), order, 25, reason="")

    assert [e.value for e in at.error] == ["Say why the order changes, in a few words."]


def test_sales_may_set_a_discount_but_only_a_manager_sees_the_price(shop):
    order = place(shop)
    sales, manager = opened(shop, "sales", order), opened(shop, "manager", order)
    price_key = f"orders_amend_price_{order.order_number}_1"
    discount_key = f"orders_amend_discount_{order.order_number}_1"

    assert (price_key in keys(sales), discount_key in keys(sales)) == (False, True)
    assert {price_key, discount_key} <= keys(manager)


def test_a_manager_changes_a_price_and_the_total_follows(shop):
    order = place(shop)  # 20 x 0.80 + 13 % = 18.08
    at = opened(shop, "manager", order)

    at.text_input(key=f"orders_amend_price_{order.order_number}_1").input("0.50")
    at.text_input(key="orders_amend_reason").input("price match")
    at.button(key="orders_amend_submit").click().run()

    assert not at.exception
    assert as_user(shop, "manager", "get_order", order.order_number).total == Decimal("11.30")


def test_an_earlier_version_opens_with_its_lines(shop):
    order = place(shop, quantity=12)
    at = amend(opened(shop, "sales", order), order, 15)

    at.selectbox(key=f"orders_version_{order.order_number}").select(1).run()

    assert not at.exception
    assert "Version 1 — " in texts(at) and "by sales: as placed" in texts(at)
    assert list(at.dataframe[-1].value["Quantity"]) == ["12"]


def test_the_warehouse_sees_no_amend_form(shop):
    order = place(shop)
    at = opened(shop, "warehouse", order)

    assert "orders_amend_submit" not in {str(b.key) for b in at.button}


def test_a_shipped_order_offers_no_amendment(shop):
    order = place(shop, quantity=1)
    as_user(shop, "warehouse", "ship_order", order.order_number)
    at = opened(shop, "sales", order)

    assert "orders_amend_submit" not in {str(b.key) for b in at.button}
