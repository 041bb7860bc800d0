"""Payments of loaded history orders through the bulk path: an empty amount settles the balance, once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import polars as pl
import pytest

from oms_ops.client import InvalidInput
from oms_ops.contracts import OrderOut
from oms_ops.demo import generate, load_demo
from tests.conftest import TEST_PASSWORD, RunningServer, serving
from tests.integration.shop import load_catalogue

HISTORY = pl.DataFrame(
    {
        "channel": ["manual", "manual", "manual", "manual"],
        "external_ref": ["PAY-1", "PAY-2", "PAY-3", "PAY-4"],
        "customer_code": ["C-ACME", "C-NORTH", "C-ACME", "C-ACME"],
        "ordered_at": [datetime(2025, 3, d, 2, tzinfo=UTC) for d in (3, 4, 5, 6)],
        "status": ["completed", "to_ship", "cancelled", "completed"],
        "sku": ["BOLT-M8", "BOLT-M8", "BOLT-M8", "LAMP-LED-9W"],
        "warehouse_code": ["SH", "SH", "SH", "SH"],
        "quantity": [100, 10, 5, 2],
    }
)


def payments(refs: list[str], amounts: list[str | None] | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "channel": ["manual"] * len(refs),
            "external_ref": refs,
            "method": ["bank_transfer"] * len(refs),
            "amount": amounts or [None] * len(refs),
            "paid_on": [date(2025, 3, 7)] * len(refs),
            "reference": [None] * len(refs),
        },
        schema_overrides={"amount": pl.String, "reference": pl.String},
    )


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    def load(server: RunningServer) -> None:
        load_catalogue(server)
        with server.system_client() as system:
            system.bulk_load("order_history", HISTORY)

    with serving(tmp_path_factory.mktemp("payments"), load) as running:
        yield running


def order(server: RunningServer, ref: str) -> OrderOut:
    with server.system_client() as system:
        orders = [system.get_order(o.order_number) for o in system.list_orders(page_size=100).items]
    [found] = [o for o in orders if o.external_ref == ref]
    return found


def test_a_payment_without_an_amount_settles_the_balance_and_loading_it_again_records_nothing(
    history: RunningServer,
):
    with history.system_client() as system:
        first = system.bulk_load("payments", payments(["PAY-1"]))
        again = system.bulk_load("payments", payments(["PAY-1"]))

    paid = order(history, "PAY-1")
    assert (first.rows, again.rows) == (1, 0)
    assert paid.balance_due == Decimal("0.00")
    assert [(p.method, p.amount) for p in paid.payments] == [("bank_transfer", paid.total)]
    assert paid.status == "completed"  # a history order keeps its final status


def test_a_payment_of_a_cancelled_order_refuses_the_whole_batch(history: RunningServer):
    with history.system_client() as system, pytest.raises(InvalidInput) as error:
        system.bulk_load("payments", payments(["PAY-2", "PAY-3"]))

    assert error.value.field == "external_ref"
    assert "cancelled" in error.value.message
    assert order(history, "PAY-2").payments == []


def test_paying_more_than_an_order_total_is_refused(history: RunningServer):
    total = order(history, "PAY-4").total
    with history.system_client() as system, pytest.raises(InvalidInput) as error:
        system.bulk_load("payments", payments(["PAY-4", "PAY-4"], [str(total), "0.01"]))

    assert error.value.field == "amount"
    assert order(history, "PAY-4").payments == []


def test_finished_demo_orders_owe_nothing_and_open_ones_on_terms_owe_their_total(server: RunningServer):
    data = generate(seed=5, scale=0.02, today=date(2026, 6, 15))
    with server.system_client() as system:
        counts = load_demo(system, data, TEST_PASSWORD)
        completed = [system.get_order(o.order_number) for o in system.list_orders(status="completed").items]
        to_ship = system.list_orders(status="to_ship", page_size=200).items
        owing = [system.get_order(o.order_number) for o in to_ship]

    assert counts["payments"] == data.payments.height
    assert completed and all(o.balance_due == 0 for o in completed)
    on_terms = [o for o in owing if not o.payments]
    assert on_terms and all(o.balance_due == o.total for o in on_terms)
