"""Each accepted format and each awkward encoding or shape of a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from oms_ops.adapters.channels import UnreadableFile
from oms_ops.contracts import OrderOut
from tests.conftest import RunningServer
from tests.imports.conftest import HEADER, csv_feed, run_import, write


def order_of(server: RunningServer, channel: str, external_ref: str) -> OrderOut:
    with server.system_client() as client:
        found = client.list_orders(query=external_ref, page_size=500).items
        number = next(o.order_number for o in found if o.channel == channel)
        return client.get_order(number)


def test_json_lines_orders_become_orders_with_their_lines(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "shop.jsonl",
        '{"id": "J-1", "created_at": "2026-03-01 10:15", "customer_code": "C-NORTH", "note": "call first",'
        ' "items": [{"sku": "BOLT-M8", "quantity": 20, "unit_price": "0.30"}, {"sku": "LAMP-LED-9W", "quantity": 1}]}\n'
        '{"external_order_id": "J-2", "order_date": "2026-03-02", "customer_code": "C-ACME",'
        ' "lines": [{"sku": "BOLT-M8", "quantity": 5}]}\n',
    )

    summary = run_import(shared_shop, path, channel)

    assert (summary.rows, summary.orders_created, summary.lines_created, summary.quarantined) == (3, 2, 3, 0)
    order = order_of(shared_shop, channel, "J-1")
    assert [(line.sku, line.quantity) for line in order.lines] == [("BOLT-M8", 20), ("LAMP-LED-9W", 1)]
    assert order.note == "call first"


def test_a_json_line_that_is_not_an_order_is_quarantined_with_the_reason(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "broken.jsonl", '{"id": "J-9", "lines": []}\n{not json\n')

    summary = run_import(shared_shop, path, channel)

    assert (summary.rows, summary.quarantined) == (2, 2)
    with shared_shop.system_client() as client:
        reasons = [r.reason for r in client.quarantined_rows(summary.import_id or 0)]
    assert "non-empty list of line objects" in reasons[0]
    assert reasons[1].startswith("not a JSON object")


def test_the_chinese_marketplace_export_in_gbk_is_read_through_its_mapping(
    shared_shop: RunningServer, tmp_path: Path
) -> None:
    text = (
        "订单编号,下单时间,客户编码,商品编码,数量,单价,买家留言\n"
        "TM-1,2026/03/01 14:30:00,C-HUAXIN,BOLT-M8,30,0.24,请尽快发货\n"
    )
    path = write(tmp_path, "天猫订单.csv", text, encoding="gbk")

    summary = run_import(shared_shop, path, "cn_marketplace")

    assert (summary.orders_created, summary.lines_created, summary.quarantined) == (1, 1, 0)
    order = order_of(shared_shop, "cn_marketplace", "TM-1")
    assert (order.note, order.ordered_at.isoformat()) == ("请尽快发货", "2026-03-01T06:30:00+00:00")


def test_a_utf8_bom_does_not_hide_the_first_column(shared_shop: RunningServer, channel: str, tmp_path: Path) -> None:
    path = write(tmp_path, "bom.csv", "\ufeff" + csv_feed("BOM-1,2026-03-01,C-ACME,BOLT-M8,1,,"))

    assert run_import(shared_shop, path, channel).orders_created == 1


def test_crlf_line_ends_are_read_like_lf(shared_shop: RunningServer, channel: str, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "crlf.csv",
        csv_feed("CR-1,2026-03-01,C-ACME,BOLT-M8,1,,x", "CR-2,2026-03-01,C-ACME,BOLT-M8,2,,y"),
        newline="\r\n",
    )

    summary = run_import(shared_shop, path, channel)

    assert (summary.orders_created, summary.quarantined) == (2, 0)
    assert order_of(shared_shop, channel, "CR-1").note == "x"


def test_quoted_fields_keep_their_commas_and_line_breaks(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "quoted.csv", csv_feed('Q-1,2026-03-01,C-ACME,BOLT-M8,1,,"Dock 4, gate B\nring twice"'))

    run_import(shared_shop, path, channel)

    assert order_of(shared_shop, channel, "Q-1").note == "Dock 4, gate B\nring twice"


def test_thousands_separators_in_quantity_and_price_are_read_as_numbers(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    with shared_shop.system_client() as client:
        client.receive_stock("SH", "BOLT-M8", 1000, "for the thousands test")
    path = write(tmp_path, "thousands.csv", csv_feed('T-1,2026-03-01,C-NORTH,BOLT-M8,"1,000","1,234.50",'))

    run_import(shared_shop, path, channel)

    line = order_of(shared_shop, channel, "T-1").lines[0]
    assert (line.quantity, str(line.unit_price)) == (1000, "1234.50")


def test_a_very_long_note_is_kept_whole(shared_shop: RunningServer, channel: str, tmp_path: Path) -> None:
    note = "长" * 300_000
    path = write(tmp_path, "long.csv", csv_feed(f"L-1,2026-03-01,C-ACME,BOLT-M8,1,,{note}"))

    run_import(shared_shop, path, channel)

    assert order_of(shared_shop, channel, "L-1").note == note


@pytest.mark.parametrize(
    "note",
    ['=HYPERLINK("http://evil.example","click")', "'; drop table orders; --", "+cmd|' /C calc'!A0"],
)
def test_text_that_looks_like_a_formula_or_sql_is_stored_as_plain_text(
    shared_shop: RunningServer, channel: str, tmp_path: Path, note: str
) -> None:
    quoted = '"' + note.replace('"', '""') + '"'
    path = write(tmp_path, "formula.csv", csv_feed(f"F-1,2026-03-01,C-ACME,BOLT-M8,1,,{quoted}"))

    run_import(shared_shop, path, channel)

    assert order_of(shared_shop, channel, "F-1").note == note


def test_an_empty_file_is_refused_as_unreadable(shared_shop: RunningServer, channel: str, tmp_path: Path) -> None:
    path = write(tmp_path, "empty.csv", "")

    with pytest.raises(UnreadableFile, match="empty"):
        run_import(shared_shop, path, channel)


def test_a_file_with_only_its_header_imports_nothing_and_says_so(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "header.csv", HEADER + "\n")

    summary = run_import(shared_shop, path, channel)

    assert (summary.rows, summary.orders_created, summary.quarantined) == (0, 0, 0)


def test_a_gbk_file_in_a_utf8_channel_is_refused_as_unreadable(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "gbk.csv", csv_feed("U-1,2026-03-01,C-ACME,BOLT-M8,1,,请尽快发货"), encoding="gbk")

    with pytest.raises(UnreadableFile, match="not readable as utf-8"):
        run_import(shared_shop, path, channel)
