"""Starting a refresh of the marts in Dagster on behalf of a permitted user."""

from __future__ import annotations

from oms_ops.domain.errors import Unavailable
from oms_ops.settings import Settings

REFRESH_JOB = "refresh_marts"


def launch_refresh(settings: Settings) -> dict[str, str]:
    """The caller has checked the role; Dagster is asked through its webserver so the run shows in its UI."""
    try:
        from pipelines.launch import launch_refresh as launch  # Dagster's client is heavy: load it on first use

        run_id = launch(settings.dagster_url)
    except Exception as exc:  # the GraphQL client raises many kinds when Dagster is down or busy
        raise Unavailable(f"The pipeline could not be started: Dagster at {settings.dagster_url} said: {exc}") from exc
    return {"run_id": run_id, "job_name": REFRESH_JOB}
