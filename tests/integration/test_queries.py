"""Looking things up: GET /orders with filters and pages, /stock, /customers, /products, /warehouses."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from oms_ops.settings import Settings
from tests.integration.shop import call, login_token

LOCAL = ZoneInfo(Settings().timezone)  # the server reads the same environment

# Four historical orders (one line each except WS-1) on known dates, loaded through the bulk path.
HISTORY = [
    # channel, external_ref, customer, ordered_at (UTC), status, sku, warehouse, quantity
    ("webshop", "WS-1", "C-ACME", datetime(2025, 3, 1, 2, 0, tzinfo=UTC), "completed", "BOLT-M8", "SH", 100),
    ("webshop", "WS-1", "C-ACME", datetime(2025, 3, 1, 2, 0, tzinfo=UTC), "completed", "LAMP-LED-9W", "SH", 2),
    ("webshop", "WS-2", "C-NORTH", datetime(2025, 3, 1, 17, 0, tzinfo=UTC), "completed", "LAMP-LED-9W", "GZ", 3),
    ("edi", "EDI-3", "C-HUAXIN", datetime(2025, 6, 15, 4, 0, tzinfo=UTC), "cancelled", "CABLE-CAT6", "SH", 1),
    ("edi", "EDI-4", "C-NORTH", datetime(2025, 6, 20, 4, 0, tzinfo=UTC), "to_ship", "BOLT-M8", "SH", 5),
]
COLUMNS = ["channel", "external_ref", "customer_code", "ordered_at", "status", "sku", "warehouse_code", "quantity"]


@pytest.fixture(scope="module")
def desk(shared_shop):
    """The shared shop with the history above plus two orders placed today; returns (server, token, numbers)."""
    with shared_shop.system_client() as system:
        frame = pl.DataFrame(HISTORY, schema=COLUMNS, orient="row")
        assert system.bulk_load("order_history", frame).rows == 4
    with shared_shop.client_as("sales") as sales:
        today = [
            sales.place_order("C-ACME", [{"sku": "BOLT-M8", "quantity": 3, "warehouse": "SH"}]).order_number,
            sales.place_order("C-NORTH", [{"sku": "BOLT-M8", "quantity": 4, "warehouse": "SH"}]).order_number,
        ]
    return shared_shop, login_token(shared_shop, "analyst"), today


def orders(desk, **params):
    server, token, _ = desk
    response = call(server, "GET", "/orders", token=token, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def refs(page) -> list[str]:
    return sorted(item["order_number"] for item in page["items"])


def test_the_order_list_has_the_page_shape_and_counts_everything(desk):
    page = orders(desk)
    assert set(page) == {"items", "total_count", "page", "page_size"}
    assert (page["total_count"], page["page"], page["page_size"], len(page["items"])) == (6, 1, 50, 6)
    assert set(page["items"][0]) == {
        "order_number", "customer_code", "customer_name", "channel", "status", "total", "currency", "ordered_at",
        "line_count",
    }  # fmt: skip


def test_the_order_list_is_newest_first(desk):
    times = [item["ordered_at"] for item in orders(desk)["items"]]
    assert times == sorted(times, reverse=True)


def test_a_query_finds_an_order_by_its_number(desk):
    number = desk[2][0]
    page = orders(desk, query=number)
    assert page["total_count"] == 1
    assert page["items"][0]["order_number"] == number


def test_a_query_finds_orders_by_customer_name_ignoring_case(desk):
    page = orders(desk, query="northwind")
    assert page["total_count"] == 3
    assert {item["customer_code"] for item in page["items"]} == {"C-NORTH"}
    assert {item["customer_name"] for item in page["items"]} == {"Northwind Industrial Ltd."}


def test_a_query_finds_orders_by_chinese_customer_name(desk):
    page = orders(desk, query="华信")
    assert [item["customer_code"] for item in page["items"]] == ["C-HUAXIN"]


def test_a_query_finds_orders_by_external_reference(desk):
    assert orders(desk, query="EDI-")["total_count"] == 2


def test_a_customer_code_filter_keeps_only_that_customer(desk):
    page = orders(desk, customer_code="C-ACME")
    assert page["total_count"] == 2
    assert {item["customer_code"] for item in page["items"]} == {"C-ACME"}


@pytest.mark.parametrize(
    ("status", "count"), [("completed", 2), ("cancelled", 1), ("to_ship", 2), ("pending_payment", 1), ("paid", 0)]
)
def test_a_status_filter_keeps_only_orders_in_that_status(desk, status, count):
    page = orders(desk, status=status)
    assert page["total_count"] == count
    assert {item["status"] for item in page["items"]} <= {status}


def test_an_unknown_status_filter_answers_422_naming_status(desk):
    server, token, _ = desk
    response = call(server, "GET", "/orders", token=token, params={"status": "lost_in_space"})
    assert response.status_code == 422
    assert response.json()["field"] == "status"


def test_a_date_range_uses_the_local_business_date(desk):
    # WS-2 was ordered at 17:00 UTC on 1 March, which is already 2 March in Shanghai.
    local_days = {}
    for channel, ref, _, at, *_ in HISTORY:
        local_days[(channel, ref)] = at.astimezone(LOCAL).date()
    expected_first = sorted(ref for (_, ref), day in local_days.items() if day == date(2025, 3, 1))
    page = orders(desk, date_from="2025-03-01", date_to="2025-03-01")
    assert page["total_count"] == len(expected_first)
    spring = orders(desk, date_from="2025-03-01", date_to="2025-03-31")
    assert spring["total_count"] == 2
    assert orders(desk, date_from="2025-06-01", date_to="2025-06-30")["total_count"] == 2
    assert orders(desk, date_from="2025-06-16")["total_count"] == 3  # EDI-4 and today's two
    assert orders(desk, date_to="2025-06-16")["total_count"] == 3


def test_a_bad_date_answers_422_naming_the_parameter(desk):
    server, token, _ = desk
    response = call(server, "GET", "/orders", token=token, params={"date_from": "yesterday"})
    assert response.status_code == 422
    assert response.json()["field"] == "date_from"


def test_pages_split_the_list_without_overlap_and_keep_the_total(desk):
    pages = [orders(desk, page=n, page_size=4) for n in (1, 2, 3)]
    assert [p["total_count"] for p in pages] == [6, 6, 6]
    assert [len(p["items"]) for p in pages] == [4, 2, 0]
    numbers = [item["order_number"] for p in pages for item in p["items"]]
    assert len(set(numbers)) == 6


@pytest.mark.parametrize("params", [{"page": 0}, {"page_size": 0}, {"page_size": 501}])
def test_page_numbers_and_sizes_out_of_range_answer_422(desk, params):
    server, token, _ = desk
    response = call(server, "GET", "/orders", token=token, params=params)
    assert response.status_code == 422
    assert response.json()["field"] == next(iter(params))


def test_stock_without_filters_lists_every_location_with_available(desk):
    server, token, _ = desk
    rows = call(server, "GET", "/stock", token=token).json()
    assert [(r["sku"], r["warehouse"]) for r in rows] == sorted((r["sku"], r["warehouse"]) for r in rows)
    assert len(rows) == 5
    for row in rows:
        assert set(row) == {"warehouse", "sku", "on_hand", "reserved", "available"}
        assert row["available"] == row["on_hand"] - row["reserved"]
    sh_bolt = next(r for r in rows if (r["warehouse"], r["sku"]) == ("SH", "BOLT-M8"))
    # 1000 received, 100 shipped by WS-1, 5 reserved by EDI-4, 3 + 4 reserved today.
    assert (sh_bolt["on_hand"], sh_bolt["reserved"], sh_bolt["available"]) == (900, 12, 888)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sku": "LAMP-LED-9W"}, [("GZ", "LAMP-LED-9W"), ("SH", "LAMP-LED-9W")]),
        ({"warehouse": "GZ"}, [("GZ", "GUIDE-SAFETY"), ("GZ", "LAMP-LED-9W")]),
        ({"sku": "LAMP-LED-9W", "warehouse": "GZ"}, [("GZ", "LAMP-LED-9W")]),
        ({"sku": "NO-SUCH-SKU"}, []),
    ],
)
def test_stock_filters_by_sku_and_warehouse(desk, params, expected):
    server, token, _ = desk
    rows = call(server, "GET", "/stock", token=token, params=params).json()
    assert [(r["warehouse"], r["sku"]) for r in rows] == expected


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("acme", ["C-ACME"]),
        ("C-NORTH", ["C-NORTH"]),
        ("huaxin", ["C-HUAXIN"]),  # the English name
        ("华信", ["C-HUAXIN"]),
        ("C-", ["C-ACME", "C-HUAXIN", "C-NORTH"]),
        ("zzz", []),
    ],
)
def test_a_customer_query_matches_code_or_name(desk, query, codes):
    server, token, _ = desk
    response = call(server, "GET", "/customers", token=token, params={"query": query})
    assert response.status_code == 200
    assert [c["customer_code"] for c in response.json()] == codes


def test_customers_carry_terms_and_credit_as_exact_decimals(desk):
    server, token, _ = desk
    north = call(server, "GET", "/customers", token=token, params={"query": "C-NORTH"}).json()[0]
    assert north["payment_terms_days"] == 30
    assert north["credit_limit"] == "50000.00"
    assert north["tier"] == "standard"


def test_the_customer_limit_is_respected(desk):
    server, token, _ = desk
    response = call(server, "GET", "/customers", token=token, params={"query": "C-", "limit": 2})
    assert [c["customer_code"] for c in response.json()] == ["C-ACME", "C-HUAXIN"]


@pytest.mark.parametrize(
    ("query", "skus"),
    [
        ("lamp", ["LAMP-LED-9W"]),
        ("BOLT-M8", ["BOLT-M8"]),
        ("cable 305", ["CABLE-CAT6"]),  # part of the name
        ("9787111111111", ["GUIDE-SAFETY"]),  # the exact GTIN
        (None, ["BOLT-M8", "CABLE-CAT6", "GUIDE-SAFETY", "LAMP-LED-9W"]),
    ],
)
def test_a_product_query_matches_sku_or_name(desk, query, skus):
    server, token, _ = desk
    response = call(server, "GET", "/products", token=token, params={"query": query} if query else {})
    assert [p["sku"] for p in response.json()] == skus


def test_the_product_limit_is_respected_and_prices_are_exact(desk):
    server, token, _ = desk
    products = call(server, "GET", "/products", token=token, params={"limit": 2}).json()
    assert [(p["sku"], p["list_price"], p["tax_rate"]) for p in products] == [
        ("BOLT-M8", "0.25", "0.1300"),
        ("CABLE-CAT6", "459.00", "0.1300"),
    ]


def test_warehouses_are_listed_by_code(desk):
    with desk[0].client_as("warehouse") as clerk:
        assert [(w.warehouse_code, w.city) for w in clerk.warehouses()] == [("GZ", "Guangzhou"), ("SH", "Shanghai")]
