"""Read-only queries over the published marts.duckdb.

The file is swapped whole by the publish step (os.replace). Each file version (inode + mtime) is attached
read-only once and queried through cursors; results are cached per file version, which makes a newly published
file show up at the next run without reopening anything by hand. A reader of the old version keeps reading
the old file (its inode lives until closed), so a build never breaks a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Literal

import duckdb
import streamlit as st

Grain = Literal["day", "week", "month"]
GRAINS: tuple[Grain, ...] = ("day", "week", "month")
STALE_AFTER = timedelta(hours=2)
CACHE_TTL_SECONDS = 600
READER_MEMORY_LIMIT = "1GB"


class MartsUnavailable(Exception):
    """The published file is there but cannot answer (a table is missing, or it is not a DuckDB file)."""


@dataclass(frozen=True)
class Published:
    path: str
    version: str  # changes whenever a new file is swapped in; part of every cache key


@dataclass(frozen=True)
class PublishInfo:
    published_at: datetime
    snapshot_taken_at: datetime | None


@dataclass(frozen=True)
class Totals:
    revenue: Decimal
    orders: int
    units: int
    margin: Decimal

    @property
    def margin_rate(self) -> Decimal | None:
        return self.margin / self.revenue if self.revenue else None


def published(path: Path) -> Published | None:
    """None while nothing has been published yet."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return Published(str(path), f"{stat.st_ino}:{stat.st_mtime_ns}")


def is_stale(published_at: datetime, now: datetime, limit: timedelta = STALE_AFTER) -> bool:
    return now - published_at > limit


@st.cache_resource(max_entries=2, show_spinner=False)
def _attached(path: str, version: str) -> duckdb.DuckDBPyConnection:
    """One in-memory database per published file version with that file attached read-only as `marts`.

    Shared by all sessions (each query takes its own cursor), so DuckDB's block cache stays warm between
    queries. Attached rather than opened: duckdb.connect(path) would hand back a still-open database of the
    file that was swapped out, while ATTACH opens what is under the name now.
    """
    con = duckdb.connect(config={"memory_limit": READER_MEMORY_LIMIT})
    con.execute(f"attach '{path.replace(chr(39), chr(39) * 2)}' as marts (read_only)")
    return con


@contextmanager
def _reading(path: str) -> Iterator[duckdb.DuckDBPyConnection]:
    found = published(Path(path))
    try:
        con = _attached(path, found.version if found else "missing").cursor()
        con.execute("use marts")
    except duckdb.Error as exc:
        raise MartsUnavailable(f"The published data cannot be opened: {exc}") from exc
    try:
        yield con
    except duckdb.CatalogException as exc:
        raise MartsUnavailable(f"The published data is incomplete: {exc}") from exc
    finally:
        con.close()


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=32, show_spinner=False)
def publish_info(path: str, version: str) -> PublishInfo | None:
    with _reading(path) as con:
        row = con.execute(
            "select published_at, snapshot_taken_at from publish_info order by published_at desc limit 1"
        ).fetchone()
    return PublishInfo(row[0], row[1]) if row else None
