"""An order is imported at most once per (channel, external order id), whatever arrives twice or at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.conftest import RunningServer
from tests.imports.conftest import csv_feed, external_refs, run_import, write


def orders_of(server: RunningServer, channel: str) -> list[str]:
    return sorted(external_refs(server, channel))


def test_the_same_file_twice_adds_nothing_the_second_time(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    path = write(
        tmp_path, "twice.csv", csv_feed("D-1,2026-03-01,C-ACME,BOLT-M8,1,,", "D-1,2026-03-01,C-ACME,LAMP-LED-9W,1,,")
    )
    run_import(shared_shop, path, channel)

    again = run_import(shared_shop, path, channel)

    assert (again.rows, again.orders_created, again.lines_created, again.duplicates) == (2, 0, 0, 2)
    assert orders_of(shared_shop, channel) == ["D-1"]


def test_two_overlapping_files_imported_at_once_create_each_order_once(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    first = write(tmp_path, "first.csv", csv_feed(*(f"D-{i},2026-03-01,C-NORTH,BOLT-M8,1,," for i in range(1, 31))))
    second = write(tmp_path, "second.csv", csv_feed(*(f"D-{i},2026-03-01,C-NORTH,BOLT-M8,1,," for i in range(21, 51))))

    with ThreadPoolExecutor(2) as pool:
        summaries = list(pool.map(lambda p: run_import(shared_shop, p, channel), [first, second]))

    assert orders_of(shared_shop, channel) == sorted(f"D-{i}" for i in range(1, 51))
    assert sum(s.orders_created for s in summaries) == 50
    assert sum(s.duplicates for s in summaries) == 10
    assert all(s.rows == s.lines_created + s.duplicates + s.quarantined for s in summaries)


def test_a_dry_run_reports_what_would_happen_and_changes_nothing(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    path = write(
        tmp_path, "dry.csv", csv_feed("D-1,2026-03-01,C-ACME,BOLT-M8,1,,", "D-2,2026-03-01,C-NOBODY,BOLT-M8,1,,")
    )

    summary = run_import(shared_shop, path, channel, dry_run=True)

    assert (summary.import_id, summary.orders_created, summary.quarantined, summary.dry_run) == (None, 1, 1, True)
    assert orders_of(shared_shop, channel) == []
    with shared_shop.system_client() as client:
        assert all(i.channel != channel for i in client.imports())
