"""Persistence: the one DuckDB connection, transactions, migrations and the queries services need."""
