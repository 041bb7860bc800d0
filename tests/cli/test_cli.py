import signal
import subprocess
import sys

import duckdb
import pytest

from oms_ops.client import OmsClient, Unauthorized
from oms_ops.store.database import _migration_files
from tests.conftest import start_server


def oms(server, *args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "oms_ops.cli", *args], input=stdin, env=server.env, capture_output=True, text=True
    )


def test_user_add_reads_the_password_from_standard_input(server):
    result = oms(server, "user", "add", "li.wei", "--role", "sales", stdin="s3cret-passw0rd\n")
    assert result.returncode == 0, result.stderr
    client = OmsClient(server.base_url)
    assert client.login("li.wei", "s3cret-passw0rd").user.roles == ["sales"]


def test_user_add_refuses_an_unknown_role_and_creates_nobody(server):
    result = oms(server, "user", "add", "ghost", "--role", "superuser", stdin="s3cret-passw0rd\n")
    assert result.returncode != 0
    assert "Unknown role superuser" in result.stderr
    with pytest.raises(Unauthorized):
        OmsClient(server.base_url).login("ghost", "s3cret-passw0rd")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_cleanly_on_a_signal_and_releases_the_database(tmp_path, sig):
    running = start_server(tmp_path)
    running.process.send_signal(sig)
    assert running.process.wait(timeout=20) == 0
    assert "Application shutdown complete" in (tmp_path / "server.log").read_text()
    with duckdb.connect(str(tmp_path / "oms.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from schema_migrations").fetchone() == (len(_migration_files()),)


def test_demo_loads_a_small_distributor_once_and_refuses_a_second_time(server):
    first = oms(server, "demo", "--scale", "0.02", "--seed", "3")
    assert first.returncode == 0, first.stderr
    with server.client_as("sales") as sales:
        orders = sales.list_orders(page_size=1).total_count
        assert orders > 0
        assert len(sales.warehouses()) == 3
        assert sales.stock(), "demo stock was received"
    second = oms(server, "demo", "--scale", "0.02", "--seed", "3")
    assert second.returncode != 0
    assert "already holds" in second.stderr
    with server.client_as("sales") as sales:
        assert sales.list_orders(page_size=1).total_count == orders
