"""The fulfilment endpoints through HTTP: what each role may do, what the order shows, and 409s that say what next."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from oms_ops.client import Conflict, Forbidden, InvalidInput, NotFound, OmsClient
from oms_ops.contracts import OrderOut
from tests.conftest import RunningServer
from tests.integration.shop import call, login_token, open_stopped_database, stock_of
from tests.pages.conftest import load_shop

_tokens: dict[tuple[int, str], str] = {}


def as_user(server: RunningServer, username: str, method: str, *args: Any, **kwargs: Any) -> OrderOut:
    """Call one client method as this user; logins are reused (password hashing is slow on purpose)."""
    key = (server.port, username)
    if key not in _tokens:
        _tokens[key] = login_token(server, username)
    with OmsClient(server.base_url, token=_tokens[key]) as client:
        return getattr(client, method)(*args, **kwargs)  # type: ignore[no-any-return]


def place(server: RunningServer, customer: str = "C-ACME", quantity: int = 10, sku: str = "WIDGET-BLUE") -> OrderOut:
    return as_user(server, "sales", "place_order", customer, [{"sku": sku, "quantity": quantity, "warehouse": "SH"}])


def paid(server: RunningServer, order: OrderOut) -> OrderOut:
    return as_user(server, "finance", "record_payment", order.order_number, "wechat_pay", order.total)


def test_a_payment_answers_201_with_the_order_paid_and_ready_to_ship(fulfilment_server):
    order = place(fulfilment_server)  # 10 x 10.00 + 13 % = 113.00
    response = call(
        fulfilment_server,
        "POST",
        f"/orders/{order.order_number}/payments",
        token=login_token(fulfilment_server, "finance"),
        json={"method": "bank_acceptance_bill", "amount": "113.00", "paid_on": "2026-03-02", "reference": "BAB-77"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "to_ship"
    assert (body["paid_total"], body["balance_due"]) == ("113.00", "0.00")
    [payment] = body["payments"]
    assert (payment["method"], payment["amount"], payment["paid_on"], payment["reference"]) == (
        "bank_acceptance_bill",
        "113.00",
        "2026-03-02",
        "BAB-77",
    )
    assert [(e["from_status"], e["to_status"]) for e in body["events"][1:]] == [
        ("pending_payment", "paid"),
        ("paid", "to_ship"),
    ]


def test_a_partial_payment_shows_what_is_still_due(fulfilment_server):
    order = as_user(fulfilment_server, "finance", "record_payment", place(fulfilment_server).order_number, "cash", "13")
    assert (order.status, order.paid_total, order.balance_due) == (
        "pending_payment",
        Decimal("13.00"),
        Decimal("100.00"),
    )


def test_shipping_an_unpaid_prepaid_order_answers_409_saying_what_is_allowed_next(fulfilment_server):
    order = place(fulfilment_server)
    with pytest.raises(Conflict) as refused:
        as_user(fulfilment_server, "warehouse", "ship_order", order.order_number)
    assert refused.value.code == "invalid_transition"
    assert "Pending payment cannot become Shipped; allowed next: Cancelled, On hold, Paid." in refused.value.message


def test_a_partial_shipment_shows_shipped_quantities_and_keeps_the_rest_reserved(fulfilment_server):
    order = paid(fulfilment_server, place(fulfilment_server, quantity=10))
    before = stock_of(fulfilment_server)[("SH", "WIDGET-BLUE")]

    shipped = as_user(fulfilment_server, "warehouse", "ship_order", order.order_number, {1: 4}, note="truck 1")

    assert (shipped.status, shipped.backorder_units) == ("partially_shipped", 6)
    assert [(line.line_no, line.sku, line.warehouse, line.quantity) for line in shipped.lines] == [
        (1, "WIDGET-BLUE", "SH", 4)
    ]
    assert stock_of(fulfilment_server)[("SH", "WIDGET-BLUE")] == (before[0] - 4, before[1] - 4)
    again = as_user(fulfilment_server, "analyst", "get_order", order.order_number)
    assert [(line.quantity, line.shipped_quantity) for line in again.lines] == [(10, 4)]
    assert (again.events[-1].to_status, again.events[-1].actor) == ("partially_shipped", "warehouse")
    assert str(again.events[-1].reason).endswith(": truck 1")


def test_shipping_the_rest_of_a_paid_order_completes_it(fulfilment_server):
    order = paid(fulfilment_server, place(fulfilment_server, quantity=3))
    as_user(fulfilment_server, "warehouse", "ship_order", order.order_number, {1: 1})
    done = as_user(fulfilment_server, "warehouse", "ship_order", order.order_number)
    assert (done.status, done.backorder_units) == ("completed", 0)
    again = as_user(fulfilment_server, "analyst", "get_order", order.order_number)
    assert (again.status, [line.shipped_quantity for line in again.lines]) == ("completed", [3])


def test_a_shipment_answers_201_with_the_shipment_it_created(fulfilment_server):
    order = place(fulfilment_server, customer="C-GLOBEX", quantity=5)
    response = call(
        fulfilment_server,
        "POST",
        f"/orders/{order.order_number}/shipments",
        token=login_token(fulfilment_server, "warehouse"),
        json={"lines": [{"line_no": 1, "quantity": 2}], "note": "truck 7"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert {k: body[k] for k in ("order_number", "status", "shipped_by", "note", "backorder_units")} == {
        "order_number": order.order_number,
        "status": "partially_shipped",
        "shipped_by": "warehouse",
        "note": "truck 7",
        "backorder_units": 3,
    }
    assert body["lines"] == [{"line_no": 1, "sku": "WIDGET-BLUE", "warehouse": "SH", "quantity": 2}]
    assert body["shipped_at"].endswith("Z") or body["shipped_at"].endswith("+00:00")


def test_shipping_an_order_that_does_not_exist_answers_404_naming_it(fulfilment_server):
    with pytest.raises(NotFound, match="There is no order SO99999998"):
        as_user(fulfilment_server, "warehouse", "ship_order", "SO99999998")


def test_an_order_on_terms_ships_first_and_completes_once_paid(fulfilment_server):
    order = place(fulfilment_server, customer="C-GLOBEX", quantity=2)
    assert as_user(fulfilment_server, "warehouse", "ship_order", order.order_number).status == "shipped"
    assert paid(fulfilment_server, order).status == "completed"


def test_over_shipping_a_line_answers_422_naming_the_field(fulfilment_server):
    order = place(fulfilment_server, customer="C-GLOBEX", quantity=2)
    with pytest.raises(InvalidInput) as refused:
        as_user(fulfilment_server, "warehouse", "ship_order", order.order_number, {1: 5})
    assert (refused.value.field, refused.value.message) == (
        "lines[0].quantity",
        "Line 1 (WIDGET-BLUE) has 2 left to ship, not 5.",
    )


def test_cancelling_releases_the_stock_and_records_the_refund_due(fulfilment_server):
    before = stock_of(fulfilment_server)[("SH", "GADGET-XL")]
    order = paid(fulfilment_server, place(fulfilment_server, quantity=2, sku="GADGET-XL"))

    cancelled = as_user(fulfilment_server, "manager", "cancel_order", order.order_number, "customer went elsewhere")

    assert cancelled.status == "cancelled"
    assert stock_of(fulfilment_server)[("SH", "GADGET-XL")] == before
    assert [(r.amount, r.status) for r in cancelled.refunds] == [(order.total, "due")]
    assert cancelled.events[-1].actor == "manager"
    assert cancelled.events[-1].reason == "customer went elsewhere"


def test_cancelling_a_partially_shipped_order_cancels_only_the_rest(fulfilment_server):
    order = place(fulfilment_server, customer="C-GLOBEX", quantity=5)
    as_user(fulfilment_server, "warehouse", "ship_order", order.order_number, {1: 2})
    before = stock_of(fulfilment_server)[("SH", "WIDGET-BLUE")]

    cancelled = as_user(fulfilment_server, "sales", "cancel_order", order.order_number, "rest not needed")

    assert stock_of(fulfilment_server)[("SH", "WIDGET-BLUE")] == (before[0], before[1] - 3)
    assert [line.shipped_quantity for line in cancelled.lines] == [2]
    with pytest.raises(Conflict, match="Cancelled cannot become Shipped"):
        as_user(fulfilment_server, "warehouse", "ship_order", order.order_number)


def test_cancelling_without_a_reason_answers_422_on_the_reason(fulfilment_server):
    with pytest.raises(InvalidInput) as refused:
        as_user(fulfilment_server, "sales", "cancel_order", place(fulfilment_server).order_number, " ")
    assert refused.value.field == "reason"


def test_hold_and_release_are_events_with_their_reasons(fulfilment_server):
    order = place(fulfilment_server, customer="C-GLOBEX", quantity=1)
    as_user(fulfilment_server, "sales", "hold_order", order.order_number, "delivery address unclear")
    with pytest.raises(Conflict, match="On hold cannot become Shipped"):
        as_user(fulfilment_server, "warehouse", "ship_order", order.order_number)

    released = as_user(fulfilment_server, "manager", "release_order", order.order_number, "address confirmed")

    assert released.status == "to_ship"
    assert [(e.to_status, e.actor, e.reason) for e in released.events[-2:]] == [
        ("on_hold", "sales", "delivery address unclear"),
        ("to_ship", "manager", "address confirmed"),
    ]


@pytest.mark.parametrize(
    ("username", "method", "args"),
    [
        ("sales", "record_payment", ("cash", "1.00")),
        ("warehouse", "record_payment", ("cash", "1.00")),
        ("finance", "ship_order", ()),
        ("sales", "ship_order", ()),
        ("warehouse", "cancel_order", ("no",)),
        ("finance", "cancel_order", ("no",)),
        ("warehouse", "hold_order", ("no",)),
        ("analyst", "hold_order", ("no",)),
    ],
)
def test_a_role_that_may_not_act_gets_403_and_the_order_is_unchanged(fulfilment_server, username, method, args):
    order = place(fulfilment_server, customer="C-GLOBEX", quantity=1)
    with pytest.raises(Forbidden, match=f"Your role \\({username}\\) may not"):
        as_user(fulfilment_server, username, method, order.order_number, *args)
    after = as_user(fulfilment_server, "admin", "get_order", order.order_number)
    assert (after.status, len(after.events), after.payments) == ("to_ship", 1, [])


def test_the_api_documents_each_move_and_its_conflict_answer(fulfilment_server):
    paths = httpx.get(f"{fulfilment_server.base_url}/openapi.json").json()["paths"]
    for move in ("payments", "shipments", "cancel", "hold", "release"):
        assert {"403", "404", "409", "422"} <= set(
            paths[f"/api/v1/orders/{{order_number}}/{move}"]["post"]["responses"]
        )


def test_the_api_documents_that_a_shipment_answers_the_shipment(fulfilment_server):
    paths = httpx.get(f"{fulfilment_server.base_url}/openapi.json").json()["paths"]
    created = paths["/api/v1/orders/{order_number}/shipments"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ShipmentOut"}


def test_acting_on_an_order_that_does_not_exist_answers_404(fulfilment_server):
    with pytest.raises(NotFound, match="There is no order SO99999999"):
        as_user(fulfilment_server, "admin", "hold_order", "SO99999999", "check")


def test_a_cancellation_leaves_a_message_for_the_customer_in_the_outbox(server):
    load_shop(server)
    order = place(server)
    as_user(server, "sales", "cancel_order", order.order_number, "customer changed their mind")

    con = open_stopped_database(server)

    [(topic, recipient, number)] = con.execute(
        "select topic, recipient, payload ->> 'order_number' from outbox"
    ).fetchall()
    assert (topic, recipient, number) == ("order_cancelled", "buy@acme.example", order.order_number)
