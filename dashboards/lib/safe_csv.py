"""CSV downloads that a spreadsheet opens as data, never as formulas.

A cell that starts with = + - @, a tab or a carriage return is a formula (or may become one) in Excel and
LibreOffice; prefixing such text with a single quote makes it plain text (OWASP "CSV injection").
"""

from __future__ import annotations

import polars as pl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """The frame as UTF-8 CSV (with a BOM so Excel reads Chinese names), every text cell defused."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    safe = frame.with_columns(pl.col(name).map_elements(defuse, return_dtype=pl.String) for name in text_columns)
    return ("\ufeff" + safe.write_csv()).encode("utf-8")
