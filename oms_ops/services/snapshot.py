"""Parquet copies of the operational tables for dbt: one consistent read, each file swapped in atomically."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from oms_ops.domain.roles import Action, require
from oms_ops.services.actor import Actor
from oms_ops.store.database import Database

# Users and sessions stay inside: password hashes and tokens never reach the lake.
SNAPSHOT_TABLES = (
    "customers",
    "products",
    "warehouses",
    "stock_levels",
    "stock_ledger",
    "orders",
    "order_lines",
    "order_events",
    "payments",
    "shipments",
    "shipment_lines",
    "refunds",
    "order_versions",
    "approval_requests",
    "transfers",
    "transfer_lines",
    "stock_alerts",
    "stock_policies",
)


def take_snapshot(db: Database, actor: Actor, lake_dir: Path) -> dict[str, Any]:
    require(actor.roles, Action.TAKE_SNAPSHOT)
    lake_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with db.reading() as cur:
        cur.execute("begin transaction")  # one snapshot of every table, while writers go on
        taken_at = datetime.now(UTC)
        for table in SNAPSHOT_TABLES:
            final = lake_dir / f"{table}.parquet"
            temporary = lake_dir / f".{table}.{uuid.uuid4().hex}.parquet"
            # The table name comes from the constant above, never from a caller.
            path_literal = str(temporary).replace("'", "''")
            cur.execute(f"copy (select * from {table}) to '{path_literal}' (format parquet)")
            rows = cur.execute(f"select count(*) from {table}").fetchone()
            os.replace(temporary, final)
            written.append({"table": table, "path": str(final.resolve()), "rows": rows[0] if rows else 0})
        cur.execute("commit")
    return {"taken_at": taken_at, "tables": written}
