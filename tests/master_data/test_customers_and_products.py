"""Customers and products from the ERP: upserted by code, every row created, updated, unchanged or quarantined."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunningServer
from tests.master_data.conftest import counts, load, write

CUSTOMER_HEADER = "customer_code,name,region,email,phone,gln,tier,credit_limit,payment_terms_days"


def test_a_customer_extract_creates_new_customers_and_updates_changed_ones(
    shop: RunningServer, tag: str, tmp_path: Path
) -> None:
    first = write(tmp_path, "c1.csv", CUSTOMER_HEADER, f'C-A{tag},Alpha Co,East,a@alpha.cn,,,gold,"10,000",30')
    load(shop, "customers", first)
    second = write(
        tmp_path,
        "c2.csv",
        CUSTOMER_HEADER,
        f"C-A{tag},Alpha Co,East,a@alpha.cn,,,gold,20000,30",
        f"C-B{tag},Beta Co,South,,,,,,",
    )

    summary = load(shop, "customers", second)

    assert counts(summary) == (2, 1, 1, 0, 0)
    with shop.system_client() as client:
        (alpha,) = client.customers(query=f"C-A{tag}")
    assert (alpha.tier, alpha.credit_limit, alpha.payment_terms_days) == ("gold", 20000, 30)


def test_loading_the_same_customer_extract_again_leaves_everything_unchanged(
    shop: RunningServer, tag: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "c.csv", CUSTOMER_HEADER, f"C-U{tag},Unchanged Co,East,u@u.cn,,,,500,0")
    load(shop, "customers", path)

    assert counts(load(shop, "customers", path)) == (1, 0, 0, 1, 0)


def test_an_empty_cell_keeps_what_is_stored(shop: RunningServer, tag: str, tmp_path: Path) -> None:
    load(shop, "customers", write(tmp_path, "c1.csv", CUSTOMER_HEADER, f"C-K{tag},Keep Co,East,k@k.cn,,,gold,,"))

    load(shop, "customers", write(tmp_path, "c2.csv", "customer_code,tier,region", f"C-K{tag},,West"))

    with shop.system_client() as client:
        (kept,) = client.customers(query=f"C-K{tag}")
    assert (kept.tier, kept.region) == ("gold", "West")


def test_bad_customer_rows_are_quarantined_with_field_and_reason_and_listed(
    shop: RunningServer, tag: str, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        CUSTOMER_HEADER + ",price_list",
        f"C-X{tag},Bad GLN,East,,,6900000000018,,,,",
        f"C-Y{tag},,East,,,,,,,",
        f"C-Z{tag},Bad limit,East,,,,,-5,,",
        f"C-W{tag},Bad list,East,,,,,,,NO-SUCH-LIST",
    )

    summary = load(shop, "customers", path)

    with shop.system_client() as client:
        rows = client.master_data_quarantine(summary.load_id or 0)
    assert [(r.row_no, r.field) for r in rows] == [(1, "gln"), (2, "name"), (3, "credit_limit"), (4, "price_list")]
    assert rows[0].reason == 'not a GLN (13 digits, the last a GS1 check digit): "6900000000018"'


def test_a_gln_of_another_customer_is_quarantined(shop: RunningServer, tag: str, tmp_path: Path) -> None:
    gln = "690000000" + f"{int(tag):03d}"
    gln += str((10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(gln)) % 10) % 10)
    load(shop, "customers", write(tmp_path, "a.csv", "customer_code,name,gln", f"C-G{tag},First,{gln}"))

    summary = load(shop, "customers", write(tmp_path, "b.csv", "customer_code,name,gln", f"C-H{tag},Second,{gln}"))

    with shop.system_client() as client:
        (row,) = client.master_data_quarantine(summary.load_id or 0)
    assert (row.field, row.reason) == ("gln", f"GLN {gln} belongs to customer C-G{tag}")


def test_a_product_extract_creates_products_with_a_percentage_tax_rate(
    shop: RunningServer, tag: str, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "p.csv",
        "sku,name,category,unit,cost,list_price,tax_rate",
        f"P-{tag},Washer M8,hardware,pcs,0.02,0.05,9%",
    )

    assert counts(load(shop, "products", path)) == (1, 1, 0, 0, 0)
    with shop.system_client() as client:
        (product,) = client.products(query=f"P-{tag}")
    assert (str(product.tax_rate), str(product.list_price)) == ("0.0900", "0.05")


def test_a_new_product_without_prices_is_quarantined_and_a_known_one_updates(
    shop: RunningServer, tag: str, tmp_path: Path
) -> None:
    load(shop, "products", write(tmp_path, "p1.csv", "sku,name,category,cost,list_price", f"Q-{tag},Q,tools,1,2"))
    path = write(tmp_path, "p2.csv", "sku,name,list_price", f"Q-{tag},,2.50", f"R-{tag},Nameless price,")

    summary = load(shop, "products", path)

    assert counts(summary) == (2, 0, 1, 0, 1)
    with shop.system_client() as client:
        (row,) = client.master_data_quarantine(summary.load_id or 0)
    assert (row.row_no, row.field, row.reason) == (2, "category", "a new product needs a category")


def test_a_gbk_product_export_with_chinese_headers_loads_with_its_shipped_mapping(
    shop: RunningServer, tag: str, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "物料.csv",
        "物料编码,物料名称,物料分类,计量单位,成本价,销售单价,税率,条形码",
        f"CN-{tag},六角螺母 M8,五金,个,0.03,0.08,13%,",
        encoding="gbk",
    )

    assert counts(load(shop, "products", path, mapping="cn_erp_products")) == (1, 1, 0, 0, 0)
