"""Placing, reading and searching orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import duckdb

from oms_ops.domain import lifecycle
from oms_ops.domain.amendments import HeaderChange, header_changes
from oms_ops.domain.errors import InsufficientStock, InvalidInput, NotFound
from oms_ops.domain.lifecycle import Status
from oms_ops.domain.pricing import PricedLine, order_totals, price_line
from oms_ops.domain.roles import Action, require
from oms_ops.domain.stock import demand_by_location, shortages
from oms_ops.services import gate, master_data, stock_watch
from oms_ops.services.actor import Actor
from oms_ops.store import amendment_queries, approval_queries, fulfilment_queries, queries
from oms_ops.store.database import Database, rows_as_dicts


@dataclass(frozen=True)
class LineRequest:
    sku: str
    quantity: int
    warehouse: str | None = None
    unit_price: Decimal | None = None  # None: the customer's price-list price, else the list price
    discount_pct: Decimal = Decimal(0)


def place_order(
    db: Database,
    actor: Actor,
    customer_code: str,
    lines: list[LineRequest],
    channel: str = "manual",
    external_ref: str | None = None,
    note: str | None = None,
    requested_delivery_date: date | None = None,
    customer_po: str | None = None,
) -> dict[str, Any]:
    """Confirm an order and reserve its stock in one transaction; never reserve what is not there.

    The same (channel, external_ref) a second time returns the first order and makes no new one.
    """
    require(actor.roles, Action.PLACE_ORDER)
    check_lines(actor, lines)
    header = header_changes({}, HeaderChange(requested_delivery_date, note, customer_po), datetime.now(UTC).date())
    # Master data is read before taking the write lock (other writers go on meanwhile); what must not
    # change under the order, the stock, is only ever read and reserved inside it.
    with db.reading() as cur:
        customer = queries.customer(cur, customer_code)
        products = queries.products_by_sku(cur, [line.sku for line in lines])
    with db.transaction() as cur:
        if external_ref:
            existing = queries.order_number_by_external_ref(cur, channel, external_ref)
            if existing:
                return _order(cur, existing)
        if customer is None:
            raise InvalidInput(f"Unknown customer {customer_code}.", field="customer_code")
        warehouses = _resolve_warehouses(cur, lines, customer["region"])
        for i, line in enumerate(lines):
            if line.sku not in products:
                raise InvalidInput(f"Unknown SKU {line.sku}.", field=f"lines[{i}].sku")
        demand = demand_by_location((wh, line.sku, line.quantity) for wh, line in zip(warehouses, lines, strict=True))
        now = datetime.now(UTC)
        # One guarded statement reserves only what is there; if any row was refused, the whole
        # transaction rolls back, so a refused order reserves nothing.
        if queries.reserve(cur, demand, now) != len(demand):
            raise InsufficientStock(shortages(demand, queries.available(cur, list(demand))))
        order_number = queries.next_order_number(cur)
        queries.write_ledger(cur, now, "reservation", demand, 0, 1, order_number, actor.username, "order placed")
        unpriced = [line.sku for line in lines if line.unit_price is None]
        contract = master_data.price_for(cur, customer_code, unpriced, now.date()) if customer.get("price_list") else {}
        priced = [price_requested(line, products[line.sku], contract.get(line.sku)) for line in lines]
        facts = order_facts(order_number, customer, actor.username, lines, warehouses, priced, products)
        status, reason = gate.route_confirmed(cur, facts, actor, now)
        order = _insert_order(cur, order_number, customer, channel, external_ref, header, status, actor, now, priced)
        line_rows = [
            (order_number, i + 1, line.sku, wh, line.quantity, p, products[line.sku]["cost"])
            for i, (line, wh, p) in enumerate(zip(lines, warehouses, priced, strict=True))
        ]
        queries.insert_order_lines(cur, line_rows)
        queries.insert_event(cur, order_number, None, status, actor.username, reason, now)
        stock_watch.after_stock_change(cur, demand, now)
        approvals = approval_queries.requests_of_order(cur, order_number) if status == Status.PENDING_APPROVAL else []
    # Built from what was written rather than read back: three fewer queries per order.
    order["lines"] = [_line_view(row, products[row[2]]["name"]) for row in line_rows]
    order["events"] = [
        {
            "from_status": None,
            "to_status": status,
            "actor": actor.username,
            "reason": reason,
            "occurred_at": now,
        }
    ]
    order.update(payments=[], refunds=[], paid_total=Decimal("0.00"), balance_due=order["total"], approvals=approvals)
    return order


def check_lines(actor: Actor, lines: list[LineRequest]) -> None:
    """Whole positive quantities; a price other than the list price or a discount only for roles allowed them."""
    for i, line in enumerate(lines):
        if line.quantity <= 0:
            raise InvalidInput(
                f"Quantity of line {i + 1} must be a positive whole number, not {line.quantity}.",
                field=f"lines[{i}].quantity",
            )
        if line.unit_price is not None:
            require(actor.roles, Action.CHANGE_PRICES)
            if line.unit_price < 0:
                raise InvalidInput(
                    f"Unit price of line {i + 1} cannot be negative ({line.unit_price}).",
                    field=f"lines[{i}].unit_price",
                )
        if line.discount_pct:
            require(actor.roles, Action.GIVE_DISCOUNT)
            if not Decimal(0) <= line.discount_pct <= Decimal(100):
                raise InvalidInput(
                    f"Discount of line {i + 1} must be between 0 and 100 percent, not {line.discount_pct}.",
                    field=f"lines[{i}].discount_pct",
                )


def price_requested(line: LineRequest, product: dict[str, Any], contract_price: Decimal | None = None) -> PricedLine:
    """The clerk's price if given, else the customer's price-list price if it has one, else the list price."""
    if line.unit_price is not None:
        unit_price = line.unit_price
    else:
        unit_price = product["list_price"] if contract_price is None else contract_price
    return price_line(line.quantity, unit_price, product["tax_rate"], line.discount_pct)


def order_facts(
    order_number: str,
    customer: dict[str, Any],
    created_by: str,
    lines: list[LineRequest],
    warehouses: list[str],
    priced: list[PricedLine],
    products: dict[str, dict[str, Any]],
    version: int = 1,
) -> gate.OrderFacts:
    """What the approval and credit rules look at, for an order as placed or as amended."""
    totals = order_totals(priced)
    return gate.OrderFacts(
        order_number=order_number,
        customer=customer,
        created_by=created_by,
        lines=[
            gate.LineFacts(
                sku=line.sku,
                warehouse=wh,
                quantity=line.quantity,
                list_price=products[line.sku]["list_price"],
                unit_price=p.unit_price,
                discount_pct=p.discount_pct,
                unit_cost=products[line.sku]["cost"],
                line_net=p.line_net,
            )
            for line, wh, p in zip(lines, warehouses, priced, strict=True)
        ],
        subtotal=totals.subtotal,
        total=totals.total,
        version=version,
    )


def _resolve_warehouses(cur: duckdb.DuckDBPyConnection, lines: list[LineRequest], region: str | None) -> list[str]:
    """The warehouse each line ships from: the clerk's choice, else the customer's region, else most stock."""
    known = queries.warehouse_regions(cur)
    chosen = []
    for i, line in enumerate(lines):
        if line.warehouse is not None:
            if line.warehouse not in known:
                raise InvalidInput(f"Unknown warehouse {line.warehouse}.", field=f"lines[{i}].warehouse")
            chosen.append(line.warehouse)
            continue
        chosen.append(queries.default_warehouse(cur, line.sku, line.quantity, region) or next(iter(known), ""))
    return chosen


def _insert_order(
    cur: duckdb.DuckDBPyConnection,
    order_number: str,
    customer: dict[str, Any],
    channel: str,
    external_ref: str | None,
    header: dict[str, Any],
    status: str,
    actor: Actor,
    now: datetime,
    priced: list[PricedLine],
) -> dict[str, Any]:
    totals = order_totals(priced)
    order = {
        "order_number": order_number,
        "customer_code": customer["customer_code"],
        "channel": channel,
        "external_ref": external_ref,
        "status": status,
        "note": header.get("note"),
        "requested_delivery_date": header.get("requested_delivery_date"),
        "customer_po": header.get("customer_po"),
        "ordered_at": now,
        "created_by": actor.username,
        "subtotal": totals.subtotal,
        "tax_total": totals.tax_total,
        "total": totals.total,
        "created_at": now,
        "updated_at": now,
    }
    cur.execute(f"insert into orders ({', '.join(order)}) values ({', '.join('?' * len(order))})", list(order.values()))
    return {**order, "customer_name": customer["name"], "currency": "CNY"}


def _line_view(row: tuple[str, int, str, str, int, PricedLine, Any], product_name: str) -> dict[str, Any]:
    _, line_no, sku, warehouse, quantity, priced, _ = row
    return {
        "line_no": line_no,
        "sku": sku,
        "product_name": product_name,
        "warehouse": warehouse,
        "quantity": quantity,
        **priced.__dict__,
    }


def get_order(db: Database, actor: Actor, order_number: str) -> dict[str, Any]:
    require(actor.roles, Action.VIEW_ORDERS)
    with db.reading() as cur:
        return _order(cur, order_number)


# An order's history in one statement (a statement costs about as much as the little it reads here):
# its events, the units shipped per line, and how many payments, refunds, approval requests and
# versions it has; those lists are then read only when there are any.
HISTORY = """
    select 'event' as kind, event_id as id, from_status, to_status, actor, reason, null::bigint as n, occurred_at
    from order_events where order_number = $1
    union all
    select 'shipped', line_no, null, null, null, null, sum(quantity), null
    from shipment_lines where order_number = $1 group by line_no
    union all select 'payments', null, null, null, null, null, count(*), null from payments where order_number = $1
    union all select 'refunds', null, null, null, null, null, count(*), null from refunds where order_number = $1
    union all select 'approvals', null, null, null, null, null, count(*), null
    from approval_requests where order_number = $1
    union all select 'versions', null, null, null, null, null, count(*), null
    from order_versions where order_number = $1
