"""Delivering the outbox: messages written in the same transaction as a business change go out afterwards.

A dispatcher thread in the server claims one due message at a time in a short transaction (counting
the attempt and leasing it), sends it with no lock held, and records the outcome in a second short
transaction: sent (never sent again), failed (due again after a doubling backoff), or dead (after
`outbox_max_attempts` attempts, or at once when there is no address; an admin can retry it).
A crash between sending and recording means the message is sent again once its lease runs out: delivery
is at least once, and every message carries its outbox id so a receiver can drop a repeat.

Recipients: an address as written (a customer's email, a phone number for SMS), or `role:<role>` for the
active users of a role, reached at their addresses in `user_contacts` (or at `settings.role_mail` when
none of them has one).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb

from oms_ops.adapters.notify.render import render
from oms_ops.adapters.notify.senders import Outgoing, Transport, Undeliverable
from oms_ops.domain import outbox as rules
from oms_ops.domain.errors import InvalidInput, InvalidTransition, NotFound
from oms_ops.domain.roles import Action, require
from oms_ops.services.actor import Actor
from oms_ops.settings import Settings
from oms_ops.store import outbox_queries as q
from oms_ops.store.database import Database

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=120)  # longer than one send can take (two 10 s timeouts and then some)
ROLE_PREFIX = "role:"


@dataclass(frozen=True)
class Delivery:
    """How messages go out, and how hard to try."""

    transport: Transport
    role_mail: str = "{role}@oms.local"
    first_retry_seconds: float = 30.0
    max_attempts: int = 6

    @classmethod
    def from_settings(cls, settings: Settings) -> Delivery:
        transport = Transport(
            mail_dir=settings.mail_dir,
            mail_from=settings.mail_from,
            smtp_host=settings.smtp_host,
            smtp_port=settings.smtp_port,
            sms_url=settings.sms_url,
            webhook_url=settings.webhook_url,
        )
        return cls(transport, settings.role_mail, settings.outbox_retry_seconds, settings.outbox_max_attempts)


def deliver_due(db: Database, delivery: Delivery, limit: int = 100, stopping: Callable[[], bool] = bool) -> int:
    """Try every message that is due, oldest first (at most `limit`); returns how many were tried."""
    tried = 0
    while tried < limit and not stopping():
        now = datetime.now(UTC)
        with db.transaction() as cur:
            claimed = q.claim_next(cur, now, now + LEASE)
            if claimed is None:
                break
            outgoing = _outgoing(cur, claimed, delivery.role_mail)
        tried += 1
        _deliver(db, delivery, outgoing, claimed["attempts"])
    return tried


def _deliver(db: Database, delivery: Delivery, outgoing: Outgoing, attempts: int) -> None:
    try:
        delivery.transport.send(outgoing)
    except Undeliverable as error:
        _record_failure(db, delivery, outgoing.message_id, attempts, str(error), give_up=True)
    except Exception as error:
        _record_failure(db, delivery, outgoing.message_id, attempts, f"{type(error).__name__}: {error}")
    else:
        with db.transaction() as cur:
            q.mark_sent(cur, outgoing.message_id, datetime.now(UTC))


def _record_failure(
    db: Database, delivery: Delivery, message_id: int, attempts: int, error: str, give_up: bool = False
) -> None:
    now = datetime.now(UTC)
    error = (error.splitlines() or [""])[0][:1000]
    log.warning("outbox message %s, attempt %s failed: %s", message_id, attempts, error)
    with db.transaction() as cur:
        if give_up or rules.gives_up(attempts, delivery.max_attempts):
            q.mark_dead(cur, message_id, error, now)
        else:
            q.mark_failed(cur, message_id, error, now + rules.backoff(attempts, delivery.first_retry_seconds))


def _outgoing(cur: duckdb.DuckDBPyConnection, row: dict[str, Any], role_mail: str) -> Outgoing:
    payload = _payload(row["payload"])
    channel = row["channel"] or "email"
    return Outgoing(
        message_id=row["id"],
        topic=row["topic"],
        channel=channel,
        addresses=_addresses(cur, row["recipient"], channel, role_mail),
        rendered=render(row["topic"], payload),
        payload=payload,
        created_at=row["created_at"],
    )


def _addresses(cur: duckdb.DuckDBPyConnection, recipient: str | None, channel: str, role_mail: str) -> list[str]:
    if not recipient or not recipient.strip():
        return []
    if not recipient.startswith(ROLE_PREFIX):
        return [recipient.strip()]
    role = recipient.removeprefix(ROLE_PREFIX)
    if channel == "sms":
        return q.role_contacts(cur, role, "phone")
    return q.role_contacts(cur, role, "email") or [role_mail.format(role=role)]


def _payload(raw: Any) -> dict[str, Any]:
    value = json.loads(raw) if isinstance(raw, str) else raw
    return dict(value) if isinstance(value, dict) else {"value": value}


# -- what admins see and do --------------------------------------------------------------------------


def list_messages(
    db: Database, actor: Actor, status: str | None = None, topic: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """The newest messages first, each with its delivery status."""
    require(actor.roles, Action.MANAGE_OUTBOX)
    if status is not None and status not in q.STATUS_FILTERS:
        raise InvalidInput(f"Status must be one of {', '.join(q.STATUS_FILTERS)}.", field="status")
    with db.reading() as cur:
        return [_view(row) for row in q.messages(cur, status, topic, limit)]


def retry_message(db: Database, actor: Actor, message_id: int) -> dict[str, Any]:
    """Send a dead (or waiting) message again at the next round, with a fresh count of attempts."""
    require(actor.roles, Action.MANAGE_OUTBOX)
    with db.transaction() as cur:
        row = q.message(cur, message_id)
        if row is None:
            raise NotFound(f"There is no outbox message {message_id}.", field="message_id")
        if row["sent_at"] is not None:
            raise InvalidTransition(
                f"Message {message_id} was sent at {row['sent_at']:%Y-%m-%d %H:%M} UTC; retrying it would send it"
                " twice."
            )
        q.revive(cur, message_id, datetime.now(UTC))
        found = q.message(cur, message_id)
        assert found is not None
        return _view(found)


def set_contact(db: Database, actor: Actor, username: str, email: str | None, phone: str | None) -> dict[str, Any]:
    """Where a user's role messages reach them (email, and a phone number for SMS); None clears one."""
    require(actor.roles, Action.MANAGE_USERS)
    email = (email or "").strip() or None
    phone = (phone or "").strip() or None
    if email is not None and ("@" not in email or any(c.isspace() for c in email)):
        raise InvalidInput(f"{email!r} is not an email address.", field="email")
    with db.transaction() as cur:
        if not q.user_exists(cur, username):
            raise NotFound(f"There is no user {username}.", field="username")
        q.set_contact(cur, username, email, phone, datetime.now(UTC))
    return {"username": username, "email": email, "phone": phone}


def _view(row: dict[str, Any]) -> dict[str, Any]:
    attempts = row["attempts"] or 0
    status = rules.status_of(row["sent_at"], row["dead_at"], attempts)
    return {**row, "payload": _payload(row["payload"]), "attempts": attempts, "status": status.value}


# -- the dispatcher thread -----------------------------------------------------------------------------


class Dispatcher:
    """Runs `deliver_due` every `poll_seconds` on the server's one Database until stopped."""

    def __init__(self, db: Database, delivery: Delivery, poll_seconds: float) -> None:
        self._db = db
        self._delivery = delivery
        self._poll_seconds = poll_seconds
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-dispatcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the message being sent (a send times out after 10 s), then stop."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                deliver_due(self._db, self._delivery, stopping=self._stopping.is_set)
            except Exception:
                log.exception("outbox delivery round failed; trying again in %s s", self._poll_seconds)
            self._stopping.wait(self._poll_seconds)
