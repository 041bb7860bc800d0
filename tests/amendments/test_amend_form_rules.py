"""What the Amend form sends, without a server: changed header fields only, and no lines when only they change."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from dashboards.lib.order_views import LineEdit, amendment_lines, header_changes, lines_unchanged
from oms_ops.contracts import OrderLineOut, OrderOut

ORDER = OrderOut(
    order_number="SO-1", customer_code="C-ACME", channel="manual", external_ref=None, status="to_ship",
    currency="CNY", note="ring first", ordered_at=datetime(2026, 11, 2, tzinfo=UTC), created_by="sales",
    subtotal=Decimal("100.00"), tax_total=Decimal("13.00"), total=Decimal("113.00"), customer_po="PO-1",
    lines=[OrderLineOut(line_no=1, sku="WIDGET-BLUE", warehouse="SH", quantity=10, unit_price=Decimal("10.00"),
                        discount_pct=Decimal(0), tax_rate=Decimal("0.13"), line_net=Decimal("100.00"),
                        line_tax=Decimal("13.00"), line_total=Decimal("113.00"))],
)  # fmt: skip


def test_fields_left_as_they_are_are_not_sent():
    assert not header_changes(ORDER, None, "ring first", "PO-1")


def test_a_new_date_and_an_emptied_note_are_sent_and_the_po_kept_is_not():
    edit = header_changes(ORDER, date(2026, 12, 4), "  ", "PO-1")
    assert (edit.requested_delivery_date, edit.note, edit.customer_po) == (date(2026, 12, 4), "", None)


def test_lines_left_as_they_are_read_as_unchanged_and_a_new_warehouse_does_not():
    assert lines_unchanged(ORDER, amendment_lines(ORDER, [LineEdit(1, 10, warehouse="SH")]))
    moved = amendment_lines(ORDER, [LineEdit(1, 10, warehouse="BJ")])
    assert moved == [{"line_no": 1, "sku": "WIDGET-BLUE", "quantity": 10, "warehouse": "BJ"}]
    assert not lines_unchanged(ORDER, moved)
