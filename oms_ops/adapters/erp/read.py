"""Read an ERP extract into canonical rows: every value text, nothing judged yet (the server validates).

CSV with a header row; UTF-8 with or without BOM or the mapping's encoding (e.g. GBK); quoted fields may
hold commas and line breaks. The frame has the kind's canonical columns found, `row_no` (1-based data row)
and `raw` (the row as the file had it, JSON). Dates in one of the mapping's formats become ISO dates;
others pass as written, for the server to refuse.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import polars as pl

from oms_ops.adapters.erp.mapping import DATE_COLUMNS, ErpMapping

MAX_FIELD_CHARS = 1_000_000


class UnreadableExtract(Exception):
    """The whole file cannot be read (empty, wrong encoding, not CSV): it goes to failed/."""


def read_extract(path: Path, mapping: ErpMapping, columns: tuple[str, ...]) -> pl.DataFrame:
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableExtract(f"{path.name} is empty: an extract needs at least a header row.")
    codec = "utf-8-sig" if mapping.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else mapping.encoding
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError) as exc:
        raise UnreadableExtract(f"{path.name} is not readable as {mapping.encoding}: {exc}") from exc
    csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter))
    except csv.Error as exc:
        raise UnreadableExtract(f"{path.name} is not a readable CSV file: {exc}") from exc
    header = [h.strip() for h in records[0]]
    wanted = {c: header.index(mapping.header_for(c)) for c in columns if mapping.header_for(c) in header}
    rows = [(n, r) for n, r in enumerate(records[1:], start=1) if any(field.strip() for field in r)]
    frame: dict[str, list[object]] = {c: [r[i] if i < len(r) else None for _, r in rows] for c, i in wanted.items()}
    frame["row_no"] = [n for n, _ in rows]
    frame["raw"] = [json.dumps(dict(zip(header, r, strict=False)), ensure_ascii=False) for _, r in rows]
    result = pl.DataFrame(frame, schema={**dict.fromkeys(wanted, pl.Utf8), "row_no": pl.Int64, "raw": pl.Utf8})
    for column in DATE_COLUMNS:
        if column in result.columns:
            result = result.with_columns(
                pl.col(column).map_elements(lambda v: _iso_date(v, mapping.date_formats), return_dtype=pl.Utf8)
            )
    return result


def _iso_date(value: str, formats: tuple[str, ...]) -> str:
    for fmt in formats:
        try:
            return datetime.strptime(value.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return value
