"""Quarantined rows, corrected, go through the same import again; each is resolved once, linked to its import."""

from __future__ import annotations

from pathlib import Path

import pytest

from oms_ops.adapters.channels import corrected_rows, load_mapping, row_as_in_file
from oms_ops.client import InvalidInput
from oms_ops.contracts import ImportSummary
from tests.conftest import RunningServer
from tests.imports.conftest import csv_feed, external_refs, run_import, write

FEED = csv_feed(
    "R-1,2026-03-01,C-ACME,BOLT-M9,2,,typo in the SKU",
    "R-2,2026-03-01,C-NOBODY,BOLT-M8,1,,",
    "R-3,2026-03-01,C-ACME,BOLT-M8,1,,",
)


def resubmit(server: RunningServer, import_id: int, channel: str, fixes: dict[int, dict[str, str]]) -> ImportSummary:
    """Send the import's quarantined rows numbered in `fixes`, each with its fields changed as given."""
    with server.system_client() as client:
        rows = {r.row_no: row_as_in_file(r.raw) for r in client.quarantined_rows(import_id)}
        edited = [{**rows[row_no], **fix} for row_no, fix in fixes.items()]
        return client.resubmit_rows(import_id, corrected_rows(edited, list(fixes), load_mapping(channel)))


@pytest.fixture
def first(shared_shop: RunningServer, channel: str, tmp_path: Path) -> int:
    summary = run_import(shared_shop, write(tmp_path, "orders.csv", FEED), channel)
    assert summary.quarantined == 2 and summary.import_id is not None
    return summary.import_id


def test_a_corrected_row_becomes_an_order(shared_shop: RunningServer, channel: str, first: int) -> None:
    summary = resubmit(shared_shop, first, channel, {1: {"sku": "BOLT-M8"}})

    assert (summary.rows, summary.lines_created, summary.quarantined) == (1, 1, 0)
    assert external_refs(shared_shop, channel) == ["R-1", "R-3"]


def test_a_resubmitted_row_is_marked_resolved_by_the_import_that_took_it(
    shared_shop: RunningServer, channel: str, first: int
) -> None:
    summary = resubmit(shared_shop, first, channel, {1: {"sku": "BOLT-M8"}})

    with shared_shop.system_client() as client:
        rows = {r.row_no: r.resolved_by for r in client.quarantined_rows(first)}
        history = {i.import_id: i for i in client.imports()}
    assert rows == {1: summary.import_id, 2: None}
    assert history[summary.import_id or 0].resubmit_of == first
    assert history[first].resolved == 1


def test_a_row_still_wrong_is_quarantined_again_and_stays_open(
    shared_shop: RunningServer, channel: str, first: int
) -> None:
    summary = resubmit(shared_shop, first, channel, {2: {"customer_code": "C-NOBODY-EITHER"}})

    with shared_shop.system_client() as client:
        again = client.quarantined_rows(summary.import_id or 0)
        original = client.quarantined_rows(first)
    assert [(r.row_no, r.field) for r in again] == [(2, "customer_code")]
    assert [r.resolved_by for r in original] == [None, None]


def test_a_resolved_row_cannot_be_submitted_again(shared_shop: RunningServer, channel: str, first: int) -> None:
    resubmit(shared_shop, first, channel, {1: {"sku": "BOLT-M8"}})

    with pytest.raises(InvalidInput, match="no open quarantined row 1"):
        resubmit(shared_shop, first, channel, {1: {"sku": "BOLT-M8"}})
    assert external_refs(shared_shop, channel) == ["R-1", "R-3"]
