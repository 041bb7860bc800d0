import subprocess
import sys

import duckdb
import pytest

from oms_ops.store.database import Database, _migration_files


@pytest.fixture
def db(tmp_path):
    database = Database(tmp_path / "oms.duckdb")
    database.migrate()
    yield database
    database.close()


def test_migrations_are_recorded_and_applied_once(db):
    assert db.migrate() == []
    with db.reading() as cur:
        versions = [row[0] for row in cur.execute("select version from schema_migrations order by 1").fetchall()]
    assert versions[0] == "001_initial.sql"
    assert versions == [name for name, _ in _migration_files()]


def test_a_failed_transaction_leaves_nothing_behind(db):
    with pytest.raises(RuntimeError), db.transaction() as cur:
        cur.execute("insert into warehouses (warehouse_code, name) values ('SH', 'Shanghai')")
        raise RuntimeError("crash in the middle of a use case")
    with db.reading() as cur:
        assert cur.execute("select count(*) from warehouses").fetchone() == (0,)


def test_the_database_refuses_reserving_more_than_on_hand(db):
    with db.transaction() as cur:
        cur.execute("insert into stock_levels (warehouse_code, sku, on_hand, reserved) values ('SH', 'BOLT', 5, 0)")
    with pytest.raises(duckdb.ConstraintException), db.transaction() as cur:
        cur.execute("update stock_levels set reserved = 6")


def test_a_second_process_cannot_open_the_file_while_the_server_holds_it(db):
    probe = f"import duckdb; duckdb.connect({str(db.path)!r}, read_only=True)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode != 0
    assert "lock" in result.stderr
