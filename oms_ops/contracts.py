"""The wire format of the HTTP API (v1), shared by the server and the typed client."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field


class LoginRequest(BaseModel):
    username: str
    password: str


class UserOut(BaseModel):
    username: str
    display_name: str | None = None
    roles: list[str]


class LoginResponse(BaseModel):
    token: str
    user: UserOut


class NewUser(BaseModel):
    username: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str = Field(min_length=8)
    roles: list[str] = Field(min_length=1)
    display_name: str | None = None


class OrderLineIn(BaseModel):
    sku: str
    quantity: int
    warehouse: str | None = None
    unit_price: Decimal | None = None  # only roles that may change prices; None takes the list price
    discount_pct: Decimal = Decimal(0)


class NewOrder(BaseModel):
    customer_code: str
    lines: list[OrderLineIn] = Field(min_length=1)
    channel: str = "manual"
    external_ref: str | None = None
    note: str | None = None
    requested_delivery_date: date | None = None  # not in the past
    customer_po: str | None = None  # the customer's purchase-order reference


class OrderLineOut(BaseModel):
    line_no: int
    sku: str
    product_name: str | None = None
    warehouse: str
    quantity: int
    unit_price: Decimal
    discount_pct: Decimal
    tax_rate: Decimal
    line_net: Decimal
    line_tax: Decimal
    line_total: Decimal
    shipped_quantity: int = 0


class OrderEventOut(BaseModel):
    from_status: str | None
    to_status: str
    actor: str
    reason: str | None
    occurred_at: datetime


class PaymentIn(BaseModel):
    method: str  # bank_transfer, card, cash, cheque, alipay, wechat_pay, bank_acceptance_bill
    amount: Decimal
    paid_on: date | None = None  # today (UTC) when left out
    reference: str | None = None


class PaymentOut(BaseModel):
    payment_id: int
    method: str
    amount: Decimal
    paid_on: date
    reference: str | None
    recorded_by: str
    recorded_at: datetime


class RefundOut(BaseModel):
    refund_id: int
    amount: Decimal
    status: str
    reason: str | None
    created_by: str
    created_at: datetime


class ShipmentLineIn(BaseModel):
    line_no: int
    quantity: int


class ShipmentIn(BaseModel):
    """Lines to ship; none means everything left to ship (from `warehouse` only, when given)."""

    lines: list[ShipmentLineIn] = []
    warehouse: str | None = None
    note: str | None = None


class ShipmentLineOut(BaseModel):
    line_no: int
    sku: str
    warehouse: str
    quantity: int  # units of this line in this shipment


class ShipmentOut(BaseModel):
    """A shipment as it was made; GET the order for the whole of it."""

    shipment_id: int
    order_number: str
    status: str  # the order's status after this shipment: partially_shipped, shipped or completed
    shipped_at: datetime
    shipped_by: str
    note: str | None = None
    lines: list[ShipmentLineOut]
    backorder_units: int  # units still to ship on the order after this shipment


class ReasonIn(BaseModel):
    reason: str


class OrderVersionSummary(BaseModel):
    """One version of an order: 1 as placed, one more per amendment."""

    version: int
    created_by: str
    created_at: datetime
    reason: str | None
    status: str
    total: Decimal


class ApprovalOut(BaseModel):
    """One approval an order needs or needed: the rule, why it matched, and who decided what and when."""

    request_id: int
    version: int
    rule_name: str
    condition_kind: str
    level: int
    roles: list[str]
    why: str
    status: str  # pending, approved, rejected, void
    requested_by: str
    requested_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    comment: str | None = None


class OrderOut(BaseModel):
    order_number: str
    customer_code: str
    customer_name: str | None = None
    channel: str
    external_ref: str | None
    status: str
    currency: str
    note: str | None
    ordered_at: datetime
    created_by: str
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal
    lines: list[OrderLineOut] = []
    events: list[OrderEventOut] = []
    payments: list[PaymentOut] = []
    refunds: list[RefundOut] = []
    paid_total: Decimal = Decimal("0.00")
    balance_due: Decimal = Decimal("0.00")
    approvals: list[ApprovalOut] = []
    version: int = 1
    versions: list[OrderVersionSummary] = []  # empty until the order is first amended
    requested_delivery_date: date | None = None  # set (or changed) by an amendment
    customer_po: str | None = None  # the customer's purchase-order reference


class OrderSummary(BaseModel):
    order_number: str
    customer_code: str
    customer_name: str | None
    channel: str
    status: str
    total: Decimal
    currency: str
    ordered_at: datetime
    line_count: int


class OrderPage(BaseModel):
    items: list[OrderSummary]
    total_count: int
    page: int
    page_size: int


class StockRow(BaseModel):
    warehouse: str
    sku: str
    on_hand: int
    reserved: int
    available: int


class ReceiveStock(BaseModel):
    warehouse: str
    sku: str
    quantity: int
    reason: str | None = None


class CustomerOut(BaseModel):
    customer_code: str
    name: str
    name_en: str | None = None
    tier: str
    region: str | None = None
    city: str | None = None
    credit_limit: Decimal
    payment_terms_days: int


class ProductOut(BaseModel):
    sku: str
    name: str
    category: str
    unit: str
    list_price: Decimal
    tax_rate: Decimal
    gtin: str | None = None


class WarehouseOut(BaseModel):
    warehouse_code: str
    name: str
    region: str | None = None
    city: str | None = None


class ShortLine(BaseModel):
    sku: str
    warehouse: str
    requested: int
    available: int


class ErrorBody(BaseModel):
    """Every error response: a machine code, a sentence for people, and details."""

    code: str
    message: str
    field: str | None = None
    short: list[ShortLine] | None = None


class BulkResult(BaseModel):
    entity: str
    rows: int


class SnapshotTable(BaseModel):
    table: str
    path: str
    rows: int


class SnapshotResult(BaseModel):
    taken_at: datetime
    tables: list[SnapshotTable]


class PipelineRun(BaseModel):
    run_id: str
    job_name: str


class ImportSummary(BaseModel):
    """rows = lines_created + duplicates + quarantined; import_id is None for a dry run (nothing kept)."""

    import_id: int | None
    channel: str
    file: str
    rows: int
    orders_created: int
    lines_created: int
    duplicates: int
    quarantined: int
    orders_amended: int = 0  # known orders a later version amended; their rows count in lines_created
    dry_run: bool = False


class ImportOut(BaseModel):
    import_id: int
    channel: str
    file: str
    actor: str
    imported_at: datetime
    rows: int
    orders_created: int
    lines_created: int
    duplicates: int
    quarantined: int
    orders_amended: int = 0
    finished_at: datetime | None = None  # None: still running, or interrupted (run the file again)
    on_shortage: str | None = None
    resubmit_of: int | None = None  # the import whose quarantined rows this one re-ran
    resolved: int = 0  # quarantined rows of this import taken since by a re-submission


class QuarantinedRow(BaseModel):
    import_id: int
    file: str
    row_no: int
    field: str | None
    reason: str
    raw: str | None
    resolved_by: int | None = None


class BackordersFilled(BaseModel):
    filled: list[str]


# -- planning write-back (issue 5) -----------------------------------------------------------


class CustomerTierIn(BaseModel):
    customer_code: str
    tier: str


class CustomerTiersIn(BaseModel):
    """A batch of computed tiers; `as_of` is the time of the data they were computed from."""

    as_of: datetime
    source: str = "rfm"
    tiers: list[CustomerTierIn]


class CustomerTiersResult(BaseModel):
    received: int
    changed: int
    unchanged: int


class ReorderSuggestionIn(BaseModel):
    warehouse: str
    sku: str
    suggested_qty: int = Field(gt=0)
    days_of_supply: Decimal | None = None
    reason: str | None = None


class ReorderSuggestionsIn(BaseModel):
    """The whole current suggestion set: it replaces the previous one in one transaction."""

    as_of: datetime
    suggestions: list[ReorderSuggestionIn]


class ReorderSuggestionsResult(BaseModel):
    received: int
    added: int
    removed: int
    updated: int


class ReorderSuggestionOut(BaseModel):
    warehouse: str
    sku: str
    product_name: str | None = None
    suggested_qty: int
    days_of_supply: Decimal | None = None
    reason: str | None = None
    as_of: datetime


class TierChangeOut(BaseModel):
    customer_code: str
    from_tier: str | None = None
    to_tier: str
    source: str
    as_of: datetime | None = None
    changed_at: datetime
    actor: str


# -- amendments and order versions (issue 3) ----------------------------------------------------


class AmendLineIn(BaseModel):
    """A line of the order as it should be. With `line_no` it changes that line; without, it changes the
    line of the same SKU (and warehouse) or is added. Lines left out are removed. Price and discount left
    out keep the line's own (a new line: list price, no discount)."""

    sku: str
    quantity: int
    warehouse: str | None = None
    unit_price: Decimal | None = None  # only roles that may change prices
    discount_pct: Decimal | None = None  # only roles that may give discounts
    line_no: int | None = None


