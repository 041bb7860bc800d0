"""Stock for imported orders is allocated in order date order, set-based, and never oversold."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunningServer
from tests.imports.conftest import csv_feed, external_refs, run_import, write
from tests.integration.shop import assert_stock_invariants, lake, load_catalogue, stock_of

OVERSUBSCRIBED = csv_feed(  # 5 Cat 6 cables in SH, 9 asked for
    "C-3,2026-03-03,C-ACME,CABLE-CAT6,2,,",
    "C-1,2026-03-01,C-ACME,CABLE-CAT6,3,,",
    "C-2,2026-03-02,C-ACME,CABLE-CAT6,3,,",
    "C-4,2026-03-04,C-ACME,CABLE-CAT6,1,,",
)


def test_oversubscribed_stock_goes_to_the_earliest_orders_that_fit(server: RunningServer, tmp_path: Path) -> None:
    load_catalogue(server)

    summary = run_import(server, write(tmp_path, "cables.csv", OVERSUBSCRIBED), "web")

    with server.system_client() as client:
        refused = client.quarantined_rows(summary.import_id or 0)
    assert external_refs(server, "web") == ["C-1", "C-3"]
    assert [(r.row_no, r.reason.split(" (")[0]) for r in refused] == [
        (3, "insufficient stock"),
        (4, "insufficient stock"),
    ]
    assert stock_of(server)[("SH", "CABLE-CAT6")] == (5, 5)


def test_stock_levels_still_equal_the_ledger_after_an_oversubscribed_import(
    server: RunningServer, tmp_path: Path
) -> None:
    load_catalogue(server)

    run_import(server, write(tmp_path, "cables.csv", OVERSUBSCRIBED), "web")

    assert_stock_invariants(lake(server))
