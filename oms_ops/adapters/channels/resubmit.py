"""Quarantined rows, corrected by a person, back into the canonical columns the import takes."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import polars as pl

from oms_ops.adapters.channels.mapping import CANONICAL_COLUMNS, ChannelMapping
from oms_ops.adapters.channels.parse import _normalise_dates


def row_as_in_file(raw: str | None) -> dict[str, str | None]:
    """A quarantined row's fields under the file's own headers (its `raw` JSON); {} when it had none."""
    try:
        found = json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        return {}
    if not isinstance(found, dict):
        return {}
    return {str(k): None if v is None else str(v) for k, v in found.items() if not isinstance(v, list | dict)}


def corrected_rows(
    rows: Sequence[Mapping[str, str | None]], row_nos: Sequence[int], mapping: ChannelMapping
) -> pl.DataFrame:
    """Rows keyed by the file's headers (as `row_as_in_file` gives them, edited) as canonical text columns.

    Each keeps its original row number, so the server can tell which quarantined rows it resolves.
    """
    columns: dict[str, list[str | None]] = {
        c: [_text(row.get(mapping.header_for(c))) for row in rows] for c in CANONICAL_COLUMNS
    }
    frame = pl.DataFrame(
        {
            **columns,
            "row_no": list(row_nos),
            "raw": [json.dumps(dict(row), ensure_ascii=False) for row in rows],
            "parse_problem": [None] * len(rows),
            "parse_field": [None] * len(rows),
        },
        schema={
            **dict.fromkeys(CANONICAL_COLUMNS, pl.Utf8),
            "row_no": pl.Int64,
            "raw": pl.Utf8,
            "parse_problem": pl.Utf8,
            "parse_field": pl.Utf8,
        },
    )
    return _normalise_dates(frame, mapping)


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
