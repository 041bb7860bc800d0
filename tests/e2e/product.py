"""Run the whole product (`oms up`) in a temporary data folder, as `make run` does, and stop it with Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import TEST_API_KEY, TEST_PASSWORD, free_port

READY_LINE = "OMS is running"


@dataclass
class RunningProduct:
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.env['OMS_STREAMLIT_PORT']}"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.env['OMS_PORT']}"

    @property
    def dagster_url(self) -> str:
        return f"http://127.0.0.1:{self.env['OMS_DAGSTER_PORT']}"

    def processes_left(self) -> list[int]:
        """Pids of any process still running with this product's data folder in its environment."""
        marker = f"OMS_DATA_DIR={self.data_dir}".encode()
        left = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    left.append(int(entry.name))
            except OSError:
                continue
        return left

    def wait_for_output(self, pattern: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [line for line in self.output if pattern in line]
            if found:
                return found[0]
            time.sleep(0.5)
        raise AssertionError(f"oms up never printed {pattern!r}:\n" + "".join(self.output))

    def interrupt(self, timeout: float = 90) -> int:
        """Ctrl-C, as a person at the terminal would press it."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=timeout)


def start_product(data_dir: Path, timeout: float = 300) -> RunningProduct:
    env = {
        **os.environ,
        "OMS_DATA_DIR": str(data_dir),
        "OMS_PORT": str(free_port()),
        "OMS_DAGSTER_PORT": str(free_port()),
        "OMS_STREAMLIT_PORT": str(free_port()),
        "OMS_API_KEY": TEST_API_KEY,
        "OMS_DEMO_PASSWORD": TEST_PASSWORD,
        "OMS_DEMO_SCALE": "0.05",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "oms_ops.cli", "up"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    product = RunningProduct(data_dir, env, process)
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            product.output.append(line)
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if READY_LINE in lines.get(timeout=1):
                return product
        except queue.Empty:
            if process.poll() is not None:
                break
    for pid in [process.pid, *product.processes_left()]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    raise RuntimeError("oms up did not get ready:\n" + "".join(product.output))
