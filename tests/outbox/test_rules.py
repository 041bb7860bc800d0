"""Delivery rules and message texts, without I/O."""

from datetime import UTC, datetime, timedelta

from oms_ops.adapters.notify.render import render
from oms_ops.domain.outbox import backoff, gives_up, status_of


def test_the_wait_doubles_after_each_failure():
    assert [backoff(n, 30).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_the_wait_is_never_longer_than_an_hour():
    assert backoff(20, 30) == timedelta(hours=1)


def test_delivery_gives_up_at_the_last_allowed_attempt():
    assert (gives_up(5, 6), gives_up(6, 6)) == (False, True)


def test_a_sent_message_counts_as_sent_whatever_else_is_recorded():
    now = datetime.now(UTC)
    assert status_of(now, now, 3) == "sent"
    assert [status_of(None, now, 3), status_of(None, None, 2), status_of(None, None, 0)] == [
        "dead",
        "retrying",
        "pending",
    ]


def test_a_topic_without_a_template_is_sent_with_its_payload():
    rendered = render("price_changed", {"sku": "BOLT-M8", "price": "0.30"})
    assert rendered.subject == "OMS: price_changed"
    assert '"sku": "BOLT-M8"' in rendered.body


def test_a_reason_with_a_line_break_does_not_break_the_subject():
    rendered = render("safety_stock_alert", {"sku": "BOLT\nM8", "warehouse": "SH"})
    assert "\n" not in rendered.subject
