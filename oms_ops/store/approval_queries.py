"""The SQL of approvals and credit, parameterised, on a cursor inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import duckdb

from oms_ops.domain.approvals import Rule
from oms_ops.store.database import forget, remembered, rows_as_dicts

RULE_COLUMNS = "rule_id, name, condition_kind, threshold, level, roles, mode"

OPEN_ORDERS = "customer_code = ? and status not in ('cancelled', 'completed', 'draft')"

# What the credit check needs, in one cheap statement: the customer's open orders (except the one
# being confirmed, counted at the total it is confirmed with), what was paid on them less what we owe
# back (that one's included, for an amendment), and how many orders the customer had before.
EXPOSURE = f"""
    select
        (select coalesce(sum(total), 0) from orders where {OPEN_ORDERS} and order_number <> ?) as open_total,
        (select coalesce(sum(amount), 0) from payments
         where order_number in (select order_number from orders where {OPEN_ORDERS}))
        - (select coalesce(sum(amount), 0) from refunds
           where order_number in (select order_number from orders where {OPEN_ORDERS})) as paid,
        (select count(*) from orders where customer_code = ? and order_number <> ? and status <> 'cancelled')
            as earlier_orders
"""

# The same exposure split into goods not yet shipped and goods shipped but not paid, for the credit
# view. Shipped and completed orders shipped everything even without shipment rows (history loaded
# with its stock movements only).
CREDIT_FIGURES = """
    with open_orders as (
        select order_number, status, total from orders
        where customer_code = ? and status not in ('cancelled', 'completed', 'draft')
    ),
    shipped_units as (
        select order_number, line_no, sum(quantity) as quantity from shipment_lines
        where order_number in (select order_number from open_orders) group by all
    ),
    shipped as (
        select l.order_number,
               sum(case when o.status in ('shipped', 'completed') then l.line_total
                        else cast(l.line_total * coalesce(s.quantity, 0) / l.quantity as decimal(18, 2)) end) as value
        from order_lines l join open_orders o using (order_number)
        left join shipped_units s using (order_number, line_no)
        group by l.order_number
    ),
    paid as (  -- less refunds due: an amendment that lowered a paid order owes the difference back
        select order_number, sum(amount) as amount from (
            select order_number, amount from payments
            union all
            select order_number, -amount from refunds
        ) where order_number in (select order_number from open_orders) group by all
    ),
    per_order as (
        select o.total, coalesce(sh.value, 0) as shipped, coalesce(p.amount, 0) as paid
        from open_orders o left join shipped sh using (order_number) left join paid p using (order_number)
    )
    select
        coalesce(sum(greatest(total - shipped - greatest(paid - shipped, 0), 0)), 0) as open_unshipped,
        coalesce(sum(greatest(shipped - paid, 0)), 0) as shipped_unpaid
    from per_order
"""


ACTIVE_RULES = "active_approval_rules"  # remembered between transactions; forgotten by insert_rule and update_rule


def active_rules(cur: duckdb.DuckDBPyConnection) -> list[Rule]:
    """The active rules, read once and then remembered until a rule is added or changed."""

    def load() -> tuple[Rule, ...]:
        rows = cur.execute(f"select {RULE_COLUMNS} from approval_rules where is_active").fetchall()
        return tuple(Rule(int(i), n, k, Decimal(t), int(lv), tuple(r), m) for i, n, k, t, lv, r, m in rows)

    return list(remembered(ACTIVE_RULES, load))


def exposure(
    cur: duckdb.DuckDBPyConnection, customer_code: str, order_number: str, order_total: Decimal
) -> tuple[Decimal, int]:
    """(exposure, earlier orders) of a customer, counting `order_number` at `order_total`."""
    code = customer_code
    row = cur.execute(EXPOSURE, [code, order_number, code, code, code, order_number]).fetchone()
    assert row is not None
    owed = max(Decimal(0), Decimal(row[0]) + order_total - Decimal(row[1]))
    return owed.quantize(Decimal("0.01")), int(row[2])


def credit_split(cur: duckdb.DuckDBPyConnection, customer_code: str) -> tuple[Decimal, Decimal]:
    """(open unshipped, shipped unpaid) of a customer's open orders."""
    row = cur.execute(CREDIT_FIGURES, [customer_code]).fetchone()
    assert row is not None
    return Decimal(row[0]).quantize(Decimal("0.01")), Decimal(row[1]).quantize(Decimal("0.01"))


