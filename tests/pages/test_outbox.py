"""The Outbox page against the shared shop: admins see what went out and send a dead letter again."""

import time

import polars as pl

from oms_ops.contracts import OutboxMessageOut
from tests.conftest import RunningServer
from tests.pages.conftest import CUSTOMERS, page, signed_in, texts


def cancelled_order_of(server: RunningServer, customer: str) -> str:
    with server.client_as("sales") as sales:
        order = sales.place_order(customer, [{"sku": "PIN-STEEL", "quantity": 1, "warehouse": "SH"}])
        sales.cancel_order(order.order_number, "ordered twice")
    return order.order_number


def delivered(server: RunningServer, order_number: str, status: str) -> OutboxMessageOut:
    """The cancellation message of this order, once the server's dispatcher has dealt with it."""
    deadline = time.monotonic() + 15
    with server.system_client() as system:
        while time.monotonic() < deadline:
            for message in system.outbox(topic="order_cancelled"):
                if message.payload["order_number"] == order_number and message.status == status:
                    return message
            time.sleep(0.2)
    raise AssertionError(f"no {status} message for {order_number}")


def test_the_admin_sees_a_cancellation_mail_as_sent(shop: RunningServer) -> None:
    message = delivered(shop, cancelled_order_of(shop, "C-ACME"), "sent")

    at = signed_in(page("outbox"), shop, "admin").run()

    assert not at.exception
    table = at.dataframe[0].value
    [row] = table[table["Message"] == message.id].to_dict("records")
    assert (row["Topic"], row["To"], row["Status"], row["Attempts"]) == (
        "order_cancelled",
        "buy@acme.example",
        "Sent",
        1,
    )


def test_a_dead_letter_can_be_sent_again_from_the_page(shop: RunningServer) -> None:
    silent = CUSTOMERS.head(1).with_columns(
        pl.lit("C-SILENT").alias("customer_code"), pl.lit("Silent Ltd.").alias("name"), pl.lit(None).alias("email")
    )
    with shop.system_client() as system:
        system.bulk_load("customers", silent)
    dead = delivered(shop, cancelled_order_of(shop, "C-SILENT"), "dead")
    at = signed_in(page("outbox"), shop, "admin").run()

    at.selectbox(key="outbox_retry_pick").select(dead.id)
    at.button(key="outbox_retry").click().run()

    assert f"Message {dead.id} will be sent again in a moment." in texts(at)
    assert dead.last_error == "no email address to send to"


def test_the_sales_clerk_may_not_open_the_outbox(shop: RunningServer) -> None:
    at = signed_in(page("outbox"), shop, "sales").run()

    assert "may not open this page" in at.warning[0].value
