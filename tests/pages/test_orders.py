from datetime import date, timedelta
from uuid import uuid4

from streamlit.testing.v1 import AppTest

from oms_ops.contracts import OrderOut
from tests.conftest import RunningServer
from tests.pages.conftest import page, signed_in


def place(server: RunningServer, quantity: int = 1, refs: list[str | None] | None = None) -> list[OrderOut]:
    """Orders of steel pins for C-ACME, placed by the sales clerk through the client."""
    with server.client_as("sales") as client:
        return [
            client.place_order(
                "C-ACME", [{"sku": "PIN-STEEL", "quantity": quantity, "warehouse": "SH"}], external_ref=ref
            )
            for ref in refs or [None]
        ]


def search(at: AppTest, text: str) -> AppTest:
    at.text_input(key="orders_query").input(text)
    return at.button(key="orders_apply").click().run()


def listed(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["Order"])


def test_the_list_shows_an_order_found_by_its_number(shop: RunningServer) -> None:
    [order] = place(shop, quantity=12)
    at = signed_in(page("orders"), shop, "finance").run()

    search(at, order.order_number)

    assert not at.exception
    assert listed(at) == [order.order_number]
    row = at.dataframe[0].value.iloc[0]
    assert (row["Customer"], row["Status"], row["Total"]) == (
        "C-ACME · Acme Trading Co.",
        "Pending payment",
        "CN¥10.85",  # 12 x 0.80 + 13 % tax
    )


def test_the_detail_shows_lines_totals_and_history(shop: RunningServer) -> None:
    [order] = place(shop, quantity=5)
    at = search(signed_in(page("orders"), shop, "sales").run(), order.order_number)

    at.selectbox(key="orders_open").select(order.order_number).run()

    assert not at.exception
    assert at.subheader[0].value == f"Order {order.order_number} · Pending payment"
    assert [m.value for m in at.metric] == ["CN¥4.00", "CN¥0.52", "CN¥4.52"]
    lines = at.dataframe[1].value
    assert list(lines["SKU"]) == ["PIN-STEEL"]
    assert "placed as Pending payment by sales: order placed" in at.markdown[-1].value


def test_a_status_nobody_has_lists_nothing(shop: RunningServer) -> None:
    place(shop)
    at = signed_in(page("orders"), shop, "analyst").run()

    at.selectbox(key="orders_status").select("cancelled")
    at.button(key="orders_apply").click().run()

    assert "No orders match these filters." in at.info[0].value


def test_a_date_range_before_any_order_lists_nothing(shop: RunningServer) -> None:
    place(shop)
    at = signed_in(page("orders"), shop, "analyst").run()
    assert listed(at)

    long_ago = date.today() - timedelta(days=400)
    at.date_input(key="orders_dates").set_value((long_ago, long_ago + timedelta(days=30)))
    at.button(key="orders_apply").click().run()

    assert "No orders match these filters." in at.info[0].value


def test_pages_through_more_orders_than_fit_one_page(shop: RunningServer) -> None:
    batch = f"PAGING-{uuid4().hex[:6]}"
    numbers = [order.order_number for order in place(shop, refs=[f"{batch}-{i:02}" for i in range(27)])]
    at = search(signed_in(page("orders"), shop, "manager").run(), batch)
    first = listed(at)

    at.pagination(key="orders_page").select(2).run()

    assert not at.exception
    assert "27 orders · page 2 of 2" in at.caption[0].value
    assert len(first) == 25
    assert sorted(first + listed(at)) == sorted(numbers)