class AmendmentIn(BaseModel):
    """The order's lines as they should be (None keeps them) and header fields to change (None keeps a
    field; an empty note or PO reference clears it; `clear_requested_delivery_date` clears the date)."""

    lines: list[AmendLineIn] | None = Field(default=None, min_length=1)
    reason: str
    requested_delivery_date: date | None = None
    note: str | None = None
    customer_po: str | None = None
    clear_requested_delivery_date: bool = False


class OrderVersionLineOut(BaseModel):
    line_no: int
    sku: str
    warehouse: str
    quantity: int
    unit_price: Decimal
    discount_pct: Decimal
    tax_rate: Decimal
    line_net: Decimal
    line_tax: Decimal
    line_total: Decimal


class OrderVersionOut(BaseModel):
    """An order as it stood at one version."""

    order_number: str
    version: int
    created_by: str
    created_at: datetime
    reason: str | None
    status: str
    customer_code: str
    channel: str
    external_ref: str | None = None
    note: str | None = None
    currency: str = "CNY"
    requested_delivery_date: date | None = None
    customer_po: str | None = None
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal
    lines: list[OrderVersionLineOut]


# -- stock operations (transfers, adjustments, safety stock, expected receipts, ATP) ---------------


class StockPositionOut(BaseModel):
    """One warehouse and SKU: stock, policy, what is on its way, and the open safety-stock alert if any."""

    warehouse: str
    sku: str
    on_hand: int
    reserved: int
    available: int
    safety_stock: int
    reorder_point: int
    lead_time_days: int
    inbound: int
    alert_id: int | None = None
    alert_opened_at: datetime | None = None
    suggested_reorder: int | None = None


