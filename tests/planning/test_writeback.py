"""The write-back asset: tiers and reorder suggestions from the published marts reach operations via the API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import defs
from pipelines.defs.oms.resources import DataFolderResource, OmsResource
from pipelines.defs.writeback.assets import planning_writeback
from pipelines.defs.writeback.planning import computed_tiers
from tests.conftest import RunningServer

TAKEN = datetime(2026, 11, 26, 22, 0, tzinfo=UTC)
PUBLISHED = datetime(2026, 11, 26, 22, 5, tzinfo=UTC)

# customer, segment, lifetime value: with three customers the top one (1/3 of them) is silver by value
RFM = (
    ("C-ACME", "loyal", 90_000),
    ("C-NORTH", "at risk", 30_000),
    ("C-HUAXIN", "champions", 800),  # small but recent and frequent: at least silver
)
# warehouse, sku, available, reorder point, days of supply, suggested reorder quantity
HEALTH = (
    ("SH", "BOLT-M8", 100, 400, "2.5", 500),
    ("GZ", "LAMP-LED-9W", 20, 5, "40.0", 0),
    ("SH", "CABLE-CAT6", 5, 12, "4.2", 20),
)


def rfm_table(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, float]]) -> None:
    con.execute("create table mart_customer_rfm (customer_code varchar, segment varchar, lifetime_value decimal(18,2))")
    con.executemany("insert into mart_customer_rfm values (?, ?, ?)", rows)


def publish(data_dir: Path) -> None:
    with duckdb.connect(str(data_dir / "marts.duckdb")) as con:
        rfm_table(con, list(RFM))
        con.execute(
            "create table mart_inventory_health (warehouse_code varchar, sku varchar, available bigint,"
            " reorder_point bigint, days_of_supply decimal(18, 1), suggested_reorder_qty bigint)"
        )
        con.executemany("insert into mart_inventory_health values (?, ?, ?, ?, ?, ?)", list(HEALTH))
        con.execute("create table publish_info (published_at timestamptz, snapshot_taken_at timestamptz)")
        con.execute("insert into publish_info values (?, ?)", [PUBLISHED, TAKEN])


def write_back(server: RunningServer) -> dict[str, object]:
    result = dg.materialize(
        [planning_writeback],
        resources={
            "oms": OmsResource(base_url=server.base_url, api_key=server.api_key),
            "data_folder": DataFolderResource(data_dir=str(server.data_dir)),
        },
    )
    assert result.success
    [materialization] = result.asset_materializations_for_node("planning_writeback")
    return {key: value.value for key, value in materialization.metadata.items()}


def test_the_tier_rule_ranks_by_lifetime_value_and_adjusts_by_segment():
    rows = [(f"C{n:03d}", "needs attention", float(1000 * (100 - n))) for n in range(100)]  # C000 is worth most
    rows[0] = ("C000", "lost", rows[0][2])
    rows[90] = ("C090", "champions", rows[90][2])
    with duckdb.connect() as con:
        rfm_table(con, rows)
        tiers = computed_tiers(con)

    assert [tiers[f"C{n:03d}"] for n in (1, 2, 3, 14, 15, 39, 40)] == [
        "key", "key", "gold", "gold", "silver", "silver", "standard"
    ]  # fmt: skip
    assert tiers["C000"] == "gold"  # a key account by value that is lost drops one tier
    assert tiers["C090"] == "silver"  # a champion is at least silver


def test_a_tier_the_mart_computes_itself_is_taken_as_it_is():
    with duckdb.connect() as con:
        con.execute("create table mart_customer_rfm (customer_code varchar, computed_tier varchar)")
        con.execute("insert into mart_customer_rfm values ('C-ACME', 'key'), ('C-NORTH', null)")
        assert computed_tiers(con) == {"C-ACME": "key"}


def test_the_refresh_job_writes_back_after_publishing():
    graph = defs.resolve_asset_graph()
    assert graph.get(dg.AssetKey("planning_writeback")).parent_keys == {dg.AssetKey("marts_publish")}
    refresh = defs.resolve_job_def("refresh_marts")
    assert dg.AssetKey("planning_writeback") in refresh.asset_layer.selected_asset_keys


@pytest.fixture
def published(shop: RunningServer) -> RunningServer:
    publish(shop.data_dir)
    return shop


def test_writing_back_sets_tiers_and_suggestions_and_a_second_run_changes_nothing(published: RunningServer):
    first = write_back(published)

    with published.system_client() as system:
        tiers = {c.customer_code: c.tier for c in system.customers(limit=100)}
        suggestions = [(s.warehouse, s.sku, s.suggested_qty, s.as_of) for s in system.list_reorder_suggestions()]
        history = system.customer_tier_history("C-ACME")
    assert tiers == {"C-ACME": "silver", "C-NORTH": "standard", "C-HUAXIN": "silver"}
    assert suggestions == [("SH", "BOLT-M8", 500, TAKEN), ("SH", "CABLE-CAT6", 20, TAKEN)]
    assert [(h.from_tier, h.to_tier, h.source, h.as_of) for h in history] == [("standard", "silver", "rfm", TAKEN)]
    assert (first["tiers_sent"], first["tiers_changed"], first["suggestions_added"]) == (3, 2, 2)

    again = write_back(published)

    assert (again["tiers_changed"], again["suggestions_added"], again["suggestions_removed"]) == (0, 0, 0)
    assert again["suggestions_updated"] == 0
