# Two commands do everything on a fresh machine with Python 3.11: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export DAGSTER_DISABLE_TELEMETRY := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export STREAMLIT_BROWSER_GATHER_USAGE_STATS := false

.PHONY: run test test-browser test-all lint bench bench-marts bench-import install clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

install: .venv/.synced

run: install  ## the whole product on demo data: server, Dagster, Streamlit
	$(UV) run --frozen oms up

test: install  ## the test suite (all layers, the browser test included when Chromium is installed)
	$(UV) run --frozen pytest

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy

bench: install  ## throughput benchmarks with ratios against direct DuckDB
	$(UV) run --frozen python benchmarks/bench_orders.py
	$(UV) run --frozen python benchmarks/bench_lifecycle.py

bench-import: install  ## a 1,000,000-line channel import end to end, next to DuckDB's own read_csv
	$(UV) run --frozen python benchmarks/bench_import.py --lines 1000000

bench-marts: install  ## the marts at demo scale 10: dbt build times, direct DuckDB ratio, page renders (heavy)
	$(UV) run --frozen python benchmarks/bench_marts.py --scale 10

clean:
	rm -rf data .venv .tools
