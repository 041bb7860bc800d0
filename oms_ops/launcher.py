"""`oms up`: the whole product on one machine — server, demo data, Dagster, Streamlit — stopped by Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from oms_ops.settings import Settings

REPO = Path(__file__).resolve().parent.parent
DEMO_MARKER = ".demo_loaded"
TELEMETRY_OFF = {
    "DAGSTER_DISABLE_TELEMETRY": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
}


@dataclass
class Service:
    name: str
    command: list[str]
    ready_url: str = ""  # none: nothing waits for it
    essential: bool = True  # when it stops, `oms up` stops everything
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, env: dict[str, str], log_dir: Path) -> None:
        log = open(log_dir / f"{self.name}.log", "ab")  # noqa: SIM115 - the child writes it for its whole life
        # Its own process group, so one signal reaches the service and every child it spawns.
        self.process = subprocess.Popen(
            self.command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, grace: float = 20.0) -> None:
        """SIGINT to the whole process group, then SIGTERM, then SIGKILL, until no process of it is left."""
        if self.process is None:
            return
        group = self.process.pid
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                break
            if _group_gone(self.process, group, grace):
                break
        self.process.wait()


def _group_gone(leader: subprocess.Popen[bytes], group: int, timeout: float) -> bool:
    """Wait for the leader and every other process of its group to end; the leader is reaped as it goes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        leader.poll()
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def wait_until_ready(url: str, timeout: float, alive: Callable[[], bool] = lambda: True) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False


def prepare_data_dir(settings: Settings) -> Path:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    dagster_yaml = settings.dagster_home / "dagster.yaml"
    template = REPO / "pipelines" / "dagster.yaml"
    dagster_yaml.write_text(template.read_text() if template.exists() else "telemetry:\n  enabled: false\n")
    logs = settings.data_dir / "logs"
    logs.mkdir(exist_ok=True)
    return logs


def child_env(settings: Settings) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        **settings.child_env(),
        **TELEMETRY_OFF,
        "DAGSTER_HOME": str(settings.dagster_home.resolve()),
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
    }


def services(settings: Settings) -> tuple[Service, Service, Service, Service]:
    python = sys.executable
    server = Service("server", [python, "-m", "oms_ops.cli", "serve"], f"{settings.base_url}/api/v1/health")
    # dbt imported once, so that the hourly build does not spend seconds importing it (pipelines/defs/dbt/warm.py);
    # without it builds run in a fresh dbt, slower but the same.
    warm_dbt = Service("dbt", [python, "-m", "pipelines.defs.dbt.warm"], essential=False)
    dagster = Service(
        "dagster",
        [
            python,
            "-m",
            "dagster",
            "dev",
            "-m",
            "pipelines.definitions",
            "-h",
            settings.host,
            "-p",
            str(settings.dagster_port),
        ],
        f"{settings.dagster_url}/server_info",
    )
    streamlit = Service(
        "streamlit",
        [
            python,
            "-m",
            "streamlit",
            "run",
            "dashboards/app.py",
            "--server.headless",
            "true",
            "--server.address",
            settings.host,
            "--server.port",
            str(settings.streamlit_port),
            "--browser.gatherUsageStats",
            "false",
        ],
        f"http://{settings.host}:{settings.streamlit_port}/_stcore/health",
    )
    return server, warm_dbt, dagster, streamlit


def load_demo_once(settings: Settings) -> None:
    marker = settings.data_dir / DEMO_MARKER
    if marker.exists():
        print("Demo data already loaded; reusing", settings.data_dir)
        return
    from oms_ops.client import OmsClient
    from oms_ops.demo import generate, load_demo

    print("First start: generating and loading demo data ...", flush=True)
    started = time.monotonic()
    with OmsClient(settings.base_url, token=settings.pipeline_api_key, timeout=600) as client:
        counts = load_demo(client, generate(seed=settings.demo_seed, scale=settings.demo_scale), settings.demo_password)
    marker.write_text(str(counts))
    print(f"Demo data loaded in {time.monotonic() - started:.1f} s: {counts}", flush=True)


def refresh_marts_when_ready(settings: Settings, dagster: Service, stopping: threading.Event) -> None:
    if not wait_until_ready(dagster.ready_url, 180, lambda: dagster.running() and not stopping.is_set()):
        if stopping.is_set():
            return
        print("Dagster did not come up; see", settings.data_dir / "logs" / "dagster.log", flush=True)
        return
    from oms_ops.services.pipeline import launch_refresh

    try:
        run = launch_refresh(settings)
        print(f"Pipeline run {run['run_id']} started: {settings.dagster_url}/runs/{run['run_id']}", flush=True)
    except Exception as exc:  # reported, not fatal: the schedule and the button can run it later
        print(f"Could not start the first pipeline run: {exc}", flush=True)


def banner(settings: Settings) -> str:
    users = ", ".join(("admin", "sales", "warehouse", "finance", "manager", "analyst"))
    return (
        "\nOMS is running. Ctrl-C stops everything.\n"
        f"  Web app (sign in here): http://{settings.host}:{settings.streamlit_port}\n"
        f"  Dagster:                {settings.dagster_url}\n"
        f"  API docs:               {settings.base_url}/docs\n"
        f"  Demo users:             {users}   password: {settings.demo_password}\n"
        f"  Data folder:            {settings.data_dir.resolve()}\n"
    )


def run_everything(settings: Settings) -> int:
    logs = prepare_data_dir(settings)
    env = child_env(settings)
    os.environ.update({k: v for k, v in env.items() if k.startswith("OMS_")})
    all_services = services(settings)
    server, warm_dbt, dagster, streamlit = all_services
    stopping = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    started = time.monotonic()
    try:
        server.start(env, logs)
        if not wait_until_ready(server.ready_url, 60, server.running):
            print("The server did not start; see", logs / "server.log")
            return 1
        load_demo_once(settings)
        warm_dbt.start(env, logs)
        dagster.start(env, logs)
        streamlit.start(env, logs)
        if wait_until_ready(streamlit.ready_url, 60, streamlit.running):
            print(f"UI answers after {time.monotonic() - started:.1f} s", flush=True)
        print(banner(settings), flush=True)
        threading.Thread(target=refresh_marts_when_ready, args=(settings, dagster, stopping), daemon=True).start()
        while not stopping.is_set():
            dead = [s.name for s in all_services if s.essential and not s.running()]
            if dead:
                print(f"{', '.join(dead)} stopped unexpectedly; see {logs}. Stopping the rest.")
                return 1
            if warm_dbt.process is not None and not warm_dbt.running():
                print(f"The warm dbt stopped (see {logs / 'dbt.log'}); builds now start a fresh dbt.", flush=True)
                warm_dbt.process = None
            stopping.wait(1)
        return 0
    finally:
        print("Stopping ...", flush=True)
        for service in reversed(all_services):
            service.stop()
        print("All stopped.", flush=True)
