"""Rules of outbox delivery, without I/O: when to try again, when to give up, what to call a message's state."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

CHANNELS = ("email", "sms", "webhook")
MAX_BACKOFF = timedelta(hours=1)


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # not tried yet
    RETRYING = "retrying"  # tried, failed, will be tried again
    SENT = "sent"
    DEAD = "dead"  # given up on after too many attempts, or undeliverable; an admin may retry it


def status_of(sent_at: datetime | None, dead_at: datetime | None, attempts: int) -> DeliveryStatus:
    if sent_at is not None:
        return DeliveryStatus.SENT
    if dead_at is not None:
        return DeliveryStatus.DEAD
    return DeliveryStatus.RETRYING if attempts else DeliveryStatus.PENDING


def backoff(attempts: int, first_retry_seconds: float) -> timedelta:
    """Wait after the n-th failed attempt: the first retry delay, doubling each time, at most an hour."""
    seconds = first_retry_seconds * 2 ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def gives_up(attempts: int, max_attempts: int) -> bool:
    return attempts >= max_attempts
