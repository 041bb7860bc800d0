"""Each dbt run of the pipeline leaves its parse for the next one."""

from __future__ import annotations

from pathlib import Path

from pipelines.defs.dbt.assets import PARTIAL_PARSE, keep_partial_parse


def test_a_runs_partial_parse_replaces_the_one_the_next_run_starts_from(tmp_path: Path) -> None:
    run_target = tmp_path / "target" / "oms_dbt_models-run1"
    run_target.mkdir(parents=True)
    (run_target / PARTIAL_PARSE).write_bytes(b"parsed by run 1")
    (tmp_path / "target" / PARTIAL_PARSE).write_bytes(b"older")

    keep_partial_parse(run_target, tmp_path / "target")

    assert (tmp_path / "target" / PARTIAL_PARSE).read_bytes() == b"parsed by run 1"
    assert sorted(p.name for p in (tmp_path / "target").iterdir()) == ["oms_dbt_models-run1", PARTIAL_PARSE]


def test_a_run_without_a_parse_file_leaves_the_last_one(tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    (tmp_path / PARTIAL_PARSE).write_bytes(b"older")

    keep_partial_parse(tmp_path / "run", tmp_path)

    assert (tmp_path / PARTIAL_PARSE).read_bytes() == b"older"
