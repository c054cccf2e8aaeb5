"""One-time admin sign-in links: good once, within a minute; anything else is the sign-in page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from orion_server.auth.login_tokens import admin_link, first_admin, issue_login_token, redeem
from orion_server.database import utcnow
from orion_server.errors import AuthenticationError, NotFoundError
from orion_server.models import UserSession
from orion_server.models.login_tokens import LoginToken
from tests.support.cli import Installation

INVALID = "This sign-in link was already used, has expired or is not valid."


def _follow(client, token: str):
    return client.get(f"/admin/auth/token?token={token}", follow_redirects=False)


def test_a_link_signs_the_admin_in_once_with_a_new_session(client, main_platform, admin_user, db_session):
    """First use: 303 to /admin/ with a fresh session cookie that opens the dashboard; second use: refused."""
    client.cookies.set("orion_session", "an-old-session-id")
    token = issue_login_token(db_session, admin_user.id)
    assert db_session.scalar(select(LoginToken.token_hash)) != token  # stored hashed

    response = _follow(client, token)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/"
    session_cookie = response.cookies.get("orion_session")
    assert session_cookie and session_cookie != "an-old-session-id"
    assert "HttpOnly" in response.headers["set-cookie"]
    client.cookies.set("orion_session", session_cookie)
    dashboard = client.get("/admin/", follow_redirects=False)
    assert dashboard.status_code == 200
    db_session.rollback()  # end the read snapshot: the request committed the session
    assert db_session.scalar(select(UserSession.user_id)) == admin_user.id

    client.cookies.clear()
    again = _follow(client, token)
    assert again.status_code == 400
    assert INVALID in again.text
    assert "orion_session" not in again.cookies


def test_an_expired_link_shows_the_sign_in_page_with_a_message(client, main_platform, admin_user, db_session):
    """A token older than its minute is refused, in the visitor's language."""
    token = issue_login_token(db_session, admin_user.id)
    row = db_session.scalar(select(LoginToken))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db_session.commit()
    response = _follow(client, token)
    assert response.status_code == 400
    assert INVALID in response.text
    assert 'name="password"' in response.text  # the sign-in form, to sign in by hand


@pytest.mark.parametrize("query", ["?token=not-a-token", "?token=", "", "?token=" + "x" * 500])
def test_unknown_or_missing_tokens_are_refused_without_error(client, main_platform, query):
    """Never a 500: the sign-in page with the message."""
    response = client.get(f"/admin/auth/token{query}", follow_redirects=False)
    assert response.status_code == 400
    assert INVALID in response.text


def test_the_token_expires_after_a_minute_and_only_admins_get_one(db_session, factories, admin_user):
    """60 s expiry; a shopper or staff account gets no link; redeem works once."""
    token = issue_login_token(db_session, admin_user.id)
    row = db_session.scalar(select(LoginToken))
    assert 55 <= (row.expires_at - row.created_at).total_seconds() <= 60
    assert redeem(db_session, token).id == admin_user.id
    with pytest.raises(AuthenticationError):
        redeem(db_session, token)
    somebody = factories.user(email="someone@example.lu")
    with pytest.raises(AuthenticationError):
        issue_login_token(db_session, somebody.id)


def test_first_admin_and_admin_link(db_session, factories):
    """The link names the token route; no admin at all is a plain NotFoundError."""
    with pytest.raises(NotFoundError):
        first_admin(db_session)
    admin = factories.admin(email="boss@example.lu")
    link = admin_link(db_session, "http://127.0.0.1:8123/", "BOSS@example.lu")
    assert link.startswith("http://127.0.0.1:8123/admin/auth/token?token=")
    assert redeem(db_session, link.split("token=")[1]).id == admin.id
    with pytest.raises(NotFoundError):
        admin_link(db_session, "http://x", "nobody@example.lu")


def test_the_cli_prints_a_working_link(tmp_path):
    """`orion admin-link` on a fresh installation prints one URL on stdout."""
    install = Installation(tmp_path / "data", f"sqlite:///{tmp_path / 'data' / 'orion.db'}")
    assert install.run("init", "--admin-email", "a@b.lu", "--admin-password", "long-password-1").returncode == 0
    result = install.run("admin-link", "--base-url", "http://127.0.0.1:9999")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("http://127.0.0.1:9999/admin/auth/token?token=")
    assert "once" in result.stderr
    missing = install.run("admin-link", "--email", "nobody@b.lu")
    assert missing.returncode != 0 and "nobody@b.lu" in (missing.stderr + missing.stdout)
