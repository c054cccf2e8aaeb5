"""A platform admin sees and changes only the platforms assigned to them (issue 9).

The walk takes every admin page and admin API route from the application's own route list, so a
new admin route is covered without touching this file: signed in as the admin of platform Alpha,
each route is called for platform Bravo's things (its code, its stores, its content page, a
``?platform=bravo`` pick) and must answer 403 or 404; creating something on Bravo answers 422
with the platform field named; pages that list things must not show Bravo's; and afterwards
nothing of Bravo has changed.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import func, select

from orion_server.models import AuditEntry, Merchant, Platform, Store
from orion_server.modules.service import module_service

OPTIONAL = ("cms", "messaging")
BRAVO_MARKS = ("Bravo Hidden Market", "Bravo Hidden Shop", "Bravo Hidden Merchant", "bravo-hidden-page")
# Routes a signed-in admin uses for their own account or to sign in/out: they name no platform.
OWN_ACCOUNT = {"/admin/login", "/admin/auth/token", "/admin/logout", "/admin/forgot", "/admin/reset"}
# Routes that create something on the platform a form field names: Bravo is an unknown choice.
CREATES = {
    "POST /admin/platforms": None,  # super admins only: 403
    "POST /admin/stores": {"platform": "bravo", "code": "sneaky", "name": "Sneaky"},
    "POST /api/v1/admin/tenancy/stores": {"platform": "bravo", "code": "sneaky", "name": "Sneaky"},
    "POST /api/v1/admin/tenancy/merchants": {"platform": "bravo", "name": "Sneaky merchant"},
}


@pytest.fixture
def reach_world(client, main_platform, factories, db_session):
    alpha = factories.platform(code="alpha", name="Alpha Market")
    bravo = factories.platform(code="bravo", name="Bravo Hidden Market")
    for platform in (main_platform, alpha, bravo):
        for code in OPTIONAL:
            module_service.enable_module(db_session, platform.id, code)
    factories.store(alpha, code="alpha-shop", name="Alpha Shop")
    bravo_store = factories.store(bravo, code="bravo-shop", name="Bravo Hidden Shop")
    from modules.cms.services import content_page_service
    from orion_server.tenancy import tenancy_service

    tenancy_service.create_merchant(db_session, platform_code="bravo", name="Bravo Hidden Merchant")
    page = content_page_service.create_page(
        db_session, platform_id=bravo.id, slug="bravo-hidden-page",
        translations={"en": {"title": "Bravo hidden page", "body": "Secret"}},
    )
    admin = factories.platform_admin(alpha, email="alpha-admin@example.lu", language="en")
    csrf = factories.login(client, admin)
    return {"alpha": alpha, "bravo": bravo, "bravo_store": bravo_store, "page_id": page.id, "csrf": csrf,
            "admin": admin}


def _admin_routes(app) -> list[tuple[str, str]]:
    found = []
    for context in iter_route_contexts(app.routes):
        path = context.path or ""
        if not isinstance(context.original_route, APIRoute):
            continue
        if not path.startswith(("/admin", "/api/v1/admin/")) or path in OWN_ACCOUNT:
            continue
        if path.startswith("/admin/profile"):
            continue  # one's own profile: no platform in it
        for method in sorted(context.methods or ()):
            if method not in ("HEAD", "OPTIONS"):
                found.append((method, path))
    return found


def _fill(path: str, world: dict) -> str:
    bravo_code, store_code = world["bravo"].code, world["bravo_store"].code

    def value(match: re.Match) -> str:
        name = match.group(1)
        before = path[: match.start()]
        if name == "code":
            if before.endswith(("/stores/", "/subscriptions/")):
                return store_code
            if before.endswith("/templates/"):
                return "order_confirmation"
            return bravo_code
        return {"module": "loyalty", "page_id": str(world["page_id"]), "outbox_id": "1", "user_id": "1", "invoice_id": "1",
                "gateway": "stripe", "task_id": "no-such-task",
                "language": "en"}[name]

    return re.sub(r"{(\w+)(?::\w+)?}", value, path)


def test_a_platform_admin_reaches_nothing_of_another_platform(client, orion_app, reach_world, db_session):
    world = reach_world
    before_modules = {m.code: m.enabled for m in module_service.get_platform_modules(db_session, world["bravo"].id)}
    last_entry = db_session.scalar(select(func.max(AuditEntry.id))) or 0
    failures = []
    walked = 0
    for method, path in _admin_routes(orion_app):
        key = f"{method} {path}"
        url = _fill(path, world)
        url += ("&" if "?" in url else "?") + "platform=bravo"
        api = path.startswith("/api/")
        headers = {"accept-language": "en"}
        kwargs: dict = {}
        if method != "GET":
            headers["x-csrf-token"] = world["csrf"]
            body = CREATES.get(key) or {}
            if api:
                kwargs["json"] = body
            else:
                kwargs["data"] = {"csrf_token": world["csrf"], **body}
        response = client.request(method, url, headers=headers, follow_redirects=False, **kwargs)
        walked += 1
        status = response.status_code
        if key in CREATES and CREATES[key] is not None:
            if status != 422 or "platform" not in response.text:
                failures.append(f"{key}: {status} (expected 422 naming the platform)")
        elif "{" in path or method != "GET":
            if status not in (403, 404):
                failures.append(f"{key} -> {url}: {status}")
        elif status not in (403, 404):  # a list or a picker page: it must not show Bravo's things
            shown = [mark for mark in BRAVO_MARKS if mark in response.text]
            if shown or status >= 500:
                failures.append(f"{key}: {status} shows {shown}")
    assert walked > 50, walked
    assert not failures, "\n".join(failures)
    db_session.rollback()
    assert db_session.scalar(select(Platform.name).where(Platform.code == "bravo")) == "Bravo Hidden Market"
    assert db_session.scalar(select(func.count(Store.id)).where(Store.platform_id == world["bravo"].id)) == 1
    assert db_session.scalar(select(func.count(Merchant.id)).where(Merchant.platform_id == world["bravo"].id)) == 1
    after_modules = {m.code: m.enabled for m in module_service.get_platform_modules(db_session, world["bravo"].id)}
    assert after_modules == before_modules
    bravo_entries = db_session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.platform_id == world["bravo"].id,
                                                AuditEntry.id > last_entry))
    assert bravo_entries == 0


def test_the_same_pages_without_a_pick_show_the_admins_own_platform(client, reach_world):
    for url in ("/admin/", "/admin/platforms", "/admin/stores", "/admin/audit", "/admin/content",
                "/admin/messaging/smtp", "/admin/messaging/templates", "/api/v1/admin/tenancy/stores"):
        page = client.get(url, headers={"accept-language": "en"})
        assert page.status_code == 200, url
        assert not [mark for mark in BRAVO_MARKS if mark in page.text], url
    assert "Alpha Shop" in client.get("/admin/stores").text
    assert "Alpha Market" in client.get("/admin/content").text
    platforms = client.get("/api/v1/admin/tenancy/platforms").json()
    assert [p["code"] for p in platforms["items"]] == ["alpha"]


def test_a_platform_admin_may_not_create_platforms(client, reach_world):
    page = client.get("/admin/platforms", headers={"accept-language": "en"})
    assert 'action="/admin/platforms"' not in page.text.replace('method="get" action="/admin/platforms"', "")
    created = client.post("/api/v1/admin/tenancy/platforms", json={"code": "charlie", "name": "Charlie"},
                          headers={"x-csrf-token": reach_world["csrf"]})
    assert created.status_code == 403


def test_assigning_a_platform_opens_it_on_the_next_request(client, reach_world, factories, db_session):
    assert client.get("/admin/platforms/bravo").status_code == 404
    from orion_server.accounts import set_admin_platforms

    set_admin_platforms(db_session, actor=None, user_id=reach_world["admin"].id, platform_codes=["alpha", "bravo"])
    assert client.get("/admin/platforms/bravo").status_code == 200
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "account.admin_platforms_changed"))
    assert entry.details == {"before": ["alpha"], "after": ["alpha", "bravo"]}


def test_super_admins_assign_platforms_on_the_admins_page(client, main_platform, factories, db_session):
    alpha = factories.platform(code="alpha", name="Alpha Market")
    ops = factories.platform_admin(main_platform, email="ops@example.lu")
    csrf = factories.login(client, factories.admin(email="boss@example.lu"))
    page = client.get("/admin/users", headers={"accept-language": "en"})
    assert "Change platforms" in page.text and "Every platform" in page.text
    empty = client.post(f"/admin/users/{ops.id}/platforms", data={"csrf_token": csrf},
                        headers={"accept-language": "en"})
    assert empty.status_code == 422 and "Tick at least one platform" in empty.text
    done = client.post(f"/admin/users/{ops.id}/platforms", data={"csrf_token": csrf, "platforms": ["alpha"]},
                       follow_redirects=False)
    assert done.headers["location"] == "/admin/users?done=platforms_saved"
    db_session.rollback()
    from orion_server.accounts import admin_platform_ids

    assert admin_platform_ids(db_session, db_session.get(type(ops), ops.id)) == {alpha.id}
