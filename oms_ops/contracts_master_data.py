"""The wire format of ERP master data loads and price lists (v1)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field


class MasterDataSummary(BaseModel):
    """rows = created + updated + unchanged + quarantined; load_id is None for a dry run (nothing kept)."""

    load_id: int | None
    kind: str
    file: str
    rows: int
    created: int
    updated: int
    unchanged: int
    quarantined: int
    dry_run: bool = False


class MasterDataLoadOut(BaseModel):
    load_id: int
    kind: str
    file: str
    actor: str
    loaded_at: datetime
    rows: int
    created: int
    updated: int
    unchanged: int
    quarantined: int


class MasterDataQuarantined(BaseModel):
    load_id: int
    file: str
    row_no: int
    field: str
    reason: str
    raw: str | None = None


class IdentifyIn(BaseModel):
    glns: list[str] = Field(default_factory=list, max_length=100_000)
    gtins: list[str] = Field(default_factory=list, max_length=100_000)


class Identified(BaseModel):
    """Customer codes by GLN, SKUs by GTIN; an identifier not known is missing."""

    customers: dict[str, str]
    products: dict[str, str]


class CustomerPrices(BaseModel):
    """The customer's price-list prices on a date, by SKU; a SKU without one sells at its list price."""

    customer_code: str
    on_date: str
    prices: dict[str, Decimal]
