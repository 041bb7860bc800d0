"""The approval/credit gate for many new orders at once (imports): the same decisions as `gate.route_confirmed`.

`gate.route_confirmed` decides one order with a few queries; an import creates tens of thousands. Here the
figures every rule looks at are computed for all of them in one statement, as if the orders had been placed
one by one in their sequence (order date, then order number), each routed before the next:

- an order's exposure counts the customer's open orders stored before the import, plus the orders of this
  batch placed before it (every routed order lands in an open status: pending approval, on hold, to ship,
  pending payment; a batch order waiting for stock is on hold, open too), plus itself, less what was paid
  on the stored open orders;
- its number of earlier orders counts the customer's stored orders that are not cancelled, plus the batch
  orders before it.

A conservative SQL filter (every rule's condition, loosened by a cent where the domain rounds) picks the
orders a rule or a credit limit could touch; for those the domain decides in Python (`approvals.matches`,
then `gate.credit_route`), so the rule semantics and the reasons' wording are the domain's own. The
others go straight to their payment-terms status. Approval requests are written in one statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import duckdb

from oms_ops.domain import approvals, lifecycle
from oms_ops.domain.credit import Exposure
from oms_ops.domain.lifecycle import Status
from oms_ops.services import gate
from oms_ops.services.actor import Actor
from oms_ops.store import approval_queries

CENT = Decimal("0.01")
OPEN = "('cancelled', 'completed', 'draft')"

# Per batch order: its own figures and the customer's, as route_confirmed would see them in sequence.
FIGURES = f"""
    with batch as (
        select o.order_number, o.customer_code, o.ordered_at, o.waiting,
            coalesce(sum(l.line_total), 0) as total, coalesce(sum(l.line_net), 0) as net,
            coalesce(sum(l.unit_cost * l.quantity), 0) as cost, coalesce(max(l.discount_pct), 0) as max_discount
        from {{table}} o left join {{lines}} l using (order_number)
        group by o.order_number, o.customer_code, o.ordered_at, o.waiting),
    -- the stored orders and payments of the customers whose credit figures matter (all, when a rule asks)
    counted as (
        select c.customer_code from customers c
        where c.customer_code in (select customer_code from batch)
            and (? or (c.payment_terms_days > 0 and c.credit_limit > 0))),
    stored as (
        select customer_code, count(*) filter (where status <> 'cancelled') as earlier,
            coalesce(sum(total) filter (where status not in {OPEN}), 0) as open_total
        from orders where customer_code in (select customer_code from counted) group by customer_code),
    paid as (  -- less refunds owed, as the one-by-one gate counts it
        select o.customer_code, sum(p.amount) as paid
        from (select order_number, amount from payments
              union all select order_number, -amount from refunds) p
        join orders o using (order_number)
        where o.customer_code in (select customer_code from counted) and o.status not in {OPEN}
        group by o.customer_code),
    figures as (
        select b.*, c.payment_terms_days as terms, c.credit_limit,
            coalesce(s.open_total, 0) + coalesce(sum(b.total) over before, 0) - coalesce(p.paid, 0) as owed_before,
            coalesce(s.earlier, 0) + count(*) over before as earlier
        from batch b join customers c using (customer_code)
        left join stored s using (customer_code) left join paid p using (customer_code)
        window before as (partition by b.customer_code order by b.ordered_at, b.order_number
            rows between unbounded preceding and 1 preceding))
    select order_number, customer_code, total, net, cost, max_discount, owed_before, earlier, terms, credit_limit
    from figures
    where not waiting and (({{conditions}}))
    order by ordered_at, order_number
