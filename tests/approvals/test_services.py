"""Approvals and credit through the services on a real DuckDB file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from oms_ops.domain.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from oms_ops.services import approvals, credit, fulfilment, gate
from oms_ops.services.actor import Actor
from oms_ops.services.orders import LineRequest, get_order, order_facts, place_order, price_requested
from oms_ops.store import queries
from oms_ops.store.database import Database
from tests.approvals.conftest import ADMIN

SALES = Actor("sales", ("sales",))
SALES_2 = Actor("sales2", ("sales",))
MANAGER = Actor("manager", ("manager",))
MANAGER_2 = Actor("manager2", ("manager",))
FINANCE = Actor("finance", ("finance",))
WAREHOUSE = Actor("warehouse", ("warehouse",))


def place(db: Database, customer: str = "C-OPEN", *lines: LineRequest, actor: Actor = SALES) -> dict[str, Any]:
    return place_order(db, actor, customer, list(lines) or [LineRequest("WIDGET-BLUE", 10, "SH")])


def large(db: Database, customer: str = "C-OPEN", actor: Actor = SALES) -> dict[str, Any]:
    """Two crane arms: 67,800.00 with tax, over the 50,000 of the default rule."""
    return place(db, customer, LineRequest("CRANE-ARM", 2, "SH"), actor=actor)


def request_ids(order: dict[str, Any], status: str = "pending") -> list[int]:
    return [a["request_id"] for a in order["approvals"] if a["status"] == status]


def reserved(db: Database, sku: str) -> int:
    with db.reading() as cur:
        row = cur.execute("select reserved from stock_levels where warehouse_code = 'SH' and sku = ?", [sku]).fetchone()
    assert row is not None
    return int(row[0])


def set_rule(db: Database, name: str, **changes: Any) -> None:
    rule = next(r for r in approvals.rules(db, ADMIN) if r["name"] == name)
    fields = {k: rule[k] for k in ("name", "condition_kind", "threshold", "roles", "level", "mode", "is_active")}
    approvals.update_rule(db, ADMIN, rule["rule_id"], **{**fields, **changes})


# -- which rules match -------------------------------------------------------------------------


def test_an_order_no_rule_matches_goes_straight_on_by_its_payment_terms(db):
    order = place(db)
    assert (order["status"], order["approvals"]) == ("to_ship", [])


def test_an_order_total_over_fifty_thousand_waits_for_a_manager(db):
    order = large(db)
    assert order["status"] == "pending_approval"
    assert [(a["rule_name"], a["roles"], a["why"]) for a in order["approvals"]] == [
        ("Large order", ["manager"], "order total 67800.00 over 50000.00")
    ]
    assert "Large order (order total 67800.00 over 50000.00)" in order["events"][0]["reason"]


def test_a_line_discount_over_fifteen_percent_waits_for_a_manager(db):
    order = place(db, "C-OPEN", LineRequest("WIDGET-BLUE", 10, "SH", discount_pct=Decimal(20)))
    assert [(a["rule_name"], a["why"]) for a in order["approvals"]] == [("Deep discount", "discount 20% over 15%")]


def test_a_discount_of_exactly_fifteen_percent_needs_no_approval(db):
    order = place(db, "C-OPEN", LineRequest("WIDGET-BLUE", 10, "SH", discount_pct=Decimal(15)))
    assert order["status"] == "to_ship"


def test_a_margin_below_ten_percent_asks_a_manager_first_and_finance_second(db):
    order = place(db, "C-OPEN", LineRequest("THIN-FOIL", 10, "SH"))
    assert [(a["level"], a["roles"], a["why"]) for a in order["approvals"]] == [
        (1, ["manager"], "margin 5% below 10%"),
        (2, ["finance"], "margin 5% below 10%"),
    ]


def test_an_over_credit_limit_rule_sends_the_order_to_finance_instead_of_a_hold(db):
    set_rule(db, "Over credit limit", is_active=True)
    order = place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 100, "SH"))  # 1,130.00 over a 1,000.00 limit
    assert order["status"] == "pending_approval"
    assert [(a["roles"], a["why"]) for a in order["approvals"]] == [
        (["finance"], "exposure 1130.00 over credit limit 1000.00")
    ]


def test_a_new_customer_rule_catches_only_a_customers_first_order(db):
    set_rule(db, "New customer", is_active=True)
    first, second = place(db), place(db)
    assert [a["why"] for a in first["approvals"]] == ["new customer (0 earlier orders, fewer than 1)"]
    assert second["status"] == "to_ship"


def test_a_rule_switched_off_matches_nothing(db):
    set_rule(db, "Large order", is_active=False)
    assert large(db)["status"] == "to_ship"


# -- levels, modes and who may decide ------------------------------------------------------------


def test_the_last_approval_moves_the_order_on_and_says_who_approved_when(db):
    order = large(db)
    approved = approvals.approve(db, MANAGER, request_ids(order)[0], "customer of ten years")
    assert approved["status"] == "to_ship"
    decision = approved["approvals"][0]
    assert (decision["status"], decision["decided_by"], decision["comment"]) == (
        "approved",
        "manager",
        "customer of ten years",
    )
    assert decision["decided_at"] is not None
    assert approved["events"][-1]["reason"] == "approved by manager"


def test_a_prepaid_order_approved_waits_for_payment(db):
    order = large(db, "C-CASH")
    assert approvals.approve(db, MANAGER, request_ids(order)[0])["status"] == "pending_payment"


def test_finance_sees_a_second_level_request_only_after_the_manager_approved(db):
    order = place(db, "C-OPEN", LineRequest("THIN-FOIL", 10, "SH"))
    assert approvals.inbox(db, FINANCE) == []
    manager_request, finance_request = request_ids(order)
    with pytest.raises(InvalidTransition, match="waits for its level 1 approvals first"):
        approvals.approve(db, FINANCE, finance_request)
    assert approvals.approve(db, MANAGER, manager_request)["status"] == "pending_approval"
    assert [item["request_id"] for item in approvals.inbox(db, FINANCE)] == [finance_request]
    assert approvals.approve(db, FINANCE, finance_request)["status"] == "to_ship"


def test_in_mode_any_one_of_the_roles_is_enough(db):
    set_rule(db, "Large order", roles=["manager", "finance"], mode="any")
    order = large(db)
    assert len(order["approvals"]) == 1
    assert approvals.approve(db, FINANCE, request_ids(order)[0])["status"] == "to_ship"


def test_in_mode_all_every_role_must_approve(db):
    set_rule(db, "Large order", roles=["manager", "finance"], mode="all")
    order = large(db)
    by_role = {a["roles"][0]: a["request_id"] for a in order["approvals"]}
    assert approvals.approve(db, MANAGER, by_role["manager"])["status"] == "pending_approval"
    assert approvals.approve(db, FINANCE, by_role["finance"])["status"] == "to_ship"


def test_in_mode_all_one_person_with_both_roles_cannot_give_both_approvals(db):
    set_rule(db, "Large order", roles=["manager", "finance"], mode="all")
    order = large(db)
    both = Actor("controller", ("manager", "finance"))
    first, second = request_ids(order)
    approvals.approve(db, both, first)
    with pytest.raises(InvalidTransition, match="needs someone else too"):
        approvals.approve(db, both, second)


def test_nobody_approves_their_own_order(db):
    order = large(db, actor=MANAGER)
    assert approvals.inbox(db, MANAGER) == []
    with pytest.raises(PermissionDenied, match=r"You placed order .*, so someone else must approve it"):
        approvals.approve(db, MANAGER, request_ids(order)[0])
    assert approvals.approve(db, MANAGER_2, request_ids(order)[0])["status"] == "to_ship"


def test_a_role_the_rule_does_not_name_may_not_decide(db):
    order = large(db)
    with pytest.raises(PermissionDenied, match=r"waits for manager; your role \(finance\) may not decide it"):
        approvals.approve(db, FINANCE, request_ids(order)[0])


def test_a_clerk_without_an_approving_role_has_no_inbox(db):
    with pytest.raises(PermissionDenied):
        approvals.inbox(db, WAREHOUSE)


def test_a_decided_request_cannot_be_decided_again(db):
    order = large(db)
    approvals.approve(db, MANAGER, request_ids(order)[0])
    with pytest.raises(InvalidTransition, match="already approved by manager"):
        approvals.approve(db, MANAGER_2, order["approvals"][0]["request_id"])


def test_the_inbox_shows_the_order_and_why_it_waits(db):
    order = large(db)
    [item] = approvals.inbox(db, MANAGER)
    assert (item["order_number"], item["customer_name"], item["total"], item["why"], item["created_by"]) == (
        order["order_number"],
        "Open Account Inc.",
        Decimal("67800.00"),
        "order total 67800.00 over 50000.00",
        "sales",
    )


# -- rejection -----------------------------------------------------------------------------------


def test_a_rejection_cancels_the_order_and_releases_its_stock(db):
    before = reserved(db, "CRANE-ARM")
    order = large(db)
    rejected = approvals.reject(db, MANAGER, request_ids(order)[0], "price too low for this customer")
    assert rejected["status"] == "cancelled"
    assert reserved(db, "CRANE-ARM") == before
    assert rejected["events"][-1]["reason"] == "rejected by manager (Large order): price too low for this customer"
    assert rejected["approvals"][0]["status"] == "rejected"


def test_a_rejection_voids_the_other_requests_of_the_order(db):
    order = place(db, "C-OPEN", LineRequest("THIN-FOIL", 10, "SH"))
    rejected = approvals.reject(db, MANAGER, request_ids(order)[0], "no")
    assert [a["status"] for a in rejected["approvals"]] == ["rejected", "void"]


def test_a_rejection_needs_a_comment(db):
    order = large(db)
    with pytest.raises(InvalidInput, match="Say why you reject"):
        approvals.reject(db, MANAGER, request_ids(order)[0], "  ")


# -- amendments void approvals -------------------------------------------------------------------


def reroute(db: Database, order_number: str, lines: list[LineRequest], version: int) -> tuple[str, str]:
    """What an amendment does: route the order's new facts as its next version."""
    with db.transaction() as cur:
        customer = queries.customer(cur, "C-OPEN")
        products = queries.products_by_sku(cur, [line.sku for line in lines])
        priced = [price_requested(line, products[line.sku]) for line in lines]
        facts = order_facts(
            order_number, customer or {}, "sales", lines, ["SH"] * len(lines), priced, products, version
        )
        return gate.route_confirmed(cur, facts, SALES, datetime.now(UTC))


