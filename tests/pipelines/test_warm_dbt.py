"""`oms-dbt` through the warm dbt behaves as dbt itself: same output, same exit code, Ctrl-C reaches the command."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pipelines.defs.dbt import warm
from pipelines.defs.dbt.project import DBT_PROJECT_DIR, dbt_executable
from tests.pipelines.conftest import WarmDbt


def dbt_env(tmp_path: Path, socket: Path) -> dict[str, str]:
    return {
        **os.environ,
        warm.SOCKET_ENV: str(socket),
        "DBT_LOG_PATH": str(tmp_path / "dbt-logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def run(executable: str, args: list[str], tmp_path: Path, socket: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [dbt_executable(executable), *args],
        cwd=DBT_PROJECT_DIR,
        env=dbt_env(tmp_path, socket),
        capture_output=True,
        text=True,
        timeout=180,
    )


def list_models(tmp_path: Path, target: str) -> list[str]:
    vars_ = json.dumps({"data_dir": str(tmp_path)})
    return [
        "ls",
        "--quiet",
        "--resource-type",
        "model",
        "--output",
        "name",
        "--vars",
        vars_,
        "--target-path",
        str(tmp_path / target),
    ]


def test_a_command_through_the_warm_dbt_prints_what_dbt_itself_prints(warm_dbt: WarmDbt, tmp_path: Path):
    through_warm = run("oms-dbt", list_models(tmp_path, "warm"), tmp_path, warm_dbt.socket)
    by_dbt = run("dbt", list_models(tmp_path, "cold"), tmp_path, warm_dbt.socket)

    assert through_warm.returncode == by_dbt.returncode == 0, through_warm.stderr
    models = by_dbt.stdout.split()
    assert "fct_order_lines" in models and "mart_sales_daily" in models
    assert through_warm.stdout.split() == models
    [ran] = warm_dbt.commands_run()
    assert "dbt ls exited 0" in ran


def test_a_failing_command_exits_with_dbts_code_and_message(warm_dbt: WarmDbt, tmp_path: Path):
    through_warm = run("oms-dbt", ["no-such-command"], tmp_path, warm_dbt.socket)
    by_dbt = run("dbt", ["no-such-command"], tmp_path, warm_dbt.socket)

    assert through_warm.returncode == by_dbt.returncode == 2
    assert "No such command" in through_warm.stderr
    assert through_warm.stderr == by_dbt.stderr
    assert "dbt no-such-command exited 2" in warm_dbt.commands_run()[0]


def test_without_a_warm_dbt_the_command_runs_in_the_callers_own_process(tmp_path: Path):
    nobody = tmp_path / "nobody-listens.sock"

    alone = run("oms-dbt", ["--version"], tmp_path, nobody)

    assert alone.returncode == 0, alone.stderr
    assert "Core:" in alone.stdout


def test_ctrl_c_on_the_caller_stops_the_command_in_the_warm_dbt(warm_dbt: WarmDbt, tmp_path: Path):
    args = ["parse", "--no-partial-parse", "--vars", json.dumps({"data_dir": str(tmp_path)})]
    caller = subprocess.Popen(
        [dbt_executable("oms-dbt"), *args, "--target-path", str(tmp_path / "parse")],
        cwd=DBT_PROJECT_DIR,
        env=dbt_env(tmp_path, warm_dbt.socket),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not warm_dbt.children() and time.monotonic() < deadline:
        time.sleep(0.05)
    [child] = warm_dbt.children()

    caller.send_signal(signal.SIGINT)

    assert caller.wait(timeout=60) != 0
    deadline = time.monotonic() + 30
    while warm_dbt.children() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert warm_dbt.children() == []
    assert not [line for line in warm_dbt.commands_run() if "dbt parse exited 0" in line]  # stopped, not finished
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]
    assert warm_dbt.process.poll() is None  # the warm dbt itself goes on serving


def test_a_data_folder_too_deep_for_a_unix_socket_gets_a_short_private_path(tmp_path: Path):
    deep = tmp_path / ("a-rather-long-folder-name-" * 5) / "data"
    other = tmp_path / ("a-rather-long-folder-name-" * 5) / "data2"

    path = warm.socket_path({"OMS_DATA_DIR": str(deep)})

    assert len(str(path).encode()) <= warm.MAX_SOCKET_PATH
    assert path == warm.socket_path({"OMS_DATA_DIR": str(deep)})  # the caller and the warm dbt agree
    assert path != warm.socket_path({"OMS_DATA_DIR": str(other)})
    assert warm.socket_path({"OMS_DATA_DIR": "/srv/oms"}) == Path("/srv/oms/run/dbt.sock")


def test_the_warm_dbt_refuses_a_socket_in_a_folder_others_can_enter(tmp_path: Path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)

    started = subprocess.run(
        [sys.executable, "-m", "pipelines.defs.dbt.warm"],
        env={**os.environ, warm.SOCKET_ENV: str(shared / "dbt.sock")},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert started.returncode != 0
    assert "only its owner can enter" in started.stderr
    assert not (shared / "dbt.sock").exists()
    assert shared.stat().st_mode & 0o777 == 0o755  # left as it was
