"""Sign in with a user name and password; the session token is kept for the other pages."""

import httpx
import streamlit as st

from dashboards.lib import session
from oms_ops.client import ApiError, Unauthorized

st.title("Sign in")

if notice := st.session_state.pop(session.NOTICE, None):
    st.info(notice)

user = session.current_user()
if user is not None:
    st.success(f"Signed in as {user.username} ({', '.join(user.roles)}).")
    st.stop()

with st.form("signin_form"):
    username = st.text_input("User name", key="signin_username")
    password = st.text_input("Password", type="password", key="signin_password")
    submitted = st.form_submit_button("Sign in", type="primary", key="signin_submit")

if submitted:
    if not username or not password:
        st.error("Enter your user name and password.")
        st.stop()
    try:
        session.sign_in(username.strip(), password)
    except Unauthorized:
        st.error("Wrong user name or password. Check both and try again.")
        st.stop()
    except ApiError as error:
        st.error(error.message)
        st.stop()
    except httpx.TransportError:
        st.error(session.unreachable_sentence())
        st.stop()
    st.rerun()  # the navigation now offers the pages of this user's roles
