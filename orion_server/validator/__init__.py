"""The architecture validator behind ``orion validate``.

``validate_tree(root)`` reads every module under ``root/modules`` (and in extra module
paths) from disk and syntax trees only, never importing module code, and returns the
findings of the rules in ``RULES`` (MOD-001..MOD-023 from the module system's description,
ORION-101..113 for imports, dependencies, permissions, translations, wiring and the event loop).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from orion_server.validator import (
    rules_definition,
    rules_imports,
    rules_layout,
    rules_locales,
    rules_permissions,
    rules_routes,
    rules_structure,
)
from orion_server.validator.findings import Finding, Severity, format_finding
from orion_server.validator.rules import RULES, Rule
from orion_server.validator.tree import scan

__all__ = ["RULES", "Finding", "Rule", "Severity", "format_finding", "validate_tree"]


def validate_tree(root: Path, extra_paths: Iterable[Path] = ()) -> list[Finding]:
    """Every finding for the tree at ``root``, sorted by path, line and rule.

    ``extra_paths`` are folders whose sub-folders are modules too (ORION_MODULE_PATHS).
    """
    root = Path(root)
    tree = scan(root, [Path(p) for p in extra_paths])
    findings: set[Finding] = set()
    for rules in (
        rules_structure,
        rules_layout,
        rules_routes,
        rules_definition,
        rules_imports,
        rules_permissions,
        rules_locales,
    ):
        findings.update(rules.check(tree))
    return sorted(findings)
