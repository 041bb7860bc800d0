from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import as_role, page, point_pages_at
from tests.pages.marts_files import publish_marts, sales_rows


def sales_page(role: str = "manager") -> AppTest:
    return as_role(page("sales"), role).run()


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


def test_kpis_compare_the_last_30_days_with_the_30_before(stub: type[StubServer], tmp_path: Path) -> None:
    publish_marts(tmp_path, datetime.now(UTC) - timedelta(minutes=10))

    at = sales_page()

    assert not at.exception
    assert [(m.label, m.value, m.proto.delta) for m in at.metric] == [
        ("Revenue", "CN¥5,400.00", "+20.0%"),
        ("Orders", "90", "+0.0%"),
        ("Units", "450", "+0.0%"),
        ("Margin", "36.7%", "+0.0 pts"),
    ]
    assert "Mar 2, 2026 – Mar 31, 2026" in at.markdown[0].value


def test_trend_shows_revenue_and_orders_by_channel_per_week_by_default(stub: type[StubServer], tmp_path: Path) -> None:
    publish_marts(tmp_path, datetime.now(UTC))

    at = sales_page()

    figures = charts(at)
    assert set(figures) == {"Revenue by channel", "Orders by channel"}
    assert {trace["name"] for trace in figures["Revenue by channel"]["data"]} == {"manual", "edi"}
    weeks = figures["Orders by channel"]["data"][0]["x"]
    assert len(weeks) == 10  # 60 days touch 10 ISO weeks


def test_choosing_month_groups_the_trend_by_month(stub: type[StubServer], tmp_path: Path) -> None:
    publish_marts(tmp_path, datetime.now(UTC))
    at = sales_page()

    at.radio(key="sales_grain").set_value("month").run()

    assert not at.exception
    manual = next(t for t in charts(at)["Revenue by channel"]["data"] if t["name"] == "manual")
    assert len(manual["x"]) == 3  # Feb, Mar and a day of Jan


def test_data_as_of_is_shown_in_the_local_time_zone(stub: type[StubServer], tmp_path: Path) -> None:
    publish_marts(tmp_path, datetime(2026, 3, 31, 23, 30, tzinfo=UTC))

    at = sales_page()

    assert "Data as of Apr 1, 2026, 7:30:00\u202fAM" in at.caption[0].value  # Asia/Shanghai


def test_data_older_than_two_hours_carries_a_warning(stub: type[StubServer], tmp_path: Path) -> None:
    publish_marts(tmp_path, datetime.now(UTC) - timedelta(hours=3))

    at = sales_page()

    assert "This data is 3 hours old" in at.warning[0].value


def test_fresh_data_carries_no_warning(stub: type[StubServer], tmp_path: Path) -> None:
    publish_marts(tmp_path, datetime.now(UTC) - timedelta(minutes=90))

    assert not sales_page().warning


def test_a_newly_published_file_shows_at_the_next_run(stub: type[StubServer], tmp_path: Path) -> None:
    publish_marts(tmp_path, datetime.now(UTC))
    at = sales_page()

    publish_marts(tmp_path, datetime.now(UTC), sales_rows(days=30))
    at.run()

    assert at.metric[0].value == "CN¥5,400.00"
    assert at.metric[0].proto.delta == ""  # nothing earlier to compare with any more


def test_an_empty_mart_says_there_are_no_sales_yet(stub: type[StubServer], tmp_path: Path) -> None:
    publish_marts(tmp_path, datetime.now(UTC), rows=[])

    at = sales_page()

    assert not at.exception
    assert at.info[0].value == "The published data has no sales yet."


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
    publish_marts(tmp_path, datetime.now(UTC))

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
    publish_marts(tmp_path, datetime(2026, 3, 31, 23, 30, tzinfo=UTC))

    at = sales_page()

    assert at.metric[0].value == "¥5,400.00"
    assert "2026年4月1日" in at.caption[0].value


def test_the_latest_days_are_listed_newest_first_with_their_figures(stub: type[StubServer], tmp_path: Path) -> None:
    publish_marts(tmp_path, datetime.now(UTC))
    at = sales_page()

    at.radio(key="sales_grain").set_value("day").run()

    table = at.table[0].value
    assert list(table.columns) == ["Period", "Channel", "Orders", "Revenue"]
    assert len(table) == 16  # 8 days x 2 channels
    assert table.iloc[0].to_dict() == {
        "Period": "Mar 31, 2026",
        "Channel": "manual",
        "Orders": "2",
        "Revenue": "CN¥120.00",
    }
