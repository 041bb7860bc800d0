from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The person or system a use case runs for."""

    username: str
    roles: tuple[str, ...]
