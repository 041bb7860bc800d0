"""The demo data generator: contract shapes, determinism, referential integrity, stock cover, realism."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import polars as pl
import pytest

from oms_ops.client import Conflict
from oms_ops.contracts import BulkResult, ErrorBody, UserOut
from oms_ops.demo import DEMO_USERS, DemoData, generate, load_demo
from oms_ops.demo.generate import DEMAND_STATUSES, SCHEMAS, gs1_check_digit, gs1_valid
from oms_ops.demo.load import history_chunks
from oms_ops.services.bulk import ENTITIES

TODAY = date(2026, 6, 15)


@pytest.fixture(scope="module")
def data() -> DemoData:
    return generate(seed=7, scale=1.0, today=TODAY)


@pytest.fixture(scope="module")
def orders(data: DemoData) -> pl.DataFrame:
    """One row per order."""
    return (
        data.order_history.group_by("channel", "external_ref", maintain_order=True)
        .agg(pl.col("customer_code", "ordered_at", "status", "warehouse_code").n_unique().name.suffix("_n"),
             pl.first("customer_code", "ordered_at", "status", "warehouse_code"), lines=pl.len())
        .join(data.customers.select("customer_code", "tier", "payment_terms_days"), on="customer_code")
    )  # fmt: skip


def test_frames_have_exactly_the_columns_the_servers_bulk_load_takes(data: DemoData) -> None:
    frames = data.frames()
    assert list(frames) == ["warehouses", "products", "customers", "stock_movements", "order_history", "payments"]
    for name, frame in frames.items():
        entity = ENTITIES[name]
        assert set(frame.columns) == set(entity.required) | set(entity.optional), name
        assert frame.schema == pl.Schema(SCHEMAS[name]), name


def test_money_is_exact_decimal_and_times_are_utc(data: DemoData) -> None:
    assert data.products.schema["list_price"] == pl.Decimal(18, 2)
    assert data.order_history.schema["unit_price"] == pl.Decimal(18, 2)
    assert data.order_history.schema["ordered_at"] == pl.Datetime("us", "UTC")


def test_sizes_at_scale_one(data: DemoData, orders: pl.DataFrame) -> None:
    assert data.warehouses["warehouse_code"].to_list() == ["SH", "GZ", "BJ"]
    assert data.warehouses["city"].to_list() == ["Shanghai", "Guangzhou", "Beijing"]
    assert data.warehouses["region"].to_list() == ["East", "South", "North"]
    assert data.products.height == 500
    assert data.products["category"].n_unique() >= 10
    assert data.customers.height == 200
    assert 47_000 <= orders.height <= 53_000
    assert 185_000 <= data.order_history.height <= 215_000


def test_scale_grows_customers_and_orders_but_not_products() -> None:
    small = generate(seed=7, scale=0.2, today=TODAY)
    large = generate(seed=7, scale=0.6, today=TODAY)
    assert small.products.equals(large.products)
    assert small.warehouses.equals(large.warehouses)
    assert (small.customers.height, large.customers.height) == (40, 120)
    ratio = large.order_history.height / small.order_history.height
    assert 2.6 < ratio < 3.4


def test_same_seed_same_data_and_other_seed_other_data(data: DemoData) -> None:
    again = generate(seed=7, scale=1.0, today=TODAY)
    for name, frame in data.frames().items():
        assert frame.equals(again.frames()[name]), name
    other = generate(seed=8, scale=1.0, today=TODAY)
    assert not other.order_history.equals(data.order_history)
    assert not other.customers.equals(data.customers)


def test_keys_are_unique(data: DemoData, orders: pl.DataFrame) -> None:
    assert data.products["sku"].is_unique().all()
    assert data.products["name"].is_unique().all()
    assert data.customers["customer_code"].is_unique().all()
    assert data.customers["name"].is_unique().all()
    gtins = data.products["gtin"].drop_nulls()
    assert gtins.is_unique().all()
    assert data.customers["gln"].drop_nulls().is_unique().all()
    # external_ref identifies an order within its channel; one SKU appears once per order
    assert not data.order_history.select("channel", "external_ref", "sku").is_duplicated().any()
    assert orders.select("customer_code_n", "ordered_at_n", "status_n", "warehouse_code_n").max().row(0) == (1, 1, 1, 1)


def test_every_reference_exists_in_the_master_data(data: DemoData) -> None:
    skus = set(data.products["sku"])
    warehouses = set(data.warehouses["warehouse_code"])
    customers = set(data.customers["customer_code"])
    history = data.order_history
    assert set(history["sku"]) <= skus
    assert set(history["warehouse_code"]) <= warehouses
    assert set(history["customer_code"]) <= customers
    assert set(data.stock_movements["sku"]) <= skus
    assert set(data.stock_movements["warehouse_code"]) <= warehouses


def test_values_are_in_their_domains(data: DemoData) -> None:
    history = data.order_history
    assert set(history["channel"]) == {"manual", "marketplace", "erp", "edi"}
    assert set(history["status"]) <= {*DEMAND_STATUSES, "cancelled"}
    assert history["quantity"].min() > 0  # type: ignore[operator]
    assert history.null_count().drop("unit_price").row(0) == (0,) * 9
    discount = history["discount_pct"]
    assert Decimal(0) <= discount.min() and discount.max() <= Decimal(15)  # type: ignore[operator]
    products = data.products
    assert (products["cost"] < products["list_price"]).all()
    assert (products["cost"] > 0).all()
    assert set(products["tax_rate"]) <= {Decimal("0.13"), Decimal("0.09"), Decimal("0.06")}
    assert Decimal("0.09") in set(products["tax_rate"])
    customers = data.customers
    assert set(customers["tier"]) == {"key", "gold", "silver", "standard"}
    assert 2 <= (customers["tier"] == "key").sum() <= 10
    assert set(customers["payment_terms_days"]) == {0, 30, 60}
    assert customers["email"].str.contains("@").all()
    assert customers["name"].str.contains("有限公司").sum() > 100  # mostly Chinese companies
    assert customers["name"].str.contains(r"^[A-Za-z]").sum() > 5  # and some trading under English names
    assert customers.filter(pl.col("payment_terms_days") == 0)["credit_limit"].max() == Decimal(0)
    movements = data.stock_movements
    assert set(movements["movement"]) == {"receipt"}
    assert movements["on_hand_delta"].min() > 0  # type: ignore[operator]
    assert (movements["reserved_delta"] == 0).all()
    assert movements["order_number"].null_count() == movements.height


def test_gtin_and_gln_check_digits(data: DemoData) -> None:
    assert gs1_check_digit("400638133393") == "1"  # a published EAN-13: 4006381333931
    assert gs1_valid("4006381333931") and not gs1_valid("4006381333932")
    gtins = data.products["gtin"]
    assert 0.8 < 1 - gtins.null_count() / len(gtins) < 1  # most products, not all
    assert all(gs1_valid(code) for code in gtins.drop_nulls())
    glns = data.customers["gln"]
    assert 0.35 < 1 - glns.null_count() / len(glns) < 0.65  # about half the customers
    assert all(gs1_valid(code) for code in glns.drop_nulls())


def _cover(data: DemoData) -> pl.DataFrame:
    received = data.stock_movements.group_by("warehouse_code", "sku").agg(received=pl.col("on_hand_delta").sum())
    demand = (
        data.order_history.filter(pl.col("status").is_in(DEMAND_STATUSES))
        .group_by("warehouse_code", "sku")
        .agg(demand=pl.col("quantity").sum())
    )
    return received.join(demand, on=["warehouse_code", "sku"], how="full", coalesce=True).fill_null(0)


def test_receipts_cover_demand_with_a_few_locations_nearly_sold_out(data: DemoData) -> None:
    cover = _cover(data).with_columns(available=pl.col("received") - pl.col("demand"))
    assert cover["available"].min() >= 0  # type: ignore[operator]
    pairs = data.products.height * data.warehouses.height
    short = cover.filter(pl.col("available") <= 10, pl.col("demand") > 0)
    assert 0.03 * pairs <= short.height <= 0.07 * pairs
    generous = cover.filter(pl.col("available") >= 20)
    assert generous.height >= 0.9 * pairs


def test_stock_never_runs_negative_over_time(data: DemoData) -> None:
    """Receipts arrive before the orders they serve: cumulative receipts >= cumulative demand."""
    received = data.stock_movements.select("warehouse_code", "sku", at=pl.col("occurred_at"), delta="on_hand_delta")
    taken = data.order_history.filter(pl.col("status").is_in(DEMAND_STATUSES)).select(
        "warehouse_code", "sku", at=pl.col("ordered_at"), delta=-pl.col("quantity")
    )
    running = (
        pl.concat([received, taken])
        .sort("warehouse_code", "sku", "at", "delta", descending=[False, False, False, True])
        .select(level=pl.col("delta").cum_sum().over("warehouse_code", "sku"))
    )
    assert running["level"].min() >= 0  # type: ignore[operator]


def test_history_spans_two_years_in_shanghai_working_hours(data: DemoData) -> None:
    at = data.order_history["ordered_at"]
    now = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC)
    assert at.max() < now - timedelta(hours=8)  # type: ignore[operator]  # nothing placed today or later
    assert at.min() < now - timedelta(days=700)  # type: ignore[operator]
    local = data.order_history.select(pl.col("ordered_at").dt.convert_time_zone("Asia/Shanghai").dt.hour())
    assert local["ordered_at"].min() >= 8 and local["ordered_at"].max() <= 18  # type: ignore[operator]
    assert data.stock_movements["occurred_at"].min() < at.min()  # type: ignore[operator]


def test_seasonality_weekdays_and_new_year(orders: pl.DataFrame) -> None:
    local = orders.with_columns(pl.col("ordered_at").dt.convert_time_zone("Asia/Shanghai"))
    by_month = dict(
        local.filter(pl.col("ordered_at").dt.year() == 2025)
        .group_by(pl.col("ordered_at").dt.month().alias("month"))
        .len()
        .iter_rows()
    )
    assert by_month[2] < 0.7 * by_month[11]  # Spring Festival dip vs Q4 peak
    assert by_month[12] > by_month[4] and by_month[11] > by_month[4]
    days = local.with_columns(day=pl.col("ordered_at").dt.date())
    cny = days.filter(pl.col("day").is_between(date(2025, 1, 29), date(2025, 2, 4))).height
    march = days.filter(pl.col("day").is_between(date(2025, 3, 10), date(2025, 3, 16))).height
    assert cny < 0.15 * march
    by_weekday = dict(local.group_by(pl.col("ordered_at").dt.weekday().alias("wd")).len().iter_rows())
    assert by_weekday[7] < 0.2 * by_weekday[2] and by_weekday[6] < 0.4 * by_weekday[2]


def test_statuses_old_orders_done_recent_ones_open(orders: pl.DataFrame) -> None:
    cutoff = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC) - timedelta(days=15)
    old = orders.filter(pl.col("ordered_at") < cutoff)
    assert set(old["status"]) <= {"completed", "cancelled", "shipped", "pending_payment"}
    assert old.filter(pl.col("status").is_in(["completed", "cancelled"])).height > 0.99 * old.height
    assert 0.01 < (old["status"] == "cancelled").mean() < 0.05  # type: ignore[operator]
    recent = orders.filter(pl.col("ordered_at") >= cutoff)
    by_terms = recent.group_by(pl.col("payment_terms_days") == 0, "status").len()
    prepaid = set(by_terms.filter(pl.col("payment_terms_days"))["status"])
    on_terms = set(by_terms.filter(~pl.col("payment_terms_days"))["status"])
    assert {"pending_payment", "shipped"} <= prepaid
    assert {"to_ship", "shipped"} <= on_terms
    assert "pending_payment" not in on_terms and "paid" not in on_terms  # customers on terms never pay first


def test_channels_and_accounts_look_like_a_distributor(data: DemoData, orders: pl.DataFrame) -> None:
    shares = dict(orders.group_by("channel").len().with_columns(pl.col("len") / orders.height).iter_rows())
    assert shares["manual"] > 0.3 and all(share > 0.05 for share in shares.values())
    assert orders.filter(pl.col("channel") == "marketplace")["payment_terms_days"].max() == 0
    by_tier = orders.group_by("tier").agg(pl.len(), pl.col("lines").mean(), pl.col("customer_code").n_unique())
    tiers = {row["tier"]: row for row in by_tier.iter_rows(named=True)}
    # a few key accounts place many, large orders; a long tail of standard customers orders rarely
    assert tiers["key"]["len"] / tiers["key"]["customer_code"] > 5 * (
        tiers["standard"]["len"] / tiers["standard"]["customer_code"]
    )
    assert tiers["key"]["lines"] > 1.8 * tiers["standard"]["lines"]
    assert 3.7 < orders["lines"].mean() < 4.3  # type: ignore[operator]
    # lines ship from one warehouse per order, mostly the one serving the customer's region
    home = {"East": "SH", "South": "GZ", "North": "BJ", "Northeast": "BJ"}
    placed = orders.join(data.customers.select("customer_code", "region"), on="customer_code").filter(
        pl.col("region").is_in(list(home))
    )
    at_home = (placed["warehouse_code"] == placed["region"].replace_strict(home)).mean()
    assert 0.8 < at_home < 0.95  # type: ignore[operator]
    # customers reorder from a basket: their top 24 SKUs make most of their lines
    top = (
        data.order_history.group_by("customer_code", "sku")
        .len()
        .with_columns(rank=pl.col("len").rank("ordinal", descending=True).over("customer_code"))
    )
    assert top.filter(pl.col("rank") <= 24)["len"].sum() > 0.6 * data.order_history.height


def test_prices_discounts_and_margins(data: DemoData) -> None:
    lines = data.order_history.join(data.products.select("sku", "list_price", "cost"), on="sku")
    priced = lines.filter(pl.col("unit_price").is_not_null())
    assert 0.1 < lines["unit_price"].null_count() / lines.height < 0.8
    assert (priced["unit_price"] <= priced["list_price"]).all()
    assert (priced["unit_price"] >= priced["list_price"] * Decimal("0.85")).all()
    assert 0.1 < (lines["discount_pct"] > 0).mean() < 0.4  # type: ignore[operator]
    net = pl.coalesce("unit_price", "list_price") * (100 - pl.col("discount_pct")) / 100
    below_cost = lines.filter(net < pl.col("cost")).height
    assert below_cost < 0.03 * lines.height  # a few loss-making lines, not many


def test_generating_scale_ten_is_fast() -> None:
    import time

    started = time.perf_counter()
    big = generate(seed=3, scale=10, today=TODAY)
    assert time.perf_counter() - started < 20
    assert big.customers.height == 2000
    assert 470_000 < big.order_history.n_unique(["channel", "external_ref"]) < 530_000
    assert 1_850_000 < big.order_history.height < 2_150_000


def test_settled_orders_are_paid_and_open_ones_on_terms_are_not(data: DemoData, orders: pl.DataFrame) -> None:
    paid = orders.join(data.payments, on=["channel", "external_ref"], how="inner")
    unpaid = orders.join(data.payments, on=["channel", "external_ref"], how="anti")
    prepaid = pl.col("payment_terms_days") == 0
    assert data.payments.select("channel", "external_ref").is_unique().all()  # one payment in full per order
    assert set(paid.filter(prepaid)["status"]) == {"paid", "to_ship", "shipped", "completed"}
    assert set(paid.filter(~prepaid)["status"]) == {"completed"}
    assert set(unpaid["status"]) <= {"cancelled", "pending_payment", "to_ship", "shipped"}
    assert data.payments["amount"].null_count() == data.payments.height  # the server pays the balance due
    assert (paid["paid_on"] >= paid["ordered_at"].dt.date()).all()
    assert paid["paid_on"].max() < TODAY  # type: ignore[operator]
    assert set(paid.filter(pl.col("channel") == "marketplace")["method"]) == {"alipay", "wechat_pay"}
    assert 0.6 < (data.payments["method"] == "bank_transfer").mean() < 0.8  # type: ignore[operator]


class FakeClient:
    def __init__(self, existing: set[str]) -> None:
        self.existing = existing
        self.users: list[tuple[str, str, list[str], str | None]] = []
        self.loads: list[tuple[str, int]] = []

    def create_user(self, username: str, password: str, roles: list[str], display_name: str | None = None) -> UserOut:
        if username in self.existing:
            raise Conflict(409, ErrorBody(code="conflict", message=f"User {username} exists."))
        self.users.append((username, password, roles, display_name))
        return UserOut.model_construct(username=username, roles=roles, display_name=display_name)

    def bulk_load(self, entity: str, frame: pl.DataFrame) -> BulkResult:
        self.loads.append((entity, frame.height))
        rows = frame.n_unique(["channel", "external_ref"]) if entity == "order_history" else frame.height
        return BulkResult(entity=entity, rows=rows)


def test_load_demo_creates_missing_users_and_loads_in_order() -> None:
    small = generate(seed=7, scale=0.3, today=TODAY)
    client = FakeClient(existing={"admin"})
    counts = load_demo(client, small, "pw-123456")
    assert [u[0] for u in client.users] == [u for u in DEMO_USERS if u != "admin"]
    assert all(roles == [name] and password == "pw-123456" for name, password, roles, _ in client.users)
    assert (counts["users_created"], counts["users_existing"]) == (5, 1)
    entities = [entity for entity, _ in client.loads]
    assert entities[:4] == ["warehouses", "products", "customers", "stock_movements"]
    assert entities[4:] == ["order_history"] * entities.count("order_history") + ["payments"]
    assert counts["order_history"] == small.order_history.n_unique(["channel", "external_ref"])
    assert counts["payments"] == small.payments.height
    assert counts["stock_movements"] == small.stock_movements.height


def test_history_chunks_keep_orders_whole_and_in_order(data: DemoData) -> None:
    chunks = history_chunks(data.order_history, orders_per_chunk=8_000)
    assert len(chunks) == 7
    assert pl.concat(chunks).equals(data.order_history)
    seen: set[tuple[str, str]] = set()
    for chunk in chunks:
        keys = set(chunk.select("channel", "external_ref").iter_rows())
        assert not keys & seen
        seen |= keys
    assert all(a["ordered_at"].max() <= b["ordered_at"].min() for a, b in itertools.pairwise(chunks))  # type: ignore[operator]
