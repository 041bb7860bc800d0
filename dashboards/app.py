"""Entry of the web app: `streamlit run dashboards/app.py`. Shows the pages the signed-in user's roles allow."""

import streamlit as st

from dashboards.lib import session
from dashboards.lib.navigation import SIGN_IN, PageSpec, pages_by_group

st.set_page_config(page_title="OMS", page_icon=":material/inventory_2:", layout="wide")


def page(spec: PageSpec) -> st.Page:
    return st.Page(spec.path, title=spec.title, icon=spec.icon)


user = session.current_user()
if user is None:
    current = st.navigation([page(SIGN_IN)], position="hidden")
else:
    groups = {group: [page(spec) for spec in specs] for group, specs in pages_by_group(user.roles).items()}
    current = st.navigation(groups or [page(SIGN_IN)])
    with st.sidebar:
        st.caption(f"Signed in as **{user.username}** ({', '.join(user.roles)})")
        if st.button("Sign out", key="app_sign_out", icon=":material/logout:"):
            session.sign_out()
            st.rerun()

current.run()
