from __future__ import annotations

import base64
import csv
import io
import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.lib import sales_marts
from tests.pages.conftest import as_role, page, point_pages_at
from tests.pages.decision_marts_files import (
    ACME,
    EVIL_PRODUCT,
    GADGET,
    PIN,
    WIDGET,
    SalesLine,
    publish_decision_marts,
    publish_sales_marts,
    sales_lines,
)


def sales_page(role: str = "manager") -> AppTest:
    return as_role(page("sales"), role).run()


def published_sales_page(data_dir: Path, role: str = "manager") -> AppTest:
    publish_sales_marts(data_dir, datetime.now(UTC))
    return sales_page(role)


def kpis(at: AppTest) -> list[tuple[str, str, str]]:
    return [(m.label, m.value, m.proto.delta) for m in at.metric]


def numbers(values: list[float] | dict[str, str]) -> list[float]:
    """Plotly sends number arrays either as lists or packed as {"dtype", "bdata"} (base64)."""
    if isinstance(values, list):
        return values
    return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()


def drilled_rows(at: AppTest) -> list[dict[str, object]]:
    frame = next(df.value for df in at.dataframe if "Customer name" in df.value.columns)
    return frame.to_dict("records")


def charts(at: AppTest) -> dict[str, Any]:
    """The plotly figures on the page by title."""
    figures = [json.loads(element.proto.spec) for element in at.get("plotly_chart")]
    return {figure["layout"]["title"]["text"]: figure for figure in figures}


class StubServer(BaseHTTPRequestHandler):
    """Answers POST /api/v1/pipeline/runs as the oms_ops server would, with a status chosen by the test."""

    answer: ClassVar[tuple[int, dict[str, object]]] = (201, {"run_id": "run-42", "job_name": "refresh_marts"})
    calls: ClassVar[list[str | None]] = []

    def do_POST(self) -> None:
        type(self).calls.append(self.headers.get("Authorization"))
        status, body = type(self).answer
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def stub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[type[StubServer]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), StubServer)
    StubServer.calls = []
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    point_pages_at(monkeypatch, httpd.server_address[1], tmp_path)
    yield StubServer
    httpd.shutdown()
    httpd.server_close()


def test_without_published_data_the_page_says_to_run_the_pipeline(stub: type[StubServer]) -> None:
    at = sales_page()

    assert not at.exception
    assert at.info[0].value == "No published data yet — run the pipeline."


def test_data_as_of_is_shown_in_the_local_time_zone(stub: type[StubServer], tmp_path: Path) -> None:
    publish_sales_marts(tmp_path, datetime(2026, 3, 31, 23, 30, tzinfo=UTC))

    at = sales_page()

    assert "Data as of Apr 1, 2026, 7:30:00\u202fAM" in at.caption[0].value  # Asia/Shanghai


def test_data_older_than_two_hours_carries_a_warning(stub: type[StubServer], tmp_path: Path) -> None:
    publish_sales_marts(tmp_path, datetime.now(UTC) - timedelta(hours=3))

    at = sales_page()

    assert "This data is 3 hours old" in at.warning[0].value


def test_fresh_data_carries_no_warning(stub: type[StubServer], tmp_path: Path) -> None:
    publish_sales_marts(tmp_path, datetime.now(UTC) - timedelta(minutes=90))

    assert not sales_page().warning


def test_run_pipeline_tells_the_run_id(stub: type[StubServer], tmp_path: Path) -> None:
    at = sales_page("analyst")

    at.button(key="sales_run_pipeline").click().run()

    assert "Pipeline run run-42 started" in at.success[0].value
    assert stub.calls == ["Bearer token-of-analyst"]


