"""A big import defers DuckDB's checkpoints to its end, then leaves the setting as it found it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from oms_ops.services import imports
from oms_ops.store.database import Database
from tests.approvals.conftest import ADMIN, seeded_database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = seeded_database(tmp_path)
    yield database
    database.close()


def _feed(orders: int) -> bytes:
    frame = pl.DataFrame(
        {
            "external_order_id": [f"CK-{i}" for i in range(orders)],
            "order_date": ["2026-03-01T10:00:00+08:00"] * orders,
            "customer_code": ["C-CASH"] * orders,
            "sku": ["WIDGET-BLUE"] * orders,
            "quantity": ["1"] * orders,
        }
    )
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def _threshold(db: Database) -> str:
    with db.reading() as cur:
        return str(cur.execute("select current_setting('checkpoint_threshold')").fetchall()[0][0])


def test_an_import_puts_the_checkpoint_threshold_back_and_leaves_nothing_in_the_wal(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "CHUNK_LINES", 500)
    monkeypatch.setattr(imports, "IMPORT_CHECKPOINT_THRESHOLD", "1GiB")
    with db.reading() as cur:
        cur.execute("set global checkpoint_threshold = '1MiB'")  # the chunks' WAL is over it
    seen: list[str] = []
    chunk = imports._import_chunk

    def watched(*args: object, **kwargs: object) -> dict[str, int]:
        seen.append(_threshold(db))
        return chunk(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(imports, "_import_chunk", watched)
    summary = imports.import_orders(db, ADMIN, "ck", "ck.csv", _feed(3000))
    assert summary["lines_created"] == 3000
    assert len(seen) == 6 and set(seen) == {"1.0 GiB"}
    assert _threshold(db) == "1.0 MiB"
    wal = db.path.with_name(db.path.name + ".wal")
    assert not wal.exists() or wal.stat().st_size == 0
