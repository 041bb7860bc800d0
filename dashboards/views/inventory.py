"""Inventory (decision page): what runs short and what to reorder, what is excess or dead, per warehouse."""

import streamlit as st

from dashboards.lib import decision_page, formatting, inventory_charts, inventory_marts, session
from dashboards.lib.navigation import INVENTORY

session.require_page(INVENTORY.path)
settings = session.settings()
locale = settings.locale

st.title("Inventory")
published = decision_page.published_or_stop(settings)

with decision_page.stop_if_unreadable():
    choices = inventory_marts.choices(published.path, published.version)
    warehouse_col, category_col = st.columns(2)
    warehouses = warehouse_col.multiselect(
        "Warehouses", choices.warehouses, key="inventory_warehouses", placeholder="All warehouses"
    )
    categories = category_col.multiselect(
        "Categories", choices.categories, key="inventory_categories", placeholder="All categories"
    )
    health = inventory_marts.health(published.path, published.version, tuple(warehouses), tuple(categories))

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
