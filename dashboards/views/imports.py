"""Imports: the channel files imported (what each created, found duplicate or quarantined) and the rows refused."""

import streamlit as st

from dashboards.lib import formatting, session
from dashboards.lib.navigation import IMPORTS

user = session.require_page(IMPORTS.path)
settings = session.settings()
client = session.client()

st.title("Imports")
st.caption("Files from the channel inboxes (data/inbox/<channel>/) and from `oms import`, newest first.")

with session.answering_errors():
    history = client.imports(limit=200)

if not history:
    st.info("No file has been imported yet.")
    st.stop()

st.dataframe(
    [
        {
            "Import": i.import_id,
            "Imported": formatting.moment(i.imported_at, settings.locale, settings.timezone),
            "Channel": i.channel,
            "File": i.file,
            "Rows": i.rows,
            "Orders created": i.orders_created,
            "Lines created": i.lines_created,
            "Duplicates": i.duplicates,
            "Quarantined": i.quarantined,
            "By": i.actor,
        }
        for i in history
    ],
    hide_index=True,
)

with_quarantine = [i for i in history if i.quarantined]
if not with_quarantine:
    st.success("Every row of every import was taken or was a duplicate: nothing is quarantined.")
    st.stop()

labels = {i.import_id: f"#{i.import_id} {i.channel}/{i.file} ({i.quarantined} rows)" for i in with_quarantine}
chosen = st.selectbox("Quarantined rows of", list(labels), format_func=labels.__getitem__, key="imports_open")
with session.answering_errors():
    rows = client.quarantined_rows(chosen)
st.dataframe(
    [
        {
            "Row": r.row_no,
            "Field": r.field,
            "Reason": r.reason,
            "Row as in the file": r.raw or "",
        }
        for r in rows
    ],
    hide_index=True,
)
