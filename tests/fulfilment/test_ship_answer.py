"""A shipment answers the order as it now stands, built from what it read and wrote, without reading it back."""

from __future__ import annotations

import io

import polars as pl

from oms_ops.services import bulk, fulfilment
from oms_ops.services.actor import Actor
from oms_ops.services.orders import LineRequest, get_order, place_order
from oms_ops.services.stock import receive_stock
from tests.fulfilment.test_services import SALES, WAREHOUSE, pay, place

SYSTEM = Actor("system", ("system",))


def test_a_partial_shipment_answers_exactly_what_reading_the_order_afterwards_shows(db):
    order = pay(db, place(db, "C-ACME", ("WIDGET-BLUE", 5, "SH"), ("WIDGET-BLUE", 2, "BJ")))

    shipped = fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 3)], note="truck 1")

    assert shipped == get_order(db, WAREHOUSE, order["order_number"])


def test_a_shipment_that_completes_a_paid_order_answers_both_moves_as_read_afterwards(db):
    order = pay(db, place(db))
    fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 4)])

    done = fulfilment.ship_order(db, WAREHOUSE, order["order_number"])

    assert [e["to_status"] for e in done["events"][-2:]] == ["shipped", "completed"]
    assert done == get_order(db, WAREHOUSE, order["order_number"])


def test_a_warehouse_loaded_after_orders_were_placed_takes_the_next_order(db):
    place(db)  # the warehouses are read (and remembered) before the new one exists
    buffer = io.BytesIO()
    pl.DataFrame({"warehouse_code": ["GZ"], "name": ["Guangzhou"], "region": ["South"]}).write_parquet(buffer)
    bulk.bulk_load(db, SYSTEM, "warehouses", buffer.getvalue())
    receive_stock(db, SYSTEM, "GZ", "WIDGET-BLUE", 5, "opening stock")

    order = place_order(db, SALES, "C-ACME", [LineRequest("WIDGET-BLUE", 5, "GZ")])

    assert [line["warehouse"] for line in order["lines"]] == ["GZ"]
