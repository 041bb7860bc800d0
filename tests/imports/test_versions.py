"""A later version of an imported order amends it while it can be amended, and is quarantined once it cannot."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunningServer
from tests.imports.conftest import run_import, write
from tests.integration.shop import assert_stock_invariants, lake

HEADER = "external_order_id,order_date,customer_code,sku,quantity,version"


def feed(*rows: str) -> str:
    return "\n".join((HEADER, *rows)) + "\n"


def lines_of(server: RunningServer, channel: str, external_ref: str) -> list[tuple[str, int]]:
    return (
        lake(server)
        .execute(
            "select l.sku, l.quantity from orders o join order_lines l using (order_number)"
            " where o.channel = ? and o.external_ref = ? order by l.line_no",
            [channel, external_ref],
        )
        .fetchall()
    )


def test_a_later_version_amends_the_order(shared_shop: RunningServer, channel: str, tmp_path: Path) -> None:
    run_import(shared_shop, write(tmp_path, "v1.csv", feed("V-1,2026-03-01,C-NORTH,BOLT-M8,10,1")), channel)

    summary = run_import(
        shared_shop,
        write(tmp_path, "v2.csv", feed("V-1,2026-03-01,C-NORTH,BOLT-M8,4,2", "V-1,2026-03-01,C-NORTH,LAMP-LED-9W,1,2")),
        channel,
    )

    assert (summary.orders_created, summary.orders_amended, summary.lines_created, summary.duplicates) == (0, 1, 2, 0)
    assert lines_of(shared_shop, channel, "V-1") == [("BOLT-M8", 4), ("LAMP-LED-9W", 1)]
    assert_stock_invariants(lake(shared_shop))


def test_the_same_version_again_is_a_duplicate(shared_shop: RunningServer, channel: str, tmp_path: Path) -> None:
    path = write(tmp_path, "v2.csv", feed("V-2,2026-03-01,C-NORTH,BOLT-M8,3,2"))
    run_import(shared_shop, path, channel)

    again = run_import(shared_shop, path, channel)

    assert (again.duplicates, again.orders_amended) == (1, 0)


def test_a_later_version_of_an_order_that_can_no_longer_be_amended_is_quarantined_saying_why(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    first = run_import(shared_shop, write(tmp_path, "v1.csv", feed("V-3,2026-03-01,C-NORTH,BOLT-M8,2,1")), channel)
    number = lake(shared_shop).execute("select order_number from orders where external_ref = 'V-3'").fetchall()[0][0]
    with shared_shop.system_client() as client:
        client.cancel_order(number, "customer withdrew")

        later = run_import(shared_shop, write(tmp_path, "v2.csv", feed("V-3,2026-03-01,C-NORTH,BOLT-M8,5,2")), channel)
        refused = client.quarantined_rows(later.import_id or 0)

    assert first.orders_created == 1 and later.quarantined == 1
    assert refused[0].field == "version"
    assert "can no longer be amended" in refused[0].reason
