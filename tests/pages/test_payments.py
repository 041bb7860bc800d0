"""The Payments page against the shared shop: what finance sees, filters, records, and the refunds owed."""

from decimal import Decimal

from streamlit.testing.v1 import AppTest

from oms_ops.contracts import OrderOut
from tests.conftest import RunningServer
from tests.pages.conftest import page, signed_in, texts


def place(server: RunningServer, quantity: int = 10) -> OrderOut:
    with server.client_as("sales") as sales:
        return sales.place_order("C-ACME", [{"sku": "PIN-STEEL", "quantity": quantity, "warehouse": "SH"}])


def pay(server: RunningServer, order: OrderOut, method: str, amount: Decimal | None = None) -> None:
    with server.client_as("finance") as finance:
        finance.record_payment(order.order_number, method, amount or order.total, reference=f"ref-{method}")


def payments_listed(at: AppTest) -> list[tuple[str, str]]:
    """(order, method) of each payment in the payments table (the second table, after the totals)."""
    table = at.dataframe[1].value
    return list(zip(table["Order"], table["Method"], strict=True))


def test_finance_sees_a_payment_and_the_total_received_by_its_method(shop: RunningServer) -> None:
    order = place(shop)
    pay(shop, order, "wechat_pay")

    at = signed_in(page("payments"), shop, "finance").run()

    assert not at.exception
    assert (order.order_number, "WeChat Pay") in payments_listed(at)
    totals = at.dataframe[0].value
    assert "WeChat Pay" in list(totals["Method"]) and list(totals["Method"])[-1] == "All methods"


def test_filtering_by_method_shows_only_that_methods_payments(shop: RunningServer) -> None:
    by_cash, by_card = place(shop), place(shop)
    pay(shop, by_cash, "cash")
    pay(shop, by_card, "card")
    at = signed_in(page("payments"), shop, "finance").run()

    at.selectbox(key="payments_method").select("cash")
    at.button(key="payments_show").click().run()

    assert not at.exception
    listed = payments_listed(at)
    assert (by_cash.order_number, "Cash") in listed
    assert {method for _, method in listed} == {"Cash"}


def test_filtering_by_order_shows_its_partial_payments(shop: RunningServer) -> None:
    order = place(shop, quantity=100)  # 100 x 0.80 + 13 % = 90.40
    pay(shop, order, "alipay", Decimal("40.00"))
    pay(shop, order, "bank_transfer", Decimal("50.40"))
    at = signed_in(page("payments"), shop, "manager").run()

    at.text_input(key="payments_order").input(order.order_number.lower())
    at.button(key="payments_show").click().run()

    assert sorted(payments_listed(at)) == [(order.order_number, "Alipay"), (order.order_number, "Bank transfer")]
    assert list(at.dataframe[0].value["Received"])[-1] == "CN¥90.40"


def test_recording_a_payment_settles_the_order_and_says_so(shop: RunningServer) -> None:
    order = place(shop)  # 10 x 0.80 + 13 % = 9.04
    at = signed_in(page("payments"), shop, "finance").run()

    at.text_input(key="payments_pay_order").input(order.order_number)
    at.selectbox(key="payments_pay_method").select("alipay")
    at.text_input(key="payments_pay_amount").input("9.04")
    at.button(key="payments_pay_submit").click().run()

    assert not at.exception
    assert f"Payment of 9.04 recorded on {order.order_number}: it is now To ship, CN¥0.00 still due." in texts(at)
    assert (order.order_number, "Alipay") in payments_listed(at)
    with shop.client_as("finance") as finance:
        assert finance.get_order(order.order_number).status == "to_ship"


def test_an_amount_that_is_not_a_number_is_refused_in_words(shop: RunningServer) -> None:
    order = place(shop)
    at = signed_in(page("payments"), shop, "finance").run()

    at.text_input(key="payments_pay_order").input(order.order_number)
    at.text_input(key="payments_pay_amount").input("nine")
    at.button(key="payments_pay_submit").click().run()

    assert "Enter the amount as a number, such as 1250.00." in texts(at)


def test_an_overpayment_is_refused_with_the_servers_sentence(shop: RunningServer) -> None:
    order = place(shop)
    at = signed_in(page("payments"), shop, "finance").run()

    at.text_input(key="payments_pay_order").input(order.order_number)
    at.text_input(key="payments_pay_amount").input("1000")
    at.button(key="payments_pay_submit").click().run()

    assert [e.value for e in at.error] == ["Only 9.04 is outstanding on this order; 1000 is more."]
    with shop.client_as("finance") as finance:
        assert finance.get_order(order.order_number).payments == []


def test_a_paid_order_that_is_cancelled_shows_under_refunds_due(shop: RunningServer) -> None:
    order = place(shop)
    pay(shop, order, "card")
    with shop.client_as("sales") as sales:
        sales.cancel_order(order.order_number, "customer changed their mind")

    at = signed_in(page("payments"), shop, "finance").run()

    refunds = at.dataframe[-1].value
    [row] = refunds[refunds["Order"] == order.order_number].to_dict("records")
    assert (row["Amount"], row["Reason"], row["Contact"]) == (
        "CN¥9.04",
        "customer changed their mind",
        "buy@acme.example",
    )


def test_a_manager_sees_payments_but_no_form_to_record_one(shop: RunningServer) -> None:
    at = signed_in(page("payments"), shop, "manager").run()

    assert not at.exception
    assert "payments_pay_submit" not in [b.key for b in at.button]


def test_the_sales_clerk_may_not_open_the_payments_page(shop: RunningServer) -> None:
    at = signed_in(page("payments"), shop, "sales").run()

    assert "may not open this page" in at.warning[0].value
