"""Bad input never breaks an import: each bad row is quarantined with its field and a reason people can act on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oms_ops.client import InvalidInput
from oms_ops.contracts import QuarantinedRow
from tests.conftest import RunningServer
from tests.imports.conftest import csv_feed, run_import, write


def quarantined(server: RunningServer, import_id: int | None) -> list[QuarantinedRow]:
    with server.system_client() as client:
        return client.quarantined_rows(import_id or 0)


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        ("X-1,2026-03-01,C-NOBODY,BOLT-M8,1,,", "customer_code", 'unknown customer "C-NOBODY"'),
        ("X-1,2026-03-01,C-ACME,NO-SUCH-SKU,1,,", "sku", 'unknown SKU "NO-SUCH-SKU"'),
        ("X-1,2026-03-01,C-ACME,BOLT-M8,0,,", "quantity", 'positive whole number, not "0"'),
        ("X-1,2026-03-01,C-ACME,BOLT-M8,-3,,", "quantity", 'positive whole number, not "-3"'),
        ("X-1,2026-03-01,C-ACME,BOLT-M8,three,,", "quantity", 'positive whole number, not "three"'),
        ("X-1,2026-03-01,C-ACME,BOLT-M8,1.5,,", "quantity", 'positive whole number, not "1.5"'),
        ("X-1,2026-03-01,C-ACME,BOLT-M8,,,", "quantity", "positive whole number, not empty"),
        ("X-1,2026-03-01,C-ACME,BOLT-M8,1,abc,", "unit_price", 'not a price: "abc"'),
        ("X-1,2026-03-01,C-ACME,BOLT-M8,1,-2.00,", "unit_price", 'not a price: "-2.00"'),
        ("X-1,31/02/2026,C-ACME,BOLT-M8,1,,", "order_date", 'not a date: "31/02/2026"'),
        ("X-1,yesterday,C-ACME,BOLT-M8,1,,", "order_date", 'not a date: "yesterday"'),
        (",2026-03-01,C-ACME,BOLT-M8,1,,", "external_order_id", "external order id is empty"),
    ],
)
def test_a_bad_row_is_quarantined_with_its_field_and_reason(
    shared_shop: RunningServer, channel: str, tmp_path: Path, row: str, field: str, reason: str
) -> None:
    summary = run_import(shared_shop, write(tmp_path, "bad.csv", csv_feed(row)), channel)

    assert (summary.rows, summary.orders_created, summary.quarantined) == (1, 0, 1)
    [kept] = quarantined(shared_shop, summary.import_id)
    assert (kept.row_no, kept.field, kept.file) == (1, field, "bad.csv")
    assert reason in kept.reason


def test_a_refused_line_quarantines_its_whole_order_and_names_the_line(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    feed = csv_feed("W-1,2026-03-01,C-ACME,BOLT-M8,1,,", "W-1,2026-03-01,C-ACME,NO-SUCH-SKU,1,,")

    summary = run_import(shared_shop, write(tmp_path, "whole.csv", feed), channel)

    assert (summary.orders_created, summary.lines_created, summary.quarantined) == (0, 0, 2)
    first, second = quarantined(shared_shop, summary.import_id)
    assert first.reason == 'another line of this order was refused (row 2: unknown SKU "NO-SUCH-SKU")'
    assert second.field == "sku"


def test_good_orders_of_a_file_are_imported_beside_its_bad_ones(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    feed = csv_feed("OK-1,2026-03-01,C-ACME,BOLT-M8,1,,", "BAD-1,2026-03-01,C-NOBODY,BOLT-M8,1,,")

    summary = run_import(shared_shop, write(tmp_path, "mixed.csv", feed), channel)

    assert (summary.rows, summary.orders_created, summary.lines_created, summary.quarantined) == (2, 1, 1, 1)


def test_the_raw_row_is_kept_as_the_file_had_it(shared_shop: RunningServer, channel: str, tmp_path: Path) -> None:
    summary = run_import(
        shared_shop, write(tmp_path, "raw.csv", csv_feed("R-1,2026-03-01,C-NOBODY,BOLT-M8,1,,")), channel
    )

    [kept] = quarantined(shared_shop, summary.import_id)
    assert json.loads(kept.raw or "{}")["customer_code"] == "C-NOBODY"


def test_a_file_without_required_columns_is_refused_whole_naming_them(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "short.csv", "external_order_id,customer_code,sku\nM-1,C-ACME,BOLT-M8\n")

    with pytest.raises(InvalidInput) as refused:
        run_import(shared_shop, path, channel)

    assert refused.value.status == 422
    assert "order_date, quantity" in refused.value.message
    with shared_shop.system_client() as client:
        assert all(i.channel != channel for i in client.imports())


def test_only_admins_and_systems_may_import(shared_shop: RunningServer, channel: str, tmp_path: Path) -> None:
    from oms_ops.adapters.channels import import_file
    from oms_ops.client import Forbidden

    path = write(tmp_path, "sales.csv", csv_feed("S-1,2026-03-01,C-ACME,BOLT-M8,1,,"))

    with shared_shop.client_as("sales") as sales, pytest.raises(Forbidden):
        import_file(sales, path, channel)


def test_a_row_with_fewer_fields_than_the_header_is_quarantined_naming_the_first_missing_one(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    summary = run_import(shared_shop, write(tmp_path, "cut.csv", csv_feed("CUT-1,2026-03-01,C-ACME")), channel)

    [kept] = quarantined(shared_shop, summary.import_id)
    assert (kept.field, kept.reason) == ("sku", "the row has 3 fields, the header 7")


def test_the_raw_row_of_a_mapped_export_keeps_its_headers_date_and_other_columns_as_written(
    shared_shop: RunningServer, tmp_path: Path
) -> None:
    text = (
        "订单编号,下单时间,客户编码,商品编码,数量,单价,买家留言,店铺\n"
        "TM-RAW,2026/03/01 14:30:00,C-NOBODY,BOLT-M8,30,,\"=1+2, 'x'\",旗舰店\n"
    )
    path = write(tmp_path, "raw_tm.csv", text, encoding="gbk")

    summary = run_import(shared_shop, path, "cn_marketplace")

    [kept] = quarantined(shared_shop, summary.import_id)
    assert json.loads(kept.raw or "{}") == {
        "订单编号": "TM-RAW",
        "下单时间": "2026/03/01 14:30:00",
        "客户编码": "C-NOBODY",
        "商品编码": "BOLT-M8",
        "数量": "30",
        "单价": "",
        "买家留言": "=1+2, 'x'",
        "店铺": "旗舰店",
    }
