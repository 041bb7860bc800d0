"""ERP master data without I/O: the kinds of extract, their key, required and known columns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: tuple[str, ...]
    required: tuple[str, ...]  # columns the file must have (else it is refused whole)
    columns: tuple[str, ...]  # every column read; others are ignored


KINDS: dict[str, Kind] = {
    "customers": Kind(
        ("customer_code",),
        ("customer_code",),
        (
            "customer_code",
            "name",
            "name_en",
            "region",
            "city",
            "email",
            "phone",
            "gln",
            "tier",
            "credit_limit",
            "payment_terms_days",
            "price_list",
        ),
    ),
    "products": Kind(
        ("sku",),
        ("sku",),
        ("sku", "name", "category", "unit", "cost", "list_price", "tax_rate", "gtin"),
    ),
    "price-lists": Kind(
        ("price_list", "sku", "valid_from"),
        ("price_list", "sku", "price"),
        ("price_list", "sku", "price", "valid_from", "valid_to", "currency"),
    ),
    "stock-counts": Kind(("warehouse", "sku"), ("warehouse", "sku", "counted"), ("warehouse", "sku", "counted")),
}
