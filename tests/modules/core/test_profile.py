"""Everyone's own profile, in the admin and in a store dashboard: name and dashboard language,
a password change that asks for the current one and ends the other sessions, the list of
active sessions, signing one or all of them out."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from orion_server.auth.passwords import verify_password
from orion_server.auth.sessions import SESSION_COOKIE
from orion_server.models import AuditEntry, User, UserSession

PASSWORD = "correct-horse-battery"


@pytest.fixture
def store(factories, main_platform):
    return factories.store(main_platform, code="bakery", name="Bakery")


def _sign_in(client, email: str, path: str = "/admin/login", agent: str = "Firefox on Linux"):
    client.get(path)
    response = client.post(
        path,
        data={"email": email, "password": PASSWORD, "csrf_token": client.cookies.get("orion_csrf")},
        headers={"user-agent": agent},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return response


def _csrf(client, page: str) -> str:
    return client.get(page).text.split('name="csrf_token" value="')[1].split('"')[0]


@pytest.fixture
def second_browser(orion_app, clean_db):
    opened: list[TestClient] = []

    def make() -> TestClient:
        browser = TestClient(orion_app, base_url="http://testserver")
        browser.__enter__()
        opened.append(browser)
        return browser

    yield make
    for browser in opened:
        browser.__exit__(None, None, None)


def test_the_admin_sees_their_profile_with_sessions(client, main_platform, factories):
    factories.admin(email="ops@example.lu", full_name="Anna Ops")
    _sign_in(client, "ops@example.lu")
    page = client.get("/admin/profile", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "Your profile" in page.text and "ops@example.lu" in page.text and 'value="Anna Ops"' in page.text
    assert "This browser" in page.text and "Firefox on Linux" in page.text
    assert 'href="/admin/profile"' in client.get("/admin/").text  # reachable from every page's header


def test_saving_the_profile_changes_name_and_the_dashboard_language(client, main_platform, factories, db_session):
    user = factories.admin(email="ops@example.lu")
    _sign_in(client, "ops@example.lu")
    csrf = _csrf(client, "/admin/profile")
    client.cookies.delete("orion_lang")
    saved = client.post("/admin/profile", data={"csrf_token": csrf, "full_name": "Anna Ops", "language": "de"},
                        follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/admin/profile?done=saved"
    db_session.refresh(user)
    assert (user.full_name, user.language) == ("Anna Ops", "de")
    client.cookies.delete("orion_lang")
    page = client.get("/admin/profile?done=saved")
    assert 'lang="de"' in page.text and "Ihr Profil wurde gespeichert." in page.text
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "account.profile_updated"))
    assert entry.details["after"] == {"full_name": "Anna Ops", "language": "de"}


def test_the_profile_language_applies_in_a_new_browser(client, main_platform, factories, second_browser):
    factories.admin(email="ops@example.lu", language="lb")
    other = second_browser()
    _sign_in(other, "ops@example.lu")
    assert 'lang="lb"' in other.get("/admin/").text
    assert 'lang="fr"' in other.get("/admin/?lang=fr").text  # the switcher still wins when used


def test_a_bad_profile_keeps_what_was_typed_and_names_the_fields(client, main_platform, factories):
    factories.admin(email="ops@example.lu")
    _sign_in(client, "ops@example.lu")
    csrf = _csrf(client, "/admin/profile")
    refused = client.post("/admin/profile", data={"csrf_token": csrf, "full_name": "A" * 201, "language": "xx"},
                          headers={"accept-language": "en"})
    assert refused.status_code == 422
    assert "Use at most 200 characters." in refused.text and "Choose one of the languages offered." in refused.text
    assert 'value="' + "A" * 201 + '"' in refused.text


def test_changing_the_password_ends_the_other_sessions(client, main_platform, factories, second_browser, db_session):
    user = factories.admin(email="ops@example.lu")
    phone = second_browser()
    _sign_in(phone, "ops@example.lu", agent="Phone")
    _sign_in(client, "ops@example.lu")
    csrf = _csrf(client, "/admin/profile")
    changed = client.post("/admin/profile/password", data={
        "csrf_token": csrf, "current_password": PASSWORD, "new_password": "a-brand-new-secret",
        "repeat_password": "a-brand-new-secret"}, follow_redirects=False)
    assert changed.headers["location"] == "/admin/profile?done=password_changed"
    db_session.refresh(user)
    assert verify_password(user.password_hash, "a-brand-new-secret")
    assert client.get("/admin/", follow_redirects=False).status_code == 200  # this browser stays in
    assert phone.get("/admin/", follow_redirects=False).status_code == 303  # the phone is out
    assert db_session.scalar(select(AuditEntry.details).where(AuditEntry.action == "account.password_changed")) == {
        "sessions_ended": 1}


@pytest.mark.parametrize(
    ("current", "new", "repeat", "field_message"),
    [
        ("wrong-password", "a-brand-new-secret", "a-brand-new-secret", "This is not your current password."),
        (PASSWORD, "short", "short", "Use at least 10 characters."),
        (PASSWORD, "a-brand-new-secret", "a-different-secret", "The two new passwords differ."),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(
    client, main_platform, factories, db_session, current, new, repeat, field_message
):
    user = factories.admin(email="ops@example.lu")
    _sign_in(client, "ops@example.lu")
    csrf = _csrf(client, "/admin/profile")
    refused = client.post("/admin/profile/password", headers={"accept-language": "en"}, data={
        "csrf_token": csrf, "current_password": current, "new_password": new, "repeat_password": repeat})
    assert refused.status_code == 422 and field_message in refused.text
    db_session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


def test_guessing_the_current_password_is_throttled(client, main_platform, factories):
    factories.admin(email="ops@example.lu")
    _sign_in(client, "ops@example.lu")
    csrf = _csrf(client, "/admin/profile")
    data = {"csrf_token": csrf, "current_password": "guess", "new_password": "a-brand-new-secret",
            "repeat_password": "a-brand-new-secret"}
    statuses = [client.post("/admin/profile/password", data=data).status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]


def test_signing_out_everywhere_else_and_one_other_session(client, main_platform, factories, second_browser, db_session):
    user = factories.admin(email="ops@example.lu")
    laptop, phone = second_browser(), second_browser()
    _sign_in(laptop, "ops@example.lu", agent="Laptop")
    _sign_in(phone, "ops@example.lu", agent="Phone")
    _sign_in(client, "ops@example.lu")
    phone_token = phone.cookies.get(SESSION_COOKIE)
    sessions = db_session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
    phone_session = next(s for s in sessions if s.user_agent == "Phone")
    csrf = _csrf(client, "/admin/profile")
    ended = client.post(f"/admin/profile/sessions/{phone_session.id}/end", data={"csrf_token": csrf},
                        follow_redirects=False)
    assert ended.headers["location"] == "/admin/profile?done=session_ended"
    assert phone.get("/admin/", follow_redirects=False).status_code == 303 and phone_token
    assert laptop.get("/admin/", follow_redirects=False).status_code == 200
    client.post("/admin/profile/sessions/sign-out-others", data={"csrf_token": csrf})
    assert laptop.get("/admin/", follow_redirects=False).status_code == 303
    assert client.get("/admin/", follow_redirects=False).status_code == 200


def test_nobody_ends_someone_elses_session(client, main_platform, factories, second_browser, db_session):
    factories.admin(email="ops@example.lu")
    other = factories.admin(email="other@example.lu")
    theirs = second_browser()
    _sign_in(theirs, "other@example.lu")
    their_session = db_session.scalar(select(UserSession).where(UserSession.user_id == other.id))
    _sign_in(client, "ops@example.lu")
    csrf = _csrf(client, "/admin/profile")
    response = client.post(f"/admin/profile/sessions/{their_session.id}/end", data={"csrf_token": csrf})
    assert response.status_code == 404
    assert theirs.get("/admin/", follow_redirects=False).status_code == 200


def test_store_staff_have_the_same_profile_in_their_dashboard(client, store, factories, db_session):
    member = factories.staff(store, role="staff", email="lea@bakery.lu")
    _sign_in(client, "lea@bakery.lu", path="/store/bakery/login")
    page = client.get("/store/bakery/profile", headers={"accept-language": "en"})
    assert page.status_code == 200 and "lea@bakery.lu" in page.text and "Bakery" in page.text
    csrf = _csrf(client, "/store/bakery/profile")
    saved = client.post("/store/bakery/profile", data={"csrf_token": csrf, "full_name": "Léa", "language": "fr"},
                        follow_redirects=False)
    assert saved.headers["location"] == "/store/bakery/profile?done=saved"
    db_session.refresh(member)
    assert db_session.get(User, member.id).full_name == "Léa"
    assert 'href="/store/bakery/profile"' in client.get("/store/bakery/").text


def test_the_profile_needs_a_signed_in_user(client, store):
    assert client.get("/admin/profile", follow_redirects=False).status_code == 303
    assert client.get("/store/bakery/profile", follow_redirects=False).status_code == 303
