"""Amounts, numbers, dates and statuses as people read them, in the configured locale and time zone (Babel)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

from oms_ops.domain.lifecycle import LABELS, Status

DEFAULT_CURRENCY = "CNY"


def money(amount: Decimal | int | float, locale: str, currency: str = DEFAULT_CURRENCY) -> str:
    return str(format_currency(amount, currency, locale=locale))


def number(value: Decimal | int | float, locale: str) -> str:
    return str(format_decimal(value, locale=locale))


def signed(value: Decimal | int | float, locale: str, places: int = 1) -> str:
    """1.25 -> '+1.3', -0.5 -> '-0.5' (a change, always with its sign)."""
    digits = "#,##0." + "0" * places if places else "#,##0"
    return str(format_decimal(value, format=f"+{digits};-{digits}", locale=locale))


def percent(value: Decimal | float, locale: str) -> str:
    """0.125 -> '12.5%' (one decimal)."""
    return str(format_percent(value, format="#,##0.0%", locale=locale))


def day(value: date, locale: str) -> str:
    return str(format_date(value, format="medium", locale=locale))


def moment(value: datetime, locale: str, timezone: str) -> str:
    """A timezone-aware instant shown in the user's zone."""
    return str(format_datetime(value, format="medium", tzinfo=ZoneInfo(timezone), locale=locale))


def status_label(status: str) -> str:
    """'pending_payment' -> 'Pending payment' (the English words of the order lifecycle)."""
    try:
        return LABELS[Status(status)][0]
    except ValueError:
        return status.replace("_", " ").capitalize()
