"""What the validator reports: a ``Finding`` with a rule id, a ``Severity`` and a place."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    """How bad a finding is; only ERROR fails ``orion validate``."""

    ERROR = "ERROR"
    WARNING = "WARNING"
    INFO = "INFO"


@dataclass(frozen=True, order=True)
class Finding:
    """One breach of one rule, at one place in the tree."""

    path: str
    """File or folder, relative to the validated root (posix separators)."""
    line: int
    """Line in ``path``; 1 when the finding is about a whole file or folder."""
    rule: str
    """Rule id, e.g. ``MOD-001`` or ``ORION-104``."""
    severity: Severity
    """Severity of the rule, from the RULES table."""
    message: str
    """One sentence saying what is wrong and what to do."""


def format_finding(finding: Finding) -> str:
    """``path:line: RULE [SEVERITY] message``, the line ``orion validate`` prints."""
    return (
        f"{finding.path}:{finding.line}: {finding.rule} "
        f"[{finding.severity.value}] {finding.message}"
    )