def test_an_approval_is_void_when_the_order_changes_afterwards(db):
    order = place(db, "C-OPEN", LineRequest("THIN-FOIL", 10, "SH"))
    manager_request = request_ids(order)[0]
    approvals.approve(db, MANAGER, manager_request)
    status, _ = reroute(db, order["order_number"], [LineRequest("THIN-FOIL", 20, "SH")], version=2)
    after = get_order(db, SALES, order["order_number"])["approvals"]
    assert status == "pending_approval"
    assert [(a["version"], a["level"], a["status"]) for a in after] == [
        (1, 1, "void"),
        (1, 2, "void"),
        (2, 1, "pending"),
        (2, 2, "pending"),
    ]
    with pytest.raises(InvalidTransition, match="the order changed since it was asked for"):
        approvals.approve(db, FINANCE, after[1]["request_id"])


def test_an_amendment_that_no_longer_needs_approval_still_voids_the_old_requests(db):
    order = large(db)
    status, _ = reroute(db, order["order_number"], [LineRequest("CRANE-ARM", 1, "SH")], version=2)
    assert status == "to_ship"
    assert [a["status"] for a in get_order(db, SALES, order["order_number"])["approvals"]] == ["void"]


# -- credit ------------------------------------------------------------------------------------


def test_an_order_over_the_credit_limit_goes_on_hold_with_the_figures(db):
    place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 50, "SH"))  # 565.00 open
    order = place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 50, "SH"))  # another 565.00
    assert order["status"] == "on_hold"
    assert order["events"][0]["reason"] == "credit: exposure 1130.00 over limit 1000.00"


