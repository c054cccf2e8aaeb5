"""The rules ``orion validate`` enforces: their ids, severities and one-line descriptions."""

from __future__ import annotations

from dataclasses import dataclass

from orion_server.validator.findings import Finding, Severity


@dataclass(frozen=True)
class Rule:
    """One architecture rule."""

    id: str
    severity: Severity
    description: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        Rule("MOD-001", _E, "Modules have __init__.py, locales/, exceptions.py when their services hold code, and packages that hold files have __init__.py"),
        Rule("MOD-002", _W, "Services must contain actual code, not re-exports"),
        Rule("MOD-003", _W, "Schemas must contain actual code, not re-exports"),
        Rule("MOD-004", _W, "Routes change no data themselves: services add, delete and commit"),
        Rule("MOD-005", _W, "Modules with UI must have templates and static"),
        Rule("MOD-006", _I, "Modules should have locales for i18n"),
        Rule("MOD-007", _E, "A module's code matches its folder"),
        Rule("MOD-008", _W, "exceptions.py defines the module's exceptions"),
        Rule("MOD-009", _E, "Modules must have definition.py for auto-discovery"),
        Rule("MOD-010", _W, "Route files must export router variable"),
        Rule("MOD-011", _W, "Tasks directory must have __init__.py"),
        Rule("MOD-012", _I, "Locales should have all language files"),
        Rule("MOD-013", _I, "config.py should export config or config_class"),
        Rule("MOD-014", _W, "Migrations must follow naming convention"),
        Rule("MOD-015", _W, "Migrations directory must have __init__.py files"),
        Rule("MOD-016", _E, "HTTP routes live in modules; the framework declares only its health routes"),
        Rule("MOD-017", _E, "Modules call each other's services, deps or contracts, never their routes"),
        Rule("MOD-018", _E, "Tasks live in a module's tasks/ package, where the consumer imports them"),
        Rule("MOD-019", _W, "Request and response schemas live in a module's schemas/ package"),
        Rule(
            "MOD-020",
            _W,
            "Module definition must have required attributes "
            "(code, name, description, version, features)",
        ),
        Rule("MOD-021", _W, "Modules with menus should have features defined"),
        Rule(
            "MOD-022",
            _I,
            "Feature modules should have permissions (unless internal or storefront-only)",
        ),
        Rule("MOD-023", _I, "Every router in a module's routes is mounted"),
        Rule("ORION-101", _E, "A module imports another module only if it lists it in requires"),
        Rule("ORION-102", _E, "A core module never imports an optional or internal module"),
        Rule("ORION-103", _E, "requires names only modules that exist"),
        Rule("ORION-104", _E, "Module dependencies have no cycles"),
        Rule("ORION-105", _E, "Permissions a module uses are declared by it or what it requires"),
        Rule("ORION-106", _E, "Every locale file has the keys of en.json; en, de, fr, lb exist"),
        Rule("ORION-107", _E, "Module codes are unique"),
        Rule("ORION-108", _E, "A core module requires only core modules"),
        Rule("ORION-109", _E, "orion_server/ and orion_desktop/ import no module but modules.contracts"),
        Rule("ORION-110", _E, "Every listener, provider, widget and metrics factory, context provider and health check a definition names resolves"),
        Rule("ORION-111", _E, "Every permission a module declares is checked by some route or service"),
        Rule("ORION-112", _E, "Every store route that reads the signed-in member names a permission or AnyMember"),
        Rule("ORION-113", _E, "An async route never uses its database session on the event loop"),
    ]
}
"""Every rule by id. How each is read for Orion's layout (``modules/<pkg>/``, framework in
``orion_server/``); "the module" is a folder ``modules/<pkg>/`` or a sub-folder of an extra path:

- MOD-001 (ERROR): every module has ``__init__.py`` and ``locales/`` (and ``exceptions.py`` once its services hold code);
  any ``services/``, ``models/``, ``schemas/``, ``routes/``, ``routes/api/``,
  ``routes/pages/`` that holds a file has an ``__init__.py``. Empty scaffold folders are
  optional: a module has the packages it needs. Here and in MOD-005, MOD-011, MOD-015 a folder
  counts only when it holds a file (git keeps no empty folders).
- MOD-002 / MOD-003 (WARNING): the services / schemas package holds re-exports only (every
  .py file is imports, ``__all__`` and docstrings, and at least one imports something). A
  re-exporting ``__init__.py`` is fine beside one file with real code; an empty package
  (docstring only) is not reported: the module has nothing yet.
- MOD-004 (WARNING): a file under ``routes/`` calls ``db.add``/``add_all``/``delete``/
  ``commit``/``flush``/``merge`` (or the same on ``session``): routes parse input, call a
  service and answer; the service changes the data. Rolling back after a refused form is fine.
- MOD-005 (WARNING): a module with page routes (a .py file in ``routes/pages/`` besides
  ``__init__.py``) has templates (a file under ``<templates_path>/<pkg or code>/``) and
  static files (a file under ``static/``).
- MOD-006 (INFO): locales exist (MOD-001/ORION-106 say so); this rule checks they cover the
  module's own strings: every ``label_key``/``description_key`` of its permissions and menu
  items is a key of its ``en.json`` (or of ``resources/locales/en.json``).
- MOD-007 (ERROR): ``code`` matches the folder (``dev-tools`` lives in ``dev_tools``); the
  rest of the layout is the convention (``templates/``, ``locales/``, ``static/``,
  ``migrations/versions/``), which the definition no longer repeats.
- MOD-008 (WARNING): a module's ``exceptions.py`` defines at least one class (its missing
  file is MOD-001, an ERROR in Orion).
- MOD-009 (ERROR): a module folder (one with ``__init__.py``) has a ``definition.py`` that
  parses and holds exactly one ``ModuleDefinition(...)`` call.
- MOD-010 (WARNING): each mounted route file (``routes/api/{admin,store,storefront}.py``,
  ``routes/pages/{admin,store,storefront,platform}.py``) binds ``router``, ``admin_router``
  or ``store_router`` at module level, made by ``ModuleRouter(...)`` rather than FastAPI's
  ``APIRouter(...)`` (the framework refuses to start otherwise).
- MOD-011 (WARNING): a ``tasks/`` folder has ``__init__.py`` (huey imports it).
- MOD-012 (INFO): missing languages are ORION-106 errors in Orion; this rule reports locale
  files that are never loaded because their name is not a supported language
  (e.g. ``lu.json`` instead of ``lb.json``).
- MOD-013 (INFO): ``config.py``, when present, binds ``config`` or ``config_class``.
- MOD-014 (WARNING): every revision in the migrations folder is named
  ``<pkg>_NNN_<what>.py`` (lower case, three digits).
- MOD-015 (WARNING): ``migrations/`` and every folder down to ``migrations_path`` have an
  ``__init__.py``.
- MOD-016 (ERROR): an ``APIRouter(...)`` or ``ModuleRouter(...)`` call in a file under ``orion_server/`` other than
  ``orion_server/health.py``: pages and APIs are a module's, so the module gate covers them.
- MOD-017 (ERROR): a module imports ``modules.<other>.routes…`` (or an extra path module's
  ``routes``): route files are a module's private HTTP layer; what others need is in its
  services, its ``deps.py`` or a contract.
- MOD-018 (ERROR): a function decorated ``@huey.task``, ``@huey.periodic_task`` or
  ``@huey.on_startup`` outside the module's ``tasks/`` package (the consumer imports only
  that), or in ``orion_server/`` outside ``orion_server/event_tasks.py`` and
  ``orion_server/log_tasks.py``.
- MOD-019 (WARNING): a class deriving from ``BaseModel`` (pydantic) outside the module's
  ``schemas/`` package.
- MOD-020 (WARNING): the ``ModuleDefinition`` call gives ``code``, ``name``,
  ``description``, ``version`` (non-empty when literal) and ``features``.
- MOD-021 (WARNING): a module with menu items has a non-empty ``features`` list.
- MOD-022 (INFO): a non-internal module with features and a staff-facing surface (admin or
  store route files or menu items) declares permissions; storefront-only modules and those
  without any admin/store surface (e.g. ``contracts``) need none.
- MOD-023 (INFO): a ``ModuleRouter`` (or ``APIRouter``) assigned in a file under ``routes/`` that is neither the
  exported router of a mounted route file nor passed to an ``include_router`` call: a router
  that is never mounted.
- ORION-101 (ERROR): an import (absolute ``modules.<other>…``, or relative and escaping the
  module's package; inside functions too) of another module whose code is not in
  ``requires``. ``modules.contracts`` is open to all.
- ORION-102 (ERROR): a core module imports an optional or internal module, listed or not
  (such an import is not reported again as ORION-101).
- ORION-103 (ERROR): ``requires`` names a code no module in the tree has.
- ORION-104 (ERROR): the ``requires`` graph has a cycle, reported once as ``a -> b -> a``.
- ORION-105 (ERROR): every ``MenuItem(permission=...)`` and ``require_permission("...")``
  literal in the module is declared by the module or by one it requires, transitively.
- ORION-106 (ERROR): en, de, fr and lb files exist in the locales folder, each is a JSON
  object, and each has exactly the (flattened) keys of ``en.json``: missing and extra keys
  are reported per file.
- ORION-107 (ERROR): two modules share a code.
- ORION-108 (ERROR): a core module lists an optional or internal module in ``requires``.
- ORION-109 (ERROR): a file under ``orion_server/`` or ``orion_desktop/`` (the validator
  excepted, which only reads modules) imports ``modules.<x>`` other than ``modules.contracts``.
- ORION-110 (ERROR): a target the definition names (``listeners``, ``provides``,
  ``context_providers``, ``visitor_providers`` values; ``widget_provider``, ``metrics_provider``, ``health_check``)
  is a string ``".file:attribute"`` whose file exists in the module and binds ``attribute`` at
  module level (read from the syntax tree, never imported).
- ORION-111 (ERROR): a permission a definition declares is written (as a string) somewhere in
  code outside every ``definition.py``: modules' routes and services, or the framework (a menu
  item alone guards nothing). Remove a permission until something checks it.
- ORION-112 (ERROR): a route whose path starts ``/{store_code}`` and whose parameters read the
  signed-in user (``CurrentStaff``, ``CurrentUser``, ``OptionalUser``) asks for a permission
  (``StaffWith("...")``) or says ``AnyMember``; a route reading no user (sign-in, reset and
  invitation links) is open by design. The suite walks the real routes for the same rule.
- ORION-113 (ERROR): an ``async def`` route with a session parameter (annotated ``SessionDep``
  or ``Session``) uses it only as an argument of ``run_in_threadpool(...)``; any other use runs
  database work on the event loop, stalling every request of the worker meanwhile.
"""


def make_finding(rule_id: str, path: str, line: int, message: str) -> Finding:
    """A finding of ``rule_id`` with the severity the RULES table gives it."""
    return Finding(
        path=path,
        line=max(int(line or 1), 1),
        rule=rule_id,
        severity=RULES[rule_id].severity,
        message=message,
    )
