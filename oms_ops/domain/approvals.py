"""Approval rules as data: which rules an order matches, and when a level of approvals is complete."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from oms_ops.domain.errors import InvalidInput

KINDS: dict[str, str] = {
    "order_total_over": "order total over",
    "line_discount_over": "a line discount (%) over",
    "margin_below": "margin (%) below",
    "over_credit_limit": "exposure over (% of) the credit limit",
    "new_customer": "customer with fewer earlier orders than",
}
MODES = ("any", "all")
APPROVER_ROLES = ("manager", "finance", "admin")  # as Action.APPROVE_ORDERS allows


@dataclass(frozen=True)
class Rule:
    rule_id: int
    name: str
    condition_kind: str
    threshold: Decimal
    level: int
    roles: tuple[str, ...]
    mode: str


@dataclass(frozen=True)
class OrderFigures:
    """What the rules look at: the order's own figures and, when asked for, the customer's credit."""

    total: Decimal
    net: Decimal
    cost: Decimal
    max_discount_pct: Decimal
    exposure: Decimal | None = None  # with this order; None when not computed
    credit_limit: Decimal = Decimal(0)
    earlier_orders: int | None = None

    @property
    def margin_pct(self) -> Decimal | None:
        if self.net <= 0:
            return None
        return ((self.net - self.cost) / self.net * 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Match:
    rule: Rule
    why: str


def needs_credit_figures(rules: Iterable[Rule]) -> bool:
    return any(rule.condition_kind in ("over_credit_limit", "new_customer") for rule in rules)


def why_matched(rule: Rule, figures: OrderFigures) -> str | None:
    """The sentence naming the figures that make the rule apply, or None when it does not."""
    t = rule.threshold
    kind = rule.condition_kind
    if kind == "order_total_over" and figures.total > t:
        return f"order total {figures.total} over {t}"
    if kind == "line_discount_over" and figures.max_discount_pct > t:
        return f"discount {_pct(figures.max_discount_pct)}% over {_pct(t)}%"
    if kind == "margin_below":
        margin = figures.margin_pct
        if margin is not None and margin < t:
            return f"margin {_pct(margin)}% below {_pct(t)}%"
    if kind == "over_credit_limit" and figures.exposure is not None and figures.credit_limit > 0:
        allowed = (figures.credit_limit * t / 100).quantize(Decimal("0.01"))
        if figures.exposure > allowed:
            return f"exposure {figures.exposure} over credit limit {figures.credit_limit}"
    if kind == "new_customer" and figures.earlier_orders is not None and figures.earlier_orders < t:
        return f"new customer ({figures.earlier_orders} earlier orders, fewer than {_pct(t)})"
    return None


def _pct(value: Decimal) -> str:
    """15.00 -> '15', 12.50 -> '12.5'."""
    return f"{value.normalize():f}"


def matches(rules: Iterable[Rule], figures: OrderFigures) -> list[Match]:
    found = []
    for rule in sorted(rules, key=lambda r: (r.level, r.rule_id)):
        why = why_matched(rule, figures)
        if why is not None:
            found.append(Match(rule, why))
    return found


def request_roles(rule: Rule) -> list[tuple[str, ...]]:
    """The approvals a rule asks for: one that any of its roles gives, or one per role when all must."""
    return [(role,) for role in rule.roles] if rule.mode == "all" else [rule.roles]


def check_rule(name: str, kind: str, threshold: Decimal, level: int, roles: Sequence[str], mode: str) -> None:
    """An admin's rule, checked field by field with sentences that say what is wrong."""
    if not name or not name.strip():
        raise InvalidInput("Give the rule a name.", field="name")
    if kind not in KINDS:
        raise InvalidInput(f"Unknown condition {kind!r}; choose one of: {', '.join(KINDS)}.", field="condition_kind")
    if threshold < 0:
        raise InvalidInput(f"The threshold cannot be negative ({threshold}).", field="threshold")
    if level < 1:
        raise InvalidInput(f"Levels start at 1, not {level}.", field="level")
    if not roles:
        raise InvalidInput("Name at least one role that approves.", field="roles")
    unknown = [r for r in roles if r not in APPROVER_ROLES]
    if unknown:
        raise InvalidInput(f"Unknown role {', '.join(unknown)}; roles are {', '.join(APPROVER_ROLES)}.", field="roles")
    if mode not in MODES:
        raise InvalidInput(f"Mode must be 'any' (one of the roles) or 'all' (every role), not {mode!r}.", field="mode")
