"""The canonical CSV feed: rows of one external order id form one order, priced and reserved like a typed one."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunningServer
from tests.imports.conftest import csv_feed, run_import, write


def test_rows_of_one_external_id_become_one_order_with_its_lines(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "orders.csv",
        csv_feed(
            "A-1,2026-03-01 09:00,C-NORTH,BOLT-M8,100,0.20,",
            "A-1,2026-03-01 09:00,C-NORTH,LAMP-LED-9W,2,,",
            "A-2,2026-03-02,C-ACME,BOLT-M8,10,,",
        ),
    )

    summary = run_import(shared_shop, path, channel)

    assert (summary.rows, summary.orders_created, summary.lines_created) == (3, 2, 3)
    assert (summary.duplicates, summary.quarantined) == (0, 0)
    with shared_shop.system_client() as client:
        found = client.list_orders(query="A-1").items
        order = client.get_order(next(o.order_number for o in found if o.channel == channel))
    assert [(line.sku, line.quantity, str(line.unit_price)) for line in order.lines] == [
        ("BOLT-M8", 100, "0.20"),
        ("LAMP-LED-9W", 2, "12.90"),
    ]


def test_an_imported_order_reserves_its_stock(shared_shop: RunningServer, channel: str, tmp_path: Path) -> None:
    before = _guide_in_gz(shared_shop)
    path = write(tmp_path, "guide.csv", csv_feed("G-1,2026-03-01,C-NORTH,GUIDE-SAFETY,4,,"))

    run_import(shared_shop, path, channel)

    assert _guide_in_gz(shared_shop) == (before[0], before[1] + 4)


def test_an_imported_order_has_a_status_event_naming_the_file(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "events.csv", csv_feed("E-1,2026-03-01,C-NORTH,BOLT-M8,1,,"))

    run_import(shared_shop, path, channel)

    with shared_shop.system_client() as client:
        number = next(o.order_number for o in client.list_orders(query="E-1").items if o.channel == channel)
        events = client.get_order(number).events
    assert [(e.from_status, e.to_status, e.reason) for e in events] == [(None, "to_ship", "imported from events.csv")]


def _guide_in_gz(server: RunningServer) -> tuple[int, int]:
    with server.system_client() as client:
        row = client.stock(sku="GUIDE-SAFETY", warehouse="GZ")[0]
    return row.on_hand, row.reserved
