"""Values remembered between write transactions: kept until forgotten, dropped by any rollback."""

from __future__ import annotations

from pathlib import Path

import pytest

from oms_ops.store.database import Database, forget, remembered


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "oms.duckdb")


def remember(db: Database, value: int) -> int:
    with db.transaction():
        return remembered("answer", lambda: value)


def test_a_value_is_loaded_once_and_then_remembered(db):
    assert (remember(db, 1), remember(db, 2)) == (1, 1)


def test_a_forgotten_value_is_loaded_again(db):
    remember(db, 1)
    with db.transaction():
        forget("answer")
    assert remember(db, 2) == 2


def test_a_rollback_forgets_what_the_transaction_may_have_remembered(db):
    with pytest.raises(RuntimeError), db.transaction():
        remembered("answer", lambda: 1)
        raise RuntimeError("refused")
    assert remember(db, 2) == 2


def test_outside_a_write_transaction_nothing_is_remembered(db):
    remember(db, 1)
    assert remembered("answer", lambda: 3) == 3


def test_each_database_remembers_its_own(tmp_path):
    first, second = Database(tmp_path / "a.duckdb"), Database(tmp_path / "b.duckdb")
    assert (remember(first, 1), remember(second, 2)) == (1, 2)
