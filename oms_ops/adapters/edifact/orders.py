"""EDIFACT ORDERS (D.96A and later) into the canonical order rows the CSV and JSON Lines readers make.

An interchange (UNA? UNB ... UNZ) holds one or more ORDERS messages (UNH ... UNT). From each message:

- BGM: the document number is the external order id; the message function (1225) 9 original, 7
  duplicate or 31 copy import as usual (a repeat is a duplicate); 5 replace and 4 change are a later
  version of the order (the `version` column: minutes from 2000-01-01 to the interchange's preparation
  time in UNB, so a later interchange is a later version), which amends the order while it can be
  amended; 3 deletion and 1 cancellation are quarantined (field `message_function`) for a person.
- DTM+137 the order date, DTM+2 the requested delivery date (formats 102, 203, 204; in the channel's
  time zone).
- NAD+BY the buyer by GLN (customers.gln); CUX+2 the currency.
- LIN ... the line items: the item by the supplier's article number in PIA+5 or PIA+1 (`...:SA`, our SKU)
  or else by the GTIN in LIN (`...:EN` or `:SRV`, products.gtin); QTY+21 the ordered quantity;
  PRI+AAA (net) or else PRI+AAB (gross) the unit price.

pydifact parses the syntax; it checks no counts, so they are checked here, and a wrong one refuses the
whole interchange (EdifactRefused, naming message and segment): UNT's segment count (UNH to UNT
inclusive) and reference, UNZ's message count and reference, CNT+2 (number of line items) if present.

Each line item becomes one row; `row_no` numbers the line items of the file in order (for a file of
one message, the LIN position), `raw` keeps the message reference, document number, LIN position and
the item's segments. A buyer GLN or GTIN we do not know is marked as a parse problem (field
customer_code or sku), which the server quarantines with that reason.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
from pydifact.exceptions import EDISyntaxError
from pydifact.parser import Parser
from pydifact.segments import Segment

from oms_ops.adapters.channels.mapping import CANONICAL_COLUMNS
from oms_ops.adapters.channels.parse import UnreadableFile

# (glns, gtins) -> ({gln: customer_code}, {gtin: sku}) for the ones known
Identify = Callable[[list[str], list[str]], tuple[dict[str, str], dict[str, str]]]

DATE_FORMATS = {"102": "%Y%m%d", "203": "%Y%m%d%H%M", "204": "%Y%m%d%H%M%S"}
AS_NEW = {"9": "original", "7": "duplicate", "31": "copy"}
LATER_VERSION = {"5": "replace", "4": "change"}
CANCELLING = {"3": "deletion", "1": "cancellation"}
EPOCH = datetime(2000, 1, 1)
GTIN_TYPES = ("EN", "SRV", "UP")


class EdifactRefused(UnreadableFile):
    """The interchange is not well formed (a count or reference is wrong): nothing of it is imported."""


@dataclass
class Item:
    position: str
    gtin: str | None = None
    article: str | None = None  # the supplier's (our) article number: the SKU
    quantity: str | None = None
    net_price: str | None = None
    gross_price: str | None = None
    segments: list[str] = field(default_factory=list)


@dataclass
class OrderMessage:
    reference: str
    number: str | None = None
    function: str | None = None
    order_date: str | None = None
    requested_date: str | None = None
    buyer_gln: str | None = None
    currency: str | None = None
    prepared: datetime | None = None  # UNB: when the interchange was prepared
    items: list[Item] = field(default_factory=list)


def is_edifact(path: Path) -> bool:
    """By extension (.edi, .edifact) or by content: the file starts with UNA or UNB."""
    if path.suffix.lower() in (".edi", ".edifact"):
        return True
    with path.open("rb") as handle:
        start = handle.read(16).lstrip(b"\xef\xbb\xbf \t\r\n")
    return start[:3] in (b"UNA", b"UNB")


def read_edifact_orders(path: Path, identify: Identify, timezone: str = "Asia/Shanghai") -> pl.DataFrame:
    """The interchange's line items as canonical text rows; raises EdifactRefused when it is not well formed."""
    messages = parse_interchange(_decode(path), path.name)
    glns = sorted({m.buyer_gln for m in messages if m.buyer_gln})
    gtins = sorted({i.gtin for m in messages for i in m.items if i.gtin and not i.article})
    customers, products = identify(glns, gtins) if glns or gtins else ({}, {})
    rows = [
        _row(message, item, customers, products, ZoneInfo(timezone)) for message in messages for item in message.items
    ]
    columns: dict[str, list[Any]] = {c: [r.get(c) for r in rows] for c in CANONICAL_COLUMNS}
    columns["row_no"] = list(range(1, len(rows) + 1))
    for extra in ("raw", "parse_problem", "parse_field"):
        columns[extra] = [r.get(extra) for r in rows]
    schema = {name: pl.Int64 if name == "row_no" else pl.Utf8 for name in columns}
    return pl.DataFrame(columns, schema=schema)


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise EdifactRefused(f"{path.name} is empty.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # UNOC (ISO 8859-1), the usual syntax level of ORDERS


def parse_interchange(text: str, name: str = "the interchange") -> list[OrderMessage]:
    """The ORDERS messages of an interchange, after checking its counts and references."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pydifact warns for every segment it has no directory for
            segments = [s for s in Parser().parse(text.strip()) if s.tag != "UNA"]
    except (EDISyntaxError, ValueError, IndexError) as exc:
        raise EdifactRefused(f"{name} is not readable EDIFACT: {exc}") from exc
    if not segments or segments[0].tag != "UNB":
        raise EdifactRefused(f"{name} is not an EDIFACT interchange: it does not start with UNB.")
    if segments[-1].tag != "UNZ":
        raise EdifactRefused(f"{name} has no UNZ segment at its end: the interchange is incomplete.")
    unb, unz = segments[0], segments[-1]
    messages = _messages(segments[1:-1], name)
    groups = sum(1 for s in segments if s.tag == "UNG")
    expected = groups or len(messages)
    if _text(unz, 0) != str(expected):
        counted = f"{expected} functional group(s)" if groups else f"{expected} message(s)"
        raise EdifactRefused(f"{name}: UNZ says {_text(unz, 0)} message(s), the interchange has {counted}.")
    if _text(unz, 1) != _text(unb, 4):
        raise EdifactRefused(
            f"{name}: UNZ reference {_text(unz, 1)!r} differs from UNB's {_text(unb, 4)!r}"
            " (the interchange control reference)."
        )
    prepared = _prepared(unb)
    for message in messages:
        message.prepared = prepared
    return messages


def _prepared(unb: Segment) -> datetime | None:
    day, time = _part(unb, 3, 0) or "", _part(unb, 3, 1) or "0000"
    try:
        return datetime.strptime(day + time, "%Y%m%d%H%M" if len(day) == 8 else "%y%m%d%H%M")
    except ValueError:
        return None


def _messages(segments: list[Segment], name: str) -> list[OrderMessage]:
    messages: list[OrderMessage] = []
    body: list[Segment] | None = None
    for segment in segments:
        if segment.tag == "UNH":
            if body is not None:
                raise EdifactRefused(f"{name}: message {_text(body[0], 0)} has no UNT before the next UNH.")
            body = [segment]
        elif segment.tag == "UNT":
            if body is None:
                raise EdifactRefused(f"{name}: a UNT (reference {_text(segment, 1)}) without its UNH.")
            body.append(segment)
            messages.append(_message(body, name))
            body = None
        elif body is not None:
            body.append(segment)
        elif segment.tag not in ("UNG", "UNE"):
            raise EdifactRefused(f"{name}: segment {segment.tag} outside a message.")
    if body is not None:
        raise EdifactRefused(f"{name}: message {_text(body[0], 0)} has no UNT.")
    return messages


def _message(body: list[Segment], name: str) -> OrderMessage:
    unh, unt = body[0], body[-1]
    reference = _text(unh, 0) or "?"
    where = f"{name}: message {reference} (UNH+{reference})"
    if _text(unt, 0) != str(len(body)):
        raise EdifactRefused(f"{where}: UNT says {_text(unt, 0)} segments, the message has {len(body)} (UNH to UNT).")
    if _text(unt, 1) != reference:
        raise EdifactRefused(f"{where}: UNT reference {_text(unt, 1)!r} differs from UNH's {reference!r}.")
    kind = _part(unh, 1, 0)
    if kind != "ORDERS":
        raise EdifactRefused(f"{where} is {kind}, not ORDERS.")
    message = OrderMessage(reference)
    item: Item | None = None
    for segment in body[1:-1]:
        item = _read_segment(message, item, segment)
    lines = next((_part(s, 0, 1) for s in body if s.tag == "CNT" and _part(s, 0, 0) == "2"), None)
    if lines is not None and lines != str(len(message.items)):
        raise EdifactRefused(f"{where}: CNT+2 says {lines} line item(s), the message has {len(message.items)} LIN.")
    return message


def _read_segment(message: OrderMessage, item: Item | None, segment: Segment) -> Item | None:
    tag = segment.tag
    if tag == "BGM":
        message.number, message.function = _text(segment, 1), _text(segment, 2)
    elif tag == "DTM" and _part(segment, 0, 0) in ("137", "2") and item is None:
        moment = (_part(segment, 0, 1), _part(segment, 0, 2))
        if _part(segment, 0, 0) == "137":
            message.order_date = _date_text(*moment)
        else:
            message.requested_date = _date_text(*moment)
    elif tag == "NAD" and _text(segment, 0) == "BY":
        message.buyer_gln = _part(segment, 1, 0)
    elif tag == "CUX":
        message.currency = _part(segment, 0, 1)
    elif tag == "LIN":
        item = Item(position=_text(segment, 0) or str(len(message.items) + 1))
        if _part(segment, 2, 1) in GTIN_TYPES or (_part(segment, 2, 1) is None and _part(segment, 2, 0)):
            item.gtin = _part(segment, 2, 0)
        message.items.append(item)
    elif tag == "UNS":
        item = None
    if item is not None and tag in ("LIN", "PIA", "QTY", "PRI", "IMD", "DTM", "FTX"):
        item.segments.append(_show(segment))
        if tag == "PIA" and _text(segment, 0) in ("1", "5"):
            for composite in segment.elements[1:]:
                if isinstance(composite, list) and len(composite) > 1 and composite[1] == "SA" and composite[0]:
                    item.article = item.article or composite[0]
        elif tag == "QTY" and _part(segment, 0, 0) == "21":
            item.quantity = _number(_part(segment, 0, 1))
        elif tag == "PRI" and _part(segment, 0, 0) == "AAA":
            item.net_price = _number(_part(segment, 0, 1))
        elif tag == "PRI" and _part(segment, 0, 0) == "AAB":
            item.gross_price = _number(_part(segment, 0, 1))
    return item


def _row(
    message: OrderMessage, item: Item, customers: dict[str, str], products: dict[str, str], zone: ZoneInfo
) -> dict[str, Any]:
    raw = {
        "message": message.reference,
        "document": message.number,
        "function": message.function,
        "buyer_gln": message.buyer_gln,
        "line": item.position,
        "segments": item.segments,
    }
    row: dict[str, Any] = {
        "external_order_id": message.number,
        "order_date": _in_zone(message.order_date, zone),
        "customer_code": customers.get(message.buyer_gln or ""),
        "sku": item.article or products.get(item.gtin or ""),
        "quantity": item.quantity,
        "unit_price": item.net_price or item.gross_price,
        "currency": message.currency,
        "requested_date": _in_zone(message.requested_date, zone),
        "version": _version(message),
        "raw": json.dumps(raw, ensure_ascii=False),
    }
    problem = _problem(message, item, row)
    if problem:
        row["parse_field"], row["parse_problem"] = problem
    return row


def _problem(message: OrderMessage, item: Item, row: dict[str, Any]) -> tuple[str, str] | None:
    function = message.function or "9"
    if function in CANCELLING:
        return (
            "message_function",
            f"BGM message function {function} ({CANCELLING[function]}) of order {message.number}: a"
            " cancelling message is not applied by itself; cancel the order by hand",
        )
    if function in LATER_VERSION and message.prepared is None:
        return "message_function", f"a {LATER_VERSION[function]} of order {message.number} needs the UNB date and time"
    if function not in AS_NEW and function not in LATER_VERSION:
        return "message_function", f"unknown BGM message function {function!r} of order {message.number}"
    if not message.buyer_gln:
        return "customer_code", f"order {message.number} names no buyer (NAD+BY with a GLN)"
    if row["customer_code"] is None:
        return "customer_code", f"unknown buyer GLN {message.buyer_gln} (NAD+BY)"
    if row["sku"] is None and item.gtin:
        return "sku", f"unknown GTIN {item.gtin} (LIN {item.position})"
    if row["sku"] is None:
        return "sku", f"LIN {item.position} names no item (a GTIN in LIN or a PIA supplier article number)"
    return None


def _version(message: OrderMessage) -> str | None:
    """None (version 1) for an original; for a replacement, minutes from 2000 to the interchange's preparation."""
    if message.function not in LATER_VERSION or message.prepared is None:
        return None
    return str(int((message.prepared - EPOCH).total_seconds() // 60))


def _date_text(value: str | None, qualifier: str | None) -> str | None:
    """DTM value in its format (2379) as naive ISO; an unknown format passes as written for the server to refuse."""
    if value is None:
        return None
    fmt = DATE_FORMATS.get(qualifier or "102")
    try:
        return datetime.strptime(value, fmt).isoformat() if fmt else value
    except ValueError:
        return value


def _in_zone(value: str | None, zone: ZoneInfo) -> str | None:
    try:
        return datetime.fromisoformat(value).replace(tzinfo=zone).isoformat() if value else None
    except ValueError:
        return value


def _number(value: str | None) -> str | None:
    """EDIFACT allows a decimal comma as well as a point, and no thousands separators."""
    return value.replace(",", ".") if value else value


def _text(segment: Segment, index: int) -> str | None:
    value = segment[index]
    if isinstance(value, list):
        value = value[0] if value else None
    return value or None


def _part(segment: Segment, index: int, part: int) -> str | None:
    value = segment[index]
    if isinstance(value, str):
        return value or None if part == 0 else None
    if isinstance(value, list) and len(value) > part:
        return value[part] or None
    return None


def _show(segment: Segment) -> str:
    parts = [":".join(e) if isinstance(e, list) else (e or "") for e in segment.elements]
    return "+".join([segment.tag, *parts])
