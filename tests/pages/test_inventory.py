"""The Inventory page against a small hand-made marts file (tests/pages/decision_marts_files.py)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import as_role, page
from tests.pages.decision_marts_files import EVIL_PRODUCT, publish_decision_marts
from tests.pages.marts_files import publish_marts


def inventory_page(role: str = "manager") -> AppTest:
    return as_role(page("inventory"), role).run()


MARKER_COLUMNS = {
    "inventory_reorder_table": "Reorder point",
    "inventory_surplus_table": "Excess units",
    "inventory_drill_rows_table": "Turnover",
}


def table(at: AppTest, key: str) -> list[dict[str, object]]:
    """The rows of one of the page's tables (AppTest does not expose a dataframe's key: told by a column)."""
    frame = next(df.value for df in at.dataframe if MARKER_COLUMNS[key] in df.value.columns)
    return frame.to_dict("records")


def charts(at: AppTest) -> dict[str, Any]:
    figures = [json.loads(element.proto.spec) for element in at.get("plotly_chart")]
    return {figure["layout"]["title"]["text"]: figure for figure in figures}


def skus(at: AppTest, key: str) -> list[tuple[object, object]]:
    return [(row["Warehouse"], row["SKU"]) for row in table(at, key)]


def test_without_published_data_the_page_says_to_run_the_pipeline(data_dir: Path) -> None:
    at = inventory_page()

    assert not at.exception
    assert at.info[0].value == "No published data yet — run the pipeline."


def test_stock_levels_at_risk_are_listed_shortest_cover_first_with_a_reorder_quantity(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))

    at = inventory_page()

    assert not at.exception
    rows = table(at, "inventory_reorder_table")
    assert [(r["Warehouse"], r["SKU"], r["Suggested reorder"]) for r in rows] == [
        ("SH", "WIDGET-BLUE", 92),
        ("BJ", "GADGET-XL", 24),
    ]
    assert [(m.label, m.value) for m in at.metric][:2] == [("Stock-out risks", "2"), ("Units to reorder", "116")]


def test_excess_and_dead_stock_are_listed_most_valuable_first(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))

    at = inventory_page()

    assert [(r["SKU"], r["Status"]) for r in table(at, "inventory_surplus_table")] == [
        ("PIN-STEEL", "excess"),
        ("SPROCKET-7", "dead"),
    ]


def test_choosing_a_warehouse_shows_only_its_stock(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))
    at = inventory_page()

    at.multiselect(key="inventory_warehouses").select("BJ").run()

    assert not at.exception
    assert skus(at, "inventory_reorder_table") == [("BJ", "GADGET-XL")]
    assert skus(at, "inventory_surplus_table") == [("BJ", "PIN-STEEL")]


def test_choosing_a_category_shows_only_its_products(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))
    at = inventory_page()

    at.multiselect(key="decision_categories").select("widgets").run()

    assert skus(at, "inventory_reorder_table") == [("SH", "WIDGET-BLUE")]
    assert [s.value for s in at.success] == ["No excess or dead stock."]


def test_the_days_of_supply_chart_leaves_out_stock_that_does_not_sell(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))

    at = inventory_page()

    figure = charts(at)["Days of supply (shortest first)"]
    bars = {label for trace in figure["data"] for label in trace["y"]}
    assert bars == {"WIDGET-BLUE @ SH", "GADGET-XL @ BJ", "WIDGET-BLUE @ BJ", "PIN-STEEL @ BJ"}


def test_the_reorder_csv_defuses_a_product_name_that_is_a_spreadsheet_formula(
    data_dir: Path, downloads: dict[str, bytes]
) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))

    inventory_page()

    rows = list(csv.DictReader(io.StringIO(downloads["reorder_suggestions.csv"].decode("utf-8-sig"))))
    assert [row["Product"] for row in rows] == ["Blue widget", "'" + EVIL_PRODUCT]
    assert rows[0]["Suggested reorder"] == "92"


def test_data_older_than_two_hours_carries_a_warning(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC) - timedelta(hours=5))

    at = inventory_page()

    assert "This data is 5 hours old" in at.warning[0].value
    assert at.caption[0].value.startswith("Data as of")


def test_a_marts_file_from_before_the_inventory_marts_asks_for_a_new_publish(data_dir: Path) -> None:
    publish_marts(data_dir, datetime.now(UTC))

    at = inventory_page()

    assert not at.exception
    assert "Run the pipeline to publish it again." in at.warning[0].value


def test_the_warehouse_sees_the_page(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))

    at = inventory_page("warehouse")

    assert not at.warning
    assert table(at, "inventory_reorder_table")


@pytest.mark.parametrize("role", ["sales", "finance"])
def test_other_roles_cannot_open_the_page(data_dir: Path, role: str) -> None:
    at = inventory_page(role)

    assert "may not open this page" in at.warning[0].value


def test_the_status_chart_counts_stock_levels_per_warehouse_and_status(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))

    at = inventory_page()

    bars = {trace["name"]: dict(zip(trace["x"], trace["y"], strict=True)) for trace in charts(at)[
        "Stock levels by status"]["data"]}  # fmt: skip
    assert bars["stock-out risk"] == {"BJ": 1, "SH": 1}
    assert bars["dead"] == {"BJ": 0, "SH": 1}
    assert bars["healthy"] == {"BJ": 1, "SH": 0}


def test_choosing_a_status_lists_its_stock_levels(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))
    at = inventory_page()

    at.selectbox(key="inventory_drill").set_value("stock-out risk").run()

    assert not at.exception
    assert skus(at, "inventory_drill_rows_table") == [("BJ", "GADGET-XL"), ("SH", "WIDGET-BLUE")]  # by value


def test_choosing_a_warehouse_narrows_the_drill_down(data_dir: Path, downloads: dict[str, bytes]) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))
    at = inventory_page()
    at.selectbox(key="inventory_drill").set_value("stock-out risk")

    at.selectbox(key="inventory_drill_warehouse").set_value("SH").run()

    assert skus(at, "inventory_drill_rows_table") == [("SH", "WIDGET-BLUE")]
    assert "stock_stock-out_risk.csv" in downloads


def test_a_category_chosen_on_the_sales_page_holds_here(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))
    at = as_role(page("inventory"), "manager")
    at.session_state["kept_decision_categories"] = ["widgets", "no-longer-sold"]

    at.run()

    assert at.multiselect(key="decision_categories").value == ["widgets"]
    assert skus(at, "inventory_reorder_table") == [("SH", "WIDGET-BLUE")]
