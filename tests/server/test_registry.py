"""The registry: tiers, dependency order, and clear start-up errors for a broken graph."""

from __future__ import annotations

import pytest

from orion_server.modules import registry
from orion_server.modules.base import ModuleDefinition
from orion_server.modules.registry import ModuleGraphError, order_modules

SEED_TIERS = {
    "core": {"contracts", "core", "tenancy", "cms", "customers", "billing", "payments", "messaging"},
    "optional": {"analytics", "cart", "catalog", "checkout", "inventory", "loyalty", "marketplace", "orders"},
    "internal": {"dev-tools", "monitoring"},
}
SEED_REQUIRES = {
    "cart": {"inventory"},
    "catalog": {"inventory"},
    "checkout": {"cart", "orders", "customers"},
    "loyalty": {"customers"},
    "marketplace": {"inventory"},
}


def _m(code: str, requires: list[str] | None = None, core: bool = False) -> ModuleDefinition:
    return ModuleDefinition(code=code, name=code, requires=requires or [], is_core=core)


def test_all_eighteen_seed_modules_are_discovered_in_their_tiers():
    """Every module of the seed is found with the seed's tier."""
    for tier, codes in SEED_TIERS.items():
        assert {c for c in registry.MODULES if registry.get_module_tier(c) == tier} == codes
    assert registry.get_core_module_codes() == SEED_TIERS["core"]


def test_optional_modules_require_what_the_seed_says():
    """requires matches the seed's table for every optional module."""
    for code in SEED_TIERS["optional"]:
        assert set(registry.get_module(code).requires) == SEED_REQUIRES.get(code, set())


def test_modules_come_after_what_they_require():
    """MODULES is in dependency order."""
    order = list(registry.MODULES)
    for code, module in registry.MODULES.items():
        for required in module.requires:
            assert order.index(required) < order.index(code)


def test_duplicate_codes_stop_start_up():
    """Two modules with one code give one clear message."""
    with pytest.raises(ModuleGraphError, match="duplicate module code 'a'"):
        order_modules([_m("a"), _m("a")])


def test_unknown_requirement_stops_start_up():
    """A requirement naming no module is refused."""
    with pytest.raises(ModuleGraphError, match="requires unknown module 'ghost'"):
        order_modules([_m("a", ["ghost"])])


def test_cycle_is_named_in_the_message():
    """A cycle is reported as a -> b -> a."""
    with pytest.raises(ModuleGraphError, match="a -> b -> a"):
        order_modules([_m("a", ["b"]), _m("b", ["a"])])


def test_core_module_requiring_optional_one_stops_start_up():
    """Core modules may only require core modules."""
    with pytest.raises(ModuleGraphError, match="core module 'a' requires non-core module 'b'"):
        order_modules([_m("a", ["b"], core=True), _m("b")])


def test_every_field_of_the_definition_has_a_docstring():
    """The contract documents each field in one line, like a hookspec."""
    import ast
    import inspect

    from orion_server.modules import base

    tree = ast.parse(inspect.getsource(base.ModuleDefinition))
    body = tree.body[0].body
    fields = [n.target.id for n in body if isinstance(n, ast.AnnAssign)]
    documented = {
        body[i].target.id
        for i in range(len(body) - 1)
        if isinstance(body[i], ast.AnnAssign)
        and isinstance(body[i + 1], ast.Expr)
        and isinstance(body[i + 1].value, ast.Constant)
    }
    assert set(fields) == documented
    for name in ("code", "name", "description", "version", "requires", "features", "permissions", "menu_items",
                 "context_providers", "is_core", "is_internal", "listeners", "provides", "metrics_provider",
                 "widget_provider", "health_check"):
        assert name in fields
