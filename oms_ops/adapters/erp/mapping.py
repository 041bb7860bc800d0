"""How one ERP's extract looks: kind, encoding, delimiter, date formats and column names (a YAML file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from oms_ops.domain.errors import InvalidInput
from oms_ops.domain.master_data import KINDS

DATE_COLUMNS = ("valid_from", "valid_to")
SHIPPED_MAPPINGS = "oms_ops.adapters.erp.mappings"


@dataclass(frozen=True)
class ErpMapping:
    kind: str
    encoding: str = "utf-8"
    delimiter: str = ","
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)
    columns: dict[str, str] = field(default_factory=dict)  # canonical name -> header in the file

    def header_for(self, canonical: str) -> str:
        return self.columns.get(canonical, canonical)


def default_name(kind: str) -> str:
    return kind.replace("-", "_")


def load_mapping(kind: str, name: str | None = None, directory: Path | None = None) -> ErpMapping:
    """`<directory>/<name>.yaml`, else the shipped mapping `<name>`, else the kind's canonical one."""
    if kind not in KINDS:
        raise InvalidInput(f"Unknown master data kind {kind!r}; known: {', '.join(KINDS)}.", field="kind")
    candidates = [name] if name else []
    for candidate in [*candidates, default_name(kind)]:
        if directory is not None and (directory / f"{candidate}.yaml").is_file():
            return parse_mapping((directory / f"{candidate}.yaml").read_text(encoding="utf-8"), kind, candidate)
        shipped = resources.files(SHIPPED_MAPPINGS) / f"{candidate}.yaml"
        if shipped.is_file():
            return parse_mapping(shipped.read_text(encoding="utf-8"), kind, candidate)
        if candidate == name and not name.startswith("erp_"):  # an inbox folder name falls back silently
            raise InvalidInput(
                f"There is no mapping {name!r} (looked in {directory} and the shipped ones).", field="mapping"
            )
    raise InvalidInput(f"There is no mapping for {kind}.", field="mapping")  # pragma: no cover - shipped


def parse_mapping(text: str, kind: str, name: str) -> ErpMapping:
    spec: dict[str, Any] = yaml.safe_load(text) or {}
    if spec.get("kind", kind) != kind:
        raise InvalidInput(f"The mapping {name} is for {spec.get('kind')}, not {kind}.", field="mapping")
    defaults = ErpMapping(kind)
    return ErpMapping(
        kind=kind,
        encoding=str(spec.get("encoding", defaults.encoding)),
        delimiter=str(spec.get("delimiter", defaults.delimiter)),
        date_formats=tuple(spec.get("date_formats") or defaults.date_formats),
        columns={str(k): str(v) for k, v in (spec.get("columns") or {}).items()},
    )