def test_a_refused_pipeline_run_shows_the_servers_sentence(
    stub: type[StubServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    refusal = {"code": "unavailable", "message": "The pipeline could not be started: Dagster is down."}
    monkeypatch.setattr(StubServer, "answer", (503, refusal))
    at = sales_page("admin")

    at.button(key="sales_run_pipeline").click().run()

    assert at.error[0].value == "The pipeline could not be started: Dagster is down."


def test_finance_sees_the_figures_but_no_run_pipeline_button(stub: type[StubServer], tmp_path: Path) -> None:
    publish_sales_marts(tmp_path, datetime.now(UTC))

    at = sales_page("finance")

    assert at.metric
    assert not [b for b in at.button if b.key == "sales_run_pipeline"]


def test_a_sales_clerk_cannot_open_the_page(stub: type[StubServer]) -> None:
    at = sales_page("sales")

    assert "may not open this page" in at.warning[0].value


def test_amounts_and_dates_follow_the_locale_setting(
    stub: type[StubServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMS_LOCALE", "zh_CN")
    publish_sales_marts(tmp_path, datetime(2026, 3, 31, 23, 30, tzinfo=UTC))

    at = sales_page()

    assert at.metric[0].value == "¥13,294.00"
    assert "2026年4月1日" in at.caption[0].value


def test_without_sales_the_page_says_so(stub: type[StubServer], tmp_path: Path) -> None:
    publish_sales_marts(tmp_path, datetime.now(UTC), lines=[])

    at = sales_page()

    assert not at.exception
    assert at.info[0].value == "The published data has no sales yet."


def test_a_marts_file_from_before_the_sales_lines_asks_for_a_new_publish(stub: type[StubServer], tmp_path: Path):
    publish_decision_marts(tmp_path, datetime.now(UTC))

    at = sales_page()

    assert not at.exception
    assert "Run the pipeline to publish it again." in at.warning[0].value


def test_kpis_cover_the_last_90_days_against_the_same_days_last_year(stub: type[StubServer], tmp_path: Path):
    at = published_sales_page(tmp_path)

    assert not at.exception
    assert at.date_input(key="decision_dates").value == (date(2026, 1, 1), date(2026, 3, 31))
    assert kpis(at) == [
        ("Revenue", "CN¥13,294.00", "+15.7%"),  # against 11,490.00
        ("Orders", "104", "+1.0%"),
        ("Units", "2,218", "+0.2%"),
        ("Margin", "38.8%", "+9.6 pts"),
    ]
    assert "Jan 1, 2026 – Mar 31, 2026" in at.markdown[0].value


def test_choosing_a_region_narrows_every_figure_to_its_customers(stub: type[StubServer], tmp_path: Path) -> None:
    at = published_sales_page(tmp_path)

    at.multiselect(key="decision_regions").select("North").run()

    assert not at.exception
    assert kpis(at)[0] == ("Revenue", "CN¥4,290.00", "+0.0%")  # Globex: 13 Mondays of 330.00 in both years


def test_channel_category_and_tier_filters_combine(stub: type[StubServer], tmp_path: Path) -> None:
    at = published_sales_page(tmp_path)

    at.multiselect(key="decision_channels").select("manual")
    at.multiselect(key="decision_categories").select("parts")
    at.multiselect(key="decision_tiers").select("standard").run()

    assert kpis(at)[:2] == [("Revenue", "CN¥4.00", ""), ("Orders", "1", "")]  # only @Initech's pins, none last year


def test_a_date_range_without_sales_a_year_earlier_shows_no_change(stub: type[StubServer], tmp_path: Path) -> None:
    at = published_sales_page(tmp_path)

    at.date_input(key="decision_dates").set_value((date(2025, 2, 1), date(2025, 2, 28))).run()

    assert kpis(at)[0] == ("Revenue", "CN¥3,560.00", "")  # 28 x 80.00 + 4 x 330.00
    assert "no sales a year earlier" in at.markdown[0].value


def test_the_trend_draws_this_period_and_the_same_days_last_year_per_month(stub: type[StubServer], tmp_path: Path):
    at = published_sales_page(tmp_path)

    at.radio(key="sales_grain").set_value("month").run()

    figure = charts(at)["Revenue by month, with last year"]
    this_year, last_year = figure["data"]
    assert (this_year["name"], last_year["name"]) == ("This period", "Same days last year")
    # January: 31 x 100.00 + 4 Mondays x 330.00; a year earlier 31 x 80.00 + 4 x 330.00
    assert numbers(this_year["y"])[0] == 4420.0
    assert numbers(last_year["y"])[0] == 3800.0
    assert len(this_year["x"]) == 3


def test_the_trend_is_weekly_by_default_and_shows_the_chosen_measure(stub: type[StubServer], tmp_path: Path) -> None:
    at = published_sales_page(tmp_path)

    at.radio(key="sales_measure").set_value("orders").run()

    figure = charts(at)["Orders by week, with last year"]
    assert len(figure["data"][0]["x"]) == 14  # 1 Jan - 31 Mar 2026 touch 14 ISO weeks
    assert sum(numbers(figure["data"][0]["y"])) == 104


def test_the_breakdown_has_a_bar_per_category_largest_first(stub: type[StubServer], tmp_path: Path) -> None:
    at = published_sales_page(tmp_path)

    at.radio(key="sales_breakdown").set_value("category").run()

    bars = charts(at)["Revenue by category"]["data"][0]
    assert bars["y"] == ["widgets", "gadgets", "parts"]
    assert numbers(bars["x"]) == [9000.0, 3250.0, 1044.0]
    assert at.selectbox(key="sales_drill").options == ["widgets", "gadgets", "parts"]


def test_choosing_a_bar_lists_the_order_lines_behind_it(stub: type[StubServer], tmp_path: Path) -> None:
    at = published_sales_page(tmp_path)
    at.radio(key="sales_breakdown").set_value("category").run()

    at.selectbox(key="sales_drill").set_value("parts").run()

    rows = drilled_rows(at)
    assert len(rows) == 14  # 13 Mondays of Globex pins + @Initech's
    assert rows[0]["Order"] == "SO-I1"  # newest first
    assert {row["SKU"] for row in rows} == {PIN[0]}
    assert "14 order lines, newest first" in "\n".join(c.value for c in at.caption)


def test_the_drilled_lines_download_as_csv_with_formulas_defused(
    stub: type[StubServer], tmp_path: Path, downloads: dict[str, bytes]
) -> None:
    at = published_sales_page(tmp_path)
    at.radio(key="sales_breakdown").set_value("product").run()

    at.selectbox(key="sales_drill").set_value(GADGET[0]).run()

    rows = list(csv.DictReader(io.StringIO(downloads["sales_product.csv"].decode("utf-8-sig"))))
    assert len(rows) == 13
    assert rows[0]["Product"] == "'" + EVIL_PRODUCT
    assert rows[0]["Revenue"] == "250.00"


def test_a_drill_down_that_no_longer_fits_the_breakdown_is_cleared(stub: type[StubServer], tmp_path: Path) -> None:
    at = published_sales_page(tmp_path)
    at.radio(key="sales_breakdown").set_value("category").run()
    at.selectbox(key="sales_drill").set_value("widgets").run()

    at.radio(key="sales_breakdown").set_value("tier").run()

    assert not at.exception
    assert at.selectbox(key="sales_drill").value is None
    assert not [df for df in at.dataframe if "Customer name" in df.value.columns]


def test_the_basket_affinity_shows_the_lift_of_categories_bought_together(stub: type[StubServer], tmp_path: Path):
    at = published_sales_page(tmp_path)

    heatmap = charts(at)["Basket affinity between categories (lift)"]["data"][0]
    assert heatmap["x"] == ["gadgets", "parts"]
    assert heatmap["text"] == [["", "7.43"], ["7.43", ""]]
    table = next(df.value for df in at.dataframe if "Lift" in df.value.columns)
    assert table.iloc[0]["Basket with"] == "gadgets"


def test_filters_chosen_on_another_decision_page_carry_over(stub: type[StubServer], tmp_path: Path) -> None:
    publish_sales_marts(tmp_path, datetime.now(UTC))
    at = as_role(page("sales"), "manager")
    at.session_state["kept_decision_categories"] = ["widgets"]  # as the Inventory page leaves it

    at.run()

    assert at.multiselect(key="decision_categories").value == ["widgets"]
    assert kpis(at)[0][1] == "CN¥9,000.00"


def test_last_years_29_february_counts_towards_28_february(tmp_path: Path) -> None:
    def line(day: date, revenue: str) -> SalesLine:
        return (day, f"SO-{day}", "manual", ACME, WIDGET, 1, Decimal(revenue))

    path = publish_sales_marts(
        tmp_path,
        datetime.now(UTC),
        [line(date(2024, 2, 28), "1.00"), line(date(2024, 2, 29), "2.00"), line(date(2025, 2, 28), "4.00"),
         line(date(2025, 3, 1), "8.00")],
    )  # fmt: skip
    version = f"{path.stat().st_ino}:{path.stat().st_mtime_ns}"

    def last_year(first: date, last: date) -> Decimal | None:
        chosen = sales_marts.SalesFilter(first, last)
        found = sales_marts.totals(str(path), version, chosen, date(2024, 2, 28)).last_year
        return None if found is None else found.revenue

    assert last_year(date(2025, 2, 28), date(2025, 2, 28)) == Decimal("3.00")
    assert last_year(date(2025, 3, 1), date(2025, 3, 1)) == Decimal("0")
    trend = sales_marts.trend(str(path), version, sales_marts.SalesFilter(date(2025, 2, 1), date(2025, 3, 31)), "month")
    assert trend["revenue_last_year"].to_list() == [Decimal("3.00"), Decimal("0.00")]


def test_choosing_a_week_of_the_trend_lists_its_order_lines(stub: type[StubServer], tmp_path: Path) -> None:
    at = published_sales_page(tmp_path)

    at.selectbox(key="sales_drill_period").set_value(date(2026, 3, 30)).run()

    rows = drilled_rows(at)  # Monday 30 and Tuesday 31 March: Acme twice, Globex's two lines, @Initech
    assert sorted(str(row["Order"]) for row in rows) == [
        "SO-A20260330", "SO-A20260331", "SO-G20260330", "SO-G20260330", "SO-I1",
    ]  # fmt: skip


def test_a_week_and_a_bar_together_narrow_the_lines_to_both(stub: type[StubServer], tmp_path: Path) -> None:
    at = published_sales_page(tmp_path)
    at.radio(key="sales_breakdown").set_value("category").run()

    at.selectbox(key="sales_drill").set_value("parts")
    at.selectbox(key="sales_drill_period").set_value(date(2026, 3, 30)).run()

    assert [row["Customer"] for row in drilled_rows(at)] == ["C-INITECH", "C-GLOBEX"]


def test_the_default_date_range_moves_to_a_new_publish_while_the_page_stays_open(
    stub: type[StubServer], tmp_path: Path
) -> None:
    at = published_sales_page(tmp_path)
    next_day = (date(2026, 4, 1), "SO-A20260401", "manual", ACME, WIDGET, 10, Decimal("100.00"))

    publish_sales_marts(tmp_path, datetime.now(UTC), [*sales_lines(), next_day])
    at.run()

    assert at.date_input(key="decision_dates").value == (date(2026, 1, 2), date(2026, 4, 1))


def test_a_date_range_the_user_chose_stays_after_a_new_publish(stub: type[StubServer], tmp_path: Path) -> None:
    at = published_sales_page(tmp_path)
    at.date_input(key="decision_dates").set_value((date(2026, 2, 1), date(2026, 2, 28))).run()
    next_day = (date(2026, 4, 1), "SO-A20260401", "manual", ACME, WIDGET, 10, Decimal("100.00"))

    publish_sales_marts(tmp_path, datetime.now(UTC), [*sales_lines(), next_day])
    at.run()

    assert at.date_input(key="decision_dates").value == (date(2026, 2, 1), date(2026, 2, 28))