class AdjustmentIn(BaseModel):
    warehouse: str
    sku: str
    change: int = Field(description="Units added (positive) or taken out (negative)")
    reason: str = Field(description="count, damage, loss, found, expiry or correction")
    note: str | None = None


class StockPolicyIn(BaseModel):
    warehouse: str
    sku: str
    safety_stock: int
    reorder_point: int
    lead_time_days: int = 7


class StockAlertOut(BaseModel):
    alert_id: int
    warehouse: str
    sku: str
    opened_at: datetime
    closed_at: datetime | None = None
    available_at_open: int
    safety_stock: int
    reorder_point: int
    inbound_at_open: int
    suggested_reorder: int


class TransferLineIn(BaseModel):
    sku: str
    quantity: int


class TransferIn(BaseModel):
    from_warehouse: str
    to_warehouse: str
    expected_arrival: date
    lines: list[TransferLineIn]
    note: str | None = None


class TransferReceiptIn(BaseModel):
    """Lines received now; none means everything still in transit."""

    lines: list[TransferLineIn] = []


class TransferLineOut(BaseModel):
    line_no: int
    sku: str
    quantity: int
    shipped: int
    received: int


class TransferOut(BaseModel):
    transfer_id: int
    from_warehouse: str
    to_warehouse: str
    status: str
    expected_arrival: date
    note: str | None = None
    requested_by: str
    requested_at: datetime
    shipped_by: str | None = None
    shipped_at: datetime | None = None
    received_at: datetime | None = None
    cancelled_by: str | None = None
    cancelled_at: datetime | None = None
    lines: list[TransferLineOut]


class ExpectedReceiptIn(BaseModel):
    warehouse: str
    sku: str
    quantity: int
    expected_on: date
    reference: str | None = None


class ExpectedReceiptChange(BaseModel):
    quantity: int | None = None
    expected_on: date | None = None
    reference: str | None = None


class ReceiveAgainstIn(BaseModel):
    """Units arrived now; none means all that is still expected."""

    quantity: int | None = None


class ExpectedReceiptOut(BaseModel):
    receipt_id: int
    warehouse: str
    sku: str
    quantity: int
    received: int
    outstanding: int
    expected_on: date
    reference: str | None = None
    status: str
    created_by: str
    created_at: datetime
    closed_at: datetime | None = None


class InboundOut(BaseModel):
    arrives_on: date
    quantity: int
    source: str


class WarehouseAtpOut(BaseModel):
    warehouse: str
    region: str | None = None
    available: int
    inbound: list[InboundOut]
    inbound_total: int
    can_serve_now: bool
    earliest_date: date | None = Field(None, description="First day the quantity can be promised; none if never")


class SplitPartOut(BaseModel):
    warehouse: str
    quantity: int


class AtpOut(BaseModel):
    """Available to promise one SKU, per warehouse, with the automatic choice and a split when needed."""

    sku: str
    quantity: int
    as_of: date
    customer_region: str | None = None
    warehouses: list[WarehouseAtpOut]
    automatic_choice: str | None = None
    automatic_rule: str
    split: list[SplitPartOut]
    short_after_split: int


# -- payments ledger and outbox (H4) ------------------------------------------------------------------
class PaymentRow(BaseModel):
    """A payment with the order and customer it settles."""

    payment_id: int
    order_number: str
    customer_code: str | None
    customer_name: str | None
    method: str
    amount: Decimal
    paid_on: date
    reference: str | None
    recorded_by: str
    recorded_at: datetime


class RefundRow(BaseModel):
    refund_id: int
    order_number: str
    customer_code: str | None
    customer_name: str | None
    email: str | None
    amount: Decimal
    status: str
    reason: str | None
    created_by: str
    created_at: datetime


class ContactIn(BaseModel):
    """Where a user's role messages reach them; leave one out (or empty) to clear it."""

    email: str | None = None
    phone: str | None = None


class ContactOut(BaseModel):
    username: str
    email: str | None
    phone: str | None


class OutboxMessageOut(BaseModel):
    id: int
    topic: str
    channel: str | None
    recipient: str | None
    payload: dict[str, Any]
    status: str = Field(description="pending, retrying, sent or dead")
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    dead_at: datetime | None
