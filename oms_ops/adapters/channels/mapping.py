"""How one channel's files look: format, encoding, column names and date formats (a YAML file per channel)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from oms_ops.domain.errors import InvalidInput

# The canonical feed's columns, in order; the server names the required ones when a file lacks them.
CANONICAL_COLUMNS = (
    "external_order_id",
    "order_date",
    "customer_code",
    "sku",
    "quantity",
    "unit_price",
    "currency",
    "warehouse",
    "requested_date",
    "note",
    "version",  # optional: a later version of an order amends it while it can still be amended
)
DATE_COLUMNS = ("order_date", "requested_date")
SHORTAGE_POLICIES = ("quarantine", "hold", "backorder")
SHIPPED_MAPPINGS = "oms_ops.adapters.channels.mappings"


@dataclass(frozen=True)
class ChannelMapping:
    format: str = "csv"
    encoding: str = "utf-8"
    timezone: str = "Asia/Shanghai"
    date_formats: tuple[str, ...] = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
    columns: dict[str, str] = field(default_factory=dict)  # canonical name -> header in the file
    on_shortage: str = "quarantine"  # an order short of stock: quarantine, hold or backorder

    def header_for(self, canonical: str) -> str:
        return self.columns.get(canonical, canonical)


def load_mapping(channel: str, directory: Path | None = None) -> ChannelMapping:
    """`<directory>/<channel>.yaml` if there is one, else the shipped mapping of that name, else the canonical feed."""
    if directory is not None and (directory / f"{channel}.yaml").is_file():
        return parse_mapping((directory / f"{channel}.yaml").read_text(encoding="utf-8"), channel)
    shipped = resources.files(SHIPPED_MAPPINGS) / f"{channel}.yaml"
    if not shipped.is_file():
        shipped = resources.files(SHIPPED_MAPPINGS) / "canonical.yaml"
    return parse_mapping(shipped.read_text(encoding="utf-8"), channel)


def parse_mapping(text: str, channel: str) -> ChannelMapping:
    spec: dict[str, Any] = yaml.safe_load(text) or {}
    unknown = set(spec.get("columns") or {}) - set(CANONICAL_COLUMNS)
    if unknown:
        raise InvalidInput(f"The mapping of {channel} names unknown column(s) {', '.join(sorted(unknown))}.")
    defaults = ChannelMapping()
    return ChannelMapping(
        format=str(spec.get("format", defaults.format)),
        encoding=str(spec.get("encoding", defaults.encoding)),
        timezone=str(spec.get("timezone", defaults.timezone)),
        date_formats=tuple(spec.get("date_formats") or defaults.date_formats),
        columns={str(k): str(v) for k, v in (spec.get("columns") or {}).items()},
        on_shortage=_policy(spec.get("on_shortage", defaults.on_shortage), channel),
    )


def _policy(value: object, channel: str) -> str:
    if value not in SHORTAGE_POLICIES:
        raise InvalidInput(
            f"The mapping of {channel} says on_shortage: {value}; choose one of {', '.join(SHORTAGE_POLICIES)}.",
            field="on_shortage",
        )
    return str(value)
