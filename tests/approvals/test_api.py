"""Approvals and credit through HTTP: the typed client, the status codes, and sentences people can read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from oms_ops.client import Conflict, Forbidden, InvalidInput, OmsClient
from oms_ops.contracts import OrderOut
from tests.conftest import RunningServer
from tests.integration.shop import call, login_token

_tokens: dict[tuple[int, str], str] = {}

CRANES = [{"sku": "CRANE-ARM", "quantity": 2, "warehouse": "SH"}]  # 67,800.00 with tax
FOIL = [{"sku": "THIN-FOIL", "quantity": 10, "warehouse": "SH"}]  # 5 % margin: manager, then finance
OVER_LIMIT = [{"sku": "WIDGET-BLUE", "quantity": 100, "warehouse": "SH"}]  # 1,130.00 alone, limit 1,000.00


def token(server: RunningServer, username: str) -> str:
    key = (server.port, username)
    if key not in _tokens:
        _tokens[key] = login_token(server, username)
    return _tokens[key]


def as_user(server: RunningServer, username: str, method: str, *args: Any, **kwargs: Any) -> Any:
    """Call one client method as this user; logins are reused (password hashing is slow on purpose)."""
    with OmsClient(server.base_url, token=token(server, username)) as client:
        return getattr(client, method)(*args, **kwargs)


def place(
    server: RunningServer, lines: list[dict[str, Any]], customer: str = "C-OPEN", user: str = "sales"
) -> OrderOut:
    return as_user(server, user, "place_order", customer, lines)


def pending(order: OrderOut) -> list[int]:
    return [a.request_id for a in order.approvals if a.status == "pending"]


def test_a_large_order_shows_in_the_managers_inbox_and_moves_on_when_approved(approvals_server):
    order = place(approvals_server, CRANES)
    assert order.status == "pending_approval"
    inbox = as_user(approvals_server, "manager", "approval_inbox")
    assert order.order_number in {item.order_number for item in inbox}
    approved = as_user(approvals_server, "manager", "approve", pending(order)[0], "fine")
    assert approved.status == "to_ship"
    seen_by_sales = as_user(approvals_server, "sales", "get_order", order.order_number)
    assert [(a.status, a.decided_by, a.comment) for a in seen_by_sales.approvals] == [("approved", "manager", "fine")]


def test_approving_your_own_order_answers_403_with_a_sentence(approvals_server):
    order = place(approvals_server, CRANES, user="manager")
    with pytest.raises(Forbidden, match=r"You placed order SO\d+, so someone else must approve it"):
        as_user(approvals_server, "manager", "approve", pending(order)[0])


def test_an_approver_of_the_wrong_role_gets_403(approvals_server):
    order = place(approvals_server, CRANES)
    response = call(
        approvals_server, "POST", f"/approvals/{pending(order)[0]}/approve", token(approvals_server, "finance"), json={}
    )
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_a_second_level_approval_before_the_first_answers_409(approvals_server):
    order = place(approvals_server, FOIL)
    with pytest.raises(Conflict, match="waits for its level 1 approvals first"):
        as_user(approvals_server, "finance", "approve", pending(order)[1])


def test_a_rejection_without_a_comment_answers_422_naming_the_field(approvals_server):
    order = place(approvals_server, CRANES)
    with pytest.raises(InvalidInput) as refused:
        as_user(approvals_server, "manager", "reject", pending(order)[0], "")
    assert refused.value.field == "comment"


def test_a_rejection_cancels_the_order_and_the_submitter_sees_who_and_why(approvals_server):
    order = place(approvals_server, CRANES)
    as_user(approvals_server, "manager", "reject", pending(order)[0], "margin too thin")
    seen = as_user(approvals_server, "sales", "get_order", order.order_number)
    assert seen.status == "cancelled"
    assert (seen.approvals[0].decided_by, seen.approvals[0].comment) == ("manager", "margin too thin")


def test_an_amendment_voids_the_approvals_already_given(approvals_server):
    order = place(approvals_server, FOIL)
    manager_request, finance_request = pending(order)
    as_user(approvals_server, "manager", "approve", manager_request)
    amended = as_user(
        approvals_server, "sales", "amend_order", order.order_number, [{**FOIL[0], "quantity": 12}], "more"
    )
    assert amended.status == "pending_approval"
    assert [(a.version, a.status) for a in amended.approvals] == [
        (1, "void"),
        (1, "void"),
        (2, "pending"),
        (2, "pending"),
    ]
    with pytest.raises(Conflict, match="the order changed since it was asked for"):
        as_user(approvals_server, "finance", "approve", finance_request)


def test_an_order_over_the_credit_limit_is_held_with_the_figures(approvals_server):
    order = place(approvals_server, OVER_LIMIT, customer="C-TERMS")
    assert order.status == "on_hold"
    assert order.events[0].reason is not None and order.events[0].reason.startswith("credit: exposure ")
    assert order.events[0].reason.endswith(" over limit 1000.00")


def test_the_credit_view_shows_limit_exposure_and_the_held_order(approvals_server):
    order = place(approvals_server, OVER_LIMIT, customer="C-TERMS")
    view = as_user(approvals_server, "finance", "customer_credit", "C-TERMS")
    assert (view.credit_limit, view.payment_terms_days, view.over_limit) == (Decimal("1000.00"), 30, True)
    assert view.exposure == view.open_unshipped + view.shipped_unpaid >= Decimal("1130.00")
    assert order.order_number in {hold.order_number for hold in view.holds}


def test_releasing_an_order_still_over_the_limit_answers_409(approvals_server):
    order = place(approvals_server, OVER_LIMIT, customer="C-TERMS")
    response = call(
        approvals_server,
        "POST",
        f"/orders/{order.order_number}/release",
        token(approvals_server, "sales"),
        json={"reason": "customer promised to pay"},
    )
    assert (response.status_code, response.json()["code"]) == (409, "credit_limit_exceeded")
    assert "over their credit limit of 1000.00" in response.json()["message"]


def test_finance_overrides_a_credit_hold_with_a_reason_and_the_order_moves_on(approvals_server):
    order = place(approvals_server, OVER_LIMIT, customer="C-TERMS")
    moved = as_user(approvals_server, "finance", "override_credit", order.order_number, "letter of credit")
    assert moved.status == "to_ship"
    overrides = as_user(approvals_server, "finance", "customer_credit", "C-TERMS").overrides
    assert (order.order_number, "finance", "letter of credit") in {
        (o.order_number, o.overridden_by, o.reason) for o in overrides
    }


def test_sales_may_not_override_a_credit_hold(approvals_server):
    order = place(approvals_server, OVER_LIMIT, customer="C-TERMS")
    with pytest.raises(Forbidden, match="may not override a credit hold"):
        as_user(approvals_server, "sales", "override_credit", order.order_number, "please")


def test_an_admin_adds_and_changes_a_rule_and_anyone_can_read_them(approvals_server):
    rule = {"name": "Huge order", "condition_kind": "order_total_over", "threshold": "900000", "roles": ["admin"]}
    created = as_user(approvals_server, "admin", "create_approval_rule", {**rule, "is_active": False})
    changed = as_user(
        approvals_server, "admin", "update_approval_rule", created.rule_id, {**rule, "level": 2, "is_active": False}
    )
    assert (changed.level, changed.updated_by) == (2, "admin")
    assert created.rule_id in {r.rule_id for r in as_user(approvals_server, "manager", "approval_rules")}


def test_a_manager_may_not_edit_the_rules(approvals_server):
    rule = {"name": "Mine", "condition_kind": "order_total_over", "threshold": "1", "roles": ["manager"]}
    with pytest.raises(Forbidden, match="may not edit approval rules"):
        as_user(approvals_server, "manager", "create_approval_rule", rule)


def test_a_rule_with_an_unknown_condition_answers_422_naming_the_field(approvals_server):
    body = {"name": "Odd", "condition_kind": "full_moon", "threshold": "1", "roles": ["manager"]}
    response = call(approvals_server, "POST", "/approval-rules", token(approvals_server, "admin"), json=body)
    assert (response.status_code, response.json()["field"]) == (422, "condition_kind")