def order_total(cur: duckdb.DuckDBPyConnection, order_number: str) -> Decimal:
    row = cur.execute("select total from orders where order_number = ?", [order_number]).fetchone()
    return Decimal(row[0]) if row else Decimal(0)


def void_requests(cur: duckdb.DuckDBPyConnection, order_number: str, actor: str, now: datetime, why: str) -> None:
    cur.execute(
        "update approval_requests set status = 'void', decided_by = coalesce(decided_by, ?),"
        " decided_at = coalesce(decided_at, ?), comment = coalesce(comment || ' / ', '') || ?"
        " where order_number = ? and status in ('pending', 'approved')",
        [actor, now, why, order_number],
    )


def insert_requests(cur: duckdb.DuckDBPyConnection, rows: Sequence[tuple[Any, ...]]) -> None:
    """Rows of (order_number, version, rule_id, rule_name, condition_kind, level, roles, why, requested_by, at)."""
    if not rows:
        return
    cur.execute(
        "insert into approval_requests (order_number, version, rule_id, rule_name, condition_kind, level, roles,"
        " why, requested_by, requested_at) values " + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(rows)),
        [v for row in rows for v in row],
    )


REQUEST_COLUMNS = (
    "r.request_id, r.order_number, r.version, r.rule_id, r.rule_name, r.condition_kind, r.level, r.roles, r.why,"
    " r.status, r.requested_by, r.requested_at, r.decided_by, r.decided_at, r.comment"
)


def requests_of_order(cur: duckdb.DuckDBPyConnection, order_number: str) -> list[dict[str, Any]]:
    cur.execute(
        f"select {REQUEST_COLUMNS} from approval_requests r where order_number = ? order by version, level, request_id",
        [order_number],
    )
    return rows_as_dicts(cur)


def request(cur: duckdb.DuckDBPyConnection, request_id: int) -> dict[str, Any] | None:
    cur.execute(
        f"select {REQUEST_COLUMNS}, o.status as order_status, o.created_by as order_created_by"
        " from approval_requests r left join orders o using (order_number) where r.request_id = ?",
        [request_id],
    )
    found = rows_as_dicts(cur)
    return found[0] if found else None


