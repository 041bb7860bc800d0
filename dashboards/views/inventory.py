"""Inventory (decision page): what runs short and what to reorder, what is excess or dead, per warehouse."""

import streamlit as st

from dashboards.lib import decision_page, formatting, inventory_charts, inventory_marts, session
from dashboards.lib.navigation import INVENTORY

DRILL = "inventory_drill"
DRILL_WAREHOUSE = "inventory_drill_warehouse"
STATUS_CHART = "inventory_status_chart"

session.require_page(INVENTORY.path)
settings = session.settings()
locale = settings.locale

st.title("Inventory")
published = decision_page.published_or_stop(settings)

with decision_page.stop_if_unreadable():
    choices = inventory_marts.choices(published.path, published.version)
    warehouses = decision_page.multiselect_filter(
        "Warehouses", choices.warehouses, "inventory_warehouses", "All warehouses"
    )
    categories = decision_page.multiselect_filter(
        "Categories", choices.categories, decision_page.CATEGORIES, "All categories"
    )
    health = inventory_marts.health(published.path, published.version, warehouses, categories)

if health.is_empty():
    st.info("The published data has no stock for this choice.")
    st.stop()

reorder = inventory_charts.reorder_table(health)
surplus = inventory_charts.surplus_table(health)
as_of = health["as_of_date"][0]  # one day for the whole mart: the last day of the stock ledger
st.markdown(f"**Stock at the end of {formatting.day(as_of, locale)}**, demand over the last 90 days")
for column, (label, value) in zip(
    st.columns(4),
    (
        ("Stock-out risks", formatting.number(len(reorder), locale)),
        ("Units to reorder", formatting.number(int(health["suggested_reorder_qty"].sum()), locale)),
        ("Dead stock lines", formatting.number(int(health["is_dead_stock"].sum()), locale)),
        ("Excess stock lines", formatting.number(int(health["is_excess_stock"].sum()), locale)),
    ),
    strict=True,
):
    column.metric(label, value)


def pick_segment() -> None:
    """A click on a bar segment chooses its status (and warehouse) in the boxes below."""
    points = st.session_state[STATUS_CHART].selection.points
    if points:
        status = points[0].get("customdata")
        status = status[0] if isinstance(status, list) else status
        if status in inventory_charts.STATUS_ORDER:
            st.session_state[DRILL] = status
            st.session_state[DRILL_WAREHOUSE] = points[0].get("x")


st.plotly_chart(
    inventory_charts.status_figure(health), key=STATUS_CHART, on_select=pick_segment, selection_mode="points"
)
status_col, warehouse_col = st.columns(2)
status = status_col.selectbox(
    "Show the stock levels of one status (or click its bar)",
    inventory_charts.STATUS_ORDER,
    index=None,
    placeholder="Choose…",
    key=DRILL,
)
present = tuple(sorted(set(health["warehouse_code"].to_list())))
if st.session_state.get(DRILL_WAREHOUSE) not in present:
    st.session_state[DRILL_WAREHOUSE] = None
warehouse = warehouse_col.selectbox(
    "In warehouse", present, index=None, placeholder="All warehouses", key=DRILL_WAREHOUSE
)
if status is not None:
    decision_page.table_with_download(
        inventory_charts.status_table(health, status, warehouse),
        key="inventory_drill_rows",
        empty=f"No stock level is {status} here.",
        download_label=f"Download {status} stock levels (CSV)",
        file_name=f"stock_{status.replace(' ', '_')}.csv",
    )

st.subheader("Stock-out risk and reorder suggestions")
decision_page.table_with_download(
    reorder,
    key="inventory_reorder",
    empty="No stock level is at risk of running out.",
    download_label="Download reorder suggestions (CSV)",
    file_name="reorder_suggestions.csv",
)

st.plotly_chart(inventory_charts.days_of_supply_figure(health), key="inventory_days_of_supply_chart")

st.subheader("Excess and dead stock")
decision_page.table_with_download(
    surplus,
    key="inventory_surplus",
    empty="No excess or dead stock.",
    download_label="Download excess and dead stock (CSV)",
    file_name="excess_and_dead_stock.csv",
)
