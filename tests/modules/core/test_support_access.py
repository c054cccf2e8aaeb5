"""Admins enter a store's dashboard only through support access (issue 9): explicit, with a
reason, recorded in the store's audit log, shown as a banner, bound to the sign-in session, ended
by the admin, by signing out or by time; a platform admin only for stores of their platforms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from orion_server.database import utcnow
from orion_server.models import AuditEntry, SupportAccess

EN = {"accept-language": "en"}
REASON = "The owner asked for help with the shipping prices (ticket 4711)"


@pytest.fixture
def store(factories, main_platform):
    return factories.store(main_platform, code="bakery", name="Bakery")


@pytest.fixture
def admin_csrf(client, factories, main_platform):
    return factories.login(client, factories.platform_admin(main_platform, email="support@orion.lu", language="en"))


def _start(client, csrf, reason=REASON, next_path="/store/bakery/settings"):
    return client.post("/store/bakery/support-access", data={"csrf_token": csrf, "reason": reason, "next": next_path},
                       headers=EN, follow_redirects=False)


def test_an_admin_is_sent_to_say_why_before_any_store_page(client, store, admin_csrf):
    page = client.get("/store/bakery/settings", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/store/bakery/support-access?next=/store/bakery/settings"
    form = client.get(page.headers["location"], headers=EN)
    assert form.status_code == 200
    assert "Support access to Bakery" in form.text and "You are not a member of Bakery" in form.text
    api = client.get("/api/v1/store/bakery/core/metrics")
    assert api.status_code == 403 and api.json()["error"] == "support_access_required"


@pytest.mark.parametrize(("reason", "message"), [
    ("", "Say why you enter this store (at least 5 characters)"),
    ("   ok ", "Say why you enter this store"),
    ("x" * 501, "Keep the reason under 500 characters."),
])
def test_a_missing_or_overlong_reason_is_refused_and_kept(client, store, admin_csrf, db_session, reason, message):
    refused = _start(client, admin_csrf, reason=reason)
    assert refused.status_code == 422 and message in refused.text
    assert db_session.scalar(select(SupportAccess.id)) is None
    assert client.get("/store/bakery/", follow_redirects=False).status_code == 303


def test_support_access_opens_the_dashboard_with_a_banner_and_is_audited(client, store, admin_csrf, factories,
                                                                         db_session):
    started = _start(client, admin_csrf)
    assert started.status_code == 303 and started.headers["location"] == "/store/bakery/settings"
    page = client.get("/store/bakery/settings", headers=EN)
    assert page.status_code == 200
    assert 'class="support-banner"' in page.text and "as platform support until" in page.text
    assert "ticket 4711" in page.text and "End support access" in page.text
    db_session.rollback()
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "support.access_started"))
    assert (entry.actor_label, entry.store_id, entry.details["reason"]) == ("support@orion.lu", store.id, REASON)

    # The store's owner reads it in their audit log.
    from fastapi.testclient import TestClient

    with TestClient(client.app, base_url="http://testserver") as owner_client:
        factories.owner(owner_client, store)
        log = owner_client.get("/store/bakery/audit", headers=EN).text
    assert "support.access_started" in log and "support@orion.lu" in log

    ended = client.post("/store/bakery/support-access/end", data={"csrf_token": admin_csrf}, follow_redirects=False)
    assert ended.headers["location"] == "/admin/stores/bakery"
    assert client.get("/store/bakery/settings", follow_redirects=False).status_code == 303
    db_session.rollback()
    assert db_session.scalar(select(AuditEntry.id).where(AuditEntry.action == "support.access_ended"))


def test_what_an_admin_changes_in_support_is_recorded_under_their_name(client, store, admin_csrf, db_session):
    _start(client, admin_csrf)
    saved = client.post("/store/bakery/settings", data={
        "csrf_token": admin_csrf, "name": "Bakery Dupont", "languages": ["fr", "de", "en"], "default_language": "fr",
    }, follow_redirects=False)
    assert saved.status_code == 303
    db_session.rollback()
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "store.update"))
    assert entry.actor_label == "support@orion.lu" and entry.store_id == store.id


def test_signing_out_or_time_ends_support_access(client, store, admin_csrf, factories, db_session):
    _start(client, admin_csrf)
    assert client.get("/store/bakery/", follow_redirects=False).status_code == 200
    db_session.rollback()  # end the read the factories' login left open (SQLite)
    db_session.execute(update(SupportAccess).values(expires_at=utcnow() - timedelta(minutes=1)))
    db_session.commit()
    assert client.get("/store/bakery/", follow_redirects=False).status_code == 303

    _start(client, admin_csrf)
    client.post("/admin/logout", data={"csrf_token": admin_csrf})
    db_session.rollback()
    assert db_session.scalar(select(SupportAccess.id).where(SupportAccess.ended_at.is_(None))) is None


def test_access_is_bound_to_the_session_that_started_it(client, store, admin_csrf, factories, db_session):
    from fastapi.testclient import TestClient

    _start(client, admin_csrf)
    db_session.rollback()
    admin = db_session.scalar(select(SupportAccess)).user_id
    from orion_server.models import User

    with TestClient(client.app, base_url="http://testserver") as other_browser:
        factories.login(other_browser, db_session.get(User, admin))
        assert other_browser.get("/store/bakery/", follow_redirects=False).status_code == 303


def test_a_platform_admin_cannot_enter_a_store_of_another_platform(client, factories, main_platform):
    other = factories.platform(code="other", name="Other")
    factories.store(other, code="florist", name="Florist")
    csrf = factories.login(client, factories.platform_admin(main_platform))
    assert client.get("/store/florist/", follow_redirects=False).status_code == 404
    assert client.get("/store/florist/support-access").status_code == 404
    refused = client.post("/store/florist/support-access", data={"csrf_token": csrf, "reason": REASON})
    assert refused.status_code == 404


def test_store_staff_have_no_support_door(client, store, factories):
    csrf = factories.owner(client, store)
    assert client.get("/store/bakery/support-access").status_code == 403
    assert client.post("/store/bakery/support-access", data={"csrf_token": csrf, "reason": REASON}).status_code == 403


def test_the_owner_sees_an_admin_at_work_and_ends_the_access_at_once(client, store, admin_csrf, factories,
                                                                     db_session):
    """The store's audit page shows who is in on support, why and until when; the owner ends
    it with one button, the admin's next click goes back to the reason page, and the audit log
    says the store ended it. A manager sees it but may not end it; another store's access
    cannot be ended from here."""
    from fastapi.testclient import TestClient

    _start(client, admin_csrf)
    assert client.get("/store/bakery/settings", follow_redirects=False).status_code == 200
    db_session.rollback()
    access_id = db_session.scalar(select(SupportAccess.id))

    with TestClient(client.app, base_url="http://testserver") as manager_client:
        manager_csrf = factories.login(manager_client, factories.staff(store, role="manager", email="mia@bakery.lu"))
        seen = manager_client.get("/store/bakery/audit", headers=EN).text
        assert "Platform support in your store now" in seen and "ticket 4711" in seen and "support@orion.lu" in seen
        assert "End this access now" not in seen
        refused = manager_client.post(f"/store/bakery/audit/support/{access_id}/end",
                                      data={"csrf_token": manager_csrf}, follow_redirects=False)
        assert refused.status_code == 403

    with TestClient(client.app, base_url="http://testserver") as owner_client:
        owner_csrf = factories.owner(owner_client, store)
        page = owner_client.get("/store/bakery/audit", headers=EN).text
        assert "End this access now" in page
        ended = owner_client.post(f"/store/bakery/audit/support/{access_id}/end", data={"csrf_token": owner_csrf},
                                  headers=EN, follow_redirects=False)
        assert ended.status_code == 303 and ended.headers["location"] == "/store/bakery/audit?done=ended"
        after = owner_client.get(ended.headers["location"], headers=EN).text
        assert "Support access ended: the admin has to ask again" in after
        assert "Platform support in your store now" not in after
        assert "Support access ended by the store" in after
        assert "Clear the filters" not in after  # the confirmation is no filter
        again = owner_client.post(f"/store/bakery/audit/support/{access_id}/end", data={"csrf_token": owner_csrf},
                                  follow_redirects=False)
        assert again.headers["location"] == "/store/bakery/audit?done=not_running"

    back = client.get("/store/bakery/settings", follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"].startswith("/store/bakery/support-access")
    db_session.rollback()
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "support.access_ended_by_store"))
    assert entry.target == "support@orion.lu" and entry.details["reason"] == REASON


def test_an_owner_cannot_end_support_access_to_another_store(client, store, admin_csrf, factories, main_platform,
                                                             db_session):
    from fastapi.testclient import TestClient

    _start(client, admin_csrf)
    db_session.rollback()
    access_id = db_session.scalar(select(SupportAccess.id))
    florist = factories.store(main_platform, code="florist", name="Florist")
    with TestClient(client.app, base_url="http://testserver") as other:
        csrf = factories.owner(other, florist)
        answer = other.post(f"/store/florist/audit/support/{access_id}/end", data={"csrf_token": csrf},
                            follow_redirects=False)
        assert answer.headers["location"] == "/store/florist/audit?done=not_running"
    assert client.get("/store/bakery/settings", follow_redirects=False).status_code == 200
