"""One ERP extract into the server: the path `oms load-master` and the Dagster inbox sensor share."""

from __future__ import annotations

from pathlib import Path

from oms_ops.adapters.erp.mapping import load_mapping
from oms_ops.adapters.erp.read import read_extract
from oms_ops.client import OmsClient
from oms_ops.contracts_master_data import MasterDataSummary
from oms_ops.domain.master_data import KINDS

# Inbox folders of the ERP (data/inbox/<folder>/) and the kind of extract each takes.
KIND_FOLDERS = {f"erp_{kind.replace('-', '_')}": kind for kind in KINDS}


def kind_of_folder(folder: str) -> str | None:
    """The master data kind an inbox folder takes (erp_customers -> customers), None for an order channel."""
    return KIND_FOLDERS.get(folder)


def load_file(
    client: OmsClient,
    path: Path,
    kind: str,
    mapping: str | None = None,
    dry_run: bool = False,
    mappings: Path | None = None,
) -> MasterDataSummary:
    """Read `path` with the mapping and send its rows to the server; raises UnreadableExtract or ApiError."""
    spec = load_mapping(kind, mapping, mappings)
    frame = read_extract(path, spec, KINDS[kind].columns)
    return client.load_master_data(kind, path.name, frame, dry_run=dry_run)
