"""Random sequences of place / amend / pay / ship / cancel / hold / release / receive on a real DuckDB file.

After every step: availability never negative, reserved never above on hand, stock equals the ledger,
reservations equal the backorders of open orders, totals equal their lines, and every order's last
event is its status. A refused step must change nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from oms_ops.domain.errors import DomainError, InsufficientStock, InvalidInput, InvalidTransition
from oms_ops.domain.stock_ops import AdjustmentReason
from oms_ops.services import amendments, fulfilment, stock_ops, transfers
from oms_ops.services.actor import Actor
from oms_ops.services.orders import LineRequest, get_order, place_order
from oms_ops.services.stock import receive_stock
from oms_ops.store.database import Database
from tests.fulfilment.conftest import seed
from tests.integration.shop import BROKEN_LEVELS, STOCK_VERSUS_LEDGER

ADMIN = Actor("admin", ("admin",))
LOCATIONS = [("SH", "WIDGET-BLUE"), ("BJ", "WIDGET-BLUE"), ("SH", "GADGET-XL"), ("BJ", "PIN-STEEL")]
EXPECTED_REFUSALS = (InsufficientStock, InvalidInput, InvalidTransition)

RESERVED_VERSUS_BACKORDERS = """
    with open_lines as (
        select l.warehouse_code, l.sku, l.quantity
               - coalesce((select sum(s.quantity) from shipment_lines s
                           where s.order_number = l.order_number and s.line_no = l.line_no), 0) as waiting
        from order_lines l join orders o using (order_number)
        where o.status not in ('cancelled', 'shipped', 'completed')
    ), waiting as (select warehouse_code, sku, sum(waiting) as waiting from open_lines group by all)
    select s.warehouse_code, s.sku, s.reserved, coalesce(w.waiting, 0)
    from stock_levels s left join waiting w using (warehouse_code, sku)
    where s.reserved <> coalesce(w.waiting, 0)
"""
TOTALS_VERSUS_LINES = """
    select o.order_number from orders o join order_lines l using (order_number)
    group by o.order_number, o.subtotal, o.tax_total, o.total
    having o.subtotal <> sum(l.line_net) or o.tax_total <> sum(l.line_tax) or o.total <> sum(l.line_total)
        or o.total <> o.subtotal + o.tax_total
"""
STATUS_VERSUS_LAST_EVENT = """
    select o.order_number, o.status, e.to_status from orders o left join (
        select order_number, to_status from order_events
        qualify row_number() over (partition by order_number order by occurred_at desc, event_id desc) = 1
    ) e using (order_number)
    where e.to_status is distinct from o.status
"""
# What a customer paid, less what we owe back (an amendment that lowered a paid order records a refund due).
OVERPAID = """
    select o.order_number from orders o join payments p using (order_number)
    group by o.order_number, o.total
    having sum(p.amount) - coalesce((select sum(r.amount) from refunds r where r.order_number = o.order_number), 0)
        > o.total
"""
# Every status move writes an event, so counting rows notices any change a refused step might leave.
FINGERPRINT = """
    select (select count(*) from stock_ledger), (select count(*) from order_events), (select count(*) from payments),
           (select count(*) from orders), (select count(*) from outbox), (select count(*) from shipment_lines),
           (select count(*) from order_versions), (select sum(total) from orders),
           (select count(*) from stock_alerts), (select sum(received) from transfer_lines)
"""
# An alert is open exactly where available is below the safety stock: once per crossing.
ALERTS_VERSUS_AVAILABLE = """
    select p.warehouse_code, p.sku from stock_policies p
    left join stock_levels s using (warehouse_code, sku)
    left join (select warehouse_code, sku, count(*) as open from stock_alerts where closed_at is null group by all) a
        using (warehouse_code, sku)
    where coalesce(a.open, 0) <> (coalesce(s.on_hand - s.reserved, 0) < p.safety_stock)::int
