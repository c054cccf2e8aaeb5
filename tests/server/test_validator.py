"""The architecture validator: one test per rule on a fixture tree, and the real tree passes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from orion_server.validator import (
    RULES,
    Finding,
    Severity,
    format_finding,
    validate_tree,
)

LANGUAGES = ("en", "de", "fr", "lb")
REPO_ROOT = Path(__file__).parents[2]


# Fixture trees ---------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path``, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """Line number of the first line of ``path`` containing ``needle``."""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def make_root(tmp_path: Path) -> Path:
    """An empty tree with a ``modules`` package."""
    root = tmp_path / "tree"
    write(root / "modules" / "__init__.py", '"""Modules."""\n')
    return root


def definition_source(
    code: str,
    *,
    prefix: str,
    is_core: bool,
    is_internal: bool,
    requires: Sequence[str],
    features: Sequence[str],
    permissions: Sequence[str],
    menu: Sequence[tuple[str, str, str | None]],
    extra: str,
    omit: Iterable[str],
) -> str:
    """Source of a definition.py with one keyword per line."""
    omit = set(omit)
    lines = [
        '"""Fixture module definition."""',
        "",
        "from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition",
        "from orion_server.modules.enums import FrontendType",
        "",
        "module = ModuleDefinition(",
    ]
    simple = {
        "code": repr(code),
        "name": repr(code.title()),
        "description": repr(f"The {code} fixture module."),
        "version": repr("1.0.0"),
        "is_core": repr(is_core),
        "is_internal": repr(is_internal),
        "requires": repr(list(requires)),
        "features": repr(list(features)),
    }
    for key, value in simple.items():
        if key not in omit:
            lines.append(f"    {key}={value},")
    lines.append("    permissions=[")
    for permission in permissions:
        suffix = permission.rsplit(".", 1)[-1]
        lines.append(
            f"        PermissionDefinition(id={permission!r}, "
            f"label_key={code + '.permissions.' + suffix!r}),"
        )
    lines.append("    ],")
    if menu:
        lines.append("    menu_items={")
        for frontend, item_id, permission in menu:
            lines.append(
                f"        FrontendType.{frontend}: [MenuItem(id={item_id!r}, "
                f"label_key={code + '.menu.' + item_id!r}, path='/things', "
                f"permission={permission!r})],"
            )
        lines.append("    },")
    if extra:
        lines.append(extra)
    lines.append(")")
    return "\n".join(lines) + "\n"


def locale_keys(code: str, permissions: Sequence[str], menu: Sequence[tuple]) -> dict[str, str]:
    """The translation keys a fixture module's definition uses."""
    keys = {f"{code}.name": code.title()}
    for permission in permissions:
        keys[f"{code}.permissions.{permission.rsplit('.', 1)[-1]}"] = permission
    for _frontend, item_id, _permission in menu:
        keys[f"{code}.menu.{item_id}"] = item_id
    return keys


def make_module(
    base: Path,
    code: str,
    *,
    builtin: bool = True,
    is_core: bool = False,
    is_internal: bool = False,
    requires: Sequence[str] = (),
    features: Sequence[str] = ("things",),
    permissions: Sequence[str] | None = None,
    menu: Sequence[tuple[str, str, str | None]] | None = None,
    extra: str = "",
    omit: Iterable[str] = (),
) -> Path:
    """A complete, valid module folder ``base/<pkg>`` (``base`` is root/modules or an extra
    path); every rule passes on it."""
    package = code.replace("-", "_")
    folder = base / package
    prefix = f"modules.{package}" if builtin else package
    if permissions is None:
        permissions = [f"{code}.view"]
    if menu is None:
        menu = [("ADMIN", f"{code}-things", permissions[0] if permissions else None)]
    write(folder / "__init__.py", f'"""The {code} fixture module."""\n')
    write(
        folder / "definition.py",
        definition_source(
            code,
            prefix=prefix,
            is_core=is_core,
            is_internal=is_internal,
            requires=requires,
            features=features,
            permissions=permissions,
            menu=menu,
            extra=extra,
            omit=omit,
        ),
    )
    write(
        folder / "exceptions.py",
        f'"""Errors."""\n\n\nclass {package.title()}Error(Exception):\n    """Base."""\n',
    )
    for sub in ("services", "models", "schemas", "routes", "routes/api", "routes/pages"):
        write(folder / sub / "__init__.py", f'"""{sub}."""\n')
    guard = ""
    if permissions:
        guard = f", dependencies=[Depends(require_permission({permissions[0]!r}))]"
    write(
        folder / "routes" / "api" / "admin.py",
        '"""Admin API."""\n\n'
        "from fastapi import Depends\n\n"
        "from orion_server.deps import require_permission\n"
        "from orion_server.routing import ModuleRouter\n\n"
        "router = ModuleRouter()\n\n\n"
        f'@router.get(""{guard})\n'
        "def list_things() -> list[str]:\n"
        '    """Things."""\n'
        "    return []\n",
    )
    write(
        folder / "routes" / "pages" / "admin.py",
        '"""Admin pages."""\n\nfrom orion_server.routing import ModuleRouter\n\nrouter = ModuleRouter()\n',
    )
    write(folder / "templates" / package / "admin" / "things.html", "<p>things</p>\n")
    write(folder / "static" / "admin" / "js" / f"{package}.js", "// things\n")
    keys = locale_keys(code, permissions, menu)
    for lang in LANGUAGES:
        write(folder / "locales" / f"{lang}.json", json.dumps(keys, indent=2) + "\n")
    write(folder / "tasks" / "__init__.py", '"""Tasks."""\n')
    write(
        folder / "config.py",
        '"""Config."""\n\n\nclass Config:\n    """Settings."""\n\n\n'
        "config_class = Config\nconfig = Config()\n",
    )
    write(folder / "migrations" / "__init__.py", '"""Migrations."""\n')
    write(folder / "migrations" / "versions" / "__init__.py", '"""Revisions."""\n')
    write(
        folder / "migrations" / "versions" / f"{package}_001_create_things.py",
        f'"""Create things."""\n\nrevision = "{package}_001"\ndown_revision = None\n',
    )
    return folder


