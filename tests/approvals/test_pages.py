"""The Approvals, Customer credit and Approval rules pages, run by AppTest against a real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dashboards.lib.approval_views import approval_rows
from dashboards.lib.formatting import money
from tests.approvals.test_api import CRANES, OVER_LIMIT, as_user, pending, place
from tests.conftest import RunningServer
from tests.pages.conftest import page, point_pages_at, signed_in, texts


@pytest.fixture
def served(approvals_server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunningServer:
    point_pages_at(monkeypatch, approvals_server.port, tmp_path)
    return approvals_server


def opened(server: RunningServer, name: str, username: str) -> Any:
    return signed_in(page(name), server, username).run()


def test_the_inbox_shows_the_order_and_why_it_needs_approval(served):
    order = place(served, CRANES)
    at = opened(served, "approvals", "manager")
    assert f"**{order.order_number}**" in texts(at)
    assert "Large order**, order total 67800.00 over 50000.00 (level 1, manager)" in texts(at)


def test_approving_in_the_inbox_moves_the_order_on(served):
    order = place(served, CRANES)
    at = opened(served, "approvals", "manager")
    at.button(key=f"approvals_approve_{pending(order)[0]}").click().run()
    assert at.success[0].value == f"You approved order {order.order_number}: it is now To ship."
    assert as_user(served, "sales", "get_order", order.order_number).status == "to_ship"


def test_rejecting_without_a_comment_says_why_it_cannot(served):
    order = place(served, CRANES)
    at = opened(served, "approvals", "manager")
    at.button(key=f"approvals_reject_{pending(order)[0]}").click().run()
    assert at.error[0].value == "Say why you reject the order, in a few words."
    assert as_user(served, "sales", "get_order", order.order_number).status == "pending_approval"


def test_rejecting_with_a_comment_cancels_the_order(served):
    order = place(served, CRANES)
    request = pending(order)[0]
    at = opened(served, "approvals", "manager")
    at.text_input(key=f"approvals_comment_{request}").input("customer owes us money").run()
    at.button(key=f"approvals_reject_{request}").click().run()
    assert at.success[0].value == f"You rejected order {order.order_number}: it is now Cancelled."


def test_an_approver_does_not_see_orders_they_placed(served):
    order = place(served, CRANES, user="manager")
    at = opened(served, "approvals", "manager")
    assert order.order_number not in texts(at)


def test_sales_may_not_open_the_inbox(served):
    at = opened(served, "approvals", "sales")
    assert "may not open this page" in at.warning[0].value


def test_finance_overrides_a_credit_hold_from_the_credit_page(served):
    order = place(served, OVER_LIMIT, customer="C-TERMS")
    at = opened(served, "credit", "finance")
    at.selectbox(key="credit_override_order").select(order.order_number)
    at.text_input(key="credit_override_reason").input("guarantee from the parent company")
    at.button(key="credit_override_submit").click().run()
    assert at.success[0].value == f"Credit hold on {order.order_number} overridden: it is now To ship."


def test_an_override_without_a_reason_is_refused_with_a_sentence(served):
    order = place(served, OVER_LIMIT, customer="C-TERMS")
    at = opened(served, "credit", "finance")
    at.selectbox(key="credit_override_order").select(order.order_number)
    at.button(key="credit_override_submit").click().run()
    assert at.error[0].value == "Say why the order may go on despite the credit limit."


def test_sales_sees_credit_but_is_offered_no_override(served):
    place(served, OVER_LIMIT, customer="C-TERMS")
    at = opened(served, "credit", "sales")
    assert not at.exception
    assert [b.key for b in at.button] == ["credit_show"]


def test_the_credit_view_of_a_customer_shows_limit_and_exposure(served):
    at = opened(served, "credit", "sales")
    at.text_input(key="credit_customer").input("c-terms")
    at.button(key="credit_show").click().run()
    metrics = {m.label: m.value for m in at.metric}
    exposure = as_user(served, "finance", "customer_credit", "C-TERMS").exposure
    assert (metrics["Credit limit"], metrics["Payment terms"], metrics["Exposure"]) == (
        "CN¥1,000.00",
        "30 days",
        money(exposure, "en_US"),
    )


def test_the_credit_view_of_an_unknown_customer_says_so(served):
    at = opened(served, "credit", "finance")
    at.text_input(key="credit_customer").input("C-NOBODY")
    at.button(key="credit_show").click().run()
    assert at.error[0].value == "There is no customer C-NOBODY."


def test_an_admin_adds_a_rule_on_the_rules_page(served):
    at = opened(served, "approval_rules", "admin")
    at.text_input(key="rules_name").input("Page-made rule")
    at.text_input(key="rules_threshold").input("750000")
    at.checkbox(key="rules_active").uncheck()
    at.button(key="rules_save").click().run()
    assert at.success[0].value == "Rule “Page-made rule” saved."
    saved = [r for r in as_user(served, "admin", "approval_rules") if r.name == "Page-made rule"]
    assert [(r.threshold, r.roles, r.is_active) for r in saved] == [(750000, ["manager"], False)]


def test_a_threshold_that_is_not_a_number_is_refused_with_a_sentence(served):
    at = opened(served, "approval_rules", "admin")
    at.text_input(key="rules_name").input("Typo")
    at.text_input(key="rules_threshold").input("fifty")
    at.button(key="rules_save").click().run()
    assert at.error[0].value == "Enter the threshold as a number, such as 50000 or 15."


def test_picking_a_rule_fills_the_form_with_it(served):
    at = opened(served, "approval_rules", "admin")
    deep = next(r for r in as_user(served, "admin", "approval_rules") if r.name == "Deep discount")
    at.selectbox(key="rules_pick").select(deep.rule_id).run()
    assert (at.text_input(key="rules_name").value, at.text_input(key="rules_threshold").value) == (
        "Deep discount",
        "15.00",
    )


def test_a_manager_may_not_open_the_rules_page(served):
    at = opened(served, "approval_rules", "manager")
    assert "may not open this page" in at.warning[0].value


def test_an_orders_approvals_read_as_who_decided_what_and_when(served):
    order = place(served, CRANES)
    decided = as_user(served, "manager", "approve", pending(order)[0], "ok")
    [row] = approval_rows(decided.approvals, "en_US", "UTC")
    assert (row["Rule"], row["Decision"], row["By"], row["Comment"]) == ("Large order", "Approved", "manager", "ok")
    assert row["When"] != ""


def test_the_submitter_sees_on_the_order_page_who_approved_and_when(served):
    order = place(served, CRANES)
    as_user(served, "manager", "approve", pending(order)[0], "fine")
    at = opened(served, "orders", "sales")
    at.selectbox(key="orders_open").select(order.order_number).run()

    tables = [frame.value for frame in at.dataframe if "Approver" in frame.value.columns]
    assert len(tables) == 1
    records = tables[0].to_dict("records")
    assert [(r["Rule"], r["By"], r["Comment"]) for r in records] == [("Large order", "manager", "fine")]
    assert records[0]["When"]
