"""The payments ledger through HTTP: who may read it, its filters, and the refunds owed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest

from oms_ops.client import Forbidden, InvalidInput
from oms_ops.contracts import OrderOut
from tests.conftest import RunningServer, serving
from tests.pages.conftest import load_shop


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with serving(tmp_path_factory.mktemp("oms"), load_shop) as running:
        yield running


def paid_order(shop: RunningServer, method: str, customer: str = "C-ACME", paid_on: date | None = None) -> OrderOut:
    with shop.system_client() as system:
        order = system.place_order(customer, [{"sku": "PIN-STEEL", "quantity": 10, "warehouse": "SH"}])
        return system.record_payment(order.order_number, method, order.total, paid_on, f"ref-{method}")


def test_finance_lists_a_payment_with_its_order_and_customer(shop):
    order = paid_order(shop, "cheque")
    with shop.client_as("finance") as finance:
        [payment] = finance.payments(order_number=order.order_number)
    assert (payment.customer_code, payment.customer_name) == ("C-ACME", "Acme Trading Co.")
    assert (payment.method, payment.amount, payment.reference) == ("cheque", Decimal("9.04"), "ref-cheque")


def test_payments_are_filtered_by_method_customer_and_date(shop):
    alipay = paid_order(shop, "alipay", customer="C-GLOBEX")
    old = paid_order(shop, "alipay", customer="C-GLOBEX", paid_on=date.today() - timedelta(days=40))
    with shop.client_as("finance") as finance:
        recent = finance.payments(date_from=date.today() - timedelta(days=7), method="alipay", customer_code="C-GLOBEX")
    numbers = {p.order_number for p in recent}
    assert alipay.order_number in numbers and old.order_number not in numbers
    assert {(p.method, p.customer_code) for p in recent} == {("alipay", "C-GLOBEX")}


def test_an_unknown_payment_method_is_refused_naming_the_field(shop):
    with shop.client_as("finance") as finance, pytest.raises(InvalidInput) as refused:
        finance.payments(method="bitcoin")
    assert refused.value.field == "method"


def test_the_sales_clerk_may_not_read_the_payments_ledger(shop):
    with shop.client_as("sales") as sales, pytest.raises(Forbidden):
        sales.payments()


def test_a_paid_then_cancelled_order_is_listed_as_a_refund_due(shop):
    order = paid_order(shop, "card")
    with shop.system_client() as system:
        system.cancel_order(order.order_number, "out of budget")
    with shop.client_as("manager") as manager:
        due = [r for r in manager.refunds() if r.order_number == order.order_number]
    assert [(r.amount, r.status, r.reason, r.email) for r in due] == [
        (Decimal("9.04"), "due", "out of budget", "buy@acme.example")
    ]
