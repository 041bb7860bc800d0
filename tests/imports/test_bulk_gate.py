"""The set-based gate for imported orders decides exactly as `gate.route_confirmed` does, order by order.

A varied batch (large orders, thin margins, a customer on terms with a credit limit and stored orders and a
payment, one without a limit, a prepaid one, an order waiting for stock) is routed twice on the same real
DuckDB file, each time rolled back: once one order at a time through `gate.route_confirmed` (each stored and
routed before the next, as typed orders would be), once all at once through `bulk_gate.route_new_orders`.
Statuses, reasons and approval requests must be the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from oms_ops.services import approvals as approval_service
from oms_ops.services import bulk_gate, gate
from oms_ops.store import queries
from oms_ops.store.database import Database
from tests.approvals.conftest import ADMIN, seed

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
PRICES = {"CRANE-ARM": (Decimal("30000.00"), Decimal("20000.00")), "THIN-FOIL": (Decimal("10.00"), Decimal("9.50"))}
PRICES["WIDGET-BLUE"] = (Decimal("10.00"), Decimal("6.00"))
TAX = Decimal("0.13")

# (customer, [(sku, quantity)], waiting for stock): in sequence, one order each.
BATCH: list[tuple[str, list[tuple[str, int]], bool]] = [
    ("C-CASH", [("CRANE-ARM", 2)], False),  # large
    ("C-TERMS", [("WIDGET-BLUE", 30)], False),  # within the limit with what is stored
    ("C-TERMS", [("WIDGET-BLUE", 20)], False),  # over half of it
    ("C-OPEN", [("CRANE-ARM", 1), ("WIDGET-BLUE", 5)], False),  # on terms, no limit
    ("C-CASH", [("THIN-FOIL", 100)], False),  # thin margin: two levels
    ("C-TERMS", [("THIN-FOIL", 10)], True),  # waits for stock: not routed, but counts
    ("C-TERMS", [("WIDGET-BLUE", 1)], False),
    ("C-TERMS", [("WIDGET-BLUE", 2)], False),  # just over the limit
    ("C-CASH", [("THIN-FOIL", 100), ("WIDGET-BLUE", 12)], False),  # margin 8.75 %
    ("C-CASH", [("WIDGET-BLUE", 3), ("THIN-FOIL", 1)], False),
    ("C-OPEN", [("WIDGET-BLUE", 2)], False),
    ("C-OPEN", [("CRANE-ARM", 1)], False),  # over the mode-'all' rule
    ("C-CASH", [("CRANE-ARM", 3), ("THIN-FOIL", 500)], False),
    ("C-TERMS", [("CRANE-ARM", 1)], False),  # over the limit
    ("C-OPEN", [("WIDGET-BLUE", 4)], False),
    ("C-CASH", [("CRANE-ARM", 1), ("WIDGET-BLUE", 1500)], False),  # just over 50,000
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "oms.duckdb")
    database.migrate()
    seed(database)
    with database.transaction() as cur:  # C-TERMS owes 500.00 on a stored order, 200.00 of it paid (net of a refund)
        _store_order(cur, "SO-STORED1", "C-TERMS", [("WIDGET-BLUE", 1)], "to_ship", Decimal("500.00"))
        _store_order(cur, "SO-STORED2", "C-TERMS", [("WIDGET-BLUE", 1)], "cancelled", Decimal("900.00"))
        cur.execute(
            "insert into payments (order_number, method, amount, paid_on, recorded_by, recorded_at)"
            " values ('SO-STORED1', 'bank_transfer', 250.00, '2026-03-01', 'finance', ?)",
            [NOW],
        )
        cur.execute(  # 50.00 of it owed back (an amendment lowered the order): 200.00 paid, net
            "insert into refunds (order_number, amount, reason, created_by, created_at)"
            " values ('SO-STORED1', 50.00, 'amendment v2', 'sales', ?)",
            [NOW],
        )
    yield database
    database.close()


def _activate(db: Database, **changes: dict[str, Any]) -> None:
    for rule in approval_service.rules(db, ADMIN):
        if rule["name"] in changes:
            values = {**rule, "is_active": True, **changes[rule["name"]]}
            approval_service.update_rule(
                db,
                ADMIN,
                rule["rule_id"],
                values["name"],
                values["condition_kind"],
                Decimal(values["threshold"]),
                list(values["roles"]),
                values["level"],
                values["mode"],
                values["is_active"],
            )


def _store_order(
    cur: duckdb.DuckDBPyConnection,
    number: str,
    customer: str,
    lines: list[tuple[str, int]],
    status: str | None,
    total: Decimal | None = None,
    ordered_at: datetime = NOW,
) -> None:
    """The order's lines, and the order itself unless status is None."""
    net_sum, tax_sum = Decimal(0), Decimal(0)
    for line_no, (sku, quantity) in enumerate(lines, start=1):
        price, cost = PRICES[sku]
        net = price * quantity
        tax = (net * TAX).quantize(Decimal("0.01"))
        net_sum, tax_sum = net_sum + net, tax_sum + tax
        cur.execute(
            "insert into order_lines (order_number, line_no, sku, warehouse_code, quantity, unit_price, discount_pct,"
            " tax_rate, unit_cost, line_net, line_tax, line_total) values (?, ?, ?, 'SH', ?, ?, 0, ?, ?, ?, ?, ?)",
            [number, line_no, sku, quantity, price, TAX, cost, net, tax, net + tax],
        )
    if status is not None:
        cur.execute(
            "insert into orders (order_number, customer_code, channel, external_ref, status, ordered_at,"
            " created_by, subtotal, tax_total, total, created_at, updated_at)"
            " values (?, ?, 'test', ?, ?, ?, 'admin', ?, ?, ?, ?, ?)",
            [number, customer, number, status, ordered_at, net_sum, tax_sum, total or net_sum + tax_sum, NOW, NOW],
        )