def run(root: Path, extra_paths: Sequence[Path] = ()) -> list[Finding]:
    return validate_tree(root, list(extra_paths))


def places(findings: list[Finding], rule: str) -> set[tuple[str, int]]:
    """``(path, line)`` of each finding of ``rule``."""
    return {(f.path, f.line) for f in findings if f.rule == rule}


def rules_of(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


def assert_only(findings: list[Finding], rule: str, path: str, line: int) -> None:
    """``rule`` is the only rule reported, and it is reported at ``path:line``."""
    shown = "\n".join(format_finding(f) for f in findings)
    assert rules_of(findings) == {rule}, shown
    assert (path, line) in places(findings, rule), shown
    assert all(f.severity == RULES[rule].severity for f in findings), shown


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A tree with one valid optional module, ``shop``."""
    root = make_root(tmp_path)
    make_module(root / "modules", "shop")
    return root


@pytest.fixture
def shop(root: Path) -> Path:
    return root / "modules" / "shop"


# The fixture itself ----------------------------------------------------------------------


def test_the_fixture_module_has_no_findings(root):
    """A complete fixture module passes every rule."""
    assert run(root) == []


def test_format_finding_gives_path_line_rule_severity_and_message():
    """format_finding prints ``path:line: RULE [SEVERITY] message``."""
    finding = Finding("modules/shop/definition.py", 7, "MOD-020", Severity.WARNING, "lacks name")
    assert format_finding(finding) == "modules/shop/definition.py:7: MOD-020 [WARNING] lacks name"


def test_every_rule_has_a_seed_or_orion_severity():
    """The RULES table holds MOD-001..023 and ORION-101..113 with their severities."""
    assert [r for r in RULES if r.startswith("MOD-")] == [f"MOD-{n:03d}" for n in range(1, 24)]
    assert [r for r in RULES if r.startswith("ORION-")] == [f"ORION-{n}" for n in range(101, 114)]
    assert RULES["MOD-001"].severity == Severity.ERROR
    assert RULES["MOD-006"].severity == Severity.INFO
    assert RULES["MOD-020"].severity == Severity.WARNING


# MOD rules -------------------------------------------------------------------------------


def test_a_module_without_exceptions_py_breaks_mod_001(root, shop):
    """MOD-001: a module whose services hold code names its errors in exceptions.py."""
    (shop / "exceptions.py").unlink()
    write(shop / "services" / "things.py", "def things():\n    return []\n")
    assert_only(run(root), "MOD-001", "modules/shop/exceptions.py", 1)


def test_a_module_without_services_needs_no_exceptions_py(root, shop):
    """MOD-001: a module that only routes to the framework's services has no errors of its own."""
    (shop / "exceptions.py").unlink()
    for path in sorted((shop / "services").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (shop / "services").rmdir()
    assert not [f for f in run(root) if f.rule == "MOD-001"]


def test_a_services_folder_with_files_but_no_init_breaks_mod_001(root, shop):
    """MOD-001: a services/ folder holding code is a package: it needs services/__init__.py."""
    (shop / "services" / "__init__.py").unlink()
    write(shop / "services" / "things.py", "def things():\n    return []\n")
    assert_only(run(root), "MOD-001", "modules/shop/services/__init__.py", 1)


def test_a_contracts_style_module_without_services_models_schemas_passes(tmp_path):
    """MOD-001: empty scaffold folders are not demanded; a module has the packages it needs."""
    root = make_root(tmp_path)
    folder = make_module(root / "modules", "contracts", is_core=True, permissions=[], menu=[])
    for sub in ("services", "models", "schemas", "routes", "templates", "static"):
        for path in sorted((folder / sub).rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        (folder / sub).rmdir()
    assert run(root) == []


def test_a_services_package_of_re_exports_only_breaks_mod_002(root, shop):
    """MOD-002: services/ whose files only import and list __all__ warns."""
    path = write(
        shop / "services" / "__init__.py",
        '"""Services."""\n\nfrom modules.shop.models import Thing\n\n__all__ = ["Thing"]\n',
    )
    assert_only(run(root), "MOD-002", "modules/shop/services/__init__.py", line_of(path, "import"))


def test_a_re_exporting_services_init_beside_real_code_passes(root, shop):
    """MOD-002: an __init__.py that re-exports is fine when another file has real code."""
    write(
        shop / "services" / "__init__.py",
        '"""Services."""\n\nfrom modules.shop.services.things import things\n',
    )
    write(shop / "services" / "things.py", "def things():\n    return []\n")
    assert run(root) == []


def test_a_schemas_package_of_re_exports_only_breaks_mod_003(root, shop):
    """MOD-003: schemas/ whose files only re-export warns."""
    write(shop / "schemas" / "__init__.py", '"""Schemas."""\n\nfrom .things import *  # noqa\n')
    write(shop / "schemas" / "things.py", "from pydantic import BaseModel\n")
    assert_only(run(root), "MOD-003", "modules/shop/schemas/__init__.py", 3)


def test_a_route_that_commits_breaks_mod_004(root, shop):
    """MOD-004: routes leave adding and committing rows to services."""
    path = shop / "routes" / "api" / "admin.py"
    write(
        path,
        path.read_text()
        + "\n\n@router.post('')\ndef add_thing(db) -> None:\n    db.add(object())\n    db.commit()\n",
    )
    findings = run(root)
    assert rules_of(findings) == {"MOD-004"}
    assert places(findings, "MOD-004") == {
        ("modules/shop/routes/api/admin.py", line_of(path, "db.add")),
        ("modules/shop/routes/api/admin.py", line_of(path, "db.commit")),
    }


def test_a_route_rolling_back_a_refused_form_passes(root, shop):
    """MOD-004: a rollback after a refused form changes nothing and is fine."""
    path = shop / "routes" / "api" / "admin.py"
    write(path, path.read_text() + "\n\ndef refuse(db) -> None:\n    db.rollback()\n")
    assert run(root) == []


def test_page_routes_without_static_files_break_mod_005(root, shop):
    """MOD-005: a module with page routes has static files."""
    (shop / "static" / "admin" / "js" / "shop.js").unlink()
    assert_only(run(root), "MOD-005", "modules/shop/routes/pages/admin.py", 1)


def test_page_routes_without_templates_break_mod_005(root, shop):
    """MOD-005: a module with page routes has templates/<pkg>/."""
    (shop / "templates" / "shop" / "admin" / "things.html").unlink()
    assert_only(run(root), "MOD-005", "modules/shop/routes/pages/admin.py", 1)


def test_a_permission_label_missing_from_en_json_breaks_mod_006(root, shop):
    """MOD-006: the definition's translation keys exist in the module's en.json."""
    for lang in LANGUAGES:
        path = shop / "locales" / f"{lang}.json"
        keys = json.loads(path.read_text())
        del keys["shop.permissions.view"]
        write(path, json.dumps(keys))
    definition = shop / "definition.py"
    assert_only(
        run(root),
        "MOD-006",
        "modules/shop/definition.py",
        line_of(definition, "PermissionDefinition(id="),
    )


def test_a_code_not_matching_its_folder_breaks_mod_007(root, shop):
    """MOD-007: the code matches the folder (dev-tools lives in dev_tools)."""
    definition = shop / "definition.py"
    write(definition, definition.read_text().replace("code='shop'", "code='boutique'"))
    findings = run(root)
    assert ("modules/shop/definition.py", line_of(definition, "code=")) in places(
        findings, "MOD-007"
    )


def test_an_exceptions_py_without_classes_breaks_mod_008(root, shop):
    """MOD-008: a module's exceptions.py defines its exceptions."""
    write(shop / "exceptions.py", '"""Errors."""\n')
    assert_only(run(root), "MOD-008", "modules/shop/exceptions.py", 1)


def test_a_module_folder_without_definition_breaks_mod_009(root, shop):
    """MOD-009: a module folder has a definition.py."""
    (shop / "definition.py").unlink()
    assert_only(run(root), "MOD-009", "modules/shop/definition.py", 1)


def test_a_definition_that_does_not_parse_breaks_mod_009(root, shop):
    """MOD-009: a broken definition.py is reported at its syntax error, not imported."""
    write(shop / "definition.py", '"""Broken."""\n\nmodule = ModuleDefinition(code="shop"\n')
    assert_only(run(root), "MOD-009", "modules/shop/definition.py", 3)


def test_a_route_file_without_router_breaks_mod_010(root, shop):
    """MOD-010: a mounted route file exports router, admin_router or store_router."""
    path = shop / "routes" / "api" / "admin.py"
    write(path, path.read_text().replace("router", "api"))
    assert_only(run(root), "MOD-010", "modules/shop/routes/api/admin.py", 1)


def test_a_tasks_folder_without_init_breaks_mod_011(root, shop):
    """MOD-011: tasks/ has __init__.py."""
    (shop / "tasks" / "__init__.py").unlink()
    write(shop / "tasks" / "cleanup.py", "def cleanup():\n    pass\n")
    assert_only(run(root), "MOD-011", "modules/shop/tasks/__init__.py", 1)


def test_a_locale_file_of_an_unsupported_language_breaks_mod_012(root, shop):
    """MOD-012: lu.json is never loaded (Luxembourgish is lb)."""
    write(shop / "locales" / "lu.json", "{}\n")
    assert_only(run(root), "MOD-012", "modules/shop/locales/lu.json", 1)


def test_a_config_without_config_or_config_class_breaks_mod_013(root, shop):
    """MOD-013: config.py exports config or config_class."""
    write(shop / "config.py", '"""Config."""\n\nsettings = {}\n')
    assert_only(run(root), "MOD-013", "modules/shop/config.py", 1)


def test_a_badly_named_migration_breaks_mod_014(root, shop):
    """MOD-014: revisions are named <pkg>_NNN_<what>.py."""
    write(shop / "migrations" / "versions" / "create_orders.py", '"""Orders."""\n')
    assert_only(run(root), "MOD-014", "modules/shop/migrations/versions/create_orders.py", 1)


def test_a_versions_folder_without_init_breaks_mod_015(root, shop):
    """MOD-015: migrations/ and migrations/versions/ have __init__.py."""
    (shop / "migrations" / "versions" / "__init__.py").unlink()
    assert_only(run(root), "MOD-015", "modules/shop/migrations/versions/__init__.py", 1)


def test_a_router_in_the_framework_breaks_mod_016(root):
    """MOD-016: the framework serves no pages or APIs of its own besides health."""
    path = write(
        root / "orion_server" / "orders.py",
        '"""Orders."""\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n',
    )
    write(root / "orion_server" / "health.py", "from fastapi import APIRouter\n\nrouter = APIRouter()\n")
    assert_only(run(root), "MOD-016", "orion_server/orders.py", line_of(path, "APIRouter()"))


def test_importing_another_modules_routes_breaks_mod_017(tmp_path):
    """MOD-017: a module reaches another through its services or deps, not its routes."""
    root = make_root(tmp_path)
    make_module(root / "modules", "cart")
    folder = make_module(root / "modules", "checkout", requires=["cart"])
    write(root / "modules" / "cart" / "routes" / "common.py", "def cart_token(request):\n    return None\n")
    path = write(
        folder / "services" / "checkout.py",
        '"""Checkout."""\n\nfrom modules.cart.routes.common import cart_token\n\n\n'
        "def token(request):\n    return cart_token(request)\n",
    )
    assert_only(run(root), "MOD-017", "modules/checkout/services/checkout.py", line_of(path, "routes.common"))


def test_a_task_outside_tasks_breaks_mod_018(root, shop):
    """MOD-018: huey tasks live in tasks/, which the consumer imports."""
    path = write(
        shop / "services" / "cleanup.py",
        '"""Cleanup."""\n\nfrom orion_server.task_queue import huey\n\n\n@huey.task()\ndef cleanup():\n    pass\n',
    )
    assert_only(run(root), "MOD-018", "modules/shop/services/cleanup.py", line_of(path, "@huey"))


def test_a_task_in_the_tasks_package_passes(root, shop):
    """MOD-018: the same task in tasks/ is where it belongs."""
    write(
        shop / "tasks" / "__init__.py",
        '"""Tasks."""\n\nfrom orion_server.task_queue import huey\n\n\n@huey.periodic_task(None)\ndef tick():\n    pass\n',
    )
    assert run(root) == []


def test_a_schema_in_a_route_file_breaks_mod_019(root, shop):
    """MOD-019: pydantic request and response models live in schemas/."""
    path = shop / "routes" / "api" / "admin.py"
    write(path, path.read_text() + "\n\nfrom pydantic import BaseModel\n\n\nclass ThingIn(BaseModel):\n    name: str\n")
    assert_only(run(root), "MOD-019", "modules/shop/routes/api/admin.py", line_of(path, "class ThingIn"))


def test_a_definition_without_description_breaks_mod_020(tmp_path):
    """MOD-020: code, name, description, version and features are given."""
    root = make_root(tmp_path)
    folder = make_module(root / "modules", "shop", omit=["description"])
    definition = folder / "definition.py"
    assert_only(
        run(root), "MOD-020", "modules/shop/definition.py", line_of(definition, "ModuleDefinition(")
    )


def test_menus_without_features_break_mod_021(tmp_path):
    """MOD-021: a module with menu items has features."""
    root = make_root(tmp_path)
    folder = make_module(root / "modules", "shop", features=[])
    definition = folder / "definition.py"
    assert_only(
        run(root), "MOD-021", "modules/shop/definition.py", line_of(definition, "menu_items=")
    )


def test_a_feature_module_with_admin_pages_and_no_permissions_breaks_mod_022(tmp_path):
    """MOD-022: a non-internal module with features and admin pages declares permissions."""
    root = make_root(tmp_path)
    folder = make_module(root / "modules", "shop", permissions=[])
    definition = folder / "definition.py"
    assert_only(
        run(root), "MOD-022", "modules/shop/definition.py", line_of(definition, "permissions=")
    )


def test_an_internal_module_needs_no_permissions(tmp_path):
    """MOD-022: internal modules are exempt."""
    root = make_root(tmp_path)
    make_module(root / "modules", "dev-tools", is_internal=True, permissions=[])
    assert run(root) == []


def test_a_router_that_is_never_mounted_breaks_mod_023(root, shop):
    """MOD-023: a router neither exported nor included is never mounted."""
    path = shop / "routes" / "api" / "admin.py"
    write(path, path.read_text() + "\nextra_router = ModuleRouter()\n")
    assert_only(
        run(root), "MOD-023", "modules/shop/routes/api/admin.py", line_of(path, "extra_router")
    )


def test_a_fastapi_router_in_a_route_file_breaks_mod_010(root, shop):
    """MOD-010: the framework mounts ModuleRouters; a plain APIRouter would build every route twice."""
    path = write(
        shop / "routes" / "pages" / "admin.py",
        '"""Admin pages."""\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n',
    )
    assert_only(run(root), "MOD-010", "modules/shop/routes/pages/admin.py", line_of(path, "router = APIRouter()"))


def test_an_included_sub_router_is_mounted(root, shop):
    """MOD-023: a sub-router passed to include_router is fine."""
    write(
        shop / "routes" / "api" / "admin_things.py",
        "from orion_server.routing import ModuleRouter\n\nthings_router = ModuleRouter()\n",
    )
    path = shop / "routes" / "api" / "admin.py"
    write(
        path,
        path.read_text() + "\nfrom .admin_things import things_router as sub  # noqa: E402\n\n"
        "router.include_router(sub)\n",
    )
    assert run(root) == []


# ORION rules -----------------------------------------------------------------------------


def test_importing_a_module_not_in_requires_breaks_orion_101(root, shop):
    """ORION-101: an import of another module needs it in requires."""
    make_module(root / "modules", "stock")
    path = write(
        shop / "services" / "things.py",
        '"""Things."""\n\n\ndef things():\n'
        "    from modules.stock.services import levels\n\n    return levels\n",
    )
    assert_only(run(root), "ORION-101", "modules/shop/services/things.py", line_of(path, "stock"))


def test_a_relative_import_escaping_the_package_breaks_orion_101(root, shop):
    """ORION-101: ``from ...stock import services`` reaches another module too."""
    make_module(root / "modules", "stock")
    path = write(
        shop / "services" / "things.py",
        '"""Things."""\n\nfrom ...stock import services\n\nTHINGS = services\n',
    )
    assert_only(run(root), "ORION-101", "modules/shop/services/things.py", line_of(path, "stock"))


def test_imports_of_required_modules_and_contracts_pass(tmp_path):
    """ORION-101: requires and modules.contracts make imports legal."""
    root = make_root(tmp_path)
    make_module(root / "modules", "stock")
    make_module(root / "modules", "contracts", is_core=True)
    folder = make_module(root / "modules", "shop", requires=["stock"])
    write(
        folder / "services" / "things.py",
        "from modules.contracts.services import Protocol\n"
        "from modules.stock.services import levels\n\n"
        "THINGS = (Protocol, levels)\n",
    )
    assert run(root) == []


def test_a_core_module_importing_an_optional_module_breaks_orion_102(tmp_path):
    """ORION-102: core modules never import optional modules."""
    root = make_root(tmp_path)
    make_module(root / "modules", "shop")
    folder = make_module(root / "modules", "base", is_core=True)
    path = write(folder / "services" / "things.py", "import modules.shop.services\n\nX = modules\n")
    assert_only(run(root), "ORION-102", "modules/base/services/things.py", line_of(path, "shop"))


def test_the_framework_importing_a_module_breaks_orion_109(root, shop):
    """ORION-109: orion_server/ and orion_desktop/ reach modules only through modules.contracts,
    in a function body as much as at the top of a file."""
    server = write(root / "orion_server" / "demo.py", "def seed():\n    from modules.shop.services import things\n")
    console = write(root / "orion_desktop" / "pages.py", "import modules.shop.models\n")
    findings = sorted((f.path, f.line) for f in run(root) if f.rule == "ORION-109")
    assert findings == [("orion_desktop/pages.py", 1), ("orion_server/demo.py", line_of(server, "modules.shop"))]
    assert line_of(console, "modules.shop") == 1


def test_the_framework_may_use_contracts_and_the_validator_and_tests_may_name_modules(root, shop):
    """ORION-109: modules.contracts is the framework's door; the validator and the test
    factories are exempt."""
    write(root / "orion_server" / "events_user.py", "from modules.contracts.events import OrderPaid\n")
    write(root / "orion_server" / "validator" / "names.py", "import modules.shop\n")
    write(root / "orion_server" / "testing" / "worlds.py", "from modules.shop.services import things\n")
    assert [f for f in run(root) if f.rule == "ORION-109"] == []


def test_requiring_an_unknown_module_breaks_orion_103(root, shop):
    """ORION-103: requires names existing modules."""
    definition = shop / "definition.py"
    write(definition, definition.read_text().replace("requires=[]", "requires=['ghost']"))
    assert_only(run(root), "ORION-103", "modules/shop/definition.py", line_of(definition, "ghost"))


def test_a_dependency_cycle_breaks_orion_104(tmp_path):
    """ORION-104: cycles are reported once, naming the cycle."""
    root = make_root(tmp_path)
    alpha = make_module(root / "modules", "alpha", requires=["beta"])
    make_module(root / "modules", "beta", requires=["gamma"])
    make_module(root / "modules", "gamma", requires=["alpha"])
    findings = run(root)
    assert_only(
        findings,
        "ORION-104",
        "modules/alpha/definition.py",
        line_of(alpha / "definition.py", "requires"),
    )
    assert len(findings) == 1
    assert "alpha -> beta -> gamma -> alpha" in findings[0].message


def test_an_undeclared_permission_breaks_orion_105(root, shop):
    """ORION-105: require_permission names a permission the module can rely on."""
    path = shop / "routes" / "api" / "admin.py"
    write(path, path.read_text().replace(
        "Depends(require_permission('shop.view'))",
        "Depends(require_permission('shop.view')), Depends(require_permission('shop.delete'))",
    ))
    assert_only(
        run(root), "ORION-105", "modules/shop/routes/api/admin.py", line_of(path, "shop.delete")
    )


def test_an_undeclared_permission_asked_with_staff_with_breaks_orion_105(root, shop):
    """ORION-105: ``staff: StaffWith("...")`` is read like require_permission."""
    path = write(
        shop / "routes" / "api" / "store.py",
        "from __future__ import annotations\n\n"
        "from orion_server.deps import StaffWith\nfrom orion_server.routing import ModuleRouter\n\n"
        "router = ModuleRouter()\n\n\n"
        "@router.get('/things')\ndef things(staff: StaffWith('shop.delete')) -> list:\n    return []\n",
    )
    assert_only(run(root), "ORION-105", "modules/shop/routes/api/store.py", line_of(path, "shop.delete"))


def test_a_declared_permission_nothing_checks_breaks_orion_111(tmp_path):
    """ORION-111: a permission only a menu item names guards nothing."""
    root = make_root(tmp_path)
    folder = make_module(root / "modules", "shop", permissions=["shop.view", "shop.export"],
                         menu=[("ADMIN", "things", "shop.view"), ("ADMIN", "export", "shop.export")])
    assert_only(run(root), "ORION-111", "modules/shop/definition.py",
                line_of(folder / "definition.py", "id='shop.export'"))


def test_a_permission_a_service_checks_passes_orion_111(tmp_path):
    """ORION-111: a permission a service checks (``staff.can("...")``) counts as guarding."""
    root = make_root(tmp_path)
    folder = make_module(root / "modules", "shop", permissions=["shop.view", "shop.export"])
    write(folder / "services" / "exporting.py",
          '"""Exports."""\n\n\ndef may_export(staff):\n    return staff.can("shop.export")\n')
    assert "ORION-111" not in rules_of(run(root))


STORE_ROUTE = (
    "from __future__ import annotations\n\n"
    "from orion_server.deps import {name}\nfrom orion_server.routing import ModuleRouter\n\n"
    "router = ModuleRouter()\n\n\n"
    "@router.get('/{{store_code}}/things')\ndef things(store_code: str, staff: {annotation}) -> list:\n"
    "    return []\n"
)


def test_a_store_route_without_a_permission_breaks_orion_112(root, shop):
    """ORION-112: a store route reading the member must say which permission it needs."""
    path = write(shop / "routes" / "api" / "store.py", STORE_ROUTE.format(name="CurrentStaff", annotation="CurrentStaff"))
    assert_only(run(root), "ORION-112", "modules/shop/routes/api/store.py", line_of(path, "def things"))


@pytest.mark.parametrize("name, annotation", [("StaffWith", "StaffWith('shop.view')"), ("AnyMember", "AnyMember")])
def test_a_store_route_naming_its_access_passes_orion_112(root, shop, name, annotation):
    """ORION-112: ``StaffWith("...")`` or an explicit ``AnyMember`` says who may open it."""
    write(shop / "routes" / "api" / "store.py", STORE_ROUTE.format(name=name, annotation=annotation))
    assert run(root) == []


def test_an_undeclared_menu_permission_breaks_orion_105(tmp_path):
    """ORION-105: menu item permissions are declared too."""
    root = make_root(tmp_path)
    folder = make_module(root / "modules", "shop", menu=[("STORE", "orders", "orders.view")])
    definition = folder / "definition.py"
    assert_only(
        run(root), "ORION-105", "modules/shop/definition.py", line_of(definition, "orders.view")
    )


def test_permissions_of_transitively_required_modules_may_be_used(tmp_path):
    """ORION-105: a permission declared by a module required through another is fine."""
    root = make_root(tmp_path)
    make_module(root / "modules", "stock")
    make_module(root / "modules", "catalog", requires=["stock"])
    make_module(
        root / "modules", "shop", requires=["catalog"], menu=[("STORE", "levels", "stock.view")]
    )
    assert run(root) == []


def test_a_locale_file_missing_keys_breaks_orion_106(root, shop):
    """ORION-106: every language file has the keys of en.json."""
    path = shop / "locales" / "fr.json"
    keys = json.loads(path.read_text())
    del keys["shop.name"]
    write(path, json.dumps(keys, indent=2))
    findings = run(root)
    assert_only(findings, "ORION-106", "modules/shop/locales/fr.json", 1)
    assert "shop.name" in findings[0].message


def test_a_locale_file_with_extra_keys_breaks_orion_106(root, shop):
    """ORION-106: extra keys are reported at their line; nested objects count as dotted keys."""
    path = shop / "locales" / "de.json"
    keys = json.loads(path.read_text())
    write(path, json.dumps({**keys, "shop": {"only_german": "Nur"}}, indent=2))
    assert_only(
        run(root), "ORION-106", "modules/shop/locales/de.json", line_of(path, "only_german")
    )


def test_a_missing_language_file_breaks_orion_106(root, shop):
    """ORION-106: en, de, fr and lb all exist."""
    (shop / "locales" / "lb.json").unlink()
    assert_only(run(root), "ORION-106", "modules/shop/locales/lb.json", 1)


def test_nested_locale_objects_match_flat_keys(root, shop):
    """ORION-106: {"shop": {"name": ...}} has the key shop.name."""
    path = shop / "locales" / "lb.json"
    keys = json.loads(path.read_text())
    nested: dict = {"shop": {"name": keys.pop("shop.name")}}
    write(path, json.dumps({**keys, **nested}))
    assert run(root) == []


def test_a_duplicate_code_breaks_orion_107(root, tmp_path):
    """ORION-107: an extra-path module may not reuse a built-in module's code."""
    extra = tmp_path / "extra"
    folder = make_module(extra, "shop", builtin=False)
    findings = run(root, [extra])
    assert_only(
        findings,
        "ORION-107",
        (folder / "definition.py").resolve().as_posix(),
        line_of(folder / "definition.py", "code="),
    )


def test_modules_in_extra_paths_are_validated(root, tmp_path):
    """Extra paths hold modules too, imported under their own package name."""
    extra = tmp_path / "extra"
    folder = make_module(extra, "gifts", builtin=False)
    assert run(root, [extra]) == []
    (folder / "exceptions.py").unlink()
    assert places(run(root, [extra]), "MOD-001") == {
        ((folder / "exceptions.py").resolve().as_posix(), 1)
    }


def test_a_core_module_requiring_an_optional_module_breaks_orion_108(tmp_path):
    """ORION-108: core modules require only core modules."""
    root = make_root(tmp_path)
    make_module(root / "modules", "shop")
    folder = make_module(root / "modules", "base", is_core=True, requires=["shop"])
    assert_only(
        run(root),
        "ORION-108",
        "modules/base/definition.py",
        line_of(folder / "definition.py", "requires"),
    )


def _with_targets(shop: Path, extra: str) -> Path:
    """Give the shop's definition the keyword lines ``extra``; returns the definition file."""
    definition = shop / "definition.py"
    write(definition, definition.read_text().replace("\n)\n", "\n" + extra + "\n)\n"))
    return definition


def test_targets_that_resolve_pass(root, shop):
    """ORION-110: listeners, providers and factories naming real attributes of the module pass."""
    write(shop / "listeners.py", '"""Listeners."""\n\n\ndef on_paid(db, event):\n    """Paid."""\n')
    write(shop / "dashboard.py", '"""Widgets."""\n\n\nclass Widgets:\n    """Widgets."""\n')
    _with_targets(
        shop,
        "    listeners={OrderPaid: '.listeners:on_paid'},\n"
        "    widget_provider='.dashboard:Widgets',\n"
        "    provides={Catalog: '.dashboard:Widgets'},",
    )
    assert run(root) == []


def test_a_listener_that_does_not_resolve_breaks_orion_110(root, shop):
    """ORION-110: a listener naming a function its file lacks is reported at its line."""
    write(shop / "listeners.py", '"""Listeners."""\n\n\ndef on_paid(db, event):\n    """Paid."""\n')
    definition = _with_targets(shop, "    listeners={OrderPaid: '.listeners:on_refunded'},")
    findings = run(root)
    assert_only(findings, "ORION-110", "modules/shop/definition.py", line_of(definition, "on_refunded"))
    assert "listeners[OrderPaid]" in findings[0].message and "defines no on_refunded" in findings[0].message


def test_a_provider_in_a_missing_file_breaks_orion_110(root, shop):
    """ORION-110: a provider naming a file the module does not have."""
    definition = _with_targets(shop, "    provides={Catalog: '.offers:Offers'},")
    assert_only(run(root), "ORION-110", "modules/shop/definition.py", line_of(definition, ".offers:"))


def test_a_target_not_relative_to_the_module_breaks_orion_110(root, shop):
    """ORION-110: targets are strings relative to the module; a callable or a dotted path is not."""
    definition = _with_targets(
        shop, "    widget_provider='modules.shop.dashboard:Widgets',\n    health_check=check_health,"
    )
    findings = run(root)
    assert places(findings, "ORION-110") == {
        ("modules/shop/definition.py", line_of(definition, "widget_provider")),
        ("modules/shop/definition.py", line_of(definition, "health_check")),
    }


# The real tree ---------------------------------------------------------------------------


def test_the_repository_tree_has_no_errors_or_warnings():
    """Orion's own modules pass every ERROR and WARNING rule."""
    findings = validate_tree(REPO_ROOT)
    serious = [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    assert serious == [], "\n".join(format_finding(f) for f in serious)


ASYNC_ROUTE = (
    "from __future__ import annotations\n\n"
    "from fastapi import Request\nfrom starlette.concurrency import run_in_threadpool\n\n"
    "from orion_server.deps import SessionDep\nfrom orion_server.routing import ModuleRouter\n\n"
    "router = ModuleRouter()\n\n\n"
    "def _count(db, text):\n    return len(text)\n\n\n"
    "@router.post('/things')\nasync def things(request: Request, db: SessionDep) -> dict:\n"
    "    body = await request.body()\n"
    "    return {{'n': {call}}}\n"
)


def test_an_async_route_using_its_session_on_the_event_loop_breaks_orion_113(root, shop):
    """ORION-113: database work in an async route stalls every request of the worker."""
    path = write(shop / "routes" / "api" / "storefront.py", ASYNC_ROUTE.format(call="_count(db, body)"))
    assert_only(run(root), "ORION-113", "modules/shop/routes/api/storefront.py", line_of(path, "_count(db, body)"))


def test_an_async_route_handing_its_session_to_a_thread_passes_orion_113(root, shop):
    """ORION-113: ``run_in_threadpool(work, db, ...)`` keeps the session off the loop."""
    write(shop / "routes" / "api" / "storefront.py",
          ASYNC_ROUTE.format(call="await run_in_threadpool(_count, db, body)"))
    assert run(root) == []
