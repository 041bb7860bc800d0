"""EDIFACT ORDERS: buyers by GLN, items by GTIN or our article number, counts checked before anything is imported."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from pytest import CaptureFixture, MonkeyPatch

from oms_ops.adapters.channels import import_file
from oms_ops.adapters.edifact import EdifactRefused, parse_interchange
from oms_ops.contracts import ImportSummary, OrderOut
from pipelines.defs.ingest.jobs import import_channel_file_job
from pipelines.defs.oms.resources import DataFolderResource, OmsResource
from tests.conftest import RunningServer
from tests.imports.conftest import external_refs, write
from tests.master_data.cli import run_cli

GLN = "6900000000019"  # C-EDI's
BOLT_GTIN = "6901234500011"
SAMPLE = Path(__file__).parents[2] / "oms_ops" / "adapters" / "edifact" / "samples" / "orders_d96a.edi"


@pytest.fixture(scope="module", autouse=True)
def edi_buyer(shared_shop: RunningServer) -> None:
    with shared_shop.system_client() as system:
        system.bulk_load(
            "customers",
            pl.DataFrame({"customer_code": ["C-EDI"], "name": ["EDI Buyer Ltd."], "region": ["East"], "gln": [GLN]}),
        )


def message(ref: str, number: str, *items: list[str], gln: str = GLN, function: str = "9", extra: int = 0) -> list[str]:
    body = [
        f"UNH+{ref}+ORDERS:D:96A:UN:EAN008",
        f"BGM+220+{number}+{function}",
        "DTM+137:20260301:102",
        "DTM+2:20260305:102",
        f"NAD+BY+{gln}::9",
        "CUX+2:CNY:9",
        *(segment for item in items for segment in item),
        "UNS+S",
        f"CNT+2:{len(items)}",
    ]
    return [*body, f"UNT+{len(body) + 1 + extra}+{ref}"]


def interchange(*messages: list[str], count: int | None = None, prepared: str = "260301:1015") -> str:
    segments = [f"UNB+UNOC:3+6900000000019:14+6900000000002:14+{prepared}+IC1", *(s for m in messages for s in m)]
    segments.append(f"UNZ+{len(messages) if count is None else count}+IC1")
    return "UNA:+.? '\n" + "'\n".join(segments) + "'\n"


def by_gtin(position: int, gtin: str, quantity: int, price: str | None = None) -> list[str]:
    return [f"LIN+{position}++{gtin}:EN", f"QTY+21:{quantity}", *([f"PRI+AAA:{price}"] if price else [])]


def by_article(position: int, sku: str, quantity: int) -> list[str]:
    return [f"LIN+{position}", f"PIA+5+{sku}:SA", f"QTY+21:{quantity}"]


def order_of(server: RunningServer, channel: str, external_ref: str) -> OrderOut:
    with server.system_client() as client:
        found = [o for o in client.list_orders(query=external_ref).items if o.channel == channel]
        assert len(found) == 1
        return client.get_order(found[0].order_number)


def run(server: RunningServer, path: Path, channel: str) -> ImportSummary:
    with server.system_client() as client:
        return import_file(client, path, channel)


def test_an_orders_message_imports_its_buyer_by_gln_and_items_by_gtin_and_by_article_number(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    text = interchange(message("1", "PO-1", by_gtin(1, BOLT_GTIN, 10, "0.20"), by_article(2, "LAMP-LED-9W", 1)))

    summary = run(shared_shop, write(tmp_path, "po1.edi", text), channel)

    assert (summary.rows, summary.orders_created, summary.lines_created, summary.quarantined) == (2, 1, 2, 0)
    order = order_of(shared_shop, channel, "PO-1")
    assert order.customer_code == "C-EDI"
    assert [(line.sku, line.quantity, str(line.unit_price)) for line in order.lines] == [
        ("BOLT-M8", 10, "0.20"),
        ("LAMP-LED-9W", 1, "12.90"),
    ]


def test_the_same_interchange_imported_twice_adds_nothing(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "po2.edi", interchange(message("1", "PO-2", by_gtin(1, BOLT_GTIN, 1))))
    run(shared_shop, path, channel)

    again = run(shared_shop, path, channel)

    assert (again.orders_created, again.duplicates) == (0, 1)


def test_a_file_starting_with_una_is_read_as_edifact_whatever_its_name(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "po3.txt", interchange(message("1", "PO-3", by_gtin(1, BOLT_GTIN, 1))))

    assert run(shared_shop, path, channel).lines_created == 1


def test_a_wrong_unt_segment_count_refuses_the_interchange_naming_message_and_segment(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    good = message("1", "PO-4", by_gtin(1, BOLT_GTIN, 1))
    bad = message("2", "PO-5", by_gtin(1, BOLT_GTIN, 1), extra=1)
    path = write(tmp_path, "po4.edi", interchange(good, bad))

    with pytest.raises(EdifactRefused, match=r"message 2 \(UNH\+2\): UNT says 12 segments, the message has 11"):
        run(shared_shop, path, channel)
    assert external_refs(shared_shop, channel) == []


def test_a_wrong_unz_message_count_refuses_the_interchange() -> None:
    text = interchange(message("1", "PO-6", by_gtin(1, BOLT_GTIN, 1)), count=2)

    with pytest.raises(EdifactRefused, match="UNZ says 2 message"):
        parse_interchange(text)


def test_a_wrong_cnt_line_count_refuses_the_interchange() -> None:
    text = interchange(message("1", "PO-7", by_gtin(1, BOLT_GTIN, 1))).replace("CNT+2:1", "CNT+2:3")

    with pytest.raises(EdifactRefused, match=r"CNT\+2 says 3 line item\(s\), the message has 1 LIN"):
        parse_interchange(text)


def test_an_unknown_buyer_gln_is_quarantined_with_field_and_reason(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    text = interchange(message("1", "PO-8", by_gtin(1, BOLT_GTIN, 1), gln="6999999999994"))

    summary = run(shared_shop, write(tmp_path, "po8.edi", text), channel)

    with shared_shop.system_client() as client:
        rows = client.quarantined_rows(summary.import_id or 0)
    assert [(r.row_no, r.field, r.reason) for r in rows] == [
        (1, "customer_code", "unknown buyer GLN 6999999999994 (NAD+BY)")
    ]


def test_an_unknown_gtin_is_quarantined_with_field_and_reason_and_takes_its_order_with_it(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    text = interchange(message("1", "PO-9", by_gtin(1, BOLT_GTIN, 1), by_gtin(2, "4000000000006", 1)))

    summary = run(shared_shop, write(tmp_path, "po9.edi", text), channel)

    with shared_shop.system_client() as client:
        rows = client.quarantined_rows(summary.import_id or 0)
    assert (summary.orders_created, summary.quarantined) == (0, 2)
    assert (rows[1].field, rows[1].reason) == ("sku", "unknown GTIN 4000000000006 (LIN 2)")


def test_a_replacement_in_a_later_interchange_amends_the_order(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    run(shared_shop, write(tmp_path, "po10.edi", interchange(message("1", "PO-10", by_gtin(1, BOLT_GTIN, 1)))), channel)
    replacement = interchange(message("1", "PO-10", by_gtin(1, BOLT_GTIN, 3), function="5"), prepared="260302:0900")

    summary = run(shared_shop, write(tmp_path, "po10-replace.edi", replacement), channel)

    assert (summary.orders_created, summary.orders_amended, summary.duplicates) == (0, 1, 0)
    assert [(line.sku, line.quantity) for line in order_of(shared_shop, channel, "PO-10").lines] == [("BOLT-M8", 3)]


def test_a_cancellation_message_is_quarantined_for_a_person(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    text = interchange(message("1", "PO-15", by_gtin(1, BOLT_GTIN, 1), function="1"))

    summary = run(shared_shop, write(tmp_path, "po15.edi", text), channel)

    with shared_shop.system_client() as client:
        rows = client.quarantined_rows(summary.import_id or 0)
    assert rows[0].field == "message_function"
    assert "cancel the order by hand" in rows[0].reason


def test_the_shipped_sample_names_three_line_items_of_one_order() -> None:
    (only,) = parse_interchange(SAMPLE.read_text(encoding="utf-8"))

    assert (only.number, only.buyer_gln, len(only.items)) == ("PO-JR-260301", "6927191137602", 3)


def test_oms_import_takes_an_edifact_file_and_prints_the_summary(
    shared_shop: RunningServer, channel: str, tmp_path: Path, monkeypatch: MonkeyPatch, capsys: CaptureFixture[str]
) -> None:
    path = write(tmp_path, "po11.edi", interchange(message("1", "PO-11", by_gtin(1, BOLT_GTIN, 2))))

    status, out, err = run_cli(shared_shop, monkeypatch, capsys, "import", str(path), "--channel", channel)

    assert status == 0, err
    assert json.loads(out)["lines_created"] == 1


def test_oms_import_of_a_miscounted_interchange_fails_naming_the_segment(
    shared_shop: RunningServer, channel: str, tmp_path: Path, monkeypatch: MonkeyPatch, capsys: CaptureFixture[str]
) -> None:
    path = write(tmp_path, "po12.edi", interchange(message("1", "PO-12", by_gtin(1, BOLT_GTIN, 2)), count=3))

    status, _, err = run_cli(shared_shop, monkeypatch, capsys, "import", str(path), "--channel", channel)

    assert status != 0
    assert "UNZ says 3 message(s)" in err


def run_job(server: RunningServer, path: Path, channel: str) -> dg.ExecuteInProcessResult:
    return import_channel_file_job.execute_in_process(
        run_config={"ops": {"import_order_file": {"config": {"path": str(path), "channel": channel}}}},
        resources={
            "oms": OmsResource(base_url=server.base_url, api_key=server.api_key),
            "data_folder": DataFolderResource(data_dir=str(path.parent.parent.parent)),
        },
        raise_on_error=False,
    )


def test_the_inbox_job_imports_an_edifact_file_and_moves_it_to_processed(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox" / channel
    inbox.mkdir(parents=True)
    path = write(inbox, "po13.edi", interchange(message("1", "PO-13", by_gtin(1, BOLT_GTIN, 1))))

    result = run_job(shared_shop, path, channel)

    assert result.success
    assert result.output_for_node("import_order_file")["lines_created"] == 1
    assert (inbox / "processed" / "po13.edi").exists()


def test_the_inbox_job_moves_a_miscounted_interchange_to_failed_naming_the_segment(
    shared_shop: RunningServer, channel: str, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox" / channel
    inbox.mkdir(parents=True)
    text = interchange(message("1", "PO-14", by_gtin(1, BOLT_GTIN, 1))).replace("CNT+2:1", "CNT+2:2")
    path = write(inbox, "po14.edi", text)

    result = run_job(shared_shop, path, channel)

    assert not result.success
    assert (inbox / "failed" / "po14.edi").exists()
    failure = next(e for e in result.all_events if e.is_failure)
    assert "CNT+2 says 2 line item(s)" in str(failure.event_specific_data)
