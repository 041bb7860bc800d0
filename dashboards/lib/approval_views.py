"""An order's approvals as rows a person reads: which rule, why, who decided what and when."""

from __future__ import annotations

from typing import Any

from dashboards.lib import formatting
from oms_ops.contracts import ApprovalOut

DECISIONS = {"pending": "Waiting", "approved": "Approved", "rejected": "Rejected", "void": "Void (order changed)"}


def approval_rows(approvals: list[ApprovalOut], locale: str, timezone: str) -> list[dict[str, Any]]:
    """Newest version first; within a version, level by level."""
    ordered = sorted(approvals, key=lambda a: (-a.version, a.level, a.request_id))
    return [
        {
            "Version": a.version,
            "Level": a.level,
            "Rule": a.rule_name,
            "Why": a.why,
            "Approver": " or ".join(a.roles),
            "Decision": DECISIONS.get(a.status, a.status),
            "By": a.decided_by or "",
            "When": formatting.moment(a.decided_at, locale, timezone) if a.decided_at else "",
            "Comment": a.comment or "",
        }
        for a in ordered
    ]