def _number(i: int) -> str:
    return f"SO-B{i:03d}"


def _line_facts(sku: str, quantity: int) -> gate.LineFacts:
    price, cost = PRICES[sku]
    return gate.LineFacts(sku, "SH", quantity, price, price, Decimal(0), cost, price * quantity)


def _one_by_one(cur: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    decided = {}
    for i, (customer, lines, waiting) in enumerate(BATCH):
        number = _number(i)
        at = NOW + timedelta(minutes=i)
        _store_order(cur, number, customer, lines, "on_hold" if waiting else "draft", ordered_at=at)
        if waiting:
            continue
        row = cur.execute("select total from orders where order_number = ?", [number]).fetchall()
        facts = gate.OrderFacts(
            order_number=number,
            customer=queries.customer(cur, customer) or {},
            created_by="sales",
            lines=[_line_facts(sku, q) for sku, q in lines],
            subtotal=sum((PRICES[sku][0] * q for sku, q in lines), Decimal(0)),
            total=Decimal(row[0][0]),
        )
        status, reason = gate.route_confirmed(cur, facts, ADMIN, NOW)
        cur.execute("update orders set status = ? where order_number = ?", [status.value, number])
        decided[number] = (status.value, reason)
    return decided


def _all_at_once(cur: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    cur.execute(
        "create temp table batch (order_number varchar, customer_code varchar, ordered_at timestamptz, waiting bool)"
    )
    for i, (customer, lines, waiting) in enumerate(BATCH):
        _store_order(cur, _number(i), customer, lines, None)
        cur.execute(
            "insert into batch values (?, ?, ?, ?)", [_number(i), customer, NOW + timedelta(minutes=i), waiting]
        )
    outcomes = bulk_gate.route_new_orders(cur, ADMIN, "batch", NOW)
    terms = {
        code: int(days)
        for code, days in cur.execute("select customer_code, payment_terms_days from customers").fetchall()
    }
    decided = {}
    for i, (customer, _, waiting) in enumerate(BATCH):
        if waiting:
            continue
        o = outcomes.get(_number(i))
        decided[_number(i)] = (
            (o.status.value, o.reason) if o else (bulk_gate.terms_status(terms[customer]).value, "order placed")
        )
    return decided


def _rolled_back(db: Database, route: Callable[[duckdb.DuckDBPyConnection], dict[str, tuple[str, str]]]) -> Any:
    cur = db.cursor()
    cur.execute("begin transaction")
    try:
        decided = route(cur)
        requests = cur.execute(
            "select order_number, version, rule_id, rule_name, condition_kind, level, roles, why, status"
            " from approval_requests order by order_number, level, rule_id, roles"
        ).fetchall()
        return decided, requests
    finally:
        cur.execute("rollback")
        cur.close()


RULE_SETS = {
    "seeded rules, credit holds": {},
    "every rule on, a mode-all rule": {
        "Over credit limit": {"threshold": Decimal("50")},
        "New customer": {"threshold": Decimal("2")},
        "Deep discount": {},
    },
}


@pytest.mark.parametrize("rule_set", RULE_SETS)
def test_the_set_based_gate_decides_a_batch_as_routing_each_order_in_turn_would(db: Database, rule_set: str) -> None:
    _activate(db, **RULE_SETS[rule_set])
    if rule_set != "seeded rules, credit holds":
        approval_service.create_rule(
            db, ADMIN, "Board", "order_total_over", Decimal("20000"), ["manager", "finance"], 2, "all"
        )
    one_by_one, one_by_one_requests = _rolled_back(db, _one_by_one)
    at_once, at_once_requests = _rolled_back(db, _all_at_once)
    assert at_once == one_by_one
    assert at_once_requests == one_by_one_requests
    assert {status for status, _ in one_by_one.values()} >= {"pending_approval", "to_ship", "pending_payment"}
    assert len(one_by_one_requests) >= 4
    if rule_set == "seeded rules, credit holds":
        assert any(reason.startswith("credit:") for _, reason in one_by_one.values())
    else:
        assert {row[4] for row in one_by_one_requests} >= {"over_credit_limit", "new_customer", "order_total_over"}
