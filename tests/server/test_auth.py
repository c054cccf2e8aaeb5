"""Sign-in sessions: a new id at every login, revoked at logout, safe cookies, argon2id."""

from __future__ import annotations

from orion_server.auth.passwords import hash_password, verify_password


def _login(client, email: str, password: str = "correct-horse-battery"):
    client.get("/admin/login")
    return client.post(
        "/admin/login",
        data={"email": email, "password": password, "csrf_token": client.cookies.get("orion_csrf")},
        follow_redirects=False,
    )


def test_passwords_are_hashed_with_argon2id():
    """Hashes are argon2id and verify only the right password."""
    hashed = hash_password("a-long-password")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "a-long-password") and not verify_password(hashed, "wrong")


def test_session_cookie_is_httponly_and_samesite(client, main_platform, factories):
    """The session cookie cannot be read by scripts and is not sent cross-site."""
    factories.admin(email="ops@example.lu")
    response = _login(client, "ops@example.lu")
    cookie = response.headers["set-cookie"]
    assert "orion_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_each_login_gets_a_new_session_id(client, main_platform, factories):
    """Signing in twice gives two different session tokens."""
    factories.admin(email="ops@example.lu")
    first = _login(client, "ops@example.lu").cookies.get("orion_session")
    client.cookies.clear()
    second = _login(client, "ops@example.lu").cookies.get("orion_session")
    assert first and second and first != second


def test_logout_revokes_the_session_on_the_server(client, main_platform, factories):
    """After logout the old cookie no longer signs anyone in."""
    factories.admin(email="ops@example.lu")
    token = _login(client, "ops@example.lu").cookies.get("orion_session")
    page = client.get("/admin/")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/admin/logout", data={"csrf_token": csrf}, follow_redirects=False)
    client.cookies.clear()
    client.cookies.set("orion_session", token)
    assert client.get("/admin/", follow_redirects=False).status_code == 303


def test_wrong_password_re_renders_the_form_with_a_message(client, main_platform, factories):
    """A wrong password is a 400 page with a message, keeping the e-mail typed."""
    factories.admin(email="ops@example.lu")
    response = _login(client, "ops@example.lu", "not-the-password")
    assert response.status_code == 400
    assert 'value="ops@example.lu"' in response.text


def test_staff_of_one_store_cannot_open_another_stores_dashboard(client, main_platform, factories):
    """Another store's dashboard answers 404 to a member of a different store."""
    mine = factories.store(main_platform, code="mine", name="Mine")
    factories.store(main_platform, code="theirs", name="Theirs")
    user = factories.staff(mine, role="owner")
    factories.login(client, user)
    assert client.get("/store/mine/").status_code == 200
    assert client.get("/store/theirs/").status_code == 404


def test_login_redirect_keeps_the_path_and_query(client, main_platform):
    """An anonymous visit is sent to sign in with where it wanted to go."""
    response = client.get("/admin/stores?search=bak", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login?next=/admin/stores%3Fsearch%3Dbak"