def test_an_order_within_the_credit_limit_goes_on(db):
    assert place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 80, "SH"))["status"] == "to_ship"  # 904.00


def test_a_customer_on_terms_without_a_limit_is_not_credit_checked(db):
    place(db, "C-OPEN", LineRequest("WIDGET-BLUE", 4000, "SH"))
    assert credit.customer_credit(db, FINANCE, "C-OPEN")["available_credit"] is None


def test_exposure_counts_open_unshipped_and_shipped_unpaid_separately(db):
    order = place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 40, "SH"), LineRequest("THIN-FOIL", 1, "SH"))
    fulfilment.ship_order(db, WAREHOUSE, order["order_number"], [(1, 40)])  # 452.00 shipped, 11.30 to ship
    fulfilment.record_payment(db, FINANCE, order["order_number"], "bank_transfer", Decimal("100.00"))
    view = credit.customer_credit(db, FINANCE, "C-TERMS")
    assert (view["shipped_unpaid"], view["open_unshipped"], view["exposure"], view["available_credit"]) == (
        Decimal("352.00"),
        Decimal("11.30"),
        Decimal("363.30"),
        Decimal("636.70"),
    )


def test_the_final_approval_of_an_order_over_the_limit_puts_it_on_credit_hold(db):
    order = place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 100, "SH", discount_pct=Decimal(20)))  # 904.00
    place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 20, "SH"))  # 226.00 more, on hold itself
    approved = approvals.approve(db, MANAGER, request_ids(order)[0])
    assert (approved["status"], approved["events"][-1]["reason"]) == (
        "on_hold",
        "credit: exposure 1130.00 over limit 1000.00",
    )


