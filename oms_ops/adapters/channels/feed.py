"""One file of a channel into the server: the path the CLI (`oms import`) and the Dagster sensor share."""

from __future__ import annotations

from pathlib import Path

from oms_ops import contracts as c
from oms_ops.adapters.channels.mapping import load_mapping
from oms_ops.adapters.channels.parse import read_orders
from oms_ops.client import OmsClient


def import_file(
    client: OmsClient, path: Path, channel: str, dry_run: bool = False, mappings: Path | None = None
) -> c.ImportSummary:
    """Parse `path` with the channel's mapping and send its rows to the server; raises UnreadableFile or ApiError."""
    mapping = load_mapping(channel, mappings)
    from oms_ops.adapters.edifact.feed import is_edifact, read_with_client  # it builds on this package

    # EDIFACT ORDERS (.edi/.edifact, or starting UNA/UNB): buyers by GLN, items by GTIN, on the server
    frame = read_with_client(path, client, mapping.timezone) if is_edifact(path) else read_orders(path, mapping)
    return client.import_orders(channel, path.name, frame, dry_run=dry_run, on_shortage=mapping.on_shortage)