def current_level(cur: duckdb.DuckDBPyConnection, order_number: str) -> int | None:
    """The lowest level still waiting: every level below it is fully approved."""
    row = cur.execute(
        "select min(level) from approval_requests where order_number = ? and status = 'pending'", [order_number]
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def decide(
    cur: duckdb.DuckDBPyConnection, request_id: int, status: str, actor: str, comment: str | None, now: datetime
) -> None:
    cur.execute(
        "update approval_requests set status = ?, decided_by = ?, decided_at = ?, comment = ? where request_id = ?",
        [status, actor, now, comment, request_id],
    )


def approved_by(cur: duckdb.DuckDBPyConnection, order_number: str, rule_id: int, actor: str) -> bool:
    """Whether `actor` already approved a request of this rule on this order (mode 'all' needs different people)."""
    row = cur.execute(
        "select count(*) from approval_requests where order_number = ? and rule_id = ? and status = 'approved'"
        " and decided_by = ?",
        [order_number, rule_id, actor],
    ).fetchone()
    return bool(row and row[0])


def void_pending(cur: duckdb.DuckDBPyConnection, order_number: str, actor: str, now: datetime, why: str) -> None:
    cur.execute(
        "update approval_requests set status = 'void', decided_by = ?, decided_at = ?, comment = ?"
        " where order_number = ? and status = 'pending'",
        [actor, now, why, order_number],
    )


def approved_kinds(cur: duckdb.DuckDBPyConnection, order_number: str) -> set[str]:
    rows = cur.execute(
        "select distinct condition_kind from approval_requests where order_number = ? and status = 'approved'",
        [order_number],
    ).fetchall()
    return {str(r[0]) for r in rows}


def inbox(cur: duckdb.DuckDBPyConnection, roles: Sequence[str], username: str) -> list[dict[str, Any]]:
    """Requests at their order's current level, for one of `roles`, on orders someone else placed."""
    cur.execute(
        "with waiting as (select order_number, min(level) as level from approval_requests"
        "   where status = 'pending' group by all)"
        f" select {REQUEST_COLUMNS}, o.customer_code, c.name as customer_name, o.total, o.currency,"
        " o.created_by, o.ordered_at"
        " from approval_requests r join waiting w on w.order_number = r.order_number and w.level = r.level"
        " join orders o on o.order_number = r.order_number left join customers c on c.customer_code = o.customer_code"
        " where r.status = 'pending' and o.status = 'pending_approval' and list_has_any(r.roles, ?)"
        " and o.created_by <> ?"
        " and not exists (select 1 from approval_requests d where d.order_number = r.order_number"
        "   and d.rule_id = r.rule_id and d.status = 'approved' and d.decided_by = ?)"
        " order by o.ordered_at, r.request_id",
        [list(roles), username, username],
    )
    return rows_as_dicts(cur)


def rules(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cur.execute(f"select {RULE_COLUMNS}, is_active, updated_by, updated_at from approval_rules order by level, rule_id")
    return rows_as_dicts(cur)


def rule(cur: duckdb.DuckDBPyConnection, rule_id: int) -> dict[str, Any] | None:
    cur.execute(
        f"select {RULE_COLUMNS}, is_active, updated_by, updated_at from approval_rules where rule_id = ?", [rule_id]
    )
    found = rows_as_dicts(cur)
    return found[0] if found else None


def insert_rule(cur: duckdb.DuckDBPyConnection, values: dict[str, Any]) -> int:
    row = cur.execute(
        f"insert into approval_rules ({', '.join(values)}) values ({', '.join('?' * len(values))}) returning rule_id",
        list(values.values()),
    ).fetchone()
    assert row is not None
    forget(ACTIVE_RULES)
    return int(row[0])


def update_rule(cur: duckdb.DuckDBPyConnection, rule_id: int, values: dict[str, Any]) -> None:
    assignments = ", ".join(f"{column} = ?" for column in values)
    cur.execute(f"update approval_rules set {assignments} where rule_id = ?", [*values.values(), rule_id])
    forget(ACTIVE_RULES)


# -- credit ------------------------------------------------------------------------------------

HOLDS = """
    with last_hold as (
        select order_number, reason, occurred_at, actor,
               row_number() over (partition by order_number order by occurred_at desc, event_id desc) as n
        from order_events where to_status = 'on_hold'
    )
    select o.order_number, o.customer_code, c.name as customer_name, o.total, o.currency, o.created_by,
           h.reason, h.occurred_at as held_at
    from orders o join last_hold h on h.order_number = o.order_number and h.n = 1
    left join customers c on c.customer_code = o.customer_code
    where o.status = 'on_hold' and h.reason like 'credit:%'
"""


def credit_holds(cur: duckdb.DuckDBPyConnection, customer_code: str | None = None) -> list[dict[str, Any]]:
    params: list[object] = []
    where = ""
    if customer_code:
        where = " and o.customer_code = ?"
        params.append(customer_code)
    cur.execute(HOLDS + where + " order by h.occurred_at", params)
    return rows_as_dicts(cur)


def last_hold_reason(cur: duckdb.DuckDBPyConnection, order_number: str) -> str | None:
    row = cur.execute(
        "select reason from order_events where order_number = ? and to_status = 'on_hold'"
        " order by occurred_at desc, event_id desc limit 1",
        [order_number],
    ).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def insert_override(cur: duckdb.DuckDBPyConnection, values: dict[str, Any]) -> None:
    cur.execute(
        f"insert into credit_overrides ({', '.join(values)}) values ({', '.join('?' * len(values))})",
        list(values.values()),
    )


def overrides(cur: duckdb.DuckDBPyConnection, customer_code: str) -> list[dict[str, Any]]:
    cur.execute(
        "select override_id, order_number, overridden_by, reason, credit_limit, exposure, order_total, overridden_at"
        " from credit_overrides where customer_code = ? order by overridden_at desc, override_id desc",
        [customer_code],
    )
    return rows_as_dicts(cur)
