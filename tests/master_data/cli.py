"""Running the `oms` command in the test process, against a test server."""

from __future__ import annotations

import pytest

from oms_ops.cli import main
from tests.conftest import RunningServer


def run_cli(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """`oms ARGS` against the server, in this process (a subprocess spends seconds importing): (status, out, err)."""
    for name, value in server.env.items():
        if name.startswith("OMS_"):
            monkeypatch.setenv(name, value)
    status, message = 0, ""
    try:
        main(list(args))
    except SystemExit as stop:
        status, message = (stop.code, "") if isinstance(stop.code, int) else (1, str(stop.code))
    captured = capsys.readouterr()
    return status, captured.out, captured.err + message
