"""Every store route, walked from the application's own route list, answers to the permission it
declares (issue 9): a member missing it gets 403, a member holding only it gets past the check,
and the store menu shows a member exactly the entries their permissions open.

Routes are classified by their dependencies: a permission (``StaffWith``), every member
(``AnyMember``), admins starting support access (``SupportEntrant``), or nobody signed in (sign-in, reset and invitation links, listed below). A
store route in none of these fails the inventory test, so a new route cannot slip through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from orion_server.auth.csrf import CSRF_HEADER
from orion_server.deps import is_route_guard
from orion_server.modules import registry
from orion_server.store_roles import store_permission_ids

STORE_PREFIXES = ("/store/{store_code}", "/api/v1/store/{store_code}")
ANONYMOUS = {"login", "logout", "forgot", "reset", "join"}
"""Last path segments of the store routes anyone may open (they read no signed-in member)."""


@dataclass(frozen=True)
class StoreRoute:
    method: str
    path: str
    permission: str | None
    every_member: bool

    @property
    def url(self) -> str:
        path = self.path.replace("{store_code}", "walk")
        return re.sub(r"{\w+(?::\w+)?}", "1", path)


def _walk(dependant, found: dict) -> dict:
    for dependency in dependant.dependencies:
        call = dependency.call
        if is_route_guard(call):
            continue  # the framework's, on every route
        if getattr(call, "required_permission", None):
            found.setdefault("permissions", set()).add(call.required_permission)
        if getattr(call, "open_to_every_member", False):
            found["every_member"] = True
        if getattr(call, "open_to_admins", False):
            found["admins_only"] = True
        if getattr(call, "__name__", "") in ("get_current_user", "get_optional_user", "get_staff"):
            found["reads_user"] = True
        _walk(dependency, found)
    return found


def store_routes(app) -> tuple[list[StoreRoute], list[str]]:
    """The store routes and, separately, those that say nothing about who may open them."""
    routes, unclassified = [], []
    for context in iter_route_contexts(app.routes):
        original, path = context.original_route, context.path or ""
        if not isinstance(original, APIRoute) or not path.startswith(STORE_PREFIXES):
            continue
        found = _walk(original.dependant, {})
        permissions = found.get("permissions", set())
        for method in sorted(context.methods or ()):
            if method in ("HEAD", "OPTIONS"):
                continue
            if len(permissions) > 1:
                unclassified.append(f"{method} {path}: asks for {sorted(permissions)}, one is the rule")
            elif found.get("admins_only"):
                continue  # support access: admins only, walked in test_support_access.py
            elif permissions or found.get("every_member"):
                routes.append(StoreRoute(method, path, next(iter(permissions), None), bool(found.get("every_member"))))
            elif found.get("reads_user") or path.rstrip("/").rsplit("/", 1)[-1] not in ANONYMOUS:
                unclassified.append(f"{method} {path}")
    return routes, unclassified


@pytest.fixture
def walk(factories, main_platform):
    from modules.billing.services import subscription_service
    from orion_server.modules.service import module_service

    for code in registry.OPTIONAL_MODULES:
        module_service.enable_module(factories.db, main_platform.id, code)
    store = factories.store(main_platform, code="walk", name="Walk")
    # the top plan: a page its plan withholds would answer 403 whatever the member's permissions
    subscription_service.activate(factories.db, store_id=store.id, tier="enterprise")
    return store


def test_every_store_route_names_who_may_open_it(orion_app):
    routes, unclassified = store_routes(orion_app)
    assert len(routes) > 80
    assert unclassified == [], "store routes without a permission or AnyMember:\n" + "\n".join(unclassified)
    used = {r.permission for r in routes if r.permission}
    declared = store_permission_ids()
    assert used <= declared, f"routes ask for undeclared permissions: {sorted(used - declared)}"


def test_a_member_without_the_permission_gets_403_and_with_it_gets_past(orion_app, walk, factories):
    routes, _ = store_routes(orion_app)
    declared = sorted(store_permission_ids())
    problems = []
    with TestClient(orion_app, base_url="http://testserver", raise_server_exceptions=False) as client:
        client.cookies.set("orion_lang", "en")
        by_permission: dict[str, list[StoreRoute]] = {}
        for route in routes:
            if route.permission:
                by_permission.setdefault(route.permission, []).append(route)
        for permission, guarded in sorted(by_permission.items()):
            factories.db.rollback()  # end the read the last requests' checks left open
            without = factories.staff(walk, permissions=[p for p in declared if p != permission])
            only = factories.staff(walk, permissions=[permission])
            for member, expect_refused in ((without, True), (only, False)):
                csrf = factories.login(client, member)
                for route in guarded:
                    response = client.request(route.method, route.url, headers={CSRF_HEADER: csrf},
                                              follow_redirects=False)
                    if expect_refused and response.status_code != 403:
                        problems.append(f"{route.method} {route.path} without {permission}: {response.status_code}")
                    if not expect_refused and response.status_code in (401, 403) or response.status_code >= 500:
                        problems.append(f"{route.method} {route.path} with only {permission}: "
                                        f"{response.status_code}")
        factories.db.rollback()
        nobody = factories.staff(walk, permissions=[])
        csrf = factories.login(client, nobody)
        for route in routes:
            if route.every_member:
                response = client.request(route.method, route.url, headers={CSRF_HEADER: csrf},
                                          follow_redirects=False)
                if response.status_code in (401, 403) or response.status_code >= 500:
                    problems.append(f"{route.method} {route.path} for a member without permissions: "
                                    f"{response.status_code}")
    assert problems == [], "\n".join(problems)


def _menu(html: str) -> set[str]:
    nav = html.split('<nav>', 1)[1].split("</nav>", 1)[0]
    return set(re.findall(r'href="([^"]+)"', nav))


def test_the_menu_shows_a_member_exactly_what_their_permissions_open(orion_app, walk, factories):
    from orion_server.modules.enums import FrontendType

    entries = [item for module in registry.MODULES.values()
               for item in module.menu_items.get(FrontendType.STORE, [])]
    problems = []
    with TestClient(orion_app, base_url="http://testserver") as client:
        client.cookies.set("orion_lang", "en")
        for permission in sorted({item.permission for item in entries if item.permission}):
            factories.db.rollback()
            factories.login(client, factories.staff(walk, permissions=[permission]))
            shown = _menu(client.get("/store/walk/").text)
            expected = {item.path.replace("{store_code}", "walk") for item in entries
                        if item.permission in (None, permission)}
            if shown != expected:
                problems.append(f"{permission}: shows {sorted(shown - expected)}, hides {sorted(expected - shown)}")
            for item in entries:
                if item.permission not in (None, permission):
                    status = client.get(item.path.replace("{store_code}", "walk"), follow_redirects=False).status_code
                    if status != 403:
                        problems.append(f"{permission}: the hidden {item.path} answers {status}, not 403")
    assert problems == [], "\n".join(problems)
