"""The inbox folders: which files are complete (their size and time stayed the same for a sensor tick) and where
a processed file goes. Pure functions over paths, so the sensor and the job stay short."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PROCESSED = "processed"
FAILED = "failed"
RETRIES = 3  # new runs for a file whose run failed but left it in the inbox (a transient failure)


@dataclass(frozen=True)
class InboxFile:
    channel: str
    path: Path
    size: int
    modified_ns: int

    @property
    def run_key(self) -> str:
        return f"{self.channel}/{self.path.name}:{self.size}:{self.modified_ns}"


def files_waiting(inbox: Path) -> list[InboxFile]:
    """Files directly under inbox/<channel>/, oldest first; hidden and partial (.part, .tmp) files are not ready."""
    found = []
    for folder in sorted(p for p in inbox.glob("*") if p.is_dir() and not p.name.startswith(".")):
        for path in folder.iterdir():
            if path.is_file() and not path.name.startswith(".") and path.suffix not in (".part", ".tmp"):
                stat = path.stat()
                found.append(InboxFile(folder.name, path, stat.st_size, stat.st_mtime_ns))
    return sorted(found, key=lambda f: (f.modified_ns, str(f.path)))


def complete_files(inbox: Path, cursor: str | None) -> tuple[list[InboxFile], str]:
    """Files seen with the same size and time at the previous tick (so no longer being written), and the new cursor."""
    seen = json.loads(cursor) if cursor else {}
    waiting = files_waiting(inbox)
    ready = [f for f in waiting if seen.get(str(f.path)) == [f.size, f.modified_ns]]
    return ready, json.dumps({str(f.path): [f.size, f.modified_ns] for f in waiting})


def next_run_key(file: InboxFile, earlier_runs_failed: list[bool]) -> str | None:
    """The run key for a file's next import, or None while one is under way, done, or out of retries.

    `earlier_runs_failed` has one entry per run already asked for the file (same size and time), oldest
    first. A refused file is moved to failed/, so a failed run whose file is still here failed for a
    passing reason (the server was down, a timeout): it gets a new run, up to RETRIES times.
    """
    if not earlier_runs_failed:
        return file.run_key
    if not earlier_runs_failed[-1] or len(earlier_runs_failed) > RETRIES:
        return None
    return f"{file.run_key}#retry{len(earlier_runs_failed)}"


def move_to(path: Path, outcome: str) -> Path:
    """Move a handled file into processed/ or failed/ beside it, never over another file, never deleting."""
    target_dir = path.parent / outcome
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    if target.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = target_dir / f"{path.stem}.{stamp}{path.suffix}"
    os.replace(path, target)
    return target
