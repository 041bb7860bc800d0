"""The wire format of the HTTP API (v1), shared by the server and the typed client."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

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


class ReasonIn(BaseModel):
    reason: str


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


class QuarantinedRow(BaseModel):
    import_id: int
    file: str
    row_no: int
    field: str | None
    reason: str
    raw: str | None
