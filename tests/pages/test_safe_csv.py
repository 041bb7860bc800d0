"""CSV downloads open as data in a spreadsheet: text that starts like a formula is prefixed with a quote."""

import polars as pl
import pytest

from dashboards.lib.safe_csv import csv_bytes, defuse


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_text_that_starts_like_a_formula_is_quoted(text: str) -> None:
    assert defuse(text) == "'" + text


def test_ordinary_text_is_left_alone() -> None:
    assert defuse("Acme = best") == "Acme = best"


def test_numbers_stay_numbers_and_text_columns_are_defused() -> None:
    frame = pl.DataFrame({"name": ["=cmd", "Acme"], "balance": [-5, 3]})

    assert csv_bytes(frame).decode("utf-8-sig").splitlines() == ["name,balance", "'=cmd,-5", "Acme,3"]
