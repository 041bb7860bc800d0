"""A shipment answers the shipment it made, built from what it read and wrote, without reading the order back:
what it says must be what reading the order (and the shipment) afterwards shows."""

from __future__ import annotations

import io
from typing import Any

import polars as pl

from oms_ops.services import bulk, fulfilment
from oms_ops.services.actor import Actor
from oms_ops.services.orders import LineRequest, get_order, place_order
from oms_ops.services.stock import receive_stock
from oms_ops.store.database import Database
from tests.fulfilment.test_services import SALES, WAREHOUSE, pay, place

SYSTEM = Actor("system", ("system",))


def shipped_per_line(order: dict[str, Any]) -> dict[int, int]:
    return {line["line_no"]: line["shipped_quantity"] for line in order["lines"]}


def what_the_order_shows(db: Database, number: str, before: dict[str, Any]) -> dict[str, Any]:
    """The status, the units this shipment added per line and the units left, as read from the order now."""
    after = get_order(db, WAREHOUSE, number)
    earlier = shipped_per_line(before)
    return {
        "status": after["status"],
        "lines": [
            {"line_no": ln["line_no"], "sku": ln["sku"], "warehouse": ln["warehouse"], "quantity": shipped}
            for ln in after["lines"]
            if (shipped := ln["shipped_quantity"] - earlier[ln["line_no"]])
        ],
        "backorder_units": sum(ln["quantity"] - ln["shipped_quantity"] for ln in after["lines"]),
    }


def test_a_partial_shipment_answers_the_status_lines_and_backorder_that_reading_the_order_shows(db):
    order = pay(db, place(db, "C-ACME", ("WIDGET-BLUE", 5, "SH"), ("WIDGET-BLUE", 2, "BJ")))

    shipped = fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 3)], note="truck 1")

    answered = {k: shipped[k] for k in ("status", "lines", "backorder_units")}
    assert answered == what_the_order_shows(db, order["order_number"], order)
    assert answered["backorder_units"] == 4  # so the comparison is not between two empty answers


def test_a_shipment_that_completes_a_paid_order_answers_completed_as_reading_the_order_shows(db):
    order = pay(db, place(db))
    fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 4)])
    before = get_order(db, WAREHOUSE, order["order_number"])

    done = fulfilment.ship_order(db, WAREHOUSE, order["order_number"])

    answered = {k: done[k] for k in ("status", "lines", "backorder_units")}
    assert answered == what_the_order_shows(db, order["order_number"], before)
    assert answered["status"] == "completed"


def test_a_shipment_answers_the_shipment_row_it_wrote(db):
    order = place(db, "C-GLOBEX")

    shipped = fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 2)], note="truck 2")

    with db.reading() as cur:
        row = cur.execute(
            "select shipment_id, order_number, shipped_at, shipped_by, note from shipments where order_number = ?",
            [order["order_number"]],
        ).fetchall()
    fields = ("shipment_id", "order_number", "shipped_at", "shipped_by", "note")
    assert row == [tuple(shipped[k] for k in fields)]


def test_a_warehouse_loaded_after_orders_were_placed_takes_the_next_order(db):
    place(db)  # the warehouses are read (and remembered) before the new one exists
    buffer = io.BytesIO()
    pl.DataFrame({"warehouse_code": ["GZ"], "name": ["Guangzhou"], "region": ["South"]}).write_parquet(buffer)
    bulk.bulk_load(db, SYSTEM, "warehouses", buffer.getvalue())
    receive_stock(db, SYSTEM, "GZ", "WIDGET-BLUE", 5, "opening stock")

    order = place_order(db, SALES, "C-ACME", [LineRequest("WIDGET-BLUE", 5, "GZ")])

    assert [line["warehouse"] for line in order["lines"]] == ["GZ"]
