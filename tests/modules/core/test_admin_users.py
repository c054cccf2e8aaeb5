"""Super admins manage the installation's admins at /admin/users: add one (who chooses a
password with a one-time link), deactivate (sessions end at once) or reactivate, send a reset
link. Platform admins neither see nor open the page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from modules.contracts.events import StaffPasswordResetRequested
from orion_server.auth.passwords import verify_password
from orion_server.models import AuditEntry, User
from orion_server.testing.events import Announced

NEW = "a-brand-new-secret"


@pytest.fixture
def boss(client, main_platform, factories):
    """A signed-in super admin and their CSRF token."""
    user = factories.admin(email="boss@example.lu")
    return user, factories.login(client, user)


def _handover_link(page: str) -> str:
    return page.split('class="handover-link" readonly value="')[1].split('"')[0]


def test_a_super_admin_adds_an_admin_who_chooses_a_password_with_the_link(client, boss, db_session):
    _user, csrf = boss
    page = client.post("/admin/users", headers={"accept-language": "en"}, data={
        "csrf_token": csrf, "email": " Nora@Example.lu ", "full_name": "Nora", "role": "platform_admin",
        "language": "de", "platforms": "main"})
    assert page.status_code == 200 and "nora@example.lu was added" in page.text
    link = _handover_link(page.text)
    assert link.startswith("http://testserver/admin/reset?token=")
    db_session.rollback()
    created = db_session.scalar(select(User).where(User.email == "nora@example.lu"))
    assert (created.role, created.language, created.full_name) == ("platform_admin", "de", "Nora")
    assert "nora@example.lu" in client.get("/admin/users").text
    client.cookies.clear()
    client.get("/admin/login")
    token = link.split("token=")[1]
    done = client.post("/admin/reset", follow_redirects=False, data={
        "token": token, "new_password": NEW, "repeat_password": NEW, "csrf_token": client.cookies.get("orion_csrf")})
    assert done.headers["location"] == "/admin/login?reset=1"
    db_session.rollback()
    db_session.refresh(created)
    assert verify_password(created.password_hash, NEW)


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"email": "not-an-address"}, "Enter a valid e-mail address."),
        ({"email": "boss@example.lu"}, "Someone already signs in with this address."),
        ({"email": "x@example.lu", "role": "store_user"}, "Choose a role."),
        ({"email": "x@example.lu", "language": "xx"}, "Choose one of the languages offered."),
        ({"email": "x@example.lu", "platforms": []}, "Tick at least one platform for a platform admin."),
        ({"email": "x@example.lu", "platforms": "atlantis"}, "No such platform: atlantis."),
    ],
)
def test_a_bad_new_admin_is_refused_with_the_field_named(client, boss, db_session, data, field_message):
    _user, csrf = boss
    form = {"csrf_token": csrf, "full_name": "X", "role": "platform_admin", "language": "en", "platforms": "main",
            **data}
    page = client.post("/admin/users", data=form, headers={"accept-language": "en"})
    assert page.status_code == 422 and field_message in page.text
    assert db_session.scalar(select(User.id).where(User.email == "x@example.lu")) is None


def test_deactivating_an_admin_signs_them_out_at_once(client, boss, factories, orion_app, db_session, main_platform):
    from fastapi.testclient import TestClient

    _user, csrf = boss
    other = factories.platform_admin(main_platform, email="ops@example.lu")
    with TestClient(orion_app, base_url="http://testserver") as theirs:
        factories.login(theirs, other)
        assert theirs.get("/admin/", follow_redirects=False).status_code == 200
        done = client.post(f"/admin/users/{other.id}/deactivate", data={"csrf_token": csrf}, follow_redirects=False)
        assert done.headers["location"] == "/admin/users?done=deactivated"
        assert theirs.get("/admin/", follow_redirects=False).status_code == 303
    assert "Deactivated" in client.get("/admin/users", headers={"accept-language": "en"}).text
    client.post(f"/admin/users/{other.id}/activate", data={"csrf_token": csrf})
    db_session.rollback()
    assert db_session.get(User, other.id).is_active
    actions = db_session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("account.admin_%"))
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["account.admin_deactivated", "account.admin_activated"]


def test_nobody_deactivates_themselves_and_the_last_super_admin_stays(client, boss, factories):
    user, csrf = boss
    refused = client.post(f"/admin/users/{user.id}/deactivate", data={"csrf_token": csrf},
                          headers={"accept-language": "en"})
    assert refused.status_code == 422 and "You cannot deactivate yourself." in refused.text
    deputy = factories.admin(email="deputy@example.lu")
    # With two super admins one may go, but not the last one standing.
    assert client.post(f"/admin/users/{deputy.id}/deactivate", data={"csrf_token": csrf},
                       follow_redirects=False).status_code == 303


def test_a_reset_link_is_emailed_and_shown_once(client, boss, factories, db_session, main_platform):
    _user, csrf = boss
    other = factories.platform_admin(main_platform, email="ops@example.lu", language="fr")
    links = Announced(db_session, StaffPasswordResetRequested, lambda e: (e.email, e.language, e.link))
    page = client.post(f"/admin/users/{other.id}/reset", data={"csrf_token": csrf}, headers={"accept-language": "en"})
    assert page.status_code == 200 and "A reset link was e-mailed to ops@example.lu" in page.text
    assert links == [("ops@example.lu", "fr", _handover_link(page.text))]


def test_platform_admins_neither_see_nor_open_the_admins_page(client, main_platform, factories):
    platform_admin = factories.platform_admin(main_platform, email="ops@example.lu")
    factories.login(client, platform_admin)
    assert 'href="/admin/users"' not in client.get("/admin/").text
    assert client.get("/admin/users").status_code == 403


def test_super_admins_see_the_admins_page_in_the_menu(client, boss):
    assert 'href="/admin/users"' in client.get("/admin/").text


def test_an_unknown_admin_is_404(client, boss):
    _user, csrf = boss
    assert client.post("/admin/users/99999/deactivate", data={"csrf_token": csrf}).status_code == 404
    assert client.post("/admin/users/99999/reset", data={"csrf_token": csrf}).status_code == 404
