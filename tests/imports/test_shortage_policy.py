"""An order stock cannot fully serve follows its channel's `on_shortage`: quarantine, hold or backorder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from oms_ops.adapters.channels import import_file, load_mapping
from oms_ops.client import Conflict
from oms_ops.contracts import ImportSummary
from oms_ops.domain.errors import InvalidInput
from tests.conftest import RunningServer, serving
from tests.imports.conftest import csv_feed, write
from tests.integration.shop import assert_stock_invariants, lake, load_catalogue, stock_of

# Each test orders its own SKU, of which SH holds 5 (until the test receives more): 9 asked for.
SKUS = ("REEL-1", "REEL-2", "REEL-3", "REEL-4", "REEL-5", "REEL-6", "REEL-7", "REEL-8", "REEL-9", "REEL-10")


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    def load(server: RunningServer) -> None:
        load_catalogue(server)
        with server.system_client() as client:
            client.bulk_load(
                "products",
                pl.DataFrame(
                    {
                        "sku": SKUS,
                        "name": SKUS,
                        "category": ["network"] * len(SKUS),
                        "list_price": ["10.00"] * len(SKUS),
                    }
                ).with_columns(cost=pl.lit("6.00")),
            )
            client.bulk_receive({("SH", sku): 5 for sku in SKUS})

    with serving(tmp_path_factory.mktemp("shop"), load) as running:
        yield running


def import_short(server: RunningServer, folder: Path, policy: str, sku: str) -> ImportSummary:
    """S-1 (3 units) fits, S-2 (6 more) does not, in a channel of the test's own."""
    mappings = folder / "mappings"
    mappings.mkdir(exist_ok=True)
    (mappings / f"{sku}.yaml").write_text(f"on_shortage: {policy}\n", encoding="utf-8")
    text = csv_feed(f"S-1,2026-03-01,C-ACME,{sku},3,,", f"S-2,2026-03-02,C-ACME,{sku},6,,")
    with server.system_client() as client:
        return import_file(client, write(folder, "short.csv", text), sku, mappings=mappings)


def order_of(server: RunningServer, channel: str, external_ref: str) -> tuple[str, str]:
    """(status now, reason of its first event) of a channel's order."""
    row = (
        lake(server)
        .execute(
            "select o.status, e.reason from orders o join order_events e using (order_number)"
            " where o.channel = ? and o.external_ref = ? order by e.event_id limit 1",
            [channel, external_ref],
        )
        .fetchall()
    )
    return row[0]


def test_a_hold_channel_creates_the_short_order_on_hold_naming_the_shortage(
    shop: RunningServer, tmp_path: Path
) -> None:
    summary = import_short(shop, tmp_path, "hold", "REEL-1")

    status, reason = order_of(shop, "REEL-1", "S-2")
    assert (summary.orders_created, summary.lines_created, summary.quarantined) == (2, 2, 0)
    assert status == "on_hold"
    assert reason.startswith("insufficient stock: REEL-1 in SH")


def test_an_order_on_hold_for_stock_reserves_nothing_and_the_ledger_still_adds_up(
    shop: RunningServer, tmp_path: Path
) -> None:
    import_short(shop, tmp_path, "hold", "REEL-2")

    assert stock_of(shop)[("SH", "REEL-2")] == (5, 3)  # only S-1's 3 are reserved
    assert_stock_invariants(lake(shop))


def test_a_backorder_channel_creates_the_short_order_awaiting_stock(shop: RunningServer, tmp_path: Path) -> None:
    import_short(shop, tmp_path, "backorder", "REEL-3")

    status, reason = order_of(shop, "REEL-3", "S-2")
    assert status == "on_hold"
    assert reason.startswith("awaiting stock: REEL-3 in SH")


def test_a_backorder_waits_while_stock_is_short_and_moves_on_once_it_arrives(
    shop: RunningServer, tmp_path: Path
) -> None:
    import_short(shop, tmp_path, "backorder", "REEL-4")
    with shop.system_client() as client:
        client.bulk_receive({("SH", "REEL-4"): 3})
        still_short = client.fill_backorders()
        client.bulk_receive({("SH", "REEL-4"): 1})

        filled = client.fill_backorders()

    assert still_short.filled == []
    assert len(filled.filled) == 1
    assert order_of(shop, "REEL-4", "S-2")[0] == "pending_payment"  # C-ACME pays up front
    assert stock_of(shop)[("SH", "REEL-4")] == (9, 9)
    assert_stock_invariants(lake(shop))


