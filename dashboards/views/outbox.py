"""Outbox: the messages operations sent or will send (email, SMS, webhooks), their delivery status, and a
retry for the ones given up on."""

import streamlit as st

from dashboards.lib import formatting, session
from dashboards.lib.navigation import OUTBOX
from oms_ops.client import ApiError, Unauthorized

NOTICE_KEY = "outbox_notice"
STATUSES = ["pending", "retrying", "sent", "dead"]

user = session.require_page(OUTBOX.path)
settings = session.settings()
client = session.client()


def retry(message_id: int) -> None:
    try:
        client.retry_outbox_message(message_id)
    except Unauthorized:
        session.end_session()
        return
    except ApiError as error:
        st.session_state[NOTICE_KEY] = ("error", error.message)
        return
    st.session_state[NOTICE_KEY] = ("success", f"Message {message_id} will be sent again in a moment.")


st.title("Outbox")
st.caption(
    "Messages written with the business change they announce and sent afterwards, retried with backoff;"
    " a dead letter was given up on and can be retried here."
)

notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    kind, text = notice
    (st.success if kind == "success" else st.error)(text)

status = st.selectbox(
    "Status", [None, *STATUSES], format_func=lambda s: "Any" if s is None else s.capitalize(), key="outbox_status"
)
with session.answering_errors():
    messages = client.outbox(status=status, limit=500)

if not messages:
    st.info("No message here.")
    st.stop()

st.dataframe(
    [
        {
            "Message": m.id,
            "Written": formatting.moment(m.created_at, settings.locale, settings.timezone),
            "Topic": m.topic,
            "Channel": m.channel or "email",
            "To": m.recipient or "",
            "Status": m.status.capitalize(),
            "Attempts": m.attempts,
            "Last error": m.last_error or "",
            "Sent": formatting.moment(m.sent_at, settings.locale, settings.timezone) if m.sent_at else "",
        }
        for m in messages
    ],
    hide_index=True,
)

unsent = {m.id: f"#{m.id} {m.topic} to {m.recipient or '(no address)'} ({m.status})" for m in messages if not m.sent_at}
if unsent:
    chosen = st.selectbox("Send again", list(unsent), format_func=unsent.__getitem__, key="outbox_retry_pick")
    st.button("Retry now", key="outbox_retry", on_click=retry, args=(chosen,))
