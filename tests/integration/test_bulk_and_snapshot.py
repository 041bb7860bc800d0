"""Bulk loads (all or nothing, naming the bad row), order history import, snapshots and the stock invariant."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import duckdb
import polars as pl
import pytest

from oms_ops.client import Conflict, InvalidInput
from oms_ops.domain.lifecycle import ALLOWED_MOVES, Status
from tests.conftest import create_role_users, start_server
from tests.integration.shop import (
    assert_stock_invariants,
    call,
    lake,
    load_catalogue,
    login_token,
    open_stopped_database,
    stock_of,
)

HISTORY_COLUMNS = {
    "channel": pl.String,
    "external_ref": pl.String,
    "customer_code": pl.String,
    "ordered_at": pl.Datetime("us", "UTC"),
    "status": pl.String,
    "sku": pl.String,
    "warehouse_code": pl.String,
    "quantity": pl.Int64,
    "unit_price": pl.String,
    "discount_pct": pl.String,
}

HISTORY = [
    ("webshop", "WS-100", "C-ACME", datetime(2025, 1, 10, 3, tzinfo=UTC), "completed", "BOLT-M8", "SH", 40, None, None),
    ("webshop", "WS-100", "C-ACME", datetime(2025, 1, 10, 3, tzinfo=UTC), "completed", "LAMP-LED-9W", "SH", 3,
     "10.00", "5"),
    ("edi", "EDI-200", "C-NORTH", datetime(2025, 2, 3, 9, tzinfo=UTC), "completed", "LAMP-LED-9W", "GZ", 6, None, None),
    ("edi", "EDI-300", "C-NORTH", datetime(2025, 2, 4, 9, tzinfo=UTC), "cancelled", "CABLE-CAT6", "SH", 2, None, None),
    ("edi", "EDI-400", "C-NORTH", datetime(2025, 2, 5, 9, tzinfo=UTC), "to_ship", "CABLE-CAT6", "SH", 1, None, None),
]  # fmt: skip


def history_frame(rows=HISTORY) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=HISTORY_COLUMNS, orient="row")


def counts(server) -> dict[str, int]:
    con = lake(server)
    tables = ("products", "customers", "warehouses", "stock_levels", "stock_ledger", "orders", "order_lines")
    return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}


def test_a_snapshot_writes_one_parquet_file_per_table_whose_rows_match(shop):
    with shop.client_as("sales") as sales:
        sales.place_order("C-ACME", [{"sku": "BOLT-M8", "quantity": 5}, {"sku": "LAMP-LED-9W", "quantity": 1}])
    with shop.system_client() as system:
        result = system.snapshot()
    lake_dir = Path(shop.data_dir) / "lake" / "oms"
    expected = {"customers": 3, "products": 4, "warehouses": 2, "stock_levels": 5, "stock_ledger": 7, "orders": 1,
                "order_lines": 2, "order_events": 1, "payments": 0, "shipments": 0, "shipment_lines": 0,
                "refunds": 0, "order_versions": 0, "approval_requests": 0, "transfers": 0, "transfer_lines": 0,
                "stock_alerts": 0, "stock_policies": 0}  # fmt: skip
    assert {t.table for t in result.tables} == set(expected)
    for table in result.tables:
        assert Path(table.path) == (lake_dir / f"{table.table}.parquet").resolve()
        on_disk = duckdb.sql(f"select count(*) from read_parquet('{table.path}')").fetchall()[0][0]
        assert table.rows == on_disk == expected[table.table], table.table
    assert sorted(p.name for p in lake_dir.iterdir()) == sorted(f"{t}.parquet" for t in expected)  # no temp files
    assert result.taken_at.tzinfo is not None


def test_a_snapshot_never_copies_users_or_sessions(shared_shop):
    with shared_shop.system_client() as system:
        tables = {t.table for t in system.snapshot().tables}
    assert not tables & {"users", "sessions"}


def test_a_snapshot_needs_admin_or_system(shared_shop):
    response = call(shared_shop, "POST", "/snapshots", token=login_token(shared_shop, "analyst"))
    assert response.status_code == 403


def test_money_in_the_snapshot_is_exact_decimal(shared_shop):
    with shared_shop.client_as("sales") as sales:
        number = sales.place_order("C-ACME", [{"sku": "BOLT-M8", "quantity": 2}]).order_number
    con = lake(shared_shop)
    types = dict(con.execute("select column_name, column_type from (describe orders)").fetchall())
    assert types["total"] == "DECIMAL(18,2)"
    assert con.execute("select total from orders where order_number = ?", [number]).fetchall() == [(Decimal("0.57"),)]


def test_a_bulk_load_with_a_bad_row_names_the_row_and_field_and_writes_nothing(shared_shop):
    before = counts(shared_shop)
    products = pl.DataFrame(
        {
            "sku": ["NEW-1", "NEW-2", "NEW-3"],
            "name": ["One", "Two", "Three"],
            "category": ["misc"] * 3,
            "list_price": ["1.00", "abc", "3.00"],
            "cost": ["0.50", "1.00", "1.50"],
        }
    )
    with shared_shop.system_client() as system, pytest.raises(InvalidInput) as caught:
        system.bulk_load("products", products)
    assert caught.value.status == 422
    assert caught.value.field == "list_price"
    assert "row 2" in caught.value.message and "abc" in caught.value.message
    assert counts(shared_shop) == before


def test_a_bad_stock_movement_row_rolls_back_the_good_rows_before_it(shared_shop):
    before, stock_before = counts(shared_shop), stock_of(shared_shop)
    now = datetime.now(UTC)
    movements = pl.DataFrame(
        {
            "occurred_at": [now] * 3,
            "warehouse_code": ["SH", "SH", "SH"],
            "sku": ["BOLT-M8", "LAMP-LED-9W", "GHOST-SKU"],
            "movement": ["receipt"] * 3,
            "on_hand_delta": [10, 10, 10],
        }
    )
    with shared_shop.system_client() as system, pytest.raises(InvalidInput) as caught:
        system.bulk_load("stock_movements", movements)
    assert caught.value.field == "sku"
    assert "row 3" in caught.value.message and "GHOST-SKU" in caught.value.message
    assert counts(shared_shop) == before
    assert stock_of(shared_shop) == stock_before


def test_a_stock_movement_that_would_make_stock_negative_is_refused_whole(shared_shop):
    before = counts(shared_shop)
    movements = pl.DataFrame(
        {
            "occurred_at": [datetime.now(UTC)] * 2,
            "warehouse_code": ["SH", "SH"],
            "sku": ["BOLT-M8", "CABLE-CAT6"],
            "movement": ["adjustment", "adjustment"],
            "on_hand_delta": [5, -6],  # only 5 cables on hand
        }
    )
    with shared_shop.system_client() as system, pytest.raises(Conflict) as caught:
        system.bulk_load("stock_movements", movements)
    assert [(s.sku, s.warehouse) for s in caught.value.short] == [("CABLE-CAT6", "SH")]
    assert counts(shared_shop) == before


@pytest.mark.parametrize(
    ("entity", "frame", "field"),
    [
        ("warehouses", pl.DataFrame({"warehouse_code": ["BJ"]}), "name"),
        ("warehouses", pl.DataFrame({"warehouse_code": ["BJ", "BJ"], "name": ["a", "b"]}), "warehouse_code"),
        ("customers", pl.DataFrame({"customer_code": [None, "C-X"], "name": ["a", "b"]}), "customer_code"),
    ],
    ids=["missing column", "duplicate key", "empty key"],
)
def test_a_bulk_load_with_bad_shape_names_the_field(shared_shop, entity, frame, field):
    before = counts(shared_shop)
    with shared_shop.system_client() as system, pytest.raises(InvalidInput) as caught:
        system.bulk_load(entity, frame)
    assert caught.value.field == field
    assert counts(shared_shop) == before


def test_a_bulk_load_of_an_unknown_entity_or_a_damaged_file_answers_422(shared_shop):
    headers = {"Content-Type": "application/vnd.apache.parquet"}
    unknown = call(shared_shop, "POST", "/bulk/planets", token=shared_shop.api_key, content=b"x", headers=headers)
    assert (unknown.status_code, unknown.json()["field"]) == (422, "entity")
    damaged = call(shared_shop, "POST", "/bulk/products", token=shared_shop.api_key, content=b"nope", headers=headers)
    assert (damaged.status_code, damaged.json()["field"]) == (422, "body")


def test_order_history_with_an_unknown_customer_writes_no_order(shared_shop):
    before = counts(shared_shop)
    rows = [HISTORY[0], ("edi", "EDI-9", "C-GHOST", *HISTORY[2][3:])]
    with shared_shop.system_client() as system, pytest.raises(InvalidInput) as caught:
        system.bulk_load("order_history", history_frame(rows))
    assert caught.value.field == "customer_code"
    assert "row 2" in caught.value.message
    assert counts(shared_shop) == before


def test_order_history_refuses_a_status_the_customer_cannot_reach(shared_shop):
    before = counts(shared_shop)
    # C-NORTH is on terms: its orders never wait for payment.
    rows = [("edi", "EDI-9", "C-NORTH", *HISTORY[2][3:4], "pending_payment", *HISTORY[2][5:])]
    with shared_shop.system_client() as system, pytest.raises(InvalidInput) as caught:
        system.bulk_load("order_history", history_frame(rows))
    assert caught.value.field == "status"
    assert counts(shared_shop) == before


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """A server of its own with the catalogue and HISTORY imported; yields (server, {order_number: order})."""
    server = start_server(tmp_path_factory.mktemp("imported"))
    try:
        create_role_users(server)
        load_catalogue(server)
        with server.system_client() as system:
            assert system.bulk_load("order_history", history_frame()).rows == 4
            found = system.list_orders(page_size=500).items
            yield server, {o.order_number: system.get_order(o.order_number) for o in found}
    finally:
        server.stop()


def by_ref(imported):
    return {o.external_ref: o for o in imported[1].values()}


def test_order_history_creates_orders_in_their_final_status_with_the_customers_name(imported):
    orders = by_ref(imported)
    assert {ref: o.status for ref, o in orders.items()} == {
        "WS-100": "completed",
        "EDI-200": "completed",
        "EDI-300": "cancelled",
        "EDI-400": "to_ship",
    }
    assert orders["WS-100"].customer_name == "Acme Trading Co."
    assert orders["WS-100"].ordered_at == datetime(2025, 1, 10, 3, tzinfo=UTC)


def test_order_history_prices_lines_from_the_given_price_and_discount_or_the_list_price(imported):
    ws = by_ref(imported)["WS-100"]
    bolt, lamp = ws.lines
    assert (bolt.unit_price, bolt.line_net, bolt.line_tax) == (Decimal("0.25"), Decimal("10.00"), Decimal("1.30"))
    assert (lamp.unit_price, lamp.discount_pct, lamp.line_net) == (Decimal("10.00"), Decimal("5.00"), Decimal("28.50"))
    assert lamp.line_tax == Decimal("3.71")  # 3.705 half-up
    assert ws.subtotal == Decimal("38.50")
    assert ws.total == sum((line.line_total for line in ws.lines), Decimal(0))


def test_imported_order_events_form_a_legal_chain_ending_in_the_order_status(imported):
    for order in imported[1].values():
        events = order.events
        assert events, order.order_number
        assert events[0].from_status is None
        for previous, event in pairwise(events):
            assert event.from_status == previous.to_status
            assert Status(event.to_status) in ALLOWED_MOVES[Status(event.from_status)], (order.external_ref, event)
            assert event.occurred_at >= previous.occurred_at
        assert events[-1].to_status == order.status
    chains = {o.external_ref: [e.to_status for e in o.events] for o in imported[1].values()}
    assert chains["WS-100"] == ["pending_payment", "paid", "to_ship", "shipped", "completed"]
    assert chains["EDI-200"] == ["to_ship", "shipped", "completed"]
    assert chains["EDI-300"] == ["to_ship", "cancelled"]


def test_imported_shipments_appear_in_the_ledger_and_lower_on_hand(imported):
    server, orders = imported
    shipped = (
        lake(server)
        .execute(
            "select order_number, warehouse_code, sku, on_hand_delta, reserved_delta from stock_ledger"
            " where movement = 'shipment' order by order_number, sku"
        )
        .fetchall()
    )
    refs = {o.order_number: o.external_ref for o in orders.values()}
    assert [(refs[n], wh, sku, oh, rs) for n, wh, sku, oh, rs in shipped] == [
        ("WS-100", "SH", "BOLT-M8", -40, 0),
        ("WS-100", "SH", "LAMP-LED-9W", -3, 0),
        ("EDI-200", "GZ", "LAMP-LED-9W", -6, 0),
    ]
    stock = stock_of(server)
    assert stock[("SH", "BOLT-M8")] == (960, 0)
    assert stock[("GZ", "LAMP-LED-9W")] == (14, 0)
    assert stock[("SH", "CABLE-CAT6")] == (5, 1)  # EDI-400 is still to ship: reserved; EDI-300 cancelled: nothing


def test_importing_the_same_history_again_creates_nothing(imported):
    server, _ = imported
    with server.system_client() as system:
        before = system.list_orders().total_count
        assert system.bulk_load("order_history", history_frame()).rows == 0
        assert system.list_orders().total_count == before
    assert_stock_invariants(lake(server))


def test_new_orders_are_numbered_after_imported_ones(imported):
    server, orders = imported
    with server.client_as("sales") as sales:
        fresh = sales.place_order("C-ACME", [{"sku": "BOLT-M8", "quantity": 1}])
    assert fresh.order_number not in orders
    assert fresh.order_number > max(orders)


def exercise(server) -> None:
    """A little of everything that moves stock: orders, a shortage, receipts, history."""
    with server.client_as("sales") as sales, server.client_as("warehouse") as clerk:
        sales.place_order("C-ACME", [{"sku": "BOLT-M8", "quantity": 12}, {"sku": "LAMP-LED-9W", "quantity": 4}])
        sales.place_order("C-NORTH", [{"sku": "LAMP-LED-9W", "quantity": 10, "warehouse": "GZ"}])
        with pytest.raises(Conflict):
            sales.place_order("C-NORTH", [{"sku": "CABLE-CAT6", "quantity": 99}])
        clerk.receive_stock("GZ", "BOLT-M8", 77)
        sales.place_order("C-NORTH", [{"sku": "BOLT-M8", "quantity": 70, "warehouse": "GZ"}])
    with server.system_client() as system:
        system.bulk_load("order_history", history_frame())


def test_stock_levels_equal_the_ledger_sums_in_the_snapshot(shop):
    exercise(shop)
    assert_stock_invariants(lake(shop))


def test_stock_levels_equal_the_ledger_sums_in_the_database_file_itself(shop):
    exercise(shop)
    with open_stopped_database(shop) as con:
        assert_stock_invariants(con)
        # Every order's history replays to its status: the last event names where it is now.
        mismatched = con.execute(
            "select o.order_number, o.status, e.to_status from orders o"
            " left join (select order_number, arg_max(to_status, event_id) as to_status from order_events"
            "  group by order_number) e using (order_number)"
            " where e.to_status is distinct from o.status"
        ).fetchall()
        assert mismatched == []
        # Reservations held equal the open orders' quantities.
        held = con.execute(
            "select coalesce(sum(l.quantity), 0) from order_lines l join orders o using (order_number)"
            " where o.status in ('pending_payment', 'paid', 'to_ship')"
        ).fetchone()[0]
        assert held == con.execute("select sum(reserved) from stock_levels").fetchone()[0]
