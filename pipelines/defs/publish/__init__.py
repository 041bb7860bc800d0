"""marts.duckdb: publish, reconcile, schedule."""
