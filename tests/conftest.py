"""Shared fixtures: a real oms_ops server process on a temporary data folder and a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from oms_ops.client import OmsClient

TEST_API_KEY = "test-pipeline-key"
TEST_PASSWORD = "correct-horse-42"
ROLES = ("admin", "sales", "warehouse", "finance", "manager", "analyst")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningServer:
    data_dir: Path
    port: int
    process: subprocess.Popen[bytes]
    api_key: str = TEST_API_KEY

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "OMS_DATA_DIR": str(self.data_dir),
            "OMS_PORT": str(self.port),
            "OMS_HOST": "127.0.0.1",
            "OMS_API_KEY": self.api_key,
            "OMS_DEMO_PASSWORD": TEST_PASSWORD,
        }

    def system_client(self) -> OmsClient:
        return OmsClient(self.base_url, token=self.api_key)

    def client_as(self, username: str, password: str = TEST_PASSWORD) -> OmsClient:
        client = OmsClient(self.base_url)
        client.login(username, password)
        return client

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def start_server(data_dir: Path) -> RunningServer:
    server = RunningServer(data_dir=data_dir, port=free_port(), process=None)  # type: ignore[arg-type]
    log = open(data_dir / "server.log", "ab")  # noqa: SIM115 - the child process owns it
    server.process = subprocess.Popen(
        [sys.executable, "-m", "oms_ops.cli", "serve"], env=server.env, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited: {(data_dir / 'server.log').read_text()}")
        try:
            if httpx.get(f"{server.base_url}/api/v1/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("server did not answer within 30 s")


def create_role_users(server: RunningServer) -> None:
    with server.system_client() as system:
        for role in ROLES:
            system.create_user(role, TEST_PASSWORD, [role])


@contextmanager
def serving(data_dir: Path, load: Callable[[RunningServer], None] | None = None) -> Iterator[RunningServer]:
    """A server with one user per role and, when given, data put in by `load`; stopped afterwards."""
    running = start_server(data_dir)
    try:
        create_role_users(running)
        if load is not None:
            load(running)
        yield running
    finally:
        running.stop()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    """A fresh, empty server with one user per role; for tests that change state."""
    with serving(tmp_path) as running:
        yield running