"""


@dataclass(frozen=True)
class Outcome:
    order_number: str
    status: Status
    reason: str  # the gate's reason: "needs approval: ...", "credit: exposure ... over limit ...", "order placed"


def route_new_orders(
    cur: duckdb.DuckDBPyConnection, actor: Actor, table: str, now: datetime, lines: str = "order_lines"
) -> dict[str, Outcome]:
    """Decide every order of `table` that a rule or a credit limit stops; insert their approval requests.

    `table` (a trusted identifier: a temp table of the caller) has order_number, customer_code, ordered_at and
    waiting (true: it waits for stock, is on hold already and is not routed now, but counts for the later
    orders); its orders' lines are in `lines` (order_lines, or a table of the caller with the same columns)
    and the orders themselves are not stored yet. Returns the
    outcomes of the orders the domain decided; every other order goes by its customer's payment terms, as
    `lifecycle.status_after_confirmation` says (reason "order placed").
    """
    rules = approval_queries.active_rules(cur)
    credit_matters = approvals.needs_credit_figures(rules)
    conditions, params = _conditions(rules)
    sql = FIGURES.replace("{table}", table).replace("{lines}", lines).replace("{conditions}", ") or (".join(conditions))
    rows = cur.execute(sql, [credit_matters, *params])
    requests: list[tuple[Any, ...]] = []
    outcomes: dict[str, Outcome] = {}
    for number, code, total, net, cost, max_discount, owed_before, earlier, terms, limit in rows.fetchall():
        customer = {"customer_code": code, "payment_terms_days": int(terms or 0), "credit_limit": limit or Decimal(0)}
        exposure, earlier_orders = None, None
        if credit_matters or _credit_checked(customer):
            owed = max(Decimal(0), Decimal(owed_before) + Decimal(total)).quantize(CENT)
            exposure = Exposure(Decimal(customer["credit_limit"]), customer["payment_terms_days"], owed)
            earlier_orders = int(earlier)
        figures = approvals.OrderFigures(
            total=Decimal(total),
            net=Decimal(net),
            cost=Decimal(cost),
            max_discount_pct=Decimal(max_discount),
            exposure=exposure.total if exposure else None,
            credit_limit=Decimal(customer["credit_limit"]),
            earlier_orders=earlier_orders,
        )
        found = approvals.matches(rules, figures)
        if found:
            requests.extend(
                (number, 1, m.rule.rule_id, m.rule.name, m.rule.condition_kind, m.rule.level, list(roles), m.why)
                for m in found
                for roles in approvals.request_roles(m.rule)
            )
            why = "needs approval: " + "; ".join(f"{m.rule.name} ({m.why})" for m in found)
            outcomes[number] = Outcome(number, Status.PENDING_APPROVAL, why)
            continue
        status, reason = gate.credit_route(customer, exposure, "order placed")
        outcomes[number] = Outcome(number, status, reason)
    if requests:
        columns = list(zip(*requests, strict=True))
        cur.execute(
            "insert into approval_requests (order_number, version, rule_id, rule_name, condition_kind, level, roles,"
            " why, requested_by, requested_at)"
            " select unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?::varchar[][]),"
            " unnest(?), ?, ?",
            [*(list(column) for column in columns), actor.username, now],
        )
    return outcomes


def terms_status(payment_terms_days: int) -> Status:
    """Where an order no rule stops goes: the same as the gate's last step."""
    return lifecycle.status_after_confirmation(payment_terms_days)


def _conditions(rules: list[approvals.Rule]) -> tuple[list[str], list[Any]]:
    """SQL conditions no weaker than the domain's: an order they leave out matches no rule and is within credit."""
    exposure = "(owed_before + total)"
    conditions = [f"terms > 0 and credit_limit > 0 and {exposure} > credit_limit - 0.01"]
    params: list[Any] = []
    for rule in rules:
        kind = rule.condition_kind
        if kind == "order_total_over":
            conditions.append("total > ?")
        elif kind == "line_discount_over":
            conditions.append("max_discount > ?")
        elif kind == "margin_below":  # the domain rounds the margin to a cent of a percent
            conditions.append("net > 0 and (net - cost) / net * 100 < ? + 0.01")
        elif kind == "over_credit_limit":  # the domain rounds the allowed amount to a cent
            conditions.append(f"credit_limit > 0 and {exposure} > credit_limit * ? / 100 - 0.01")
        elif kind == "new_customer":
            conditions.append("earlier < ?")
        else:
            conditions.append("? is not null")  # a kind this filter does not know: the domain sees every order
        params.append(rule.threshold)
    return conditions, params


def _credit_checked(customer: dict[str, Any]) -> bool:
    return int(customer.get("payment_terms_days") or 0) > 0 and Decimal(customer.get("credit_limit") or 0) > 0
