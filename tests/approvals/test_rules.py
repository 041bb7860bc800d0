"""The approval rules and the credit decision as plain domain logic, without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oms_ops.domain.approvals import OrderFigures, Rule, matches, request_roles, why_matched
from oms_ops.domain.credit import Exposure, is_credit_hold


def rule(kind: str, threshold: str, level: int = 1, roles: tuple[str, ...] = ("manager",), mode: str = "any") -> Rule:
    return Rule(1, kind, kind, Decimal(threshold), level, roles, mode)


def figures(**changes: object) -> OrderFigures:
    base: dict[str, object] = {
        "total": Decimal("1130.00"),
        "net": Decimal("1000.00"),
        "cost": Decimal("600.00"),
        "max_discount_pct": Decimal(0),
    }
    return OrderFigures(**{**base, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "threshold", "changes", "why"),
    [
        ("order_total_over", "1000", {}, "order total 1130.00 over 1000"),
        ("line_discount_over", "15", {"max_discount_pct": Decimal("15.5")}, "discount 15.5% over 15%"),
        ("margin_below", "50", {}, "margin 40% below 50%"),
        (
            "over_credit_limit",
            "100",
            {"exposure": Decimal("2500.00"), "credit_limit": Decimal("2000.00")},
            "exposure 2500.00 over credit limit 2000.00",
        ),
        ("new_customer", "1", {"earlier_orders": 0}, "new customer (0 earlier orders, fewer than 1)"),
    ],
)
def test_each_kind_of_rule_says_which_figures_made_it_match(kind, threshold, changes, why):
    assert why_matched(rule(kind, threshold), figures(**changes)) == why


@pytest.mark.parametrize(
    ("kind", "threshold", "changes"),
    [
        ("order_total_over", "1130.00", {}),  # over, not at
        ("line_discount_over", "15", {"max_discount_pct": Decimal(15)}),
        ("margin_below", "40", {}),
        ("margin_below", "10", {"net": Decimal(0), "cost": Decimal(0)}),  # a free order has no margin to judge
        ("over_credit_limit", "100", {"exposure": Decimal("2000.00"), "credit_limit": Decimal("2000.00")}),
        ("over_credit_limit", "100", {"exposure": Decimal("9999.00"), "credit_limit": Decimal(0)}),  # no limit set
        ("new_customer", "1", {"earlier_orders": 1}),
        ("new_customer", "1", {}),  # earlier orders not counted: the rule cannot judge
    ],
)
def test_a_rule_at_its_threshold_or_without_its_figures_does_not_match(kind, threshold, changes):
    assert why_matched(rule(kind, threshold), figures(**changes)) is None


def test_an_over_credit_limit_threshold_is_a_percentage_of_the_limit():
    over_120 = rule("over_credit_limit", "120")
    assert why_matched(over_120, figures(exposure=Decimal("2300"), credit_limit=Decimal("2000"))) is None
    assert why_matched(over_120, figures(exposure=Decimal("2500"), credit_limit=Decimal("2000"))) is not None


def test_matches_come_level_by_level():
    second, first = rule("order_total_over", "1", level=2), rule("margin_below", "90", level=1)
    assert [m.rule.level for m in matches([second, first], figures())] == [1, 2]


def test_mode_all_asks_one_approval_per_role_and_mode_any_one_for_all():
    roles = ("manager", "finance")
    assert request_roles(rule("order_total_over", "1", roles=roles, mode="all")) == [("manager",), ("finance",)]
    assert request_roles(rule("order_total_over", "1", roles=roles, mode="any")) == [roles]


def test_a_customer_is_credit_checked_only_on_terms_with_a_limit():
    assert Exposure(Decimal(1000), 30, Decimal(1001)).over_limit
    assert not Exposure(Decimal(0), 30, Decimal(10**6)).over_limit  # no limit set
    assert not Exposure(Decimal(1000), 0, Decimal(10**6)).over_limit  # prepaid
    assert Exposure(Decimal(1000), 30, Decimal(250)).available == Decimal(750)


def test_a_credit_hold_is_known_by_its_reason():
    reason = Exposure(Decimal(1000), 30, Decimal("1130.00")).hold_reason()
    assert (reason, is_credit_hold(reason), is_credit_hold("customer asked")) == (
        "credit: exposure 1130.00 over limit 1000",
        True,
        False,
    )
