"""Sign in, sign out, who is calling, and user accounts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from oms_ops.domain.errors import AlreadyExists, InvalidInput, NotAuthenticated
from oms_ops.domain.roles import HUMAN_ROLES, Action, Role, require
from oms_ops.services.actor import Actor
from oms_ops.store.database import Database

_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login(db: Database, username: str, password: str, session_hours: int) -> tuple[str, Actor]:
    with db.reading() as cur:
        row = cur.execute(
            "select user_id, password_hash, roles from users where username = ? and is_active", [username]
        ).fetchone()
    try:
        _hasher.verify(row[1] if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        row = None
    if row is None:
        raise NotAuthenticated("Unknown user name or wrong password.")
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with db.transaction() as cur:
        cur.execute(
            "insert into sessions (token_hash, user_id, created_at, expires_at) values (?, ?, ?, ?)",
            [_token_digest(token), row[0], now, now + timedelta(hours=session_hours)],
        )
    return token, Actor(username, tuple(row[2]))


def logout(db: Database, token: str) -> None:
    with db.transaction() as cur:
        cur.execute(
            "update sessions set revoked_at = ? where token_hash = ? and revoked_at is null",
            [datetime.now(UTC), _token_digest(token)],
        )


def authenticate(db: Database, token: str | None, api_key: str) -> Actor:
    """The actor behind a bearer token: a signed-in person's session, or the systems' API key."""
    if not token:
        raise NotAuthenticated("Sign in first: this call needs a session token or an API key.")
    if hmac.compare_digest(token.encode(), api_key.encode()):
        return Actor("system", (Role.SYSTEM.value,))
    with db.reading() as cur:
        row = cur.execute(
            "select u.username, u.roles from sessions s join users u using (user_id)"
            " where s.token_hash = ? and s.revoked_at is null and s.expires_at > ? and u.is_active",
            [_token_digest(token), datetime.now(UTC)],
        ).fetchone()
    if row is None:
        raise NotAuthenticated("Your session has ended or is not valid; please sign in again.")
    return Actor(row[0], tuple(row[1]))


def create_user(
    db: Database, actor: Actor, username: str, password: str, roles: list[str], display_name: str | None = None
) -> dict[str, object]:
    require(actor.roles, Action.MANAGE_USERS)
    unknown = sorted(set(roles) - set(HUMAN_ROLES))
    if unknown:
        raise InvalidInput(f"Unknown role {', '.join(unknown)}; roles are {', '.join(HUMAN_ROLES)}.", field="roles")
    password_hash = _hasher.hash(password)
    try:
        with db.transaction() as cur:
            cur.execute(
                "insert into users (username, display_name, password_hash, roles) values (?, ?, ?, ?)",
                [username, display_name, password_hash, roles],
            )
    except duckdb.ConstraintException as exc:
        raise AlreadyExists(f"A user named {username} already exists.", field="username") from exc
    return {"username": username, "display_name": display_name, "roles": roles}
