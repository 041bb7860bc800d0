"""Available to promise on the New order page: per warehouse now, what arrives when, and a split."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.pages.conftest import page, signed_in, texts
from tests.pages.test_new_order import draft


def test_the_order_form_shows_what_arrives_when_and_suggests_a_split_for_a_line_no_warehouse_has(shop):
    arrives = datetime.now(UTC).date() + timedelta(days=9)
    with shop.system_client() as system:
        system.add_expected_receipt("SH", "GADGET-XL", 3, arrives, "PO-ATP-PAGE")
    at = signed_in(page("new_order"), shop, "sales").run()

    draft(at, "C-ACME", "SH", [("GADGET-XL", 100000)])

    assert not at.exception
    arriving = " ".join(str(v) for table in at.dataframe for v in table.value["Arriving"])
    assert "(receipt PO-ATP-PAGE)" in arriving
    assert "No warehouse has 100,000 alone today" in texts(at)
    assert "Automatic choice" in texts(at)