"""


def _order(cur: duckdb.DuckDBPyConnection, order_number: str) -> dict[str, Any]:
    """The whole order view: header, lines, timeline, approvals, versions, payments and refunds."""
    cur.execute(
        "select o.*, c.name as customer_name from orders o left join customers c using (customer_code)"
        " where order_number = ?",
        [order_number],
    )
    found = rows_as_dicts(cur)
    if not found:
        raise NotFound(f"There is no order {order_number}.", field="order_number")
    order = found[0]
    cur.execute(
        "select l.line_no, l.sku, p.name as product_name, l.warehouse_code as warehouse, l.quantity, l.unit_price,"
        " l.discount_pct, l.tax_rate, l.line_net, l.line_tax, l.line_total"
        " from order_lines l left join products p using (sku) where order_number = ? order by line_no",
        [order_number],
    )
    order["lines"] = rows_as_dicts(cur)
    history = cur.execute(HISTORY, [order_number]).fetchall()
    events = sorted((row for row in history if row[0] == "event"), key=lambda row: (row[7], row[1]))
    order["events"] = [
        {"from_status": a, "to_status": b, "actor": c, "reason": d, "occurred_at": at}
        for _, _, a, b, c, d, _, at in events
    ]
    shipped = {int(row[1]): int(row[6]) for row in history if row[0] == "shipped"}
    counts = {row[0]: int(row[6]) for row in history if row[0] not in ("event", "shipped")}
    order["approvals"] = approval_queries.requests_of_order(cur, order_number) if counts["approvals"] else []
    if counts["versions"]:
        amendment_queries.add_versions(cur, order)
    else:
        order.update(versions=[], version=1)  # what add_versions gives an order never amended
    return fulfilment_queries.add_settlement(cur, order, shipped, counts["payments"] > 0, counts["refunds"] > 0)


def list_orders(
    db: Database,
    actor: Actor,
    query: str | None = None,
    status: str | None = None,
    customer_code: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    page_size: int = 50,
    timezone: str = "UTC",
) -> dict[str, Any]:
    """Orders newest first, filtered; dates are the local dates of the user's time zone."""
    require(actor.roles, Action.VIEW_ORDERS)
    if status is not None and status not in lifecycle.Status.__members__.values():
        raise InvalidInput(f"Unknown status {status}.", field="status")
    conditions: list[str] = ["true"]
    params: list[object] = []
    if query:
        conditions.append(
            "(o.order_number ilike ? or o.customer_code ilike ? or c.name ilike ? or o.external_ref ilike ?)"
        )
        params += [f"%{query}%"] * 4
    if status:
        conditions.append("o.status = ?")
        params.append(status)
    if customer_code:
        conditions.append("o.customer_code = ?")
        params.append(customer_code)
    if date_from:
        conditions.append("cast(timezone(?, o.ordered_at) as date) >= ?")
        params += [timezone, date_from]
    if date_to:
        conditions.append("cast(timezone(?, o.ordered_at) as date) <= ?")
        params += [timezone, date_to]
    where = " and ".join(conditions)
    with db.reading() as cur:
        total = cur.execute(
            f"select count(*) from orders o left join customers c using (customer_code) where {where}", params
        ).fetchone()
        cur.execute(
            "select o.order_number, o.customer_code, c.name as customer_name, o.channel, o.status, o.total,"
            " o.currency, o.ordered_at,"
            " (select count(*) from order_lines l where l.order_number = o.order_number) as line_count"
            f" from orders o left join customers c using (customer_code) where {where}"
            " order by o.ordered_at desc, o.order_number desc limit ? offset ?",
            [*params, page_size, (page - 1) * page_size],
        )
        items = rows_as_dicts(cur)
    return {"items": items, "total_count": total[0] if total else 0, "page": page, "page_size": page_size}
