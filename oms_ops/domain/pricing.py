"""Pricing of an order line: exact decimals, rounded half-up to the cent per line."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PricedLine:
    unit_price: Decimal
    discount_pct: Decimal
    tax_rate: Decimal
    line_net: Decimal
    line_tax: Decimal
    line_total: Decimal


def price_line(quantity: int, unit_price: Decimal, tax_rate: Decimal, discount_pct: Decimal = Decimal(0)) -> PricedLine:
    net = to_cents(unit_price * quantity * (Decimal(100) - discount_pct) / Decimal(100))
    tax = to_cents(net * tax_rate)
    return PricedLine(to_cents(unit_price), to_cents(discount_pct), tax_rate, net, tax, net + tax)


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal


def order_totals(lines: list[PricedLine]) -> Totals:
    subtotal = sum((line.line_net for line in lines), Decimal(0))
    tax = sum((line.line_tax for line in lines), Decimal(0))
    return Totals(subtotal, tax, subtotal + tax)