def test_release_from_a_credit_hold_is_refused_while_still_over_the_limit(db):
    place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 50, "SH"))
    held = place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 50, "SH"))
    with pytest.raises(InvalidTransition, match=r"would owe 1130\.00, over their credit limit of 1000\.00"):
        fulfilment.release_order(db, SALES, held["order_number"], "customer called")
    assert get_order(db, SALES, held["order_number"])["status"] == "on_hold"


def test_release_goes_through_once_payments_bring_the_customer_under_the_limit(db):
    first = place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 50, "SH"))
    held = place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 50, "SH"))
    fulfilment.record_payment(db, FINANCE, first["order_number"], "bank_transfer", Decimal("565.00"))
    assert fulfilment.release_order(db, SALES, held["order_number"], "paid")["status"] == "to_ship"


def test_the_credit_view_lists_the_orders_on_credit_hold(db):
    place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 50, "SH"))
    held = place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 50, "SH"))
    view = credit.customer_credit(db, SALES, "C-TERMS")
    assert [(h["order_number"], h["reason"]) for h in view["holds"]] == [
        (held["order_number"], "credit: exposure 1130.00 over limit 1000.00")
    ]
    assert view["over_limit"] is True
    assert [h["order_number"] for h in credit.credit_holds(db, FINANCE)] == [held["order_number"]]


