"""The Imports page: history with summaries, and the quarantined rows of an import with their reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunningServer
from tests.imports.conftest import csv_feed, external_refs, run_import, write
from tests.pages.conftest import page, point_pages_at, signed_in


def test_the_imports_page_lists_the_history_and_the_reasons_rows_were_quarantined(
    shared_shop: RunningServer, channel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = csv_feed("P-1,2026-03-01,C-ACME,BOLT-M8,1,,", "P-2,2026-03-01,C-NOBODY,BOLT-M8,1,,")
    summary = run_import(shared_shop, write(tmp_path, "page.csv", feed), channel)
    point_pages_at(monkeypatch, shared_shop.port, tmp_path)

    at = signed_in(page("imports"), shared_shop, "admin").run()
    at.selectbox(key="imports_open").set_value(summary.import_id).run()

    assert not at.exception
    history = at.dataframe[0].value
    assert history.loc[history["Import"] == summary.import_id, "Quarantined"].tolist() == [1]
    assert at.dataframe[1].value["Reason"].tolist() == ['unknown customer "C-NOBODY"']


def test_a_sales_clerk_may_not_open_the_imports_page(
    shared_shop: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_pages_at(monkeypatch, shared_shop.port, tmp_path)

    at = signed_in(page("imports"), shared_shop, "sales").run()

    assert "may not open this page" in at.warning[0].value


def test_a_quarantined_row_fixed_on_the_page_is_imported_and_marked_resolved(
    shared_shop: RunningServer, channel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = csv_feed("F-1,2026-03-01,C-ACME,BOLT-M9,1,,")
    summary = run_import(shared_shop, write(tmp_path, "fix.csv", feed), channel)
    point_pages_at(monkeypatch, shared_shop.port, tmp_path)
    at = signed_in(page("imports"), shared_shop, "admin").run()
    at.selectbox(key="imports_open").set_value(summary.import_id).run()

    at.text_input(key=f"imports_fix_{summary.import_id}_1_sku").set_value("BOLT-M8")
    at.button[0].click().run()

    assert not at.exception
    assert "1 order(s) created" in at.success[0].value
    assert external_refs(shared_shop, channel) == ["F-1"]
