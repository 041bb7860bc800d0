"""The outbox through a real server: its dispatcher mails a cancelled order's customer via a real SMTP server."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from oms_ops.client import Conflict, Forbidden
from tests.conftest import RunningServer, serving, start_server
from tests.outbox.peers import MailSink, mail_sink
from tests.pages.conftest import load_shop


@pytest.fixture(scope="module")
def sink() -> Iterator[MailSink]:
    with mail_sink() as running:
        yield running


@pytest.fixture(scope="module")
def mailing_server(sink: MailSink, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with pytest.MonkeyPatch.context() as env:
        point_server_at(env, sink)
        with serving(tmp_path_factory.mktemp("oms"), load_shop) as running:
            yield running


def point_server_at(env: pytest.MonkeyPatch, sink: MailSink) -> None:
    env.setenv("OMS_SMTP_HOST", "127.0.0.1")
    env.setenv("OMS_SMTP_PORT", str(sink.port))
    env.setenv("OMS_MAIL_FROM", "orders@shop.example")
    env.setenv("OMS_OUTBOX_POLL_SECONDS", "0.1")
    env.setenv("OMS_OUTBOX_RETRY_SECONDS", "0.2")


def cancel_an_order(server: RunningServer, reason: str = "customer changed their mind") -> str:
    with server.client_as("sales") as sales:
        order = sales.place_order("C-ACME", [{"sku": "PIN-STEEL", "quantity": 5, "warehouse": "SH"}])
        sales.cancel_order(order.order_number, reason)
    return order.order_number


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def mails_about(sink: MailSink, order_number: str) -> list[str]:
    return [str(mail["Subject"]) for mail in sink.mails if order_number in str(mail["Subject"])]


def test_a_cancelled_orders_customer_gets_a_mail_saying_so(mailing_server, sink):
    order_number = cancel_an_order(mailing_server, "wrong colour ordered")
    wait_for(lambda: bool(mails_about(sink, order_number)))
    [mail] = [m for m in sink.mails if order_number in str(m["Subject"])]
    assert (mail["From"], mail["To"]) == ("orders@shop.example", "buy@acme.example")
    assert mail["Subject"] == f"Order {order_number} cancelled / 订单 {order_number} 已取消"
    assert "Reason: wrong colour ordered" in mail.get_content()


def test_the_admin_sees_the_cancellation_mail_as_sent(mailing_server, sink):
    order_number = cancel_an_order(mailing_server)
    wait_for(lambda: bool(mails_about(sink, order_number)))
    with mailing_server.client_as("admin") as admin:
        wait_for(lambda: admin.outbox(status="sent", limit=1)[0].payload["order_number"] == order_number)
        [message] = [m for m in admin.outbox(topic="order_cancelled") if m.payload["order_number"] == order_number]
    assert (message.status, message.attempts, message.channel) == ("sent", 1, "email")


def test_a_mail_the_smtp_server_refuses_at_first_is_retried_and_arrives_once(mailing_server, sink):
    sink.refuse = sink.refused + 2
    order_number = cancel_an_order(mailing_server)
    wait_for(lambda: bool(mails_about(sink, order_number)))
    time.sleep(0.5)
    assert len(mails_about(sink, order_number)) == 1
    with mailing_server.client_as("admin") as admin:
        [message] = [m for m in admin.outbox(topic="order_cancelled") if m.payload["order_number"] == order_number]
    assert (message.status, message.attempts) == ("sent", 3)


def test_retrying_a_sent_message_over_http_is_a_conflict(mailing_server, sink):
    order_number = cancel_an_order(mailing_server)
    wait_for(lambda: bool(mails_about(sink, order_number)))
    with mailing_server.client_as("admin") as admin:
        wait_for(lambda: admin.outbox(status="sent")[0].payload.get("order_number") == order_number)
        sent = admin.outbox(status="sent")[0]
        with pytest.raises(Conflict, match="twice"):
            admin.retry_outbox_message(sent.id)


def test_only_admins_may_list_the_outbox(mailing_server):
    with mailing_server.client_as("sales") as sales, pytest.raises(Forbidden):
        sales.outbox()


def test_an_admin_sets_where_a_users_role_messages_reach_them(mailing_server):
    with mailing_server.client_as("admin") as admin:
        contact = admin.set_contact("warehouse", email="wang@shop.example", phone="+8613800000000")
    assert (contact.username, contact.email, contact.phone) == ("warehouse", "wang@shop.example", "+8613800000000")


def test_the_sales_clerk_may_not_set_contacts(mailing_server):
    with mailing_server.client_as("sales") as sales, pytest.raises(Forbidden):
        sales.set_contact("sales", email="me@shop.example")


def test_a_restarted_server_does_not_send_a_sent_mail_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with mail_sink() as sink:
        point_server_at(monkeypatch, sink)
        first = start_server(tmp_path)
        try:
            load_shop(first)
            with first.system_client() as system:
                order = system.place_order("C-ACME", [{"sku": "PIN-STEEL", "quantity": 5, "warehouse": "SH"}])
                system.cancel_order(order.order_number, "duplicate order")
                wait_for(lambda: [m.status for m in system.outbox()] == ["sent"])
        finally:
            first.stop()
        second = start_server(tmp_path)
        try:
            time.sleep(1.0)  # ten rounds of the dispatcher
            with second.system_client() as system:
                assert [m.status for m in system.outbox()] == ["sent"]
        finally:
            second.stop()
    assert len(mails_about(sink, order.order_number)) == 1
