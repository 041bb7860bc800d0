"""What every decision page does first: find the published marts, say how old they are, or say there are none."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import polars as pl
import streamlit as st

from dashboards.lib import formatting, marts
from dashboards.lib.safe_csv import csv_bytes
from oms_ops.settings import Settings


@contextmanager
def stop_if_unreadable() -> Iterator[None]:
    """Reads of the published marts inside this block stop the page with a hint when the file lacks them."""
    try:
        yield
    except marts.MartsUnavailable as problem:
        st.warning(f"{problem} Run the pipeline to publish it again.")
        st.stop()


def published_or_stop(settings: Settings) -> marts.Published:
    """The published marts file; shows "data as of" (and a warning when stale), or stops the page with a hint."""
    published = marts.published(settings.marts_db)
    if published is None:
        st.info("No published data yet — run the pipeline.")
        st.stop()
    with stop_if_unreadable():
        info = marts.publish_info(published.path, published.version)
    if info is not None:
        st.caption(f"Data as of {formatting.moment(info.published_at, settings.locale, settings.timezone)}")
        now = datetime.now(UTC)
        if marts.is_stale(info.published_at, now):
            hours = round((now - info.published_at).total_seconds() / 3600)
            st.warning(
                f"This data is {formatting.number(hours, settings.locale)} hours old. Run the pipeline to refresh it."
            )
    return published


def table_with_download(frame: pl.DataFrame, *, key: str, empty: str, download_label: str, file_name: str) -> None:
    """A table and its CSV download (safe from formula injection), or a sentence when there are no rows."""
    if frame.is_empty():
        st.success(empty)
        return
    st.dataframe(frame, hide_index=True, key=f"{key}_table")
    st.download_button(
        download_label, csv_bytes(frame), file_name=file_name, mime="text/csv", key=f"{key}_csv", on_click="ignore"
    )
