"""Staging of settlement, transfers, alerts and versions: a real `dbt build` of the staging models over a lake."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import duckdb
import pytest

from tests.dbt.conftest import Build, dbt_build
from tests.dbt.lake import build_lake, write_lake

AT = datetime(2026, 4, 2, 3, tzinfo=UTC)
STAGING = ("--select", "path:models/staging", "--indirect-selection", "cautious")


def settle(con: duckdb.DuckDBPyConnection) -> None:
    """SO-1 paid by Alipay; SO-2 paid by bank transfer and shipped from GZ; SO-3 paid by card, cancelled, refund due."""
    for order, method, amount in (
        ("SO-1", "alipay", "40.00"),
        ("SO-2", "bank_transfer", "131.20"),
        ("SO-3", "card", "72.89"),
    ):
        con.execute(
            "insert into payments (order_number, method, amount, paid_on, reference, recorded_by, recorded_at)"
            " values (?, ?, ?, ?, 'ref', 'finance', ?)",
            [order, method, amount, date(2026, 4, 1), AT],
        )
    con.execute("insert into shipments (order_number, shipped_by, shipped_at) values ('SO-2', 'warehouse', ?)", [AT])
    con.execute(
        "insert into shipment_lines (shipment_id, order_number, line_no, sku, warehouse_code, quantity)"
        " select shipment_id, 'SO-2', 1, 'LAMP-LED-9W', 'GZ', 10 from shipments"
    )
    con.execute(
        "insert into refunds (order_number, amount, reason, created_by, created_at)"
        " values ('SO-3', 72.89, 'customer changed their mind', 'sales', ?)",
        [AT],
    )


def plan_stock_and_amend(con: duckdb.DuckDBPyConnection) -> None:
    """5 lamps on their way from SH to GZ (2 received), an open alert on bolts in SH, SO-1 amended once."""
    con.execute(
        "insert into transfers (from_warehouse, to_warehouse, status, expected_arrival, requested_by, requested_at)"
        " values ('SH', 'GZ', 'partially_received', ?, 'warehouse', ?)",
        [date(2026, 4, 5), AT],
    )
    con.execute(
        "insert into transfer_lines (transfer_id, line_no, sku, quantity, shipped, received)"
        " select transfer_id, 1, 'LAMP-LED-9W', 5, 5, 2 from transfers"
    )
    con.execute(
        "insert into stock_policies (warehouse_code, sku, safety_stock, reorder_point, updated_by, updated_at)"
        " values ('SH', 'BOLT-M8', 950, 1000, 'warehouse', ?)",
        [AT],
    )
    con.execute(
        "insert into stock_alerts (warehouse_code, sku, opened_at, available_at_open, safety_stock, reorder_point,"
        " inbound_at_open, suggested_reorder) values ('SH', 'BOLT-M8', ?, 900, 950, 1000, 0, 1000)",
        [AT],
    )
    con.execute(
        "insert into order_versions (order_number, version, created_by, created_at, status, header, lines, subtotal,"
        " tax_total, total) values ('SO-1', 1, 'sales', ?, 'paid', '{}', '[]', 1, 0.13, 1.13)",
        [AT],
    )
    con.execute(
        "insert into approval_requests (order_number, version, rule_id, rule_name, condition_kind, level, roles, why,"
        " requested_by, requested_at) values ('SO-1', 1, 1, 'Large order', 'order_total_over', 1, ['manager'],"
        " 'order total over 50000.00', 'sales', ?)",
        [AT],
    )


@pytest.fixture(scope="module")
def settled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    data_dir = tmp_path_factory.mktemp("dbt_settled")
    con = build_lake(data_dir)
    settle(con)
    plan_stock_and_amend(con)
    write_lake(con, data_dir / "lake" / "oms")
    con.close()
    yield dbt_build(data_dir, *STAGING)


def test_the_settlement_staging_models_build_and_pass_their_tests(settled):
    assert settled.success, settled.failed()
    assert any("stg_oms__shipment_lines" in node for node in settled.statuses)


def test_staged_payments_refunds_and_shipment_lines_keep_every_row(settled):
    with settled.warehouse() as wh:
        by_method = dict(wh.execute("select payment_method, amount from stg_oms__payments").fetchall())
        [(line_id, order_line)] = wh.execute(
            "select shipment_line_id, order_line_id from stg_oms__shipment_lines"
        ).fetchall()
        [(is_due,)] = wh.execute("select is_due from stg_oms__refunds").fetchall()
    assert set(by_method) == {"alipay", "bank_transfer", "card"}
    assert line_id.endswith("-1") and order_line == "SO-2-1"
    assert is_due is True


def test_staged_transfers_alerts_and_versions_keep_their_figures(settled):
    with settled.warehouse() as wh:
        [in_transit] = wh.execute("select in_transit_quantity from stg_oms__transfer_lines").fetchone()
        [is_open] = wh.execute("select is_open from stg_oms__stock_alerts").fetchone()
        [version_id] = wh.execute("select order_version_id from stg_oms__order_versions").fetchone()
        [pending] = wh.execute("select is_pending from stg_oms__approval_requests").fetchone()
    assert (in_transit, is_open, version_id, pending) == (3, True, "SO-1-1", True)