def test_a_finance_override_is_logged_and_moves_the_order_on(db):
    place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 50, "SH"))
    held = place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 50, "SH"))
    moved = credit.override_credit(db, FINANCE, held["order_number"], "bank guarantee received")
    assert moved["status"] == "to_ship"
    assert moved["events"][-1]["reason"] == (
        "credit override by finance (exposure 1130.00, limit 1000.00): bank guarantee received"
    )
    [logged] = credit.customer_credit(db, FINANCE, "C-TERMS")["overrides"]
    assert (logged["overridden_by"], logged["reason"], logged["exposure"], logged["credit_limit"]) == (
        "finance",
        "bank guarantee received",
        Decimal("1130.00"),
        Decimal("1000.00"),
    )


def test_only_finance_or_an_admin_may_override_a_credit_hold(db):
    place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 50, "SH"))
    held = place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 50, "SH"))
    with pytest.raises(PermissionDenied, match="may not override a credit hold"):
        credit.override_credit(db, SALES, held["order_number"], "trust me")


def test_an_override_needs_a_reason(db):
    held = place(db, "C-TERMS", LineRequest("WIDGET-BLUE", 100, "SH"))
    with pytest.raises(InvalidInput, match="Say why"):
        credit.override_credit(db, FINANCE, held["order_number"], "")


def test_an_override_of_an_order_not_on_hold_is_refused(db):
    order = place(db)
    with pytest.raises(InvalidTransition, match="is not on hold"):
        credit.override_credit(db, FINANCE, order["order_number"], "why not")


# -- the rules themselves ------------------------------------------------------------------------


def test_only_an_admin_edits_the_rules(db):
    with pytest.raises(PermissionDenied, match="may not edit approval rules"):
        approvals.create_rule(db, MANAGER, "Mine", "order_total_over", Decimal(1), ["manager"])


def test_a_new_rule_applies_to_the_next_order(db):
    approvals.create_rule(db, ADMIN, "Any order over 100", "order_total_over", Decimal(100), ["finance"], level=3)
    order = place(db)  # 113.00
    assert [(a["rule_name"], a["level"]) for a in order["approvals"]] == [("Any order over 100", 3)]


@pytest.mark.parametrize(
    ("changes", "field", "sentence"),
    [
        ({"condition_kind": "moon_phase"}, "condition_kind", "Unknown condition 'moon_phase'"),
        ({"roles": ["janitor"]}, "roles", "Unknown role janitor"),
        ({"roles": []}, "roles", "Name at least one role"),
        ({"level": 0}, "level", "Levels start at 1"),
        ({"mode": "most"}, "mode", "Mode must be 'any'"),
        ({"threshold": Decimal(-1)}, "threshold", "cannot be negative"),
    ],
)
def test_a_broken_rule_is_refused_with_a_sentence_naming_the_field(db, changes, field, sentence):
    rule = {"name": "X", "condition_kind": "order_total_over", "threshold": Decimal(1), "roles": ["manager"]}
    with pytest.raises(InvalidInput, match=sentence) as refused:
        approvals.create_rule(db, ADMIN, **{**rule, **changes})
    assert refused.value.field == field


def test_an_unknown_rule_or_request_is_not_found(db):
    with pytest.raises(NotFound):
        approvals.approve(db, MANAGER, 999)
    with pytest.raises(NotFound, match="There is no approval rule 999"):
        approvals.update_rule(db, ADMIN, 999, "X", "order_total_over", Decimal(1), ["manager"], 1, "any", True)


def test_a_rejected_order_tells_the_customer(db):
    order = large(db)
    approvals.reject(db, MANAGER, request_ids(order)[0], "no")
    with db.reading() as cur:
        row = cur.execute("select payload from outbox where topic = 'order_cancelled'").fetchone()
    assert row is not None and json.loads(row[0])["order_number"] == order["order_number"]


def test_cancelling_an_order_waiting_for_approval_voids_its_requests_and_empties_the_inbox(db):
    order = large(db)
    cancelled = fulfilment.cancel_order(db, SALES, order["order_number"], "customer changed their mind")
    assert [(a["status"], a["comment"]) for a in cancelled["approvals"]] == [("void", "void: order cancelled")]
    assert approvals.inbox(db, MANAGER) == []
