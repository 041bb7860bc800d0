"""Delivering the outbox on a real database to real local peers: retries, dead letters, never twice."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from oms_ops.adapters.notify.senders import Transport
from oms_ops.domain.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from oms_ops.services import outbox
from oms_ops.services.actor import Actor
from oms_ops.services.outbox import Delivery, deliver_due
from oms_ops.store import outbox_queries as q
from oms_ops.store.database import Database
from tests.outbox.peers import http_peer, mail_sink

ADMIN = Actor("admin", ("admin",))
CANCELLED = {
    "order_number": "SO00000042",
    "customer_code": "C-ACME",
    "reason": "customer changed their mind",
    "units_cancelled": 10,
    "units_shipped": 0,
    "refund_due": "113.00",
}


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "oms.duckdb")
    database.migrate()
    yield database
    database.close()


def delivery(tmp_path: Path, max_attempts: int = 3, first_retry: float = 0.0, **transport: Any) -> Delivery:
    transport_ = Transport(tmp_path / "mail", "oms@shop.example", **transport)
    return Delivery(transport_, "{role}@shop.example", first_retry, max_attempts)


def enqueue(db: Database, topic: str, recipient: str | None, payload: dict[str, Any], channel: str = "email") -> int:
    with db.transaction() as cur:
        return q.enqueue(cur, topic, recipient, payload, datetime.now(UTC), channel)


def message(db: Database, message_id: int) -> dict[str, Any]:
    [found] = [m for m in outbox.list_messages(db, ADMIN) if m["id"] == message_id]
    return found


def test_a_cancellation_mail_reaches_the_customer_in_english_and_chinese(db, tmp_path):
    message_id = enqueue(db, "order_cancelled", "buy@acme.example", CANCELLED)
    with mail_sink() as sink:
        deliver_due(db, delivery(tmp_path, smtp_host="127.0.0.1", smtp_port=sink.port))
    [mail] = sink.mails
    assert mail["To"] == "buy@acme.example"
    assert mail["Subject"] == "Order SO00000042 cancelled / 订单 SO00000042 已取消"
    body = mail.get_content()
    assert "Refund due to you: 113.00" in body and "应退款金额：113.00" in body
    assert message(db, message_id)["status"] == "sent"


def test_a_failing_sms_gateway_is_retried_until_it_answers(db, tmp_path):
    message_id = enqueue(db, "order_cancelled", "+8613800000000", CANCELLED, channel="sms")
    with http_peer(500, 503) as gateway:
        deliver_due(db, delivery(tmp_path, sms_url=gateway.url))
    assert len(gateway.requests) == 3
    sent = message(db, message_id)
    assert (sent["status"], sent["attempts"], sent["last_error"]) == ("sent", 3, None)
    assert gateway.requests[-1][1]["to"] == ["+8613800000000"]


def test_after_a_failure_the_next_attempt_waits_for_the_backoff(db, tmp_path):
    message_id = enqueue(db, "stock_synced", None, {"sku": "BOLT-M8"}, channel="webhook")
    with http_peer(500) as hook:
        slow = delivery(tmp_path, first_retry=0.3, webhook_url=hook.url)
        deliver_due(db, slow)
        deliver_due(db, slow)
        assert len(hook.requests) == 1
        assert message(db, message_id)["status"] == "retrying"
        time.sleep(0.35)
        deliver_due(db, slow)
    assert len(hook.requests) == 2
    assert message(db, message_id)["status"] == "sent"


def test_a_message_is_a_dead_letter_after_the_last_attempt_fails(db, tmp_path):
    message_id = enqueue(db, "stock_synced", None, {"sku": "BOLT-M8"}, channel="webhook")
    with http_peer(*[500] * 10) as hook:
        deliver_due(db, delivery(tmp_path, max_attempts=3, webhook_url=hook.url))
        deliver_due(db, delivery(tmp_path, max_attempts=3, webhook_url=hook.url))
    assert len(hook.requests) == 3
    dead = message(db, message_id)
    assert (dead["status"], dead["attempts"]) == ("dead", 3)
    assert "500" in dead["last_error"]


def test_a_sent_message_is_not_sent_again(db, tmp_path):
    enqueue(db, "stock_synced", None, {"sku": "BOLT-M8"}, channel="webhook")
    with http_peer() as hook:
        deliver_due(db, delivery(tmp_path, webhook_url=hook.url))
        deliver_due(db, delivery(tmp_path, webhook_url=hook.url))
    assert len(hook.requests) == 1


def test_a_webhook_carries_the_payload_and_an_idempotency_key(db, tmp_path):
    message_id = enqueue(db, "stock_synced", None, {"sku": "BOLT-M8"}, channel="webhook")
    with http_peer() as hook:
        deliver_due(db, delivery(tmp_path, webhook_url=hook.url))
    [(headers, body)] = hook.requests
    assert headers["Idempotency-Key"] == f"oms-outbox-{message_id}"
    assert (body["topic"], body["payload"]) == ("stock_synced", {"sku": "BOLT-M8"})


def test_a_mail_without_an_address_is_a_dead_letter_at_once(db, tmp_path):
    message_id = enqueue(db, "order_cancelled", None, CANCELLED)
    deliver_due(db, delivery(tmp_path, max_attempts=5))
    dead = message(db, message_id)
    assert (dead["status"], dead["attempts"], dead["last_error"]) == ("dead", 1, "no email address to send to")


def test_a_role_message_goes_to_the_addresses_of_the_roles_users(db, tmp_path):
    with db.transaction() as cur:
        for name, roles in (("wang", ["warehouse"]), ("li", ["warehouse"]), ("zhao", ["sales"])):
            cur.execute("insert into users (username, password_hash, roles) values (?, 'x', ?)", [name, roles])
    for name in ("wang", "li", "zhao"):
        outbox.set_contact(db, ADMIN, name, f"{name}@shop.example", None)
    enqueue(db, "safety_stock_alert", "role:warehouse", {"sku": "BOLT-M8", "warehouse": "SH", "available": 3})
    with mail_sink() as sink:
        deliver_due(db, delivery(tmp_path, smtp_host="127.0.0.1", smtp_port=sink.port))
    [mail] = sink.mails
    assert mail["To"] == "li@shop.example, wang@shop.example"
    assert "BOLT-M8" in mail["Subject"] and "安全库存" in mail["Subject"]


def test_a_role_without_contacts_is_mailed_at_its_configured_address(db, tmp_path):
    enqueue(db, "safety_stock_alert", "role:warehouse", {"sku": "BOLT-M8", "warehouse": "SH"})
    with mail_sink() as sink:
        deliver_due(db, delivery(tmp_path, smtp_host="127.0.0.1", smtp_port=sink.port))
    assert [mail["To"] for mail in sink.mails] == ["warehouse@shop.example"]


def test_without_an_smtp_host_the_mail_is_written_into_the_mail_folder(db, tmp_path):
    message_id = enqueue(db, "order_cancelled", "buy@acme.example", CANCELLED)
    deliver_due(db, delivery(tmp_path))
    written = (tmp_path / "mail" / f"{message_id:08d}.eml").read_text()
    assert "To: buy@acme.example" in written


def test_a_dead_letter_retried_by_an_admin_is_sent_at_the_next_round(db, tmp_path):
    message_id = enqueue(db, "stock_synced", None, {"sku": "BOLT-M8"}, channel="webhook")
    with http_peer(500, 500) as hook:
        deliver_due(db, delivery(tmp_path, max_attempts=2, webhook_url=hook.url))
        assert outbox.retry_message(db, ADMIN, message_id)["status"] == "pending"
        deliver_due(db, delivery(tmp_path, max_attempts=2, webhook_url=hook.url))
    assert len(hook.requests) == 3
    assert message(db, message_id)["status"] == "sent"


def test_retrying_a_sent_message_is_refused(db, tmp_path):
    message_id = enqueue(db, "order_cancelled", "buy@acme.example", CANCELLED)
    deliver_due(db, delivery(tmp_path))
    with pytest.raises(InvalidTransition, match="would send it twice"):
        outbox.retry_message(db, ADMIN, message_id)


def test_only_admins_see_the_outbox(db):
    with pytest.raises(PermissionDenied):
        outbox.list_messages(db, Actor("sales", ("sales",)))


def test_a_contact_must_be_an_email_address(db):
    with db.transaction() as cur:
        cur.execute("insert into users (username, password_hash, roles) values ('wang', 'x', ['warehouse'])")
    with pytest.raises(InvalidInput, match="not an email address"):
        outbox.set_contact(db, ADMIN, "wang", "wang at shop", None)


def test_a_contact_of_an_unknown_user_is_refused(db):
    with pytest.raises(NotFound, match="There is no user ghost"):
        outbox.set_contact(db, ADMIN, "ghost", "ghost@shop.example", None)
