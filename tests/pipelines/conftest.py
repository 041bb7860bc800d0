"""A warm dbt (pipelines/defs/dbt/warm.py) of a test's own, on a short socket path, stopped afterwards."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen

import pytest

from pipelines.defs.dbt import warm


@dataclass
class WarmDbt:
    socket: Path
    log: Path
    process: Popen[bytes]

    def commands_run(self) -> list[str]:
        """The log lines of the commands its children ran ("pid N: dbt build exited 0 after 4.2 s")."""
        return [line for line in self.log.read_text().splitlines() if ": dbt " in line]

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []


@pytest.fixture
def warm_dbt(tmp_path: Path) -> Iterator[WarmDbt]:
    folder = Path(tempfile.mkdtemp(prefix="oms-warm-"))  # a pytest tmp_path can be too long for a Unix socket
    socket = folder / "dbt.sock"
    log = tmp_path / "warm-dbt.log"
    process = warm.start(socket, log)
    try:
        yield WarmDbt(socket, log, process)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
