"""Demo data of a B2B distributor: generate it (deterministic by seed) and load it through the API."""

from __future__ import annotations

from oms_ops.demo.generate import SCHEMAS, DemoData, generate
from oms_ops.demo.load import DEMO_USERS, load_demo

__all__ = ["DEMO_USERS", "SCHEMAS", "DemoData", "generate", "load_demo"]
