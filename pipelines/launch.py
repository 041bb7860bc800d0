"""Starting `refresh_marts` through the Dagster webserver, so the run shows (and is queued) like any other."""

from __future__ import annotations

from urllib.parse import urlparse

REFRESH_JOB = "refresh_marts"


def launch_refresh(dagster_url: str, timeout_seconds: int = 30) -> str:
    """Submit a run of refresh_marts to the Dagster at dagster_url (e.g. http://127.0.0.1:3000); returns its run id.

    Raises dagster_graphql.DagsterGraphQLClientError when Dagster refuses, or a connection error when it is down.
    """
    from dagster_graphql import DagsterGraphQLClient  # heavy: only when a run is asked for

    url = urlparse(dagster_url)
    if not url.hostname:
        raise ValueError(f"Not a Dagster URL: {dagster_url!r}")
    client = DagsterGraphQLClient(
        url.hostname,
        port_number=url.port,
        use_https=url.scheme == "https",
        timeout=timeout_seconds,
        path_prefix=url.path.rstrip("/"),
    )
    return client.submit_job_execution(REFRESH_JOB, tags={"oms/launched_by": "oms_ops"})
