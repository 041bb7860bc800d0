"""The Customers page against a small hand-made marts file (tests/pages/decision_marts_files.py)."""

from __future__ import annotations

import base64
import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import as_role, page
from tests.pages.decision_marts_files import EVIL_CUSTOMER, publish_decision_marts


def customers_page(role: str = "analyst") -> AppTest:
    return as_role(page("customers"), role).run()


def charts(at: AppTest) -> dict[str, Any]:
    figures = [json.loads(element.proto.spec) for element in at.get("plotly_chart")]
    return {figure["layout"]["title"]["text"]: figure for figure in figures}


def numbers(values: list[float] | dict[str, str]) -> list[float]:
    """Plotly sends number arrays either as lists or packed as {"dtype", "bdata"} (base64)."""
    if isinstance(values, list):
        return values
    return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()


def test_without_published_data_the_page_says_to_run_the_pipeline(data_dir: Path) -> None:
    at = customers_page()

    assert not at.exception
    assert at.info[0].value == "No published data yet — run the pipeline."


def test_the_segment_bars_show_lifetime_value_per_segment(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))

    at = customers_page()

    assert not at.exception
    bars = charts(at)["Lifetime value by segment"]["data"][0]
    assert dict(zip(bars["x"], numbers(bars["y"]), strict=True)) == {
        "champions": 90000.0,
        "promising": 800.0,
        "at risk": 35000.0,
    }
    assert bars["text"] == ["1 customers", "1 customers", "2 customers"]


def test_the_rfm_grid_counts_customers_per_recency_and_frequency_score(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))

    at = customers_page()

    grid = charts(at)["Customers by recency and frequency score"]["data"][0]["z"]
    assert grid[4][4] == 1  # Acme: recency 5, frequency 5
    assert grid[1][3] == 1  # Globex: recency 2, frequency 4
    assert sum(map(sum, grid)) == 4


def test_the_cohort_heatmap_shows_retention_per_month_since_the_first_order(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))

    at = customers_page()

    heatmap = charts(at)["Cohort retention (% ordering again)"]["data"][0]
    assert heatmap["y"] == ["2026-01", "2026-02", "2026-03"]
    assert heatmap["z"] == [[100.0, 50.0, 25.0], [100.0, 50.0, None], [100.0, None, None]]
    assert heatmap["text"][1] == ["100%", "50%", ""]  # months still to come are blank


def test_customers_overdue_for_their_reorder_are_listed_most_valuable_first(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))

    at = customers_page()

    rows = at.dataframe[0].value.to_dict("records")
    assert [row["Customer"] for row in rows] == ["C-GLOBEX", "C-INITECH"]
    assert [(m.label, m.value) for m in at.metric] == [
        ("Customers who ordered", "4"),
        ("Champions", "1"),
        ("Churn risks", "2"),
    ]


def test_the_churn_csv_defuses_a_customer_name_that_is_a_spreadsheet_formula(
    data_dir: Path, downloads: dict[str, bytes]
) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))

    customers_page()

    rows = list(csv.DictReader(io.StringIO(downloads["churn_risk_customers.csv"].decode("utf-8-sig"))))
    assert [row["Name"] for row in rows] == ["Globex Industrial Ltd.", "'" + EVIL_CUSTOMER]


def test_a_marts_file_without_the_customer_marts_asks_for_a_new_publish(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC), with_customers=False)

    at = customers_page()

    assert not at.exception
    assert "Run the pipeline to publish it again." in at.warning[0].value


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_see_the_page(data_dir: Path, role: str) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))

    at = customers_page(role)

    assert not at.warning
    assert at.metric


@pytest.mark.parametrize("role", ["sales", "warehouse", "finance"])
def test_other_roles_cannot_open_the_page(data_dir: Path, role: str) -> None:
    at = customers_page(role)

    assert "may not open this page" in at.warning[0].value


def test_choosing_a_region_narrows_the_customers(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))
    at = customers_page()

    at.multiselect(key="decision_regions").select("North").run()

    assert not at.exception
    assert [(m.label, m.value) for m in at.metric] == [
        ("Customers who ordered", "1"),
        ("Champions", "0"),
        ("Churn risks", "1"),
    ]


def test_choosing_a_tier_narrows_the_churn_list(data_dir: Path) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))
    at = customers_page()

    at.multiselect(key="decision_tiers").select("gold").run()

    assert [s.value for s in at.success] == ["No customer is overdue for their usual reorder."]


def test_choosing_a_segment_lists_its_customers_most_valuable_first(
    data_dir: Path, downloads: dict[str, bytes]
) -> None:
    publish_decision_marts(data_dir, datetime.now(UTC))
    at = customers_page()

    at.selectbox(key="customers_drill").set_value("at risk").run()

    frame = next(df.value for df in at.dataframe if "RFM" in df.value.columns)
    assert list(frame["Customer"]) == ["C-GLOBEX", "C-INITECH"]
    rows = list(csv.DictReader(io.StringIO(downloads["customers_at_risk.csv"].decode("utf-8-sig"))))
    assert rows[1]["Name"] == "'" + EVIL_CUSTOMER
