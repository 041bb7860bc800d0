"""A warm dbt: one long-lived process that has imported dbt once and forks a fresh child for every command.

A fresh `dbt build` spends ~3 s importing dbt and its adapter before it reads a file, a third of the hourly
incremental build at scale 10 (benchmarks/README.md). `oms up` starts `serve()`. `oms-dbt`, the dbt executable
the pipelines' dbt resource runs, hands its command line, working folder, environment and standard streams to
it over a Unix socket, passes on Ctrl-C and termination, and exits with the child's exit code; dagster-dbt sees
the same output and exit code as from dbt itself. With no warm dbt listening it simply runs dbt in-process.

Each command runs in a child forked from a process that has done nothing but import, so nothing of one build
(flags, adapter registrations, caches, open files) reaches the next. The socket lives in a folder only this user
can enter: whoever can connect can run dbt as us.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

SOCKET_ENV = "OMS_DBT_SOCKET"
# What a build imports: dbt's command line, the DuckDB adapter and the tasks and parsers it loads only when run.
PRELOAD = (
    "dbt.cli.main",
    "dbt.adapters.duckdb",
    "dbt.adapters.duckdb.impl",
    "dbt.task.build",
    "dbt.task.compile",
    "dbt.parser.manifest",
    "dbt.graph",
    "agate",
    "duckdb",
)
LENGTH = struct.Struct("!I")
EXIT = struct.Struct("!i")
STANDARD_STREAMS = (0, 1, 2)
MAX_SOCKET_PATH = 100
NO_EXIT_CODE = 1
STARTUP_SECONDS = 60  # the child ended without reporting one (killed): a failed command to dagster-dbt


def socket_path(environ: Mapping[str, str] = os.environ) -> Path:
    """OMS_DBT_SOCKET, else run/dbt.sock in the data folder (OMS_DATA_DIR, else ./data), which every process
    `oms up` starts sees the same; under /tmp when that path is too long for a Unix socket (107 bytes)."""
    explicit = environ.get(SOCKET_ENV)
    if explicit:
        return Path(explicit)
    data_dir = Path(environ.get("OMS_DATA_DIR", "data")).resolve()
    beside_data = data_dir / "run" / "dbt.sock"
    if len(str(beside_data).encode()) <= MAX_SOCKET_PATH:
        return beside_data
    digest = hashlib.sha256(str(data_dir).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"oms-dbt-{digest}" / "dbt.sock"


# -- the server ----------------------------------------------------------------------------------


def serve(path: Path, preload: Sequence[str] = PRELOAD) -> None:
    """Import dbt, listen on `path` and fork a child per connection until SIGINT or SIGTERM."""
    if len(str(path).encode()) > MAX_SOCKET_PATH:
        raise SystemExit(f"{path} is too long for a Unix socket: set {SOCKET_ENV} to a shorter path.")
    listener = _listen(path)  # callers that connect meanwhile wait for the imports, still sooner than a fresh dbt
    for module in preload:
        importlib.import_module(module)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are never waited for: the kernel reaps them
    stop = _stop_on_signals(listener)
    print(f"warm dbt listening on {path} (pid {os.getpid()})", flush=True)
    try:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                break  # the listener was closed by a stop signal
            sys.stdout.flush()
            sys.stderr.flush()
            if os.fork() == 0:
                code = NO_EXIT_CODE
                try:
                    listener.close()
                    code = _run_child(connection)
                finally:
                    os._exit(code)  # never back into the accept loop, whatever happened
            connection.close()
    finally:
        listener.close()
        path.unlink(missing_ok=True)


def _listen(path: Path) -> socket.socket:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = path.parent.stat()
    if folder.st_uid != os.getuid() or folder.st_mode & 0o077:
        raise SystemExit(
            f"{path.parent} must be a folder only its owner can enter (mode 700): whoever can reach the socket"
            f" can run dbt as this user. Set {SOCKET_ENV} to a path in such a folder."
        )
    if path.exists():
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(str(path))
        except OSError:
            path.unlink()  # left by a warm dbt that did not stop cleanly
        else:
            raise SystemExit(f"A warm dbt already listens on {path}.")
        finally:
            probe.close()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(8)
    return listener


def _stop_on_signals(listener: socket.socket) -> threading.Event:
    """SIGINT / SIGTERM close the listener, which ends the accept loop (no thread: the server must fork safely)."""
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()
        listener.shutdown(socket.SHUT_RDWR)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    return stop


def _run_child(connection: socket.socket) -> int:
    """In the forked child: take the caller's streams, folder and environment, run dbt, report its exit code.

    One line per command goes to the warm dbt's own output (its log under `oms up`)."""
    for signum, handler in (
        (signal.SIGCHLD, signal.SIG_DFL),
        (signal.SIGTERM, signal.SIG_DFL),
        (signal.SIGINT, signal.default_int_handler),
    ):
        signal.signal(signum, handler)
    own_output = os.dup(1)
    started = time.monotonic()
    request = _receive_request(connection)
    if request is None:
        return 0  # a probe: connected and hung up
    sys.stdout = open(1, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115 - the child's own stdout
    sys.stderr = open(2, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    finished = threading.Event()
    threading.Thread(target=_relay_signals, args=(connection, finished), daemon=True).start()
    code = run_dbt(request["args"])
    sys.stdout.flush()
    sys.stderr.flush()
    finished.set()
    connection.sendall(EXIT.pack(code))
    command = " ".join(str(arg) for arg in request["args"][:1])
    seconds = time.monotonic() - started
    os.write(own_output, f"pid {os.getpid()}: dbt {command} exited {code} after {seconds:.1f} s\n".encode())
    return code


def _receive_request(connection: socket.socket) -> dict[str, Any] | None:
    header, fds, _, _ = socket.recv_fds(connection, LENGTH.size, len(STANDARD_STREAMS))
    if not header:
        return None
    header += _receive_exactly(connection, LENGTH.size - len(header))
    if len(fds) != len(STANDARD_STREAMS):
        raise SystemExit(f"warm dbt: expected the caller's {len(STANDARD_STREAMS)} standard streams, got {len(fds)}")
    for fd, target in zip(fds, STANDARD_STREAMS, strict=True):
        os.dup2(fd, target)
        os.close(fd)
    (size,) = LENGTH.unpack(header)
    request: dict[str, Any] = json.loads(_receive_exactly(connection, size))
    return request


def _receive_exactly(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise SystemExit("warm dbt: the caller hung up before its request was complete")
        data += chunk
    return data


def _relay_signals(connection: socket.socket, finished: threading.Event) -> None:
    """Each byte from the caller is a signal it received (Ctrl-C, termination); its hanging up ends the command."""
    while True:
        try:
            received = connection.recv(1)
        except OSError:
            received = b""
        if finished.is_set():
            return
        os.kill(os.getpid(), received[0] if received else signal.SIGTERM)
        if not received:
            return


def run_dbt(args: list[str]) -> int:
    """dbt's own command line, as its `dbt` script runs it."""
    from dbt.cli.main import cli

    sys.argv = ["dbt", *args]
    try:
        cli.main(args=args, prog_name="dbt")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


def start(path: Path, log: Path) -> subprocess.Popen[bytes]:
    """A warm dbt in a process of its own (for benchmarks and tests; `oms up` starts its own), once it listens."""
    with open(log, "ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.defs.dbt.warm"],
            env={**os.environ, SOCKET_ENV: str(path)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + STARTUP_SECONDS
    while process.poll() is None and time.monotonic() < deadline:
        connection = _connect(path)
        if connection is not None:
            connection.close()  # the child forked for this probe finds no request and ends
            return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the warm dbt did not start listening on {path}: see {log}")


# -- the caller: `oms-dbt` -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """`oms-dbt ARGS`: run `dbt ARGS` in the warm dbt when one listens, else in this process."""
    args = list(sys.argv[1:] if argv is None else argv)
    connection = _connect(socket_path())
    if connection is None:
        return run_dbt(args)
    with connection:
        request = json.dumps({"args": args, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
        socket.send_fds(connection, [LENGTH.pack(len(request))], list(STANDARD_STREAMS))
        connection.sendall(request)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda received, frame: connection.send(bytes([received])))
        answer = b""
        while len(answer) < EXIT.size:
            chunk = connection.recv(EXIT.size - len(answer))
            if not chunk:
                print("oms-dbt: the warm dbt's child ended without an exit code", file=sys.stderr)
                return NO_EXIT_CODE
            answer += chunk
        (code,) = EXIT.unpack(answer)
        return int(code)


def _connect(path: Path) -> socket.socket | None:
    if not path.exists():
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(path))
    except OSError:
        connection.close()
        return None
    return connection


def console() -> None:
    sys.exit(main())


if __name__ == "__main__":
    serve(socket_path())
