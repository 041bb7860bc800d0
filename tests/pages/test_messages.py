from dashboards.lib.messages import order_error_sentences
from oms_ops.client import Conflict, InvalidInput
from oms_ops.contracts import ErrorBody, ShortLine, WarehouseOut

WAREHOUSES = {"SH": WarehouseOut(warehouse_code="SH", name="Shanghai DC", city="Shanghai")}


def test_a_stock_conflict_reads_one_sentence_per_short_line() -> None:
    body = ErrorBody(
        code="insufficient_stock",
        message="Not enough stock.",
        short=[
            ShortLine(sku="GADGET-XL", warehouse="SH", requested=9, available=7),
            ShortLine(sku="WIDGET-BLUE", warehouse="XX", requested=3, available=0),
        ],
    )

    assert order_error_sentences(Conflict(409, body), WAREHOUSES) == [
        "Only 7 of SKU GADGET-XL available in SH (Shanghai); 9 requested.",
        "Only 0 of SKU WIDGET-BLUE available in XX; 3 requested.",
    ]


def test_other_refusals_read_as_the_servers_sentence() -> None:
    body = ErrorBody(code="invalid_input", message="Unknown customer C-NOBODY.", field="customer_code")

    assert order_error_sentences(InvalidInput(422, body), WAREHOUSES) == ["Unknown customer C-NOBODY."]
