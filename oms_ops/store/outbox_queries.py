"""The SQL of outbox delivery, parameterised, on a cursor inside the caller's transaction."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import duckdb

from oms_ops.store.database import rows_as_dicts

COLUMNS = (
    "id, topic, channel, recipient, payload, attempts, last_error, created_at, sent_at,"
    " next_attempt_at, last_attempt_at, dead_at"
)
DUE = "sent_at is null and dead_at is null and (next_attempt_at is null or next_attempt_at <= ?)"
STATUS_FILTERS = {
    "sent": "sent_at is not null",
    "dead": "sent_at is null and dead_at is not null",
    "pending": "sent_at is null and dead_at is null and coalesce(attempts, 0) = 0",
    "retrying": "sent_at is null and dead_at is null and attempts > 0",
}


def enqueue(
    cur: duckdb.DuckDBPyConnection,
    topic: str,
    recipient: str | None,
    payload: dict[str, Any],
    now: datetime,
    channel: str = "email",
) -> int:
    """A message to deliver after the caller's transaction commits; call it inside that transaction."""
    row = cur.execute(
        "insert into outbox (topic, recipient, payload, created_at, channel) values (?, ?, ?, ?, ?) returning id",
        [topic, recipient, json.dumps(payload, default=str), now, channel],
    ).fetchone()
    assert row is not None
    return int(row[0])


def claim_next(cur: duckdb.DuckDBPyConnection, now: datetime, lease_until: datetime) -> dict[str, Any] | None:
    """The oldest due message, with its attempt counted and hidden from the next claim until lease_until."""
    cur.execute(f"select {COLUMNS} from outbox where {DUE} order by id limit 1", [now])
    found = rows_as_dicts(cur)
    if not found:
        return None
    message = found[0]
    cur.execute(
        "update outbox set attempts = coalesce(attempts, 0) + 1, last_attempt_at = ?, next_attempt_at = ? where id = ?",
        [now, lease_until, message["id"]],
    )
    message["attempts"] = (message["attempts"] or 0) + 1
    return message


def mark_sent(cur: duckdb.DuckDBPyConnection, message_id: int, now: datetime) -> None:
    cur.execute(
        "update outbox set sent_at = ?, last_error = null, next_attempt_at = null where id = ? and sent_at is null",
        [now, message_id],
    )


def mark_failed(cur: duckdb.DuckDBPyConnection, message_id: int, error: str, next_attempt_at: datetime) -> None:
    cur.execute(
        "update outbox set last_error = ?, next_attempt_at = ? where id = ? and sent_at is null",
        [error, next_attempt_at, message_id],
    )


def mark_dead(cur: duckdb.DuckDBPyConnection, message_id: int, error: str, now: datetime) -> None:
    cur.execute(
        "update outbox set last_error = ?, dead_at = ?, next_attempt_at = null where id = ? and sent_at is null",
        [error, now, message_id],
    )


def revive(cur: duckdb.DuckDBPyConnection, message_id: int, now: datetime) -> None:
    """Due again at once, with a fresh count of attempts (the last error stays until it is sent)."""
    cur.execute(
        "update outbox set dead_at = null, attempts = 0, next_attempt_at = ? where id = ? and sent_at is null",
        [now, message_id],
    )


def message(cur: duckdb.DuckDBPyConnection, message_id: int) -> dict[str, Any] | None:
    cur.execute(f"select {COLUMNS} from outbox where id = ?", [message_id])
    found = rows_as_dicts(cur)
    return found[0] if found else None


def messages(cur: duckdb.DuckDBPyConnection, status: str | None, topic: str | None, limit: int) -> list[dict[str, Any]]:
    where, params = ["true"], []
    if status is not None:
        where.append(STATUS_FILTERS[status])
    if topic is not None:
        where.append("topic = ?")
        params.append(topic)
    cur.execute(f"select {COLUMNS} from outbox where {' and '.join(where)} order by id desc limit ?", [*params, limit])
    return rows_as_dicts(cur)


def role_contacts(cur: duckdb.DuckDBPyConnection, role: str, column: str) -> list[str]:
    """The email addresses (column='email') or phone numbers (column='phone') of a role's active users."""
    assert column in ("email", "phone")
    rows = cur.execute(
        f"select c.{column} from users u join user_contacts c using (username)"
        f" where u.is_active and list_contains(u.roles, ?) and c.{column} is not null order by u.username",
        [role],
    ).fetchall()
    return [str(row[0]) for row in rows]


def user_exists(cur: duckdb.DuckDBPyConnection, username: str) -> bool:
    return cur.execute("select 1 from users where username = ?", [username]).fetchone() is not None


def set_contact(
    cur: duckdb.DuckDBPyConnection, username: str, email: str | None, phone: str | None, now: datetime
) -> None:
    cur.execute(
        "insert into user_contacts (username, email, phone, updated_at) values (?, ?, ?, ?)"
        " on conflict (username) do update set email = excluded.email, phone = excluded.phone,"
        " updated_at = excluded.updated_at",
        [username, email, phone, now],
    )
