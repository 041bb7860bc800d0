"""Imports: the channel files imported (what each created, found duplicate or quarantined) and the rows refused."""

import streamlit as st

from dashboards.lib import formatting, session
from dashboards.lib.navigation import IMPORTS
from oms_ops.adapters.channels import corrected_rows, load_mapping, row_as_in_file


def _status(finished_at: object, resubmit_of: int | None) -> str:
    if finished_at is None:
        return "running or interrupted"
    return f"re-submit of #{resubmit_of}" if resubmit_of else "done"


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
            "Resolved": i.resolved,
            "Status": _status(i.finished_at, i.resubmit_of),
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
            "Resolved by": f"#{r.resolved_by}" if r.resolved_by else "",
            "Row as in the file": r.raw or "",
        }
        for r in rows
    ],
    hide_index=True,
)

open_rows = {r.row_no: row_as_in_file(r.raw) for r in rows if r.resolved_by is None and row_as_in_file(r.raw)}
if not open_rows:
    st.stop()
st.subheader("Fix and re-submit")
st.caption(
    "Correct a row's fields and send it through the same import again (rules, stock, duplicates). The other"
    " open rows of the same order go with it, since an order is taken whole. Rows taken are marked resolved."
)
channel = next(i.channel for i in with_quarantine if i.import_id == chosen)
mapping = load_mapping(channel, settings.data_dir / "mappings")
fix_row = st.selectbox("Row", list(open_rows), key=f"imports_fix_row_{chosen}")
with st.form(f"imports_fix_{chosen}_{fix_row}"):
    edited = {
        name: st.text_input(name, value or "", key=f"imports_fix_{chosen}_{fix_row}_{name}")
        for name, value in open_rows[fix_row].items()
    }
    sent = st.form_submit_button("Re-submit", type="primary")
if sent:
    order_header = mapping.header_for("external_order_id")
    order_id = edited.get(order_header) or open_rows[fix_row].get(order_header)
    row_nos = [fix_row] + [
        n for n, row in open_rows.items() if n != fix_row and order_id and row.get(order_header) == order_id
    ]
    corrected = [edited] + [open_rows[n] for n in row_nos[1:]]
    with session.answering_errors():
        summary = client.resubmit_rows(chosen, corrected_rows(corrected, row_nos, mapping))
    taken = summary.lines_created + summary.duplicates
    message = (
        f"Import #{summary.import_id}: {summary.orders_created} order(s) created, {taken} of {summary.rows}"
        f" row(s) taken, {summary.quarantined} quarantined again."
    )
    (st.success if not summary.quarantined else st.warning)(message)
