"""The signed-in user of a browser session: token and roles in st.session_state, and a client that sends the token."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
import streamlit as st

from dashboards.lib.navigation import can_open
from oms_ops.client import ApiError, OmsClient, Unauthorized
from oms_ops.contracts import LoginResponse
from oms_ops.settings import Settings

TOKEN = "auth_token"
USER = "auth_user"
ROLES = "auth_roles"
NOTICE = "auth_notice"
CLIENT = "auth_client"

State = MutableMapping[Any, Any]  # st.session_state, or a plain dict in tests


class WritableState(Protocol):
    """Anything session state can be seeded through, AppTest's session_state included."""

    def __setitem__(self, key: str, value: Any) -> None: ...


@dataclass(frozen=True)
class SignedInUser:
    username: str
    roles: tuple[str, ...]
    token: str


def settings() -> Settings:
    """Read afresh on each run: cheap, and tests change the environment between runs."""
    return Settings()


def current_user(state: State | None = None) -> SignedInUser | None:
    state = st.session_state if state is None else state
    token = state.get(TOKEN)
    if not token:
        return None
    return SignedInUser(str(state.get(USER, "")), tuple(state.get(ROLES, ())), str(token))


def remember(state: WritableState, login: LoginResponse) -> None:
    """Keep what sign-in returned; tests use this to seed AppTest's session state."""
    state[TOKEN] = login.token
    state[USER] = login.user.username
    state[ROLES] = list(login.user.roles)


def forget(state: State | None = None) -> None:
    state = st.session_state if state is None else state
    client = state.get(CLIENT)
    if isinstance(client, OmsClient):
        client.close()
    for key in (TOKEN, USER, ROLES, CLIENT):
        state.pop(key, None)


def client() -> OmsClient:
    """One client per browser session (keeps its connections), always carrying the current token."""
    base_url = settings().base_url
    token = st.session_state.get(TOKEN)
    existing = st.session_state.get(CLIENT)
    if isinstance(existing, OmsClient) and existing.base_url == base_url and existing.token == token:
        return existing
    if isinstance(existing, OmsClient):
        existing.close()
    fresh = OmsClient(base_url, token=token)
    st.session_state[CLIENT] = fresh
    return fresh


def sign_in(username: str, password: str) -> SignedInUser:
    """Raises Unauthorized for a wrong name or password."""
    with OmsClient(settings().base_url) as anonymous:
        login = anonymous.login(username, password)
    forget()
    remember(st.session_state, login)
    user = current_user()
    assert user is not None
    return user


def sign_out() -> None:
    """End the session on the server too, so the token is useless afterwards."""
    with suppress(ApiError, httpx.TransportError):  # signing out locally is what matters to the person
        client().logout()
    forget()


def require_page(path: str) -> SignedInUser:
    """Stop the page unless someone is signed in with a role that may open it."""
    user = current_user()
    if user is None:
        st.info("Please sign in to use this page.")
        st.stop()
    if not can_open(path, user.roles):
        st.warning(f"Your role ({', '.join(user.roles) or 'none'}) may not open this page.")
        st.stop()
    return user


def end_session() -> None:
    """The server no longer knows the token (expired or signed out elsewhere); usable inside callbacks."""
    forget()
    st.session_state[NOTICE] = "Your session has ended. Please sign in again."


def session_ended() -> None:
    """As end_session, then straight back to the sign-in page."""
    end_session()
    st.rerun()


def unreachable_sentence() -> str:
    return f"The order server at {settings().base_url} does not answer. Try again in a moment or tell IT."


@contextmanager
def answering_errors() -> Iterator[None]:
    """Show a failed server call as a sentence and stop the page there."""
    try:
        yield
    except Unauthorized:
        session_ended()
    except ApiError as error:
        st.error(error.message)
        st.stop()
    except httpx.TransportError:
        st.error(unreachable_sentence())
        st.stop()
