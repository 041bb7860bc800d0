from datetime import date, timedelta

from streamlit.testing.v1 import AppTest

from tests.conftest import RunningServer
from tests.pages.conftest import page, signed_in


def draft(at: AppTest, customer: str, warehouse: str, lines: list[tuple[str, int]]) -> AppTest:
    """Fill the New order page the way a clerk does, one widget (and rerun) at a time."""
    at.selectbox(key="new_order_customer").select(customer).run()
    at.selectbox(key="new_order_warehouse").select(warehouse).run()
    for i, (sku, quantity) in enumerate(lines):
        if i > 0:
            at.button(key="new_order_add_line").click().run()
        at.selectbox(key=f"new_order_sku_{i}").select(sku).run()
        at.number_input(key=f"new_order_qty_{i}").set_value(quantity).run()
    return at


def order_numbers(server: RunningServer) -> set[str]:
    with server.client_as("admin") as client:
        return {o.order_number for o in client.list_orders(page_size=500).items}


def reserved(server: RunningServer, sku: str, warehouse: str) -> int:
    with server.client_as("admin") as client:
        return sum(row.reserved for row in client.stock(sku=sku, warehouse=warehouse))


def test_the_available_stock_of_each_chosen_sku_shows_while_filling(shop: RunningServer) -> None:
    at = signed_in(page("new_order"), shop, "sales").run()
    draft(at, "C-ACME", "BJ", [("SPROCKET-7", 3), ("WIDGET-BLUE", 50)])

    assert not at.exception
    assert "500 available in BJ" in [caption.value for caption in at.caption]
    assert [warning.value for warning in at.warning] == ["Only 40 available in BJ"]

    at.selectbox(key="new_order_warehouse").select("SH").run()

    assert at.warning[0].value == "Only 0 available in SH"  # SPROCKET-7 is stocked in BJ only


def test_placing_an_order_names_its_number_and_the_order_exists(shop: RunningServer) -> None:
    at = signed_in(page("new_order"), shop, "sales").run()
    draft(at, "C-ACME", "SH", [("WIDGET-BLUE", 3), ("GADGET-XL", 2)])

    before = order_numbers(shop)

    at.button(key="new_order_submit").click().run()

    assert not at.exception
    [placed] = order_numbers(shop) - before
    assert f"Order {placed} placed" in at.success[0].value
    with shop.client_as("admin") as client:
        order = client.get_order(placed)
    assert (order.customer_code, order.created_by) == ("C-ACME", "sales")
    assert [(line.sku, line.quantity, line.warehouse) for line in order.lines] == [
        ("WIDGET-BLUE", 3, "SH"),
        ("GADGET-XL", 2, "SH"),
    ]


def test_after_placing_the_form_is_empty_for_the_next_order(shop: RunningServer) -> None:
    at = signed_in(page("new_order"), shop, "sales").run()
    draft(at, "C-ACME", "SH", [("WIDGET-BLUE", 3), ("GADGET-XL", 2)])

    at.button(key="new_order_submit").click().run()

    assert at.selectbox(key="new_order_customer").value is None
    assert at.selectbox(key="new_order_sku_0").value is None
    assert len(at.selectbox) == 3  # customer, warehouse, one empty line


def test_a_short_stock_order_says_how_much_is_available_and_creates_nothing(shop: RunningServer) -> None:
    at = signed_in(page("new_order"), shop, "sales").run()
    draft(at, "C-GLOBEX", "SH", [("WIDGET-BLUE", 5), ("GADGET-XL", 90)])
    before = order_numbers(shop), reserved(shop, "WIDGET-BLUE", "SH"), reserved(shop, "GADGET-XL", "SH")

    at.button(key="new_order_submit").click().run()

    assert not at.exception
    assert "SKU GADGET-XL available in SH (Shanghai); 90 requested." in at.error[0].value
    assert at.error[0].value.startswith("Only ")
    assert (order_numbers(shop), reserved(shop, "WIDGET-BLUE", "SH"), reserved(shop, "GADGET-XL", "SH")) == before
    assert at.selectbox(key="new_order_sku_1").value == "GADGET-XL"  # kept, to correct


def test_an_order_without_lines_is_not_sent(shop: RunningServer) -> None:
    at = signed_in(page("new_order"), shop, "sales").run()
    at.selectbox(key="new_order_customer").select("C-ACME").run()

    before = order_numbers(shop)

    at.button(key="new_order_submit").click().run()

    assert "Add at least one line with a product." in at.error[0].value
    assert order_numbers(shop) == before


def test_customer_search_narrows_the_choice(shop: RunningServer) -> None:
    at = signed_in(page("new_order"), shop, "sales").run()

    at.text_input(key="new_order_customer_query").input("globex").run()

    assert at.selectbox(key="new_order_customer").options == ["C-GLOBEX · Globex Industrial Ltd."]


def test_a_warehouse_clerk_cannot_open_the_page(shop: RunningServer) -> None:
    at = signed_in(page("new_order"), shop, "warehouse").run()

    assert "may not open this page" in at.warning[0].value
    assert not at.selectbox


def test_the_customers_po_and_requested_delivery_date_go_with_the_order(shop: RunningServer) -> None:
    at = signed_in(page("new_order"), shop, "sales").run()
    draft(at, "C-ACME", "SH", [("WIDGET-BLUE", 1)])
    at.text_input(key="new_order_customer_po").input("PO-88").run()
    in_a_month = date.today() + timedelta(days=30)
    at.date_input(key="new_order_requested_delivery_date").set_value(in_a_month).run()
    before = order_numbers(shop)

    at.button(key="new_order_submit").click().run()

    [placed] = order_numbers(shop) - before
    with shop.client_as("admin") as client:
        order = client.get_order(placed)
    assert (order.customer_po, order.requested_delivery_date) == ("PO-88", in_a_month)
    assert at.text_input(key="new_order_customer_po").value == ""
