"""What every decision page does first: find the published marts, say how old they are, or say there are none."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

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


# Global filters: the same keys on every decision page, so a choice made on one page holds on the next.
# Streamlit forgets a widget's value when a page without it runs, so each choice is also kept under KEPT + key.
DATES = "decision_dates"
CHANNELS = "decision_channels"
REGIONS = "decision_regions"
CATEGORIES = "decision_categories"
TIERS = "decision_tiers"
KEPT = "kept_"
DEFAULT_DAYS = 90


def _keep(key: str) -> None:
    st.session_state[KEPT + key] = st.session_state[key]


def _restore(key: str, valid: Callable[[Any], Any]) -> None:
    """Put the value kept from another page back into the widget's key, made valid for today's choices."""
    if key not in st.session_state and KEPT + key in st.session_state:
        st.session_state[key] = valid(st.session_state[KEPT + key])


def multiselect_filter(label: str, options: tuple[str, ...], key: str, placeholder: str) -> tuple[str, ...]:
    """A global filter over `options`; nothing chosen means all."""
    _restore(key, lambda kept: [value for value in kept if value in options])
    if key in st.session_state:  # a value from an earlier publish may be gone
        st.session_state[key] = [value for value in st.session_state[key] if value in options]
    chosen = st.sidebar.multiselect(label, options, key=key, placeholder=placeholder, on_change=_keep, args=(key,))
    return tuple(chosen)


def date_range_filter(first_day: date, last_day: date, locale: str, key: str = DATES) -> tuple[date, date]:
    """The global date range within the published days; by default the last DEFAULT_DAYS of them.

    Until the user changes it (here or on another decision page: the choice is then kept under KEPT + key), the
    default follows the data: a new publish with later days moves it on while the page stays open.
    """

    def clamp(kept: Any) -> tuple[date, ...]:
        days = tuple(min(max(day, first_day), last_day) for day in kept)
        return days if days else (first_day, last_day)

    if KEPT + key not in st.session_state:
        st.session_state[key] = (max(first_day, last_day - timedelta(days=DEFAULT_DAYS - 1)), last_day)
    else:
        _restore(key, clamp)
        st.session_state[key] = clamp(st.session_state[key])
    chosen = st.sidebar.date_input(
        "Dates",
        min_value=first_day,
        max_value=last_day,
        key=key,
        on_change=_keep,
        args=(key,),
        format="YYYY-MM-DD",
    )
    days = tuple(chosen) if isinstance(chosen, tuple | list) else (chosen,)
    start = days[0] if days else first_day
    end = days[1] if len(days) > 1 else start  # while only the first day of a range is picked
    return start, end
