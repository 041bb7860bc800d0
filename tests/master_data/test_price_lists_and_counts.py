"""Price lists a customer follows, and stock counts that become ledger adjustments (reason "count")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from oms_ops.adapters.channels import import_file
from tests.conftest import RunningServer
from tests.imports.conftest import csv_feed
from tests.integration.shop import assert_stock_invariants, lake
from tests.master_data.conftest import counts, load, write


def customer_on_list(server: RunningServer, tmp_path: Path, tag: str, *price_rows: str) -> str:
    """A new customer following a new price list KEY-<tag> with the rows given (sku,price,valid_from,valid_to)."""
    prices = [f"KEY-{tag},{row}" for row in price_rows]
    load(server, "price-lists", write(tmp_path, "pl.csv", "price_list,sku,price,valid_from,valid_to", *prices))
    code = f"C-PL{tag}"
    load(
        server,
        "customers",
        write(tmp_path, "c.csv", "customer_code,name,region,price_list", f"{code},PL,East,KEY-{tag}"),
    )
    return code


def test_a_typed_order_without_a_unit_price_takes_the_customers_price_list_price(
    shop: RunningServer, tag: str, tmp_path: Path
) -> None:
    code = customer_on_list(shop, tmp_path, tag, "BOLT-M8,0.19,2020-01-01,")

    with shop.client_as("sales") as sales:
        order = sales.place_order(code, [{"sku": "BOLT-M8", "quantity": 10}, {"sku": "LAMP-LED-9W", "quantity": 1}])

    assert [line.unit_price for line in order.lines] == [Decimal("0.19"), Decimal("12.90")]


def test_a_line_added_by_an_amendment_takes_the_price_list_price_and_kept_lines_keep_theirs(
    shop: RunningServer, tag: str, tmp_path: Path
) -> None:
    code = customer_on_list(shop, tmp_path, tag, "BOLT-M8,0.19,2020-01-01,", "LAMP-LED-9W,9.00,2020-01-01,")
    with shop.client_as("sales") as sales:
        order = sales.place_order(code, [{"sku": "BOLT-M8", "quantity": 10}])

        amended = sales.amend_order(
            order.order_number,
            [{"sku": "BOLT-M8", "quantity": 10}, {"sku": "LAMP-LED-9W", "quantity": 1}],
            "customer adds a lamp",
        )

    assert [line.unit_price for line in amended.lines] == [Decimal("0.19"), Decimal("9.00")]


def test_an_imported_line_without_a_unit_price_takes_the_price_list_price_of_its_order_date(
    shop: RunningServer, tag: str, tmp_path: Path
) -> None:
    code = customer_on_list(shop, tmp_path, tag, "BOLT-M8,0.19,2020-01-01,2026-06-30", "BOLT-M8,0.17,2026-07-01,")
    feed = csv_feed(f"PL-{tag}-1,2026-03-01,{code},BOLT-M8,10,,", f"PL-{tag}-2,2026-08-01,{code},BOLT-M8,10,,")

    with shop.system_client() as client:
        import_file(client, write(tmp_path, "orders.csv", feed), f"pl-{tag}")
        prices = (
            lake(shop)
            .execute(
                "select o.external_ref, l.unit_price from orders o join order_lines l using (order_number)"
                " where o.customer_code = ? order by o.external_ref",
                [code],
            )
            .fetchall()
        )

    assert prices == [(f"PL-{tag}-1", Decimal("0.19")), (f"PL-{tag}-2", Decimal("0.17"))]


def test_a_price_outside_its_validity_does_not_apply(shop: RunningServer, tag: str, tmp_path: Path) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    code = customer_on_list(shop, tmp_path, tag, f"BOLT-M8,0.10,{tomorrow},", "LAMP-LED-9W,9.00,2020-01-01,2020-12-31")

    with shop.client_as("sales") as sales:
        order = sales.place_order(code, [{"sku": "BOLT-M8", "quantity": 1}, {"sku": "LAMP-LED-9W", "quantity": 1}])

    assert [line.unit_price for line in order.lines] == [Decimal("0.25"), Decimal("12.90")]


def test_a_managers_own_unit_price_wins_over_the_price_list(shop: RunningServer, tag: str, tmp_path: Path) -> None:
    code = customer_on_list(shop, tmp_path, tag, "BOLT-M8,0.19,2020-01-01,")

    with shop.client_as("manager") as manager:
        order = manager.place_order(code, [{"sku": "BOLT-M8", "quantity": 1, "unit_price": "0.22"}])

    assert order.lines[0].unit_price == Decimal("0.22")


def test_a_customers_prices_can_be_read_through_the_api(shop: RunningServer, tag: str, tmp_path: Path) -> None:
    code = customer_on_list(shop, tmp_path, tag, "BOLT-M8,0.18,2020-01-01,")

    with shop.client_as("sales") as sales:
        prices = sales.customer_prices(code, ["BOLT-M8", "LAMP-LED-9W"])

    assert prices.prices == {"BOLT-M8": Decimal("0.18")}


def test_a_price_row_with_a_later_price_updates_it_and_a_bad_date_is_quarantined(
    shop: RunningServer, tag: str, tmp_path: Path
) -> None:
    header = "price_list,sku,price,valid_from"
    load(shop, "price-lists", write(tmp_path, "a.csv", header, f"U-{tag},BOLT-M8,0.20,2026/01/01"))

    summary = load(
        shop,
        "price-lists",
        write(tmp_path, "b.csv", header, f"U-{tag},BOLT-M8,0.21,2026-01-01", f"U-{tag},BOLT-M8,1,someday"),
    )

    assert counts(summary) == (2, 0, 1, 0, 1)
    with shop.system_client() as client:
        (row,) = client.master_data_quarantine(summary.load_id or 0)
    assert (row.field, row.reason) == ("valid_from", 'not a date: "someday"')


def counted_product(server: RunningServer, tmp_path: Path, tag: str, on_hand: int) -> str:
    sku = f"CNT-{tag}"
    load(server, "products", write(tmp_path, "p.csv", "sku,name,category,cost,list_price", f"{sku},Counted,tools,1,2"))
    with server.system_client() as system:
        system.bulk_receive({("SH", sku): on_hand})
    return sku


def test_a_stock_count_becomes_an_adjustment_with_reason_count_and_stock_stays_equal_to_the_ledger(
    shop: RunningServer, tag: str, tmp_path: Path
) -> None:
    sku = counted_product(shop, tmp_path, tag, 100)

    summary = load(
        shop, "stock-counts", write(tmp_path, "count.csv", "warehouse,sku,counted", f"SH,{sku},97", f"GZ,{sku},4")
    )

    assert counts(summary) == (2, 1, 1, 0, 0)
    con = lake(shop)
    adjustments = con.execute(
        "select warehouse_code, on_hand_delta, reason from stock_ledger where sku = ? and movement = 'adjustment'"
        " order by warehouse_code",
        [sku],
    ).fetchall()
    assert adjustments == [("GZ", 4, "count"), ("SH", -3, "count")]
    assert con.execute(
        "select on_hand from stock_levels where sku = ? and warehouse_code = 'SH'", [sku]
    ).fetchall() == [(97,)]
    assert_stock_invariants(con)


def test_the_same_count_loaded_twice_adjusts_once(shop: RunningServer, tag: str, tmp_path: Path) -> None:
    sku = counted_product(shop, tmp_path, tag, 10)
    path = write(tmp_path, "count.csv", "warehouse,sku,counted", f"SH,{sku},12")
    load(shop, "stock-counts", path)

    assert counts(load(shop, "stock-counts", path)) == (1, 0, 0, 1, 0)


def test_a_count_below_what_is_reserved_is_quarantined_and_changes_nothing(
    shop: RunningServer, tag: str, tmp_path: Path
) -> None:
    sku = counted_product(shop, tmp_path, tag, 10)
    with shop.client_as("sales") as sales:
        sales.place_order("C-ACME", [{"sku": sku, "quantity": 6, "warehouse": "SH"}])

    summary = load(shop, "stock-counts", write(tmp_path, "count.csv", "warehouse,sku,counted", f"SH,{sku},5"))

    with shop.system_client() as client:
        (row,) = client.master_data_quarantine(summary.load_id or 0)
        (stock,) = client.stock(sku=sku)
    assert (row.field, row.reason) == (
        "counted",
        "counted 5 is below the 6 units reserved for orders (count again, or release orders first)",
    )
    assert (stock.on_hand, stock.reserved) == (10, 6)
