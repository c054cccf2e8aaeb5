"""A forgotten password, for admins and store members: a one-hour, single-use link sent by
e-mail (through the event outbox), the same answer whether or not the address has an account,
at most three links an hour, and every session ended once the new password is set."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from modules.contracts.events import StaffPasswordResetRequested
from orion_server.auth.passwords import verify_password
from orion_server.models import AuditEntry, UserSession
from orion_server.testing.events import Announced

NEW = "a-brand-new-secret"


@pytest.fixture
def links(db_session):
    """The reset links announced for messaging to e-mail, as ``(email, store_id, place, link)``."""
    return Announced(db_session, StaffPasswordResetRequested, lambda e: (e.email, e.store_id, e.place_name, e.link))


@pytest.fixture
def store(factories, main_platform):
    return factories.store(main_platform, code="bakery", name="Bakery")


def _ask(client, base: str, email: str, csrf: str | None = None):
    client.get(f"{base}/forgot")
    return client.post(f"{base}/forgot", data={"email": email, "csrf_token": csrf or client.cookies.get("orion_csrf")},
                       headers={"accept-language": "en"})


def _path(link: str) -> str:
    return link.removeprefix("http://testserver")


def test_an_admin_gets_a_link_and_the_answer_never_says_who_has_an_account(client, main_platform, factories, links):
    factories.admin(email="ops@example.lu")
    known = _ask(client, "/admin", "OPS@example.lu")
    unknown = _ask(client, "/admin", "nobody@example.lu")
    assert known.status_code == unknown.status_code == 200
    assert "a link to choose a new password is on its way" in known.text
    assert known.text.count("on its way") == unknown.text.count("on its way") == 1
    assert len(links) == 1
    email, store_id, _place, link = links[0]
    assert (email, store_id) == ("ops@example.lu", None)
    assert link.startswith("http://testserver/admin/reset?token=")


def test_only_members_of_the_store_get_a_link_from_its_sign_in(client, store, factories, links):
    factories.staff(store, role="staff", email="lea@bakery.lu")
    other_store = factories.store(code="florist", name="Florist")
    factories.staff(other_store, role="owner", email="flo@florist.lu")
    _ask(client, "/store/bakery", "lea@bakery.lu")
    _ask(client, "/store/bakery", "flo@florist.lu")
    _ask(client, "/admin", "lea@bakery.lu")  # a member is not an admin
    assert [(e, s, p) for e, s, p, _link in links] == [("lea@bakery.lu", store.id, "Bakery")]
    assert links[0][3].startswith("http://testserver/store/bakery/reset?token=")


def test_the_new_password_is_set_once_and_every_session_ends(client, main_platform, factories, links, db_session):
    user = factories.admin(email="ops@example.lu")
    csrf = factories.login(client, user)  # signed in elsewhere: that session ends too
    _ask(client, "/admin", "ops@example.lu", csrf)
    link = _path(links[0][3])
    form = client.get(link, headers={"accept-language": "en"})
    assert form.status_code == 200 and "Choose a new password" in form.text
    token = link.split("token=")[1]
    data = {"token": token, "new_password": NEW, "repeat_password": NEW, "csrf_token": csrf}
    done = client.post("/admin/reset", data=data, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/admin/login?reset=1"
    db_session.rollback()  # end the snapshot the links were read in
    db_session.refresh(user)
    assert verify_password(user.password_hash, NEW)
    assert db_session.scalar(select(UserSession).where(UserSession.revoked_at.is_(None))) is None
    assert "Your new password is set." in client.get("/admin/login?reset=1", headers={"accept-language": "en"}).text
    again = client.get(link, headers={"accept-language": "en"})
    assert again.status_code == 400 and "already used, has expired or is not valid" in again.text
    client.cookies.delete("orion_session")  # ended anyway: the form is now an anonymous one
    client.get("/admin/login")
    replay = client.post("/admin/reset", data={**data, "csrf_token": client.cookies.get("orion_csrf")})
    assert replay.status_code == 400
    actions = db_session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.startswith("account.")).order_by(AuditEntry.id)
    ).all()
    assert actions == ["account.password_reset_requested", "account.password_reset"]


def test_a_weak_new_password_is_refused_and_the_link_stays_good(client, store, factories, links, db_session):
    member = factories.staff(store, role="staff", email="lea@bakery.lu")
    _ask(client, "/store/bakery", "lea@bakery.lu")
    token = links[0][3].split("token=")[1]
    csrf = client.cookies.get("orion_csrf")
    short = client.post("/store/bakery/reset", headers={"accept-language": "en"},
                        data={"token": token, "new_password": "short", "repeat_password": "short", "csrf_token": csrf})
    assert short.status_code == 422 and "Use at least 10 characters." in short.text
    differ = client.post("/store/bakery/reset", headers={"accept-language": "en"},
                         data={"token": token, "new_password": NEW, "repeat_password": NEW + "x", "csrf_token": csrf})
    assert differ.status_code == 422 and "The two new passwords differ." in differ.text
    ok = client.post("/store/bakery/reset", follow_redirects=False,
                     data={"token": token, "new_password": NEW, "repeat_password": NEW, "csrf_token": csrf})
    assert ok.headers["location"] == "/store/bakery/login?reset=1"
    db_session.rollback()
    db_session.refresh(member)
    assert verify_password(member.password_hash, NEW)


def test_an_account_gets_at_most_three_links_an_hour(client, main_platform, factories, links):
    factories.admin(email="ops@example.lu")
    for _ in range(5):
        assert _ask(client, "/admin", "ops@example.lu").status_code == 200
    assert len(links) == 3


def test_a_made_up_or_missing_token_shows_the_dead_link_page(client, main_platform):
    for path in ("/admin/reset?token=made-up", "/admin/reset", "/admin/reset?token=" + "x" * 300):
        response = client.get(path, headers={"accept-language": "en"})
        assert response.status_code == 400 and "Ask for a new link" in response.text


def test_the_sign_in_page_offers_the_link(client, store):
    assert 'href="/admin/forgot"' in client.get("/admin/login").text
    assert 'href="/store/bakery/forgot"' in client.get("/store/bakery/login").text
