"""The dbt project and its manifest, which Dagster reads to know the models.

target/ is not committed: the manifest is parsed when it is missing or older than any file of the project
into a private folder first and then swapped in, so two
processes loading at once never read a half-written file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[3] / "dbt_project"
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "macros", "tests")


def dbt_executable(name: str = "dbt") -> str:
    """The dbt of this virtual environment, whether or not its bin folder is on PATH.

    `oms-dbt` is the same dbt, run by the warm dbt when one listens (pipelines/defs/dbt/warm.py)."""
    beside_python = Path(sys.executable).parent / name
    return str(beside_python) if beside_python.exists() else name


def newest_source_mtime(project_dir: Path) -> float:
    newest = 0.0
    for name in PROJECT_FILES:
        root = project_dir / name
        paths = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        newest = max([newest, *(p.stat().st_mtime for p in paths)])
    return newest


def manifest_is_stale(project: DbtProject) -> bool:
    manifest = project.manifest_path
    return not manifest.exists() or manifest.stat().st_mtime < newest_source_mtime(project.project_dir)


def parse_manifest(project: DbtProject) -> Path:
    """Run `dbt parse` into a private target folder and swap its manifest.json in atomically."""
    target = project.project_dir / project.target_path
    private = target / f".parse-{uuid.uuid4().hex}"
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_LOG_PATH": str(private)}
    try:
        subprocess.run(
            [dbt_executable(), "parse", "--quiet", "--target-path", str(private)],
            cwd=project.project_dir,
            env={**env, "DBT_PROFILES_DIR": str(project.profiles_dir), "DBT_PROJECT_DIR": str(project.project_dir)},
            check=True,
            capture_output=True,
            text=True,
        )
        os.replace(private / "manifest.json", project.manifest_path)
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"dbt parse failed in {project.project_dir}:\n{exc.stdout}\n{exc.stderr}") from exc
    finally:
        shutil.rmtree(private, ignore_errors=True)
    return project.manifest_path


def prepared_project(project_dir: Path = DBT_PROJECT_DIR) -> DbtProject:
    project = DbtProject(project_dir=project_dir)
    if manifest_is_stale(project):
        parse_manifest(project)
    return project


oms_dbt_project = prepared_project()
