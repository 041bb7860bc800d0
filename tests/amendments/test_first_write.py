"""An amendment's stock move is its first write: a refusal for stock leaves the caller's transaction untouched."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oms_ops.domain.errors import InsufficientStock
from oms_ops.services import amendments
from oms_ops.services.orders import LineRequest, place_order
from tests.amendments.test_services import MANAGER, SALES
from tests.fulfilment.test_services import stock


def test_one_short_location_is_refused_in_the_callers_transaction_before_any_approval_is_voided(db):
    order = place_order(db, MANAGER, "C-GLOBEX", [LineRequest("GADGET-XL", 6, "SH", unit_price=Decimal(9000))])
    assert order["status"] == "pending_approval"
    number = order["order_number"]
    with db.transaction() as cur:
        ledger_rows = cur.execute("select count(*) from stock_ledger").fetchone()
        with pytest.raises(InsufficientStock) as refused:
            amendments.amend_in(cur, SALES, number, [LineRequest("GADGET-XL", 50, "SH")], "edi v2", order["ordered_at"])
        statuses = cur.execute("select status from approval_requests where order_number = ?", [number]).fetchall()
        assert statuses and {status for (status,) in statuses} == {"pending"}
        assert cur.execute("select count(*) from stock_ledger").fetchone() == ledger_rows
    assert [(s.sku, s.warehouse, s.requested, s.available) for s in refused.value.shortages] == [
        ("GADGET-XL", "SH", 50, 7)
    ]
    assert stock(db, "SH", "GADGET-XL") == (7, 6)