def number_of(server: RunningServer, channel: str, external_ref: str) -> str:
    found = lake(server).execute(
        "select order_number from orders where channel = ? and external_ref = ?", [channel, external_ref]
    )
    return str(found.fetchall()[0][0])


def test_releasing_an_order_held_for_stock_says_what_is_still_short(shop: RunningServer, tmp_path: Path) -> None:
    import_short(shop, tmp_path, "hold", "REEL-5")

    with shop.system_client() as client, pytest.raises(Conflict, match="only 2 of SKU REEL-5 available in SH"):
        client.release_order(number_of(shop, "REEL-5", "S-2"), "customer called")
    assert stock_of(shop)[("SH", "REEL-5")] == (5, 3)


def test_releasing_an_order_held_for_stock_reserves_it_once_stock_is_there(shop: RunningServer, tmp_path: Path) -> None:
    import_short(shop, tmp_path, "hold", "REEL-6")
    with shop.system_client() as client:
        client.bulk_receive({("SH", "REEL-6"): 4})

        released = client.release_order(number_of(shop, "REEL-6", "S-2"), "stock came in")

    assert released.status == "pending_payment"
    assert stock_of(shop)[("SH", "REEL-6")] == (9, 9)
    assert_stock_invariants(lake(shop))


def test_cancelling_an_order_waiting_for_stock_gives_back_nothing_it_did_not_take(
    shop: RunningServer, tmp_path: Path
) -> None:
    import_short(shop, tmp_path, "backorder", "REEL-7")

    with shop.system_client() as client:
        client.cancel_order(number_of(shop, "REEL-7", "S-2"), "customer gave up")

    assert stock_of(shop)[("SH", "REEL-7")] == (5, 3)
    assert_stock_invariants(lake(shop))


def test_the_canonical_feed_quarantines_a_short_order_by_default() -> None:
    assert load_mapping("any-channel-without-a-mapping").on_shortage == "quarantine"


def test_a_mapping_with_an_unknown_policy_is_refused(tmp_path: Path) -> None:
    (tmp_path / "odd.yaml").write_text("on_shortage: wait\n", encoding="utf-8")

    with pytest.raises(InvalidInput, match="quarantine, hold, backorder"):
        load_mapping("odd", tmp_path)


def test_a_later_version_of_an_order_waiting_for_stock_is_quarantined(shop: RunningServer, tmp_path: Path) -> None:
    import_short(shop, tmp_path, "backorder", "REEL-8")
    later = csv_feed("S-2,2026-03-02,C-ACME,REEL-8,1,,").replace("note\n", "note,version\n").replace(",,\n", ",,,2\n")

    with shop.system_client() as client:
        summary = import_file(client, write(tmp_path, "v2.csv", later), "REEL-8", mappings=tmp_path / "mappings")
        refused = client.quarantined_rows(summary.import_id or 0)

    assert "waiting for stock" in refused[0].reason
    assert stock_of(shop)[("SH", "REEL-8")] == (5, 3)


def test_amending_an_order_waiting_for_stock_is_refused_and_reserves_nothing(
    shop: RunningServer, tmp_path: Path
) -> None:
    import_short(shop, tmp_path, "backorder", "REEL-9")

    with shop.system_client() as client, pytest.raises(Conflict, match="waiting for stock"):
        client.amend_order(number_of(shop, "REEL-9", "S-2"), [{"sku": "REEL-9", "quantity": 1}], "smaller")

    assert stock_of(shop)[("SH", "REEL-9")] == (5, 3)
    assert_stock_invariants(lake(shop))


def test_a_receipt_at_the_warehouse_fills_a_waiting_backorder(shop: RunningServer, tmp_path: Path) -> None:
    import_short(shop, tmp_path, "backorder", "REEL-10")

    with shop.system_client() as client:
        client.receive_stock("SH", "REEL-10", 4, "supplier delivery")

    assert order_of(shop, "REEL-10", "S-2")[0] == "pending_payment"
    assert stock_of(shop)[("SH", "REEL-10")] == (9, 9)
    assert_stock_invariants(lake(shop))