"""
IN_TRANSIT_VERSUS_LEDGER = """
    select * from (select coalesce(sum(on_hand_delta), 0) as moved from stock_ledger
                   where movement in ('transfer_out', 'transfer_in')),
                  (select coalesce(sum(shipped - received), 0) as on_the_way from transfer_lines)
    where moved <> -on_the_way
"""

CHECKS = {
    "0 <= reserved <= on hand": BROKEN_LEVELS,
    "stock equals the ledger": STOCK_VERSUS_LEDGER,
    "reserved equals the backorders of open orders": RESERVED_VERSUS_BACKORDERS,
    "order totals equal their lines": TOTALS_VERSUS_LINES,
    "every order's last event is its status": STATUS_VERSUS_LAST_EVENT,
    "no order is paid beyond its total": OVERPAID,
    "an alert is open exactly where available is below safety stock": ALERTS_VERSUS_AVAILABLE,
    "units in transit equal what the transfer ledger rows took out and not yet put back": IN_TRANSIT_VERSUS_LEDGER,
}


class OrderDesk(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="oms-stateful-"))
        self.db = Database(self.folder / "oms.duckdb")
        self.db.migrate()
        seed(self.db, {loc: 20 for loc in LOCATIONS})
        self.orders: list[str] = []
        self.in_transit: list[int] = []

    def teardown(self) -> None:
        self.db.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def attempt(self, action: Any, *args: Any) -> dict[str, Any] | None:
        """Run a use case; a refusal must be one of the expected kinds and must leave everything as it was."""
        before = self.fingerprint()
        try:
            return action(self.db, ADMIN, *args)  # type: ignore[no-any-return]
        except EXPECTED_REFUSALS:
            assert self.fingerprint() == before
            return None
        except DomainError as error:
            raise AssertionError(f"unexpected refusal: {error!r}") from error

    def fingerprint(self) -> tuple[Any, ...]:
        with self.db.reading() as cur:
            row = cur.execute(FINGERPRINT).fetchone()
        assert row is not None
        return tuple(row)

    def total_and_paid(self, number: str) -> tuple[Decimal, Decimal]:
        with self.db.reading() as cur:
            row = cur.execute(
                "select o.total, coalesce(sum(p.amount), 0) from orders o left join payments p using (order_number)"
                " where o.order_number = ? group by o.total",
                [number],
            ).fetchone()
        assert row is not None
        return Decimal(row[0]), Decimal(row[1])

    @initialize(customer=st.sampled_from(["C-ACME", "C-GLOBEX"]), quantity=st.integers(1, 20))
    def first_order(self, customer: str, quantity: int) -> None:
        self.place(customer, [(LOCATIONS[0], quantity)])

    @rule(
        customer=st.sampled_from(["C-ACME", "C-GLOBEX"]),
        lines=st.lists(st.tuples(st.sampled_from(LOCATIONS), st.integers(1, 12)), min_size=1, max_size=3),
    )
    def place(self, customer: str, lines: list[tuple[tuple[str, str], int]]) -> None:
        requested = [LineRequest(sku, quantity, warehouse) for (warehouse, sku), quantity in lines]
        placed = self.attempt(place_order, customer, requested)
        if placed is not None:
            self.orders.append(placed["order_number"])

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), share=st.sampled_from(["all", "half", "cent", "too much"]))
    def pay(self, data: st.DataObject, share: str) -> None:
        number = data.draw(st.sampled_from(self.orders))
        total, paid = self.total_and_paid(number)
        outstanding = total - paid
        amount = {
            "all": outstanding,
            "half": (outstanding / 2).quantize(Decimal("0.01")),
            "cent": Decimal("0.01"),
            "too much": outstanding + 1,
        }[share]
        self.attempt(fulfilment.record_payment, number, "alipay", amount)

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), line_no=st.integers(1, 3), quantity=st.integers(1, 12), everything=st.booleans())
    def ship(self, data: st.DataObject, line_no: int, quantity: int, everything: bool) -> None:
        number = data.draw(st.sampled_from(self.orders))
        shipped = self.attempt(fulfilment.ship_order, number, [] if everything else [(line_no, quantity)])
        if shipped is not None:  # the answer is the order as it now stands
            after = get_order(self.db, ADMIN, number)
            left = sum(line["quantity"] - line["shipped_quantity"] for line in after["lines"])
            assert (shipped["status"], shipped["backorder_units"]) == (after["status"], left)

    @precondition(lambda self: self.orders)
    @rule(
        data=st.data(),
        lines=st.lists(st.tuples(st.sampled_from(LOCATIONS), st.integers(1, 12)), min_size=1, max_size=3),
    )
    def amend(self, data: st.DataObject, lines: list[tuple[tuple[str, str], int]]) -> None:
        number = data.draw(st.sampled_from(self.orders))
        requested = [LineRequest(sku, quantity, warehouse) for (warehouse, sku), quantity in lines]
        self.attempt(amendments.amend_order, number, requested, "customer called")

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        self.attempt(fulfilment.cancel_order, data.draw(st.sampled_from(self.orders)), "changed plans")

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), hold=st.booleans())
    def hold_or_release(self, data: st.DataObject, hold: bool) -> None:
        action = fulfilment.hold_order if hold else fulfilment.release_order
        self.attempt(action, data.draw(st.sampled_from(self.orders)), "checking")

    @rule(location=st.sampled_from(LOCATIONS), quantity=st.integers(1, 15))
    def receive(self, location: tuple[str, str], quantity: int) -> None:
        warehouse, sku = location
        receive_stock(self.db, ADMIN, warehouse, sku, quantity, "delivery")

    @rule(
        route=st.sampled_from([("SH", "BJ"), ("BJ", "SH")]),
        sku=st.sampled_from(["WIDGET-BLUE", "GADGET-XL", "PIN-STEEL"]),
        quantity=st.integers(1, 15),
    )
    def transfer(self, route: tuple[str, str], sku: str, quantity: int) -> None:
        arrival = datetime.now(UTC).date() + timedelta(days=2)
        requested = transfers.request_transfer(self.db, ADMIN, *route, [(sku, quantity)], arrival)
        if self.attempt(transfers.ship_transfer, requested["transfer_id"]) is not None:
            self.in_transit.append(requested["transfer_id"])

    @precondition(lambda self: self.in_transit)
    @rule(data=st.data(), part=st.integers(1, 15), everything=st.booleans())
    def receive_transfer(self, data: st.DataObject, part: int, everything: bool) -> None:
        transfer_id = data.draw(st.sampled_from(self.in_transit))
        sku = transfers.get_transfer(self.db, ADMIN, transfer_id)["lines"][0]["sku"]
        received = self.attempt(transfers.receive_transfer, transfer_id, [] if everything else [(sku, part)])
        if received is not None and received["status"] == "received":
            self.in_transit.remove(transfer_id)

    @rule(
        location=st.sampled_from(LOCATIONS),
        change=st.integers(-15, 15).filter(bool),
        reason=st.sampled_from(list(AdjustmentReason)),
    )
    def adjust(self, location: tuple[str, str], change: int, reason: AdjustmentReason) -> None:
        self.attempt(stock_ops.adjust_stock, *location, change, reason.value)

    @rule(location=st.sampled_from(LOCATIONS), safety=st.integers(0, 25))
    def set_safety_stock(self, location: tuple[str, str], safety: int) -> None:
        stock_ops.set_stock_policy(self.db, ADMIN, *location, safety, 2 * safety)

    @invariant()
    def the_books_hold(self) -> None:
        with self.db.reading() as cur:
            for name, sql in CHECKS.items():
                assert cur.execute(sql).fetchall() == [], name


OrderDesk.TestCase.settings = settings(
    max_examples=30, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_the_order_desk_never_oversells_and_keeps_its_books = OrderDesk.TestCase
